/*
 * mercury/fs/fsserve.h: the server side of the file protocol (fs.ipc)
 * that every file server shares (fsserve.c): fids as capabilities, open
 * modes, walks, directory reads, shared buffers, and the loop. A file
 * system gives a backend, the operations on its files named by qid path;
 * fsserve does the protocol. docs/files.md.
 */
#ifndef MERCURY_FSSERVE_H
#define MERCURY_FSSERVE_H

#include <stdbool.h>
#include <stdint.h>
#include <mercury/hl.h>

#define FS_QDIR		0x80		/* qid type: a directory */
#define FS_DMDIR	0x80000000u	/* mode and create perm: a directory */
#define FSP_NAME_MAX	255
#define FS_WALK_MAX	16		/* names in one walk */
#define FS_IOUNIT	400		/* inline read and write */
#define FS_OREAD	0
#define FS_OWRITE	1
#define FS_ORDWR	2
#define FS_OTRUNC	0x10
#define FS_WSTAT_NAME	1
#define FS_WSTAT_LENGTH	2
#define FS_WSTAT_MODE	4

struct fs_qid {
	uint8_t type;
	uint64_t path;
};

struct fsp_stat {
	struct fs_qid qid;
	uint32_t mode;
	uint64_t length, mtime;		/* mtime: ns since 1970, or since boot without a clock */
	char name[FSP_NAME_MAX + 1];
};

/* A file system's operations. Files are named by qid path; names given are
 * checked already (1-255 bytes, no '/' or NUL; "." and ".." only to walk1). */
struct fs_backend {
	void *fs;
	enum hl_error (*root)(void *fs, struct fs_qid *q);
	/* The file name in directory dir ("..": its parent; the root's is itself). */
	enum hl_error (*walk1)(void *fs, uint64_t dir, const char *name, struct fs_qid *q);
	enum hl_error (*read)(void *fs, uint64_t file, uint64_t offset, void *buf, uint32_t n, uint32_t *got);
	enum hl_error (*write)(void *fs, uint64_t file, uint64_t offset, const void *buf, uint32_t n, uint32_t *put);
	enum hl_error (*create)(void *fs, uint64_t dir, const char *name, uint32_t perm, struct fs_qid *q);
	enum hl_error (*remove)(void *fs, uint64_t file);
	enum hl_error (*stat)(void *fs, uint64_t file, struct fsp_stat *st);
	/* Changes what mask (FS_WSTAT_*) says to st's name, length, mode. */
	enum hl_error (*wstat)(void *fs, uint64_t file, unsigned mask, const struct fsp_stat *st);
	/* Entry number index of directory dir; E_RANGE past the last. */
	enum hl_error (*dirent)(void *fs, uint64_t dir, uint64_t index, struct fsp_stat *st);
	/* Makes what was changed durable (NULL: nothing to do). Called when a
	 * fid opened for writing is clunked, and after a remove or a wstat. */
	enum hl_error (*sync)(void *fs);
};

/* Serves fs.ipc for b on our "ep" with our "reply" for ever; mem (our mem
 * cap, or 0) attaches the buffers clients share. */
void fs_serve(const struct fs_backend *b, hl_cptr_t ep, hl_cptr_t reply, hl_cptr_t mem) __attribute__((noreturn));

/* Whether name is a file name a client may create: 1-255 bytes, no '/', not "." or "..". */
bool fs_name_ok(const char *name);

/* Packs one directory entry for read (its bytes, or 0 when it does not fit
 * in room): qtype u8, qpath u64, mode u32, length u64, name length u8, name. */
unsigned fs_dirent_pack(const struct fsp_stat *st, uint8_t *out, unsigned room);

#endif
