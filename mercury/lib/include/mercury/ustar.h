/*
 * ustar.h: a validating reader of POSIX ustar archives held in memory.
 *
 * Shared by Helios (which lists the initrd with it) and user space. The
 * reader never allocates and never reads outside [archive, archive+len);
 * every malformed header is refused with a static reason string.
 */
#ifndef MERCURY_USTAR_H
#define MERCURY_USTAR_H

#include <stddef.h>
#include <stdint.h>

enum { USTAR_BLOCK = 512 };

struct ustar_entry {
	char name[256];   /* prefix/name joined, NUL-terminated */
	char type;        /* '0' file (also for an old '\0'), '5' dir, '1' hard
			     link, '2' symlink, ...; 'x', 'g', 'L' are metadata
			     entries that callers usually skip */
	uint32_t mode;
	uint64_t size, mtime;
	const void *data; /* size bytes inside the archive */
	char linkname[101]; /* target of a link, NUL-terminated */
};

/*
 * Reads the entry at *off (a multiple of 512) of an archive of len bytes and
 * advances *off past its data. Returns 1 for an entry; 0 at the end (two
 * zero blocks, or exactly the end of the data), leaving *off as it was; -1
 * on a malformed archive with *why set to a static reason, leaving *off at
 * the offending header so the caller can report "%s at offset %zu".
 */
int ustar_next(const void *archive, size_t len, size_t *off,
	       struct ustar_entry *e, const char **why);

/*
 * Finds the entry named name (a leading "./" or "/" and a trailing "/" are
 * ignored on both sides). Returns 1 with *e filled, 0 if absent, -1 if the
 * archive is malformed before the entry is found (*why set).
 */
int ustar_find(const void *archive, size_t len, const char *name,
	       struct ustar_entry *e, const char **why);

#endif
