/*
 * agg.c: aggregations: one map per @name from encoded keys to the running
 * state of its function (count, sum, min, max, sum of squares, buckets),
 * and printing them as DTrace does: sorted by value, keys in "  %-50s" or
 * " %16d" columns, values in " %16d", quantize and lquantize as the ASCII
 * distribution with 40 '@' for the whole count.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime.h"

enum { ZERO_BUCKET = 63 };

static int nbins(const struct tr_aggdef *d)
{
	if (d->func == TR_A_QUANTIZE)
		return TR_QUANT_BUCKETS;
	if (d->func == TR_A_LQUANTIZE)
		return d->lq_levels + 2;
	return 0;
}

void tr_agg_init(struct tr_agg *a, const struct tr_aggdef *def, size_t limit)
{
	memset(a, 0, sizeof *a);
	a->def = def;
	a->map.limit = limit;
	a->vallen = sizeof(struct tr_aggval) + sizeof(int64_t) * (size_t)nbins(def);
}

/* DTrace's buckets: ..., -2, -1, 0, 1, 2, 4, ...: value i is in the bucket
 * of the largest power of two not above it (of its magnitude if negative). */
static int quantize_bucket(int64_t v)
{
	uint64_t m;
	int log = 0;

	if (v == 0)
		return ZERO_BUCKET;
	m = v > 0 ? (uint64_t)v : -(uint64_t)v;
	while (log < 63 && m >> (log + 1))	/* INT64_MIN's magnitude is 2^63 */
		log++;
	if (v > 0)
		return log > 62 ? TR_QUANT_BUCKETS - 1 : ZERO_BUCKET + 1 + log;
	return log > 62 ? 0 : ZERO_BUCKET - 1 - log;
}

static int64_t bucket_value(int i)
{
	if (i < ZERO_BUCKET)
		return -(int64_t)(1ull << (ZERO_BUCKET - 1 - i));
	if (i == ZERO_BUCKET)
		return 0;
	return (int64_t)(1ull << (i - ZERO_BUCKET - 1));
}

static int lquantize_bin(const struct tr_aggdef *d, int64_t v)
{
	int64_t level;

	if (v < d->lq_base)
		return 0;
	level = (int64_t)(((__int128)v - d->lq_base) / d->lq_step);
	return level < d->lq_levels ? (int)level + 1 : d->lq_levels + 1;
}

int tr_agg_add(struct tr_agg *a, const struct tr_key *key, int64_t v)
{
	int created;
	struct tr_map_entry *e = tr_map_put(&a->map, key->buf, key->len, a->vallen, &created);
	struct tr_aggval *val;

	if (!e)
		return -1;
	val = tr_entry_value(e);
	if (created || val->count == 0) {
		val->min = v;
		val->max = v;
	}
	val->count++;
	val->sum = (int64_t)((uint64_t)val->sum + (uint64_t)v);	/* wraps, as DTrace's does */
	val->min = v < val->min ? v : val->min;
	val->max = v > val->max ? v : val->max;
	val->sumsq += (unsigned __int128)((__int128)v * v);
	if (a->def->func == TR_A_QUANTIZE)
		val->bins[quantize_bucket(v)]++;
	else if (a->def->func == TR_A_LQUANTIZE)
		val->bins[lquantize_bin(a->def, v)]++;
	return 0;
}

static uint64_t isqrt128(unsigned __int128 x)
{
	uint64_t lo = 0, hi = UINT32_MAX;

	if (x >> 64)
		hi = UINT64_MAX;
	while (lo < hi) {	/* the largest r with r * r <= x */
		uint64_t mid = lo + (hi - lo) / 2 + 1;	/* hi - lo + 1 overflows at 2^64 */

		if ((unsigned __int128)mid * mid <= x)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

/* The figure an entry prints (and sorts) by. */
static int64_t agg_value(const struct tr_aggdef *d, const struct tr_aggval *v)
{
	switch (d->func) {
	case TR_A_COUNT:
		return v->count;
	case TR_A_SUM:
		return v->sum;
	case TR_A_MIN:
		return v->count ? v->min : 0;
	case TR_A_MAX:
		return v->count ? v->max : 0;
	case TR_A_AVG:
		return v->count ? v->sum / v->count : 0;
	case TR_A_STDDEV: {
		/* sqrt(avg(x^2) - avg(x)^2), in integers as DTrace does it */
		unsigned __int128 avgsq, sq;
		int64_t avg;

		if (!v->count)
			return 0;
		avgsq = v->sumsq / (uint64_t)v->count;
		avg = v->sum / v->count;
		sq = (unsigned __int128)((__int128)avg * avg);
		return (int64_t)isqrt128(avgsq > sq ? avgsq - sq : 0);
	}
	default: {
		int64_t total = 0;

		for (int i = 0; i < nbins(d); i++)
			total += v->bins[i];
		return total;
	}
	}
}

void tr_agg_clear(struct tr_agg *a)
{
	size_t n;
	struct tr_map_entry **all = tr_map_entries(&a->map, &n);

	for (size_t i = 0; i < n; i++)
		memset(tr_entry_value(all[i]), 0, a->vallen);
	free(all);
}

struct sorted {
	struct tr_map_entry *e;
	int64_t value;
};

static int by_value(const void *pa, const void *pb)
{
	const struct sorted *a = pa, *b = pb;

	if (a->value != b->value)
		return a->value < b->value ? -1 : 1;
	return tr_key_cmp(a->e->data, a->e->keylen, b->e->data, b->e->keylen);
}

/* Entries sorted by value, then key: DTrace's default order. */
static struct sorted *sort_entries(struct tr_agg *a, size_t *n)
{
	struct tr_map_entry **all = tr_map_entries(&a->map, n);
	struct sorted *s = tr_xalloc((*n ? *n : 1) * sizeof *s);

	for (size_t i = 0; i < *n; i++) {
		s[i].e = all[i];
		s[i].value = agg_value(a->def, tr_entry_value(all[i]));
	}
	free(all);
	qsort(s, *n, sizeof *s, by_value);
	return s;
}

void tr_agg_trunc(struct tr_agg *a, int64_t keep, int all)
{
	size_t n;
	struct sorted *s;
	uint64_t k;

	if (all) {
		tr_map_clear(&a->map);
		return;
	}
	s = sort_entries(a, &n);
	k = keep < 0 ? -(uint64_t)keep : (uint64_t)keep;
	for (size_t i = 0; i < n; i++) {
		/* keep > 0: the largest keep values; keep < 0: the smallest */
		int kept = keep > 0 ? n - i <= k : i < k;

		if (!kept)
			tr_map_remove(&a->map, s[i].e);
	}
	free(s);
}

static void quant_line(struct tr_session *s, int64_t val, long double total, int pos, int neg)
{
	static const char ats[] = "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@";
	static const char spaces[] = "                                        ";
	int len = 40, depth;
	long double mag = val < 0 ? -(long double)val : (long double)val;

	if (!neg) {
		depth = pos ? (int)(mag * len / total + 0.5) : 0;
		tr_outf(s, "|%s%s %-9lld\n", ats + len - depth, spaces + depth, (long long)val);
		return;
	}
	if (!pos) {
		depth = (int)(mag * len / total + 0.5);
		tr_outf(s, "%s%s| %-9lld\n", spaces + depth, ats + len - depth, (long long)val);
		return;
	}
	len /= 2;	/* both signs: half bars either side of the axis */
	depth = (int)(mag * len / total + 0.5);
	if (val <= 0)
		tr_outf(s, "%s%s|%*s %-9lld\n", spaces + 20 + depth, ats + 40 - depth, len, "",
			(long long)val);
	else
		tr_outf(s, "%20s|%s%s %-9lld\n", "", ats + 40 - depth, spaces + 20 + depth,
			(long long)val);
}

/* The range of bins printed: the used ones and one either side. */
static void bin_range(const int64_t *bins, int n, int *first, int *last, int empty_lo,
		      int empty_hi)
{
	*first = 0;
	while (*first < n && bins[*first] == 0)
		(*first)++;
	if (*first == n) {
		*first = empty_lo;
		*last = empty_hi;
		return;
	}
	if (*first > 0)
		(*first)--;
	*last = n - 1;
	while (*last > 0 && bins[*last] == 0)
		(*last)--;
	if (*last < n - 1)
		(*last)++;
}

static void print_distribution(struct tr_session *s, const struct tr_aggdef *d,
			       const struct tr_aggval *v)
{
	int n = nbins(d), first, last, pos = 0, neg = 0;
	long double total = 0;

	if (d->func == TR_A_QUANTIZE)
		bin_range(v->bins, n, &first, &last, ZERO_BUCKET - 1, ZERO_BUCKET + 1);
	else
		bin_range(v->bins, n, &first, &last, 0, 2 < n - 1 ? 2 : n - 1);
	for (int i = first; i <= last; i++) {
		pos |= v->bins[i] > 0;
		neg |= v->bins[i] < 0;
		total += v->bins[i] < 0 ? -(long double)v->bins[i] : (long double)v->bins[i];
	}
	tr_outf(s, "\n%16s %41s %-9s\n", "value", "------------- Distribution -------------", "count");
	for (int i = first; i <= last; i++) {
		char label[48];

		if (d->func == TR_A_QUANTIZE)
			snprintf(label, sizeof label, "%lld", (long long)bucket_value(i));
		else if (i == 0)
			snprintf(label, sizeof label, "< %lld", (long long)d->lq_base);
		else if (i == n - 1)
			snprintf(label, sizeof label, ">= %lld",
				 (long long)(d->lq_base + (int64_t)d->lq_levels * d->lq_step));
		else
			snprintf(label, sizeof label, "%lld", (long long)(d->lq_base + (i - 1) * d->lq_step));
		tr_outf(s, "%16s ", label);
		quant_line(s, v->bins[i], total, pos, neg);
	}
}

static int is_distribution(const struct tr_aggdef *d)
{
	return d->func == TR_A_QUANTIZE || d->func == TR_A_LQUANTIZE;
}

static void print_default(struct tr_session *s, struct tr_agg *a, struct tr_map_entry *e)
{
	size_t pos = 0;
	int type;
	union tr_slot v;
	struct tr_stack sb;

	while (tr_key_next(e->data, e->keylen, &pos, &type, &v, &sb)) {
		if (type == TR_T_INT)
			tr_outf(s, " %16lld", (long long)v.i);
		else if (type == TR_T_STR)
			tr_outf(s, "  %-50s", v.s);
		else
			tr_out_stack(s, v.k);
	}
	if (is_distribution(a->def))
		print_distribution(s, a->def, tr_entry_value(e));
	else if (a->def->func == TR_A_STDDEV)
		tr_outf(s, " %16llu", (unsigned long long)agg_value(a->def, tr_entry_value(e)));
	else
		tr_outf(s, " %16lld", (long long)agg_value(a->def, tr_entry_value(e)));
	tr_out(s, "\n", 1);
}

static void print_formatted(struct tr_session *s, struct tr_agg *a, struct tr_map_entry *e,
			    const struct tr_fmt *f)
{
	size_t pos = 0;
	int type;
	union tr_slot v;
	struct tr_stack sb;

	for (int i = 0; i < f->nconv; i++) {
		const struct tr_conv *c = &f->conv[i];

		if (!c->conv) {
			tr_out(s, c->text, strlen(c->text));
		} else if (c->conv == '@') {
			if (is_distribution(a->def)) {
				print_distribution(s, a->def, tr_entry_value(e));
			} else {
				union tr_slot val = { .i = agg_value(a->def, tr_entry_value(e)) };

				tr_out_conv(s, c, val, 0);
			}
		} else if (tr_key_next(e->data, e->keylen, &pos, &type, &v, &sb)) {
			if (type == TR_T_STACK)
				tr_out_stack(s, v.k);
			else
				tr_out_conv(s, c, v, 0);
		}
	}
}

void tr_agg_print(struct tr_session *s, struct tr_agg *a, const struct tr_fmt *f)
{
	size_t n;
	struct sorted *sorted = sort_entries(a, &n);

	a->printed = 1;
	if (!f)
		tr_out(s, "\n", 1);
	for (size_t i = 0; i < n; i++) {
		if (f)
			print_formatted(s, a, sorted[i].e, f);
		else
			print_default(s, a, sorted[i].e);
	}
	free(sorted);
}

void tr_agg_free(struct tr_agg *a)
{
	tr_map_clear(&a->map);
}
