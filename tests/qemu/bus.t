#!/usr/bin/perl
# The service bus's in-OS suite (tests/mercury/bus/suite): names, policy,
# waits and timeouts, a crashing server noticed by its clients, each area
# with its own bus and leak check; we relay its TAP as our own. Then the
# process area: init starts sbin/bus, devmgr and the svc/ programs of
# build/tests/mercury/bus/busproc.initrd: busclient waits for crashy's
# name, calls it and devmgr through the bus, and watches crashy fault:
# the watch ends E_DEAD, its copy is revoked (tests/mercury/bus/proc).
use strict;
use warnings;
use lib 'tests/lib';
use AresQemu;
use Test::More;

my $vm = AresQemu::relay_tap(name => 'bus', initrd => 'build/tests/mercury/bus/bustest.initrd', timeout => 90);
unlike($vm->output, qr/PANIC|EXCEPTION/, 'bus: no kernel panic or exception');

$vm = AresQemu->boot(initrd => 'build/tests/mercury/bus/busproc.initrd', append => 'init.exit', timeout => 90);
$vm->expect(qr/init: started bus with 4 rules/, 30, 'processes: init starts sbin/bus with its rules and etc/bus.rules');
my $status = $vm->finish(60);
my $out = $vm->output;
like($out, qr/^crashy: call label 1 from badge 0x[0-9a-f]+ \(busclient\)$/m, 'processes: the server learns its caller by whois');
for my $what ('wait for test/crashy', 'call test/crashy: 41 + 1', 'lookup devmgr', 'devmgr count() through the bus',
	      'watch test/crashy ends E_DEAD when its server faults', 'the old copy of test/crashy is revoked',
	      'test/crashy is no longer registered') {
	like($out, qr/^busclient: ok - \Q$what\E /m, "processes: $what");
}
unlike($out, qr/^busclient: not ok/m, 'processes: no client check failed');
like($out, qr/^init: told the bus crashy is gone$/m, 'processes: init tells the bus the faulted server is gone');
like($out, qr/^init: busclient exited with status 0$/m, 'processes: the client exits 0');
like($out, qr/^init: every process has ended; .* \(0 lost\)$/m, 'processes: the pool gets every byte back, bus included');
unlike($out, qr/PANIC|EXCEPTION/, 'processes: no kernel panic or exception');
is($status, 0, 'processes: the run ended in success');
done_testing();
