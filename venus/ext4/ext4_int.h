/*
 * ext4_int.h: the ext4 driver's internals.
 *   super.c   the superblock: geometry, features, checksum seed
 *   group.c   group descriptors, bitmaps, block and inode allocation
 *   inode.c   inodes: read, checksum, write
 *   extent.c  the extent tree: mapping, checks, growing and shrinking
 *   dir.c     directory blocks: entries, checksum tails, the htree index
 *   file.c    file data, inline data, symlinks
 *   journal.c jbd2 transactions for metadata
 *   ops.c     the struct fs operations and mount
 * A node (fs_node) is the inode number.
 */
#ifndef VENUS_EXT4_INT_H
#define VENUS_EXT4_INT_H

#include "../fs/port.h"
#include "../fs/bcache.h"
#include "../fs/crc.h"
#include "../fs/le.h"
#include "ext4.h"

#define EXT4_ROOT_INO 2
#define EXT4_JOURNAL_INO 8

#define COMPAT_HAS_JOURNAL 0x4
#define COMPAT_KNOWN 0x1FFFu
#define INCOMPAT_FILETYPE 0x2
#define INCOMPAT_RECOVER 0x4
#define INCOMPAT_JOURNAL_DEV 0x8
#define INCOMPAT_META_BG 0x10
#define INCOMPAT_EXTENTS 0x40
#define INCOMPAT_64BIT 0x80
#define INCOMPAT_MMP 0x100
#define INCOMPAT_FLEX_BG 0x200
#define INCOMPAT_CSUM_SEED 0x2000
#define INCOMPAT_LARGEDIR 0x4000
#define INCOMPAT_INLINE_DATA 0x8000
/* What we read: filetype, recover (refused for writing), extents, 64bit,
   flex_bg, csum_seed, largedir, inline_data. */
#define INCOMPAT_READ (INCOMPAT_FILETYPE | INCOMPAT_RECOVER | INCOMPAT_EXTENTS | INCOMPAT_64BIT | \
		       INCOMPAT_FLEX_BG | INCOMPAT_CSUM_SEED | INCOMPAT_LARGEDIR | INCOMPAT_INLINE_DATA)
#define RO_SPARSE_SUPER 0x1
#define RO_LARGE_FILE 0x2
#define RO_HUGE_FILE 0x8
#define RO_GDT_CSUM 0x10
#define RO_DIR_NLINK 0x20
#define RO_EXTRA_ISIZE 0x40
#define RO_METADATA_CSUM 0x400
/* What we can write without breaking: everything else read-only. */
#define RO_WRITE (RO_SPARSE_SUPER | RO_LARGE_FILE | RO_HUGE_FILE | RO_GDT_CSUM | RO_DIR_NLINK | \
		  RO_EXTRA_ISIZE | RO_METADATA_CSUM)

#define EXT4_INDEX_FL 0x1000
#define EXT4_HUGE_FILE_FL 0x40000
#define EXT4_EXTENTS_FL 0x80000
#define EXT4_INLINE_DATA_FL 0x10000000

struct ext4_sb {
	uint8_t raw[1024];		/* the superblock as read, updated in place */
	uint32_t block_size, log_block_size;
	uint64_t blocks_count;
	uint32_t first_data_block;
	uint32_t blocks_per_group, inodes_per_group, inodes_count;
	uint32_t groups;
	uint32_t inode_size;
	uint32_t desc_size;
	uint32_t first_ino;
	uint32_t compat, incompat, ro_compat;
	int csum;			/* metadata_csum */
	int gdt_csum;			/* the older crc16 descriptors */
	uint32_t csum_seed;		/* crc32c seed for per-object checksums */
	uint32_t gdt_blocks;		/* blocks of group descriptors */
	int force_rdonly;		/* a feature we cannot write, or a journal to replay */
};

/* Parses and checks a superblock (1024 bytes) for a device of dev_bytes;
   FS_OK, FS_ENOSYS (a feature we lack) or FS_ECORRUPT, with why set. */
int ext4_parse_super(const uint8_t *raw, uint64_t dev_bytes, unsigned flags, struct ext4_sb *sb,
		     char *why, size_t whylen);
void ext4_super_csum_set(struct ext4_sb *sb);

struct ext4_group {
	uint64_t block_bitmap, inode_bitmap, inode_table;
	uint32_t free_blocks, free_inodes, used_dirs, itable_unused;
	uint16_t flags;
};

struct ext4_inode {
	uint32_t ino;
	uint8_t raw[1024];		/* inode_size bytes */
	uint32_t mode, flags, links, generation;
	uint64_t size;
};

struct ext4 {
	struct fs *fs;
	struct bcache cache;
	struct ext4_sb sb;
	uint8_t *gdt;			/* every group descriptor, raw */
	uint8_t *gstale;		/* per group: what ext4_groups_flush must refresh */
	uint32_t *gdirty, ngdirty;	/* the groups with gstale set */
	int nocsum;			/* fuzzing: skip checksum checks */
	struct ext4_journal *journal;	/* NULL when mounted read-only */
};

static inline struct ext4 *ext4_of(struct fs *fs) { return fs->priv; }
int ext4_fail(struct ext4 *e, const char *fmt, ...) __attribute__((format(__printf__, 2, 3)));

/* group.c */
int ext4_load_groups(struct ext4 *e);
void ext4_group_get(const struct ext4 *e, uint32_t g, struct ext4_group *out);
void ext4_group_put(struct ext4 *e, uint32_t g, const struct ext4_group *in);
/* Allocates a block, the first free one at or after goal if it can. */
int ext4_alloc_block(struct ext4 *e, uint64_t goal, uint64_t *out);
int ext4_free_blocks(struct ext4 *e, uint64_t first, uint32_t count);
int ext4_alloc_inode(struct ext4 *e, uint32_t parent_group, int dir, uint32_t *out);
int ext4_free_inode(struct ext4 *e, uint32_t ino, int dir);
int ext4_write_groups(struct ext4 *e);
/* Brings changed groups' bitmap checksums and descriptors up to date in
   their blocks (before a commit). */
int ext4_groups_flush(struct ext4 *e);
/* Whether a block is a valid data block number (inside the fs, past the
   superblock). */
int ext4_block_ok(const struct ext4 *e, uint64_t b);

/* inode.c */
int ext4_inode_read(struct ext4 *e, uint32_t ino, struct ext4_inode *in);
int ext4_inode_write(struct ext4 *e, struct ext4_inode *in);
uint32_t ext4_inode_seed(const struct ext4 *e, const struct ext4_inode *in);
void ext4_inode_add_blocks(struct ext4 *e, struct ext4_inode *in, int64_t fs_blocks);
void ext4_inode_touch(struct ext4_inode *in, int m, int c);

/* extent.c */
/* Maps logical block lblk: *pblk is 0 for a hole (or unwritten extent);
   *run is how many blocks from lblk map contiguously the same way. */
int ext4_map(struct ext4 *e, struct ext4_inode *in, uint32_t lblk, uint64_t *pblk, uint32_t *run);
/* Maps lblk, allocating a block if it is a hole (the new block's number
   in *pblk, *fresh set). */
int ext4_map_alloc(struct ext4 *e, struct ext4_inode *in, uint32_t lblk, uint64_t *pblk, int *fresh);
/* Frees every block at or after logical block from. */
int ext4_extent_truncate(struct ext4 *e, struct ext4_inode *in, uint32_t from);
void ext4_extent_init(struct ext4_inode *in);

/* dir.c */
struct ext4_dirent {
	uint32_t ino;
	uint8_t type;
	uint8_t name_len;
	char name[256];
};
/* Calls fn for each live entry of directory in; fn returns nonzero to
   stop (that value is returned). cookie: (block << 16 | offset) to start
   from, updated past each entry returned. */
int ext4_dir_iterate(struct ext4 *e, struct ext4_inode *dir, uint64_t *cookie,
		     int (*fn)(void *arg, const struct ext4_dirent *d), void *arg);
int ext4_dir_lookup(struct ext4 *e, struct ext4_inode *dir, const char *name, uint32_t *ino, uint8_t *type);
int ext4_dir_add(struct ext4 *e, struct ext4_inode *dir, const char *name, uint32_t ino, uint8_t type);
int ext4_dir_remove(struct ext4 *e, struct ext4_inode *dir, const char *name);
int ext4_dir_set_dotdot(struct ext4 *e, struct ext4_inode *dir, uint32_t parent);
int ext4_dir_init(struct ext4 *e, struct ext4_inode *dir, uint32_t parent);
int ext4_dir_is_empty(struct ext4 *e, struct ext4_inode *dir, int *empty);

/* file.c */
int ext4_file_read(struct ext4 *e, struct ext4_inode *in, uint64_t off, void *buf, size_t len, size_t *got);
int ext4_file_write(struct ext4 *e, struct ext4_inode *in, uint64_t off, const void *buf, size_t len);
int ext4_file_truncate(struct ext4 *e, struct ext4_inode *in, uint64_t size);
int ext4_readlink(struct ext4 *e, struct ext4_inode *in, char *buf, size_t len, size_t *got);
int ext4_inline_read(struct ext4 *e, struct ext4_inode *in, uint64_t off, void *buf, size_t len, size_t *got);

/* Block access through the cache. */
int ext4_bread(struct ext4 *e, uint64_t block, struct bbuf **out);
/* Marks a metadata block changed (journalled at the next commit). */
void ext4_bdirty(struct ext4 *e, struct bbuf *b);

/* journal.c */
int ext4_journal_open(struct ext4 *e);
/* Writes the running transaction to the journal, then home. */
int ext4_tx_commit(struct ext4 *e);
/* Ends an operation: commits if it freed blocks or the transaction is
   large (otherwise the next sync or operation carries it). */
int ext4_tx_end(struct ext4 *e, int freed);
void ext4_journal_close(struct ext4 *e);

#endif
