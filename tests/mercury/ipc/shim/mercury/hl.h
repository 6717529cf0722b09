/*
 * shim/mercury/hl.h: the real mercury/hl.h for host tests, with hl_call
 * (the one system call generated client code makes) turned into a function
 * that shim.c implements as a fake transport. Generated code includes
 * <mercury/hl.h> and cannot tell the difference; this directory comes first
 * on the include path of the loopback test only.
 */
#ifndef IPC_SHIM_HL_H
#define IPC_SHIM_HL_H

#define hl_call ipc_shim_unused_hl_call
#include_next <mercury/hl.h>
#undef hl_call

/* Hands *m to the server bound to ep (shim_bind) and returns its reply in *m. */
struct hl_result hl_call(hl_cptr_t ep, struct hl_msg *m);

/* A fake server: handles the request in *m (the server's IPC buffer is
 * current) and leaves the reply in *m. */
typedef void (*shim_server_fn)(void *arg, uint64_t badge, struct hl_msg *m);

/* Calls on ep go to fn(arg, badge, ...); the server's recv_slots are set to
 * the given slots before each request. */
void shim_bind(hl_cptr_t ep, shim_server_fn fn, void *arg, uint64_t badge,
	       const hl_cptr_t recv_slots[HL_MSG_MAX_CAPS]);
/* The fake CSpace: which sender's cptr value the slot received (0: empty). */
uint64_t shim_slot(hl_cptr_t slot);
void shim_slot_clear(hl_cptr_t slot);
/* 0: caps in messages are dropped, as without the grant right. */
extern int shim_grant;
/* The last request as the server saw it: info and all its words. */
extern uint64_t shim_last_info, shim_last_words[HL_MSG_MAX];
/* The two threads' IPC buffers; hl_ipc_buffer() returns the current one. */
extern struct hl_ipc_buffer shim_client_buf, shim_server_buf;

#endif
