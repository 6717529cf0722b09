/*
 * elfsym.c: function symbols of an ELF64 image held in memory, for
 * stack(), ustack() and %a: "module`function+0xoffset". Every offset
 * and size read from the image is checked against its length first.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elfsym.h"
#include "internal.h"

struct sym {
	uint64_t addr, size;
	const char *name;
};

struct tr_symtab {
	char *module;
	char *names;		/* a copy of the string table */
	struct sym *syms;
	size_t n;
	uint64_t lo, hi;	/* the addresses the symbols cover */
};

enum { SHT_SYMTAB_ = 2, SHT_DYNSYM_ = 11, STT_NOTYPE_ = 0, STT_FUNC_ = 2, SHN_UNDEF_ = 0 };

static uint64_t rd(const unsigned char *p, int n)
{
	uint64_t v = 0;

	for (int i = n - 1; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static int in_image(uint64_t off, uint64_t size, size_t len)
{
	return off <= len && size <= len - off;
}

static int by_addr(const void *a, const void *b)
{
	const struct sym *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/* The section header of the first table of type want; NULL if none. */
static const unsigned char *find_section(const unsigned char *img, size_t len, int want)
{
	uint64_t shoff = rd(img + 0x28, 8), shentsize = rd(img + 0x3a, 2), shnum = rd(img + 0x3c, 2);

	if (shentsize != 64 || !in_image(shoff, shnum * 64, len))
		return NULL;
	for (uint64_t i = 0; i < shnum; i++) {
		const unsigned char *sh = img + shoff + i * 64;

		if (rd(sh + 4, 4) == (uint64_t)want)
			return sh;
	}
	return NULL;
}

static int read_symbols(struct tr_symtab *t, const unsigned char *img, size_t len,
			const unsigned char *sh, char *err, size_t errlen)
{
	uint64_t shoff = rd(img + 0x28, 8), shnum = rd(img + 0x3c, 2);
	uint64_t off = rd(sh + 0x18, 8), size = rd(sh + 0x20, 8), link = rd(sh + 0x28, 4);
	const unsigned char *strsh;
	uint64_t stroff, strsize;

	if (link >= shnum || !in_image(off, size, len)) {
		snprintf(err, errlen, "symbol table outside the file");
		return -1;
	}
	strsh = img + shoff + link * 64;
	stroff = rd(strsh + 0x18, 8);
	strsize = rd(strsh + 0x20, 8);
	if (!in_image(stroff, strsize, len) || strsize == 0) {
		snprintf(err, errlen, "string table outside the file");
		return -1;
	}
	t->names = tr_xalloc(strsize + 1);	/* + a NUL: the last name is terminated */
	memcpy(t->names, img + stroff, strsize);
	t->syms = tr_xalloc(sizeof *t->syms * (size / 24 + 1));
	for (uint64_t i = 0; i + 24 <= size; i += 24) {
		const unsigned char *s = img + off + i;
		uint64_t name = rd(s, 4), value = rd(s + 8, 8), ssize = rd(s + 16, 8);
		int type = s[4] & 0xf, shndx = (int)rd(s + 6, 2);

		if ((type != STT_FUNC_ && type != STT_NOTYPE_) || shndx == SHN_UNDEF_ || !value ||
		    name == 0 || name >= strsize)
			continue;
		t->syms[t->n++] = (struct sym){ value, ssize, t->names + name };
	}
	qsort(t->syms, t->n, sizeof *t->syms, by_addr);
	t->lo = t->n ? t->syms[0].addr : 0;
	for (size_t i = 0; i < t->n; i++) {
		uint64_t end = t->syms[i].addr + (t->syms[i].size ? t->syms[i].size : 1);

		t->hi = end > t->hi ? end : t->hi;
	}
	return 0;
}

struct tr_symtab *tr_symtab_from_elf(const void *image, size_t len, const char *module, char *err,
				     size_t errlen)
{
	const unsigned char *img = image, *sh;
	struct tr_symtab *t;

	if (len < 64 || memcmp(img, "\177ELF", 4)) {
		snprintf(err, errlen, "not an ELF file");
		return NULL;
	}
	if (img[4] != 2 || img[5] != 1) {
		snprintf(err, errlen, "not a little-endian 64-bit ELF file");
		return NULL;
	}
	sh = find_section(img, len, SHT_SYMTAB_);
	if (!sh)
		sh = find_section(img, len, SHT_DYNSYM_);
	if (!sh) {
		snprintf(err, errlen, "no symbol table (stripped?)");
		return NULL;
	}
	t = tr_xalloc(sizeof *t);
	t->module = tr_strdup(module);
	if (read_symbols(t, img, len, sh, err, errlen) < 0) {
		tr_symtab_free(t);
		return NULL;
	}
	return t;
}

int tr_symtab_lookup(const struct tr_symtab *t, uint64_t pc, char *buf, size_t len)
{
	size_t lo = 0, hi = t->n;
	const struct sym *s;

	if (!t->n || pc < t->lo || pc >= t->hi)
		return TR_ENOENT;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (t->syms[mid].addr <= pc)
			lo = mid;
		else
			hi = mid;
	}
	s = &t->syms[lo];
	if (s->size && pc >= s->addr + s->size)
		snprintf(buf, len, "%s`0x%llx", t->module, (unsigned long long)pc);
	else if (pc == s->addr)
		snprintf(buf, len, "%s`%s", t->module, s->name);
	else
		snprintf(buf, len, "%s`%s+0x%llx", t->module, s->name,
			 (unsigned long long)(pc - s->addr));
	return TR_OK;
}

void tr_symtab_free(struct tr_symtab *t)
{
	if (!t)
		return;
	free(t->module);
	free(t->names);
	free(t->syms);
	free(t);
}
