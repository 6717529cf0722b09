#!/usr/bin/perl
# A driver killed during a stream of writes (venus/virtio-blk, docs/venus.md):
# svc/blkkill restarts drv/virtio-blk five times through devmgr.ipc while
# svc/blkstress writes block after block, retrying what the driver's going
# failed once blk0 is back. Afterwards every block it wrote holds what it
# wrote and no block after it was touched.
use strict;
use warnings;
use lib 'tests/lib';
use AresQemu;
use File::Temp qw(tempdir);
use Test::More;

my $dir = tempdir(CLEANUP => 1);
my $img = "$dir/disk.img";
open(my $fh, '>:raw', $img) or die;
print $fh sprintf("ares sector %05u\n", $_) . ("\0" x 494) for 0 .. 16383;
close $fh;

my $vm = AresQemu->boot(initrd => 'build/tests/vblkkill.initrd', append => 'init.exit', timeout => 240,
			args => [ '--', '-drive', "file=$img,if=none,id=d0,format=raw",
				  '-device', 'virtio-blk-pci,drive=d0,serial=ARESDISK0' ]);
my (undef, $last, $reconnects) = $vm->expect(qr/^blkstress: wrote blocks 0-(\d+), (\d+) reconnects, \d+ retries\r?\n/m,
					     200, 'blkstress wrote its stream');
my $out = $vm->output;
like($out, qr/^blkkill: ok - restarted the driver five times/m, 'blkkill restarted the driver five times');
my $starts = () = $out =~ /^virtio-blk: \d+ blocks of 512 bytes.*serving blk0$/mg;
is($starts, 6, 'the driver came up six times');
unlike($out, qr/^(?:blkstress|blkkill): not ok/m, 'no client check failed');
unlike($out, qr/PANIC|EXCEPTION/, 'no kernel panic or exception');
is($vm->finish(60), 0, 'the run ends once both are done');

SKIP: {
	skip 'blkstress did not finish', 2 unless defined $last;
	open($fh, '<:raw', $img) or die;
	my ($bad, $touched) = (0, 0);
	for my $b (0 .. 16383) {
		read($fh, my $s, 512);
		if ($b <= $last) {
			$bad++ unless $s =~ /^blkstress block $b\n/;
		} else {
			$touched++ unless $s =~ /^ares sector @{[sprintf '%05u', $b]}\n/;
		}
	}
	is($bad, 0, "every block 0-$last holds what blkstress wrote");
	is($touched, 0, 'no block after it was touched');
}
done_testing();
