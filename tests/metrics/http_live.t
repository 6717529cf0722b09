#!/usr/bin/perl
# http_live.t: metrics-serve over real sockets: curl for the good paths
# (content negotiation, HEAD, keep-alive), raw bytes for the bad ones (one
# per status the server can answer), then a slow client that trickles a
# request while a fast one is served, and a full connection table.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Peers;
use IO::Socket::INET;
use Test::More;
use Time::HiRes qw(time sleep);

$SIG{PIPE} = 'IGNORE';
my $B = $ENV{B} // 'build';
my $serve = "$B/metrics/metrics-serve";
plan skip_all => "$serve not built" unless -x $serve;
plan skip_all => 'curl not installed' unless -x '/usr/bin/curl';

my $dir = tmpdir();
spawn("$dir/serve.log", $serve, '-P', "$dir/port", '-t', '1000', '-c', '4', '-m', '2');
my $port = wait_file("$dir/port", 10) or BAIL_OUT('metrics-serve did not start: ' . slurp("$dir/serve.log"));
my $url = "http://127.0.0.1:$port";
my $om = 'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,'
       . 'text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

my $out = `curl -s -i $url/metrics`;
like($out, qr{^HTTP/1\.1 200 OK\r\n}, 'GET /metrics: 200');
like($out, qr{\r\nContent-Type: text/plain; version=0\.0\.4; charset=utf-8\r\n}, 'no Accept: text 0.0.4');
like($out, qr{\nworkload_items_total\{kind="k3"\} 8\n}, 'with the workload');
my ($len) = $out =~ /\r\nContent-Length: (\d+)\r\n/;
my ($body) = $out =~ /\r\n\r\n(.*)\z/s;
is(length($body), $len, 'Content-Length is the body length');

$out = `curl -s -i -H 'Accept: $om' $url/metrics`;
like($out, qr{\r\nContent-Type: application/openmetrics-text; version=1\.0\.0; charset=utf-8\r\n},
     "Prometheus 2.42's Accept: OpenMetrics");
like($out, qr{\n# EOF\n\z}, 'ending in # EOF');
$out = `curl -s -i -H 'Accept: text/plain;q=0, application/openmetrics-text;q=0' $url/metrics`;
like($out, qr{^HTTP/1\.1 406 }, 'neither format acceptable: 406');

$out = `curl -s -I $url/metrics`;
like($out, qr{^HTTP/1\.1 200 OK\r\n.*Content-Length: \d+\r\n\r\n\z}s, 'HEAD: header with length, no body');
like(`curl -s -i $url/nope`, qr{^HTTP/1\.1 404 Not Found\r\n}, '404 for another path');
$out = `curl -s -i -X POST -d x=1 $url/metrics`;
like($out, qr{^HTTP/1\.1 405 Method Not Allowed\r\n.*\r\nAllow: GET, HEAD\r\n}s, 'POST: 405 with Allow');
$out = `curl -s $url/metrics $url/metrics -w '%{num_connects}\\n' -o /dev/null -o /dev/null`;
is((split /\n/, $out)[-1], '0', 'curl reuses the kept-alive connection for the second request')
	or diag($out);

my $h = "Host: x\r\n";
my @bad = (
	[ "GET /metrics HTTP/1.1\r\n\r\n", 400, 'no Host' ],
	[ "GET  /metrics HTTP/1.1\r\n$h\r\n", 400, 'double space' ],
	[ "GET /metrics HTTP/1.1\r\nHost : x\r\n\r\n", 400, 'space before the colon' ],
	[ "GET /metrics HTTP/1.1\r\n${h}X: a\r\n b\r\n\r\n", 400, 'line folding' ],
	[ "GET /" . ('a' x 9000) . " HTTP/1.1\r\n$h\r\n", 414, 'URI of 9000 bytes' ],
	[ "GET /metrics HTTP/1.1\r\n$h" . ('X-Pad: ' . ('p' x 100) . "\r\n") x 200 . "\r\n", 431,
	  '20 KiB of header' ],
	[ "GET /metrics HTTP/1.1\r\n$h" . ("X: y\r\n" x 70) . "\r\n", 431, '71 fields' ],
	[ "GET /metrics HTTP/1.1\r\n${h}Content-Length: 100000\r\n\r\n", 413, 'body of 100000 bytes' ],
	[ "POST /metrics HTTP/1.1\r\n${h}Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 501, 'chunked body' ],
	[ "GET /metrics HTTP/2.0\r\n$h\r\n", 505, 'HTTP/2.0' ],
);
for my $case (@bad) {
	my ($req, $status, $what) = @$case;
	my $t0 = time;
	my $ans = http_get($port, $req, 3);
	like($ans, qr{^HTTP/1\.1 $status }, "$what: $status");
	ok(time - $t0 < 2.5, "$what: and the connection is closed") unless $status == 414 || $status == 431;
}

my $two = "GET /metrics HTTP/1.1\r\n$h\r\nGET / HTTP/1.1\r\n${h}Connection: close\r\n\r\n";
my $ans = http_get($port, $two, 3);
is(scalar(() = $ans =~ m{HTTP/1\.1 200 OK}g), 2, 'two pipelined requests, two answers');
like($ans, qr{metrics-serve: see /metrics\n\z}, 'in order');

# The slow client: half a request, then one byte every 100 ms.
my $slow = IO::Socket::INET->new(PeerAddr => '127.0.0.1', PeerPort => $port, Proto => 'tcp') or die;
$slow->autoflush(1);
print $slow "GET /metr";
my $t0 = time;
my $fast = `curl -s -o /dev/null -w '%{http_code} %{time_total}' $url/metrics`;
my ($code, $took) = split ' ', $fast;
is($code, '200', 'a fast client is served while the slow one holds its connection');
ok($took < 0.8, "in $took s, before the slow one's 1 s deadline: it did not wait for it");
my $got = '';
for (1 .. 20) {
	last unless print $slow 'i';
	sleep 0.1;
}
$slow->blocking(0);
sleep 0.2;
sysread($slow, $got, 4096);
like($got, qr{^HTTP/1\.1 408 Request Timeout\r\n}, 'the trickling client gets 408 at its 1 s deadline');
close $slow;

# A full table (-c 4): the fifth connection is closed at once.
my @hold = map { IO::Socket::INET->new(PeerAddr => '127.0.0.1', PeerPort => $port, Proto => 'tcp') } 1 .. 4;
sleep 0.3;
my $fifth = IO::Socket::INET->new(PeerAddr => '127.0.0.1', PeerPort => $port, Proto => 'tcp');
my $n = defined $fifth ? sysread($fifth, my $x, 10) : 0;
is($n, 0, 'fifth connection with 4 slots: closed');
close $_ for @hold;
sleep 0.3;
$out = `curl -s $url/metrics`;
like($out, qr{\nhttp_connections_refused_total [1-9]}, 'the refusal is counted in /metrics');
like($out, qr{\nhttp_request_timeouts_total [1-9]}, 'so is the 408');

done_testing();
