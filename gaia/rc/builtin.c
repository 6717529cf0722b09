/*
 * builtin.c: the commands rc runs itself because they change or read
 * its own state: . builtin cd eval exec exit flag shift wait whatis ~.
 * echo is not one (as in Plan 9): it is a program.
 */
#include "exec.h"
#include "match.h"
#include "os.h"
#include "var.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(const char *u)
{
	exec_error("usage: %s", u);
}

static void b_cd(struct word *args)
{
	const char *dir;
	struct word *home = var_get("home");

	if (args->next && args->next->next) {
		usage("cd [dir]");
		return;
	}
	dir = args->next ? args->next->s : home ? home->s : NULL;
	if (!dir) {
		rc_error("cd: no $home\n");
		status_set("can't cd");
		return;
	}
	if (os_chdir(dir) < 0) {
		rc_error("can't cd %s: %s\n", dir, os_error());
		status_set("can't cd");
		return;
	}
	status_set("");
}

static void b_exit(struct word *args)
{
	if (args->next)
		status_set(args->next->s);
	exec_exit();
}

static void b_eval(struct word *args)
{
	char *text = list_flat(args->next, " ");

	if (rc.depth >= RC_MAX_DEPTH) {
		free(text);
		exec_error("eval: nested too deeply");
		return;
	}
	rc.depth++;
	exec_string("eval", text);
	rc.depth--;
	free(text);
}

static void b_exec(struct word *args)
{
	char *path;
	char **argv, **env;
	int n, i;

	if (!args->next) {
		status_set("");
		return;
	}
	args = args->next;
	path = exec_search(args->s);
	if (!path) {
		exec_error("%s: file does not exist", args->s);
		return;
	}
	n = list_len(args);
	argv = emalloc(((size_t)n + 1) * sizeof *argv);
	for (i = 0; args; args = args->next)
		argv[i++] = args->s;
	argv[i] = NULL;
	env = var_env();
	os_exec(path, argv, env);
	exec_error("exec %s: %s", path, os_error());
	free(path);
	free(argv);
	var_env_free(env);
}

static void b_shift(struct word *args)
{
	long n = 1;
	struct word *star, *w;

	if (args->next) {
		char *end;
		n = strtol(args->next->s, &end, 10);
		if (*end || n < 0 || args->next->next) {
			usage("shift [n]");
			return;
		}
	}
	star = list_copy(var_get("*"));
	if (n > list_len(star)) {
		list_free(star);
		exec_error("shift: not enough arguments");
		return;
	}
	while (n-- > 0) {
		w = star;
		star = star->next;
		w->next = NULL;
		list_free(w);
	}
	var_set("*", star);
	status_set("");
}

static void b_flag(struct word *args)
{
	const char *f = args->next ? args->next->s : NULL;
	const char *op = f && args->next->next ? args->next->next->s : NULL;
	unsigned char c;

	if (!f || strlen(f) != 1 || (op && strcmp(op, "+") && strcmp(op, "-")) ||
	    (op && args->next->next->next)) {
		usage("flag f [+-]");
		return;
	}
	c = (unsigned char)f[0];
	if (c >= sizeof rc.flag) {
		usage("flag f [+-]");
		return;
	}
	if (op) {
		rc.flag[c] = op[0] == '+';
		status_set("");
	} else
		status_set(rc.flag[c] ? "" : "flag not set");
}

static void b_wait(struct word *args)
{
	char st[128];

	if (!args->next) {
		while (os_wait(-1, st, sizeof st) >= 0)
			status_set(st);
		return;
	}
	for (args = args->next; args; args = args->next) {
		char *end;
		long pid = strtol(args->s, &end, 10);
		if (*end || end == args->s || pid <= 0) {
			exec_error("wait: bad pid %s", args->s);
			return;
		}
		if (os_wait((int)pid, st, sizeof st) < 0) {
			rc_error("wait: %s: %s\n", args->s, os_error());
			status_set("no such child");
			return;
		}
		status_set(st);
	}
}

static void b_match(struct word *args)
{
	char *s;
	const struct word *p;
	int hit = 0;

	if (!args->next) {
		usage("~ subject pattern ...");
		return;
	}
	s = estrdup(args->next->s);
	for (p = args->next->next; p && !hit; p = p->next) {
		/* builtin ~ gets evaluated words: every * ? [ is active */
		struct buf pat = {0};
		const char *c;
		buf_adds(&pat, "");
		for (c = p->s; *c; c++) {
			if (strchr("*?[", *c) || *c == GLOB)
				buf_addc(&pat, GLOB);
			buf_addc(&pat, *c);
		}
		hit = match(s, pat.s);
		free(pat.s);
	}
	free(s);
	status_set(hit ? "" : "no match");
}

static void b_builtin(struct word *args)
{
	if (!args->next) {
		usage("builtin command [arg ...]");
		return;
	}
	exec_command(args->next, 0);
}

static void b_dot(struct word *args)
{
	int interactive = 0;
	char *path;
	const char *name;

	args = args->next;
	if (args && !strcmp(args->s, "-i")) {
		interactive = 1;
		args = args->next;
	}
	if (!args) {
		usage(". [-i] file [arg ...]");
		return;
	}
	name = args->s;
	path = strchr(name, '/') ? estrdup(name) : NULL;
	if (!path) {
		const struct word *dir;
		struct buf b = {0};
		for (dir = var_get("path"); dir && !path; dir = dir->next) {
			b.len = 0;
			buf_adds(&b, dir->s);
			buf_adds(&b, "/");
			buf_adds(&b, name);
			if (os_exists(b.s))
				path = estrdup(b.s);
		}
		free(b.s);
		if (!path)
			path = estrdup(name);
	}
	exec_dot(path, list_copy(args->next), interactive);
	free(path);
}

static void print_var(const char *name, const struct word *v)
{
	struct buf b = {0};

	buf_adds(&b, name);
	buf_adds(&b, "=");
	if (v && !v->next)
		put_word(&b, v->s);
	else {
		buf_adds(&b, "(");
		for (; v; v = v->next) {
			put_word(&b, v->s);
			if (v->next)
				buf_adds(&b, " ");
		}
		buf_adds(&b, ")");
	}
	buf_adds(&b, "\n");
	os_write(1, b.s, b.len);
	free(b.s);
}

static void print_fn(const char *name, const struct fn *f)
{
	struct node brace = { .type = N_BRACE, .a = f->body };
	char *text = tree_text(&brace);
	struct buf b = {0};

	buf_adds(&b, "fn ");
	put_word(&b, name);
	buf_adds(&b, " ");
	buf_adds(&b, text);
	buf_adds(&b, "\n");
	os_write(1, b.s, b.len);
	free(b.s);
	free(text);
}

static int whatis_one(const char *name)
{
	struct word *v = var_get(name);
	struct fn *f = fn_get(name);
	char *path;
	int found = 0;

	if (v) {
		print_var(name, v);
		found = 1;
	}
	if (f) {
		print_fn(name, f);
		return 1;
	}
	if (found)
		return 1;
	if (builtin_get(name)) {
		rc_printf(1, "builtin %s\n", name);
		return 1;
	}
	if ((path = exec_search(name))) {
		rc_printf(1, "%s\n", path);
		free(path);
		return 1;
	}
	return 0;
}

static void b_whatis(struct word *args)
{
	int ok = 1;

	if (!args->next) {
		usage("whatis name ...");
		return;
	}
	for (args = args->next; args; args = args->next)
		if (!whatis_one(args->s)) {
			rc_printf(2, "%s: not found\n", args->s);
			ok = 0;
		}
	status_set(ok ? "" : "not found");
}

static const struct {
	const char *name;
	builtin_fn *fn;
} builtins[] = {
	{".", b_dot}, {"builtin", b_builtin}, {"cd", b_cd}, {"eval", b_eval},
	{"exec", b_exec}, {"exit", b_exit}, {"flag", b_flag}, {"shift", b_shift},
	{"wait", b_wait}, {"whatis", b_whatis}, {"~", b_match},
};

builtin_fn *builtin_get(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof builtins / sizeof builtins[0]; i++)
		if (!strcmp(builtins[i].name, name))
			return builtins[i].fn;
	return NULL;
}
