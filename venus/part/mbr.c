/*
 * mbr.c: the MBR's four primary entries and the chain of extended boot
 * records (EBRs) behind an extended entry. Each EBR holds one logical
 * partition (relative to that EBR) and a link to the next EBR (relative
 * to the extended partition's start); the chain is bounded by PART_MAX
 * and must stay inside the extended partition, so a loop ends.
 */
#include "../fs/port.h"
#include "../fs/fs.h"
#include "../fs/le.h"
#include "part_int.h"

static int is_extended(uint8_t type)
{
	return type == 0x05 || type == 0x0F || type == 0x85;
}

static int add(struct blkdev *dev, struct part_table *t, uint8_t type, uint64_t first,
	       uint64_t count, const char *where)
{
	struct part_entry *p;

	if (first + count > dev->sectors || first + count < first)
		return part_fail(t, "mbr: %s: partition %llu+%llu runs past the disk (%llu sectors)",
				 where, (unsigned long long)first, (unsigned long long)count,
				 (unsigned long long)dev->sectors);
	if (t->count == PART_MAX)
		return part_fail(t, "mbr: %s: more than %d partitions", where, PART_MAX);
	p = &t->part[t->count++];
	p->mbr_type = type;
	p->first_lba = first;
	p->sectors = count;
	return FS_OK;
}

static int read_ebr_chain(struct blkdev *dev, struct part_table *t, uint64_t ext_first,
			  uint64_t ext_count)
{
	uint8_t *ebr = malloc(dev->sector_size);
	uint64_t next = 0;
	int err = FS_OK;

	if (!ebr)
		return FS_ENOMEM;
	for (int n = 0;; n++) {
		const uint8_t *e0 = ebr + 446, *e1 = ebr + 462;
		uint64_t lba = ext_first + next;
		if (n == PART_MAX) {
			err = part_fail(t, "mbr: EBR chain longer than %d (a loop?)", PART_MAX);
			break;
		}
		if (next >= ext_count) {
			err = part_fail(t, "mbr: EBR %d at %llu lies outside the extended partition",
					n, (unsigned long long)lba);
			break;
		}
		if ((err = part_sector(dev, lba, ebr)))
			break;
		if (ebr[510] != 0x55 || ebr[511] != 0xAA) {
			err = part_fail(t, "mbr: EBR %d at LBA %llu has no 55 AA signature", n,
					(unsigned long long)lba);
			break;
		}
		if (e0[4] && le32(e0 + 12)) {
			char where[32];
			snprintf(where, sizeof where, "EBR %d", n);
			err = add(dev, t, e0[4], lba + le32(e0 + 8), le32(e0 + 12), where);
			if (err)
				break;
		}
		if (!is_extended(e1[4]) || !le32(e1 + 12))
			break;
		if (le32(e1 + 8) <= next) {
			err = part_fail(t, "mbr: EBR %d links backwards (to %u): a loop", n, le32(e1 + 8));
			break;
		}
		next = le32(e1 + 8);
	}
	free(ebr);
	return err;
}

int mbr_parse(struct blkdev *dev, const uint8_t *mbr, struct part_table *t)
{
	int extended = -1, err;

	t->scheme = PART_MBR;
	for (int i = 0; i < 4; i++) {
		const uint8_t *e = mbr + 446 + 16 * i;
		char where[16];
		if (e[0] != 0x00 && e[0] != 0x80)
			return part_fail(t, "mbr: entry %d: boot flag 0x%02x is neither 0 nor 0x80", i, e[0]);
		if (!e[4] || !le32(e + 12))
			continue;
		if (is_extended(e[4])) {
			if (extended >= 0)
				return part_fail(t, "mbr: entries %d and %d are both extended", extended, i);
			extended = i;
		}
		snprintf(where, sizeof where, "entry %d", i);
		if ((err = add(dev, t, e[4], le32(e + 8), le32(e + 12), where)))
			return err;
	}
	if (extended >= 0) {
		const uint8_t *e = mbr + 446 + 16 * extended;
		return read_ebr_chain(dev, t, le32(e + 8), le32(e + 12));
	}
	return FS_OK;
}
