#!/bin/sh
# bench.sh: the scrape cost on the host: instructions that metrics_render
# executes for a page of 500 samples (metrics-serve's workload padded with
# workload_series gauges), counted by callgrind with collection switched
# on only inside metrics_render (repeatable to the instruction):
#   metrics_render_500_text         Prometheus text 0.0.4
#   metrics_render_500_openmetrics  OpenMetrics 1.0
# plus the bytes of each page. The page must pass promtool first.
set -e

B=${B:-build}
S=$B/metrics/metrics-serve
W=$B/tests/metrics/bench
[ -x "$S" ] || { echo "bench.sh: $S is not built" >&2; exit 1; }
command -v valgrind > /dev/null || { echo "bench.sh: valgrind is not installed" >&2; exit 1; }
mkdir -p "$W"

samples() { grep -vc '^#' "$1"; }
"$S" -d text -n 0 > "$W/base.txt"
pad=$((500 - $(samples "$W/base.txt")))
for f in text openmetrics; do
	"$S" -d $f -n $pad > "$W/page.$f"
	n=$(samples "$W/page.$f")
	[ "$n" = 500 ] || { echo "bench.sh: $f page has $n samples, not 500" >&2; exit 1; }
	if [ $f = text ] && command -v promtool > /dev/null; then
		promtool check metrics < "$W/page.$f" || { echo "bench.sh: promtool refuses the page" >&2; exit 1; }
	fi
	valgrind --tool=callgrind --toggle-collect=metrics_render --callgrind-out-file="$W/cg.$f" \
		"$S" -d $f -n $pad > /dev/null 2> "$W/cg.$f.log"
	ir=$(awk '/^summary:/ { print $2 }' "$W/cg.$f")
	[ -n "$ir" ] && [ "$ir" -gt 0 ] || { echo "bench.sh: no count from callgrind" >&2; cat "$W/cg.$f.log" >&2; exit 1; }
	echo "bench metrics_render_500_$f $ir instructions"
	echo "bench metrics_page_500_${f}_bytes $(wc -c < "$W/page.$f") bytes"
done
