# venus/e1000: the 82540EM driver (drv/e1000), serving "net0" (netif.ipc)
# through mercury/dev/netdrv.c.
ifdef mercury_prog
$(eval $(call venus_driver,e1000,venus/e1000/e1000.c $(NETDRV_SRCS),netif))

# tests/qemu/nic.t: the driver and svc/netcheck (venus/virtio-net/virtio-net.mk) on the test's UDP socket.
$(eval $(call boot_initrd,e1000,drv/e1000=$(MERC_PROG)/e1000.strip svc/netcheck=$(MERC_PROG)/netcheck.strip))
endif
