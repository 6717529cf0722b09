/*
 * strdup.c: the string functions that allocate, kept apart from string.c
 * because string.c is shared with the kernel, which has no malloc.
 */
#include <mercury/heap.h>
#include <mercury/string.h>

char *strndup(const char *s, size_t max)
{
	size_t n = strnlen(s, max);
	char *p = malloc(n + 1);

	if (p != NULL) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

char *strdup(const char *s)
{
	return strndup(s, SIZE_MAX);
}
