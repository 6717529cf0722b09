# venus/rtc: the CMOS real-time clock driver (drv/rtc), serving "clock".
# cmos.c is portable and host-tested against a simulated chip.
ifdef mercury_prog
$(eval $(call mercury_prog,rtc,venus/rtc/rtc.c venus/rtc/cmos.c,$(IPC_CFLAGS) -Ivenus/rtc,$(IPC_ARES)/libipc.a))
$(MERC_PROG)/rtc/venus/rtc/rtc.c.o: $(IPC_GEN)/clock_server.h $(IPC_GEN)/bus_client.h
INITRD_FILES += drv/rtc=$(MERC_PROG)/rtc.strip

# tests/qemu/rtc.t: the boot path with the driver and svc/clockcheck, its client.
$(eval $(call os_test_prog,clockcheck,tests/venus/rtc/clockcheck.c,clock))
$(eval $(call boot_initrd,rtc,drv/rtc=$(MERC_PROG)/rtc.strip svc/clockcheck=$(MERC_PROG)/clockcheck.strip))
endif
$(eval $(call host_test,venus-rtc-cmos,tests/venus/rtc/cmos.c venus/rtc/cmos.c,))
$(B)/tests/venus-rtc-cmos.t: HOST_CFLAGS += -Ivenus/rtc
