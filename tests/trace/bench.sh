#!/bin/sh
# bench.sh: the trace engine's cost per event on the host, for the
# one-liner `syscall:::entry { @[probefunc] = count(); }` over a recorded
# stream of 10^6 syscall:entry records (mkstream -n).
#   trace_events_per_sec         median of RUNS timed runs, 10^6 / seconds
#   trace_instructions_per_event instructions counted by callgrind for the
#                                stream, minus a run over an empty stream
#                                (start-up, compilation, END), / 10^6
# (perf stat cannot count instructions on this machine's virtual CPUs.)
set -e

B=${B:-build}
RUNS=${RUNS:-5}
N=1000000
T=$B/trace/trace
MK=$B/tests/trace/mkstream
W=$B/tests/trace/bench
SCRIPT='syscall:::entry { @[probefunc] = count(); }'

[ -x "$T" ] && [ -x "$MK" ] || { echo "bench.sh: $T or $MK is not built" >&2; exit 1; }
mkdir -p "$W"
[ -f "$W/stream-$N" ] || "$MK" -n "$N" "$W/stream-$N"
"$MK" -n 0 "$W/stream-0"

now_ns() { date +%s%N; }
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# The answer must be right before its speed means anything: every record counted.
"$T" -q -n "$SCRIPT" -i "$W/stream-$N" > "$W/out" 2> "$W/err"
total=$(awk '{ s += $2 } END { print s }' "$W/out")
[ "$total" = "$N" ] || { echo "bench.sh: counted $total of $N records" >&2; cat "$W/err" >&2; exit 1; }

: > "$W/times"
i=0
while [ $i -lt "$RUNS" ]; do
	t0=$(now_ns)
	"$T" -q -n "$SCRIPT" -i "$W/stream-$N" > /dev/null 2>&1
	t1=$(now_ns)
	echo $((t1 - t0)) >> "$W/times"
	i=$((i + 1))
done
ns=$(median < "$W/times")
echo "bench trace_events_per_sec $(awk "BEGIN { printf \"%.0f\", $N * 1e9 / $ns }") events/s n=$RUNS"

if command -v valgrind > /dev/null; then
	count() {	# count STREAM: instructions of one run
		valgrind --tool=callgrind --callgrind-out-file=/dev/null "$T" -q -n "$SCRIPT" -i "$1" \
			2>&1 > /dev/null | sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
	}
	full=$(count "$W/stream-$N")
	empty=$(count "$W/stream-0")
	[ -n "$full" ] && [ -n "$empty" ] || { echo "bench.sh: callgrind gave no count" >&2; exit 1; }
	echo "# instructions: $full with $N records, $empty with none"
	echo "bench trace_instructions_per_event $(awk "BEGIN { printf \"%.1f\", ($full - $empty) / $N }") instructions"
else
	echo "# valgrind is not installed: no instruction count"
fi
