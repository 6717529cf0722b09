/*
 * rc.h: the types every part of rc shares.
 *
 * Data flow: input.c delivers bytes (from a file, a string or the line
 * editor) to lex.c, which makes tokens for parse.c; the parser builds a
 * tree (tree.c) that exec.c walks.  Words evaluate (word.c) to lists
 * of strings; variables and functions live in var.c; patterns in
 * match.c; builtins in builtin.c.  Everything that touches the system
 * goes through os.h.
 */
#ifndef RC_RC_H
#define RC_RC_H

#include <stddef.h>

/* Unquoted *, ? and [ in a word are stored as GLOB followed by the
 * character, so quoted ones stay literal; a literal GLOB byte in such a
 * word is doubled. */
#define GLOB '\001'

/* A list of strings: every rc value. */
struct word {
	char *s;
	int glob;		/* s holds GLOB escapes */
	struct word *next;
};

struct word *word_new(const char *s, int glob, struct word *next);
struct word *list_copy(const struct word *w);
void list_free(struct word *w);
int list_len(const struct word *w);
struct word *list_append(struct word *a, struct word *b);	/* consumes both */
char *list_flat(const struct word *w, const char *sep);	/* malloc'd */
int list_true(const struct word *w);	/* every element empty */

/* Tree nodes.  Kids are n->a, n->b, n->c; str for words and names. */
enum node_type {
	N_WORD,		/* str, quoted */
	N_VAR,		/* $a */
	N_VARSUB,	/* $a(b) */
	N_COUNT,	/* $#a */
	N_FLAT,		/* $"a */
	N_CONCAT,	/* a^b */
	N_LIST,		/* (a): a is a N_WORDS chain or NULL */
	N_WORDS,	/* a, then b (chain of words) */
	N_BQUOTE,	/* `{a} */
	N_SIMPLE,	/* a: N_WORDS chain; b: redirection chain */
	N_SEQ,		/* a; b */
	N_ASYNC,	/* a & (b continues the sequence) */
	N_AND, N_OR,	/* a && b, a || b */
	N_PIPE,		/* a | b; fd0 the left side's output, fd1 the right's input */
	N_NOT,		/* ! a */
	N_SUBSHELL,	/* @ a */
	N_BRACE,	/* { a }, b: redirections */
	N_IF,		/* if(a) b */
	N_IFNOT,	/* if not a */
	N_FOR,		/* for(a in b) c; b NULL and fd0 = 1 for for(a) */
	N_WHILE,	/* while(a) b */
	N_SWITCH,	/* switch(a) { b } */
	N_MATCH,	/* ~ a b */
	N_FN,		/* fn a { b }; b NULL deletes */
	N_ASSIGN,	/* a=b c: c the command or NULL */
	N_REDIR,	/* redirection: rtype, fd0, a target; b next; or dup fd0=fd1 */
};

enum redir_type { R_READ, R_WRITE, R_APPEND, R_RDWR, R_HERE, R_DUP, R_CLOSE };

struct node {
	enum node_type type;
	int line, col;
	struct node *a, *b, *c;
	char *str;
	int quoted;		/* N_WORD: came from quotes; N_REDIR here doc: literal */
	int rtype, fd0, fd1;
	int keyword;		/* N_WORD: an unquoted keyword */
};

/* Arena for one parse: freed all at once. */
struct arena;
struct buf;
struct arena *arena_new(void);
void arena_free(struct arena *ar);
void *arena_alloc(struct arena *ar, size_t n);
char *arena_strdup(struct arena *ar, const char *s, size_t n);

struct node *node_new(struct arena *ar, enum node_type t, int line, int col);
struct node *tree_copy(struct arena *ar, const struct node *n);
/* Source text for n, as rc would read it back (malloc'd). */
char *tree_text(const struct node *n);
/* Append s quoted for rc ('it''s') to b. */
void tree_quote(struct buf *b, const char *s);

/* Growable string. */
struct buf {
	char *s;
	size_t len, cap;
};
void buf_add(struct buf *b, const char *s, size_t n);
void buf_addc(struct buf *b, char c);
void buf_adds(struct buf *b, const char *s);
char *buf_take(struct buf *b);	/* NUL-terminated, b emptied */

void *emalloc(size_t n);
void *erealloc(void *p, size_t n);
char *estrdup(const char *s);

/* Output: rc's own messages go to fd 2, output of builtins to fd 1. */
void rc_printf(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "rc: ..." on fd 2. */
void rc_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
