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
BUS_CFLAGS := $(KT_CFLAGS) $(IPC_CFLAGS) -I$(BUS_DIR)

# bus_serve.c includes the generated bus_server.h.
$(BUS_O)/bus_serve.o: $(IPC_GEN)/bus_server.h
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
