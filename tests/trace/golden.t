#!/bin/sh
# golden.t: trace's golden tests, one TAP test per file in tests/trace/golden/.
#
#   NAME.d      a script, run as `trace -s NAME.d ARGS`
#   NAME.tas    bytecode in assembler syntax, run as `trace -A`; several
#               programs may share the file, separated by lines "---"
#   NAME.lines  one program a line, each run as `trace -n LINE` (error cases)
# The output (stdout and stderr, then "[exit N]") must equal NAME.out.
# Header lines ("// key: value" in .d and .lines, "; key: value" in .tas):
#   stream: FILE.txt   records written by mkstream from FILE.txt, given with -i
#   args: ...          more options; @B@ is the build directory, @D@ this
#                      directory, @O@ the output directory
#   setup: command     a shell command run first (same substitutions)
# Run from the top of the tree (make check does).

B=${B:-build}
T=$B/trace/trace
MK=$B/tests/trace/mkstream
D=tests/trace/golden
O=$B/tests/trace/out
n=0
fail=0

if [ ! -x "$T" ] || [ ! -x "$MK" ]; then
	echo "1..0 # SKIP $T or $MK is not built"
	exit 0
fi
mkdir -p "$O"

subst() {
	sed -e "s#@B@#$B#g" -e "s#@D@#$D#g" -e "s#@O@#$O#g"
}

header() {	# header KEY FILE
	sed -n -e "s#^// $1: ##p" -e "s#^; $1: ##p" "$2" | head -n 1 | subst
}

# options NAME FILE: -i with the stream, the args, after running the setup
options() {
	setup=$(header setup "$2")
	[ -n "$setup" ] && sh -c "$setup"
	stream=$(header stream "$2")
	opts=$(header args "$2")
	if [ -n "$stream" ]; then
		"$MK" "$D/$stream" "$O/$1.bin" || echo "# mkstream failed on $D/$stream"
		opts="-i $O/$1.bin $opts"
	fi
	echo "$opts"
}

check() {	# check NAME
	n=$((n + 1))
	if diff -u "$D/$1.out" "$O/$1.got" > "$O/$1.diff"; then
		echo "ok $n - $1"
	else
		fail=$((fail + 1))
		echo "not ok $n - $1"
		sed 's/^/# /' "$O/$1.diff"
	fi
}

# run OUT ARGS...: trace's output and exit status, appended to OUT
run() {
	out=$1
	shift
	timeout 60 "$T" "$@" >> "$out" 2>&1
	echo "[exit $?]" >> "$out"
}

# start FILE EXT: name, opts and an empty output for one golden file
start() {
	name=$(basename "$1" ".$2")
	opts=$(options "$name" "$1")
	: > "$O/$name.got"
}

for f in "$D"/*.d; do
	[ -f "$f" ] || continue
	start "$f" d
	# shellcheck disable=SC2086
	run "$O/$name.got" -s "$f" $opts
	check "$name"
done

for f in "$D"/*.lines; do
	[ -f "$f" ] || continue
	start "$f" lines
	grep -v '^//' "$f" | while IFS= read -r line; do
		[ -z "$line" ] && continue
		printf "> %s\n" "$line" >> "$O/$name.got"
		# shellcheck disable=SC2086
		run "$O/$name.got" -n "$line" $opts
	done
	check "$name"
done

for f in "$D"/*.tas; do
	[ -f "$f" ] || continue
	start "$f" tas
	rm -f "$O/$name".part*
	awk -v out="$O/$name.part" 'BEGIN { k = 1 } /^---$/ { k++; next } { print > (out k) }' "$f"
	k=1
	while [ -f "$O/$name.part$k" ]; do
		part=$O/$name.part$k
		echo "> $(grep -m 1 '^; case:' "$part" | sed 's/^; case: //')" >> "$O/$name.got"
		: > "$O/$name.raw"
		# shellcheck disable=SC2086
		run "$O/$name.raw" -A "$part" $opts
		sed "s#$O/##g" "$O/$name.raw" >> "$O/$name.got"
		k=$((k + 1))
	done
	check "$name"
done

echo "1..$n"
[ "$fail" -eq 0 ]
