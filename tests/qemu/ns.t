#!/usr/bin/perl
# The namespace and file API (mercury/fs/file.h, ns.c, file.c): svc/nstest
# mounts two ramfs servers, binds a union directory, reads, writes, seeks
# and unmounts (tests/gaia/fs/nstest.c); we relay its TAP.
use strict;
use warnings;
use lib 'tests/lib';
use AresQemu;
use Test::More;

my $vm = AresQemu::relay_tap(name => 'ns', initrd => 'build/tests/gaia/ns.initrd', append => 'init.exit',
			     timeout => 120);
like($vm->output, qr/^ramfs: serving fs\/ram2 /m, 'the same program serves fs/ram2 under another name');
unlike($vm->output, qr/PANIC|EXCEPTION/, 'ns: no kernel panic or exception');
done_testing();
