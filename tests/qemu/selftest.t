#!/usr/bin/perl
# The kernel's boot self-tests (kernel/selftest.c), printed as TAP in the guest.
use strict;
use warnings;
use lib 'tests/lib';
use AresQemu;
use Test::More;

AresQemu::relay_tap(name => 'kernel selftest', initrd => 'build/initrd.tar', append => 'selftest', timeout => 30);
done_testing();
