/*
 * parse_test.c: rc's lexer, parser, tree printer and pattern matcher on
 * good and bad input.  Every syntax error must name file:line:col and
 * say what was wrong; printed trees must read back to themselves.
 */
#include "match.h"
#include "parse.h"
#include "rc.h"
#include "tap.h"

#include <stdlib.h>
#include <string.h>

/* The error text for src ("" if it parses). */
static const char *error_of(const char *src)
{
	static char err[512];
	struct arena *ar = arena_new();
	struct node *t = parse_string(ar, "t.rc", src, err, sizeof err);

	if (t)
		err[0] = 0;
	arena_free(ar);
	return err;
}

/* src printed back as rc text. */
static char *text_of(const char *src)
{
	char err[512];
	struct arena *ar = arena_new();
	struct node *t = parse_string(ar, "t.rc", src, err, sizeof err);
	char *s = t ? tree_text(t) : estrdup(err);

	arena_free(ar);
	return s;
}

static void syntax_errors(void)
{
	static const struct {
		const char *src, *want;
	} cases[] = {
		{"echo )", "t.rc:1:6: syntax error: unexpected ')'"},
		{"echo a\nif(true) {\n  echo }\n}\n}", "t.rc:4:1: syntax error: unexpected '}'"},
		{"for(i in a b) {\n echo $i\n", "t.rc:3:1: syntax error: unexpected end of input"},
		{"echo 'abc", "t.rc:1:6: syntax error: unterminated quote"},
		{"echo >[x] f", "t.rc:1:7: syntax error: bad file descriptor in [...]"},
		{"echo >[1 f", "t.rc:1:7: syntax error: missing ] in file descriptor"},
		{"echo >>[2=1] f", "t.rc:1:6: syntax error: bad redirection"},
		{"a |[3=] b", "t.rc:1:3: syntax error: bad pipe [n=]"},
		{"echo a=b", "t.rc:1:7: syntax error: unexpected '='"},
		{"echo $-", "t.rc:1:7: syntax error: bad variable name after $"},
		{"echo a(b)", "t.rc:1:7: syntax error: unexpected '(' (subscript)"},
		{"&& b", "t.rc:1:1: syntax error: unexpected '&&'"},
		{"a &&", "t.rc:1:5: syntax error: unexpected end of input"},
		{"a | | b", "t.rc:1:5: syntax error: unexpected '|'"},
		{"cat <<", "t.rc:1:7: syntax error: here document marker must be a plain word"},
		{"cat << $x", "t.rc:1:8: syntax error: here document marker must be a plain word"},
		{"fn {echo}", "t.rc:1:4: syntax error: unexpected '{'"},
		{"x= ", "t.rc:1:4: syntax error: unexpected end of input"},
		{"in", "t.rc:1:1: syntax error: unexpected 'in'"},
		{"echo `x", "t.rc:1:7: syntax error: unexpected 'x'"},
		{"switch(a) echo", "t.rc:1:11: syntax error: unexpected 'echo'"},
		{"echo \001\002 \x7f ok", ""},
		{"{echo}x", "t.rc:1:7: syntax error: unexpected 'x'"},
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
		is_str(error_of(cases[i].src), cases[i].want, "error for %s", cases[i].src);
}

static void nesting_limit(void)
{
	struct buf b = {0};
	int i;

	for (i = 0; i < 100000; i++)
		buf_adds(&b, "{");
	ok(strstr(error_of(b.s), "nested too deeply") != NULL, "100000 braces: an error, no crash");
	b.len = 0;
	for (i = 0; i < 100000; i++)
		buf_adds(&b, "a^");
	buf_adds(&b, "a");
	ok(strstr(error_of(b.s), "nested too deeply") != NULL, "a 100000-long ^ chain: an error");
	b.len = 0;
	for (i = 0; i < 100000; i++)
		buf_adds(&b, "a|");
	buf_adds(&b, "a");
	ok(strstr(error_of(b.s), "nested too deeply") != NULL, "a 100000-long pipeline: an error");
	b.len = 0;
	for (i = 0; i < 100; i++)
		buf_adds(&b, "{");
	for (i = 0; i < 100; i++)
		buf_adds(&b, "}");
	is_str(error_of(b.s), "", "100 nested braces are fine");
	free(b.s);
}

static void round_trips(void)
{
	static const struct {
		const char *src, *want;
	} cases[] = {
		{"echo  a   b", "echo a b"},
		{"a;b", "a;b"},
		{"if(~ $1 a) { echo x; echo y }", "if(~ $1 a){echo x;echo y}"},
		{"if not echo z", "if not echo z"},
		{"for(i in a b) echo $i | cat", "for(i in a b)echo $i|cat"},
		{"for(i) echo $i", "for(i)echo $i"},
		{"while(false) ls", "while (false)ls"},
		{"switch($1){case a; echo A}", "switch ($1) {case a;echo A}"},
		{"x=1 y=(a b) echo $x^$y", "x=1 y=(a b) echo $x^$y"},
		{"! true && false || true", "! true && false || true"},
		{"@{cd /}", "@ {cd /}"},
		{"echo `{ls} $#x $\"y $x(1 2) $$x", "echo `{ls} $#x $\"y $x(1 2) $$x"},
		{"a & b", "a&;b"},
		{"a |[2] b; c |[3=4] d", "a|[2]b;c|[3=4]d"},
		{"echo 'it''s' '' '*' for", "echo 'it''s' '' '*' for"},
		{"'for' x", "'for' x"},
		{"cc -$flags $stem.c", "cc -^$flags $stem^.c"},
		{"echo >[2=1] >[3=] >>f <g", "echo >[2=1] >[3=] >>f <g"},
		{"cat <<EOF\nbody $x\nEOF\n", "cat <<EOF\nbody $x\nEOF\n"},
		{"cat <<'EOF'\nbody $x\nEOF\n", "cat <<'EOF'\nbody $x\nEOF\n"},
		{"fn f {echo hi}", "fn f {echo hi}"},
		{"fn f", "fn f"},
		{"~ x y* '[a]'", "~ x y* '[a]'"},
		{"echo $'a b'", "echo $'a b'"},
		{"a | [x", "a| [x"},
		{">f echo hi", "echo hi >f"},
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *t = text_of(cases[i].src), *again = text_of(t);
		is_str(t, cases[i].want, "text of %s", cases[i].src);
		is_str(again, t, "text of %s reads back", cases[i].src);
		free(t);
		free(again);
	}
}

static void patterns(void)
{
	static const struct {
		const char *s, *p;
		int want;
	} cases[] = {
		{"abc", "abc", 1}, {"abc", "ab", 0}, {"", "", 1},
		{"abc", "\001*", 1}, {"", "\001*", 1}, {"abc", "a\001*", 1},
		{"abc", "\001*c", 1}, {"abc", "\001*b", 0}, {"aaab", "\001*ab", 1},
		{"ab", "a\001?", 1}, {"a", "a\001?", 0},
		{"b", "\001[abc]", 1}, {"d", "\001[abc]", 0}, {"m", "\001[a-z]", 1},
		{"m", "\001[~a-z]", 0}, {"M", "\001[~a-z]", 1}, {"]", "\001[]]", 1},
		{"[", "\001[", 0}, {"x", "\001[x", 0},
		{"*", "*", 1}, {"a", "*", 0}, {"a/b", "a\001*b", 1},
		{"\001", "\001\001", 1}, {"-", "\001[a-]", 1},
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
		is_int(match(cases[i].s, cases[i].p), cases[i].want, "match(%s, pattern %zu)",
		       cases[i].s, i);
	ok(match_has_meta("a\001*") && !match_has_meta("a*") && !match_has_meta("\001\001*"),
	   "only escaped metacharacters are active");
	char *u = match_unescape("\001*\001\001x");
	is_str(u, "*\001x", "unescape drops one GLOB per escape");
	free(u);
}

int main(void)
{
	plan_no_plan();
	syntax_errors();
	nesting_limit();
	round_trips();
	patterns();
	return done_testing();
}
