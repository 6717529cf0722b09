/*
 * fchild: what fstest starts with an open file ("file", a fid cap) and
 * nothing else of the file server: it reads the file through the cap and
 * exits 0 if it holds "passed along\n", then checks it cannot walk out of
 * it (an open fid does not walk).
 */
#include <mercury/runtime.h>
#include <mercury/string.h>

#include "fs_client.h"

int main(int argc, char **argv, char **envp)
{
	hl_cptr_t file = proc_cap("file"), other = slot_alloc();
	uint8_t data[64], qt;
	uint64_t qp;
	size_t n = 0;

	(void)argc, (void)argv, (void)envp;
	if (!file || fs_read(file, 0, sizeof(data), data, &n) != E_OK)
		return 10;
	if (n != 13 || memcmp(data, "passed along\n", 13))
		return 11;
	if (fs_walk(file, "..", other, &qt, &qp) != E_INVAL)
		return 12;
	return 0;
}
