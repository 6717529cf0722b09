# tests/mercury/ipc/inos: the in-OS round trip of a generated interface
# (ipctest.ipc) between two processes, run by tests/qemu/ipc.t. The root
# task boot/ipcinos (the client) spawns ipc/server from its initrd.
# Read from tests/mercury/ipcinos.mk, after mercury/ipc/ipc.mk and
# mercury/lib/lib.mk, whose IPC_* variables and mercury_prog it uses.
IPCINOS := tests/mercury/ipc/inos
IPCINOS_GEN = $(B)/mercury/ipc/ares
# -Itests/mercury: inos.h, the in-OS suites' TAP and initrd helpers (inos.c).
IPCINOS_CFLAGS = $(IPC_CFLAGS) -Itests/mercury

$(eval $(call mercury_prog,ipcinos,$(IPCINOS)/ipcinos.c $(IPCINOS)/cases.c tests/mercury/inos.c,\
  $(IPCINOS_CFLAGS),$(IPCINOS_GEN)/ipctest_client.o $(IPCINOS_GEN)/ipctest_names.o))
$(eval $(call mercury_prog,ipcinos-server,$(IPCINOS)/server.c,$(IPCINOS_CFLAGS),\
  $(IPCINOS_GEN)/ipctest_server.o $(IPCINOS_GEN)/ipctest_names.o))

# The generated headers must exist before these compile.
$(MERC_PROG)/ipcinos/$(IPCINOS)/ipcinos.c.o $(MERC_PROG)/ipcinos/$(IPCINOS)/cases.c.o: \
  $(B)/mercury/ipc/gen/ipctest_client.h
$(MERC_PROG)/ipcinos-server/$(IPCINOS)/server.c.o: $(B)/mercury/ipc/gen/ipctest_server.h

$(B)/tests/mercury/ipcinos.initrd: $(MERC_PROG)/ipcinos.strip $(MERC_PROG)/ipcinos-server.strip tools/mkinitrd
	@mkdir -p $(@D)
	tools/mkinitrd $@ boot/ipcinos=$(MERC_PROG)/ipcinos.strip ipc/server=$(MERC_PROG)/ipcinos-server.strip
ALL += $(B)/tests/mercury/ipcinos.initrd
