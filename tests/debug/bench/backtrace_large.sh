#!/bin/sh
# backtrace_large.sh: acid against gdb on a large real program.
#
# Builds sqlite3's shell with -g from Debian's source package (fetched with
# apt-get into a private apt directory, cached under $(B)/debug/bench), then
# times, for acid and for `gdb -batch`, the whole job a person does: load
# the symbols, run to a breakpoint in the SQL virtual machine, print the
# full backtrace with arguments. Runs alternate between the two debuggers;
# each figure is the median wall time of RUNS runs in milliseconds.
# Prints `bench acid_backtrace_large`, `bench gdb_backtrace_large` and their
# ratio (target: acid at most half of gdb's time, a ratio <= 0.5).
set -e

B=${B:-build}
RUNS=${RUNS:-7}
ACID=$B/debug/acid
WORK=$B/debug/bench
SRC=sqlite3
PROG=$WORK/sqlite3-shell
BREAK=sqlite3VdbeExec
SQL="create table t(a); insert into t values(1); select count(*) from t;"

log() { echo "# $*"; }

fetch_source() {
	apt=$PWD/$WORK/apt
	mkdir -p "$apt/sources" "$apt/lists/partial" "$WORK/src"
	sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources > "$apt/sources/src.sources"
	opts="-q -oDir::Etc::SourceParts=$apt/sources -oDir::Etc::SourceList=/dev/null -oDir::State::Lists=$apt/lists"
	# shellcheck disable=SC2086
	apt-get $opts update > "$WORK/apt.log" 2>&1
	# shellcheck disable=SC2086
	(cd "$WORK/src" && apt-get $opts source --download-only "$SRC") >> "$WORK/apt.log" 2>&1
}

build_shell() {
	orig=$(ls "$WORK"/src/${SRC}_*.orig.tar.xz 2>/dev/null | head -n 1)
	[ -n "$orig" ] || fetch_source
	orig=$(ls "$WORK"/src/${SRC}_*.orig.tar.xz | head -n 1)
	rm -rf "$WORK/build"
	mkdir -p "$WORK/build"
	tar -xJf "$orig" -C "$WORK/build"
	dir=$(ls -d "$WORK"/build/sqlite3-*)
	log "building the sqlite3 shell from $(basename "$orig") with -g"
	(cd "$dir" && ./configure --disable-tcl --disable-readline CFLAGS="-g -O2" > configure.log 2>&1 &&
	 make -j2 sqlite3 > make.log 2>&1)
	cp "$dir/sqlite3" "$PROG"
}

now_ms() { date +%s%3N; }

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

[ -x "$PROG" ] || build_shell
[ -x "$ACID" ] || { echo "backtrace_large: $ACID is not built" >&2; exit 1; }
command -v gdb > /dev/null || { echo "backtrace_large: gdb is not installed" >&2; exit 1; }

run_acid() {
	echo "bpset($BREAK); cont(); stk()" | "$ACID" "$PROG" :memory: "$SQL" > "$WORK/acid.out" 2>&1
}

run_gdb() {
	gdb -batch -nx -ex "break $BREAK" -ex run -ex bt --args "$PROG" :memory: "$SQL" \
		> "$WORK/gdb.out" 2>&1
}

: > "$WORK/acid.times"
: > "$WORK/gdb.times"
i=0
while [ $i -lt "$RUNS" ]; do
	t0=$(now_ms); run_acid; t1=$(now_ms)
	echo $((t1 - t0)) >> "$WORK/acid.times"
	t0=$(now_ms); run_gdb; t1=$(now_ms)
	echo $((t1 - t0)) >> "$WORK/gdb.times"
	i=$((i + 1))
done

# Both must really have stopped in $BREAK and printed a backtrace reaching main.
grep -q "^$BREAK(" "$WORK/acid.out" && grep -q "^main(" "$WORK/acid.out" ||
	{ echo "backtrace_large: acid printed no backtrace:" >&2; cat "$WORK/acid.out" >&2; exit 1; }
grep -q "in main " "$WORK/gdb.out" ||
	{ echo "backtrace_large: gdb printed no backtrace:" >&2; cat "$WORK/gdb.out" >&2; exit 1; }
log "acid frames: $(grep -c '' "$WORK/acid.out"), gdb frames: $(grep -c '^#' "$WORK/gdb.out")"

acid=$(median < "$WORK/acid.times")
gdb=$(median < "$WORK/gdb.times")
echo "bench acid_backtrace_large $acid ms n=$RUNS"
echo "bench gdb_backtrace_large $gdb ms n=$RUNS"
echo "bench acid_vs_gdb_backtrace_ratio $(awk "BEGIN { printf \"%.3f\", $acid / $gdb }") ratio"
