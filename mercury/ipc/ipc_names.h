/*
 * ipc_names.h: the description of an IPC interface as data, for tools that
 * print messages by name (the tracer, the debugger, logs).
 *
 * ipcgen writes one struct ipc_iface_desc per interface (<iface>_names.c)
 * and a combined table of every interface in the build (ipc_names_all.c)
 * with ipc_names_lookup(). The types here are shared by ipcgen itself, so
 * the generator and the tables cannot disagree. docs/ipc.md has the word
 * layout these descriptions let a reader decode.
 */
#ifndef MERCURY_IPC_NAMES_H
#define MERCURY_IPC_NAMES_H

#include <stdint.h>

/* Argument types of the interface language; the order is the ABI of the tables. */
enum ipc_type {
	IPC_U8, IPC_U16, IPC_U32, IPC_U64,
	IPC_I8, IPC_I16, IPC_I32, IPC_I64,
	IPC_BOOL,
	IPC_STRING,	/* max = most bytes (no NUL on the wire) */
	IPC_CAP,	/* carried in a capability slot, no message word */
	IPC_TYPE_COUNT
};

/* Label of a request: interface id in bits 16..47, method index in 0..15.
 * A reply's label is its status (enum hl_error). */
#define IPC_LABEL(id, method)	(((uint64_t)(id) << 16) | (uint64_t)(method))
#define IPC_LABEL_IFACE(label)	((uint64_t)(label) >> 16)	/* wider than an id: the notification label matches none */
#define IPC_LABEL_METHOD(label)	((unsigned)((label) & 0xFFFF))

struct ipc_arg_desc {
	const char *name;
	uint8_t type;		/* enum ipc_type; for arrays, the element type */
	uint8_t is_array;	/* 1: count word, then the elements packed */
	uint16_t max;		/* strings: most bytes; arrays: most elements */
};

struct ipc_method_desc {
	const char *name;
	const char *doc;	/* "" if none */
	uint16_t index;		/* low 16 bits of the label */
	uint8_t nin, nout;
	uint8_t in_words, out_words;	/* most words of request and reply */
	uint8_t in_caps, out_caps;
	const struct ipc_arg_desc *in, *out;
};

struct ipc_iface_desc {
	const char *name;	/* qualified name; id = FNV-1a 32 of it */
	const char *doc;
	uint32_t id;
	uint16_t nmethods;
	const struct ipc_method_desc *methods;	/* indexed by method index */
};

/* Generated in ipc_names_all.c: every interface of the build, by id. */
extern const struct ipc_iface_desc *const ipc_names_all[];
extern const unsigned ipc_names_all_count;

/*
 * The method a request label names, or NULL if no interface of the build
 * has it; *iface (may be NULL) gets its interface (NULL if none).
 */
const struct ipc_method_desc *ipc_names_lookup(uint64_t label,
					       const struct ipc_iface_desc **iface);

#endif
