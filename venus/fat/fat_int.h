/*
 * fat_int.h: the FAT driver's internals. Five parts:
 *   bpb.c    the boot sector: geometry, type, every field checked
 *   table.c  FAT entries, chains, allocation, FSInfo, the dirty bit
 *   name.c   long and short names: checksums, 8.3 forms, comparison
 *   dir.c    directories: loading a chain, scanning with long names,
 *            adding and removing entries
 *   file.c   file data: read, write, truncate
 *   ops.c    the struct fs operations and mount
 *
 * A node (fs_node) is the disk byte offset of a file's short directory
 * entry divided by 32; the root directory, which has no entry, is node 0.
 */
#ifndef VENUS_FAT_INT_H
#define VENUS_FAT_INT_H

#include "../fs/port.h"
#include "../fs/bcache.h"
#include "../fs/le.h"
#include "fat.h"

#define FAT_ROOT_NODE 0
#define FAT_DIR_MAX_ENTRIES 65536	/* the format's limit per directory */
#define FAT_ATTR_RO 0x01
#define FAT_ATTR_HIDDEN 0x02
#define FAT_ATTR_SYSTEM 0x04
#define FAT_ATTR_VOLUME 0x08
#define FAT_ATTR_DIR 0x10
#define FAT_ATTR_ARCHIVE 0x20
#define FAT_ATTR_LFN 0x0F

struct fat_geom {
	int type;			/* 12, 16 or 32 */
	uint32_t bytes_per_sector;
	uint32_t sectors_per_cluster;
	uint32_t cluster_size;
	uint32_t reserved_sectors;
	uint32_t nfats;
	uint32_t fat_sectors;		/* per FAT */
	uint32_t root_entries;		/* FAT12/16 fixed root */
	uint32_t root_sectors;
	uint32_t root_first_sector;	/* FAT12/16 */
	uint32_t root_cluster;		/* FAT32 */
	uint32_t first_data_sector;
	uint32_t total_sectors;
	uint32_t clusters;		/* data clusters: numbered 2..clusters+1 */
	uint32_t fsinfo_sector;		/* FAT32; 0 if none */
	int mirror;			/* write every FAT (else only active_fat) */
	uint32_t active_fat;
};

/* Parses and checks the boot sector (at least 512 bytes, bs_len of them
   valid) for a device of dev_bytes; FS_OK or FS_ECORRUPT with why set. */
int fat_parse_bpb(const uint8_t *bs, size_t bs_len, uint64_t dev_bytes, struct fat_geom *g,
		  char *why, size_t whylen);

struct fat {
	struct fs *fs;
	struct bcache cache;		/* blocks are sectors */
	struct fat_geom g;
	uint32_t free_count;		/* counted at mount, kept in step */
	uint32_t next_free;		/* allocation hint */
	/* Sequential access: where the last chain walk ended. */
	uint32_t cur_first, cur_index, cur_cluster;
	/* The last file whose chain was checked against its size. */
	uint32_t checked_first, checked_size;
};

static inline struct fat *fat_of(struct fs *fs) { return fs->priv; }
static inline uint64_t fat_cluster_sector(const struct fat *f, uint32_t c)
{
	return f->g.first_data_sector + (uint64_t)(c - 2) * f->g.sectors_per_cluster;
}
static inline int fat_valid_cluster(const struct fat *f, uint32_t c)
{
	return c >= 2 && c <= f->g.clusters + 1;
}

/* table.c */
#define FAT_EOC 0x0FFFFFFFu
int fat_get(struct fat *f, uint32_t c, uint32_t *next);	/* next is FAT_EOC at the end */
int fat_set(struct fat *f, uint32_t c, uint32_t value);	/* FAT_EOC for end of chain */
int fat_count_free(struct fat *f);
int fat_alloc(struct fat *f, uint32_t prev, uint32_t *out);	/* links prev (if not 0) to it */
int fat_free_chain(struct fat *f, uint32_t first);
/* The cluster at position index of the chain from first (FS_ECORRUPT if
   the chain is shorter). */
int fat_chain_at(struct fat *f, uint32_t first, uint32_t index, uint32_t *c);
int fat_write_fsinfo(struct fat *f);
int fat_set_clean(struct fat *f, int clean);
int fat_zero_cluster(struct fat *f, uint32_t c);

/* name.c */
uint8_t fat_lfn_checksum(const uint8_t short_name[11]);
/* Whether name is a valid long name (UTF-8, legal characters). */
int fat_name_valid(const char *name);
/* The 8.3 form of name if name is already a legal upper-case 8.3 name. */
int fat_short_exact(const char *name, uint8_t out[11]);
/* A basis 8.3 name with numeric tail n (n = 0: none). */
void fat_short_basis(const char *name, int n, uint8_t out[11]);
/* Puts tail "~n" (1 <= n < 10^7) on a basis name that has none. */
void fat_short_tail(uint8_t out[11], int n);
/* Short name bytes (with NTRes case flags) as a display name. */
void fat_short_display(const uint8_t *ent, char *out, size_t outlen);
int fat_name_equal(const char *a, const char *b);

/* dir.c */
struct fat_dir {
	uint32_t first;			/* first cluster; 0 = fixed root */
	uint32_t nclusters;
	uint32_t *clusters;
	uint32_t nentries;
};
struct fat_found {
	uint64_t pos;			/* disk byte offset of the short entry */
	uint32_t index;			/* its index in the directory */
	uint32_t first_index;		/* index of its first long-name entry */
	uint8_t ent[32];		/* the short entry */
	char name[FS_NAME_MAX + 1];	/* long name, or the short one */
};
int fat_dir_open(struct fat *f, uint32_t first, struct fat_dir *d);
void fat_dir_close(struct fat_dir *d);
uint64_t fat_dir_pos(struct fat *f, const struct fat_dir *d, uint32_t index);
int fat_dir_read_entry(struct fat *f, const struct fat_dir *d, uint32_t index, uint8_t ent[32]);
int fat_dir_write_entry(struct fat *f, const struct fat_dir *d, uint32_t index, const uint8_t ent[32]);
/* Scans from *index for the next live entry; FS_ENOENT at the end. */
int fat_dir_next(struct fat *f, const struct fat_dir *d, uint32_t *index, struct fat_found *out);
int fat_dir_find(struct fat *f, const struct fat_dir *d, const char *name, struct fat_found *out);
/* Adds an entry for name with the given short-entry template (name bytes
   filled in here), returning where it went. */
int fat_dir_add(struct fat *f, struct fat_dir *d, const char *name, const uint8_t tmpl[32],
		struct fat_found *out);
int fat_dir_remove(struct fat *f, const struct fat_dir *d, const struct fat_found *e);
int fat_dir_is_empty(struct fat *f, uint32_t first, int *empty);

/* Entry fields. */
static inline uint32_t fat_ent_cluster(const struct fat *f, const uint8_t *e)
{
	return le16(e + 26) | (f->g.type == 32 ? (uint32_t)le16(e + 20) << 16 : 0);
}
static inline void fat_ent_set_cluster(uint8_t *e, uint32_t c)
{
	put_le16(e + 26, (uint16_t)c);
	put_le16(e + 20, (uint16_t)(c >> 16));
}
void fat_ent_stamp(uint8_t *e, int creation);
int64_t fat_ent_mtime(const uint8_t *e);

/* Reads and writes one entry by node (disk position / 32). */
int fat_node_read(struct fat *f, fs_node node, uint8_t ent[32]);
int fat_node_write(struct fat *f, fs_node node, const uint8_t ent[32]);

/* file.c */
int fat_file_read(struct fat *f, const uint8_t *ent, uint64_t off, void *buf, size_t len, size_t *got);
int fat_file_write(struct fat *f, fs_node node, uint64_t off, const void *buf, size_t len);
int fat_file_truncate(struct fat *f, fs_node node, uint64_t size);

#endif
