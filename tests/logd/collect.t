#!/usr/bin/perl
# collect.t: syslog-collect (an Ares machine as the collector) receiving
# from real senders: util-linux logger (RFC 5424 over TCP octet-counted
# and newline-framed, RFC 5424 and RFC 3164 over UDP), and rsyslog
# forwarding with omfwd (RFC 5424 octet-counted over TCP, its traditional
# RFC 3164 format over UDP). Every record must arrive parsed with the
# sender's host, app-name, procid, facility, severity and structured data.
# Then two syslog-ship instances stand for Ares machines B and C shipping
# to A.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/../metrics/lib";
use Peers;
use Sys::Hostname;
use Test::More;
use Time::HiRes qw(sleep time);

$SIG{PIPE} = 'IGNORE';
my $B = $ENV{B} // 'build';
my ($collect, $ship) = ("$B/gaia/logd/syslog-collect", "$B/gaia/logd/syslog-ship");
plan skip_all => "$collect not built" unless -x $collect && -x $ship;
my $dir = tmpdir();
spawn("$dir/collect.out", $collect, '-P', "$dir/ports");
my ($tport, $uport) = split ' ', (wait_file("$dir/ports", 10) // BAIL_OUT('syslog-collect did not start'));
my $me = (split /\./, hostname())[0];

# Waits for n lines matching re in the collector's output; returns them.
sub lines {
	my ($re, $n, $secs) = @_;
	my $until = time + ($secs // 10);
	my @l;
	while (time < $until) {
		@l = grep { /$re/ } split /\n/, slurp("$dir/collect.out");
		return @l if @l >= $n;
		sleep 0.1;
	}
	return @l;
}

SKIP: {
	skip 'logger not installed (bsdutils)', 4 unless -x '/usr/bin/logger';
	my @common = ('-n', '127.0.0.1', '--sd-id', 'ares@32473');
	system('logger', '--rfc5424', @common, '--sd-param', 'seq="1"', '-P', $tport, '-T', '--octet-count',
	       '-t', 'app-l', '--id=4242', '--msgid', 'M1', '-p', 'local0.err', 'octet counted') == 0 or die;
	system('logger', '--rfc5424', @common, '--sd-param', 'seq="2"', '-P', $tport, '-T',
	       '-t', 'app-l', '--id=4243', '--msgid', 'M2', '-p', 'local1.info', 'newline framed') == 0 or die;
	system('logger', '--rfc5424', @common, '--sd-param', 'seq="3"', '-P', $uport, '-d',
	       '-t', 'app-l', '--id=4244', '--msgid', 'M3', '-p', 'daemon.warning', 'rfc5424 over udp') == 0 or die;
	system('logger', '--rfc3164', '-n', '127.0.0.1', '-P', $uport, '-d',
	       '-t', 'app-old', '--id=4245', '-p', 'user.notice', 'rfc3164 over udp') == 0 or die;
	my @l = lines(qr/app=app-(l|old) /, 4);
	my %by = map { /msg=(.*)$/ ? ($1 => $_) : () } @l;
	like($by{'octet counted'} // '', qr/^proto=tcp v=1 pri=16\.3 host=\Q$me\E app=app-l procid=4242 msgid=M1 sd=2 seq=1 /,
	     'logger, RFC 5424, TCP octet-counted');
	like($by{'newline framed'} // '', qr/^proto=tcp v=1 pri=17\.6 host=\Q$me\E app=app-l procid=4243 msgid=M2 sd=2 seq=2 /,
	     'logger, RFC 5424, TCP newline-framed');
	like($by{'rfc5424 over udp'} // '', qr/^proto=udp v=1 pri=3\.4 host=\Q$me\E app=app-l procid=4244 msgid=M3 sd=2 seq=3 /,
	     'logger, RFC 5424, UDP');
	like($by{'rfc3164 over udp'} // '', qr/^proto=udp v=0 pri=1\.5 host=\Q$me\E app=app-old procid=4245 msgid=- sd=0 /,
	     'logger, RFC 3164, UDP') or diag(join "\n", @l);
}

SKIP: {
	skip 'rsyslogd not installed', 4 unless -x '/usr/sbin/rsyslogd';
	my $in = free_port('udp');
	open my $cf, '>', "$dir/rsyslog.conf" or die;
	print $cf <<"CONF";
global(workDirectory="$dir")
module(load="imudp")
input(type="imudp" port="$in" address="127.0.0.1")
*.* action(type="omfwd" target="127.0.0.1" port="$tport" protocol="tcp" TCP_Framing="octet-counted"
           template="RSYSLOG_SyslogProtocol23Format")
*.* action(type="omfwd" target="127.0.0.1" port="$uport" protocol="udp"
           template="RSYSLOG_TraditionalForwardFormat")
CONF
	close $cf;
	my $rs = spawn("$dir/rsyslog.log", '/usr/sbin/rsyslogd', '-n', '-f', "$dir/rsyslog.conf", '-i', "$dir/rs.pid");
	# Ready when a probe sent to its UDP input comes out of our collector
	# (rsyslog has no port here to wait for).
	my $until = time + 20;
	while (time < $until) {
		system("echo '6 PROBE ready?' | $ship -t udp -p $in -A probe -w 1 > /dev/null 2>&1");
		last if lines(qr/^proto=tcp .*app=probe /, 1, 0.5);
	}
	open my $p, '|-', "$ship -t udp -p $in -H ares-b -A app-fwd -P 77 -w 5 > $dir/ship.out 2>&1" or die;
	print $p map { "$_ FWD forwarded record $_\n" } 0 .. 7;
	close $p;
	my @tcp = lines(qr/^proto=tcp .*app=app-fwd /, 8);
	my @udp = lines(qr/^proto=udp .*app=app-fwd /, 8);
	is(scalar @tcp, 8, 'rsyslog forwarded 8 records as RFC 5424 over TCP, octet-counted')
		or diag(slurp("$dir/rsyslog.log"));
	my $ok = 8 == grep { my ($s, $q) = /pri=16\.(\d) .* seq=(\d+) /; /host=ares-b app=app-fwd procid=77 msgid=FWD sd=1 / && $s == $q - 1 } @tcp;
	ok($ok, 'each with host, app-name, procid, msgid, severity and SD as sent') or diag(join "\n", @tcp);
	is(scalar @udp, 8, 'and as RFC 3164 over UDP');
	$ok = 8 == grep { /^proto=udp v=0 pri=16\.(\d) host=ares-b app=app-fwd procid=77 .* msg=forwarded record (\d)$/ && $1 == $2 } @udp;
	ok($ok, 'each with host, tag, pid and severity') or diag(join "\n", @udp);
}

# Ares to Ares: two shippers (B over TCP, C over UDP) into one collector;
# the escaped SD value must come back as it was sent.
for my $m (['ares-b', 'tcp', $tport], ['ares-c', 'udp', $uport]) {
	my ($host, $proto, $port) = @$m;
	open my $p, '|-', "$ship -t $proto -p $port -H $host -A logd -P 9 -w 5 > $dir/$host.out 2>&1" or die;
	print $p map { ($_ % 8) . " A2A record $_ from $host\n" } 1 .. 40;
	close $p;
}
for my $m (['ares-b', 'tcp'], ['ares-c', 'udp']) {
	my ($host, $proto) = @$m;
	my @l = lines(qr/^proto=$proto v=1 .*host=$host app=logd procid=9 msgid=A2A /, 40);
	my $good = grep {
		my ($sev, $seq, $n) = /pri=16\.(\d) .* seq=(\d+) esc=q"b\\s\] msg=record (\d+) from /;
		defined $n && $seq == $n && $sev == $n % 8
	} @l;
	is($good, 40, "$host over $proto: 40 records, severity, seq and the escaped value intact")
		or diag(join "\n", @l[0 .. 2]);
}

# Bad input: a bad octet count closes that connection, not the collector.
my $s = IO::Socket::INET->new(PeerAddr => '127.0.0.1', PeerPort => $tport, Proto => 'tcp') or die;
print $s "12x <13>1 - - - - - -\n";
close $s;
ok(scalar lines(qr/^proto=tcp error=bad octet count/, 1), 'a bad octet count is reported and the connection closed');
system("printf '<999>1 nonsense\\n' | $ship -t tcp -p $tport -w 1 > /dev/null 2>&1");
$s = IO::Socket::INET->new(PeerAddr => '127.0.0.1', PeerPort => $tport, Proto => 'tcp') or die;
print $s "<13>1 2026-02-30T00:00:00Z h a p m - bad date\n<13>1 - h a p m [x y] bad sd\n<13>1 - h a p m - fine\n";
close $s;
my @e = lines(qr/^proto=tcp (error=bad TIMESTAMP|error=bad SD-PARAM|.*msg=fine$)/, 3);
is(scalar @e, 3, 'malformed records are reported one by one, and the next good one parses') or diag(join "\n", @e);

done_testing();
