#!/usr/bin/perl
# The service bus's in-OS suite (tests/mercury/bus/suite): names, policy,
# waits and timeouts, a crashing server noticed by its clients, each area
# with its own bus and leak check; we relay its TAP as our own.
use strict;
use warnings;
use lib 'tests/lib';
use AresQemu;
use Test::More;

my $vm = AresQemu::relay_tap(name => 'bus', initrd => 'build/tests/mercury/bus/bustest.initrd', timeout => 90);
unlike($vm->output, qr/PANIC|EXCEPTION/, 'bus: no kernel panic or exception');
done_testing();
