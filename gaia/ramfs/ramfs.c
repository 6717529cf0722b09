/*
 * ramfs: a file system in memory (gaia/ramfs), served over the file
 * protocol (mercury/fs/fsserve.c) as "fs/ram" on the bus: /tmp's server.
 * Files and directories are entries of one table (RAM_NODES); a file's
 * bytes are a heap block that grows by doubling; everything counts against
 * RAM_BYTES, past which a write or create is E_NOMEM and nothing changes.
 * A qid path is the entry's index and the entry's generation, so a file
 * removed and another made in its place are told apart.
 */
#include <mercury/heap.h>
#include <mercury/printf.h>
#include <mercury/runtime.h>
#include <mercury/string.h>

#include "bus_client.h"
#include "fsserve.h"

#define RAM_NODES	1024
#define RAM_BYTES	(512u << 10)	/* file bytes, within the 2 MiB a svc/ program gets */

MERC_HEAP_ARENA(RAM_BYTES + (64u << 10));	/* the files, and malloc's own overhead */
#define NONE		UINT32_MAX

struct node {
	bool used;
	uint32_t gen, parent;	/* the root is its own parent */
	uint32_t mode;		/* FS_DMDIR | permission bits */
	uint64_t mtime;
	char name[FSP_NAME_MAX + 1];
	uint8_t *data;
	uint64_t len, cap;
};

static struct node nodes[RAM_NODES];
static uint64_t bytes_used;

static uint64_t qpath(uint32_t i)
{
	return (uint64_t)nodes[i].gen << 32 | i;
}

static struct fs_qid qid(uint32_t i)
{
	return (struct fs_qid){ (uint8_t)(nodes[i].mode & FS_DMDIR ? FS_QDIR : 0), qpath(i) };
}

/* The live entry of qid path p, or NONE. */
static uint32_t node_of(uint64_t p)
{
	uint32_t i = (uint32_t)p;

	return i < RAM_NODES && nodes[i].used && nodes[i].gen == (uint32_t)(p >> 32) ? i : NONE;
}

static uint32_t child(uint32_t dir, const char *name)
{
	for (uint32_t i = 1; i < RAM_NODES; i++)
		if (nodes[i].used && nodes[i].parent == dir && !strcmp(nodes[i].name, name))
			return i;
	return NONE;
}

static enum hl_error r_root(void *fs, struct fs_qid *q)
{
	(void)fs;
	*q = qid(0);
	return E_OK;
}

static enum hl_error r_walk1(void *fs, uint64_t dir, const char *name, struct fs_qid *q)
{
	uint32_t d = node_of(dir), c;

	(void)fs;
	if (d == NONE)
		return E_NOCAP;
	c = !strcmp(name, "..") ? nodes[d].parent : child(d, name);
	if (c == NONE)
		return E_NOCAP;
	*q = qid(c);
	return E_OK;
}

static enum hl_error r_read(void *fs, uint64_t file, uint64_t off, void *buf, uint32_t n, uint32_t *got)
{
	uint32_t i = node_of(file);

	(void)fs;
	if (i == NONE)
		return E_NOCAP;
	*got = off >= nodes[i].len ? 0 : (uint32_t)(nodes[i].len - off < n ? nodes[i].len - off : n);
	if (*got)
		memcpy(buf, nodes[i].data + off, *got);
	return E_OK;
}

/* Makes room for len bytes in file i; E_NOMEM past RAM_BYTES or the heap. */
static enum hl_error grow(uint32_t i, uint64_t len)
{
	struct node *n = &nodes[i];
	uint64_t cap = n->cap ? n->cap : 64;
	uint8_t *p;

	if (len <= n->cap)
		return E_OK;
	while (cap < len)
		cap *= 2;
	if (bytes_used - n->cap + cap > RAM_BYTES || !(p = realloc(n->data, cap)))
		return E_NOMEM;
	memset(p + n->len, 0, cap - n->len);
	bytes_used += cap - n->cap;
	n->data = p, n->cap = cap;
	return E_OK;
}

static enum hl_error r_write(void *fs, uint64_t file, uint64_t off, const void *buf, uint32_t n, uint32_t *put)
{
	uint32_t i = node_of(file);
	enum hl_error e;

	(void)fs;
	if (i == NONE)
		return E_NOCAP;
	if (off > RAM_BYTES || (e = grow(i, off + n)) != E_OK)
		return off > RAM_BYTES ? E_RANGE : e;
	memcpy(nodes[i].data + off, buf, n);
	if (off + n > nodes[i].len)
		nodes[i].len = off + n;
	nodes[i].mtime = time_ns();
	*put = n;
	return E_OK;
}

static enum hl_error r_create(void *fs, uint64_t dir, const char *name, uint32_t perm, struct fs_qid *q)
{
	uint32_t d = node_of(dir), i = 1;

	(void)fs;
	if (d == NONE)
		return E_NOCAP;
	if (child(d, name) != NONE)
		return E_EXIST;
	while (i < RAM_NODES && nodes[i].used)
		i++;
	if (i == RAM_NODES)
		return E_NOMEM;
	nodes[i].used = true;
	nodes[i].gen++;
	nodes[i].parent = d;
	nodes[i].mode = perm;
	nodes[i].mtime = time_ns();
	nodes[i].len = nodes[i].cap = 0;
	nodes[i].data = NULL;
	strlcpy(nodes[i].name, name, sizeof(nodes[i].name));
	*q = qid(i);
	return E_OK;
}

static enum hl_error r_remove(void *fs, uint64_t file)
{
	uint32_t i = node_of(file);

	(void)fs;
	if (i == NONE)
		return E_NOCAP;
	if (i == 0)
		return E_PERM;		/* the root stays */
	for (uint32_t k = 1; k < RAM_NODES; k++)
		if (nodes[k].used && nodes[k].parent == i)
			return E_BUSY;	/* a directory with something in it */
	free(nodes[i].data);
	bytes_used -= nodes[i].cap;
	nodes[i].used = false;
	nodes[i].data = NULL;
	return E_OK;
}

static void stat_of(uint32_t i, struct fsp_stat *st)
{
	st->qid = qid(i);
	st->mode = nodes[i].mode;
	st->length = nodes[i].mode & FS_DMDIR ? 0 : nodes[i].len;
	st->mtime = nodes[i].mtime;
	strlcpy(st->name, nodes[i].name, sizeof(st->name));
}

static enum hl_error r_stat(void *fs, uint64_t file, struct fsp_stat *st)
{
	uint32_t i = node_of(file);

	(void)fs;
	if (i == NONE)
		return E_NOCAP;
	stat_of(i, st);
	return E_OK;
}

static enum hl_error r_wstat(void *fs, uint64_t file, unsigned mask, const struct fsp_stat *st)
{
	uint32_t i = node_of(file);
	enum hl_error e;

	(void)fs;
	if (i == NONE)
		return E_NOCAP;
	if ((mask & FS_WSTAT_NAME) && (i == 0 || child(nodes[i].parent, st->name) != NONE))
		return i == 0 ? E_PERM : E_EXIST;
	if (mask & FS_WSTAT_LENGTH) {
		if (st->length > RAM_BYTES)
			return E_NOMEM;
		if ((e = grow(i, st->length)) != E_OK)
			return e;
		if (st->length < nodes[i].len)
			memset(nodes[i].data + st->length, 0, nodes[i].len - st->length);
		nodes[i].len = st->length;
	}
	if (mask & FS_WSTAT_NAME)
		strlcpy(nodes[i].name, st->name, sizeof(nodes[i].name));
	if (mask & FS_WSTAT_MODE)
		nodes[i].mode = (nodes[i].mode & FS_DMDIR) | (st->mode & 0777);
	nodes[i].mtime = time_ns();
	return E_OK;
}

static enum hl_error r_dirent(void *fs, uint64_t dir, uint64_t index, struct fsp_stat *st)
{
	uint32_t d = node_of(dir);

	(void)fs;
	if (d == NONE)
		return E_NOCAP;
	for (uint32_t k = 1; k < RAM_NODES; k++)
		if (nodes[k].used && nodes[k].parent == d && index-- == 0) {
			stat_of(k, st);
			return E_OK;
		}
	return E_RANGE;
}

static const struct fs_backend ramfs = {
	NULL, r_root, r_walk1, r_read, r_write, r_create, r_remove, r_stat, r_wstat, r_dirent, NULL,
};

int main(int argc, char **argv, char **envp)
{
	hl_cptr_t bus = proc_cap("bus"), ep = proc_cap("ep"), reply = proc_cap("reply");
	char own[40];
	const char *name = argc > 1 ? argv[1] : own;
	enum hl_error st;

	(void)envp;
	/* srv/ramfs serves fs/ram; the same program under another name N serves fs/N. */
	snprintf(own, sizeof(own), "fs/%s", !strcmp(argv[0], "ramfs") ? "ram" : argv[0]);
	if (!bus || !ep || !reply || !merc_cnode()) {
		printf("ramfs: missing a cap (bus, ep, reply, self.cnode)\n");
		return 1;
	}
	nodes[0] = (struct node){ .used = true, .parent = 0, .mode = FS_DMDIR | 0777 };
	if ((st = bus_register(bus, name, ep)) != E_OK) {
		printf("ramfs: cannot register \"%s\" on the bus (error %d)\n", name, (int)st);
		return 1;
	}
	printf("ramfs: serving %s (%u files, %u KiB)\n", name, RAM_NODES, RAM_BYTES >> 10);
	fs_serve(&ramfs, ep, reply, proc_cap("mem"));
}
