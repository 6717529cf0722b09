/*
 * Host tests of mercury/dev/manifest.c: good manifests, each refusal with
 * its line number, matching and its precedence, and finding the section
 * in an ELF image built here (then broken in each header field the finder
 * relies on).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rename.h"
#include "manifest.h"
#include "unrename.h"
#include "tap.h"

static struct manifest m;
static char err[128];

static int parse(const char *s)
{
	return manifest_parse(s, strlen(s), &m, err, sizeof(err));
}

/* The manifest must be refused with an error containing want. */
static void refused(const char *s, const char *want, const char *name)
{
	int r = parse(s);

	if (!ok(r == -1 && strstr(err, want), "refused: %s", name))
		diag("got %d, '%s', wanted '%s'", r, err, want);
}

static struct pci_dev dev(uint16_t v, uint16_t d, uint8_t c, uint8_t s, uint8_t p)
{
	struct pci_dev x;

	memset(&x, 0, sizeof(x));
	x.vendor = v, x.device = d, x.class = c, x.subclass = s, x.progif = p;
	return x;
}

/* An ELF64 image: header, section data, names, three section headers. */
static unsigned char elf[1024];
static size_t make_elf(const char *text, size_t tlen)
{
	static const char names[] = "\0.manifest\0.shstrtab\0";
	unsigned char *sh;

	memset(elf, 0, sizeof(elf));
	memcpy(elf, "\177ELF\2\1\1", 7);
	memcpy(elf + 256, text, tlen);
	memcpy(elf + 512, names, sizeof(names));
	*(uint64_t *)(elf + 0x28) = 640;	/* e_shoff */
	*(uint16_t *)(elf + 0x3A) = 64;		/* e_shentsize */
	*(uint16_t *)(elf + 0x3C) = 3;		/* e_shnum */
	*(uint16_t *)(elf + 0x3E) = 2;		/* e_shstrndx */
	sh = elf + 640 + 64;			/* .manifest */
	*(uint32_t *)sh = 1;
	*(uint32_t *)(sh + 4) = 1;		/* PROGBITS */
	*(uint64_t *)(sh + 0x18) = 256;
	*(uint64_t *)(sh + 0x20) = tlen;
	sh += 64;				/* .shstrtab */
	*(uint32_t *)sh = 11;
	*(uint32_t *)(sh + 4) = 3;
	*(uint64_t *)(sh + 0x18) = 512;
	*(uint64_t *)(sh + 0x20) = sizeof(names);
	return 640 + 3 * 64;
}

static void find_refused(size_t len, const char *want, const char *name)
{
	const char *text, *why = "";
	size_t tl;
	int r = manifest_find(elf, len, &text, &tl, &why);

	if (!ok(r == -1 && strstr(why, want), "find refused: %s", name))
		diag("got %d '%s'", r, why);
}

int main(void)
{
	struct pci_dev e1000 = dev(0x8086, 0x100E, 2, 0, 0);
	struct pci_dev ahci = dev(0x8086, 0x2922, 1, 6, 1);
	const char *text, *why;
	size_t tl, len;

	plan(84);

	is_int(parse("# test driver\n"
		     "driver e1000-test\n"
		     "match vendor=8086 device=100e   # QEMU's e1000\n"
		     "match vendor=8086 device=10D3\n"
		     "match class=01 subclass=06 progif=01\n"
		     "\n"
		     "cap bar0\n"
		     "cap bar2\n"
		     "cap irq\n"
		     "cap dma 64K\n"), 0, "a full manifest parses");
	is_str(m.name, "e1000-test", "driver name");
	is_int(m.nmatch, 3, "three match lines");
	ok(m.match[0].fields == (MAN_VENDOR | MAN_DEVICE) && m.match[0].vendor == 0x8086 &&
	   m.match[0].device == 0x100E, "match line 1");
	is_int(m.match[1].device, 0x10D3, "upper-case hex");
	ok(m.match[2].fields == (MAN_CLASS | MAN_SUBCLASS | MAN_PROGIF) && m.match[2].class == 1 &&
	   m.match[2].subclass == 6 && m.match[2].progif == 1, "class match line");
	is_int(m.bars, 0x5, "bars 0 and 2");
	ok(m.irq, "irq");
	is_int(m.dma, 65536, "dma 64K");
	is_int(parse("driver x\nmatch class=3\ncap dma 1M"), 0, "no final newline, 1M");
	is_int(m.dma, 1u << 20, "dma 1M");
	is_int(parse("driver x\r\nmatch class=3\r\n"), -1, "CR is not white space");
	is_int(parse("\t driver   a_b-9 \t\nmatch\tclass=0c subclass=03\n"), 0, "tabs and spaces");
	ok(!m.irq && !m.dma && !m.bars, "no caps: none granted");

	refused("", "no 'driver NAME' line", "empty");
	refused("driver x\n", "no match line", "no match line");
	refused("match class=1\ndriver x\n", "line 1: the first line must be 'driver NAME'", "driver not first");
	refused("driver x\ndriver y\n", "line 2: driver named twice", "two names");
	refused("driver X\n", "driver name", "upper-case name");
	refused("driver\n", "driver name", "missing name");
	refused("driver abcdefghijabcdefghijabcdefghij12\n", "driver name", "name of 32 bytes");
	refused("driver a b\n", "unexpected 'b'", "two names on a line");
	refused("driver x\nmatch vendor=8086 device=100e\nfoo bar\n", "line 3: unknown keyword 'foo'", "unknown keyword");
	refused("driver x\nmatch vendor=18086\n", "line 2: vendor: expected 1-4 hex digits", "vendor of 5 digits");
	refused("driver x\nmatch vendor=80g6\n", "hex digits, got '80g6'", "bad hex digit");
	refused("driver x\nmatch vendor=\n", "expected 1-4 hex digits", "empty value");
	refused("driver x\nmatch class=100\n", "class: expected 1-2 hex digits", "class of 3 digits");
	refused("driver x\nmatch device=100e\n", "device needs vendor", "device without vendor");
	refused("driver x\nmatch class=1 progif=1\n", "progif needs subclass", "progif without subclass");
	refused("driver x\nmatch subclass=1\n", "subclass needs class", "subclass without class");
	refused("driver x\nmatch\n", "match needs vendor=, class= or isa=", "empty match");
	refused("driver x\nmatch isa=rtc vendor=1\n", "isa= stands alone", "isa= with vendor=");
	refused("driver x\nmatch class=1 isa=rtc\n", "isa= stands alone", "isa= after class=");
	refused("driver x\nmatch isa=RTC\n", "isa: a device name", "upper-case isa name");
	refused("driver x\nmatch isa=abcdefghijklmnop\n", "isa: a device name", "isa name of 16");
	refused("driver x\nmatch isa=\n", "isa: a device name", "empty isa name");
	refused("driver x\nmatch isa=rtc\nserve\n", "serve: a bus name", "serve without a name");
	refused("driver x\nmatch isa=rtc\nserve /clock\n", "serve: a bus name", "serve name starting with /");
	refused("driver x\nmatch isa=rtc\nserve Clock\n", "serve: a bus name", "serve upper case");
	refused("driver x\nmatch isa=rtc\nserve a b\n", "unexpected 'b'", "serve two names");
	refused("driver x\nmatch isa=rtc\nserve a\nserve b\n", "line 4: serve given twice", "serve twice");
	refused("driver x\nmatch isa=rtc\ncap timer\ncap timer\n", "cap timer given twice", "timer twice");
	refused("driver x\nmatch isa=rtc\ncap timer 5\n", "cap timer takes no argument", "timer with an argument");
	is_int(parse("driver x\nmatch isa=com2\ncap timer\n"), 0, "cap timer parses");
	ok(m.timer, "timer granted");
	refused("driver x\nmatch isa=rtc\ncap mem\ncap mem\n", "cap mem given twice", "mem twice");
	refused("driver x\nmatch isa=rtc\ncap mem 1M\n", "cap mem takes no argument", "mem with an argument");
	is_int(parse("driver x\nmatch isa=com2\ncap mem\n"), 0, "cap mem parses");
	ok(m.mem && !m.timer, "mem granted, nothing else");
	is_int(parse("driver x\nmatch isa=com2\nserve blk*\n"), 0, "serve blk*: numbered instances");
	refused("driver x\nmatch isa=rtc\nserve *\n", "serve: a bus name", "serve * alone");
	refused("driver x\nmatch isa=rtc\nserve b*k\n", "serve: a bus name", "a * inside the name");
	refused("driver x\nmatch vendor=1 vendor=2\n", "'vendor' given twice", "key twice");
	refused("driver x\nmatch color=1\n", "unknown match key 'color'", "unknown key");
	refused("driver x\nmatch vendor\n", "expected key=value", "key without value");
	refused("driver x\nmatch class=1\nmatch class=1\nmatch class=1\nmatch class=1\n"
		"match class=1\nmatch class=1\nmatch class=1\nmatch class=1\nmatch class=1\n",
		"line 10: more than 8 match lines", "nine match lines");
	refused("driver x\nmatch class=1\ncap bar6\n", "unknown cap 'bar6'", "bar6");
	refused("driver x\nmatch class=1\ncap bar0\ncap bar0\n", "line 4: cap bar0 given twice", "bar twice");
	refused("driver x\nmatch class=1\ncap irq 5\n", "irq takes no argument", "irq with an argument");
	refused("driver x\nmatch class=1\ncap dma\n", "needs a size", "dma without size");
	refused("driver x\nmatch class=1\ncap dma 1000\n", "multiple of 4K", "dma not page-sized");
	refused("driver x\nmatch class=1\ncap dma 2M\n", "at most 1M", "dma too large");
	refused("driver x\nmatch class=1\ncap dma 99999999999999999999\n", "needs a size", "dma overflow");
	refused("driver x\nmatch class=1\ncap dma 4K 8K\n", "unexpected '8K'", "dma two sizes");
	refused("driver x\nmatch class=1\ncap\n", "cap needs a kind", "cap alone");
	refused("driver x\nmatch class=1\ncap ioport\n", "unknown cap 'ioport'", "unknown cap");
	is_int(manifest_parse("driver x\nmatch class=1\0cap irq\n", 31, &m, err, sizeof(err)), -1,
	       "NUL inside refused");

	/* Matching: the most specific line wins between drivers. */
	parse("driver a\nmatch vendor=8086 device=100e\nmatch class=02\n");
	is_int(manifest_match(&m, &e1000), 30, "vendor+device match scores 30");
	is_int(manifest_match(&m, &ahci), 0, "no match: 0");
	parse("driver b\nmatch class=01 subclass=06 progif=01\nmatch class=01\n");
	ok(manifest_match(&m, &ahci) == 7 && manifest_match(&m, &e1000) == 0, "class/subclass/progif scores 7");
	parse("driver c\nmatch vendor=8086\n");
	ok(manifest_match(&m, &ahci) == 10 && manifest_match(&m, &e1000) == 10, "vendor-only matches both");
	{
		struct pci_dev rtc = { .isa = "rtc" }, com2 = { .isa = "com2" };
		is_int(parse("driver rtc\nmatch isa=rtc\nmatch class=08\ncap bar0\nserve clock/cmos\n"), 0,
		       "an ISA manifest with serve parses");
		is_str(m.serve, "clock/cmos", "serve name kept");
		ok(manifest_match(&m, &rtc) == 40 && manifest_match(&m, &com2) == 0, "isa= matches its device only");
		rtc.class = 8;
		is_int(manifest_match(&m, &rtc), 40, "a class line never matches a legacy device");
		parse("driver any\nmatch class=08\n");
		is_int(manifest_match(&m, &rtc), 0, "PCI lines do not match legacy devices");
		parse("driver r\nmatch isa=rtc\n");
		is_int(manifest_match(&m, &e1000), 0, "an isa= line does not match a PCI device");
	}

	/* The section in an ELF image, with a C string's NUL trimmed. */
	len = make_elf("driver t\nmatch class=2\n", 24);
	ok(manifest_find(elf, len, &text, &tl, &why) == 0 && tl == 23 &&
	   !memcmp(text, "driver t\nmatch class=2\n", 23), "section found, NUL trimmed");
	find_refused(63, "not an ELF64", "truncated header");
	elf[0] = 0x7E;
	find_refused(len, "not an ELF64", "bad magic");
	make_elf("x", 1);
	*(uint16_t *)(elf + 0x3C) = 200;
	find_refused(len, "section headers outside", "too many sections");
	make_elf("x", 1);
	*(uint64_t *)(elf + 640 + 128 + 0x20) = 1u << 30;
	find_refused(len, "section names outside", "names past the end");
	make_elf("x", 1);
	*(uint64_t *)(elf + 640 + 64 + 0x20) = 1000;
	find_refused(len, ".manifest section outside", "section past the end");
	make_elf("x", 1);
	memcpy(elf + 512 + 1, ".manifesx", 9);
	find_refused(len, "no .manifest section", "no such section");
	return done_testing();
}
