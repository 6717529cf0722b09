/*
 * helios/syscall.h: system call numbers, the register convention, message
 * info words and the IPC buffer.
 *
 * Registers on `syscall` (rcx and r11 are destroyed by the instruction):
 *   in:  rax = number, rdi = cptr, rsi = msginfo, rdx, r10, r8, r9 = mr0..mr3,
 *        r12 = reply cptr for recv, nbrecv and reply_recv
 *   out: rax = status (enum hl_error), rdx = value (badge on receive, result
 *        of an invocation), rsi = msginfo received, rdi, r10, r8, r9 = mr0..mr3
 * Every other register is preserved. Message words past mr3 and capability
 * transfers go through the thread's IPC buffer.
 */
#ifndef HELIOS_SYSCALL_H
#define HELIOS_SYSCALL_H

#include <stdint.h>

enum hl_syscall {
	HL_SYS_SEND = 0,	/* send(ep, info, mr...): blocks until received */
	HL_SYS_NBSEND,		/* send, or drop the message if no receiver waits (E_AGAIN) */
	HL_SYS_CALL,		/* send and wait for the reply; on a kernel object: invoke it */
	HL_SYS_RECV,		/* recv(ep or notification, reply): blocks for a message */
	HL_SYS_NBRECV,		/* recv, or E_AGAIN if no sender waits */
	HL_SYS_REPLY,		/* reply(reply, info, mr...): wakes the caller */
	HL_SYS_REPLY_RECV,	/* reply on r12's Reply, then recv on cptr (the server loop) */
	HL_SYS_SIGNAL,		/* signal(notification): OR the badge in, never blocks */
	HL_SYS_WAIT,		/* wait(notification): block until signalled, value = bits */
	HL_SYS_POLL,		/* poll(notification): bits if signalled, else E_AGAIN */
	HL_SYS_YIELD,		/* give up the rest of the time slice */
	HL_SYS_NULL,		/* does nothing: measures syscall entry and exit */
	HL_SYS_EXIT,		/* exit(code in rdi): the thread stops for good; its fault
				   (or debug) endpoint gets an HL_FAULT_EXIT message */
	HL_SYS_PROBE,		/* probe(user probe id in rdi, mr0..mr3): a user-space
				   probe record, if the probe and the thread are traced */
	HL_SYS_COUNT
};

/* Message info: label (52 bits), capability count (0-3), length in words. */
#define HL_MSG_MAX		64	/* message words (mr0..mr63) */
#define HL_MSG_REG_WORDS	4	/* of which travel in registers */
#define HL_MSG_MAX_CAPS		3
/* Label of the "message" a recv returns when the thread's bound
 * notification was signalled: value = the notification's bits. */
#define HL_NOTIFY_LABEL		0xFFFFFFFFFFFFFull

static inline uint64_t hl_msginfo(uint64_t label, unsigned ncaps, unsigned length)
{
	return (label << 12) | ((uint64_t)(ncaps & 3) << 7) | (length & 0x7F);
}
static inline uint64_t hl_msg_label(uint64_t info) { return info >> 12; }
static inline unsigned hl_msg_caps(uint64_t info) { return (unsigned)(info >> 7) & 3; }
static inline unsigned hl_msg_length(uint64_t info) { return (unsigned)info & 0x7F; }

/*
 * The IPC buffer: one per thread, inside a frame the thread's TCB names
 * (tcb_configure). mr[0..3] mirror the registers and are not read by the
 * kernel; mr[4..] carry the rest of a long message.
 */
struct hl_ipc_buffer {
	uint64_t mr[HL_MSG_MAX];
	uint64_t send_caps[HL_MSG_MAX_CAPS];	/* cptrs to transfer (need grant on the endpoint) */
	uint64_t recv_slots[HL_MSG_MAX_CAPS];	/* empty slots (cptrs in own CSpace) for received caps */
	uint64_t recv_badges[HL_MSG_MAX_CAPS];	/* badges of received endpoint/notification caps */
	uint64_t recv_ncaps;			/* caps actually received */
	uint64_t user_data;			/* free for the runtime (thread pointer) */
};

#endif
