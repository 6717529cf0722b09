/*
 * interactive_test.c: rc on a pseudo-terminal, as a user at a console
 * sees it: the prompt, line editing and history reaching the command,
 * ^C interrupting the foreground job and returning to the prompt, ^C
 * dropping a half-typed line, and ^D ending rc.
 * Usage: interactive_test.t [path-to-rc] (default build/gaia/rc/rc).
 */
#define _GNU_SOURCE
#include "tap.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int master = -1;
static pid_t child;
static char seen[65536];
static size_t nseen;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Read from the terminal until `want` appears after position `from`, or
 * `secs` pass; returns 1 if it appeared. */
static int expect(const char *want, size_t from, double secs)
{
	double end = now() + secs;

	for (;;) {
		struct pollfd p = { .fd = master, .events = POLLIN };
		seen[nseen] = 0;
		if (strstr(seen + from, want))
			return 1;
		if (now() > end || poll(&p, 1, 100) < 0)
			return 0;
		if (p.revents & (POLLIN | POLLHUP)) {
			ssize_t n = read(master, seen + nseen, sizeof seen - 1 - nseen);
			if (n <= 0)
				return strstr(seen + from, want) != NULL;
			nseen += (size_t)n;
		}
	}
}

static void send(const char *keys)
{
	if (write(master, keys, strlen(keys)) < 0)
		bail_out("write to the terminal failed");
}

static void start(const char *rc)
{
	char *slave;

	master = posix_openpt(O_RDWR | O_NOCTTY);
	if (master < 0 || grantpt(master) < 0 || unlockpt(master) < 0 || !(slave = ptsname(master)))
		bail_out("no pseudo-terminal");
	child = fork();
	if (child == 0) {
		int fd;
		setsid();
		fd = open(slave, O_RDWR);
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
		char *env[] = { "PATH=/usr/bin:/bin", "HOME=/", "TERM=vt100", NULL };
		execle(rc, rc, (char *)NULL, env);
		_exit(127);
	}
}

int main(int argc, char **argv)
{
	const char *rc = argc > 1 ? argv[1] : "build/gaia/rc/rc";
	size_t mark;
	double t0;
	int st;

	plan_no_plan();
	start(rc);
	ok(expect("% ", 0, 5), "rc prompts with $prompt(1)");

	mark = nseen;
	send("echo abc\x1b[D\x1b[DX\r");
	ok(expect("aXbc\r\n", mark, 5), "left arrow and insert reach the command");
	expect("\n% ", mark + 4, 5);

	mark = nseen;
	send("\x1b[A\r");
	ok(expect("aXbc\r\n", mark, 5), "up arrow recalls the last command");
	expect("\n% ", mark + 4, 5);

	mark = nseen;
	send("echo one; echo ctrl-r\r");
	expect("ctrl-r\r\n", mark, 5);
	mark = nseen;
	expect("\n% ", mark, 5);	/* typed-ahead keys would meet the cooked terminal */
	send("\x12" "aXb\r");
	if (!ok(expect("aXbc\r\n", mark, 5), "^R finds an older command"))
		diag("saw: %s", seen + mark);
	expect("\n% ", mark + 4, 5);

	mark = nseen;
	send("for(i in a b) {\r");
	ok(expect("\t", mark, 5), "a continued command gets $prompt(2)");
	send("echo item $i\r}\r");
	ok(expect("item b\r\n", mark, 5), "the continued command runs");
	expect("\n% ", nseen - 2 > mark ? nseen - 2 : mark, 5);

	mark = nseen;
	send("sleep 30; echo not interrupted\r");
	usleep(300000);
	t0 = now();
	send("\x03");
	ok(expect("\n% ", mark + 20, 5), "^C stops the foreground job and returns to the prompt");
	ok(now() - t0 < 4, "within seconds, not after the job's 30");
	ok(!strstr(seen + mark, "\nnot interrupted"), "the rest of the interrupted line does not run");

	mark = nseen;
	send("echo $status\r");
	ok(expect("sigint\r\n", mark, 5), "$status says the job was interrupted");
	expect("\n% ", mark + 8, 5);

	mark = nseen;
	send("echo half-typed\x03");
	ok(expect("\n% ", mark + 5, 5), "^C drops a half-typed line");
	send("echo fresh\r");
	ok(expect("fresh\r\n", mark, 5) && !strstr(seen + mark, "half-typed\r\n"),
	   "and the next line starts clean");
	expect("\n% ", nseen - 2, 5);

	mark = nseen;
	send("nosuchcmd\r");
	ok(expect("nosuchcmd: file does not exist", mark, 5), "a missing command is reported");
	ok(expect("\n% ", mark + 10, 5), "and rc prompts again");

	mark = nseen;
	send("echo )\r");
	ok(expect("syntax error", mark, 5) && expect("\n% ", mark + 10, 5),
	   "a syntax error does not end an interactive rc");
	usleep(100000);

	send("\x04");
	t0 = now();
	while (waitpid(child, &st, WNOHANG) == 0 && now() - t0 < 5)
		usleep(50000);
	ok(WIFEXITED(st), "^D at an empty line ends rc");
	if (!WIFEXITED(st))
		kill(child, SIGKILL);
	return done_testing();
}
