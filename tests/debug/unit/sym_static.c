/*
 * sym_static.c: the symbol reader without a process: symbols, lines, types,
 * globals, '@' reads and the ELF target, at -O0 and -O2, plus refusal of
 * missing, non-ELF, truncated and corrupted files.
 */
#include <fcntl.h>
#include <stddef.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gelf.h>
#include <libelf.h>

#include "acidtest.h"

/* Separate debug files: found through .gnu_debuglink beside the program,
 * refused when their CRC-32 does not match. */
static void check_debuglink(void)
{
	char err[256], path[512];
	struct sym_symbol f;
	struct sym_line ln;
	struct sym *s;

	snprintf(path, sizeof path, "%s/symprog-stripped", ACID_PROG_DIR);
	s = sym_open(path, err, sizeof err);
	ok(s != NULL, "stripped: opens (%s)", s ? "" : err);
	ok(s && sym_lookup(s, "leaf", &f) == 0, "stripped: leaf from the debug file's symbols");
	ok(s && sym_pc_line(s, f.addr, &ln) == 0 && strstr(ln.file, "symprog.c"),
	   "stripped: leaf's line from the debug file's DWARF");
	ok(s && sym_type_lookup(s, "struct point") != NULL, "stripped: struct point from the debug file");
	sym_close(s);

	snprintf(path, sizeof path, "%s/symprog-badlink", ACID_PROG_DIR);
	s = sym_open(path, err, sizeof err);
	ok(s != NULL, "bad CRC: opens (%s)", s ? "" : err);
	ok(s && sym_lookup(s, "leaf", &f) == 0, "bad CRC: leaf from its own symbols");
	ok(s && sym_pc_line(s, f.addr, &ln) < 0, "bad CRC: the debug file is not used (no lines)");
	sym_close(s);
}

static void check_program(const char *opt)
{
	char err[256], decl[256];
	struct sym *s = sym_open(prog_path("symprog", opt), err, sizeof err);
	struct sym_symbol f, g, d;
	struct sym_line ln;
	uint64_t pcs[8];

	if (!ok(s != NULL, "%s: opens (%s)", opt, s ? "" : err))
		return;
	ok(sym_lookup(s, "leaf", &f) == 0 && f.kind == SYM_FUNC && f.size > 0, "%s: leaf is a function", opt);
	ok(sym_lookup(s, "origin", &d) == 0 && d.kind == SYM_DATA && d.size == 20, "%s: origin is 20 bytes of data", opt);
	ok(sym_lookup(s, "no_such_symbol", &g) < 0 && strstr(sym_error(s), "no_such_symbol"),
	   "%s: unknown symbol refused: %s", opt, sym_error(s));
	ok(sym_func_at(s, f.addr + 1, &g) == 0 && strcmp(g.name, "leaf") == 0 && g.addr == f.addr,
	   "%s: leaf+1 is in leaf", opt);
	ok(sym_func_at(s, 1, &g) < 0, "%s: address 1 is in no function", opt);

	int want = marker_line("symprog.c", "leaf");
	uint64_t body = sym_func_body(s, f.addr);
	/* gdb's rule: past the frame set-up at -O0, the entry of frameless -O2 code */
	if (strcmp(opt, "O0") == 0)
		ok(body > f.addr && body < f.addr + f.size, "%s: leaf's prologue ends inside it", opt);
	else
		ok(body == f.addr, "%s: frameless leaf breaks at its entry (+%lld)", opt, (long long)(body - f.addr));
	ok(sym_pc_line(s, body, &ln) == 0 && ln.line == want && strstr(ln.file, "symprog.c") &&
	   ln.addr <= body && body < ln.end, "%s: body of leaf is symprog.c:%d (got %d)", opt, want, ln.line);
	int n = sym_line_pcs(s, "symprog.c", want, pcs, 8);
	ok(n >= 1 && pcs[0] >= f.addr && pcs[0] < f.addr + f.size, "%s: symprog.c:%d has code in leaf", opt, want);
	ok(sym_line_pcs(s, "unit/prog/symprog.c", want, pcs, 8) >= 1, "%s: path suffix matches", opt);
	ok(sym_line_pcs(s, "nosuch.c", 3, pcs, 8) < 0, "%s: unknown file refused: %s", opt, sym_error(s));
	ok(sym_line_pcs(s, "symprog.c", 100000, pcs, 8) < 0, "%s: line past the end refused", opt);

	struct sym_type *pt = sym_type_lookup(s, "struct point");
	ok(pt && pt->kind == SYM_T_STRUCT && pt->nmembers == 5 && pt->size == 20, "%s: struct point has 5 members", opt);
	if (pt && pt->nmembers == 5) {
		ok(pt->members[1].offset == 2 && strcmp(pt->members[1].name, "y") == 0, "%s: point.y at 2", opt);
		ok(sym_type_strip(pt->members[2].type)->kind == SYM_T_ENUM, "%s: point.c is an enum", opt);
		ok(pt->members[3].bit_size == 3, "%s: point.flag is a 3-bit field", opt);
		sym_type_decl(pt->members[4].type, "name", decl, sizeof decl);
		is_str(decl, "char name[8]", "%s: point.name declared", opt);
	}
	struct sym_type *nt = sym_type_lookup(s, "node_t");
	const struct sym_type *ns = sym_type_strip(nt);
	ok(nt && nt->kind == SYM_T_TYPEDEF && ns && ns->kind == SYM_T_STRUCT && ns->nmembers == 2,
	   "%s: node_t is a typedef of a struct", opt);
	if (ns && ns->nmembers == 2) {
		sym_type_decl(ns->members[1].type, "next", decl, sizeof decl);
		is_str(decl, "struct node *next", "%s: node.next declared", opt);
		ok(sym_type_strip(ns->members[1].type->target) == ns, "%s: the list type refers to itself", opt);
	}
	struct sym_type *et = sym_type_lookup(s, "enum color");
	ok(et && et->nenums == 3 && et->enums[1].value == 5 && strcmp(et->enums[1].name, "GREEN") == 0,
	   "%s: enum color has GREEN = 5", opt);
	struct sym_type *ut = sym_type_lookup(s, "union number");
	ok(ut && ut->kind == SYM_T_UNION && ut->size == 4, "%s: union number is 4 bytes", opt);
	ok(sym_type_lookup(s, "struct nosuch") == NULL, "%s: unknown type refused", opt);

	struct sym_var *v = sym_var_lookup(s, "table");
	ok(v && v->type && v->type->kind == SYM_T_ARRAY && v->type->count == 10 && v->type->size == 40,
	   "%s: table is int[10]", opt);
	if (v) {
		sym_type_decl(v->type, v->name, decl, sizeof decl);
		is_str(decl, "int table[10]", "%s: table declared", opt);
		struct sym_loc loc;
		struct acid_regs none = { 0 };
		struct sym_symbol ts;
		sym_lookup(s, "table", &ts);
		ok(sym_var_locate(s, v, 0, &none, NULL, NULL, &loc) == 0 && loc.kind == SYM_LOC_ADDR &&
		   loc.addr == ts.addr, "%s: table's location is its symbol", opt);
		int t3 = 0;
		ok(sym_read_image(s, ts.addr + 12, &t3, 4) == 0 && t3 == 9, "%s: @table[3] is 9", opt);
	}
	ok(sym_var_lookup(s, "nosuch_var") == NULL, "%s: unknown variable refused", opt);
	short xy[2];
	ok(sym_read_image(s, d.addr, xy, 4) == 0 && xy[0] == 1 && xy[1] == 2, "%s: @origin is {1, 2}", opt);
	ok(sym_read_image(s, 0x7fffffff0000, xy, 4) < 0, "%s: @0x7fffffff0000 is outside the file", opt);

	struct target *t = target_elf(prog_path("symprog", opt), err, sizeof err);
	int tv = 0;
	ok(t && target_read_mem(t, d.addr + 4, &tv, 4) == 0 && tv == 6, "%s: elf target reads origin.c = BLUE", opt);
	ok(t && target_cont(t, 0) < 0 && strstr(target_error(t), "not supported"), "%s: elf target cannot run", opt);
	ok(t && !(target_caps(t) & TARGET_CAN_RUN), "%s: elf target has no run capability", opt);
	target_close(t);
	sym_close(s);
}

/* Writes the first len bytes of src to dst, optionally corrupting a range. */
static void write_copy(const char *src, const char *dst, size_t len, size_t bad_off, size_t bad_len, unsigned seed)
{
	int in = open(src, O_RDONLY), out = open(dst, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	char *buf = malloc(len + 1);
	ssize_t n = read(in, buf, len);

	srand(seed);
	for (size_t i = bad_off; i < bad_off + bad_len && (ssize_t)i < n; i++)
		buf[i] = rand();
	if (n > 0 && write(out, buf, n) != n)
		diag("short write");
	free(buf);
	close(in);
	close(out);
}

static void exercise(struct sym *s)
{
	struct sym_symbol f;
	struct sym_line ln;
	struct sym_var *vars[16];
	uint64_t pcs[4];

	if (sym_lookup(s, "recurse", &f) == 0) {
		sym_pc_line(s, f.addr + 4, &ln);
		sym_vars_at(s, f.addr + 4, vars, 16);
		sym_func_body(s, f.addr);
	}
	sym_line_pcs(s, "symprog.c", 40, pcs, 4);
	sym_type_lookup(s, "struct point");
	sym_var_lookup(s, "origin");
}

static void check_bad_input(void)
{
	char err[256];
	const char *src = prog_path("symprog", "O2"), *tmp = "build/tests/debug/corrupt.elf";
	struct stat st;

	ok(sym_open("/nonexistent/prog", err, sizeof err) == NULL && strstr(err, "/nonexistent/prog"),
	   "missing file refused: %s", err);
	ok(sym_open("/etc/hostname", err, sizeof err) == NULL && strstr(err, "ELF"), "non-ELF refused: %s", err);
	ok(sym_open("/", err, sizeof err) == NULL, "a directory refused: %s", err);
	stat(src, &st);
	int refused = 0, survived = 0;
	for (size_t len = 0; len < (size_t)st.st_size; len += st.st_size / 97 + 1) {
		write_copy(src, tmp, len, 0, 0, 0);
		struct sym *s = sym_open(tmp, err, sizeof err);
		if (!s)
			refused++;
		else
			exercise(s);
		sym_close(s);
		survived++;
	}
	ok(survived > 90 && refused > 80, "truncated files: %d tried, %d refused, no crash", survived, refused);
	write_copy(src, tmp, 1000, 0, 0, 0);
	ok(sym_open(tmp, err, sizeof err) == NULL && strstr(err, "truncated"), "truncated: %s", err);

	/* random bytes over the DWARF and symbol sections: refuse or answer, never crash */
	int opened = 0;
	for (unsigned seed = 1; seed <= 60; seed++) {
		size_t off = (size_t)st.st_size / 3 + (seed * 7919) % ((size_t)st.st_size / 2);
		write_copy(src, tmp, st.st_size, off, 64, seed);
		struct sym *s = sym_open(tmp, err, sizeof err);
		if (s) {
			opened++;
			exercise(s);
		}
		sym_close(s);
	}
	ok(1, "60 corrupted files handled (%d opened)", opened);
	unlink(tmp);
}

/* File offsets of section name's data (*data) and of its header; 0 if absent. */
static long section_find(const char *path, const char *name, long *data)
{
	int fd = open(path, O_RDONLY);
	Elf *e;
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	GElf_Ehdr eh;
	size_t strndx;
	long hdr = 0;

	elf_version(EV_CURRENT);
	*data = 0;
	if (fd < 0 || !(e = elf_begin(fd, ELF_C_READ, NULL)) || elf_getshdrstrndx(e, &strndx) != 0 ||
	    !gelf_getehdr(e, &eh))
		return 0;
	while ((scn = elf_nextscn(e, scn)))
		if (gelf_getshdr(scn, &sh) && strcmp(elf_strptr(e, strndx, sh.sh_name), name) == 0) {
			*data = (long)sh.sh_offset;
			hdr = (long)(eh.e_shoff + elf_ndxscn(scn) * eh.e_shentsize);
		}
	elf_end(e);
	close(fd);
	return hdr;
}

static long section_offset(const char *path, const char *name)
{
	long data;

	section_find(path, name, &data);
	return data;
}

static long section_header(const char *path, const char *name)
{
	long data;

	return section_find(path, name, &data);
}

/* Copies src to tmp with len bytes at offset at of section sect replaced by bytes. */
static int patch_copy(const char *src, const char *tmp, const char *sect, long at, const void *bytes, size_t len)
{
	long off = sect ? section_offset(src, sect) : 0;

	struct stat st;

	if ((sect && !off) || stat(src, &st) < 0)
		return -1;
	write_copy(src, tmp, st.st_size, 0, 0, 0);
	int fd = open(tmp, O_WRONLY);
	ssize_t n = pwrite(fd, bytes, len, off + at);
	close(fd);
	return n == (ssize_t)len ? 0 : -1;
}

/* Corrupt headers of the DWARF 5 side sections libdwarf 20210528 trusts:
 * each must be refused by name, before libdwarf sees it. The fuzzer's
 * double free in dwarf_load_rnglists is kept as a regression input. */
static void check_bad_headers(void)
{
	static const struct {
		const char *prog, *sect;
		long at;
		uint32_t val;
		int len;
		const char *want;
	} cases[] = {
		{ "symprog-O2", ".debug_rnglists", 0, 0x00033800, 4, ".debug_rnglists: unit length runs past" },
		{ "symprog-O2", ".debug_rnglists", 8, 0x01000000, 4, ".debug_rnglists: offset table runs past" },
		{ "symprog-O2", ".debug_rnglists", 4, 4, 2, ".debug_rnglists: unknown list version" },
		{ "symprog-O2", ".debug_loclists", 6, 4, 1, ".debug_loclists: bad address or segment size" },
		{ "symprog-O2", ".debug_loclists", 0, 0xfffffff4, 4, ".debug_loclists: unit length runs past" },
		{ "symprog-clang", ".debug_loclists", 12, 0xfff0, 4, ".debug_loclists: list offset points past" },
		{ "symprog-clang", ".debug_addr", 6, 4, 1, ".debug_addr: bad address or segment size" },
		{ "symprog-clang", ".debug_addr", 0, 0x7fff, 4, ".debug_addr: unit length runs past" },
		{ "symprog-clang", ".debug_str_offsets", 4, 4, 2, ".debug_str_offsets: bad string offsets header" },
		{ "symprog-clang", ".debug_str_offsets", 0, 0xfffffff0, 4, ".debug_str_offsets: unit length runs past" },
		/* gcc's DWARF 5 line header: directory format count at 30, its form at 32, directory count at 33 */
		{ "symprog-O2", ".debug_line", 33, 0x7fffffff, 4, ".debug_line: line header entry runs past" },
		{ "symprog-O2", ".debug_line", 30, 0, 1, ".debug_line: line header entries have no format" },
		{ "symprog-O2", ".debug_line", 32, 0x7f, 1, "has an unknown form" },
	};
	char err[256], path[512];
	const char *tmp = "build/tests/debug/badhdr.elf";

	snprintf(path, sizeof path, "%s/symprog-clang", ACID_PROG_DIR);
	struct sym *s = sym_open(path, err, sizeof err);
	ok(s != NULL, "clang DWARF 5 (.debug_addr, .debug_str_offsets) opens (%s)", s ? "" : err);
	if (s)
		exercise(s);
	/* clang marks prologue_end: recurse's push %rbx is no frame set-up, yet its
	 * body starts after it, where the line table says */
	struct sym_symbol rf;
	ok(s && sym_lookup(s, "recurse", &rf) == 0 && sym_func_body(s, rf.addr) == rf.addr + 1,
	   "clang: recurse's body is its prologue_end row");
	sym_close(s);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		snprintf(path, sizeof path, "%s/%s", ACID_PROG_DIR, cases[i].prog);
		err[0] = 0;
		int patched = patch_copy(path, tmp, cases[i].sect, cases[i].at, &cases[i].val, cases[i].len) == 0;
		s = patched ? sym_open(tmp, err, sizeof err) : NULL;
		ok(patched && !s && strstr(err, cases[i].want), "%s %s+%ld: refused: %s", cases[i].prog, cases[i].sect,
		   cases[i].at, err);
		sym_close(s);
	}

	/* the section name table's type smashed, as libelf refuses but libdwarf accepts */
	snprintf(path, sizeof path, "%s/symprog-O2", ACID_PROG_DIR);
	long shoff = 0;
	uint16_t shstrndx = 0;
	int fd = open(path, O_RDONLY);
	if (pread(fd, &shoff, 8, 0x28) != 8 || pread(fd, &shstrndx, 2, 0x3e) != 2)
		shoff = 0;
	close(fd);
	uint32_t zero = 0x10003, big = 0x00033800;
	patch_copy(path, tmp, NULL, shoff + 64L * shstrndx + 4, &zero, 4);
	fd = open(tmp, O_WRONLY);
	ok(pwrite(fd, &big, 4, section_offset(path, ".debug_rnglists")) == 4 && !(s = sym_open(tmp, err, sizeof err)) &&
	   strstr(err, ".debug_rnglists"), "odd name table type: rnglists still checked: %s", err);
	close(fd);
	sym_close(s);
	unlink(tmp);

	s = sym_open("tests/debug/unit/bad-dwarf/rnglists-double-free.elf", err, sizeof err);
	ok(!s && strstr(err, "corrupt DWARF"), "fuzzer's rnglists double free refused: %s", err);
	sym_close(s);
	s = sym_open("tests/debug/unit/bad-dwarf/loclists-segv.elf", err, sizeof err);
	ok(!s && strstr(err, "corrupt DWARF in .debug_loclists"), "fuzzer's loclists SEGV refused: %s", err);
	sym_close(s);

	/* a DWARF 5 file entry whose directory number equals the directory
	 * count: libdwarf's dwarf_linesrc read past its array; the line is
	 * still known, the file is not */
	struct sym_symbol f;
	struct sym_line ln = { 0 };
	s = sym_open("tests/debug/unit/bad-dwarf/line-dir-overrun.elf", err, sizeof err);
	int found = s && sym_lookup(s, "main", &f) == 0 && sym_pc_line(s, f.addr, &ln) == 0;
	ok(found && strcmp(ln.file, "?") == 0 && ln.line == 99,
	   "fuzzer's line-table directory overrun: main at %s:%d", found ? ln.file : err, ln.line);
	sym_close(s);

	/* a DW_AT_sibling pointing back at an earlier DIE: every walk over a
	 * unit's children looped (the alarm turns a regression into a failure) */
	struct sym_var *vars[16];
	alarm(30);
	s = sym_open("tests/debug/unit/bad-dwarf/sibling-loop.elf", err, sizeof err);
	int nv = s && sym_lookup(s, "main", &f) == 0 ? sym_vars_at(s, f.addr, vars, 16) : -2;
	if (s) {
		sym_type_lookup(s, "struct point");
		sym_var_lookup(s, "origin");
	}
	alarm(0);
	ok(nv >= -1, "fuzzer's DW_AT_sibling loop ends: %d variables at main (%s)", nv, s ? sym_error(s) : err);
	sym_close(s);

	/* libdwarf mallocs a section's size before reading it: an SHT_GROUP
	 * of 1.7 TB from the fuzzer, and any other section that overhangs */
	s = sym_open("tests/debug/unit/bad-dwarf/group-huge-alloc.elf", err, sizeof err);
	ok(!s && strstr(err, "corrupt ELF: section"), "fuzzer's 1.7 TB group section refused: %s", err);
	sym_close(s);
	uint64_t huge = 1ull << 40;
	snprintf(path, sizeof path, "%s/symprog-O2", ACID_PROG_DIR);
	long comment = section_header(path, ".comment");
	s = NULL;
	ok(comment > 0 && patch_copy(path, tmp, NULL, comment + offsetof(Elf64_Shdr, sh_size), &huge, 8) == 0 &&
	   !(s = sym_open(tmp, err, sizeof err)) && strstr(err, "corrupt ELF: section"),
	   "a 1 TB .comment is refused: %s", err);
	sym_close(s);
	unlink(tmp);
}

/* File paths as the line table builds them (compilation directory, include
 * directory, file name): DWARF 5 numbers files and directories from 0,
 * DWARF 4 from 1, and both give the same absolute path. */
static void check_file_paths(void)
{
	static const char *const progs[] = { "O0", "O2", "clang", "dwarf4" };
	char err[256], want[1024], cwd[512];

	if (!getcwd(cwd, sizeof cwd))
		cwd[0] = 0;
	snprintf(want, sizeof want, "%s/tests/debug/unit/prog/symprog.c", cwd);
	for (size_t i = 0; i < sizeof progs / sizeof progs[0]; i++) {
		struct sym *s = sym_open(prog_path("symprog", progs[i]), err, sizeof err);
		struct sym_symbol f;
		struct sym_line ln = { 0 };
		uint64_t pcs[8];
		int found = s && sym_lookup(s, "leaf", &f) == 0 && sym_pc_line(s, sym_func_body(s, f.addr), &ln) == 0;
		ok(found && strcmp(ln.file, want) == 0, "%s: leaf's file is %s", progs[i], found ? ln.file : err);
		ok(s && sym_line_pcs(s, want, marker_line("symprog.c", "leaf"), pcs, 8) >= 1,
		   "%s: the full path finds leaf's line", progs[i]);
		sym_close(s);
	}
}

int main(void)
{
	check_debuglink();
	check_program("O0");
	check_program("O2");
	check_bad_input();
	check_bad_headers();
	check_file_paths();
	return done_testing();
}
