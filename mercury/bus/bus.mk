# mercury/bus: the service bus (docs/mercury-bus.md).
#
#   $(BUS_OBJS)            the bus server, compiled for Ares (KT_CFLAGS), for
#                          any program hosting a bus: the bus program and tests
#   $(B)/tests/mercury-bus-policy.t   host test of policy and tables
#   $(B)/tests/mercury/bus/bustest.initrd  the in-OS suite (tests/qemu/bus.t)

BUS_DIR   := mercury/bus
BUS_O     := $(B)/mercury/bus
BUS_SRCS  := bus_policy bus_table bus_serve
BUS_OBJS  := $(patsubst %,$(BUS_O)/%.o,$(BUS_SRCS))
# mercury/bus/ is read before mercury/ipc/ and mercury/rt/: their variables
# are used only in recipes (expanded late) and prerequisites are spelled out.
BUS_CFLAGS = $(KT_CFLAGS) $(IPC_CFLAGS) -I$(BUS_DIR)
BUS_IPC_GEN := $(B)/mercury/ipc/gen
BUS_LIBS := $(B)/mercury/ipc/ares/libipc.a $(B)/mercury/rt/librt.a
BUS_KT_COMMON := $(patsubst %,$(B)/%.o,$(wildcard tests/kernel/common/*.c))

# bus_serve.c includes the generated bus_server.h.
$(BUS_O)/bus_serve.o: $(BUS_IPC_GEN)/bus_server.h
$(BUS_O)/%.o: $(BUS_DIR)/%.c
	@mkdir -p $(@D)
	$(KT_CC) $(BUS_CFLAGS) -c -o $@ $<

ALL += $(BUS_OBJS)

$(B)/tests/mercury-bus-policy.t: tests/mercury/bus/policy.c $(BUS_DIR)/bus_policy.c $(BUS_DIR)/bus_table.c \
    $(BUS_DIR)/bus_policy.h $(BUS_DIR)/bus_table.h tests/lib/tap.h
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) -fsanitize=address,undefined -fno-sanitize-recover=all \
	  -Itests/lib -Ikernel/include -Imercury/lib/include -I$(BUS_DIR) -o $@ $(filter %.c,$^)
CHECK_TESTS += $(B)/tests/mercury-bus-policy.t

# The in-OS suite: a root task on mercury/rt with the bus on threads.
BT_SRCS := $(wildcard tests/mercury/bus/suite/*.c)
BT_OBJS := $(patsubst %,$(B)/%.o,$(BT_SRCS))
$(BT_OBJS): $(B)/%.c.o: %.c $(BUS_IPC_GEN)/bus_client.h
	@mkdir -p $(@D)
	$(KT_CC) $(BUS_CFLAGS) -Itests/kernel/common -c -o $@ $<
$(B)/tests/mercury/bus/bustest.elf: $(BT_OBJS) $(BUS_OBJS) $(BUS_KT_COMMON) $(BUS_LIBS) mercury/rt/user.ld
	$(KT_CC) $(KT_LDFLAGS) -o $@ $(BT_OBJS) $(BUS_OBJS) $(BUS_KT_COMMON) $(BUS_LIBS)
$(B)/tests/mercury/bus/bustest.initrd: $(B)/tests/mercury/bus/bustest.elf tools/mkinitrd
	objcopy --strip-debug $< $<.strip
	tools/mkinitrd $@ boot/bustest=$<.strip
ALL += $(B)/tests/mercury/bus/bustest.initrd
BENCH_TESTS += tests/mercury/bus/bus-bench

# The bus program, sbin/bus in the initrd (mercury/bus/main.c): the same
# server in a process of its own, started by Gaia's init.
$(eval $(call mercury_prog,bus,$(addprefix $(BUS_DIR)/,main.c bus_policy.c bus_table.c bus_serve.c),\
  $(IPC_CFLAGS) -I$(BUS_DIR),$(IPC_ARES)/libipc.a))
$(MERC_PROG)/bus/$(BUS_DIR)/bus_serve.c.o: $(BUS_IPC_GEN)/bus_server.h
INITRD_FILES += sbin/bus=$(MERC_PROG)/bus.strip

# The process area of tests/qemu/bus.t: init starts the bus, devmgr and the
# svc/ programs crashy (a server that faults) and busclient (calls it
# through the bus, and devmgr, then watches crashy die).
BUSP := tests/mercury/bus/proc
$(eval $(call mercury_prog,bus-crashy,$(BUSP)/crashy.c,$(IPC_CFLAGS),$(IPC_ARES)/libipc.a))
$(eval $(call mercury_prog,bus-client,$(BUSP)/busclient.c,$(IPC_CFLAGS),$(IPC_ARES)/libipc.a))
$(MERC_PROG)/bus-crashy/$(BUSP)/crashy.c.o: $(BUS_IPC_GEN)/bus_client.h
$(MERC_PROG)/bus-client/$(BUSP)/busclient.c.o: $(BUS_IPC_GEN)/bus_client.h $(BUS_IPC_GEN)/devmgr_client.h
$(B)/tests/mercury/bus/busproc.initrd: $(MERC_PROG)/init.strip $(MERC_PROG)/bus.strip $(MERC_PROG)/devmgr.strip \
  $(MERC_PROG)/bus-crashy.strip $(MERC_PROG)/bus-client.strip $(BUSP)/bus.rules tools/mkinitrd
	@mkdir -p $(@D)
	tools/mkinitrd $@ boot/init=$(MERC_PROG)/init.strip sbin/bus=$(MERC_PROG)/bus.strip \
	  sbin/devmgr=$(MERC_PROG)/devmgr.strip svc/busclient=$(MERC_PROG)/bus-client.strip \
	  svc/crashy=$(MERC_PROG)/bus-crashy.strip etc/bus.rules=$(BUSP)/bus.rules
ALL += $(B)/tests/mercury/bus/busproc.initrd
