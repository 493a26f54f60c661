# iospace: build the kernel and its ISO, run it in QEMU, test it.
# `make help` lists the targets.

BUILD ?= build
# -O2 for the kernel people run; `make debug` builds a copy at -O0 (see
# README, "Debugging with gdb").
OPT ?= -O2
ELF := $(BUILD)/iospace.elf
ISO := $(BUILD)/iospace.iso

CC := gcc
NASM := nasm
QEMU := qemu-system-i386
GDB := gdb
PYTHON ?= $(shell test -x /usr/bin/python3 && echo /usr/bin/python3 || echo python3)

# The kernel must run on a 486 (-cpu 486): -march=i486 keeps out cmov and
# other later instructions that would raise #UD there.
KERNEL_CFLAGS := -m32 -march=i486 -ffreestanding -fno-pie -fno-stack-protector \
	-fno-asynchronous-unwind-tables $(OPT) -g -std=gnu11 \
	-Wall -Wextra -Werror -I.
KERNEL_LDFLAGS := -m32 -nostdlib -static -no-pie -T boot/linker.ld \
	-Wl,--build-id=none -Wl,-z,noexecstack -Wl,--fatal-warnings
NASMFLAGS := -f elf32 -g -F dwarf -I.

# The folders are the layers (see README, "Where things are"). The pure
# files, kernel/lib/: no device access, nothing included from outside
# kernel/lib/, compiled for the kernel and for the host tests.
PURE_SRCS := $(sort $(wildcard kernel/lib/*.c))
KERNEL_SRCS := $(PURE_SRCS) $(sort $(wildcard kernel/*.c kernel/selftest/*.c kernel/monitor/*.c \
	kernel/panel/*.c drivers/*.c io/*.c))
ASM_SRCS := boot/multiboot.asm boot/gdt.asm boot/isr.asm boot/recover.asm

KERNEL_OBJS := $(ASM_SRCS:%.asm=$(BUILD)/%.o) $(KERNEL_SRCS:%.c=$(BUILD)/%.o)

# Host unit tests (cmocka), with AddressSanitizer and UBSan watching.
HOST_CFLAGS := -std=gnu11 -g -O1 -Wall -Wextra -Werror -I. \
	-fsanitize=address,undefined -fno-sanitize-recover=all
UNIT_TESTS := fmt parse cmdline line idt_gate bootinfo ring crc32 rtc_time \
	keymap acpi dma_rules floppy_geometry addrmap segdesc panel_layout stats \
	write_guard wrap ata_identify msi prd ahci_cmd pci_config lab
UNIT_BINS := $(UNIT_TESTS:%=$(BUILD)/tests/test_%)
# What each unit test links besides itself.
UNIT_DEPS_fmt := kernel/lib/fmt.c
UNIT_DEPS_parse := kernel/lib/parse.c
UNIT_DEPS_cmdline := kernel/lib/cmdline.c kernel/lib/parse.c kernel/lib/fmt.c
UNIT_DEPS_line := kernel/lib/line.c
UNIT_DEPS_idt_gate := kernel/lib/idt_gate.c
UNIT_DEPS_bootinfo := kernel/lib/bootinfo.c
UNIT_DEPS_ring := kernel/lib/ring.c
UNIT_DEPS_crc32 := kernel/lib/crc32.c
UNIT_DEPS_rtc_time := kernel/lib/rtc_time.c kernel/lib/fmt.c
UNIT_DEPS_keymap := kernel/lib/keymap.c
UNIT_DEPS_acpi := kernel/lib/acpi.c kernel/lib/fmt.c
UNIT_DEPS_dma_rules := kernel/lib/dma_rules.c
UNIT_DEPS_floppy_geometry := kernel/lib/floppy_geometry.c
UNIT_DEPS_addrmap := kernel/lib/addrmap.c kernel/lib/fmt.c
UNIT_DEPS_segdesc := kernel/lib/segdesc.c
UNIT_DEPS_panel_layout := kernel/lib/panel_layout.c kernel/lib/fmt.c
UNIT_DEPS_stats := kernel/lib/stats.c kernel/lib/fmt.c
UNIT_DEPS_write_guard := kernel/lib/write_guard.c kernel/lib/addrmap.c \
	kernel/lib/fmt.c
UNIT_DEPS_wrap := kernel/lib/wrap.c
UNIT_DEPS_ata_identify := kernel/lib/ata_identify.c
UNIT_DEPS_msi := kernel/lib/msi.c
UNIT_DEPS_ahci_cmd := kernel/lib/ahci_cmd.c
UNIT_DEPS_prd := kernel/lib/prd.c
UNIT_DEPS_pci_config := kernel/lib/pci_config.c
UNIT_DEPS_lab := kernel/lib/lab.c

# Host fuzzing (libFuzzer): a program per parser of outside input, in
# tests/fuzz/, built with clang as the unit tests are with gcc, ASan and
# UBSan watching. `make fuzz` runs each for FUZZ_SECONDS; `make test` runs
# each for FUZZ_TEST_SECONDS, a regression check from the seeds in
# tests/fuzz/corpus/NAME and what earlier runs found (build/fuzz/corpus).
FUZZ_CC := clang
FUZZ_CFLAGS := -std=gnu11 -g -O1 -Wall -Wextra -Werror -I. \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
FUZZ_TARGETS := monitor cmdline bootinfo acpi rtc_time keymap pci_config
FUZZ_BINS := $(FUZZ_TARGETS:%=$(BUILD)/fuzz/fuzz_%)
FUZZ_DEPS_monitor := kernel/lib/line.c kernel/lib/parse.c
FUZZ_DEPS_cmdline := kernel/lib/cmdline.c kernel/lib/parse.c kernel/lib/fmt.c
FUZZ_DEPS_bootinfo := kernel/lib/bootinfo.c
FUZZ_DEPS_acpi := kernel/lib/acpi.c kernel/lib/fmt.c
FUZZ_DEPS_rtc_time := kernel/lib/rtc_time.c kernel/lib/fmt.c
FUZZ_DEPS_keymap := kernel/lib/keymap.c
FUZZ_DEPS_pci_config := kernel/lib/pci_config.c
FUZZ_SECONDS ?= 10
FUZZ_TEST_SECONDS ?= 1
# `make fuzz` runs the fuzzers side by side, one per CPU, so that each
# one's figures are its own; `make test` runs them all at once: a
# regression check, where time counts more than executions.
NPROC := $(shell nproc 2>/dev/null || echo 1)
FUZZ_JOBS ?= $(NPROC)

# Static analysis (`make lint`). tools/layers.py first: every include must
# point down the layers (boot -> kernel -> drivers -> io -> kernel/lib),
# and no module may reach itself (make test runs it too,
# tests/qemu/test_layers.py). cppcheck reads the kernel as the 32-bit
# program it is (--platform=unix32) and, over all of it at once, also looks
# for functions nothing calls; the host tests as host code. Its checks:
# warning (undefined behaviour, wrong printf arguments), style (redundant
# or suspicious code), performance, portability. clang-tidy compiles each
# file with the flags it is built with; its checks, and why, are in
# .clang-tidy. A false positive is suppressed where it is, with a comment
# saying why; nothing is suppressed here.
CPPCHECK := cppcheck
CLANG_TIDY := clang-tidy
CPPCHECK_FLAGS := --std=c11 -I. --quiet --inline-suppr --error-exitcode=1 \
	--suppress=missingIncludeSystem \
	--enable=warning,style,performance,portability
LINT_HOST_SRCS := $(wildcard tests/unit/*.c tests/fuzz/*.c)
# clang-tidy FILES FLAGS, without its "N warnings generated." lines (the
# count of compiler warnings it did not enable, not findings).
tidy = out=$$($(CLANG_TIDY) --quiet $(1) -- $(2) 2>&1); rc=$$?; \
	printf '%s\n' "$$out" | grep -v -e ' generated\.$$' -e '^$$'; exit $$rc

# QEMU as the tests and `make run` use it: TCG (no KVM here), the exit
# device the self-test and `exit` write to, no reboot on a triple fault.
QEMU_FLAGS := -accel tcg -m 128 -no-reboot \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04
# The demo diskette in drive A: for fdread (read-only: nothing writes it);
# boot from the CD-ROM, not from the diskette, which has no boot sector.
FLOPPY := $(BUILD)/floppy.img
FLOPPY_FLAGS := -drive file=$(FLOPPY),if=floppy,format=raw,readonly=on \
	-boot order=d
# The demo hard disk on the primary IDE channel's master (index 0), for
# `disk`. QEMU's IDE disk refuses a read-only image, so snapshot=on: a write
# (iospace makes none) would go to a temporary file, never to the image.
# -cdrom is index 2, the secondary channel's master, and stays the boot
# device (order=d above).
DISK := $(BUILD)/disk.img
DISK_FLAGS := -drive file=$(DISK),if=ide,index=0,format=raw,snapshot=on
GDBPORT ?= 1234
# More QEMU arguments for `make run`, `run-serial` and `debug`, e.g.
# QEMU_EXTRA="-icount shift=0" (docs/dma.md).
QEMU_EXTRA ?=
# The -O0 copy `make debug` and the gdb tests use.
DEBUG_ELF := build/debug/iospace.elf
# Where `make debug` puts the serial line (the monitor): a Unix socket.
DEBUG_SERIAL ?= $(BUILD)/debug-serial.sock

# `make listing`: the disassembly of every driver and of the kernel files
# that include io/port.h or io/mmio.h themselves, with in/out and MMIO
# accesses marked (claim C10).
LISTING_SRCS := $(filter drivers/%.c,$(KERNEL_SRCS)) \
	$(filter $(shell grep -lE '^\#include "io/(port|mmio)\.h"' \
		kernel/*.c kernel/*/*.c),\
		$(KERNEL_SRCS))
LISTING_OBJS := $(LISTING_SRCS:%.c=$(BUILD)/%.o)

V ?= 0
ifeq ($(V),0)
Q := @
say = @printf '  %-6s %s\n' $(1) $(2)
else
Q :=
say = @true
endif

.PHONY: all iso elf run run-serial debug debug-nox debug-elf test test-unit \
	test-qemu test-fuzz fuzz soak lint deps check-deps clean help listing \
	docs-figures screenshot bench lab grade

all: iso

iso: $(ISO)
elf: $(ELF)

$(BUILD)/%.o: %.c
	$(call say,CC,$<)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(KERNEL_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/%.o: %.asm boot/gdt.inc
	$(call say,NASM,$<)
	@mkdir -p $(dir $@)
	$(Q)$(NASM) $(NASMFLAGS) $< -o $@

$(ELF): $(KERNEL_OBJS) boot/linker.ld
	$(call say,LD,$@)
	$(Q)$(CC) $(KERNEL_LDFLAGS) -o $@ $(KERNEL_OBJS) -lgcc
	$(Q)grub-file --is-x86-multiboot $@ || \
		{ echo "error: $@ is not a multiboot kernel" >&2; exit 1; }

$(ISO): $(ELF) iso/grub.cfg
	$(call say,ISO,$@)
	@mkdir -p $(BUILD)/isodir/boot/grub
	$(Q)cp $(ELF) $(BUILD)/isodir/boot/iospace.elf
	$(Q)cp iso/grub.cfg $(BUILD)/isodir/boot/grub/grub.cfg
	$(Q)grub-mkrescue -o $@ $(BUILD)/isodir > $(BUILD)/grub-mkrescue.log 2>&1 || \
		{ cat $(BUILD)/grub-mkrescue.log >&2; exit 1; }

$(FLOPPY): tools/mkfloppy.py
	$(call say,GEN,$@)
	@mkdir -p $(dir $@)
	$(Q)$(PYTHON) tools/mkfloppy.py $@

$(DISK): tools/mkdisk.py
	$(call say,GEN,$@)
	@mkdir -p $(dir $@)
	$(Q)$(PYTHON) tools/mkdisk.py $@

# Host objects, each with its dependency file: a test is rebuilt when a
# header it really includes changes, and only then.
$(BUILD)/host/%.o: %.c
	$(call say,HOSTCC,$<)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(HOST_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/fuzzobj/%.o: %.c
	$(call say,FUZZCC,$<)
	@mkdir -p $(dir $@)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -MMD -MP -c $< -o $@

# Kept, so that the next build recompiles only what changed.
.PRECIOUS: $(BUILD)/host/%.o $(BUILD)/fuzzobj/%.o
.SECONDEXPANSION:
$(BUILD)/tests/test_%: $(BUILD)/host/tests/unit/test_%.o \
		$$(foreach f,$$(UNIT_DEPS_$$*),$(BUILD)/host/$$(basename $$f).o)
	$(call say,HOSTLD,$@)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(HOST_CFLAGS) -o $@ $^ -lcmocka

# The pictures in docs/: both address spaces, from `map` as the kernel
# prints it under QEMU (boots the kernel once), and the two interrupt
# delivery paths, drawn by graphviz from docs/interrupt-paths.dot.
docs-figures: $(ELF)
	$(call say,FIGURE,docs/address-spaces.svg)
	$(Q)$(PYTHON) tools/mapfigure.py --text $(BUILD)/map.txt \
		--svg docs/address-spaces.svg
	$(call say,DOT,docs/interrupt-paths.svg)
	$(Q)dot -Tsvg docs/interrupt-paths.dot -o docs/interrupt-paths.svg

# The picture of the VGA screen in README: the ISO booted with the demo
# diskette and the demo hard disk, a few commands typed on the keyboard,
# QEMU's screendump; the same screen as text in $(BUILD)/screen.txt.
screenshot: check-deps $(ISO) $(FLOPPY) $(DISK)
	$(call say,SHOT,docs/screen.png)
	$(Q)$(PYTHON) tools/screenshot.py --floppy $(FLOPPY) --disk $(DISK) \
		--png docs/screen.png > $(BUILD)/screen.txt

# What an access costs (claim C12): boots the kernel in QEMU with the demo
# diskette and the demo hard disk, runs `bench`, and keeps its figures in
# docs/ as CSV and as a chart (gnuplot). Measured under TCG: the
# emulator's figures, not a PC's.
bench: check-deps $(ELF) $(FLOPPY) $(DISK)
	$(call say,BENCH,'docs/bench.csv docs/bench.png')
	$(Q)$(PYTHON) tools/bench.py --floppy $(FLOPPY) --disk $(DISK) \
		--text $(BUILD)/bench.txt --csv docs/bench.csv --png docs/bench.png

# The graded labs (docs/labs.md). `make lab LAB=pic` writes the student
# tree $(BUILD)/labs/pic/ (the source with the lab's regions stubbed) and
# its tarball; `make grade [LAB=pic]` builds the kernel and grades it from
# outside (QEMU's trace, serial, TAP, exit status), every lab without LAB;
# JSON=1 prints the result as JSON.
LAB ?=
JSON ?=
LABS_DIR := $(BUILD)/labs

lab:
	$(if $(LAB),,$(error make lab needs LAB=name, one of: \
		$(shell $(PYTHON) tools/labs.py --names)))
	$(call say,LAB,$(LABS_DIR)/$(LAB))
	$(Q)$(PYTHON) tools/labs.py --out $(LABS_DIR)/$(LAB) \
		--tar $(LABS_DIR)/iospace-lab-$(LAB).tar.gz $(LAB)

grade: check-deps $(ELF)
	$(Q)$(PYTHON) tools/grade.py $(if $(JSON),--json) $(LAB)

listing: $(BUILD)/listing.txt

$(BUILD)/listing.txt: $(LISTING_OBJS) tools/listing.py
	$(call say,LIST,$@)
	$(Q)$(PYTHON) tools/listing.py -o $@ $(LISTING_OBJS)

lint: check-deps
	$(call say,LAYERS,'boot kernel io drivers')
	$(Q)$(PYTHON) tools/layers.py
	$(call say,CPPCHECK,kernel)
	$(Q)$(CPPCHECK) $(CPPCHECK_FLAGS) --platform=unix32 \
		--enable=unusedFunction $(KERNEL_SRCS)
	$(call say,CPPCHECK,tests)
	$(Q)$(CPPCHECK) $(CPPCHECK_FLAGS) --platform=native $(LINT_HOST_SRCS)
	$(call say,TIDY,kernel)
	$(Q)$(call tidy,$(KERNEL_SRCS),$(KERNEL_CFLAGS))
	$(call say,TIDY,tests)
	$(Q)$(call tidy,$(LINT_HOST_SRCS),$(HOST_CFLAGS))

$(BUILD)/fuzz/fuzz_%: $(BUILD)/fuzzobj/tests/fuzz/fuzz_%.o \
		$$(foreach f,$$(FUZZ_DEPS_$$*),$(BUILD)/fuzzobj/$$(basename $$f).o)
	$(call say,FUZZLD,$@)
	@mkdir -p $(dir $@)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $^

deps:
	@tools/deps.sh

# `make run` and `make test` install what is missing first.
check-deps:
	@tools/deps.sh --check 2>/dev/null || tools/deps.sh

# tools/run-qemu.sh: the monitor's `exit` (QEMU's status 1) is a success,
# QEMU's own errors and `exit N` with N > 0 are not.
RUN_QEMU := tools/run-qemu.sh $(QEMU) $(QEMU_FLAGS) $(FLOPPY_FLAGS) $(DISK_FLAGS) \
	-cdrom $(ISO)

run: check-deps $(ISO) $(FLOPPY) $(DISK)
ifneq ($(DISPLAY),)
	$(RUN_QEMU) -serial stdio $(QEMU_EXTRA)
else
	$(RUN_QEMU) -display curses $(QEMU_EXTRA)
endif

run-serial: check-deps $(ISO) $(FLOPPY) $(DISK)
	$(RUN_QEMU) -display none -serial stdio $(QEMU_EXTRA)

# At -O0 every C line is its own code and every local lives on the stack:
# `next` goes line by line and `print` finds every variable.
debug-elf:
	$(Q)$(MAKE) -s --no-print-directory BUILD=build/debug OPT=-O0 elf

debug debug-nox: check-deps debug-elf $(FLOPPY) $(DISK)
	@QEMU="$(QEMU)" QEMU_FLAGS="$(QEMU_FLAGS) $(QEMU_EXTRA)" GDB="$(GDB)" \
		GDBPORT=$(GDBPORT) NOX=$(if $(filter debug-nox,$@),1,0) \
		SERIAL_SOCKET=$(DEBUG_SERIAL) tools/debug.sh $(DEBUG_ELF) $(FLOPPY) \
		$(DISK)

# Every test program runs, even after one fails; then the verdict.
test-unit: $(UNIT_BINS)
	$(Q)failed=0; for t in $(UNIT_BINS); do $$t || failed=1; done; exit $$failed

# The long load tests, left out of `make test` (pytest marker `soak`).
soak: check-deps $(ELF) $(ISO)
	$(Q)$(PYTHON) -m pytest -q -s --soak -m soak tests/qemu

test-fuzz: $(FUZZ_BINS)
	$(Q)tests/fuzz/run.sh $(FUZZ_TEST_SECONDS) $(words $(FUZZ_BINS)) \
		$(FUZZ_BINS)

fuzz: check-deps $(FUZZ_BINS)
	$(Q)tests/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_JOBS) $(FUZZ_BINS)

# Each test boots its own QEMU (or shares one within its file), so the files
# run side by side, one pytest-xdist worker per CPU.
test-qemu: $(ELF) $(ISO) $(FLOPPY) $(DISK) debug-elf
	$(Q)$(PYTHON) -m pytest -q -n $(NPROC) --dist loadfile tests/qemu

# Everything is built first, on every CPU; the tests then run in turn.
test: check-deps
	$(Q)$(MAKE) --no-print-directory -j$(NPROC) $(UNIT_BINS) $(FUZZ_BINS) \
		$(ELF) $(ISO) $(FLOPPY) $(DISK)
	$(Q)$(MAKE) --no-print-directory test-unit
	$(Q)$(MAKE) --no-print-directory test-fuzz
	$(Q)$(MAKE) --no-print-directory test-qemu

clean:
	rm -rf $(BUILD)

help:
	@echo "make            build $(ISO) (and $(ELF))"
	@echo "make run        boot the ISO in QEMU (window, or curses in a terminal)"
	@echo "                with the demo diskette in drive A: (fdread) and the"
	@echo "                demo disk on the primary IDE channel (disk)"
	@echo "make run-serial boot with no screen, the monitor on this terminal"
	@echo "make debug      QEMU paused + gdb attached, stopped at kmain (-O0 build)"
	@echo "make debug-nox  the same without a QEMU window"
	@echo "make test       host unit tests, fuzzers briefly, QEMU integration tests"
	@echo "make listing    $(BUILD)/listing.txt: the drivers' disassembly, I/O marked"
	@echo "make docs-figures  docs/address-spaces.svg (from \`map\` under QEMU)"
	@echo "                and docs/interrupt-paths.svg (graphviz)"
	@echo "make screenshot docs/screen.png: the VGA screen, from QEMU's screendump"
	@echo "make bench      docs/bench.csv and docs/bench.png, from \`bench\` under QEMU"
	@echo "make lab LAB=pic  $(BUILD)/labs/pic/: a student tree with the lab's"
	@echo "                code stubbed, and its tarball (docs/labs.md)"
	@echo "make grade [LAB=pic]  grade one lab, or all, from QEMU's trace"
	@echo "make fuzz       run each libFuzzer target for FUZZ_SECONDS (10)"
	@echo "make soak       the long load tests (recv of 16 MiB)"
	@echo "make lint       static analysis: cppcheck and clang-tidy"
	@echo "make deps       install the Debian packages iospace needs"
	@echo "make clean      remove $(BUILD)/"

-include $(KERNEL_OBJS:.o=.d) $(wildcard $(BUILD)/host/*/*.d \
	$(BUILD)/host/*/*/*.d $(BUILD)/fuzzobj/*/*.d $(BUILD)/fuzzobj/*/*/*.d)
