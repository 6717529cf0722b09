/*
 * repl.c: the interactive loop, with libedit for line editing and history
 * (kept in ~/.acid_history). A statement may span lines: input is gathered
 * until its brackets close. ^C while the program runs stops it (the target
 * turns the interrupted wait into a stop); at the prompt it drops the line.
 */
#include <histedit.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "session.h"

static int acid_more;   /* 1 while a statement continues on the next line */

static char *prompt(EditLine *el)
{
	(void)el;
	return acid_more ? "\t" : "acid: ";
}

static void on_sigint(int sig)
{
	(void)sig;
}

static void history_path(char *buf, size_t n)
{
	const char *home = getenv("HOME");

	snprintf(buf, n, "%s/.acid_history", home ? home : ".");
}

/* Interactive loop; returns at end of input. */
void acid_repl(struct acid_session *s)
{
	EditLine *el = el_init("acid", stdin, stdout, stderr);
	History *hist = history_init();
	HistEvent ev;
	struct sigaction sa = { .sa_handler = on_sigint };
	char *text = NULL, hpath[4096];
	size_t len = 0;
	int lineno = 1, startline = 1, count;

	sigaction(SIGINT, &sa, NULL);
	history(hist, &ev, H_SETSIZE, 1000);
	history_path(hpath, sizeof hpath);
	history(hist, &ev, H_LOAD, hpath);
	el_set(el, EL_HIST, history, hist);
	el_set(el, EL_PROMPT, prompt);
	el_set(el, EL_EDITOR, "emacs");
	el_set(el, EL_SIGNAL, 1);
	if (s->prog)
		printf("%s: %s\n", s->prog, s->tgt ? target_kind(s->tgt) : "no process");
	for (;;) {
		const char *line = el_gets(el, &count);

		if (!line)
			break;
		if (!acid_more)
			startline = lineno;
		text = realloc(text, len + count + 1);
		memcpy(text + len, line, count);
		len += count;
		text[len] = '\0';
		lineno++;
		if (acid_text_incomplete(text)) {
			acid_more = 1;
			continue;
		}
		acid_more = 0;
		if (strspn(text, " \t\n") != len)
			history(hist, &ev, H_ENTER, text);
		acid_run_string(s->a, text, "<stdin>", startline);
		len = 0;
	}
	putchar('\n');
	history(hist, &ev, H_SAVE, hpath);
	free(text);
	history_end(hist);
	el_end(el);
}
