/*
 * fuzz_parse.c: the D front end under libFuzzer: any text must compile
 * or be refused with a message, never crash, leak or hang; what compiles
 * is verified (tr_compile does it) and run over a few records, so the
 * compiler's output and the VM are exercised too.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_backend.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), err[512];
	struct tr_prog *p;

	memcpy(text, data, size);
	text[size] = '\0';
	p = tr_compile(text, "fuzz.d", err, sizeof err);
	if (p) {
		fuzz_run(p);
		tr_prog_free(p);
	} else if (!err[0]) {
		abort();	/* a refusal must say why */
	}
	free(text);
	return 0;
}
