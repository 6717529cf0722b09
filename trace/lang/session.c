/*
 * session.c: runs a verified program over a back end's records.
 *
 * Order of events: BEGIN (at the first record's time), then per record
 * the timers (tick-N, profile-N) its time has passed, then the clauses its
 * probe matches (found once per probe and cached), then END at the last
 * record's time and the aggregations nothing printed yet. A runtime error
 * stops one clause for one event, is reported with where it happened, and
 * tracing goes on, as in DTrace. exit() ends tracing after its clause.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <helios/syscall.h>

#include "runtime.h"

enum { MAX_CPUS = 256, MAX_CATCH_UP = 100000 };

struct timer {
	uint32_t clause;
	uint64_t interval, next;
	int profile;
	const char *name;
};

struct thread_time {
	uint64_t since, total;
	int on_cpu;
};

struct clock {
	struct timer *timers;
	uint32_t ntimers;
	int started, sched_seen;
	uint64_t now;			/* of the last record */
	uint32_t running[MAX_CPUS];	/* thread last seen on each CPU */
	uint8_t cpu_seen[MAX_CPUS];
	struct tr_map threads;		/* tid -> struct thread_time */
};

/* Kernel probes' functions are system call names: one slot per call,
 * one more for every number past the last call ("unknown"). */
enum { FUNC_SLOTS = HL_SYS_COUNT + 1 };

struct dispatch {
	struct tr_map cache;		/* probe key -> uint32 count, clause indexes */
	const uint32_t *kernel[HL_PROBE_COUNT][FUNC_SLOTS];	/* the same, found faster */
	uint32_t *begin, *end;
	uint32_t nbegin, nend;
};

static uint64_t to_ns(const struct tr_session *s, uint64_t tsc)
{
	uint64_t hz = s->be.tsc_hz ? s->be.tsc_hz : 1000000000ull;

	return (uint64_t)((unsigned __int128)tsc * 1000000000ull / hz);
}

static void report(struct tr_session *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void report(struct tr_session *s, const char *fmt, ...)
{
	char msg[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	tr_flush(s);
	if (s->be.error)
		s->be.error(s->be.ctx, msg);
}

void tr_action_prefix(struct tr_session *s, const struct tr_event *ev)
{
	char name[128];

	if ((s->flags & TR_QUIET) || s->prefix_printed)
		return;
	if (!s->header_printed) {
		tr_outf(s, "%3s %6s %32s\n", "CPU", "ID", "FUNCTION:NAME");
		s->header_printed = 1;
	}
	snprintf(name, sizeof name, "%s:%s", ev->name.func, ev->name.name);
	tr_outf(s, "%3d %6u %32s ", ev->cpu, ev->id, name);
	s->prefix_printed = 1;
}

static void run_clause(struct tr_session *s, uint32_t ci, const struct tr_event *ev)
{
	const struct tr_clause *cl = &s->prog->clauses[ci];
	char err[512];
	uint32_t pc = 0;

	s->prefix_printed = 0;
	if (tr_vm_run(s, ci, ev, err, sizeof err, &pc) < 0) {
		if (s->prefix_printed)
			tr_out(s, "\n", 1);
		s->prefix_printed = 0;
		s->errors++;
		report(s, "error on %s:%s:%s:%s in the clause at %s:%d:%d (instruction %u): %s",
		       ev->name.prov, ev->name.mod, ev->name.func, ev->name.name, s->prog->name,
		       cl->line, cl->col, pc, err);
		return;
	}
	if (s->prefix_printed)
		tr_out(s, "\n", 1);
}

/* Runs clauses (list of n) for one event, each with fresh this-> values. */
static void fire(struct tr_session *s, const uint32_t *list, uint32_t n, const struct tr_event *ev)
{
	if (!n)
		return;
	s->scratch_used = 0;
	for (uint32_t v = 0; v < s->prog->nvars; v++)	/* this-> starts at 0 or "" */
		if (s->prog->vars[v].scope == TR_CLAUSE) {
			if (s->prog->vars[v].type == TR_T_STR)
				s->locals[v].s = "";
			else
				s->locals[v].i = 0;
		}
	for (uint32_t i = 0; i < n && !s->exiting; i++)
		run_clause(s, list[i], ev);
}

/* BEGIN, END and timers run in the consumer's own context. */
static void special_event(struct tr_event *ev, const char *prov, const char *name, uint64_t now)
{
	memset(ev, 0, sizeof *ev);
	ev->name.prov = prov;
	ev->name.mod = "";
	ev->name.func = "";
	ev->name.name = name;
	ev->execname = "trace";
	ev->timestamp = now;
	ev->vtimestamp = now;
}

static void clause_list(const struct tr_prog *p, const char *which, uint32_t **list, uint32_t *n)
{
	*list = tr_xalloc(sizeof **list * (p->nclauses ? p->nclauses : 1));
	*n = 0;
	for (uint32_t c = 0; c < p->nclauses; c++)
		for (int d = 0; d < p->clauses[c].ndesc; d++)
			if (tr_pdesc_is(&p->clauses[c].desc[d], which)) {
				(*list)[(*n)++] = c;
				break;
			}
}

static void setup_timers(struct tr_session *s, struct clock *ck)
{
	const struct tr_prog *p = s->prog;

	for (uint32_t c = 0; c < p->nclauses; c++)
		for (int d = 0; d < p->clauses[c].ndesc; d++) {
			char why[128];
			int profile;
			uint64_t iv = tr_pdesc_timer(&p->clauses[c].desc[d], &profile, why, sizeof why);

			if (!iv)
				continue;
			TR_GROW(ck->timers, ck->ntimers);
			ck->timers[ck->ntimers++] = (struct timer){ c, iv, 0, profile,
								    p->clauses[c].desc[d].field[3] };
		}
}

struct tr_session *tr_session_new(const struct tr_prog *p, const struct tr_backend *be, unsigned flags)
{
	struct tr_session *s = tr_xalloc(sizeof *s);
	struct dispatch *d = tr_xalloc(sizeof *d);
	struct clock *ck = tr_xalloc(sizeof *ck);

	s->prog = p;
	s->be = *be;
	s->flags = flags | (p->quiet ? TR_QUIET : 0);
	s->globals = tr_xalloc(sizeof *s->globals * (p->nvars ? p->nvars : 1));
	for (uint32_t i = 0; i < p->nvars; i++)
		if (p->vars[i].type == TR_T_STR && p->vars[i].scope == TR_GLOBAL && !p->vars[i].nkeys)
			s->globals[i].s = tr_xalloc(TR_STRSIZE + 1);
	s->locals = tr_xalloc(sizeof *s->locals * (p->nvars ? p->nvars : 1));
	s->dyn.limit = TR_DYN_LIMIT;
	s->aggs = tr_xalloc(sizeof *s->aggs * (p->naggs ? p->naggs : 1));
	for (uint32_t i = 0; i < p->naggs; i++)
		tr_agg_init(&s->aggs[i], &p->aggs[i], TR_AGG_LIMIT);
	s->scratch = tr_xalloc(TR_SCRATCH);
	clause_list(p, "BEGIN", &d->begin, &d->nbegin);
	clause_list(p, "END", &d->end, &d->nend);
	setup_timers(s, ck);
	s->dispatch = d;
	s->clock = ck;
	return s;
}

/* The clauses a record's probe runs: matched on first sight, then cached
 * by probe (and system call number, which names the function). */
static const uint32_t *clauses_for(struct tr_session *s, const struct tr_event *ev, uint32_t *n)
{
	struct dispatch *d = s->dispatch;
	const struct tr_prog *p = s->prog;
	uint32_t slot = ev->name.func[0] ? (uint32_t)(ev->arg[0] < HL_SYS_COUNT ? ev->arg[0] : HL_SYS_COUNT) : 0;
	uint32_t key = (uint32_t)ev->id << 8 | slot;
	const uint32_t **fast = ev->id < HL_PROBE_COUNT ? &d->kernel[ev->id][slot] : NULL;
	struct tr_map_entry *e;
	uint32_t *v;
	int created;

	if (fast && *fast) {
		*n = (*fast)[0];
		return *fast + 1;
	}
	e = tr_map_find(&d->cache, &key, sizeof key);
	if (!e) {
		e = tr_map_put(&d->cache, &key, sizeof key, sizeof(uint32_t) * (1 + p->nclauses), &created);
		v = tr_entry_value(e);
		for (uint32_t c = 0; c < p->nclauses; c++)
			for (int k = 0; k < p->clauses[c].ndesc; k++)
				if (tr_pdesc_matches(&p->clauses[c].desc[k], &ev->name)) {
					v[1 + v[0]++] = c;
					break;
				}
	}
	v = tr_entry_value(e);
	if (fast)
		*fast = v;	/* entries stay where they are until the session ends */
	*n = v[0];
	return v + 1;
}

static struct thread_time *thread_time(struct clock *ck, uint32_t tid)
{
	int created;
	struct tr_map_entry *e = tr_map_put(&ck->threads, &tid, sizeof tid, sizeof(struct thread_time),
					    &created);

	return e ? tr_entry_value(e) : NULL;
}

/* sched:switch moves on-CPU time from one thread to the next. */
static void track_cpu(struct clock *ck, const struct hl_trace_record *r, uint64_t now)
{
	ck->cpu_seen[r->cpu] = 1;
	if (r->probe == HL_PROBE_SCHED_SWITCH) {
		struct thread_time *from = thread_time(ck, (uint32_t)r->arg[0]);
		struct thread_time *to = thread_time(ck, (uint32_t)r->arg[1]);

		ck->sched_seen = 1;
		if (from && from->on_cpu) {
			from->total += now - from->since;
			from->on_cpu = 0;
		}
		if (to) {
			to->since = now;
			to->on_cpu = 1;
		}
		ck->running[r->cpu] = (uint32_t)r->arg[1];
	} else if (r->thread) {
		ck->running[r->cpu] = r->thread;
	}
}

static uint64_t vtimestamp(struct clock *ck, uint32_t tid, uint64_t now)
{
	struct thread_time *t;

	if (!ck->sched_seen)
		return now;
	t = thread_time(ck, tid);
	if (!t)
		return 0;
	return t->total + (t->on_cpu ? now - t->since : 0);
}

static void set_process(struct tr_session *s, struct tr_event *ev)
{
	ev->pid = 0;
	ev->execname = ev->tid ? "?" : "kernel";
	if (ev->tid && s->be.proc && s->be.proc(s->be.ctx, ev->tid, &ev->pid, &ev->execname) != TR_OK) {
		ev->pid = 0;
		ev->execname = "?";
	}
}

static void fire_timer(struct tr_session *s, struct clock *ck, struct timer *t)
{
	struct tr_event ev;

	for (int cpu = 0; cpu < MAX_CPUS && !s->exiting; cpu++) {
		if (t->profile ? !ck->cpu_seen[cpu] : cpu != 0)
			continue;
		special_event(&ev, "profile", t->name, t->next);
		ck->now = t->next;	/* END after an exit here happens at this time */
		ev.cpu = cpu;
		if (t->profile) {
			ev.tid = ck->running[cpu];
			set_process(s, &ev);
			ev.vtimestamp = vtimestamp(ck, ev.tid, t->next);
		}
		fire(s, &t->clause, 1, &ev);
	}
}

/* Fires, in time order, every timer due at or before now. */
static void run_timers(struct tr_session *s, struct clock *ck, uint64_t now)
{
	uint32_t fired[64];

	if (!ck->ntimers)
		return;
	memset(fired, 0, sizeof fired);
	if (!ck->started) {
		for (uint32_t i = 0; i < ck->ntimers; i++)
			ck->timers[i].next = now + ck->timers[i].interval;
		ck->started = 1;
	}
	while (!s->exiting) {
		struct timer *due = NULL;

		for (uint32_t i = 0; i < ck->ntimers; i++)
			if (ck->timers[i].next <= now && (!due || ck->timers[i].next < due->next))
				due = &ck->timers[i];
		if (!due)
			break;
		if (fired[(due - ck->timers) % 64]++ >= MAX_CATCH_UP) {
			/* a gap in the stream far longer than the interval */
			uint64_t skip = (now - due->next) / due->interval + 1;

			s->timer_skips += skip;
			due->next += skip * due->interval;
			continue;
		}
		fire_timer(s, ck, due);
		due->next += due->interval;
	}
}

static void record_event(struct tr_session *s, const struct hl_trace_record *r, struct tr_event *ev,
			 uint64_t now)
{
	int n = r->nargs < HL_TRACE_ARGS ? r->nargs : HL_TRACE_ARGS;

	memset(ev, 0, sizeof *ev);
	ev->rec = r;
	ev->id = r->probe;
	ev->nargs = n;
	for (int i = 0; i < HL_TRACE_ARGS; i++)
		ev->arg[i] = r->arg[i];
	tr_probe_name(r->probe, r->arg[0], &ev->name);
	ev->tid = r->thread;
	ev->cpu = r->cpu;
	ev->timestamp = now;
	ev->vtimestamp = vtimestamp(s->clock, r->thread, now);
	ev->has_stack = 1;
	set_process(s, ev);
}

static void process(struct tr_session *s, const struct hl_trace_record *r, uint64_t *lost)
{
	struct clock *ck = s->clock;
	uint64_t now = to_ns(s, r->tsc);
	struct tr_event ev;
	const uint32_t *list;
	uint32_t n;

	s->records++;
	if (r->probe == HL_PROBE_LOST)
		*lost += r->arg[0];
	run_timers(s, ck, now);
	if (s->exiting)
		return;
	track_cpu(ck, r, now);
	ck->now = now;
	record_event(s, r, &ev, now);
	list = clauses_for(s, &ev, &n);
	fire(s, list, n, &ev);
}

static void final_report(struct tr_session *s, uint64_t lost)
{
	if (lost)
		report(s, "%llu records were lost by the kernel (trace:lost records in the stream)",
		       (unsigned long long)lost);
	if (s->dyn_drops)
		report(s, "%llu dynamic variable drops (more than %d entries)",
		       (unsigned long long)s->dyn_drops, TR_DYN_LIMIT);
	if (s->agg_drops)
		report(s, "%llu aggregation drops (more than %d keys)", (unsigned long long)s->agg_drops,
		       TR_AGG_LIMIT);
	if (s->timer_skips)
		report(s, "%llu timer firings skipped over gaps in the stream",
		       (unsigned long long)s->timer_skips);
	if (s->errors)
		report(s, "%llu error%s", (unsigned long long)s->errors, s->errors == 1 ? "" : "s");
}

int tr_session_run(struct tr_session *s)
{
	struct dispatch *d = s->dispatch;
	struct clock *ck = s->clock;
	struct hl_trace_record r;
	struct tr_event ev;
	char err[256] = "";
	uint64_t lost = 0;
	int got = s->be.next(s->be.ctx, &r, err, sizeof err), failed = 0;

	special_event(&ev, "dtrace", "BEGIN", got == 1 ? to_ns(s, r.tsc) : 0);
	ck->now = ev.timestamp;
	fire(s, d->begin, d->nbegin, &ev);
	while (got == 1 && !s->exiting) {
		process(s, &r, &lost);
		if (!s->exiting)
			got = s->be.next(s->be.ctx, &r, err, sizeof err);
	}
	if (got < 0) {
		report(s, "reading the stream: %s", err);
		failed = 1;
	}
	s->exiting = 0;
	special_event(&ev, "dtrace", "END", ck->now);
	fire(s, d->end, d->nend, &ev);
	for (uint32_t i = 0; i < s->prog->naggs; i++)
		if (!s->aggs[i].printed && s->aggs[i].map.count)
			tr_agg_print(s, &s->aggs[i], NULL);
	tr_flush(s);
	final_report(s, lost);
	if (failed)
		return 1;
	return s->exit_status;
}

uint64_t tr_session_records(const struct tr_session *s)
{
	return s->records;
}

uint64_t tr_session_errors(const struct tr_session *s)
{
	return s->errors;
}

void tr_session_free(struct tr_session *s)
{
	struct dispatch *d = s->dispatch;
	struct clock *ck = s->clock;

	for (uint32_t i = 0; i < s->prog->nvars; i++)
		free(s->globals[i].s);
	for (uint32_t i = 0; i < s->prog->naggs; i++)
		tr_agg_free(&s->aggs[i]);
	tr_map_clear(&s->dyn);
	tr_map_clear(&d->cache);
	tr_map_clear(&ck->threads);
	free(d->begin);
	free(d->end);
	free(d);
	free(ck->timers);
	free(ck);
	free(s->globals);
	free(s->locals);
	free(s->aggs);
	free(s->scratch);
	free(s);
}
