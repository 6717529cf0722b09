/*
 * manifest.c: parsing driver manifests, matching them to PCI functions,
 * and finding them in driver ELF files.
 *
 * The parser is strict on purpose: a manifest is a security statement
 * (what a driver may touch), so anything unknown, repeated or out of range
 * is an error naming its line rather than something skipped.
 */
#include <mercury/fmt.h>
#include <mercury/string.h>

#include "manifest.h"

struct errbuf {
	char *p;
	size_t room;
};

static void err_sink(void *ctx, const char *s, size_t n)
{
	struct errbuf *e = ctx;

	for (size_t i = 0; i < n && e->room > 1; i++, e->room--)
		*e->p++ = s[i];
}

/* Writes "line N: why" to err; returns -1. */
static int fail(char *err, size_t errlen, unsigned line, const char *fmt, ...)
{
	struct errbuf e = { err, errlen };
	va_list ap;

	if (!errlen)
		return -1;
	fmt_format(err_sink, &e, "line %u: ", line);
	va_start(ap, fmt);
	fmt_vformat(err_sink, &e, fmt, ap);
	va_end(ap);
	*e.p = '\0';
	return -1;
}

/* Splits the next space-separated word of [*p, end) into w (NUL-ended). */
static bool next_word(const char **p, const char *end, char *w, size_t wmax)
{
	size_t n = 0;

	while (*p < end && (**p == ' ' || **p == '\t'))
		(*p)++;
	if (*p == end)
		return false;
	while (*p < end && **p != ' ' && **p != '\t') {
		if (n + 1 < wmax)
			w[n] = **p;
		n++;
		(*p)++;
	}
	w[n < wmax ? n : wmax - 1] = '\0';
	if (n >= wmax)
		w[0] = '\x01';	/* too long: no keyword or number looks like this */
	return true;
}

/* Parses 1..digits hex digits; returns false on anything else. */
static bool parse_hex(const char *s, unsigned digits, uint32_t *v)
{
	unsigned n = 0;

	*v = 0;
	for (; *s; s++, n++) {
		int d = (*s >= '0' && *s <= '9') ? *s - '0' :
			(*s >= 'a' && *s <= 'f') ? *s - 'a' + 10 :
			(*s >= 'A' && *s <= 'F') ? *s - 'A' + 10 : -1;

		if (d < 0 || n == digits)
			return false;
		*v = *v << 4 | (uint32_t)d;
	}
	return n > 0;
}

/* Parses a size: decimal, optional K or M. */
static bool parse_size(const char *s, uint64_t *v)
{
	uint64_t n = 0;
	const char *d = s;

	for (; *d >= '0' && *d <= '9'; d++) {
		n = n * 10 + (uint64_t)(*d - '0');
		if (n > (1ull << 32))
			return false;
	}
	if (d == s)
		return false;
	if ((*d == 'K' || *d == 'k') && !d[1])
		n <<= 10;
	else if ((*d == 'M' || *d == 'm') && !d[1])
		n <<= 20;
	else if (*d)
		return false;
	*v = n;
	return true;
}

static bool valid_name(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-' || *s == '_'))
			return false;
	return true;
}

/* A bus name: 1-63 of a-z 0-9 - _ and /, not starting or ending with /. */
static bool valid_bus_name(const char *s)
{
	size_t n = strlen(s);

	if (!n || n > MAN_SERVE_MAX || s[0] == '/' || s[n - 1] == '/')
		return false;
	if (s[n - 1] == '*')	/* "blk*": an instance number, the first free one (blk0, blk1, ...) */
		n--;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-' || s[i] == '_' ||
		      s[i] == '/'))
			return false;
	return n > 0;
}

static const struct {
	const char *key;
	unsigned bit, digits, needs;
} match_keys[] = {
	{ "vendor", MAN_VENDOR, 4, 0 },
	{ "device", MAN_DEVICE, 4, MAN_VENDOR },
	{ "class", MAN_CLASS, 2, 0 },
	{ "subclass", MAN_SUBCLASS, 2, MAN_CLASS },
	{ "progif", MAN_PROGIF, 2, MAN_SUBCLASS },
};

static int parse_match(const char *p, const char *end, struct manifest *m, unsigned line,
		       char *err, size_t errlen)
{
	struct man_match *mt;
	char w[32];

	if (m->nmatch == MAN_MAX_MATCH)
		return fail(err, errlen, line, "more than %d match lines", MAN_MAX_MATCH);
	mt = &m->match[m->nmatch];
	memset(mt, 0, sizeof(*mt));
	while (next_word(&p, end, w, sizeof(w))) {
		char *eq = strchr(w, '=');
		unsigned k, n = sizeof(match_keys) / sizeof(match_keys[0]);
		uint32_t v;

		if (!eq)
			return fail(err, errlen, line, "expected key=value, got '%s'", w);
		*eq = '\0';
		if (!strcmp(w, "isa")) {
			if (mt->fields)
				return fail(err, errlen, line, "isa= stands alone on its match line");
			if (!valid_name(eq + 1) || strlen(eq + 1) > DEV_ISA_NAME_MAX)
				return fail(err, errlen, line, "isa: a device name of 1-%d of a-z 0-9 - _",
					    DEV_ISA_NAME_MAX);
			strcpy(mt->isa, eq + 1);
			mt->fields = MAN_ISA;
			continue;
		}
		if (mt->fields & MAN_ISA)
			return fail(err, errlen, line, "isa= stands alone on its match line");
		for (k = 0; k < n && strcmp(w, match_keys[k].key); k++)
			;
		if (k == n)
			return fail(err, errlen, line, "unknown match key '%s'", w);
		if (mt->fields & match_keys[k].bit)
			return fail(err, errlen, line, "'%s' given twice", w);
		if (!parse_hex(eq + 1, match_keys[k].digits, &v))
			return fail(err, errlen, line, "%s: expected 1-%u hex digits, got '%s'", w,
				    match_keys[k].digits, eq + 1);
		mt->fields |= match_keys[k].bit;
		switch (match_keys[k].bit) {
		case MAN_VENDOR: mt->vendor = (uint16_t)v; break;
		case MAN_DEVICE: mt->device = (uint16_t)v; break;
		case MAN_CLASS: mt->class = (uint8_t)v; break;
		case MAN_SUBCLASS: mt->subclass = (uint8_t)v; break;
		default: mt->progif = (uint8_t)v; break;
		}
	}
	for (unsigned k = 0; k < sizeof(match_keys) / sizeof(match_keys[0]); k++)
		if ((mt->fields & match_keys[k].bit) && (mt->fields & match_keys[k].needs) != match_keys[k].needs)
			return fail(err, errlen, line, "%s needs %s", match_keys[k].key,
				    match_keys[k].needs == MAN_VENDOR ? "vendor" :
				    match_keys[k].needs == MAN_CLASS ? "class" : "subclass");
	if (!(mt->fields & (MAN_VENDOR | MAN_CLASS | MAN_ISA)))
		return fail(err, errlen, line, "match needs vendor=, class= or isa=");
	m->nmatch++;
	return 0;
}

static int parse_cap(const char *p, const char *end, struct manifest *m, unsigned line,
		     char *err, size_t errlen)
{
	char w[32], arg[32], extra[32];
	bool has_arg;
	uint64_t size;

	if (!next_word(&p, end, w, sizeof(w)))
		return fail(err, errlen, line, "cap needs a kind (barN, irq, dma SIZE, timer, mem)");
	has_arg = next_word(&p, end, arg, sizeof(arg));
	if (has_arg && next_word(&p, end, extra, sizeof(extra)))
		return fail(err, errlen, line, "cap %s: unexpected '%s'", w, extra);
	if (!strncmp(w, "bar", 3) && w[3] >= '0' && w[3] <= '5' && !w[4]) {
		unsigned i = (unsigned)(w[3] - '0');

		if (has_arg)
			return fail(err, errlen, line, "cap %s takes no argument", w);
		if (m->bars & (1u << i))
			return fail(err, errlen, line, "cap %s given twice", w);
		m->bars |= (uint8_t)(1u << i);
	} else if (!strcmp(w, "irq") || !strcmp(w, "timer") || !strcmp(w, "mem")) {
		bool *flag = w[0] == 'i' ? &m->irq : w[0] == 't' ? &m->timer : &m->mem;

		if (has_arg)
			return fail(err, errlen, line, "cap %s takes no argument", w);
		if (*flag)
			return fail(err, errlen, line, "cap %s given twice", w);
		*flag = true;
	} else if (!strcmp(w, "dma")) {
		if (!has_arg || !parse_size(arg, &size))
			return fail(err, errlen, line, "cap dma needs a size (e.g. 64K)");
		if (m->dma)
			return fail(err, errlen, line, "cap dma given twice");
		if (size == 0 || size % 4096 || size > MAN_DMA_MAX)
			return fail(err, errlen, line, "cap dma: size must be a multiple of 4K, at most 1M");
		m->dma = (uint32_t)size;
	} else {
		return fail(err, errlen, line, "unknown cap '%s' (barN, irq, dma SIZE, timer, mem)", w);
	}
	return 0;
}


/* One line, without its newline and comment. */
static int parse_line(const char *p, const char *end, struct manifest *m, unsigned line,
		      char *err, size_t errlen)
{
	char w[MAN_NAME_MAX + 2], extra[32];

	if (!next_word(&p, end, w, sizeof(w)))
		return 0;
	if (strcmp(w, "driver") && !m->name[0])
		return fail(err, errlen, line, "the first line must be 'driver NAME'");
	if (!strcmp(w, "driver")) {
		if (m->name[0])
			return fail(err, errlen, line, "driver named twice");
		if (!next_word(&p, end, w, sizeof(w)) || !valid_name(w) || strlen(w) > MAN_NAME_MAX)
			return fail(err, errlen, line, "driver name: 1-%d of a-z 0-9 - _", MAN_NAME_MAX);
		if (next_word(&p, end, extra, sizeof(extra)))
			return fail(err, errlen, line, "unexpected '%s' after the driver name", extra);
		strcpy(m->name, w);
		return 0;
	}
	if (!strcmp(w, "match"))
		return parse_match(p, end, m, line, err, errlen);
	if (!strcmp(w, "cap"))
		return parse_cap(p, end, m, line, err, errlen);
	if (!strcmp(w, "serve")) {
		char name[MAN_SERVE_MAX + 2];
		if (m->serve[0])
			return fail(err, errlen, line, "serve given twice");
		if (!next_word(&p, end, name, sizeof(name)) || !valid_bus_name(name))
			return fail(err, errlen, line, "serve: a bus name of 1-%d of a-z 0-9 - _ / (a final * for an instance number)",
				    MAN_SERVE_MAX);
		if (next_word(&p, end, extra, sizeof(extra)))
			return fail(err, errlen, line, "unexpected '%s' after the bus name", extra);
		strcpy(m->serve, name);
		return 0;
	}
	if (w[0] == '\x01')
		return fail(err, errlen, line, "word too long");
	return fail(err, errlen, line, "unknown keyword '%s' (driver, match, cap, serve)", w);
}

int manifest_parse(const char *text, size_t len, struct manifest *m, char *err, size_t errlen)
{
	const char *p = text, *end = text + len;
	unsigned line = 0;

	memset(m, 0, sizeof(*m));
	if (errlen)
		err[0] = '\0';
	for (size_t i = 0, nl = 1; i < len; i++) {
		if (text[i] == '\n')
			nl++;
		else if (text[i] == '\0')
			return fail(err, errlen, (unsigned)nl, "NUL byte in the manifest");
	}
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl : end;
		const char *hash = memchr(p, '#', (size_t)(eol - p));

		line++;
		if (parse_line(p, hash ? hash : eol, m, line, err, errlen))
			return -1;
		p = nl ? nl + 1 : end;
	}
	if (!m->name[0])
		return fail(err, errlen, line ? line : 1, "no 'driver NAME' line");
	if (!m->nmatch)
		return fail(err, errlen, line, "no match line: the driver would never start");
	return 0;
}

/* Specificity of one line against d (0: no match). */
static int match_one(const struct man_match *mt, const struct pci_dev *d)
{
	int score = 0;

	if ((mt->fields & MAN_ISA) || d->isa[0])	/* legacy devices match only by name */
		return (mt->fields & MAN_ISA) && !strcmp(mt->isa, d->isa) ? 40 : 0;

	if (mt->fields & MAN_VENDOR) {
		if (mt->vendor != d->vendor)
			return 0;
		score += 10;
	}
	if (mt->fields & MAN_DEVICE) {
		if (mt->device != d->device)
			return 0;
		score += 20;
	}
	if (mt->fields & MAN_CLASS) {
		if (mt->class != d->class)
			return 0;
		score += 1;
	}
	if (mt->fields & MAN_SUBCLASS) {
		if (mt->subclass != d->subclass)
			return 0;
		score += 2;
	}
	if (mt->fields & MAN_PROGIF) {
		if (mt->progif != d->progif)
			return 0;
		score += 4;
	}
	return score;
}

int manifest_match(const struct manifest *m, const struct pci_dev *d)
{
	int best = 0;

	for (unsigned i = 0; i < m->nmatch; i++) {
		int s = match_one(&m->match[i], d);

		if (s > best)
			best = s;
	}
	return best;
}

/* Little-endian reads at any alignment. */
static uint64_t rd(const unsigned char *p, unsigned n)
{
	uint64_t v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

int manifest_find(const void *image, size_t size, const char **text, size_t *len,
		  const char **why)
{
	const unsigned char *f = image;
	uint64_t shoff, shnum, shstrndx, stroff, strsize;

	if (size < 64 || memcmp(f, "\177ELF", 4) || f[4] != 2 || f[5] != 1)
		return *why = "not an ELF64 little-endian file", -1;
	shoff = rd(f + 0x28, 8);
	shnum = rd(f + 0x3C, 2);
	shstrndx = rd(f + 0x3E, 2);
	if (rd(f + 0x3A, 2) != 64)
		return *why = "section header size is not 64", -1;
	if (shnum == 0 || shstrndx >= shnum || shoff > size || shnum * 64 > size - shoff)
		return *why = "section headers outside the file", -1;
	stroff = rd(f + shoff + shstrndx * 64 + 0x18, 8);
	strsize = rd(f + shoff + shstrndx * 64 + 0x20, 8);
	if (stroff > size || strsize > size - stroff)
		return *why = "section names outside the file", -1;
	for (uint64_t i = 0; i < shnum; i++) {
		const unsigned char *sh = f + shoff + i * 64;
		uint64_t name = rd(sh, 4), off = rd(sh + 0x18, 8), sz = rd(sh + 0x20, 8);

		if (name >= strsize || strsize - name < sizeof(".manifest") ||
		    memcmp(f + stroff + name, ".manifest", sizeof(".manifest")))
			continue;
		if (rd(sh + 4, 4) == 8 /* SHT_NOBITS */ || off > size || sz > size - off)
			return *why = ".manifest section outside the file", -1;
		/* A C string put in the section brings its NUL along. */
		while (sz && f[off + sz - 1] == '\0')
			sz--;
		*text = (const char *)f + off;
		*len = sz;
		return 0;
	}
	return *why = "no .manifest section", -1;
}
