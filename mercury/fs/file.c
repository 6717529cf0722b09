/*
 * file.c: descriptors over fids (file.h). A descriptor holds the fid it
 * opened and its offset; one opened on a union directory holds the fid of
 * every member, and reading its entries goes through them in turn. Data
 * moves inline (fs.ipc's 400 bytes a call).
 */
#include <mercury/runtime.h>
#include <mercury/string.h>

#include "file.h"
#include "fs_client.h"
#include "ns.h"

#define UNION_MAX 4

struct file {
	bool used;
	hl_cptr_t fid[UNION_MAX];
	unsigned nfid;
	uint8_t qtype, mode;
	uint64_t off;
};

static struct file files[FILE_MAX];

static struct file *file_of(int fd)
{
	return fd >= 0 && fd < FILE_MAX && files[fd].used ? &files[fd] : NULL;
}

static int new_fd(void)
{
	for (int i = 0; i < FILE_MAX; i++)
		if (!files[i].used) {
			memset(&files[i], 0, sizeof(files[i]));
			files[i].used = true;
			return i;
		}
	return -1;
}

static void drop(hl_cptr_t fid)
{
	fs_clunk(fid);
	slot_free(fid);
}

/* Opens the members of a union directory at path for reading into f; false if path is no union. */
static bool open_union(const char *path, struct file *f)
{
	const struct ns_mount_entry *m[NS_MOUNTS];
	const char *rest;
	unsigned n = ns_members(path, m, &rest), iounit;
	uint8_t qt;
	uint64_t qp;

	if (n < 2 || *rest)
		return false;
	for (unsigned i = 0; i < n && f->nfid < UNION_MAX; i++) {
		hl_cptr_t s = slot_alloc();

		if (s && fs_walk(m[i]->fid, "", s, &qt, &qp) == E_OK && fs_open(s, FS_OREAD, &qt, &iounit) == E_OK)
			f->fid[f->nfid++] = s;
		else if (s)
			drop(s);
	}
	f->qtype = FS_QDIR;
	return f->nfid > 0;
}

int file_open(const char *path, uint8_t mode)
{
	int fd = new_fd();
	struct file *f = fd >= 0 ? &files[fd] : NULL;
	uint32_t iounit;
	enum hl_error st;

	if (!f)
		return -E_BUSY;
	f->mode = mode;
	if (mode == FS_OREAD && open_union(path, f))
		return fd;
	if ((st = ns_walk(path, &f->fid[0], &f->qtype)) != E_OK) {
		f->used = false;
		return -(int)st;
	}
	f->nfid = 1;
	if ((st = fs_open(f->fid[0], mode, &f->qtype, &iounit)) != E_OK) {
		drop(f->fid[0]);
		f->used = false;
		return -(int)st;
	}
	return fd;
}

int file_create(const char *path, uint32_t perm, uint8_t mode)
{
	const struct ns_mount_entry *m[NS_MOUNTS];
	char dir[NS_PATH_MAX + 1];
	const char *slash = strrchr(path, '/'), *rest;
	int fd;
	hl_cptr_t parent;
	uint8_t qt;
	uint64_t qp;
	unsigned n;
	enum hl_error st;

	if (!path || path[0] != '/' || !slash[1] || strlen(path) > NS_PATH_MAX)
		return -E_INVAL;
	if (slash == path) {
		strlcpy(dir, "/", sizeof(dir));
	} else {
		memcpy(dir, path, (size_t)(slash - path));
		dir[slash - path] = '\0';
	}
	/* In a union directory the member marked NS_CREATE (else the first) takes it. */
	n = ns_members(dir, m, &rest);
	if (n > 1 && !*rest) {
		unsigned k = 0;

		for (unsigned i = 0; i < n; i++)
			if (m[i]->flags & NS_CREATE) {
				k = i;
				break;
			}
		if (!(parent = slot_alloc()))
			return -E_BUSY;
		if ((st = fs_walk(m[k]->fid, "", parent, &qt, &qp)) != E_OK) {
			slot_free(parent);
			return -(int)st;
		}
	} else if ((st = ns_walk(dir, &parent, &qt)) != E_OK) {
		return -(int)st;
	}
	if ((fd = new_fd()) < 0) {
		drop(parent);
		return -E_BUSY;
	}
	files[fd].fid[0] = slot_alloc();
	st = fs_create(parent, slash + 1, perm, mode, files[fd].fid[0], &files[fd].qtype, &qp);
	drop(parent);
	if (st != E_OK) {
		slot_free(files[fd].fid[0]);
		files[fd].used = false;
		return -(int)st;
	}
	files[fd].nfid = 1, files[fd].mode = mode;
	return fd;
}

long file_read(int fd, void *buf, size_t n)
{
	struct file *f = file_of(fd);
	size_t got = 0;

	if (!f)
		return -E_NOCAP;
	if (f->qtype & FS_QDIR)
		return -E_TYPE;		/* file_readdir */
	while (got < n) {
		size_t len = 0;
		uint32_t want = n - got < FS_IOUNIT ? (uint32_t)(n - got) : FS_IOUNIT;
		enum hl_error st = fs_read(f->fid[0], f->off, want, (uint8_t *)buf + got, &len);

		if (st != E_OK)
			return got ? (long)got : -(long)st;
		f->off += len, got += len;
		if (len < want)
			break;		/* the end of the file */
	}
	return (long)got;
}

long file_write(int fd, const void *buf, size_t n)
{
	struct file *f = file_of(fd);
	size_t put = 0;

	if (!f)
		return -E_NOCAP;
	while (put < n) {
		uint32_t w = 0, want = n - put < FS_IOUNIT ? (uint32_t)(n - put) : FS_IOUNIT;
		enum hl_error st = fs_write(f->fid[0], f->off, (const uint8_t *)buf + put, want, &w);

		if (st != E_OK)
			return put ? (long)put : -(long)st;
		f->off += w, put += w;
		if (w < want)
			break;
	}
	return (long)put;
}

long long file_seek(int fd, long long off, int whence)
{
	struct file *f = file_of(fd);
	long long base;

	if (!f)
		return -E_NOCAP;
	if (whence == 0) {
		base = 0;
	} else if (whence == 1) {
		base = (long long)f->off;
	} else if (whence == 2) {
		uint8_t t;
		uint32_t mode;
		uint64_t qp, len, mtime;
		char name[FS_STAT_NAME_MAX + 1];
		enum hl_error st = fs_stat(f->fid[0], &t, &qp, &mode, &len, &mtime, name);

		if (st != E_OK)
			return -(long long)st;
		base = (long long)len;
	} else {
		return -E_INVAL;
	}
	if (base + off < 0)
		return -E_RANGE;
	return (long long)(f->off = (uint64_t)(base + off));
}

int file_close(int fd)
{
	struct file *f = file_of(fd);

	if (!f)
		return -E_NOCAP;
	for (unsigned i = 0; i < f->nfid; i++)
		drop(f->fid[i]);
	f->used = false;
	return 0;
}

int file_stat(const char *path, struct fsp_stat *st)
{
	hl_cptr_t fid;
	uint8_t qt;
	enum hl_error e;

	if ((e = ns_walk(path, &fid, &qt)) != E_OK)
		return -(int)e;
	e = fs_stat(fid, &st->qid.type, &st->qid.path, &st->mode, &st->length, &st->mtime, st->name);
	drop(fid);
	return -(int)e;
}

/* One packed entry at p (n bytes left) into st; its length, or 0 when malformed. */
static unsigned unpack(const uint8_t *p, size_t n, struct fsp_stat *st)
{
	unsigned len;

	if (n < 22 || n < 22u + p[21])
		return 0;
	st->qid.type = p[0];
	st->qid.path = st->length = 0;
	st->mode = 0;
	for (int i = 7; i >= 0; i--)
		st->qid.path = st->qid.path << 8 | p[1 + i];
	for (int i = 3; i >= 0; i--)
		st->mode = st->mode << 8 | p[9 + i];
	for (int i = 7; i >= 0; i--)
		st->length = st->length << 8 | p[13 + i];
	len = p[21];
	memcpy(st->name, p + 22, len);
	st->name[len] = '\0';
	st->mtime = 0;
	return 22 + len;
}

int file_readdir(int fd, uint64_t *cookie, struct fsp_stat *st)
{
	struct file *f = file_of(fd);

	if (!f)
		return -E_NOCAP;
	if (!(f->qtype & FS_QDIR))
		return -E_TYPE;
	for (unsigned member = (unsigned)(*cookie >> 32); member < f->nfid; member++, *cookie = (uint64_t)member << 32) {
		uint8_t data[FS_READ_DATA_MAX];
		size_t len = 0;
		enum hl_error e = fs_read(f->fid[member], *cookie & 0xFFFFFFFFu, FS_READ_DATA_MAX, data, &len);

		if (e != E_OK)
			return -(int)e;
		if (len && unpack(data, len, st)) {
			(*cookie)++;
			return 1;
		}
	}
	return 0;
}

int file_remove(const char *path)
{
	hl_cptr_t fid;
	uint8_t qt;
	enum hl_error e;

	if ((e = ns_walk(path, &fid, &qt)) != E_OK)
		return -(int)e;
	e = fs_remove(fid);	/* clunks it either way */
	slot_free(fid);
	return -(int)e;
}
