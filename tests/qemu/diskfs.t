#!/usr/bin/perl
# Files on a disk (gaia/diskfs over venus/fat and the virtio-blk driver):
# the test makes a FAT image with Debian's mkfs.vfat and mtools, Ares's
# svc/diskcheck reads it through the file protocol and writes a file, and
# the test reads that back with mtools and checks the image with fsck.vfat.
use strict;
use warnings;
use lib 'tests/lib';
use AresQemu;
use File::Temp qw(tempdir);
use Test::More;
no warnings "portable";	# 64-bit hex constants of the hash

my $dir = tempdir(CLEANUP => 1);
my $img = "$dir/fat.img";
sub run { system(@_) == 0 or die "@_ failed\n" }
run('truncate', '-s', '16M', $img);
run('mkfs.vfat', '-F', '16', '-n', 'ARES', $img);
open(my $fh, '>', "$dir/hello.txt") or die;
print $fh "hello from the host\n";
close $fh;
open($fh, '>:raw', "$dir/big.bin") or die;
my $x = 12345;
my $big = '';
for (1 .. 300000) { $x = ($x * 1103515245 + 12345) % 2147483648; $big .= chr($x >> 16 & 0xFF) }
print $fh $big;
close $fh;
$ENV{MTOOLS_SKIP_CHECK} = 1;
run('mcopy', '-i', $img, "$dir/hello.txt", "$dir/big.bin", '::/');
run('mmd', '-i', $img, '::/A Long Directory Name');
run('mcopy', '-i', $img, "$dir/hello.txt", '::/A Long Directory Name/a file with a long name.txt');

my $h = 0xcbf29ce484222325;
{
	use integer;
	for my $c (unpack 'C*', $big) { $h = ($h ^ $c) * 0x100000001b3 }
}
my $want = sprintf '%016x', $h;

my $vm = AresQemu::relay_tap(name => 'diskfs', initrd => 'build/tests/gaia/diskfs.initrd', append => 'init.exit',
			     timeout => 120, args => [ '--', '-drive', "file=$img,if=none,id=d0,format=raw",
						       '-device', 'virtio-blk-pci,drive=d0' ]);
my $out = $vm->output;
like($out, qr/^diskfs: FAT on blk0/m, 'diskfs mounted the FAT file system');
like($out, qr/^diskcheck: hello.txt says: hello from the host$/m, 'Ares read hello.txt as the host wrote it');
like($out, qr/^diskcheck: big.bin 300000 bytes, fnv1a $want$/m, 'big.bin: every byte identical (length and hash)');
like($out, qr/^diskcheck: entry a file with a long name.txt 20$/m, 'a long name read back, with its length');
my $back = `MTOOLS_SKIP_CHECK=1 mtype -i $img ::/ares.txt 2>&1`;
is($back, "written by Ares\n", 'mtools reads the file Ares wrote');
my $dirs = `MTOOLS_SKIP_CHECK=1 mdir -b -i $img ::/ 2>&1`;
unlike($dirs, qr/newdir/i, 'the directory Ares made and removed is gone');
# diskfs never unmounts (the run ends under it), so FAT's dirty bit stays
# set as on any mounted volume; fsck may say so and nothing else.
my @complaints = grep { !/^fsck\.fat |^Dirty bit is set|Automatically removing dirty bit|^\s*$|^Leaving filesystem unchanged|: \d+ files, \d+\/\d+ clusters$/ }
	split /\n/, `fsck.vfat -n $img 2>&1`;
is(scalar @complaints, 0, 'fsck.vfat -n finds nothing wrong but the dirty bit of a mounted volume') or diag(join "\n", @complaints);
unlike($out, qr/PANIC|EXCEPTION/, 'diskfs: no kernel panic or exception');

# The same on ext4, made from a directory with mkfs.ext4 -d; e2fsck and
# debugfs check what Ares wrote.
my $tree = "$dir/tree";
mkdir $tree; mkdir "$tree/A Long Directory Name";
run('cp', "$dir/hello.txt", "$dir/big.bin", "$tree/");
run('cp', "$dir/hello.txt", "$tree/A Long Directory Name/a file with a long name.txt");
my $ext = "$dir/ext4.img";
run('truncate', '-s', '32M', $ext);
run("mkfs.ext4 -q -F -d $tree $ext >/dev/null 2>&1");
$vm = AresQemu::relay_tap(name => 'diskfs ext4', initrd => 'build/tests/gaia/diskfs.initrd', append => 'init.exit',
			  timeout => 120, args => [ '--', '-drive', "file=$ext,if=none,id=d0,format=raw",
						    '-device', 'virtio-blk-pci,drive=d0' ]);
$out = $vm->output;
like($out, qr/^diskfs: ext4 on blk0/m, 'ext4: diskfs mounted it');
like($out, qr/^diskcheck: hello.txt says: hello from the host$/m, 'ext4: hello.txt as the host wrote it');
like($out, qr/^diskcheck: big.bin 300000 bytes, fnv1a $want$/m, 'ext4: big.bin byte for byte');
like($out, qr/^diskcheck: entry a file with a long name.txt 20$/m, 'ext4: the long names');
my $cat = `debugfs -R 'cat /ares.txt' $ext 2>/dev/null`;
is($cat, "written by Ares\n", 'ext4: debugfs reads the file Ares wrote');
# The volume was never unmounted: replay its journal (debugfs's journal_run,
# as a mount would), then check without changing anything.
system("debugfs -w -R 'journal_run' $ext >/dev/null 2>&1");
my $fsck = `e2fsck -fn $ext 2>&1`;
is($? >> 8, 0, 'ext4: e2fsck -fn finds the image clean after journal replay') or diag($fsck);
unlike($out, qr/PANIC|EXCEPTION/, 'ext4: no kernel panic or exception');
done_testing();
