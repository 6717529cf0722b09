/*
 * string.h: libmercury's memory and string routines (mercury/lib/string.c),
 * shared by Helios and user space, plus the number parsers of the strtol
 * family. Standard names and semantics (C11 and the common POSIX/BSD
 * additions); Luna's <string.h> and <stdlib.h> declare the same functions.
 */
#ifndef MERCURY_STRING_H
#define MERCURY_STRING_H

#include <stddef.h>
#include <stdint.h>

void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);
void *memrchr(const void *s, int c, size_t n);

size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
int strcasecmp(const char *a, const char *b);
int strncasecmp(const char *a, const char *b, size_t n);
char *strcpy(char *restrict dst, const char *restrict src);
char *strncpy(char *restrict dst, const char *restrict src, size_t n);
char *stpcpy(char *restrict dst, const char *restrict src);
/* BSD: copy/append with truncation to size bytes (always terminated if
   size > 0); return the length they tried to create. */
size_t strlcpy(char *restrict dst, const char *restrict src, size_t size);
size_t strlcat(char *restrict dst, const char *restrict src, size_t size);
char *strcat(char *restrict dst, const char *restrict src);
char *strncat(char *restrict dst, const char *restrict src, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
char *strchrnul(const char *s, int c);
char *strstr(const char *hay, const char *needle);
size_t strspn(const char *s, const char *accept);
size_t strcspn(const char *s, const char *reject);
char *strpbrk(const char *s, const char *accept);
char *strtok(char *restrict s, const char *restrict delim);
char *strtok_r(char *restrict s, const char *restrict delim, char **restrict save);
char *strsep(char **sp, const char *delim);
/* Copies into malloc'd memory (user space only: mercury/lib/strdup.c);
   NULL if out of memory. strndup copies at most max bytes. */
char *strdup(const char *s);
char *strndup(const char *s, size_t max);

/*
 * C number parsers. There is no errno in libmercury: on overflow they
 * clamp as C requires and call the hook set by string_set_erange_hook()
 * (Luna sets errno = ERANGE there). An invalid base returns 0 with *end = s.
 */
long strtol(const char *restrict s, char **restrict end, int base);
unsigned long strtoul(const char *restrict s, char **restrict end, int base);
long long strtoll(const char *restrict s, char **restrict end, int base);
unsigned long long strtoull(const char *restrict s, char **restrict end, int base);
intmax_t strtoimax(const char *restrict s, char **restrict end, int base);
uintmax_t strtoumax(const char *restrict s, char **restrict end, int base);
int atoi(const char *s);
long atol(const char *s);
long long atoll(const char *s);

/* Installs the function the strto* parsers call on overflow (NULL: none).
   Not thread-safe: call at start-up. */
void string_set_erange_hook(void (*fn)(void));

#endif
