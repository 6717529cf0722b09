/*
 * input.c: byte sources for the lexer.  Terminal input goes through
 * the line editor a line at a time, with $prompt.
 */
#include "input.h"
#include "edit.h"
#include "os.h"
#include "rc.h"
#include "var.h"

#include <string.h>

void input_fd(struct input *in, const char *name, int fd, int interactive)
{
	memset(in, 0, sizeof *in);
	in->name = name;
	in->fd = fd;
	in->interactive = interactive;
	in->fresh = 1;
}

void input_string(struct input *in, const char *name, const char *s, size_t len)
{
	memset(in, 0, sizeof *in);
	in->name = name;
	in->fd = -1;
	in->str = s;
	in->len = len;
}

/* The prompt for the next line: $prompt(1) for a new command, (2) after. */
static const char *prompt(struct input *in)
{
	struct word *p = var_get("prompt");
	int second = !in->fresh;

	in->fresh = 0;
	if (second && p)
		p = p->next;
	return p ? p->s : "";
}

static int refill(struct input *in)
{
	long n;

	if (in->interactive) {
		const char *line = edit_line(in->fd, 2, prompt(in), &n);
		if (!line) {
			in->interrupted = n == EDIT_INTERRUPT;
			return 0;
		}
		in->str = line;
	} else {
		n = os_read(in->fd, in->buf, sizeof in->buf);
		if (n < 0 && !in->interrupted) {
			rc_error("%s: %s\n", in->name, os_error());
			status_set(os_error());
		}
		if (n <= 0)
			return 0;
		in->str = in->buf;
	}
	in->pos = 0;
	in->len = (size_t)n;
	if (in->verbose)
		os_write(2, in->buf, (size_t)n);
	return 1;
}

int input_getc(struct input *in)
{
	if (in->pos >= in->len) {
		if (in->eof || in->fd < 0 || !refill(in)) {
			in->eof = !in->interrupted;
			return -1;
		}
	}
	return (unsigned char)in->str[in->pos++];
}
