/*
 * sym.c: a program's modules (executable plus shared libraries), their ELF
 * symbol tables and segment images, and the error and map helpers the other
 * symbol-reader files share.
 *
 * Each module is mmapped once; libelf reads it from memory, so a truncated
 * file fails a bounds check instead of a read. Symbols are copied into two
 * sorted arrays (functions by address, everything by name) at open: that
 * is the only eager work, DWARF waits until asked.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sym_impl.h"

void sym_seterr(struct sym *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->err, sizeof s->err, fmt, ap);
	va_end(ap);
}

const char *sym_error(struct sym *s)
{
	return s ? s->err : "no symbols";
}

char *sym_strdup(const char *str)
{
	char *p = strdup(str ? str : "");

	if (!p)
		abort();	/* out of memory on the host: nothing sensible to do */
	return p;
}

/* Grows a pointer vector by one slot. */
static void push_ptr(void ***v, size_t *n, size_t *cap, void *p)
{
	if (*n == *cap) {
		*cap = *cap ? 2 * *cap : 256;
		if (!(*v = realloc(*v, *cap * sizeof **v)))
			abort();
	}
	(*v)[(*n)++] = p;
}

void *sym_alloc(struct sym *s, size_t n)
{
	void *p = calloc(1, n ? n : 1);

	if (!p)
		abort();
	push_ptr(&s->allocs, &s->nallocs, &s->allocs_cap, p);
	return p;
}

struct sym_type *sym_new_type(struct sym *s)
{
	struct sym_type *t = sym_alloc(s, sizeof *t);

	push_ptr((void ***)&s->types, &s->ntypes, &s->types_cap, t);
	return t;
}

/* Open-addressed hash map from DIE offsets (never 0) to pointers. */
static size_t map_slot(struct sym_map *mp, uint64_t key)
{
	size_t i = (key * 0x9e3779b97f4a7c15ull) & (mp->cap - 1);

	while (mp->keys[i] && mp->keys[i] != key)
		i = (i + 1) & (mp->cap - 1);
	return i;
}

void *map_get(struct sym_map *mp, uint64_t key)
{
	if (!mp->cap)
		return NULL;
	size_t i = map_slot(mp, key);
	return mp->keys[i] ? mp->vals[i] : NULL;
}

int map_put(struct sym_map *mp, uint64_t key, void *val)
{
	if (2 * (mp->n + 1) > mp->cap) {
		struct sym_map big = { 0 };
		big.cap = mp->cap ? 2 * mp->cap : 64;
		big.keys = calloc(big.cap, sizeof *big.keys);
		big.vals = calloc(big.cap, sizeof *big.vals);
		if (!big.keys || !big.vals)
			abort();
		for (size_t i = 0; i < mp->cap; i++)
			if (mp->keys[i])
				map_put(&big, mp->keys[i], mp->vals[i]);
		map_free(mp);
		*mp = big;
	}
	size_t i = map_slot(mp, key);
	if (!mp->keys[i])
		mp->n++;
	mp->keys[i] = key;
	mp->vals[i] = val;
	return 0;
}

void map_free(struct sym_map *mp)
{
	free(mp->keys);
	free(mp->vals);
	memset(mp, 0, sizeof *mp);
}

static int cmp_addr(const void *a, const void *b)
{
	const struct sym_symbol *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	/* prefer global names (no '.' suffixes) for aliases: longer sizes first */
	return x->size > y->size ? -1 : x->size < y->size;
}

static int cmp_name(const void *a, const void *b)
{
	const struct sym_symbol *x = a, *y = b;

	return strcmp(x->name, y->name);
}

/* Finds the symbol table section (.symtab, else .dynsym). */
static Elf_Scn *find_symtab(Elf *elf, GElf_Shdr *sh)
{
	Elf_Scn *scn = NULL, *dyn = NULL;
	GElf_Shdr dsh;

	while ((scn = elf_nextscn(elf, scn))) {
		if (!gelf_getshdr(scn, sh))
			continue;
		if (sh->sh_type == SHT_SYMTAB)
			return scn;
		if (sh->sh_type == SHT_DYNSYM && !dyn) {
			dyn = scn;
			dsh = *sh;
		}
	}
	if (dyn)
		*sh = dsh;
	return dyn;
}

static int keep_symbol(const GElf_Sym *gs)
{
	int type = GELF_ST_TYPE(gs->st_info);

	if (gs->st_shndx == SHN_UNDEF || gs->st_name == 0)
		return 0;
	return type == STT_FUNC || type == STT_OBJECT || type == STT_GNU_IFUNC ||
	       (type == STT_NOTYPE && gs->st_shndx != SHN_ABS);
}

/* Copies the module's symbols into the sorted by_addr and by_name arrays. */
static int load_symbols(struct sym_module *m, char *err, size_t errlen)
{
	GElf_Shdr sh;
	Elf_Scn *scn = find_symtab(m->elf, &sh);

	if (!scn)
		return 0;
	Elf_Data *data = elf_getdata(scn, NULL);
	if (!data || sh.sh_entsize == 0) {
		snprintf(err, errlen, "%s: bad symbol table: %s", m->path, elf_errmsg(-1));
		return -1;
	}
	size_t n = data->d_size / sizeof(Elf64_Sym), strbytes = 0;
	m->by_name = calloc(n + 1, sizeof *m->by_name);
	m->by_addr = calloc(n + 1, sizeof *m->by_addr);
	if (!m->by_name || !m->by_addr)
		abort();
	for (size_t pass = 0; pass < 2; pass++) {
		char *out = m->strings;
		for (size_t i = 0; i < n; i++) {
			GElf_Sym gs;
			const char *name;
			if (!gelf_getsym(data, (int)i, &gs) || !keep_symbol(&gs))
				continue;
			name = elf_strptr(m->elf, sh.sh_link, gs.st_name);
			if (!name || !*name)
				continue;
			/* "pthread_join@@GLIBC_2.34" in a .symtab is pthread_join */
			size_t len = strcspn(name, "@") + 1;
			if (len == 1)
				continue;
			if (pass == 0) {
				strbytes += len;
				continue;
			}
			memcpy(out, name, len - 1);
			out[len - 1] = '\0';
			struct sym_symbol ss = {
				.name = out, .addr = gs.st_value, .size = gs.st_size,
				.kind = GELF_ST_TYPE(gs.st_info) == STT_OBJECT ? SYM_DATA : SYM_FUNC,
			};
			out += len;
			m->by_name[m->nby_name++] = ss;
			if (ss.kind == SYM_FUNC && ss.addr)
				m->by_addr[m->nby_addr++] = ss;
		}
		if (pass == 0 && !(m->strings = malloc(strbytes + 1)))
			abort();
	}
	qsort(m->by_addr, m->nby_addr, sizeof *m->by_addr, cmp_addr);
	qsort(m->by_name, m->nby_name, sizeof *m->by_name, cmp_name);
	return 0;
}

/* Records PT_LOAD segments, checking they lie inside the file. */
static int load_phdrs(struct sym_module *m, char *err, size_t errlen)
{
	size_t n;

	if (elf_getphdrnum(m->elf, &n) != 0)
		n = 0;
	m->phdrs = calloc(n + 1, sizeof *m->phdrs);
	if (!m->phdrs)
		abort();
	for (size_t i = 0; i < n; i++) {
		GElf_Phdr ph;
		if (!gelf_getphdr(m->elf, (int)i, &ph))
			continue;
		if (ph.p_type == PT_DYNAMIC)
			m->dynamic = ph.p_vaddr;
		if (ph.p_type != PT_LOAD)
			continue;
		if (ph.p_offset > m->image_len || ph.p_filesz > m->image_len - ph.p_offset ||
		    ph.p_filesz > ph.p_memsz) {
			snprintf(err, errlen, "%s: segment %zu lies outside the file (truncated?)", m->path, i);
			return -1;
		}
		m->phdrs[m->nphdrs++] = ph;
	}
	return 0;
}

void module_close(struct sym_module *m)
{
	if (!m)
		return;
	dw_close(m);
	module_close(m->debug);
	if (m->elf)
		elf_end(m->elf);
	if (m->image)
		munmap(m->image, m->image_len);
	if (m->fd >= 0)
		close(m->fd);
	free(m->phdrs);
	free(m->by_addr);
	free(m->by_name);
	free(m->strings);
	free(m->path);
	free(m);
}

struct sym_module *module_open_plain(const char *path, int with_dwarf, char *err, size_t errlen)
{
	struct sym_module *m = calloc(1, sizeof *m);
	struct stat st;
	GElf_Ehdr eh;

	if (!m)
		abort();
	m->fd = -1;
	m->path = sym_strdup(path);
	elf_version(EV_CURRENT);
	if ((m->fd = open(path, O_RDONLY | O_CLOEXEC)) < 0 || fstat(m->fd, &st) < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st.st_mode) || st.st_size < (off_t)sizeof(Elf64_Ehdr)) {
		snprintf(err, errlen, "%s: not an ELF file (too short or not a regular file)", path);
		goto fail;
	}
	m->image_len = st.st_size;
	m->image = mmap(NULL, m->image_len, PROT_READ, MAP_PRIVATE, m->fd, 0);
	if (m->image == MAP_FAILED) {
		m->image = NULL;
		snprintf(err, errlen, "%s: mmap: %s", path, strerror(errno));
		goto fail;
	}
	m->elf = elf_memory((char *)m->image, m->image_len);
	if (!m->elf || elf_kind(m->elf) != ELF_K_ELF || !gelf_getehdr(m->elf, &eh)) {
		snprintf(err, errlen, "%s: not an ELF file", path);
		goto fail;
	}
	/* little-endian too: sanity.c reads DWARF headers raw, as libdwarf would not */
	if (eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_ident[EI_DATA] != ELFDATA2LSB || eh.e_machine != EM_X86_64) {
		snprintf(err, errlen, "%s: not an x86_64 ELF file", path);
		goto fail;
	}
	if (eh.e_shoff > m->image_len ||
	    (uint64_t)eh.e_shnum * eh.e_shentsize > m->image_len - eh.e_shoff) {
		snprintf(err, errlen, "%s: section headers lie outside the file (truncated?)", path);
		goto fail;
	}
	m->is_dyn = eh.e_type == ET_DYN;
	m->entry = eh.e_entry;
	if (load_phdrs(m, err, errlen) < 0 || load_symbols(m, err, errlen) < 0)
		goto fail;
	if (with_dwarf && dw_open(m, err, errlen) < 0)
		goto fail;
	return m;
fail:
	module_close(m);
	return NULL;
}

/* Opens an ELF file as a module with its separate debug file, if any. */
static struct sym_module *module_open(const char *path, uint64_t bias, char *err, size_t errlen)
{
	struct sym_module *m = module_open_plain(path, 1, err, errlen);

	if (!m)
		return NULL;
	m->bias = bias;
	debuglink_load(m);
	return m;
}

struct sym *sym_open(const char *path, char *err, size_t errlen)
{
	struct sym_module *m = module_open(path, 0, err, errlen);
	struct sym *s;

	if (!m)
		return NULL;
	s = calloc(1, sizeof *s);
	if (!s || !(s->mods = calloc(1, sizeof *s->mods)))
		abort();
	s->mods[0] = m;
	s->nmods = 1;
	return s;
}

void sym_close(struct sym *s)
{
	if (!s)
		return;
	for (int i = 0; i < s->nmods; i++)
		module_close(s->mods[i]);
	free(s->mods);
	for (size_t i = 0; i < s->ntypes; i++) {
		free(s->types[i]->members);
		free(s->types[i]->enums);
		free(s->types[i]->params);
	}
	free(s->types);
	for (size_t i = 0; i < s->nallocs; i++)
		free(s->allocs[i]);
	free(s->allocs);
	free(s);
}

void sym_set_bias(struct sym *s, int module, uint64_t bias)
{
	if (module >= 0 && module < s->nmods)
		s->mods[module]->bias = bias;
}

int sym_add_module(struct sym *s, const char *path, uint64_t bias)
{
	char err[256];
	struct sym_module *m, **mods;

	for (int i = 0; i < s->nmods; i++)
		if (strcmp(s->mods[i]->path, path) == 0)
			return i;
	if (!(m = module_open(path, bias, err, sizeof err))) {
		sym_seterr(s, "%s", err);
		return -1;
	}
	if (!(mods = realloc(s->mods, (s->nmods + 1) * sizeof *mods)))
		abort();
	s->mods = mods;
	s->mods[s->nmods] = m;
	return s->nmods++;
}

int sym_nmodules(struct sym *s)
{
	return s->nmods;
}

const char *sym_module_path(struct sym *s, int module, uint64_t *bias)
{
	if (module < 0 || module >= s->nmods)
		return NULL;
	if (bias)
		*bias = s->mods[module]->bias;
	return s->mods[module]->path;
}

/* The PT_LOAD segment of m holding link-time address a, or NULL. */
static const GElf_Phdr *segment_at(struct sym_module *m, uint64_t a)
{
	for (int i = 0; i < m->nphdrs; i++)
		if (a >= m->phdrs[i].p_vaddr && a - m->phdrs[i].p_vaddr < m->phdrs[i].p_memsz)
			return &m->phdrs[i];
	return NULL;
}

/* The module whose segments cover run-time address addr; module 0 if none does. */
struct sym_module *sym_module_at(struct sym *s, uint64_t addr)
{
	for (int i = 0; i < s->nmods; i++)
		if (segment_at(s->mods[i], addr - s->mods[i]->bias))
			return s->mods[i];
	return s->mods[0];
}

int sym_read_image(struct sym *s, uint64_t addr, void *buf, size_t len)
{
	uint8_t *out = buf;

	while (len > 0) {
		struct sym_module *m = sym_module_at(s, addr);
		uint64_t a = addr - m->bias;
		const GElf_Phdr *ph = segment_at(m, a);
		if (!ph) {
			sym_seterr(s, "address 0x%llx is not in the program file", (unsigned long long)addr);
			return -1;
		}
		uint64_t off = a - ph->p_vaddr, n = ph->p_memsz - off;
		if (n > len)
			n = len;
		for (uint64_t i = 0; i < n; i++)
			out[i] = off + i < ph->p_filesz ? m->image[ph->p_offset + off + i] : 0;
		out += n;
		addr += n;
		len -= n;
	}
	return 0;
}

int sym_symbols(struct sym *s, int (*fn)(void *ctx, const struct sym_symbol *), void *ctx)
{
	for (int i = 0; i < s->nmods; i++) {
		struct sym_module *m = s->mods[i];
		for (int j = 0; j < m->nby_name; j++) {
			struct sym_symbol ss = m->by_name[j];
			int r;
			ss.addr += m->bias;
			ss.module = i;
			if ((r = fn(ctx, &ss)))
				return r;
		}
	}
	return 0;
}

int sym_lookup(struct sym *s, const char *name, struct sym_symbol *out)
{
	struct sym_symbol key = { .name = name };

	for (int i = 0; i < s->nmods; i++) {
		struct sym_module *m = s->mods[i];
		struct sym_symbol *hit = bsearch(&key, m->by_name, m->nby_name, sizeof key, cmp_name);
		if (!hit)
			continue;
		*out = *hit;
		out->addr += m->bias;
		out->module = i;
		return 0;
	}
	sym_seterr(s, "%s: no such symbol", name);
	return -1;
}

int sym_func_at(struct sym *s, uint64_t pc, struct sym_symbol *out)
{
	for (int i = 0; i < s->nmods; i++) {
		struct sym_module *m = s->mods[i];
		uint64_t a = pc - m->bias;
		int lo = 0, hi = m->nby_addr - 1, best = -1;
		if (!segment_at(m, a) && m->nphdrs)
			continue;
		while (lo <= hi) {	/* last symbol with addr <= a */
			int mid = (lo + hi) / 2;
			if (m->by_addr[mid].addr <= a) {
				best = mid;
				lo = mid + 1;
			} else {
				hi = mid - 1;
			}
		}
		while (best > 0 && m->by_addr[best - 1].addr == m->by_addr[best].addr)
			best--;	/* the sort put the largest alias first */
		if (best < 0)
			continue;
		struct sym_symbol f = m->by_addr[best];
		if (f.size == 0)	/* assembly without .size: runs to the next symbol */
			f.size = best + 1 < m->nby_addr ? m->by_addr[best + 1].addr - f.addr : 1;
		if (a - f.addr >= f.size)
			continue;
		*out = f;
		out->addr += m->bias;
		out->module = i;
		return 0;
	}
	sym_seterr(s, "0x%llx: no function here", (unsigned long long)pc);
	return -1;
}
