/*
 * exec.c: walking the tree.  Commands run in rc itself (builtins,
 * functions, compound commands) or as children.  There is no fork: a
 * child is either a program started with os_spawn, or, for anything
 * else that must run apart (pipeline stages, &, @, `{}), rc itself
 * re-run on the command's text with the variables and functions in its
 * environment.  Errors set rc.unwind; every walker returns promptly
 * when it is set, undoing redirections and local variables on the way.
 */
#include "exec.h"
#include "lex.h"
#include "match.h"
#include "os.h"
#include "parse.h"
#include "var.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct rc rc;

static void exec_node(struct node *n);

void exec_error(const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	rc_error("%s\n", msg);
	status_set(msg);
	rc.unwind = 1;
}

int exec_check_interrupt(void)
{
	if (os_interrupted()) {
		struct fn *f = fn_get("sigint");
		if (f) {
			struct word *args = word_new("sigint", 0, NULL);
			exec_command(args, 1);
			list_free(args);
		} else {
			rc.unwind = 1;
			rc.interrupted = 1;
		}
	}
	return rc.unwind;
}

/* Exit code for $status: its first non-empty element if a number, 0
 * if all are empty, else 1. */
static int exit_code(void)
{
	const struct word *w;

	for (w = var_get("status"); w; w = w->next)
		if (w->s[0]) {
			char *end;
			long n = strtol(w->s, &end, 10);
			return *end || end == w->s ? 1 : (int)(n & 0xff);
		}
	return 0;
}

void exec_exit(void)
{
	static int exiting;
	struct fn *f = fn_get("sigexit");

	if (f && !exiting) {
		struct word *save = list_copy(var_get("status"));
		struct word *args = word_new("sigexit", 0, NULL);
		exiting = 1;
		rc.unwind = 0;
		exec_command(args, 1);
		list_free(args);
		status_set_list(save);
	}
	os_exit(exit_code());
}

/* A word that needs no quotes to be read back. */
void put_word(struct buf *b, const char *s)
{
	const char *p;

	for (p = s; *p && lex_wordchr((unsigned char)*p); p++)
		;
	if (*s && !*p)
		buf_adds(b, s);
	else
		tree_quote(b, s);
}

/* -x: the command as it will run, on fd 2. */
static void trace(const struct word *args)
{
	struct buf b = {0};

	for (; args; args = args->next) {
		put_word(&b, args->s);
		buf_adds(&b, args->next ? " " : "\n");
	}
	if (b.s)
		os_write(2, b.s, b.len);
	free(b.s);
}

char *exec_search(const char *name)
{
	const struct word *dir;
	struct buf b = {0};

	if (name[0] == '/' || !strncmp(name, "./", 2) || !strncmp(name, "../", 3))
		return os_executable(name) ? estrdup(name) : NULL;
	for (dir = var_get("path"); dir; dir = dir->next) {
		b.len = 0;
		buf_adds(&b, dir->s);
		if (b.len && b.s[b.len - 1] != '/')
			buf_addc(&b, '/');
		buf_adds(&b, name);
		if (os_executable(b.s))
			return buf_take(&b);
	}
	free(b.s);
	return NULL;
}

/* Identity descriptor map of the user descriptors open now. */
static int current_fds(int *fds)
{
	int i, n = 0;

	for (i = 0; i < OS_USER_FDS; i++) {
		fds[i] = os_fd_open(i) ? i : -1;
		if (fds[i] >= 0)
			n = i + 1;
	}
	return n;
}

static char **make_argv(const struct word *args)
{
	int n = list_len(args), i = 0;
	char **argv = emalloc(((size_t)n + 1) * sizeof *argv);

	for (; args; args = args->next)
		argv[i++] = args->s;
	argv[i] = NULL;
	return argv;
}

static int spawn_path(const char *path, const struct word *args, int background)
{
	int fds[OS_USER_FDS], nfds = current_fds(fds), pid;
	char **argv = make_argv(args), **env = var_env();

	pid = os_spawn(path, argv, env, fds, nfds, background);
	if (pid < 0)
		rc_error("%s: %s\n", args->s, os_error());
	free(argv);
	var_env_free(env);
	return pid;
}

int exec_spawn(struct word *args, int background)
{
	char *path = exec_search(args->s);
	int pid;

	if (!path) {
		int found = strchr(args->s, '/') && os_exists(args->s);
		rc_error("%s: %s\n", args->s, found ? "permission denied" : "file does not exist");
		status_set(found ? "permission denied" : "file does not exist");
		return -1;
	}
	pid = spawn_path(path, args, background);
	free(path);
	if (pid < 0)
		status_set("can't start");
	return pid;
}

const char *exec_wait(int pid)
{
	static char st[128];

	if (os_wait(pid, st, sizeof st) < 0)
		snprintf(st, sizeof st, "%s", os_error());
	status_set(st);
	return st;
}

/* The one command a tree stands for, through braces and 1-element chains. */
static struct node *unwrap(struct node *n)
{
	while (n && ((n->type == N_SEQ && !n->b) || (n->type == N_BRACE && !n->b)))
		n = n->a;
	return n;
}

/* Is n a simple command naming a program (not a function or builtin)? */
static int is_program(const struct node *n)
{
	const struct node *w;

	if (!n || n->type != N_SIMPLE || !n->a)
		return 0;
	w = n->a->a;
	return w->type == N_WORD && !fn_get(w->str) && !builtin_get(w->str) &&
	       strcmp(w->str, "exec");
}

/* rc -c text, carrying -e and -x, for anything but a plain program. */
static int start_subshell(struct node *n, int background)
{
	char *text = tree_text(n);
	struct word *args = word_new(rc.argv0, 0, NULL), **tail = &args->next;
	int pid;

	if (rc.flag['e']) {
		*tail = word_new("-e", 0, NULL);
		tail = &(*tail)->next;
	}
	if (rc.flag['x']) {
		*tail = word_new("-x", 0, NULL);
		tail = &(*tail)->next;
	}
	*tail = word_new("-c", 0, word_new(text, 0, NULL));
	tail = &(*tail)->next->next;
	*tail = list_copy(var_get("*"));
	pid = spawn_path(os_self(), args, background);
	list_free(args);
	free(text);
	return pid;
}

int exec_start(struct node *n, int background)
{
	struct node *c = unwrap(n);
	struct redir_save sv = {0};
	struct word *args = NULL;
	int pid = -1, unwind = rc.unwind;

	if (!is_program(c))
		return start_subshell(n, background);
	/* An error here belongs to the child, which never started: it sets
	 * $status but does not end this rc. */
	if (eval_words(c->a, EV_GLOB, &args) == 0 && redir_apply(c->b, &sv) == 0 && args) {
		if (rc.flag['x'])
			trace(args);
		pid = exec_spawn(args, background);
	}
	redir_restore(&sv);
	list_free(args);
	rc.unwind = unwind;
	return pid;
}

static void call_fn(struct fn *f, struct word *args)
{
	if (rc.depth >= RC_MAX_DEPTH) {
		exec_error("%s: functions nested too deeply", args->s);
		return;
	}
	rc.depth++;
	fn_enter(f);
	var_push("*", list_copy(args->next));
	exec_node(f->body);
	var_pop("*");
	fn_leave(f);
	rc.depth--;
}

void exec_command(struct word *args, int use_fns)
{
	struct fn *f = use_fns ? fn_get(args->s) : NULL;
	builtin_fn *b;
	int pid;

	if (f) {
		call_fn(f, args);
		return;
	}
	if ((b = builtin_get(args->s))) {
		b(args);
		return;
	}
	pid = exec_spawn(args, 0);
	if (pid >= 0)
		exec_wait(pid);
}

static void exec_simple(struct node *n)
{
	struct redir_save sv = {0};
	struct word *args;

	if (eval_words(n->a, EV_GLOB, &args) < 0)
		return;
	if (redir_apply(n->b, &sv) == 0) {
		if (args && rc.flag['x'])
			trace(args);
		if (!args)
			status_set("");
		else if (!strcmp(args->s, "exec") && !args->next && !fn_get("exec")) {
			/* exec with only redirections: they stay */
			for (int i = 0; i < sv.n; i++)
				if (sv.s[i].copy >= 0)
					os_close(sv.s[i].copy);
			sv.n = 0;
			status_set("");
		} else
			exec_command(args, 1);
	}
	redir_restore(&sv);
	list_free(args);
	if (rc.flag['e'] && !rc.cond && !status_true() && !rc.unwind)
		exec_exit();
}

static int is_bare_assign(const struct node *n)
{
	return !n || (n->type == N_ASSIGN && is_bare_assign(n->c));
}

static int assign_name(const struct node *w, char **name)
{
	struct word *l;

	if (eval_word(w, EV_PLAIN, &l) < 0)
		return -1;
	if (list_len(l) != 1 || !l->s[0]) {
		list_free(l);
		exec_error("variable name not singleton!");
		return -1;
	}
	*name = estrdup(l->s);
	list_free(l);
	return 0;
}

static void exec_assign(struct node *n)
{
	char *name;
	struct word *val;

	if (assign_name(n->a, &name) < 0)
		return;
	if (eval_word(n->b, EV_GLOB, &val) < 0) {
		free(name);
		return;
	}
	if (is_bare_assign(n->c)) {
		var_set(name, val);
		exec_node(n->c);
	} else {
		var_push(name, val);
		exec_node(n->c);
		var_pop(name);
	}
	free(name);
}

/* One stage of a pipeline, with the descriptors joining it to its
 * neighbours. */
struct stage {
	struct node *cmd;
	int in_fd, out_fd;	/* descriptor numbers in this stage */
};

/* The stages of a | b | c (parsed as (a|b)|c), left to right; returns
 * their number, or max if there are more than max - 1. */
static int flatten(struct node *n, struct stage *st, int max)
{
	const struct node *p;
	int k = 1, i;

	for (p = n; p->type == N_PIPE; p = p->a)
		if (++k >= max)
			return max;
	i = k - 1;
	st[i].out_fd = -1;
	for (p = n; p->type == N_PIPE; p = p->a, i--) {
		st[i].cmd = p->b;
		st[i].in_fd = p->fd1;
		st[i - 1].out_fd = p->fd0;
	}
	st[0].cmd = (struct node *)p;
	st[0].in_fd = -1;
	return k;
}

static void exec_pipe(struct node *n)
{
	enum { MAX_STAGES = 256 };
	struct stage st[MAX_STAGES];
	int pids[MAX_STAGES];
	char *why[MAX_STAGES];	/* why a stage did not start */
	int k = flatten(n, st, MAX_STAGES), i, prev = -1;
	struct word *status = NULL, **tail = &status;

	if (k >= MAX_STAGES) {
		exec_error("pipeline has more than %d commands", MAX_STAGES - 1);
		return;
	}
	for (i = 0; i < k; i++) {
		struct redir_save sv = {0};
		int p[2] = {-1, -1};
		if (i + 1 < k && os_pipe(p) < 0) {
			exec_error("can't make pipe: %s", os_error());
			k = i;
			break;
		}
		if (prev >= 0)
			redir_fd(st[i].in_fd, prev, &sv);
		if (p[1] >= 0)
			redir_fd(st[i].out_fd, p[1], &sv);
		pids[i] = st[i].in_fd >= OS_USER_FDS || st[i].out_fd >= OS_USER_FDS ? -1
			  : exec_start(st[i].cmd, 0);
		why[i] = pids[i] < 0 && var_get("status") ? estrdup(var_get("status")->s)
						     : estrdup("can't start");
		redir_restore(&sv);
		if (prev >= 0)
			os_close(prev);
		if (p[1] >= 0)
			os_close(p[1]);
		prev = p[0];
	}
	if (prev >= 0)
		os_close(prev);
	for (i = 0; i < k; i++) {
		*tail = word_new(pids[i] >= 0 ? exec_wait(pids[i]) : why[i], 0, NULL);
		tail = &(*tail)->next;
		free(why[i]);
	}
	if (!rc.unwind || status)
		status_set_list(status);
	exec_check_interrupt();
}

static void exec_background(struct node *n)
{
	int pid = exec_start(n, 1);
	char buf[24];

	if (pid < 0)
		return;
	snprintf(buf, sizeof buf, "%d", pid);
	var_set1("apid", buf);
}

static void exec_cond(struct node *n)
{
	rc.cond++;
	exec_node(n);
	rc.cond--;
}

static void exec_if(struct node *n)
{
	int ok;

	exec_cond(n->a);
	if (rc.unwind)
		return;
	ok = status_true();
	if (ok)
		exec_node(n->b);
	rc.ifstate = ok ? IF_TRUE : IF_FALSE;
}

static void exec_ifnot(struct node *n)
{
	int state = rc.ifstate;

	if (state == IF_NONE) {
		exec_error("`if not' does not follow `if(...)'");
		return;
	}
	if (state == IF_FALSE)
		exec_node(n->a);
	rc.ifstate = IF_NONE;
}

static void exec_for(struct node *n)
{
	struct word *list, *w;
	char *name;

	if (assign_name(n->a, &name) < 0)
		return;
	if (n->fd0)
		list = list_copy(var_get("*"));
	else if (eval_words(n->b, EV_GLOB, &list) < 0) {
		free(name);
		return;
	}
	/* the loop variable is local to the loop, as in Plan 9 */
	var_push(name, NULL);
	for (w = list; w && !rc.unwind; w = w->next) {
		var_set1(name, w->s);
		exec_node(n->c);
		exec_check_interrupt();
	}
	var_pop(name);
	list_free(list);
	free(name);
}

static void exec_while(struct node *n)
{
	for (;;) {
		exec_cond(n->a);
		if (rc.unwind || !status_true())
			return;
		exec_node(n->b);
		if (exec_check_interrupt())
			return;
	}
}

static int matches(const char *subject, const struct word *pats)
{
	for (; pats; pats = pats->next)
		if (match(subject, pats->s))
			return 1;
	return 0;
}

static void exec_match(struct node *n)
{
	struct word *subj, *pats;
	char *s;

	if (eval_word(n->a, EV_PLAIN, &subj) < 0)
		return;
	if (eval_words(n->b, EV_PATTERN, &pats) < 0) {
		list_free(subj);
		return;
	}
	s = list_flat(subj, " ");
	status_set(matches(s, pats) ? "" : "no match");
	free(s);
	list_free(subj);
	list_free(pats);
}

/* A "case" command at the top of a switch body. */
static int is_case(const struct node *c)
{
	return c && c->type == N_SIMPLE && c->a && c->a->a->type == N_WORD &&
	       !strcmp(c->a->a->str, "case");
}

static void exec_switch(struct node *n)
{
	struct word *subj;
	const struct node *c;
	char *s;
	int running = 0;

	if (eval_word(n->a, EV_PLAIN, &subj) < 0)
		return;
	s = list_flat(subj, " ");
	list_free(subj);
	for (c = n->b; c && !rc.unwind; c = c->b) {
		if (is_case(c->a)) {
			struct word *pats;
			if (running)
				break;
			if (eval_words(c->a->a->b, EV_PATTERN, &pats) < 0)
				break;
			running = matches(s, pats);
			list_free(pats);
		} else if (running)
			exec_node(c->a);
	}
	free(s);
}

static void exec_fn(struct node *n)
{
	struct word *names, *w;
	struct node empty = { .type = N_SEQ };

	if (eval_words(n->a, EV_PLAIN, &names) < 0)
		return;
	for (w = names; w; w = w->next) {
		fn_define(w->s, n->fd0 ? (n->b ? n->b : &empty) : NULL);
		if (!strcmp(w->s, "sigint"))
			os_catch_interrupts(n->fd0 || rc.interactive);
	}
	list_free(names);
	status_set("");
}

static void exec_brace(struct node *n)
{
	struct redir_save sv = {0};

	if (redir_apply(n->b, &sv) == 0)
		exec_node(n->a);
	redir_restore(&sv);
}

static void exec_not(struct node *n)
{
	exec_cond(n->a);
	if (!rc.unwind)
		status_set(status_true() ? "false" : "");
}

static void exec_andor(struct node *n)
{
	exec_cond(n->a);
	if (rc.unwind)
		return;
	if (status_true() == (n->type == N_AND))
		exec_node(n->b);
}

static void exec_node1(struct node *n);

/* Every nested command adds a level; function calls multiply the
 * nesting of their bodies, so the total is bounded to keep the stack. */
static void exec_node(struct node *n)
{
	if (!n || rc.unwind)
		return;
	if (rc.nest >= RC_MAX_NEST) {
		exec_error("commands nested too deeply");
		return;
	}
	rc.nest++;
	exec_node1(n);
	rc.nest--;
}

static void exec_node1(struct node *n)
{
	if (n->type != N_SEQ && n->type != N_IF && n->type != N_IFNOT)
		rc.ifstate = IF_NONE;
	switch (n->type) {
	case N_SEQ:
		for (; n && !rc.unwind; n = n->b) {
			exec_node(n->a);
			exec_check_interrupt();
		}
		break;
	case N_SIMPLE: exec_simple(n); break;
	case N_ASSIGN: exec_assign(n); break;
	case N_PIPE: exec_pipe(n); break;
	case N_ASYNC: exec_background(n->a); break;
	case N_AND: case N_OR: exec_andor(n); break;
	case N_NOT: exec_not(n); break;
	case N_SUBSHELL: {
		int pid = exec_start(n->a, 0);
		if (pid >= 0)
			exec_wait(pid);
		break;
	}
	case N_BRACE: exec_brace(n); break;
	case N_IF: exec_if(n); break;
	case N_IFNOT: exec_ifnot(n); break;
	case N_FOR: exec_for(n); break;
	case N_WHILE: exec_while(n); break;
	case N_SWITCH: exec_switch(n); break;
	case N_MATCH: exec_match(n); break;
	case N_FN: exec_fn(n); break;
	default: break;
	}
}

void exec_tree(struct node *n)
{
	exec_node(n);
}

void exec_input(struct input *in, int top)
{
	struct parser p;

	parse_init(&p, in);
	for (;;) {
		struct arena *ar = arena_new();
		struct node *t;
		enum parse_result r;

		in->fresh = 1;
		r = parse_line(&p, ar, &t);
		if (in->interrupted) {
			/* ^C while typing: drop what was typed */
			in->interrupted = 0;
			p.lx.nlook = 0;
			p.lx.nhere = 0;
			arena_free(ar);
			status_set("interrupted");
			continue;
		}
		if (r == PARSE_EOF) {
			arena_free(ar);
			return;
		}
		if (r == PARSE_ERROR) {
			rc_error("%s\n", p.lx.errbuf);
			status_set("syntax error");
			arena_free(ar);
			if (!in->interactive) {
				rc.unwind = 1;
				return;
			}
			lex_skip_line(&p.lx);
			continue;
		}
		exec_tree(t);
		arena_free(ar);
		exec_check_interrupt();
		if (rc.unwind) {
			if (!in->interactive && !(top && rc.interactive))
				return;
			if (rc.interrupted)
				os_write(2, "\n", 1);	/* the prompt on a line of its own */
			rc.unwind = 0;
			rc.interrupted = 0;
			rc.depth = 0;
			rc.nest = 0;
			rc.cond = 0;
		}
	}
}

void exec_string(const char *name, const char *s)
{
	struct input *in = emalloc(sizeof *in);	/* eval can nest deeply */

	input_string(in, name, s, strlen(s));
	exec_input(in, 0);
	free(in);
}

void exec_dot(const char *path, struct word *args, int interactive)
{
	struct input *in;
	int fd = os_open(path, OS_READ);

	if (fd < 0) {
		exec_error("%s: can't open: %s", path, os_error());
		return;
	}
	if (rc.depth >= RC_MAX_DEPTH) {
		os_close(fd);
		exec_error(".: files nested too deeply");
		return;
	}
	in = emalloc(sizeof *in);
	input_fd(in, path, fd, interactive);
	rc.depth++;
	var_push("*", args);
	exec_input(in, 0);
	var_pop("*");
	rc.depth--;
	os_close(fd);
	free(in);
}
