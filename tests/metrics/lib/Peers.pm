# Peers.pm: starting and stopping the programs the metrics and log tests
# talk to (our servers, Prometheus, rsyslog), each in a temporary
# directory on ports nobody else holds, always killed at the end.
package Peers;

use strict;
use warnings;
use File::Temp qw(tempdir);
use IO::Socket::INET;
use POSIX qw(:sys_wait_h);
use Time::HiRes qw(sleep time);
use Exporter 'import';

our @EXPORT = qw(tmpdir free_port spawn stop_all wait_file wait_port http_get slurp);

my @pids;

# A temporary directory, removed at exit.
sub tmpdir { return tempdir('ares-metrics-XXXXXX', TMPDIR => 1, CLEANUP => 1) }

# A TCP (or UDP) port that was free a moment ago: bound to port 0, read
# back, released. For programs that cannot report the port they chose.
sub free_port {
	my ($proto) = @_;
	my $s = IO::Socket::INET->new(LocalAddr => '127.0.0.1', LocalPort => 0,
				      Proto => $proto // 'tcp', ($proto // 'tcp') eq 'tcp' ? (Listen => 1) : ())
		or die "free_port: $!";
	my $port = $s->sockport;
	close $s;
	return $port;
}

# Starts argv with stdout and stderr to $log; returns the pid.
sub spawn {
	my ($log, @argv) = @_;
	my $pid = fork // die "fork: $!";
	if ($pid == 0) {
		# prctl(PR_SET_PDEATHSIG, SIGTERM) (x86_64 syscall 157): the peer
		# dies with the test even when the test is killed and its END
		# block never runs.
		syscall(157, 1, 15);
		open STDOUT, '>', $log or die "$log: $!";
		open STDERR, '>&', \*STDOUT or die;
		exec @argv or die "exec $argv[0]: $!";
	}
	push @pids, $pid;
	return $pid;
}

# Kills one pid (TERM, then KILL after 5 s) and reaps it.
sub stop {
	my ($pid) = @_;
	kill 'TERM', $pid;
	for (1 .. 50) {
		return if waitpid($pid, WNOHANG) != 0;
		sleep 0.1;
	}
	kill 'KILL', $pid;
	waitpid($pid, 0);
}

sub stop_all {
	stop($_) for @pids;
	@pids = ();
}

END { local $?; stop_all() }	# local: waitpid would set the exit status
$SIG{$_} = sub { exit 1 } for qw(INT TERM HUP);

# Waits up to $secs for a non-empty file; returns its first line or undef.
sub wait_file {
	my ($path, $secs) = @_;
	my $until = time + $secs;
	while (time < $until) {
		if (-s $path) {
			open my $f, '<', $path or return;
			my $line = <$f>;
			chomp $line if defined $line;
			return $line if defined $line && $line ne '';
		}
		sleep 0.05;
	}
	return;
}

# Waits up to $secs until 127.0.0.1:$port accepts.
sub wait_port {
	my ($port, $secs) = @_;
	my $until = time + $secs;
	while (time < $until) {
		my $s = IO::Socket::INET->new(PeerAddr => '127.0.0.1', PeerPort => $port, Proto => 'tcp');
		if ($s) { close $s; return 1 }
		sleep 0.1;
	}
	return 0;
}

# Sends raw bytes to 127.0.0.1:$port and returns all it answers until
# it closes or $secs pass.
sub http_get {
	my ($port, $bytes, $secs) = @_;
	my $s = IO::Socket::INET->new(PeerAddr => '127.0.0.1', PeerPort => $port, Proto => 'tcp')
		or return '';
	print $s $bytes;
	my ($out, $buf) = ('', '');
	my $until = time + ($secs // 5);
	my $rin = '';
	vec($rin, fileno($s), 1) = 1;
	while (time < $until) {
		my $rout = $rin;
		last unless select($rout, undef, undef, 0.1) >= 0;
		next unless vec($rout, fileno($s), 1);
		my $n = sysread($s, $buf, 65536);
		last unless $n;
		$out .= $buf;
	}
	close $s;
	return $out;
}

sub slurp {
	my ($path) = @_;
	open my $f, '<', $path or return '';
	local $/;
	return scalar <$f>;
}

1;
