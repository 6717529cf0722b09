/*
 * ext4_write_test.c: our ext4 writes against e2fsprogs. On images from
 * mkfs.ext4 (4 KiB and 1 KiB blocks, with and without metadata_csum) the
 * driver creates, writes, truncates, renames, unlinks, makes and removes
 * directories and symlinks, grows extent trees two levels deep and
 * changes an htree directory; then e2fsck -fn must find the image clean
 * and debugfs must read back every file identically. Filling the disk
 * must end in ENOSPC with the image still clean.
 */
#include "fsimg.h"
#include "tap.h"
#include "ext4/ext4.h"

static const char *dir;
static char img[300], host[300];
static int64_t test_clock(void) { return 1700000000; }

static int mount_img(struct fs *fs, struct blkdev *d, unsigned flags)
{
	int err;

	if (blkdev_file_open(d, img, 512, !(flags & FS_MOUNT_RDONLY)))
		return -1;
	if ((err = ext4_mount(fs, d, flags, 0)))
		blkdev_file_close(d);
	return err;
}

static int unmount_img(struct fs *fs, struct blkdev *d)
{
	int err = fs->ops->unmount(fs);

	blkdev_file_close(d);
	return err;
}

static int debugfs_matches(const char *path, const uint8_t *want, size_t n)
{
	char out[400];
	size_t got_n = 0;
	uint8_t *got;
	int same;

	snprintf(out, sizeof out, "%s/dump.bin", dir);
	unlink(out);
	sh("debugfs -R 'dump \"/%s\" %s' %s >/dev/null 2>&1", path, out, img);
	got = read_host_file(out, &got_n);
	same = got && got_n == n && !memcmp(got, want, n);
	if (!same)
		diag("debugfs: /%s differs (%zu bytes, want %zu)", path, got ? got_n : 0, n);
	free(got);
	return same;
}

static int ours_match(struct fs *fs, const char *path, const uint8_t *want, size_t n)
{
	size_t got_n = 0;
	int err;
	uint8_t *got = fs_slurp(fs, path, &got_n, &err);
	int same = got && got_n == n && !memcmp(got, want, n);

	if (!same)
		diag("ours: %s: %s %s", path, got ? "differs" : fs_strerror(err), got ? "" : fs->why);
	free(got);
	return same;
}

#define BIG (3u << 20)
#define SPARSE_BLOCKS 3000

static const char long_target[] = "this/symlink/target/is/long/enough/that/it/needs/a/data/block/of/its/own.txt";

/* The operations; each is checked as it runs. */
static void do_writes(struct fs *fs, const char *label, uint32_t bs)
{
	uint8_t *buf = malloc(BIG);
	fs_node n, d, d2, many;
	char name[64];
	int err = 0;

	fill_pattern(buf, BIG, 1);
	is_int(fs_put(fs, "big.bin", buf, BIG), FS_OK, "%s: write a 3 MiB file", label);
	is_int(fs_put(fs, "hello.txt", "hello, ext4\n", 12), FS_OK, "%s: write a small file", label);
	is_int(fs_put(fs, "hello.txt", "x", 1), FS_EEXIST, "%s: create over a name is EEXIST", label);
	is_int(fs->ops->mkdir(fs, fs->root, "dir", 0755, &d), FS_OK, "%s: mkdir", label);
	is_int(fs->ops->mkdir(fs, d, "sub", 0755, &d2), FS_OK, "%s: mkdir inside", label);
	is_int(fs_put(fs, "dir/sub/inner.txt", "inner\n", 6), FS_OK, "%s: file in a new directory", label);
	is_int(fs->ops->symlink(fs, d, "fast", "../hello.txt", &n), FS_OK, "%s: fast symlink", label);
	is_int(fs->ops->symlink(fs, d, "slow", long_target, &n), FS_OK, "%s: slow symlink", label);
	/* Every other block: one extent each, so the tree grows two levels. */
	fs->ops->create(fs, fs->root, "sparse.bin", 0644, &n);
	for (uint32_t i = 0; i < SPARSE_BLOCKS && !err; i++)
		err = fs->ops->write(fs, n, (uint64_t)i * 2 * bs, buf + (i % 64) * 16, 16);
	is_int(err, FS_OK, "%s: %u separate extents", label, SPARSE_BLOCKS);
	is_int(fs->ops->mkdir(fs, fs->root, "lots", 0755, &d2), FS_OK, "%s: mkdir lots", label);
	for (int i = 0; i < 300 && !err; i++) {
		snprintf(name, sizeof name, "lots/a-file-with-a-long-name-%03d", i);
		err = fs_put(fs, name, name, strlen(name));
	}
	is_int(err, FS_OK, "%s: 300 files in one directory (several blocks)", label);
	fs_walk(fs, "many", &many);
	is_int(fs_put(fs, "many/added-to-an-htree", "added\n", 6), FS_OK, "%s: add to an htree directory", label);
	is_int(fs->ops->unlink(fs, many, "e0007"), FS_OK, "%s: unlink in it", label);
	is_int(fs->ops->rename(fs, fs->root, "hello.txt", d, "hello-moved.txt"), FS_OK, "%s: rename across directories", label);
	is_int(fs->ops->rename(fs, d, "sub", fs->root, "sub-moved"), FS_OK, "%s: move a directory (.. follows)", label);
	is_int(fs->ops->rename(fs, fs->root, "dir", d, "x"), FS_EINVAL, "%s: a directory into itself is refused", label);
	is_int(fs_put(fs, "victim", "v", 1), FS_OK, "%s: victim", label);
	is_int(fs->ops->rename(fs, many, "e0001", fs->root, "victim"), FS_OK, "%s: rename over a file", label);
	is_int(fs->ops->unlink(fs, fs->root, "dir"), FS_EISDIR, "%s: unlink of a directory", label);
	is_int(fs->ops->rmdir(fs, fs->root, "dir"), FS_ENOTEMPTY, "%s: rmdir of a full directory", label);
	fs->ops->mkdir(fs, fs->root, "gone", 0755, &n);
	is_int(fs->ops->rmdir(fs, fs->root, "gone"), FS_OK, "%s: rmdir", label);
	is_int(fs->ops->unlink(fs, fs->root, "gone"), FS_ENOENT, "%s: it is gone", label);
	fs_put(fs, "tobedeleted", buf, 100000);
	is_int(fs->ops->unlink(fs, fs->root, "tobedeleted"), FS_OK, "%s: unlink a file with blocks", label);
	fs_walk(fs, "trunc.bin", &n);
	is_int(fs->ops->truncate(fs, n, 5000), FS_OK, "%s: truncate down mid-block", label);
	is_int(fs->ops->truncate(fs, n, 20000), FS_OK, "%s: truncate up (a hole)", label);
	is_int(fs->ops->write(fs, n, 30000, "end", 3), FS_OK, "%s: write past the end", label);
	memset(name, 'n', 63);
	name[63] = 0;
	char longname[300];
	memset(longname, 'l', 256);
	longname[256] = 0;
	is_int(fs->ops->create(fs, fs->root, longname, 0644, &n), FS_ENAMETOOLONG, "%s: 256-byte name refused", label);
	is_int(fs->ops->sync(fs), FS_OK, "%s: sync", label);
	free(buf);
}

static void check_results(struct fs *fs, const char *label, uint32_t bs, int ours)
{
	uint8_t *buf = malloc(BIG), *sparse = calloc(1, (size_t)SPARSE_BLOCKS * 2 * bs);
	int (*m)(struct fs *, const char *, const uint8_t *, size_t) = ours_match;
	char name[64], tag[16];
	int all = 1;

	snprintf(tag, sizeof tag, "%s", ours ? "ours" : "debugfs");
#define MATCH(p, w, n) (ours ? m(fs, p, w, n) : debugfs_matches(p, w, n))
	fill_pattern(buf, BIG, 1);
	all &= MATCH("big.bin", buf, BIG);
	all &= MATCH("dir/hello-moved.txt", (const uint8_t *)"hello, ext4\n", 12);
	all &= MATCH("sub-moved/inner.txt", (const uint8_t *)"inner\n", 6);
	all &= MATCH("many/added-to-an-htree", (const uint8_t *)"added\n", 6);
	all &= MATCH("victim", (const uint8_t *)"many 1\n", 7);
	for (uint32_t i = 0; i < SPARSE_BLOCKS; i++)
		memcpy(sparse + (size_t)i * 2 * bs, buf + (i % 64) * 16, 16);
	all &= MATCH("sparse.bin", sparse, (size_t)(SPARSE_BLOCKS - 1) * 2 * bs + 16);
	for (int i = 0; i < 300; i += 37) {
		snprintf(name, sizeof name, "lots/a-file-with-a-long-name-%03d", i);
		all &= MATCH(name, (const uint8_t *)name, strlen(name));
	}
	uint8_t t[30003] = {0};
	fill_pattern(t, 5000, 3);
	memset(t + 5000, 0, sizeof t - 5000);
	memcpy(t + 30000, "end", 3);
	all &= MATCH("trunc.bin", t, 30003);
	ok(all, "%s: %s reads back every file identically", label, tag);
	if (!ours) {
		ok(sh("debugfs -R 'stat /dir/slow' %s 2>/dev/null | grep -q 'Fast link dest' ", img) != 0 &&
		   sh("debugfs -R 'stat /dir/fast' %s 2>/dev/null | grep -q 'Fast link dest: \"../hello.txt\"'", img) == 0,
		   "%s: debugfs sees the fast symlink's target", label);
		ok(sh("debugfs -R 'cat /dir/slow' %s 2>/dev/null | grep -q '^%s$'", img, long_target) == 0,
		   "%s: debugfs reads the slow symlink's block", label);
		ok(sh("debugfs -R 'ls /sub-moved/..' %s 2>/dev/null | grep -q 'sparse.bin'", img) == 0,
		   "%s: the moved directory's .. is the root", label);
		ok(sh("debugfs -R 'ex /sparse.bin' %s 2>/dev/null | grep -q '^ 1/ 2'", img) == 0,
		   "%s: sparse.bin's extent tree is two levels deep", label);
	}
	free(buf);
	free(sparse);
}

static void run_layout(const char *label, const char *opts)
{
	struct fs fs;
	struct blkdev d;
	uint32_t bs = strstr(opts, "1024") ? 1024 : 4096;
	uint8_t t[5000];
	char p[700];

	sh("rm -rf %s && mkdir -p %s/many", host, host);
	for (int i = 0; i < 300; i++) {
		snprintf(p, sizeof p, "%s/many/e%04d", host, i);
		char body[16];
		snprintf(body, sizeof body, "many %d\n", i);
		write_host_file(p, body, strlen(body));
	}
	fill_pattern(t, 5000, 3);
	uint8_t *tb = malloc(100000);
	fill_pattern(tb, 5000, 3);
	fill_pattern(tb + 5000, 95000, 4);
	snprintf(p, sizeof p, "%s/trunc.bin", host);
	write_host_file(p, tb, 100000);
	free(tb);
	unlink(img);
	is_int(sh("mkfs.ext4 -q -F %s -d %s %s 128M >&2 && e2fsck -fyD %s >/dev/null 2>&1", opts, host, img, img), 0,
	       "%s: mkfs.ext4, e2fsck -D", label);
	int err = mount_img(&fs, &d, 0);
	is_int(err, FS_OK, "%s: mounts", label);
	if (err)
		return;
	ok(!(fs.flags & FS_MOUNT_RDONLY), "%s: read-write (%s)", label, fs.flags & FS_MOUNT_RDONLY ? fs.why : "yes");
	do_writes(&fs, label, bs);
	is_int(unmount_img(&fs, &d), FS_OK, "%s: unmount", label);
	is_int(sh("e2fsck -fn %s >&2", img), 0, "%s: e2fsck -fn finds the image clean", label);
	check_results(NULL, label, bs, 0);
	mount_img(&fs, &d, FS_MOUNT_RDONLY);
	check_results(&fs, label, bs, 1);
	unmount_img(&fs, &d);
}

static void check_full(void)
{
	struct fs fs;
	struct blkdev d;
	uint8_t *buf = calloc(1, 1 << 20);
	fs_node n;
	int err = 0, i;
	char name[32];

	unlink(img);
	sh("mkfs.ext4 -q -F -b 4096 -N 128 %s 16M >&2", img);
	mount_img(&fs, &d, 0);
	fs.ops->create(&fs, fs.root, "filler", 0644, &n);
	for (uint64_t off = 0; !err; off += 1 << 20)
		err = fs.ops->write(&fs, n, off, buf, 1 << 20);
	is_int(err, FS_ENOSPC, "full: a big write ends in ENOSPC");
	is_int(fs.ops->mkdir(&fs, fs.root, "no-room", 0755, &n), FS_ENOSPC, "full: mkdir without a block is ENOSPC");
	is_int(fs.ops->symlink(&fs, fs.root, "no-room-link", "a/target/that/is/longer/than/sixty/bytes/so/it/needs/a/data/block/of/its/own", &n),
	       FS_ENOSPC, "full: a slow symlink without a block is ENOSPC (its inode given back)");
	for (err = 0, i = 0; !err && i < 1000; i++) {
		snprintf(name, sizeof name, "f%d", i);
		err = fs.ops->create(&fs, fs.root, name, 0644, &n);
	}
	is_int(err, FS_ENOSPC, "full: creating files runs out of inodes (ENOSPC)");
	is_int(unmount_img(&fs, &d), FS_OK, "full: unmount");
	is_int(sh("e2fsck -fn %s >&2", img), 0, "full: e2fsck -fn finds the full image clean");
	mount_img(&fs, &d, 0);
	is_int(fs.ops->unlink(&fs, fs.root, "filler"), FS_OK, "full: unlink the filler");
	is_int(fs_put(&fs, "after", buf, 1 << 20), FS_OK, "full: space is usable again");
	unmount_img(&fs, &d);
	is_int(sh("e2fsck -fn %s >&2", img), 0, "full: clean after freeing");
	free(buf);
}

int main(void)
{
	dir = fsimg_scratch();
	snprintf(img, sizeof img, "%s/ext4.img", dir);
	snprintf(host, sizeof host, "%s/tree", dir);
	fs_set_clock(test_clock);
	plan_no_plan();
	run_layout("4k csum", "-b 4096");
	run_layout("1k csum", "-b 1024");
	run_layout("4k crc16", "-b 4096 -O ^metadata_csum,^64bit");
	check_full();
	return done_testing();
}
