/* spawntest.h: what the parts of the in-OS spawn suite share. */
#ifndef SPAWNTEST_H
#define SPAWNTEST_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <mercury/hl.h>

#include "inos.h"	/* t_ok, t_image */

#define ST_MEM_BITS	20	/* each child's Untyped: 1 MiB */

extern hl_cptr_t st_ep, st_reply;	/* the children's fault endpoint, our Reply */

/* Receives one fault message on st_ep: badge, label (HL_FAULT_*), mr0, mr1. */
int st_wait(uint64_t *badge, uint64_t *label, uint64_t *mr0, uint64_t *mr1);

void st_child_tests(void);	/* children.c */
void st_refusal_tests(void);	/* refusals.c */
void st_leak_test(unsigned rounds);	/* leak.c */
int st_bench(uint64_t rounds);	/* leak.c */

#endif
