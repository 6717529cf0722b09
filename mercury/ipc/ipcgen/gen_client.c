/*
 * gen_client.c: <iface>_client.h (the interface's constants: id, method
 * indices and labels, string and array bounds; one prototype per method)
 * and <iface>_client.c (the stubs: pack the request, hl_call, unpack the
 * reply, return its status).
 */
#include <string.h>
#include "ipcgen.h"

/* <IFACE>_<METHOD> and <IFACE>_<METHOD>_LABEL for every method, and bounds. */
static void gen_constants(FILE *f, const struct iface *ifc)
{
	char I[128], M[128];

	upper(I, sizeof I, ifc->name);
	fprintf(f, "#define %s_IFACE_ID\t0x%08xu\t/* FNV-1a 32 of \"%s\" */\n\n", I, ifc->id,
		ifc->name);
	for (unsigned i = 0; i < ifc->nmethods; i++) {
		const struct method *m = &ifc->methods[i];

		upper(M, sizeof M, m->name);
		fprintf(f, "#define %s_%s\t%u\n", I, M, m->index);
		fprintf(f, "#define %s_%s_LABEL\tIPC_LABEL(%s_IFACE_ID, %s_%s)\n", I, M, I, I, M);
		for (int d = 0; d < 2; d++) {
			const struct param *ps = d ? m->out : m->in;

			for (unsigned j = 0; j < (d ? m->nout : m->nin); j++) {
				if (ps[j].type != IPC_STRING && !ps[j].is_array)
					continue;
				fputs("#define ", f);
				gen_max_macro(f, ifc, m, &ps[j]);
				fprintf(f, "\t%u\t/* %s */\n", ps[j].max,
					ps[j].is_array ? "elements" : "bytes, without the NUL");
			}
		}
	}
}

static void gen_prototype(FILE *f, const struct iface *ifc, const struct method *m)
{
	fprintf(f, "enum hl_error %s_%s(hl_cptr_t ipc_ep", ifc->name, m->name);
	gen_params(f, m, 0);
	fputc(')', f);
}

static void gen_header(const char *dir, const struct iface *ifc)
{
	char path[4096];
	FILE *f;

	f = gen_open_header(dir, ifc, "client", "client stubs and constants", path, sizeof path);
	fputs("#include <stdbool.h>\n#include <stddef.h>\n#include <stdint.h>\n"
	      "#include <mercury/hl.h>\n#include \"ipc_names.h\"\n\n", f);
	if (ifc->doc[0])
		fprintf(f, "/* %s */\n", ifc->doc);
	gen_constants(f, ifc);
	fprintf(f, "\nextern const struct ipc_iface_desc %s_iface_desc;\n", ifc->name);
	fputs("\n/*\n * Each stub calls the interface on ipc_ep and returns the reply's status\n"
	      " * (or hl_call's, or E_RANGE for an argument past its bound, or E_INVAL\n"
	      " * for a malformed reply). Out-parameters are set only on E_OK; a string\n"
	      " * out-parameter needs room for its _MAX + 1 bytes, an array for _MAX\n"
	      " * elements; a cap out-parameter names the empty slot it should land in.\n */\n",
	      f);
	for (unsigned i = 0; i < ifc->nmethods; i++) {
		const struct method *m = &ifc->methods[i];

		if (m->doc[0])
			fprintf(f, "/* %s */\n", m->doc);
		gen_prototype(f, ifc, m);
		fputs(";\n", f);
	}
	gen_close_header(f, path);
}

/* Statements packing p into the request (client) or reply (server). */
void gen_put(FILE *f, const struct iface *ifc, const struct method *m,
	     const struct param *p, int client)
{
	if (p->type == IPC_CAP) {
		fprintf(f, "\tipc_put_cap(&ipc_c, %s);\n", p->name);
	} else if (p->type == IPC_STRING) {
		if (!client) {	/* a buggy handler may leave no NUL within the bound */
			fprintf(f, "\t%s[", p->name);
			gen_max_macro(f, ifc, m, p);
			fputs("] = 0;\n", f);
		}
		fprintf(f, "\tipc_put_string(&ipc_c, %s, ", p->name);
		gen_max_macro(f, ifc, m, p);
		fputs(");\n", f);
	} else if (p->is_array) {
		fprintf(f, "\tipc_put_array(&ipc_c, %s, %s_len, ", p->name, p->name);
		gen_max_macro(f, ifc, m, p);
		fprintf(f, ", %s);\n", type_enum(p->type));
	} else {
		fprintf(f, "\tipc_put_word(&ipc_c, (uint64_t)%s);\n", p->name);
	}
}

/* Statements unpacking p from the reply (client) or request (server: into locals). */
void gen_get(FILE *f, const struct iface *ifc, const struct method *m,
	     const struct param *p, int client)
{
	const char *deref = client ? "*" : "";

	if (p->type == IPC_CAP) {
		if (client)
			fputs("\t(void)ipc_get_cap(&ipc_c);\n", f);
		else
			fprintf(f, "\t%s = ipc_get_cap(&ipc_c);\n", p->name);
	} else if (p->type == IPC_STRING) {
		fprintf(f, "\tipc_get_string(&ipc_c, %s, ", p->name);
		gen_max_macro(f, ifc, m, p);
		fputs(");\n", f);
	} else if (p->is_array) {
		fprintf(f, "\tipc_get_array(&ipc_c, %s, %s%s_len, ", p->name, client ? "" : "&",
			p->name);
		gen_max_macro(f, ifc, m, p);
		fprintf(f, ", %s);\n", type_enum(p->type));
	} else if (p->type == IPC_BOOL) {
		fprintf(f, "\t%s%s = ipc_get_scalar(&ipc_c, IPC_BOOL) != 0;\n", deref, p->name);
	} else {
		fprintf(f, "\t%s%s = (%s)ipc_get_scalar(&ipc_c, %s);\n", deref, p->name,
			param_ctype(p), type_enum(p->type));
	}
}

static void gen_stub(FILE *f, const struct iface *ifc, const struct method *m)
{
	char I[128], M[128];
	unsigned slot = 0;

	upper(I, sizeof I, ifc->name);
	upper(M, sizeof M, m->name);
	gen_prototype(f, ifc, m);
	fputs("\n{\n\tstruct hl_msg ipc_m;\n\tstruct ipc_cursor ipc_c;\n"
	      "\tstruct hl_result ipc_r;\n\tint ipc_s;\n\n\tipc_write_begin(&ipc_c, &ipc_m);\n", f);
	for (unsigned i = 0; i < m->nin; i++)
		gen_put(f, ifc, m, &m->in[i], 1);
	fprintf(f, "\tipc_s = ipc_write_end(&ipc_c, %s_%s_LABEL);\n"
		   "\tif (ipc_s != E_OK)\n\t\treturn (enum hl_error)ipc_s;\n", I, M);
	for (unsigned i = 0; i < m->nout; i++)
		if (m->out[i].type == IPC_CAP)
			fprintf(f, "\tipc_recv_slot(&ipc_c, %u, %s);\n", slot++, m->out[i].name);
	fputs("\tipc_r = hl_call(ipc_ep, &ipc_m);\n"
	      "\tif (ipc_r.status != E_OK)\n\t\treturn (enum hl_error)ipc_r.status;\n"
	      "\tipc_s = ipc_reply_label(&ipc_m);\n"
	      "\tif (ipc_s != E_OK)\n\t\treturn (enum hl_error)ipc_s;\n"
	      "\tipc_read_begin(&ipc_c, &ipc_m);\n", f);
	for (unsigned i = 0; i < m->nout; i++)
		gen_get(f, ifc, m, &m->out[i], 1);
	fputs("\treturn (enum hl_error)ipc_read_end(&ipc_c);\n}\n", f);
}

void gen_client(const char *dir, const struct iface *ifc)
{
	char path[4096];
	FILE *f;

	gen_header(dir, ifc);
	f = gen_open_source(dir, ifc, "client", "client stubs", path, sizeof path);
	for (unsigned i = 0; i < ifc->nmethods; i++) {
		fputc('\n', f);
		gen_stub(f, ifc, &ifc->methods[i]);
	}
	gen_close(f, path);
}
