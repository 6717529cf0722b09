#!/usr/bin/perl
# The CMOS clock driver (venus/rtc): devmgr finds the legacy RTC, init
# starts drv/rtc with exactly its ports and a name to serve, the driver
# reads the date QEMU's -rtc base gives and registers "clock"; svc/clockcheck
# reads it, sets it, reads it back and tries dates the chip cannot hold.
use strict;
use warnings;
use lib 'tests/lib';
use AresQemu;
use Test::More;

my $vm = AresQemu->boot(initrd => 'build/tests/rtc.initrd', append => 'init.exit', timeout => 90,
			args => ['--', '-rtc', 'base=2026-12-06T12:34:56']);
$vm->expect(qr/^clockcheck: ok - a refused set changed nothing \(\d+\)\r?\n/m, 60, 'clockcheck ran to its end');
my $out = $vm->output;
like($out, qr/^devmgr: isa rtc io 70-71 irq 8: driver rtc$/m, 'devmgr matches the legacy RTC to drv/rtc');
like($out, qr/^devmgr: rtc for isa rtc started \(pid \d+\) with isa=rtc bar0=io:70:2$/m, 'its grant: the two ports only');
like($out, qr/^rtc: 2026-12-06 12:3[4-6]:\d\d UTC$/m, 'the driver reads the date QEMU gave the chip');
my ($now) = $out =~ /^clockcheck: now (\d+)$/m;
ok(defined $now && $now >= 1796560496 && $now <= 1796560496 + 60, 'now() is that date as seconds since 1970');
for my $what ('find clock on the bus', 'now()', 'resolution is one second', 'set 2030-01-02 03:04:05',
	      'now() reads it back', 'monotonic time restarts with the new date', 'set 2100-01-01: E_RANGE',
	      'set 1970 (before 2000): E_RANGE', 'a refused set changed nothing') {
	like($out, qr/^clockcheck: ok - \Q$what\E /m, "clock.ipc: $what");
}
unlike($out, qr/^clockcheck: not ok/m, 'no client check failed');
like($out, qr/^rtc: set to 2030-01-02 03:04:05 UTC$/m, 'the driver logs the new date');
unlike($out, qr/PANIC|EXCEPTION|rtc: missing a cap/, 'no panic, and the driver had its caps');
is($vm->finish(30), 0, 'the run ends once clockcheck is done (the driver is resident)');
done_testing();
