# kfuzz: the syscall fuzzer (tests/kernel/kfuzz, docs/kfuzz.md). `make check`
# runs tests/qemu/kfuzz.t (100,000 calls, seed KFUZZ_SEED). `make fuzz` runs
# it for FUZZ_S seconds of wall time (default 180) through tools/kfuzz-soak:
# seeds KFUZZ_SEED, KFUZZ_SEED+1, ... of KFUZZ_CALLS calls each, KFUZZ_JOBS
# QEMUs at a time; the last run started finishes, so it ends within FUZZ_S
# plus one run. mercury/rt/rt.mk builds the program itself.
FUZZ_S      ?= 180
KFUZZ_SEED  ?= 1
KFUZZ_CALLS ?= 200000
KFUZZ_JOBS  ?= 1
.PHONY: kfuzz-soak
kfuzz-soak: $(KERNEL_MB) $(B)/tests/kernel/kfuzz.initrd
	tools/kfuzz-soak --seconds $(FUZZ_S) --jobs $(KFUZZ_JOBS) --calls $(KFUZZ_CALLS) \
		--first-seed $(KFUZZ_SEED) --kernel $(KERNEL_MB) --initrd $(B)/tests/kernel/kfuzz.initrd \
		--out $(B)/kfuzz-soak
FUZZ_TARGETS += kfuzz-soak
