#!/usr/bin/perl
# The in-OS spawn suite (tests/mercury/spawn): children get exactly their
# argv, environment and caps; exits and faults reach the parent; malformed
# ELFs and bad options are refused with their reason; 1,000 processes are
# spawned and reaped with no Untyped byte or slot lost. We relay its TAP
# and check the panic backtrace a child printed is symbolized.
use strict;
use warnings;
use lib 'tests/lib';
use AresQemu;
use Test::More;

my $vm = AresQemu::relay_tap(name => 'spawn', initrd => 'build/tests/mercury/spawn.initrd', timeout => 240);
my $out = $vm->output;
like($out, qr/panic: assertion failed: depth == 1 \(tests\/mercury\/spawn\/child\.c:\d+, deep\)/,
     'spawn: the child\'s failed assertion is reported with file, line and function');
like($out, qr/#\d+ 0x[0-9a-f]+ deep\+0x[0-9a-f]+\s.*#\d+ 0x[0-9a-f]+ main\+0x/s,
     'spawn: its backtrace names deep and main from the embedded symbol table');
like($out, qr/panic: heap: double free \(block 0x[0-9a-f]+\)\n(?:.*\n){0,6}.*#\d+ 0x[0-9a-f]+ free\+0x/,
     'spawn: the debug heap names a double free, the backtrace passes through free');
unlike($out, qr/PANIC|EXCEPTION|faulted .* with no fault endpoint/, 'spawn: no kernel panic, no unhandled fault');
done_testing();
