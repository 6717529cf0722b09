/*
 * debug.c: debug operations on threads (HL_TCB_DEBUG_*).
 *
 * Memory is reached by walking the target's own page tables and copying
 * through the direct map, one page at a time: an unmapped page, a page the
 * user cannot see, or device memory ends the copy with E_FAULT, and the
 * kernel never touches a user virtual address. Writes honour the mapping:
 * they go to writable pages, and to code only if it was mapped from a frame
 * cap that has WRITE (so debuggers can plant int3); never to read-only data,
 * nor to a frame the address space was given read-only, executable or not.
 *
 * Events (breakpoint, step, watchpoint, fault, exit) go to the debug
 * endpoint as fault messages (ipc.c); the thread stays stopped until the
 * debugger replies. The binding belongs to the TCB cap that made it:
 * deleting or revoking that cap unbinds the debugger and lets the thread
 * go on.
 */
#include <mercury/string.h>
#include "arch.h"
#include "arch/x86_64/layout.h"
#include "arch/x86_64/paging.h"
#include "boot.h"
#include "debug.h"
#include "ipc.h"
#include "kernel.h"
#include "kexit.h"
#include "object.h"
#include "syscall.h"
#include "tcb.h"

static bool usable_ram(uint64_t pa)
{
	for (unsigned i = 0; i < boot.nusable; i++)
		if (pa >= boot.usable[i].base && pa < boot.usable[i].end)
			return true;
	return false;
}

static bool kernel_image(uint64_t pa)
{
	extern const char __image_start[], __image_end[];

	return pa >= (uint64_t)__image_start - KERNEL_BASE && pa < (uint64_t)__image_end - KERNEL_BASE;
}

/* Kernel address of user address va in t's address space, or an error. */
static int user_page(struct tcb *t, uint64_t va, bool write, uint8_t **out)
{
	uint64_t *table = (uint64_t *)t->slots[TCB_VSPACE].obj;

	if (t->slots[TCB_VSPACE].type != HL_OBJ_VSPACE || va >= USER_TOP)
		return E_FAULT;
	for (int level = 3; level >= 0; level--) {
		uint64_t e = table[(va >> (12 + 9 * level)) & 511];
		if (!(e & PTE_P) || !(e & PTE_U))
			return E_FAULT;
		if (level == 0 || (e & PTE_PS)) {
			uint64_t size = 1ULL << (12 + 9 * level);
			uint64_t pa = (e & PTE_ADDR & ~(size - 1)) + (va & (size - 1));
			/* Writable pages; code only when its frame cap had WRITE. */
			if (write && !(e & PTE_W) && ((e & PTE_NX) || !(e & PTE_CAP_W)))
				return E_PERM;
			if (!usable_ram(pa))
				return E_FAULT;	/* device memory: not through the direct map */
			if (write && !(e & PTE_W) && kernel_image(pa))
				return E_PERM;	/* the counters page, mapped executable */
			*out = (uint8_t *)(DIRECT_MAP + pa);
			return E_OK;
		}
		table = (uint64_t *)(DIRECT_MAP + (e & PTE_ADDR));
	}
	return E_FAULT;
}

/* Copies len bytes between buf and t's memory at va; stops cleanly at a bad page. */
static int copy_user(struct tcb *t, uint64_t va, uint8_t *buf, uint64_t len, bool write)
{
	while (len) {
		uint8_t *p;
		uint64_t chunk = PAGE_SIZE - (va & (PAGE_SIZE - 1));
		int err = user_page(t, va, write, &p);
		if (err)
			return err;
		if (chunk > len)
			chunk = len;
		if (write)
			memcpy(p, buf, chunk);
		else
			memcpy(buf, p, chunk);
		va += chunk;
		buf += chunk;
		len -= chunk;
	}
	return E_OK;
}

static int debug_memory(struct tcb *t, uint64_t label, unsigned len)
{
	uint8_t buf[HL_DEBUG_MAX_BYTES] __attribute__((aligned(8)));
	uint64_t va = arg(0), n = arg(1);
	bool write = label == HL_TCB_DEBUG_WRITE;
	int err;

	if (len < (write ? 2u : 2u) || n > HL_DEBUG_MAX_BYTES || (write && n > 8 * (uint64_t)(len - 2)))
		return refuse(E_RANGE, "%lu bytes: at most %d per call, all in the message", n, HL_DEBUG_MAX_BYTES);
	if (va + n < va || va + n > USER_TOP)
		return refuse(E_FAULT, "0x%lx+%lu is not user memory", va, n);
	if (write)
		for (uint64_t i = 0; i < (n + 7) / 8; i++) {
			uint64_t w = arg(2 + (unsigned)i);
			memcpy(buf + 8 * i, &w, 8);
		}
	if ((err = copy_user(t, va, buf, n, write)))
		return refuse(err, "0x%lx..0x%lx: %s page", va, va + n,
			      err == E_PERM ? "read-only" : "unmapped, kernel or device");
	if (!write) {
		for (uint64_t i = 0; i < (n + 7) / 8; i++) {
			uint64_t w = 0;
			memcpy(&w, buf + 8 * i, n - 8 * i < 8 ? n - 8 * i : 8);
			msg_set(current, (unsigned)i, w);
		}
		current->ctx.rsi = hl_msginfo(0, 0, (unsigned)((n + 7) / 8));
	}
	result_value(n);
	return E_OK;
}

static int set_break(struct tcb *t, unsigned len)
{
	uint64_t slot = arg(0), va = arg(1), kind = arg(2), size = arg(3);

	if (len < 4 || slot > 3)
		return refuse(E_RANGE, "breakpoint slot %lu (0-3)", slot);
	if (kind != HL_BREAK_EXEC && kind != HL_BREAK_WRITE && kind != HL_BREAK_ACCESS)
		return refuse(E_INVAL, "breakpoint kind %lu", kind);
	if (kind == HL_BREAK_EXEC)
		size = 1;
	if ((size != 1 && size != 2 && size != 4 && size != 8) || (va & (size - 1)) || va >= USER_TOP)
		return refuse(E_RANGE, "length %lu at 0x%lx: 1, 2, 4 or 8 bytes, aligned, in user space", size, va);
	static const uint8_t len_bits[9] = { [1] = 0, [2] = 1, [4] = 3, [8] = 2 };
	t->dr[slot] = va;
	t->dr7 &= ~((3ULL << (2 * slot)) | (0xFULL << (16 + 4 * slot)));
	t->dr7 |= (1ULL << (2 * slot)) | ((kind | (uint64_t)len_bits[size] << 2) << (16 + 4 * slot));
	return E_OK;
}

static void unbind(struct tcb *t)
{
	cap_delete(&t->slots[TCB_DEBUG_EP]);
	t->debug_owner = NULL;
	/* A thread stopped in a debug event goes on as if the debugger had replied
	 * (one stopped on its fault handler stays the handler's). */
	if (t->send_is_fault && t->event_to_debugger && t->fault_type != HL_FAULT_EXIT &&
	    (t->state == HL_THREAD_BLOCKED_SEND || t->state == HL_THREAD_BLOCKED_REPLY)) {
		tcb_cancel_ipc(t);
		t->ctx.rflags &= ~0x100ULL;
		tcb_resume(t);
	}
}

static int bind(struct tcb *t, struct cap *c, unsigned len)
{
	int err;
	struct cap *ep, v;

	if (len < 1)
		return refuse(E_INVAL, "takes an endpoint (0 to unbind)");
	if (!arg(0)) {
		unbind(t);
		return E_OK;
	}
	if (!(ep = lookup_cap(arg(0), &err)))
		return refuse(err, "endpoint 0x%lx names no capability", arg(0));
	if (ep->type != HL_OBJ_ENDPOINT || !(ep->rights & HL_R_WRITE))
		return refuse(ep->type != HL_OBJ_ENDPOINT ? E_TYPE : E_PERM, "needs an endpoint with write right");
	cap_delete(&t->slots[TCB_DEBUG_EP]);
	cap_derive(ep, &v);
	cap_insert_child(&t->slots[TCB_DEBUG_EP], &v, ep);
	t->debug_owner = c;
	return E_OK;
}

int debug_invoke(struct cap *c, uint64_t label, unsigned len)
{
	struct tcb *t = tcb_of(c);

	/* tcb_invoke checked the debug right. */
	switch (label) {
	case HL_TCB_DEBUG_BIND:
		return bind(t, c, len);
	case HL_TCB_DEBUG_READ:
	case HL_TCB_DEBUG_WRITE:
		return debug_memory(t, label, len);
	case HL_TCB_DEBUG_SET_BREAK:
		return set_break(t, len);
	case HL_TCB_DEBUG_CLEAR_BREAK:
		if (len < 1 || arg(0) > 3)
			return refuse(E_RANGE, "breakpoint slot %lu (0-3)", arg(0));
		t->dr7 &= ~((3ULL << (2 * arg(0))) | (0xFULL << (16 + 4 * arg(0))));
		return E_OK;
	case HL_TCB_DEBUG_STEP:
		if (t == current)
			return refuse(E_BUSY, "a thread cannot single-step itself");
		if (!tcb_runnable_config(t) || t->exited)
			return refuse(E_INVAL, "thread %lu cannot run (exited, or no CSpace/VSpace)", t->id);
		tcb_suspend(t);
		t->ctx.rflags |= 0x100;		/* TF: trap after one instruction */
		t->ctx.full = 1;
		tcb_resume(t);
		return E_OK;
	}
	return refuse(E_NOSYS, "no debug method %lu", label);
}

/* The debugger's cap is gone: its binding, breakpoints and pending step go with it. */
void debug_cap_removed(struct cap *slot)
{
	struct tcb *t = tcb_of(slot);

	if (t->debug_owner != slot)
		return;
	t->dr7 = 0;
	t->ctx.rflags &= ~0x100ULL;
	unbind(t);
}

void debug_cap_moved(struct cap *from, struct cap *to)
{
	struct tcb *t = tcb_of(to);

	if (t->debug_owner == from)
		t->debug_owner = to;
}

/* True if DR6 names an instruction breakpoint (DR7 R/W = 00) of t. */
static bool exec_breakpoint_hit(const struct tcb *t, uint64_t dr6)
{
	for (unsigned i = 0; i < 4; i++)
		if ((dr6 & (1u << i)) && !((t->dr7 >> (16 + 4 * i)) & 3))
			return true;
	return false;
}

void debug_exception(uint64_t dr6)
{
	struct tcb *t = current;

	t->ctx.rflags &= ~0x100ULL;
	/* An instruction breakpoint is a fault: resume with RF set, or it fires again. */
	if (exec_breakpoint_hit(t, dr6))
		t->resume_rf = 1;
	t->fault_type = (dr6 & (1u << 14)) ? HL_FAULT_STEP : HL_FAULT_WATCH;
	t->fault_vector = 1;
	t->fault_error = dr6;
	t->fault_addr = t->ctx.rip;
	fault_deliver(t);
	kernel_exit();
}
