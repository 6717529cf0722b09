/*
 * mercury/hl.h: Helios system calls and invocations for user space.
 *
 * Header-only. Three layers:
 *   hl_sys()          the one `syscall` instruction, with the register
 *                     convention of helios/syscall.h
 *   hl_send() ...     one stub per system call (messages of up to 4 words
 *                     travel in struct hl_msg; longer ones use the IPC buffer)
 *   hl_untyped_retype() ...  one typed wrapper per invocation label
 *                     (helios/invoke.h), built on hl_invoke()
 * Every call returns struct hl_result: status (enum hl_error) and value
 * (badge on receive, result of an invocation), returned in rax:rdx.
 *
 * Invocations with more than four argument words, and results of more than
 * four words, use the calling thread's IPC buffer, which the runtime finds
 * with hl_ipc_buffer() (defined by the runtime, e.g. mercury/rt).
 */
#ifndef MERCURY_HL_H
#define MERCURY_HL_H

#include <stddef.h>
#include <stdint.h>
#include <helios/errors.h>
#include <helios/objects.h>
#include <helios/syscall.h>
#include <helios/invoke.h>
#include <helios/bootinfo.h>
#include <helios/trace.h>
#include <helios/stats.h>

typedef uint64_t hl_cptr_t;

/* What every call returns: a status (enum hl_error) and a value. */
struct hl_result {
	int64_t status;
	uint64_t value;
};

/* The register part of a message: info word and mr0..mr3. */
struct hl_msg {
	uint64_t info;
	uint64_t mr[HL_MSG_REG_WORDS];
};

/* The calling thread's IPC buffer; provided by the runtime. */
struct hl_ipc_buffer *hl_ipc_buffer(void);

/*
 * Issues system call nr on cptr with the message in *m (in: info and
 * mr0..3; out: info and mr0..3 as the kernel left them) and reply cptr in
 * r12. The memory clobber orders IPC-buffer accesses around the call.
 */
static inline __attribute__((always_inline)) struct hl_result
hl_sys(uint64_t nr, hl_cptr_t cptr, hl_cptr_t reply, struct hl_msg *m)
{
	register uint64_t rax __asm__("rax") = nr;
	register uint64_t rdi __asm__("rdi") = cptr;
	register uint64_t rsi __asm__("rsi") = m->info;
	register uint64_t rdx __asm__("rdx") = m->mr[0];
	register uint64_t r10 __asm__("r10") = m->mr[1];
	register uint64_t r8 __asm__("r8") = m->mr[2];
	register uint64_t r9 __asm__("r9") = m->mr[3];
	register uint64_t r12 __asm__("r12") = reply;

	__asm__ volatile("syscall"
			 : "+r"(rax), "+r"(rdi), "+r"(rsi), "+r"(rdx),
			   "+r"(r10), "+r"(r8), "+r"(r9)
			 : "r"(r12)
			 : "rcx", "r11", "memory");
	m->info = rsi;
	m->mr[0] = rdi;
	m->mr[1] = r10;
	m->mr[2] = r8;
	m->mr[3] = r9;
	return (struct hl_result){ (int64_t)rax, rdx };
}

/* A system call that takes and returns no message (signal, yield, ...). */
static inline __attribute__((always_inline)) struct hl_result
hl_sys0(uint64_t nr, hl_cptr_t cptr)
{
	struct hl_msg m = { 0, { 0, 0, 0, 0 } };

	return hl_sys(nr, cptr, 0, &m);
}

/* --- System calls ------------------------------------------------------ */

/* Sends *m on ep; blocks until a receiver takes it. */
static inline struct hl_result hl_send(hl_cptr_t ep, struct hl_msg *m)
{
	return hl_sys(HL_SYS_SEND, ep, 0, m);
}

/* Sends *m if a receiver waits, else E_AGAIN. */
static inline struct hl_result hl_nbsend(hl_cptr_t ep, struct hl_msg *m)
{
	return hl_sys(HL_SYS_NBSEND, ep, 0, m);
}

/* Sends *m on ep and waits for the reply, which replaces *m. */
static inline struct hl_result hl_call(hl_cptr_t ep, struct hl_msg *m)
{
	return hl_sys(HL_SYS_CALL, ep, 0, m);
}

/* Waits for a message on ep (value = sender's badge); a call binds its
 * caller to reply. */
static inline struct hl_result hl_recv(hl_cptr_t ep, hl_cptr_t reply, struct hl_msg *m)
{
	return hl_sys(HL_SYS_RECV, ep, reply, m);
}

/* hl_recv, or E_AGAIN if no sender waits. */
static inline struct hl_result hl_nbrecv(hl_cptr_t ep, hl_cptr_t reply, struct hl_msg *m)
{
	return hl_sys(HL_SYS_NBRECV, ep, reply, m);
}

/* Answers the caller bound to reply with *m. */
static inline struct hl_result hl_reply(hl_cptr_t reply, struct hl_msg *m)
{
	return hl_sys(HL_SYS_REPLY, reply, 0, m);
}

/* Answers through reply, then waits on ep (the server loop). */
static inline struct hl_result hl_reply_recv(hl_cptr_t ep, hl_cptr_t reply, struct hl_msg *m)
{
	return hl_sys(HL_SYS_REPLY_RECV, ep, reply, m);
}

/* ORs the cap's badge into the notification word; never blocks. */
static inline struct hl_result hl_signal(hl_cptr_t ntfn)
{
	return hl_sys0(HL_SYS_SIGNAL, ntfn);
}

/* Blocks until the word is nonzero; value = the word, which is cleared. */
static inline struct hl_result hl_wait(hl_cptr_t ntfn)
{
	return hl_sys0(HL_SYS_WAIT, ntfn);
}

/* The word if nonzero (cleared), else E_AGAIN. */
static inline struct hl_result hl_poll(hl_cptr_t ntfn)
{
	return hl_sys0(HL_SYS_POLL, ntfn);
}

/* Gives up the rest of the time slice. */
static inline struct hl_result hl_yield(void)
{
	return hl_sys0(HL_SYS_YIELD, 0);
}

/* Does nothing; measures kernel entry and exit. */
static inline struct hl_result hl_null(void)
{
	return hl_sys0(HL_SYS_NULL, 0);
}

/* Stops this thread for good; its fault (or debug) endpoint gets an
 * HL_FAULT_EXIT message with code. Returns only if the call was refused. */
static inline struct hl_result hl_exit(uint64_t code)
{
	return hl_sys0(HL_SYS_EXIT, code);
}

/* Fires user probe id with four argument words (recorded only if tracing
 * is on for the probe and this thread). */
static inline struct hl_result hl_probe(uint64_t id, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
	struct hl_msg m = { 0, { a0, a1, a2, a3 } };

	return hl_sys(HL_SYS_PROBE, id, 0, &m);
}

/* --- Invocations ------------------------------------------------------- */

/*
 * Invokes label on obj with n argument words (words past the fourth go to
 * the IPC buffer); the first nout result words are stored in out (NULL if
 * none wanted). Returns the kernel's (status, value).
 */
static inline struct hl_result hl_invoke_out(hl_cptr_t obj, uint64_t label, unsigned n,
					     const uint64_t *args, uint64_t *out, unsigned nout)
{
	struct hl_msg m = { hl_msginfo(label, 0, n), { 0, 0, 0, 0 } };
	struct hl_result r;
	unsigned i;

	for (i = 0; i < n && i < HL_MSG_REG_WORDS; i++)
		m.mr[i] = args[i];
	if (n > HL_MSG_REG_WORDS) {
		struct hl_ipc_buffer *b = hl_ipc_buffer();

		for (; i < n; i++)
			b->mr[i] = args[i];
	}
	r = hl_sys(HL_SYS_CALL, obj, 0, &m);
	for (i = 0; i < nout && i < HL_MSG_REG_WORDS; i++)
		out[i] = m.mr[i];
	if (nout > HL_MSG_REG_WORDS) {
		struct hl_ipc_buffer *b = hl_ipc_buffer();

		for (; i < nout; i++)
			out[i] = b->mr[i];
	}
	return r;
}

/* hl_invoke_out without result words. */
static inline struct hl_result hl_invoke(hl_cptr_t obj, uint64_t label, unsigned n,
					 const uint64_t *args)
{
	return hl_invoke_out(obj, label, n, args, NULL, 0);
}

/* Packs n bytes of s into words, 8 per word, first byte lowest; returns
 * the number of words. */
static inline unsigned hl_pack_bytes(uint64_t *words, const char *s, size_t n)
{
	unsigned nw = (unsigned)((n + 7) / 8);

	for (unsigned w = 0; w < nw; w++) {
		uint64_t v = 0;

		for (unsigned b = 0; b < 8 && w * 8 + b < n; b++)
			v |= (uint64_t)(unsigned char)s[w * 8 + b] << (8 * b);
		words[w] = v;
	}
	return nw;
}

/* Untyped */

/* Makes count objects of type (size_bits for CNodes, Untypeds) in slots
 * index.. of CNode root (resolved over depth bits); value = count made. */
static inline struct hl_result hl_untyped_retype(hl_cptr_t ut, uint64_t type, uint64_t size_bits,
						 hl_cptr_t root, uint64_t index, uint64_t depth,
						 uint64_t count)
{
	uint64_t a[6] = { type, size_bits, root, index, depth, count };

	return hl_invoke(ut, HL_UNTYPED_RETYPE, 6, a);
}

/* What an Untyped is: its physical base, size and kind. */
struct hl_untyped_info {
	uint64_t paddr, size_bits, device;
};

/* value = free bytes of ut; *info (may be NULL) gets the rest. */
static inline struct hl_result hl_untyped_info(hl_cptr_t ut, struct hl_untyped_info *info)
{
	uint64_t out[3] = { 0, 0, 0 };
	struct hl_result r = hl_invoke_out(ut, HL_UNTYPED_INFO, 0, NULL, out, 3);

	if (info) {
		info->paddr = out[0];
		info->size_bits = out[1];
		info->device = out[2];
	}
	return r;
}

/* CNode: dst/slot indices are relative to the invoked CNode. */

/* Copies src (root, idx, depth) to dst with rights masked by rights. */
static inline struct hl_result hl_cnode_copy(hl_cptr_t cn, uint64_t dst, uint64_t dst_depth,
					     hl_cptr_t src_root, uint64_t src, uint64_t src_depth,
					     uint64_t rights)
{
	uint64_t a[6] = { dst, dst_depth, src_root, src, src_depth, rights };

	return hl_invoke(cn, HL_CNODE_COPY, 6, a);
}

/* As hl_cnode_copy, and sets a badge (endpoint, notification) or guard size (CNode). */
static inline struct hl_result hl_cnode_mint(hl_cptr_t cn, uint64_t dst, uint64_t dst_depth,
					     hl_cptr_t src_root, uint64_t src, uint64_t src_depth,
					     uint64_t rights, uint64_t badge)
{
	uint64_t a[7] = { dst, dst_depth, src_root, src, src_depth, rights, badge };

	return hl_invoke(cn, HL_CNODE_MINT, 7, a);
}

/* Moves src to the empty slot dst. */
static inline struct hl_result hl_cnode_move(hl_cptr_t cn, uint64_t dst, uint64_t dst_depth,
					     hl_cptr_t src_root, uint64_t src, uint64_t src_depth)
{
	uint64_t a[5] = { dst, dst_depth, src_root, src, src_depth };

	return hl_invoke(cn, HL_CNODE_MOVE, 5, a);
}

/* As hl_cnode_mint, moving instead of copying. */
static inline struct hl_result hl_cnode_mutate(hl_cptr_t cn, uint64_t dst, uint64_t dst_depth,
					       hl_cptr_t src_root, uint64_t src, uint64_t src_depth,
					       uint64_t rights, uint64_t badge)
{
	uint64_t a[7] = { dst, dst_depth, src_root, src, src_depth, rights, badge };

	return hl_invoke(cn, HL_CNODE_MUTATE, 7, a);
}

/* Empties a slot; the object dies with its last capability. */
static inline struct hl_result hl_cnode_delete(hl_cptr_t cn, uint64_t idx, uint64_t depth)
{
	uint64_t a[2] = { idx, depth };

	return hl_invoke(cn, HL_CNODE_DELETE, 2, a);
}

/* Deletes every capability derived from the slot's. */
static inline struct hl_result hl_cnode_revoke(hl_cptr_t cn, uint64_t idx, uint64_t depth)
{
	uint64_t a[2] = { idx, depth };

	return hl_invoke(cn, HL_CNODE_REVOKE, 2, a);
}

/* value = type | rights << 8 of the slot's capability; *badge (may be NULL) its badge. */
static inline struct hl_result hl_cnode_identify(hl_cptr_t cn, uint64_t idx, uint64_t depth,
						 uint64_t *badge)
{
	uint64_t a[2] = { idx, depth }, out[1] = { 0 };
	struct hl_result r = hl_invoke_out(cn, HL_CNODE_IDENTIFY, 2, a, out, 1);

	if (badge)
		*badge = out[0];
	return r;
}

/* value = 1 if slot (idx, depth) of cn and slot (root, ridx, rdepth) hold
 * caps of one object (copies, mints and the original alike), else 0. */
static inline struct hl_result hl_cnode_compare(hl_cptr_t cn, uint64_t idx, uint64_t depth, hl_cptr_t root,
						uint64_t ridx, uint64_t rdepth)
{
	uint64_t a[5] = { idx, depth, root, ridx, rdepth };

	return hl_invoke(cn, HL_CNODE_COMPARE, 5, a);
}

/* TCB */

/* Sets a thread's fault endpoint, CSpace (with guard size), VSpace and IPC buffer. */
static inline struct hl_result hl_tcb_configure(hl_cptr_t tcb, hl_cptr_t fault_ep,
						hl_cptr_t cspace, uint64_t guard_bits,
						hl_cptr_t vspace, uint64_t ipc_vaddr,
						hl_cptr_t ipc_frame)
{
	uint64_t a[6] = { fault_ep, cspace, guard_bits, vspace, ipc_vaddr, ipc_frame };

	return hl_invoke(tcb, HL_TCB_CONFIGURE, 6, a);
}

/* Sets tcb's priority, with the MCP of authority as the limit. */
static inline struct hl_result hl_tcb_set_priority(hl_cptr_t tcb, hl_cptr_t authority, uint64_t prio)
{
	uint64_t a[2] = { authority, prio };

	return hl_invoke(tcb, HL_TCB_SET_PRIORITY, 2, a);
}

/* Sets tcb's maximum controlled priority, limited by authority's. */
static inline struct hl_result hl_tcb_set_mcp(hl_cptr_t tcb, hl_cptr_t authority, uint64_t mcp)
{
	uint64_t a[2] = { authority, mcp };

	return hl_invoke(tcb, HL_TCB_SET_MCP, 2, a);
}

/* Reads tcb's registers into *regs. */
static inline struct hl_result hl_tcb_read_registers(hl_cptr_t tcb, struct hl_regs *regs)
{
	return hl_invoke_out(tcb, HL_TCB_READ_REGISTERS, 0, NULL, (uint64_t *)regs,
			     HL_REGS_WORDS);
}

/* Writes tcb's registers from *regs, then resumes it if resume. */
static inline struct hl_result hl_tcb_write_registers(hl_cptr_t tcb, int resume,
						      const struct hl_regs *regs)
{
	uint64_t a[1 + HL_REGS_WORDS];
	const uint64_t *w = (const uint64_t *)regs;

	a[0] = resume != 0;
	for (unsigned i = 0; i < HL_REGS_WORDS; i++)
		a[1 + i] = w[i];
	return hl_invoke(tcb, HL_TCB_WRITE_REGISTERS, 1 + HL_REGS_WORDS, a);
}

/* Invokes a TCB method that takes up to one argument word. */
static inline struct hl_result hl_tcb_op(hl_cptr_t tcb, uint64_t label, unsigned n, uint64_t arg)
{
	return hl_invoke(tcb, label, n, &arg);
}

static inline struct hl_result hl_tcb_resume(hl_cptr_t tcb)
{
	return hl_tcb_op(tcb, HL_TCB_RESUME, 0, 0);
}

static inline struct hl_result hl_tcb_suspend(hl_cptr_t tcb)
{
	return hl_tcb_op(tcb, HL_TCB_SUSPEND, 0, 0);
}

static inline struct hl_result hl_tcb_set_tls_base(hl_cptr_t tcb, uint64_t base)
{
	return hl_tcb_op(tcb, HL_TCB_SET_TLS_BASE, 1, base);
}

/* Signals of ntfn also end tcb's recv on an endpoint. */
static inline struct hl_result hl_tcb_bind_notification(hl_cptr_t tcb, hl_cptr_t ntfn)
{
	return hl_tcb_op(tcb, HL_TCB_BIND_NOTIFICATION, 1, ntfn);
}

static inline struct hl_result hl_tcb_unbind_notification(hl_cptr_t tcb)
{
	return hl_tcb_op(tcb, HL_TCB_UNBIND_NOTIFICATION, 0, 0);
}

/* Time slice in timer ticks (1..1000). */
static inline struct hl_result hl_tcb_set_timeslice(hl_cptr_t tcb, uint64_t ticks)
{
	return hl_tcb_op(tcb, HL_TCB_SET_TIMESLICE, 1, ticks);
}

/* A thread's scheduling facts (HL_TCB_INFO). */
struct hl_tcb_info {
	uint64_t state;		/* enum hl_thread_state */
	uint64_t priority, mcp, id;
};

static inline struct hl_result hl_tcb_info(hl_cptr_t tcb, struct hl_tcb_info *info)
{
	uint64_t out[3] = { 0, 0, 0 };
	struct hl_result r = hl_invoke_out(tcb, HL_TCB_INFO, 0, NULL, out, 3);

	if (info) {
		info->state = r.value;
		info->priority = out[0];
		info->mcp = out[1];
		info->id = out[2];
	}
	return r;
}

/* 1/0: record this thread's events in the trace ring (needs HL_R_TRACE). */
static inline struct hl_result hl_tcb_set_trace(hl_cptr_t tcb, uint64_t on)
{
	return hl_tcb_op(tcb, HL_TCB_SET_TRACE, 1, on);
}

/* Debugging: every method needs HL_R_DEBUG on the TCB cap. */

/* Sends tcb's events to endpoint ep (0: unbind). */
static inline struct hl_result hl_tcb_debug_bind(hl_cptr_t tcb, hl_cptr_t ep)
{
	return hl_tcb_op(tcb, HL_TCB_DEBUG_BIND, 1, ep);
}

/* Reads n <= HL_DEBUG_MAX_BYTES bytes at vaddr in tcb's address space into buf. */
static inline struct hl_result hl_tcb_debug_read(hl_cptr_t tcb, uint64_t vaddr, uint64_t n, void *buf)
{
	uint64_t a[2] = { vaddr, n }, w[HL_MSG_MAX];
	unsigned nw = n <= HL_DEBUG_MAX_BYTES ? (unsigned)((n + 7) / 8) : 0;
	struct hl_result r = hl_invoke_out(tcb, HL_TCB_DEBUG_READ, 2, a, w, nw);

	if (r.status == E_OK)
		for (uint64_t i = 0; i < n; i++)
			((unsigned char *)buf)[i] = (unsigned char)(w[i / 8] >> (8 * (i % 8)));
	return r;
}

/* Writes n <= HL_DEBUG_MAX_BYTES bytes from buf at vaddr in tcb's address space. */
static inline struct hl_result hl_tcb_debug_write(hl_cptr_t tcb, uint64_t vaddr, uint64_t n,
						  const void *buf)
{
	uint64_t a[HL_MSG_MAX];

	if (n > HL_DEBUG_MAX_BYTES)
		return (struct hl_result){ E_RANGE, 0 };
	a[0] = vaddr;
	a[1] = n;
	return hl_invoke(tcb, HL_TCB_DEBUG_WRITE, 2 + hl_pack_bytes(a + 2, (const char *)buf, n), a);
}

/* Sets hardware breakpoint slot (0-3) at vaddr: kind HL_BREAK_*, length 1/2/4/8. */
static inline struct hl_result hl_tcb_debug_set_break(hl_cptr_t tcb, uint64_t slot, uint64_t vaddr,
						      uint64_t kind, uint64_t len)
{
	uint64_t a[4] = { slot, vaddr, kind, len };

	return hl_invoke(tcb, HL_TCB_DEBUG_SET_BREAK, 4, a);
}

static inline struct hl_result hl_tcb_debug_clear_break(hl_cptr_t tcb, uint64_t slot)
{
	return hl_tcb_op(tcb, HL_TCB_DEBUG_CLEAR_BREAK, 1, slot);
}

/* Resumes tcb for one instruction; an HL_FAULT_STEP event follows. */
static inline struct hl_result hl_tcb_debug_step(hl_cptr_t tcb)
{
	return hl_tcb_op(tcb, HL_TCB_DEBUG_STEP, 0, 0);
}

/* Tracing (TraceControl) */

/* Gives the kernel n 4 KiB frames as the trace ring; value = records it holds. */
static inline struct hl_result hl_trace_set_buffer(hl_cptr_t tc, unsigned n, const hl_cptr_t *frames)
{
	uint64_t a[1 + HL_TRACE_MAX_FRAMES];

	if (n > HL_TRACE_MAX_FRAMES)
		return (struct hl_result){ E_RANGE, 0 };
	a[0] = n;
	for (unsigned i = 0; i < n; i++)
		a[1 + i] = frames[i];
	return hl_invoke(tc, HL_TRACE_SET_BUFFER, 1 + n, a);
}

/* Stops recording and gives the ring's frames back. */
static inline struct hl_result hl_trace_detach(hl_cptr_t tc)
{
	return hl_invoke(tc, HL_TRACE_DETACH, 0, NULL);
}

/* Switches kernel probe (enum hl_probe), probe group (enum hl_trace_group)
 * or user probe on (1) or off (0): label HL_TRACE_ENABLE, _GROUP or _USER. */
static inline struct hl_result hl_trace_enable(hl_cptr_t tc, uint64_t label, uint64_t id, uint64_t on)
{
	uint64_t a[2] = { id, on };

	return hl_invoke(tc, label, 2, a);
}

/* frame becomes the enable bitmap of user probes. */
static inline struct hl_result hl_trace_set_user_page(hl_cptr_t tc, hl_cptr_t frame)
{
	uint64_t a[1] = { frame };

	return hl_invoke(tc, HL_TRACE_SET_USER_PAGE, 1, a);
}

/* Paging structures and frames */

/* Maps a PDPT, PD or PT into vspace so that it covers vaddr. */
static inline struct hl_result hl_page_table_map(hl_cptr_t table, hl_cptr_t vspace, uint64_t vaddr)
{
	uint64_t a[2] = { vspace, vaddr };

	return hl_invoke(table, HL_PAGE_TABLE_MAP, 2, a);
}

static inline struct hl_result hl_page_table_unmap(hl_cptr_t table)
{
	return hl_invoke(table, HL_PAGE_TABLE_UNMAP, 0, NULL);
}

/* Maps frame at vaddr in vspace; rights HL_R_READ/WRITE, attrs HL_MAP_*.
 * E_NOTABLE: value names the missing level (HL_OBJ_PDPT, PD or PT). */
static inline struct hl_result hl_frame_map(hl_cptr_t frame, hl_cptr_t vspace, uint64_t vaddr,
					    uint64_t rights, uint64_t attrs)
{
	uint64_t a[4] = { vspace, vaddr, rights, attrs };

	return hl_invoke(frame, HL_FRAME_MAP, 4, a);
}

static inline struct hl_result hl_frame_unmap(hl_cptr_t frame)
{
	return hl_invoke(frame, HL_FRAME_UNMAP, 0, NULL);
}

/* value = the frame's physical address. */
static inline struct hl_result hl_frame_paddr(hl_cptr_t frame)
{
	return hl_invoke(frame, HL_FRAME_PADDR, 0, NULL);
}

/* Interrupts */

/* Makes the handler for legacy line irq in slot (root, index, depth). */
static inline struct hl_result hl_irq_control_get(hl_cptr_t ctl, uint64_t irq, hl_cptr_t root,
						  uint64_t index, uint64_t depth)
{
	uint64_t a[4] = { irq, root, index, depth };

	return hl_invoke(ctl, HL_IRQ_CONTROL_GET, 4, a);
}

/* As hl_irq_control_get, for a line other handlers may share (HL_IRQ_SHARED). */
static inline struct hl_result hl_irq_control_get_shared(hl_cptr_t ctl, uint64_t irq, hl_cptr_t root,
							 uint64_t index, uint64_t depth)
{
	uint64_t a[5] = { irq, root, index, depth, HL_IRQ_SHARED };

	return hl_invoke(ctl, HL_IRQ_CONTROL_GET, 5, a);
}

/* Interrupts on the line signal ntfn (0: none, line masked). */
static inline struct hl_result hl_irq_handler_set_notification(hl_cptr_t h, hl_cptr_t ntfn)
{
	uint64_t a[1] = { ntfn };

	return hl_invoke(h, HL_IRQ_HANDLER_SET_NOTIFICATION, 1, a);
}

/* Unmasks the line after a delivery. */
static inline struct hl_result hl_irq_handler_ack(hl_cptr_t h)
{
	return hl_invoke(h, HL_IRQ_HANDLER_ACK, 0, NULL);
}

/* Timers */

/* Arms timer: ntfn is signalled (with its cap's badge) after delay_us, then
 * every period_us (0: once). Delays round up to the kernel's tick. */
static inline struct hl_result hl_timer_set(hl_cptr_t timer, hl_cptr_t ntfn, uint64_t delay_us,
					    uint64_t period_us)
{
	uint64_t a[3] = { ntfn, delay_us, period_us };

	return hl_invoke(timer, HL_TIMER_SET, 3, a);
}

static inline struct hl_result hl_timer_cancel(hl_cptr_t timer)
{
	return hl_invoke(timer, HL_TIMER_CANCEL, 0, NULL);
}

/* value = microseconds since boot (at the kernel's tick). */
static inline struct hl_result hl_timer_now(hl_cptr_t timer)
{
	return hl_invoke(timer, HL_TIMER_NOW, 0, NULL);
}

/* Address-space ids */

/* Makes an ASID pool (256 ids) from 4 KiB of untyped into slot (root, index, depth). */
static inline struct hl_result hl_asid_control_make_pool(hl_cptr_t ctl, hl_cptr_t untyped,
							 hl_cptr_t root, uint64_t index, uint64_t depth)
{
	uint64_t a[4] = { untyped, root, index, depth };

	return hl_invoke(ctl, HL_ASID_CONTROL_MAKE_POOL, 4, a);
}

/* Gives vspace an address-space id from pool: needed before it is copied, mapped into or run on. */
static inline struct hl_result hl_asid_pool_assign(hl_cptr_t pool, hl_cptr_t vspace)
{
	uint64_t a[1] = { vspace };

	return hl_invoke(pool, HL_ASID_POOL_ASSIGN, 1, a);
}

/* I/O ports */

/* Makes an IOPort cap for ports first..last in slot (root, index, depth). */
static inline struct hl_result hl_ioport_control_issue(hl_cptr_t ctl, uint64_t first, uint64_t last,
						       hl_cptr_t root, uint64_t index, uint64_t depth)
{
	uint64_t a[5] = { first, last, root, index, depth };

	return hl_invoke(ctl, HL_IOPORT_CONTROL_ISSUE, 5, a);
}

/* label is HL_IOPORT_IN8, IN16 or IN32; value = what was read. */
static inline struct hl_result hl_ioport_in(hl_cptr_t io, uint64_t label, uint64_t port)
{
	uint64_t a[1] = { port };

	return hl_invoke(io, label, 1, a);
}

/* label is HL_IOPORT_OUT8, OUT16 or OUT32. */
static inline struct hl_result hl_ioport_out(hl_cptr_t io, uint64_t label, uint64_t port, uint64_t v)
{
	uint64_t a[2] = { port, v };

	return hl_invoke(io, label, 2, a);
}

static inline struct hl_result hl_ioport_in8(hl_cptr_t io, uint64_t port)
{
	return hl_ioport_in(io, HL_IOPORT_IN8, port);
}

static inline struct hl_result hl_ioport_out8(hl_cptr_t io, uint64_t port, uint64_t v)
{
	return hl_ioport_out(io, HL_IOPORT_OUT8, port, v);
}

/* Console */

/* Most bytes one HL_CONSOLE_WRITE carries (mr1..mr63). */
#define HL_CONSOLE_CHUNK ((HL_MSG_MAX - 1) * 8)

/* Writes n <= HL_CONSOLE_CHUNK bytes to the kernel console. */
static inline struct hl_result hl_console_write(hl_cptr_t con, const char *s, size_t n)
{
	uint64_t a[HL_MSG_MAX];

	if (n > HL_CONSOLE_CHUNK)
		return (struct hl_result){ E_RANGE, 0 };
	a[0] = n;
	return hl_invoke(con, HL_CONSOLE_WRITE, 1 + hl_pack_bytes(a + 1, s, n), a);
}

/* on = 1: the kernel logs each refused call with its reason. */
static inline struct hl_result hl_console_debug(hl_cptr_t con, uint64_t on)
{
	uint64_t a[1] = { on };

	return hl_invoke(con, HL_CONSOLE_DEBUG, 1, a);
}

/* value = problems found by the kernel's invariant checks. */
static inline struct hl_result hl_console_check(hl_cptr_t con)
{
	return hl_invoke(con, HL_CONSOLE_CHECK, 0, NULL);
}

#endif
