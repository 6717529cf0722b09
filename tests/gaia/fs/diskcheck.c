/*
 * diskcheck: files on a disk through diskfs (tests/qemu/diskfs.t). It
 * mounts fs/disk at /, prints what the host put there (a line, a hash of a
 * large file, a directory's names), writes a file the host then reads
 * with mtools, and tries refusals.
 */
#include <mercury/printf.h>
#include <mercury/runtime.h>
#include <mercury/string.h>

#include "bus_client.h"
#include "file.h"
#include "os_tap.h"

/* FNV-1a, 64 bits, of the whole file; its length in *len. */
static uint64_t hash_file(const char *path, uint64_t *len)
{
	static uint8_t chunk[4096];
	uint64_t h = 0xcbf29ce484222325ull;
	int fd = file_open(path, FS_OREAD);
	long n;

	*len = 0;
	if (fd < 0)
		return 0;
	while ((n = file_read(fd, chunk, sizeof(chunk))) > 0) {
		for (long i = 0; i < n; i++)
			h = (h ^ chunk[i]) * 0x100000001b3ull;
		*len += (uint64_t)n;
	}
	file_close(fd);
	return h;
}

int main(int argc, char **argv, char **envp)
{
	hl_cptr_t disk = slot_alloc();
	char line[128];
	struct fsp_stat st;
	uint64_t cookie = 0, len = 0, h;
	int fd;
	long n;

	(void)argc, (void)argv, (void)envp;
	is(bus_wait(proc_cap("bus"), "fs/disk", 20000, disk), E_OK, "find fs/disk on the bus");
	is(ns_mount("/", disk, NS_REPL), E_OK, "mount it at /");
	fd = file_open("/hello.txt", FS_OREAD);
	ok(fd >= 0, "open /hello.txt");
	n = file_read(fd, line, sizeof(line) - 1);
	line[n > 0 ? n : 0] = '\0';
	file_close(fd);
	printf("diskcheck: hello.txt says: %s", line);
	ok(n > 0, "read it");
	h = hash_file("/big.bin", &len);
	printf("diskcheck: big.bin %lu bytes, fnv1a %016lx\n", (unsigned long)len, (unsigned long)h);
	ok(len > 0, "read /big.bin to its end");
	ok((fd = file_open("/A Long Directory Name", FS_OREAD)) >= 0, "open a directory with a long name");
	while (fd >= 0 && file_readdir(fd, &cookie, &st) == 1)
		printf("diskcheck: entry %s %lu\n", st.name, (unsigned long)st.length);
	file_close(fd);
	fd = file_create("/ares.txt", 0644, FS_ORDWR);
	ok(fd >= 0, "create /ares.txt");
	is(file_write(fd, "written by Ares\n", 16), 16, "write 16 bytes");
	file_close(fd);
	fd = file_create("/newdir", FS_DMDIR | 0755, FS_OREAD);
	ok(fd >= 0, "make /newdir");
	file_close(fd);
	is(file_open("/no/such/file", FS_OREAD), -E_NOCAP, "a missing file: -E_NOCAP");
	is(file_create("/hello.txt", 0644, FS_ORDWR), -E_EXIST, "create over an existing file: -E_EXIST");
	is(file_remove("/newdir"), 0, "remove the empty /newdir");
	is(file_open("/newdir", FS_OREAD), -E_NOCAP, "  gone");
	return os_tap_done("diskcheck");
}
