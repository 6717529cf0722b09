#!/bin/sh
# ipcgen.t: the interface generator's bad-input and command-line tests.
#
# Each tests/mercury/ipc/bad/NAME.ipc must be refused with exit status 1
# and exactly the message in NAME.err (file:line:col: message). Then: the
# interfaces of the tree are accepted, two interfaces with one id are
# refused, usage errors exit 2, and generation is deterministic.
# Run from the top of the tree (make check does).

B=${B:-build}
IPCGEN=$B/mercury/ipc/ipcgen
DIR=tests/mercury/ipc/bad
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
n=0
fail=0

report() {	# report OK DESCRIPTION
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		printf "ok %d - %s\n" $n "$2"
	else
		fail=$((fail + 1))
		printf "not ok %d - %s\n" $n "$2"
	fi
}

for f in $DIR/*.ipc; do
	name=$(basename "$f" .ipc)
	"$IPCGEN" -c "$f" > "$TMP/out" 2>&1
	status=$?
	if [ $status = 1 ] && diff -u "$DIR/$name.err" "$TMP/out" > "$TMP/diff"; then
		report 0 "bad input: $name: $(cut -d' ' -f2- "$DIR/$name.err")"
	else
		report 1 "bad input: $name (exit $status)"
		sed 's/^/# /' "$TMP/diff"
	fi
	# generating must fail the same way, and leave no files behind
	mkdir -p "$TMP/gen" && rm -f "$TMP/gen"/*
	"$IPCGEN" -o "$TMP/gen" "$f" > "$TMP/out" 2>&1
	status=$?
	[ $status = 1 ] && cmp -s "$DIR/$name.err" "$TMP/out" && [ -z "$(ls "$TMP/gen")" ]
	report $? "bad input: $name: nothing generated"
done

"$IPCGEN" -c mercury/ipc/*.ipc tests/mercury/ipc/*.ipc > "$TMP/out" 2>&1
report $? "the tree's interfaces are accepted"

mkdir -p "$TMP/a" "$TMP/b"
printf 'interface twin {\n}\n' > "$TMP/a/twin.ipc"
cp "$TMP/a/twin.ipc" "$TMP/b/twin.ipc"
"$IPCGEN" -a "$TMP/all.c" "$TMP/a/twin.ipc" "$TMP/b/twin.ipc" > "$TMP/out" 2>&1
status=$?
echo "$TMP/b/twin.ipc:1:11: interface 'twin' has the id 0x9a8704f3 of 'twin' in $TMP/a/twin.ipc" > "$TMP/want"
[ $status = 1 ] && cmp -s "$TMP/want" "$TMP/out"
report $? "two interfaces with one id are refused"

"$IPCGEN" > /dev/null 2>&1
[ $? = 2 ]
report $? "no arguments: usage, exit 2"
"$IPCGEN" -x a b > /dev/null 2>&1
[ $? = 2 ]
report $? "unknown option: usage, exit 2"
"$IPCGEN" -c "$TMP/missing.ipc" > "$TMP/out" 2>&1
[ $? = 1 ] && grep -q "^ipcgen: open $TMP/missing.ipc: No such file or directory$" "$TMP/out"
report $? "missing file: ipcgen: open FILE: why"

mkdir -p "$TMP/g1" "$TMP/g2"
"$IPCGEN" -o "$TMP/g1" tests/mercury/ipc/ipctest.ipc && "$IPCGEN" -o "$TMP/g2" tests/mercury/ipc/ipctest.ipc &&
	diff -r "$TMP/g1" "$TMP/g2" > /dev/null && [ $(ls "$TMP/g1" | wc -l) = 5 ]
report $? "generation writes the five files, the same each time"

echo "1..$n"
[ $fail = 0 ]
