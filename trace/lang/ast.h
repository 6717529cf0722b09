/*
 * ast.h: the syntax tree parse.c builds and compile.c walks. Nodes live in
 * the compiler's arena.
 */
#ifndef TRACE_AST_H
#define TRACE_AST_H

#include <stdint.h>

#include "internal.h"
#include "lex.h"

enum tr_nkind {
	/* expressions */
	N_INT, N_STR,
	N_IDENT,	/* name: a built-in, global or array */
	N_SELF,		/* self->name */
	N_THIS,		/* this->name */
	N_INDEX,	/* a: N_IDENT; list: keys (name[k, ...], args[i]) */
	N_AGGREF,	/* @name as an argument of printa, clear, trunc */
	N_CALL,		/* name(list) */
	N_UNARY,	/* op a: "-" "~" "!" "+" */
	N_BINARY,	/* a op b */
	N_TERNARY,	/* a ? b : c */
	N_ASSIGN,	/* a op b with op "=" "+=" ...; a is an lvalue */
	N_INCDEC,	/* op "++"/"--" on a; ival 1: postfix */
	/* statements */
	N_EXPR,		/* a; */
	N_AGGSET,	/* @name[list] = c (c: N_CALL of an aggregating function) */
	N_IF,		/* if (a) b else c; b, c: N_BLOCK */
	N_BLOCK,	/* list of statements */
};

struct tr_node {
	int kind;
	int line, col;
	char op[4];
	char *name;
	int64_t ival;
	struct tr_node *a, *b, *c;
	struct tr_node **list;
	int nlist;
};

/* A declaration at the top level: "int x;", "self string s;". */
struct tr_decl {
	char *name;
	int scope;		/* enum tr_scope */
	int type;
	int line, col;
};

struct tr_ast_clause {
	struct tr_pdesc *desc;
	int ndesc;
	struct tr_node *pred;	/* NULL: none */
	struct tr_node *body;	/* N_BLOCK */
	int line, col;
};

struct tr_ast {
	struct tr_ast_clause *clauses;
	int nclauses;
	struct tr_decl *decls;
	int ndecls;
	/* decls and clauses in source order: decl_before[i] = decls declared
	 * before clause i */
	int *decl_before;
};

/* Parses the whole script into ast (errors unwind through cc->fail). */
void tr_parse(struct tr_cc *cc, struct tr_ast *ast);

#endif
