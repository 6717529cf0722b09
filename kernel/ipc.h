/*
 * ipc.h: endpoints, notifications and replies, the three IPC objects, and
 * the invocations of the other objects (declared here for the dispatcher).
 */
#ifndef KERNEL_IPC_H
#define KERNEL_IPC_H

#include <stdint.h>
#include <stdbool.h>
#include "cap.h"
#include "tcb.h"

/* A wait queue of threads (FIFO). */
struct thread_queue {
	struct tcb *head, *tail;
};

struct endpoint {
	struct thread_queue queue;
	uint8_t kind;			/* EP_IDLE, EP_SENDERS or EP_RECEIVERS */
};
enum { EP_IDLE, EP_SENDERS, EP_RECEIVERS };

struct notification {
	uint64_t word;
	struct thread_queue waiters;
	struct tcb *bound;		/* thread whose endpoint recv this also ends */
};

struct reply {
	struct tcb *caller;		/* blocked in call, waiting for this reply */
	struct tcb *holder;		/* receiver blocked with this reply object */
};

_Static_assert(sizeof(struct endpoint) <= (1u << HL_ENDPOINT_BITS), "endpoint size");
_Static_assert(sizeof(struct notification) <= (1u << HL_NOTIFICATION_BITS), "notification size");
_Static_assert(sizeof(struct reply) <= (1u << HL_REPLY_BITS), "reply size");

void queue_append(struct thread_queue *q, struct tcb *t);
void queue_remove(struct thread_queue *q, struct tcb *t);
/* Takes t off ep's queue; an emptied endpoint goes back to idle. */
void ep_remove(struct endpoint *ep, struct tcb *t);

int ep_send(struct cap *c, uint64_t info, bool blocking, bool is_call);
int ep_send_or_signal(struct cap *c, uint64_t info, bool blocking);
int ep_recv(struct cap *c, uint64_t reply_cptr, bool blocking);
int reply_send(uint64_t reply_cptr, uint64_t info);
int reply_recv(struct cap *c, uint64_t reply_cptr, uint64_t info);
int ntfn_signal(struct cap *c);
int ntfn_wait(struct cap *c, bool blocking);
/* Delivers a fault of t (fault_* fields set) to its fault endpoint, or suspends t. */
void fault_deliver(struct tcb *t);

void ep_finalise(struct endpoint *ep);
void ntfn_finalise(struct notification *n);
void reply_finalise(struct reply *r);
/* Signals n with badge from interrupt context. */
void ntfn_signal_raw(struct notification *n, uint64_t badge);

int untyped_invoke(struct cap *c, uint64_t label, unsigned len);
/* One object of type (not made by retype) from u into the empty slot dest. */
int untyped_make(struct cap *u, unsigned type, struct cap *dest);
int pagetable_invoke(struct cap *c, uint64_t label, unsigned len);
int frame_invoke(struct cap *c, uint64_t label, unsigned len);
int irq_invoke(struct cap *c, uint64_t label, unsigned len);
int ioport_invoke(struct cap *c, uint64_t label, unsigned len);
int console_invoke(struct cap *c, uint64_t label, unsigned len);
int timer_invoke(struct cap *c, uint64_t label, unsigned len);
/* Timers: one kernel tick passed; a notification is gone (disarm its timers). */
void timer_tick(void);
void timer_forget_notification(struct notification *n);

#endif
