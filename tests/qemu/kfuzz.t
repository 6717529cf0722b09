#!/usr/bin/perl
# The syscall fuzzer (tests/kernel/kfuzz): 100,000 random syscalls and
# invocations from an unprivileged thread, then the kernel's invariant
# check and a leak check; the guest's TAP is relayed. KFUZZ_SEED picks
# the seed (default 1), so a failure can be replayed exactly.
use strict;
use warnings;
use lib 'tests/lib';
use AresQemu;
use Test::More;

my $seed = $ENV{KFUZZ_SEED} // 1;
my $vm = AresQemu::relay_tap(name => "kfuzz seed $seed", initrd => 'build/tests/kernel/kfuzz.initrd',
			     append => "kfuzz.seed=$seed kfuzz.calls=100000", timeout => 60);
unlike($vm->output, qr/PANIC|EXCEPTION/, 'kfuzz: no kernel panic or exception');
done_testing();
