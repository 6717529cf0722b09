#!/usr/bin/perl
# Helios on Bochs, whose CPU models keep what QEMU's TCG does not: Intel's
# ring-0 #GP on a sysretq to a non-canonical rip, #SS for a bad stack,
# cache control. Runs ktest's console and faults areas on an Intel and an
# AMD model (tools/bochs-run, about 12 s each). The kernel before the fixes
# of docs/kernel.md "What TCG hides" panics here in user_return.
use strict;
use warnings;
use lib 'tests/lib';
use AresQemu;
use Test::More;

for my $cpu (qw(corei7_skylake_x ryzen)) {
	my $vm = AresQemu::relay_tap(name => "ktest on Bochs $cpu", runner => "$AresQemu::TOP/tools/bochs-run",
				     args => ['--cpu', $cpu], initrd => 'build/tests/kernel/ktest.initrd',
				     append => 'kt.areas=console,faults', timeout => 120);
	like($vm->output, qr/^bochs-run: CPU model \Q$cpu\E$/m, "$cpu: ran on that Bochs model");
	like($vm->output, qr/^ok \d+ - null syscall at the top of user space: and ran to its end$/m,
	     "$cpu: a syscall at the top of user space leaves the kernel standing");
	# A real CPU's #SS (vector 12), where TCG raises #GP: this is not TCG.
	like($vm->output, qr/^ok \d+ - resume with rsp 0x900000000000: as #SS or #GP \(type 6, vector 12\)$/m,
	     "$cpu: a non-canonical stack faults as #SS");
	unlike($vm->output, qr/PANIC|EXCEPTION/, "$cpu: no kernel panic or exception");
}
done_testing();
