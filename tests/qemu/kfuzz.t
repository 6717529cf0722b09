#!/usr/bin/perl
# The syscall fuzzer (tests/kernel/kfuzz, docs/kfuzz.md): KFUZZ_CALLS
# (default 100,000) calls from six workers in three address spaces, under
# -icount so that a seed (KFUZZ_SEED, default 1) replays exactly. The
# guest's TAP is relayed (coverage, oracles, invariants, leak checks); then
# no kernel panic, no invariant problem reported by any CONSOLE_CHECK the
# workers made, and a row in the coverage matrix for every system call of
# helios/syscall.h and every label of helios/invoke.h.
use strict;
use warnings;
use lib 'tests/lib';
use AresQemu;
use Test::More;

my $seed = $ENV{KFUZZ_SEED} // 1;
my $calls = $ENV{KFUZZ_CALLS} // 100000;
my $vm = AresQemu::relay_tap(name => "kfuzz seed $seed", initrd => 'build/tests/kernel/kfuzz.initrd',
			     append => "kfuzz.seed=$seed kfuzz.calls=$calls", icount => 1,
			     timeout => $ENV{KFUZZ_TIMEOUT} // 90);
my $out = $vm->output;
unlike($out, qr/PANIC|EXCEPTION/, 'kfuzz: no kernel panic or exception');
my @bad = $out =~ /^check: \d+ caps, ([1-9]\d*) problems/mg;
is(scalar(@bad), 0, 'kfuzz: every CONSOLE_CHECK made during the run found 0 problems');
my ($done) = $out =~ /^(# kfuzz done: .*)$/m;
diag($done) if $done;

# Every label and system call has a row: names from the headers, rows from the matrix.
my %row = map { $_ => 1 } $out =~ /^# kfuzz cov (\w+):/mg;
my @names;
for my $h (['kernel/include/helios/invoke.h', 'hl_label'], ['kernel/include/helios/syscall.h', 'hl_syscall']) {
	open(my $f, '<', $h->[0]) or die "$h->[0]: $!";
	my $text = do { local $/; <$f> };
	my ($body) = $text =~ /enum $h->[1] \{(.*?)\};/s or die "no enum $h->[1] in $h->[0]";
	$body =~ s{/\*.*?\*/}{}gs;
	push @names, grep { $_ ne 'SYS_COUNT' } map { s/^HL_//r } $body =~ /\b(HL_\w+)/g;
}
my @missing = grep { !$row{$_} } @names;
ok(@names > 60 && !@missing, 'kfuzz: every system call and label (' . scalar(@names) . ') has a row in the coverage matrix')
	or diag('no row for: ' . join(' ', @missing));
done_testing();
