/*
 * diskfs: the file server of a disk (gaia/diskfs): it finds blk0 on the
 * bus, reads its partition table (the first partition, or the whole disk
 * without one), mounts FAT or ext4 on it (venus/fat, venus/ext4: whichever
 * recognises it) and serves the file protocol as "fs/disk" through
 * mercury/fs/fsserve.c. Blocks move through one buffer shared with the
 * driver. fsserve names files by the file system's own node numbers; the
 * names and parents learnt while walking are kept (NAMES of them) for the
 * operations the file systems name by directory and name (remove, rename).
 */
#include <mercury/heap.h>
#include <mercury/printf.h>
#include <mercury/runtime.h>
#include <mercury/string.h>

#include "blockdev_client.h"
#include "bus_client.h"
#include "clock_client.h"
#include "ext4/ext4.h"
#include "fat/fat.h"
#include "fs/fs.h"
#include "fsserve.h"
#include "mem_client.h"
#include "part/part.h"

MERC_HEAP_ARENA(5u << 19);	/* 2.5 MiB of the 4 MiB a srv/ program gets */	/* the block cache and the file systems' own state */

#define BUF		(64u << 10)
#define CACHE_BLOCKS	256
#define NAMES		512

static hl_cptr_t blk;
static uint8_t *buf;
static uint32_t block_size;
static struct blkdev disk, part_dev;
static struct blkdev_slice slice;
static struct fs fs;
static struct { fs_node node, parent; char name[FSP_NAME_MAX + 1]; } names[NAMES];
static unsigned next_name;

/* Where the last directory read stopped: entry number index of dir is at
 * the file system's cookie, so reading on does not start over. Forgotten
 * when a directory changes. */
static struct { bool valid; uint64_t dir, index, cookie; } dir_at;

static int dev_io(uint64_t lba, uint32_t count, void *data, bool writing)
{
	uint32_t per = BUF / block_size;

	while (count) {
		uint32_t n = count < per ? count : per;
		enum hl_error st;

		if (writing)
			memcpy(buf, data, (size_t)n * block_size);
		st = writing ? blockdev_write(blk, lba, n, 0) : blockdev_read(blk, lba, n, 0);
		if (st != E_OK)
			return FS_EIO;
		if (!writing)
			memcpy(data, buf, (size_t)n * block_size);
		lba += n, count -= n, data = (uint8_t *)data + (size_t)n * block_size;
	}
	return FS_OK;
}

static int dev_read(void *ctx, uint64_t lba, uint32_t count, void *data)
{
	(void)ctx;
	return dev_io(lba, count, data, false);
}

static int dev_write(void *ctx, uint64_t lba, uint32_t count, const void *data)
{
	(void)ctx;
	return dev_io(lba, count, (void *)data, true);
}

static int dev_flush(void *ctx)
{
	(void)ctx;
	return blockdev_flush(blk) == E_OK ? FS_OK : FS_EIO;
}

static enum hl_error err(int e)
{
	switch (e) {
	case FS_OK: return E_OK;
	case FS_ENOENT: return E_NOCAP;
	case FS_EEXIST: return E_EXIST;
	case FS_ENOTDIR: case FS_EISDIR: return E_TYPE;
	case FS_ENOTEMPTY: return E_BUSY;
	case FS_ENOSPC: case FS_ENOMEM: return E_NOMEM;
	case FS_EINVAL: case FS_ENAMETOOLONG: return E_INVAL;
	case FS_EROFS: return E_PERM;
	case FS_ENOSYS: return E_NOSYS;
	case FS_EFBIG: return E_RANGE;
	default: return E_FAULT;	/* the device failed, or the disk is corrupt */
	}
}

static void learn(fs_node node, fs_node parent, const char *name)
{
	for (unsigned i = 0; i < NAMES; i++)
		if (names[i].node == node && names[i].name[0]) {
			names[i].parent = parent;
			strlcpy(names[i].name, name, sizeof(names[i].name));
			return;
		}
	names[next_name].node = node, names[next_name].parent = parent;
	strlcpy(names[next_name].name, name, sizeof(names[next_name].name));
	next_name = (next_name + 1) % NAMES;	/* the oldest goes first */
}

static int known(fs_node node)
{
	for (unsigned i = 0; i < NAMES; i++)
		if (names[i].node == node && names[i].name[0])
			return (int)i;
	return -1;
}

static struct fs_qid qid_of(fs_node node)
{
	struct fs_stat st;
	uint8_t type = fs.ops->stat(&fs, node, &st) == FS_OK && (st.mode & FS_S_IFMT) == FS_S_IFDIR ? FS_QDIR : 0;

	return (struct fs_qid){ type, node };
}

static enum hl_error d_root(void *ctx, struct fs_qid *q)
{
	(void)ctx;
	*q = qid_of(fs.root);
	return E_OK;
}

static enum hl_error d_walk1(void *ctx, uint64_t dir, const char *name, struct fs_qid *q)
{
	fs_node n;
	int e, k;

	(void)ctx;
	if (!strcmp(name, "..")) {
		if (dir == fs.root)
			n = fs.root;
		else if ((k = known(dir)) >= 0)
			n = names[k].parent;
		else if ((e = fs.ops->lookup(&fs, dir, "..", &n)) != FS_OK)
			return err(e);
		*q = qid_of(n);
		return E_OK;
	}
	if ((e = fs.ops->lookup(&fs, dir, name, &n)) != FS_OK)
		return err(e);
	learn(n, dir, name);
	*q = qid_of(n);
	return E_OK;
}

static enum hl_error d_read(void *ctx, uint64_t file, uint64_t off, void *out, uint32_t n, uint32_t *got)
{
	size_t g = 0;
	int e = fs.ops->read(&fs, file, off, out, n, &g);

	(void)ctx;
	*got = (uint32_t)g;
	return err(e);
}

static enum hl_error d_write(void *ctx, uint64_t file, uint64_t off, const void *in, uint32_t n, uint32_t *put)
{
	int e = fs.ops->write(&fs, file, off, in, n);

	(void)ctx;
	*put = e == FS_OK ? n : 0;
	return err(e);
}

static enum hl_error d_create(void *ctx, uint64_t dir, const char *name, uint32_t perm, struct fs_qid *q)
{
	dir_at.valid = false;
	fs_node n;
	int e = perm & FS_DMDIR ? fs.ops->mkdir(&fs, dir, name, FS_S_IFDIR | (perm & 0777), &n)
				: fs.ops->create(&fs, dir, name, FS_S_IFREG | (perm & 0777), &n);

	(void)ctx;
	if (e != FS_OK)
		return err(e);
	learn(n, dir, name);
	*q = qid_of(n);
	return E_OK;
}

static enum hl_error d_remove(void *ctx, uint64_t file)
{
	int k = known(file), e;

	(void)ctx;
	dir_at.valid = false;
	if (file == fs.root)
		return E_PERM;
	if (k < 0)
		return E_NOSYS;		/* a file not reached by a walk of ours: its name is unknown */
	e = qid_of(file).type & FS_QDIR ? fs.ops->rmdir(&fs, names[k].parent, names[k].name)
					: fs.ops->unlink(&fs, names[k].parent, names[k].name);
	if (e == FS_OK)
		names[k].name[0] = '\0';
	return err(e);
}

static enum hl_error d_stat(void *ctx, uint64_t file, struct fsp_stat *st)
{
	struct fs_stat s;
	int k = known(file), e = fs.ops->stat(&fs, file, &s);

	(void)ctx;
	if (e != FS_OK)
		return err(e);
	st->qid = (struct fs_qid){ (uint8_t)((s.mode & FS_S_IFMT) == FS_S_IFDIR ? FS_QDIR : 0), file };
	st->mode = (s.mode & 0777) | (st->qid.type & FS_QDIR ? FS_DMDIR : 0);
	st->length = st->qid.type & FS_QDIR ? 0 : s.size;
	st->mtime = s.mtime > 0 ? (uint64_t)s.mtime * 1000000000ull : 0;
	strlcpy(st->name, file == fs.root ? "/" : k >= 0 ? names[k].name : "?", sizeof(st->name));
	return E_OK;
}

static enum hl_error d_wstat(void *ctx, uint64_t file, unsigned mask, const struct fsp_stat *st)
{
	int k = known(file), e;

	(void)ctx;
	if (mask & FS_WSTAT_MODE)
		return E_NOSYS;		/* the file systems keep no changeable mode yet */
	if ((mask & FS_WSTAT_LENGTH) && (e = fs.ops->truncate(&fs, file, st->length)) != FS_OK)
		return err(e);
	if (mask & FS_WSTAT_NAME) {
		dir_at.valid = false;
		if (k < 0)
			return E_NOSYS;
		if ((e = fs.ops->rename(&fs, names[k].parent, names[k].name, names[k].parent, st->name)) != FS_OK)
			return err(e);
		strlcpy(names[k].name, st->name, sizeof(names[k].name));
	}
	return E_OK;
}

static enum hl_error d_dirent(void *ctx, uint64_t dir, uint64_t index, struct fsp_stat *st)
{
	struct fs_dirent de;
	uint64_t cookie = 0, i = 0;
	int e;

	if (dir_at.valid && dir_at.dir == dir && dir_at.index <= index)
		cookie = dir_at.cookie, i = dir_at.index;
	for (; i <= index; i++)
		if ((e = fs.ops->readdir(&fs, dir, &cookie, &de)) != FS_OK)
			return e == FS_ENOENT ? E_RANGE : err(e);
	dir_at.valid = true, dir_at.dir = dir, dir_at.index = index + 1, dir_at.cookie = cookie;
	learn(de.node, dir, de.name);
	return d_stat(ctx, de.node, st);
}

static enum hl_error d_sync(void *ctx)
{
	(void)ctx;
	return err(fs.ops->sync(&fs));
}

static const struct fs_backend backend = {
	NULL, d_root, d_walk1, d_read, d_write, d_create, d_remove, d_stat, d_wstat, d_dirent, d_sync,
};

/* The files' times: the wall clock ("clock", the RTC driver) when there
 * is one, read once and carried on by the TSC; without one, 2000-01-01
 * plus the time since boot (a file system wants times that look like
 * dates: ext4's fsck takes a small deletion time for an orphan link). */
static int64_t wall_base;

static int64_t wall_now(void)
{
	return wall_base + (int64_t)(time_ns() / 1000000000ull);
}

static void set_clock(void)
{
	hl_cptr_t c = slot_alloc();
	uint64_t unix_ns, mono;

	wall_base = 946684800;
	if (c && bus_wait(proc_cap("bus"), "clock", 1000, c) == E_OK && clock_now(c, &unix_ns, &mono) == E_OK)
		wall_base = (int64_t)(unix_ns / 1000000000ull) - (int64_t)(time_ns() / 1000000000ull);
	slot_free(c);
	fs_set_clock(wall_now);
}

/* Finds blk0, shares the buffer, mounts what is on it; NULL or why not. */
static const char *start(void)
{
	hl_cptr_t mem = proc_cap("mem"), token = slot_alloc();
	uint64_t va, pa, blocks;
	uint32_t size;
	bool ro;
	char model[BLOCKDEV_INFO_MODEL_MAX + 1];
	struct part_table t;
	struct blkdev *dev = &disk;

	set_clock();
	blk = slot_alloc();
	if (bus_wait(proc_cap("bus"), "blk0", 20000, blk) != E_OK)
		return "no blk0 on the bus";
	if (blockdev_info(blk, &block_size, &blocks, &ro, model) != E_OK || block_size < 512 || block_size > BUF)
		return "blk0 does not answer info";
	if (mem_alloc(mem, BUF, &va, &pa, token) != E_OK || blockdev_attach_buffer(blk, token, &size) != E_OK)
		return "cannot share a buffer with blk0";
	buf = (uint8_t *)va;
	disk = (struct blkdev){ block_size, blocks, NULL, dev_read, dev_write, dev_flush };
	if (part_read(&disk, &t, 0) == 0 && t.count > 0) {
		blkdev_slice_init(&part_dev, &slice, &disk, t.part[0].first_lba, t.part[0].sectors);
		dev = &part_dev;
	}
	if (fat_mount(&fs, dev, ro ? FS_MOUNT_RDONLY : 0, CACHE_BLOCKS) == FS_OK) {
		printf("diskfs: FAT on blk0%s ('%s')\n", dev == &part_dev ? ", partition 1" : "", model);
		return NULL;
	}
	if (ext4_mount(&fs, dev, ro ? FS_MOUNT_RDONLY : 0, CACHE_BLOCKS) == FS_OK) {
		printf("diskfs: ext4 on blk0%s ('%s')\n", dev == &part_dev ? ", partition 1" : "", model);
		return NULL;
	}
	return fs.why[0] ? fs.why : "neither FAT nor ext4";
}

int main(int argc, char **argv, char **envp)
{
	hl_cptr_t ep = proc_cap("ep"), reply = proc_cap("reply");
	const char *why;
	enum hl_error st;

	(void)argc, (void)argv, (void)envp;
	if (!ep || !reply || !proc_cap("bus") || !proc_cap("mem") || !merc_cnode()) {
		printf("diskfs: missing a cap (bus, mem, ep, reply, self.cnode)\n");
		return 1;
	}
	if ((why = start())) {
		printf("diskfs: %s\n", why);
		return 1;
	}
	if ((st = bus_register(proc_cap("bus"), "fs/disk", ep)) != E_OK) {
		printf("diskfs: cannot register \"fs/disk\" on the bus (error %d)\n", (int)st);
		return 1;
	}
	printf("diskfs: serving fs/disk\n");
	fs_serve(&backend, ep, reply, proc_cap("mem"));
}
