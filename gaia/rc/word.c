/*
 * word.c: evaluating words.  Values are lists; ^ concatenates pairwise
 * or distributes a single element; $x(n), $x(m-n), $x(m-) subscript;
 * $#x counts; $"x joins with spaces; `{cmd} splits output by $ifs.
 * Unquoted *, ? and [ are carried as GLOB escapes until the command
 * decides whether to expand file names.
 */
#include "exec.h"
#include "match.h"
#include "var.h"
#include "os.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(const char *msg)
{
	exec_error("%s", msg);
	return -1;
}

/* An unquoted word: escape its pattern characters. */
static struct word *literal(const struct node *w)
{
	const char *s = w->str;
	struct buf b = {0};
	int glob = 0;

	if (w->quoted || !strpbrk(s, "*?[\001"))
		return word_new(s, 0, NULL);
	buf_adds(&b, "");
	for (; *s; s++) {
		if (strchr("*?[\001", *s)) {
			buf_addc(&b, GLOB);
			glob = 1;
		}
		buf_addc(&b, *s);
	}
	struct word *r = word_new(b.s, glob, NULL);
	free(b.s);
	return r;
}

/* One name from a word, for $name. */
static int eval_name(const struct node *w, char **name)
{
	struct word *l;

	if (eval_word(w, EV_PLAIN, &l) < 0)
		return -1;
	if (list_len(l) != 1) {
		list_free(l);
		return fail("variable name not singleton!");
	}
	*name = estrdup(l->s);
	list_free(l);
	return 0;
}

static int is_number(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

/* $name: $1 is the first element of $*. */
static struct word *value_of(const char *name)
{
	if (is_number(name) && strcmp(name, "0")) {
		long n = strtol(name, NULL, 10);
		struct word *w = var_get("*");
		while (w && --n > 0)
			w = w->next;
		return w && n == 0 ? word_new(w->s, 0, NULL) : NULL;
	}
	return list_copy(var_get(name));
}

/* Elements of v picked by subscripts like 2, 2-4, 3-. */
static struct word *subscript(const struct word *v, const struct word *subs)
{
	struct word *out = NULL, **tail = &out;
	int len = list_len(v);

	for (; subs; subs = subs->next) {
		const char *s = subs->s, *dash = strchr(s, '-');
		long from, to, i;
		char *end;
		const struct word *e;

		from = strtol(s, &end, 10);
		if (end == s || from < 1 || (dash ? end != dash : *end))
			continue;
		to = from;
		if (dash) {
			if (!dash[1])
				to = len;
			else {
				to = strtol(dash + 1, &end, 10);
				if (*end || end == dash + 1)
					continue;
			}
		}
		for (i = 1, e = v; e && i <= to; e = e->next, i++)
			if (i >= from) {
				*tail = word_new(e->s, 0, NULL);
				tail = &(*tail)->next;
			}
	}
	return out;
}

/* Double GLOB bytes so s can join a word that has escapes. */
static void add_escaped(struct buf *b, const struct word *w, int glob)
{
	const char *s;

	if (!glob || w->glob) {
		buf_adds(b, w->s);
		return;
	}
	for (s = w->s; *s; s++) {
		if (*s == GLOB)
			buf_addc(b, GLOB);
		buf_addc(b, *s);
	}
}

static struct word *join(const struct word *a, const struct word *b)
{
	struct buf s = {0};
	int glob = a->glob || b->glob;
	struct word *w;

	buf_adds(&s, "");
	add_escaped(&s, a, glob);
	add_escaped(&s, b, glob);
	w = word_new(s.s, glob, NULL);
	free(s.s);
	return w;
}

static int concat(struct word *l, struct word *r, struct word **out)
{
	int nl = list_len(l), nr = list_len(r);
	struct word *res = NULL, **tail = &res;
	const struct word *a = l, *b = r;

	*out = NULL;
	if (!nl || !nr || (nl != nr && nl != 1 && nr != 1)) {
		list_free(l);
		list_free(r);
		return fail(!nl || !nr ? "null list in concatenation"
				       : "mismatched list lengths in concatenation");
	}
	while (a && b) {
		*tail = join(a, b);
		tail = &(*tail)->next;
		if (nl != 1)
			a = a->next;
		if (nr != 1)
			b = b->next;
		if (nl == 1 && nr == 1)
			break;
	}
	list_free(l);
	list_free(r);
	*out = res;
	return 0;
}

static int eval_var(const struct node *w, struct word **out)
{
	char *name;
	struct word *v, *subs;

	*out = NULL;
	if (eval_name(w->a, &name) < 0)
		return -1;
	v = value_of(name);
	free(name);
	switch (w->type) {
	case N_VARSUB:
		if (eval_words(w->b, EV_PLAIN, &subs) < 0) {
			list_free(v);
			return -1;
		}
		*out = subscript(v, subs);
		list_free(subs);
		list_free(v);
		return 0;
	case N_COUNT: {
		char n[24];
		snprintf(n, sizeof n, "%d", list_len(v));
		*out = word_new(n, 0, NULL);
		list_free(v);
		return 0;
	}
	case N_FLAT: {
		char *flat = list_flat(v, " ");
		*out = word_new(flat, 0, NULL);
		free(flat);
		list_free(v);
		return 0;
	}
	default:
		*out = v;
		return 0;
	}
}

static int eval_raw(const struct node *w, struct word **out)
{
	struct word *l, *r;

	*out = NULL;
	switch (w->type) {
	case N_WORD:
		*out = literal(w);
		return 0;
	case N_VAR: case N_VARSUB: case N_COUNT: case N_FLAT:
		return eval_var(w, out);
	case N_CONCAT:
		if (eval_raw(w->a, &l) < 0)
			return -1;
		if (eval_raw(w->b, &r) < 0) {
			list_free(l);
			return -1;
		}
		return concat(l, r, out);
	case N_LIST:
		for (w = w->a; w; w = w->b) {
			if (eval_raw(w->a, &l) < 0) {
				list_free(*out);
				*out = NULL;
				return -1;
			}
			*out = list_append(*out, l);
		}
		return 0;
	case N_BQUOTE:
		*out = eval_backquote(w->a);
		return rc.unwind ? -1 : 0;
	default:
		return fail("bad word");
	}
}

static struct word *finish(struct word *l, enum eval_mode mode)
{
	struct word *w;

	if (mode == EV_GLOB)
		return match_list(l);
	if (mode == EV_PLAIN)
		for (w = l; w; w = w->next)
			if (w->glob) {
				char *plain = match_unescape(w->s);
				free(w->s);
				w->s = plain;
				w->glob = 0;
			}
	return l;
}

int eval_word(const struct node *w, enum eval_mode mode, struct word **out)
{
	if (eval_raw(w, out) < 0)
		return -1;
	*out = finish(*out, mode);
	return 0;
}

int eval_words(const struct node *chain, enum eval_mode mode, struct word **out)
{
	struct word *all = NULL, *l;

	for (; chain; chain = chain->b) {
		if (eval_raw(chain->a, &l) < 0) {
			list_free(all);
			*out = NULL;
			return -1;
		}
		all = list_append(all, l);
	}
	*out = finish(all, mode);
	return 0;
}

/* Split text at any byte of ifs (and at NUL bytes), dropping empty fields. */
static struct word *split(const char *text, size_t n, const char *ifs)
{
	struct word *out = NULL, **tail = &out;
	struct buf field = {0};
	size_t i;

	for (i = 0; i <= n; i++) {
		if (i == n || strchr(ifs, text[i]) || text[i] == 0) {
			if (field.len) {
				*tail = word_new(field.s, 0, NULL);
				tail = &(*tail)->next;
				field.len = 0;
			}
		} else
			buf_addc(&field, text[i]);
	}
	free(field.s);
	return out;
}

struct word *eval_backquote(struct node *body)
{
	struct redir_save sv = {0};
	struct buf text = {0};
	struct word *ifs;
	char *ifs_s, chunk[4096];
	int p[2], pid;
	long n;
	struct word *out;

	if (os_pipe(p) < 0) {
		fail("can't make pipe");
		return NULL;
	}
	redir_fd(1, p[1], &sv);
	struct node seq = { .type = N_BRACE, .a = body };
	pid = exec_start(&seq, 0);
	redir_restore(&sv);
	os_close(p[1]);
	while ((n = os_read(p[0], chunk, sizeof chunk)) > 0)
		buf_add(&text, chunk, (size_t)n);
	os_close(p[0]);
	if (pid >= 0)
		exec_wait(pid);
	/* rc sets $ifs at start-up; emptied, it splits nothing */
	ifs = var_get("ifs");
	ifs_s = list_flat(ifs, "");
	out = split(text.s ? text.s : "", text.len, ifs_s);
	free(ifs_s);
	free(text.s);
	return out;
}
