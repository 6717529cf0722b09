#!/usr/bin/perl
# bench.pl: log shipping costs on the host (make bench).
#   logd_ship_instructions_per_record  callgrind's count inside ship_enqueue
#                                      (format + frame + queue) over 10000
#                                      records, divided by 10000
#   logd_rsyslog_tcp_records_per_sec   100000 records through syslog-ship to a
#                                      real rsyslogd over TCP, until the last
#                                      is in rsyslog's output file
#   logd_rsyslog_latency_ms            median over 20 records of the time from
#                                      writing a line to syslog-ship to seeing
#                                      it in rsyslog's file (1 ms polling)
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/../metrics/lib";
use Peers;
use Time::HiRes qw(sleep time);

$SIG{PIPE} = 'IGNORE';
my $B = $ENV{B} // 'build';
my ($ship, $collect) = ("$B/gaia/logd/syslog-ship", "$B/gaia/logd/syslog-collect");
-x $ship && -x $collect or die "bench.pl: $ship or $collect is not built\n";
my $dir = tmpdir();

# Instructions per record.
spawn("$dir/collect.out", $collect, '-P', "$dir/ports");
my (undef, $uport) = split ' ', (wait_file("$dir/ports", 10) // die "bench.pl: syslog-collect did not start\n");
open my $in, '>', "$dir/lines" or die;
print $in "6 BENCH a record of a typical length, with some text in it $_\n" for 1 .. 10000;
close $in;
system("valgrind --tool=callgrind --toggle-collect=ship_enqueue --callgrind-out-file=$dir/cg "
     . "$ship -t udp -p $uport -q 20000 -w 5 < $dir/lines > /dev/null 2> $dir/cg.log");
my ($ir) = slurp("$dir/cg") =~ /^summary:\s+(\d+)/m;
die "bench.pl: no count from callgrind\n" . slurp("$dir/cg.log") unless $ir;
printf "bench logd_ship_instructions_per_record %.0f instructions\n", $ir / 10000;
stop_all();

exit 0 unless -x '/usr/sbin/rsyslogd';
my $tport = free_port('tcp');
open my $cf, '>', "$dir/rsyslog.conf" or die;
print $cf <<"CONF";
global(workDirectory="$dir")
module(load="imtcp")
input(type="imtcp" port="$tport" address="127.0.0.1")
template(name="t" type="string" string="%msgid% %structured-data%\\n")
*.* action(type="omfile" file="$dir/out.log" template="t")
CONF
close $cf;
spawn("$dir/rsyslog.log", '/usr/sbin/rsyslogd', '-n', '-f', "$dir/rsyslog.conf", '-i', "$dir/rs.pid");
wait_port($tport, 15) or die "bench.pl: rsyslogd did not start\n";

sub lines_in { my $n = 0; open my $f, '<', "$dir/out.log" or return 0; $n++ while <$f>; return $n }

# Latency first, on a fresh connection kept open.
open my $p, '|-', "$ship -t tcp -p $tport -q 200000 -w 30 > $dir/lat.out 2>&1" or die;
$p->autoflush(1);
my @lat;
for my $i (1 .. 21) {
	my $before = lines_in();
	my $t0 = time;
	print $p "6 LAT one record\n";
	my $until = $t0 + 5;
	sleep 0.001 while lines_in() == $before && time < $until;
	push @lat, (time - $t0) * 1000 if $i > 1;	# the first one also connects
}
close $p;
@lat = sort { $a <=> $b } @lat;
printf "bench logd_rsyslog_latency_ms %.2f ms\n", $lat[@lat / 2];

my $base = lines_in();
open $in, '>', "$dir/many" or die;
print $in "6 RATE a record of a typical length, with some text in it $_\n" for 1 .. 100000;
close $in;
my $t0 = time;
system("$ship -t tcp -p $tport -q 200000 -w 60 < $dir/many > $dir/rate.out 2>&1");
my $until = time + 60;
sleep 0.01 while lines_in() < $base + 100000 && time < $until;
my $n = lines_in() - $base;
die "bench.pl: only $n of 100000 records arrived\n" . slurp("$dir/rate.out") if $n < 100000;
printf "bench logd_rsyslog_tcp_records_per_sec %.0f records/s\n", 100000 / (time - $t0);
stop_all();
