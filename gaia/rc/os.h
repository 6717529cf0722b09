/*
 * os.h: everything rc asks of the operating system, and nothing more.
 *
 * rc's core (lexer, parser, evaluator, builtins, patterns, line editor)
 * is portable C over this interface; os_posix.c implements it for the
 * host, and the Ares back end will implement it over the file layer and
 * the process service.  Conventions:
 *   - calls return 0 (or a count or descriptor >= 0) on success and -1 on
 *     failure; os_error() then gives a short text ("file does not exist").
 *   - descriptors 0..OS_USER_FDS-1 belong to the user's program
 *     (redirections may name them); rc's own descriptors (saved copies,
 *     script input, pipe ends in flight) come from os_private_fd() and
 *     are >= OS_USER_FDS, and no spawned program ever inherits them.
 *   - there is no fork: a child is a program started by os_spawn with an
 *     explicit descriptor map.  rc runs its own subshells by spawning
 *     itself (os_self()) with the command as text.
 */
#ifndef RC_OS_H
#define RC_OS_H

#include <stddef.h>

#define OS_USER_FDS 100

/* Open modes for os_open. */
enum os_open_mode { OS_READ, OS_WRITE /* create, truncate */, OS_APPEND, OS_RDWR };

/* Program start-up: remember argv[0] and install interrupt handling. */
void os_init(const char *argv0);
/* The path rc re-runs itself by, for subshells. */
const char *os_self(void);
/* Text of the last failure, e.g. "file does not exist". */
const char *os_error(void);

int os_open(const char *path, enum os_open_mode mode);
int os_close(int fd);
/* Make fd `to` refer to what `from` refers to (to is closed first). */
int os_dup2(int from, int to);
/* A private copy of fd (>= OS_USER_FDS, never inherited). */
int os_private_fd(int fd);
/* 1 if fd is open. */
int os_fd_open(int fd);
/* A pipe; both ends private. fds[0] reads, fds[1] writes. */
int os_pipe(int fds[2]);
long os_read(int fd, void *buf, size_t n);
long os_write(int fd, const void *buf, size_t n);
/* Seek to the start; used to re-read a here document's temporary file. */
int os_rewind(int fd);
/* An anonymous read-write file (here documents); private. */
int os_tmpfile(void);

/* Start path with argv and envp (NULL-terminated); the child's descriptor
 * i is the caller's fds[i] (-1: closed), i < nfds; nothing else is
 * inherited.  background: the child ignores interrupts.  Returns the
 * child's pid or -1. */
int os_spawn(const char *path, char *const argv[], char *const envp[],
	     const int *fds, int nfds, int background);
/* Wait for child pid (or any child if pid < 0).  Writes a Plan 9 style
 * status string to status ("" for success, "3", "sigint"), and returns
 * the pid waited for, or -1 if there is no such child.  An interrupt
 * does not end the wait: it reaches the child too. */
int os_wait(int pid, char *status, size_t n);
/* Replace this process with path (exec); returns only on failure. */
int os_exec(const char *path, char *const argv[], char *const envp[]);
int os_getpid(void);
void os_exit(int code) __attribute__((noreturn));

/* 1 if path names an executable regular file. */
int os_executable(const char *path);
/* 1 if path exists. */
int os_exists(const char *path);
int os_chdir(const char *path);

/* Directory listing for patterns: calls fn(name, arg) for each entry
 * except . and ..; returns -1 if dir cannot be read. */
int os_readdir(const char *dir, void (*fn)(const char *name, void *arg), void *arg);

/* Interrupts: os_interrupted() returns and clears the flag set when the
 * user interrupts (Ctrl-C); os_catch_interrupts(1) makes an interrupt set
 * the flag instead of ending rc. */
int os_interrupted(void);
void os_catch_interrupts(int on);

/* Terminals, for the line editor. */
int os_isatty(int fd);
/* Raw mode on (1) or back to how it was (0). */
int os_term_raw(int fd, int on);
/* Width in columns, or 80. */
int os_term_width(int fd);

/* The environment rc started with, NULL-terminated "name=value". */
char **os_environ(void);

#endif
