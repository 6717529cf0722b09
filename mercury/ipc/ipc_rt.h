/*
 * ipc_rt.h: the message cursor that ipcgen's generated stubs and dispatch
 * are written against. Header-only and freestanding: generated code needs
 * nothing but the system calls of mercury/hl.h and hl_ipc_buffer().
 *
 * A cursor walks the words of one message: mr0..mr3 in struct hl_msg (the
 * registers), mr4.. in the thread's IPC buffer, caps in send_caps (writing)
 * or recv_slots (reading). Writers and readers record the first problem in
 * c->err and carry on harmlessly, so generated code checks once at the end.
 * Layout (docs/ipc.md): a scalar is one word; a string is a byte-count word
 * and the bytes packed 8 per word, first byte lowest; an array is a count
 * word and the elements packed likewise (8, 4, 2 or 1 per word).
 */
#ifndef MERCURY_IPC_RT_H
#define MERCURY_IPC_RT_H

#include <stddef.h>
#include <stdint.h>
#include <mercury/hl.h>
#include "ipc_names.h"

struct ipc_cursor {
	struct hl_msg *m;
	struct hl_ipc_buffer *buf;	/* fetched on first use past mr3 or for caps */
	unsigned pos;			/* next word */
	unsigned len;			/* words in the message (reading) */
	unsigned ncaps;			/* caps written or read so far */
	unsigned caps;			/* caps in the message (reading) */
	int err;			/* enum hl_error: the first problem, or E_OK */
};

static inline struct hl_ipc_buffer *ipc_buffer(struct ipc_cursor *c)
{
	if (!c->buf)
		c->buf = hl_ipc_buffer();
	return c->buf;
}

static inline void ipc_fail(struct ipc_cursor *c, int err)
{
	if (c->err == E_OK)
		c->err = err;
}

/* Starts writing a message into *m (and the IPC buffer). The register words
 * are cleared: all four travel whatever the length, and must not carry
 * stale stack or request contents to the peer. */
static inline void ipc_write_begin(struct ipc_cursor *c, struct hl_msg *m)
{
	for (unsigned i = 0; i < HL_MSG_REG_WORDS; i++)
		m->mr[i] = 0;
	*c = (struct ipc_cursor){ m, NULL, 0, 0, 0, 0, E_OK };
}

/* Starts reading the message that *m describes. */
static inline void ipc_read_begin(struct ipc_cursor *c, struct hl_msg *m)
{
	*c = (struct ipc_cursor){ m, NULL, 0, hl_msg_length(m->info), 0,
				  hl_msg_caps(m->info), E_OK };
}

static inline void ipc_put_word(struct ipc_cursor *c, uint64_t w)
{
	if (c->pos >= HL_MSG_MAX) {	/* ipcgen's layout check makes this unreachable */
		ipc_fail(c, E_RANGE);
		return;
	}
	if (c->pos < HL_MSG_REG_WORDS)
		c->m->mr[c->pos] = w;
	else
		ipc_buffer(c)->mr[c->pos] = w;
	c->pos++;
}

static inline uint64_t ipc_get_word(struct ipc_cursor *c)
{
	uint64_t w;

	if (c->pos >= c->len) {
		ipc_fail(c, E_INVAL);
		return 0;
	}
	w = c->pos < HL_MSG_REG_WORDS ? c->m->mr[c->pos] : ipc_buffer(c)->mr[c->pos];
	c->pos++;
	return w;
}

/* A scalar word, checked to be a value of type t (else E_INVAL). */
static inline uint64_t ipc_get_scalar(struct ipc_cursor *c, enum ipc_type t)
{
	uint64_t w = ipc_get_word(c);
	int64_t s = (int64_t)w;
	int fits;

	switch (t) {
	case IPC_U8: fits = w <= 0xFF; break;
	case IPC_U16: fits = w <= 0xFFFF; break;
	case IPC_U32: fits = w <= 0xFFFFFFFFu; break;
	case IPC_I8: fits = s >= -128 && s <= 127; break;
	case IPC_I16: fits = s >= -32768 && s <= 32767; break;
	case IPC_I32: fits = s >= -2147483647 - 1 && s <= 2147483647; break;
	case IPC_BOOL: fits = w <= 1; break;
	default: fits = 1; break;
	}
	if (!fits) {
		ipc_fail(c, E_INVAL);
		return 0;
	}
	return w;
}

/* Size in bytes of one element of an array of t. */
static inline unsigned ipc_elem_size(enum ipc_type t)
{
	switch (t) {
	case IPC_U16: case IPC_I16: return 2;
	case IPC_U32: case IPC_I32: return 4;
	case IPC_U64: case IPC_I64: return 8;
	default: return 1;
	}
}

/* n elements of size sz at v, packed little-endian from the next word. */
static inline void ipc_put_packed(struct ipc_cursor *c, const void *v, size_t n, unsigned sz)
{
	const unsigned char *p = v;
	size_t bytes = n * sz;

	for (size_t off = 0; off < bytes; off += 8) {
		uint64_t w = 0;

		for (unsigned b = 0; b < 8 && off + b < bytes; b++)
			w |= (uint64_t)p[off + b] << (8 * b);
		ipc_put_word(c, w);
	}
}

/* The inverse of ipc_put_packed; bytes past the last element must be zero. */
static inline void ipc_get_packed(struct ipc_cursor *c, void *v, size_t n, unsigned sz)
{
	unsigned char *p = v;
	size_t bytes = n * sz;

	for (size_t off = 0; off < bytes; off += 8) {
		uint64_t w = ipc_get_word(c);

		for (unsigned b = 0; b < 8; b++, w >>= 8) {
			if (off + b < bytes)
				p[off + b] = (unsigned char)w;
			else if (w & 0xFF)
				ipc_fail(c, E_INVAL);
		}
	}
}

/* A NUL-terminated string of at most max bytes (longer: E_RANGE, NULL: E_INVAL). */
static inline void ipc_put_string(struct ipc_cursor *c, const char *s, unsigned max)
{
	size_t n = 0;

	if (!s) {
		ipc_fail(c, E_INVAL);
		return;
	}
	while (n <= max && s[n])
		n++;
	if (n > max) {
		ipc_fail(c, E_RANGE);
		return;
	}
	ipc_put_word(c, n);
	ipc_put_packed(c, s, n, 1);
}

/* Reads a string into dst (max + 1 bytes) and terminates it; a longer
 * string, or one holding a NUL byte, is E_INVAL. */
static inline void ipc_get_string(struct ipc_cursor *c, char *dst, unsigned max)
{
	uint64_t n = ipc_get_word(c);

	dst[0] = 0;
	if (n > max) {
		ipc_fail(c, E_INVAL);
		return;
	}
	ipc_get_packed(c, dst, n, 1);
	dst[c->err == E_OK ? n : 0] = 0;
	for (uint64_t i = 0; i < n && c->err == E_OK; i++)
		if (dst[i] == 0)
			ipc_fail(c, E_INVAL);
}

/* An array of n <= max elements of type t (more: E_RANGE). */
static inline void ipc_put_array(struct ipc_cursor *c, const void *v, size_t n, unsigned max,
				 enum ipc_type t)
{
	if (n > max) {
		ipc_fail(c, E_RANGE);
		return;
	}
	if (n && !v) {
		ipc_fail(c, E_INVAL);
		return;
	}
	ipc_put_word(c, n);
	ipc_put_packed(c, v, n, ipc_elem_size(t));
}

/* Reads an array into dst (room for max elements), its count into *n;
 * a count past max, or a bool other than 0 or 1, is E_INVAL. */
static inline void ipc_get_array(struct ipc_cursor *c, void *dst, size_t *n, unsigned max,
				 enum ipc_type t)
{
	uint64_t cnt = ipc_get_word(c);

	*n = 0;
	if (cnt > max) {
		ipc_fail(c, E_INVAL);
		return;
	}
	ipc_get_packed(c, dst, cnt, ipc_elem_size(t));
	if (t == IPC_BOOL)
		for (uint64_t i = 0; i < cnt; i++)
			if (((unsigned char *)dst)[i] > 1)
				ipc_fail(c, E_INVAL);
	if (c->err == E_OK)
		*n = cnt;
}

/* The next capability to send. */
static inline void ipc_put_cap(struct ipc_cursor *c, hl_cptr_t cap)
{
	if (c->ncaps >= HL_MSG_MAX_CAPS) {	/* unreachable after ipcgen's check */
		ipc_fail(c, E_RANGE);
		return;
	}
	ipc_buffer(c)->send_caps[c->ncaps++] = cap;
}

/* The slot holding the next received capability (E_INVAL if none came). */
static inline hl_cptr_t ipc_get_cap(struct ipc_cursor *c)
{
	if (c->ncaps >= c->caps) {
		ipc_fail(c, E_INVAL);
		return 0;
	}
	return ipc_buffer(c)->recv_slots[c->ncaps++];
}

/* Names the empty slot where the i-th capability of the reply should land. */
static inline void ipc_recv_slot(struct ipc_cursor *c, unsigned i, hl_cptr_t slot)
{
	ipc_buffer(c)->recv_slots[i] = slot;
}

/* Ends reading: every word and cap must have been used (else E_INVAL). */
static inline int ipc_read_end(struct ipc_cursor *c)
{
	if (c->pos != c->len || c->ncaps != c->caps)
		ipc_fail(c, E_INVAL);
	return c->err;
}

/* Makes *m a reply of status s and no words or caps; returns s. */
static inline int ipc_reply_status(struct hl_msg *m, int s)
{
	if (s < E_OK || s >= E_COUNT)	/* handlers speak the one error enum */
		s = E_INVAL;
	m->info = hl_msginfo((uint64_t)s, 0, 0);
	return s;
}

/* Ends writing a message labelled label; returns c->err (then the info is
 * left as it was: the caller must not send). */
static inline int ipc_write_end(struct ipc_cursor *c, uint64_t label)
{
	if (c->err == E_OK)
		c->m->info = hl_msginfo(label, c->ncaps, c->pos);
	return c->err;
}

/* Status of a reply: its label, which must be an enum hl_error. */
static inline int ipc_reply_label(struct hl_msg *m)
{
	uint64_t l = hl_msg_label(m->info);

	return l < E_COUNT ? (int)l : E_INVAL;
}

#endif
