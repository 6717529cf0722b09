/*
 * util.c: memory, growable strings, lists of strings, arenas and rc's
 * own messages.  Running out of memory is the one thing rc cannot
 * recover from: it says so and exits.
 */
#include "rc.h"
#include "os.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void out_of_memory(void)
{
	static const char msg[] = "rc: out of memory\n";

	os_write(2, msg, sizeof msg - 1);
	os_exit(1);
}

void *emalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		out_of_memory();
	return p;
}

void *erealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		out_of_memory();
	return p;
}

char *estrdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(emalloc(n), s, n);
}

void buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->s = erealloc(b->s, b->cap);
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = 0;
}

void buf_addc(struct buf *b, char c)
{
	buf_add(b, &c, 1);
}

void buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

char *buf_take(struct buf *b)
{
	char *s = b->s ? b->s : estrdup("");

	b->s = NULL;
	b->len = b->cap = 0;
	return s;
}

struct word *word_new(const char *s, int glob, struct word *next)
{
	struct word *w = emalloc(sizeof *w);

	w->s = estrdup(s);
	w->glob = glob;
	w->next = next;
	return w;
}

struct word *list_copy(const struct word *w)
{
	struct word *head = NULL, **tail = &head;

	for (; w; w = w->next) {
		*tail = word_new(w->s, w->glob, NULL);
		tail = &(*tail)->next;
	}
	return head;
}

void list_free(struct word *w)
{
	while (w) {
		struct word *next = w->next;
		free(w->s);
		free(w);
		w = next;
	}
}

int list_len(const struct word *w)
{
	int n = 0;

	for (; w; w = w->next)
		n++;
	return n;
}

struct word *list_append(struct word *a, struct word *b)
{
	struct word **tail = &a;

	while (*tail)
		tail = &(*tail)->next;
	*tail = b;
	return a;
}

char *list_flat(const struct word *w, const char *sep)
{
	struct buf b = {0};

	buf_adds(&b, "");
	for (; w; w = w->next) {
		buf_adds(&b, w->s);
		if (w->next)
			buf_adds(&b, sep);
	}
	return buf_take(&b);
}

int list_true(const struct word *w)
{
	for (; w; w = w->next)
		if (w->s[0])
			return 0;
	return 1;
}

/* Arenas: a chain of blocks, each at least ARENA_BLOCK bytes. */
enum { ARENA_BLOCK = 4096 };

struct arena_block {
	struct arena_block *next;
	size_t used, size;
	_Alignas(16) char data[];
};

struct arena {
	struct arena_block *blocks;
};

struct arena *arena_new(void)
{
	struct arena *ar = emalloc(sizeof *ar);

	ar->blocks = NULL;
	return ar;
}

void arena_free(struct arena *ar)
{
	if (!ar)
		return;
	while (ar->blocks) {
		struct arena_block *next = ar->blocks->next;
		free(ar->blocks);
		ar->blocks = next;
	}
	free(ar);
}

void *arena_alloc(struct arena *ar, size_t n)
{
	struct arena_block *b = ar->blocks;
	void *p;

	n = (n + 15) & ~(size_t)15;
	if (!b || b->used + n > b->size) {
		size_t size = n > ARENA_BLOCK ? n : ARENA_BLOCK;
		b = emalloc(sizeof *b + size);
		b->size = size;
		b->used = 0;
		b->next = ar->blocks;
		ar->blocks = b;
	}
	p = b->data + b->used;
	b->used += n;
	memset(p, 0, n);
	return p;
}

char *arena_strdup(struct arena *ar, const char *s, size_t n)
{
	char *p = arena_alloc(ar, n + 1);

	memcpy(p, s, n);
	p[n] = 0;
	return p;
}

static void vprint(int fd, const char *prefix, const char *fmt, va_list ap)
{
	char small[512];
	char *text = small;
	va_list ap2;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(small, sizeof small, fmt, ap);
	if (n >= (int)sizeof small) {
		text = emalloc((size_t)n + 1);
		vsnprintf(text, (size_t)n + 1, fmt, ap2);
	}
	va_end(ap2);
	if (prefix)
		os_write(fd, prefix, strlen(prefix));
	if (n > 0)
		os_write(fd, text, (size_t)n);
	if (text != small)
		free(text);
}

void rc_printf(int fd, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprint(fd, NULL, fmt, ap);
	va_end(ap);
}

void rc_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprint(2, "rc: ", fmt, ap);
	va_end(ap);
}
