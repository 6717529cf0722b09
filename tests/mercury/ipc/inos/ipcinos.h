/* ipcinos.h: what the root task (ipcinos.c, cases.c) and the server (server.c) share. */
#ifndef IPCINOS_H
#define IPCINOS_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <mercury/hl.h>
#include <mercury/spawn.h>

#include "inos.h"	/* t_ok, t_image */

/* The parent's first message to the server (a send): mr0 the cptr of its
 * Reply object, mr1..mr2 the first and last of its empty slots. Not a label
 * of ipctest (whose labels are id << 16 | method). */
#define SRV_SETUP_LABEL	1
#define SRV_BADGE_OWN	0x5e	/* the server's endpoint cap, which mixed hands out */
#define CLIENT_BADGE	77	/* the client's endpoint cap (write, grant) */
#define NOGRANT_BADGE	78	/* a second one without the grant right */

/* The server as the root task sees it. */
struct srv {
	struct proc p;
	hl_cptr_t ep;		/* the endpoint (ours, all rights) */
	hl_cptr_t client;	/* badge CLIENT_BADGE, write and grant */
	hl_cptr_t nogrant;	/* badge NOGRANT_BADGE, write only */
	uint64_t depth;		/* of a path to a slot of its CSpace from p.cnode */
	uint64_t reply;		/* its Reply object (its cptr) */
	uint64_t next, last;	/* its next receive slot, its last slot */
};

extern struct srv srv;

/* A slot of the server's CSpace (its cptr): type (HL_OBJ_*, 0 if empty), and badge. */
unsigned srv_slot(uint64_t cptr, uint64_t *badge);
/* The caps that landed in the server's next receive slots since the last
 * call (as the server does, the slots move past them); badges in b[3]. */
unsigned srv_arrived(uint64_t *b);
/* The server's request log since the last read (longest("?log")); "" on error. */
const char *srv_log(void);

void cases_scalars(void);	/* cases.c */
void cases_strings(void);
void cases_arrays(void);
void cases_caps(void);
void cases_errors(void);
void cases_raw(void);
void cases_names(void);
void cases_reply_nogrant(void);

#endif
