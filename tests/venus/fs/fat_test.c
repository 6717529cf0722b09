/*
 * fat_test.c: FAT12, FAT16 and FAT32 against dosfstools and mtools.
 *
 * For each type (and FAT16 with 4 KiB sectors): mkfs.fat makes the image and mtools fills it with a
 * host tree (long and short names, deep directories, files spanning many
 * clusters); our driver must read every file back byte for byte. Then
 * the driver writes, renames, truncates, deletes and makes directories;
 * mtools must read our files back identically, and fsck.fat -n must find
 * the image clean. Then the disk is filled (ENOSPC, still clean), and
 * broken images must be refused or fail with errors naming the structure.
 */
#include <time.h>

#include "fsimg.h"
#include "tap.h"
#include "fat/fat.h"

static const char *dir;
static char img[300], host[300];

struct sample { const char *path; size_t size; };

static const struct sample samples[] = {
	{"SHORT.TXT", 1000},
	{"lower.txt", 511},
	{"A long file name with spaces.text", 513},
	{"ünïcödé name.dat", 4096},
	{"empty", 0},
	{"big.bin", 300000},
	{"d1/d2/d3/d4/d5/d6/d7/d8/deep file.txt", 777},
	{"d1/sibling.c", 12345},
	{"Many/f1", 5}, {"Many/f2", 6}, {"Many/file number three", 7},
};
#define NSAMPLES (sizeof samples / sizeof samples[0])

static int64_t test_clock(void) { return 1700000000; }

static void make_host_tree(void)
{
	uint8_t *buf = malloc(300000);
	char p[600];

	sh("rm -rf %s && mkdir -p %s/d1/d2/d3/d4/d5/d6/d7/d8 %s/Many", host, host, host);
	for (size_t i = 0; i < NSAMPLES; i++) {
		fill_pattern(buf, samples[i].size, (uint32_t)i + 1);
		snprintf(p, sizeof p, "%s/%s", host, samples[i].path);
		if (write_host_file(p, buf, samples[i].size))
			bail_out("write host file");
	}
	free(buf);
}

static int mount_img(struct fs *fs, struct blkdev *d, unsigned flags)
{
	int err;

	if (blkdev_file_open(d, img, 512, !(flags & FS_MOUNT_RDONLY)))
		return -1;
	err = fat_mount(fs, d, flags, 64);
	if (err)
		blkdev_file_close(d);
	return err;
}

static void unmount_img(struct fs *fs, struct blkdev *d)
{
	int err = fs->ops->unmount(fs);

	if (err)
		diag("unmount: %s", fs_strerror(err));
	blkdev_file_close(d);
}

static int read_matches(struct fs *fs, const char *path, const uint8_t *want, size_t n)
{
	size_t got_n = 0;
	int err;
	uint8_t *got = fs_slurp(fs, path, &got_n, &err);
	int same = got && got_n == n && !memcmp(got, want, n);

	if (!got)
		diag("%s: %s (%s)", path, fs_strerror(err), fs->why);
	else if (!same)
		diag("%s: %zu bytes, want %zu", path, got_n, n);
	free(got);
	return same;
}

static void check_reads(int type)
{
	struct fs fs;
	struct blkdev d;
	uint8_t *buf = malloc(300000);
	int all = 1;

	is_int(mount_img(&fs, &d, FS_MOUNT_RDONLY), FS_OK, "FAT%d: mounts read-only", type);
	for (size_t i = 0; i < NSAMPLES; i++) {
		fill_pattern(buf, samples[i].size, (uint32_t)i + 1);
		all &= read_matches(&fs, samples[i].path, buf, samples[i].size);
	}
	ok(all, "FAT%d: every file mcopy wrote reads back identically", type);

	/* readdir of Many lists exactly its three names. */
	fs_node many;
	struct fs_dirent de;
	uint64_t cookie = 0;
	int count = 0, found3 = 0;
	fs_walk(&fs, "Many", &many);
	while (fs.ops->readdir(&fs, many, &cookie, &de) == FS_OK) {
		count++;
		found3 |= !strcmp(de.name, "file number three");
	}
	ok(count == 3 && found3, "FAT%d: readdir gives the three names with long names (%d)", type, count);
	fs_node n;
	is_int(fs_walk(&fs, "many/FILE NUMBER THREE", &n), FS_OK, "FAT%d: lookup is case-insensitive", type);
	is_int(fs_walk(&fs, "nope", &n), FS_ENOENT, "FAT%d: missing name is ENOENT", type);
	is_int(fs.ops->write(&fs, n, 0, "x", 1), FS_EROFS, "FAT%d: read-only mount refuses writes", type);
	unmount_img(&fs, &d);
	free(buf);
}

static int mtools_matches(const char *path, const uint8_t *want, size_t n)
{
	char out[400];
	size_t got_n;
	uint8_t *got;
	int same;

	snprintf(out, sizeof out, "%s/out.bin", dir);
	unlink(out);
	if (sh("MTOOLS_SKIP_CHECK=1 mcopy -n -i %s '::/%s' %s 2>&2", img, path, out))
		return 0;
	got = read_host_file(out, &got_n);
	same = got && got_n == n && !memcmp(got, want, n);
	if (!same)
		diag("mtools: %s differs (%zu bytes, want %zu)", path, got ? got_n : 0, n);
	free(got);
	return same;
}

static void check_writes(int type)
{
	struct fs fs;
	struct blkdev d;
	size_t big = type == 12 ? 200000 : 1500000;
	uint8_t *buf = malloc(big);
	fs_node dn, n;
	int err;

	is_int(mount_img(&fs, &d, 0), FS_OK, "FAT%d: mounts read-write", type);
	fill_pattern(buf, big, 99);
	is_int(fs_put(&fs, "written by ares.bin", buf, big), FS_OK, "FAT%d: write a %zu-byte file", type, big);
	is_int(fs_put(&fs, "SMALL.TXT", "hello\n", 6), FS_OK, "FAT%d: write a short-name file", type);
	is_int(fs_put(&fs, "d1/d2/d3/d4/d5/d6/d7/d8/new in deep.txt", "deep\n", 5), FS_OK, "FAT%d: write deep", type);
	is_int(fs_put(&fs, "SMALL.TXT", "x", 1), FS_EEXIST, "FAT%d: create over an existing name is EEXIST", type);
	is_int(fs_walk(&fs, "d1", &dn), FS_OK, "FAT%d: walk d1", type);
	is_int(fs.ops->mkdir(&fs, dn, "New Directory", 0755, &n), FS_OK, "FAT%d: mkdir with a long name", type);
	is_int(fs.ops->mkdir(&fs, n, "inner", 0755, &n), FS_OK, "FAT%d: mkdir inside it", type);
	is_int(fs_put(&fs, "d1/New Directory/inner/f.txt", "inner\n", 6), FS_OK, "FAT%d: file in it", type);
	/* Many names in one directory: the directory grows past a cluster. */
	char name[64];
	err = 0;
	for (int i = 0; i < 150 && !err; i++) {
		snprintf(name, sizeof name, "d1/New Directory/entry with a long name %03d", i);
		err = fs_put(&fs, name, name, strlen(name));
	}
	is_int(err, FS_OK, "FAT%d: 150 long names in one directory", type);
	is_int(fs.ops->rename(&fs, fs.root, "SMALL.TXT", dn, "renamed small.txt"), FS_OK, "FAT%d: rename across directories", type);
	fs_node many;
	fs_walk(&fs, "Many", &many);
	is_int(fs.ops->rename(&fs, many, "f1", many, "F1 renamed"), FS_OK, "FAT%d: rename in place", type);
	is_int(fs.ops->rename(&fs, fs.root, "d1", dn, "x"), FS_EINVAL, "FAT%d: moving a directory into itself is refused", type);
	fs_walk(&fs, "d1/d2", &n);
	is_int(fs.ops->rename(&fs, dn, "d2", many, "d2 moved"), FS_OK, "FAT%d: move a directory (its .. follows)", type);
	is_int(fs.ops->unlink(&fs, fs.root, "lower.txt"), FS_OK, "FAT%d: unlink", type);
	is_int(fs.ops->unlink(&fs, fs.root, "lower.txt"), FS_ENOENT, "FAT%d: unlink again is ENOENT", type);
	is_int(fs.ops->unlink(&fs, fs.root, "Many"), FS_EISDIR, "FAT%d: unlink of a directory is EISDIR", type);
	is_int(fs.ops->rmdir(&fs, fs.root, "Many"), FS_ENOTEMPTY, "FAT%d: rmdir of a full directory is ENOTEMPTY", type);
	fs_walk(&fs, "d1/New Directory", &n);
	is_int(fs.ops->mkdir(&fs, n, "gone", 0755, &dn), FS_OK, "FAT%d: mkdir gone", type);
	is_int(fs.ops->rmdir(&fs, n, "gone"), FS_OK, "FAT%d: rmdir", type);
	fs_walk(&fs, "big.bin", &n);
	is_int(fs.ops->truncate(&fs, n, 1000), FS_OK, "FAT%d: truncate down", type);
	fs_walk(&fs, "empty", &n);
	is_int(fs.ops->truncate(&fs, n, 5000), FS_OK, "FAT%d: truncate up (zero-filled)", type);
	is_int(fs.ops->write(&fs, n, 6000, "tail", 4), FS_OK, "FAT%d: write past the end leaves a zero gap", type);
	is_int(fs.ops->create(&fs, fs.root, "bad:name", 0644, &n), FS_EINVAL, "FAT%d: illegal character refused", type);
	char longname[300];
	memset(longname, 'n', 256);
	longname[256] = 0;
	is_int(fs.ops->create(&fs, fs.root, longname, 0644, &n), FS_ENAMETOOLONG, "FAT%d: 256-character name refused", type);
	unmount_img(&fs, &d);

	is_int(sh("fsck.fat -n %s >&2", img), 0, "FAT%d: fsck.fat -n finds the image clean after our writes", type);
	ok(mtools_matches("written by ares.bin", buf, big), "FAT%d: mtools reads our big file identically", type);
	ok(mtools_matches("d1/renamed small.txt", (const uint8_t *)"hello\n", 6), "FAT%d: mtools reads the renamed file", type);
	ok(mtools_matches("d1/New Directory/inner/f.txt", (const uint8_t *)"inner\n", 6), "FAT%d: mtools reads the nested new file", type);
	ok(mtools_matches("Many/d2 moved/d3/d4/d5/d6/d7/d8/new in deep.txt", (const uint8_t *)"deep\n", 5),
	   "FAT%d: mtools reads through the moved directory", type);
	ok(mtools_matches("d1/New Directory/entry with a long name 149",
			  (const uint8_t *)"d1/New Directory/entry with a long name 149", 43), "FAT%d: mtools reads the 150th entry", type);
	uint8_t expect[6004] = {0};
	memcpy(expect + 6000, "tail", 4);
	ok(mtools_matches("empty", expect, 6004), "FAT%d: mtools sees the zero-filled growth", type);
	fill_pattern(buf, 1000, 6);
	ok(mtools_matches("big.bin", buf, 1000), "FAT%d: mtools sees the truncated file", type);
	ok(sh("MTOOLS_SKIP_CHECK=1 mdir -i %s ::/lower.txt >/dev/null 2>&1", img) != 0, "FAT%d: mtools no longer finds the unlinked file", type);
	free(buf);
}

static void check_full(int type)
{
	struct fs fs;
	struct blkdev d;
	uint8_t *buf = calloc(1, 65536);
	fs_node n;
	int err = 0, files = 0;

	is_int(mount_img(&fs, &d, 0), FS_OK, "FAT%d: mount to fill", type);
	fs.ops->create(&fs, fs.root, "filler", 0644, &n);
	for (uint64_t off = 0; !err; off += 65536)
		err = fs.ops->write(&fs, n, off, buf, 65536);
	is_int(err, FS_ENOSPC, "FAT%d: filling the disk ends in ENOSPC", type);
	char name[32];
	for (err = 0; !err && files < 100000; files++) {
		snprintf(name, sizeof name, "small%d", files);
		err = fs_put(&fs, name, "z", 1);
	}
	ok(err == FS_ENOSPC, "FAT%d: then a small file also gets ENOSPC (%s)", type, fs_strerror(err));
	unmount_img(&fs, &d);
	is_int(sh("fsck.fat -n %s >&2", img), 0, "FAT%d: full disk is clean", type);
	is_int(mount_img(&fs, &d, 0), FS_OK, "FAT%d: remount", type);
	is_int(fs.ops->unlink(&fs, fs.root, "filler"), FS_OK, "FAT%d: unlink the filler", type);
	is_int(fs_put(&fs, "after.bin", buf, 65536), FS_OK, "FAT%d: space is usable again", type);
	unmount_img(&fs, &d);
	is_int(sh("fsck.fat -n %s >&2", img), 0, "FAT%d: clean after freeing", type);
	free(buf);
}

static void run_type(int type, const char *extra)
{
	char opts[64];
	const char *size = type == 12 ? "4096" : type == 16 ? (*extra ? "65536" : "32768") : "40960";

	snprintf(opts, sizeof opts, "%s %s", type == 12 ? "-F 12" : type == 16 ? "-F 16" : "-F 32 -s 1", extra);

	unlink(img);
	is_int(sh("mkfs.fat -C %s -n ARES %s %s >&2", opts, img, size), 0, "FAT%d: mkfs.fat", type);
	is_int(sh("cd %s && MTOOLS_SKIP_CHECK=1 mcopy -s -i %s * ::/ >&2", host, img), 0, "FAT%d: mcopy the tree", type);
	check_reads(type);
	check_writes(type);
	check_full(type);
}

/* Patches bytes of the image. */
static void poke(uint64_t off, const void *b, size_t n)
{
	FILE *f = fopen(img, "r+b");

	if (!f || fseek(f, (long)off, SEEK_SET) || fwrite(b, 1, n, f) != n)
		bail_out("poke");
	fclose(f);
}

static void expect_mount_error(const char *what, const char *needle)
{
	struct fs fs;
	struct blkdev d;
	int err = mount_img(&fs, &d, FS_MOUNT_RDONLY);

	ok(err == FS_ECORRUPT && strstr(fs.why, needle), "bad image (%s) refused: %s", what, fs.why);
	if (!err)
		unmount_img(&fs, &d);
}

static void fresh16(void)
{
	unlink(img);
	sh("mkfs.fat -C -F 16 %s 32768 >&2", img);
	sh("MTOOLS_SKIP_CHECK=1 mcopy -i %s %s/big.bin ::/BIG.BIN >&2", img, host);
}

static void check_bad(void)
{
	struct fs fs;
	struct blkdev d;
	fs_node n;
	int err;

	fresh16();
	poke(11, "\x64\x00", 2);
	expect_mount_error("bytes per sector 100", "bytes per sector");
	fresh16();
	poke(13, "\x03", 1);
	expect_mount_error("sectors per cluster 3", "sectors per cluster");
	fresh16();
	poke(510, "\x00\x00", 2);
	expect_mount_error("no signature", "55 AA");
	fresh16();
	poke(22, "\x01\x00", 2);
	expect_mount_error("FAT too small", "FAT");
	fresh16();
	poke(16, "\x00", 1);
	expect_mount_error("no FATs", "number of FATs");
	fresh16();
	poke(32, "\xff\xff\xff\x7f", 4);
	poke(19, "\x00\x00", 2);
	expect_mount_error("volume larger than device", "larger than the device");

	/* A FAT chain that loops: BIG.BIN's second cluster links to its first. */
	fresh16();
	is_int(mount_img(&fs, &d, FS_MOUNT_RDONLY), FS_OK, "FAT16 for chain damage");
	uint8_t ent[32];
	fs_walk(&fs, "BIG.BIN", &n);
	FILE *f = fopen(img, "rb");
	fseek(f, (long)(n * 32), SEEK_SET);
	if (fread(ent, 1, 32, f) != 32)
		bail_out("entry");
	fclose(f);
	unmount_img(&fs, &d);
	uint16_t first = (uint16_t)(ent[26] | ent[27] << 8);
	uint8_t link[2] = {(uint8_t)first, (uint8_t)(first >> 8)};
	/* Where the FATs are, from the boot sector. */
	uint8_t bs[512];
	f = fopen(img, "rb");
	if (fread(bs, 1, 512, f) != 512)
		bail_out("bs");
	fclose(f);
	uint32_t rsvd = bs[14] | bs[15] << 8, fatsz = bs[22] | bs[23] << 8;
	for (uint32_t copy = 0; copy < bs[16]; copy++)
		poke((uint64_t)(rsvd + copy * fatsz) * 512 + (first + 1) * 2, link, 2);
	mount_img(&fs, &d, FS_MOUNT_RDONLY);
	size_t len;
	uint8_t *data = fs_slurp(&fs, "BIG.BIN", &len, &err);
	ok(!data && err == FS_ECORRUPT, "a looping chain is an error, not a hang: %s", fs.why);
	free(data);
	unmount_img(&fs, &d);

	/* An out-of-range link. */
	for (uint32_t copy = 0; copy < bs[16]; copy++)
		poke((uint64_t)(rsvd + copy * fatsz) * 512 + (first + 1) * 2, "\xf0\xff", 2);
	mount_img(&fs, &d, FS_MOUNT_RDONLY);
	data = fs_slurp(&fs, "BIG.BIN", &len, &err);
	ok(!data && err == FS_ECORRUPT && strstr(fs.why, "out of range"), "a link out of range is named: %s", fs.why);
	free(data);
	unmount_img(&fs, &d);

	/* A directory whose chain loops on itself. */
	fresh16();
	sh("MTOOLS_SKIP_CHECK=1 mmd -i %s ::/SUB >&2", img);
	mount_img(&fs, &d, FS_MOUNT_RDONLY);
	fs_walk(&fs, "SUB", &n);
	f = fopen(img, "rb");
	fseek(f, (long)(n * 32), SEEK_SET);
	if (fread(ent, 1, 32, f) != 32)
		bail_out("entry");
	fclose(f);
	unmount_img(&fs, &d);
	first = (uint16_t)(ent[26] | ent[27] << 8);
	link[0] = (uint8_t)first, link[1] = (uint8_t)(first >> 8);
	for (uint32_t copy = 0; copy < bs[16]; copy++)
		poke((uint64_t)(rsvd + copy * fatsz) * 512 + first * 2, link, 2);
	mount_img(&fs, &d, FS_MOUNT_RDONLY);
	struct fs_dirent de;
	uint64_t cookie = 0;
	err = fs.ops->readdir(&fs, n, &cookie, &de);
	ok(err == FS_ECORRUPT && strstr(fs.why, "loop"), "a looping directory is named: %s", fs.why);
	unmount_img(&fs, &d);
}

int main(void)
{
	dir = fsimg_scratch();
	snprintf(img, sizeof img, "%s/fat.img", dir);
	snprintf(host, sizeof host, "%s/tree", dir);
	fs_set_clock(test_clock);
	plan_no_plan();
	make_host_tree();
	run_type(12, "");
	run_type(16, "");
	run_type(32, "");
	run_type(16, "-S 4096");	/* 4 KiB sectors: the cache's blocks follow the BPB */
	check_bad();
	return done_testing();
}
