/*
 * input.h: where rc's bytes come from.  An input is a file descriptor,
 * a string, or the terminal through the line editor; the lexer reads it
 * a byte at a time and knows nothing of which.
 */
#ifndef RC_INPUT_H
#define RC_INPUT_H

#include <stddef.h>

struct input {
	const char *name;	/* for messages: a path, "stdin", "-c", "eval" */
	int fd;			/* -1 for strings */
	const char *str;	/* string input */
	size_t pos, len;
	char buf[4096];		/* fd input */
	int interactive;	/* read lines with the editor and prompts */
	int fresh;		/* next line read is a new command: prompt 1 */
	int eof;
	int interrupted;	/* the editor saw Ctrl-C: drop the command */
	int verbose;		/* -v: echo what is read on fd 2 */
};

void input_fd(struct input *in, const char *name, int fd, int interactive);
void input_string(struct input *in, const char *name, const char *s, size_t len);
/* The next byte, or -1 at the end. */
int input_getc(struct input *in);

#endif
