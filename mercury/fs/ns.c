/*
 * ns.c: the process's namespace (file.h): a table of mounts, each a path
 * and the fid of what is mounted there. A path resolves at its longest
 * mount point (compared name by name); a union directory is several
 * mounts at one path, tried in order (NS_BEFORE puts a member first,
 * NS_AFTER last), and the rest of the path is walked from the first
 * member that has it, as in Plan 9.
 */
#include <mercury/printf.h>
#include <mercury/runtime.h>
#include <mercury/string.h>

#include "file.h"
#include "fs_client.h"
#include "ns.h"

static struct ns_mount_entry mounts[NS_MOUNTS];
static int order_first, order_last;

/* Whether mount point m covers path (equal, or a prefix ending at a '/'). */
static size_t covers(const char *m, const char *path)
{
	size_t n = strlen(m);

	if (!strcmp(m, "/"))
		return 1;
	return !strncmp(m, path, n) && (path[n] == '\0' || path[n] == '/') ? n : 0;
}

unsigned ns_members(const char *path, const struct ns_mount_entry **out, const char **rest)
{
	size_t best = 0;
	unsigned n = 0;

	for (int i = 0; i < NS_MOUNTS; i++) {
		size_t c = mounts[i].used ? covers(mounts[i].path, path) : 0;

		if (c > best)
			best = c;
	}
	if (!best)
		return 0;
	for (int i = 0; i < NS_MOUNTS; i++)	/* the members at that point, in order */
		if (mounts[i].used && covers(mounts[i].path, path) == best) {
			unsigned k = n++;

			while (k > 0 && out[k - 1]->order > mounts[i].order) {
				out[k] = out[k - 1];
				k--;
			}
			out[k] = &mounts[i];
		}
	*rest = path + best;
	while (**rest == '/')
		(*rest)++;
	return n;
}

static bool path_ok(const char *p)
{
	return p && p[0] == '/' && strlen(p) <= NS_PATH_MAX && !strstr(p, "//");
}

static bool mounted_at(const char *p)
{
	for (int i = 0; i < NS_MOUNTS; i++)
		if (mounts[i].used && !strcmp(mounts[i].path, p))
			return true;
	return false;
}

/* Makes the directory path now shows a member of a union at path (order 0:
 * between what is bound before and after it). */
static void keep_what_is_there(const char *p)
{
	hl_cptr_t fid;
	uint8_t qt;
	int i = 0;

	while (i < NS_MOUNTS && mounts[i].used)
		i++;
	if (i == NS_MOUNTS || ns_walk(p, &fid, &qt) != E_OK)
		return;		/* no room (add will say so), or nothing there to keep */
	mounts[i] = (struct ns_mount_entry){ true, "", fid, NS_REPL, 0 };
	strlcpy(mounts[i].path, p, sizeof(mounts[i].path));
}

/* Adds fid at path with flags (NS_REPL drops what was there). */
static enum hl_error add(const char *path, hl_cptr_t fid, unsigned flags)
{
	struct ns_mount_entry *m = NULL;
	char p[NS_PATH_MAX + 1];
	size_t n = strlen(path);

	strlcpy(p, path, sizeof(p));
	if (n > 1 && p[n - 1] == '/')
		p[n - 1] = '\0';	/* "/tmp/" is "/tmp" */
	if ((flags & 3) == NS_REPL)
		ns_unmount(p);
	else if (!mounted_at(p))
		keep_what_is_there(p);	/* a union joins what the path showed before */
	for (int i = 0; i < NS_MOUNTS && !m; i++)
		if (!mounts[i].used)
			m = &mounts[i];
	if (!m)
		return E_BUSY;
	m->used = true;
	strlcpy(m->path, p, sizeof(m->path));
	m->fid = fid;
	m->flags = flags;
	m->order = (flags & 3) == NS_BEFORE ? --order_first : ++order_last;
	return E_OK;
}

enum hl_error ns_mount(const char *path, hl_cptr_t server, unsigned flags)
{
	hl_cptr_t fid;
	uint8_t qt;
	uint64_t qp;
	enum hl_error st;

	if (!path_ok(path))
		return E_INVAL;
	if (!(fid = slot_alloc()))
		return E_BUSY;
	if ((st = fs_attach(server, "none", "", fid, &qt, &qp)) != E_OK || (st = add(path, fid, flags)) != E_OK) {
		if (st != E_OK)
			fs_clunk(fid);
		slot_free(fid);
		return st;
	}
	return E_OK;
}

enum hl_error ns_bind(const char *old, const char *new, unsigned flags)
{
	hl_cptr_t fid;
	uint8_t qt;
	enum hl_error st;

	if (!path_ok(old) || !path_ok(new))
		return E_INVAL;
	if ((st = ns_walk(old, &fid, &qt)) != E_OK)
		return st;
	if ((st = add(new, fid, flags)) != E_OK) {
		fs_clunk(fid);
		slot_free(fid);
	}
	return st;
}

enum hl_error ns_unmount(const char *path)
{
	bool any = false;

	for (int i = 0; i < NS_MOUNTS; i++)
		if (mounts[i].used && !strcmp(mounts[i].path, path)) {
			fs_clunk(mounts[i].fid);
			slot_free(mounts[i].fid);
			mounts[i].used = false;
			any = true;
		}
	return any ? E_OK : E_NOCAP;
}

enum hl_error ns_walk(const char *path, hl_cptr_t *fid, uint8_t *qtype)
{
	const struct ns_mount_entry *m[NS_MOUNTS];
	const char *rest;
	unsigned n;
	uint64_t qp;
	enum hl_error st = E_NOCAP;

	if (!path_ok(path))
		return E_INVAL;
	if (!(n = ns_members(path, m, &rest)))
		return E_NOCAP;		/* nothing mounted above it */
	if (!(*fid = slot_alloc()))
		return E_BUSY;
	for (unsigned i = 0; i < n; i++)
		if ((st = fs_walk(m[i]->fid, rest, *fid, qtype, &qp)) == E_OK)
			return E_OK;
	slot_free(*fid);
	return st;
}

size_t ns_print(char *buf, size_t size)
{
	size_t used = 0;

	if (size)
		buf[0] = '\0';
	for (int i = 0; i < NS_MOUNTS; i++)
		if (mounts[i].used)
			used += (size_t)snprintf(buf + (used < size ? used : size), used < size ? size - used : 0,
						 "%s %s%s\n", mounts[i].path,
						 (mounts[i].flags & 3) == NS_BEFORE ? "before" :
						 (mounts[i].flags & 3) == NS_AFTER ? "after" : "replace",
						 mounts[i].flags & NS_CREATE ? " create" : "");
	return used < size ? used : size;
}
