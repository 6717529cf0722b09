#!/usr/bin/perl
# Boots Helios with the standard initrd and checks each boot step reports.
use strict;
use warnings;
use lib 'tests/lib';
use AresQemu;
use Test::More;

my $vm = AresQemu->boot(initrd => 'build/initrd.tar', append => 'poweroff', timeout => 30);
$vm->expect(qr/Helios microkernel/, 10, 'banner printed');
my $banner_secs = $vm->elapsed;
my (undef, $ticks) = $vm->expect(qr/banner after (\d+) TSC ticks since kernel entry/, 5, 'banner reports boot ticks');
diag(sprintf "banner %.3f s after QEMU started; %s TSC ticks from kernel entry", $banner_secs, $ticks // '?');
ok($banner_secs < 1.0, 'banner within 1 second of wall time under TCG');
$vm->expect(qr/cmdline: .*\bpoweroff\b/, 5, 'command line echoed');
$vm->expect(qr/memory: \d+ KiB usable, \d+ KiB reserved, \d+ KiB free/, 5, 'memory summary');
$vm->expect(qr/initrd: .* at 0x[0-9a-f]+, \d+ bytes/, 5, 'initrd located');
$vm->expect(qr/initrd:\s+- 000644\s+17 etc\/motd/, 5, 'initrd lists etc/motd with its size');
$vm->expect(qr/initrd: \d+ entries/, 5, 'initrd entry count');
# The standard initrd starts the root task (gaia/init), which ends the run
# under poweroff once its processes have ended.
$vm->expect(qr/root: started boot\/init/, 10, 'root task boot/init started');
$vm->expect(qr/init: every process has ended/, 20, 'boot completes: init and its processes ran and ended');
is($vm->finish(10), 0, 'run ends through isa-debug-exit with success');
done_testing();
