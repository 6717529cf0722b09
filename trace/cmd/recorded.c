/*
 * recorded.c: the back end over a recorded stream.
 *
 * The file is the kernel's ring laid flat: one struct hl_trace_header
 * (magic, tsc_hz; head = the record count, or 0 if unknown), then struct
 * hl_trace_record after record, exactly as the kernel writes them, read
 * to the end of the file. Around it, text files give what a live
 * consumer would ask the system: which process a thread is in, memory
 * images of processes (readable only for pids given with -d, the debug
 * capability), ELF symbol tables, and the stacks of records.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "elfsym.h"
#include "recorded.h"

enum { READ_CHUNK = 4096 };

struct proc {
	uint32_t tid;
	int64_t pid;
	char name[64];
};

struct image {
	int64_t pid;
	uint64_t addr;
	unsigned char *data;
	size_t len;
};

struct usyms {
	int64_t pid;
	struct tr_symtab *tab;
};

struct stack {
	uint64_t recno;
	int user;
	int n;
	uint64_t pc[32];
};

struct recorded {
	FILE *stream;
	const char *path;
	uint64_t tsc_hz;
	struct hl_trace_record buf[READ_CHUNK];
	size_t have, at;
	size_t partial;			/* bytes of a record cut by the end of the file */
	uint64_t recno;			/* records delivered */
	struct proc *procs;
	size_t nprocs;
	struct image *images;
	size_t nimages;
	int64_t *debug;
	size_t ndebug;
	struct tr_symtab *ksyms;
	struct usyms *usyms;
	size_t nusyms;
	struct stack *stacks;
	size_t nstacks;
};

#define ADD(arr, n) ((arr) = realloc((arr), sizeof *(arr) * ((n) + 1)), &(arr)[(n)++])

struct recorded *rec_new(void)
{
	return calloc(1, sizeof(struct recorded));
}

static int read_file(const char *path, unsigned char **data, size_t *len, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	long n;

	if (!f || fseek(f, 0, SEEK_END) < 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		if (f)
			fclose(f);
		return -1;
	}
	*data = malloc((size_t)n + 1);
	if (!*data || fread(*data, 1, (size_t)n, f) != (size_t)n) {
		snprintf(err, errlen, "%s: cannot read", path);
		fclose(f);
		free(*data);
		return -1;
	}
	fclose(f);
	*len = (size_t)n;
	return 0;
}

int rec_open_stream(struct recorded *r, const char *path, char *err, size_t errlen)
{
	struct hl_trace_header h;

	r->path = path;
	r->stream = fopen(path, "rb");
	if (!r->stream) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fread(&h, sizeof h, 1, r->stream) != 1) {
		snprintf(err, errlen, "%s: no stream header (a stream starts with struct hl_trace_header)",
			 path);
		return -1;
	}
	if (h.magic != HL_TRACE_MAGIC) {
		snprintf(err, errlen, "%s: bad magic 0x%llx (not a trace stream)", path,
			 (unsigned long long)h.magic);
		return -1;
	}
	r->tsc_hz = h.tsc_hz;
	return 0;
}

static int next_record(void *ctx, struct hl_trace_record *rec, char *err, size_t errlen)
{
	struct recorded *r = ctx;

	if (!r->stream)
		return 0;	/* no stream: BEGIN and END only */
	if (r->at == r->have) {
		size_t got;

		if (r->partial) {	/* the whole records before it went out first */
			snprintf(err, errlen, "%s: truncated record %llu (%zu of %zu bytes)", r->path,
				 (unsigned long long)r->recno, r->partial, sizeof r->buf[0]);
			return -1;
		}
		got = fread(r->buf, 1, sizeof r->buf, r->stream);
		if (ferror(r->stream)) {
			snprintf(err, errlen, "%s: %s", r->path, strerror(errno));
			return -1;
		}
		r->partial = got % sizeof r->buf[0];
		r->have = got / sizeof r->buf[0];
		r->at = 0;
		if (!r->have)
			return r->partial ? next_record(ctx, rec, err, errlen) : 0;
	}
	*rec = r->buf[r->at++];
	r->recno++;
	return 1;
}

/* Calls parse(r, line) for each line of path but blank ones and '#'
 * comments; a line it refuses is reported as path:line with its text. */
static int read_lines(struct recorded *r, const char *path, int (*parse)(struct recorded *, char *),
		      const char *expected, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char line[1024];
	int lineno = 0;

	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof line, f)) {
		lineno++;
		if (line[0] == '#' || line[strspn(line, " \t\n")] == '\0')
			continue;
		if (parse(r, line) < 0) {
			snprintf(err, errlen, "%s:%d: expected \"%s\"", path, lineno, expected);
			fclose(f);
			return -1;
		}
	}
	fclose(f);
	return 0;
}

static int parse_proc(struct recorded *r, char *line)
{
	struct proc p;
	unsigned tid;
	long long pid;

	if (sscanf(line, "%u %lld %63s", &tid, &pid, p.name) != 3)
		return -1;
	p.tid = tid;
	p.pid = pid;
	*ADD(r->procs, r->nprocs) = p;
	return 0;
}

int rec_add_procs(struct recorded *r, const char *path, char *err, size_t errlen)
{
	return read_lines(r, path, parse_proc, "tid pid execname", err, errlen);
}

static int split_pid(const char *spec, int64_t *pid, const char **rest, char *err, size_t errlen)
{
	char *end;

	*pid = strtoll(spec, &end, 10);
	if (end == spec || *end != ':' || *pid <= 0) {
		snprintf(err, errlen, "%s: expected PID:...", spec);
		return -1;
	}
	*rest = end + 1;
	return 0;
}

int rec_add_memory(struct recorded *r, const char *spec, char *err, size_t errlen)
{
	struct image im;
	const char *rest;
	char *end;

	if (split_pid(spec, &im.pid, &rest, err, errlen) < 0)
		return -1;
	im.addr = strtoull(rest, &end, 0);
	if (end == rest || *end != ':') {
		snprintf(err, errlen, "%s: expected PID:ADDRESS:FILE", spec);
		return -1;
	}
	if (read_file(end + 1, &im.data, &im.len, err, errlen) < 0)
		return -1;
	*ADD(r->images, r->nimages) = im;
	return 0;
}

int rec_add_debug(struct recorded *r, const char *pid, char *err, size_t errlen)
{
	char *end;
	long long p = strtoll(pid, &end, 10);

	if (end == pid || *end || p <= 0) {
		snprintf(err, errlen, "-d %s: expected a process id", pid);
		return -1;
	}
	*ADD(r->debug, r->ndebug) = p;
	return 0;
}

static struct tr_symtab *load_symbols(const char *path, char *err, size_t errlen)
{
	unsigned char *data;
	size_t len;
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	struct tr_symtab *t;
	char why[128];

	if (read_file(path, &data, &len, err, errlen) < 0)
		return NULL;
	t = tr_symtab_from_elf(data, len, base, why, sizeof why);
	free(data);
	if (!t)
		snprintf(err, errlen, "%s: %s", path, why);
	return t;
}

int rec_add_ksyms(struct recorded *r, const char *path, char *err, size_t errlen)
{
	tr_symtab_free(r->ksyms);
	r->ksyms = load_symbols(path, err, errlen);
	return r->ksyms ? 0 : -1;
}

int rec_add_usyms(struct recorded *r, const char *spec, char *err, size_t errlen)
{
	struct usyms u;
	const char *path;

	if (split_pid(spec, &u.pid, &path, err, errlen) < 0)
		return -1;
	u.tab = load_symbols(path, err, errlen);
	if (!u.tab)
		return -1;
	*ADD(r->usyms, r->nusyms) = u;
	return 0;
}

/* "RECNO k|u PC...": the kernel or user stack of record RECNO (counted
 * from 0), innermost frame first. */
static int parse_stack(struct recorded *r, char *line)
{
	struct stack s = { 0 };
	char kind[4], *p;
	unsigned long long recno;
	int used;

	if (sscanf(line, "%llu %3s%n", &recno, kind, &used) != 2 || (strcmp(kind, "k") && strcmp(kind, "u")))
		return -1;
	s.recno = recno;
	s.user = kind[0] == 'u';
	for (p = line + used; s.n < 32;) {
		char *end;
		unsigned long long pc = strtoull(p, &end, 0);

		if (end == p)
			break;
		s.pc[s.n++] = pc;
		p = end;
	}
	*ADD(r->stacks, r->nstacks) = s;
	return 0;
}

int rec_add_stacks(struct recorded *r, const char *path, char *err, size_t errlen)
{
	return read_lines(r, path, parse_stack, "RECNO k|u PC...", err, errlen);
}

static int stack_of(void *ctx, int user, uint64_t *pcs, int max)
{
	struct recorded *r = ctx;

	for (size_t i = 0; i < r->nstacks; i++) {
		const struct stack *s = &r->stacks[i];

		if (s->recno + 1 == r->recno && s->user == user) {
			int n = s->n < max ? s->n : max;

			memcpy(pcs, s->pc, sizeof *pcs * (size_t)n);
			return n;
		}
	}
	return 0;
}

static int proc_of(void *ctx, uint32_t tid, int64_t *pid, const char **execname)
{
	struct recorded *r = ctx;

	for (size_t i = 0; i < r->nprocs; i++)
		if (r->procs[i].tid == tid) {
			*pid = r->procs[i].pid;
			*execname = r->procs[i].name;
			return TR_OK;
		}
	return TR_ENOENT;
}

static int read_mem(void *ctx, int64_t pid, uint64_t addr, void *buf, size_t n)
{
	struct recorded *r = ctx;
	size_t i;

	for (i = 0; i < r->ndebug && r->debug[i] != pid; i++)
		;
	if (i == r->ndebug)
		return TR_EPERM;
	for (i = 0; i < r->nimages; i++) {
		const struct image *im = &r->images[i];

		if (im->pid == pid && addr >= im->addr && addr - im->addr <= im->len &&
		    n <= im->len - (addr - im->addr)) {
			memcpy(buf, im->data + (addr - im->addr), n);
			return TR_OK;
		}
	}
	return TR_EFAULT;
}

static int symbol(void *ctx, int user, int64_t pid, uint64_t pc, char *buf, size_t len)
{
	struct recorded *r = ctx;

	if (!user)
		return r->ksyms ? tr_symtab_lookup(r->ksyms, pc, buf, len) : TR_ENOENT;
	for (size_t i = 0; i < r->nusyms; i++)
		if (r->usyms[i].pid == pid)
			return tr_symtab_lookup(r->usyms[i].tab, pc, buf, len);
	return TR_ENOENT;
}

static void write_out(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	fwrite(s, 1, n, stdout);
}

static void write_err(void *ctx, const char *msg)
{
	(void)ctx;
	fflush(stdout);
	fprintf(stderr, "trace: %s\n", msg);
}

void rec_backend(struct recorded *r, struct tr_backend *be)
{
	memset(be, 0, sizeof *be);
	be->ctx = r;
	be->tsc_hz = r->tsc_hz;
	be->next = next_record;
	be->proc = proc_of;
	be->read_mem = read_mem;
	be->stack = stack_of;
	be->symbol = symbol;
	be->write = write_out;
	be->error = write_err;
}

void rec_free(struct recorded *r)
{
	if (r->stream)
		fclose(r->stream);
	for (size_t i = 0; i < r->nimages; i++)
		free(r->images[i].data);
	for (size_t i = 0; i < r->nusyms; i++)
		tr_symtab_free(r->usyms[i].tab);
	tr_symtab_free(r->ksyms);
	free(r->procs);
	free(r->images);
	free(r->debug);
	free(r->usyms);
	free(r->stacks);
	free(r);
}
