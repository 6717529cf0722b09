#!/usr/bin/perl
# A deliberate page fault and invalid opcode in the kernel produce a
# readable dump that names the faulting function, then a failed run.
use strict;
use warnings;
use lib 'tests/lib';
use AresQemu;
use Test::More;

my $vm = AresQemu->boot(append => 'crash=pf', timeout => 30);
$vm->expect(qr/EXCEPTION 14: #PF page fault/, 10, 'page fault: vector name');
$vm->expect(qr/error code 0x2 \(not present, write, kernel\)/, 2, 'page fault: decoded error code');
$vm->expect(qr/cr2 0x000000000dead000/, 2, 'page fault: CR2 is the faulting address');
$vm->expect(qr/rip 0xffffffff8[0-9a-f]+ selftest_crash_page_fault\+0x/, 2, 'page fault: RIP names the function');
$vm->expect(qr/rax [0-9a-f]{16}\s+rbx [0-9a-f]{16}.*\n.*rsi .*\n.*r8 .*\n.*r12 /, 2, 'page fault: all registers');
$vm->expect(qr/backtrace:\n(?:.*\n)*?.*selftest_crash\+0x(?:.*\n)*?.*kmain\+0x/, 2, 'page fault: backtrace names callers up to kmain');
$vm->expect(qr/PANIC: unhandled #PF page fault in kernel mode/, 2, 'page fault: panic message');
is($vm->finish(10), 1, 'page fault: run reports failure');

$vm = AresQemu->boot(append => 'crash=ud', timeout => 30);
$vm->expect(qr/EXCEPTION 6: #UD invalid opcode/, 10, 'invalid opcode: vector name');
$vm->expect(qr/rip 0xffffffff8[0-9a-f]+ selftest_crash_invalid_opcode\+0x/, 2, 'invalid opcode: RIP names the function');
$vm->expect(qr/backtrace:\n(?:.*\n)*?.*selftest_crash\+0x/, 2, 'invalid opcode: backtrace');
is($vm->finish(10), 1, 'invalid opcode: run reports failure');

$vm = AresQemu->boot(append => 'crash=bogus poweroff', timeout => 30);
$vm->expect(qr/unknown crash kind 'bogus'/, 10, 'unknown crash kind is refused');
is($vm->finish(10), 0, 'and the kernel boots on');
done_testing();
