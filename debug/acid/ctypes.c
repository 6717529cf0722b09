/*
 * ctypes.c: DWARF types from the symbol reader as language types.
 *
 * Each struct sym_type converts once; the result is remembered before its
 * members and targets convert, so self-referential types (a list node
 * pointing to itself) terminate. Incomplete declarations are completed
 * from any compile unit that defines them.
 */
#include <stdlib.h>
#include <string.h>

#include "session.h"

static struct acid_type *memo_find(struct acid_session *s, const struct sym_type *t)
{
	for (size_t i = 0; i < s->ntypes; i++)
		if (s->tkeys[i] == t)
			return s->tvals[i];
	return NULL;
}

static void memo_add(struct acid_session *s, const struct sym_type *t, struct acid_type *v)
{
	if (s->ntypes == s->captypes) {
		s->captypes = s->captypes ? s->captypes * 2 : 64;
		s->tkeys = realloc(s->tkeys, s->captypes * sizeof *s->tkeys);
		s->tvals = realloc(s->tvals, s->captypes * sizeof *s->tvals);
		if (!s->tkeys || !s->tvals)
			abort();
	}
	s->tkeys[s->ntypes] = t;
	s->tvals[s->ntypes] = v;
	s->ntypes++;
}

static enum acid_tkind kind_of(enum sym_type_kind k)
{
	switch (k) {
	case SYM_T_VOID: return AT_VOID;
	case SYM_T_BASE: return AT_BASE;
	case SYM_T_POINTER: return AT_PTR;
	case SYM_T_STRUCT: return AT_STRUCT;
	case SYM_T_UNION: return AT_UNION;
	case SYM_T_ARRAY: return AT_ARRAY;
	case SYM_T_ENUM: return AT_ENUM;
	case SYM_T_TYPEDEF: return AT_TYPEDEF;
	case SYM_T_FUNC: return AT_FUNC;
	default: return AT_QUAL;
	}
}

static char base_fmt(const struct sym_type *t)
{
	int sgn = t->encoding == SYM_ENC_SIGNED || t->encoding == SYM_ENC_SCHAR;

	if (t->encoding == SYM_ENC_FLOAT)
		return t->size == 4 ? 'f' : 'F';
	switch (t->size) {
	case 1: return sgn ? 'C' : 'B';
	case 2: return sgn ? 'd' : 'u';
	case 4: return sgn ? 'D' : 'U';
	default: return sgn ? 'V' : 'Z';
	}
}

/* The language type for DWARF type t (NULL is void). */
struct acid_type *acid_ctype_from_sym(struct acid_session *s, const struct sym_type *t)
{
	struct acid_type *r;

	if (!t)
		return NULL;
	if (t->incomplete)
		t = sym_type_complete(s->sym, (struct sym_type *)t);
	if ((r = memo_find(s, t)))
		return r;
	r = acid_alloc(sizeof *r);
	memo_add(s, t, r);
	r->kind = kind_of(t->kind);
	r->name = t->name;
	if (t->kind == SYM_T_CONST)
		r->name = "const";
	else if (t->kind == SYM_T_VOLATILE)
		r->name = "volatile";
	r->size = t->size;
	r->count = t->count;
	if (t->kind == SYM_T_BASE)
		r->fmt = base_fmt(t);
	else if (t->kind == SYM_T_ENUM)
		r->fmt = t->size == 8 ? 'V' : t->size == 2 ? 'd' : t->size == 1 ? 'B' : 'D';
	if (r->kind == AT_ARRAY || r->kind == AT_PTR || r->kind == AT_TYPEDEF ||
	    r->kind == AT_QUAL || r->kind == AT_FUNC)
		r->target = acid_ctype_from_sym(s, t->target);
	if (r->kind == AT_ARRAY && r->target && acid_type_strip(r->target))
		r->size = r->count * acid_type_strip(r->target)->size;
	if (t->kind == SYM_T_POINTER && r->size == 0)
		r->size = 8;
	if (t->nmembers > 0) {
		r->member = acid_alloc(t->nmembers * sizeof *r->member);
		for (int i = 0; i < t->nmembers; i++) {
			const struct sym_member *m = &t->members[i];

			r->member[i].name = m->name;
			r->member[i].off = m->offset;
			r->member[i].type = acid_ctype_from_sym(s, m->type);
			r->member[i].bitsize = m->bit_size;
			r->member[i].bitoff = m->bit_offset;
			r->member[i].fmt = 'X';
		}
		r->nmember = t->nmembers;
	}
	if (t->nenums > 0) {
		r->enumerator = acid_alloc(t->nenums * sizeof *r->enumerator);
		for (int i = 0; i < t->nenums; i++) {
			r->enumerator[i].name = t->enums[i].name;
			r->enumerator[i].value = t->enums[i].value;
		}
		r->nenum = t->nenums;
	}
	return r;
}

static uint64_t bytes_uint(const unsigned char *b, size_t n)
{
	uint64_t v = 0;

	for (size_t i = n > 8 ? 8 : n; i > 0; i--)
		v = v << 8 | b[i - 1];
	return v;
}

/* A typed value from raw bytes (see session.h). */
struct acid_value acid_value_from_bytes(struct acid_session *s, struct acid_type *t,
                                        const void *bytes, size_t n)
{
	struct acid_type *st = acid_type_strip(t);
	uint64_t addr;
	unsigned char buf[64] = { 0 };

	if (st && st->size > n && st->size <= sizeof buf) {
		/* Pad a short register value up to the type's size. */
		memcpy(buf, bytes, n);
		bytes = buf;
		n = st->size;
	}
	addr = acid_scratch_put(s, bytes, n);
	if (!st)
		return acid_int((int64_t)bytes_uint(bytes, n), 'Y');
	return acid_type_load(s->a, t, addr, '*');
}
