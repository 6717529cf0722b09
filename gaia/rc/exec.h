/*
 * exec.h: running trees.  exec.c walks commands, word.c evaluates words
 * to lists, redir.c applies redirections (saved and undone around each
 * command), builtin.c has the builtins, main.c the read-eval loop.
 */
#ifndef RC_EXEC_H
#define RC_EXEC_H

#include "rc.h"
#include "input.h"

/* Interpreter-wide state. */
struct rc {
	char flag[128];		/* command-line flags: e i l x v s I ... */
	int interactive;
	int ifstate;		/* what the last command was: IF_NONE, IF_TRUE, IF_FALSE */
	int cond;		/* > 0 inside a condition: -e does not apply */
	int depth;		/* nested function calls, . and eval */
	int nest;		/* nested commands being run */
	int unwind;		/* an error or interrupt: abandon the current command */
	int interrupted;	/* the unwinding is for an interrupt */
	const char *argv0;
};
extern struct rc rc;

enum { RC_MAX_DEPTH = 1000, RC_MAX_NEST = 5000 };

/* Run a command (chain); sets $status. */
void exec_tree(struct node *n);
/* Parse and run everything from in; returns at end of input.  top: errors
 * in a non-interactive top level end rc. */
void exec_input(struct input *in, int top);
/* Run string s as rc input (eval). */
void exec_string(const char *name, const char *s);
enum { IF_NONE, IF_TRUE, IF_FALSE };
/* Did an interrupt arrive?  Runs fn sigint or sets rc.unwind. */
int exec_check_interrupt(void);
/* An rc error: print "rc: msg", set $status to msg, and unwind to the
 * top (which ends a non-interactive rc, as in Plan 9). */
void exec_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Exit rc with $status (runs fn sigexit first). */
void exec_exit(void) __attribute__((noreturn));

/* How evaluated words are finished: file name expansion, patterns kept
 * (GLOB escapes stay, for ~ and case), or plain strings. */
enum eval_mode { EV_GLOB, EV_PATTERN, EV_PLAIN };
/* Evaluate a chain of words (N_WORDS) to a list.  Returns -1 (and
 * prints why, setting $status) on an evaluation error. */
int eval_words(const struct node *chain, enum eval_mode mode, struct word **out);
int eval_word(const struct node *w, enum eval_mode mode, struct word **out);
/* Output of a command, split by $ifs. */
struct word *eval_backquote(struct node *body);

/* Redirections: applied to rc's own descriptors, saved to undo. */
struct redir_save {
	int n, cap;
	struct { int fd, copy; } *s;
};
int redir_apply(const struct node *chain, struct redir_save *sv);
void redir_restore(struct redir_save *sv);
/* Make fd refer to newfd (-1: close it), saving the old one in sv. */
int redir_fd(int fd, int newfd, struct redir_save *sv);

/* Builtins. */
typedef void builtin_fn(struct word *args);
builtin_fn *builtin_get(const char *name);
/* Find an executable for name via $path; malloc'd, or NULL. */
char *exec_search(const char *name);
/* Run args as a command (function, builtin or program), no redirections. */
void exec_command(struct word *args, int use_fns);
/* Start a child running n (the descriptors as they are now); its pid. */
int exec_start(struct node *n, int background);
/* Wait for pid, setting $status; returns the status string (static). */
const char *exec_wait(int pid);
/* Start program args, with the current descriptors; its pid or -1. */
int exec_spawn(struct word *args, int background);
/* Append s to b, quoted only if rc would need it. */
void put_word(struct buf *b, const char *s);
/* Source a file as commands with $* = args. */
void exec_dot(const char *path, struct word *args, int interactive);

#endif
