/*
 * devmgr.c: matching devices to drivers and writing grants.
 *
 * A grant only ever names what the device itself decodes (its BARs as the
 * device reports them, its interrupt line) and what the manifest asked
 * for, so a driver gets exactly its manifest's caps and nothing else.
 * Parsing the grant back is strict: the starter acts on it.
 */
#include <mercury/fmt.h>
#include <mercury/string.h>

#include "devmgr.h"

struct out {
	char *p;
	size_t room;
	size_t len;
};

static void out_sink(void *ctx, const char *s, size_t n)
{
	struct out *o = ctx;

	for (size_t i = 0; i < n; i++, o->len++)
		if (o->room > 1) {
			*o->p++ = s[i];
			o->room--;
		}
}

/* Formats into o; returns the length the whole output would have. */
static size_t out_fmt(struct out *o, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fmt_vformat(out_sink, o, fmt, ap);
	va_end(ap);
	if (o->room)
		*o->p = '\0';
	return o->len;
}

int dev_choose(const struct pci_dev *d, const struct dev_driver *drv, int ndrv)
{
	int best = -1, best_score = 0;

	for (int i = 0; i < ndrv; i++) {
		int s = manifest_match(&drv[i].man, d);

		if (s > best_score) {
			best = i;
			best_score = s;
		}
	}
	return best;
}

int dev_grant(const struct pci_dev *d, const struct manifest *m, char *buf, size_t n,
	      const char **why)
{
	struct out o = { buf, n, 0 };

	if (d->isa[0])
		out_fmt(&o, "isa=%s", d->isa);
	else
		out_fmt(&o, "pci=%02x:%02x.%x id=%04x:%04x", d->bus, d->dev, d->fn, d->vendor, d->device);
	for (int i = 0; i < PCI_MAX_BARS; i++) {
		const struct pci_bar *b = &d->bar[i];

		if (!(m->bars & (1u << i)))
			continue;
		if (b->kind == PCI_BAR_NONE || b->size == 0 || b->base == 0)
			return *why = "the manifest names a BAR the device does not implement", -1;
		out_fmt(&o, " bar%d=%s:%lx:%lx", i, b->kind == PCI_BAR_IO ? "io" : "mem",
			(unsigned long)b->base, (unsigned long)b->size);
	}
	if (m->irq) {
		if (d->irq_pin == 0)
			return *why = "the manifest names an IRQ the device does not use", -1;
		if (d->irq_line >= 16 || d->irq_line == 2)
			return *why = "the device's interrupt line is not an ISA IRQ", -1;
		out_fmt(&o, " irq=%x", d->irq_line);
	}
	if (m->dma)
		out_fmt(&o, " dma=%x", m->dma);
	/* A virtio driver's map of its BARs: only into BARs it is given. */
	for (int t = PCI_VIO_COMMON; t < PCI_VIO_TYPES; t++) {
		const struct pci_vio *v = &d->vio[t];

		if (!v->present || !(m->bars & (1u << v->bar)))
			continue;
		out_fmt(&o, " vio%d=%x:%x:%x", t, v->bar, v->off, v->len);
		if (t == PCI_VIO_NOTIFY)
			out_fmt(&o, ":%x", v->mult);
	}
	if (o.len >= n)
		return *why = "grant too long for its buffer", -1;
	return 0;
}

/* Parses hex digits up to a delimiter in delims (or the end); advances *s. */
static bool hex(const char **s, const char *delims, uint64_t max, uint64_t *v)
{
	const char *p = *s;

	*v = 0;
	for (; *p && !strchr(delims, *p); p++) {
		int d = (*p >= '0' && *p <= '9') ? *p - '0' : (*p >= 'a' && *p <= 'f') ? *p - 'a' + 10 : -1;

		if (d < 0 || *v > (max >> 4))
			return false;
		*v = *v << 4 | (uint64_t)d;
	}
	if (p == *s || *v > max)
		return false;
	*s = p;
	return true;
}

/* Parses one "key=value" word starting at s (ending at a space or NUL). */
static int grant_word(const char **s, struct dev_grant *g, unsigned *seen, const char **why)
{
	const char *p = *s;
	uint64_t a, b, c, e = 0;

	if (!strncmp(p, "isa=", 4)) {
		size_t n = 0;
		p += 4;
		while (p[n] && p[n] != ' ' && n <= DEV_ISA_NAME_MAX)
			n++;
		if (!n || n > DEV_ISA_NAME_MAX || g->isa[0])
			return *why = "grant: bad isa=", -1;
		memcpy(g->isa, p, n);
		g->isa[n] = '\0';
		p += n;
		*seen |= 4;
	} else if (!strncmp(p, "pci=", 4)) {
		p += 4;
		if (!hex(&p, ":", 0xFF, &a) || *p++ != ':' || !hex(&p, ".", 0x1F, &b) ||
		    *p++ != '.' || !hex(&p, " ", 7, &c))
			return *why = "grant: bad pci=", -1;
		g->bus = (uint8_t)a, g->dev = (uint8_t)b, g->fn = (uint8_t)c;
		*seen |= 1;
	} else if (!strncmp(p, "id=", 3)) {
		p += 3;
		if (!hex(&p, ":", 0xFFFF, &a) || *p++ != ':' || !hex(&p, " ", 0xFFFF, &b))
			return *why = "grant: bad id=", -1;
		g->vendor = (uint16_t)a, g->device = (uint16_t)b;
		*seen |= 2;
	} else if (!strncmp(p, "bar", 3) && p[3] >= '0' && p[3] <= '5' && p[4] == '=') {
		int i = p[3] - '0';
		bool io = !strncmp(p + 5, "io:", 3);

		if (g->bar[i].kind != PCI_BAR_NONE)
			return *why = "grant: a BAR named twice", -1;
		if (!io && strncmp(p + 5, "mem:", 4))
			return *why = "grant: BAR kind is not io or mem", -1;
		p += io ? 8 : 9;
		if (!hex(&p, ":", io ? 0xFFFF : ~0ull, &a) || *p++ != ':' ||
		    !hex(&p, " ", io ? 0x10000 : ~0ull, &b) || b == 0 || a + b - 1 < a ||
		    (io && a + b > 0x10000))
			return *why = "grant: bad BAR range", -1;
		g->bar[i].kind = io ? PCI_BAR_IO : PCI_BAR_MEM;
		g->bar[i].base = a, g->bar[i].size = b;
	} else if (!strncmp(p, "irq=", 4)) {
		p += 4;
		if (g->irq >= 0 || !hex(&p, " ", 15, &a) || a == 2)
			return *why = "grant: bad irq=", -1;
		g->irq = (int)a;
	} else if (!strncmp(p, "vio", 3) && p[3] >= '1' && p[3] <= '4' && p[4] == '=') {
		struct pci_vio *v = &g->vio[p[3] - '0'];
		bool notify = p[3] - '0' == PCI_VIO_NOTIFY;

		p += 5;
		if (v->present || !hex(&p, ":", PCI_MAX_BARS - 1, &a) || *p++ != ':' ||
		    !hex(&p, ":", 0xFFFFFFFF, &b) || *p++ != ':' || !hex(&p, notify ? ":" : " ", 0xFFFFFFFF, &c) ||
		    (notify && (*p++ != ':' || !hex(&p, " ", 0xFFFFFFFF, &e))))
			return *why = "grant: bad vioN=", -1;
		v->present = true;
		v->bar = (uint8_t)a, v->off = (uint32_t)b, v->len = (uint32_t)c, v->mult = (uint32_t)e;
	} else if (!strncmp(p, "dma=", 4)) {
		p += 4;
		if (g->dma || !hex(&p, " ", MAN_DMA_MAX, &a) || a == 0 || a % 4096)
			return *why = "grant: bad dma=", -1;
		g->dma = (uint32_t)a;
	} else {
		return *why = "grant: unknown word", -1;
	}
	if (*p && *p != ' ')
		return *why = "grant: junk after a value", -1;
	*s = p;
	return 0;
}

int dev_grant_parse(const char *s, struct dev_grant *g, const char **why)
{
	unsigned seen = 0;

	memset(g, 0, sizeof(*g));
	g->irq = -1;
	while (*s) {
		if (*s == ' ') {
			s++;
			continue;
		}
		if (grant_word(&s, g, &seen, why))
			return -1;
	}
	if (seen != 3 && seen != 4)
		return *why = "grant: pci= and id=, or isa= alone, are required", -1;
	return 0;
}

void dev_describe(const struct pci_dev *d, char *buf, size_t n)
{
	struct out o = { buf, n, 0 };

	if (d->isa[0]) {
		out_fmt(&o, "isa %s", d->isa);
		for (int i = 0; i < PCI_MAX_BARS; i++)
			if (d->bar[i].kind == PCI_BAR_IO)
				out_fmt(&o, " io %lx-%lx", (unsigned long)d->bar[i].base,
					(unsigned long)(d->bar[i].base + d->bar[i].size - 1));
		if (d->irq_pin)
			out_fmt(&o, " irq %u", d->irq_line);
		return;
	}
	out_fmt(&o, "%02x:%02x.%x %04x:%04x class %02x.%02x.%02x %s", d->bus, d->dev, d->fn,
		d->vendor, d->device, d->class, d->subclass, d->progif,
		pci_class_name(d->class, d->subclass));
}
