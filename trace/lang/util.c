/*
 * util.c: allocation, growable tables, bounded string buffers and format
 * parsing, shared by the compiler, the assembler and the VM.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

void *tr_xalloc(size_t n)
{
	void *p = calloc(1, n ? n : 1);

	if (!p) {
		fputs("trace: out of memory\n", stderr);
		exit(2);
	}
	return p;
}

void *tr_grow(void *array, uint32_t count, size_t size)
{
	/* Capacity is 4, then doubles at each power of two: count alone says
	 * when the table is full. */
	if (count != 0 && (count < 4 || (count & (count - 1))))
		return array;
	array = realloc(array, (count ? 2 * (size_t)count : 4) * size);
	if (!array) {
		fputs("trace: out of memory\n", stderr);
		exit(2);
	}
	return array;
}

char *tr_strndup(const char *s, size_t n)
{
	char *d = tr_xalloc(n + 1);

	memcpy(d, s, n);
	return d;
}

char *tr_strdup(const char *s)
{
	return tr_strndup(s, strlen(s));
}

void tr_vwritef(void (*write)(void *, const char *, size_t), void *ctx, const char *fmt, va_list ap)
{
	char buf[1024];
	int n = vsnprintf(buf, sizeof buf, fmt, ap);

	if (n > 0)
		write(ctx, buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
}

void tr_bprintf(struct tr_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->len >= b->cap)
		return;
	va_start(ap, fmt);
	n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		b->len = b->len + (size_t)n < b->cap ? b->len + (size_t)n : b->cap - 1;
}

void tr_bputs(struct tr_buf *b, const char *s)
{
	tr_bprintf(b, "%s", s);
}

const char *tr_type_name(int type)
{
	switch (type) {
	case TR_T_INT:
		return "int";
	case TR_T_STR:
		return "string";
	case TR_T_STACK:
		return "stack";
	default:
		return "void";
	}
}

static void add_piece(struct tr_fmt *f, const char *text, size_t n, char conv)
{
	struct tr_conv *c;

	TR_GROW(f->conv, (uint32_t)f->nconv);
	c = &f->conv[f->nconv++];
	memset(c, 0, sizeof *c);
	c->text = tr_strndup(text, n);
	c->conv = conv;
	c->width = -1;
}

/* One conversion at s (just past the '%'): flags, width, precision, length,
 * conversion. Fills c's conversion fields; returns its length, or 0. */
static size_t parse_conv(const char *s, struct tr_conv *c, int for_printa, char *why, size_t whylen)
{
	const char *p = s;
	int at = 0;

	if (*p == '@' && for_printa)
		at = 1, p++;
	p += strspn(p, "-+ #0");
	c->flags_minus = memchr(s, '-', (size_t)(p - s)) != NULL;
	if (*p >= '0' && *p <= '9')
		c->width = atoi(p);
	p += strspn(p, "0123456789");
	if (*p == '.') {
		p++;
		p += strspn(p, "0123456789");
	}
	if (*p == '@' && for_printa && !at)
		at = 1, p++;
	p += strspn(p, "hlLzjt");
	if (!*p) {
		snprintf(why, whylen, "format ends inside a conversion");
		return 0;
	}
	if (!strchr("diuxXocsSpa", *p)) {
		snprintf(why, whylen, "unknown conversion %%%c", *p);
		return 0;
	}
	if (at) {
		c->conv = '@';
		c->agg_conv = *p;
		c->type = TR_T_NONE;
		if (strchr("sSca", *p)) {
			snprintf(why, whylen, "%%@%c: an aggregation value is a number", *p);
			return 0;
		}
	} else {
		c->conv = *p;
		c->type = strchr("sS", *p) ? TR_T_STR : TR_T_INT;
	}
	return (size_t)(p - s) + 1;
}

/* The C conversion a tr_conv prints with: its flags, width and precision,
 * the length modifier "ll" for integers, the '@' removed. */
static char *c_format(const char *s, size_t n, char conv)
{
	char out[64];
	size_t o = 0;

	out[o++] = '%';
	for (size_t i = 0; i < n - 1 && o < sizeof out - 4; i++) {
		if (s[i] == '@' || strchr("hlLzjt", s[i]))
			continue;
		out[o++] = s[i];
	}
	if (strchr("diuxXoc", conv) && conv != 'c') {
		out[o++] = 'l';
		out[o++] = 'l';
	}
	/* %S, %a and %p are strings the engine makes, then pads like %s. */
	if (conv == 'S' || conv == 'a' || conv == 'p')
		conv = 's';
	out[o++] = conv;
	return tr_strndup(out, o);
}

int tr_fmt_parse(struct tr_fmt *f, const char *src, int for_printa, char *why, size_t whylen)
{
	const char *p = src, *lit = src;

	memset(f, 0, sizeof *f);
	f->src = tr_strdup(src);
	while (*p) {
		struct tr_conv c = { .width = -1 };
		size_t n;

		if (*p != '%') {
			p++;
			continue;
		}
		if (p[1] == '%') {
			add_piece(f, lit, (size_t)(p - lit) + 1, 0);
			p += 2;
			lit = p;
			continue;
		}
		if (p > lit)
			add_piece(f, lit, (size_t)(p - lit), 0);
		n = parse_conv(p + 1, &c, for_printa, why, whylen);
		if (!n) {
			tr_fmt_free(f);
			return -1;
		}
		add_piece(f, "", 0, c.conv);
		free(f->conv[f->nconv - 1].text);
		c.text = c_format(p + 1, n, c.conv == '@' ? c.agg_conv : c.conv);
		f->conv[f->nconv - 1] = c;
		p += 1 + n;
		lit = p;
	}
	if (p > lit)
		add_piece(f, lit, (size_t)(p - lit), 0);
	return 0;
}

void tr_fmt_free(struct tr_fmt *f)
{
	for (int i = 0; i < f->nconv; i++)
		free(f->conv[i].text);
	free(f->conv);
	free(f->src);
	memset(f, 0, sizeof *f);
}
