/*
 * fuzz_verify.c: the verifier under libFuzzer, with the VM behind it.
 * The input becomes a program: small tables (variables, aggregations,
 * strings, constants, formats, some of them malformed) and one clause of
 * instructions whose fields are drawn mostly from small ranges, so valid
 * indexes and real opcodes are common. Whatever the verifier accepts is
 * run over a few records: an accepted program that then misbehaves
 * (ASan, UBSan) is a hole in the verifier.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_backend.h"
#include "internal.h"

struct input {
	const uint8_t *p;
	size_t n;
};

static unsigned take(struct input *in)
{
	if (!in->n)
		return 0;
	in->n--;
	return *in->p++;
}

static const char *const strings[] = { "", "echo", "a fairly long string for strjoin", "%s" };
static const char *const formats[] = { "%d %s\n", "%@d\n", "%s %@x %d\n", "plain", "%S %a %p %c %u" };

static void make_tables(struct tr_prog *p, struct input *in)
{
	p->nvars = take(in) % 6;
	p->vars = tr_xalloc(sizeof *p->vars * (p->nvars + 1));
	for (uint32_t i = 0; i < p->nvars; i++) {
		struct tr_var *v = &p->vars[i];

		v->name = tr_strdup("v");
		v->scope = (uint8_t)(take(in) % 4);	/* 3 is no scope */
		v->type = (uint8_t)(take(in) % 4);
		v->nkeys = (uint8_t)(take(in) % 3);
		for (int k = 0; k < v->nkeys; k++)
			v->keys[k] = (uint8_t)(take(in) % 4);
	}
	p->naggs = take(in) % 4;
	p->aggs = tr_xalloc(sizeof *p->aggs * (p->naggs + 1));
	for (uint32_t i = 0; i < p->naggs; i++) {
		struct tr_aggdef *a = &p->aggs[i];

		a->name = tr_strdup("a");
		a->func = (uint8_t)(take(in) % (TR_A_NFUNCS + 1));
		a->nkeys = (uint8_t)(take(in) % 3);
		for (int k = 0; k < a->nkeys; k++)
			a->keys[k] = (uint8_t)(take(in) % 4);
		a->lq_base = (int8_t)take(in);
		a->lq_step = (int8_t)take(in);
		a->lq_levels = (int8_t)take(in);
	}
	p->nstrs = take(in) % 5;
	p->strs = tr_xalloc(sizeof *p->strs * (p->nstrs + 1));
	for (uint32_t i = 0; i < p->nstrs; i++)
		p->strs[i] = tr_strdup(strings[i % 4]);
	p->nconsts = take(in) % 3;
	p->consts = tr_xalloc(sizeof *p->consts * (p->nconsts + 1));
	for (uint32_t i = 0; i < p->nconsts; i++)
		p->consts[i] = (int64_t)take(in) << 40 | take(in);
	p->nfmts = take(in) % 4;
	p->fmts = tr_xalloc(sizeof *p->fmts * (p->nfmts + 1));
	for (uint32_t i = 0; i < p->nfmts; i++) {
		char why[64];
		const char *f = formats[take(in) % 5];

		tr_fmt_parse(&p->fmts[i], f, strchr(f, '@') != NULL, why, sizeof why);
	}
}

static void make_clause(struct tr_prog *p, struct input *in)
{
	struct tr_clause *cl;

	p->nclauses = 1;
	p->clauses = tr_xalloc(sizeof *p->clauses);
	cl = &p->clauses[0];
	cl->ndesc = 1;
	cl->desc = tr_xalloc(sizeof *cl->desc);
	for (int f = 0; f < 4; f++)	/* ":::": every probe */
		cl->desc[0].field[f] = tr_strdup("");
	cl->len = (uint32_t)(in->n / 4);
	cl->code = tr_xalloc(sizeof *cl->code * (cl->len + 1));
	for (uint32_t i = 0; i < cl->len; i++) {
		unsigned sel = take(in), op = take(in), x = take(in), y = take(in);
		struct tr_insn *ins = &cl->code[i];

		ins->op = (uint8_t)(op % (TR_OP_COUNT + 1));
		/* mostly small operands, sometimes anything */
		ins->a = (uint8_t)(sel & 1 ? x : x % 4);
		ins->b = (uint16_t)(sel & 2 ? x << 8 | y : y % 8);
		ins->imm = sel & 4 ? (int32_t)(int8_t)y : (int32_t)(y % 6);
		if ((sel & 0x18) == 0x18)
			ins->imm = (int32_t)((uint32_t)x << 24 | y);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };
	struct tr_prog *p = tr_xalloc(sizeof *p);
	char err[512];

	p->name = tr_strdup("fuzz.tas");
	make_tables(p, &in);
	make_clause(p, &in);
	if (tr_verify(p, err, sizeof err) == 0)
		fuzz_run(p);
	else if (!err[0])
		abort();	/* a refusal must say why */
	tr_prog_free(p);
	return 0;
}
