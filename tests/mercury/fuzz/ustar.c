/*
 * fuzz/ustar.c: libFuzzer harness for ustar_next and ustar_find. The input
 * is the archive, copied to an exact-size buffer; every entry returned must
 * lie inside it and refusals must carry a reason.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rename.h"
#include <mercury/ustar.h>
#include "unrename.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char *a = malloc(size ? size : 1);
	struct ustar_entry e;
	const char *why = NULL;
	size_t off = 0;
	int r;

	memcpy(a, data, size);
	while ((r = ustar_next(a, size, &off, &e, &why)) == 1) {
		const unsigned char *d = e.data;
		if (d < a || e.size > size || d + e.size > a + size ||
		    strlen(e.name) >= sizeof(e.name) || off > size)
			abort();
	}
	if (r == -1 && why == NULL)
		abort();
	(void)ustar_find(a, size, "etc/rc", &e, &why);
	free(a);
	return 0;
}
