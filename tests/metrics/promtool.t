#!/usr/bin/perl
# promtool.t: metrics-serve's pages checked by the real tools.
#   0.0.4        `promtool check metrics` (Debian's prometheus) finds nothing.
#   OpenMetrics  promtool only reads 0.0.4, so it parses the page but sees
#                each counter's HELP (which names the family, not x_total)
#                as belonging to another metric: exactly those lines are
#                expected. The strict OpenMetrics parser of Debian's
#                python3-prometheus-client must then read it whole, with
#                the right types, units and values.
# A broken page is fed to both, to show they do fail. (promtool 2.42
# does not notice a duplicated series, so the break is a bad timestamp.)
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Peers;
use Test::More;

my $B = $ENV{B} // 'build';
my $serve = "$B/metrics/metrics-serve";
plan skip_all => "$serve not built" unless -x $serve;
plan skip_all => 'promtool not installed (Debian package prometheus)' unless -x '/usr/bin/promtool';
my $py = '/usr/bin/python3';
my $have_py = system("$py -c 'import prometheus_client.openmetrics.parser' 2>/dev/null") == 0;

my $dir = tmpdir();
system("$serve -d text -n 50 -m 3 > $dir/page.txt") == 0 or BAIL_OUT('metrics-serve -d text failed');
system("$serve -d openmetrics -n 50 -m 3 > $dir/page.om") == 0 or BAIL_OUT('metrics-serve -d openmetrics failed');

my $out = `promtool check metrics < $dir/page.txt 2>&1`;
is($?, 0, 'promtool check metrics: 0.0.4 page passes');
is($out, '', 'with no finding') or diag($out);

$out = `promtool check metrics < $dir/page.om 2>&1`;
unlike($out, qr/error while linting|text format parsing error/, 'promtool parses the OpenMetrics page') or diag($out);
my @counters = sort map { /^# TYPE (\S+) counter$/ ? ("${1}_total") : () } split /\n/, slurp("$dir/page.om");
my @findings = sort map { /^(\S+) no help text$/ ? ($1) : ('UNEXPECTED: ' . $_) } grep { $_ ne '' } split /\n/, $out;
is_deeply(\@findings, \@counters, 'its only findings: the counters, whose HELP names the family (' .
	  scalar(@counters) . ')');

SKIP: {
	skip 'python3-prometheus-client not installed', 5 unless $have_py;
	my $script = <<'PY';
import sys
from prometheus_client.openmetrics.parser import text_string_to_metric_families as parse
fams = {f.name: f for f in parse(open(sys.argv[1]).read())}
print(len(fams))
f = fams['workload_items']; print(f.type, float(sum(s.value for s in f.samples)))
f = fams['workload_latency_seconds']; print(f.type, f.unit, float([s.value for s in f.samples if s.labels.get('le') == '+Inf'][0]))
f = fams['workload_temperature_celsius']; print(f.type, f.unit, f.samples[0].value)
print(len(fams['workload_series'].samples))
PY
	open my $p, '>', "$dir/check.py" or die;
	print $p $script;
	close $p;
	my @lines = split /\n/, `$py $dir/check.py $dir/page.om 2>&1`;
	is($?, 0, 'python OpenMetrics parser reads the page') or diag(join "\n", @lines);
	is($lines[1] // '', 'counter 30.0', 'workload_items: counter, (1+2+3+4)*3');
	is($lines[2] // '', 'histogram seconds 100.0', 'latency: histogram in seconds, +Inf bucket 100');
	is($lines[3] // '', 'gauge celsius -12.5', 'temperature: gauge with unit celsius');
	is($lines[4] // '', '50', '50 filler series');

	# Broken on purpose: a counter sample without _total.
	(my $bad = slurp("$dir/page.om")) =~ s/^workload_items_total/workload_items/m;
	open my $b, '>', "$dir/bad.om" or die;
	print $b $bad;
	close $b;
	`$py $dir/check.py $dir/bad.om 2>&1`;
	isnt($?, 0, 'the parser refuses a counter sample without _total');
}

(my $bad = slurp("$dir/page.txt")) =~ s/^(workload_queue_depth) (\S+)$/$1 $2 x/m;
open my $b, '>', "$dir/bad.txt" or die;
print $b $bad;
close $b;
$out = `promtool check metrics < $dir/bad.txt 2>&1`;
isnt($?, 0, 'promtool refuses a page with a malformed sample') or diag($out);

done_testing();
