/*
 * nstest: the namespace and file API (mercury/fs/file.h) over two ramfs
 * servers, fs/ram mounted at / and fs/ram2 at /tmp: mounts, binds, a
 * union directory (lookups through both members, entries of both, creates
 * in the member marked for it), unmount, descriptors, and refusals. TAP
 * for tests/qemu/ns.t.
 */
#include <mercury/printf.h>
#include <mercury/runtime.h>
#include <mercury/string.h>

#include "bus_client.h"
#include "file.h"
#include "os_tap.h"

static hl_cptr_t server(const char *name)
{
	hl_cptr_t s = slot_alloc();

	return bus_wait(proc_cap("bus"), name, 10000, s) == E_OK ? s : 0;
}

static int put(const char *path, const char *text)
{
	int fd = file_create(path, 0644, FS_ORDWR);

	if (fd < 0)
		return fd;
	file_write(fd, text, strlen(text));
	return file_close(fd);
}

/* The file's first bytes, NUL-terminated, into buf; "" when it cannot be read. */
static const char *get(const char *path, char *buf, size_t n)
{
	int fd = file_open(path, FS_OREAD);
	long got = fd >= 0 ? file_read(fd, buf, n - 1) : -1;

	buf[got > 0 ? got : 0] = '\0';
	if (fd >= 0)
		file_close(fd);
	return buf;
}

int main(int argc, char **argv, char **envp)
{
	hl_cptr_t ram = server("fs/ram"), ram2 = server("fs/ram2");
	char buf[128];
	struct fsp_stat st;
	uint64_t cookie = 0;
	unsigned seen = 0;
	int fd;

	(void)argc, (void)argv, (void)envp;
	ok(ram && ram2, "find fs/ram and fs/ram2");
	is(ns_mount("tmp", ram2, NS_REPL), E_INVAL, "mount at a relative path: E_INVAL");
	is(ns_mount("/", ram, NS_REPL), E_OK, "mount fs/ram at /");
	is(ns_mount("/tmp", ram2, NS_REPL), E_OK, "mount fs/ram2 at /tmp");
	is(put("/tmp/a", "in tmp\n"), 0, "create /tmp/a and write it");
	ok(!strcmp(get("/tmp/a", buf, sizeof(buf)), "in tmp\n"), "read /tmp/a back");
	is(file_stat("/tmp/a", &st), 0, "stat /tmp/a");
	ok(st.length == 7 && !strcmp(st.name, "a"), "  7 bytes, named a");
	is(file_open("/a", FS_OREAD), -E_NOCAP, "/a: not on fs/ram (it went to the server at /tmp)");
	is(file_open("/nothing/at/all", FS_OREAD), -E_NOCAP, "a missing path: -E_NOCAP");

	fd = file_create("/bin", FS_DMDIR | 0755, FS_OREAD);
	ok(fd >= 0, "make /bin on fs/ram");
	file_close(fd);
	is(put("/bin/x", "x on ram\n"), 0, "make /bin/x");
	is(put("/tmp/y", "y on ram2\n"), 0, "make /tmp/y");
	is(ns_bind("/tmp", "/bin", NS_AFTER | NS_CREATE), E_OK, "bind /tmp after /bin: a union");
	ok(!strcmp(get("/bin/x", buf, sizeof(buf)), "x on ram\n"), "/bin/x from the first member");
	ok(!strcmp(get("/bin/y", buf, sizeof(buf)), "y on ram2\n"), "/bin/y from the second");
	ok((fd = file_open("/bin", FS_OREAD)) >= 0, "open the union for reading");
	while (file_readdir(fd, &cookie, &st) == 1)
		seen |= (unsigned)(!strcmp(st.name, "x")) | (unsigned)(!strcmp(st.name, "y")) << 1 |
			(unsigned)(!strcmp(st.name, "a")) << 2;
	file_close(fd);
	is(seen, 7, "  its entries are both members': x, y and a");
	is(put("/bin/z", "made in the union\n"), 0, "create /bin/z in the union");
	ok(!strcmp(get("/tmp/z", buf, sizeof(buf)), "made in the union\n"), "  it went to the member marked create (fs/ram2)");
	ns_print(buf, sizeof(buf));
	printf("# namespace:\n# %s\n", buf);
	ok(strstr(buf, "/bin after create") && strstr(buf, "/tmp replace"), "the mount table as text");
	is(ns_unmount("/bin"), E_OK, "unmount /bin");
	is(file_open("/bin/y", FS_OREAD), -E_NOCAP, "  /bin/y is gone from view");
	ok(!strcmp(get("/bin/x", buf, sizeof(buf)), "x on ram\n"), "  /bin/x is fs/ram's own again");
	is(ns_unmount("/bin"), E_NOCAP, "unmount it again: E_NOCAP");

	fd = file_open("/tmp/a", FS_ORDWR);
	ok(fd >= 0, "open /tmp/a read-write");
	is(file_seek(fd, 0, 2), 7, "seek to the end");
	is(file_write(fd, "more\n", 5), 5, "append");
	is(file_seek(fd, -5, 1), 7, "seek back");
	is(file_read(fd, buf, 5), 5, "read what was appended");
	ok(!memcmp(buf, "more\n", 5), "  the bytes");
	is(file_seek(fd, -100, 0), -E_RANGE, "seek before the start: -E_RANGE");
	is(file_seek(fd, 0, 9), -E_INVAL, "seek with a bad whence: -E_INVAL");
	is(file_close(fd), 0, "close");
	is(file_close(fd), -E_NOCAP, "close it again: -E_NOCAP");
	is(file_read(99, buf, 1), -E_NOCAP, "read a descriptor that does not exist: -E_NOCAP");
	is(file_remove("/tmp/a"), 0, "remove /tmp/a");
	is(file_stat("/tmp/a", &st), -E_NOCAP, "  gone");
	return os_tap_done("nstest");
}
