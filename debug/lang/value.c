/*
 * value.c: constructors and conversions for acid values.
 *
 * Values are small structs passed by copy; strings and lists point to
 * immutable heap data, so copies share it safely (append builds a new list).
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* The arena: everything acid_alloc hands out, in 64 KiB chunks (a larger
 * request gets a chunk of its own), freed all at once by acid_arena_reset. */
struct acid_chunk {
	struct acid_chunk *next;
	size_t used, size;
	max_align_t data[];
};

#define ACID_CHUNK (64 * 1024)

static struct acid_chunk *acid_arena;

/* Allocates n zeroed bytes from the arena; aborts when memory is exhausted. */
void *acid_alloc(size_t n)
{
	struct acid_chunk *c = acid_arena;
	void *p;

	n = (n + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
	if (!c || c->size - c->used < n) {
		size_t size = n > ACID_CHUNK / 4 ? n : ACID_CHUNK;

		c = malloc(sizeof *c + size);
		if (!c) {
			fputs("acid: out of memory\n", stderr);
			abort();
		}
		c->used = 0;
		c->size = size;
		/* A big chunk goes behind the current one, which keeps filling. */
		if (size > ACID_CHUNK && acid_arena) {
			c->next = acid_arena->next;
			acid_arena->next = c;
		} else {
			c->next = acid_arena;
			acid_arena = c;
		}
	}
	p = (char *)c->data + c->used;
	c->used += n;
	return memset(p, 0, n);
}

/* Frees everything acid_alloc gave out. Only with no interpreter alive. */
void acid_arena_reset(void)
{
	while (acid_arena) {
		struct acid_chunk *next = acid_arena->next;

		free(acid_arena);
		acid_arena = next;
	}
}

/* Copies n bytes of s, NUL-terminated, into the arena. */
char *acid_strndup(const char *s, size_t n)
{
	char *d = acid_alloc(n + 1);

	memcpy(d, s, n);
	return d;
}

/* Copies s into the arena. */
char *acid_strdup(const char *s)
{
	return acid_strndup(s, strlen(s));
}

/* An integer with format fmt. */
struct acid_value acid_int(int64_t i, char fmt)
{
	struct acid_value v = { .kind = AV_INT, .fmt = fmt, .i = i };

	return v;
}

/* A float, format 'F'. */
struct acid_value acid_float(double f)
{
	struct acid_value v = { .kind = AV_FLOAT, .fmt = 'F', .f = f };

	return v;
}

/* A string holding len bytes of s (which need not be NUL-terminated). */
struct acid_value acid_str(const char *s, size_t len)
{
	struct acid_value v = { .kind = AV_STR, .fmt = 's' };

	v.s = acid_alloc(sizeof *v.s + len + 1);
	memcpy(v.s->s, s, len);
	v.s->len = len;
	return v;
}

/* A string copied from the NUL-terminated s. */
struct acid_value acid_cstr(const char *s)
{
	return acid_str(s, strlen(s));
}

/* A list of n elements, each AV_NONE until the caller fills it. */
struct acid_value acid_list(int n)
{
	struct acid_value v = { .kind = AV_LIST, .fmt = 'X' };

	v.l = acid_alloc(sizeof *v.l);
	v.l->n = n;
	v.l->v = acid_alloc((n ? n : 1) * sizeof *v.l->v);
	return v;
}

/* No value. */
struct acid_value acid_none(void)
{
	struct acid_value v = { .kind = AV_NONE };

	return v;
}

/* A new list: l's elements then v. l must be AV_LIST. */
struct acid_value acid_list_append(struct acid_value l, struct acid_value v)
{
	struct acid_value r = acid_list(l.l->n + 1);

	memcpy(r.l->v, l.l->v, l.l->n * sizeof *r.l->v);
	r.l->v[l.l->n] = v;
	return r;
}

/* 1 if v counts as true in if/while: non-zero, non-empty. */
int acid_truth(struct acid_value v)
{
	switch (v.kind) {
	case AV_INT:
	case AV_AGG:
	case AV_REG:
		return v.i != 0;
	case AV_FLOAT:
		return v.f != 0.0;
	case AV_STR:
		return v.s->len != 0;
	case AV_LIST:
		return v.l->n != 0;
	default:
		return 0;
	}
}

/* Human name of a value kind for error messages. */
const char *acid_kind_name(enum acid_vkind k)
{
	static const char *names[] = {
		[AV_NONE] = "no value", [AV_INT] = "integer", [AV_FLOAT] = "float",
		[AV_STR] = "string", [AV_LIST] = "list", [AV_AGG] = "aggregate",
		[AV_REG] = "register",
	};

	return names[k];
}

/* The integer in v (floats truncate); raises an error for other kinds. */
int64_t acid_need_int(struct acid *a, struct acid_value v, const char *what)
{
	if (v.kind == AV_INT || v.kind == AV_AGG)
		return v.i;
	if (v.kind == AV_FLOAT)
		return (int64_t)v.f;
	acid_error(a, "%s: expected an integer, got %s", what, acid_kind_name(v.kind));
}

/* The string in v; raises an error for other kinds. */
const char *acid_need_str(struct acid *a, struct acid_value v, const char *what)
{
	if (v.kind != AV_STR)
		acid_error(a, "%s: expected a string, got %s", what, acid_kind_name(v.kind));
	return v.s->s;
}
