# venus/virtio-net: the virtio-net driver (drv/virtio-net), serving "net0"
# (netif.ipc), on venus/virtio's queues and transport.
ifdef mercury_prog
VNET_SRCS := venus/virtio-net/vnet.c venus/virtio/virtq.c venus/virtio/vpci.c mercury/dev/netdrv.c \
  mercury/dev/drvserve.c mercury/dev/drvbuf.c mercury/dev/devmgr.c mercury/dev/manifest.c mercury/dev/pci.c
$(eval $(call mercury_prog,virtio-net,$(VNET_SRCS),$(IPC_CFLAGS) -Ivenus/virtio -Imercury/dev,$(IPC_ARES)/libipc.a))
$(patsubst %,$(MERC_PROG)/virtio-net/%.o,$(VNET_SRCS)): $(IPC_GEN)/netif_server.h $(IPC_GEN)/bus_client.h \
  $(IPC_GEN)/mem_client.h
INITRD_FILES += drv/virtio-net=$(MERC_PROG)/virtio-net.strip

# tests/qemu/nic.t: the driver and svc/netcheck, its client, the NIC on the test's UDP socket.
$(eval $(call os_test_prog,netcheck,tests/venus/virtio-net/netcheck.c,netif mem))
$(eval $(call boot_initrd,vnet,drv/virtio-net=$(MERC_PROG)/virtio-net.strip svc/netcheck=$(MERC_PROG)/netcheck.strip))
endif

# tests/qemu/blk.t: the disk and the NIC on one interrupt line (shared), svc/blkcheck on the disk.
ifdef mercury_prog
$(eval $(call boot_initrd,vblknet,drv/virtio-blk=$(MERC_PROG)/virtio-blk.strip \
  drv/virtio-net=$(MERC_PROG)/virtio-net.strip svc/blkcheck=$(MERC_PROG)/blkcheck.strip))
endif
