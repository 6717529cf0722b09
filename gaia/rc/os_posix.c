/*
 * os_posix.c: the host back end of os.h, over POSIX.
 *
 * Children are started with fork+exec: the child first moves every
 * descriptor of its map above the highest target (so a map like
 * {1, 0} swaps correctly), then dup2s them into place and closes the
 * rest.  Interrupts are a SIGINT handler that sets a flag; rc polls it.
 */
#define _GNU_SOURCE
#include "os.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

extern char **environ;

static char self_path[4096] = "rc";
static volatile sig_atomic_t interrupted;
static int interrupts_ignored;	/* started in the background: so are our children */
static struct termios saved_term;
static int term_saved_fd = -1;

static void on_sigint(int sig)
{
	(void)sig;
	interrupted = 1;
}

void os_init(const char *argv0)
{
	ssize_t n = readlink("/proc/self/exe", self_path, sizeof self_path - 1);

	if (n > 0)
		self_path[n] = 0;
	else
		snprintf(self_path, sizeof self_path, "%s", argv0);
	signal(SIGPIPE, SIG_DFL);
	interrupts_ignored = signal(SIGINT, SIG_IGN) == SIG_IGN;
	if (!interrupts_ignored)
		signal(SIGINT, SIG_DFL);
}

const char *os_self(void)
{
	return self_path;
}

/* Plan 9 wording where it has one, strerror otherwise. */
const char *os_error(void)
{
	switch (errno) {
	case ENOENT: return "file does not exist";
	case EACCES: case EPERM: return "permission denied";
	case EISDIR: return "is a directory";
	case ENOTDIR: return "not a directory";
	case EBADF: return "bad file descriptor";
	case ECHILD: return "no children";
	default: return strerror(errno);
	}
}

int os_open(const char *path, enum os_open_mode mode)
{
	static const int flags[] = {
		[OS_READ] = O_RDONLY,
		[OS_WRITE] = O_WRONLY | O_CREAT | O_TRUNC,
		[OS_APPEND] = O_WRONLY | O_CREAT | O_APPEND,
		[OS_RDWR] = O_RDWR | O_CREAT,
	};
	int fd = open(path, flags[mode] | O_CLOEXEC, 0666);
	int priv;

	if (fd < 0)
		return -1;
	priv = os_private_fd(fd);
	close(fd);
	return priv;
}

int os_close(int fd)
{
	return close(fd);
}

int os_dup2(int from, int to)
{
	return dup2(from, to) < 0 ? -1 : 0;
}

int os_private_fd(int fd)
{
	return fcntl(fd, F_DUPFD_CLOEXEC, OS_USER_FDS);
}

int os_fd_open(int fd)
{
	return fcntl(fd, F_GETFD) >= 0;
}

int os_pipe(int fds[2])
{
	int p[2];

	if (pipe(p) < 0)
		return -1;
	fds[0] = os_private_fd(p[0]);
	fds[1] = os_private_fd(p[1]);
	close(p[0]);
	close(p[1]);
	if (fds[0] < 0 || fds[1] < 0) {
		if (fds[0] >= 0) close(fds[0]);
		if (fds[1] >= 0) close(fds[1]);
		return -1;
	}
	return 0;
}

long os_read(int fd, void *buf, size_t n)
{
	ssize_t r;

	do
		r = read(fd, buf, n);
	while (r < 0 && errno == EINTR && !interrupted);
	return r;
}

long os_write(int fd, const void *buf, size_t n)
{
	size_t done = 0;

	while (done < n) {
		ssize_t w = write(fd, (const char *)buf + done, n - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		done += (size_t)w;
	}
	return (long)done;
}

int os_rewind(int fd)
{
	return lseek(fd, 0, SEEK_SET) < 0 ? -1 : 0;
}

int os_tmpfile(void)
{
	char name[] = "/tmp/rc-here-XXXXXX";
	int fd = mkostemp(name, O_CLOEXEC);
	int priv;

	if (fd < 0)
		return -1;
	unlink(name);
	priv = os_private_fd(fd);
	close(fd);
	return priv;
}

/* In the child: install the map, close everything else, exec. */
static void child_start(const char *path, char *const argv[], char *const envp[],
			const int *fds, int nfds, int background)
{
	int moved[OS_USER_FDS];
	int i;

	background |= interrupts_ignored;
	signal(SIGINT, background ? SIG_IGN : SIG_DFL);
	signal(SIGQUIT, background ? SIG_IGN : SIG_DFL);
	for (i = 0; i < nfds; i++)
		moved[i] = fds[i] < 0 ? -1 : fcntl(fds[i], F_DUPFD_CLOEXEC, OS_USER_FDS + nfds);
	for (i = 0; i < OS_USER_FDS; i++)
		close(i);
	for (i = 0; i < nfds; i++)
		if (moved[i] >= 0)
			dup2(moved[i], i);	/* dup2 clears close-on-exec */
	execve(path, argv, envp);
	if (errno == ENOEXEC) {
		/* A script without #!: Plan 9 would refuse; run it with rc. */
		int n = 0;
		while (argv[n])
			n++;
		char **av = calloc((size_t)n + 2, sizeof *av);
		if (av) {
			av[0] = (char *)os_self();
			av[1] = (char *)path;
			for (i = 1; i <= n; i++)
				av[i + 1] = argv[i];
			execve(os_self(), av, envp);
		}
	}
	_exit(127);
}

int os_spawn(const char *path, char *const argv[], char *const envp[],
	     const int *fds, int nfds, int background)
{
	pid_t pid;

	if (nfds > OS_USER_FDS)
		nfds = OS_USER_FDS;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0)
		child_start(path, argv, envp, fds, nfds, background);
	return (int)pid;
}

static const char *signame(int sig)
{
	switch (sig) {
	case SIGHUP: return "sighup";
	case SIGINT: return "sigint";
	case SIGQUIT: return "sigquit";
	case SIGKILL: return "sigkill";
	case SIGSEGV: return "sigsegv";
	case SIGPIPE: return "sigpipe";
	case SIGTERM: return "sigterm";
	case SIGABRT: return "sigabrt";
	case SIGALRM: return "sigalrm";
	case SIGFPE: return "sigfpe";
	case SIGBUS: return "sigbus";
	default: return NULL;
	}
}

int os_wait(int pid, char *status, size_t n)
{
	int st;
	pid_t got;

	for (;;) {
		got = waitpid(pid < 0 ? -1 : pid, &st, 0);
		if (got >= 0)
			break;
		if (errno != EINTR)	/* ^C reaches the child too: keep waiting */
			return -1;
	}
	if (WIFEXITED(st)) {
		if (WEXITSTATUS(st) == 0)
			snprintf(status, n, "%s", "");
		else
			snprintf(status, n, "%d", WEXITSTATUS(st));
	} else if (WIFSIGNALED(st)) {
		const char *s = signame(WTERMSIG(st));
		if (s)
			snprintf(status, n, "%s", s);
		else
			snprintf(status, n, "sig%d", WTERMSIG(st));
	} else
		snprintf(status, n, "%s", "unknown");
	return (int)got;
}

int os_exec(const char *path, char *const argv[], char *const envp[])
{
	signal(SIGINT, SIG_DFL);
	execve(path, argv, envp);
	return -1;
}

int os_getpid(void)
{
	return (int)getpid();
}

void os_exit(int code)
{
	exit(code);
}

int os_executable(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

int os_exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

int os_chdir(const char *path)
{
	return chdir(path);
}

int os_readdir(const char *dir, void (*fn)(const char *name, void *arg), void *arg)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			fn(e->d_name, arg);
	closedir(d);
	return 0;
}

int os_interrupted(void)
{
	int was = interrupted;

	interrupted = 0;
	return was;
}

void os_catch_interrupts(int on)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on ? on_sigint : SIG_DFL;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);	/* no SA_RESTART: reads and waits return */
	signal(SIGQUIT, on ? SIG_IGN : SIG_DFL);
}

int os_isatty(int fd)
{
	return isatty(fd);
}

int os_term_raw(int fd, int on)
{
	struct termios t;

	if (!on) {
		if (term_saved_fd < 0)
			return 0;
		term_saved_fd = -1;
		return tcsetattr(fd, TCSADRAIN, &saved_term);
	}
	if (tcgetattr(fd, &saved_term) < 0)
		return -1;
	t = saved_term;
	t.c_lflag &= ~(unsigned)(ICANON | ECHO | ISIG | IEXTEN);
	t.c_iflag &= ~(unsigned)(IXON | ICRNL | INLCR);
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	term_saved_fd = fd;
	return tcsetattr(fd, TCSADRAIN, &t);
}

int os_term_width(int fd)
{
	struct winsize ws;

	if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	return 80;
}

char **os_environ(void)
{
	return environ;
}
