#!/usr/bin/perl
# The boot path under QEMU: init starts the device manager, which lists
# every PCI function (the i440fx host bridge and PIIX ISA bridge, and each
# device -device put there) by vendor:device and class, with its driver or
# "no driver", and has init start the test driver (tests/mercury/dev/testdrv)
# for each e1000 with exactly its manifest's caps. The bus comes up first
# and devmgr registers "devmgr" on it and stays to serve devmgr.ipc.
# init.exit ends the run once every non-resident process has ended, after
# destroying the bus and devmgr.
use strict;
use warnings;
use lib 'tests/lib';
use AresQemu;
use Test::More;

my $initrd = 'build/tests/devmgr.initrd';
plan skip_all => "$initrd not built (needs the Mercury program runtime)" unless -f $initrd;

my $vm = AresQemu->boot(initrd => $initrd, append => 'init.exit', timeout => 90,
			args => ['--', '-device', 'e1000', '-device', 'virtio-net-pci',
				 '-device', 'ich9-ahci']);
$vm->expect(qr/^bus: \d+ rules, 17 replies, 72 slots/m, 30, 'the bus program starts with its Reply pool and slots');
$vm->expect(qr/init: started bus with \d+ rules/, 30, 'init starts the bus first');
$vm->expect(qr/init: started devmgr with 1 driver manifests/, 30, 'init starts devmgr with the manifest of testdrv');
$vm->expect(qr/devmgr: (\d+) PCI functions/, 30, 'devmgr enumerates PCI');
my $status = $vm->finish(60);
my $out = $vm->output;

like($out, qr/^devmgr: 00:00\.0 8086:1237 class 06\.00\.00 host bridge: no driver$/m, 'host bridge listed');
like($out, qr/^devmgr: 00:01\.0 8086:7000 class 06\.01\.00 ISA bridge: no driver$/m, 'ISA bridge listed');
like($out, qr/^devmgr: ..:..\.. 1af4:1000 class 02\.00\.00 ethernet: no driver$/m, 'virtio-net-pci listed, no driver');
like($out, qr/^devmgr: ..:..\.. 8086:2922 class 01\.06\.01 SATA controller: no driver$/m, 'ich9-ahci listed, no driver');
my @e1000 = $out =~ /^devmgr: (..:..\..) 8086:100e class 02\.00\.00 ethernet: driver testdrv$/mg;
ok(@e1000 >= 1, 'e1000 listed with driver testdrv') or diag($vm->tail);
my ($n) = $out =~ /devmgr: (\d+) PCI functions/;
my @listed = $out =~ /^devmgr: ..:..\.. [0-9a-f]{4}:[0-9a-f]{4} class /mg;
is(scalar @listed, $n, 'every function listed once');
for my $bdf (@e1000) {
	like($out, qr/^devmgr: testdrv for \Q$bdf\E started \(pid \d+\) with pci=\Q$bdf\E id=8086:100e bar0=mem:[0-9a-f]+:20000 bar1=io:[0-9a-f]+:40 irq=[0-9a-f]+ dma=4000$/m,
	     "testdrv started for $bdf with its grant");
}
my $passed = () = $out =~ /^testdrv: all checks passed$/mg;
is($passed, scalar @e1000, 'each testdrv passed its checks (caps, registers, DMA)');
unlike($out, qr/^testdrv: FAILED/m, 'no testdrv check failed');
like($out, qr/^testdrv: ok exactly 5 caps in the CSpace/m, 'testdrv holds exactly its manifest caps and its own CNode');
like($out, qr/^testdrv: ok device register read: STATUS says link up$/m, 'testdrv reads its device registers');
my $exits = () = $out =~ /^init: testdrv exited with status 0$/mg;
is($exits, scalar @e1000, 'init reaped every testdrv');
my ($legacy) = $out =~ /^devmgr: (\d+) legacy devices$/m;
like($out, qr/^devmgr: isa rtc io 70-71 irq 8: no driver$/m, 'the legacy RTC listed (no driver in this initrd)');
like($out, qr/^init: device manager done: ${\ ($n + ($legacy \/\/ 0))} devices, ${\ scalar @e1000} drivers started$/m,
     'devmgr reports the totals (PCI and legacy) to init');
like($out, qr/^init: bus name devmgr: registered$/m, 'devmgr registered its name on the bus');
unlike($out, qr/^init: devmgr (exited|faulted)/m, 'devmgr stays to serve');
like($out, qr/^init: every process has ended; process pool free: (\d+) bytes before the bus and the device manager, \1 after \(0 lost\)$/m,
     'every process ended and the pool got every byte back (processes, the bus\'s moved Untyped, DMA, notifications, page tables)');
unlike($out, qr/PANIC|EXCEPTION/, 'no kernel panic or exception');
is($status, 0, 'the run ended in success');
done_testing();
