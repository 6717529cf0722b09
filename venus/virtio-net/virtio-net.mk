# venus/virtio-net: the virtio-net driver (drv/virtio-net), serving "net0"
# (netif.ipc), on venus/virtio's queues and transport.
ifdef mercury_prog
$(eval $(call venus_driver,virtio-net,venus/virtio-net/vnet.c $(VIRTIO_SRCS) $(NETDRV_SRCS),netif,-Ivenus/virtio))

# tests/qemu/nic.t: the driver and svc/netcheck, its client, the NIC on the test's UDP socket.
$(eval $(call os_test_prog,netcheck,tests/venus/virtio-net/netcheck.c,netif mem))
$(eval $(call boot_initrd,vnet,drv/virtio-net=$(MERC_PROG)/virtio-net.strip svc/netcheck=$(MERC_PROG)/netcheck.strip))
endif

# tests/qemu/blk.t: the disk and the NIC on one interrupt line (shared), svc/blkcheck on the disk.
ifdef mercury_prog
$(eval $(call boot_initrd,vblknet,drv/virtio-blk=$(MERC_PROG)/virtio-blk.strip \
  drv/virtio-net=$(MERC_PROG)/virtio-net.strip svc/blkcheck=$(MERC_PROG)/blkcheck.strip))
endif
