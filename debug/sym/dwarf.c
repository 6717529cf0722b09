/*
 * dwarf.c: libdwarf handles, DIE attribute helpers and the compile-unit
 * index.
 *
 * The index is built on the first DWARF question: one pass over the CU
 * headers recording each CU DIE's offset and address ranges (low/high pc,
 * DWARF 4 .debug_ranges or DWARF 5 .debug_rnglists). Everything inside a CU
 * (lines, types, variables) is read only when a pc or name leads there.
 * libdwarf errors are dropped after use: the caller reports its own message.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sym_impl.h"

void dw_drop_err(struct sym_module *m, Dwarf_Error e)
{
	if (e && m->dbg)
		dwarf_dealloc(m->dbg, e, DW_DLA_ERROR);
}

void dw_dealloc_die(struct sym_module *m, Dwarf_Die die)
{
	if (die)
		dwarf_dealloc(m->dbg, die, DW_DLA_DIE);
}

/* die's next sibling, or NULL at the end of the list. A sibling must lie
 * after die: libdwarf jumps wherever DW_AT_sibling points, and a corrupt
 * one pointing back (found by the fuzzer) made walks over children loop
 * forever. */
Dwarf_Die dw_sibling(struct sym_module *m, Dwarf_Die die)
{
	Dwarf_Error e = NULL;
	Dwarf_Die next = NULL;
	Dwarf_Off here = 0, there = 0;

	if (dwarf_siblingof_b(m->dbg, die, 1, &next, &e) != DW_DLV_OK ||
	    dwarf_dieoffset(die, &here, &e) != DW_DLV_OK || dwarf_dieoffset(next, &there, &e) != DW_DLV_OK ||
	    there <= here) {
		dw_drop_err(m, e);
		dw_dealloc_die(m, next);
		return NULL;
	}
	return next;
}

int dw_open(struct sym_module *m, char *err, size_t errlen)
{
	Dwarf_Error e = NULL;

	if (dw_sane(m, err, errlen) < 0) {
		size_t n = strlen(err);
		snprintf(err + n, errlen - n, " (%s)", m->path);
		return -1;
	}
	int r = dwarf_init_b(m->fd, DW_DLC_READ, DW_GROUPNUMBER_ANY, NULL, NULL, &m->dbg, &e);

	if (r == DW_DLV_NO_ENTRY) {
		m->dbg = NULL;	/* no DWARF: ELF symbols only */
		return 0;
	}
	if (r != DW_DLV_OK) {
		snprintf(err, errlen, "%s: bad DWARF: %s", m->path, e ? dwarf_errmsg(e) : "?");
		if (e)
			dwarf_dealloc(NULL, e, DW_DLA_ERROR);
		m->dbg = NULL;
		return -1;
	}
	/* x86_64 CFI: registers a CIE leaves unmentioned keep their value */
	dwarf_set_frame_rule_initial_value(m->dbg, DW_FRAME_SAME_VAL);
	dwarf_set_frame_rule_table_size(m->dbg, DW_FRAME_HIGHEST_NORMAL_REGISTER + 1);
	return 0;
}

void dw_close(struct sym_module *m)
{
	Dwarf_Error e = NULL;

	for (int i = 0; i < m->ncus; i++) {
		struct sym_cu *cu = &m->cus[i];
		free(cu->ranges);
		free(cu->rows);
		for (int j = 0; j < cu->nfiles; j++)
			free(cu->files[j]);
		free(cu->files);
	}
	free(m->cus);
	free(m->dw_owned[0]);
	free(m->dw_owned[1]);
	m->dw_owned[0] = m->dw_owned[1] = NULL;
	map_free(&m->types);
	var_free(m);
	inline_free(m);
	unwind_free(m);
	if (m->dbg)
		dwarf_finish(m->dbg, &e);
	if (m->cfi_dbg)
		dwarf_finish(m->cfi_dbg, &e);
	m->dbg = m->cfi_dbg = NULL;
}

static int get_attr(struct sym_module *m, Dwarf_Die die, Dwarf_Half at, Dwarf_Attribute *a)
{
	Dwarf_Error e = NULL;
	int r = dwarf_attr(die, at, a, &e);

	dw_drop_err(m, e);
	return r == DW_DLV_OK ? 0 : -1;
}

int dw_has_attr(struct sym_module *m, Dwarf_Die die, Dwarf_Half at)
{
	Dwarf_Bool has = 0;
	Dwarf_Error e = NULL;

	if (dwarf_hasattr(die, at, &has, &e) != DW_DLV_OK) {
		dw_drop_err(m, e);
		return 0;
	}
	return has;
}

int dw_attr_u(struct sym_module *m, Dwarf_Die die, Dwarf_Half at, uint64_t *v)
{
	Dwarf_Attribute a;
	Dwarf_Error e = NULL;
	Dwarf_Unsigned u;
	Dwarf_Signed sv;
	Dwarf_Addr addr;
	int r;

	if (get_attr(m, die, at, &a) < 0)
		return -1;
	if ((r = dwarf_formudata(a, &u, &e)) == DW_DLV_OK) {
		*v = u;
	} else {
		dw_drop_err(m, e);
		e = NULL;
		if ((r = dwarf_formsdata(a, &sv, &e)) == DW_DLV_OK) {
			*v = (uint64_t)sv;
		} else {
			dw_drop_err(m, e);
			e = NULL;
			if ((r = dwarf_formaddr(a, &addr, &e)) == DW_DLV_OK)
				*v = addr;
			dw_drop_err(m, e);
		}
	}
	dwarf_dealloc(m->dbg, a, DW_DLA_ATTR);
	return r == DW_DLV_OK ? 0 : -1;
}

int dw_attr_s(struct sym_module *m, Dwarf_Die die, Dwarf_Half at, int64_t *v)
{
	Dwarf_Attribute a;
	Dwarf_Error e = NULL;
	Dwarf_Signed sv;
	Dwarf_Unsigned u;
	Dwarf_Half form = 0;
	int r;

	if (get_attr(m, die, at, &a) < 0)
		return -1;
	dwarf_whatform(a, &form, &e);
	dw_drop_err(m, e);
	e = NULL;
	if (form == DW_FORM_udata) {
		r = dwarf_formudata(a, &u, &e);
		sv = (Dwarf_Signed)u;
	} else {
		r = dwarf_formsdata(a, &sv, &e);
	}
	dw_drop_err(m, e);
	dwarf_dealloc(m->dbg, a, DW_DLA_ATTR);
	if (r != DW_DLV_OK)
		return -1;
	*v = sv;
	return 0;
}

int dw_attr_ref(struct sym_module *m, Dwarf_Die die, Dwarf_Half at, Dwarf_Off *off)
{
	Dwarf_Attribute a;
	Dwarf_Error e = NULL;
	int r;

	if (get_attr(m, die, at, &a) < 0)
		return -1;
	r = dwarf_global_formref(a, off, &e);
	dw_drop_err(m, e);
	dwarf_dealloc(m->dbg, a, DW_DLA_ATTR);
	return r == DW_DLV_OK ? 0 : -1;
}

/* The DIE's name; a string owned by libdwarf's sections, valid until close. */
const char *dw_name(struct sym_module *m, Dwarf_Die die)
{
	char *name = NULL;
	Dwarf_Error e = NULL;

	if (dwarf_diename(die, &name, &e) != DW_DLV_OK) {
		dw_drop_err(m, e);
		return NULL;
	}
	return name;
}

int dw_die(struct sym *s, struct sym_module *m, Dwarf_Off off, Dwarf_Die *die)
{
	Dwarf_Error e = NULL;

	if (dwarf_offdie_b(m->dbg, off, 1, die, &e) != DW_DLV_OK) {
		dw_drop_err(m, e);
		sym_seterr(s, "%s: bad DWARF reference 0x%llx", m->path, (unsigned long long)off);
		return -1;
	}
	return 0;
}

static void push_range(uint64_t **r, int *n, uint64_t lo, uint64_t hi)
{
	if (hi <= lo)
		return;
	if (!(*r = realloc(*r, (*n + 1) * 2 * sizeof **r)))
		abort();
	(*r)[2 * *n] = lo;
	(*r)[2 * *n + 1] = hi;
	(*n)++;
}

/* DWARF 5 DW_AT_ranges through .debug_rnglists. */
static int rnglist_ranges(struct sym_module *m, Dwarf_Attribute a, uint64_t **r, int *n)
{
	Dwarf_Error e = NULL;
	Dwarf_Half form = 0;
	Dwarf_Unsigned val = 0, count = 0, goff = 0;
	Dwarf_Rnglists_Head head = NULL;

	Dwarf_Off off = 0;
	int rc;

	if (dwarf_whatform(a, &form, &e) != DW_DLV_OK) {
		dw_drop_err(m, e);
		return -1;
	}
	/* an offset into the section, or an index into the CU's offset table */
	if (form == DW_FORM_rnglistx) {
		rc = dwarf_formudata(a, &val, &e);
	} else {
		rc = dwarf_global_formref(a, &off, &e);
		val = off;
		if (rc == DW_DLV_OK && !dw_list_ok(m, 0, off))
			return -1;	/* libdwarf would read a corrupt list blindly */
	}
	if (rc != DW_DLV_OK ||
	    dwarf_rnglists_get_rle_head(a, form, val, &head, &count, &goff, &e) != DW_DLV_OK) {
		dw_drop_err(m, e);
		return -1;
	}
	for (Dwarf_Unsigned i = 0; i < count; i++) {
		unsigned len = 0, kind = 0;
		Dwarf_Unsigned raw1, raw2, lo, hi;
		Dwarf_Bool unavail = 0;
		if (dwarf_get_rnglists_entry_fields_a(head, i, &len, &kind, &raw1, &raw2,
						      &unavail, &lo, &hi, &e) != DW_DLV_OK) {
			dw_drop_err(m, e);
			break;
		}
		if (kind != DW_RLE_end_of_list && kind != DW_RLE_base_address &&
		    kind != DW_RLE_base_addressx && !unavail)
			push_range(r, n, lo, hi);
	}
	dwarf_dealloc_rnglists_head(head);
	return 0;
}

/* DWARF 2-4 DW_AT_ranges through .debug_ranges; base is the CU's low pc. */
static int debug_ranges(struct sym_module *m, Dwarf_Die die, Dwarf_Attribute a,
			uint64_t base, uint64_t **r, int *n)
{
	Dwarf_Error e = NULL;
	Dwarf_Off off = 0, real = 0;
	Dwarf_Ranges *rb = NULL;
	Dwarf_Signed count = 0;
	Dwarf_Unsigned bytes = 0;

	if (dwarf_global_formref(a, &off, &e) != DW_DLV_OK ||
	    dwarf_get_ranges_b(m->dbg, off, die, &real, &rb, &count, &bytes, &e) != DW_DLV_OK) {
		dw_drop_err(m, e);
		return -1;
	}
	for (Dwarf_Signed i = 0; i < count; i++) {
		if (rb[i].dwr_type == DW_RANGES_ADDRESS_SELECTION)
			base = rb[i].dwr_addr2;
		else if (rb[i].dwr_type == DW_RANGES_ENTRY)
			push_range(r, n, base + rb[i].dwr_addr1, base + rb[i].dwr_addr2);
	}
	dwarf_ranges_dealloc(m->dbg, rb, count);
	return 0;
}

int dw_die_ranges(struct sym_module *m, Dwarf_Die die, uint64_t **ranges, int *n)
{
	Dwarf_Error e = NULL;
	Dwarf_Addr lo = 0, hi = 0;
	Dwarf_Half form = 0;
	enum Dwarf_Form_Class cls;
	Dwarf_Attribute a;
	Dwarf_Half ver = 0, offsz = 0;

	*ranges = NULL;
	*n = 0;
	if (dwarf_lowpc(die, &lo, &e) == DW_DLV_OK &&
	    dwarf_highpc_b(die, &hi, &form, &cls, &e) == DW_DLV_OK) {
		if (cls != DW_FORM_CLASS_ADDRESS)
			hi += lo;	/* DWARF 4+: high pc is a length */
		push_range(ranges, n, lo, hi);
		return 0;
	}
	dw_drop_err(m, e);
	if (get_attr(m, die, DW_AT_ranges, &a) < 0)
		return 0;
	e = NULL;
	dwarf_get_version_of_die(die, &ver, &offsz);
	if (ver >= 5)
		rnglist_ranges(m, a, ranges, n);
	else
		debug_ranges(m, die, a, lo, ranges, n);
	dwarf_dealloc(m->dbg, a, DW_DLA_ATTR);
	return 0;
}

int dw_pc_in(struct sym_module *m, Dwarf_Die die, uint64_t linkpc)
{
	uint64_t *r;
	int n, in = 0;

	dw_die_ranges(m, die, &r, &n);
	for (int i = 0; i < n && !in; i++)
		in = linkpc >= r[2 * i] && linkpc < r[2 * i + 1];
	free(r);
	return in;
}

int dw_load_cus(struct sym *s, struct sym_module *m)
{
	Dwarf_Error e = NULL;

	if (m->cus_loaded)
		return m->dbg ? 0 : -1;
	m->cus_loaded = 1;
	dw_need(m);
	if (!m->dbg) {
		sym_seterr(s, "%s: no DWARF debugging information", m->path);
		return -1;
	}
	for (;;) {
		Dwarf_Unsigned hlen, abbrev, next, typeoff;
		Dwarf_Half ver, asz, lsz, xsz, cutype;
		Dwarf_Off aoff;
		Dwarf_Sig8 sig;
		Dwarf_Die cu_die = NULL;
		Dwarf_Off off;
		(void)abbrev;
		int r = dwarf_next_cu_header_d(m->dbg, 1, &hlen, &ver, &aoff, &asz, &lsz, &xsz,
					       &sig, &typeoff, &next, &cutype, &e);
		if (r == DW_DLV_NO_ENTRY)
			break;
		if (r != DW_DLV_OK)
			goto bad;
		if (dwarf_siblingof_b(m->dbg, NULL, 1, &cu_die, &e) != DW_DLV_OK)
			goto bad;
		if (dwarf_dieoffset(cu_die, &off, &e) != DW_DLV_OK) {
			dw_dealloc_die(m, cu_die);
			goto bad;
		}
		if (!(m->cus = realloc(m->cus, (m->ncus + 1) * sizeof *m->cus)))
			abort();
		struct sym_cu *cu = &m->cus[m->ncus++];
		memset(cu, 0, sizeof *cu);
		cu->die_off = off;
		dw_die_ranges(m, cu_die, &cu->ranges, &cu->nranges);
		dw_dealloc_die(m, cu_die);
	}
	return 0;
bad:
	/* keep the units read so far: a corrupt tail should not hide good CUs */
	sym_seterr(s, "%s: bad DWARF unit header: %s", m->path, e ? dwarf_errmsg(e) : "?");
	dw_drop_err(m, e);
	return m->ncus ? 0 : -1;
}

struct sym_cu *dw_cu_at(struct sym *s, struct sym_module *m, uint64_t linkpc)
{
	if (dw_load_cus(s, m) < 0)
		return NULL;
	for (int i = 0; i < m->ncus; i++)
		for (int j = 0; j < m->cus[i].nranges; j++)
			if (linkpc >= m->cus[i].ranges[2 * j] && linkpc < m->cus[i].ranges[2 * j + 1])
				return &m->cus[i];
	sym_seterr(s, "0x%llx: no compile unit covers this address", (unsigned long long)linkpc);
	return NULL;
}

/* Depth-first search below die for the innermost-level subprogram containing linkpc. */
static int find_func(struct sym_module *m, Dwarf_Die parent, uint64_t linkpc, Dwarf_Off *off, int depth)
{
	Dwarf_Error e = NULL;
	Dwarf_Die child = NULL, next = NULL;
	int found = 0;

	if (depth > 8 || dwarf_child(parent, &child, &e) != DW_DLV_OK) {
		dw_drop_err(m, e);
		return 0;
	}
	while (child && !found) {
		Dwarf_Half tag = 0;
		dwarf_tag(child, &tag, &e);
		if (tag == DW_TAG_subprogram && dw_pc_in(m, child, linkpc)) {
			found = dwarf_dieoffset(child, off, &e) == DW_DLV_OK;
		} else if (tag == DW_TAG_namespace || tag == DW_TAG_module) {
			found = find_func(m, child, linkpc, off, depth + 1);
		}
		dw_drop_err(m, e);
		e = NULL;
		next = dw_sibling(m, child);
		dw_dealloc_die(m, child);
		child = next;
	}
	dw_dealloc_die(m, child);
	return found;
}

int dw_func_die_at(struct sym *s, struct sym_module *m, uint64_t linkpc, Dwarf_Off *off)
{
	struct sym_cu *cu = dw_cu_at(s, m, linkpc);
	Dwarf_Die cu_die;
	int found;

	if (!cu || dw_die(s, m, cu->die_off, &cu_die) < 0)
		return -1;
	found = find_func(m, cu_die, linkpc, off, 0);
	dw_dealloc_die(m, cu_die);
	if (!found) {
		sym_seterr(s, "0x%llx: no function's debugging information covers this address",
			   (unsigned long long)linkpc);
		return -1;
	}
	return 0;
}
