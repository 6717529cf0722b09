/*
 * redir.c: redirections, applied to rc's own descriptors left to right.
 * Each changed descriptor is first saved (as a private copy) so the
 * command's end can put everything back; a spawned program inherits
 * the descriptors as they stand.  Here documents become a temporary
 * file, with $name substituted unless the marker was quoted.
 */
#include "exec.h"
#include "lex.h"
#include "os.h"
#include "var.h"

#include <stdlib.h>
#include <string.h>

int redir_fd(int fd, int newfd, struct redir_save *sv)
{
	int copy = os_fd_open(fd) ? os_private_fd(fd) : -1;

	if (sv->n == sv->cap) {
		sv->cap = sv->cap ? sv->cap * 2 : 8;
		sv->s = erealloc(sv->s, (size_t)sv->cap * sizeof *sv->s);
	}
	sv->s[sv->n].fd = fd;
	sv->s[sv->n].copy = copy;
	sv->n++;
	if (newfd < 0) {
		os_close(fd);
		return 0;
	}
	return os_dup2(newfd, fd);
}

void redir_restore(struct redir_save *sv)
{
	while (sv->n > 0) {
		sv->n--;
		if (sv->s[sv->n].copy >= 0) {
			os_dup2(sv->s[sv->n].copy, sv->s[sv->n].fd);
			os_close(sv->s[sv->n].copy);
		} else
			os_close(sv->s[sv->n].fd);
	}
	free(sv->s);
	sv->s = NULL;
	sv->cap = 0;
}

/* $name in a here document, and $name^ with the caret dropped.  A $
 * with no name after it stands for nothing. */
static char *here_substitute(const char *s)
{
	struct buf out = {0};

	buf_adds(&out, "");
	while (*s) {
		if (*s == '$' && lex_idchr((unsigned char)s[1])) {
			const char *e = s + 1;
			struct buf name = {0};
			char *flat;
			while (lex_idchr((unsigned char)*e))
				e++;
			buf_add(&name, s + 1, (size_t)(e - s - 1));
			flat = list_flat(var_get(name.s), " ");
			buf_adds(&out, flat);
			free(flat);
			free(name.s);
			s = *e == '^' ? e + 1 : e;
		} else if (*s == '$')
			s++;	/* $ and no name: an empty name, as in Plan 9 */
		else
			buf_addc(&out, *s++);
	}
	return buf_take(&out);
}

static int here_doc(const struct node *r)
{
	int fd = os_tmpfile();
	char *text;
	size_t n;

	if (fd < 0) {
		exec_error("can't make temporary file for here document: %s", os_error());
		return -1;
	}
	text = r->quoted ? estrdup(r->str ? r->str : "") : here_substitute(r->str ? r->str : "");
	n = strlen(text);
	if ((n && os_write(fd, text, n) < 0) || os_rewind(fd) < 0) {
		exec_error("can't write here document: %s", os_error());
		free(text);
		os_close(fd);
		return -1;
	}
	free(text);
	return fd;
}

/* The target of a file redirection: exactly one word. */
static int target(const struct node *r, char **path)
{
	struct word *w;

	if (eval_word(r->a, EV_GLOB, &w) < 0)
		return -1;
	if (list_len(w) != 1) {
		exec_error("redirection needs one file name, not %d", list_len(w));
		list_free(w);
		return -1;
	}
	*path = estrdup(w->s);
	list_free(w);
	return 0;
}

static int apply_one(const struct node *r, struct redir_save *sv)
{
	static const enum os_open_mode modes[] = {
		[R_READ] = OS_READ, [R_WRITE] = OS_WRITE, [R_APPEND] = OS_APPEND, [R_RDWR] = OS_RDWR,
	};
	char *path;
	int fd, rv;

	if (r->fd0 >= OS_USER_FDS || r->fd1 >= OS_USER_FDS) {
		exec_error("file descriptor %d out of range",
			   r->fd0 >= OS_USER_FDS ? r->fd0 : r->fd1);
		return -1;
	}
	switch (r->rtype) {
	case R_CLOSE:
		return redir_fd(r->fd0, -1, sv);
	case R_DUP:
		if (!os_fd_open(r->fd1)) {
			exec_error("redirection [%d=%d]: %d is not open", r->fd0, r->fd1, r->fd1);
			return -1;
		}
		if (r->fd0 == r->fd1)
			return 0;
		return redir_fd(r->fd0, r->fd1, sv);
	case R_HERE:
		fd = here_doc(r);
		if (fd < 0)
			return -1;
		break;
	default:
		if (target(r, &path) < 0)
			return -1;
		fd = os_open(path, modes[r->rtype]);
		if (fd < 0) {
			exec_error("can't open %s: %s", path, os_error());
			free(path);
			return -1;
		}
		free(path);
	}
	rv = redir_fd(r->fd0, fd, sv);
	os_close(fd);
	return rv;
}

int redir_apply(const struct node *chain, struct redir_save *sv)
{
	for (; chain; chain = chain->c)
		if (apply_one(chain, sv) < 0)
			return -1;
	return 0;
}
