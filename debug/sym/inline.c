/*
 * inline.c: inlined code. Optimized code copies a function's body into its
 * callers; DWARF describes each copy as a DW_TAG_inlined_subroutine whose
 * DW_AT_abstract_origin names the function, with the copy's addresses
 * (DW_AT_entry_pc, low/high pc or ranges), its call site (DW_AT_call_file,
 * DW_AT_call_line) and its own parameters and locals.
 *
 * Three uses: the chain of inlined copies a pc is in (stk() shows one frame
 * per copy, as gdb does), the variables of one copy, and every copy of a
 * function by name (bpset breaks in all of them). The last walks every DIE
 * of the compile units that define the function as inlined (an abstract
 * instance with DW_AT_inline at their top level), once each, and keeps an
 * index: a function never inlined costs one pass over top-level DIEs.
 * Copies in another unit than their abstract instance (LTO) are missed.
 */
#include <stdlib.h>
#include <string.h>

#include "sym_impl.h"

#define MAX_DEPTH 64

/* The name of the function an inlined copy comes from. */
static const char *origin_name(struct sym *s, struct sym_module *m, Dwarf_Die die)
{
	Dwarf_Die cur = die, o;
	Dwarf_Off off;
	const char *name = NULL;

	for (int i = 0; i < 4 && !name; i++) {
		if (dw_attr_ref(m, cur, DW_AT_abstract_origin, &off) < 0 &&
		    dw_attr_ref(m, cur, DW_AT_specification, &off) < 0)
			break;
		if (dw_die(s, m, off, &o) < 0)
			break;
		if (cur != die)
			dw_dealloc_die(m, cur);
		cur = o;
		name = dw_name(m, cur);	/* the string section's: outlives the DIE */
	}
	if (cur != die)
		dw_dealloc_die(m, cur);
	return name;
}

/* Where a copy starts: DW_AT_entry_pc if its code holds it (gcc may name
 * the call's position there, before any of the copy's instructions), else
 * its lowest address. */
static int entry_of(struct sym_module *m, Dwarf_Die die, uint64_t *pc)
{
	uint64_t *r, e = 0;
	int n, has_e = dw_attr_u(m, die, DW_AT_entry_pc, &e) == 0 && e;

	dw_die_ranges(m, die, &r, &n);
	for (int i = 0; i < n; i++)
		if (has_e && e >= r[2 * i] && e < r[2 * i + 1]) {
			free(r);
			*pc = e;
			return 0;
		}
	if (n)
		*pc = r[0];
	for (int i = 1; i < n; i++)
		if (r[2 * i] < *pc)
			*pc = r[2 * i];
	free(r);
	if (!n && has_e)
		*pc = e;
	return n || has_e ? 0 : -1;
}

/* The tag of die, 0 if unreadable. */
static Dwarf_Half tag_of(struct sym_module *m, Dwarf_Die die)
{
	Dwarf_Half tag = 0;
	Dwarf_Error e = NULL;

	if (dwarf_tag(die, &tag, &e) != DW_DLV_OK)
		dw_drop_err(m, e);
	return tag;
}

/* Fills in one chain entry from an inlined_subroutine DIE. */
static void describe(struct sym *s, struct sym_module *m, struct sym_cu *cu, Dwarf_Die die,
		     Dwarf_Off func_off, struct sym_inline *in)
{
	uint64_t u;
	Dwarf_Error e = NULL;
	Dwarf_Off off = 0;

	memset(in, 0, sizeof *in);
	in->name = origin_name(s, m, die);
	if (entry_of(m, die, &in->entry) == 0)
		in->entry += m->bias;
	if (dw_attr_u(m, die, DW_AT_call_line, &u) == 0)
		in->call_line = (int)u;
	if (dw_attr_u(m, die, DW_AT_call_file, &u) == 0 && cu && line_load(s, m, cu) == 0 &&
	    u < (uint64_t)cu->nfiles)
		in->call_file = cu->files[u];
	if (dwarf_dieoffset(die, &off, &e) != DW_DLV_OK)
		dw_drop_err(m, e);
	in->scope = off;
	in->func = func_off;
}

/* Records the inlined copies below die that hold linkpc, outermost first. */
static int chain_below(struct sym *s, struct sym_module *m, struct sym_cu *cu, Dwarf_Die die,
		       Dwarf_Off func_off, uint64_t linkpc, struct sym_inline *out, int max, int n, int depth)
{
	Dwarf_Error e = NULL;
	Dwarf_Die c = NULL, next;

	if (depth > MAX_DEPTH || dwarf_child(die, &c, &e) != DW_DLV_OK) {
		dw_drop_err(m, e);
		return n;
	}
	while (c) {
		Dwarf_Half tag = tag_of(m, c);
		if ((tag == DW_TAG_inlined_subroutine || tag == DW_TAG_lexical_block) && dw_pc_in(m, c, linkpc)) {
			if (tag == DW_TAG_inlined_subroutine) {
				if (n < max)
					describe(s, m, cu, c, func_off, &out[n]);
				n++;
			}
			n = chain_below(s, m, cu, c, func_off, linkpc, out, max, n, depth + 1);
			dw_dealloc_die(m, c);
			return n;	/* blocks nest: only one child holds the pc */
		}
		next = dw_sibling(m, c);
		dw_dealloc_die(m, c);
		c = next;
	}
	return n;
}

int sym_inline_at(struct sym *s, uint64_t pc, struct sym_inline *out, int max)
{
	struct sym_module *m = sym_module_at(s, pc);
	uint64_t a = pc - m->bias;
	Dwarf_Off off;
	Dwarf_Die fn;
	int n;

	if (!dw_need(m) || dw_func_die_at(s, m, a, &off) < 0 || dw_die(s, m, off, &fn) < 0)
		return 0;
	n = chain_below(s, m, dw_cu_at(s, m, a), fn, off, a, out, max, 0, 0);
	dw_dealloc_die(m, fn);
	if (n > max)
		n = max;
	for (int i = 0; i < n / 2; i++) {	/* innermost first */
		struct sym_inline t = out[i];
		out[i] = out[n - 1 - i];
		out[n - 1 - i] = t;
	}
	return n;
}

/* ---- every copy of a function, by name ---- */

struct site {
	const char *name;
	uint64_t entry;		/* link-time */
};

struct sym_inline_index {
	struct site *v;
	int n;
	char *walked;		/* per compile unit: its copies are in v */
};

static void index_below(struct sym *s, struct sym_module *m, Dwarf_Die die, struct sym_inline_index *ix, int depth)
{
	Dwarf_Error e = NULL;
	Dwarf_Die c = NULL, next;

	if (depth > MAX_DEPTH || dwarf_child(die, &c, &e) != DW_DLV_OK) {
		dw_drop_err(m, e);
		return;
	}
	while (c) {
		Dwarf_Half tag = tag_of(m, c);
		uint64_t pc;
		if (tag == DW_TAG_inlined_subroutine && entry_of(m, c, &pc) == 0) {
			const char *name = origin_name(s, m, c);
			if (name) {
				if (!(ix->v = realloc(ix->v, (ix->n + 1) * sizeof *ix->v)))
					abort();
				ix->v[ix->n++] = (struct site){ name, pc };
			}
		}
		if (tag == DW_TAG_subprogram || tag == DW_TAG_inlined_subroutine ||
		    tag == DW_TAG_lexical_block || tag == DW_TAG_namespace)
			index_below(s, m, c, ix, depth + 1);
		next = dw_sibling(m, c);
		dw_dealloc_die(m, c);
		c = next;
	}
}

/* The index, with every compile unit not yet walked. */
static struct sym_inline_index *index_of(struct sym *s, struct sym_module *m)
{
	if (m->inlines)
		return m->inlines;
	if (!(m->inlines = calloc(1, sizeof *m->inlines)))
		abort();
	if (dw_load_cus(s, m) == 0 && !(m->inlines->walked = calloc(m->ncus + 1, 1)))
		abort();
	return m->inlines;
}

/* Adds the copies in compile unit c to the index, once. */
static void walk_cu(struct sym *s, struct sym_module *m, struct sym_inline_index *ix, int c)
{
	Dwarf_Die cu;

	if (!ix->walked || ix->walked[c])
		return;
	ix->walked[c] = 1;
	if (dw_die(s, m, m->cus[c].die_off, &cu) < 0)
		return;
	index_below(s, m, cu, ix, 0);
	dw_dealloc_die(m, cu);
}

/* Does compile unit c define an abstract instance of a function called
 * name that the compiler inlined (DW_AT_inline 1 or 3)? Only its top
 * level is read: walking every DIE of a large program is what costs. */
static int inlined_in(struct sym *s, struct sym_module *m, int c, const char *name)
{
	Dwarf_Error e = NULL;
	Dwarf_Die cu, ch = NULL, next;
	int found = 0;

	if (dw_die(s, m, m->cus[c].die_off, &cu) < 0)
		return 0;
	if (dwarf_child(cu, &ch, &e) != DW_DLV_OK)
		dw_drop_err(m, e);
	while (ch && !found) {
		uint64_t inl;
		const char *n;
		if (tag_of(m, ch) == DW_TAG_subprogram && dw_attr_u(m, ch, DW_AT_inline, &inl) == 0 &&
		    (inl == DW_INL_inlined || inl == DW_INL_declared_inlined) && (n = dw_name(m, ch)) &&
		    strcmp(n, name) == 0)
			found = 1;
		next = dw_sibling(m, ch);
		dw_dealloc_die(m, ch);
		ch = next;
	}
	dw_dealloc_die(m, ch);
	dw_dealloc_die(m, cu);
	return found;
}

int sym_inline_sites(struct sym *s, const char *name, uint64_t *pcs, int max)
{
	struct sym_module *m = s->mods[0];
	struct sym_inline_index *ix;
	int n = 0;

	if (!dw_need(m))
		return 0;
	ix = index_of(s, m);
	for (int c = 0; c < m->ncus; c++)
		if (!ix->walked[c] && inlined_in(s, m, c, name))
			walk_cu(s, m, ix, c);
	for (int i = 0; i < ix->n; i++) {
		if (strcmp(ix->v[i].name, name) != 0)
			continue;
		int dup = 0;
		for (int j = 0; j < n && j < max; j++)
			dup |= pcs[j] == ix->v[i].entry + m->bias;
		if (dup)
			continue;
		if (n < max)
			pcs[n] = ix->v[i].entry + m->bias;
		n++;
	}
	return n;
}

const char *sym_inline_site_name(struct sym *s, uint64_t pc)
{
	struct sym_module *m = s->mods[0];
	struct sym_inline_index *ix;
	struct sym_cu *cu;

	if (!dw_need(m) || !(cu = dw_cu_at(s, m, pc - m->bias)))
		return NULL;
	ix = index_of(s, m);
	walk_cu(s, m, ix, (int)(cu - m->cus));
	for (int i = 0; i < ix->n; i++)
		if (ix->v[i].entry + m->bias == pc)
			return ix->v[i].name;
	return NULL;
}

void inline_free(struct sym_module *m)
{
	if (m->inlines) {
		free(m->inlines->v);
		free(m->inlines->walked);
	}
	free(m->inlines);
	m->inlines = NULL;
}
