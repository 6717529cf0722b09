# kobs: the in-OS observability suite (tests/kernel/kobs, run by
# tests/qemu/kobs.t, which tests/tests.mk adds to CHECK_TESTS) and its
# benchmark (tests/kernel/kobsbench, run by kobsbench-run under `make bench`).
# mercury/rt/rt.mk already makes every tests/kernel/k*/ with C files a root
# task; define them here only if it stops doing so.
$(if $(KT_kobs_OBJS),,$(eval $(call kt_prog,kobs)))
$(if $(KT_kobsbench_OBJS),,$(if $(wildcard tests/kernel/kobsbench/*.c),$(eval $(call kt_prog,kobsbench))))

BENCH_TESTS += tests/kernel/kobsbench/kobsbench-run
