/*
 * fstest: the file protocol's in-OS suite against ramfs (fs.ipc,
 * mercury/fs/fsserve.c, gaia/ramfs; docs/files.md). A svc/ program: it
 * finds fs/ram, attaches, makes and walks a tree, reads and writes inline
 * and through a shared buffer, reads directories, renames and truncates,
 * removes, hands an open file to bin/fchild, and tries every refusal. TAP
 * for tests/qemu/ramfs.t.
 */
#include <mercury/printf.h>
#include <mercury/runtime.h>
#include <mercury/string.h>

#include "bus_client.h"
#include "fs_client.h"
#include "fsserve.h"
#include "mem_client.h"
#include "os_tap.h"
#include "proc_client.h"

static hl_cptr_t fs, root;
static uint8_t qt;
static uint64_t qp;

static hl_cptr_t walk(hl_cptr_t from, const char *path, enum hl_error *st)
{
	hl_cptr_t f = slot_alloc();

	*st = fs_walk(from, path, f, &qt, &qp);
	return f;
}

/* Creates name in dir (a directory if dir_bit) opened with mode; the new fid. */
static hl_cptr_t make(hl_cptr_t dir, const char *name, uint32_t perm, uint8_t mode, enum hl_error *st)
{
	hl_cptr_t f = slot_alloc();

	*st = fs_create(dir, name, perm, mode, f, &qt, &qp);
	return f;
}

static void drop(hl_cptr_t f)
{
	fs_clunk(f);
	slot_free(f);
}

static void session(void)
{
	uint32_t msize = 0;
	char v[FS_VERSION_AGREED_MAX + 1];
	enum hl_error st;
	hl_cptr_t f;

	is(fs_version(fs, 8192, "9P2000", &msize, v), E_OK, "version 9P2000");
	ok(!strcmp(v, "9P2000.ares") && msize == 400, "  agreed 9P2000.ares, 400 bytes inline");
	fs_version(fs, 8192, "9P1999", &msize, v);
	ok(!strcmp(v, "unknown"), "an unknown version: \"unknown\"");
	is(fs_attach(fs, "glenda", "other", slot_alloc(), &qt, &qp), E_NOCAP, "attach a tree that does not exist: E_NOCAP");
	root = slot_alloc();
	is(fs_attach(fs, "glenda", "", root, &qt, &qp), E_OK, "attach the root");
	ok(qt == FS_QDIR, "  a directory");
	is(fs_attach(root, "glenda", "", slot_alloc(), &qt, &qp), E_INVAL, "attach on a fid: E_INVAL");
	is(fs_open(fs, FS_OREAD, &qt, &msize), E_NOCAP, "open on the session, not a fid: E_NOCAP");
	f = walk(root, "", &st);
	is(st, E_OK, "walk \"\" clones the root");
	drop(f);
}

static void tree(void)
{
	enum hl_error st;
	uint32_t n = 0, iounit;
	uint8_t data[400];
	size_t len = 0;
	hl_cptr_t d, f, g;

	d = make(root, "dir", FS_DMDIR | 0755, FS_OREAD, &st);
	is(st, E_OK, "create a directory");
	ok(qt == FS_QDIR, "  its qid says directory");
	make(root, "dir", FS_DMDIR | 0755, FS_OREAD, &st);
	is(st, E_EXIST, "create it again: E_EXIST");
	make(root, "a/b", 0644, FS_ORDWR, &st);
	is(st, E_INVAL, "create a name with '/': E_INVAL");
	make(root, "..", 0644, FS_ORDWR, &st);
	is(st, E_INVAL, "create \"..\": E_INVAL");
	make(root, "x", FS_DMDIR | 0755, FS_ORDWR, &st);
	is(st, E_TYPE, "create a directory opened for writing: E_TYPE");
	drop(d);

	g = walk(root, "dir", &st);
	is(st, E_OK, "walk dir");
	f = make(g, "hello", 0644, FS_ORDWR, &st);
	is(st, E_OK, "create dir/hello read-write");
	is(fs_write(f, 0, (const uint8_t *)"hello, world\n", 13, &n), E_OK, "write 13 bytes");
	is(n, 13, "  13 written");
	is(fs_write(f, 100, (const uint8_t *)"!", 1, &n), E_OK, "write past the end (a hole)");
	is(fs_read(f, 0, 400, data, &len), E_OK, "read it back");
	ok(len == 101 && !memcmp(data, "hello, world\n", 13) && data[50] == 0 && data[100] == '!',
	   "  the bytes, the hole reads as zeros");
	is(fs_read(f, 500, 10, data, &len), E_OK, "read past the end");
	is(len, 0, "  nothing");
	drop(f);
	drop(g);

	f = walk(root, "dir/hello", &st);
	is(st, E_OK, "walk dir/hello in one go");
	is(fs_read(f, 0, 10, data, &len), E_PERM, "read before open: E_PERM");
	is(fs_open(f, FS_OREAD, &qt, &iounit), E_OK, "open it for reading");
	is(fs_open(f, FS_OREAD, &qt, &iounit), E_INVAL, "open it again: E_INVAL");
	is(fs_write(f, 0, (const uint8_t *)"x", 1, &n), E_PERM, "write on a read-only open: E_PERM");
	walk(f, "..", &st);
	is(st, E_INVAL, "walk from an open fid: E_INVAL");
	drop(f);
	walk(root, "dir/nothing", &st);
	is(st, E_NOCAP, "walk to a missing file: E_NOCAP");
	walk(root, "dir/hello/deeper", &st);
	is(st, E_TYPE, "walk on from a file: E_TYPE");
	walk(root, "dir//hello", &st);
	is(st, E_INVAL, "walk \"dir//hello\": E_INVAL");
	walk(root, "a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a", &st);
	is(st, E_INVAL, "walk 17 names: E_INVAL");
	f = walk(root, "dir/../dir/./hello", &st);
	is(st, E_OK, "walk with .. and .");
	drop(f);
	f = walk(root, "..", &st);
	is(st, E_OK, "walk .. from the root stays at the root");
	ok(qt == FS_QDIR, "");
	drop(f);
}

static void dirs_and_stat(void)
{
	enum hl_error st;
	uint8_t data[400], t;
	size_t len = 0;
	uint32_t mode, iounit;
	uint64_t length, mtime, path;
	char name[FS_STAT_NAME_MAX + 1];
	hl_cptr_t d = walk(root, "dir", &st), f;
	unsigned found = 0;

	for (int i = 0; i < 3; i++) {
		char nm[8];
		snprintf(nm, sizeof(nm), "f%d", i);
		drop(make(d, nm, 0600, FS_OWRITE, &st));
	}
	is(fs_open(d, FS_OREAD, &qt, &iounit), E_OK, "open dir for reading");
	is(fs_read(d, 0, 400, data, &len), E_OK, "read its entries");
	for (size_t k = 0; k < len;) {
		unsigned n = data[k + 21];
		found += (n == 5 && !memcmp(data + k + 22, "hello", 5)) || (n == 2 && data[k + 22] == 'f');
		k += 22 + n;
	}
	is(found, 4, "  hello, f0, f1, f2");
	is(fs_read(d, 3, 400, data, &len), E_OK, "read from entry 3");
	ok(len == 22 + 2, "  one entry left");
	is(fs_read(d, 4, 400, data, &len), E_OK, "read from entry 4");
	is(len, 0, "  the end");
	is(fs_write(d, 0, (const uint8_t *)"x", 1, (uint32_t *)&mode), E_PERM, "write to a directory: E_PERM");
	drop(d);

	f = walk(root, "dir/hello", &st);
	is(fs_stat(f, &t, &path, &mode, &length, &mtime, name), E_OK, "stat dir/hello");
	ok(!strcmp(name, "hello") && length == 101 && (mode & 0777) == 0644 && !(mode & FS_DMDIR), "  name, length, mode");
	is(fs_wstat(f, FS_WSTAT_NAME, "renamed", 0, 0), E_OK, "rename it");
	is(fs_wstat(f, FS_WSTAT_LENGTH, "", 5, 0), E_OK, "truncate it to 5");
	fs_stat(f, &t, &path, &mode, &length, &mtime, name);
	ok(!strcmp(name, "renamed") && length == 5, "  renamed, 5 bytes");
	is(fs_wstat(f, FS_WSTAT_NAME, "f0", 0, 0), E_EXIST, "rename onto a sibling: E_EXIST");
	is(fs_wstat(f, FS_WSTAT_NAME, "a/b", 0, 0), E_INVAL, "rename to a name with '/': E_INVAL");
	is(fs_wstat(f, FS_WSTAT_MODE, "", 0, FS_DMDIR | 0644), E_INVAL, "a file does not become a directory: E_INVAL");
	is(fs_wstat(f, 0, "", 0, 0), E_INVAL, "wstat of nothing: E_INVAL");
	is(fs_wstat(f, FS_WSTAT_MODE, "", 0, 0200), E_OK, "make it write-only");
	walk(f, "", &st);
	d = walk(root, "dir/renamed", &st);
	is(fs_open(d, FS_OREAD, &qt, &iounit), E_PERM, "open a write-only file for reading: E_PERM");
	drop(d);
	drop(f);
	d = walk(root, "dir", &st);
	is(fs_wstat(d, FS_WSTAT_LENGTH, "", 0, 0), E_TYPE, "truncate a directory: E_TYPE");
	is(fs_remove(d), E_BUSY, "remove a directory with files: E_BUSY");
	is(fs_stat(d, &t, &path, &mode, &length, &mtime, name), E_NOCAP, "  the remove clunked it anyway");
	slot_free(d);
}

static void buffers(void)
{
	hl_cptr_t mem = proc_cap("mem"), token = slot_alloc(), f;
	uint64_t va = 0, pa;
	uint32_t size = 0, n = 0;
	enum hl_error st;
	unsigned good = 0;

	is(mem_alloc(mem, 65536, &va, &pa, token), E_OK, "allocate a 64 KiB buffer");
	f = make(root, "big", 0644, FS_ORDWR, &st);
	is(st, E_OK, "create big");
	is(fs_write_buf(f, 0, 100, 0, &n), E_RANGE, "write_buf before a buffer is shared: E_RANGE");
	is(fs_attach_buffer(f, token, &size), E_OK, "share the buffer on its fid");
	is(size, 65536, "  64 KiB");
	for (unsigned i = 0; i < 65536; i++)
		((uint8_t *)va)[i] = (uint8_t)(i * 13 + 1);
	is(fs_write_buf(f, 0, 65536, 0, &n), E_OK, "write 64 KiB through it");
	is(n, 65536, "  all of it");
	memset((void *)va, 0, 65536);
	is(fs_read_buf(f, 0, 65536, 0, &n), E_OK, "read it back");
	for (unsigned i = 0; i < 65536; i++)
		good += ((uint8_t *)va)[i] == (uint8_t)(i * 13 + 1);
	is(good, 65536, "  every byte");
	is(fs_read_buf(f, 0, 2, 65535, &n), E_RANGE, "read past the buffer's end: E_RANGE");
	is(fs_write_buf(f, 2u << 20, 10, 0, &n), E_RANGE, "write at 2 MiB (over the server's space): E_RANGE");
	for (unsigned i = 0; i < 12 && st == E_OK; i++)
		st = fs_write_buf(f, 65536ull * i, 65536, 0, &n);
	is(st, E_NOMEM, "fill the server: E_NOMEM");
	is(fs_remove(f), E_OK, "remove big");
	slot_free(f);
	f = make(root, "again", 0644, FS_ORDWR, &st);
	is(fs_write_buf(f, 0, 65536, 0, &n) == E_RANGE && st == E_OK, 1, "its space is free again (no buffer on the new fid)");
	drop(f);
}

static void pass_file(void)
{
	hl_cptr_t svc = proc_cap("proc"), f;
	uint8_t args[] = "fchild";
	uint32_t h, n;
	uint64_t pid = 0, fa, ad;
	uint8_t how = 0;
	int64_t code = -1;
	enum hl_error st;

	f = make(root, "note", 0644, FS_ORDWR, &st);
	fs_write(f, 0, (const uint8_t *)"passed along\n", 13, &n);
	is(proc_create(svc, "bin/fchild", args, sizeof(args), 256, &h), E_OK, "create bin/fchild");
	is(proc_grant(svc, h, "file", f), E_OK, "grant it the open file (a fid cap)");
	is(proc_start(svc, h, &pid), E_OK, "start it");
	is(proc_wait(svc, pid, &how, &code, &fa, &ad), E_OK, "wait");
	ok(how == 1 && code == 0, "it read the file through the cap and could not walk out of it");
	is(fs_clunk(f), E_OK, "clunk");
	is(fs_clunk(f), E_NOCAP, "clunk again: E_NOCAP (the fid is gone)");
	is(fs_read(f, 0, 1, args, (size_t *)&n), E_NOCAP, "read through a clunked fid: E_NOCAP");
}

int main(int argc, char **argv, char **envp)
{
	(void)argc, (void)argv, (void)envp;
	fs = slot_alloc();
	is(bus_wait(proc_cap("bus"), "fs/ram", 10000, fs), E_OK, "find fs/ram on the bus");
	session();
	tree();
	dirs_and_stat();
	buffers();
	pass_file();
	return os_tap_done("fstest");
}
