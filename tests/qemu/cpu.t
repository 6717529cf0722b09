#!/usr/bin/perl
# The CPU protections (review item 4): on a CPU model that has SMEP, SMAP
# and UMIP (QEMU's "max"), Helios turns all three on, and the whole kernel
# suite still passes: the kernel neither runs nor touches user pages (SMAP
# would fault it), and user code cannot read the GDTR (ktest's review area
# checks sgdt faults). The default CPU model has none of them: the kernel
# says so and runs as before (ktest.t). The faults area runs with SMAP off:
# QEMU's TCG reads the stack of a far return made in user mode as a
# supervisor access, so with SMAP on it reports a page fault where a real
# CPU (and TCG without SMAP) reports the #GP the area expects.
use strict;
use warnings;
use lib 'tests/lib';
use AresQemu;
use Test::More;

my $areas = 'console,untyped,cnode,tcb,endpoint,reply,notification,vspace,ioport,irq,sched,exit,debug,trace,timer,review';
my $vm = AresQemu::relay_tap(name => 'ktest on -cpu max', initrd => 'build/tests/kernel/ktest.initrd',
			     append => "kt.areas=$areas", timeout => 90, args => ['--', '-cpu', 'max']);
like($vm->output, qr/^cpu: SMEP on, SMAP on, UMIP on/m, 'cpu max: SMEP, SMAP and UMIP are on');
like($vm->output, qr/ok \d+ - the CPU has UMIP: sgdt in user mode faults/, 'cpu max: sgdt faults under UMIP');
unlike($vm->output, qr/PANIC|EXCEPTION/, 'cpu max: no kernel panic or exception');

AresQemu::relay_tap(name => 'ktest faults on -cpu max without SMAP', initrd => 'build/tests/kernel/ktest.initrd',
		    append => 'kt.areas=faults', timeout => 60, args => ['--', '-cpu', 'max,-smap']);

my $plain = AresQemu->boot(initrd => 'build/tests/kernel/ktest.initrd', timeout => 60);
$plain->finish(60);
like($plain->output, qr/^cpu: SMEP absent, SMAP absent, UMIP absent/m, 'default CPU: the kernel says what it lacks');
done_testing();
