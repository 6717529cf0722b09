/*
 * tdesc.h: a GDB target description (qXfer:features:read target.xml) turned
 * into the layout of the 'g' packet, and the fallback layouts used when a
 * stub has none. remote.c reads and writes registers through it.
 */
#ifndef ACID_TDESC_H
#define ACID_TDESC_H

#include <stddef.h>

struct tdesc_reg {
	char name[32];
	int regnum;		/* the stub's number, for 'p'/'P' */
	int bits;
	int offset;		/* byte offset in the 'g' packet */
	int acid;		/* acid_reg number, -1 if acid has no such register */
};

struct tdesc {
	struct tdesc_reg *regs;	/* sorted by regnum */
	int n;
	int g_size;		/* bytes of all registers in 'g' order */
	int from_xml;		/* 1: the stub's own description */
};

/* Fetches an annex ("target.xml", "i386-64bit.xml") from the stub: a
 * malloc'd NUL-terminated document, or NULL. */
typedef char *(*tdesc_fetch_fn)(void *ctx, const char *annex);

/* Reads the description rooted at annex, following xi:include. 0, or -1
 * with a message when the document is missing or has no registers. */
int tdesc_load(struct tdesc *d, tdesc_fetch_fn fetch, void *ctx, const char *annex, char *err, size_t errlen);

/* A built-in layout: gdb's amd64 core registers (i386 0) or i386's (i386 1). */
void tdesc_builtin(struct tdesc *d, int i386);

/* The entry for acid register r, NULL if the layout lacks it. */
const struct tdesc_reg *tdesc_find(const struct tdesc *d, int r);

void tdesc_free(struct tdesc *d);

#endif
