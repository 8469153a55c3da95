# SPDX-License-Identifier: GPL-2.0-only
#
# One non-recursive build for the whole tree.
#   make                       build everything into build/
#   make check                 unit tests (KUnit runner), stress, integration
#   make SANITIZE=address,undefined check    the same under ASan+UBSan
#   make install PREFIX=/usr/local DESTDIR=
#   make deps                  install the Debian packages build and tests need
#   make bench                 benchmarks (see tests/bench)

SHELL    := /bin/bash
PREFIX   ?= /usr/local
DESTDIR  ?=
SANITIZE ?=
CC       ?= gcc

ifeq ($(SANITIZE),)
O ?= build
else
O ?= build-san
endif

WARNINGS := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wpointer-arith -Wformat=2 -Wundef -Wvla \
	-Wimplicit-fallthrough -Wcast-qual -Wwrite-strings \
	-Wno-missing-field-initializers
CPPFLAGS += -D_GNU_SOURCE -I. -Iinclude
# The core's private headers (scst/src) are for the core itself and its
# unit tests; modules and programs use only include/scst.
CORE_PRIV := -Iscst/src
CFLAGS   ?= -O2 -g
CFLAGS   += -std=gnu11 $(WARNINGS) -pthread -fno-common -MMD -MP
LDFLAGS  += -pthread
# The modules' I/O: libaio for O_DIRECT files and block devices.
LDLIBS   += -laio -lisal -lcrypto
ifneq ($(SANITIZE),)
CFLAGS   += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS  += -fsanitize=$(SANITIZE)
endif

# ---- sources ---------------------------------------------------------------
CORE_SRCS    := $(sort $(wildcard scst/src/*.c))
OS_SRCS      := $(sort $(wildcard scst/os/user/*.c))
MODULE_SRCS  := $(sort $(wildcard scst_local/*.c) $(wildcard dev_handlers/*.c) \
		  $(wildcard dev_handlers/vdisk/*.c) $(wildcard dev_handlers/vtape/*.c) \
		  $(wildcard dev_handlers/passthrough/*.c) \
		  $(wildcard iscsi-scst/*.c) \
		  iscsi-scst/usr/iscsi_crc32c.c)
# The iSCSI login daemon's code; iscsid_main.c holds its main(). CRC32C
# (ISA-L) serves both sides and is built with the modules.
ISCSID_SRCS  := $(sort $(filter-out iscsi-scst/usr/iscsid_main.c iscsi-scst/usr/iscsi_crc32c.c,$(wildcard iscsi-scst/usr/*.c)))
SCSTD_SRCS   := $(sort $(wildcard usr/scstd/*.c))
KUNIT_SRCS   := $(sort $(wildcard tests/kunit/*.c))
UNIT_SRCS    := $(sort $(shell find tests/unit -name '*.c' 2>/dev/null))
STRESS_SRCS  := $(sort $(wildcard tests/stress/*.c))
CONF_SRCS    := $(sort $(wildcard scstadmin/scst_conf*.c))
SA_SRCS      := $(sort $(filter-out $(CONF_SRCS),$(wildcard scstadmin/*.c)))

# Objects live under obj/ so that no object directory shadows a binary.
objs = $(patsubst %.c,$(O)/obj/%.o,$(1))

LIBSCST   := $(O)/libscst.a
LIBMODS   := $(O)/libscst_modules.a
SCSTD     := $(O)/scstd
KUNIT_RUN := $(O)/tests/kunit_runner
STRESS    := $(O)/tests/stress_test
SCSTADMIN := $(O)/scstadmin
ISCSID    := $(O)/iscsi-scstd

.PHONY: all run check check-format check-unit check-stress check-integration check-integration-san check-vm check-vm-tape check-vm-tape-tgt check-vm-passthrough check-san install clean deps bench format
all: $(LIBSCST) $(LIBMODS) $(SCSTD) $(SCSTADMIN) $(ISCSID) $(KUNIT_RUN) $(STRESS)

$(O)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(call objs,$(CORE_SRCS) $(OS_SRCS) $(UNIT_SRCS)): CPPFLAGS += $(CORE_PRIV)

$(LIBSCST): $(call objs,$(CORE_SRCS) $(OS_SRCS))
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(LIBMODS): $(call objs,$(MODULE_SRCS))
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

# scstd serves the config tree with libfuse3.
FUSE_CFLAGS := $(shell pkg-config --cflags fuse3)
FUSE_LIBS   := $(shell pkg-config --libs fuse3)
$(call objs,$(SCSTD_SRCS)): CPPFLAGS += $(FUSE_CFLAGS)

$(SCSTD): $(call objs,$(SCSTD_SRCS)) $(LIBMODS) $(LIBSCST)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(FUSE_LIBS) $(LDLIBS)

$(SCSTADMIN): $(call objs,$(SA_SRCS) $(CONF_SRCS))
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^

# The iSCSI login daemon: only the protocol code it needs, not the
# modules: the engine stays out of the process that parses what
# unauthenticated peers send.
ISCSID_PROTO := iscsi-scst/iscsi_pdu.c iscsi-scst/iscsi_params.c iscsi-scst/usr/iscsi_crc32c.c
$(ISCSID): $(call objs,iscsi-scst/usr/iscsid_main.c $(ISCSID_SRCS) $(ISCSID_PROTO)) $(LIBSCST)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(KUNIT_RUN): $(call objs,$(KUNIT_SRCS) $(UNIT_SRCS) $(CONF_SRCS) $(ISCSID_SRCS)) $(LIBMODS) $(LIBSCST)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(STRESS): $(call objs,$(STRESS_SRCS)) $(LIBMODS) $(LIBSCST)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# ---- tests -----------------------------------------------------------------
STRESS_COMMANDS ?= 1000000
ifneq ($(SANITIZE),)
STRESS_COMMANDS := 200000
endif

# The unit runner goes last: its closing line "N passed, N failed" is the
# run's verdict line. Without SANITIZE, an ASan+UBSan pass runs too.
# CHECK_VM_TAPE=0 leaves out the tape library VM test (check-vm-tape),
# CHECK_VM_PT=0 the pass-through VM test (check-vm-passthrough).
CHECK_VM_TAPE ?= 1
CHECK_VM_PT ?= 1
check: check-format check-stress check-integration check-vm $(if $(filter 1,$(CHECK_VM_TAPE)),check-vm-tape) $(if $(filter 1,$(CHECK_VM_PT)),check-vm-passthrough) $(if $(SANITIZE),,check-san check-fuzz)
	$(MAKE) --no-print-directory check-unit

check-san:
	$(MAKE) --no-print-directory SANITIZE=address,undefined check-stress check-unit check-integration-san

# The integration tests against the ASan+UBSan daemons (every script but
# the long SCSI-family sweep, which the plain pass runs); each process
# writes any sanitizer report to SAN_LOGS, and a report fails the run.
SAN_LOGS := $(abspath $(O))/san-logs
SAN_SKIP := tests/integration/iscsi_scsi_cu.sh
check-integration-san: all
	@rm -rf $(SAN_LOGS) && mkdir -p $(SAN_LOGS)
	@for t in $(filter-out $(SAN_SKIP),$(sort $(wildcard tests/integration/*.sh))); do \
		echo "== $$t (ASan+UBSan)"; \
		ASAN_OPTIONS=log_path=$(SAN_LOGS)/asan:detect_leaks=1 \
		UBSAN_OPTIONS=log_path=$(SAN_LOGS)/ubsan:print_stacktrace=1 \
		O=$(O) bash $$t || exit 1; \
		if ls $(SAN_LOGS)/* >/dev/null 2>&1; then \
			echo "FAIL: sanitizer reports from $$t:"; \
			cat $(SAN_LOGS)/*; exit 1; fi; \
	done

check-unit: $(KUNIT_RUN)
	$(KUNIT_RUN)

check-stress: $(STRESS)
	$(STRESS) --commands $(STRESS_COMMANDS) --threads 4 --seconds 300

check-integration: all
	@for t in $(sort $(wildcard tests/integration/*.sh)); do \
		echo "== $$t"; O=$(O) bash $$t || exit 1; done

# The Linux kernel initiator in a qemu guest (TCG) against the target on
# loopback (tests/vm/run.sh; SKIP lines when qemu or a kernel is missing),
# then dm-multipath over two portals and persistent reservations from the
# guest (tests/vm/multipath.sh).
check-vm: all
	O=$(O) bash tests/vm/run.sh
	O=$(O) bash tests/vm/multipath.sh

# The tape library VM test (tests/vm/tape.sh): st, mtx, GNU tar and
# bacula's btape against vtape drives and a vchanger robot, two
# initiators, a restart of the target (about a minute). Its own ports and
# initramfs ($(O)/vm-tape), so it may run beside check-vm. Part of `make
# check` unless CHECK_VM_TAPE=0. `make check-vm-tape-tgt` runs the same
# guest against tgt for comparison (informational, not in `make check`).
check-vm-tape: all
	O=$(O) bash tests/vm/tape.sh --target scstd

check-vm-tape-tgt:
	O=$(O) bash tests/vm/tape.sh --target tgt

# The pass-through VM test (tests/vm/passthrough.sh): scstd and
# iscsi-scstd inside the guest on a scsi_debug disk and tgt's tape
# library (qemu's iscsi driver + scsi-generic), dev_disk/dev_tape/
# dev_changer, two initiators from the guest, iscsi-test-cu from the host
# through a forwarded port, a hot unplug (about 70 s under TCG). Its own
# random ports and initramfs ($(O)/vm-pt), so it may run beside the other
# VM tests. In `make check` unless CHECK_VM_PT=0 (passed twice in a row,
# 66 s each).
check-vm-passthrough: all
	O=$(O) bash tests/vm/passthrough.sh

# ---- fuzzing ---------------------------------------------------------------
comma := ,
# libFuzzer targets, built with clang into build-fuzz/. `make fuzz` runs
# each for FUZZ_SECONDS; check-fuzz is part of `make check`.
FUZZ_SECONDS ?= 20
FUZZ_O       := build-fuzz
FUZZ_CFLAGS  := -std=gnu11 -g -O1 -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=all -D_GNU_SOURCE -I. -Iinclude -pthread
FUZZ_TARGETS := $(patsubst tests/fuzz/%.c,$(FUZZ_O)/%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_LIBSRC  := $(CORE_SRCS) $(OS_SRCS) $(MODULE_SRCS) $(CONF_SRCS) $(ISCSID_SRCS)

FUZZ_LIB     := $(FUZZ_O)/libfuzzlib.a
FUZZ_OBJS    := $(patsubst %.c,$(FUZZ_O)/obj/%.o,$(FUZZ_LIBSRC))

# The code under test is compiled once, with coverage but without the
# fuzzer's main; each target links it.
$(FUZZ_O)/obj/scst/%.o: FUZZ_PRIV := $(CORE_PRIV)
$(FUZZ_O)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	clang $(subst fuzzer$(comma),fuzzer-no-link$(comma),$(FUZZ_CFLAGS)) $(FUZZ_PRIV) -MMD -MP -c -o $@ $<

$(FUZZ_LIB): $(FUZZ_OBJS)
	rm -f $@ && ar rcs $@ $^

$(FUZZ_O)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_LIB)
	@mkdir -p $(FUZZ_O)
	clang $(FUZZ_CFLAGS) $(CORE_PRIV) -o $@ $< $(FUZZ_LIB) $(LDLIBS)

.PHONY: fuzz check-fuzz
fuzz check-fuzz: $(FUZZ_TARGETS)
	@for t in $(FUZZ_TARGETS); do \
		mkdir -p $(FUZZ_O)/corpus/$$(basename $$t); \
		echo "== $$t ($(FUZZ_SECONDS) s)"; \
		$$t -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
			$(FUZZ_O)/corpus/$$(basename $$t) 2>&1 | \
			grep -E "^(stat::number_of_executed_units|Done|==|SUMMARY)" ; \
		test $${PIPESTATUS[0]} -eq 0 || exit 1; \
	done

# ---- install ---------------------------------------------------------------
install: all
	install -d $(DESTDIR)$(PREFIX)/sbin $(DESTDIR)$(PREFIX)/include/scst
	install -m 0755 $(SCSTD) $(SCSTADMIN) $(ISCSID) $(DESTDIR)$(PREFIX)/sbin/
	install -m 0644 include/scst/*.h $(DESTDIR)$(PREFIX)/include/scst/

deps:
	bash scripts/install-deps.sh

# Install what is missing, build, and start the target with its default
# configuration: a thin 1 GiB LUN on 127.0.0.1:3260 (scripts/run.sh).
run: deps
	$(MAKE) --no-print-directory all
	O=$(O) bash scripts/run.sh

# scstd and Debian's tgt side by side (tests/bench/run.sh); the measured
# table goes to doc/benchmarks.md.
bench: all
	O=$(O) bash tests/bench/run.sh

# Mechanical style: the tree is formatted by Debian 12's clang-format 14
# (.clang-format); check-format fails on any file it would change.
CLANG_FORMAT ?= clang-format-14
format:
	$(CLANG_FORMAT) -i $$(git ls-files '*.c' '*.h')

check-format:
	@$(CLANG_FORMAT) --dry-run --Werror $$(git ls-files '*.c' '*.h') && \
		echo "check-format: $$(git ls-files '*.c' '*.h' | wc -l) files as clang-format 14 writes them"

clean:
	rm -rf build build-san build-fuzz

-include $(shell find $(O) $(FUZZ_O) -name '*.d' 2>/dev/null)
