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

/* Adds len bytes (big-endian 16-bit words, odd byte padded) into sum. */
uint32_t net_cksum_add(uint32_t sum, const void *data, size_t len)
{
	const uint8_t *p = data;
	uint64_t s = sum;

	while (len >= 2) {
		s += (uint32_t)(p[0] << 8 | p[1]);
		p += 2;
		len -= 2;
	}
	if (len)
		s += (uint32_t)p[0] << 8;
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
