# venus/uart16550: the 16550A serial driver for COM2 (drv/uart16550),
# serving "char/com2". uart.c is portable and host-tested.
ifdef mercury_prog
$(eval $(call venus_driver,uart16550,venus/uart16550/uart16550.c venus/uart16550/uart.c $(DRV_SRCS),chardev,-Ivenus/uart16550))

# tests/qemu/uart.t: the driver and svc/serialcheck, its client, with COM2 on a socket.
$(eval $(call os_test_prog,serialcheck,tests/venus/uart16550/serialcheck.c,chardev))
$(eval $(call boot_initrd,uart,drv/uart16550=$(MERC_PROG)/uart16550.strip svc/serialcheck=$(MERC_PROG)/serialcheck.strip))
endif
$(eval $(call host_test,venus-uart,tests/venus/uart16550/uart.c venus/uart16550/uart.c,))
$(B)/tests/venus-uart.t: HOST_CFLAGS += -Ivenus/uart16550
