/*
 * gpt.c: the GUID partition table. A header (primary at LBA 1, backup at
 * the last LBA) with its own CRC32 points to an array of entries covered
 * by a second CRC32. Every count, size and LBA is checked before use;
 * a broken primary falls back to the backup, and the table says so.
 */
#include "../fs/port.h"
#include "../fs/fs.h"
#include "../fs/le.h"
#include "../fs/crc.h"
#include "../fs/utf.h"
#include "part_int.h"

struct gpt_header {
	uint64_t my_lba, alternate_lba, first_usable, last_usable, entries_lba;
	uint32_t entry_count, entry_size, entries_crc;
	uint8_t disk_guid[16];
};

/* Checks the header in sector buf (read from lba). */
static int check_header(struct blkdev *dev, const uint8_t *buf, uint64_t lba,
			struct gpt_header *h, struct part_table *t, unsigned flags)
{
	uint32_t size = le32(buf + 12), stored = le32(buf + 16), crc;
	uint8_t tmp[512];
	unsigned long long l = lba;

	if (memcmp(buf, "EFI PART", 8))
		return part_fail(t, "gpt: header at LBA %llu: no \"EFI PART\" signature", l);
	if (size < 92 || size > dev->sector_size || size > sizeof tmp)
		return part_fail(t, "gpt: header at LBA %llu: header size %u out of range", l, size);
	memcpy(tmp, buf, size);
	memset(tmp + 16, 0, 4);
	crc = crc32_ieee(0, tmp, size);
	if (crc != stored && !(flags & PART_NO_CRC))
		return part_fail(t, "gpt: header at LBA %llu: CRC32 0x%08x, stored 0x%08x", l, crc, stored);
	h->my_lba = le64(buf + 24);
	h->alternate_lba = le64(buf + 32);
	h->first_usable = le64(buf + 40);
	h->last_usable = le64(buf + 48);
	memcpy(h->disk_guid, buf + 56, 16);
	h->entries_lba = le64(buf + 72);
	h->entry_count = le32(buf + 80);
	h->entry_size = le32(buf + 84);
	h->entries_crc = le32(buf + 88);
	if (h->my_lba != lba)
		return part_fail(t, "gpt: header at LBA %llu: says it is at LBA %llu", l,
				 (unsigned long long)h->my_lba);
	if (h->entry_size < 128 || h->entry_size > 4096 || h->entry_size % 8)
		return part_fail(t, "gpt: header at LBA %llu: entry size %u out of range", l, h->entry_size);
	if (h->entry_count > 4096)
		return part_fail(t, "gpt: header at LBA %llu: %u entries (limit 4096)", l, h->entry_count);
	if (h->first_usable > h->last_usable || h->last_usable >= dev->sectors)
		return part_fail(t, "gpt: header at LBA %llu: usable range %llu..%llu not on the disk", l,
				 (unsigned long long)h->first_usable, (unsigned long long)h->last_usable);
	uint64_t bytes = (uint64_t)h->entry_count * h->entry_size;
	uint64_t nsec = (bytes + dev->sector_size - 1) / dev->sector_size;
	if (h->entries_lba < 2 || h->entries_lba >= dev->sectors || nsec > dev->sectors - h->entries_lba)
		return part_fail(t, "gpt: header at LBA %llu: entry array at LBA %llu not on the disk", l,
				 (unsigned long long)h->entries_lba);
	if (h->entries_lba <= lba && lba < h->entries_lba + nsec)
		return part_fail(t, "gpt: header at LBA %llu: entry array overlaps the header", l);
	return FS_OK;
}

/* The 36-unit UTF-16LE name at in, as UTF-8. */
static void name_utf8(const uint8_t *in, char *out, size_t outlen)
{
	uint16_t units[36];

	for (int i = 0; i < 36; i++)
		units[i] = le16(in + 2 * i);
	if (utf16_to_utf8(units, 36, out, outlen) < 0)
		out[0] = 0;
}

static int read_entries(struct blkdev *dev, const struct gpt_header *h, struct part_table *t,
			unsigned flags)
{
	uint64_t bytes = (uint64_t)h->entry_count * h->entry_size;
	uint32_t nsec = (uint32_t)((bytes + dev->sector_size - 1) / dev->sector_size);
	uint8_t *a = malloc((size_t)nsec * dev->sector_size + 1);
	int err;

	if (!a)
		return FS_ENOMEM;
	if ((err = blkdev_read(dev, h->entries_lba, nsec, a)))
		goto out;
	uint32_t crc = crc32_ieee(0, a, (size_t)bytes);
	if (crc != h->entries_crc && !(flags & PART_NO_CRC)) {
		err = part_fail(t, "gpt: entry array at LBA %llu: CRC32 0x%08x, stored 0x%08x",
				(unsigned long long)h->entries_lba, crc, h->entries_crc);
		goto out;
	}
	t->count = 0;
	for (uint32_t i = 0; i < h->entry_count; i++) {
		const uint8_t *e = a + (size_t)i * h->entry_size;
		static const uint8_t unused[16];
		if (!memcmp(e, unused, 16))
			continue;
		uint64_t first = le64(e + 32), last = le64(e + 40);
		if (first > last || first < h->first_usable || last > h->last_usable) {
			err = part_fail(t, "gpt: entry %u: LBA %llu..%llu outside the usable %llu..%llu", i,
					(unsigned long long)first, (unsigned long long)last,
					(unsigned long long)h->first_usable, (unsigned long long)h->last_usable);
			goto out;
		}
		if (t->count == PART_MAX) {
			err = part_fail(t, "gpt: more than %d partitions in use", PART_MAX);
			goto out;
		}
		struct part_entry *p = &t->part[t->count++];
		memcpy(p->type_guid, e, 16);
		memcpy(p->uuid, e + 16, 16);
		p->first_lba = first;
		p->sectors = last - first + 1;
		p->attributes = le64(e + 48);
		name_utf8(e + 56, p->name, sizeof p->name);
	}
out:
	free(a);
	return err;
}

/* Reads and checks the header at lba, then its entries. */
static int try_header(struct blkdev *dev, uint64_t lba, struct part_table *t, unsigned flags)
{
	uint8_t *buf = malloc(dev->sector_size);
	struct gpt_header h = {0};
	int err;

	if (!buf)
		return FS_ENOMEM;
	err = part_sector(dev, lba, buf);
	if (!err)
		err = check_header(dev, buf, lba, &h, t, flags);
	free(buf);
	if (err)
		return err;
	memcpy(t->disk_guid, h.disk_guid, 16);
	return read_entries(dev, &h, t, flags);
}

int gpt_parse(struct blkdev *dev, struct part_table *t, unsigned flags)
{
	char primary_why[sizeof t->why];
	int err;

	t->scheme = PART_GPT;
	if (dev->sectors < 3)
		return part_fail(t, "gpt: disk of %llu sectors is too small", (unsigned long long)dev->sectors);
	err = try_header(dev, 1, t, flags);
	if (err != FS_ECORRUPT)
		return err;
	memcpy(primary_why, t->why, sizeof primary_why);
	err = try_header(dev, dev->sectors - 1, t, flags);
	if (err == FS_ECORRUPT) {
		char backup_why[sizeof t->why];
		memcpy(backup_why, t->why, sizeof backup_why);
		snprintf(t->why, sizeof t->why, "%.78s; backup: %.70s", primary_why, backup_why);
		t->count = 0;
		return err;
	}
	if (!err) {
		t->used_backup = 1;
		snprintf(t->why, sizeof t->why, "%.100s; used the backup", primary_why);
	}
	return err;
}
