#!/usr/bin/perl
# The file protocol (mercury/ipc/fs.ipc, mercury/fs/fsserve.c) served by
# ramfs (gaia/ramfs): svc/fstest walks, creates, reads and writes (inline
# and through a shared buffer), reads directories, renames, truncates,
# removes, passes an open file to bin/fchild and tries every refusal
# (tests/gaia/fs); we relay its TAP. Then init ends the run (init.exit).
use strict;
use warnings;
use lib 'tests/lib';
use AresQemu;
use Test::More;

my $vm = AresQemu::relay_tap(name => 'ramfs', initrd => 'build/tests/gaia/ramfs.initrd', append => 'init.exit',
			     timeout => 120);
like($vm->output, qr/^ramfs: serving fs\/ram \(1024 files, 512 KiB\)$/m, 'ramfs registered fs/ram');
unlike($vm->output, qr/PANIC|EXCEPTION/, 'ramfs: no kernel panic or exception');
done_testing();
