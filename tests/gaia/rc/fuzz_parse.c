/*
 * fuzz_parse.c: libFuzzer target for rc's lexer, parser, tree printer
 * and pattern matcher.  Any input must either parse or give a syntax
 * error; a tree must print as text that parses back to the same text
 * (what whatis shows and subshells re-read); and match() must return
 * for any subject and pattern.
 */
#include "match.h"
#include "parse.h"
#include "rc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void round_trip(const char *src)
{
	struct arena *ar = arena_new(), *ar2 = arena_new();
	char err[512];
	struct node *t = parse_string(ar, "fuzz", src, err, sizeof err);
	char *text, *again;
	struct node *t2;

	if (!t) {
		if (err[0] && strncmp(err, "fuzz:", 5))
			abort();	/* every error names its place */
		arena_free(ar);
		arena_free(ar2);
		return;
	}
	text = tree_text(t);
	t2 = parse_string(ar2, "again", text, err, sizeof err);
	if (!t2) {
		fprintf(stderr, "printed tree does not parse: %s\n--\n%s\n--\n", err, text);
		abort();
	}
	again = tree_text(t2);
	if (strcmp(text, again)) {
		fprintf(stderr, "tree text changed:\n%s\n--\n%s\n", text, again);
		abort();
	}
	free(text);
	free(again);
	arena_free(ar);
	arena_free(ar2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	char *sep;

	memcpy(s, data, size);
	s[size] = 0;
	round_trip(s);
	/* subject NUL pattern, with GLOB escapes as the lexer makes them */
	sep = memchr(s, '\n', size);
	if (sep) {
		*sep = 0;
		(void)match(s, sep + 1);
		(void)match_has_meta(sep + 1);
		free(match_unescape(sep + 1));
	}
	free(s);
	return 0;
}
