/*
 * edit_test.c: the line editor driven with byte strings, as a terminal
 * or serial console would send them.  Checks the resulting line, the
 * result of the last byte, and for some keys what was drawn.
 */
#include "edit.h"
#include "tap.h"

#include <string.h>

/* Feed keys to a fresh editor; returns the result of the last byte and
 * leaves the line in *line (static). */
static enum edit_result type(const char *keys, struct edit_history *h, const char **line,
			     struct editor *keep)
{
	static char text[512];
	struct editor ed;
	enum edit_result r = EDIT_MORE;
	const char *k;

	edit_start(&ed, "% ", 40, h);
	for (k = keys; *k && r == EDIT_MORE; k++)
		r = edit_feed(&ed, (unsigned char)*k);
	snprintf(text, sizeof text, "%s", ed.line.s);
	*line = text;
	if (keep)
		*keep = ed;
	else
		edit_finish(&ed);
	return r;
}

static void editing(void)
{
	static const struct {
		const char *keys, *want, *what;
	} cases[] = {
		{"echo hi\r", "echo hi", "plain text"},
		{"echo hx\x7fi\r", "echo hi", "backspace"},
		{"echo hx\bi\r", "echo hi", "^H"},
		{"ech\x1b[D\x1b[D\x1b[Cxo\r", "ecxoh", "left and right arrows"},
		{"world\x1b[Hhello \r", "hello world", "home"},
		{"world\x01hello \x1b[F!\r", "hello world!", "^A and End"},
		{"ab\x1b[1~X\x1b[4~Y\r", "XabY", "Home/End as ESC [1~ ESC [4~"},
		{"ab\x1bOHX\x1bOFY\r", "XabY", "Home/End as ESC O H / ESC O F"},
		{"abc\x1b[D\x1b[D\x1b[3~\r", "ac", "delete"},
		{"abc\x02\x02\x04\r", "ac", "^B and ^D delete"},
		{"abc\x02\x06X\r", "abcX", "^F"},
		{"hello world\x01\x06\x06\x0b\r", "he", "^K kills to the end"},
		{"hello world\x02\x02\x15\r", "ld", "^U kills to the start"},
		{"one two three\x17\r", "one two ", "^W deletes a word"},
		{"a\tb\r", "a\tb", "tab is text"},
		{"\x7f\x7f\x1b[D\r", "", "backspace and left at the start"},
		{"ab\x1b[C\x1b[C\r", "ab", "right at the end"},
		{"x\x1bq\r", "x", "unknown escape ignored"},
		{"x\x1b[99~y\r", "xy", "unknown CSI sequence ignored"},
		{"caf\xc3\xa9\x7f\r", "caf", "backspace erases a UTF-8 character"},
		{"\xc3\xa9t\xc3\xa9\x1b[D\x1b[Dx\r", "\xc3\xa9xt\xc3\xa9", "arrows move over UTF-8"},
		{"abc\n", "abc", "newline ends the line too"},
	};
	size_t i;
	const char *line;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		enum edit_result r = type(cases[i].keys, NULL, &line, NULL);
		is_int(r, EDIT_DONE, "%s: done", cases[i].what);
		is_str(line, cases[i].want, "%s", cases[i].what);
	}
}

static void endings(void)
{
	const char *line;

	is_int(type("\x04", NULL, &line, NULL), EDIT_EOF, "^D on an empty line is end of input");
	is_int(type("abc\x03", NULL, &line, NULL), EDIT_INTERRUPT, "^C drops the line");
	is_int(type("ab\x04", NULL, &line, NULL), EDIT_MORE, "^D on a non-empty line is not EOF");
}

static void history(void)
{
	struct edit_history h = {0};
	const char *line;

	history_add(&h, "first");
	history_add(&h, "second cmd");
	history_add(&h, "second cmd");
	history_add(&h, "");
	is_int(h.n, 2, "repeats and empty lines are not kept");
	type("\x1b[A\r", &h, &line, NULL);
	is_str(line, "second cmd", "up: the last line");
	type("\x1b[A\x1b[A\r", &h, &line, NULL);
	is_str(line, "first", "up up: the one before");
	type("\x1b[A\x1b[A\x1b[A\x1b[A\r", &h, &line, NULL);
	is_str(line, "first", "up past the oldest stays there");
	type("draft\x1b[A\x1b[B\r", &h, &line, NULL);
	is_str(line, "draft", "down returns to the line being typed");
	type("\x10\x10\x0e\r", &h, &line, NULL);
	is_str(line, "second cmd", "^P ^P ^N");
	type("\x1b[A!\r", &h, &line, NULL);
	is_str(line, "second cmd!", "a history line can be edited");
	type("\x12" "fir\r", &h, &line, NULL);
	is_str(line, "first", "^R finds a line by its text");
	type("\x12" "cmd\r", &h, &line, NULL);
	is_str(line, "second cmd", "^R finds the newest match");
	history_add(&h, "third cmd");
	type("\x12" "cmd\x12\r", &h, &line, NULL);
	is_str(line, "second cmd", "^R again goes to an older match");
	type("draft\x12zzz\x07\r", &h, &line, NULL);
	is_str(line, "draft", "^G cancels the search");
	type("\x12" "fir\x1b[FX\r", &h, &line, NULL);
	is_str(line, "firstX", "a key like End ends the search and edits the match");
	type("\x12" "third\x7f\x7f\x7f\x7f\x7f" "fi\r", &h, &line, NULL);
	is_str(line, "first", "backspace in the search text");
	for (int i = 0; i < EDIT_HISTORY + 10; i++) {
		char buf[32];
		snprintf(buf, sizeof buf, "cmd %d", i);
		history_add(&h, buf);
	}
	is_int(h.n, EDIT_HISTORY, "history is bounded");
	is_str(h.line[h.n - 1], "cmd 509", "the newest line is last");
}

static void drawing(void)
{
	struct editor ed;
	const char *line;

	type("ab\x1b[D", NULL, &line, &ed);
	ok(strstr(ed.out.s, "\r% ab\x1b[K\r\x1b[3C") != NULL, "redraw: prompt, text, erase, cursor column");
	edit_finish(&ed);
	type("0123456789012345678901234567890123456789012345", NULL, &line, &ed);
	ok(strstr(ed.out.s, "\r% ") && !strstr(ed.out.s, "% 0123456789012345678901234567890123456789"),
	   "a line wider than the terminal scrolls");
	edit_finish(&ed);
}

int main(void)
{
	plan_no_plan();
	editing();
	endings();
	history();
	drawing();
	return done_testing();
}
