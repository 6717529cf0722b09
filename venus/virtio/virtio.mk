# venus/virtio: what virtio drivers share: split virtqueues (virtq.c,
# portable, host-tested against a simulated device) and the modern PCI
# transport over a driver's mapped BAR (vpci.c); drivers list them as
# $(VIRTIO_SRCS) (mercury/dev/dev.mk).
$(eval $(call host_test,venus-virtq,tests/venus/virtio/virtq.c venus/virtio/virtq.c,))
$(B)/tests/venus-virtq.t: HOST_CFLAGS += -Ivenus/virtio -Imercury/lib/include -fsanitize=address,undefined
