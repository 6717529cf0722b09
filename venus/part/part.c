/* part.c: choose between GPT and MBR from sector 0. */
#include "../fs/port.h"
#include "../fs/fs.h"
#include "../fs/le.h"
#include "part_int.h"

int part_fail(struct part_table *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->why, sizeof t->why, fmt, ap);
	va_end(ap);
	return FS_ECORRUPT;
}

int part_sector(struct blkdev *dev, uint64_t lba, uint8_t *buf)
{
	return blkdev_read(dev, lba, 1, buf);
}

/* A type 0xEE entry: a protective MBR in front of a GPT. */
static int is_protective(const uint8_t *mbr)
{
	for (int i = 0; i < 4; i++)
		if (mbr[446 + 16 * i + 4] == 0xEE)
			return 1;
	return 0;
}

int part_read(struct blkdev *dev, struct part_table *t, unsigned flags)
{
	uint8_t *mbr;
	int err;

	memset(t, 0, sizeof *t);
	if (dev->sector_size < 512 || dev->sector_size > 4096 || dev->sectors < 1)
		return part_fail(t, "part: device: sector size %u or size unusable", dev->sector_size);
	if (!(mbr = malloc(dev->sector_size)))
		return FS_ENOMEM;
	err = part_sector(dev, 0, mbr);
	if (!err && (mbr[510] != 0x55 || mbr[511] != 0xAA))
		t->scheme = PART_NONE;	/* no table at all: a bare file system */
	else if (!err && is_protective(mbr))
		err = gpt_parse(dev, t, flags);
	else if (!err)
		err = mbr_parse(dev, mbr, t);
	free(mbr);
	return err;
}

void part_guid_str(const uint8_t g[16], char out[37])
{
	snprintf(out, 37, "%08x-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 (unsigned)le32(g), le16(g + 4), le16(g + 6), g[8], g[9],
		 g[10], g[11], g[12], g[13], g[14], g[15]);
}
