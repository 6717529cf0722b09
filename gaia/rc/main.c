/*
 * main.c: rc [-eilIxvsrdp] [-c command] [file [arg ...]]
 *
 * Sets up the variables Plan 9's rcmain does ($home, $ifs, $prompt,
 * $path, $pid), reads $home/lib/profile for -l, then runs the command,
 * the file or standard input (interactive on a terminal).
 */
#include "exec.h"
#include "os.h"
#include "var.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void defaults(void)
{
	char pid[24];

	if (!var_get("home"))
		var_set1("home", var_get("HOME") ? var_get("HOME")->s : "/");
	if (!var_get("ifs"))
		var_set1("ifs", " \t\n");
	if (!var_get("path"))
		var_set("path", word_new(".", 0, word_new("/bin", 0, NULL)));
	switch (list_len(var_get("prompt"))) {
	case 0:
		var_set("prompt", word_new("% ", 0, word_new("\t", 0, NULL)));
		break;
	case 1:
		var_set("prompt", word_new(var_get("prompt")->s, 0, word_new("\t", 0, NULL)));
		break;
	}
	snprintf(pid, sizeof pid, "%d", os_getpid());
	var_set1("pid", pid);
	status_set("");
}

static void profile(void)
{
	struct word *home = var_get("home");
	struct buf b = {0};

	buf_adds(&b, home ? home->s : "/");
	buf_adds(&b, "/lib/profile");
	if (os_exists(b.s)) {
		exec_dot(b.s, NULL, 0);
		rc.unwind = 0;
	}
	free(b.s);
}

static struct word *list_of(char **argv)
{
	struct word *head = NULL, **tail = &head;

	for (; *argv; argv++) {
		*tail = word_new(*argv, 0, NULL);
		tail = &(*tail)->next;
	}
	return head;
}

static void usage(void)
{
	rc_printf(2, "usage: rc [-eilIxvsrdp] [-c command] [file [arg ...]]\n");
	os_exit(1);
}

/* Flags into rc.flag; returns the index of the first argument after
 * them, and the -c command in *cmd. */
static int parse_flags(char **argv, const char **cmd)
{
	int i = 1;

	for (; argv[i] && argv[i][0] == '-' && argv[i][1]; i++) {
		const char *f;
		if (!strcmp(argv[i], "--")) {
			i++;
			break;
		}
		for (f = argv[i] + 1; *f; f++) {
			if (!strchr("ceilIxvsrdpV", *f))
				usage();
			rc.flag[(unsigned char)*f] = 1;
			if (*f == 'c') {
				if (!argv[i + 1])
					usage();
				*cmd = argv[++i];
				break;
			}
		}
	}
	return i;
}

int main(int argc, char **argv)
{
	const char *cmd = NULL;
	int i;

	(void)argc;
	os_init(argv[0]);
	rc.argv0 = argv[0];
	i = parse_flags(argv, &cmd);
	var_import(os_environ());
	defaults();
	if (argv[0][0] == '-')
		rc.flag['l'] = 1;
	rc.interactive = rc.flag['i'] ||
			 (!cmd && !argv[i] && !rc.flag['I'] && os_isatty(0) && os_isatty(2));
	if (rc.interactive) {
		rc.flag['i'] = 1;
		os_catch_interrupts(1);
	}
	if (rc.flag['l'])
		profile();
	if (cmd) {
		var_set1("0", argv[0]);
		var_set("*", list_of(argv + i));
		exec_string("-c", cmd);
	} else if (argv[i]) {
		int fd = os_open(argv[i], OS_READ);
		struct input in;
		if (fd < 0) {
			rc_error("%s: %s\n", argv[i], os_error());
			os_exit(1);
		}
		var_set1("0", argv[i]);
		var_set("*", list_of(argv + i + 1));
		input_fd(&in, argv[i], fd, rc.interactive);
		in.verbose = rc.flag['v'];
		exec_input(&in, 1);
	} else {
		struct input in;
		var_set1("0", argv[0]);
		var_set("*", NULL);
		input_fd(&in, "stdin", 0, rc.interactive && os_isatty(0));
		in.verbose = rc.flag['v'];
		exec_input(&in, 1);
	}
	exec_exit();
}
