# venus/ps2kbd: the PS/2 keyboard driver (drv/ps2kbd), serving "input/kbd".
# keymap.c is portable and host-tested.
ifdef mercury_prog
$(eval $(call venus_driver,ps2kbd,venus/ps2kbd/ps2kbd.c venus/ps2kbd/keymap.c $(DRV_SRCS),input,-Ivenus/ps2kbd))

# tests/qemu/ps2kbd.t: the driver and svc/keycheck, keys sent through QEMU's monitor.
$(eval $(call os_test_prog,keycheck,tests/venus/ps2kbd/keycheck.c,input))
$(eval $(call boot_initrd,ps2kbd,drv/ps2kbd=$(MERC_PROG)/ps2kbd.strip svc/keycheck=$(MERC_PROG)/keycheck.strip))
endif
$(eval $(call host_test,venus-ps2-keymap,tests/venus/ps2kbd/keymap.c venus/ps2kbd/keymap.c,))
$(B)/tests/venus-ps2-keymap.t: HOST_CFLAGS += -Ivenus/ps2kbd
