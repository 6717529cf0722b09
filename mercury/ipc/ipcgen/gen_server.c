/*
 * gen_server.c: <iface>_server.h (the handler table) and <iface>_server.c
 * (the dispatch: check the label, unpack the request into locals, call the
 * handler, pack its out-parameters as the reply). A request that does not
 * decode is answered E_INVAL, an unknown label or missing handler E_NOSYS;
 * a handler's error is the reply's status, with no words.
 */
#include "ipcgen.h"

static void gen_handler_type(FILE *f, const struct method *m)
{
	fprintf(f, "\tenum hl_error (*on_%s)(void *ipc_ctx, uint64_t ipc_badge", m->name);
	gen_params(f, m, 1);
	fputs(");\n", f);
}

static void gen_header(const char *dir, const struct iface *ifc)
{
	char path[4096];
	FILE *f;

	f = gen_open_header(dir, ifc, "server", "server dispatch", path, sizeof path);
	fprintf(f, "#include \"%s_client.h\"\n\n", ifc->name);
	fputs("/*\n * One handler per method (NULL: answered E_NOSYS). Each gets the context\n"
	      " * given to dispatch and the caller's badge, then the in-parameters (strings\n"
	      " * NUL-terminated; caps as the slots they arrived in, now the handler's),\n"
	      " * then pointers to the out-parameters (strings with room for _MAX + 1\n"
	      " * bytes, arrays for _MAX elements; a cap: the cptr to send). Returning\n"
	      " * other than E_OK replies that status and no out-parameters.\n */\n", f);
	fprintf(f, "struct %s_handlers {\n", ifc->name);
	for (unsigned i = 0; i < ifc->nmethods; i++)
		gen_handler_type(f, &ifc->methods[i]);
	fputs("};\n\n", f);
	fputs("/*\n * Handles the request in *m (as hl_recv left it; words past mr3 and caps\n"
	      " * in this thread's IPC buffer, caps in the recv_slots set before the\n"
	      " * receive) and leaves the reply in *m and the IPC buffer, ready for\n"
	      " * hl_reply_recv. Returns the reply's status.\n */\n", f);
	fprintf(f, "enum hl_error %s_dispatch(const struct %s_handlers *h, void *ctx, "
		   "uint64_t badge,\n\t\tstruct hl_msg *m);\n", ifc->name, ifc->name);
	gen_close_header(f, path);
}

/* The local holding p, as the handler sees it. */
static void gen_local(FILE *f, const struct iface *ifc, const struct method *m,
		      const struct param *p)
{
	if (p->type == IPC_STRING) {
		fprintf(f, "\tchar %s[", p->name);
		gen_max_macro(f, ifc, m, p);
		fputs(" + 1] = \"\";\n", f);
	} else if (p->is_array) {
		fprintf(f, "\t%s %s[", param_ctype(p), p->name);
		gen_max_macro(f, ifc, m, p);
		fprintf(f, "];\n\tsize_t %s_len = 0;\n", p->name);
	} else {
		fprintf(f, "\t%s %s = 0;\n", param_ctype(p), p->name);
	}
}

/* The handler's arguments for p. */
static void gen_arg(FILE *f, const struct param *p, int out)
{
	if (p->is_array)
		fprintf(f, ", %s, %s%s_len", p->name, out ? "&" : "", p->name);
	else if (p->type == IPC_STRING)
		fprintf(f, ", %s", p->name);
	else
		fprintf(f, ", %s%s", out ? "&" : "", p->name);
}

static void gen_serve_method(FILE *f, const struct iface *ifc, const struct method *m)
{
	fprintf(f, "\nstatic enum hl_error %s_do_%s(const struct %s_handlers *ipc_h, "
		   "void *ipc_ctx,\n\t\tuint64_t ipc_badge, struct hl_msg *ipc_m)\n{\n"
		   "\tstruct ipc_cursor ipc_c;\n\tint ipc_s;\n",
		ifc->name, m->name, ifc->name);
	for (unsigned i = 0; i < m->nin; i++)
		gen_local(f, ifc, m, &m->in[i]);
	for (unsigned i = 0; i < m->nout; i++)
		gen_local(f, ifc, m, &m->out[i]);
	fputs("\n\tipc_read_begin(&ipc_c, ipc_m);\n", f);
	for (unsigned i = 0; i < m->nin; i++)
		gen_get(f, ifc, m, &m->in[i], 0);
	fprintf(f, "\tif (ipc_read_end(&ipc_c) != E_OK)\n"
		   "\t\treturn (enum hl_error)ipc_reply_status(ipc_m, E_INVAL);\n"
		   "\tif (!ipc_h->on_%s)\n"
		   "\t\treturn (enum hl_error)ipc_reply_status(ipc_m, E_NOSYS);\n"
		   "\tipc_s = ipc_h->on_%s(ipc_ctx, ipc_badge", m->name, m->name);
	for (unsigned i = 0; i < m->nin; i++)
		gen_arg(f, &m->in[i], 0);
	for (unsigned i = 0; i < m->nout; i++)
		gen_arg(f, &m->out[i], 1);
	fputs(");\n\tif (ipc_s != E_OK)\n"
	      "\t\treturn (enum hl_error)ipc_reply_status(ipc_m, ipc_s);\n"
	      "\tipc_write_begin(&ipc_c, ipc_m);\n", f);
	for (unsigned i = 0; i < m->nout; i++)
		gen_put(f, ifc, m, &m->out[i], 0);
	fputs("\tipc_s = ipc_write_end(&ipc_c, E_OK);\n"
	      "\tif (ipc_s != E_OK)\t/* the handler's out-parameters broke their bounds */\n"
	      "\t\treturn (enum hl_error)ipc_reply_status(ipc_m, ipc_s);\n"
	      "\treturn E_OK;\n}\n", f);
}

static void gen_dispatch(FILE *f, const struct iface *ifc)
{
	char I[128], M[128];

	upper(I, sizeof I, ifc->name);
	fprintf(f, "\nenum hl_error %s_dispatch(const struct %s_handlers *h, void *ctx, "
		   "uint64_t badge,\n\t\tstruct hl_msg *m)\n{\n"
		   "\tuint64_t label = hl_msg_label(m->info);\n\n"
		   "\tif (IPC_LABEL_IFACE(label) != %s_IFACE_ID)\n"
		   "\t\treturn (enum hl_error)ipc_reply_status(m, E_NOSYS);\n",
		ifc->name, ifc->name, I);
	if (!ifc->nmethods)
		fputs("\t(void)h;\n\t(void)ctx;\n\t(void)badge;\n", f);
	fputs("\tswitch (IPC_LABEL_METHOD(label)) {\n", f);
	for (unsigned i = 0; i < ifc->nmethods; i++) {
		upper(M, sizeof M, ifc->methods[i].name);
		fprintf(f, "\tcase %s_%s:\n\t\treturn %s_do_%s(h, ctx, badge, m);\n", I, M,
			ifc->name, ifc->methods[i].name);
	}
	fputs("\tdefault:\n\t\treturn (enum hl_error)ipc_reply_status(m, E_NOSYS);\n\t}\n}\n",
	      f);
}

void gen_server(const char *dir, const struct iface *ifc)
{
	char path[4096];
	FILE *f;

	gen_header(dir, ifc);
	f = gen_open_source(dir, ifc, "server", "server dispatch", path, sizeof path);
	for (unsigned i = 0; i < ifc->nmethods; i++)
		gen_serve_method(f, ifc, &ifc->methods[i]);
	gen_dispatch(f, ifc);
	gen_close(f, path);
}
