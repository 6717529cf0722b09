#!/usr/bin/perl
# The in-OS round trip of a generated interface (tests/mercury/ipc/inos):
# a root task calls a server process it spawned through the generated
# ipctest stubs and dispatch over a real endpoint: every type at its
# edges, strings and arrays at and over their bounds, caps both ways and
# without the grant right, handler errors, unknown and malformed
# requests, the names table; then no Untyped byte or slot lost and the
# kernel's invariants intact. We relay its TAP.
use strict;
use warnings;
use lib 'tests/lib';
use AresQemu;
use Test::More;

my $vm = AresQemu::relay_tap(name => 'ipc', initrd => 'build/tests/mercury/ipcinos.initrd', timeout => 60);
unlike($vm->output, qr/PANIC|EXCEPTION|faulted .* with no fault endpoint|ipcinos-server:/,
       'ipc: no kernel panic, no unhandled fault, no complaint from the server');
done_testing();
