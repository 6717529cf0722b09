/*
 * fsserve.c: the file protocol's server side (fsserve.h).
 *
 * A fid is an entry of our table; its cap is our endpoint minted with
 * FID_FLAG | generation << 16 | index, so a call on it names the fid and a
 * clunked fid's old caps name nothing (the generation moved on). Caps
 * without FID_FLAG are the session (the bus's copies of our endpoint):
 * they may only agree on the version and attach. A fid answered in a reply
 * is minted into a slot of ours, which the reply copies; the slot is freed
 * once the reply is sent.
 */
#include <mercury/runtime.h>
#include <mercury/string.h>

#include "fs_server.h"
#include "fsserve.h"
#include "ipc_rt.h"
#include "mem_client.h"

#define FIDS		256
#define BUFS		16
#define FID_FLAG	(1ull << 40)
#define FID_RIGHTS	(HL_R_WRITE | HL_R_GRANT)

struct fid {
	bool used, open;
	uint8_t mode;
	uint16_t gen;
	struct fs_qid qid;
	int buf;		/* a shared buffer (bufs), or -1 */
};

struct buf {
	unsigned refs;		/* fids using it; 0: a free entry */
	uint64_t va;
	uint32_t size;
};

static const struct fs_backend *be;
static hl_cptr_t ep, mem, minted;
static struct fid fids[FIDS];
static struct buf bufs[BUFS];

bool fs_name_ok(const char *name)
{
	size_t n = strlen(name);

	return n >= 1 && n <= FSP_NAME_MAX && !strchr(name, '/') && strcmp(name, ".") && strcmp(name, "..");
}

unsigned fs_dirent_pack(const struct fsp_stat *st, uint8_t *out, unsigned room)
{
	unsigned n = (unsigned)strlen(st->name), need = 1 + 8 + 4 + 8 + 1 + n, k = 0;

	if (need > room)
		return 0;
	out[k++] = st->qid.type;
	for (int i = 0; i < 8; i++)
		out[k++] = (uint8_t)(st->qid.path >> (8 * i));
	for (int i = 0; i < 4; i++)
		out[k++] = (uint8_t)(st->mode >> (8 * i));
	for (int i = 0; i < 8; i++)
		out[k++] = (uint8_t)(st->length >> (8 * i));
	out[k++] = (uint8_t)n;
	memcpy(out + k, st->name, n);
	return need;
}

static struct fid *fid_of(uint64_t badge)
{
	struct fid *f;

	if (!(badge & FID_FLAG) || (badge & 0xFFFF) >= FIDS)
		return NULL;
	f = &fids[badge & 0xFFFF];
	return f->used && f->gen == (uint16_t)(badge >> 16) ? f : NULL;
}

static void buf_drop(int b)
{
	if (b >= 0 && --bufs[b].refs == 0)
		mem_detach(mem, bufs[b].va);
}

/* A new fid for q (sharing buffer b) and its cap in *cap (the fid in *out
 * if not NULL); E_BUSY when the table is full. */
static enum hl_error fid_new(const struct fs_qid *q, int b, hl_cptr_t *cap, struct fid **out)
{
	struct fid *f = NULL;
	hl_cptr_t s;

	for (int i = 0; i < FIDS && !f; i++)
		if (!fids[i].used)
			f = &fids[i];
	if (!f || !(s = slot_alloc()))
		return E_BUSY;
	if (hl_cnode_mint(merc_cnode(), s, MERC_DEPTH, merc_cnode(), ep, MERC_DEPTH, FID_RIGHTS,
			  FID_FLAG | (uint64_t)f->gen << 16 | (uint64_t)(f - fids)).status != E_OK) {
		slot_free(s);
		return E_BUSY;
	}
	f->used = true, f->open = false, f->mode = 0, f->qid = *q, f->buf = b;
	if (b >= 0)
		bufs[b].refs++;
	*cap = minted = s;
	if (out)
		*out = f;
	return E_OK;
}

static void fid_free(struct fid *f)
{
	buf_drop(f->buf);
	f->used = false;
	f->gen++;		/* its caps name nothing now */
}

static bool can_read(const struct fid *f)
{
	return f->open && (f->mode & 3) != FS_OWRITE;
}

static bool can_write(const struct fid *f)
{
	return f->open && (f->mode & 3) != FS_OREAD;
}

static enum hl_error on_version(void *ctx, uint64_t badge, uint32_t msize, const char *version, uint32_t *agreed_msize,
				char *agreed)
{
	(void)ctx, (void)badge;
	*agreed_msize = msize < FS_IOUNIT ? msize : FS_IOUNIT;
	strlcpy(agreed, strncmp(version, "9P2000", 6) ? "unknown" : "9P2000.ares", FS_VERSION_AGREED_MAX + 1);
	return E_OK;
}

static enum hl_error on_attach(void *ctx, uint64_t badge, const char *uname, const char *aname, hl_cptr_t *cap,
			       uint8_t *qtype, uint64_t *qpath)
{
	struct fs_qid q;
	enum hl_error st;

	(void)ctx, (void)uname;
	if (badge & FID_FLAG)
		return E_INVAL;		/* attach on the session, not on a fid */
	if (aname[0])
		return E_NOCAP;		/* one tree per server */
	if ((st = be->root(be->fs, &q)) != E_OK || (st = fid_new(&q, -1, cap, NULL)) != E_OK)
		return st;
	*qtype = q.type, *qpath = q.path;
	return E_OK;
}

static enum hl_error on_walk(void *ctx, uint64_t badge, const char *path, hl_cptr_t *cap, uint8_t *qtype,
			     uint64_t *qpath)
{
	struct fid *f = fid_of(badge);
	struct fs_qid q;
	char name[FSP_NAME_MAX + 1];
	unsigned depth = 0;
	enum hl_error st;

	(void)ctx;
	if (!f)
		return E_NOCAP;
	if (f->open)
		return E_INVAL;		/* an open fid does not walk (9P) */
	for (const char *p = path; *p; p += strcspn(p, "/") + (p[strcspn(p, "/")] == '/'))
		if (strcspn(p, "/") == 0 || strcspn(p, "/") > FSP_NAME_MAX || ++depth > FS_WALK_MAX)
			return E_INVAL;	/* "a//b", a name too long, too many names: nothing walked */
	q = f->qid;
	for (const char *p = path; *p;) {
		size_t n = strcspn(p, "/");

		memcpy(name, p, n);
		name[n] = '\0';
		p += n + (p[n] == '/');
		if (!strcmp(name, "."))
			continue;
		if (!(q.type & FS_QDIR))
			return E_TYPE;	/* walking on from a file */
		if ((st = be->walk1(be->fs, q.path, name, &q)) != E_OK)
			return st;
	}
	if ((st = fid_new(&q, f->buf, cap, NULL)) != E_OK)
		return st;
	*qtype = q.type, *qpath = q.path;
	return E_OK;
}

static enum hl_error check_mode(const struct fsp_stat *st, uint8_t mode)
{
	if ((mode & ~(3 | FS_OTRUNC)) || (mode & 3) == 3)
		return E_INVAL;
	if ((st->mode & FS_DMDIR) && mode != FS_OREAD)
		return E_TYPE;		/* directories open for reading only */
	if ((mode & 3) != FS_OWRITE && !(st->mode & 0400))
		return E_PERM;
	if (((mode & 3) != FS_OREAD || (mode & FS_OTRUNC)) && !(st->mode & 0200))
		return E_PERM;
	return E_OK;
}

static enum hl_error on_open(void *ctx, uint64_t badge, uint8_t mode, uint8_t *qtype, uint32_t *iounit)
{
	struct fid *f = fid_of(badge);
	struct fsp_stat st;
	enum hl_error e;

	(void)ctx;
	if (!f)
		return E_NOCAP;
	if (f->open)
		return E_INVAL;
	if ((e = be->stat(be->fs, f->qid.path, &st)) != E_OK || (e = check_mode(&st, mode)) != E_OK)
		return e;
	if ((mode & FS_OTRUNC) && (e = be->wstat(be->fs, f->qid.path, FS_WSTAT_LENGTH, &(struct fsp_stat){ 0 })))
		return e;
	f->open = true, f->mode = mode;
	*qtype = f->qid.type, *iounit = FS_IOUNIT;
	return E_OK;
}

static enum hl_error on_create(void *ctx, uint64_t badge, const char *name, uint32_t perm, uint8_t mode,
			       hl_cptr_t *cap, uint8_t *qtype, uint64_t *qpath)
{
	struct fid *f = fid_of(badge), *n;
	struct fsp_stat st = { .mode = perm };
	struct fs_qid q;
	enum hl_error e;

	(void)ctx;
	if (!f)
		return E_NOCAP;
	if (!(f->qid.type & FS_QDIR))
		return E_TYPE;
	if (!fs_name_ok(name) || (perm & ~(FS_DMDIR | 0777)))
		return E_INVAL;
	st.mode |= 0600;	/* its creator may use what it made */
	if ((e = check_mode(&st, mode)) != E_OK)
		return e;
	if ((e = be->create(be->fs, f->qid.path, name, perm | 0600, &q)) != E_OK ||
	    (e = fid_new(&q, f->buf, cap, &n)) != E_OK)
		return e;
	n->open = true, n->mode = mode & 3;
	*qtype = q.type, *qpath = q.path;
	return E_OK;
}

/* Directory entries from number first, packed into out (room bytes); the bytes used. */
static unsigned read_dir(uint64_t dir, uint64_t first, uint8_t *out, unsigned room)
{
	unsigned used = 0, k;
	struct fsp_stat st;

	for (uint64_t i = first; be->dirent(be->fs, dir, i, &st) == E_OK; i++) {
		if (!(k = fs_dirent_pack(&st, out + used, room - used)))
			break;
		used += k;
	}
	return used;
}

static enum hl_error on_read(void *ctx, uint64_t badge, uint64_t offset, uint32_t count, uint8_t *data,
			     size_t *data_len)
{
	struct fid *f = fid_of(badge);
	uint32_t got = 0;
	enum hl_error e;

	(void)ctx;
	if (!f)
		return E_NOCAP;
	if (!can_read(f))
		return E_PERM;
	if (count > FS_READ_DATA_MAX)
		count = FS_READ_DATA_MAX;
	if (f->qid.type & FS_QDIR) {
		*data_len = read_dir(f->qid.path, offset, data, count);
		return E_OK;
	}
	if ((e = be->read(be->fs, f->qid.path, offset, data, count, &got)) != E_OK)
		return e;
	*data_len = got;
	return E_OK;
}

static enum hl_error on_write(void *ctx, uint64_t badge, uint64_t offset, const uint8_t *data, size_t data_len,
			      uint32_t *written)
{
	struct fid *f = fid_of(badge);

	(void)ctx;
	if (!f)
		return E_NOCAP;
	if (!can_write(f))
		return E_PERM;
	return be->write(be->fs, f->qid.path, offset, data, (uint32_t)data_len, written);
}

static enum hl_error on_attach_buffer(void *ctx, uint64_t badge, hl_cptr_t token, uint32_t *size)
{
	struct fid *f = fid_of(badge);
	struct buf *b = NULL;
	uint64_t pa;
	enum hl_error e;

	(void)ctx;
	if (!f)
		return E_NOCAP;
	if (!mem)
		return E_NOSYS;		/* this server shares no memory */
	for (int i = 0; i < BUFS && !b; i++)
		if (!bufs[i].refs)
			b = &bufs[i];
	if (!b)
		return E_BUSY;
	if ((e = mem_attach(mem, token, &b->va, &pa, &b->size)) != E_OK)
		return e;
	buf_drop(f->buf);
	b->refs = 1;
	f->buf = (int)(b - bufs);
	*size = b->size;
	return E_OK;
}

/* The fid's buffer bytes [at, at + count), or NULL. */
static uint8_t *buf_span(const struct fid *f, uint32_t at, uint32_t count)
{
	const struct buf *b = f->buf >= 0 ? &bufs[f->buf] : NULL;

	return b && count <= b->size && at <= b->size - count ? (uint8_t *)b->va + at : NULL;
}

/* read_buf and write_buf: the fid's file at offset, through its buffer at at. */
static enum hl_error buffered(uint64_t badge, bool writing, uint64_t offset, uint32_t count, uint32_t at,
			      uint32_t *done)
{
	struct fid *f = fid_of(badge);
	uint8_t *p;

	if (!f)
		return E_NOCAP;
	if (!(writing ? can_write(f) : can_read(f)))
		return E_PERM;
	if (f->qid.type & FS_QDIR)
		return E_TYPE;		/* directories read inline */
	if (!(p = buf_span(f, at, count)))
		return E_RANGE;		/* no buffer, or past its end */
	return writing ? be->write(be->fs, f->qid.path, offset, p, count, done)
		       : be->read(be->fs, f->qid.path, offset, p, count, done);
}

static enum hl_error on_read_buf(void *ctx, uint64_t badge, uint64_t offset, uint32_t count, uint32_t at,
				 uint32_t *got)
{
	(void)ctx;
	return buffered(badge, false, offset, count, at, got);
}

static enum hl_error on_write_buf(void *ctx, uint64_t badge, uint64_t offset, uint32_t count, uint32_t at,
				  uint32_t *written)
{
	(void)ctx;
	return buffered(badge, true, offset, count, at, written);
}

static enum hl_error sync(void)
{
	return be->sync ? be->sync(be->fs) : E_OK;
}

static enum hl_error on_clunk(void *ctx, uint64_t badge)
{
	struct fid *f = fid_of(badge);
	bool wrote;

	(void)ctx;
	if (!f)
		return E_NOCAP;
	wrote = can_write(f);
	fid_free(f);
	return wrote ? sync() : E_OK;	/* what it wrote is on the disk when clunk returns */
}

static enum hl_error on_remove(void *ctx, uint64_t badge)
{
	struct fid *f = fid_of(badge);
	enum hl_error e;

	(void)ctx;
	if (!f)
		return E_NOCAP;
	e = be->remove(be->fs, f->qid.path);
	fid_free(f);		/* clunked whether or not the remove worked (9P) */
	return e == E_OK ? sync() : e;
}

static enum hl_error on_stat(void *ctx, uint64_t badge, uint8_t *qtype, uint64_t *qpath, uint32_t *mode,
			     uint64_t *length, uint64_t *mtime, char *name)
{
	struct fid *f = fid_of(badge);
	struct fsp_stat st;
	enum hl_error e;

	(void)ctx;
	if (!f)
		return E_NOCAP;
	if ((e = be->stat(be->fs, f->qid.path, &st)) != E_OK)
		return e;
	*qtype = st.qid.type, *qpath = st.qid.path, *mode = st.mode, *length = st.length, *mtime = st.mtime;
	strlcpy(name, st.name, FS_STAT_NAME_MAX + 1);
	return E_OK;
}

static enum hl_error on_wstat(void *ctx, uint64_t badge, uint8_t mask, const char *name, uint64_t length,
			      uint32_t mode)
{
	enum hl_error e;
	struct fid *f = fid_of(badge);
	struct fsp_stat st = { .length = length, .mode = mode };

	(void)ctx;
	if (!f)
		return E_NOCAP;
	if (!mask || (mask & ~(FS_WSTAT_NAME | FS_WSTAT_LENGTH | FS_WSTAT_MODE)))
		return E_INVAL;
	if ((mask & FS_WSTAT_NAME) && !fs_name_ok(name))
		return E_INVAL;
	if ((mask & FS_WSTAT_LENGTH) && (f->qid.type & FS_QDIR))
		return E_TYPE;
	if ((mask & FS_WSTAT_MODE) && (mode & ~0777u))
		return E_INVAL;		/* a file does not become a directory */
	strlcpy(st.name, name, sizeof(st.name));
	e = be->wstat(be->fs, f->qid.path, mask, &st);
	return e == E_OK ? sync() : e;
}

static const struct fs_handlers handlers = {
	on_version, on_attach, on_walk, on_open, on_create, on_read, on_write, on_attach_buffer,
	on_read_buf, on_write_buf, on_clunk, on_remove, on_stat, on_wstat,
};

void fs_serve(const struct fs_backend *b, hl_cptr_t server_ep, hl_cptr_t reply, hl_cptr_t mem_cap)
{
	hl_cptr_t recv_slot = slot_alloc();

	be = b, ep = server_ep, mem = mem_cap;
	for (;;) {
		struct hl_msg m = { 0, { 0, 0, 0, 0 } };
		struct hl_result r;

		if (recv_slot) {
			hl_cnode_delete(merc_cnode(), recv_slot, MERC_DEPTH);	/* a token we attached, or junk */
			hl_ipc_buffer()->recv_slots[0] = recv_slot;
		}
		r = hl_recv(ep, reply, &m);
		if (r.status != E_OK)
			continue;
		fs_dispatch(&handlers, NULL, r.value, &m);
		hl_reply(reply, &m);
		if (minted) {		/* the reply took a copy */
			slot_free(minted);
			minted = 0;
		}
	}
}
