/*
 * elfsym.h: function symbols from an ELF64 image (elfsym.c), for naming
 * the pcs of stack(), ustack() and %a.
 */
#ifndef TRACE_ELFSYM_H
#define TRACE_ELFSYM_H

#include <stddef.h>
#include <stdint.h>

struct tr_symtab;

/* The function symbols of the len-byte image, printed as module`name; NULL
 * with err set when the image is not ELF64 or has no symbol table. */
struct tr_symtab *tr_symtab_from_elf(const void *image, size_t len, const char *module, char *err,
				     size_t errlen);

/* "module`name+0xoff" for pc into buf: TR_OK, or TR_ENOENT outside the image's symbols. */
int tr_symtab_lookup(const struct tr_symtab *t, uint64_t pc, char *buf, size_t len);

void tr_symtab_free(struct tr_symtab *t);

#endif
