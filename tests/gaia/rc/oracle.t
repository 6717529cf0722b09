#!/bin/sh
# oracle.t: Ares's rc against Plan 9's own rc (Debian 9base), one TAP test
# per case.  tests/gaia/rc/cases/*.rc hold many cases each, every one
# starting with a line "#### description".  Both shells run each case as
# a script file in a scratch directory (/tmp/ in a case means that
# directory) with the same small environment; their standard output and
# exit status must agree.  A case with a line "# compare: stderr"
# compares standard error too.  $RC in a case is the shell under test.
# Where Ares's rc differs on purpose the case lives in
# tests/gaia/rc/golden/ instead (golden.t).
# Run from the top of the tree (make check does).

B=${B:-build}
RC=$B/gaia/rc/rc
ORACLE=${RC_ORACLE:-/usr/lib/plan9/bin/rc}
work=$(mktemp -d "${TMPDIR:-/tmp}/rc-oracle.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/cases" "$work/home"

if [ ! -x "$ORACLE" ]; then
	echo "1..0 # SKIP Plan 9 rc not installed (Debian package 9base)"
	exit 0
fi

# Fixtures for the pattern cases.
fixtures() {
	rm -rf "$work/rcglob"
	mkdir -p "$work/rcglob/d" "$work/rcglob/e"
	for f in a.c b.c c.c ab x.h .hidden d/f d/g e/f; do : > "$work/rcglob/$f"; done
}

# Split every case file into $work/cases/NNN.rc, names in $work/names.
n=0
for file in tests/gaia/rc/cases/*.rc; do
	awk -v dir="$work/cases" -v start="$n" -v tmp="$work/" '
		/^#### / { n++; name = sprintf("%s/%03d.rc", dir, start + n);
			   print substr($0, 6) > (dir "/" sprintf("%03d", start + n) ".name");
			   next }
		n { gsub("/tmp/", tmp); print > name }
		END { print start + n > (dir "/count") }' "$file"
	n=$(cat "$work/cases/count")
done
echo "1..$n"

run() {	# run SHELL CASE OUT
	fixtures
	(cd "$work/home" && env -i PATH=/usr/bin:/bin HOME="$work/home" RC="$1" \
		timeout 10 "$1" "$2" > "$3.out" 2> "$3.err" < /dev/null
	 echo "[exit $?]" >> "$3.out")
}

fail=0
i=1
while [ $i -le $n ]; do
	c=$(printf '%03d' $i)
	name=$(cat "$work/cases/$c.name")
	run "$ORACLE" "$work/cases/$c.rc" "$work/theirs"
	run "$PWD/$RC" "$work/cases/$c.rc" "$work/ours"
	if grep -q '^# compare: stderr' "$work/cases/$c.rc"; then
		cat "$work/theirs.err" >> "$work/theirs.out"
		cat "$work/ours.err" >> "$work/ours.out"
	fi
	if diff -u "$work/theirs.out" "$work/ours.out" > "$work/diff"; then
		echo "ok $i - $name"
	else
		echo "not ok $i - $name"
		sed 's/^/# /' "$work/diff"
		sed 's/^/# case: /' "$work/cases/$c.rc"
		fail=$((fail + 1))
	fi
	i=$((i + 1))
done
[ $fail -eq 0 ]
