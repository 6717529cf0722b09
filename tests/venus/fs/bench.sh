#!/bin/sh
# bench.sh: FAT32 and ext4 on the host, over an image held in memory.
#   vfs_<fs>_seqwrite_instr_per_kib  a 64 MiB file written in 64 KiB pieces
#   vfs_<fs>_seqread_instr_per_kib   the same file read back
#   vfs_<fs>_create_instr_per_file   10,000 files of 100 bytes (100 dirs)
#   vfs_<fs>_seqread_mib_per_sec     wall time, median of RUNS (noisy)
# Instructions are counted by callgrind, one job minus another (bench.c),
# so image loading and mounting are not in the figures.
set -e

B=${B:-build}
RUNS=${RUNS:-3}
X=$B/tests/venus/fs/vfs-bench
W=$B/tests/venus/fs/bench
[ -x "$X" ] || { echo "bench.sh: $X is not built" >&2; exit 1; }
mkdir -p "$W"
rm -f "$W/fat.img" "$W/ext4.img"
mkfs.fat -C -F 32 "$W/fat.img" 131072 > /dev/null
mkfs.ext4 -q -F -b 4096 "$W/ext4.img" 128M

count() {	# count FS JOB: instructions of one run
	valgrind --tool=callgrind --callgrind-out-file=/dev/null "$X" "$1" "$2" "$W/$1.img" 2>&1 |
		sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

for fs in fat ext4; do
	"$X" $fs read "$W/$fs.img" > /dev/null	# it must work before it is measured
	if command -v valgrind > /dev/null; then
		mount=$(count $fs mount); write=$(count $fs write); read=$(count $fs read); small=$(count $fs small)
		echo "# $fs instructions: mount $mount, write $write, read $read, small $small"
		echo "bench vfs_${fs}_seqwrite_instr_per_kib $(awk "BEGIN { printf \"%.0f\", ($write - $mount) / 65536 }") instructions"
		echo "bench vfs_${fs}_seqread_instr_per_kib $(awk "BEGIN { printf \"%.0f\", ($read - $write) / 65536 }") instructions"
		echo "bench vfs_${fs}_create_instr_per_file $(awk "BEGIN { printf \"%.0f\", ($small - $mount) / 10000 }") instructions"
	fi
	: > "$W/times"
	i=0
	while [ $i -lt "$RUNS" ]; do
		"$X" $fs read "$W/$fs.img" | sed -n 's/^read_ns //p' >> "$W/times"
		i=$((i + 1))
	done
	ns=$(median < "$W/times")
	echo "bench vfs_${fs}_seqread_mib_per_sec $(awk "BEGIN { printf \"%.0f\", 64 * 1e9 / $ns }") MiB/s n=$RUNS"
done
