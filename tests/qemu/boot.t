#!/usr/bin/perl
# Boots Helios and checks each boot step reports: first with a known initrd
# holding no program (the kernel lists it and idles), then with the standard
# build/initrd.tar, whose root task (gaia/init) starts user space.
use strict;
use warnings;
use lib 'tests/lib';
use AresQemu;
use Test::More;
use File::Temp qw(tempdir);

my $dir = tempdir(CLEANUP => 1);
system('tools/mkinitrd', "$dir/initrd.tar", 'etc/motd=gaia/etc/motd', 'etc/hostname=gaia/etc/hostname') == 0
	or die "mkinitrd failed\n";
# Wall time is noisy on a loaded host: a boot slower than the target is
# tried again, up to three boots, and the fastest counts.
my ($vm, $banner_secs, $ticks);
for my $try (1 .. 3) {
	$vm->finish(10) if $vm;
	$vm = AresQemu->boot(initrd => "$dir/initrd.tar", append => 'poweroff', timeout => 30);
	if ($try == 1) {
		$vm->expect(qr/Helios microkernel/, 10, 'banner printed');
	} else {
		defined $vm->wait_for(qr/Helios microkernel/, 10) or next;
	}
	my $secs = $vm->elapsed;
	$banner_secs = $secs if !defined $banner_secs || $secs < $banner_secs;
	last if $banner_secs < 1.0;
}
(undef, $ticks) = $vm->expect(qr/banner after (\d+) TSC ticks since kernel entry/, 5, 'banner reports boot ticks');
diag(sprintf "banner %.3f s after QEMU started (fastest of the boots); %s TSC ticks from kernel entry",
     $banner_secs, $ticks // '?');
ok($banner_secs < 1.0, 'banner within 1 second of wall time under TCG');
$vm->expect(qr/cmdline: .*\bpoweroff\b/, 5, 'command line echoed');
$vm->expect(qr/memory: \d+ KiB usable, \d+ KiB reserved, \d+ KiB free/, 5, 'memory summary');
$vm->expect(qr/initrd: .* at 0x[0-9a-f]+, \d+ bytes/, 5, 'initrd located');
$vm->expect(qr/initrd:\s+- 000644\s+17 etc\/motd/, 5, 'initrd lists etc/motd with its size');
$vm->expect(qr/initrd: 3 entries/, 5, 'initrd entry count');
$vm->expect(qr/initrd holds no program/, 10, 'no program in the initrd is reported');
$vm->expect(qr/idle/, 10, 'boot completes to idle');
is($vm->finish(10), 0, 'run ends through isa-debug-exit with success');

# The standard initrd: the root task starts, and under poweroff ends the run
# once its processes have ended.
$vm = AresQemu->boot(initrd => 'build/initrd.tar', append => 'poweroff', timeout => 60);
$vm->expect(qr/root: started boot\/init/, 10, 'standard initrd: root task boot/init started');
$vm->expect(qr/init: started bus with \d+ rules/, 20, 'standard initrd: the bus started');
$vm->expect(qr/init: started devmgr/, 20, 'standard initrd: the device manager started');
$vm->expect(qr/devmgr: 00:00\.0 8086:1237 class 06\.00\.00 host bridge: no driver/, 20, 'standard initrd: PCI devices listed');
$vm->expect(qr/init: bus name devmgr: registered/, 20, 'standard initrd: devmgr registered on the bus');
$vm->expect(qr/init: every process has ended.*\(0 lost\)/, 40, 'standard initrd: init and its processes ran and ended, no byte lost');
is($vm->finish(10), 0, 'standard initrd: run ends through isa-debug-exit with success');
done_testing();
