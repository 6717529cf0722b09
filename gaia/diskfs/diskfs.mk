# gaia/diskfs: the file server of blk0 (srv/diskfs): FAT or ext4 (venus/)
# served as "fs/disk" through mercury/fs/fsserve.c.
ifdef mercury_prog
DISKFS_SRCS := gaia/diskfs/diskfs.c mercury/fs/fsserve.c
$(eval $(call mercury_prog,diskfs,$(DISKFS_SRCS),$(IPC_CFLAGS) -Imercury/fs -Ivenus,$(IPC_ARES)/libipc.a $(B)/venus/libvenusfs.a))
$(patsubst %,$(MERC_PROG)/diskfs/%.o,$(DISKFS_SRCS)): $(IPC_GEN)/fs_server.h $(IPC_GEN)/bus_client.h \
  $(IPC_GEN)/mem_client.h $(IPC_GEN)/blockdev_client.h $(IPC_GEN)/clock_client.h

# tests/qemu/diskfs.t: svc/diskcheck reads and writes a FAT image through it.
$(eval $(call os_test_prog,diskcheck,tests/gaia/fs/diskcheck.c $(FILE_SRCS),fs,-Imercury/fs))
$(eval $(call boot_initrd,gaia/diskfs,drv/virtio-blk=$(MERC_PROG)/virtio-blk.strip drv/rtc=$(MERC_PROG)/rtc.strip \
  srv/diskfs=$(MERC_PROG)/diskfs.strip \
  svc/diskcheck=$(MERC_PROG)/diskcheck.strip etc/bus.rules=tests/gaia/fs/bus.rules))
endif
