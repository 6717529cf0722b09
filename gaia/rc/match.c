/*
 * match.c: pattern matching (*, ?, [class], [~class], ranges) and file
 * name expansion.  File patterns are matched one path component at a
 * time; / must be matched explicitly and . and .. are never produced by
 * a pattern (os_readdir leaves them out).
 */
#include "match.h"
#include "os.h"

#include <stdlib.h>
#include <string.h>

/* The class at p (just after "[") against c; *end gets the byte after
 * "]".  Returns -1 for a class with no "]" (then "[" is literal). */
static int match_class(const char *p, unsigned char c, const char **end)
{
	int negate = 0, hit = 0;
	int first = 1;

	if (*p == '~') {
		negate = 1;
		p++;
	}
	while (*p && (*p != ']' || first)) {
		unsigned char lo, hi;
		first = 0;
		if (*p == GLOB && p[1])
			p++;
		lo = (unsigned char)*p++;
		hi = lo;
		if (*p == '-' && p[1] && p[1] != ']') {
			p++;
			if (*p == GLOB && p[1])
				p++;
			hi = (unsigned char)*p++;
		}
		if (lo <= c && c <= hi)
			hit = 1;
	}
	if (*p != ']')
		return -1;
	*end = p + 1;
	return hit != negate;
}

int match(const char *s, const char *p)
{
	const char *star_p = NULL, *star_s = NULL;

	for (;;) {
		if (*p == GLOB && p[1] == '*') {
			p += 2;
			star_p = p;
			star_s = s;
			continue;
		}
		if (!*p) {
			if (!*s)
				return 1;
		} else if (*s) {
			const char *next = NULL;
			int ok;
			if (*p == GLOB && p[1] == '?') {
				ok = 1;
				next = p + 2;
			} else if (*p == GLOB && p[1] == '[') {
				/* a class with no ] matches nothing, as in Plan 9 */
				if ((ok = match_class(p + 2, (unsigned char)*s, &next)) < 0)
					return 0;
			} else {
				const char *lit = p;
				if (*p == GLOB && p[1])
					lit = p + 1;	/* [ with no ], or doubled GLOB */
				ok = *lit == *s;
				next = lit + 1;
			}
			if (ok) {
				p = next;
				s++;
				continue;
			}
		}
		/* mismatch: let the last * take one more byte */
		if (!star_p || !*star_s)
			return 0;
		p = star_p;
		s = ++star_s;
	}
}

int match_has_meta(const char *p)
{
	for (; *p; p++)
		if (*p == GLOB && p[1]) {
			if (strchr("*?[", p[1]))
				return 1;
			p++;
		}
	return 0;
}

char *match_unescape(const char *p)
{
	char *out = emalloc(strlen(p) + 1), *o = out;

	for (; *p; p++) {
		if (*p == GLOB && p[1])
			p++;
		*o++ = *p;
	}
	*o = 0;
	return out;
}

struct expansion {
	struct word *found;
	const char *pattern;	/* this component */
	const char *dir;	/* directory text so far, "" for . */
	const char *rest;	/* remaining components, NULL if last */
};

static void expand(const char *dir, const char *pattern, struct word **found);

static void visit(const char *name, void *arg)
{
	struct expansion *e = arg;
	struct buf path = {0};

	if (!match(name, e->pattern))
		return;
	buf_adds(&path, e->dir);
	buf_adds(&path, name);
	if (!e->rest)
		e->found = word_new(path.s, 0, e->found);
	else {
		buf_adds(&path, "/");
		expand(path.s, e->rest, &e->found);
	}
	free(path.s);
}

/* Expand pattern relative to dir ("" or ending in /), adding to *found. */
static void expand(const char *dir, const char *pattern, struct word **found)
{
	const char *slash = pattern;
	struct buf comp = {0}, lit = {0};
	struct expansion e;

	while (*slash && *slash != '/') {
		if (*slash == GLOB && slash[1])
			slash++;
		slash++;
	}
	buf_add(&comp, pattern, (size_t)(slash - pattern));
	buf_adds(&comp, "");
	if (!match_has_meta(comp.s)) {
		/* a literal component: just extend the directory */
		char *plain = match_unescape(comp.s);
		buf_adds(&lit, dir);
		buf_adds(&lit, plain);
		free(plain);
		if (!*slash) {
			if (os_exists(lit.s))
				*found = word_new(lit.s, 0, *found);
		} else {
			while (*slash == '/') {
				buf_addc(&lit, '/');
				slash++;
			}
			if (*slash)
				expand(lit.s, slash, found);
			else if (os_exists(lit.s))
				*found = word_new(lit.s, 0, *found);
		}
		free(lit.s);
		free(comp.s);
		return;
	}
	e.found = *found;
	e.pattern = comp.s;
	e.dir = dir;
	while (*slash == '/')
		slash++;
	e.rest = *slash ? slash : NULL;
	os_readdir(*dir ? dir : ".", visit, &e);
	*found = e.found;
	free(comp.s);
}

static int cmp_words(const void *a, const void *b)
{
	return strcmp((*(struct word *const *)a)->s, (*(struct word *const *)b)->s);
}

static struct word *sort_words(struct word *w)
{
	int n = list_len(w), i;
	struct word **v, *head = NULL;

	if (n < 2)
		return w;
	v = emalloc((size_t)n * sizeof *v);
	for (i = 0; w; w = w->next)
		v[i++] = w;
	qsort(v, (size_t)n, sizeof *v, cmp_words);
	for (i = n - 1; i >= 0; i--) {
		v[i]->next = head;
		head = v[i];
	}
	free(v);
	return head;
}

struct word *match_files(struct word *w)
{
	struct word *found = NULL;
	const char *p = w->s;
	char *plain;

	if (!w->glob || !match_has_meta(w->s)) {
		if (w->glob) {
			plain = match_unescape(w->s);
			free(w->s);
			w->s = plain;
			w->glob = 0;
		}
		return w;
	}
	if (*p == '/') {
		while (*p == '/')
			p++;
		expand("/", p, &found);
	} else
		expand("", p, &found);
	if (!found) {
		plain = match_unescape(w->s);
		free(w->s);
		w->s = plain;
		w->glob = 0;
		return w;
	}
	list_free(w);
	return sort_words(found);
}

struct word *match_list(struct word *list)
{
	struct word *out = NULL, **tail = &out;

	while (list) {
		struct word *next = list->next;
		list->next = NULL;
		*tail = match_files(list);
		while (*tail)
			tail = &(*tail)->next;
		list = next;
	}
	return out;
}
