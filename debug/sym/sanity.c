/*
 * sanity.c: structural checks of DWARF section headers before libdwarf
 * sees them. Debian 12's libdwarf (20210528) can double-free or overrun on
 * a corrupt unit header (found by our fuzzing, e.g. in .debug_rnglists), so
 * each unit chain is walked here first: lengths inside the section, known
 * versions, 8-byte addresses, offset tables that fit. Anything odd makes
 * sym_open refuse the file with a message instead of crashing later.
 */
#include <stdio.h>
#include <string.h>

#include "sym_impl.h"

struct sect {
	const uint8_t *p;
	uint64_t len;
};

static uint32_t rd32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static uint16_t rd16(const uint8_t *p) { uint16_t v; memcpy(&v, p, 2); return v; }

/* Walks units of a section; unit_check gets the unit body (after the length). */
static const char *walk_units(struct sect s, const char *(*unit_check)(const uint8_t *, uint64_t, void *), void *ctx)
{
	uint64_t off = 0;

	while (off < s.len) {
		if (s.len - off < 4)
			return "truncated unit length";
		uint32_t ul = rd32(s.p + off);
		if (ul == 0xffffffff)
			return "64-bit DWARF is not supported";
		if (ul >= 0xfffffff0 || ul > s.len - off - 4)
			return "unit length runs past the section";
		const char *why = unit_check(s.p + off + 4, ul, ctx);
		if (why)
			return why;
		off += 4 + (uint64_t)ul;
	}
	return NULL;
}

static const char *check_info(const uint8_t *u, uint64_t len, void *ctx)
{
	uint64_t abbrev_len = *(uint64_t *)ctx;

	if (len < 7)
		return "unit header too short";
	uint16_t ver = rd16(u);
	if (ver < 2 || ver > 5)
		return "unknown DWARF version";
	uint32_t abbrev;
	uint8_t asz;
	if (ver == 5) {
		if (len < 8)
			return "unit header too short";
		asz = u[3];
		abbrev = rd32(u + 4);
	} else {
		abbrev = rd32(u + 2);
		asz = u[6];
	}
	if (asz != 8)
		return "address size is not 8";
	if (abbrev >= abbrev_len)
		return "abbreviation offset outside .debug_abbrev";
	return NULL;
}

static const char *check_lists(const uint8_t *u, uint64_t len, void *ctx)
{
	(void)ctx;
	if (len < 8)
		return "list header too short";
	if (rd16(u) != 5)
		return "unknown list version";
	if (u[2] != 8 || u[3] != 0)
		return "bad address or segment size";
	if ((uint64_t)rd32(u + 4) * 4 > len - 8)
		return "offset table runs past the unit";
	return NULL;
}

static const char *check_line(const uint8_t *u, uint64_t len, void *ctx)
{
	(void)ctx;
	if (len < 2)
		return "line header too short";
	uint16_t ver = rd16(u);
	if (ver < 2 || ver > 5)
		return "unknown line table version";
	if (ver == 5 && (len < 4 || u[2] != 8 || u[3] != 0))
		return "bad address or segment size";
	return NULL;
}

static const char *check_aranges(const uint8_t *u, uint64_t len, void *ctx)
{
	(void)ctx;
	if (len < 8 || rd16(u) != 2 || u[6] != 8)
		return "bad address range header";
	return NULL;
}

static const char *check_offsets(const uint8_t *u, uint64_t len, void *ctx)
{
	(void)ctx;
	if (len < 4 || rd16(u) != 5)
		return "bad header";
	return NULL;
}

static struct sect find(Elf *elf, const uint8_t *image, size_t image_len, const char *name, int *compressed)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	size_t shstrndx;
	struct sect none = { NULL, 0 };

	if (elf_getshdrstrndx(elf, &shstrndx) != 0)
		return none;
	while ((scn = elf_nextscn(elf, scn))) {
		const char *n;
		if (!gelf_getshdr(scn, &sh) || !(n = elf_strptr(elf, shstrndx, sh.sh_name)) || strcmp(n, name))
			continue;
		if (sh.sh_type == SHT_NOBITS || sh.sh_offset > image_len || sh.sh_size > image_len - sh.sh_offset)
			return none;
		if (sh.sh_flags & SHF_COMPRESSED)
			*compressed = 1;
		return (struct sect){ image + sh.sh_offset, sh.sh_size };
	}
	return none;
}

int dw_sane(Elf *elf, const uint8_t *image, size_t image_len, char *err, size_t errlen)
{
	static const struct {
		const char *name;
		const char *(*check)(const uint8_t *, uint64_t, void *);
	} tab[] = {
		{ ".debug_info", check_info }, { ".debug_rnglists", check_lists },
		{ ".debug_loclists", check_lists }, { ".debug_line", check_line },
		{ ".debug_aranges", check_aranges }, { ".debug_str_offsets", check_offsets },
		{ ".debug_addr", check_offsets },
	};
	int compressed = 0;
	struct sect abbrev = find(elf, image, image_len, ".debug_abbrev", &compressed);

	for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++) {
		struct sect s = find(elf, image, image_len, tab[i].name, &compressed);
		if (compressed)
			return 0;	/* compressed sections: leave them to libdwarf */
		if (!s.p)
			continue;
		const char *why = walk_units(s, tab[i].check, &abbrev.len);
		if (why) {
			snprintf(err, errlen, "corrupt DWARF in %s: %s", tab[i].name, why);
			return -1;
		}
	}
	return 0;
}
