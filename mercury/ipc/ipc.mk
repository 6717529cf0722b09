# mercury/ipc: the interface language (docs/ipc.md) and its generator.
#
#   $(IPCGEN)                  the generator (host tool, mercury/ipc/ipcgen/*.c)
#   $(IPC_GEN)/<iface>_*.{c,h} generated from mercury/ipc/<iface>.ipc (and the
#                              test interfaces of tests/mercury/ipc/*.ipc)
#   $(IPC_GEN)/ipc_names_all.c the names table of the interfaces of the OS
#   $(B)/mercury/ipc/ares/     every generated file compiled for Ares
#                              (KT_CFLAGS), one object each, and
#                              libipc.a of the OS interfaces
# A program using interface X compiles with $(IPC_CFLAGS) and links the
# objects of X_client.c, X_server.c or X_names.c it needs.

IPC_DIR    := mercury/ipc
IPC_GEN    := $(B)/mercury/ipc/gen
IPC_ARES   := $(B)/mercury/ipc/ares
IPCGEN     := $(B)/mercury/ipc/ipcgen
IPCGEN_SRCS := $(wildcard $(IPC_DIR)/ipcgen/*.c)
IPC_CFLAGS := -I$(IPC_DIR) -I$(IPC_GEN)

# The interfaces of the OS, and those only tests use.
IPC_IFACES      := $(patsubst $(IPC_DIR)/%.ipc,%,$(wildcard $(IPC_DIR)/*.ipc))
IPC_TEST_IFACES := $(patsubst tests/mercury/ipc/%.ipc,%,$(wildcard tests/mercury/ipc/*.ipc))
IPC_KINDS  := client server names
ipc_gen_c  = $(foreach i,$(1),$(patsubst %,$(IPC_GEN)/$(i)_%.c,$(IPC_KINDS)))

$(IPCGEN): $(IPCGEN_SRCS) $(IPC_DIR)/ipcgen/ipcgen.h $(IPC_DIR)/ipc_names.h
	@mkdir -p $(@D)
	$(HOST_CC) $(HOST_CFLAGS) -Ikernel/include -o $@ $(IPCGEN_SRCS)

# One run writes all five files of an interface (a grouped pattern rule).
$(IPC_GEN)/%_client.c $(IPC_GEN)/%_client.h $(IPC_GEN)/%_server.c $(IPC_GEN)/%_server.h $(IPC_GEN)/%_names.c: $(IPC_DIR)/%.ipc $(IPCGEN)
	@mkdir -p $(@D)
	$(IPCGEN) -o $(@D) $<
$(IPC_GEN)/%_client.c $(IPC_GEN)/%_client.h $(IPC_GEN)/%_server.c $(IPC_GEN)/%_server.h $(IPC_GEN)/%_names.c: tests/mercury/ipc/%.ipc $(IPCGEN)
	@mkdir -p $(@D)
	$(IPCGEN) -o $(@D) $<

$(IPC_GEN)/ipc_names_all.c: $(wildcard $(IPC_DIR)/*.ipc) $(IPCGEN)
	@mkdir -p $(@D)
	$(IPCGEN) -a $@ $(filter %.ipc,$^)

# Every generated file compiles freestanding for Ares. The headers a .c
# includes are made by the same rule as the .c itself.
IPC_ARES_OBJS := $(patsubst $(IPC_GEN)/%.c,$(IPC_ARES)/%.o,\
  $(call ipc_gen_c,$(IPC_IFACES)) $(IPC_GEN)/ipc_names_all.c)
IPC_ARES_TEST_OBJS := $(patsubst $(IPC_GEN)/%.c,$(IPC_ARES)/%.o,$(call ipc_gen_c,$(IPC_TEST_IFACES)))

$(IPC_ARES)/%.o: $(IPC_GEN)/%.c
	@mkdir -p $(@D)
	$(KT_CC) $(KT_CFLAGS) $(IPC_CFLAGS) -c -o $@ $<

# The generated code needs nothing from the program but hl_ipc_buffer()
# (hl_call and friends are inline system calls).
$(IPC_ARES)/libipc.a: $(IPC_ARES_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(IPC_ARES)/symbols.ok: $(IPC_ARES_OBJS) $(IPC_ARES_TEST_OBJS)
	@undef=$$(nm -u $^ | awk 'NF==2{print $$2}' | sort -u); \
	def=$$(nm --defined-only $^ | awk 'NF==3{print $$3}' | sort -u); \
	for s in $$undef; do echo "$$def" | grep -qx "$$s" || [ $$s = hl_ipc_buffer ] || missing="$$missing $$s"; done; \
	if [ -n "$$missing" ]; then echo "ipc: generated code needs:$$missing"; exit 1; fi
	@touch $@

ALL += $(IPCGEN) $(IPC_ARES)/libipc.a $(IPC_ARES)/symbols.ok

# Host tests: the generator's bad-input cases, and the loopback round trip
# of generated code over a fake transport (tests/mercury/ipc/shim).
IPC_HOST_FLAGS := $(HOST_CFLAGS) -Itests/mercury/ipc/shim -Itests/lib -Ikernel/include \
  -Imercury/lib/include $(IPC_CFLAGS) -fsanitize=address,undefined -fno-sanitize-recover=all
IPC_LOOP_GEN := $(call ipc_gen_c,ipctest $(IPC_IFACES))

$(B)/tests/mercury-ipc-loopback.t: tests/mercury/ipc/loopback.c tests/mercury/ipc/shim/shim.c \
    tests/mercury/ipc/shim/mercury/hl.h $(IPC_LOOP_GEN) $(IPC_GEN)/ipc_names_all.c tests/lib/tap.h
	@mkdir -p $(@D)
	$(HOST_CC) $(IPC_HOST_FLAGS) -DIPC_OS_IFACES=$(words $(IPC_IFACES)) -o $@ $(filter %.c,$^)

CHECK_TESTS += $(B)/tests/mercury-ipc-loopback.t tests/mercury/ipc/ipcgen.t
