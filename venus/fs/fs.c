/* fs.c: what is common to every file system: error text and path walking. */
#include "port.h"
#include "fs.h"

static const char *const messages[FS_ECOUNT] = {
	[FS_OK] = "success",
	[FS_EIO] = "i/o error",
	[FS_EINVAL] = "invalid argument",
	[FS_ENOENT] = "no such file",
	[FS_EEXIST] = "file already exists",
	[FS_ENOTDIR] = "not a directory",
	[FS_EISDIR] = "is a directory",
	[FS_ENOTEMPTY] = "directory not empty",
	[FS_ENOSPC] = "no space left on device",
	[FS_ENAMETOOLONG] = "name too long",
	[FS_EROFS] = "read-only file system",
	[FS_ECORRUPT] = "file system corrupt",
	[FS_ENOMEM] = "out of memory",
	[FS_ENOSYS] = "not supported",
	[FS_EFBIG] = "file too large",
};

const char *fs_strerror(int err)
{
	if (err < 0 || err >= FS_ECOUNT)
		return "unknown error";
	return messages[err];
}

int fs_fail(struct fs *fs, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(fs->why, sizeof fs->why, fmt, ap);
	va_end(ap);
	return err;
}

static int64_t (*clock_fn)(void);

void fs_set_clock(int64_t (*now)(void))
{
	clock_fn = now;
}

int64_t fs_now(void)
{
	return clock_fn ? clock_fn() : 0;
}

/* Copies the next component of *p into name; 0 at the end of the path. */
static int next_component(const char **p, char *name, int *err)
{
	const char *s = *p, *e;

	while (*s == '/')
		s++;
	if (!*s)
		return 0;
	for (e = s; *e && *e != '/'; e++)
		;
	if (e - s > FS_NAME_MAX) {
		*err = FS_ENAMETOOLONG;
		return 0;
	}
	memcpy(name, s, (size_t)(e - s));
	name[e - s] = 0;
	*p = e;
	return 1;
}

int fs_walk(struct fs *fs, const char *path, fs_node *out)
{
	char name[FS_NAME_MAX + 1];
	fs_node node = fs->root;
	int err = FS_OK;

	while (next_component(&path, name, &err)) {
		err = fs->ops->lookup(fs, node, name, &node);
		if (err)
			return err;
	}
	if (!err)
		*out = node;
	return err;
}

int fs_walk_parent(struct fs *fs, const char *path, fs_node *dir, const char **name)
{
	const char *end = path + strlen(path), *last;
	char parent[1024];

	while (end > path && end[-1] == '/')
		end--;
	for (last = end; last > path && last[-1] != '/'; last--)
		;
	if (last == end || end[0] == '/' || (size_t)(last - path) >= sizeof parent)
		return FS_EINVAL;
	memcpy(parent, path, (size_t)(last - path));
	parent[last - path] = 0;
	*name = last;
	return fs_walk(fs, parent, dir);
}
