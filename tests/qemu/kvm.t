#!/usr/bin/perl
# Helios under KVM: a real CPU's semantics, which QEMU's TCG does not all
# model (docs/kernel.md, "What TCG hides"). Boots with ARES_ACCEL=kvm and
# runs two ktest areas: console and syscalls (the first system calls), and
# faults, whose checks fail on a kernel that sysrets to a non-canonical rip
# (a ring-0 #GP on Intel CPUs), leaves x87 errors to FERR# or keeps a 32-bit
# user code segment. Skipped, with the reason, where KVM cannot be used.
use strict;
use warnings;
use lib 'tests/lib';
use AresQemu;
use Test::More;

# Why KVM cannot be used here, or '' if it can: /dev/kvm must open
# read-write and QEMU must start with -accel kvm.
sub kvm_unusable {
	return '/dev/kvm does not exist' unless -e '/dev/kvm';
	open(my $fh, '+<', '/dev/kvm') or return "cannot open /dev/kvm read-write: $!";
	close($fh);
	# The machine of the real run, stopped before its first instruction (-S), then quit.
	my $out = `echo quit | timeout 30 qemu-system-x86_64 -accel kvm -display none -nodefaults -monitor stdio -serial none -S 2>&1`;
	return '' if $? == 0;
	my ($why) = grep { /kvm/i } split /\n/, $out;
	return 'QEMU does not start with -accel kvm: ' . ($why // "exit status " . ($? >> 8));
}

my $why = kvm_unusable();
plan skip_all => "KVM not usable: $why" if $why;

# KVM has run guest code far slower than TCG on these machines: a small
# workload, a generous limit.
$ENV{ARES_ACCEL} = 'kvm';
my $vm = AresQemu::relay_tap(name => 'ktest under KVM', initrd => 'build/tests/kernel/ktest.initrd',
			     append => 'kt.areas=console,faults', timeout => 300);
like($vm->output, qr/^qemu-run: accelerator kvm$/m, 'QEMU ran with KVM');
like($vm->output, qr/^Helios microkernel \(Ares\) for x86_64$/m, 'boot banner');
like($vm->output, qr/^ok \d+ - null syscall succeeds$/m, 'the root task made its first system call');
like($vm->output, qr/^ok \d+ - null syscall at the top of user space: the thread faulted$/m,
     'the faults area ran');
unlike($vm->output, qr/PANIC|EXCEPTION/, 'no kernel panic or exception');
diag(sprintf('boot and both areas took %.1f s under KVM', $vm->elapsed));
done_testing();
