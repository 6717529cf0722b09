/*
 * rt_thread.c: threads of a root task.
 *
 * A thread gets one of RT_MAX_THREADS areas above RT_THREAD_BASE: an
 * unmapped guard page area, a stack of RT_STACK_SIZE (aligned to its size,
 * with struct rt_tls at its base) and its IPC buffer page. Both are mapped
 * in the root VSpace, so the creator can set them up, and, for a thread in
 * another space, mapped there too at the same addresses through copies of
 * the frame caps. All threads share the root CNode.
 */
#include <mercury/string.h>

#include "rt.h"

#define RT_GUARD_BITS (64 - HL_ROOT_CNODE_BITS)

static uint32_t areas_used;	/* bit i: area i belongs to a thread */

static int area_alloc(void)
{
	for (int i = 0; i < RT_MAX_THREADS; i++)
		if (!(areas_used & (1u << i))) {
			areas_used |= 1u << i;
			return i;
		}
	return -1;
}

/* Makes a frame, maps it at va in the root VSpace and, when sp is given,
 * through a copy of its cap in sp too. */
static int64_t thread_page(hl_cptr_t *f, hl_cptr_t *f2, struct rt_space *sp, uint64_t va)
{
	int64_t st;

	*f = obj_alloc(HL_OBJ_FRAME, 0, &st);
	if (!*f)
		return st;
	st = vm_map(*f, HL_CAP_VSPACE, va, HL_R_READ | HL_R_WRITE, 0);
	if (st != E_OK || !sp)
		return st;
	*f2 = slot_alloc();
	if (!*f2)
		return E_RANGE;
	st = hl_cnode_copy(HL_CAP_CNODE, *f2, RT_DEPTH, HL_CAP_CNODE, *f, RT_DEPTH, HL_R_ALL).status;
	if (st != E_OK) {
		slot_free(*f2);
		*f2 = 0;
		return st;
	}
	return vm_map_tables(*f2, sp->vspace, va, HL_R_READ | HL_R_WRITE, 0, &sp->tables);
}

int64_t rt_thread_init(void)
{
	int64_t st;
	hl_cptr_t f = obj_alloc(HL_OBJ_FRAME, 0, &st);

	if (!f)
		return st;
	st = vm_map(f, HL_CAP_VSPACE, RT_THREAD_BASE, HL_R_READ | HL_R_WRITE, 0);
	hl_frame_unmap(f);
	obj_free(f);
	return st;
}

int64_t rt_thread_create(struct rt_thread *t, struct rt_space *space, void (*fn)(uint64_t),
			 uint64_t arg, uint64_t prio, hl_cptr_t fault_ep, hl_cptr_t exit_ntfn)
{
	uint64_t base, ipc_va;
	struct hl_regs regs;
	struct rt_tls *tls;
	int64_t st;

	memset(t, 0, sizeof(*t));
	t->space = space;
	t->area = area_alloc();
	if (t->area < 0)
		return E_NOMEM;
	base = RT_THREAD_BASE + (uint64_t)t->area * RT_AREA_SIZE + RT_STACK_SIZE;
	ipc_va = base + RT_STACK_SIZE;
	for (unsigned i = 0; i < RT_STACK_PAGES; i++) {
		st = thread_page(&t->stack[i], &t->stack2[i], space, base + i * 4096);
		if (st != E_OK)
			return st;
	}
	st = thread_page(&t->ipc, &t->ipc2, space, ipc_va);
	if (st != E_OK)
		return st;
	t->stack_top = base + RT_STACK_SIZE;
	t->ipcbuf = (struct hl_ipc_buffer *)ipc_va;
	memset((void *)base, 0, RT_STACK_SIZE);
	memset((void *)ipc_va, 0, 4096);
	tls = (struct rt_tls *)base;
	tls->magic = RT_TLS_MAGIC;
	tls->ipc = t->ipcbuf;
	tls->exit_ntfn = exit_ntfn;
	tls->thread = t;

	t->tcb = obj_alloc(HL_OBJ_TCB, 0, &st);
	if (!t->tcb)
		return st;
	tls->tcb = t->tcb;
	st = hl_tcb_configure(t->tcb, fault_ep, HL_CAP_CNODE, RT_GUARD_BITS,
			      space ? space->vspace : HL_CAP_VSPACE, ipc_va,
			      space ? t->ipc2 : t->ipc).status;
	if (st != E_OK)
		return st;
	st = hl_tcb_set_priority(t->tcb, HL_CAP_TCB, prio).status;
	if (st != E_OK)
		return st;
	memset(&regs, 0, sizeof(regs));
	regs.rip = (uint64_t)rt_thread_entry;
	regs.rsp = t->stack_top;	/* rt_thread_entry calls fn: 16-byte aligned here */
	regs.rflags = 0x202;
	regs.rdi = arg;
	regs.rsi = (uint64_t)fn;
	return hl_tcb_write_registers(t->tcb, 0, &regs).status;
}

int64_t rt_thread_start(struct rt_thread *t)
{
	return hl_tcb_resume(t->tcb).status;
}

/* Deletes a frame cap, unmapping it first. */
static void page_free(hl_cptr_t *f)
{
	if (*f) {
		hl_frame_unmap(*f);
		obj_free(*f);
	}
	*f = 0;
}

void rt_thread_destroy(struct rt_thread *t)
{
	if (t->tcb)
		obj_free(t->tcb);
	t->tcb = 0;
	for (unsigned i = 0; i < RT_STACK_PAGES; i++) {
		page_free(&t->stack2[i]);
		page_free(&t->stack[i]);
	}
	page_free(&t->ipc2);
	page_free(&t->ipc);
	if (t->area >= 0)
		areas_used &= ~(1u << t->area);
	t->area = -1;
}

void rt_thread_exit(void)
{
	struct rt_tls *tls = rt_tls();

	if (tls->exit_ntfn)
		hl_signal(tls->exit_ntfn);
	for (;;) {
		hl_tcb_suspend(tls->tcb);
		hl_yield();
	}
}
