/*
 * ext4_read_test.c: ext4 images made by mkfs.ext4 -d (from a host tree),
 * indexed by e2fsck -D, written to by debugfs, in several layouts (1 KiB
 * and 4 KiB blocks, 64bit with metadata_csum, the older crc16 group
 * checksums, inline data); our driver must read every file and symlink
 * back identically. Broken images must be refused with an error naming
 * the structure, or fail the access that meets the damage.
 */
#include "fsimg.h"
#include "tap.h"
#include "ext4/ext4.h"

static const char *dir;
static char img[300], host[300];

struct sample { const char *path; size_t size; };

static const struct sample samples[] = {
	{"small.txt", 13},
	{"tiny", 40},
	{"block.bin", 4096},
	{"odd.bin", 100001},
	{"big.bin", 3000000},
	{"deep/a/b/c/d/e/f/g/h/deep.txt", 4321},
	{"empty", 0},
};
#define NSAMPLES (sizeof samples / sizeof samples[0])
#define NMANY 400
static const char slow_target[] =
	"a/rather/long/symlink/target/that/does/not/fit/in/the/sixty/bytes/of/i_block/at/all.txt";

static void make_host_tree(void)
{
	uint8_t *buf = malloc(3000000);
	char p[600];

	sh("rm -rf %s && mkdir -p %s/deep/a/b/c/d/e/f/g/h %s/many", host, host, host);
	for (size_t i = 0; i < NSAMPLES; i++) {
		fill_pattern(buf, samples[i].size, (uint32_t)i + 7);
		snprintf(p, sizeof p, "%s/%s", host, samples[i].path);
		if (write_host_file(p, buf, samples[i].size))
			bail_out("write host file");
	}
	for (int i = 0; i < NMANY; i++) {
		snprintf(p, sizeof p, "%s/many/entry-number-%04d-with-a-long-name", host, i);
		if (write_host_file(p, p, strlen(p)))
			bail_out("write many");
	}
	/* A sparse file of 21 separate extents: the tree gets a level. */
	snprintf(p, sizeof p, "%s/sparse.bin", host);
	FILE *f = fopen(p, "wb");
	for (int i = 0; i < 21; i++) {
		fill_pattern(buf, 8192, (uint32_t)i + 100);
		fseek(f, (long)i * 65536, SEEK_SET);
		fwrite(buf, 1, 8192, f);
	}
	fclose(f);
	sh("ln -s small.txt %s/fast-link && ln -s %s %s/slow-link", host, slow_target, host);
	free(buf);
}

static int matches(struct fs *fs, const char *path, const uint8_t *want, size_t n)
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

static int check_tree(struct fs *fs, const char *label)
{
	uint8_t *buf = malloc(3000000), *sparse = calloc(1, 20 * 65536 + 8192);
	char p[700];
	int all = 1;

	for (size_t i = 0; i < NSAMPLES; i++) {
		fill_pattern(buf, samples[i].size, (uint32_t)i + 7);
		all &= matches(fs, samples[i].path, buf, samples[i].size);
	}
	for (int i = 0; i < NMANY; i++) {
		snprintf(p, sizeof p, "%s/many/entry-number-%04d-with-a-long-name", host, i);
		all &= matches(fs, p + strlen(host) + 1, (const uint8_t *)p, strlen(p));
	}
	for (int i = 0; i < 21; i++)
		fill_pattern(sparse + (size_t)i * 65536, 8192, (uint32_t)i + 100);
	all &= matches(fs, "sparse.bin", sparse, 20 * 65536 + 8192);
	ok(all, "%s: every file reads back identically", label);

	fs_node n;
	char target[200];
	size_t got = 0;
	int err = fs_walk(fs, "fast-link", &n);
	if (!err)
		err = fs->ops->readlink(fs, n, target, sizeof target, &got);
	ok(!err && got == 9 && !memcmp(target, "small.txt", 9), "%s: fast symlink", label);
	err = fs_walk(fs, "slow-link", &n);
	if (!err)
		err = fs->ops->readlink(fs, n, target, sizeof target, &got);
	ok(!err && got == strlen(slow_target) && !memcmp(target, slow_target, got), "%s: slow symlink", label);

	fs_node many;
	struct fs_dirent de;
	uint64_t cookie = 0;
	int count = 0;
	fs_walk(fs, "many", &many);
	while (fs->ops->readdir(fs, many, &cookie, &de) == FS_OK)
		count++;
	is_int(count, NMANY, "%s: readdir lists all %d names", label, NMANY);
	free(buf);
	free(sparse);
	return all;
}

static int mount_img(struct fs *fs, struct blkdev *d, unsigned flags)
{
	int err;

	if (blkdev_file_open(d, img, 512, !(flags & FS_MOUNT_RDONLY)))
		return -1;
	if ((err = ext4_mount(fs, d, flags, 0)))
		blkdev_file_close(d);
	return err;
}

static void unmount_img(struct fs *fs, struct blkdev *d)
{
	fs->ops->unmount(fs);
	blkdev_file_close(d);
}

static void run_layout(const char *label, const char *opts, int indexed)
{
	struct fs fs;
	struct blkdev d;

	unlink(img);
	is_int(sh("mkfs.ext4 -q -F %s -d %s %s 96M >&2", opts, host, img), 0, "%s: mkfs.ext4 -d", label);
	if (indexed)
		sh("e2fsck -fyD %s >/dev/null 2>&1", img);
	sh("printf 'written by debugfs\\n' > %s/dbg.txt && debugfs -w -R 'write %s/dbg.txt dbg.txt' %s >/dev/null 2>&1",
	   dir, dir, img);
	if (indexed)
		ok(sh("debugfs -R 'htree /many' %s 2>/dev/null | grep -q 'Indirect levels'", img) == 0,
		   "%s: /many is an htree directory", label);
	int err = mount_img(&fs, &d, FS_MOUNT_RDONLY);
	is_int(err, FS_OK, "%s: mounts (%s)", label, err ? fs.why : "ok");
	if (err)
		return;
	check_tree(&fs, label);
	ok(matches(&fs, "dbg.txt", (const uint8_t *)"written by debugfs\n", 19), "%s: file debugfs wrote", label);
	unmount_img(&fs, &d);
}

static void poke(uint64_t off, const void *b, size_t n)
{
	FILE *f = fopen(img, "r+b");

	if (!f || fseek(f, (long)off, SEEK_SET) || fwrite(b, 1, n, f) != n)
		bail_out("poke");
	fclose(f);
}

static void expect_refused(const char *what, const char *needle)
{
	struct fs fs;
	struct blkdev d;
	int err = mount_img(&fs, &d, FS_MOUNT_RDONLY);

	ok(err && strstr(fs.why, needle), "bad image (%s) refused: %s", what, fs.why);
	if (!err)
		unmount_img(&fs, &d);
}

/* Byte offset of inode ino's slot, from debugfs's imap. */
static long inode_offset(uint32_t ino)
{
	char cmd[400];
	long block = -1, off = -1;

	snprintf(cmd, sizeof cmd, "debugfs -R 'imap <%u>' %s 2>/dev/null", ino, img);
	FILE *p = popen(cmd, "r");
	char line[200];
	while (p && fgets(line, sizeof line, p))
		if (sscanf(line, " located at block %ld, offset 0x%lx", &block, &off) == 2)
			break;
	if (p)
		pclose(p);
	return block < 0 ? -1 : block * 4096 + off;
}

static void check_bad(void)
{
	struct fs fs;
	struct blkdev d;

	unlink(img);
	sh("mkfs.ext4 -q -F -b 4096 -d %s %s 96M >&2", host, img);
	poke(1024 + 0x38, "\x00\x00", 2);
	expect_refused("magic", "magic");

	sh("mkfs.ext4 -q -F -b 4096 -d %s %s 96M >&2", host, img);
	poke(1024 + 0x10, "\x01", 1);	/* free inodes: superblock checksum now wrong */
	expect_refused("superblock checksum", "superblock: checksum");

	sh("mkfs.ext4 -q -F -b 4096 -d %s %s 96M >&2", host, img);
	poke(1024 + 0x60, "\x00\x00\x08\x00", 4);	/* an unknown incompat bit */
	sh("debugfs -w -R 'ssv checksum calc' %s >/dev/null 2>&1", img);
	expect_refused("unknown feature", "feature");

	sh("mkfs.ext4 -q -F -b 4096 -d %s %s 96M >&2", host, img);
	poke(4096 + 0x08, "\xff\xff", 2);	/* group 0's inode table pointer */
	expect_refused("group descriptor", "group descriptor 0");

	/* A damaged inode: mount works, reading that file fails by name. */
	sh("mkfs.ext4 -q -F -b 4096 -d %s %s 96M >&2", host, img);
	fs_node n;
	mount_img(&fs, &d, FS_MOUNT_RDONLY);
	fs_walk(&fs, "big.bin", &n);
	unmount_img(&fs, &d);
	long at = inode_offset((uint32_t)n);
	ok(at > 0, "found big.bin's inode at %ld", at);
	poke((uint64_t)at + 0x28 + 12 + 8, "\xff\xff\xff\x7f", 4);	/* its first extent's start */
	mount_img(&fs, &d, FS_MOUNT_RDONLY);
	size_t len;
	int err;
	uint8_t *data = fs_slurp(&fs, "big.bin", &len, &err);
	ok(!data && err == FS_ECORRUPT && strstr(fs.why, "inode"), "damaged inode named: %s", fs.why);
	free(data);
	unmount_img(&fs, &d);
	sh("debugfs -n -w -R 'sif <%u> checksum calc' %s >/dev/null 2>&1", (unsigned)n, img);
	mount_img(&fs, &d, FS_MOUNT_RDONLY);
	data = fs_slurp(&fs, "big.bin", &len, &err);
	ok(!data && err == FS_ECORRUPT && strstr(fs.why, "extent"), "bad extent (checksum fixed) named: %s", fs.why);
	free(data);
	unmount_img(&fs, &d);

	/* A directory block with rec_len 0 (checksums fixed up by debugfs is
	   not possible for blocks; checksum catches it first). */
	sh("mkfs.ext4 -q -F -b 4096 -O ^metadata_csum -d %s %s 96M >&2", host, img);
	mount_img(&fs, &d, FS_MOUNT_RDONLY);
	fs_walk(&fs, "deep", &n);
	unmount_img(&fs, &d);
	char cmd[700];
	snprintf(cmd, sizeof cmd, "debugfs -R 'bmap <%u> 0' %s 2>/dev/null", (unsigned)n, img);
	FILE *p = popen(cmd, "r");
	long blk = -1;
	if (p && fscanf(p, "%ld", &blk) != 1)
		blk = -1;
	if (p)
		pclose(p);
	poke((uint64_t)blk * 4096 + 12 + 4, "\x00\x00", 2);	/* ".." rec_len = 0 */
	mount_img(&fs, &d, FS_MOUNT_RDONLY);
	err = fs_walk(&fs, "deep/a", &n);
	ok(err == FS_ECORRUPT && strstr(fs.why, "rec_len"), "rec_len 0 named, no loop: %s", fs.why);
	unmount_img(&fs, &d);
}

/* What cannot be written safely mounts read-only, and says why. */
static void check_rdonly_fallbacks(void)
{
	struct fs fs;
	struct blkdev d;
	fs_node n;

	unlink(img);
	sh("mkfs.ext4 -q -F -b 4096 -O ^has_journal %s 32M >&2", img);
	is_int(mount_img(&fs, &d, 0), FS_OK, "no journal: mounts");
	ok((fs.flags & FS_MOUNT_RDONLY) && strstr(fs.why, "journal"), "no journal: read-only (%s)", fs.why);
	is_int(fs.ops->create(&fs, fs.root, "x", 0644, &n), FS_EROFS, "no journal: create is EROFS");
	unmount_img(&fs, &d);
	sh("mkfs.ext4 -q -F -b 4096 %s 32M >&2 && debugfs -w -R 'feature needs_recovery' %s >/dev/null 2>&1", img, img);
	is_int(mount_img(&fs, &d, 0), FS_OK, "journal to replay: mounts");
	ok((fs.flags & FS_MOUNT_RDONLY) && strstr(fs.why, "read-only"), "journal to replay: read-only (%s)", fs.why);
	unmount_img(&fs, &d);
	sh("mkfs.ext4 -q -F -b 4096 -O quota %s 32M >&2", img);
	is_int(mount_img(&fs, &d, 0), FS_OK, "quota (a ro_compat feature we do not write): mounts");
	ok(fs.flags & FS_MOUNT_RDONLY, "quota: read-only (%s)", fs.why);
	unmount_img(&fs, &d);
}

int main(void)
{
	dir = fsimg_scratch();
	snprintf(img, sizeof img, "%s/ext4.img", dir);
	snprintf(host, sizeof host, "%s/tree", dir);
	plan_no_plan();
	make_host_tree();
	run_layout("4k 64bit csum", "-b 4096", 1);
	run_layout("1k blocks", "-b 1024", 1);
	run_layout("no csum, crc16 groups", "-b 4096 -O ^metadata_csum,^64bit", 1);
	run_layout("inline data", "-b 4096 -O inline_data", 0);
	check_bad();
	check_rdonly_fallbacks();
	return done_testing();
}
