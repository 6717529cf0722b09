# venus/rtc: the CMOS real-time clock driver (drv/rtc), serving "clock".
# cmos.c is portable and host-tested against a simulated chip.
ifdef mercury_prog
$(eval $(call venus_driver,rtc,venus/rtc/rtc.c venus/rtc/cmos.c,clock,-Ivenus/rtc))

# tests/qemu/rtc.t: the boot path with the driver and svc/clockcheck, its client.
$(eval $(call os_test_prog,clockcheck,tests/venus/rtc/clockcheck.c,clock))
$(eval $(call boot_initrd,rtc,drv/rtc=$(MERC_PROG)/rtc.strip svc/clockcheck=$(MERC_PROG)/clockcheck.strip))
endif
$(eval $(call host_test,venus-rtc-cmos,tests/venus/rtc/cmos.c venus/rtc/cmos.c,))
$(B)/tests/venus-rtc-cmos.t: HOST_CFLAGS += -Ivenus/rtc
