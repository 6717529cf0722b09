#!/usr/bin/perl
# Shared memory (gaia/init/memsvc.c, mercury/ipc/mem.ipc, docs/proc.md):
# svc/memtest allocates buffers, shares them with itself and with
# bin/mchild and tries every refusal (tests/gaia/mem); we relay its TAP.
# Then init ends the run (init.exit): the process pool must have lost nothing.
use strict;
use warnings;
use lib 'tests/lib';
use AresQemu;
use Test::More;

my $vm = AresQemu::relay_tap(name => 'mem', initrd => 'build/tests/gaia/mem.initrd', append => 'init.exit',
			     timeout => 120);
like($vm->output, qr/process pool free: \d+ bytes before the bus and the device manager, \d+ after \(0 lost\)/,
     'every buffer and process ended: the process pool lost nothing');
unlike($vm->output, qr/PANIC|EXCEPTION/, 'mem: no kernel panic or exception');
done_testing();
