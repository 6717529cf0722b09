#!/bin/sh
# golden.t: acid's golden tests, one TAP test per script (and per target).
#
# Each tests/debug/golden/NAME.acid is fed to acid on standard input; the
# output (stdout and stderr, then "[exit N]") must equal NAME.out after
# addresses are normalised: any hex number of 6+ digits becomes 0xADDR
# (stacks, heaps and PIE load addresses move between runs and machines),
# and line numbers in debug/lib/*.acid become N.
# Header lines in the script choose how acid runs:
#   // prog: NAME [args]   debug $(B)/debug/golden/NAME (else no program)
#   // attach: yes         start the program (with its args) first and run
#                          acid -p PID, naming no program: acid finds it
#   // remote: yes         also run it under gdbserver (acid -r), same .out
#   // kernel: yes         run against the Helios kernel ($(B)/kernel/helios.elf)
#                          under QEMU's gdbstub instead; source line numbers
#                          become N (the kernel's sources change under us)
#   // args: -l truss      extra acid options
#   // timeout: 20         seconds one acid run may take (default 60)
#   // todo: why           a known bug elsewhere: report the test as TAP TODO
#   // normalise: EXPR     a sed expression for what varies between runs
#                          (thread ids)
# Run from the top of the tree (make check does). ACID_GOLDEN="a b" runs
# only the scripts named a and b.

B=${B:-build}
ACID=$B/debug/acid
# Library errors then name debug/lib/port.acid, not this checkout's path.
ACIDLIB=debug/lib
export ACIDLIB
DIR=tests/debug/golden
n=0
fail=0

# Hex numbers of 6+ digits are addresses; library line numbers move
# whenever the library is edited.
normalise() {
	sed -E 's/0x[0-9a-f]{6,}/0xADDR/g; s#(debug/lib/[a-z]+\.acid):[0-9]+#\1:N#g'
}

header() {	# header FIELD SCRIPT
	sed -n "s#^// $1: ##p" "$2" | head -n 1
}

# check NAME DESCRIPTION EXPECTED-FILE ACTUAL-FILE (TODO: set by the caller)
check() {
	n=$((n + 1))
	todo=
	[ -n "$TODO" ] && todo=" # TODO $TODO"
	if diff -u "$3" "$4" > "$4.diff"; then
		echo "ok $n - $2$todo"
	else
		[ -n "$TODO" ] || fail=$((fail + 1))
		echo "not ok $n - $2$todo"
		sed 's/^/# /' "$4.diff"
	fi
}

# run_attach SCRIPT OUT: acid -p PID against the program already running.
run_attach() {
	# shellcheck disable=SC2046
	set -- $(header prog "$1")
	bin=$B/debug/golden/$1
	shift
	"$bin" "$@" > /dev/null 2>&1 &
	tpid=$!
	# until it has exec'd (its /proc/PID/exe is the program, not the shell)
	i=0
	while [ "$(readlink "/proc/$tpid/exe" 2>/dev/null)" != "$(readlink -f "$bin")" ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	timeout $LIMIT $ACID -p "$tpid" < "$SCRIPT" > "$OUT.raw" 2>&1
	echo "[exit $?]" >> "$OUT.raw"
	kill -9 "$tpid" 2>/dev/null
	wait "$tpid" 2>/dev/null
	normalise < "$OUT.raw" | sed "s/\b$tpid\b/PID/g" > "$OUT"
}

# run_local SCRIPT OUT
run_local() {
	prog=$(header prog "$1")
	args=$(header args "$1")
	if [ -n "$prog" ]; then
		# shellcheck disable=SC2086
		timeout $LIMIT $ACID $args $B/debug/golden/$prog < "$1" > "$2.raw" 2>&1
	else
		# shellcheck disable=SC2086
		timeout $LIMIT $ACID $args < "$1" > "$2.raw" 2>&1
	fi
	echo "[exit $?]" >> "$2.raw"
	normalise < "$2.raw" | sed -E "${EXTRA:-s/^//}" > "$2"
}

# run_remote SCRIPT OUT: the program under gdbserver, acid as its client.
run_remote() {
	script=$1
	out=$2
	args=$(header args "$script")
	# shellcheck disable=SC2046
	set -- $(header prog "$script")
	bin=$B/debug/golden/$1
	shift
	# Port 0: gdbserver picks a free one and says which (other runs of this
	# test, in other checkouts, may be listening at the same time).
	gdbserver --once "127.0.0.1:0" "$bin" "$@" > "$out.gdbserver" 2>&1 &
	gpid=$!
	# Up to 30 s (a loaded machine is slow), until the port it names listens:
	# the line can be read before its digits are all written.
	i=0
	port=
	while [ $i -lt 300 ]; do
		port=$(sed -n 's/^Listening on port \([0-9][0-9]*\)$/\1/p' "$out.gdbserver")
		[ -n "$port" ] && ss -ltn 2>/dev/null | grep -Eq "(127.0.0.1|0.0.0.0|\*):$port " && break
		sleep 0.1
		i=$((i + 1))
	done
	# shellcheck disable=SC2086
	timeout $LIMIT $ACID $args -r "127.0.0.1:${port:-0}" "$bin" < "$script" > "$out.raw" 2>&1
	echo "[exit $?]" >> "$out.raw"
	kill "$gpid" 2>/dev/null
	wait "$gpid" 2>/dev/null
	normalise < "$out.raw" | sed -E "${EXTRA:-s/^//}" > "$out"
}

# run_kernel SCRIPT OUT: Helios under QEMU, stopped at its first instruction.
run_kernel() {
	port=$((40000 + $$ % 20000))
	tools/qemu-run --gdb-port "$port" --timeout 120 > "$2.qemu" 2>&1 &
	qpid=$!
	i=0
	while ! ss -ltn 2>/dev/null | grep -q ":$port " && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	timeout $LIMIT $ACID -r "127.0.0.1:$port" "$KERNEL" < "$1" > "$2.raw" 2>&1
	echo "[exit $?]" >> "$2.raw"
	kill "$qpid" 2>/dev/null
	wait "$qpid" 2>/dev/null
	normalise < "$2.raw" | sed -E 's/\.(c|S|h):[0-9]+/.\1:N/g' > "$2"
}

KERNEL=$B/kernel/helios.elf

if [ ! -x "$ACID" ]; then
	echo "1..0 # SKIP $ACID is not built"
	exit 0
fi
OUTDIR=$B/debug/golden-out
mkdir -p "$OUTDIR"

for script in "$DIR"/*.acid; do
	name=$(basename "$script" .acid)
	if [ -n "$ACID_GOLDEN" ]; then
		case " $ACID_GOLDEN " in *" $name "*) ;; *) continue ;; esac
	fi
	expected=$DIR/$name.out
	TODO=$(header todo "$script")
	LIMIT=$(header timeout "$script")
	LIMIT=${LIMIT:-60}
	EXTRA=$(header normalise "$script")
	if [ "$(header kernel "$script")" = yes ]; then
		if [ ! -f "$KERNEL" ]; then
			n=$((n + 1))
			echo "ok $n - $name # SKIP $KERNEL does not exist"
			continue
		fi
		run_kernel "$script" "$OUTDIR/$name.kernel"
		check "$name" "$name against Helios under QEMU" "$expected" "$OUTDIR/$name.kernel"
		continue
	fi
	if [ "$(header attach "$script")" = yes ]; then
		SCRIPT=$script OUT=$OUTDIR/$name.attach run_attach "$script"
		check "$name" "$name attached with -p" "$expected" "$OUTDIR/$name.attach"
		continue
	fi
	run_local "$script" "$OUTDIR/$name.local"
	check "$name" "$name" "$expected" "$OUTDIR/$name.local"
	if [ "$(header remote "$script")" = yes ]; then
		n=$((n + 1))
		if ! command -v gdbserver > /dev/null; then
			echo "ok $n - $name under gdbserver # SKIP gdbserver is not installed"
			continue
		fi
		n=$((n - 1))
		run_remote "$script" "$OUTDIR/$name.remote"
		remote_expected=$expected
		[ -f "$DIR/$name.remote.out" ] && remote_expected=$DIR/$name.remote.out
		check "$name" "$name under gdbserver" "$remote_expected" "$OUTDIR/$name.remote"
	fi
done
echo "1..$n"
[ "$fail" -eq 0 ]
