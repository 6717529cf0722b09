/*
 * cmdline.c: the kernel command line, as words "key" or "key=value".
 * The line is copied at boot so the multiboot info can be reclaimed.
 */
#include <mercury/string.h>
#include "kernel.h"

#define CMDLINE_MAX 512

static char cmdline[CMDLINE_MAX];

/* Copies the boot command line (truncated to CMDLINE_MAX - 1 bytes). */
void cmdline_init(const char *line)
{
	size_t n = line ? strnlen(line, CMDLINE_MAX - 1) : 0;

	memcpy(cmdline, line ? line : "", n);
	cmdline[n] = '\0';
}

/* Returns the value of key ("" when it has none), or NULL if it is absent. */
const char *cmdline_get(const char *key)
{
	static char value[CMDLINE_MAX];
	size_t klen = strlen(key);
	const char *p = cmdline;

	while (*p) {
		while (*p == ' ')
			p++;
		const char *word = p;
		while (*p && *p != ' ')
			p++;
		if ((size_t)(p - word) >= klen && memcmp(word, key, klen) == 0 &&
		    (word + klen == p || word[klen] == '=')) {
			const char *v = word + klen + (word + klen < p);
			size_t n = (size_t)(p - v);
			memcpy(value, v, n);
			value[n] = '\0';
			return value;
		}
	}
	return NULL;
}

bool cmdline_has(const char *key)
{
	return cmdline_get(key) != NULL;
}

/* The whole line, for the boot log. */
const char *cmdline_all(void)
{
	return cmdline;
}
