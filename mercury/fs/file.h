/*
 * mercury/fs/file.h: the file API programs use (file.c, ns.c), POSIX-like
 * over the file protocol: a per-process namespace of mounts (Plan 9's
 * bind and mount, with union directories) and descriptors over fids.
 * Paths are absolute ("/tmp/a"); "." and ".." are walked by the servers.
 */
#ifndef MERCURY_FS_FILE_H
#define MERCURY_FS_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <mercury/hl.h>

#include "fsserve.h"

#define NS_MOUNTS	16
#define NS_PATH_MAX	255
#define FILE_MAX	32	/* open descriptors */

/* Mount flags, as Plan 9's: replace what is at the path, or join a union
 * directory before or after what is there; NS_CREATE marks the member
 * that creates take place in. */
enum { NS_REPL = 0, NS_BEFORE = 1, NS_AFTER = 2, NS_CREATE = 4 };

/* Attaches to the file server whose session cap is server (a bus lookup's
 * answer) and mounts its root at path. E_OK or the server's error;
 * E_BUSY when the table is full, E_INVAL for a path not absolute. */
enum hl_error ns_mount(const char *path, hl_cptr_t server, unsigned flags);
/* Makes what old names visible at new too (a fid for old, mounted at new). */
enum hl_error ns_bind(const char *old, const char *new, unsigned flags);
/* Removes every mount at path (E_NOCAP when none). */
enum hl_error ns_unmount(const char *path);
/* A fresh fid (in a slot of ours, for file_close or fs_clunk) for path; E_NOCAP when no member has it. */
enum hl_error ns_walk(const char *path, hl_cptr_t *fid, uint8_t *qtype);
/* Writes the mount table as text, one "path flags" line per mount; the bytes written. */
size_t ns_print(char *buf, size_t n);

/* Opens path (FS_OREAD, FS_OWRITE, FS_ORDWR, | FS_OTRUNC); a descriptor or -error. */
int file_open(const char *path, uint8_t mode);
/* Creates path (perm as fs.ipc's create, FS_DMDIR for a directory) open with mode; a descriptor or -error. */
int file_create(const char *path, uint32_t perm, uint8_t mode);
/* Reads up to n bytes at the descriptor's offset (which moves); the bytes read or -error. */
long file_read(int fd, void *buf, size_t n);
long file_write(int fd, const void *buf, size_t n);
/* Sets the offset: whence 0 from the start, 1 from here, 2 from the end; the new offset or -error. */
long long file_seek(int fd, long long off, int whence);
int file_close(int fd);
int file_stat(const char *path, struct fsp_stat *st);
/* The directory entry after *cookie (start at 0) of an open directory; 1, 0 at the end, or -error. */
int file_readdir(int fd, uint64_t *cookie, struct fsp_stat *st);
int file_remove(const char *path);

#endif
