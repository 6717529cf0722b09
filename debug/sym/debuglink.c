/*
 * debuglink.c: separate debug information. Distributions strip shared
 * libraries and ship their DWARF and full symbol tables apart (Debian's
 * libc6-dbg); the stripped file names its debug file by build id
 * (.note.gnu.build-id: /usr/lib/debug/.build-id/xx/rest.debug) and by
 * .gnu_debuglink (a file name and a CRC-32 of its contents), looked for as
 * gdb looks: /usr/lib/debug/.build-id first, then the library's directory,
 * its .debug/, and /usr/lib/debug/<directory>.
 *
 * The debug file's DWARF and symbols replace the module's own (the DWARF
 * only when first needed); the module keeps its own .eh_frame (which a
 * debug file carries only as NOBITS) for unwinding.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "sym_impl.h"

#ifndef SYM_DEBUG_DIR
#define SYM_DEBUG_DIR "/usr/lib/debug"
#endif

/* The section called name, or NULL. */
static Elf_Scn *section(struct sym_module *m, const char *name, GElf_Shdr *sh)
{
	size_t shstr;
	Elf_Scn *scn = NULL;

	if (elf_getshdrstrndx(m->elf, &shstr) != 0)
		return NULL;
	while ((scn = elf_nextscn(m->elf, scn))) {
		const char *n;
		if (gelf_getshdr(scn, sh) && (n = elf_strptr(m->elf, shstr, sh->sh_name)) && strcmp(n, name) == 0)
			return scn;
	}
	return NULL;
}

/* The path where the build id of m puts its debug file, or 0. */
static int build_id_path(struct sym_module *m, char *path, size_t len)
{
	GElf_Shdr sh;
	Elf_Scn *scn = section(m, ".note.gnu.build-id", &sh);
	Elf_Data *d;
	GElf_Nhdr nh;
	size_t off = 0, noff, doff;

	if (!scn || sh.sh_type != SHT_NOTE || !(d = elf_getdata(scn, NULL)))
		return 0;
	while ((off = gelf_getnote(d, off, &nh, &noff, &doff)) > 0) {
		if (nh.n_type != NT_GNU_BUILD_ID || nh.n_descsz < 2 || nh.n_descsz > 64)
			continue;
		const uint8_t *id = (const uint8_t *)d->d_buf + doff;
		size_t n = (size_t)snprintf(path, len, "%s/.build-id/%02x/", SYM_DEBUG_DIR, id[0]);
		for (size_t i = 1; i < nh.n_descsz && n + 3 < len; i++)
			n += (size_t)snprintf(path + n, len - n, "%02x", id[i]);
		snprintf(path + n, len - n, ".debug");
		return 1;
	}
	return 0;
}

/* CRC-32 of the file at path equals crc? */
static int crc_matches(const char *path, uint32_t crc)
{
	static unsigned char buf[1 << 16];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	uLong c = crc32(0, NULL, 0);
	ssize_t n;

	if (fd < 0)
		return 0;
	while ((n = read(fd, buf, sizeof buf)) > 0)
		c = crc32(c, buf, (uInt)n);
	close(fd);
	return n == 0 && (uint32_t)c == crc;
}

/* The debug file .gnu_debuglink names, if one of the usual places has it. */
static int debuglink_path(struct sym_module *m, char *path, size_t len)
{
	GElf_Shdr sh;
	Elf_Scn *scn = section(m, ".gnu_debuglink", &sh);
	Elf_Data *d;
	char dir[4096];
	const char *slash;

	if (!scn || !(d = elf_getdata(scn, NULL)) || d->d_size < 8)
		return 0;
	const char *name = d->d_buf;
	size_t nlen = strnlen(name, d->d_size);
	if (nlen == 0 || nlen + 1 + 4 > d->d_size || strchr(name, '/'))
		return 0;
	uint32_t crc;
	memcpy(&crc, (const char *)d->d_buf + ((nlen + 4) & ~(size_t)3), 4);
	slash = strrchr(m->path, '/');
	snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - m->path) : 1, slash ? m->path : ".");
	const char *fmts[] = { "%s/%s", "%s/.debug/%s", SYM_DEBUG_DIR "%s/%s" };
	for (int i = 0; i < 3; i++) {
		snprintf(path, len, fmts[i], dir, name);
		if (strcmp(path, m->path) != 0 && crc_matches(path, crc))
			return 1;
	}
	return 0;
}

/* Moves the debug file's symbols into m, if it has more; d keeps them. */
static void adopt_symbols(struct sym_module *m, struct sym_module *d)
{
	if (d->nby_name <= m->nby_name)
		return;
	/* .symtab has the local functions .dynsym lacks */
	struct sym_symbol *a = m->by_addr, *n = m->by_name;
	char *str = m->strings;
	int na = m->nby_addr, nn = m->nby_name;
	m->by_addr = d->by_addr, m->nby_addr = d->nby_addr;
	m->by_name = d->by_name, m->nby_name = d->nby_name;
	m->strings = d->strings;
	d->by_addr = a, d->nby_addr = na;
	d->by_name = n, d->nby_name = nn;
	d->strings = str;
}

/* Moves the debug file's DWARF into m; d keeps the mapping it points into. */
static void adopt_dwarf(struct sym_module *m, struct sym_module *d)
{
	m->cfi_dbg = m->dbg;
	m->dbg = d->dbg;
	d->dbg = NULL;
	m->rnglists = d->rnglists, m->rnglists_len = d->rnglists_len;
	m->loclists = d->loclists, m->loclists_len = d->loclists_len;
	for (int i = 0; i < 2; i++) {
		free(m->dw_owned[i]);
		m->dw_owned[i] = d->dw_owned[i];
		d->dw_owned[i] = NULL;
	}
}

void debuglink_load(struct sym_module *m)
{
	char path[4096], err[256];
	struct sym_module *d;
	GElf_Shdr sh;

	if (section(m, ".debug_info", &sh))
		return;	/* not stripped */
	if (!build_id_path(m, path, sizeof path) || access(path, R_OK) != 0)
		if (!debuglink_path(m, path, sizeof path))
			return;
	if (!(d = module_open_plain(path, 0, err, sizeof err)))
		return;	/* a bad debug file: the module works without it */
	adopt_symbols(m, d);
	m->debug = d;
	m->debug_pending = 1;
}

int dw_need(struct sym_module *m)
{
	char err[256];

	if (m->debug_pending) {
		m->debug_pending = 0;
		/* a corrupt debug file is refused by dw_open's checks: the
		 * module goes on with its own (CFI-only) DWARF */
		if (dw_open(m->debug, err, sizeof err) == 0 && m->debug->dbg)
			adopt_dwarf(m, m->debug);
	}
	return m->dbg != NULL;
}
