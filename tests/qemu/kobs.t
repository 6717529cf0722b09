#!/usr/bin/perl
# The in-OS observability suite (tests/kernel/kobs): kernel counters,
# tracepoints and the trace ring, debug IPC across address spaces, with
# the same leak check as ktest; we relay its TAP as our own.
use strict;
use warnings;
use lib 'tests/lib';
use AresQemu;
use Test::More;

my $vm = AresQemu::relay_tap(name => 'kobs', initrd => 'build/tests/kernel/kobs.initrd', timeout => 90);
unlike($vm->output, qr/PANIC|EXCEPTION/, 'kobs: no kernel panic or exception');
done_testing();
