/*
 * type.c: DWARF type DIEs turned into the struct sym_type graph, built on
 * demand and cached by DIE offset (a type is entered in the cache before its
 * members are read, so self-referential structs terminate), plus lookup by C
 * name and printing as a C declaration.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sym_impl.h"

static struct sym_type void_type = { .kind = SYM_T_VOID, .name = "void" };

static enum sym_encoding encoding_of(uint64_t ate, uint64_t size)
{
	switch (ate) {
	case DW_ATE_float: return SYM_ENC_FLOAT;
	case DW_ATE_boolean: return SYM_ENC_BOOL;
	case DW_ATE_signed_char: return SYM_ENC_SCHAR;
	case DW_ATE_unsigned_char: return SYM_ENC_UCHAR;
	case DW_ATE_unsigned: return SYM_ENC_UNSIGNED;
	case DW_ATE_UTF: return size == 1 ? SYM_ENC_UCHAR : SYM_ENC_UNSIGNED;
	}
	return SYM_ENC_SIGNED;
}

/* The type its DW_AT_type names, NULL (void) if it has none. */
static struct sym_type *target_of(struct sym *s, struct sym_module *m, Dwarf_Die die)
{
	Dwarf_Off off;

	if (dw_attr_ref(m, die, DW_AT_type, &off) < 0)
		return NULL;
	return type_from_die(s, m, off);
}

/* Calls fn on each child DIE; stops when fn returns non-zero. */
static void each_child(struct sym_module *m, Dwarf_Die die, void (*fn)(void *, Dwarf_Die, Dwarf_Half), void *ctx)
{
	Dwarf_Error e = NULL;
	Dwarf_Die c = NULL, next;

	if (dwarf_child(die, &c, &e) != DW_DLV_OK) {
		dw_drop_err(m, e);
		return;
	}
	while (c) {
		Dwarf_Half tag = 0;
		if (dwarf_tag(c, &tag, &e) == DW_DLV_OK)
			fn(ctx, c, tag);
		dw_drop_err(m, e);
		e = NULL;
		next = dw_sibling(m, c);
		dw_dealloc_die(m, c);
		c = next;
	}
}

struct fill {
	struct sym *s;
	struct sym_module *m;
	struct sym_type *t;
	struct sym_type *arr;	/* innermost array built so far */
};

static void add_member(void *ctx, Dwarf_Die c, Dwarf_Half tag)
{
	struct fill *f = ctx;
	struct sym_type *t = f->t;
	uint64_t v;

	if (tag != DW_TAG_member)
		return;
	if (!(t->members = realloc(t->members, (t->nmembers + 1) * sizeof *t->members)))
		abort();
	struct sym_member *mb = &t->members[t->nmembers++];
	memset(mb, 0, sizeof *mb);
	mb->name = dw_name(f->m, c);
	mb->type = target_of(f->s, f->m, c);
	if (dw_attr_u(f->m, c, DW_AT_data_member_location, &v) == 0)
		mb->offset = v;
	if (dw_attr_u(f->m, c, DW_AT_bit_size, &v) == 0)
		mb->bit_size = (int)v;
	if (dw_attr_u(f->m, c, DW_AT_data_bit_offset, &v) == 0) {
		mb->offset = v / 8;
		mb->bit_offset = v % 8;
	} else if (mb->bit_size && dw_attr_u(f->m, c, DW_AT_bit_offset, &v) == 0 && mb->type) {
		/* DWARF 2/3 big-endian-style offset within the storage unit */
		uint64_t unit = mb->type->size * 8;
		uint64_t lsb = unit - v - mb->bit_size + mb->offset * 8;
		mb->offset = lsb / 8;
		mb->bit_offset = lsb % 8;
	}
}

static void add_enumerator(void *ctx, Dwarf_Die c, Dwarf_Half tag)
{
	struct fill *f = ctx;
	struct sym_type *t = f->t;
	int64_t v = 0;

	if (tag != DW_TAG_enumerator)
		return;
	if (!(t->enums = realloc(t->enums, (t->nenums + 1) * sizeof *t->enums)))
		abort();
	dw_attr_s(f->m, c, DW_AT_const_value, &v);
	t->enums[t->nenums].name = dw_name(f->m, c);
	t->enums[t->nenums++].value = v;
}

static void add_param(void *ctx, Dwarf_Die c, Dwarf_Half tag)
{
	struct fill *f = ctx;
	struct sym_type *t = f->t;

	if (tag != DW_TAG_formal_parameter)
		return;
	if (!(t->params = realloc(t->params, (t->nparams + 1) * sizeof *t->params)))
		abort();
	t->params[t->nparams++] = target_of(f->s, f->m, c);
}

/* Each DW_TAG_subrange_type is one dimension: nest arrays outermost first. */
static void add_dimension(void *ctx, Dwarf_Die c, Dwarf_Half tag)
{
	struct fill *f = ctx;
	uint64_t v;
	int64_t ub;
	struct sym_type *a;

	if (tag != DW_TAG_subrange_type)
		return;
	if (f->arr->kind == SYM_T_ARRAY && f->arr->count != (uint64_t)-1) {
		a = sym_new_type(f->s);	/* a further dimension */
		a->kind = SYM_T_ARRAY;
		a->target = f->arr->target;
		f->arr->target = a;
		f->arr = a;
	}
	f->arr->count = 0;
	if (dw_attr_u(f->m, c, DW_AT_count, &v) == 0)
		f->arr->count = v;
	else if (dw_attr_s(f->m, c, DW_AT_upper_bound, &ub) == 0 && ub >= 0)
		f->arr->count = (uint64_t)ub + 1;
}

/* Array sizes follow element sizes, innermost first. */
static void size_arrays(struct sym_type *t, int depth)
{
	if (!t || t->kind != SYM_T_ARRAY || depth > 32)
		return;
	size_arrays(t->target, depth + 1);
	const struct sym_type *el = sym_type_strip(t->target);
	t->size = el ? t->count * el->size : 0;
}

static void fill_type(struct sym *s, struct sym_module *m, Dwarf_Die die, Dwarf_Half tag, struct sym_type *t)
{
	struct fill f = { s, m, t, t };
	uint64_t v = 0;

	t->name = dw_name(m, die);
	if (dw_attr_u(m, die, DW_AT_byte_size, &v) == 0)
		t->size = v;
	t->incomplete = dw_has_attr(m, die, DW_AT_declaration);
	switch (tag) {
	case DW_TAG_base_type:
		t->kind = SYM_T_BASE;
		if (dw_attr_u(m, die, DW_AT_encoding, &v) == 0)
			t->encoding = encoding_of(v, t->size);
		break;
	case DW_TAG_pointer_type: case DW_TAG_reference_type: case DW_TAG_rvalue_reference_type:
		t->kind = SYM_T_POINTER;
		t->size = t->size ? t->size : 8;
		t->target = target_of(s, m, die);
		break;
	case DW_TAG_structure_type: case DW_TAG_class_type: case DW_TAG_union_type:
		t->kind = tag == DW_TAG_union_type ? SYM_T_UNION : SYM_T_STRUCT;
		each_child(m, die, add_member, &f);
		break;
	case DW_TAG_enumeration_type:
		t->kind = SYM_T_ENUM;
		t->target = target_of(s, m, die);
		t->encoding = t->target && t->target->kind == SYM_T_BASE ? t->target->encoding : SYM_ENC_UNSIGNED;
		each_child(m, die, add_enumerator, &f);
		break;
	case DW_TAG_array_type:
		t->kind = SYM_T_ARRAY;
		t->target = target_of(s, m, die);
		t->count = (uint64_t)-1;	/* marks "no dimension read yet" */
		each_child(m, die, add_dimension, &f);
		if (t->count == (uint64_t)-1)
			t->count = 0;
		size_arrays(t, 0);
		break;
	case DW_TAG_subroutine_type:
		t->kind = SYM_T_FUNC;
		t->target = target_of(s, m, die);
		each_child(m, die, add_param, &f);
		break;
	case DW_TAG_const_type: case DW_TAG_volatile_type: case DW_TAG_typedef:
	case DW_TAG_restrict_type: case DW_TAG_atomic_type:
		t->kind = tag == DW_TAG_const_type ? SYM_T_CONST :
			  tag == DW_TAG_volatile_type ? SYM_T_VOLATILE : SYM_T_TYPEDEF;
		t->target = target_of(s, m, die);
		if (tag != DW_TAG_typedef)
			t->name = NULL;
		if (t->target && !t->size)
			t->size = sym_type_strip(t->target) ? sym_type_strip(t->target)->size : 0;
		break;
	default:	/* unspecified_type and anything unknown read as void */
		t->kind = SYM_T_VOID;
		t->name = t->name ? t->name : "void";
		break;
	}
}

struct sym_type *type_from_die(struct sym *s, struct sym_module *m, Dwarf_Off off)
{
	struct sym_type *t = map_get(&m->types, off);
	Dwarf_Die die;
	Dwarf_Half tag = 0;
	Dwarf_Error e = NULL;

	if (t)
		return t;
	if (dw_die(s, m, off, &die) < 0)
		return &void_type;
	if (dwarf_tag(die, &tag, &e) != DW_DLV_OK) {
		dw_drop_err(m, e);
		dw_dealloc_die(m, die);
		return &void_type;
	}
	t = sym_new_type(s);
	for (int i = 0; i < s->nmods; i++)
		if (s->mods[i] == m)
			t->module = i;
	map_put(&m->types, off, t);
	fill_type(s, m, die, tag, t);
	dw_dealloc_die(m, die);
	/* restrict/atomic qualifiers add nothing acid can show: drop them */
	if ((tag == DW_TAG_restrict_type || tag == DW_TAG_atomic_type) && t->target)
		map_put(&m->types, off, t->target);
	return map_get(&m->types, off);
}

const struct sym_type *sym_type_strip(const struct sym_type *t)
{
	for (int i = 0; t && i < 64; i++) {
		if (t->kind != SYM_T_TYPEDEF && t->kind != SYM_T_CONST && t->kind != SYM_T_VOLATILE)
			return t;
		t = t->target;
	}
	return t && (t->kind == SYM_T_TYPEDEF || t->kind == SYM_T_CONST || t->kind == SYM_T_VOLATILE) ? NULL : t;
}

/* Walks top-level type DIEs of every CU of every module, calling fn until it returns non-zero. */
struct type_search {
	struct sym *s;
	struct sym_module *m;
	const char *name;
	Dwarf_Half tag;		/* wanted tag; 0 = typedef or base type */
	int want_complete;
	Dwarf_Off found;
};

static void match_type(void *ctx, Dwarf_Die c, Dwarf_Half tag)
{
	struct type_search *ts = ctx;
	const char *name;
	Dwarf_Off off;
	Dwarf_Error e = NULL;

	if (ts->found)
		return;
	if (ts->tag ? tag != ts->tag : (tag != DW_TAG_typedef && tag != DW_TAG_base_type))
		return;
	if (!(name = dw_name(ts->m, c)) || strcmp(name, ts->name) != 0)
		return;
	if (ts->want_complete && dw_has_attr(ts->m, c, DW_AT_declaration))
		return;
	if (dwarf_dieoffset(c, &off, &e) == DW_DLV_OK)
		ts->found = off;
	dw_drop_err(ts->m, e);
}

/* In module only, or in every module (program first) if only is -1. */
static struct sym_type *search_type(struct sym *s, const char *name, Dwarf_Half tag, int complete, int only)
{
	struct type_search ts = { s, NULL, name, tag, complete, 0 };

	for (int i = 0; i < s->nmods; i++) {
		struct sym_module *m = s->mods[i];
		if (only >= 0 && i != only)
			continue;
		ts.m = m;
		if (dw_load_cus(s, m) < 0)
			continue;
		for (int c = 0; c < m->ncus && !ts.found; c++) {
			Dwarf_Die cu_die;
			if (dw_die(s, m, m->cus[c].die_off, &cu_die) < 0)
				continue;
			each_child(m, cu_die, match_type, &ts);
			dw_dealloc_die(m, cu_die);
		}
		if (ts.found)
			return type_from_die(s, m, ts.found);
	}
	sym_seterr(s, "%s: no such type", name);
	return NULL;
}

struct sym_type *sym_type_complete(struct sym *s, struct sym_type *t)
{
	static const Dwarf_Half tags[] = {
		[SYM_T_STRUCT] = DW_TAG_structure_type, [SYM_T_UNION] = DW_TAG_union_type,
		[SYM_T_ENUM] = DW_TAG_enumeration_type,
	};
	struct sym_type *full;

	if (!t || !t->incomplete || !t->name ||
	    (t->kind != SYM_T_STRUCT && t->kind != SYM_T_UNION && t->kind != SYM_T_ENUM))
		return t;
	/* in the type's own module, then in the program: a search reads the
	 * top level of every compile unit it looks in, and libc's are many.
	 * Answers are remembered, found or not. */
	for (struct sym_type_memo *mm = s->completed; mm; mm = mm->next)
		if (mm->kind == t->kind && strcmp(mm->name, t->name) == 0)
			return mm->full ? mm->full : t;
	full = search_type(s, t->name, tags[t->kind], 1, t->module);
	if (!full && t->module != 0)
		full = search_type(s, t->name, tags[t->kind], 1, 0);
	struct sym_type_memo *mm = sym_alloc(s, sizeof *mm);
	mm->name = t->name;
	mm->kind = t->kind;
	mm->full = full;
	mm->next = s->completed;
	s->completed = mm;
	return full ? full : t;
}

struct sym_type *sym_type_lookup_in(struct sym *s, const char *name, int module)
{
	static const struct { const char *prefix; Dwarf_Half tag; } kinds[] = {
		{ "struct ", DW_TAG_structure_type }, { "union ", DW_TAG_union_type },
		{ "enum ", DW_TAG_enumeration_type },
	};

	if (strcmp(name, "void") == 0)
		return &void_type;
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		size_t n = strlen(kinds[i].prefix);
		if (strncmp(name, kinds[i].prefix, n) == 0) {
			struct sym_type *t = search_type(s, name + n, kinds[i].tag, 1, module);
			return t ? t : search_type(s, name + n, kinds[i].tag, 0, module);
		}
	}
	return search_type(s, name, 0, 0, module);
}

struct sym_type *sym_type_lookup(struct sym *s, const char *name)
{
	return sym_type_lookup_in(s, name, -1);
}

/* Appends to a bounded string; keeps counting past the end like snprintf. */
struct out {
	char *buf;
	size_t len, used;
};

static void put(struct out *o, const char *str)
{
	for (; *str; str++, o->used++)
		if (o->used + 1 < o->len)
			o->buf[o->used] = *str;
	if (o->len)
		o->buf[o->used < o->len ? o->used : o->len - 1] = 0;
}

static const char *tag_word(enum sym_type_kind k)
{
	return k == SYM_T_STRUCT ? "struct " : k == SYM_T_UNION ? "union " : k == SYM_T_ENUM ? "enum " : "";
}

/* The C declarator algorithm: wrap the inner declarator outward from the
 * variable name, adding parentheses where a pointer meets an array or function. */
static void decl(const struct sym_type *t, const char *inner, struct out *o, int depth)
{
	char buf[1024];

	if (depth > 32) {
		put(o, "...");
		return;
	}
	if (!t) {
		put(o, "void");
		if (*inner) {
			put(o, " ");
			put(o, inner);
		}
		return;
	}
	switch (t->kind) {
	case SYM_T_POINTER: {
		const struct sym_type *to = t->target;
		int wrap = to && (to->kind == SYM_T_ARRAY || to->kind == SYM_T_FUNC);
		snprintf(buf, sizeof buf, wrap ? "(*%s)" : "*%s", inner);
		decl(to, buf, o, depth + 1);
		return;
	}
	case SYM_T_ARRAY:
		if (t->count)
			snprintf(buf, sizeof buf, "%s[%llu]", inner, (unsigned long long)t->count);
		else
			snprintf(buf, sizeof buf, "%s[]", inner);
		decl(t->target, buf, o, depth + 1);
		return;
	case SYM_T_FUNC: {
		struct out po = { buf, sizeof buf, 0 };
		put(&po, inner);
		put(&po, "(");
		for (int i = 0; i < t->nparams; i++) {
			char p[256];
			sym_type_decl(t->params[i], "", p, sizeof p);
			put(&po, i ? ", " : "");
			put(&po, p);
		}
		put(&po, t->nparams ? ")" : "(void)");
		decl(t->target, buf, o, depth + 1);
		return;
	}
	case SYM_T_CONST: case SYM_T_VOLATILE: {
		const char *q = t->kind == SYM_T_CONST ? "const" : "volatile";
		if (t->target && t->target->kind == SYM_T_POINTER) {
			snprintf(buf, sizeof buf, "%s %s", q, inner);
			decl(t->target, buf, o, depth + 1);
		} else {
			put(o, q);
			put(o, " ");
			decl(t->target, inner, o, depth + 1);
		}
		return;
	}
	default:
		put(o, tag_word(t->kind));
		put(o, t->name ? t->name : "<anonymous>");
		if (*inner) {
			put(o, " ");
			put(o, inner);
		}
	}
}

int sym_type_decl(const struct sym_type *t, const char *name, char *buf, size_t len)
{
	struct out o = { buf, len, 0 };

	if (len)
		buf[0] = 0;
	decl(t, name ? name : "", &o, 0);
	return (int)o.used;
}
