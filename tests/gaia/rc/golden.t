#!/bin/sh
# golden.t: Ares's rc where it differs from Plan 9's rc on purpose, or
# where the behaviour is Ares's own (error messages with line:col).
# Each tests/gaia/rc/golden/NAME.rc runs as "rc case.rc" in a scratch
# directory (/tmp/ in the script means that directory); its standard
# output, then "--- stderr", its standard error, then "[exit N]" must
# equal NAME.out.  A first line "#args: ..." gives rc options before the
# file name (e.g. -x).  docs/man/rc.md lists the differences.
# Run from the top of the tree (make check does).

B=${B:-build}
RC=$PWD/$B/gaia/rc/rc
work=$(mktemp -d "${TMPDIR:-/tmp}/rc-golden.XXXXXX")
trap 'rm -rf "$work"' EXIT

set -- tests/gaia/rc/golden/*.rc
echo "1..$#"
i=0
fail=0
for script; do
	i=$((i + 1))
	name=$(basename "$script" .rc)
	rm -rf "$work/run"
	mkdir -p "$work/run"
	sed "s#/tmp/#$work/run/#g" "$script" > "$work/run/case.rc"
	args=$(sed -n '1s/^#args: //p' "$script")
	# shellcheck disable=SC2086
	(cd "$work/run" && env -i PATH=/usr/bin:/bin HOME="$work/run" RC="$RC" \
		timeout 10 "$RC" $args case.rc > "$work/out" 2> "$work/err" < /dev/null
	 code=$?
	 echo "--- stderr" >> "$work/out"
	 cat "$work/err" >> "$work/out"
	 echo "[exit $code]" >> "$work/out")
	sed "s#$work/run/#/tmp/#g" "$work/out" > "$work/got"
	if diff -u "${script%.rc}.out" "$work/got" > "$work/diff"; then
		echo "ok $i - $name"
	else
		echo "not ok $i - $name"
		sed 's/^/# /' "$work/diff"
		fail=$((fail + 1))
	fi
done
[ $fail -eq 0 ]
