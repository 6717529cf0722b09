/*
 * var.h: variables (lists of strings) and functions.  A variable may be
 * shadowed for the length of a command (x=1 cmd) or a function call
 * ($*): var_push and var_pop keep a stack of values per name.
 */
#ifndef RC_VAR_H
#define RC_VAR_H

#include "rc.h"

/* The value of name (NULL: empty or unset); owned by the table. */
struct word *var_get(const char *name);
/* Set name to list (consumed). */
void var_set(const char *name, struct word *list);
void var_set1(const char *name, const char *value);
void var_push(const char *name, struct word *list);
void var_pop(const char *name);

struct fn {
	char *name;
	struct node *body;	/* a N_SEQ chain; in its own arena; NULL: deleted */
	struct arena *ar;
	int running;		/* calls in progress */
	struct arena_list *retired;	/* old bodies still running */
};
/* The function called name, or NULL.  A struct fn stays valid for the
 * life of rc, so a running call survives its own redefinition. */
struct fn *fn_get(const char *name);
/* Define name with a copy of body (NULL deletes the function). */
void fn_define(const char *name, const struct node *body);
/* Bracket a call of f, so a body replaced meanwhile is freed after. */
void fn_enter(struct fn *f);
void fn_leave(struct fn *f);

/* Read variables and fn#name definitions from the environment. */
void var_import(char **env);
/* A NULL-terminated environment for a child, freed with var_env_free. */
char **var_env(void);
void var_env_free(char **env);
/* $status. */
void status_set(const char *s);
void status_set_list(struct word *list);	/* consumed */
int status_true(void);

#endif
