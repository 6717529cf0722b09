/*
 * ctype.c: C types in the language: loading typed objects from memory,
 * member access, C declarator spelling, and the table of types defined by
 * acid `aggr` statements. DWARF types arrive through the host's type_named
 * (debug/acid converts the symbol library's graph into struct acid_type).
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Follows typedefs and qualifiers; NULL stays NULL. */
struct acid_type *acid_type_strip(struct acid_type *t)
{
	while (t && (t->kind == AT_TYPEDEF || t->kind == AT_QUAL))
		t = t->target;
	return t;
}

/* Format letter for scalar type t (see format.c). */
char acid_type_fmt(struct acid_type *t)
{
	t = acid_type_strip(t);
	if (!t)
		return 'X';
	if (t->kind == AT_PTR)
		return 'A';
	if (t->kind == AT_FUNC)
		return 'a';
	if (t->fmt)
		return t->fmt;
	switch (t->size) {
	case 1: return 'B';
	case 2: return 'd';
	case 4: return 'D';
	default: return 'V';
	}
}

static int fmt_is_signed(char f)
{
	return f == 'd' || f == 'D' || f == 'V' || f == 'C' || f == 'q' || f == 'Q';
}

static int fmt_is_float(char f)
{
	return f == 'f' || f == 'F' || f == 'g' || f == 'G';
}

static struct acid_value load_scalar(struct acid *a, struct acid_type *t,
                                     struct acid_type *s, uint64_t addr, char space)
{
	char f = acid_type_fmt(s);
	struct acid_value v;
	uint64_t u;
	int size = s->size > 0 && s->size <= 8 ? (int)s->size : 4;

	if (fmt_is_float(f)) {
		if (size != 4 && size != 8)
			acid_error(a, "cannot load a %d-byte float", size);
		v = acid_fmt_read(a, addr, size == 4 ? 'f' : 'F', space);
		v.ctype = t;
		return v;
	}
	u = acid_read_uint(a, addr, size, space);
	if (fmt_is_signed(f) && size < 8) {
		int shift = 64 - 8 * size;

		u = (uint64_t)((int64_t)(u << shift) >> shift);
	}
	if (size == 1)
		f = fmt_is_signed(f) ? 'V' : 'B';
	v = acid_int((int64_t)u, f);
	v.ctype = t;
	return v;
}

/* Value of the object of type t at addr (see lang.h). */
struct acid_value acid_type_load(struct acid *a, struct acid_type *t, uint64_t addr, char space)
{
	struct acid_type *s = acid_type_strip(t);
	struct acid_value v;

	if (!s || s->kind == AT_VOID)
		acid_error(a, "cannot read an object of type void");
	switch (s->kind) {
	case AT_STRUCT:
	case AT_UNION:
	case AT_ARRAY:
		v = acid_none();
		v.kind = AV_AGG;
		v.type = t;
		v.i = (int64_t)addr;
		v.space = space;
		v.fmt = 'A';
		return v;
	case AT_PTR:
		v = acid_int((int64_t)acid_read_uint(a, addr, 8, space), 'A');
		v.type = s->target;
		v.ctype = t;
		return v;
	case AT_FUNC:
		v = acid_int((int64_t)addr, 'a');
		v.type = t;
		return v;
	default:
		return load_scalar(a, t, s, addr, space);
	}
}

static struct acid_member *find_member(struct acid_type *s, const char *name, uint64_t *off)
{
	for (int i = 0; i < s->nmember; i++) {
		struct acid_member *m = &s->member[i];
		struct acid_type *ms = acid_type_strip(m->type);

		if (m->name && strcmp(m->name, name) == 0) {
			*off += m->off;
			return m;
		}
		/* Anonymous struct or union members lend their fields. */
		if (!m->name && ms && (ms->kind == AT_STRUCT || ms->kind == AT_UNION)) {
			uint64_t sub = *off + m->off;
			struct acid_member *r = find_member(ms, name, &sub);

			if (r) {
				*off = sub;
				return r;
			}
		}
	}
	return NULL;
}

static struct acid_value load_bitfield(struct acid *a, struct acid_member *m,
                                       uint64_t addr, char space)
{
	int first = m->bitoff / 8;
	int nbytes = (m->bitoff % 8 + m->bitsize + 7) / 8;
	uint64_t raw = acid_read_uint(a, addr + first, nbytes > 8 ? 8 : nbytes, space);
	uint64_t val = raw >> (m->bitoff % 8);
	char f = acid_type_fmt(m->type);
	struct acid_value v;

	if (m->bitsize < 64)
		val &= (1ULL << m->bitsize) - 1;
	if (fmt_is_signed(f) && m->bitsize < 64 && (val >> (m->bitsize - 1)) & 1)
		val |= ~0ULL << m->bitsize;
	v = acid_int((int64_t)val, fmt_is_signed(f) ? 'V' : 'Z');
	v.ctype = m->type;
	return v;
}

/* Member name of the object v (AV_AGG, or an address with a struct type). */
struct acid_value acid_member(struct acid *a, struct acid_value v, const char *name)
{
	struct acid_type *s;
	struct acid_member *m;
	uint64_t addr, off = 0;
	char space = v.kind == AV_AGG && v.space ? v.space : '*';

	if ((v.kind != AV_AGG && v.kind != AV_INT) || !v.type)
		acid_error(a, "member %s of a %s with no C type", name, acid_kind_name(v.kind));
	s = acid_type_strip(v.type);
	addr = (uint64_t)v.i;
	/* An address of a pointer: follow it once, as C's -> would. */
	if (s && s->kind == AT_PTR) {
		addr = acid_read_uint(a, addr, 8, space);
		s = acid_type_strip(s->target);
	}
	if (!s || (s->kind != AT_STRUCT && s->kind != AT_UNION))
		acid_error(a, "member %s of something that is not a struct or union", name);
	m = find_member(s, name, &off);
	if (!m)
		acid_error(a, "%s %s has no member %s", s->kind == AT_UNION ? "union" : "struct",
		           s->name ? s->name : "(anonymous)", name);
	if (!m->type)
		return acid_fmt_read(a, addr + off, m->fmt, space);
	if (m->bitsize)
		return load_bitfield(a, m, addr + off, space);
	return acid_type_load(a, m->type, addr + off, space);
}

/* The acid-defined type name, else the host's (DWARF) one; NULL if none. */
struct acid_type *acid_type_find(struct acid *a, const char *name)
{
	const struct acid_host *h = acid_host(a);

	for (struct acid_typedef *d = a->types; d; d = d->next)
		if (strcmp(d->type->name, name) == 0)
			return d->type;
	if (h->type_named)
		return h->type_named(h->ctx, name);
	return NULL;
}

/* Adds (or replaces) an acid-defined type, found by its name. */
void acid_type_define(struct acid *a, struct acid_type *t)
{
	struct acid_typedef *d;

	for (d = a->types; d; d = d->next) {
		if (strcmp(d->type->name, t->name) == 0) {
			d->type = t;
			return;
		}
	}
	d = acid_alloc(sizeof *d);
	d->type = t;
	d->next = a->types;
	a->types = d;
}

static char *cat3(const char *x, const char *y, const char *z)
{
	size_t n = strlen(x) + strlen(y) + strlen(z) + 1;
	char *s = acid_alloc(n);

	snprintf(s, n, "%s%s%s", x, y, z);
	return s;
}

static const char *type_tag(struct acid_type *t)
{
	switch (t->kind) {
	case AT_STRUCT: return "struct ";
	case AT_UNION: return "union ";
	case AT_ENUM: return "enum ";
	default: return "";
	}
}

/* C spelling of t around name: acid_type_decl(ptr to node, "p") is
 * "struct node *p". */
char *acid_type_decl(struct acid_type *t, const char *name)
{
	const char *sp = *name ? " " : "";
	char buf[32];

	if (!t)
		return cat3("void", sp, name);
	switch (t->kind) {
	case AT_PTR: {
		struct acid_type *s = t->target;
		int paren = s && (s->kind == AT_ARRAY || s->kind == AT_FUNC);

		return acid_type_decl(s, paren ? cat3("(*", name, ")") : cat3("*", name, ""));
	}
	case AT_ARRAY:
		snprintf(buf, sizeof buf, "[%llu]", (unsigned long long)t->count);
		return acid_type_decl(t->target, cat3(name, t->count ? buf : "[]", ""));
	case AT_FUNC:
		return acid_type_decl(t->target, cat3(name, "()", ""));
	case AT_QUAL:
		return cat3(t->name, " ", acid_type_decl(t->target, name));
	default: {
		char *base = cat3(type_tag(t), t->name ? t->name : "(anonymous)", "");

		return cat3(base, sp, name);
	}
	}
}

/* Writes the C definition of t (struct, union, enum, typedef, base). */
void acid_type_print_def(struct acid *a, FILE *f, struct acid_type *t)
{
	(void)a;
	if (t->kind == AT_TYPEDEF) {
		fprintf(f, "typedef %s;\n", acid_type_decl(t->target, t->name));
		return;
	}
	if (t->kind == AT_ENUM) {
		fprintf(f, "enum %s {", t->name ? t->name : "");
		for (int i = 0; i < t->nenum; i++)
			fprintf(f, "%s%s = %lld", i ? ", " : " ", t->enumerator[i].name,
			        (long long)t->enumerator[i].value);
		fprintf(f, " };\n");
		return;
	}
	if (t->kind != AT_STRUCT && t->kind != AT_UNION) {
		fprintf(f, "%s; // %llu bytes\n", acid_type_decl(t, ""), (unsigned long long)t->size);
		return;
	}
	fprintf(f, "%s%s { // %llu bytes\n", type_tag(t), t->name ? t->name : "",
	        (unsigned long long)t->size);
	for (int i = 0; i < t->nmember; i++) {
		struct acid_member *m = &t->member[i];
		const char *mn = m->name ? m->name : "";

		if (m->type)
			fprintf(f, "\t%s", acid_type_decl(m->type, mn));
		else
			fprintf(f, "\t'%c' %s", m->fmt, mn);
		if (m->bitsize)
			fprintf(f, " : %d", m->bitsize);
		fprintf(f, "; // offset %llu\n", (unsigned long long)m->off);
	}
	fprintf(f, "};\n");
}
