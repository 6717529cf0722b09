/*
 * ustar.c: host tests of the ustar reader (mercury/lib/ustar.c): a valid
 * archive walked entry by entry, then a table of malformed archives, each
 * built by mutating a good one and checked for its exact refusal. Every
 * archive is copied into a buffer of exactly its length, so AddressSanitizer
 * catches any read outside it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "rename.h"
#include <mercury/ustar.h>
#include "unrename.h"

#define MAXLEN (16 * 512)

struct archive {
	unsigned char b[MAXLEN];
	size_t len;
};

static void set_checksum(unsigned char *h)
{
	unsigned sum = 0;
	int i;

	memset(h + 148, ' ', 8);
	for (i = 0; i < 512; i++)
		sum += h[i];
	snprintf((char *)h + 148, 8, "%06o", sum & 0777777);
	h[155] = ' ';
}

/* Appends one entry (header, data, padding); returns its header offset. */
static size_t add(struct archive *a, const char *prefix, const char *name,
		  char type, const char *data)
{
	size_t at = a->len, size = data ? strlen(data) : 0;
	unsigned char *h = a->b + at;

	memset(h, 0, 512);
	memcpy(h, name, strnlen(name, 100));
	memcpy(h + 100, "0000644", 8);
	memcpy(h + 108, "0001750", 8);
	memcpy(h + 116, "0001750", 8);
	snprintf((char *)h + 124, 12, "%011o", (unsigned)size);
	snprintf((char *)h + 136, 12, "%011o", 01234567);
	h[156] = type;
	memcpy(h + 257, "ustar", 6);
	memcpy(h + 263, "00", 2);
	if (prefix)
		memcpy(h + 345, prefix, strnlen(prefix, 155));
	set_checksum(h);
	a->len += 512;
	if (size) {
		memset(a->b + a->len, 0, (size + 511) / 512 * 512);
		memcpy(a->b + a->len, data, size);
		a->len += (size + 511) / 512 * 512;
	}
	return at;
}

static void end_blocks(struct archive *a)
{
	memset(a->b + a->len, 0, 1024);
	a->len += 1024;
}

/* The good archive: a file, a directory, a file under a prefix, the end. */
static void good(struct archive *a)
{
	a->len = 0;
	add(a, NULL, "etc/motd", '0', "hello, ares\n");
	add(a, NULL, "bin/", '5', NULL);
	add(a, "usr/share/very/deep", "file.txt", '0', "x");
	end_blocks(a);
}

/* Runs ustar_next over an exact-size copy until it stops; returns the last
   result, the number of entries read and the reason. */
static int walk(const struct archive *a, int *entries, const char **why,
		size_t *off)
{
	unsigned char *copy = malloc(a->len ? a->len : 1);
	struct ustar_entry e;
	int r;

	memcpy(copy, a->b, a->len);
	*entries = 0;
	*why = NULL;
	*off = 0;
	while ((r = ustar_next(copy, a->len, off, &e, why)) == 1)
		(*entries)++;
	free(copy);
	return r;
}

static void test_good(void)
{
	struct archive a;
	struct ustar_entry e;
	const char *why = NULL;
	size_t off = 0;

	good(&a);
	is_int(ustar_next(a.b, a.len, &off, &e, &why), 1, "first entry");
	is_str(e.name, "etc/motd", "its name");
	ok(e.type == '0' && e.size == 12 && e.mode == 0644 && e.mtime == 01234567,
	   "its type, size, mode and mtime");
	ok(e.data == a.b + 512 && memcmp(e.data, "hello, ares\n", 12) == 0,
	   "its data points into the archive");
	is_int(off, 1024, "offset advanced past the padded data");
	is_int(ustar_next(a.b, a.len, &off, &e, &why), 1, "second entry");
	ok(strcmp(e.name, "bin/") == 0 && e.type == '5' && e.size == 0, "a directory");
	is_int(ustar_next(a.b, a.len, &off, &e, &why), 1, "third entry");
	is_str(e.name, "usr/share/very/deep/file.txt", "prefix and name joined");
	is_int(ustar_next(a.b, a.len, &off, &e, &why), 0, "two zero blocks end it");
	is_int(ustar_next(a.b, a.len, &off, &e, &why), 0, "and it stays ended");
	off = 0;
	is_int(ustar_next(a.b, 0, &off, &e, &why), 0, "an empty archive has no entries");
}

static void test_find(void)
{
	struct archive a;
	struct ustar_entry e;
	const char *why = NULL;

	good(&a);
	is_int(ustar_find(a.b, a.len, "etc/motd", &e, &why), 1, "find etc/motd");
	is_int(ustar_find(a.b, a.len, "/etc/motd", &e, &why), 1, "find /etc/motd");
	is_int(ustar_find(a.b, a.len, "./bin", &e, &why), 1, "find ./bin (a directory)");
	ok(e.type == '5', "found the directory");
	is_int(ustar_find(a.b, a.len, "etc/mot", &e, &why), 0, "a prefix of a name is not found");
	is_int(ustar_find(a.b, a.len, "nope", &e, &why), 0, "an absent name is not found");
	a.b[1536 + 3] ^= 1; /* corrupt the third header */
	is_int(ustar_find(a.b, a.len, "nope", &e, &why), -1, "a malformed archive is reported");
	is_str(why, "bad header checksum", "with its reason");
}

/* One malformed archive: a mutation of the good one and the verdict. */
struct bad_case {
	const char *what;
	void (*mutate)(struct archive *a);
	int entries;         /* entries read before the verdict */
	int result;          /* last ustar_next result */
	const char *why;     /* reason, if result is -1 */
};

static void flip_name(struct archive *a) { a->b[0] ^= 0x20; }
static void bad_chk_field(struct archive *a) { memcpy(a->b + 148, "01x456\0 ", 8); }
static void empty_chk_field(struct archive *a) { memset(a->b + 148, 0, 8); }
static void bad_magic(struct archive *a) { memcpy(a->b + 257, "USTAR", 5); set_checksum(a->b); }
static void size_b256(struct archive *a) { a->b[124] = 0x80; set_checksum(a->b); }
static void mtime_b256(struct archive *a) { a->b[136] = 0xff; set_checksum(a->b); }
static void size_digit9(struct archive *a) { memcpy(a->b + 124, "00000000019", 11); set_checksum(a->b); }
static void size_space_in(struct archive *a) { memcpy(a->b + 124, "000 0000014", 11); set_checksum(a->b); }
static void mode_junk(struct archive *a) { memcpy(a->b + 100, "06-4", 4); set_checksum(a->b); }
static void uid_junk(struct archive *a) { a->b[110] = 'z'; set_checksum(a->b); }
static void gid_b256(struct archive *a) { a->b[116] = 0x80; set_checksum(a->b); }
static void size_huge(struct archive *a) { memcpy(a->b + 124, "77777777777", 11); set_checksum(a->b); }
static void size_just_over(struct archive *a)
{
	a->len = 0;
	add(a, NULL, "f", '0', "abc");
	a->len = 512 + 2; /* data cut short */
}
static void trunc_header(struct archive *a) { a->len = 1024 + 300; }
static void trunc_first(struct archive *a) { a->len = 511; }
static void empty_name(struct archive *a) { memset(a->b, 0, 100); set_checksum(a->b); }
static void long_name(struct archive *a)
{
	unsigned char *h = a->b + 1024;
	memset(h, 'n', 100);
	memset(h + 345, 'p', 155);
	set_checksum(h);
}
static void lone_zero(struct archive *a)
{
	a->len = 0;
	add(a, NULL, "a", '0', "1");
	memset(a->b + a->len, 0, 512);
	a->len += 512;
	add(a, NULL, "b", '0', "2");
	end_blocks(a);
}
static void zero_then_tail(struct archive *a)
{
	a->len = 1024 + 512 + 1024 + 512 + 100;
	a->b[a->len - 1] = 7;
}
static void no_end_blocks(struct archive *a) { a->len -= 1024; }
static void pad_cut(struct archive *a)
{
	a->len = 0;
	add(a, NULL, "f", '0', "abc");
	a->len = 512 + 3; /* data complete, padding absent */
}
static void signed_sum(struct archive *a)
{
	unsigned char *h = a->b;
	int sum = 0, i;
	h[1] = 0xe9;
	memset(h + 148, ' ', 8);
	for (i = 0; i < 512; i++)
		sum += (signed char)h[i];
	snprintf((char *)h + 148, 8, "%06o", sum & 0777777);
}
static void gnu_magic(struct archive *a)
{
	unsigned char *h = a->b;
	memcpy(h + 257, "ustar  ", 8);
	memset(h + 345, 'G', 20); /* GNU keeps atime here, not a prefix */
	set_checksum(h);
}
static void full_name(struct archive *a)
{
	memset(a->b, 'm', 100);
	set_checksum(a->b);
}
static void old_type(struct archive *a) { a->b[156] = '\0'; set_checksum(a->b); }

static const struct bad_case cases[] = {
	{ "good archive", NULL, 3, 0, NULL },
	{ "flipped name byte", flip_name, 0, -1, "bad header checksum" },
	{ "checksum field not octal", bad_chk_field, 0, -1, "bad octal number in checksum field" },
	{ "checksum field empty", empty_chk_field, 0, -1, "bad octal number in checksum field" },
	{ "bad magic", bad_magic, 0, -1, "not a ustar header (bad magic)" },
	{ "base-256 size", size_b256, 0, -1, "GNU base-256 number in size field (unsupported)" },
	{ "base-256 mtime", mtime_b256, 0, -1, "GNU base-256 number in mtime field (unsupported)" },
	{ "base-256 gid", gid_b256, 0, -1, "GNU base-256 number in gid field (unsupported)" },
	{ "digit 9 in size", size_digit9, 0, -1, "bad octal number in size field" },
	{ "space inside size", size_space_in, 0, -1, "bad octal number in size field" },
	{ "junk in mode", mode_junk, 0, -1, "bad octal number in mode field" },
	{ "junk in uid", uid_junk, 0, -1, "bad octal number in uid field" },
	{ "size of 8 GiB", size_huge, 0, -1, "entry size beyond archive" },
	{ "data cut short", size_just_over, 0, -1, "entry size beyond archive" },
	{ "truncated second header", trunc_header, 1, -1, "truncated header" },
	{ "truncated first header", trunc_first, 0, -1, "truncated header" },
	{ "empty name", empty_name, 0, -1, "empty name" },
	{ "prefix+name over 255", long_name, 1, -1, "name too long (prefix and name exceed 255 bytes)" },
	{ "lone zero block", lone_zero, 1, -1, "lone zero block followed by more headers" },
	{ "zero block, junk tail", zero_then_tail, 3, -1, "truncated header after a zero block" },
	{ "no end blocks", no_end_blocks, 3, 0, NULL },
	{ "last padding cut off", pad_cut, 1, 0, NULL },
	{ "signed-char checksum", signed_sum, 3, 0, NULL },
	{ "GNU magic ignores prefix", gnu_magic, 3, 0, NULL },
	{ "100-byte name, no NUL", full_name, 3, 0, NULL },
	{ "old-style type NUL", old_type, 3, 0, NULL },
};

static void test_bad(void)
{
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct bad_case *c = &cases[i];
		struct archive a;
		const char *why;
		size_t off;
		int n, r;

		good(&a);
		if (c->mutate)
			c->mutate(&a);
		r = walk(&a, &n, &why, &off);
		if (!ok(r == c->result && n == c->entries &&
			(c->why == NULL || (why && strcmp(why, c->why) == 0)),
			"%s: %d entries then %d", c->what, c->entries, c->result))
			diag("got %d entries then %d (%s) at offset %zu", n, r,
			     why ? why : "-", off);
	}
}

static void test_entry_details(void)
{
	struct archive a;
	struct ustar_entry e;
	const char *why;
	size_t off = 0;

	good(&a);
	gnu_magic(&a);
	ustar_next(a.b, a.len, &off, &e, &why);
	is_str(e.name, "etc/motd", "GNU header: the prefix field is not joined");
	good(&a);
	full_name(&a);
	off = 0;
	ustar_next(a.b, a.len, &off, &e, &why);
	is_int(strlen(e.name), 100, "a 100-byte name without NUL is read whole");
	good(&a);
	old_type(&a);
	off = 0;
	ustar_next(a.b, a.len, &off, &e, &why);
	ok(e.type == '0', "type NUL reads as '0'");
	good(&a);
	off = a.len;
	is_int(ustar_next(a.b, a.len, &off, &e, &why), 0, "at exactly the end: 0");
	off = a.len + 512;
	is_int(ustar_next(a.b, a.len, &off, &e, &why), -1, "offset beyond the archive");
	is_str(why, "offset beyond archive", "reason");
	off = 100;
	is_int(ustar_next(a.b, a.len, &off, &e, &why), -1, "misaligned offset");
	is_str(why, "offset not on a 512-byte block", "reason");
	a.len = 0;
	add(&a, NULL, "lnk", '2', NULL);
	memcpy(a.b + 157, "target/path", 11);
	set_checksum(a.b);
	end_blocks(&a);
	off = 0;
	ustar_next(a.b, a.len, &off, &e, &why);
	ok(e.type == '2' && strcmp(e.linkname, "target/path") == 0, "symlink target read");
}

/* Archives written by GNU tar in both its ustar and gnu formats. */
static void test_real_tar(void)
{
	static const char *const formats[] = { "ustar", "gnu" };
	char dir[] = "/tmp/merc-ustar-XXXXXX", cmd[512], path[600];
	size_t i;

	if (mkdtemp(dir) == NULL || system("tar --version >/dev/null 2>&1") != 0) {
		ok(1, "# SKIP no tar");
		return;
	}
	for (i = 0; i < 2; i++) {
		static unsigned char buf[64 * 1024];
		struct ustar_entry e;
		const char *why = NULL;
		size_t len, off = 0;
		int n = 0, r, found;
		FILE *f;

		snprintf(cmd, sizeof(cmd),
			 "cd %s && mkdir -p d/sub && printf 'abc' > d/sub/f && "
			 "printf '' > d/empty && tar --format=%s -cf t.tar d",
			 dir, formats[i]);
		snprintf(path, sizeof(path), "%s/t.tar", dir);
		f = system(cmd) == 0 ? fopen(path, "rb") : NULL;
		len = f ? fread(buf, 1, sizeof(buf), f) : 0;
		if (f)
			fclose(f);
		while ((r = ustar_next(buf, len, &off, &e, &why)) == 1)
			n++;
		found = ustar_find(buf, len, "d/sub/f", &e, &why);
		ok(len > 0 && r == 0 && n == 4 && found == 1 && e.size == 3 &&
		   memcmp(e.data, "abc", 3) == 0,
		   "GNU tar --format=%s: 4 entries, d/sub/f found", formats[i]);
	}
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		diag("could not remove %s", dir);
}

int main(void)
{
	test_real_tar();
	test_good();
	test_find();
	test_bad();
	test_entry_details();
	return done_testing();
}
