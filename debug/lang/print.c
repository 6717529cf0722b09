/*
 * print.c: turning values into text.
 *
 * Scalars print as their format letter says; lists as {a, b}; objects
 * with a C type (AV_AGG) print like a C initializer, reading members from
 * memory through the host: {val = 1, name = 0x4006f4 "one", next = 0x0}.
 * acid_sprintf is the printf-like formatter behind printf() and sprintf().
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define ACID_PRINT_MAX_ELEMS 200

static void print_obj(struct acid *a, FILE *f, struct acid_type *t, uint64_t addr, char space);

static void print_char(FILE *f, int c)
{
	c &= 0xff;
	if (c == '\'' || c == '\\')
		fprintf(f, "\\%c", c);
	else if (isprint(c))
		fputc(c, f);
	else if (c == '\n')
		fputs("\\n", f);
	else if (c == '\t')
		fputs("\\t", f);
	else if (c == 0)
		fputs("\\0", f);
	else
		fprintf(f, "\\x%02x", c);
}

static void print_quoted(FILE *f, const char *s, size_t n)
{
	fputc('"', f);
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"')
			fputs("\\\"", f);
		else if (s[i] == '\'')
			fputc('\'', f);
		else
			print_char(f, s[i]);
	}
	fputc('"', f);
}

static void print_utf8(FILE *f, uint32_t r)
{
	if (r < 0x80) {
		fputc(r, f);
	} else if (r < 0x800) {
		fputc(0xc0 | r >> 6, f);
		fputc(0x80 | (r & 0x3f), f);
	} else {
		fputc(0xe0 | r >> 12, f);
		fputc(0x80 | ((r >> 6) & 0x3f), f);
		fputc(0x80 | (r & 0x3f), f);
	}
}

/* Masks u to the format's size so a negative number shows as, e.g., 4 bytes. */
static uint64_t fmt_mask(uint64_t u, char fmt)
{
	int size = acid_fmt_size(fmt);

	return size > 0 && size < 8 ? u & ((1ULL << (8 * size)) - 1) : u;
}

static void print_addr(struct acid *a, FILE *f, uint64_t u)
{
	const struct acid_host *h = acid_host(a);
	char name[256];

	if (h->addr_name && h->addr_name(h->ctx, u, name, sizeof name) == 0)
		fputs(name, f);
	else
		fprintf(f, "0x%llx", (unsigned long long)u);
}

static void print_enum(FILE *f, struct acid_type *t, int64_t v)
{
	for (int i = 0; i < t->nenum; i++) {
		if (t->enumerator[i].value == v) {
			fputs(t->enumerator[i].name, f);
			return;
		}
	}
	fprintf(f, "%lld", (long long)v);
}

/* A pointer value: hex, plus the string it points to for char pointers. */
static void print_pointer(struct acid *a, FILE *f, struct acid_value v)
{
	struct acid_type *t = acid_type_strip(v.type);
	const struct acid_host *h = acid_host(a);

	fprintf(f, "0x%llx", (unsigned long long)v.i);
	if (v.i != 0 && t && t->kind == AT_BASE && t->size == 1 && h->read_mem) {
		char buf[256], err[64];
		size_t n = 0;

		/* Byte by byte: the string may end just before unmapped memory. */
		while (n < sizeof buf - 1 &&
		       h->read_mem(h->ctx, v.i + n, &buf[n], 1, err, sizeof err) == 0 && buf[n])
			n++;
		fputc(' ', f);
		print_quoted(f, buf, n);
		if (n == sizeof buf - 1)
			fputs("...", f);
	} else if (t && t->kind == AT_FUNC && v.i != 0) {
		fputs(" <", f);
		print_addr(a, f, v.i);
		fputc('>', f);
	}
}

static void print_int(struct acid *a, FILE *f, struct acid_value v)
{
	uint64_t u = (uint64_t)v.i;
	struct acid_type *ct = acid_type_strip(v.ctype);

	if (ct && ct->kind == AT_ENUM) {
		print_enum(f, ct, v.i);
		return;
	}
	if (v.type && (v.fmt == 'A' || v.fmt == 'Y' || v.fmt == 'X')) {
		print_pointer(a, f, v);
		return;
	}
	switch (v.fmt) {
	case 'b': fprintf(f, "0x%02llx", (unsigned long long)fmt_mask(u, 'b')); break;
	case 'x': fprintf(f, "0x%04llx", (unsigned long long)fmt_mask(u, 'x')); break;
	case 'X': fprintf(f, "0x%08llx", (unsigned long long)u); break;
	case 'Y': case 'W': fprintf(f, "0x%016llx", (unsigned long long)u); break;
	case 'A': case 'i': fprintf(f, "0x%llx", (unsigned long long)u); break;
	case 'a': print_addr(a, f, u); break;
	case 'B': case 'u': case 'U': case 'Z':
		fprintf(f, "%llu", (unsigned long long)fmt_mask(u, v.fmt));
		break;
	case 'o': case 'O': fprintf(f, "0%llo", (unsigned long long)fmt_mask(u, v.fmt)); break;
	case 'q': case 'Q': fprintf(f, "%s0%llo", v.i < 0 ? "-" : "",
	                            (unsigned long long)(v.i < 0 ? -v.i : v.i)); break;
	case 'c': fputc((int)(u & 0xff), f); break;
	case 'C': print_char(f, (int)u); break;
	case 'r': print_utf8(f, (uint32_t)u); break;
	case 'f': case 'F': case 'g': case 'G': fprintf(f, "%g", (double)v.i); break;
	default: fprintf(f, "%lld", (long long)v.i); break;
	}
}

static void print_list(struct acid *a, FILE *f, struct acid_value v)
{
	fputc('{', f);
	for (int i = 0; i < v.l->n; i++) {
		struct acid_value e = v.l->v[i];

		if (i)
			fputs(", ", f);
		if (e.kind == AV_STR)
			print_quoted(f, e.s->s, e.s->len);
		else
			acid_print_value(a, f, e);
	}
	fputc('}', f);
}

/* Writes v to f as its format says. */
void acid_print_value(struct acid *a, FILE *f, struct acid_value v)
{
	switch (v.kind) {
	case AV_NONE:
		break;
	case AV_INT:
		print_int(a, f, v);
		break;
	case AV_FLOAT:
		fprintf(f, v.fmt == 'F' || v.fmt == 'G' ? "%.15g" : "%g", v.f);
		break;
	case AV_STR:
		fwrite(v.s->s, 1, v.s->len, f);
		break;
	case AV_LIST:
		print_list(a, f, v);
		break;
	case AV_AGG:
		print_obj(a, f, v.type, (uint64_t)v.i, v.space ? v.space : '*');
		break;
	case AV_REG: {
		const struct acid_host *h = acid_host(a);
		char err[128];
		uint64_t r;

		if (!h->get_reg || h->get_reg(h->ctx, (int)v.i, &r, err, sizeof err) < 0)
			acid_error(a, "register: %s", h->get_reg ? err : "no program");
		fprintf(f, "0x%016llx", (unsigned long long)r);
		break;
	}
	}
}

static void print_scalar(struct acid *a, FILE *f, struct acid_value v)
{
	struct acid_type *ct = acid_type_strip(v.ctype);

	if (v.kind == AV_INT && ct && ct->kind == AT_BASE && ct->size == 1 && !v.type) {
		fprintf(f, "%lld '", (long long)v.i);
		print_char(f, (int)v.i);
		fputc('\'', f);
		return;
	}
	acid_print_value(a, f, v);
}

static void print_array(struct acid *a, FILE *f, struct acid_type *t, uint64_t addr, char space)
{
	struct acid_type *et = acid_type_strip(t->target);
	uint64_t esize = et ? et->size : 0;
	uint64_t n = t->count;

	if (et && et->kind == AT_BASE && esize == 1) {
		struct acid_value s = acid_read_cstr(a, addr, n ? n : 256, space);

		print_quoted(f, s.s->s, s.s->len);
		return;
	}
	fputc('{', f);
	for (uint64_t i = 0; i < n && esize; i++) {
		if (i)
			fputs(", ", f);
		if (i == ACID_PRINT_MAX_ELEMS) {
			fputs("...", f);
			break;
		}
		print_obj(a, f, t->target, addr + i * esize, space);
	}
	fputc('}', f);
}

/* Prints the object of type t at addr in C initializer syntax. */
static void print_obj(struct acid *a, FILE *f, struct acid_type *t, uint64_t addr, char space)
{
	struct acid_type *s = acid_type_strip(t);

	if (!s) {
		fprintf(f, "0x%llx", (unsigned long long)addr);
		return;
	}
	if (s->kind == AT_ARRAY) {
		print_array(a, f, s, addr, space);
		return;
	}
	if (s->kind != AT_STRUCT && s->kind != AT_UNION) {
		print_scalar(a, f, acid_type_load(a, t, addr, space));
		return;
	}
	fputc('{', f);
	for (int i = 0; i < s->nmember; i++) {
		struct acid_member *m = &s->member[i];
		struct acid_value agg = { .kind = AV_AGG, .type = t, .i = (int64_t)addr, .space = space };

		if (i)
			fputs(", ", f);
		if (m->name)
			fprintf(f, "%s = ", m->name);
		if (!m->name || !m->type || acid_type_strip(m->type)->kind == AT_STRUCT ||
		    acid_type_strip(m->type)->kind == AT_UNION || acid_type_strip(m->type)->kind == AT_ARRAY) {
			if (m->type)
				print_obj(a, f, m->type, addr + m->off, space);
			else
				acid_print_value(a, f, acid_fmt_read(a, addr + m->off, m->fmt, space));
		} else {
			print_scalar(a, f, acid_member(a, agg, m->name));
		}
	}
	fputc('}', f);
}

/* Formats v into a new string, as acid_print_value would print it. */
char *acid_value_string(struct acid *a, struct acid_value v)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		acid_error(a, "out of memory");
	acid_print_value(a, f, v);
	fclose(f);
	return buf;
}

/* Formats one printf conversion (spec is "%...c", NUL-terminated) of v. */
static void sprintf_one(struct acid *a, FILE *f, char *spec, char conv, struct acid_value v)
{
	switch (conv) {
	case 'd': case 'i': case 'u': case 'x': case 'X': case 'o': case 'c': {
		char full[64];

		snprintf(full, sizeof full, "%.*sll%c", (int)strlen(spec) - 1, spec, conv);
		fprintf(f, full, (long long)acid_need_int(a, v, "printf"));
		break;
	}
	case 'f': case 'g': case 'e':
		fprintf(f, spec, v.kind == AV_FLOAT ? v.f : (double)acid_need_int(a, v, "printf"));
		break;
	case 's': {
		char *s = v.kind == AV_STR ? v.s->s : acid_value_string(a, v);

		fprintf(f, spec, s);
		break;
	}
	case 'a':
		print_addr(a, f, (uint64_t)acid_need_int(a, v, "printf %a"));
		break;
	default:   /* %v: the value as print() would show it */
		acid_print_value(a, f, v);
		break;
	}
}

/* printf-like formatting of argv by fmt; errors on a bad or short list. */
char *acid_sprintf(struct acid *a, const char *fmt, int argc, struct acid_value *argv)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int arg = 0;

	for (const char *p = fmt; *p; p++) {
		char spec[32];
		size_t n = 0;

		if (*p != '%') {
			fputc(*p, f);
			continue;
		}
		if (p[1] == '%') {
			fputc('%', f);
			p++;
			continue;
		}
		spec[n++] = *p++;
		while (*p && strchr("-+ #0123456789.", *p) && n < sizeof spec - 2)
			spec[n++] = *p++;
		if (!*p || !strchr("diuxXocfgesav", *p)) {
			fclose(f);
			acid_error(a, "printf: bad conversion %%%c", *p ? *p : ' ');
		}
		spec[n++] = *p;
		spec[n] = '\0';
		if (arg >= argc) {
			fclose(f);
			acid_error(a, "printf: too few arguments");
		}
		sprintf_one(a, f, spec, *p, argv[arg++]);
	}
	fclose(f);
	return buf;
}
