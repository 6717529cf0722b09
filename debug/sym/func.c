/*
 * func.c: a function's prototype from its DWARF subprogram: the return type
 * (for func()'s "value returned") and the C signature with parameter names
 * (for whatis). A concrete out-of-line copy of an inlined function keeps
 * its name and types on the abstract DIE it points to, so both are read.
 */
#include <stdio.h>
#include <string.h>

#include "sym_impl.h"

/* DIE offset of what die's DW_AT_abstract_origin or DW_AT_specification names, or 0. */
static Dwarf_Off origin_of(struct sym_module *m, Dwarf_Die die)
{
	Dwarf_Off off;

	if (dw_attr_ref(m, die, DW_AT_abstract_origin, &off) == 0 ||
	    dw_attr_ref(m, die, DW_AT_specification, &off) == 0)
		return off;
	return 0;
}

/* die's name, or its origin's. */
static const char *name_of(struct sym *s, struct sym_module *m, Dwarf_Die die)
{
	const char *name = dw_name(m, die);
	Dwarf_Off off = origin_of(m, die);
	Dwarf_Die o;

	if (name || !off || dw_die(s, m, off, &o) < 0)
		return name;
	name = dw_name(m, o);
	dw_dealloc_die(m, o);
	return name;
}

/* die's type, or its origin's; *has says whether either names one. */
static struct sym_type *type_of(struct sym *s, struct sym_module *m, Dwarf_Die die, int *has)
{
	Dwarf_Off off = 0, t;
	Dwarf_Die o;

	*has = 1;
	if (dw_attr_ref(m, die, DW_AT_type, &t) == 0)
		return type_from_die(s, m, t);
	if ((off = origin_of(m, die)) && dw_die(s, m, off, &o) == 0) {
		int r = dw_attr_ref(m, o, DW_AT_type, &t);
		dw_dealloc_die(m, o);
		if (r == 0)
			return type_from_die(s, m, t);
	}
	*has = 0;
	return NULL;
}

/* Appends "type name" for each parameter child of die to buf (at *len). */
static int params_of(struct sym *s, struct sym_module *m, Dwarf_Die die, char *buf, size_t cap, size_t *len)
{
	Dwarf_Error e = NULL;
	Dwarf_Die c = NULL, next;
	int n = 0;

	if (dwarf_child(die, &c, &e) != DW_DLV_OK) {
		dw_drop_err(m, e);
		return 0;
	}
	while (c) {
		Dwarf_Half tag = 0;
		char one[256];
		int has;
		dwarf_tag(c, &tag, &e);
		dw_drop_err(m, e);
		e = NULL;
		one[0] = '\0';
		if (tag == DW_TAG_formal_parameter) {
			struct sym_type *t = type_of(s, m, c, &has);
			const char *pn = name_of(s, m, c);
			sym_type_decl(t, pn ? pn : "", one, sizeof one);
		} else if (tag == DW_TAG_unspecified_parameters) {
			snprintf(one, sizeof one, "...");
		}
		if (one[0] && *len < cap)
			*len += (size_t)snprintf(buf + *len, cap - *len, "%s%s", n++ ? ", " : "", one);
		next = dw_sibling(m, c);
		dw_dealloc_die(m, c);
		c = next;
	}
	return n;
}

int sym_func_proto(struct sym *s, uint64_t pc, const char *as, struct sym_type **ret, int *is_void,
		   char *sig, size_t siglen)
{
	struct sym_module *m = sym_module_at(s, pc);
	Dwarf_Off off, orig;
	Dwarf_Die die, abs;
	char params[1024], inner[1300];
	size_t len = 0;
	int has, n;

	if (!dw_need(m) || dw_func_die_at(s, m, pc - m->bias, &off) < 0 || dw_die(s, m, off, &die) < 0)
		return -1;
	*ret = type_of(s, m, die, &has);
	*is_void = !has;
	params[0] = '\0';
	n = params_of(s, m, die, params, sizeof params, &len);
	if (!n && (orig = origin_of(m, die)) && dw_die(s, m, orig, &abs) == 0) {
		n = params_of(s, m, abs, params, sizeof params, &len);
		dw_dealloc_die(m, abs);
	}
	const char *name = as ? as : name_of(s, m, die);
	snprintf(inner, sizeof inner, "%s(%s)", name ? name : "?", n ? params : "void");
	dw_dealloc_die(m, die);
	if (sig)
		sym_type_decl(*ret, inner, sig, siglen);
	return 0;
}
