#!/usr/bin/perl
# Helios on Bochs, whose CPU models keep what QEMU's TCG does not: Intel's
# ring-0 #GP on a sysretq to a non-canonical rip, #SS for a bad stack,
# cache control. Runs ktest's console and faults areas on an Intel and an
# AMD model (tools/bochs-run, about 12 s each), and reads CR0 from an
# exception dump (CD, NW clear; NE, MP set). The kernel before the fixes
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

# Bochs' BIOS with GRUB hands over with caching off (CR0.CD and NW set) and
# NE clear; an exception dump shows the CR0 the kernel runs with.
my $vm = AresQemu->boot(runner => "$AresQemu::TOP/tools/bochs-run", append => 'crash=pf', timeout => 60);
my (undef, $cr0) = $vm->expect(qr/ cr0 0x([0-9a-f]+) /, 50, 'crash=pf: the exception dump shows CR0');
is($vm->finish(10), 1, 'crash=pf: the run ends in failure (a kernel panic)');
$cr0 = hex($cr0 // 0);
is($cr0 & (3 << 29), 0, sprintf('CR0 0x%x: caches on (CD, NW clear)', $cr0));
is($cr0 & ((1 << 5) | (1 << 1)), (1 << 5) | (1 << 1), 'CR0: NE and MP set');
is($cr0 & ((1 << 3) | (1 << 2)), 0, 'CR0: TS and EM clear');
done_testing();
