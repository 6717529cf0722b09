#!/usr/bin/perl
# The PS/2 keyboard driver (venus/ps2kbd): devmgr finds the legacy i8042,
# init starts drv/ps2kbd with its two ports, IRQ 1 and a Timer; we type
# through QEMU's monitor (sendkey) and svc/keycheck reads the events
# through input/kbd (tests/venus/ps2kbd/keycheck.c).
use strict;
use warnings;
use lib 'tests/lib';
use AresQemu;
use Test::More;
use IO::Socket::UNIX;
use File::Temp qw(tempdir);

my $dir = tempdir(CLEANUP => 1);
my $mon = "$dir/mon";
my $vm = AresQemu->boot(initrd => 'build/tests/ps2kbd.initrd', append => 'init.exit', timeout => 90,
			args => ['--', '-monitor', "unix:$mon,server=on,wait=off"]);
my $m;
for (1 .. 200) { last if -S $mon && ($m = IO::Socket::UNIX->new(Peer => $mon)); select(undef, undef, undef, 0.05); }
ok($m, 'connected to the QEMU monitor');
sub type_keys { for (@_) { print $m "sendkey $_\n"; select(undef, undef, undef, 0.15); } }

$vm->expect(qr/^keycheck: type now$/m, 60, 'keycheck is ready');
type_keys(qw(shift-h i shift-1 ret));
$vm->expect(qr/^keycheck: ctrl now$/m, 30, 'the line was read');
type_keys(qw(ctrl-c ret));
$vm->expect(qr/^keycheck: ok - ctrl-c types 0x03[^\n]*\n/m, 30, 'the ctrl key was read');
my $out = $vm->output;
like($out, qr/^devmgr: ps2kbd for isa ps2 started \(pid \d+\) with isa=ps2 bar0=io:60:1 bar1=io:64:1 irq=1$/m,
     'devmgr starts the driver with ports 0x60 and 0x64 and IRQ 1');
like($out, qr/^ps2kbd: keyboard on, serving input\/kbd$/m, 'the driver set the controller up');
like($out, qr/^keycheck: typed 'Hi!'$/m, 'shift-h i shift-1 typed "Hi!"');
for my $what ('find input/kbd on the bus', 'a read with no key ends empty at its timeout', 'caps lock light on',
	      'and off', 'releases are events too', 'shifted keys say so', 'ctrl-c types 0x03') {
	like($out, qr/^keycheck: ok - \Q$what\E /m, "input: $what");
}
unlike($out, qr/^keycheck: not ok/m, 'no client check failed');
unlike($out, qr/PANIC|EXCEPTION|ps2kbd: missing/, 'no panic, and the driver had its caps');
is($vm->finish(30), 0, 'the run ends once keycheck is done');
done_testing();
