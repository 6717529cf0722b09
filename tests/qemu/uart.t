#!/usr/bin/perl
# The 16550 driver (venus/uart16550) on COM2, whose other end is a Unix
# socket here: svc/serialcheck writes through char/com2, reads what we send,
# waits for input that does not come, turns echo on, and tries refused
# modes (tests/venus/uart16550/serialcheck.c); its results are on COM1.
use strict;
use warnings;
use lib 'tests/lib';
use AresQemu;
use Test::More;
use IO::Socket::UNIX;
use File::Temp qw(tempdir);

my $dir = tempdir(CLEANUP => 1);
my $sock = "$dir/com2";
my $vm = AresQemu->boot(initrd => 'build/tests/uart.initrd', append => 'init.exit', timeout => 90,
			args => ['--', '-chardev', "socket,id=com2,path=$sock,server=on,wait=off",
				 '-serial', 'chardev:com2']);
my $c;
for (1 .. 200) { last if -S $sock && ($c = IO::Socket::UNIX->new(Peer => $sock)); select(undef, undef, undef, 0.05); }
ok($c, 'connected to COM2');

# Reads from COM2 until $re matches or $secs pass; returns what came.
my $got = '';
sub com2_until {
	my ($re, $secs) = @_;
	my $end = time + $secs;
	while ($got !~ $re && time < $end) {
		my $rin = ''; vec($rin, fileno($c), 1) = 1;
		next unless select($rin, undef, undef, 0.2);
		my $n = sysread($c, my $buf, 4096);
		last unless $n;
		$got .= $buf;
	}
	return $got =~ $re;
}
SKIP: {
	skip 'no COM2 socket', 4 unless $c;
	ok(com2_until(qr/hello from ares\n/, 30), 'the guest writes a line to COM2');
	print $c "ping\n";
	ok(com2_until(qr/echo on\n/, 30), 'the guest turns echo on after reading our line');
	print $c "xyz\n";
	ok(com2_until(qr/echo on\nxyz\n/, 10), 'what we type comes back (echo)');
	ok(com2_until(qr/bye\n/, 20), 'the guest says bye');
}
$vm->expect(qr/serialcheck: ok - last line[^\n]*\n/, 30, 'serialcheck ran to its end');
my $out = $vm->output;
like($out, qr/^devmgr: uart16550 for isa com2 started \(pid \d+\) with isa=com2 bar0=io:2f8:8 irq=3$/m,
     'devmgr starts the driver with its eight ports and IRQ 3');
like($out, qr/^uart16550: 16550 at 0x2f8, 115200 8N1, serving char\/com2$/m, 'the driver found the chip');
for my $what ('find char/com2 on the bus', 'write a line', "read the host's line",
	      'a read with nothing to read ends empty at its timeout', 'a read with timeout 0 does not wait',
	      'raw mode with echo', 'read what the host typed (it sees the echo)', 'baud 7: E_INVAL',
	      'cooked mode: E_INVAL', 'unknown flags: E_INVAL', '9600 baud and back', 'status: nothing pending') {
	like($out, qr/^serialcheck: ok - \Q$what\E /m, "chardev: $what");
}
unlike($out, qr/^serialcheck: not ok/m, 'no client check failed');
unlike($out, qr/PANIC|EXCEPTION|uart16550: missing/, 'no panic, and the driver had its caps');
is($vm->finish(30), 0, 'the run ends once serialcheck is done (the driver is resident)');
done_testing();
