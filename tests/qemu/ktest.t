#!/usr/bin/perl
# The in-OS kernel test suite (tests/kernel/ktest): a root task that
# exercises every syscall and invocation with their error paths and checks
# for leaks, printing TAP that we relay as our own.
use strict;
use warnings;
use lib 'tests/lib';
use AresQemu;
use Test::More;

my $vm = AresQemu::relay_tap(name => 'ktest', initrd => 'build/tests/kernel/ktest.initrd', timeout => 60);
unlike($vm->output, qr/PANIC|EXCEPTION/, 'ktest: no kernel panic or exception');
done_testing();
