/*
 * main.c: ipcgen, the IPC interface generator.
 *
 *   ipcgen -o DIR FILE.ipc        DIR/<iface>_{client,server}.{c,h}, <iface>_names.c
 *   ipcgen -a OUT FILE.ipc...     OUT: the names table of all the interfaces
 *   ipcgen -c FILE.ipc...         check only
 *
 * Each file holds one interface, named as the file. docs/ipc.md describes
 * the language and what is generated.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "ipcgen.h"

void die_at(const char *path, int line, int col, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s:%d:%d: ", path, line, col);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

void die(const char *fmt, ...)
{
	va_list ap;

	fputs("ipcgen: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		die("out of memory");
	return p;
}

char *xstrdup(const char *s)
{
	char *d = strdup(s);

	if (!d)
		die("out of memory");
	return d;
}

/* The whole file, NUL-terminated; a NUL byte inside is refused. */
static char *read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	size_t n = 0, cap = 4096, got;
	char *buf;

	if (!f)
		die("open %s: %s", path, strerror(errno));
	buf = xcalloc(cap + 1, 1);
	while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap && !(buf = realloc(buf, (cap *= 2) + 1)))
			die("out of memory");
	}
	if (ferror(f))
		die("read %s: %s", path, strerror(errno));
	fclose(f);
	buf[n] = 0;
	if (strlen(buf) != n) {
		/* report the NUL where it is */
		int line = 1, col = 1;

		for (size_t i = 0; buf[i]; i++, col++)
			if (buf[i] == '\n')
				line++, col = 0;
		die_at(path, line, col, "unexpected byte 0x00");
	}
	return buf;
}

static struct iface *load(const char *path)
{
	struct iface *ifc = parse_file(path, read_file(path));

	layout_check(path, ifc);
	return ifc;
}

static void usage(void)
{
	fprintf(stderr, "usage: ipcgen -o DIR FILE.ipc\n"
			"       ipcgen -a OUT.c FILE.ipc...\n"
			"       ipcgen -c FILE.ipc...\n");
	exit(2);
}

/* Loads every file; two interfaces with one name or id are refused. */
static struct iface **load_all(int n, char **paths)
{
	struct iface **ifcs = xcalloc((size_t)n, sizeof *ifcs);

	for (int i = 0; i < n; i++) {
		ifcs[i] = load(paths[i]);
		for (int j = 0; j < i; j++)
			if (ifcs[j]->id == ifcs[i]->id)
				die_at(paths[i], ifcs[i]->line, ifcs[i]->col,
				       "interface '%s' has the id 0x%08x of '%s' in %s",
				       ifcs[i]->name, ifcs[i]->id, ifcs[j]->name, paths[j]);
	}
	return ifcs;
}

int main(int argc, char **argv)
{
	struct iface **ifcs;

	if (argc < 3 || argv[1][0] != '-' || argv[1][2])
		usage();
	switch (argv[1][1]) {
	case 'o':
		if (argc != 4)
			usage();
		ifcs = load_all(1, argv + 3);
		gen_client(argv[2], ifcs[0]);
		gen_server(argv[2], ifcs[0]);
		gen_names(argv[2], ifcs[0]);
		return 0;
	case 'a':
		if (argc < 4)
			usage();
		ifcs = load_all(argc - 3, argv + 3);
		gen_names_all(argv[2], ifcs, (unsigned)(argc - 3));
		return 0;
	case 'c':
		load_all(argc - 2, argv + 2);
		return 0;
	}
	usage();
}
