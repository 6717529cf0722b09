/*
 * format.c: format letters and reading/writing memory with them.
 *
 * A format letter (after db(1) and acid, sized for x86_64) decides both how a
 * value prints and how many bytes `*` (process memory) and `@` (program
 * file) read. The table is the single definition; print.c uses its style.
 */
#include <string.h>

#include "internal.h"

struct acid_fmtdef {
	char letter;
	int size;       /* bytes; 0: NUL-terminated string */
	int is_signed;
	int is_float;
	const char *what;
};

static const struct acid_fmtdef acid_fmts[] = {
	{ 'b', 1, 0, 0, "hex byte" },
	{ 'B', 1, 0, 0, "decimal byte" },
	{ 'c', 1, 0, 0, "character" },
	{ 'C', 1, 0, 0, "character, escaped" },
	{ 'd', 2, 1, 0, "signed decimal, 2 bytes" },
	{ 'u', 2, 0, 0, "unsigned decimal, 2 bytes" },
	{ 'x', 2, 0, 0, "hex, 2 bytes" },
	{ 'o', 2, 0, 0, "octal, 2 bytes" },
	{ 'q', 2, 1, 0, "signed octal, 2 bytes" },
	{ 'r', 2, 0, 0, "rune" },
	{ 'D', 4, 1, 0, "signed decimal, 4 bytes" },
	{ 'U', 4, 0, 0, "unsigned decimal, 4 bytes" },
	{ 'X', 4, 0, 0, "hex, 4 bytes" },
	{ 'O', 4, 0, 0, "octal, 4 bytes" },
	{ 'Q', 4, 1, 0, "signed octal, 4 bytes" },
	{ 'f', 4, 1, 1, "float" },
	{ 'F', 8, 1, 1, "double" },
	{ 'g', 4, 1, 1, "float, shortest" },
	{ 'G', 8, 1, 1, "double, shortest" },
	{ 'V', 8, 1, 0, "signed decimal, 8 bytes" },
	{ 'Z', 8, 0, 0, "unsigned decimal, 8 bytes" },
	{ 'Y', 8, 0, 0, "hex, 8 bytes" },
	{ 'W', 8, 0, 0, "hex, 8 bytes" },
	{ 'a', 8, 0, 0, "address, symbolic" },
	{ 'A', 8, 0, 0, "address, hex" },
	{ 'i', 1, 0, 0, "instruction byte" },
	{ 's', 0, 0, 0, "string" },
	{ 'R', 0, 0, 0, "string" },
};

static const struct acid_fmtdef *fmt_find(char f)
{
	for (size_t i = 0; i < sizeof acid_fmts / sizeof acid_fmts[0]; i++)
		if (acid_fmts[i].letter == f)
			return &acid_fmts[i];
	return NULL;
}

/* 1 if f is a known format letter. */
int acid_fmt_valid(char f)
{
	return fmt_find(f) != NULL;
}

/* Bytes `*` reads with format f; 0 for strings, 8 for unknown letters. */
int acid_fmt_size(char f)
{
	const struct acid_fmtdef *d = fmt_find(f);

	return d ? d->size : 8;
}

static void read_raw(struct acid *a, uint64_t addr, void *buf, size_t n, char space)
{
	const struct acid_host *h = acid_host(a);
	char err[256] = "no program";
	int r = -1;

	if (space == '@' && h->read_file)
		r = h->read_file(h->ctx, addr, buf, n, err, sizeof err);
	else if (space != '@' && h->read_mem)
		r = h->read_mem(h->ctx, addr, buf, n, err, sizeof err);
	if (r < 0)
		acid_error(a, "%s0x%llx: %s", space == '@' ? "@" : "*",
		           (unsigned long long)addr, err);
}

/* Reads size (1..8) bytes at addr, little-endian, zero-extended. */
uint64_t acid_read_uint(struct acid *a, uint64_t addr, int size, char space)
{
	unsigned char b[8] = { 0 };
	uint64_t v = 0;

	read_raw(a, addr, b, size, space);
	for (int i = size - 1; i >= 0; i--)
		v = v << 8 | b[i];
	return v;
}

/* Reads a NUL-terminated string of at most max bytes; stops at unreadable
 * memory after the first byte. */
struct acid_value acid_read_cstr(struct acid *a, uint64_t addr, size_t max, char space)
{
	char buf[4096];
	size_t n = 0;

	if (max > sizeof buf)
		max = sizeof buf;
	/* Read in small chunks so a string near the end of a mapping works. */
	while (n < max) {
		size_t chunk = 64 - ((addr + n) & 63);
		char *nul;

		if (chunk > max - n)
			chunk = max - n;
		if (n > 0) {
			const struct acid_host *h = acid_host(a);
			char err[64];
			int r = space == '@' ? h->read_file(h->ctx, addr + n, buf + n, chunk, err, sizeof err)
			                     : h->read_mem(h->ctx, addr + n, buf + n, chunk, err, sizeof err);
			if (r < 0)
				break;
		} else {
			read_raw(a, addr, buf, chunk, space);
		}
		nul = memchr(buf + n, '\0', chunk);
		if (nul)
			return acid_str(buf, nul - buf);
		n += chunk;
	}
	return acid_str(buf, n);
}

/* Reads one value of format f at addr ('*' process memory, '@' file). */
struct acid_value acid_fmt_read(struct acid *a, uint64_t addr, char f, char space)
{
	const struct acid_fmtdef *d = fmt_find(f);
	struct acid_value v;
	uint64_t u;

	if (!d)
		acid_error(a, "bad format '%c'", f);
	if (d->size == 0)
		return acid_read_cstr(a, addr, 4096, space);
	u = acid_read_uint(a, addr, d->size, space);
	if (d->is_float) {
		if (d->size == 4) {
			float fl;
			uint32_t w = (uint32_t)u;

			memcpy(&fl, &w, 4);
			v = acid_float(fl);
		} else {
			double db;

			memcpy(&db, &u, 8);
			v = acid_float(db);
		}
		v.fmt = f;
		return v;
	}
	if (d->is_signed && d->size < 8) {
		int shift = 64 - 8 * d->size;

		u = (uint64_t)((int64_t)(u << shift) >> shift);
	}
	return acid_int((int64_t)u, f);
}

/* Writes v at addr with the size of format f, in process memory. */
void acid_fmt_write(struct acid *a, uint64_t addr, char f, struct acid_value v)
{
	const struct acid_host *h = acid_host(a);
	const struct acid_fmtdef *d = fmt_find(f);
	unsigned char b[8];
	char err[256] = "no program";
	int size = d ? d->size : 8;
	uint64_t u;

	if (v.kind == AV_STR) {
		if (!h->write_mem || h->write_mem(h->ctx, addr, v.s->s, v.s->len + 1, err, sizeof err) < 0)
			acid_error(a, "*0x%llx: %s", (unsigned long long)addr, err);
		return;
	}
	if (size == 0)
		acid_error(a, "cannot write a %s through format '%c'", acid_kind_name(v.kind), f);
	if (d && d->is_float) {
		if (size == 4) {
			float fl = v.kind == AV_FLOAT ? (float)v.f : (float)acid_need_int(a, v, "store");

			memcpy(b, &fl, 4);
		} else {
			double db = v.kind == AV_FLOAT ? v.f : (double)acid_need_int(a, v, "store");

			memcpy(b, &db, 8);
		}
	} else {
		u = (uint64_t)acid_need_int(a, v, "store");
		for (int i = 0; i < size; i++)
			b[i] = (unsigned char)(u >> (8 * i));
	}
	if (!h->write_mem || h->write_mem(h->ctx, addr, b, size, err, sizeof err) < 0)
		acid_error(a, "*0x%llx: %s", (unsigned long long)addr, err);
}
