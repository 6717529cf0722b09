# venus/e1000: the 82540EM driver (drv/e1000), serving "net0" (netif.ipc)
# through mercury/dev/netdrv.c.
ifdef mercury_prog
NETDRV_SRCS := mercury/dev/netdrv.c mercury/dev/drvserve.c mercury/dev/drvbuf.c
E1000_SRCS := venus/e1000/e1000.c $(NETDRV_SRCS)
$(eval $(call mercury_prog,e1000,$(E1000_SRCS),$(IPC_CFLAGS) -Imercury/dev,$(IPC_ARES)/libipc.a))
$(patsubst %,$(MERC_PROG)/e1000/%.o,$(E1000_SRCS)): $(IPC_GEN)/netif_server.h $(IPC_GEN)/bus_client.h \
  $(IPC_GEN)/mem_client.h
INITRD_FILES += drv/e1000=$(MERC_PROG)/e1000.strip

# tests/qemu/nic.t: the driver and svc/netcheck (venus/virtio-net/virtio-net.mk) on the test's UDP socket.
$(eval $(call boot_initrd,e1000,drv/e1000=$(MERC_PROG)/e1000.strip svc/netcheck=$(MERC_PROG)/netcheck.strip))
endif
