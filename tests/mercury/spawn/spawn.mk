# tests/mercury/spawn: the in-OS spawn suite (run by tests/qemu/spawn.t) and
# the spawn_exit benchmark (spawn-bench-run). The root task boot/spawntest
# comes first in its initrd; the children it spawns follow under spawn/.
SPAWNT := tests/mercury/spawn
# inos.c: the TAP and initrd helpers the in-OS suites share.
$(eval $(call mercury_prog,spawntest,$(addprefix $(SPAWNT)/,spawntest.c children.c refusals.c leak.c) \
  tests/mercury/inos.c,-Itests/mercury))
# The child has the debug heap, to show a double free caught.
$(eval $(call mercury_prog,spawn-child,$(SPAWNT)/child.c,,,debug))
$(eval $(call mercury_prog,spawn-min,$(SPAWNT)/min.c))

$(B)/tests/mercury/spawn.initrd: $(MERC_PROG)/spawntest.strip $(MERC_PROG)/spawn-child.strip \
  $(MERC_PROG)/spawn-min.strip tools/mkinitrd
	@mkdir -p $(@D)
	tools/mkinitrd $@ boot/spawntest=$(MERC_PROG)/spawntest.strip \
	  spawn/child=$(MERC_PROG)/spawn-child.strip spawn/min=$(MERC_PROG)/spawn-min.strip
ALL += $(B)/tests/mercury/spawn.initrd
BENCH_TESTS += $(SPAWNT)/spawn-bench-run
