#!/bin/sh
# bench.sh: the stack's bulk TCP cost on the host (tests/mercury/net/bench.c,
# two stacks over an in-memory link):
#   net_tcp_bulk_mib_per_sec   median of RUNS timed runs of MIB MiB
#   net_tcp_instr_per_byte     instructions callgrind counts inside the
#                              stack's entry points (net_input, net_send,
#                              net_recv, net_poll: both ends, and the one
#                              frame copy of the link), per byte moved
set -e
B=${B:-build}
RUNS=${RUNS:-5}
MIB=${MIB:-64}
P=$B/tests/mercury/net/bench
[ -x "$P" ] || { echo "bench.sh: $P is not built" >&2; exit 1; }
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
i=0
: > "$P.rates"
while [ $i -lt "$RUNS" ]; do
	"$P" "$MIB" | awk '{ print $(NF - 1) }' >> "$P.rates"
	i=$((i + 1))
done
echo "bench net_tcp_bulk_mib_per_sec $(median < "$P.rates") MiB/s n=$RUNS"
CG_MIB=16
valgrind --tool=callgrind --callgrind-out-file="$P.cg" --toggle-collect='net_input' \
	--toggle-collect='net_send' --toggle-collect='net_recv' --toggle-collect='net_poll' \
	"$P" $CG_MIB > /dev/null 2> "$P.cg.err"
ir=$(awk '/^summary:|^totals:/ { print $2; exit }' "$P.cg")
echo "bench net_tcp_instr_per_byte $(awk -v i="$ir" -v b=$((CG_MIB << 20)) 'BEGIN { printf "%.2f", i / b }') instr/byte"
