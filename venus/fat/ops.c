/*
 * ops.c: FAT as a struct fs: the operations table and mount. Each
 * operation finds its directory (by node), loads it (dir.c), and changes
 * entries and chains in an order where a crash loses clusters rather
 * than linking one cluster to two files: on create the FAT first, then
 * the entry; on removal the entry first, then the chain.
 */
#include "fat_int.h"

static int writable(struct fs *fs)
{
	return fs->flags & FS_MOUNT_RDONLY ? FS_EROFS : FS_OK;
}

/* The first cluster of the directory at node (0: the fixed root). */
static int dir_first(struct fat *f, fs_node node, uint32_t *first)
{
	uint8_t e[32];
	int err;

	if (node == FAT_ROOT_NODE) {
		*first = f->g.type == 32 ? f->g.root_cluster : 0;
		return FS_OK;
	}
	if ((err = fat_node_read(f, node, e)))
		return err;
	if (!(e[11] & FAT_ATTR_DIR))
		return FS_ENOTDIR;
	*first = fat_ent_cluster(f, e);
	if (!fat_valid_cluster(f, *first))
		return fs_fail(f->fs, FS_ECORRUPT, "fat: directory entry at %llu: first cluster %u out of range",
			       (unsigned long long)node * 32, *first);
	return FS_OK;
}

static int dir_open_node(struct fat *f, fs_node node, struct fat_dir *d)
{
	uint32_t first;
	int err = dir_first(f, node, &first);

	return err ? err : fat_dir_open(f, first, d);
}

/* The cluster in a subdirectory's ".." entry, as a first cluster (the
   root's, when it says 0). */
static int parent_cluster(struct fat *f, uint32_t first, uint32_t *parent)
{
	struct fat_dir d;
	uint8_t e[32];
	int err;

	if ((err = fat_dir_open(f, first, &d)))
		return err;
	err = d.nentries > 1 ? fat_dir_read_entry(f, &d, 1, e) : FS_ECORRUPT;
	fat_dir_close(&d);
	if (err)
		return err;
	if (memcmp(e, "..         ", 11))
		return fs_fail(f->fs, FS_ECORRUPT, "fat: directory at cluster %u has no \"..\" entry", first);
	*parent = fat_ent_cluster(f, e);
	if (!*parent && f->g.type == 32)
		*parent = f->g.root_cluster;
	return FS_OK;
}

static uint32_t root_first(const struct fat *f)
{
	return f->g.type == 32 ? f->g.root_cluster : 0;
}

/* The node of the directory whose first cluster is first. */
static int node_of_dir(struct fat *f, uint32_t first, fs_node *out)
{
	struct fat_dir d;
	struct fat_found *x;
	uint32_t gp, i = 0;
	int err;

	if (first == root_first(f)) {
		*out = FAT_ROOT_NODE;
		return FS_OK;
	}
	if ((err = parent_cluster(f, first, &gp)) || (err = fat_dir_open(f, gp, &d)))
		return err;
	if (!(x = malloc(sizeof *x))) {
		fat_dir_close(&d);
		return FS_ENOMEM;
	}
	while (!(err = fat_dir_next(f, &d, &i, x)))
		if (x->ent[11] & FAT_ATTR_DIR && fat_ent_cluster(f, x->ent) == first)
			break;
	if (!err)
		*out = x->pos / 32;
	else if (err == FS_ENOENT)
		err = fs_fail(f->fs, FS_ECORRUPT, "fat: directory at cluster %u is not in its parent", first);
	free(x);
	fat_dir_close(&d);
	return err;
}

static int fat_lookup(struct fs *fs, fs_node dir, const char *name, fs_node *out)
{
	struct fat *f = fat_of(fs);
	struct fat_dir d;
	struct fat_found *x;
	uint32_t first, parent;
	int err;

	if (!strcmp(name, ".")) {
		uint32_t c;
		err = dir_first(f, dir, &c);
		if (!err)
			*out = dir;
		return err;
	}
	if (!strcmp(name, "..")) {
		if ((err = dir_first(f, dir, &first)))
			return err;
		if (dir == FAT_ROOT_NODE) {
			*out = dir;
			return FS_OK;
		}
		if ((err = parent_cluster(f, first, &parent)))
			return err;
		return node_of_dir(f, parent, out);
	}
	if ((err = dir_open_node(f, dir, &d)))
		return err;
	if (!(x = malloc(sizeof *x)))
		err = FS_ENOMEM;
	else if (!(err = fat_dir_find(f, &d, name, x)))
		*out = x->pos / 32;
	free(x);
	fat_dir_close(&d);
	return err;
}

static int fat_stat(struct fs *fs, fs_node node, struct fs_stat *st)
{
	struct fat *f = fat_of(fs);
	uint8_t e[32];
	int err;

	memset(st, 0, sizeof *st);
	st->node = node;
	if (node == FAT_ROOT_NODE) {
		st->mode = FS_S_IFDIR | 0755;
		st->nlink = 2;
		return FS_OK;
	}
	if ((err = fat_node_read(f, node, e)))
		return err;
	int dir = e[11] & FAT_ATTR_DIR;
	st->mode = (dir ? FS_S_IFDIR | 0755 : FS_S_IFREG | 0644) & ~(e[11] & FAT_ATTR_RO ? 0222u : 0u);
	st->nlink = dir ? 2 : 1;
	st->size = dir ? 0 : le32(e + 28);
	st->blocks = (st->size + f->g.cluster_size - 1) / f->g.cluster_size * (f->g.cluster_size / 512);
	st->mtime = st->ctime = fat_ent_mtime(e);
	st->atime = st->mtime;
	return FS_OK;
}

static int fat_read(struct fs *fs, fs_node node, uint64_t off, void *buf, size_t len, size_t *got)
{
	struct fat *f = fat_of(fs);
	uint8_t e[32];
	int err;

	*got = 0;
	if (node == FAT_ROOT_NODE)
		return FS_EISDIR;
	if ((err = fat_node_read(f, node, e)))
		return err;
	return fat_file_read(f, e, off, buf, len, got);
}

static int fat_write(struct fs *fs, fs_node node, uint64_t off, const void *buf, size_t len)
{
	int err = writable(fs);

	if (err)
		return err;
	if (node == FAT_ROOT_NODE)
		return FS_EISDIR;
	return fat_file_write(fat_of(fs), node, off, buf, len);
}

static int fat_truncate(struct fs *fs, fs_node node, uint64_t size)
{
	int err = writable(fs);

	if (err)
		return err;
	if (node == FAT_ROOT_NODE)
		return FS_EISDIR;
	return fat_file_truncate(fat_of(fs), node, size);
}

/* Adds name to directory dir with the given entry template. */
static int add_entry(struct fat *f, fs_node dir, const char *name, uint8_t *tmpl, fs_node *out)
{
	struct fat_dir d;
	struct fat_found *x = malloc(sizeof *x);
	int err;

	if (!x)
		return FS_ENOMEM;
	if (!(err = dir_open_node(f, dir, &d))) {
		err = fat_dir_find(f, &d, name, x);
		if (err == FS_OK)
			err = FS_EEXIST;
		else if (err == FS_ENOENT && !(err = fat_dir_add(f, &d, name, tmpl, x)) && out)
			*out = x->pos / 32;
		fat_dir_close(&d);
	}
	free(x);
	return err;
}

static int check_name(const char *name)
{
	if (strlen(name) > FS_NAME_MAX)
		return FS_ENAMETOOLONG;
	return fat_name_valid(name) ? FS_OK : FS_EINVAL;
}

static int fat_create(struct fs *fs, fs_node dir, const char *name, uint32_t mode, fs_node *out)
{
	uint8_t e[32] = {0};
	int err;

	if ((err = writable(fs)) || (err = check_name(name)))
		return err;
	e[11] = FAT_ATTR_ARCHIVE | (mode & 0222 ? 0 : FAT_ATTR_RO);
	fat_ent_stamp(e, 1);
	return add_entry(fat_of(fs), dir, name, e, out);
}

/* Writes a new directory's "." and ".." into its zeroed first cluster. */
static int write_dots(struct fat *f, uint32_t c, uint32_t parent)
{
	struct fat_dir d;
	uint8_t e[32] = {0};
	int err;

	if ((err = fat_dir_open(f, c, &d)))
		return err;
	memset(e, ' ', 11);
	e[0] = '.';
	e[11] = FAT_ATTR_DIR;
	fat_ent_stamp(e, 1);
	fat_ent_set_cluster(e, c);
	if (!(err = fat_dir_write_entry(f, &d, 0, e))) {
		e[1] = '.';
		fat_ent_set_cluster(e, parent == root_first(f) ? 0 : parent);
		err = fat_dir_write_entry(f, &d, 1, e);
	}
	fat_dir_close(&d);
	return err;
}

static int fat_mkdir(struct fs *fs, fs_node dir, const char *name, uint32_t mode, fs_node *out)
{
	struct fat *f = fat_of(fs);
	uint8_t e[32] = {0};
	uint32_t parent, c;
	fs_node n;
	int err;

	(void)mode;
	if ((err = writable(fs)) || (err = check_name(name)) || (err = dir_first(f, dir, &parent)))
		return err;
	if (fat_lookup(fs, dir, name, &n) == FS_OK)
		return FS_EEXIST;
	if ((err = fat_alloc(f, 0, &c)) || (err = fat_zero_cluster(f, c)) || (err = write_dots(f, c, parent)))
		return err;
	e[11] = FAT_ATTR_DIR;
	fat_ent_set_cluster(e, c);
	fat_ent_stamp(e, 1);
	if ((err = add_entry(f, dir, name, e, out)))
		fat_free_chain(f, c);
	return err;
}

/* Finds name in dir, loading the directory into d (closed by the caller). */
static int find_in(struct fat *f, fs_node dir, const char *name, struct fat_dir *d, struct fat_found *x)
{
	int err = dir_open_node(f, dir, d);

	if (err)
		return err;
	if ((err = fat_dir_find(f, d, name, x)))
		fat_dir_close(d);
	return err;
}

static int remove_entry(struct fs *fs, fs_node dir, const char *name, int want_dir)
{
	struct fat *f = fat_of(fs);
	struct fat_dir d;
	struct fat_found *x = malloc(sizeof *x);
	int err, empty;

	if (!x)
		return FS_ENOMEM;
	if ((err = writable(fs)) || (err = find_in(f, dir, name, &d, x))) {
		free(x);
		return err;
	}
	uint32_t first = fat_ent_cluster(f, x->ent);
	int is_dir = x->ent[11] & FAT_ATTR_DIR;
	if (want_dir && !is_dir)
		err = FS_ENOTDIR;
	else if (!want_dir && is_dir)
		err = FS_EISDIR;
	else if (is_dir && !(err = fat_dir_is_empty(f, first, &empty)) && !empty)
		err = FS_ENOTEMPTY;
	if (!err && !(err = fat_dir_remove(f, &d, x)) && first)
		err = fat_free_chain(f, first);
	fat_dir_close(&d);
	free(x);
	return err;
}

static int fat_unlink(struct fs *fs, fs_node dir, const char *name)
{
	return remove_entry(fs, dir, name, 0);
}

static int fat_rmdir(struct fs *fs, fs_node dir, const char *name)
{
	return remove_entry(fs, dir, name, 1);
}

/* Whether directory cluster inner is dir itself or inside it. */
static int is_within(struct fat *f, uint32_t inner, uint32_t dir, int *within)
{
	uint32_t c = inner;
	int err;

	*within = 0;
	for (uint32_t steps = 0; c != root_first(f); steps++) {
		if (c == dir) {
			*within = 1;
			return FS_OK;
		}
		if (steps > f->g.clusters)
			return fs_fail(f->fs, FS_ECORRUPT, "fat: \"..\" entries loop above cluster %u", inner);
		if ((err = parent_cluster(f, c, &c)))
			return err;
	}
	return FS_OK;
}

/* The rename checks on an existing target: it is removed if allowed. */
static int replace_target(struct fat *f, fs_node ndir, const char *nname, const struct fat_found *src)
{
	struct fat_dir d;
	struct fat_found *x = malloc(sizeof *x);
	int err, empty;

	if (!x)
		return FS_ENOMEM;
	err = find_in(f, ndir, nname, &d, x);
	if (err) {
		free(x);
		return err == FS_ENOENT ? FS_OK : err;
	}
	if (x->pos == src->pos) {
		err = FS_OK;	/* the same entry (a change of case) */
	} else {
		int sdir = src->ent[11] & FAT_ATTR_DIR, tdir = x->ent[11] & FAT_ATTR_DIR;
		uint32_t first = fat_ent_cluster(f, x->ent);
		if (sdir != tdir)
			err = tdir ? FS_EISDIR : FS_ENOTDIR;
		else if (tdir && !(err = fat_dir_is_empty(f, first, &empty)) && !empty)
			err = FS_ENOTEMPTY;
		if (!err && !(err = fat_dir_remove(f, &d, x)) && first)
			err = fat_free_chain(f, first);
	}
	fat_dir_close(&d);
	free(x);
	return err;
}

static int fat_rename(struct fs *fs, fs_node odir, const char *oname, fs_node ndir, const char *nname)
{
	struct fat *f = fat_of(fs);
	struct fat_dir od;
	struct fat_found *x = malloc(sizeof *x);
	uint32_t ofirst, nfirst, moved;
	int err, within;

	if (!x)
		return FS_ENOMEM;
	if ((err = writable(fs)) || (err = check_name(nname)) || (err = dir_first(f, odir, &ofirst)) ||
	    (err = dir_first(f, ndir, &nfirst)) || (err = find_in(f, odir, oname, &od, x))) {
		free(x);
		return err;
	}
	moved = fat_ent_cluster(f, x->ent);
	int is_dir = x->ent[11] & FAT_ATTR_DIR;
	if (is_dir && ofirst != nfirst && !(err = is_within(f, nfirst, moved, &within)) && within)
		err = FS_EINVAL;	/* into itself */
	if (!err)
		err = replace_target(f, ndir, nname, x);
	/* The new entry exists before the old one goes: a crash leaves two
	   names for one chain (fsck fixes that), never none. */
	if (!err && !(err = add_entry(f, ndir, nname, x->ent, NULL)))
		err = fat_dir_remove(f, &od, x);
	if (!err && is_dir && ofirst != nfirst) {
		struct fat_dir m;
		uint8_t e[32];
		if (!(err = fat_dir_open(f, moved, &m))) {
			if (!(err = fat_dir_read_entry(f, &m, 1, e))) {
				fat_ent_set_cluster(e, nfirst == root_first(f) ? 0 : nfirst);
				err = fat_dir_write_entry(f, &m, 1, e);
			}
			fat_dir_close(&m);
		}
	}
	fat_dir_close(&od);
	free(x);
	return err;
}

static int fat_readdir(struct fs *fs, fs_node dir, uint64_t *cookie, struct fs_dirent *out)
{
	struct fat *f = fat_of(fs);
	struct fat_dir d;
	struct fat_found *x;
	uint32_t i = *cookie > UINT32_MAX ? UINT32_MAX : (uint32_t)*cookie;
	int err;

	if ((err = dir_open_node(f, dir, &d)))
		return err;
	if (!(x = malloc(sizeof *x)))
		err = FS_ENOMEM;
	else if (!(err = fat_dir_next(f, &d, &i, x))) {
		out->node = x->pos / 32;
		out->type = x->ent[11] & FAT_ATTR_DIR ? FS_S_IFDIR : FS_S_IFREG;
		snprintf(out->name, sizeof out->name, "%s", x->name);
		*cookie = i;
	}
	free(x);
	fat_dir_close(&d);
	return err;
}

static int fat_symlink(struct fs *fs, fs_node dir, const char *name, const char *target, fs_node *out)
{
	(void)fs, (void)dir, (void)name, (void)target, (void)out;
	return FS_ENOSYS;
}

static int fat_readlink(struct fs *fs, fs_node node, char *buf, size_t len, size_t *got)
{
	(void)fs, (void)node, (void)buf, (void)len, (void)got;
	return FS_EINVAL;	/* FAT has no symbolic links */
}

static int fat_sync(struct fs *fs)
{
	struct fat *f = fat_of(fs);
	int err;

	if (fs->flags & FS_MOUNT_RDONLY)
		return FS_OK;
	if ((err = fat_write_fsinfo(f)))
		return err;
	return bcache_flush(&f->cache);
}

static int fat_unmount(struct fs *fs)
{
	struct fat *f = fat_of(fs);
	int err = FS_OK;

	if (!f)
		return FS_OK;
	if (!(fs->flags & FS_MOUNT_RDONLY) && !(err = fat_set_clean(f, 1)))
		err = fat_sync(fs);
	bcache_destroy(&f->cache);
	free(f);
	fs->priv = NULL;
	return err;
}

static const struct fs_ops fat_ops = {
	.name = "fat",
	.lookup = fat_lookup,
	.stat = fat_stat,
	.read = fat_read,
	.write = fat_write,
	.truncate = fat_truncate,
	.create = fat_create,
	.mkdir = fat_mkdir,
	.symlink = fat_symlink,
	.readlink = fat_readlink,
	.unlink = fat_unlink,
	.rmdir = fat_rmdir,
	.rename = fat_rename,
	.readdir = fat_readdir,
	.sync = fat_sync,
	.unmount = fat_unmount,
};

static int read_boot(struct fs *fs, struct blkdev *dev, struct fat_geom *g)
{
	uint8_t *bs = malloc(dev->sector_size > 512 ? dev->sector_size : 512);
	int err;

	if (!bs)
		return FS_ENOMEM;
	if (dev->sector_size < 512 || dev->sector_size > 4096)
		err = fs_fail(fs, FS_EINVAL, "fat: device sector size %u unsupported", dev->sector_size);
	else if ((err = blkdev_read(dev, 0, 1, bs)))
		fs_fail(fs, err, "fat: cannot read the boot sector");
	else if (!(err = fat_parse_bpb(bs, dev->sector_size, dev->sectors * dev->sector_size, g, fs->why,
				      sizeof fs->why)) && g->bytes_per_sector % dev->sector_size)
		err = fs_fail(fs, FS_ECORRUPT, "fat: boot sector: %u-byte sectors on a %u-byte device",
			      g->bytes_per_sector, dev->sector_size);
	free(bs);
	return err;
}

int fat_mount(struct fs *fs, struct blkdev *dev, unsigned flags, uint32_t cache_blocks)
{
	struct fat *f;
	int err;

	memset(fs, 0, sizeof *fs);
	fs->ops = &fat_ops;
	fs->dev = dev;
	fs->flags = flags;
	fs->root = FAT_ROOT_NODE;
	if (!(f = calloc(1, sizeof *f)))
		return FS_ENOMEM;
	f->fs = fs;
	fs->priv = f;
	if ((err = read_boot(fs, dev, &f->g)))
		goto fail;
	if ((err = bcache_init(&f->cache, dev, f->g.bytes_per_sector, cache_blocks ? cache_blocks : 256)))
		goto fail;
	if ((err = fat_count_free(f)))
		goto fail_cache;
	if (!(flags & FS_MOUNT_RDONLY) && ((err = fat_set_clean(f, 0)) || (err = bcache_flush(&f->cache))))
		goto fail_cache;
	return FS_OK;
fail_cache:
	bcache_destroy(&f->cache);
fail:
	free(f);
	fs->priv = NULL;
	return err;
}
