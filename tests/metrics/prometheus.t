#!/usr/bin/perl
# prometheus.t: real Prometheus (Debian's prometheus) scrapes three
# metrics-serve instances every second, from a private config and data
# directory on a free port, and its HTTP API must return the values the
# workload implies.
#   a: -r 10 -m 1 -g 5, forced OpenMetrics
#   b: -r 20 -m 2 -g 7, forced text 0.0.4
#   c: -r 30 -m 3 -g 11, negotiated from Prometheus's Accept (OpenMetrics)
# Prometheus's own parsers are strict (a bad page fails the scrape and
# sets up to 0), so up == 1 on all three is the format check in both
# formats; the per-target metadata tells which format each was read in.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Peers;
use HTTP::Tiny;
use JSON::PP;
use Test::More;
use Time::HiRes qw(sleep time);

my $B = $ENV{B} // 'build';
my $serve = "$B/metrics/metrics-serve";
plan skip_all => "$serve not built" unless -x $serve;
plan skip_all => 'prometheus not installed (Debian package prometheus)' unless -x '/usr/bin/prometheus';

my $dir = tmpdir();
my %inst = (a => [10, 1, 5, 'openmetrics'], b => [20, 2, 7, 'text'], c => [30, 3, 11, 'auto']);
my %port;
for my $n (sort keys %inst) {
	my ($r, $m, $g, $f) = @{ $inst{$n} };
	spawn("$dir/$n.log", $serve, '-P', "$dir/$n.port", '-r', $r, '-m', $m, '-g', $g, '-f', $f);
	$port{$n} = wait_file("$dir/$n.port", 10) or BAIL_OUT("metrics-serve $n did not start");
}
my %name_of = map { ("127.0.0.1:$port{$_}" => $_) } keys %port;

my $targets = join ', ', map { "'127.0.0.1:$port{$_}'" } sort keys %port;
open my $cf, '>', "$dir/prometheus.yml" or die;
print $cf <<"YML";
global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: ares
    static_configs:
      - targets: [$targets]
YML
close $cf;
my $pport = free_port();
spawn("$dir/prometheus.log", '/usr/bin/prometheus', "--config.file=$dir/prometheus.yml",
      "--storage.tsdb.path=$dir/data", "--web.listen-address=127.0.0.1:$pport", '--log.level=warn');
my $http = HTTP::Tiny->new(timeout => 5);
my $api = "http://127.0.0.1:$pport";

sub ready {
	my $until = time + 30;
	while (time < $until) {
		my $r = $http->get("$api/-/ready");
		return 1 if $r->{success};
		sleep 0.2;
	}
	return 0;
}
ok(ready(), 'Prometheus is ready') or BAIL_OUT('prometheus did not start: ' . slurp("$dir/prometheus.log"));

# Runs a PromQL instant query; returns { instance name => value }.
sub query {
	my ($q) = @_;
	my $r = $http->get("$api/api/v1/query?query=" . $http->www_form_urlencode({ q => $q }) =~ s/^q=//r);
	return {} unless $r->{success};
	my $j = decode_json($r->{content});
	my %v;
	for my $s (@{ $j->{data}{result} }) {
		my $who = $name_of{ $s->{metric}{instance} // '' } // 'all';
		$v{$who} = $s->{value}[1];
	}
	return \%v;
}

# Wait until every target has been scraped for 10 s.
my $until = time + 40;
my $samples = {};
while (time < $until) {
	$samples = query('count_over_time(workload_events_total[10s])');
	last if 3 == grep { ($samples->{$_} // 0) >= 9 } qw(a b c);
	sleep 0.5;
}
is(scalar(grep { ($samples->{$_} // 0) >= 9 } qw(a b c)), 3, 'three targets scraped for 10 s at 1 s')
	or diag(explain($samples), slurp("$dir/prometheus.log"));

is_deeply(query('up'), { a => 1, b => 1, c => 1 }, 'up == 1 on all: both formats parse in Prometheus');
is_deeply(query('workload_items_total{kind="k3"}'), { a => 4, b => 8, c => 12 },
	  'workload_items_total{kind="k3"} per instance: 4 * mult');
is_deeply(query('sum(workload_items_total)'), { all => 60 }, 'sum(workload_items_total) = 10 * (1+2+3)');
is_deeply(query('sum(workload_queue_depth)'), { all => 23 }, 'sum(workload_queue_depth) = 5+7+11');
is_deeply(query('workload_latency_seconds_bucket{le="0.25"}'), { a => 26, b => 26, c => 26 },
	  'histogram bucket le=0.25 holds 26 of 100 observations');
is_deeply(query('workload_latency_seconds_sum'), { a => 49.5, b => 49.5, c => 49.5 }, 'histogram sum 49.5');
is_deeply(query('workload_temperature_celsius'), { a => -12.5, b => -12.5, c => -12.5 }, 'negative gauge');

# rate() extrapolates to the window's edges only up to 1.1 sampling
# intervals and then by half an interval, so with 1 s scrapes over [10s]
# it reads a linear counter up to ~15% low; irate() (the last two samples)
# and deriv() (least squares) are exact for it, but for timing jitter.
my $total = query('sum(rate(workload_events_total[10s]))')->{all} // 0;
ok(abs($total - 60) < 12, "sum(rate(workload_events_total[10s])) = $total, expected 60 within 20%");
# Both see the jitter between a sample's timestamp (the scrape's start)
# and when the server rendered it; one late render of 50 ms moves irate
# by 5%, deriv (a fit over 10 samples) far less.
for my $fn (['irate', 0.10], ['deriv', 0.05]) {
	my ($name, $tol) = @$fn;
	my $v = query("$name(workload_events_total[10s])");
	for my $n (qw(a b c)) {
		my $want = $inst{$n}[0];
		my $got = $v->{$n} // 0;
		ok(abs($got - $want) < $want * $tol, "$name for $n = $got, expected $want within " . $tol * 100 . '%');
	}
}

# Which format each target was read in: only OpenMetrics carries # UNIT.
my %unit;
my $r = $http->get("$api/api/v1/targets/metadata?metric=workload_temperature_celsius");
if ($r->{success}) {
	for my $m (@{ decode_json($r->{content})->{data} }) {
		$unit{ $name_of{ $m->{target}{instance} } // '?' } = $m->{unit};
	}
}
is_deeply(\%unit, { a => 'celsius', b => '', c => 'celsius' },
	  'OpenMetrics for a and c (negotiated), text for b, by the unit Prometheus saw');

stop_all();
done_testing();
