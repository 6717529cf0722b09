/*
 * ustar.c: the ustar archive reader (initrd listing in Helios, file lookup
 * in user space).
 *
 * A ustar archive is a run of 512-byte headers, each followed by its data
 * padded to 512 bytes, ended by two zero blocks. ustar_next checks one header
 * completely (bounds, checksum, magic, octal fields, name) before trusting
 * any of it; ustar_find is a loop over ustar_next.
 */
#include <stdbool.h>

#include <mercury/ustar.h>

/* Header field offsets and lengths (POSIX.1-1988 ustar). */
enum {
	H_NAME = 0, H_NAME_LEN = 100,
	H_MODE = 100, H_UID = 108, H_GID = 116, H_ID_LEN = 8,
	H_SIZE = 124, H_MTIME = 136, H_NUM_LEN = 12,
	H_CHKSUM = 148, H_CHKSUM_LEN = 8,
	H_TYPE = 156,
	H_LINK = 157, H_LINK_LEN = 100,
	H_MAGIC = 257,
	H_PREFIX = 345, H_PREFIX_LEN = 155,
};

/* How one numeric field is read and what to say when it is bad. */
struct num_field {
	unsigned short off, len;
	const char *bad, *base256;
};

static const struct num_field num_fields[] = {
	{ H_MODE, H_ID_LEN, "bad octal number in mode field",
	  "GNU base-256 number in mode field (unsupported)" },
	{ H_UID, H_ID_LEN, "bad octal number in uid field",
	  "GNU base-256 number in uid field (unsupported)" },
	{ H_GID, H_ID_LEN, "bad octal number in gid field",
	  "GNU base-256 number in gid field (unsupported)" },
	{ H_SIZE, H_NUM_LEN, "bad octal number in size field",
	  "GNU base-256 number in size field (unsupported)" },
	{ H_MTIME, H_NUM_LEN, "bad octal number in mtime field",
	  "GNU base-256 number in mtime field (unsupported)" },
};

static bool all_zero(const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != 0)
			return false;
	return true;
}

static size_t field_len(const unsigned char *f, size_t max)
{
	size_t n = 0;

	while (n < max && f[n] != '\0')
		n++;
	return n;
}

/* Octal: leading spaces, digits, then only spaces or NULs to the end of the
   field. An empty field reads as 0. Returns false if malformed. */
static bool parse_octal(const unsigned char *f, size_t n, uint64_t *out)
{
	size_t i = 0;
	uint64_t v = 0;

	while (i < n && f[i] == ' ')
		i++;
	for (; i < n && f[i] >= '0' && f[i] <= '7'; i++)
		v = v * 8 + (uint64_t)(f[i] - '0'); /* at most 12 digits: fits */
	for (; i < n; i++)
		if (f[i] != ' ' && f[i] != '\0')
			return false;
	*out = v;
	return true;
}

/* The checksum is the sum of the header bytes with the checksum field read
   as spaces; old writers summed signed chars, so accept either sum. */
static bool checksum_ok(const unsigned char *h, uint64_t want)
{
	uint64_t usum = 0;
	int64_t ssum = 0;
	size_t i;

	for (i = 0; i < USTAR_BLOCK; i++) {
		bool in_field = i >= H_CHKSUM && i < H_CHKSUM + H_CHKSUM_LEN;
		unsigned char c = in_field ? ' ' : h[i];
		usum += c;
		ssum += (signed char)c;
	}
	return usum == want || (ssum >= 0 && (uint64_t)ssum == want);
}

static void copy_bytes(char *dst, const unsigned char *src, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		dst[i] = (char)src[i];
}

/* Joins prefix and name into e->name; the GNU format uses the prefix
   field for other things, so only the POSIX magic has one. */
static const char *read_name(const unsigned char *h, bool posix,
			     struct ustar_entry *e)
{
	size_t nlen = field_len(h + H_NAME, H_NAME_LEN);
	size_t plen = posix ? field_len(h + H_PREFIX, H_PREFIX_LEN) : 0;
	size_t at = 0;

	if (nlen == 0)
		return "empty name";
	if (plen + (plen > 0) + nlen >= sizeof(e->name))
		return "name too long (prefix and name exceed 255 bytes)";
	if (plen > 0) {
		copy_bytes(e->name, h + H_PREFIX, plen);
		e->name[plen] = '/';
		at = plen + 1;
	}
	copy_bytes(e->name + at, h + H_NAME, nlen);
	e->name[at + nlen] = '\0';
	return NULL;
}

/* Validates the header h and fills e from it; returns NULL or a reason. */
static const char *read_header(const unsigned char *h, struct ustar_entry *e)
{
	uint64_t v[sizeof(num_fields) / sizeof(num_fields[0])];
	uint64_t chk;
	size_t i, llen;
	bool posix;

	if (h[H_MAGIC] != 'u' || h[H_MAGIC + 1] != 's' || h[H_MAGIC + 2] != 't' ||
	    h[H_MAGIC + 3] != 'a' || h[H_MAGIC + 4] != 'r' ||
	    (h[H_MAGIC + 5] != '\0' && h[H_MAGIC + 5] != ' '))
		return "not a ustar header (bad magic)";
	posix = h[H_MAGIC + 5] == '\0';
	if (field_len(h + H_CHKSUM, H_CHKSUM_LEN) == 0 ||
	    !parse_octal(h + H_CHKSUM, H_CHKSUM_LEN, &chk))
		return "bad octal number in checksum field";
	if (!checksum_ok(h, chk))
		return "bad header checksum";
	for (i = 0; i < sizeof(num_fields) / sizeof(num_fields[0]); i++) {
		const struct num_field *f = &num_fields[i];
		if (h[f->off] & 0x80)
			return f->base256;
		if (!parse_octal(h + f->off, f->len, &v[i]))
			return f->bad;
	}
	e->mode = (uint32_t)v[0]; /* 8 octal digits at most: fits */
	e->size = v[3];
	e->mtime = v[4];
	e->type = h[H_TYPE] == '\0' ? '0' : (char)h[H_TYPE];
	llen = field_len(h + H_LINK, H_LINK_LEN);
	copy_bytes(e->linkname, h + H_LINK, llen);
	e->linkname[llen] = '\0';
	return read_name(h, posix, e);
}

/* At a zero block: the end if the rest is a zero block or all-zero tail. */
static int at_zero_block(const unsigned char *a, size_t len, size_t off,
			 const char **why)
{
	size_t rest = len - off - USTAR_BLOCK;
	size_t n = rest < USTAR_BLOCK ? rest : USTAR_BLOCK;

	if (all_zero(a + off + USTAR_BLOCK, n))
		return 0;
	*why = rest < USTAR_BLOCK ? "truncated header after a zero block"
				  : "lone zero block followed by more headers";
	return -1;
}

int ustar_next(const void *archive, size_t len, size_t *off,
	       struct ustar_entry *e, const char **why)
{
	const unsigned char *a = archive;
	const char *bad;
	size_t at = *off, room, padded;

	if (at == len)
		return 0;
	if (archive == NULL || at > len) {
		*why = "offset beyond archive";
		return -1;
	}
	if (at % USTAR_BLOCK != 0) {
		*why = "offset not on a 512-byte block";
		return -1;
	}
	if (len - at < USTAR_BLOCK) {
		*why = "truncated header";
		return -1;
	}
	if (all_zero(a + at, USTAR_BLOCK))
		return at_zero_block(a, len, at, why);
	if ((bad = read_header(a + at, e)) != NULL) {
		*why = bad;
		return -1;
	}
	room = len - at - USTAR_BLOCK;
	if (e->size > room) {
		*why = "entry size beyond archive";
		return -1;
	}
	e->data = a + at + USTAR_BLOCK;
	/* The last entry's padding may be cut off; its data is all there. */
	padded = (size_t)(e->size + USTAR_BLOCK - 1) / USTAR_BLOCK * USTAR_BLOCK;
	*off = padded > room ? len : at + USTAR_BLOCK + padded;
	return 1;
}

/* Skips a leading "./" or "/" (repeatedly). */
static const char *trim_lead(const char *s)
{
	for (;;) {
		if (s[0] == '.' && s[1] == '/')
			s += 2;
		else if (s[0] == '/')
			s++;
		else
			return s;
	}
}

/* Compares names ignoring leading "./", "/" and trailing "/". */
static bool same_name(const char *a, const char *b)
{
	a = trim_lead(a);
	b = trim_lead(b);
	while (*a != '\0' && *a == *b) {
		a++;
		b++;
	}
	while (*a == '/')
		a++;
	while (*b == '/')
		b++;
	return *a == '\0' && *b == '\0';
}

int ustar_find(const void *archive, size_t len, const char *name,
	       struct ustar_entry *e, const char **why)
{
	size_t off = 0;
	int r;

	while ((r = ustar_next(archive, len, &off, e, why)) == 1)
		if (same_name(e->name, name))
			return 1;
	return r;
}
