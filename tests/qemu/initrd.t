#!/usr/bin/perl
# A missing, corrupt, truncated or foreign initrd gives a clear message and
# the kernel boots on: never a crash.
use strict;
use warnings;
use lib 'tests/lib';
use AresQemu;
use Test::More;
use File::Temp qw(tempdir);

my $dir = tempdir(CLEANUP => 1);
open(my $fh, '<:raw', 'build/initrd.tar') or die "build/initrd.tar: $!";
my $good = do { local $/; <$fh> };
close($fh);

sub write_file { my ($name, $data) = @_; open(my $o, '>:raw', "$dir/$name") or die; print $o $data; close($o); "$dir/$name" }

my $bad_sum = $good;
substr($bad_sum, 148, 1) = substr($bad_sum, 148, 1) eq '1' ? '2' : '1';	# header checksum field
my %cases = (
	'bad checksum' => [write_file('sum.tar', $bad_sum), qr/initrd: corrupt archive: .*checksum/],
	'truncated'    => [write_file('short.tar', substr($good, 0, 700)), qr/initrd: corrupt archive: /],
	'not a tar'    => [write_file('junk.tar', "\x7fELF" . ("\xAA" x 3000)), qr/initrd: corrupt archive: /],
);

my $vm = AresQemu->boot(append => 'poweroff', timeout => 30);
$vm->expect(qr/initrd: none: no boot module was given/, 10, 'missing initrd is reported');
$vm->expect(qr/idle/, 10, 'missing initrd: boot completes');
is($vm->finish(10), 0, 'missing initrd: run ends in success');

for my $case (sort keys %cases) {
	my ($file, $re) = @{ $cases{$case} };
	$vm = AresQemu->boot(initrd => $file, append => 'poweroff', timeout => 30);
	$vm->expect($re, 10, "$case initrd is reported");
	$vm->expect(qr/idle/, 10, "$case initrd: boot completes");
	is($vm->finish(10), 0, "$case initrd: run ends in success");
}
done_testing();
