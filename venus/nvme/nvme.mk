# venus/nvme: the NVMe driver (drv/nvme), serving "blk0" (blockdev.ipc)
# through mercury/dev/blkdrv.c.
ifdef mercury_prog
$(eval $(call venus_driver,nvme,venus/nvme/nvme.c $(BLKDRV_SRCS),blockdev))

# tests/qemu/blk.t runs svc/blkcheck against it too.
$(eval $(call boot_initrd,nvme,drv/nvme=$(MERC_PROG)/nvme.strip svc/blkcheck=$(MERC_PROG)/blkcheck.strip))
endif
