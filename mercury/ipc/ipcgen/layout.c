/*
 * layout.c: the word layout of each message (docs/ipc.md, "Word layout").
 * Parameters follow each other in declaration order: a scalar is one word,
 * a string or array a count word plus its bytes packed 8 per word, a cap
 * no word but one of the message's HL_MSG_MAX_CAPS capability slots. A
 * method whose request or reply could exceed HL_MSG_MAX words or the caps
 * is refused here, so generated code never checks it at run time.
 */
#include "ipcgen.h"

unsigned layout_param_words(const struct param *p)
{
	unsigned sz;

	if (p->type == IPC_CAP)
		return 0;
	if (p->type == IPC_STRING)
		return 1 + (p->max + 7) / 8;
	if (!p->is_array)
		return 1;
	sz = p->type == IPC_U16 || p->type == IPC_I16 ? 2
	   : p->type == IPC_U32 || p->type == IPC_I32 ? 4
	   : p->type == IPC_U64 || p->type == IPC_I64 ? 8 : 1;
	return 1 + (p->max * sz + 7) / 8;
}

/* Sums one direction's words and caps, refusing too many of either. */
static void layout_dir(const char *path, const struct method *m, const char *dir,
		       const struct param *ps, unsigned n, unsigned *words, unsigned *caps)
{
	*words = 0;
	*caps = 0;
	for (unsigned i = 0; i < n; i++) {
		*words += layout_param_words(&ps[i]);
		*caps += ps[i].type == IPC_CAP;
	}
	if (*words > HL_MSG_MAX)
		die_at(path, m->line, m->col,
		       "method '%s': the %s needs up to %u words, more than HL_MSG_MAX (%d)",
		       m->name, dir, *words, HL_MSG_MAX);
	if (*caps > HL_MSG_MAX_CAPS)
		die_at(path, m->line, m->col,
		       "method '%s': the %s carries %u caps, more than HL_MSG_MAX_CAPS (%d)",
		       m->name, dir, *caps, HL_MSG_MAX_CAPS);
}

void layout_check(const char *path, struct iface *ifc)
{
	for (unsigned i = 0; i < ifc->nmethods; i++) {
		struct method *m = &ifc->methods[i];

		layout_dir(path, m, "request", m->in, m->nin, &m->in_words, &m->in_caps);
		layout_dir(path, m, "reply", m->out, m->nout, &m->out_words, &m->out_caps);
	}
}
