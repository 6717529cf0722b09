#!/bin/bash
# lbench.t: TAP test of the Linux baseline's benchmark program, run on the
# host with few iterations: the same static binary that boots as /init
# must print one well-formed, positive median per bench in both clock
# modes, and fail loudly on bad options or a failing bench.
cd "$(dirname "$0")/../.." || exit 1
dir=build/linux-baseline
nop=$dir/lbench-nop
# A hung ping-pong must fail the test, not hang `make check`.
lbench() { timeout 60 "$dir/lbench" "$@"; }
names="linux_null_syscall linux_pipe_roundtrip linux_futex_roundtrip linux_spawn_exit"
small=(-n 200 -w 20 -s 20 -S 2)

echo "1..18"
t=0
ok() {	# ok COND-STATUS DESCRIPTION
	t=$((t + 1))
	if [ "$1" = 0 ]; then echo "ok $t - $2"; else echo "not ok $t - $2"; fi
}

# check_lines OUTPUT SUFFIX UNIT: one line per bench with a positive median.
check_lines() {
	local n iters
	for n in $names; do
		iters=200
		[ "$n" = linux_spawn_exit ] && iters=20
		grep -Eq "^bench $n$2 [1-9][0-9]* $3 n=$iters\$" <<<"$1"
		ok $? "$n$2: positive median in $3, n=$iters"
	done
	[ "$(grep -c '^bench ' <<<"$1")" = 4 ] && ! grep -Ev '^(bench |# )' <<<"$1" | grep -q .
	ok $? "only bench and # lines on stdout (${2:-instructions})"
}

out=$(lbench "${small[@]}" -p "$nop")
ok $? "instruction-count run exits 0"
check_lines "$out" "" instructions
median() { sed -n "s/^bench $1 \([0-9]*\) .*/\1/p" <<<"$out"; }
[ "$(median linux_pipe_roundtrip)" -gt "$(median linux_null_syscall)" ]
ok $? "a pipe round trip costs more than a null syscall"
[ "$(median linux_spawn_exit)" -gt "$(median linux_pipe_roundtrip)" ]
ok $? "a spawn costs more than a pipe round trip"
out=$(lbench -c "${small[@]}" -p "$nop")
ok $? "wall-clock run exits 0"
check_lines "$out" _ns ns

out=$(lbench "${small[@]}" -p /nonexistent/lbench-nop 2>/dev/null)
[ $? != 0 ] && ! grep -q '^bench linux_spawn_exit' <<<"$out" &&
	grep -q '^bench linux_pipe_roundtrip ' <<<"$out"
ok $? "a failing bench makes the run fail but not the others"
lbench -n 0 >/dev/null 2>&1
[ $? != 0 ]
ok $? "zero iterations is refused"
lbench -x >/dev/null 2>&1
[ $? != 0 ]
ok $? "an unknown option is refused"
"$nop"
ok $? "lbench-nop exits 0"
