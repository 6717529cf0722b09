/*
 * out.c: the session's output: a buffer the back end's write() drains,
 * printf conversions as D defines them (%S escapes, %a symbolises, %p is
 * 0x-prefixed) and stacks printed the way DTrace prints them.
 */
#include <stdio.h>
#include <string.h>

#include "runtime.h"

void tr_flush(struct tr_session *s)
{
	if (s->outlen && s->be.write)
		s->be.write(s->be.ctx, s->out, s->outlen);
	s->outlen = 0;
}

void tr_out(struct tr_session *s, const char *p, size_t n)
{
	while (n) {
		size_t room = sizeof s->out - s->outlen, k = n < room ? n : room;

		memcpy(s->out + s->outlen, p, k);
		s->outlen += k;
		p += k;
		n -= k;
		if (s->outlen == sizeof s->out)
			tr_flush(s);
	}
}

static void out_sink(void *s, const char *p, size_t n)
{
	tr_out(s, p, n);
}

void tr_outf(struct tr_session *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tr_vwritef(out_sink, s, fmt, ap);
	va_end(ap);
}

void tr_out_symbol(struct tr_session *s, int user, int64_t pid, uint64_t pc, char *buf, size_t len)
{
	if (!s->be.symbol || s->be.symbol(s->be.ctx, user, pid, pc, buf, len) != TR_OK)
		snprintf(buf, len, "0x%llx", (unsigned long long)pc);
}

/* %S: the string with C escapes for what does not print. */
static void escape(const char *in, char *out, size_t len)
{
	size_t o = 0;

	for (; *in && o + 5 < len; in++) {
		unsigned char c = (unsigned char)*in;
		const char *e = c == '\n' ? "\\n" : c == '\t' ? "\\t" : c == '\r' ? "\\r" :
				c == '\\' ? "\\\\" : c == '"' ? "\\\"" : NULL;

		if (e) {
			memcpy(out + o, e, 2);
			o += 2;
		} else if (c < 0x20 || c >= 0x7f) {
			o += (size_t)snprintf(out + o, len - o, "\\%03o", c);
		} else {
			out[o++] = (char)c;
		}
	}
	out[o] = '\0';
}

/* The format text is the program's, checked by the verifier: one
 * conversion, of the type the value has. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
void tr_out_conv(struct tr_session *s, const struct tr_conv *c, union tr_slot v, int64_t pid)
{
	char buf[4 * TR_STRSIZE + 64], tmp[4 * TR_STRSIZE + 8];
	char conv = c->conv == '@' ? c->agg_conv : c->conv;
	int n;

	switch (conv) {
	case 's':
		n = snprintf(buf, sizeof buf, c->text, v.s);
		break;
	case 'S':
		escape(v.s, tmp, sizeof tmp);
		n = snprintf(buf, sizeof buf, c->text, tmp);
		break;
	case 'a':
		tr_out_symbol(s, 0, pid, (uint64_t)v.i, tmp, sizeof tmp);
		n = snprintf(buf, sizeof buf, c->text, tmp);
		break;
	case 'p':
		snprintf(tmp, sizeof tmp, "0x%llx", (unsigned long long)v.i);
		n = snprintf(buf, sizeof buf, c->text, tmp);
		break;
	case 'c':
		n = snprintf(buf, sizeof buf, c->text, (int)(unsigned char)v.i);
		break;
	default:
		n = snprintf(buf, sizeof buf, c->text, (long long)v.i);
		break;
	}
	if (n > 0)
		tr_out(s, buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
}
#pragma GCC diagnostic pop

/* DTrace's layout: a blank line, then one frame a line, indented 14. */
void tr_out_stack(struct tr_session *s, const struct tr_stack *k)
{
	char sym[512];

	tr_out(s, "\n", 1);
	for (int i = 0; i < k->n; i++) {
		tr_out_symbol(s, k->user, k->pid, k->pc[i], sym, sizeof sym);
		tr_outf(s, "%14s%s\n", "", sym);
	}
}
