/*
 * vm.c: runs one verified clause for one event.
 *
 * The verifier has proved the stack bounded and typed and every operand a
 * valid table index, so the loop below trusts the bytecode's shape and
 * checks only what depends on the data: divisors, dynamic args[] indexes,
 * string space, and memory reads, which go through the back end (and its
 * capabilities) and never touch an address directly.
 */
#include <stdio.h>
#include <string.h>

#include "runtime.h"

#define RTERR(...) do { snprintf(err, errlen, __VA_ARGS__); *fault_pc = pc; return -1; } while (0)

void *tr_scratch(struct tr_session *s, size_t n)
{
	void *p;

	n = (n + 7) & ~(size_t)7;
	if (n > TR_SCRATCH - s->scratch_used)
		return NULL;
	p = s->scratch + s->scratch_used;
	s->scratch_used += n;
	return p;
}

static char *scratch_str(struct tr_session *s, const char *src, size_t n)
{
	char *d = tr_scratch(s, n + 1);

	if (d) {
		memcpy(d, src, n);
		d[n] = '\0';
	}
	return d;
}

/* The key of a dynamic variable: scope, variable, thread, then keys. */
static void dyn_key(struct tr_key *k, const struct tr_var *var, uint16_t vi, uint32_t tid,
		    const union tr_slot *keys)
{
	tr_key_init(k);
	tr_key_add_raw(k, &var->scope, 1);
	tr_key_add_raw(k, &vi, 2);
	if (var->scope == TR_THREAD)
		tr_key_add_raw(k, &tid, 4);
	for (int i = 0; i < var->nkeys; i++)
		tr_key_add(k, var->keys[i], keys[i]);
}

static size_t dyn_size(const struct tr_var *var)
{
	return var->type == TR_T_STR ? TR_STRSIZE + 1 : sizeof(int64_t);
}

/* Loads a dynamic variable; strings are copied (the entry may go). */
static int dyn_load(struct tr_session *s, uint16_t vi, uint32_t tid, const union tr_slot *keys,
		    union tr_slot *out)
{
	const struct tr_var *var = &s->prog->vars[vi];
	struct tr_key k;
	struct tr_map_entry *e;

	dyn_key(&k, var, vi, tid, keys);
	e = tr_map_find(&s->dyn, k.buf, k.len);
	if (var->type == TR_T_INT) {
		out->i = 0;
		if (e)
			memcpy(&out->i, tr_entry_value(e), 8);
		return 0;
	}
	out->s = e ? scratch_str(s, tr_entry_value(e), strlen(tr_entry_value(e))) : "";
	return out->s ? 0 : -1;
}

/* Stores one; 0 and "" delete the entry, as in DTrace. */
static void dyn_store(struct tr_session *s, uint16_t vi, uint32_t tid, const union tr_slot *keys,
		      union tr_slot v)
{
	const struct tr_var *var = &s->prog->vars[vi];
	int zero = var->type == TR_T_INT ? v.i == 0 : v.s[0] == '\0', created;
	struct tr_key k;
	struct tr_map_entry *e;

	dyn_key(&k, var, vi, tid, keys);
	if (zero) {
		e = tr_map_find(&s->dyn, k.buf, k.len);
		if (e)
			tr_map_remove(&s->dyn, e);
		return;
	}
	e = tr_map_put(&s->dyn, k.buf, k.len, dyn_size(var), &created);
	if (!e) {
		s->dyn_drops++;
		return;
	}
	if (var->type == TR_T_INT) {
		memcpy(tr_entry_value(e), &v.i, 8);
	} else {
		size_t n = strnlen(v.s, TR_STRSIZE);

		memcpy(tr_entry_value(e), v.s, n);
		((char *)tr_entry_value(e))[n] = '\0';
	}
}

static int64_t builtin(struct tr_session *s, const struct tr_event *ev, int b, const char **str)
{
	switch (b) {
	case TR_B_PID: return ev->pid;
	case TR_B_TID: return ev->tid;
	case TR_B_EXECNAME: *str = ev->execname; return 0;
	case TR_B_PROBEPROV: *str = ev->name.prov; return 0;
	case TR_B_PROBEMOD: *str = ev->name.mod; return 0;
	case TR_B_PROBEFUNC: *str = ev->name.func; return 0;
	case TR_B_PROBENAME: *str = ev->name.name; return 0;
	case TR_B_TIMESTAMP: return (int64_t)ev->timestamp;
	case TR_B_VTIMESTAMP: return (int64_t)ev->vtimestamp;
	case TR_B_WALLTIMESTAMP: return (int64_t)((uint64_t)s->be.walltime_base + ev->timestamp);
	case TR_B_CPU: return ev->cpu;
	case TR_B_ID: return ev->id;
	default: return (int64_t)ev->arg[b - TR_B_ARG0];
	}
}

/* copyin, copyinstr: through the back end, which holds (or not) the
 * process's debug capability. */
static int read_user(struct tr_session *s, const struct tr_event *ev, uint64_t addr, void *buf,
		     size_t n, char *err, size_t errlen)
{
	int r;

	if (!s->be.read_mem) {
		snprintf(err, errlen, "no process memory is available to this consumer");
		return -1;
	}
	if (ev->pid <= 0) {
		snprintf(err, errlen, "thread %u belongs to no known process", ev->tid);
		return -1;
	}
	r = s->be.read_mem(s->be.ctx, ev->pid, addr, buf, n);
	if (r == TR_EPERM)
		snprintf(err, errlen, "no debug capability for process %lld", (long long)ev->pid);
	else if (r != TR_OK)
		snprintf(err, errlen, "address 0x%llx is not mapped in process %lld",
			 (unsigned long long)addr, (long long)ev->pid);
	return r == TR_OK ? 0 : -1;
}

static const char *copyinstr(struct tr_session *s, const struct tr_event *ev, uint64_t addr,
			     int64_t max, char *err, size_t errlen)
{
	char buf[TR_STRSIZE + 1];
	size_t n = 0, lim = max < 0 || max > TR_STRSIZE ? TR_STRSIZE : (size_t)max;

	/* Byte by byte: a string may end just before an unmapped page. */
	for (; n < lim; n++) {
		if (read_user(s, ev, addr + n, buf + n, 1, err, errlen) < 0) {
			if (n == 0)
				return NULL;
			break;
		}
		if (!buf[n])
			break;
	}
	buf[n] = '\0';
	return scratch_str(s, buf, n);
}

static const char *substr(struct tr_session *s, const char *str, int64_t i, int64_t n, int has_n)
{
	int64_t len = (int64_t)strnlen(str, TR_STRSIZE);

	if (i < 0)
		i = len + i < 0 ? 0 : len + i;
	if (i > len)
		i = len;
	if (!has_n)
		n = len - i;
	else if (n < 0)
		n = len - i + n;
	if (n < 0)
		n = 0;
	if (n > len - i)
		n = len - i;
	return scratch_str(s, str + i, (size_t)n);
}

/* Subroutine b over args; the result in *out. */
static int call(struct tr_session *s, const struct tr_event *ev, int b, int nargs,
		const union tr_slot *args, union tr_slot *out, char *err, size_t errlen)
{
	char buf[2 * TR_STRSIZE + 2];

	buf[0] = '\0';
	switch (b) {
	case TR_S_STRLEN:
		out->i = (int64_t)strnlen(args[0].s, TR_STRSIZE);
		return 0;
	case TR_S_STRJOIN: {
		size_t a = strnlen(args[0].s, TR_STRSIZE), c = strnlen(args[1].s, TR_STRSIZE);

		memcpy(buf, args[0].s, a);
		memcpy(buf + a, args[1].s, c);
		out->s = scratch_str(s, buf, a + c > TR_STRSIZE ? TR_STRSIZE : a + c);
		break;
	}
	case TR_S_SUBSTR:
		out->s = substr(s, args[0].s, args[1].i, nargs > 2 ? args[2].i : 0, nargs > 2);
		break;
	case TR_S_LLTOSTR:
		snprintf(buf, sizeof buf, "%lld", (long long)args[0].i);
		out->s = scratch_str(s, buf, strlen(buf));
		break;
	case TR_S_STRSTR: {
		const char *hit = strstr(args[0].s, args[1].s);

		out->s = hit ? hit : "";
		return 0;
	}
	case TR_S_COPYIN: {
		uint64_t v = 0;
		int64_t n = args[1].i;

		if (n != 1 && n != 2 && n != 4 && n != 8) {
			snprintf(err, errlen, "copyin(0x%llx, %lld): the size must be 1, 2, 4 or 8",
				 (unsigned long long)args[0].i, (long long)n);
			return -1;
		}
		if (read_user(s, ev, (uint64_t)args[0].i, &v, (size_t)n, buf, sizeof buf) < 0) {
			snprintf(err, errlen, "copyin(0x%llx, %lld): %s", (unsigned long long)args[0].i,
				 (long long)n, buf);
			return -1;
		}
		out->i = (int64_t)v;
		return 0;
	}
	case TR_S_COPYINSTR:
		out->s = copyinstr(s, ev, (uint64_t)args[0].i, nargs > 1 ? args[1].i : -1, buf, sizeof buf);
		if (!out->s && buf[0]) {
			snprintf(err, errlen, "copyinstr(0x%llx): %s", (unsigned long long)args[0].i, buf);
			return -1;
		}
		break;
	}
	if (!out->s) {
		snprintf(err, errlen, "out of string space for this event");
		return -1;
	}
	return 0;
}

static void do_printf(struct tr_session *s, const struct tr_event *ev, const struct tr_fmt *f,
		      const union tr_slot *args)
{
	int k = 0;

	tr_action_prefix(s, ev);
	for (int i = 0; i < f->nconv; i++) {
		if (!f->conv[i].conv)
			tr_out(s, f->conv[i].text, strlen(f->conv[i].text));
		else
			tr_out_conv(s, &f->conv[i], args[k++], ev->pid);
	}
}

static void do_trace(struct tr_session *s, const struct tr_event *ev, int type, union tr_slot v)
{
	int quiet = s->flags & TR_QUIET;

	tr_action_prefix(s, ev);
	if (type == TR_T_INT)
		tr_outf(s, quiet ? "%lld" : " %16lld", (long long)v.i);
	else if (type == TR_T_STR)
		tr_outf(s, quiet ? "%s" : "  %-33s", v.s);
	else
		tr_out_stack(s, v.k);
}

static int make_stack(struct tr_session *s, const struct tr_event *ev, int user, int frames,
		      union tr_slot *out)
{
	struct tr_stack *k = tr_scratch(s, sizeof *k);
	int n = 0;

	if (!k)
		return -1;
	memset(k, 0, sizeof *k);
	if (ev->has_stack && s->be.stack)
		n = s->be.stack(s->be.ctx, user, k->pc, frames);
	k->n = (uint8_t)(n < 0 ? 0 : n > frames ? frames : n);
	k->user = (uint8_t)user;
	k->pid = user ? ev->pid : 0;
	out->k = k;
	return 0;
}

static int aggregate(struct tr_session *s, const struct tr_insn *in, union tr_slot *st, int *sp)
{
	struct tr_agg *a = &s->aggs[in->b];
	struct tr_key k;
	int64_t v = 0;

	if (a->def->func != TR_A_COUNT)
		v = st[--*sp].i;
	*sp -= in->a;
	tr_key_init(&k);
	for (int i = 0; i < in->a; i++)
		tr_key_add(&k, a->def->keys[i], st[*sp + i]);
	if (tr_agg_add(a, &k, v) < 0)
		s->agg_drops++;
	return 0;
}

int tr_vm_run(struct tr_session *s, uint32_t ci, const struct tr_event *ev, char *err,
	      size_t errlen, uint32_t *fault_pc)
{
	const struct tr_prog *p = s->prog;
	const struct tr_insn *code = p->clauses[ci].code;
	union tr_slot st[TR_MAX_STACK];
	int sp = 0;
	int64_t a, b;

	for (uint32_t pc = 0;; pc++) {
		const struct tr_insn *in = &code[pc];

		switch (in->op) {
		case TR_OP_NOP:
			break;
		case TR_OP_PUSHI:
			st[sp++].i = in->imm;
			break;
		case TR_OP_PUSHK:
			st[sp++].i = p->consts[in->imm];
			break;
		case TR_OP_PUSHS:
			st[sp++].s = p->strs[in->imm];
			break;
		case TR_OP_POP:
			sp--;
			break;
		case TR_OP_DUP:
			st[sp] = st[sp - 1];
			sp++;
			break;
#define BINOP(OP, EXPR) case TR_OP_##OP: b = st[--sp].i; a = st[sp - 1].i; st[sp - 1].i = (EXPR); break;
		BINOP(ADD, (int64_t)((uint64_t)a + (uint64_t)b))
		BINOP(SUB, (int64_t)((uint64_t)a - (uint64_t)b))
		BINOP(MUL, (int64_t)((uint64_t)a * (uint64_t)b))
		BINOP(AND, a & b)
		BINOP(OR, a | b)
		BINOP(XOR, a ^ b)
		BINOP(SHL, (int64_t)((uint64_t)a << (b & 63)))
		BINOP(SHR, a >> (b & 63))
		BINOP(EQ, a == b)
		BINOP(NE, a != b)
		BINOP(LT, a < b)
		BINOP(LE, a <= b)
		BINOP(GT, a > b)
		BINOP(GE, a >= b)
		BINOP(ULT, (uint64_t)a < (uint64_t)b)
		BINOP(ULE, (uint64_t)a <= (uint64_t)b)
		BINOP(UGT, (uint64_t)a > (uint64_t)b)
		BINOP(UGE, (uint64_t)a >= (uint64_t)b)
#undef BINOP
		case TR_OP_DIV:
		case TR_OP_MOD:
			b = st[--sp].i;
			a = st[sp - 1].i;
			if (b == 0)
				RTERR("division by zero");
			if (b == -1)	/* INT64_MIN / -1 overflows in C */
				st[sp - 1].i = in->op == TR_OP_DIV ? (int64_t)(-(uint64_t)a) : 0;
			else
				st[sp - 1].i = in->op == TR_OP_DIV ? a / b : a % b;
			break;
		case TR_OP_NEG:
			st[sp - 1].i = (int64_t)(-(uint64_t)st[sp - 1].i);
			break;
		case TR_OP_NOT:
			st[sp - 1].i = ~st[sp - 1].i;
			break;
		case TR_OP_LNOT:
			st[sp - 1].i = !st[sp - 1].i;
			break;
		case TR_OP_SCMP: {
			int c = strcmp(st[sp - 2].s, st[sp - 1].s);

			sp--;
			st[sp - 1].i = c < 0 ? -1 : c > 0;
			break;
		}
		case TR_OP_JMP:
			pc += (uint32_t)in->imm;
			break;
		case TR_OP_JZ:
			if (!st[--sp].i)
				pc += (uint32_t)in->imm;
			break;
		case TR_OP_JNZ:
			if (st[--sp].i)
				pc += (uint32_t)in->imm;
			break;
		case TR_OP_LDV: {
			const struct tr_var *var = &p->vars[in->b];

			if (var->scope == TR_GLOBAL) {
				if (var->type == TR_T_INT)
					st[sp].i = s->globals[in->b].i;
				else
					st[sp].s = s->globals[in->b].s;
			} else if (var->scope == TR_CLAUSE) {
				st[sp] = s->locals[in->b];
			} else if (dyn_load(s, in->b, ev->tid, NULL, &st[sp]) < 0) {
				RTERR("out of string space for this event");
			}
			sp++;
			break;
		}
		case TR_OP_STV: {
			const struct tr_var *var = &p->vars[in->b];
			union tr_slot v = st[sp - 1];

			if (var->scope == TR_THREAD) {
				dyn_store(s, in->b, ev->tid, NULL, v);
			} else if (var->type == TR_T_INT) {
				if (var->scope == TR_GLOBAL)
					s->globals[in->b].i = v.i;
				else
					s->locals[in->b].i = v.i;
			} else if (var->scope == TR_GLOBAL) {
				size_t n = strnlen(v.s, TR_STRSIZE);

				memmove(s->globals[in->b].s, v.s, n);
				s->globals[in->b].s[n] = '\0';
				st[sp - 1].s = s->globals[in->b].s;
			} else {
				/* this-> strings live as long as the event's scratch */
				s->locals[in->b].s = scratch_str(s, v.s, strnlen(v.s, TR_STRSIZE));
				if (!s->locals[in->b].s)
					RTERR("out of string space for this event");
			}
			break;
		}
		case TR_OP_LDA:
			sp -= in->a;
			if (dyn_load(s, in->b, 0, &st[sp], &st[sp]) < 0)
				RTERR("out of string space for this event");
			sp++;
			break;
		case TR_OP_STA: {
			union tr_slot v = st[sp - 1];

			sp -= 1 + in->a;
			dyn_store(s, in->b, 0, &st[sp], v);
			st[sp++] = v;
			break;
		}
		case TR_OP_LDB: {
			const char *str = NULL;
			int64_t v = builtin(s, ev, in->b, &str);

			if (str)
				st[sp++].s = str;
			else
				st[sp++].i = v;
			break;
		}
		case TR_OP_LDARG:
			a = st[sp - 1].i;
			if (a < 0 || a >= TR_NARGS)
				RTERR("args[%lld]: index out of range (0 to %d)", (long long)a, TR_NARGS - 1);
			st[sp - 1].i = (int64_t)ev->arg[a];
			break;
		case TR_OP_CALL: {
			union tr_slot r = { 0 };

			sp -= in->a;
			if (call(s, ev, in->b, in->a, &st[sp], &r, err, errlen) < 0) {
				*fault_pc = pc;
				return -1;
			}
			st[sp++] = r;
			break;
		}
		case TR_OP_AGG:
			aggregate(s, in, st, &sp);
			break;
		case TR_OP_TRACE:
			sp--;
			do_trace(s, ev, in->a, st[sp]);
			break;
		case TR_OP_PRINTF:
			sp -= in->a;
			do_printf(s, ev, &p->fmts[in->b], &st[sp]);
			break;
		case TR_OP_PRINTA:
			tr_agg_print(s, &s->aggs[in->b], in->imm >= 0 ? &p->fmts[in->imm] : NULL);
			break;
		case TR_OP_CLEAR:
			tr_agg_clear(&s->aggs[in->b]);
			break;
		case TR_OP_TRUNC:
			a = in->a ? st[--sp].i : 0;
			tr_agg_trunc(&s->aggs[in->b], a, !in->a);
			break;
		case TR_OP_STACK:
			if (make_stack(s, ev, in->a, in->imm, &st[sp++]) < 0)
				RTERR("out of scratch space for this event");
			break;
		case TR_OP_PSTACK:
			tr_action_prefix(s, ev);
			tr_out_stack(s, st[--sp].k);
			break;
		case TR_OP_EXIT:
			s->exiting = 1;
			s->exit_status = (int)st[--sp].i;
			break;
		case TR_OP_RET:
			return 0;
		default:
			RTERR("internal: opcode %u reached the VM", in->op);
		}
	}
}
