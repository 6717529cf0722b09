#!/usr/bin/perl
# Driver supervision (gaia/init/devhost.c): a driver that faults is started
# again after 100 ms, doubling with each failure in a row, up to 5; one that
# exits 0 has finished. Two e1000s whose MACs make tests/mercury/dev/testdrv
# fail on purpose: ...:99 faults on its first two runs and then works,
# ...:98 faults every time and is given up after 5 restarts. init.exit
# ends the run once no restart is pending; nothing is lost from the pool.
# svc/drvctl (tests/mercury/dev/drvctl.c) steers them through devmgr.ipc:
# driver_status until they settle, restart_driver, and the refusals.
# The two sit in slots 3 and 5, on different interrupt lines (a line has one
# driver at a time), and QEMU's default NIC is left out.
use strict;
use warnings;
use lib 'tests/lib';
use AresQemu;
use Test::More;

my $initrd = 'build/tests/drvctl.initrd';
my $vm = AresQemu->boot(initrd => $initrd, append => 'init.exit', timeout => 120,
			args => ['--', '-nic', 'none', '-device', 'e1000,mac=52:54:00:12:34:99,addr=3',
				 '-device', 'e1000,mac=52:54:00:12:34:98,addr=5']);
my $status = $vm->finish(110);
my $out = $vm->output;
# What init did on its own, before drvctl asked for restarts.
my ($auto) = $out =~ /\A(.*?)(?:^init: driver testdrv: restart asked for$|\z)/ms;

my @once = $auto =~ /^init: driver testdrv faulted; restart (\d) of 5 in (\d+) ms$/mg;
my %delays;
while (my ($n, $ms) = splice(@once, 0, 2)) { push @{ $delays{$n} }, $ms; }
is_deeply([map { $delays{$_}[0] } 1 .. 5], [100, 200, 400, 800, 1600], 'backoff doubles: 100, 200, 400, 800, 1600 ms');
is(scalar @{ $delays{1} }, 2, 'both drivers were restarted after their first fault');
is(scalar @{ $delays{2} }, 2, 'and after their second');
is(scalar @{ $delays{3} // [] }, 1, 'only the one that always faults needed a third');
my @after = $auto =~ /^init: driver testdrv restarted \(pid \d+, restart (\d), (\d+) ms after it ended\)$/mg;
my $late = 0;
while (my ($n, $ms) = splice(@after, 0, 2)) { $late++ if $ms < 100 << ($n - 1); }
is($late, 0, 'no restart came before its delay');
like($out, qr/^testdrv: run 3: working this time$/m, 'the flaky driver works on its third run');
like($out, qr/^testdrv: all checks passed$/m, 'and passes its checks');
like($out, qr/^init: testdrv exited with status 0$/m, 'then exits 0: finished, not restarted');
like($out, qr/^init: device manager done: \d+ devices, 2 drivers started$/m, 'both drivers were started');
like($out, qr/^init: driver testdrv failed 6 times in a row; giving up$/m, 'the other is given up after 5 restarts');
my $runs98 = () = $auto =~ /^testdrv: run \d: faulting on purpose \(MAC ends in 98\)$/mg;
is($runs98, 6, 'it ran 6 times');
like($out, qr/process pool free: (\d+) bytes before the bus and the device manager, \1 after \(0 lost\)/,
     'eight driver runs later the pool lost nothing');
for my $what ('find devmgr on the bus', 'one testdrv finished, one was given up', 'restart the finished one',
	      'it ran again, one restart more', 'restart the given-up one by hand', 'it fails its series again',
	      'restart a device without a driver: E_NOCAP', 'restart a device past the end: E_RANGE',
	      'status past the end: E_RANGE') {
	like($out, qr/^drvctl: ok - \Q$what\E /m, "devmgr.ipc: $what");
}
unlike($out, qr/^drvctl: not ok/m, 'devmgr.ipc: no check failed');
like($out, qr/^init: drvctl exited with status 0$/m, 'drvctl exits 0');
unlike($out, qr/PANIC|EXCEPTION/, 'no kernel panic or exception');
is($status, 0, 'the run ended in success');
done_testing();
