/*
 * ops.c: ext4 as a struct fs: the operations table and mount. Each
 * changing operation is one step of the running journal transaction
 * (journal.c), so it reaches the disk whole or not at all.
 */
#include "ext4_int.h"

int ext4_fail(struct ext4 *e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(e->fs->why, sizeof e->fs->why, fmt, ap);
	va_end(ap);
	return FS_ECORRUPT;
}

int ext4_bread(struct ext4 *e, uint64_t block, struct bbuf **out)
{
	if (block >= e->sb.blocks_count)
		return ext4_fail(e, "ext4: block %llu past the end", (unsigned long long)block);
	return bcache_get(&e->cache, block, 0, out);
}

static int writable(struct fs *fs)
{
	struct ext4 *e = ext4_of(fs);

	if (fs->flags & FS_MOUNT_RDONLY)
		return FS_EROFS;
	return e->journal ? FS_OK : FS_EROFS;
}

static uint32_t type_of(uint32_t mode)
{
	switch (mode & FS_S_IFMT) {
	case FS_S_IFDIR: return 2;
	case FS_S_IFLNK: return 7;
	default: return 1;
	}
}

/* Reads inode ino, which must be a directory. */
static int read_dir(struct ext4 *e, fs_node ino, struct ext4_inode *in)
{
	int err;

	if (ino > UINT32_MAX)
		return FS_ENOENT;
	if ((err = ext4_inode_read(e, (uint32_t)ino, in)))
		return err;
	return (in->mode & FS_S_IFMT) == FS_S_IFDIR ? FS_OK : FS_ENOTDIR;
}

static int check_name(const char *name)
{
	size_t n = strlen(name);

	if (!n || !strcmp(name, ".") || !strcmp(name, "..") || strchr(name, '/'))
		return FS_EINVAL;
	return n > 255 ? FS_ENAMETOOLONG : FS_OK;
}

static int e4_lookup(struct fs *fs, fs_node dir, const char *name, fs_node *out)
{
	struct ext4 *e = ext4_of(fs);
	struct ext4_inode *in = malloc(sizeof *in);
	uint32_t ino;
	uint8_t type;
	int err;

	if (!in)
		return FS_ENOMEM;
	if (!(err = read_dir(e, dir, in))) {
		if (!strcmp(name, "."))
			*out = dir;
		else if (strlen(name) > 255)
			err = FS_ENAMETOOLONG;
		else if (!(err = ext4_dir_lookup(e, in, name, &ino, &type)))
			*out = ino;
	}
	free(in);
	return err;
}

static int e4_stat(struct fs *fs, fs_node node, struct fs_stat *st)
{
	struct ext4 *e = ext4_of(fs);
	struct ext4_inode *in = malloc(sizeof *in);
	int err;

	if (!in)
		return FS_ENOMEM;
	if (node > UINT32_MAX)
		err = FS_ENOENT;
	else if (!(err = ext4_inode_read(e, (uint32_t)node, in))) {
		const uint8_t *r = in->raw;
		memset(st, 0, sizeof *st);
		st->node = node;
		st->mode = in->mode;
		st->nlink = in->links;
		st->uid = le16(r + 0x02) | (uint32_t)le16(r + 0x78) << 16;
		st->gid = le16(r + 0x18) | (uint32_t)le16(r + 0x7A) << 16;
		st->size = in->size;
		st->blocks = le32(r + 0x1C) | (uint64_t)le16(r + 0x74) << 32;
		if (in->flags & EXT4_HUGE_FILE_FL)
			st->blocks *= e->sb.block_size / 512;
		st->atime = le32(r + 0x08);
		st->ctime = le32(r + 0x0C);
		st->mtime = le32(r + 0x10);
	}
	free(in);
	return err;
}

/* Reads a regular file's inode for data access. */
static int read_file(struct ext4 *e, fs_node node, struct ext4_inode *in)
{
	int err;

	if (node > UINT32_MAX)
		return FS_ENOENT;
	if ((err = ext4_inode_read(e, (uint32_t)node, in)))
		return err;
	if ((in->mode & FS_S_IFMT) == FS_S_IFDIR)
		return FS_EISDIR;
	return (in->mode & FS_S_IFMT) == FS_S_IFREG ? FS_OK : FS_EINVAL;
}

static int e4_read(struct fs *fs, fs_node node, uint64_t off, void *buf, size_t len, size_t *got)
{
	struct ext4 *e = ext4_of(fs);
	struct ext4_inode *in = malloc(sizeof *in);
	int err;

	*got = 0;
	if (!in)
		return FS_ENOMEM;
	if (!(err = read_file(e, node, in)))
		err = ext4_file_read(e, in, off, buf, len, got);
	free(in);
	return err;
}

static int e4_write(struct fs *fs, fs_node node, uint64_t off, const void *buf, size_t len)
{
	struct ext4 *e = ext4_of(fs);
	struct ext4_inode *in;
	int err;

	if ((err = writable(fs)))
		return err;
	if (!(in = malloc(sizeof *in)))
		return FS_ENOMEM;
	if (!(err = read_file(e, node, in)))
		err = ext4_file_write(e, in, off, buf, len);
	free(in);
	int cerr = ext4_tx_end(e, err != FS_OK);	/* a failure may have freed blocks */
	return err ? err : cerr;
}

static int e4_truncate(struct fs *fs, fs_node node, uint64_t size)
{
	struct ext4 *e = ext4_of(fs);
	struct ext4_inode *in;
	int err;

	if ((err = writable(fs)))
		return err;
	if (!(in = malloc(sizeof *in)))
		return FS_ENOMEM;
	if (!(err = read_file(e, node, in)))
		err = ext4_file_truncate(e, in, size);
	free(in);
	int cerr = ext4_tx_end(e, 1);
	return err ? err : cerr;
}

/* A fresh inode of the given mode in memory (written by the caller). */
static void init_inode(struct ext4 *e, struct ext4_inode *in, uint32_t ino, uint32_t mode)
{
	static uint32_t generation_counter;
	uint32_t now = (uint32_t)fs_now();

	memset(in->raw, 0, e->sb.inode_size);
	in->ino = ino;
	in->mode = mode;
	in->links = 1;
	in->size = 0;
	in->flags = 0;
	in->generation = (uint32_t)(ino * 2654435761u) ^ (now + ++generation_counter * 40503u);
	put_le32(in->raw + 0x08, now);
	put_le32(in->raw + 0x0C, now);
	put_le32(in->raw + 0x10, now);
	if (e->sb.inode_size > 128) {
		uint16_t want = le16(e->sb.raw + 0x15E);
		if (want < 32 || 128u + want > e->sb.inode_size)
			want = 32;
		put_le16(in->raw + 0x80, want);
		if (want >= 0x94 - 0x80)
			put_le32(in->raw + 0x90, now);	/* crtime */
	}
}

static uint32_t group_of(const struct ext4 *e, uint32_t ino)
{
	return (ino - 1) / e->sb.inodes_per_group;
}

/* Makes a new inode of mode named name in dir; the caller fills it. */
static int make_node(struct fs *fs, fs_node dir, const char *name, uint32_t mode, struct ext4_inode *parent,
		     struct ext4_inode *in)
{
	struct ext4 *e = ext4_of(fs);
	uint32_t ino, x;
	uint8_t t;
	int err;

	if ((err = writable(fs)) || (err = check_name(name)) || (err = read_dir(e, dir, parent)))
		return err;
	if ((err = ext4_dir_lookup(e, parent, name, &x, &t)) != FS_ENOENT)
		return err ? err : FS_EEXIST;
	if ((err = ext4_alloc_inode(e, group_of(e, parent->ino), (mode & FS_S_IFMT) == FS_S_IFDIR, &ino)))
		return err;
	init_inode(e, in, ino, mode);
	return FS_OK;
}

/* A new inode that could not be linked: its blocks and the inode go
   back, so the transaction stays consistent. */
static void unmake_node(struct ext4 *e, struct ext4_inode *in)
{
	if (in->flags & EXT4_EXTENTS_FL)
		ext4_extent_truncate(e, in, 0);
	in->links = 0;
	in->size = 0;
	put_le32(in->raw + 0x14, (uint32_t)fs_now() | 1);
	ext4_inode_write(e, in);
	ext4_free_inode(e, in->ino, (in->mode & FS_S_IFMT) == FS_S_IFDIR);
}

static int e4_create(struct fs *fs, fs_node dir, const char *name, uint32_t mode, fs_node *out)
{
	struct ext4 *e = ext4_of(fs);
	struct ext4_inode *p = malloc(sizeof *p), *in = malloc(sizeof *in);
	int err = p && in ? FS_OK : FS_ENOMEM;

	if (!err && !(err = make_node(fs, dir, name, FS_S_IFREG | (mode & 07777), p, in))) {
		ext4_extent_init(in);
		if (!(err = ext4_inode_write(e, in)) && !(err = ext4_dir_add(e, p, name, in->ino, 1)))
			*out = in->ino;
		else
			unmake_node(e, in);
	}
	free(p);
	free(in);
	int cerr = ext4_tx_end(e, err != FS_OK);
	return err ? err : cerr;
}

static int e4_mkdir(struct fs *fs, fs_node dir, const char *name, uint32_t mode, fs_node *out)
{
	struct ext4 *e = ext4_of(fs);
	struct ext4_inode *p = malloc(sizeof *p), *in = malloc(sizeof *in);
	int err = p && in ? FS_OK : FS_ENOMEM;

	if (!err && !(err = make_node(fs, dir, name, FS_S_IFDIR | (mode & 07777), p, in))) {
		ext4_extent_init(in);
		in->links = 2;
		if (!(err = ext4_dir_init(e, in, p->ino)) && !(err = ext4_inode_write(e, in)) &&
		    !(err = ext4_dir_add(e, p, name, in->ino, 2))) {
			p->links++;
			err = ext4_inode_write(e, p);
			*out = in->ino;
		} else {
			unmake_node(e, in);
		}
	}
	free(p);
	free(in);
	int cerr = ext4_tx_end(e, err != FS_OK);	/* a failure may have freed blocks */
	return err ? err : cerr;
}

static int e4_symlink(struct fs *fs, fs_node dir, const char *name, const char *target, fs_node *out)
{
	struct ext4 *e = ext4_of(fs);
	struct ext4_inode *p = malloc(sizeof *p), *in = malloc(sizeof *in);
	size_t n = strlen(target);
	int err = p && in ? FS_OK : FS_ENOMEM;

	if (!err && (!n || n >= e->sb.block_size))
		err = n ? FS_ENAMETOOLONG : FS_EINVAL;
	if (!err && !(err = make_node(fs, dir, name, FS_S_IFLNK | 0777, p, in))) {
		if (n < 60) {
			memcpy(in->raw + 0x28, target, n);	/* fast: in i_block */
			in->size = n;
			err = ext4_inode_write(e, in);
		} else {
			ext4_extent_init(in);
			err = ext4_file_write(e, in, 0, target, n);
		}
		if (!err && !(err = ext4_dir_add(e, p, name, in->ino, 7)))
			*out = in->ino;
		else
			unmake_node(e, in);
	}
	free(p);
	free(in);
	int cerr = ext4_tx_end(e, err != FS_OK);	/* a failure may have freed blocks */
	return err ? err : cerr;
}

static int e4_readlink(struct fs *fs, fs_node node, char *buf, size_t len, size_t *got)
{
	struct ext4 *e = ext4_of(fs);
	struct ext4_inode *in = malloc(sizeof *in);
	int err;

	*got = 0;
	if (!in)
		return FS_ENOMEM;
	if (node > UINT32_MAX)
		err = FS_ENOENT;
	else if (!(err = ext4_inode_read(e, (uint32_t)node, in)))
		err = ext4_readlink(e, in, buf, len, got);
	free(in);
	return err;
}

/* Drops one link to in; at zero its blocks and the inode are freed. */
static int drop_link(struct ext4 *e, struct ext4_inode *in)
{
	int dir = (in->mode & FS_S_IFMT) == FS_S_IFDIR, err;

	in->links = dir || in->links <= 1 ? 0 : in->links - 1;
	ext4_inode_touch(in, 0, 1);
	if (in->links)
		return ext4_inode_write(e, in);
	if ((in->flags & EXT4_EXTENTS_FL) && (err = ext4_extent_truncate(e, in, 0)))
		return err;
	in->size = 0;
	put_le32(in->raw + 0x14, (uint32_t)fs_now() | 1);	/* dtime */
	if ((err = ext4_inode_write(e, in)))
		return err;
	return ext4_free_inode(e, in->ino, dir);
}

/* Removes dir/name (a directory only if want_dir; it must be empty). */
static int remove_name(struct ext4 *e, struct ext4_inode *p, const char *name, int want_dir)
{
	struct ext4_inode *in = malloc(sizeof *in);
	uint32_t ino;
	uint8_t t;
	int err, empty;

	if (!in)
		return FS_ENOMEM;
	if ((err = ext4_dir_lookup(e, p, name, &ino, &t)) || (err = ext4_inode_read(e, ino, in)))
		goto out;
	int is_dir = (in->mode & FS_S_IFMT) == FS_S_IFDIR;
	if (want_dir != is_dir) {
		err = is_dir ? FS_EISDIR : FS_ENOTDIR;
		goto out;
	}
	if (is_dir && (err = ext4_dir_is_empty(e, in, &empty)))
		goto out;
	if (is_dir && !empty) {
		err = FS_ENOTEMPTY;
		goto out;
	}
	if ((err = ext4_dir_remove(e, p, name)) || (err = drop_link(e, in)))
		goto out;
	if (is_dir && p->links > 2) {
		p->links--;
		err = ext4_inode_write(e, p);
	}
out:
	free(in);
	return err;
}

static int remove_op(struct fs *fs, fs_node dir, const char *name, int want_dir)
{
	struct ext4 *e = ext4_of(fs);
	struct ext4_inode *p;
	int err;

	if ((err = writable(fs)))
		return err;
	if (!(p = malloc(sizeof *p)))
		return FS_ENOMEM;
	if (!(err = read_dir(e, dir, p)))
		err = !strcmp(name, ".") || !strcmp(name, "..") ? FS_EINVAL : remove_name(e, p, name, want_dir);
	free(p);
	int cerr = ext4_tx_end(e, 1);
	return err ? err : cerr;
}

static int e4_unlink(struct fs *fs, fs_node dir, const char *name)
{
	return remove_op(fs, dir, name, 0);
}

static int e4_rmdir(struct fs *fs, fs_node dir, const char *name)
{
	return remove_op(fs, dir, name, 1);
}

/* Whether directory inner is dir or below it (following ".."). */
static int is_within(struct ext4 *e, uint32_t inner, uint32_t dir, int *within)
{
	struct ext4_inode *in = malloc(sizeof *in);
	uint32_t c = inner, up;
	uint8_t t;
	int err = FS_OK;

	*within = 0;
	if (!in)
		return FS_ENOMEM;
	for (uint32_t steps = 0; c != EXT4_ROOT_INO && !err; steps++) {
		if (c == dir) {
			*within = 1;
			break;
		}
		if (steps > e->sb.inodes_count)
			err = ext4_fail(e, "ext4: \"..\" entries loop above directory %u", inner);
		else if (!(err = read_dir(e, c, in)) && !(err = ext4_dir_lookup(e, in, "..", &up, &t)))
			c = up;
	}
	free(in);
	return err;
}

struct rename_state {
	struct ext4_inode od, nd, src, dst;
	uint32_t src_ino, dst_ino;
	uint8_t src_type, dst_type;
};

static int rename_steps(struct ext4 *e, struct rename_state *s, fs_node odir, const char *oname,
			fs_node ndir, const char *nname)
{
	int err, within, is_dir;

	if ((err = read_dir(e, odir, &s->od)) || (err = read_dir(e, ndir, &s->nd)) ||
	    (err = ext4_dir_lookup(e, &s->od, oname, &s->src_ino, &s->src_type)) ||
	    (err = ext4_inode_read(e, s->src_ino, &s->src)))
		return err;
	is_dir = (s->src.mode & FS_S_IFMT) == FS_S_IFDIR;
	if (is_dir && odir != ndir && (err = is_within(e, (uint32_t)ndir, s->src_ino, &within)))
		return err;
	if (is_dir && odir != ndir && within)
		return FS_EINVAL;
	err = ext4_dir_lookup(e, &s->nd, nname, &s->dst_ino, &s->dst_type);
	if (!err && s->dst_ino == s->src_ino)
		return FS_OK;
	if (!err) {
		if ((err = ext4_inode_read(e, s->dst_ino, &s->dst)))
			return err;
		int ddir = (s->dst.mode & FS_S_IFMT) == FS_S_IFDIR;
		if (ddir != is_dir)
			return ddir ? FS_EISDIR : FS_ENOTDIR;
		if ((err = remove_name(e, &s->nd, nname, ddir)) || (err = read_dir(e, ndir, &s->nd)))
			return err;
	} else if (err != FS_ENOENT) {
		return err;
	}
	if ((err = ext4_dir_add(e, &s->nd, nname, s->src_ino, (uint8_t)type_of(s->src.mode))) ||
	    (err = read_dir(e, odir, &s->od)) || (err = ext4_dir_remove(e, &s->od, oname)))
		return err;
	if (is_dir && odir != ndir) {
		if ((err = ext4_dir_set_dotdot(e, &s->src, (uint32_t)ndir)) || (err = read_dir(e, odir, &s->od)))
			return err;
		s->od.links--;
		if ((err = ext4_inode_write(e, &s->od)) || (err = read_dir(e, ndir, &s->nd)))
			return err;
		s->nd.links++;
		err = ext4_inode_write(e, &s->nd);
	}
	return err;
}

static int e4_rename(struct fs *fs, fs_node odir, const char *oname, fs_node ndir, const char *nname)
{
	struct ext4 *e = ext4_of(fs);
	struct rename_state *s;
	int err;

	if ((err = writable(fs)) || (err = check_name(nname)))
		return err;
	if (!(s = malloc(sizeof *s)))
		return FS_ENOMEM;
	err = rename_steps(e, s, odir, oname, ndir, nname);
	free(s);
	int cerr = ext4_tx_end(e, 1);
	return err ? err : cerr;
}

struct readdir_arg {
	struct fs_dirent *out;
};

static int readdir_fn(void *arg, const struct ext4_dirent *d)
{
	struct readdir_arg *a = arg;

	if (!strcmp(d->name, ".") || !strcmp(d->name, ".."))
		return 0;
	a->out->node = d->ino;
	a->out->type = d->type == 2 ? FS_S_IFDIR : d->type == 7 ? FS_S_IFLNK : FS_S_IFREG;
	memcpy(a->out->name, d->name, (size_t)d->name_len + 1);
	return -1;
}

static int e4_readdir(struct fs *fs, fs_node dir, uint64_t *cookie, struct fs_dirent *out)
{
	struct ext4 *e = ext4_of(fs);
	struct ext4_inode *in = malloc(sizeof *in);
	struct readdir_arg a = {out};
	int err;

	if (!in)
		return FS_ENOMEM;
	if (!(err = read_dir(e, dir, in))) {
		err = ext4_dir_iterate(e, in, cookie, readdir_fn, &a);
		err = err == -1 ? FS_OK : err ? err : FS_ENOENT;
	}
	free(in);
	return err;
}

static int e4_sync(struct fs *fs)
{
	struct ext4 *e = ext4_of(fs);
	int err;

	if (!e->journal)
		return FS_OK;
	if ((err = ext4_tx_commit(e)))
		return err;
	return bcache_flush(&e->cache);
}

static int e4_unmount(struct fs *fs)
{
	struct ext4 *e = ext4_of(fs);
	int err;

	if (!e)
		return FS_OK;
	err = e4_sync(fs);
	ext4_journal_close(e);
	bcache_destroy(&e->cache);
	free(e->gdt);
	free(e->gstale);
	free(e->gdirty);
	free(e);
	fs->priv = NULL;
	return err;
}

static const struct fs_ops ext4_ops = {
	.name = "ext4",
	.lookup = e4_lookup,
	.stat = e4_stat,
	.read = e4_read,
	.write = e4_write,
	.truncate = e4_truncate,
	.create = e4_create,
	.mkdir = e4_mkdir,
	.symlink = e4_symlink,
	.readlink = e4_readlink,
	.unlink = e4_unlink,
	.rmdir = e4_rmdir,
	.rename = e4_rename,
	.readdir = e4_readdir,
	.sync = e4_sync,
	.unmount = e4_unmount,
};

static int read_super(struct ext4 *e, struct blkdev *dev, unsigned flags)
{
	uint32_t ss = dev->sector_size;
	uint8_t *buf = malloc(2048 + ss);
	int err;

	if (!buf)
		return FS_ENOMEM;
	if (ss < 512 || ss > 4096 || 2048 % ss)
		err = fs_fail(e->fs, FS_EINVAL, "ext4: device sector size %u unsupported", ss);
	else if ((err = blkdev_read(dev, 1024 / ss, 1024 / ss ? 1024 / ss : 1, buf)))
		fs_fail(e->fs, err, "ext4: cannot read the superblock");
	else
		err = ext4_parse_super(buf + 1024 % ss, dev->sectors * ss, flags, &e->sb, e->fs->why,
				       sizeof e->fs->why);
	free(buf);
	return err;
}

/* Read-write needs a writable feature set, no orphans and a journal. */
static void choose_rw(struct fs *fs, struct ext4 *e)
{
	char why[sizeof fs->why];

	if (fs->flags & FS_MOUNT_RDONLY)
		return;
	if (e->sb.incompat & INCOMPAT_RECOVER) {
		fs->flags |= FS_MOUNT_RDONLY;
		fs_fail(fs, FS_EROFS, "ext4: the journal needs replaying: mounted read-only");
	} else if (e->sb.force_rdonly) {
		fs->flags |= FS_MOUNT_RDONLY;
		fs_fail(fs, FS_EROFS, "ext4: ro_compat features 0x%x we cannot write: mounted read-only",
			e->sb.ro_compat & ~(uint32_t)RO_WRITE);
	} else if (le32(e->sb.raw + 0xE8)) {
		fs->flags |= FS_MOUNT_RDONLY;
		fs_fail(fs, FS_EROFS, "ext4: orphan inodes to process: mounted read-only");
	} else if (ext4_journal_open(e)) {
		memcpy(why, fs->why, sizeof why);
		fs->flags |= FS_MOUNT_RDONLY;
		snprintf(fs->why, sizeof fs->why, "%.150s: mounted read-only", why);
	}
}

int ext4_mount(struct fs *fs, struct blkdev *dev, unsigned flags, uint32_t cache_blocks)
{
	struct ext4 *e;
	struct ext4_inode *root;
	int err;

	memset(fs, 0, sizeof *fs);
	fs->ops = &ext4_ops;
	fs->dev = dev;
	fs->flags = flags & FS_MOUNT_RDONLY;
	fs->root = EXT4_ROOT_INO;
	if (!(e = calloc(1, sizeof *e)))
		return FS_ENOMEM;
	e->fs = fs;
	e->nocsum = !!(flags & EXT4_MOUNT_NOCSUM);
	fs->priv = e;
	if ((err = read_super(e, dev, flags)))
		goto fail;
	if ((err = bcache_init(&e->cache, dev, e->sb.block_size, cache_blocks ? cache_blocks : 1280)))
		goto fail;
	if ((err = ext4_load_groups(e)))
		goto fail_cache;
	if (!(root = malloc(sizeof *root))) {
		err = FS_ENOMEM;
		goto fail_cache;
	}
	err = read_dir(e, EXT4_ROOT_INO, root);
	free(root);
	if (err) {
		if (err == FS_ENOTDIR)
			err = ext4_fail(e, "ext4: root inode is not a directory");
		goto fail_cache;
	}
	choose_rw(fs, e);
	return FS_OK;
fail_cache:
	bcache_destroy(&e->cache);
fail:
	free(e->gdt);
	free(e->gstale);
	free(e->gdirty);
	free(e);
	fs->priv = NULL;
	return err;
}
