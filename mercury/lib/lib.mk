# libmercury: the runtime every Ares program links (see docs/mercury-lib.md).
#
# Each source in mercury/lib is compiled three ways:
#   $(B)/mercury/kcheck/  the files shared with Helios, with exactly the kernel's
#                         flags, so `make` breaks when one stops being kernel-safe
#   $(B)/mercury/ares/    every file, freestanding for Ares user space, archived
#                         into $(B)/mercury/libmercury.a
#   $(B)/mercury/host/    every file for host unit tests and fuzzers, with the
#                         standard names renamed to merc_* (tests/mercury/rename.list)
#                         so they cannot clash with glibc

MERC_DIR := mercury/lib
# Shared with the kernel: freestanding, integer-only, no allocation.
MERC_SHARED := fmt ustar string elf
# User space only.
MERC_USER := printf heap hash

MERC_GCC_INC := $(shell $(HOST_CC) -print-file-name=include)
MERC_KFLAGS := -ffreestanding -nostdinc -isystem $(MERC_GCC_INC) -mno-red-zone \
  -mgeneral-regs-only -mcmodel=kernel -fno-pic -fno-builtin \
  -fno-tree-loop-distribute-patterns -fno-stack-protector -O2 -Wall -Wextra \
  -Werror -I$(MERC_DIR)/include
MERC_UFLAGS := -std=gnu11 -ffreestanding -nostdinc -isystem $(MERC_GCC_INC) \
  -fno-builtin -fno-tree-loop-distribute-patterns -fno-stack-protector -O2 -g \
  -Wall -Wextra -Werror -I$(MERC_DIR)/include
MERC_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all
MERC_RENAME_H := $(B)/mercury/host/rename.h
MERC_UNRENAME_H := $(B)/mercury/host/unrename.h
MERC_HFLAGS := $(HOST_CFLAGS) -ffreestanding -fno-builtin \
  -fno-tree-loop-distribute-patterns -I$(MERC_DIR)/include \
  -include $(MERC_RENAME_H) $(MERC_SAN)
MERC_TFLAGS := $(HOST_CFLAGS) -Itests/lib -I$(MERC_DIR)/include \
  -I$(B)/mercury/host $(MERC_SAN)

MERC_KOBJS := $(patsubst %,$(B)/mercury/kcheck/%.o,$(MERC_SHARED))
MERC_UOBJS := $(patsubst %,$(B)/mercury/ares/%.o,$(MERC_SHARED) $(MERC_USER))

ALL += $(MERC_KOBJS) $(B)/mercury/kcheck/symbols.ok $(B)/mercury/libmercury.a

$(B)/mercury/kcheck/%.o: $(MERC_DIR)/%.c
	@mkdir -p $(@D)
	$(HOST_CC) $(MERC_KFLAGS) -MMD -MP -c -o $@ $<

# The shared set must need nothing beyond itself, and memcpy and memset (which
# memmove and the rest build on) must not have been compiled into calls.
$(B)/mercury/kcheck/symbols.ok: $(MERC_KOBJS)
	@undef=$$(nm -u $^ | awk 'NF==2{print $$2}' | sort -u); \
	def=$$(nm --defined-only $^ | awk 'NF==3{print $$3}' | sort -u); \
	for s in $$undef; do echo "$$def" | grep -qx "$$s" || missing="$$missing $$s"; done; \
	if [ -n "$$missing" ]; then echo "kcheck: shared set needs:$$missing"; exit 1; fi
	@for f in memcpy memset; do \
	  if objdump -dr --disassemble=$$f $(B)/mercury/kcheck/string.o | grep -q 'R_X86_64_PLT32'; then \
	    echo "kcheck: $$f in string.o calls a function (recursion risk)"; exit 1; fi; done
	@touch $@

$(B)/mercury/ares/%.o: $(MERC_DIR)/%.c
	@mkdir -p $(@D)
	$(HOST_CC) $(MERC_UFLAGS) -MMD -MP -c -o $@ $<

$(B)/mercury/libmercury.a: $(MERC_UOBJS)
	@rm -f $@
	ar rcs $@ $^

$(MERC_RENAME_H): tests/mercury/rename.list
	@mkdir -p $(@D)
	sed 's/.*/#define & merc_&/' $< > $@

$(MERC_UNRENAME_H): tests/mercury/rename.list
	@mkdir -p $(@D)
	sed 's/.*/#undef &/' $< > $@

$(B)/mercury/host/%.o: $(MERC_DIR)/%.c $(MERC_RENAME_H)
	@mkdir -p $(@D)
	$(HOST_CC) $(MERC_HFLAGS) -c -o $@ $<

# $(call merc_test,NAME,UNITS,LDLIBS): tests/mercury/NAME.c linked with the
# host objects of UNITS, as $(B)/tests/mercury-NAME.t.
define merc_test
$(B)/tests/mercury-$(1).t: tests/mercury/$(1).c $(patsubst %,$(B)/mercury/host/%.o,$(2)) tests/lib/tap.h $(MERC_RENAME_H) $(MERC_UNRENAME_H)
	@mkdir -p $$(@D)
	$$(HOST_CC) $$(MERC_TFLAGS) -o $$@ $$< $$(filter %.o,$$^) $(3)
CHECK_TESTS += $(B)/tests/mercury-$(1).t
endef

$(eval $(call merc_test,fmt,fmt printf))
$(eval $(call merc_test,ustar,ustar))
$(eval $(call merc_test,string,string))

# The heap test runs against both heap builds.
$(B)/mercury/host/heap-debug.o: $(MERC_DIR)/heap.c $(MERC_RENAME_H)
	@mkdir -p $(@D)
	$(HOST_CC) $(MERC_HFLAGS) -DMERC_HEAP_DEBUG -c -o $@ $<

$(B)/tests/mercury-heap-nodebug.t: tests/mercury/heap.c $(patsubst %,$(B)/mercury/host/%.o,heap string printf fmt) tests/lib/tap.h $(MERC_RENAME_H) $(MERC_UNRENAME_H)
	@mkdir -p $(@D)
	$(HOST_CC) $(MERC_TFLAGS) -o $@ $< $(filter %.o,$^)
CHECK_TESTS += $(B)/tests/mercury-heap-nodebug.t
$(eval $(call merc_test,heap,heap-debug string printf fmt,-DMERC_HEAP_DEBUG))
$(eval $(call merc_test,hash,hash heap string printf fmt))
$(eval $(call merc_test,elf,elf))
