#!/usr/bin/perl
# The process service (gaia/init/procsvc.c, docs/proc.md): svc/proctest,
# started by init with a proc cap, starts bin/pchild in every way and
# tries every refusal (tests/gaia/proc); we relay its TAP. Then init ends
# the run (init.exit) and its process pool must have lost nothing.
use strict;
use warnings;
use lib 'tests/lib';
use AresQemu;
use Test::More;

my $vm = AresQemu::relay_tap(name => 'proc', initrd => 'build/tests/gaia/proc.initrd', append => 'init.exit',
			     timeout => 120);
like($vm->output, qr/^init: pchild faulted: type 1 at 0xdead000/m, 'init logs the fault of a started process');
like($vm->output, qr/process pool free: \d+ bytes before the bus and the device manager, \d+ after \(0 lost\)/,
     'every process ended: the process pool lost nothing');
unlike($vm->output, qr/PANIC|EXCEPTION/, 'proc: no kernel panic or exception');
done_testing();
