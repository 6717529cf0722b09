/*
 * unit_test.c: the small pieces on their own: CRC test vectors, UTF-8 and
 * UTF-16 conversion (and its refusals), FAT short names and the long-name
 * checksum, the block cache (pinning, eviction with write-back, flush, a
 * full cache, a failing device), range checks and slices, path walking.
 */
#include "fsimg.h"
#include "tap.h"
#include "fs/bcache.h"
#include "fs/crc.h"
#include "fs/utf.h"
#include "fat/fat_int.h"

static void test_crc(void)
{
	is_int(crc32_ieee(0, "123456789", 9), 0xCBF43926u, "CRC-32 check value");
	is_int(crc32c_raw(~0u, "123456789", 9) ^ ~0u, 0xE3069283u, "CRC-32C check value");
	uint32_t part = crc32_ieee(0, "12345", 5);
	is_int(crc32_ieee(part, "6789", 4), 0xCBF43926u, "CRC-32 resumes");
	uint8_t big[1000];
	fill_pattern(big, sizeof big, 1);
	uint32_t a = crc32c_raw(7, big, 1000), b = crc32c_raw(crc32c_raw(7, big, 3), big + 3, 997);
	is_int(a, b, "CRC-32C split at an odd offset (slicing and bytes agree)");
}

static void test_utf(void)
{
	uint16_t u[8];
	char out[16];

	is_int(utf8_to_utf16("aé€😀", u, 8), 5, "UTF-8 to UTF-16 with a surrogate pair");
	ok(u[3] == 0xD83D && u[4] == 0xDE00, "the pair is right");
	is_int(utf16_to_utf8(u, 5, out, sizeof out), 10, "and back");
	is_str(out, "aé€😀", "round trip");
	is_int(utf8_to_utf16("\xC0\xAF", u, 8), -1, "overlong UTF-8 refused");
	is_int(utf8_to_utf16("\xED\xA0\x80", u, 8), -1, "encoded surrogate refused");
	is_int(utf8_to_utf16("\xE2\x82", u, 8), -1, "truncated sequence refused");
	is_int(utf8_to_utf16("abcdefghi", u, 8), -1, "too long for the buffer refused");
	uint16_t lone[2] = {0xDC00, 'x'};
	utf16_to_utf8(lone, 2, out, sizeof out);
	is_str(out, "\xEF\xBF\xBDx", "an unpaired surrogate becomes U+FFFD");
	is_int(utf16_to_utf8(u, 5, out, 4), -1, "output too small refused");
}

static void test_fat_names(void)
{
	uint8_t s[11];

	fat_short_basis("long file name.txt", 1, s);
	ok(!memcmp(s, "LONGFI~1TXT", 11), "basis of a long name");
	fat_short_basis(".profile", 12, s);
	ok(!memcmp(s, "PROFI~12   ", 11), "a leading dot is dropped, two-digit tail");
	fat_short_basis("ünï.c", 3, s);
	ok(!memcmp(s, "_N_~3   C  ", 11), "non-ASCII becomes _");
	ok(fat_short_exact("README.TXT", s) && !memcmp(s, "README  TXT", 11), "exact 8.3 name");
	ok(!fat_short_exact("readme.txt", s), "lower case is not exact");
	ok(!fat_short_exact("TOOLONGNAME.TXT", s), "nine characters are not exact");
	ok(!fat_short_exact("A.B.C", s), "two dots are not exact");
	is_int(fat_lfn_checksum((const uint8_t *)"LONGFI~1TXT"), 0xD4, "long-name checksum (what mtools writes for it)");
	ok(!fat_name_valid("a:b") && !fat_name_valid("..") && !fat_name_valid("") && fat_name_valid("ok name"),
	   "illegal long names refused");
}

static void test_bcache(void)
{
	struct blkdev d;
	struct blkdev_mem m;
	struct bcache c;
	struct bbuf *b[4], *x;
	uint8_t *disk = calloc(1, 64 * 1024);

	blkdev_mem_init(&d, &m, disk, 64 * 1024, 512);
	is_int(bcache_init(&c, &d, 1000, 4), FS_EINVAL, "block size not a multiple of the sector refused");
	is_int(bcache_init(&c, &d, 1024, 3), FS_OK, "cache of three 1 KiB blocks");
	for (int i = 0; i < 3; i++) {
		bcache_get(&c, (uint64_t)i, 0, &b[i]);
		memset(b[i]->data, 'a' + i, 1024);
		bcache_dirty(b[i]);
	}
	is_int(bcache_get(&c, 3, 0, &x), FS_ENOMEM, "all buffers pinned: ENOMEM, nothing evicted");
	is_int(m.writes, 0, "nothing written yet (write-back)");
	bcache_put(&c, b[0]);
	is_int(bcache_get(&c, 3, 0, &x), FS_OK, "one unpinned: it is recycled");
	ok(m.writes == 1 && disk[0] == 'a', "its dirty contents were written back first");
	bcache_put(&c, x);
	bcache_put(&c, b[1]);
	bcache_put(&c, b[2]);
	is_int(bcache_get(&c, 64, 0, &x), FS_EIO, "a block past the device is EIO");
	is_int(bcache_flush(&c), FS_OK, "flush");
	ok(disk[1024] == 'b' && disk[2048] == 'c', "flush wrote every dirty block");
	long w = m.writes;
	is_int(bcache_flush(&c), FS_OK, "a second flush");
	is_int(m.writes, w, "writes nothing");
	bcache_get(&c, 5, 1, &x);
	memset(x->data, 'z', 1024);
	bcache_dirty(x);
	bcache_put(&c, x);
	m.fail_after_writes = m.writes;
	is_int(bcache_flush(&c), FS_EIO, "a failing device: flush reports EIO");
	ok(disk[5 * 1024] == 0, "and nothing reached it");
	bcache_destroy(&c);
	free(disk);
}

static void test_ranges(void)
{
	struct blkdev d, s;
	struct blkdev_mem m;
	struct blkdev_slice sl;
	uint8_t *disk = calloc(1, 8192), buf[512];

	blkdev_mem_init(&d, &m, disk, 8192, 512);
	is_int(blkdev_read(&d, 16, 1, buf), FS_EIO, "read past the end");
	is_int(blkdev_read(&d, 15, 2, buf), FS_EIO, "read straddling the end");
	is_int(blkdev_read(&d, UINT64_MAX, 2, buf), FS_EIO, "read with an overflowing range");
	blkdev_slice_init(&s, &sl, &d, 10, 100);
	is_int(s.sectors, 6, "a slice is clipped to its parent");
	memset(buf, 'q', 512);
	is_int(blkdev_write(&s, 0, 1, buf), FS_OK, "write through a slice");
	ok(disk[10 * 512] == 'q', "lands at the slice's offset");
	is_int(blkdev_write(&s, 6, 1, buf), FS_EIO, "write past the slice");
	free(disk);
}

static int lookups;
static int fake_lookup(struct fs *fs, fs_node dir, const char *name, fs_node *out)
{
	(void)fs;
	lookups++;
	if (!strcmp(name, "missing"))
		return FS_ENOENT;
	*out = dir * 10 + strlen(name);
	return FS_OK;
}

static void test_walk(void)
{
	static const struct fs_ops ops = {.lookup = fake_lookup};
	struct fs fs = {.ops = &ops, .root = 1};
	fs_node n, dir;
	const char *name;
	char longname[800];

	is_int(fs_walk(&fs, "//ab/c//", &n), FS_OK, "walk with extra slashes");
	is_int(n, 121, "two lookups from the root");
	is_int(fs_walk(&fs, "a/missing/b", &n), FS_ENOENT, "a missing component");
	is_int(fs_walk(&fs, "", &n), FS_OK, "the empty path is the root");
	is_int(n, 1, "root");
	memset(longname, 'x', 799);
	longname[799] = 0;
	is_int(fs_walk(&fs, longname, &n), FS_ENAMETOOLONG, "a component over FS_NAME_MAX");
	is_int(fs_walk_parent(&fs, "a/bc/file", &dir, &name), FS_OK, "parent of a path");
	ok(dir == 112 && !strcmp(name, "file"), "parent node and last name");
	is_int(fs_walk_parent(&fs, "/", &dir, &name), FS_EINVAL, "the root has no parent name");
	is_int(fs_walk_parent(&fs, "a/b/", &dir, &name), FS_EINVAL, "a trailing slash is refused");
	is_str(fs_strerror(FS_ENOTEMPTY), "directory not empty", "error text");
	is_str(fs_strerror(999), "unknown error", "unknown error text");
}

int main(void)
{
	plan_no_plan();
	test_crc();
	test_utf();
	test_fat_names();
	test_bcache();
	test_ranges();
	test_walk();
	return done_testing();
}
