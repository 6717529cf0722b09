/*
 * bpb.c: the boot sector's BIOS parameter block. The FAT type comes only
 * from the cluster count (the FilSysType string is ignored), and every
 * field that sizes or places something is checked against the others
 * and against the device.
 */
#include "fat_int.h"

static int bad(char *why, size_t n, const char *fmt, ...) __attribute__((format(__printf__, 3, 4)));

static int bad(char *why, size_t n, const char *fmt, ...)
{
	va_list ap;
	int k = snprintf(why, n, "fat: boot sector: ");

	va_start(ap, fmt);
	if (k > 0 && (size_t)k < n)
		vsnprintf(why + k, n - (size_t)k, fmt, ap);
	va_end(ap);
	return FS_ECORRUPT;
}

static int power_of_two(uint32_t v) { return v && !(v & (v - 1)); }

/* The fields that place the areas; then the derived geometry. */
static int read_fields(const uint8_t *bs, struct fat_geom *g, uint32_t *fat16, char *why, size_t n)
{
	g->bytes_per_sector = le16(bs + 11);
	g->sectors_per_cluster = bs[13];
	g->reserved_sectors = le16(bs + 14);
	g->nfats = bs[16];
	g->root_entries = le16(bs + 17);
	g->total_sectors = le16(bs + 19) ? le16(bs + 19) : le32(bs + 32);
	*fat16 = le16(bs + 22);
	g->fat_sectors = *fat16 ? *fat16 : le32(bs + 36);
	if (bs[510] != 0x55 || bs[511] != 0xAA)
		return bad(why, n, "no 55 AA signature");
	if (bs[0] != 0xEB && bs[0] != 0xE9)
		return bad(why, n, "jump instruction 0x%02x is not EB or E9", bs[0]);
	if (g->bytes_per_sector < 512 || g->bytes_per_sector > 4096 || !power_of_two(g->bytes_per_sector))
		return bad(why, n, "bytes per sector is %u", g->bytes_per_sector);
	if (!power_of_two(g->sectors_per_cluster))
		return bad(why, n, "sectors per cluster is %u", g->sectors_per_cluster);
	g->cluster_size = g->bytes_per_sector * g->sectors_per_cluster;
	if (g->cluster_size > 65536)
		return bad(why, n, "cluster size %u exceeds 64 KiB", g->cluster_size);
	if (!g->reserved_sectors)
		return bad(why, n, "reserved sector count is 0");
	if (g->nfats < 1 || g->nfats > 4)
		return bad(why, n, "number of FATs is %u", g->nfats);
	if (!g->fat_sectors)
		return bad(why, n, "FAT size is 0");
	if (!g->total_sectors)
		return bad(why, n, "total sector count is 0");
	return FS_OK;
}

static int check_layout(struct fat_geom *g, uint64_t dev_bytes, char *why, size_t n)
{
	uint64_t meta;

	g->root_sectors = (g->root_entries * 32 + g->bytes_per_sector - 1) / g->bytes_per_sector;
	meta = g->reserved_sectors + (uint64_t)g->nfats * g->fat_sectors + g->root_sectors;
	if (meta >= g->total_sectors)
		return bad(why, n, "reserved, FAT and root areas (%llu sectors) fill the volume (%u)",
			   (unsigned long long)meta, g->total_sectors);
	if ((uint64_t)g->total_sectors * g->bytes_per_sector > dev_bytes)
		return bad(why, n, "volume of %u sectors is larger than the device (%llu bytes)",
			   g->total_sectors, (unsigned long long)dev_bytes);
	g->root_first_sector = g->reserved_sectors + g->nfats * g->fat_sectors;
	g->first_data_sector = (uint32_t)meta;
	g->clusters = (g->total_sectors - g->first_data_sector) / g->sectors_per_cluster;
	if (!g->clusters)
		return bad(why, n, "no data clusters");
	g->type = g->clusters < 4085 ? 12 : g->clusters < 65525 ? 16 : 32;
	return FS_OK;
}

/* The FAT must hold an entry for every cluster. */
static int check_fat_size(const struct fat_geom *g, char *why, size_t n)
{
	uint64_t need = (uint64_t)(g->clusters + 2) * (g->type == 12 ? 3 : g->type == 16 ? 4 : 8) / 2;

	if ((uint64_t)g->fat_sectors * g->bytes_per_sector < need)
		return bad(why, n, "FAT of %u sectors is too small for %u clusters (FAT%d)",
			   g->fat_sectors, g->clusters, g->type);
	return FS_OK;
}

static int check_fat32(const uint8_t *bs, struct fat_geom *g, uint32_t fat16, char *why, size_t n)
{
	uint16_t ext_flags = le16(bs + 40);

	if (fat16 || g->root_entries)
		return bad(why, n, "FAT32 by cluster count but has FAT16 fields (FATSz16 %u, RootEntCnt %u)",
			   fat16, g->root_entries);
	if (le16(bs + 42))
		return bad(why, n, "FAT32 version %u.%u is not 0.0", bs[43], bs[42]);
	g->root_cluster = le32(bs + 44);
	if (g->root_cluster < 2 || g->root_cluster > g->clusters + 1)
		return bad(why, n, "root cluster %u out of range", g->root_cluster);
	g->fsinfo_sector = le16(bs + 48);
	if (g->fsinfo_sector == 0xFFFF || g->fsinfo_sector >= g->reserved_sectors)
		g->fsinfo_sector = 0;
	g->mirror = !(ext_flags & 0x80);
	g->active_fat = g->mirror ? 0 : ext_flags & 0xF;
	if (g->active_fat >= g->nfats)
		return bad(why, n, "active FAT %u of %u", g->active_fat, g->nfats);
	return FS_OK;
}

int fat_parse_bpb(const uint8_t *bs, size_t bs_len, uint64_t dev_bytes, struct fat_geom *g,
		  char *why, size_t whylen)
{
	uint32_t fat16;
	int err;

	memset(g, 0, sizeof *g);
	if (bs_len < 512)
		return bad(why, whylen, "shorter than 512 bytes");
	if ((err = read_fields(bs, g, &fat16, why, whylen)) || (err = check_layout(g, dev_bytes, why, whylen)))
		return err;
	if (g->type == 32) {
		if ((err = check_fat32(bs, g, fat16, why, whylen)))
			return err;
	} else {
		g->mirror = 1;
		if (!g->root_entries)
			return bad(why, whylen, "FAT%d by cluster count but the root directory has no entries", g->type);
		if ((g->root_entries * 32) % g->bytes_per_sector)
			return bad(why, whylen, "root entry count %u does not fill whole sectors", g->root_entries);
	}
	return check_fat_size(g, why, whylen);
}
