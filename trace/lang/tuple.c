/*
 * tuple.c: keys of arrays, thread-locals and aggregations, encoded as one
 * byte string: per element a type tag, then 8 bytes (integer), the bytes
 * and a NUL (string), or the stack's kind, pid, depth and pcs. Encoding
 * is bounded by TR_KEY_MAX: strings are at most TR_STRSIZE bytes and
 * stacks TR_MAX_FRAMES frames, TR_MAX_KEYS of them.
 */
#include <string.h>

#include "runtime.h"

void tr_key_init(struct tr_key *k)
{
	k->len = 0;
}

void tr_key_add_raw(struct tr_key *k, const void *p, size_t n)
{
	if (n > TR_KEY_MAX - k->len)
		n = TR_KEY_MAX - k->len;	/* cannot happen within the limits above */
	memcpy(k->buf + k->len, p, n);
	k->len += n;
}

void tr_key_add(struct tr_key *k, int type, union tr_slot v)
{
	unsigned char tag = (unsigned char)type;

	/* the common cases by hand: this runs for every aggregation update */
	if (type == TR_T_INT && k->len + 9 <= TR_KEY_MAX) {
		k->buf[k->len] = tag;
		memcpy(k->buf + k->len + 1, &v.i, 8);
		k->len += 9;
		return;
	}
	tr_key_add_raw(k, &tag, 1);
	if (type == TR_T_STR) {
		size_t n = strnlen(v.s, TR_STRSIZE);

		tr_key_add_raw(k, v.s, n);
		tr_key_add_raw(k, "", 1);
	} else if (type == TR_T_STACK) {
		tr_key_add_raw(k, &v.k->user, 1);
		tr_key_add_raw(k, &v.k->pid, 8);
		tr_key_add_raw(k, &v.k->n, 1);
		tr_key_add_raw(k, v.k->pc, 8u * v.k->n);
	}
}

int tr_key_next(const unsigned char *key, size_t len, size_t *pos, int *type, union tr_slot *v,
		struct tr_stack *sb)
{
	size_t p = *pos;

	if (p >= len)
		return 0;
	*type = key[p++];
	if (*type == TR_T_INT) {
		memcpy(&v->i, key + p, 8);
		p += 8;
	} else if (*type == TR_T_STR) {
		v->s = (const char *)key + p;
		p += strlen(v->s) + 1;
	} else {
		sb->user = key[p];
		memcpy(&sb->pid, key + p + 1, 8);
		sb->n = key[p + 9];
		memcpy(sb->pc, key + p + 10, 8u * sb->n);
		p += 10 + 8u * sb->n;
		v->k = sb;
	}
	*pos = p;
	return 1;
}

/* Orders keys element by element: integers by value, strings by strcmp,
 * stacks by their bytes. */
int tr_key_cmp(const unsigned char *a, size_t alen, const unsigned char *b, size_t blen)
{
	size_t pa = 0, pb = 0;
	struct tr_stack sa, sb;

	memset(&sa, 0, sizeof sa);	/* compared whole, padding and unused pcs too */
	memset(&sb, 0, sizeof sb);
	for (;;) {
		int ta, tb, ra = 0, rb = 0;
		union tr_slot va, vb;

		ra = tr_key_next(a, alen, &pa, &ta, &va, &sa);
		rb = tr_key_next(b, blen, &pb, &tb, &vb, &sb);
		if (!ra || !rb)
			return ra - rb;
		if (ta != tb)
			return ta - tb;
		if (ta == TR_T_INT && va.i != vb.i)
			return va.i < vb.i ? -1 : 1;
		if (ta == TR_T_STR) {
			int c = strcmp(va.s, vb.s);

			if (c)
				return c;
		}
		if (ta == TR_T_STACK) {
			int c = memcmp(&sa, &sb, sizeof sa);

			if (c)
				return c;
		}
	}
}
