# venus/virtio-blk: the virtio-blk driver (drv/virtio-blk), serving "blk0"
# (blockdev.ipc), on venus/virtio's queues and transport.
ifdef mercury_prog
$(eval $(call venus_driver,virtio-blk,venus/virtio-blk/vblk.c $(VIRTIO_SRCS) $(BLKDRV_SRCS),blockdev,-Ivenus/virtio))

# tests/qemu/blk.t: the driver and svc/blkcheck, its client, on a disk image the test makes.
$(eval $(call os_test_prog,blkcheck,tests/venus/virtio-blk/blkcheck.c,blockdev mem))
$(eval $(call boot_initrd,vblk,drv/virtio-blk=$(MERC_PROG)/virtio-blk.strip svc/blkcheck=$(MERC_PROG)/blkcheck.strip))
endif

# tests/qemu/vblkkill.t: svc/blkstress writes while svc/blkkill restarts the driver.
ifdef mercury_prog
$(eval $(call os_test_prog,blkstress,tests/venus/virtio-blk/blkstress.c,blockdev mem))
$(eval $(call os_test_prog,blkkill,tests/venus/virtio-blk/blkkill.c,devmgr))
$(eval $(call boot_initrd,vblkkill,drv/virtio-blk=$(MERC_PROG)/virtio-blk.strip \
  svc/blkstress=$(MERC_PROG)/blkstress.strip svc/blkkill=$(MERC_PROG)/blkkill.strip))
endif
