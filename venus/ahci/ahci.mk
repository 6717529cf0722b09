# venus/ahci: the AHCI (SATA) driver (drv/ahci), serving "blk0"
# (blockdev.ipc) through mercury/dev/blkdrv.c.
ifdef mercury_prog
$(eval $(call venus_driver,ahci,venus/ahci/ahci.c $(BLKDRV_SRCS),blockdev))

# tests/qemu/blk.t runs svc/blkcheck against it too.
$(eval $(call boot_initrd,ahci,drv/ahci=$(MERC_PROG)/ahci.strip svc/blkcheck=$(MERC_PROG)/blkcheck.strip))
endif
