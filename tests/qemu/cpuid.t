#!/usr/bin/perl
# A CPU without what Helios needs is named at once on the console and the
# run fails, instead of a silent reset (boot.S checks CPUID before it
# enables long mode and NX). QEMU's -cpu takes the features away.
use strict;
use warnings;
use lib 'tests/lib';
use AresQemu;
use Test::More;

my @cases = (
	[ 'qemu64,-nx', qr/^Helios: this CPU lacks long mode or NX \(CPUID 0x80000001 EDX bits 29, 20\); stopping$/m ],
	[ 'qemu64,-lm', qr/^Helios: this CPU lacks long mode or NX /m ],
	[ 'qemu64,-sse2', qr/^Helios: this CPU lacks TSC, MSR, PAE, APIC, FXSR, SSE or SSE2 \(CPUID 1 EDX\); stopping$/m ],
	[ 'qemu64,-apic', qr/^Helios: this CPU lacks TSC, MSR, PAE, APIC, FXSR, SSE or SSE2 /m ],
);
for my $c (@cases) {
	my ($cpu, $re) = @$c;
	my $vm = AresQemu->boot(append => 'poweroff', timeout => 20, args => ['--', '-cpu', $cpu]);
	$vm->expect($re, 10, "-cpu $cpu: the missing feature is named");
	is($vm->finish(10), 1, "-cpu $cpu: the run ends in failure through isa-debug-exit");
	unlike($vm->output, qr/Helios microkernel/, "-cpu $cpu: the kernel did not go on");
}
# The features the check asks for are all there on QEMU's default model.
my $vm = AresQemu->boot(append => 'poweroff', timeout => 20, args => ['--', '-cpu', 'qemu64']);
$vm->expect(qr/Helios microkernel/, 10, '-cpu qemu64: boots');
is($vm->finish(10), 0, '-cpu qemu64: the run ends in success');
done_testing();
