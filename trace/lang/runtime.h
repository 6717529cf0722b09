/*
 * runtime.h: what a running session is made of: the stores (map.c,
 * tuple.c, agg.c), the event a clause runs for, the VM (vm.c), output
 * (out.c) and the session that ties them to a back end (session.c).
 */
#ifndef TRACE_RUNTIME_H
#define TRACE_RUNTIME_H

#include "internal.h"

/* --- map.c --- */
struct tr_map_entry {
	struct tr_map_entry *next;
	uint64_t hash;
	uint32_t keylen;
	_Alignas(16) unsigned char data[];	/* key, then the value at a 16-byte boundary */
};

struct tr_map {
	struct tr_map_entry **buckets;
	size_t nbuckets, count;
	size_t limit;		/* 0: none */
};

uint64_t tr_hash(const void *data, size_t n);
void *tr_entry_value(struct tr_map_entry *e);
struct tr_map_entry *tr_map_find(const struct tr_map *m, const void *key, size_t keylen);
/* The entry for key, created with a zeroed value of vallen bytes if new
 * (*created = 1); NULL when the map is at its limit. */
struct tr_map_entry *tr_map_put(struct tr_map *m, const void *key, size_t keylen, size_t vallen,
				int *created);
void tr_map_remove(struct tr_map *m, struct tr_map_entry *e);
struct tr_map_entry **tr_map_entries(const struct tr_map *m, size_t *n);
void tr_map_clear(struct tr_map *m);

/* --- values --- */
struct tr_stack {
	uint8_t user;
	uint8_t n;
	int64_t pid;
	uint64_t pc[TR_MAX_FRAMES];
};

union tr_slot {
	int64_t i;
	const char *s;
	const struct tr_stack *k;
};

/* --- tuple.c: keys encoded as bytes (type tag, then the value) --- */
enum { TR_KEY_MAX = 16 + TR_MAX_KEYS * (2 + sizeof(struct tr_stack)) };

struct tr_key {
	size_t len;
	unsigned char buf[TR_KEY_MAX];
};

void tr_key_init(struct tr_key *k);
void tr_key_add(struct tr_key *k, int type, union tr_slot v);
void tr_key_add_raw(struct tr_key *k, const void *p, size_t n);
/* Walks an encoded key: the next element at *pos, 0 at the end. */
int tr_key_next(const unsigned char *key, size_t len, size_t *pos, int *type, union tr_slot *v,
		struct tr_stack *stack_buf);
int tr_key_cmp(const unsigned char *a, size_t alen, const unsigned char *b, size_t blen);

/* --- the event clauses run for --- */
struct tr_event {
	const struct hl_trace_record *rec;	/* NULL for BEGIN, END and timers */
	struct tr_probe_name name;
	uint16_t id;
	int nargs;
	uint64_t arg[TR_NARGS];
	uint32_t tid;
	int64_t pid;
	const char *execname;
	uint64_t timestamp, vtimestamp;
	int cpu;
	int has_stack;		/* the back end may give stacks for it */
};

/* --- agg.c --- */
struct tr_aggval {
	int64_t count, sum, min, max;
	unsigned __int128 sumsq;
	int64_t bins[];		/* quantize, lquantize */
};

struct tr_agg {
	const struct tr_aggdef *def;
	struct tr_map map;
	size_t vallen;
	int printed;
};

void tr_agg_init(struct tr_agg *a, const struct tr_aggdef *def, size_t limit);
/* Adds value v under key; -1 when the store is full (a drop). */
int tr_agg_add(struct tr_agg *a, const struct tr_key *key, int64_t v);
void tr_agg_clear(struct tr_agg *a);
void tr_agg_trunc(struct tr_agg *a, int64_t keep, int all);
struct tr_session;
void tr_agg_print(struct tr_session *s, struct tr_agg *a, const struct tr_fmt *f);
void tr_agg_free(struct tr_agg *a);

/* --- session.c state --- */
struct tr_global {
	int64_t i;
	char *s;		/* string globals: TR_STRSIZE + 1 bytes */
};

struct tr_session {
	const struct tr_prog *prog;
	struct tr_backend be;
	unsigned flags;
	struct tr_global *globals;	/* by variable */
	struct tr_map dyn;		/* arrays and self-> variables */
	union tr_slot *locals;		/* this-> variables, by variable */
	struct tr_agg *aggs;
	char *scratch;			/* strings and stacks made during one event */
	size_t scratch_used;
	char out[65536];
	size_t outlen;
	int exiting, exit_status;
	int header_printed, prefix_printed;
	uint64_t records, errors, dyn_drops, agg_drops, timer_skips;
	void *dispatch;			/* session.c's probe -> clauses cache */
	void *clock;			/* session.c's timers and on-CPU times */
};

enum { TR_SCRATCH = 256 * 1024, TR_DYN_LIMIT = 1 << 20, TR_AGG_LIMIT = 1 << 20 };

/* --- out.c --- */
void tr_out(struct tr_session *s, const char *p, size_t n);
void tr_outf(struct tr_session *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void tr_flush(struct tr_session *s);
/* One conversion of a format, with an integer or a string. */
void tr_out_conv(struct tr_session *s, const struct tr_conv *c, union tr_slot v, int64_t pid);
void tr_out_stack(struct tr_session *s, const struct tr_stack *k);
void tr_out_symbol(struct tr_session *s, int user, int64_t pid, uint64_t pc, char *buf, size_t len);

/* --- vm.c --- */
/* Runs clause ci for ev; 0, or -1 with a message in err. */
int tr_vm_run(struct tr_session *s, uint32_t ci, const struct tr_event *ev, char *err,
	      size_t errlen, uint32_t *fault_pc);
/* Before an action prints for ev: without TR_QUIET, the CPU, ID and
 * FUNCTION:NAME columns, once per clause run. */
void tr_action_prefix(struct tr_session *s, const struct tr_event *ev);
/* Scratch memory for one event: NULL when it is used up. */
void *tr_scratch(struct tr_session *s, size_t n);

#endif
