#!/usr/bin/perl
# The network drivers (venus/virtio-net, venus/e1000; mercury/dev/netdrv.c):
# QEMU's socket netdev joins the NIC to this test's UDP socket, so every
# frame the guest sends arrives here and every datagram we send arrives as
# a frame. svc/netcheck (tests/venus/virtio-net) sends five frames we
# check, then receives five of ours (after a runt the driver must drop)
# and echoes each back. Once per NIC model.
use strict;
use warnings;
use lib 'tests/lib';
use AresQemu;
use IO::Socket::INET;
use Test::More;

my @nics = (
	# driver, QEMU device, initrd, its grant, promiscuous's status
	[ 'virtio-net', 'virtio-net-pci', 'build/tests/vnet.initrd',
	  qr/id=1af4:1000 bar4=\S+ irq=\w+ dma=10000 vio1=/, 12 ],
	[ 'e1000', 'e1000', 'build/tests/e1000.initrd', qr/id=8086:100e bar0=mem:\w+:20000 irq=\w+ dma=14000\r?\n/, 0 ],
);

for my $nic (@nics) {
	my ($drv, $model, $initrd, $grant, $promisc) = @$nic;
	my $sock = IO::Socket::INET->new(Proto => 'udp', LocalAddr => '127.0.0.1', LocalPort => 0) or die "udp: $!";
	my $host_port = $sock->sockport;
	my $probe = IO::Socket::INET->new(Proto => 'udp', LocalAddr => '127.0.0.1', LocalPort => 0) or die;
	my $guest_port = $probe->sockport;	# a free port for QEMU's end
	close $probe;
	my $mac = '52:54:00:ae:00:01';
	my $vm = AresQemu->boot(initrd => $initrd, append => 'init.exit', timeout => 120,
				args => [ '--', '-netdev', "socket,id=n0,udp=127.0.0.1:$host_port,localaddr=127.0.0.1:$guest_port",
					  '-device', "$model,netdev=n0,mac=$mac" ]);
	my $frame_in = sub {
		my ($t) = @_;
		my $rin = '';
		vec($rin, fileno($sock), 1) = 1;
		return undef unless select(my $rout = $rin, undef, undef, $t);
		$sock->recv(my $f, 2048);
		return $f;
	};
	my $macbin = pack('H2' x 6, split /:/, $mac);
	$vm->expect(qr/^netcheck: sent 5\r?\n/m, 60, "$drv: netcheck sent its frames");
	my @got;
	while (@got < 5 && defined(my $f = $frame_in->(10))) {
		push @got, $f if substr($f, 12, 2) eq "\x88\xb5";
	}
	is(scalar @got, 5, "$drv: five frames reached the wire");
	for my $i (0 .. 4) {
		my $f = $got[$i] // '';
		ok(substr($f, 0, 6) eq "\xff" x 6 && substr($f, 6, 6) eq $macbin && substr($f, 14) =~ /^netcheck frame $i/ &&
		   length($f) >= 60, "$drv: frame $i: broadcast, from the NIC's address, its text, padded to 60 bytes");
	}
	my $src = pack('H2' x 6, qw(02 00 00 00 00 42));
	my $to = sockaddr_in($guest_port, inet_aton('127.0.0.1'));
	$sock->send("short runt", 0, $to);	# 10 bytes: no Ethernet header, dropped
	for my $i (0 .. 4) {
		my $payload = "host frame $i";
		$sock->send($macbin . $src . "\x88\xb5" . $payload . ("\0" x (46 - length $payload)), 0, $to);
	}
	my $echoes = 0;
	while ($echoes < 5 && defined(my $f = $frame_in->(20))) {
		$echoes++ if substr($f, 0, 6) eq $src && substr($f, 14) =~ /^echo: host frame $echoes/;
	}
	is($echoes, 5, "$drv: every frame we sent came back echoed, in order, addressed to us");
	$vm->expect(qr/^netcheck: done, \d+ failed\r?\n/m, 30, "$drv: netcheck ran to its end");
	my $out = $vm->output;
	like($out, qr/^\Q$drv\E: \Q$mac\E, link up, .*serving net0$/m, "$drv: the driver found the NIC, link up");
	like($out, qr/^devmgr: \Q$drv\E for \S+ started \(pid \d+\) with pci=\S+ $grant/m,
	     "$drv: its grant: its registers, the IRQ and DMA memory, nothing else");
	like($out, qr/^netcheck: promiscuous $promisc$/m, "$drv: promiscuous mode answers $promisc");
	for my $what ('find net0 on the bus', 'info: a MAC address and MTU 1500', 'send before a buffer is shared: E_NOCAP',
		      'share a console cap: E_NOCAP', 'allocate a 16 KiB buffer', 'share it with the driver',
		      'send 13 bytes (shorter than a header): E_RANGE', 'send 1515 bytes (over the MTU): E_RANGE',
		      'send past the buffer\'s end: E_RANGE', 'receive where a frame would not fit: E_RANGE',
		      'receive with nothing there, no wait: E_AGAIN', 'receive with nothing there, 50 ms: E_AGAIN',
		      'send five frames', 'received the test\'s five frames (the runt before them dropped) and echoed each') {
		like($out, qr/^netcheck: ok - \Q$what\E /m, "$drv: netif: $what");
	}
	unlike($out, qr/^netcheck: not ok/m, "$drv: no client check failed");
	unlike($out, qr/PANIC|EXCEPTION|\Q$drv\E: missing/, "$drv: no panic, and the driver had its caps");
	is($vm->finish(30), 0, "$drv: the run ends once netcheck is done");
}
done_testing();
