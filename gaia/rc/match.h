/*
 * match.h: patterns.  A pattern is a string in which unquoted *, ? and
 * [ are preceded by GLOB (rc.h); everything else is literal.
 */
#ifndef RC_MATCH_H
#define RC_MATCH_H

#include "rc.h"

/* Does s match pattern p?  Used by ~, switch and file names. */
int match(const char *s, const char *p);
/* Does p contain an active *, ? or [ ? */
int match_has_meta(const char *p);
/* p without its GLOB escapes (malloc'd). */
char *match_unescape(const char *p);
/* Expand a word against file names: the sorted matches, or the word
 * itself (unescaped) if nothing matches.  Consumes w. */
struct word *match_files(struct word *w);
/* Run match_files over a list. */
struct word *match_list(struct word *list);

#endif
