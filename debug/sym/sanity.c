/*
 * sanity.c: structural checks of DWARF section headers before libdwarf
 * sees them. Debian 12's libdwarf (20210528) can double-free or overrun on
 * a corrupt unit header (found by our fuzzing, e.g. in .debug_rnglists), so
 * each unit chain is walked here first: lengths inside the section, known
 * versions, 8-byte addresses, offset tables that fit. Anything odd makes
 * sym_open refuse the file with a message instead of crashing later.
 *
 * Sections are found the way libdwarf's own ELF reader finds them -- by
 * name from the raw section headers, whatever the type of the name table,
 * every section of that name, .dwo and .zdebug_ variants included -- not
 * through libelf, which rejects some headers libdwarf accepts and would let
 * a corrupt section through unchecked. Compressed sections are inflated
 * here and checked like the others. DWARF 5 line headers' directory and
 * file tables are walked entry by entry. Before any of that, every section must
 * lie inside the file: libdwarf's ELF reader mallocs a section's size
 * before it reads the section (a fuzzed SHT_GROUP asked for 1.7 TB).
 */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

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

/* Reads a ULEB128 at *pos below end; -1 if it runs off. */
static int skip_uleb(const uint8_t *u, uint64_t *pos, uint64_t end, uint64_t *val)
{
	uint64_t v = 0;

	for (int shift = 0; *pos < end; shift += 7) {
		uint8_t b = u[(*pos)++];
		if (shift < 64)
			v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80)) {
			if (val)
				*val = v;
			return 0;
		}
	}
	return -1;
}

/* Operands of each list entry kind: 'u' ULEB128, 'a' 8-byte address, 'l'
 * a counted location expression. Index = DW_RLE_* / DW_LLE_* value. */
static const char *const rle_ops[] = { "", "u", "uu", "uu", "uu", "a", "aa", "au" };
static const char *const lle_ops[] = { "", "u", "uul", "uul", "uul", "l", "a", "aal", "aul", "uu" /* GNU view pair */ };

/* Walks one list from pos to its end-of-list entry (kind 0) inside the
 * unit: libdwarf trusts every entry and reads wherever they point. */
static const char *check_list(const uint8_t *u, uint64_t pos, uint64_t len, int loc)
{
	const char *const *ops = loc ? lle_ops : rle_ops;
	int nops = loc ? 10 : 8;

	while (pos < len) {
		uint8_t kind = u[pos++];
		if (kind == 0)
			return NULL;
		if (kind >= nops)
			return "unknown list entry kind";
		for (const char *op = ops[kind]; *op; op++) {
			uint64_t n = 0;
			if (*op == 'a' && (pos += 8) > len)
				return "list entry runs past the unit";
			if (*op != 'a' && skip_uleb(u, &pos, len, &n) < 0)
				return "list entry runs past the unit";
			if (*op == 'l' && n > len - pos)
				return "location expression runs past the unit";
			if (*op == 'l')
				pos += n;
		}
	}
	return "list has no end";
}

/* Header, offset table, and every list the table points at. */
static const char *check_lists(const uint8_t *u, uint64_t len, int loc)
{
	if (len < 8)
		return "list header too short";
	if (rd16(u) != 5)
		return "unknown list version";
	if (u[2] != 8 || u[3] != 0)
		return "bad address or segment size";
	uint32_t count = rd32(u + 4);
	if ((uint64_t)count * 4 > len - 8)
		return "offset table runs past the unit";
	for (uint32_t i = 0; i < count; i++) {	/* offsets count from the table's start */
		uint32_t off = rd32(u + 8 + 4 * i);
		if (off >= len - 8)
			return "list offset points past the unit";
		const char *why = check_list(u, 8 + (uint64_t)off, len, loc);
		if (why)
			return why;
	}
	return NULL;
}

static const char *check_rnglists(const uint8_t *u, uint64_t len, void *ctx)
{
	(void)ctx;
	return check_lists(u, len, 0);
}

static const char *check_loclists(const uint8_t *u, uint64_t len, void *ctx)
{
	(void)ctx;
	return check_lists(u, len, 1);
}

/* The list at offset off of .debug_loclists (loc) or .debug_rnglists: 1
 * if it lies inside one unit's lists and is well formed. Lists named by
 * DW_FORM_sec_offset are not in any offset table, so each is checked
 * here when first used, before libdwarf reads it. */
int dw_list_ok(struct sym_module *m, int loc, uint64_t off)
{
	const uint8_t *p = loc ? m->loclists : m->rnglists;
	uint64_t len = loc ? m->loclists_len : m->rnglists_len, unit = 0;

	if (!p)
		return 1;	/* DWARF 4 .debug_loc/.debug_ranges: libdwarf's older, checked path */
	while (unit + 4 <= len) {
		uint64_t ul = rd32(p + unit);
		if (ul > len - unit - 4)
			return 0;
		if (off < unit + 4 + ul) {
			uint32_t count = ul >= 8 ? rd32(p + unit + 8) : 0;
			if (off < unit + 12 + 4 * (uint64_t)count)
				return 0;	/* inside the header */
			return check_list(p + unit + 4, off - unit - 4, ul, loc) == NULL;
		}
		unit += 4 + ul;
	}
	return 0;
}

/* Skips one value of form in a DWARF 5 line header entry; -1 if the form
 * is not one a line header uses or the value runs past end. */
static int skip_form(const uint8_t *u, uint64_t *pos, uint64_t end, uint64_t form)
{
	uint64_t n = 0;

	switch (form) {
	case DW_FORM_string:
		n = strnlen((const char *)u + *pos, end - *pos) + 1;
		break;
	case DW_FORM_udata: case DW_FORM_strx:
		return skip_uleb(u, pos, end, NULL);
	case DW_FORM_block:
		if (skip_uleb(u, pos, end, &n) < 0)
			return -1;
		break;
	case DW_FORM_data1: case DW_FORM_strx1: n = 1; break;
	case DW_FORM_data2: case DW_FORM_strx2: n = 2; break;
	case DW_FORM_strx3: n = 3; break;
	case DW_FORM_data4: case DW_FORM_strx4: case DW_FORM_line_strp: case DW_FORM_strp:
	case DW_FORM_sec_offset: case DW_FORM_strp_sup: case DW_FORM_GNU_strp_alt: n = 4; break;
	case DW_FORM_data8: n = 8; break;
	case DW_FORM_data16: n = 16; break;
	default:
		return -1;
	}
	if (n > end - *pos)
		return -1;
	*pos += n;
	return 0;
}

/* The directory and file tables of a DWARF 5 line header: libdwarf
 * mallocs the directory count before reading any entry, and makes one
 * empty file entry per count when the entries have no format. Each entry
 * is walked here (every form takes a byte or more, so the walk ends). */
static const char *check_line5(const uint8_t *u, uint64_t len)
{
	/* version 2, sizes 2, header_length 4, five 1-byte fields, opcode_base */
	if (len < 14)
		return "line header too short";
	uint64_t end = 8 + (uint64_t)rd32(u + 4), pos = 14 + (u[13] ? u[13] - 1 : 0);
	if (end > len)
		return "line header runs past the unit";
	for (int table = 0; table < 2; table++) {	/* directories, then files */
		uint64_t forms[255], count;
		if (pos >= end)
			return "line header too short";
		int nforms = u[pos++];
		for (int i = 0; i < nforms; i++)
			if (skip_uleb(u, &pos, end, NULL) < 0 || skip_uleb(u, &pos, end, &forms[i]) < 0)
				return "line header entry formats run past the header";
		if (skip_uleb(u, &pos, end, &count) < 0)
			return "line header too short";
		if (count && !nforms)
			return "line header entries have no format";
		for (uint64_t c = 0; c < count; c++)
			for (int i = 0; i < nforms; i++)
				if (skip_form(u, &pos, end, forms[i]) < 0)
					return "line header entry runs past the header or has an unknown form";
	}
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
	return ver == 5 ? check_line5(u, len) : NULL;
}

static const char *check_aranges(const uint8_t *u, uint64_t len, void *ctx)
{
	(void)ctx;
	if (len < 8 || rd16(u) != 2 || u[6] != 8)
		return "bad address range header";
	return NULL;
}

static const char *check_str_offsets(const uint8_t *u, uint64_t len, void *ctx)
{
	(void)ctx;
	if (len < 4 || rd16(u) != 5)
		return "bad string offsets header";
	if ((len - 4) % 4)
		return "string offsets table is not a whole number of entries";
	return NULL;
}

static const char *check_addr(const uint8_t *u, uint64_t len, void *ctx)
{
	(void)ctx;
	if (len < 4 || rd16(u) != 5)
		return "bad address table header";
	if (u[2] != 8 || u[3] != 0)
		return "bad address or segment size";
	if ((len - 4) % 8)
		return "address table is not a whole number of entries";
	return NULL;
}

/* A section's bytes, inflated if compressed (then *owned is set and the caller frees). */
static struct sect inflate_sect(const uint8_t *p, uint64_t len, int zdebug, int *owned, const char **why)
{
	struct sect none = { NULL, 0 };
	uint64_t out_len;
	const uint8_t *src;

	if (zdebug) {	/* "ZLIB", 8-byte big-endian size, zlib stream */
		if (len < 12 || memcmp(p, "ZLIB", 4)) {
			*why = "bad .zdebug header";
			return none;
		}
		out_len = 0;
		for (int i = 4; i < 12; i++)
			out_len = out_len << 8 | p[i];
		src = p + 12, len -= 12;
	} else {
		Elf64_Chdr ch;
		if (len < sizeof ch) {
			*why = "compression header too short";
			return none;
		}
		memcpy(&ch, p, sizeof ch);
		if (ch.ch_type != ELFCOMPRESS_ZLIB) {
			*why = "unknown compression";
			return none;
		}
		out_len = ch.ch_size;
		src = p + sizeof ch, len -= sizeof ch;
	}
	if (out_len > (256u << 20)) {
		*why = "compressed section inflates past 256 MiB";
		return none;
	}
	uint8_t *out = malloc(out_len ? out_len : 1);
	uLongf got = out_len;
	if (!out)
		abort();
	if (uncompress(out, &got, src, len) != Z_OK || got != out_len) {
		free(out);
		*why = "compressed section does not inflate";
		return none;
	}
	*owned = 1;
	return (struct sect){ out, out_len };
}

/* A copy of the raw section header table (caller frees), read as libdwarf
 * reads it: e_shentsize may be 64 to 200 but entries are taken every 64
 * bytes, and e_shoff need not be aligned. NULL where libdwarf, too, would
 * give up (no headers, table or name table outside the file). */
static Elf64_Shdr *raw_shdrs(const uint8_t *image, size_t image_len, size_t *n, const Elf64_Shdr **names)
{
	Elf64_Ehdr eh;

	if (image_len < sizeof eh)
		return NULL;
	memcpy(&eh, image, sizeof eh);
	if (eh.e_shnum == 0 || eh.e_shentsize < sizeof(Elf64_Shdr) || eh.e_shentsize > 200 ||
	    eh.e_shoff > image_len || (uint64_t)eh.e_shnum * eh.e_shentsize > image_len - eh.e_shoff ||
	    eh.e_shstrndx >= eh.e_shnum)
		return NULL;
	Elf64_Shdr *sh = malloc(eh.e_shnum * sizeof *sh);
	if (!sh)
		abort();
	memcpy(sh, image + eh.e_shoff, eh.e_shnum * sizeof *sh);
	*n = eh.e_shnum;
	*names = &sh[eh.e_shstrndx];
	if ((*names)->sh_offset > image_len || (*names)->sh_size > image_len - (*names)->sh_offset) {
		free(sh);
		return NULL;
	}
	return sh;
}

/* Why no section of the file may lie outside it: libdwarf's ELF reader
 * allocates a section's size before reading it (SHT_GROUP, symbol tables,
 * relocations), so a corrupt size asks for terabytes. NULL if all fit. */
static const char *check_extents(const Elf64_Shdr *sh, size_t n, size_t image_len, char *buf, size_t buflen)
{
	for (size_t i = 0; i < n; i++)
		if (sh[i].sh_type != SHT_NOBITS &&
		    (sh[i].sh_offset > image_len || sh[i].sh_size > image_len - sh[i].sh_offset)) {
			snprintf(buf, buflen, "section %zu lies outside the file", i);
			return buf;
		}
	return NULL;
}

/* Section i's name if it is a DWARF section, rewritten to its plain
 * ".debug_x" form (".zdebug_x" and ".debug_x.dwo" name the same data). */
static int dwarf_name(const uint8_t *image, const Elf64_Shdr *names, uint32_t off, char *out, size_t outlen, int *zdebug)
{
	if (off >= names->sh_size)
		return 0;
	const char *n = (const char *)image + names->sh_offset + off;
	size_t max = names->sh_size - off, len = strnlen(n, max);
	if (len == max || len + 2 > outlen)
		return 0;
	*zdebug = strncmp(n, ".zdebug_", 8) == 0;
	if (*zdebug)
		snprintf(out, outlen, ".%s", n + 2);
	else if (strncmp(n, ".debug_", 7) == 0)
		snprintf(out, outlen, "%s", n);
	else
		return 0;
	len = strlen(out);
	if (len > 4 && strcmp(out + len - 4, ".dwo") == 0)
		out[len - 4] = 0;
	return 1;
}

static const struct {
	const char *name;
	const char *(*check)(const uint8_t *, uint64_t, void *);
} checks[] = {
	{ ".debug_info", check_info }, { ".debug_rnglists", check_rnglists },
	{ ".debug_loclists", check_loclists }, { ".debug_line", check_line },
	{ ".debug_aranges", check_aranges }, { ".debug_str_offsets", check_str_offsets },
	{ ".debug_addr", check_addr },
};

/* Checks one DWARF section's unit chain, if it is one we know. NULL if fine. */
static const char *check_section(const char *name, struct sect s, uint64_t abbrev_len)
{
	for (size_t i = 0; i < sizeof checks / sizeof checks[0]; i++)
		if (strcmp(name, checks[i].name) == 0)
			return walk_units(s, checks[i].check, &abbrev_len);
	return NULL;
}

/* Keeps the (inflated) list sections for dw_list_ok. */
static void keep(struct sym_module *m, const char *name, struct sect s, int *owned)
{
	int loc = strcmp(name, ".debug_loclists") == 0;

	if ((!loc && strcmp(name, ".debug_rnglists")) || (loc ? m->loclists : m->rnglists))
		return;
	if (loc)
		m->loclists = s.p, m->loclists_len = s.len;
	else
		m->rnglists = s.p, m->rnglists_len = s.len;
	if (*owned)
		m->dw_owned[loc] = (void *)s.p;
	*owned = 0;
}


/* Each DWARF section's unit chain, inflated if compressed; every section
 * is known to lie inside the file. */
static int check_dwarf(struct sym_module *m, const Elf64_Shdr *sh, size_t n, const Elf64_Shdr *names,
		       char *err, size_t errlen)
{
	const uint8_t *image = m->image;
	char name[64];
	uint64_t abbrev_len = 0;
	int zdebug;

	for (int pass = 0; pass < 2; pass++)	/* .debug_abbrev's size first */
		for (size_t i = 0; i < n; i++) {
			if (!dwarf_name(image, names, sh[i].sh_name, name, sizeof name, &zdebug) || sh[i].sh_type == SHT_NOBITS)
				continue;
			if ((pass == 0) != (strcmp(name, ".debug_abbrev") == 0))
				continue;
			const char *why = NULL;
			int owned = 0;
			struct sect s = { NULL, 0 };
			if (zdebug || (sh[i].sh_flags & SHF_COMPRESSED))
				s = inflate_sect(image + sh[i].sh_offset, sh[i].sh_size, zdebug, &owned, &why);
			else
				s = (struct sect){ image + sh[i].sh_offset, sh[i].sh_size };
			if (!why && pass == 0)
				abbrev_len = abbrev_len > s.len ? abbrev_len : s.len;
			else if (!why)
				why = check_section(name, s, abbrev_len);
			if (!why && !strstr(name + 1, "."))
				keep(m, name, s, &owned);
			if (owned)
				free((void *)s.p);
			if (why) {
				snprintf(err, errlen, "corrupt DWARF in %s: %s", name, why);
				return -1;
			}
		}
	return 0;
}

int dw_sane(struct sym_module *m, char *err, size_t errlen)
{
	const uint8_t *image = m->image;
	size_t image_len = m->image_len;
	Elf64_Shdr *sh;
	const Elf64_Shdr *names;
	size_t n;
	char buf[64];
	const char *why;

	if (!(sh = raw_shdrs(image, image_len, &n, &names)))
		return 0;	/* libdwarf finds no sections either */
	if ((why = check_extents(sh, n, image_len, buf, sizeof buf))) {
		snprintf(err, errlen, "corrupt ELF: %s", why);
		free(sh);
		return -1;
	}
	int r = check_dwarf(m, sh, n, names, err, errlen);
	free(sh);
	return r;
}
