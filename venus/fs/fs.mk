# venus/fs, venus/part, venus/fat, venus/ext4: Ares's file systems as
# portable C over struct blkdev (docs/files.md).
#
#   venus/fs/    the block-device interface, the block cache, the shared
#                file-system operations (fs.h), CRCs; blkdev_file.c is the
#                host back end (an image file)
#   venus/part/  MBR and GPT
#   venus/fat/   FAT12/16/32 with long names, read-write
#   venus/ext4/  ext4 (fragment venus/ext4/ext4.mk)
#
# Outputs: $(B)/venus/libvenusfs.a, the portable code compiled freestanding
# against libmercury's headers (what the fs servers will link; building it
# proves the code needs nothing from glibc); host tests under $(B)/tests/
# built with ASan and UBSan; fuzzers for make fuzz.

VFS_PORTABLE := $(filter-out venus/fs/blkdev_file.c,$(sort $(wildcard venus/fs/*.c))) \
  $(sort $(wildcard venus/part/*.c venus/fat/*.c venus/ext4/*.c))
VFS_HOST     := $(VFS_PORTABLE) venus/fs/blkdev_file.c
VFS_ARES_OBJS := $(patsubst venus/%.c,$(B)/venus/ares/%.o,$(VFS_PORTABLE))
VFS_SAN      := -fsanitize=address,undefined -fno-sanitize-recover=all
VFS_CFLAGS   := -Imercury/lib/include -Ivenus
VFS_HDRS     := $(wildcard venus/fs/*.h venus/part/*.h venus/fat/*.h venus/ext4/*.h)

# The test images come from the real tools: mkfs.fat and fsck.fat
# (dosfstools), mtools, sfdisk (fdisk), mkfs.ext4/debugfs/e2fsck
# (e2fsprogs); clang for the fuzzers, valgrind for the bench.
DEBIAN_PKGS += dosfstools mtools fdisk e2fsprogs clang valgrind

$(B)/venus/ares/%.o: venus/%.c $(VFS_HDRS)
	@mkdir -p $(@D)
	$(HOST_CC) $(MERC_UFLAGS) -Ivenus -c -o $@ $<

$(B)/venus/libvenusfs.a: $(VFS_ARES_OBJS)
	rm -f $@ && ar rcs $@ $^

ALL += $(B)/venus/libvenusfs.a

# A host test of the file systems: TEST is its source; every portable
# source and the image-file back end are linked in, under ASan/UBSan.
define vfs_test
$(B)/tests/$(1).t: $(2) $(VFS_HOST) $(VFS_HDRS) tests/venus/fs/fsimg.h tests/lib/tap.h
	@mkdir -p $$(@D)
	$$(HOST_CC) $$(HOST_CFLAGS) $(VFS_SAN) $(VFS_CFLAGS) -Itests/lib -Itests/venus/fs -o $$@ $(2) $(VFS_HOST)
CHECK_TESTS += $(B)/tests/$(1).t
VFS_TESTS += $(B)/tests/$(1).t
endef

$(eval $(call vfs_test,venus-fs-unit,tests/venus/fs/unit_test.c))
$(eval $(call vfs_test,venus-part,tests/venus/fs/part_test.c))
$(eval $(call vfs_test,venus-fat,tests/venus/fs/fat_test.c))
$(eval $(call vfs_test,venus-ext4-read,tests/venus/fs/ext4_read_test.c))
$(eval $(call vfs_test,venus-ext4-write,tests/venus/fs/ext4_write_test.c))
$(eval $(call vfs_test,venus-ext4-crash,tests/venus/fs/ext4_crash_test.c))

.PHONY: vfs-tests
vfs-tests: $(VFS_TESTS)

# make fuzz: libFuzzer targets for the partition tables, the FAT boot
# sector, the FAT driver (BPB, chains, directories, long names, writes),
# the ext4 superblock and the ext4 driver (group descriptors, inodes,
# extents, htree, directory entries, writes), each for FUZZ_SECONDS on
# seeds made by the real tools (tests/venus/fs/fuzz/seeds.sh). Crashes
# land in $(B)/fuzz/vfs-*/.
VFS_FUZZ_FLAGS := -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all $(VFS_CFLAGS) \
  -Itests/venus/fs
VFS_FUZZERS := part fat fat_bpb ext4 ext4_super

$(B)/fuzz/vfs-%/fuzz: tests/venus/fs/fuzz/fuzz_%.c tests/venus/fs/fuzz/fuzz_common.h $(VFS_PORTABLE) $(VFS_HDRS)
	@mkdir -p $(@D)
	clang $(VFS_FUZZ_FLAGS) -o $@ $< $(VFS_PORTABLE)

.PHONY: $(patsubst %,fuzz-vfs-%,$(VFS_FUZZERS))
$(patsubst %,fuzz-vfs-%,$(VFS_FUZZERS)): fuzz-vfs-%: $(B)/fuzz/vfs-%/fuzz
	tests/venus/fs/fuzz/seeds.sh $* $(B)/fuzz/vfs-$*
	cd $(B)/fuzz/vfs-$* && VFS_FUZZ_BASE=$$PWD/base.img ASAN_OPTIONS=detect_leaks=1 ./fuzz \
		-max_total_time=$(FUZZ_SECONDS) -max_len=262144 -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 corpus

FUZZ_TARGETS += $(patsubst %,fuzz-vfs-%,$(VFS_FUZZERS))

# make bench: tests/venus/fs/bench.sh over $(B)/tests/venus/fs/vfs-bench
# (optimised, no sanitizers).
VFS_BENCH := $(B)/tests/venus/fs/vfs-bench
$(VFS_BENCH): tests/venus/fs/bench.c tests/venus/fs/fsimg.h $(VFS_HOST) $(VFS_HDRS)
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) $(VFS_CFLAGS) -Itests/venus/fs -o $@ $< $(VFS_HOST)
ALL += $(VFS_BENCH)
BENCH_TESTS += tests/venus/fs/bench.sh
