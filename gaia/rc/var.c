/*
 * var.c: the variable and function tables (open hashing), the
 * environment in Plan 9 on Unix form (list elements separated by \001,
 * functions as fn#name={body}), and $path kept in step with $PATH.
 */
#include "var.h"
#include "parse.h"

#include <stdlib.h>
#include <string.h>

enum { NBUCKET = 256 };

struct value {
	struct word *list;
	struct value *prev;	/* shadowed value */
};

struct var {
	char *name;
	struct value *v;
	struct var *next;
};

struct fn_entry {
	struct fn fn;
	struct fn_entry *next;
};

static struct var *vars[NBUCKET];
static struct fn_entry *fns[NBUCKET];

static unsigned hash(const char *s)
{
	unsigned h = 5381;

	while (*s)
		h = h * 33 + (unsigned char)*s++;
	return h % NBUCKET;
}

static struct var *lookup(const char *name, int create)
{
	struct var **vp = &vars[hash(name)], *v;

	for (v = *vp; v; v = v->next)
		if (!strcmp(v->name, name))
			return v;
	if (!create)
		return NULL;
	v = emalloc(sizeof *v);
	v->name = estrdup(name);
	v->v = emalloc(sizeof *v->v);
	v->v->list = NULL;
	v->v->prev = NULL;
	v->next = *vp;
	*vp = v;
	return v;
}

struct word *var_get(const char *name)
{
	struct var *v = lookup(name, 0);

	return v ? v->v->list : NULL;
}

/* $path and $PATH mirror each other. */
static void sync_path(const char *name, const struct word *list)
{
	static int syncing;
	struct word *other = NULL, **tail = &other;

	if (syncing)
		return;
	syncing = 1;
	if (!strcmp(name, "path")) {
		char *flat = list_flat(list, ":");
		var_set("PATH", list ? word_new(flat, 0, NULL) : NULL);
		free(flat);
	} else if (!strcmp(name, "PATH")) {
		const char *s = list ? list->s : "";
		while (list) {
			const char *colon = strchr(s, ':');
			size_t n = colon ? (size_t)(colon - s) : strlen(s);
			char *piece = estrdup(s);
			piece[n] = 0;
			*tail = word_new(n ? piece : ".", 0, NULL);
			tail = &(*tail)->next;
			free(piece);
			if (!colon)
				break;
			s = colon + 1;
		}
		var_set("path", other);
	}
	syncing = 0;
}

void var_set(const char *name, struct word *list)
{
	struct var *v = lookup(name, 1);

	list_free(v->v->list);
	v->v->list = list;
	if (name[0] == 'p' || name[0] == 'P')
		sync_path(name, list);
}

void var_set1(const char *name, const char *value)
{
	var_set(name, word_new(value, 0, NULL));
}

void var_push(const char *name, struct word *list)
{
	struct var *v = lookup(name, 1);
	struct value *nv = emalloc(sizeof *nv);

	nv->list = list;
	nv->prev = v->v;
	v->v = nv;
	if (name[0] == 'p' || name[0] == 'P')
		sync_path(name, list);
}

void var_pop(const char *name)
{
	struct var *v = lookup(name, 0);
	struct value *old;

	if (!v || !v->v->prev)
		return;
	old = v->v;
	v->v = old->prev;
	list_free(old->list);
	free(old);
	if (name[0] == 'p' || name[0] == 'P')
		sync_path(name, v->v->list);
}

struct arena_list {
	struct arena *ar;
	struct arena_list *next;
};

static struct fn_entry *fn_entry(const char *name)
{
	struct fn_entry *f;

	for (f = fns[hash(name)]; f; f = f->next)
		if (!strcmp(f->fn.name, name))
			return f;
	return NULL;
}

struct fn *fn_get(const char *name)
{
	struct fn_entry *f = fn_entry(name);

	return f && f->fn.body ? &f->fn : NULL;
}

/* Free the old body now, or after the calls running it return. */
static void retire(struct fn *f)
{
	struct arena_list *r;

	if (!f->ar)
		return;
	if (!f->running) {
		arena_free(f->ar);
	} else {
		r = emalloc(sizeof *r);
		r->ar = f->ar;
		r->next = f->retired;
		f->retired = r;
	}
	f->ar = NULL;
	f->body = NULL;
}

void fn_define(const char *name, const struct node *body)
{
	struct fn_entry *f = fn_entry(name);

	if (!f) {
		if (!body)
			return;
		f = emalloc(sizeof *f);
		memset(f, 0, sizeof *f);
		f->fn.name = estrdup(name);
		f->next = fns[hash(name)];
		fns[hash(name)] = f;
	}
	retire(&f->fn);
	if (body) {
		f->fn.ar = arena_new();
		f->fn.body = tree_copy(f->fn.ar, body);
	}
}

void fn_enter(struct fn *f)
{
	f->running++;
}

void fn_leave(struct fn *f)
{
	if (--f->running)
		return;
	while (f->retired) {
		struct arena_list *r = f->retired;
		f->retired = r->next;
		arena_free(r->ar);
		free(r);
	}
}

static void import_fn(const char *name, const char *text)
{
	struct arena *ar = arena_new();
	struct buf src = {0};
	char err[300];
	struct node *t;

	buf_adds(&src, "fn ");
	tree_quote(&src, name);
	buf_adds(&src, " ");
	buf_adds(&src, text);
	t = parse_string(ar, "environment", src.s, err, sizeof err);
	if (t && t->type == N_SEQ && t->a && t->a->type == N_FN && !t->b)
		fn_define(name, t->a->b);
	arena_free(ar);
	free(src.s);
}

void var_import(char **env)
{
	for (; env && *env; env++) {
		const char *eq = strchr(*env, '=');
		struct word *list = NULL, **tail = &list;
		char *name;
		const char *s;

		if (!eq || eq == *env)
			continue;
		name = estrdup(*env);
		name[eq - *env] = 0;
		if (!strncmp(name, "fn#", 3)) {
			if (name[3])
				import_fn(name + 3, eq + 1);
			free(name);
			continue;
		}
		for (s = eq + 1;;) {
			const char *sep = strchr(s, '\001');
			char *piece = estrdup(s);
			if (sep)
				piece[sep - s] = 0;
			*tail = word_new(piece, 0, NULL);
			tail = &(*tail)->next;
			free(piece);
			if (!sep)
				break;
			s = sep + 1;
		}
		var_set(name, list);
		free(name);
	}
}

char **var_env(void)
{
	size_t n = 0, cap = 64;
	char **env = emalloc(cap * sizeof *env);
	int i;

	for (i = 0; i < NBUCKET; i++) {
		struct var *v;
		struct fn_entry *f;
		for (v = vars[i]; v; v = v->next) {
			struct buf b = {0};
			if (!v->v->list || strchr(v->name, '='))
				continue;
			buf_adds(&b, v->name);
			buf_adds(&b, "=");
			char *flat = list_flat(v->v->list, "\001");
			buf_adds(&b, flat);
			free(flat);
			if (n + 2 > cap)
				env = erealloc(env, (cap *= 2) * sizeof *env);
			env[n++] = buf_take(&b);
		}
		for (f = fns[i]; f; f = f->next) {
			struct buf b = {0};
			if (!f->fn.body)
				continue;
			struct node brace = { .type = N_BRACE, .a = f->fn.body };
			char *text = tree_text(&brace);
			buf_adds(&b, "fn#");
			buf_adds(&b, f->fn.name);
			buf_adds(&b, "=");
			buf_adds(&b, text);
			buf_adds(&b, "\n");	/* as Plan 9 on Unix writes it */
			free(text);
			if (n + 2 > cap)
				env = erealloc(env, (cap *= 2) * sizeof *env);
			env[n++] = buf_take(&b);
		}
	}
	env[n] = NULL;
	return env;
}

void var_env_free(char **env)
{
	char **e;

	for (e = env; *e; e++)
		free(*e);
	free(env);
}

void status_set(const char *s)
{
	var_set1("status", s);
}

void status_set_list(struct word *list)
{
	var_set("status", list);
}

int status_true(void)
{
	return list_true(var_get("status"));
}
