/*
 * fs.h: the one interface every Ares file system offers (FAT, ext4; later
 * ramfs and the rest), so the fs server and the 9P-shaped file protocol
 * sit on a single table of operations.
 *
 * A file is named by an fs_node, the file system's own number for it: the
 * inode number on ext4, the position of the directory entry on FAT. Every
 * call returns FS_OK or an FS_E* code; when the code is FS_ECORRUPT (or a
 * mount fails) fs->why says which on-disk structure is broken, e.g.
 * "fat: boot sector: bytes per sector is 100".
 */
#ifndef VENUS_FS_H
#define VENUS_FS_H

#include <stddef.h>
#include <stdint.h>

#include "blkdev.h"

/* Error codes. TODO: fold these into the shared E_* enum
   (kernel/include/helios/errors.h) when the file protocol lands; they are
   kept apart now so the kernel ABI does not change under other branches. */
enum fs_error {
	FS_OK = 0,
	FS_EIO,			/* the device failed */
	FS_EINVAL,		/* bad argument: empty or illegal name, bad offset */
	FS_ENOENT,		/* no such file */
	FS_EEXIST,		/* the name is taken */
	FS_ENOTDIR,		/* not a directory */
	FS_EISDIR,		/* is a directory */
	FS_ENOTEMPTY,		/* directory not empty */
	FS_ENOSPC,		/* no free cluster, block, inode or directory slot */
	FS_ENAMETOOLONG,	/* name longer than the file system allows */
	FS_EROFS,		/* mounted read-only */
	FS_ECORRUPT,		/* an on-disk structure is inconsistent (see fs->why) */
	FS_ENOMEM,		/* out of memory or cache buffers */
	FS_ENOSYS,		/* not supported by this file system */
	FS_EFBIG,		/* the file would exceed the format's size limit */
	FS_ECOUNT
};

/* The message for an error code ("no such file"). */
const char *fs_strerror(int err);

typedef uint64_t fs_node;

/* The longest name in bytes of UTF-8: FAT's 255 UTF-16 units can take
   765; ext4 allows 255. */
#define FS_NAME_MAX 765

/* File types, as in POSIX st_mode (and ext4's i_mode). */
#define FS_S_IFMT  0170000u
#define FS_S_IFREG 0100000u
#define FS_S_IFDIR 0040000u
#define FS_S_IFLNK 0120000u

struct fs_stat {
	fs_node node;
	uint32_t mode;		/* FS_S_IF* | permission bits */
	uint32_t nlink;
	uint32_t uid, gid;
	uint64_t size;		/* bytes */
	uint64_t blocks;	/* 512-byte units allocated */
	int64_t atime, mtime, ctime;	/* seconds since 1970 */
};

struct fs_dirent {
	fs_node node;
	uint32_t type;		/* FS_S_IF* */
	char name[FS_NAME_MAX + 1];
};

struct fs;

struct fs_ops {
	const char *name;
	int (*lookup)(struct fs *fs, fs_node dir, const char *name, fs_node *out);
	int (*stat)(struct fs *fs, fs_node node, struct fs_stat *st);
	/* Reads up to len bytes at off; *got is 0 at or past the end. */
	int (*read)(struct fs *fs, fs_node node, uint64_t off, void *buf, size_t len, size_t *got);
	/* Writes len bytes at off, growing the file (a gap reads as zeros). */
	int (*write)(struct fs *fs, fs_node node, uint64_t off, const void *buf, size_t len);
	int (*truncate)(struct fs *fs, fs_node node, uint64_t size);
	int (*create)(struct fs *fs, fs_node dir, const char *name, uint32_t mode, fs_node *out);
	int (*mkdir)(struct fs *fs, fs_node dir, const char *name, uint32_t mode, fs_node *out);
	int (*symlink)(struct fs *fs, fs_node dir, const char *name, const char *target, fs_node *out);
	/* Copies the link's target (not NUL-terminated) into buf; *got is its length. */
	int (*readlink)(struct fs *fs, fs_node node, char *buf, size_t len, size_t *got);
	int (*unlink)(struct fs *fs, fs_node dir, const char *name);
	int (*rmdir)(struct fs *fs, fs_node dir, const char *name);
	/* Moves odir/oname to ndir/nname, replacing a file (not a directory)
	   there. On FAT the moved file's fs_node changes: look it up again. */
	int (*rename)(struct fs *fs, fs_node odir, const char *oname, fs_node ndir, const char *nname);
	/* Returns the entry at *cookie (start with 0) and advances *cookie;
	   FS_ENOENT past the last one. "." and ".." are not returned. */
	int (*readdir)(struct fs *fs, fs_node dir, uint64_t *cookie, struct fs_dirent *out);
	/* Writes everything cached and flushes the device. */
	int (*sync)(struct fs *fs);
	/* Syncs (if writable) and frees everything; fs may then be reused. */
	int (*unmount)(struct fs *fs);
};

#define FS_MOUNT_RDONLY 1u

struct fs {
	const struct fs_ops *ops;
	struct blkdev *dev;
	fs_node root;
	unsigned flags;		/* FS_MOUNT_* */
	void *priv;		/* the file system's own state */
	char why[192];		/* the last failure's explanation */
};

/* Records why the last call failed (printf-style) and returns err. */
int fs_fail(struct fs *fs, int err, const char *fmt, ...)
	__attribute__((format(__printf__, 3, 4)));

/* The time stamped on files (seconds since 1970). Portable code has no
   clock: the server (or a test) installs one; until then it is 0. */
void fs_set_clock(int64_t (*now)(void));
int64_t fs_now(void);

/* Resolves a '/'-separated path from the root (no symlinks followed, no
   ".." beyond what the file system stores). */
int fs_walk(struct fs *fs, const char *path, fs_node *out);

/* Splits path into its parent's node and a pointer to the last component
   (within path); FS_EINVAL for "/" or an empty path. */
int fs_walk_parent(struct fs *fs, const char *path, fs_node *dir, const char **name);

#endif
