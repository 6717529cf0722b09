/*
 * util.c: the pieces every layer uses: the Internet checksum (RFC 1071),
 * the packet pool, the random numbers, the frame transmitter.
 */
#include "net_int.h"

/* xorshift32: ISNs get a keyed hash on top (tcp_iss), so this only needs
   to be unpredictable enough for ports and transaction ids. */
uint32_t net_rand(struct net *n)
{
	uint32_t x = n->rng;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	n->rng = x;
	return x;
}

/*
 * Adds len bytes, taken as big-endian 16-bit words (an odd last byte
 * padded with zero), to sum.  The ones'-complement sum does not depend on
 * byte order (RFC 1071 2.B), so words are added in the CPU's order, eight
 * bytes at a time, and the result swapped once at the end.  data must
 * start at an even offset of what is being checksummed.
 */
uint32_t net_cksum_add(uint32_t sum, const void *data, size_t len)
{
	const uint8_t *p = data;
	uint64_t s = 0, v;
	uint32_t w;
	uint16_t h = 0;

	for (; len >= 8; p += 8, len -= 8) {
		__builtin_memcpy(&v, p, 8); /* inlined even under -fno-builtin */
		s += (v & 0xffffffffu) + (v >> 32);
	}
	if (len >= 4) {
		__builtin_memcpy(&w, p, 4);
		s += w;
		p += 4;
		len -= 4;
	}
	if (len >= 2) {
		__builtin_memcpy(&h, p, 2);
		s += h;
		p += 2;
		len -= 2;
	}
	if (len) {
		h = 0;
		__builtin_memcpy(&h, p, 1);
		s += h;
	}
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	s = (s >> 8 | s << 8) & 0xffff;
#endif
	s += sum;
	while (s >> 32)
		s = (s & 0xffffffffu) + (s >> 32);
	return (uint32_t)s;
}

/* The ones'-complement of the folded sum: the value to put in a header,
   or 0 when checking a header that includes its checksum. */
uint16_t net_cksum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

uint32_t net_pseudo_sum(uint32_t src, uint32_t dst, uint8_t proto, uint16_t len)
{
	uint64_t s = (src >> 16) + (src & 0xffff) + (dst >> 16) + (dst & 0xffff) + proto + len;

	return (uint32_t)s;
}

struct net_buf *net_buf_get(struct net *n)
{
	struct net_buf *b = n->free_bufs;

	if (!b) {
		n->st.pool_empty++;
		return NULL;
	}
	n->free_bufs = b->next;
	n->nfree--;
	b->next = NULL;
	return b;
}

void net_buf_put(struct net *n, struct net_buf *b)
{
	b->next = n->free_bufs;
	n->free_bufs = b;
	n->nfree++;
}

void net_tx_frame(struct net *n, const void *frame, size_t len)
{
	n->st.tx_frames++;
	n->st.tx_bytes += len;
	n->ops.send(n->ops.ctx, frame, len);
}

static const char *const err_names[NET_ERR_COUNT] = {
	[NET_OK] = "ok",
	[NET_EINVAL] = "invalid argument",
	[NET_EBADF] = "no such socket",
	[NET_ENOMEM] = "out of buffers or sockets",
	[NET_EAGAIN] = "would block",
	[NET_EADDRINUSE] = "address in use",
	[NET_ENOTCONN] = "not connected",
	[NET_ECONNREFUSED] = "connection refused",
	[NET_ECONNRESET] = "connection reset",
	[NET_ETIMEDOUT] = "timed out",
	[NET_EPIPE] = "broken pipe",
	[NET_EMSGSIZE] = "message too long",
	[NET_ENOENT] = "no such name",
	[NET_EPROTO] = "protocol error",
};

const char *net_strerror(int err)
{
	if (err < 0)
		err = -err;
	if (err >= NET_ERR_COUNT)
		return "unknown error";
	return err_names[err];
}
