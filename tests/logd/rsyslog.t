#!/usr/bin/perl
# rsyslog.t: syslog-ship against real rsyslog (Debian's rsyslogd, run by
# the test as a foreground process with a private config, work directory
# and free ports; never the system daemon). rsyslog writes every record it
# parsed with a template of the parsed fields, and each record the test
# sent must be there, once, with the right host, app-name, procid, msgid,
# severity, facility, structured data (the escapes too) and BOM-UTF-8
# message: over UDP, over TCP with octet counting, and over TCP across a
# collector restart, where the shipper's counters must show the reconnect
# and exactly the records its full queue refused.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/../metrics/lib";
use Peers;
use Test::More;
use Time::HiRes qw(sleep time);

$SIG{PIPE} = 'IGNORE';
my $B = $ENV{B} // 'build';
my $ship = "$B/gaia/logd/syslog-ship";
plan skip_all => "$ship not built" unless -x $ship;
plan skip_all => 'rsyslogd not installed (Debian package rsyslog)' unless -x '/usr/sbin/rsyslogd';

my $dir = tmpdir();
my ($tport, $uport) = (free_port('tcp'), free_port('udp'));
open my $cf, '>', "$dir/rsyslog.conf" or die;
print $cf <<"CONF";
global(workDirectory="$dir" maxMessageSize="8k")
module(load="imudp")
module(load="imtcp")
input(type="imudp" port="$uport" address="127.0.0.1")
input(type="imtcp" port="$tport" address="127.0.0.1")
template(name="fields" type="string"
         string="%inputname%|%hostname%|%app-name%|%procid%|%msgid%|%syslogseverity%|%syslogfacility%|%structured-data%|%msg%\\n")
*.* action(type="omfile" file="$dir/out.log" template="fields")
CONF
close $cf;

my $rsyslog;
sub start_rsyslog {
	$rsyslog = spawn("$dir/rsyslog.log", '/usr/sbin/rsyslogd', '-n', '-f', "$dir/rsyslog.conf", '-i', "$dir/rsyslog.pid");
	return wait_port($tport, 15);
}
sub stop_rsyslog {
	kill 'TERM', $rsyslog;
	waitpid($rsyslog, 0);
}
ok(start_rsyslog(), 'rsyslogd listening') or BAIL_OUT('rsyslogd did not start: ' . slurp("$dir/rsyslog.log"));

# The lines rsyslog wrote for one sending host: { seq => [fields] }.
sub arrived {
	my ($host) = @_;
	my %by_seq;
	for my $line (split /\n/, slurp("$dir/out.log")) {
		my @f = split /\|/, $line, 9;
		next unless @f == 9 && $f[1] eq $host;
		my ($seq) = $f[7] =~ /seq="(\d+)"/;
		push @{ $by_seq{ $seq // 'none' } }, \@f;
	}
	return \%by_seq;
}

sub wait_for {
	my ($host, $n, $secs) = @_;
	my $until = time + $secs;
	my $got;
	while (time < $until) {
		$got = arrived($host);
		return $got if keys(%$got) >= $n;
		sleep 0.1;
	}
	return $got;
}

my @sev = (0, 3, 4, 6, 7);
sub line_for { my ($i) = @_; return sprintf "%d MSG%d record %d caf\xc3\xa9 [x] \"q\"\n", $sev[$i % 5], $i % 7, $i }

# Checks every record seq => line number $i of those sent, field by field.
sub check_all {
	my ($what, $got, $proto, $host, $app, $procid, @seqs) = @_;
	my @bad;
	for my $i (@seqs) {
		my $recs = $got->{$i};
		if (!$recs || @$recs != 1) {
			push @bad, "seq $i arrived " . ($recs ? scalar @$recs : 0) . ' times';
			next;
		}
		my @f = @{ $recs->[0] };
		my $want_msg = "\xef\xbb\xbf" . substr(line_for($i), length("$sev[$i % 5] MSG" . ($i % 7) . ' '));
		chomp $want_msg;
		my @want = ($proto, $host, $app, $procid, 'MSG' . ($i % 7), $sev[$i % 5], 16,
			    qq{[ares\@32473 seq="$i" esc="q\\"b\\\\s\\]"]}, $want_msg);
		for my $k (0 .. 8) {
			push @bad, "seq $i field $k: got '$f[$k]' want '$want[$k]'" if $f[$k] ne $want[$k];
		}
	}
	my $extra = grep { my $s = $_; !grep { $_ eq $s } @seqs } keys %$got;
	push @bad, "$extra unexpected records" if $extra;
	ok(!@bad, $what) or diag(join("\n", @bad[0 .. ($#bad < 9 ? $#bad : 9)]));
}

# Runs syslog-ship with input; returns (exit status, its output).
sub ship {
	my ($input, @args) = @_;
	open my $p, '|-', "$ship @args > $dir/ship.out 2>&1" or die;
	print $p $input;
	close $p;
	return ($? >> 8, slurp("$dir/ship.out"));
}

my ($rc, $out) = ship(join('', map { line_for($_) } 1 .. 50), '-t', 'udp', '-p', $uport, '-H', 'ares-u',
		      '-A', 'app-u', '-P', 101, '-w', 5);
is($rc, 0, 'UDP: syslog-ship exits 0') or diag($out);
like($out, qr/^sent=50 dropped=0 /m, 'UDP: 50 sent, none dropped');
check_all('UDP: all 50 records parsed by rsyslog with the right fields', wait_for('ares-u', 50, 10),
	  'imudp', 'ares-u', 'app-u', 101, 1 .. 50);

($rc, $out) = ship(join('', map { line_for($_) } 1 .. 300), '-t', 'tcp', '-p', $tport, '-H', 'ares-t',
		   '-A', 'app-t', '-P', 'p202', '-w', 5);
is($rc, 0, 'TCP: syslog-ship exits 0') or diag($out);
like($out, qr/^sent=300 dropped=0 .*connects=1 /m, 'TCP: 300 sent on one connection');
check_all('TCP: all 300 records, octet-counted, parsed with the right fields', wait_for('ares-t', 300, 10),
	  'imtcp', 'ares-t', 'app-t', 'p202', 1 .. 300);

# The restart: 30 records, rsyslog stops, 50 more (a queue of 20 keeps
# 31..50 and refuses 51..80), rsyslog starts again, the queue drains
# once the backoff lets the shipper reconnect, then 10 more (81..90).
open my $p, '|-', "$ship -t tcp -p $tport -H ares-r -A app-r -P 303 -q 20 -b 50 -B 400 -w 15 > $dir/restart.out 2>&1"
	or die;
$p->autoflush(1);
# In tens, drained in between: a burst larger than the queue while the
# first connect is under way would be refused, and that is not this test.
print $p map({ line_for($_) } $_ * 10 - 9 .. $_ * 10), "!drain 5\n" for 1 .. 3;
my $got = wait_for('ares-r', 30, 10);
is(scalar keys %$got, 30, 'restart: the first 30 arrived');
stop_rsyslog();
sleep 0.5;
print $p map { line_for($_) } 31 .. 80;
print $p "!stats\n";
sleep 1;
like(slurp("$dir/restart.out"), qr/^sent=30 dropped=30 invalid=0 queued=20 /m,
     'collector down: 20 queued, the 30 beyond the queue dropped and counted');
ok(start_rsyslog(), 'rsyslogd restarted on the same ports');
print $p "!drain 10\n", map { line_for($_) } 81 .. 90;
close $p;
$rc = $? >> 8;
$out = slurp("$dir/restart.out");
is($rc, 1, 'syslog-ship exits 1: it had to drop records');
my ($connects) = $out =~ /\nsent=60 dropped=30 invalid=0 queued=0 connects=(\d+) /;
ok(defined $connects && $connects >= 2, 'final counters: 60 sent, 30 dropped, reconnected (' .
   ($connects // '?') . ' connects)') or diag($out);
like($out, qr/failures=[1-9]/, 'connects refused while the collector was down were counted');
check_all('restart: 1-50 and 81-90 arrived once each with the right fields; 51-80 were the dropped ones',
	  wait_for('ares-r', 60, 10), 'imtcp', 'ares-r', 'app-r', 303, 1 .. 50, 81 .. 90);

stop_rsyslog();
done_testing();
