/*
 * recorded.h: the host back end: records from a file in the kernel's ring
 * format, and what the host knows beside them (processes, memory images
 * with the debug capability or not, symbol tables, stacks).
 */
#ifndef TRACE_RECORDED_H
#define TRACE_RECORDED_H

#include <stdio.h>

#include "trace.h"

struct recorded;

struct recorded *rec_new(void);
/* Each adder returns 0, or -1 with a message in err. */
int rec_open_stream(struct recorded *r, const char *path, char *err, size_t errlen);
int rec_add_procs(struct recorded *r, const char *path, char *err, size_t errlen);
int rec_add_memory(struct recorded *r, const char *spec, char *err, size_t errlen);	/* PID:ADDR:FILE */
int rec_add_debug(struct recorded *r, const char *pid, char *err, size_t errlen);
int rec_add_ksyms(struct recorded *r, const char *path, char *err, size_t errlen);
int rec_add_usyms(struct recorded *r, const char *spec, char *err, size_t errlen);	/* PID:ELF */
int rec_add_stacks(struct recorded *r, const char *path, char *err, size_t errlen);
/* Fills be with this back end's functions (output to out, errors to err). */
void rec_backend(struct recorded *r, struct tr_backend *be);
void rec_free(struct recorded *r);

#endif
