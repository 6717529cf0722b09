# venus/uart16550: the 16550A serial driver for COM2 (drv/uart16550),
# serving "char/com2". uart.c is portable and host-tested.
ifdef mercury_prog
$(eval $(call mercury_prog,uart16550,venus/uart16550/uart16550.c venus/uart16550/uart.c mercury/dev/drvserve.c,$(IPC_CFLAGS) -Ivenus/uart16550 -Imercury/dev,$(IPC_ARES)/libipc.a))
$(MERC_PROG)/uart16550/venus/uart16550/uart16550.c.o: $(IPC_GEN)/chardev_server.h $(IPC_GEN)/bus_client.h
INITRD_FILES += drv/uart16550=$(MERC_PROG)/uart16550.strip

# tests/qemu/uart.t: the driver and svc/serialcheck, its client, with COM2 on a socket.
$(eval $(call mercury_prog,serialcheck,tests/venus/uart16550/serialcheck.c,$(IPC_CFLAGS),$(IPC_ARES)/libipc.a))
$(MERC_PROG)/serialcheck/tests/venus/uart16550/serialcheck.c.o: $(IPC_GEN)/chardev_client.h $(IPC_GEN)/bus_client.h
$(B)/tests/uart.initrd: $(MERC_PROG)/init.strip $(MERC_PROG)/devmgr.strip $(MERC_PROG)/bus.strip \
  $(MERC_PROG)/uart16550.strip $(MERC_PROG)/serialcheck.strip tools/mkinitrd
	@mkdir -p $(@D)
	tools/mkinitrd $@ boot/init=$(MERC_PROG)/init.strip sbin/devmgr=$(MERC_PROG)/devmgr.strip \
	  sbin/bus=$(MERC_PROG)/bus.strip drv/uart16550=$(MERC_PROG)/uart16550.strip \
	  svc/serialcheck=$(MERC_PROG)/serialcheck.strip
ALL += $(B)/tests/uart.initrd
endif
$(eval $(call host_test,venus-uart,tests/venus/uart16550/uart.c venus/uart16550/uart.c,))
$(B)/tests/venus-uart.t: HOST_CFLAGS += -Ivenus/uart16550
