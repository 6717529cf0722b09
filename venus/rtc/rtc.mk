# venus/rtc: the CMOS real-time clock driver (drv/rtc), serving "clock".
# cmos.c is portable and host-tested against a simulated chip.
ifdef mercury_prog
$(eval $(call mercury_prog,rtc,venus/rtc/rtc.c venus/rtc/cmos.c,$(IPC_CFLAGS) -Ivenus/rtc,$(IPC_ARES)/libipc.a))
$(MERC_PROG)/rtc/venus/rtc/rtc.c.o: $(IPC_GEN)/clock_server.h $(IPC_GEN)/bus_client.h
INITRD_FILES += drv/rtc=$(MERC_PROG)/rtc.strip

# tests/qemu/rtc.t: the boot path with the driver and svc/clockcheck, its client.
$(eval $(call mercury_prog,clockcheck,tests/venus/rtc/clockcheck.c,$(IPC_CFLAGS),$(IPC_ARES)/libipc.a))
$(MERC_PROG)/clockcheck/tests/venus/rtc/clockcheck.c.o: $(IPC_GEN)/clock_client.h $(IPC_GEN)/bus_client.h
$(B)/tests/rtc.initrd: $(MERC_PROG)/init.strip $(MERC_PROG)/devmgr.strip $(MERC_PROG)/bus.strip \
  $(MERC_PROG)/rtc.strip $(MERC_PROG)/clockcheck.strip tools/mkinitrd
	@mkdir -p $(@D)
	tools/mkinitrd $@ boot/init=$(MERC_PROG)/init.strip sbin/devmgr=$(MERC_PROG)/devmgr.strip \
	  sbin/bus=$(MERC_PROG)/bus.strip drv/rtc=$(MERC_PROG)/rtc.strip svc/clockcheck=$(MERC_PROG)/clockcheck.strip
ALL += $(B)/tests/rtc.initrd
endif
$(eval $(call host_test,venus-rtc-cmos,tests/venus/rtc/cmos.c venus/rtc/cmos.c,))
$(B)/tests/venus-rtc-cmos.t: HOST_CFLAGS += -Ivenus/rtc
