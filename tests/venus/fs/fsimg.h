/*
 * fsimg.h: helpers the file-system host tests share: running the host
 * tools (mkfs, mtools, debugfs, fsck) on images in a scratch directory,
 * deterministic test data, and whole-file reads through struct fs.
 */
#ifndef TESTS_FSIMG_H
#define TESTS_FSIMG_H

#define _GNU_SOURCE
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fs/fs.h"

static char fsimg_dir[256];

/* Makes the scratch directory (removed at exit unless KEEP_IMAGES is set). */
static __attribute__((unused)) void fsimg_cleanup(void)
{
	char cmd[300];

	if (!getenv("KEEP_IMAGES") && fsimg_dir[0]) {
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", fsimg_dir);
		if (system(cmd)) {}
	}
}

static __attribute__((unused)) const char *fsimg_scratch(void)
{
	snprintf(fsimg_dir, sizeof fsimg_dir, "/tmp/vfs-test.XXXXXX");
	if (!mkdtemp(fsimg_dir)) {
		perror("mkdtemp");
		exit(1);
	}
	atexit(fsimg_cleanup);
	return fsimg_dir;
}

/* Runs a shell command (printf-style); returns its exit status. Output
   goes to stderr so TAP stays clean. */
__attribute__((format(printf, 1, 2)))
static __attribute__((unused)) int sh(const char *fmt, ...)
{
	char cmd[8192];
	va_list ap;
	int rc;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	rc = system(cmd);
	return WIFEXITED(rc) ? WEXITSTATUS(rc) : 128;
}

/* Deterministic bytes: the same seed gives the same data. */
static __attribute__((unused)) void fill_pattern(uint8_t *buf, size_t n, uint32_t seed)
{
	uint32_t x = seed * 2654435761u + 1;

	for (size_t i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		buf[i] = (uint8_t)x;
	}
}

static __attribute__((unused)) int write_host_file(const char *path, const void *data, size_t n)
{
	FILE *f = fopen(path, "wb");
	int ok = f && fwrite(data, 1, n, f) == n;

	if (f)
		fclose(f);
	return ok ? 0 : -1;
}

/* Reads a whole host file into malloc'd memory; NULL on failure. */
static __attribute__((unused)) uint8_t *read_host_file(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	long len;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (len = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (buf = malloc((size_t)len + 1)) && fread(buf, 1, (size_t)len, f) == (size_t)len) {
		*n = (size_t)len;
	} else {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

/* Reads a whole file through fs in odd-sized pieces; NULL on error. */
static __attribute__((unused)) uint8_t *fs_slurp(struct fs *fs, const char *path, size_t *n, int *err)
{
	struct fs_stat st;
	fs_node node;
	uint8_t *buf;
	size_t off = 0, got;

	if ((*err = fs_walk(fs, path, &node)) || (*err = fs->ops->stat(fs, node, &st)))
		return NULL;
	if (!(buf = malloc(st.size + 1)))
		return NULL;
	for (;;) {
		size_t want = 7777;
		if ((*err = fs->ops->read(fs, node, off, buf + off, st.size + 1 - off < want ? st.size + 1 - off : want, &got))) {
			free(buf);
			return NULL;
		}
		if (!got)
			break;
		off += got;
		if (off > st.size) {
			free(buf);
			*err = FS_ECORRUPT;
			return NULL;
		}
	}
	*n = off;
	return buf;
}

/* Writes data as a new file at path through fs. */
static __attribute__((unused)) int fs_put(struct fs *fs, const char *path, const void *data, size_t n)
{
	fs_node dir, node;
	const char *name;
	int err;

	if ((err = fs_walk_parent(fs, path, &dir, &name)))
		return err;
	if ((err = fs->ops->create(fs, dir, name, 0644, &node)))
		return err;
	for (size_t off = 0; off < n;) {
		size_t piece = n - off < 10000 ? n - off : 10000;
		if ((err = fs->ops->write(fs, node, off, (const uint8_t *)data + off, piece)))
			return err;
		off += piece;
	}
	return FS_OK;
}

#endif
