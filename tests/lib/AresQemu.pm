# AresQemu: boot Helios under QEMU (through tools/qemu-run), talk to its
# serial console, and report what happened as TAP (Test::More).
#
#   my $vm = AresQemu->boot(append => 'selftest', initrd => $path, timeout => 30);
#   $vm->expect(qr/Helios/, 10, 'banner printed');   # one TAP check
#   $vm->send("ls\n");
#   my $status = $vm->finish(20);                      # qemu-run's exit status
#   AresQemu::relay_tap(append => 'selftest');          # in-OS TAP as our own
package AresQemu;
use strict;
use warnings;
use IPC::Open3;
use IO::Select;
use POSIX ();
use Time::HiRes qw(time);
use Test::More;
use File::Basename qw(dirname);
use Cwd qw(abs_path);

our $TOP = abs_path(dirname(__FILE__) . '/../..');

# Starts QEMU; options: append, initrd, kernel, timeout (hard limit for the
# whole run), icount, args (extra qemu-run arguments), runner (another
# program taking qemu-run's options, such as tools/bochs-run).
sub boot {
	my ($class, %o) = @_;
	my @cmd = ($o{runner} // "$TOP/tools/qemu-run", '--timeout', $o{timeout} // 60);
	push @cmd, '--kernel', $o{kernel} // "$TOP/build/kernel/helios.mb";
	push @cmd, '--initrd', $o{initrd} if defined $o{initrd};
	push @cmd, '--append', $o{append} if defined $o{append};
	push @cmd, '--icount' if $o{icount};
	push @cmd, @{ $o{args} } if $o{args};
	my ($in, $out);
	my $pid = open3($in, $out, undef, @cmd);
	$in->autoflush(1);
	return bless { pid => $pid, in => $in, out => $out, buf => '', all => '',
		       start => time, status => undef }, $class;
}

# Reads what is available within $secs; returns false at end of output.
sub _pump {
	my ($self, $secs) = @_;
	return 0 unless $self->{out};
	my $sel = IO::Select->new($self->{out});
	return 1 unless $sel->can_read($secs);
	my $n = sysread($self->{out}, my $chunk, 65536);
	if (!$n) { close($self->{out}); $self->{out} = undef; return 0; }
	$chunk =~ s/\r//g;
	$self->{buf} .= $chunk;
	$self->{all} .= $chunk;
	return 1;
}

# Waits up to $secs for $re in the output after the last match; returns
# the match (list context: captures) or undef. No TAP.
sub wait_for {
	my ($self, $re, $secs) = @_;
	my $end = time + $secs;
	while (1) {
		if ($self->{buf} =~ $re) {
			my @caps = @{^CAPTURE};
			my $m = substr($self->{buf}, $-[0], $+[0] - $-[0]);
			$self->{buf} = substr($self->{buf}, $+[0]);
			return wantarray ? ($m, @caps) : $m;
		}
		my $left = $end - time;
		return undef if $left <= 0 || !$self->_pump($left < 0.2 ? $left : 0.2);
	}
}

# One TAP check: $re appears within $secs.
sub expect {
	my ($self, $re, $secs, $name) = @_;
	my @m = $self->wait_for($re, $secs);
	ok(defined $m[0], $name) or diag("no match for $re within ${secs}s; output tail:\n" . $self->tail);
	return wantarray ? @m : $m[0];
}

sub send {
	my ($self, $text) = @_;
	print { $self->{in} } $text;
}

# The last lines of everything the guest printed, for diagnostics.
sub tail {
	my ($self, $n) = @_;
	my @l = split /\n/, $self->{all};
	$n //= 25;
	return join("\n", @l > $n ? @l[-$n .. -1] : @l);
}

sub output { $_[0]{all} }
sub elapsed { time - $_[0]{start} }

# Waits for QEMU to end (killing it after $secs); returns qemu-run's status.
sub finish {
	my ($self, $secs) = @_;
	return $self->{status} if defined $self->{status};
	my $end = time + ($secs // 30);
	while (time < $end) {
		$self->_pump(0.1) if $self->{out};
		if (waitpid($self->{pid}, POSIX::WNOHANG()) > 0) {
			my $st = $? >> 8;
			while ($self->{out} && $self->_pump(0.1)) {}
			return $self->{status} = $st;
		}
		select(undef, undef, undef, 0.02) unless $self->{out};
	}
	kill 'TERM', $self->{pid};
	sleep 1;
	kill 'KILL', $self->{pid};
	waitpid($self->{pid}, 0);
	return $self->{status} = 124;
}

# Boots with %o, passes the guest's own TAP lines through as subtests of
# ours and checks the run ended in success. The guest prints "1..N" and
# ok/not ok lines; anything else on the console is kept for diagnostics.
sub relay_tap {
	my (%o) = @_;
	my $name = delete $o{name} // 'in-OS tests';
	my $vm = AresQemu->boot(%o);
	$vm->finish($o{timeout} // 60);
	my @lines = split /\n/, $vm->output;
	my ($plan) = map { /^1\.\.(\d+)/ ? $1 : () } @lines;
	my @results = grep { /^(?:not )?ok \d+/ } @lines;
	my @failed = grep { /^not ok/ } @results;
	for my $r (@results) {
		my ($nok, $desc) = $r =~ /^(not )?ok \d+\s*-?\s*(.*)/;
		ok(!$nok, "$name: $desc");
	}
	ok(defined $plan && $plan == @results, "$name: ran all ${\($plan // '?')} planned tests")
		or diag("ran " . scalar(@results) . "; output tail:\n" . $vm->tail);
	is($vm->{status}, 0, "$name: QEMU run reported success") or diag($vm->tail);
	return $vm;
}

1;
