#!/bin/sh
# seeds.sh NAME DIR: makes the seed corpus of fuzzer NAME in DIR/corpus
# with the real tools (sfdisk, mkfs.fat + mtools, mkfs.ext4 + debugfs),
# and for ext4 the journalled base image DIR/base.img that "P" inputs patch.
set -e
name=$1 dir=$2
c=$dir/corpus t=$dir/tmp
mkdir -p "$c" "$t"
echo 'hello, seed' > "$t/hello.txt"
head -c 5000 /dev/zero | tr '\0' 'x' > "$t/blocks.txt"
case $name in
part)
	truncate -s 128K "$t/disk"
	printf 'label: gpt\nstart=40, size=20, name="one"\nstart=64, size=20\n' | sfdisk -q "$t/disk" >/dev/null 2>&1
	cp "$t/disk" "$c/gpt"
	dd if=/dev/zero of="$t/disk" bs=1K count=128 status=none
	printf 'label: dos\nstart=1, size=20, type=83\nstart=21, size=80, type=5\nstart=22, size=10\nstart=40, size=10\n' | sfdisk -q "$t/disk" >/dev/null 2>&1
	cp "$t/disk" "$c/mbr"
	;;
fat|fat_bpb)
	for fat in 12 16; do
		rm -f "$t/f.img"
		if [ $fat = 12 ]; then mkfs.fat -C -F 12 "$t/f.img" 100 >/dev/null; else mkfs.fat -C -F 16 -s 1 "$t/f.img" 4200 >/dev/null; fi
		MTOOLS_SKIP_CHECK=1 mmd -i "$t/f.img" ::/Sub ::/Sub/Deeper
		MTOOLS_SKIP_CHECK=1 mcopy -i "$t/f.img" "$t/hello.txt" ::/SHORT.TXT
		MTOOLS_SKIP_CHECK=1 mcopy -i "$t/f.img" "$t/blocks.txt" "::/Sub/A long name.txt"
		if [ $name = fat_bpb ]; then
			head -c 512 "$t/f.img" > "$c/bpb$fat"; printf '\0\0\020\0\0\0\0\0' >> "$c/bpb$fat"
		elif [ $fat = 12 ]; then cp "$t/f.img" "$c/fat$fat"; fi
	done
	;;
ext4|ext4_super)
	mkdir -p "$t/tree/sub"
	cp "$t/hello.txt" "$t/tree/"; cp "$t/blocks.txt" "$t/tree/sub/"
	ln -sf hello.txt "$t/tree/link"
	rm -f "$t/s.img"
	mkfs.ext4 -q -F -b 1024 -O ^has_journal,^resize_inode -N 32 -d "$t/tree" "$t/s.img" 128K
	if [ $name = ext4_super ]; then
		dd if="$t/s.img" bs=1024 skip=1 count=1 status=none > "$c/super"; printf '\0\0\002\0\0\0\0\0' >> "$c/super"
	else
		cp "$t/s.img" "$c/small"
		rm -f "$dir/base.img"
		mkfs.ext4 -q -F -b 1024 -N 64 -d "$t/tree" "$dir/base.img" 2M
		printf 'P' > "$c/patch-none"
		printf 'P\000\004\070\123' > "$c/patch-magic"
	fi
	;;
esac
# Inputs that once failed (tests/venus/fs/fuzz/regress/NAME/) stay in the corpus.
[ -d "tests/venus/fs/fuzz/regress/$name" ] && cp tests/venus/fs/fuzz/regress/$name/* "$c/"
rm -rf "$t"
