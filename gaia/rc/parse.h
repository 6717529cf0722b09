/*
 * parse.h: rc's parser, recursive descent over lex.h with the
 * precedence of Plan 9's syn.y (| binds tightest, then ! @ and prefix
 * assignments and redirections, then && and ||; if, for, while and
 * switch take the whole command after them).
 */
#ifndef RC_PARSE_H
#define RC_PARSE_H

#include "lex.h"

struct parser {
	struct lexer lx;
	jmp_buf fail;
	int depth;		/* nesting of the tree being built */
};

enum { PARSE_MAX_DEPTH = 500 };
enum parse_result { PARSE_OK, PARSE_EOF, PARSE_ERROR };

void parse_init(struct parser *p, struct input *in);
/* Parse one line (commands up to a newline) into *tree, allocated in
 * ar.  PARSE_ERROR leaves the message in p->lx.errbuf; PARSE_OK with
 * *tree NULL is an empty line. */
enum parse_result parse_line(struct parser *p, struct arena *ar, struct node **tree);
/* Parse all of s; NULL with the message in err (size n) on error, NULL
 * with err empty for no commands. */
struct node *parse_string(struct arena *ar, const char *name, const char *s, char *err, size_t n);

#endif
