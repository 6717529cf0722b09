#!/usr/bin/perl
# The block drivers (venus/virtio-blk, venus/nvme, venus/ahci; mercury/dev/blkdrv.c):
# devmgr matches the device, init starts the driver with its BAR, IRQ, DMA
# memory and mem cap, and it serves "blk0"; svc/blkcheck
# (tests/venus/virtio-blk) shares a buffer and reads the blocks this test
# wrote on the image, writes blocks that the test then finds in the image
# file, and tries every refusal. A transitional virtio-blk read-write, a
# virtio-1-only one read-only, an NVMe controller and an AHCI one.
use strict;
use warnings;
use lib 'tests/lib';
use AresQemu;
use File::Temp qw(tempdir);
use Test::More;

my $dir = tempdir(CLEANUP => 1);

# An 8 MiB image whose block i starts with "ares sector NNNNN\n".
sub make_image {
	my ($path) = @_;
	open(my $fh, '>:raw', $path) or die "$path: $!";
	for my $i (0 .. 16383) {
		my $s = sprintf("ares sector %05u\n", $i);
		print $fh $s . ("\0" x (512 - length $s));
	}
	close $fh;
}

sub block {
	my ($path, $i) = @_;
	open(my $fh, '<:raw', $path) or die "$path: $!";
	seek($fh, $i * 512, 0);
	read($fh, my $b, 512);
	return $b;
}

my @cases = (
	# name, initrd, device, devmgr's match, driver, grant, model, read-only
	[ 'virtio-blk', 'vblk', 'virtio-blk-pci,drive=d0,serial=ARESDISK0', '1af4:1001 class 01.00.00', 'virtio-blk',
	  qr/bar4=mem:\w+:\w+ irq=\w+ dma=4000 vio1=4:\w+:\w+ vio2=4:\w+:\w+:\w+ vio3=4:\w+:\w+ vio4=4:\w+:\w+/, 'ARESDISK0', 0 ],
	[ 'virtio-blk read-only', 'vblk', 'virtio-blk-pci,drive=d0,serial=ARESDISK0,disable-legacy=on',
	  '1af4:1042 class 01.00.00', 'virtio-blk', qr/bar4=mem:\w+:\w+ irq=\w+ dma=4000 vio1=/, 'ARESDISK0', 1 ],
	[ 'nvme', 'nvme', 'nvme,drive=d0,serial=ARESDISK0', '1b36:0010 class 01.08.02', 'nvme',
	  qr/bar0=mem:\w+:\w+ irq=\w+ dma=10000/, 'QEMU NVMe Ctrl', 0 ],
	[ 'virtio-blk sharing a line', 'vblknet',
	  'virtio-blk-pci,drive=d0,serial=ARESDISK0,addr=4 -device virtio-net-pci,netdev=n0,addr=3', '1af4:1001 class 01.00.00',
	  'virtio-blk', qr/bar4=mem:\w+:\w+ irq=b dma=4000 vio1=/, 'ARESDISK0', 0 ],
	[ 'ahci', 'ahci', 'ahci,id=ahci -device ide-hd,drive=d0,bus=ahci.0,serial=ARESDISK0', '8086:2922 class 01.06.01',
	  'ahci', qr/bar5=mem:\w+:1000 irq=\w+ dma=4000/, 'QEMU HARDDISK', 0 ],
);
for my $case (@cases) {
	my ($name, $initrd, $dev, $match, $drv, $grant, $model, $ro) = @$case;
	my $img = "$dir/$initrd-$ro.img";
	make_image($img);
	my $drive = "file=$img,if=none,id=d0,format=raw" . ($ro ? ',readonly=on' : '');
	my $vm = AresQemu->boot(initrd => "build/tests/$initrd.initrd", append => 'init.exit', timeout => 90,
				args => [ '--', $dev =~ /netdev=n0/ ? ('-netdev', 'user,id=n0') : (), '-drive', $drive,
					  map { ('-device', $_) } split / -device /, $dev ]);
	$vm->expect(qr/^blkcheck: done, \d+ failed\r?\n/m, 60, "$name: blkcheck ran to its end");
	my $out = $vm->output;
	like($out, qr/^devmgr: \S+ $match .*: driver $drv$/m, "$name: devmgr matches $match to drv/$drv");
	like($out, qr/^devmgr: $drv for \S+ started \(pid \d+\) with pci=\S+ id=\S+ $grant/m,
	     "$name: its grant: its registers, the IRQ, DMA memory (and the virtio structures' map)");
	like($out, qr/^\Q$drv\E: 16384 blocks of 512 bytes\Q@{[ $ro ? ' (read-only)' : '' ]}\E, '\Q$model\E', serving blk0$/m,
	     "$name: the driver found the disk");
	like($out, qr/^blkcheck: model '\Q$model\E'$/m, "$name: info: the model is '$model'");
	like($out, qr/^devmgr: virtio-net for \S+ started \(pid \d+\) with .* irq=b /m, "$name: the NIC on the same line (11)")
		if $initrd eq 'vblknet';
	like($out, qr/^blkcheck: read-only $ro$/m, "$name: read-only is $ro");
	my @checks = ('find blk0 on the bus', 'info: 16384 blocks of 512 bytes', 'a read before a buffer is shared: E_NOCAP', 'share a console cap: E_NOCAP', 'allocate a 64 KiB buffer',
		      'share it with the driver', 'read blocks 0-127 into it', 'every block holds what the host wrote',
		      'read the last block at an offset', 'read 0 blocks: E_RANGE', 'read past the end: E_RANGE',
		      'read across the end: E_RANGE', 'a huge block number (no overflow): E_RANGE',
		      'more than the buffer holds: E_RANGE', 'past the buffer\'s end at an offset: E_RANGE',
		      'a huge offset: E_RANGE', 'flush', 'our mapping goes (the driver keeps the buffer)',
		      $ro ? ('a write to a read-only disk: E_PERM')
			  : ('write blocks 1000-1015', 'read them back into another part of the buffer', 'write block 2000'));
	for my $what (@checks) {
		like($out, qr/^blkcheck: ok - \Q$what\E /m, "$name: blockdev: $what");
	}
	unlike($out, qr/^blkcheck: not ok/m, "$name: no client check failed");
	unlike($out, qr/PANIC|EXCEPTION|\Q$drv\E: missing/, "$name: no panic, and the driver had its caps");
	is($vm->finish(30), 0, "$name: the run ends once blkcheck is done");
	if ($ro) {
		like(block($img, 1000), qr/^ares sector 01000\n/, "$name: the image is unchanged");
	} else {
		my $bad = grep { block($img, 1000 + $_) !~ /^blkcheck wrote block @{[1000 + $_]}\n/ } 0 .. 15;
		is($bad, 0, "$name: blocks 1000-1015 hold what Ares wrote");
		like(block($img, 2000), qr/^blkcheck done\n/, "$name: and block 2000");
		like(block($img, 999), qr/^ares sector 00999\n/, "$name: the blocks around are untouched");
		like(block($img, 1016), qr/^ares sector 01016\n/, "$name: on both sides");
	}
}
# Two disks of one driver: numbered names (the manifest's "serve blk*").
{
	my ($a, $b) = ("$dir/two-a.img", "$dir/two-b.img");
	make_image($a);
	make_image($b);
	my $vm = AresQemu->boot(initrd => 'build/tests/vblk.initrd', append => 'init.exit', timeout => 90,
				args => [ '--', '-drive', "file=$a,if=none,id=a,format=raw", '-device', 'virtio-blk-pci,drive=a,serial=ONE',
					  '-drive', "file=$b,if=none,id=b,format=raw", '-device', 'virtio-blk-pci,drive=b,serial=TWO' ]);
	$vm->expect(qr/^blkcheck: done, \d+ failed\r?\n/m, 60, 'two disks: blkcheck ran on blk0');
	my $out = $vm->output;
	my %served = map { $_ => 1 } $out =~ /^virtio-blk: .* serving (blk\d)$/mg;
	ok($served{blk0} && $served{blk1}, 'two disks: one driver each, serving blk0 and blk1');
	is($vm->finish(30), 0, 'two disks: the run ends');
}
done_testing();
