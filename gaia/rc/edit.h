/*
 * edit.h: rc's line editor.  It works on raw bytes from a descriptor and
 * draws with ANSI escape sequences, so it runs on any terminal or serial
 * console: left/right, home/end, backspace/delete, ^K ^U ^W, up/down
 * through history, ^R reverse search, ^C to drop the line, ^D at an
 * empty line for end of input.
 *
 * The editor proper is a state machine (struct editor, edit_feed) so
 * tests can drive it with byte strings; edit_line runs it on a terminal.
 */
#ifndef RC_EDIT_H
#define RC_EDIT_H

#include "rc.h"

enum { EDIT_HISTORY = 500 };
enum edit_result { EDIT_MORE, EDIT_DONE, EDIT_EOF, EDIT_INTERRUPT };

struct edit_history {
	char *line[EDIT_HISTORY];
	int n;
};

struct editor {
	struct buf line;	/* the text being edited (no newline) */
	size_t cursor;		/* byte offset in line */
	const char *prompt;
	int width;		/* terminal columns */
	struct edit_history *hist;
	int hpos;		/* history entry shown; hist->n = the new line */
	char *saved;		/* the new line while browsing history */
	int esc;		/* escape-sequence state */
	char escbuf[8];
	int nesc;
	int searching;		/* in ^R */
	struct buf search;
	int search_from;
	struct buf out;		/* bytes to send to the terminal */
};

void edit_start(struct editor *ed, const char *prompt, int width, struct edit_history *hist);
/* Feed one input byte; output accumulates in ed->out. */
enum edit_result edit_feed(struct editor *ed, unsigned char c);
void edit_finish(struct editor *ed);
void history_add(struct edit_history *h, const char *line);

/* Read a line from terminal fd `in`, echoing on `out`, with prompt.
 * Returns the line with its newline (valid until the next call) and its
 * length in *len; NULL at end of input (*len = EDIT_EOF) or after ^C
 * (*len = EDIT_INTERRUPT). */
const char *edit_line(int in, int out, const char *prompt, long *len);

#endif
