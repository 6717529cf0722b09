/*
 * part_test.c: GPT and MBR tables written by sfdisk are read back with the
 * partitions sfdisk was told to make; broken tables (bad CRCs, bad
 * signatures, EBR loops, entries off the disk) give errors naming the
 * structure; a broken primary GPT header falls back to the backup.
 */
#include "fsimg.h"
#include "tap.h"
#include "part/part.h"
#include "fat/fat.h"

static char img[300];

static int open_and_read(struct part_table *t)
{
	struct blkdev d;
	int err;

	if (blkdev_file_open(&d, img, 512, 0))
		return -1;
	err = part_read(&d, t, 0);
	blkdev_file_close(&d);
	return err;
}

static void poke(uint64_t off, const void *bytes, size_t n)
{
	FILE *f = fopen(img, "r+b");

	if (!f || fseek(f, (long)off, SEEK_SET) || fwrite(bytes, 1, n, f) != n)
		bail_out("poke");
	fclose(f);
}

static void test_gpt(void)
{
	struct part_table t;
	char g[37];

	sh("truncate -s 16M %s", img);
	ok(sh("printf 'label: gpt\\nstart=2048, size=4096, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, name=\"EFI system\"\\n"
	      "start=8192, size=8192, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, uuid=11223344-5566-7788-99AA-BBCCDDEEFF00, name=\"root äö\"\\n' | sfdisk -q %s >&2", img) == 0,
	   "sfdisk made a GPT");
	is_int(open_and_read(&t), FS_OK, "GPT read");
	is_int(t.scheme, PART_GPT, "scheme is GPT");
	is_int(t.count, 2, "two partitions");
	is_int(t.part[0].first_lba, 2048, "first starts at 2048");
	is_int(t.part[0].sectors, 4096, "first has 4096 sectors");
	is_int(t.part[1].first_lba, 8192, "second starts at 8192");
	is_int(t.part[1].sectors, 8192, "second has 8192 sectors");
	is_str(t.part[0].name, "EFI system", "first name");
	is_str(t.part[1].name, "root äö", "second name (UTF-16 to UTF-8)");
	part_guid_str(t.part[0].type_guid, g);
	is_str(g, "c12a7328-f81f-11d2-ba4b-00a0c93ec93b", "ESP type GUID");
	part_guid_str(t.part[1].uuid, g);
	is_str(g, "11223344-5566-7788-99aa-bbccddeeff00", "partition GUID");
	is_int(t.used_backup, 0, "primary header used");

	/* Break the primary header's CRC: the backup takes over. */
	poke(512 + 24, "\x07", 1);
	is_int(open_and_read(&t), FS_OK, "broken primary header: read from the backup");
	ok(t.used_backup && t.count == 2, "backup gave both partitions");
	ok(strstr(t.why, "header at LBA 1") && strstr(t.why, "CRC32"), "note names the primary header's CRC: %s", t.why);

	/* Break the backup too: refused, both named. */
	poke(16 * 1024 * 1024 - 512 + 24, "\x07", 1);
	is_int(open_and_read(&t), FS_ECORRUPT, "both headers broken: refused");
	ok(strstr(t.why, "LBA 1") && strstr(t.why, "backup"), "error names both: %s", t.why);

	/* A fresh table with a corrupted entry array (both copies). */
	sh("dd if=/dev/zero of=%s bs=1M count=16 status=none", img);
	sh("printf 'label: gpt\\nstart=2048, size=4096\\n' | sfdisk -q %s >&2", img);
	poke(1024 + 56, "X", 1);
	poke(16 * 1024 * 1024 - 33 * 512 + 56, "X", 1);
	is_int(open_and_read(&t), FS_ECORRUPT, "entry array CRC mismatch refused");
	ok(strstr(t.why, "entry array") != NULL, "error names the entry array: %s", t.why);

	/* Signature gone in both headers. */
	sh("printf 'label: gpt\\nstart=2048, size=4096\\n' | sfdisk -q %s >&2", img);
	poke(512, "XFI PART", 8);
	poke(16 * 1024 * 1024 - 512, "XFI PART", 8);
	is_int(open_and_read(&t), FS_ECORRUPT, "no EFI PART signature refused");
	ok(strstr(t.why, "signature") != NULL, "error names the signature: %s", t.why);
}

static void test_mbr(void)
{
	struct part_table t;

	sh("dd if=/dev/zero of=%s bs=1M count=16 status=none", img);
	ok(sh("printf 'label: dos\\nstart=2048, size=2048, type=83\\nstart=4096, size=20480, type=5\\n"
	      "start=6144, size=2048, type=c\\nstart=10240, size=4096, type=83\\n' | sfdisk -q %s >&2", img) == 0,
	   "sfdisk made an MBR with two logical partitions");
	is_int(open_and_read(&t), FS_OK, "MBR read");
	is_int(t.scheme, PART_MBR, "scheme is MBR");
	is_int(t.count, 4, "primary, extended and two logical");
	is_int(t.part[0].first_lba, 2048, "primary start");
	is_int(t.part[0].mbr_type, 0x83, "primary type");
	is_int(t.part[1].mbr_type, 0x05, "extended listed");
	is_int(t.part[2].first_lba, 6144, "first logical start");
	is_int(t.part[2].sectors, 2048, "first logical size");
	is_int(t.part[2].mbr_type, 0x0c, "first logical type");
	is_int(t.part[3].first_lba, 10240, "second logical start");
	is_int(t.part[3].sectors, 4096, "second logical size");

	/* The second EBR (at 4096 + its link) links back to the first: a loop. */
	uint8_t sec[512];
	FILE *f = fopen(img, "rb");
	if (!f || fseek(f, 4096 * 512, SEEK_SET) || fread(sec, 1, 512, f) != 512)
		bail_out("read EBR");
	fclose(f);
	uint32_t link = sec[462 + 8] | sec[463 + 8] << 8 | sec[464 + 8] << 16 | (uint32_t)sec[465 + 8] << 24;
	poke((uint64_t)(4096 + link) * 512 + 462, "\x00\x00\x00\x00\x05\x00\x00\x00\x00\x00\x00\x00\x00\x08\x00\x00", 16);
	is_int(open_and_read(&t), FS_ECORRUPT, "EBR loop refused");
	ok(strstr(t.why, "EBR") && strstr(t.why, "loop"), "error names the EBR loop: %s", t.why);

	/* A primary entry past the end of the disk. */
	sh("printf 'label: dos\\nstart=2048, size=2048, type=83\\n' | sfdisk -q %s >&2", img);
	poke(446 + 12, "\x00\x00\x10\x00", 4);
	is_int(open_and_read(&t), FS_ECORRUPT, "entry past the disk refused");
	ok(strstr(t.why, "entry 0") && strstr(t.why, "past"), "error names entry 0: %s", t.why);

	poke(446, "\x33", 1);
	is_int(open_and_read(&t), FS_ECORRUPT, "bad boot flag refused");

	poke(510, "\x00\x00", 2);
	is_int(open_and_read(&t), FS_OK, "no 55 AA: not an error");
	is_int(t.scheme, PART_NONE, "no table");
}

/* A FAT file system inside a GPT partition, reached through a slice. */
static void test_slice(void)
{
	struct part_table t;
	struct blkdev d, sd;
	struct blkdev_slice slice;
	struct fs fs;
	size_t n;
	int err;

	sh("dd if=/dev/zero of=%s bs=1M count=16 status=none", img);
	sh("printf 'label: gpt\\nstart=2048, size=20480\\n' | sfdisk -q %s >&2", img);
	ok(sh("mkfs.fat -F 16 --offset 2048 %s 10240 >&2 && printf 'inside a partition\\n' > %s.txt && "
	      "MTOOLS_SKIP_CHECK=1 mcopy -i %s@@1048576 %s.txt ::/INSIDE.TXT >&2", img, img, img, img) == 0,
	   "FAT16 made inside partition 1");
	blkdev_file_open(&d, img, 512, 0);
	is_int(part_read(&d, &t, 0), FS_OK, "table read");
	blkdev_slice_init(&sd, &slice, &d, t.part[0].first_lba, t.part[0].sectors);
	is_int(sd.sectors, 20480, "slice has the partition's size");
	err = fat_mount(&fs, &sd, FS_MOUNT_RDONLY, 0);
	is_int(err, FS_OK, "FAT mounts on the slice (%s)", err ? fs.why : "ok");
	if (!err) {
		uint8_t *got = fs_slurp(&fs, "INSIDE.TXT", &n, &err);
		ok(got && n == 19 && !memcmp(got, "inside a partition\n", 19), "file read through the slice");
		free(got);
		fs.ops->unmount(&fs);
	}
	uint8_t buf[512];
	is_int(blkdev_read(&sd, 20480, 1, buf), FS_EIO, "a read past the slice fails");
	blkdev_file_close(&d);
}

int main(void)
{
	snprintf(img, sizeof img, "%s/disk.img", fsimg_scratch());
	plan(47);
	test_gpt();
	test_mbr();
	test_slice();
	return done_testing();
}
