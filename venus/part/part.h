/*
 * part.h: MBR and GPT partition tables (part.c).
 *
 * part_read looks at sector 0: a protective MBR (a type 0xEE entry) means
 * GPT, read from LBA 1 with both CRC32s checked, falling back to the
 * backup header at the disk's last LBA if the primary is broken; any other
 * valid MBR is read as MBR, with its extended partitions' EBR chain.
 */
#ifndef VENUS_PART_H
#define VENUS_PART_H

#include <stdint.h>

#include "../fs/blkdev.h"

#define PART_MAX 128

enum part_scheme { PART_NONE, PART_MBR, PART_GPT };

struct part_entry {
	uint64_t first_lba;
	uint64_t sectors;
	uint8_t mbr_type;	/* MBR: the type byte; GPT: 0 */
	uint8_t type_guid[16];	/* GPT only, in on-disk byte order */
	uint8_t uuid[16];
	uint64_t attributes;
	char name[109];		/* GPT name, UTF-16LE converted to UTF-8 */
};

struct part_table {
	enum part_scheme scheme;
	int count;
	struct part_entry part[PART_MAX];
	uint8_t disk_guid[16];
	int used_backup;	/* GPT: the primary header was broken */
	char why[160];		/* the error, or the note about the backup */
};

/* Skip the CRC checks (for the fuzzers only, to reach deeper code). */
#define PART_NO_CRC 1u

/* Reads dev's partition table into t. Returns 0 (t->scheme may be
   PART_NONE: no signature), or FS_ECORRUPT with t->why naming the broken
   structure, or FS_EIO / FS_ENOMEM. */
int part_read(struct blkdev *dev, struct part_table *t, unsigned flags);

/* Formats a GPT GUID the usual way (mixed-endian), 37 bytes with NUL. */
void part_guid_str(const uint8_t guid[16], char out[37]);

#endif
