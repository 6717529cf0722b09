# gaia/ramfs: a file system in memory (srv/ramfs), serving the file
# protocol as "fs/ram" through mercury/fs/fsserve.c.
ifdef mercury_prog
$(eval $(call mercury_prog,ramfs,gaia/ramfs/ramfs.c $(FSSERVE_SRCS),$(IPC_CFLAGS) -Imercury/fs,$(IPC_ARES)/libipc.a))
$(patsubst %,$(MERC_PROG)/ramfs/%.o,gaia/ramfs/ramfs.c $(FSSERVE_SRCS)): $(IPC_GEN)/fs_server.h \
  $(IPC_GEN)/bus_client.h $(IPC_GEN)/mem_client.h

# tests/qemu/ramfs.t: svc/fstest against srv/ramfs, bin/fchild given an open file.
$(eval $(call os_test_prog,fstest,tests/gaia/fs/fstest.c,fs mem proc,-Imercury/fs))
$(eval $(call os_test_prog,fchild,tests/gaia/fs/fchild.c,fs))

# tests/qemu/ns.t: svc/nstest's namespace over srv/ramfs (fs/ram) and srv/ram2 (fs/ram2).
$(eval $(call os_test_prog,nstest,tests/gaia/fs/nstest.c $(FILE_SRCS),fs,-Imercury/fs))
$(eval $(call boot_initrd,gaia/ns,srv/ramfs=$(MERC_PROG)/ramfs.strip srv/ram2=$(MERC_PROG)/ramfs.strip \
  svc/nstest=$(MERC_PROG)/nstest.strip etc/bus.rules=tests/gaia/fs/bus.rules))
$(eval $(call boot_initrd,gaia/ramfs,srv/ramfs=$(MERC_PROG)/ramfs.strip svc/fstest=$(MERC_PROG)/fstest.strip \
  bin/fchild=$(MERC_PROG)/fchild.strip etc/bus.rules=tests/gaia/fs/bus.rules))
endif
