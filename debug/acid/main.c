/*
 * main.c: the acid command.
 *
 *   acid [-l lib]... [-q] [program [args...]]   start program, stopped at entry
 *   acid [-l lib]... -p pid [program]          attach to a running process
 *   acid [-l lib]... -r host:port program.elf  a GDB remote stub (QEMU, gdbserver)
 *   acid [-l lib]... -s program                the ELF file alone (static)
 *
 * Start-up: symbols, then the library (debug/lib/port.acid and any -l
 * libraries, found in $ACIDLIB or the built-in directory), then the target.
 * Commands come from the terminal with line editing, or, when standard
 * input is not a terminal, from it as one script; acid exits at its end
 * (status 1 if any statement failed).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libdwarf/libdwarf.h>

#include "session.h"

#ifndef ACID_LIBDIR
#define ACID_LIBDIR "/usr/lib/acid"
#endif

struct acid_opts {
	const char *libs[32];
	int nlibs;
	int quiet;            /* no standard library */
	const char *pid;
	const char *remote;
	int static_only;
	char **argv;          /* program and its arguments */
	int argc;
};

static void usage(void)
{
	fprintf(stderr,
	        "usage: acid [-l lib]... [-q] [program [args...]]\n"
	        "       acid [-l lib]... -p pid [program]\n"
	        "       acid [-l lib]... -r host:port program.elf\n"
	        "       acid [-l lib]... -s program\n");
	exit(2);
}

/* Options stop at the program name, so its own arguments pass through. */
static void parse_opts(int argc, char **argv, struct acid_opts *o)
{
	int i;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *opt = argv[i];

		if (strcmp(opt, "--") == 0) {
			i++;
			break;
		}
		if (strcmp(opt, "-q") == 0) {
			o->quiet = 1;
		} else if (strcmp(opt, "-s") == 0) {
			o->static_only = 1;
		} else if (i + 1 < argc && strcmp(opt, "-l") == 0) {
			if (o->nlibs == 32)
				usage();
			o->libs[o->nlibs++] = argv[++i];
		} else if (i + 1 < argc && strcmp(opt, "-p") == 0) {
			o->pid = argv[++i];
		} else if (i + 1 < argc && strcmp(opt, "-r") == 0) {
			o->remote = argv[++i];
		} else {
			usage();
		}
	}
	o->argv = argv + i;
	o->argc = argc - i;
	if ((o->remote || o->static_only) && o->argc != 1)
		usage();
	if (o->pid && o->argc > 1)
		usage();
}

static const char *lib_dir(void)
{
	const char *d = getenv("ACIDLIB");

	return d && *d ? d : ACID_LIBDIR;
}

/* Loads a library by name ("truss" is $ACIDLIB/truss.acid) or by path. */
static void load_lib(struct acid *a, const char *name)
{
	char path[4096];

	if (strchr(name, '/'))
		snprintf(path, sizeof path, "%s", name);
	else
		snprintf(path, sizeof path, "%s/%s.acid", lib_dir(), name);
	if (acid_run_file(a, path) < 0) {
		fprintf(stderr, "acid: cannot read library %s\n", path);
		exit(1);
	}
}

static void set_globals(struct acid_session *s)
{
	struct acid_value regs = acid_list(0);

	for (int r = 0; r < ACID_NREGS; r++) {
		char up[32];
		const char *n = acid_reg_name(r);
		int i;

		for (i = 0; n[i] && i < 31; i++)
			up[i] = (char)(n[i] >= 'a' && n[i] <= 'z' ? n[i] - 32 : n[i]);
		up[i] = '\0';
		regs = acid_list_append(regs, acid_cstr(up));
	}
	acid_var_set(s->a, "registers", regs);
	acid_var_set(s->a, "objtype", acid_cstr("amd64"));
	acid_var_set(s->a, "acidlib", acid_cstr(lib_dir()));
	acid_var_set(s->a, "progname", acid_cstr(s->prog ? s->prog : ""));
	acid_var_set(s->a, "pid", acid_int(0, 'D'));
	if (s->argv) {
		struct acid_value args = acid_list(0);

		for (int i = 0; i < s->argc; i++)
			args = acid_list_append(args, acid_cstr(s->argv[i]));
		acid_var_set(s->a, "progargs", args);
	}
}

static void open_target(struct acid_session *s, struct acid_opts *o)
{
	char err[512];
	struct target *t = NULL;

	if (o->remote)
		t = target_remote(o->remote, err, sizeof err);
	else if (o->static_only)
		t = target_elf(s->prog, err, sizeof err);
	else if (o->pid)
		t = target_attach(atoi(o->pid), err, sizeof err);
	else if (s->prog)
		t = target_spawn(s->argv, err, sizeof err);
	else
		return;
	if (!t) {
		fprintf(stderr, "acid: %s: %s\n", o->remote ? o->remote : o->pid ? o->pid : s->prog, err);
		exit(1);
	}
	acid_sess_set_target(s, t);
}

/* All of standard input, read before the program starts so that a program
 * reading its standard input cannot swallow the script. */
static char *read_script(void)
{
	char *buf = NULL;
	size_t len = 0, n;
	char chunk[8192];
	FILE *mem = open_memstream(&buf, &len);

	while ((n = fread(chunk, 1, sizeof chunk, stdin)) > 0)
		fwrite(chunk, 1, n, mem);
	fclose(mem);
	return buf;
}

/* -p pid without a program: the program is whatever the process runs. */
static void prog_from_pid(struct acid_opts *o)
{
	static char path[4096], link[64];
	static char *argv1[2];
	ssize_t n;

	snprintf(link, sizeof link, "/proc/%s/exe", o->pid);
	n = readlink(link, path, sizeof path - 1);
	if (n < 0) {
		int e = errno;

		snprintf(path, sizeof path, "/proc/%s", o->pid);
		if (access(path, F_OK) != 0)
			fprintf(stderr, "acid: -p %s: no such process\n", o->pid);
		else
			fprintf(stderr, "acid: -p %s: cannot find its program (%s): %s; name it: acid -p %s program\n",
			        o->pid, link, strerror(e), o->pid);
		exit(1);
	}
	path[n] = '\0';
	argv1[0] = path;
	o->argv = argv1;
	o->argc = 1;
}

int main(int argc, char **argv)
{
	static struct acid_session sess;
	struct acid_opts o = { 0 };
	char err[512], *script;
	int errors = 0;

	parse_opts(argc, argv, &o);
	if (o.pid && o.argc == 0)
		prog_from_pid(&o);
	/* libdwarf records every allocation in a search tree so dwarf_finish
	 * can free leftovers; for one large compile unit's line table that
	 * bookkeeping costs more than the decoding. acid frees its DWARF
	 * objects itself and exits soon after dwarf_finish, so turn it off. */
	dwarf_set_de_alloc_flag(0);
	sess.a = acid_new();
	acid_prim_proc_init(sess.a);
	acid_prim_sym_init(sess.a);
	acid_prim_stack_init(sess.a);
	acid_prim_sys_init(sess.a);
	acid_prim_dis_init(sess.a);
	acid_host_init(&sess);
	if (o.argc > 0) {
		sess.prog = o.argv[0];
		sess.argv = o.argv;
		sess.argc = o.argc;
		sess.sym = sym_open(sess.prog, err, sizeof err);
		if (!sess.sym) {
			/* The reader's message may already start with the path. */
			if (strncmp(err, sess.prog, strlen(sess.prog)) == 0)
				fprintf(stderr, "acid: %s\n", err);
			else
				fprintf(stderr, "acid: %s: %s\n", sess.prog, err);
			return 1;
		}
	}
	set_globals(&sess);
	if (!o.quiet)
		load_lib(sess.a, "port");
	for (int i = 0; i < o.nlibs; i++)
		load_lib(sess.a, o.libs[i]);
	script = isatty(0) ? NULL : read_script();
	open_target(&sess, &o);
	acid_call_hook(sess.a, "acidinit", 0, NULL, NULL);
	if (script) {
		acid_run_string(sess.a, script, "<stdin>", 1);
		errors = acid_error_count(sess.a);
		free(script);
	} else {
		acid_repl(&sess);
	}
	fflush(stdout);
	target_close(sess.tgt);
	sym_close(sess.sym);
	return errors ? 1 : 0;
}
