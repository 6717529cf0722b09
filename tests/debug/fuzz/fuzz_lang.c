/*
 * fuzz_lang.c: the acid language (lexer, parser, interpreter) under
 * libFuzzer. Any input must end in output or error messages, never a crash,
 * a sanitizer report or a hang: scripts run with a statement limit, and the
 * host's memory is a small fake image so `*` and `@` work on some addresses
 * and fail cleanly on the rest.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang.h"

static unsigned char fuzz_image[4096];

static int fuzz_read(void *ctx, uint64_t addr, void *buf, size_t n, char *err, size_t errlen)
{
	(void)ctx;
	if (addr < 0x1000 || addr - 0x1000 >= sizeof fuzz_image || n > sizeof fuzz_image - (addr - 0x1000)) {
		snprintf(err, errlen, "unmapped");
		return -1;
	}
	memcpy(buf, fuzz_image + (addr - 0x1000), n);
	return 0;
}

static int fuzz_write(void *ctx, uint64_t addr, const void *buf, size_t n, char *err, size_t errlen)
{
	(void)ctx;
	if (addr < 0x1000 || addr - 0x1000 >= sizeof fuzz_image || n > sizeof fuzz_image - (addr - 0x1000)) {
		snprintf(err, errlen, "unmapped");
		return -1;
	}
	memcpy(fuzz_image + (addr - 0x1000), buf, n);
	return 0;
}

/* Each input runs in a fresh interpreter whose arena is freed afterwards. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *devnull;
	struct acid_host h = { .read_mem = fuzz_read, .write_mem = fuzz_write,
	                       .read_file = fuzz_read };
	char *text = malloc(size + 1);
	struct acid *a;

	if (!devnull)
		devnull = fopen("/dev/null", "w");
	memcpy(text, data, size);
	text[size] = '\0';
	a = acid_new();
	acid_set_host(a, &h);
	acid_set_output(a, devnull, devnull);
	acid_set_step_limit(a, 20000);
	acid_run_string(a, text, "<fuzz>", 1);
	acid_arena_reset();
	free(text);
	return 0;
}
