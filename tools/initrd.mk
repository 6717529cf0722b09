# The initrd: a ustar archive of user programs and /etc, passed to QEMU
# with -initrd. Components add files with
#   INITRD_FILES += <path in archive>=<built or source file>
INITRD := $(B)/initrd.tar
INITRD_FILES += etc/motd=gaia/etc/motd etc/hostname=gaia/etc/hostname

$(INITRD): $(foreach f,$(INITRD_FILES),$(lastword $(subst =, ,$(f)))) tools/mkinitrd
	tools/mkinitrd $@ $(INITRD_FILES)

ALL += $(INITRD)
