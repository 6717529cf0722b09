/*
 * ext4_crash_test.c: crash consistency of our ext4 writes. A workload
 * (create, write, sync, rename, unlink, mkdir, truncate) runs on an image
 * in memory behind a device that stops writing after N block writes, the
 * power cut; for many N across the whole run, the image left behind must
 * pass e2fsck -fn once its journal is replayed (e2fsck -p -E
 * journal_only), and every file whose sync returned must be there with
 * its bytes (debugfs). Two series: a plain journal and one with CSUM_V3
 * checksums (which e2fsck verifies while replaying). CRASH_POINTS sets how
 * many cut points (default 60, two thirds of that for the second series).
 */
#include "fsimg.h"
#include "tap.h"
#include "ext4/ext4.h"

#define NFILES 12

static const char *dir;
static char img[300];
static uint8_t *base;
static size_t base_len;
static int64_t test_clock(void) { return 1700000000; }

static size_t file_size(int i) { return (size_t)(i * 7919) % 20000 + 1; }

/* Runs the workload until the device fails; durable[i] is set for each
   file whose sync succeeded. Returns the writes the device accepted. */
static long workload(uint8_t *image, long fail_after, int *durable)
{
	struct blkdev d;
	struct blkdev_mem m;
	struct fs fs;
	uint8_t buf[20000];
	char name[32], name2[32];
	fs_node n, sub;
	int err;

	blkdev_mem_init(&d, &m, image, base_len, 512);
	m.fail_after_writes = fail_after;
	memset(durable, 0, sizeof(int) * NFILES);
	if (ext4_mount(&fs, &d, 0, 64))
		return m.writes;
	err = fs.ops->mkdir(&fs, fs.root, "sub", 0755, &sub);
	for (int i = 0; i < NFILES && !err; i++) {
		snprintf(name, sizeof name, "file%02d", i);
		fill_pattern(buf, file_size(i), (uint32_t)i);
		err = fs.ops->create(&fs, i % 2 ? sub : fs.root, name, 0644, &n);
		if (!err)
			err = fs.ops->write(&fs, n, 0, buf, file_size(i));
		if (!err && i % 4 == 3)
			err = fs.ops->truncate(&fs, n, file_size(i) / 2 + 1) ||
			      fs.ops->write(&fs, n, file_size(i) / 2 + 1, buf + file_size(i) / 2 + 1,
					    file_size(i) - file_size(i) / 2 - 1);
		if (!err && i % 3 == 2) {
			snprintf(name2, sizeof name2, "junk%02d", i);
			err = fs.ops->create(&fs, fs.root, name2, 0644, &n);
			if (!err)
				err = fs.ops->write(&fs, n, 0, buf, 5000);
			if (!err)
				err = fs.ops->unlink(&fs, fs.root, name2);
		}
		if (!err)
			err = fs.ops->sync(&fs);
		if (!err)
			durable[i] = 1;
	}
	fs.ops->unmount(&fs);
	return m.writes;
}

static int durable_present(const int *durable)
{
	uint8_t want[20000];
	char out[400];
	int all = 1;

	snprintf(out, sizeof out, "%s/dump.bin", dir);
	for (int i = 0; i < NFILES; i++) {
		if (!durable[i])
			continue;
		size_t n = 0;
		unlink(out);
		sh("debugfs -R 'dump /%sfile%02d %s' %s >/dev/null 2>&1", i % 2 ? "sub/" : "", i, out, img);
		uint8_t *got = read_host_file(out, &n);
		fill_pattern(want, file_size(i), (uint32_t)i);
		if (!got || n != file_size(i) || memcmp(got, want, n)) {
			diag("file%02d was synced but is %s", i, got ? "different" : "missing");
			all = 0;
		}
		free(got);
	}
	return all;
}

/* One series of cuts on an image made by mkfs (opts), then prepare. */
static void run_series(const char *label, const char *prepare, int points)
{
	int durable[NFILES], bad_fsck = 0, bad_data = 0, all = 1;

	if (sh("rm -f %s && mkfs.ext4 -q -F -b 1024 %s 8M >&2", img, img) || (prepare && sh(prepare, img)))
		bail_out("mkfs.ext4");
	free(base);
	base = read_host_file(img, &base_len);
	uint8_t *image = malloc(base_len);

	memcpy(image, base, base_len);
	long total = workload(image, -1, durable);
	for (int i = 0; i < NFILES; i++)
		all &= durable[i];
	ok(all && total > 100, "%s: the uncut workload completes (%ld block writes)", label, total);
	write_host_file(img, image, base_len);
	is_int(sh("e2fsck -fn %s >&2", img), 0, "%s: uncut, e2fsck -fn is clean", label);

	srand(12345);
	for (int k = 0; k < points; k++) {
		/* Spread the cuts over the run; half at random offsets. */
		long cut = k < points / 2 ? total * k / (points / 2) : rand() % total;
		memcpy(image, base, base_len);
		workload(image, cut, durable);
		write_host_file(img, image, base_len);
		sh("e2fsck -p -E journal_only %s >/dev/null 2>&1", img);
		if (sh("e2fsck -fn %s >/dev/null 2>&1", img)) {
			diag("%s: cut after %ld writes: e2fsck -fn reports errors", label, cut);
			if (!bad_fsck++)
				sh("cp %s %s/first-bad.img; e2fsck -fn %s >&2", img, dir, img);
		}
		if (!durable_present(durable)) {
			diag("%s: cut after %ld writes: a synced file is missing", label, cut);
			bad_data++;
		}
	}
	is_int(bad_fsck, 0, "%s: %d cuts, every image passes e2fsck -fn after journal replay", label, points);
	is_int(bad_data, 0, "%s: %d cuts, every file synced before the cut is intact", label, points);
	free(image);
}

int main(void)
{
	const char *env = getenv("CRASH_POINTS");
	int points = env ? atoi(env) : 60;

	dir = fsimg_scratch();
	snprintf(img, sizeof img, "%s/crash.img", dir);
	fs_set_clock(test_clock);
	plan(8);
	run_series("plain journal", NULL, points);
	/* debugfs turns on the journal checksums Linux uses (CSUM_V3, 64-bit). */
	run_series("journal csum v3", "printf 'jo -c\\njc\\n' | debugfs -w -f - %s >/dev/null 2>&1", points * 2 / 3);
	free(base);
	return done_testing();
}
