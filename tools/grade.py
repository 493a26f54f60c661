#!/usr/bin/env python3
"""`make grade [LAB=name]`: grades the labs of docs/labs.md from outside
the kernel, never from its source: the serial line, the self-test's TAP
lines, the exit status through isa-debug-exit, QMP, and QEMU's own trace
of every port and memory-mapped access (memory_region_ops_read/write).

Two boots serve every lab, each made once, only if a lab graded needs it,
side by side:

  monitor  the default kernel (APIC mode when it can), hz=250, a diskette
           image of known bytes in drive A:; the monitor reads two sectors
           by DMA, then by PIO, and counts ticks; QMP quit
  pic      the self-test with irq=pic hz=250 (exits through isa-debug-exit)

Each check is named, has points, and prints GOOD or BAD with one line on
why. `Score: X/Y`; exit status 1 below full marks; --json for tooling.

Usage: grade.py [--json] [LAB ...]   (no LAB: every lab)
"""

import argparse
import concurrent.futures
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "qemu"))
sys.path.insert(0, os.path.join(ROOT, "tools"))

from iospace import (ELF, EXIT_PASSED, FLOPPY_BYTES, SECTOR,  # noqa: E402
                     Machine, floppy_drive, ide_disk)
from labs import LABS  # noqa: E402

HZ = 250
PIT_INPUT_HZ = 1193182
# The Local APIC timer's rate as the kernel measured it is graded against
# the counts QEMU's trace shows it read (a loaded host makes the kernel
# miss PIT periods, and the rate be off, but the same way in both), to
# within one part in RATE_TOLERANCE.
RATE_TOLERANCE = 1000
PIT_COUNT_ZERO = 65536          # a count of 0 loads 2^16
UINT32_RANGE = 1 << 32
# Ticks the monitor boot must see in the 0.5 s between its two `ticks`:
# without an EOI there is one, then none; a loaded host may delay QEMU's
# timer, so far fewer than the 125 expected are enough.
MIN_TICKS = 5
TICKS_APART_S = 0.5
IMAGE_SEED = 15                 # the diskette's bytes: the same every run
READ_SECTORS = 2
# No VGA card: no lab needs one, and every character the kernel printed
# on the screen would be in the trace, which is then five times as long.
NO_VGA = ["-vga", "none"]
# Names QEMU gives the regions in its trace.
TRACED = {"pic", "ioport80", "pit", "serial", "apic-msi", "ioapic",
          "dma-chan", "dma-cont", "dma-page", "fdc", "pci-conf-idx",
          "pci-conf-data", "ide", "piix-bmdma", "bmdma"}

# 8259 (data sheet 231468): the ports and the words the remap sends.
PIC1_CMD, PIC1_DATA, PIC2_CMD, PIC2_DATA = 0x20, 0x21, 0xA0, 0xA1
ICW1 = 0x11                     # ICW4 needed, cascade, edge, "ICW1" bit
MASTER_BASE, SLAVE_BASE = 0x20, 0x28
ICW3_MASTER, ICW3_SLAVE = 0x04, 0x02
ICW4_8086 = 0x01
OCW2_EOI = 0x20
# 8254 (231164): channel 0, low/high byte, mode 2, binary.
PIT_CH0, PIT_CMD = 0x40, 0x43
PIT_CONTROL_CH0_LOHI_MODE2 = 0x34
PIT_SELECT_ACCESS = 0xF0        # the channel and access fields
PIT_CH0_LOHI = 0x30             # channel 0, low byte then high byte
PIT_LATCH_CH0 = 0x00
# 16550 (PC16550D), at COM1.
COM1 = 0x3F8
UART_RBR, UART_IER, UART_IIR, UART_LCR = COM1, COM1 + 1, COM1 + 2, COM1 + 3
UART_LCR_DLAB, UART_LCR_8N1 = 0x80, 0x03
UART_DIVISOR_115200 = 1
UART_FCR_ON_CLEAR_TRIGGER14 = 0xC7
UART_IIR_NO_INT, UART_IIR_ID = 0x01, 0x0E
UART_IIR_RDA, UART_IIR_TIMEOUT = 0x04, 0x0C
# Local APIC (SDM vol. 3A, table 11-1).
LAPIC = 0xFEE00000
LAPIC_EOI, LAPIC_SVR = LAPIC + 0xB0, LAPIC + 0xF0
LAPIC_TIMER_INITIAL, LAPIC_TIMER_CURRENT = LAPIC + 0x380, LAPIC + 0x390
LAPIC_TIMER_DIVIDE, LAPIC_DIVIDE_BY_1 = LAPIC + 0x3E0, 0xB
LAPIC_SVR_ENABLE, LAPIC_SPURIOUS_VECTOR = 0x100, 0xFF
TIMER_COUNT_MAX = 0xFFFFFFFF
# IO APIC (82093AA, 3.1 and 3.2.4) and QEMU's MADT override of ISA IRQ 9.
IOREGSEL, IOWIN = 0xFEC00000, 0xFEC00010
IOAPIC_REG_VERSION, IOAPIC_REDTBL, IOAPIC_INPUTS = 0x01, 0x10, 24
RTE_MASKED, RTE_LEVEL, RTE_ACTIVE_LOW = 1 << 16, 1 << 15, 1 << 13
RTE_VECTOR = 0xFF
APIC_VECTOR_BASE = 0x30
SCI_IRQ = 9                     # QEMU: "ISA IRQ 9 -> GSI 9, active high, level"
# 8237 (channel 2) and its page register.
DMA_CH2_ADDRESS, DMA_CH2_COUNT = 0x04, 0x05
DMA_SINGLE_MASK, DMA_MODE, DMA_CLEAR_FF = 0x0A, 0x0B, 0x0C
DMA_CH2_PAGE = 0x81
DMA_MASK_CH2, DMA_UNMASK_CH2 = 0x06, 0x02
DMA_MODE_SINGLE_WRITE_CH2 = 0x46
# The floppy controller (82077AA): MSR bits, the FIFO, READ DATA.
FDC_MSR, FDC_FIFO = 0x3F4, 0x3F5
MSR_RQM, MSR_NON_DMA = 0x80, 0x20
READ_DATA_CMD = [0x46, 0x00, 0, 0, 1, 2, 2, 0x1B, 0xFF]   # C0 H0 S1..S2
READ_RESULT_BYTES = 7
# PCI mechanism #1 (PCI Local Bus Specification 3.0, 3.2.2.3.2) and the
# type 0 header (6.1, 6.2.5.1).
PCI_CONFIG_ADDRESS, PCI_CONFIG_DATA = 0xCF8, 0xCFC
PCI_CONF1_ENABLE = 1 << 31
PCI_CONF1_REG = 0xFC
PCI_COMMAND = 0x04
PCI_COMMAND_DECODE = 0x3            # I/O space and memory space
PCI_BAR0, PCI_BAR5 = 0x10, 0x24
PCI_BAR_SIZING_VALUE = 0xFFFFFFFF
LSPCI_FUNCTION_RE = re.compile(r"^([0-9a-f]{2}):([0-9a-f]{2})\.([0-7]) "
                               r"([0-9a-f]{4}):([0-9a-f]{4}) ", re.M)
# Bus-master IDE (PIIX4 data sheet 5.2) at BAR4, as QEMU names its
# regions: BMIC and BMIS in 'piix-bmdma', BMIDTP in 'bmdma'; the disk's
# data and command ports (ATA/ATAPI-6).
BMIC, BMIS, BMIDTP = 0, 2, 4
BMIC_SSBM, BMIC_RWCON_WRITE = 0x01, 0x08
BMIS_ERROR, BMIS_INTERRUPT = 0x02, 0x04
ATA_DATA, ATA_COMMAND, ATA_READ_DMA = 0x1F0, 0x1F7, 0xC8
PRD_EOT, PRD_COUNT_MASK = 0x80000000, 0xFFFF
DISK_READ_SECTORS = 8
# Port 0x80 writes around the DMA read: its accesses lie between.
MARK_BEFORE, MARK_AFTER = 0x5A, 0xA5
DISK_READ_RE = re.compile(r"disk read lba=0 count=(\d+) mode=dma "
                          r"bytes=(\d+) crc32=0x([0-9a-f]{8})")
LSPCI_BAR_RE = re.compile(r"^    BAR([0-5]) \S+\s+0x[0-9a-f]+ size 0x([0-9a-f]+)")

FDREAD_RE = re.compile(r"fdread lba=0 count=(\d+) mode=(dma|pio) "
                       r"bytes=(\d+) crc32=0x([0-9a-f]{8})")
MISSING_RE = re.compile(r"lab (\w+): part '([\w-]+)' is missing")
TAP_RE = re.compile(r"^(ok|not ok) \d+ - (.*?)(?: # (.*))?\r?$", re.M)


def image_bytes():
    return random.Random(IMAGE_SEED).randbytes(FLOPPY_BYTES)


class Boot:
    """What one boot showed: serial text, the kernel's traced accesses,
    command outputs, QEMU's exit status (None when killed), and a note
    when it did not go as planned."""

    def __init__(self, name):
        self.name, self.text, self.accesses = name, "", []
        self.outputs, self.status, self.problem = {}, None, None

    def acc(self, *names):
        return [a for a in self.accesses if a.name in names]


def finish(m, b):
    """Ends QEMU if it still runs (SIGTERM: an orderly exit that writes
    out its trace), keeps what it showed, and cleans up."""
    if m.proc.poll() is None:
        m.proc.terminate()
        m.proc.wait(10)
    b.text = m.text()
    b.accesses = m.kernel_accesses(TRACED)
    m.close()


def disk_image(tmp):
    """The demo hard disk (tools/mkdisk.py: known bytes) in tmp."""
    path = os.path.join(tmp, "disk.img")
    subprocess.run([sys.executable, os.path.join(ROOT, "tools", "mkdisk.py"),
                    path], check=True)
    return path


def disk_crc(path):
    with open(path, "rb") as f:
        return zlib.crc32(f.read(DISK_READ_SECTORS * SECTOR))


def boot_monitor(tmp):
    """The default kernel at its prompt: two sectors by DMA, then by
    PIO, and the tick counted twice 0.5 s apart; `lspci port`; eight
    sectors of the hard disk by bus-master DMA, and the PRD table it
    used, read by QEMU."""
    b = Boot("monitor")
    image = os.path.join(tmp, "lab.img")
    with open(image, "wb") as f:
        f.write(image_bytes())
    disk = disk_image(tmp)
    b.outputs["disk-crc"] = disk_crc(disk)
    m = Machine(append=f"hz={HZ}", trace=True,
                extra=[*floppy_drive(image), *ide_disk(disk), *NO_VGA])
    try:
        m.wait_prompt(timeout=60)
        for mode in ("dma", "pio"):
            b.outputs[mode] = m.command(
                f"fdread 0 {READ_SECTORS} {mode}", timeout=30)
        b.outputs["ticks0"] = m.command("ticks")
        time.sleep(TICKS_APART_S)
        b.outputs["ticks1"] = m.command("ticks")
        b.outputs["irqs"] = m.command("irqs")
        # By the ports even on a machine with ECAM: the lab's mechanism.
        b.outputs["lspci"] = m.command("lspci port")
        b.outputs["query-pci"] = m.qmp("query-pci")
        m.command(f"outb 0x80 {MARK_BEFORE:#x}")
        b.outputs["disk"] = m.command(f"disk read 0 {DISK_READ_SECTORS} dma",
                                      timeout=30)
        m.command(f"outb 0x80 {MARK_AFTER:#x}")
        table = [a.value for a in m.kernel_accesses(["bmdma"])
                 if a.op == "write" and a.addr & 0xF == BMIDTP]
        if table:
            b.outputs["prd"] = m.read_phys(table[-1], 2, "w")
        m.quit()
        b.status = m.proc.returncode
    except AssertionError as e:
        b.problem = str(e).splitlines()[0]
    finally:
        finish(m, b)
    return b


def boot_pic_selftest(tmp):
    """The self-test with the 8259 delivering; it ends QEMU itself."""
    del tmp
    b = Boot("pic")
    m = Machine(append=f"test irq=pic hz={HZ}", trace=True, extra=NO_VGA)
    try:
        b.status = m.wait_exit(timeout=40)
    except AssertionError as e:
        b.problem = str(e).splitlines()[0]
    finally:
        finish(m, b)
    return b


BOOTS = {"monitor": boot_monitor, "pic": boot_pic_selftest}


# --- helpers for the checks ------------------------------------------------

def writes(accesses):
    return [(a.addr, a.value) for a in accesses if a.op == "write"]


def tap(b, prefix):
    """(ok, why) of the self-test line whose name starts with prefix."""
    for m in TAP_RE.finditer(b.text):
        if m[2].startswith(prefix):
            skip = m[3] and m[3].startswith("SKIP")
            return (m[1] == "ok" and not skip), m[3] or ""
    return False, "the self-test never got there"


def did_not_run(b):
    return f"the {b.name} boot went wrong: {b.problem}" if b.problem else None


def fdread_crc(b, mode):
    out = b.outputs.get(mode, "")
    m = FDREAD_RE.search(out)
    if not m:
        first = out.splitlines()[0] if out else "(no output)"
        return None, first
    return int(m[4], 16), m[0]


def image_crc():
    return zlib.crc32(image_bytes()[:READ_SECTORS * SECTOR])


def check(name, points, boot, fn):
    return {"name": name, "points": points, "boot": boot, "fn": fn}


# --- pic: boot "pic" -------------------------------------------------------

def pic_writes(b):
    return writes(b.acc("pic"))


def pic_icw(b, index, want, what):
    w = pic_writes(b)
    # ICW1 master, ICW1 slave, ICW2 m/s, ICW3 m/s, ICW4 m/s: 8 writes.
    got = w[2 * index:2 * index + 2]
    if got == want:
        return True, f"{what}: {', '.join(f'{v:#04x} to {p:#x}' for p, v in got)}"
    shown = ", ".join(f"{v:#04x} to {p:#x}" for p, v in got) or "nothing"
    expect = ", ".join(f"{v:#04x} to {p:#x}" for p, v in want)
    return False, f"{what}: expected {expect}, the 8259s got {shown}"


def pic_io_wait(b):
    both = [a.name for a in b.acc("pic", "ioport80") if a.op == "write"]
    if both[:16] == ["pic", "ioport80"] * 8:
        return True, "every ICW was followed by a write to port 0x80"
    return False, "each of the 8 ICWs must be followed by io_wait() (an " \
                  "out to port 0x80): the chip's recovery time"


def pic_eois(b):
    eois = pic_writes(b).count((PIC1_CMD, OCW2_EOI))
    ok, _ = tap(b, "tick: the timer interrupt arrives")
    if eois >= 10 and ok:
        return True, f"{eois} EOIs (OCW2 0x20 to port 0x20), and the timer " \
                     "kept interrupting"
    return False, f"{eois} EOIs to port 0x20: without one per interrupt " \
                  "the line stays in service and never comes again"


def pic_clean(b):
    ticked, _ = tap(b, "tick: the timer interrupt arrives")
    ok, why = tap(b, "pic: every IRQ acknowledged")
    if ok and ticked:
        return True, "interrupts came, every one acknowledged, no spurious " \
                     "one, nothing left in service (self-test)"
    return False, ("no timer interrupt came through the 8259 at all"
                   if not ticked else f"self-test: {why}")


def pic_tap(prefix, good):
    def fn(b):
        ok, why = tap(b, prefix)
        return ok, good if ok else f"self-test '{prefix}...' failed: {why}"
    return fn


# --- pit: boot "monitor" ---------------------------------------------------

def pit_divisor():
    return (PIT_INPUT_HZ + HZ // 2) // HZ


def pit_control(b):
    w = writes(b.acc("pit"))
    first = next((v for p, v in w if p == PIT_CMD), None)
    if first == PIT_CONTROL_CH0_LOHI_MODE2:
        return True, "control word 0x34: channel 0, low then high byte, " \
                     "mode 2, binary"
    return False, ("no control word written to port 0x43" if first is None
                   else f"first control word {first:#04x}, expected 0x34 "
                        "(channel 0, low/high byte, mode 2, binary)")


def pit_count(b):
    w = writes(b.acc("pit"))
    d = pit_divisor()
    i = next((k for k, (p, v) in enumerate(w) if p == PIT_CMD
              and v & PIT_SELECT_ACCESS == PIT_CH0_LOHI), None)
    if i is None:
        return False, "no control word for channel 0, low then high byte"
    got = [v for p, v in w[i + 1:i + 3] if p == PIT_CH0]
    if got == [d & 0xFF, d >> 8]:
        return True, f"divisor {d} for hz={HZ}, low byte then high byte"
    return False, f"expected divisor {d} (1193182 / {HZ}, rounded) as " \
                  f"{d & 0xFF:#04x} then {d >> 8:#04x} on port 0x40, got " \
                  + (", ".join(f"{v:#04x}" for v in got) or "nothing")


def pit_reload(b):
    acc = b.acc("pit")
    counts, latched, low = [], False, None
    for a in acc:
        if a.op == "write" and a.addr == PIT_CMD:
            latched = a.value == PIT_LATCH_CH0
            low = None
        elif a.op == "read" and a.addr == PIT_CH0 and latched:
            if low is None:
                low = a.value
            else:
                counts.append(a.value << 8 | low)
                latched, low = False, None
    if not counts:
        return False, "the kernel never read channel 0's latched count"
    top = max(counts)
    if top <= pit_divisor():
        return True, f"{len(counts)} latched counts, none above the " \
                     f"divisor {pit_divisor()}: channel 0 reloads with it"
    return False, f"channel 0 counted from {top}, above the divisor " \
                  f"{pit_divisor()}: it does not reload with yours"


# --- uart: boot "monitor" --------------------------------------------------

def uart_writes(b):
    return writes(b.acc("serial"))


def uart_divisor(b):
    w = uart_writes(b)
    want = [(UART_LCR, UART_LCR_DLAB), (COM1, UART_DIVISOR_115200 & 0xFF),
            (COM1 + 1, UART_DIVISOR_115200 >> 8)]
    for i in range(len(w)):
        if w[i:i + 3] == want:
            return True, "LCR DLAB on, then DLL 0x01, DLM 0x00: 115200 baud"
    return False, "expected LCR 0x80 (DLAB), DLL 0x01, DLM 0x00 in a row " \
                  "(115200 = 1843200 / 16 / 1)"


def uart_8n1(b):
    w = uart_writes(b)
    dlab = [i for i, x in enumerate(w) if x == (UART_LCR, UART_LCR_DLAB)]
    if dlab and (UART_LCR, UART_LCR_8N1) in w[dlab[0]:]:
        return True, "LCR 0x03 after the divisor: 8 bits, no parity, 1 " \
                     "stop bit, DLAB off"
    return False, "expected LCR 0x03 (8N1, DLAB off) after the divisor latch"


def uart_fifo(b):
    if (UART_IIR, UART_FCR_ON_CLEAR_TRIGGER14) in uart_writes(b):
        return True, "FCR 0xc7: FIFOs on, both cleared, trigger at 14 bytes"
    return False, "no FCR 0xc7 (FIFOs on, cleared, trigger 14) to port 0x3fa"


def uart_rx(b):
    acc = [a for a in b.acc("serial") if a.op == "read"]
    for a, nxt in zip(acc, acc[1:]):
        if (a.addr == UART_IIR
                and (a.value & UART_IIR_ID) in (UART_IIR_RDA, UART_IIR_TIMEOUT)
                and not a.value & UART_IIR_NO_INT):
            if any(x.addr == UART_RBR for x in acc[acc.index(a):][:40]):
                return True, "the IRQ 4 handler read IIR (received data), " \
                             "then RBR"
    return False, "IRQ 4 came while we typed, but IIR was never read for " \
                  "its receive cause: the handler must read IIR, then RBR"


# --- lapic: boot "monitor" -------------------------------------------------

def lapic_acc(b):
    return b.acc("apic-msi")


def lapic_svr(b):
    acc = lapic_acc(b)
    svr = [(a.op, a.value) for a in acc if a.addr == LAPIC_SVR]
    want = LAPIC_SVR_ENABLE | LAPIC_SPURIOUS_VECTOR
    if any(op == "write" and v & want == want for op, v in svr):
        return True, "SVR written with bit 8 (enable) and vector 0xff"
    return False, "the SVR never got bit 8 (software enable) with the " \
                  "spurious vector 0xff"


def lapic_calibration(b):
    seq = []
    for a in b.acc("apic-msi", "pit"):
        if a.name == "apic-msi" and a.addr == LAPIC_TIMER_INITIAL \
                and a.op == "write":
            seq.append("start" if a.value == TIMER_COUNT_MAX else
                       "stop" if a.value == 0 else "initial")
        elif a.name == "apic-msi" and a.addr == LAPIC_TIMER_CURRENT \
                and a.op == "read":
            seq.append("current")
        elif a.name == "apic-msi" and a.addr == LAPIC_TIMER_DIVIDE \
                and a.op == "write":
            seq.append("by1" if a.value == LAPIC_DIVIDE_BY_1 else "divide")
        elif a.name == "pit" and a.op == "read" and a.addr == PIT_CH0:
            seq.append("pit")
    text = " ".join(x for i, x in enumerate(seq) if i == 0 or seq[i - 1] != x)
    if re.search(r"by1 start current pit current stop", text):
        return True, "divide by 1, initial count 0xffffffff, current count " \
                     "read, PIT channel 0 read, current count again, stopped"
    return False, "expected: divide by 1 (0xb), initial count 0xffffffff, " \
                  "read the current count, wait on PIT channel 0, read it " \
                  "again, initial count 0"


def calibration_trace(b):
    """The calibration windows as QEMU saw them, in order: for each, the
    timer's current count when the wait began and when it ended, and the
    PIT clocks that went by in between, counted from channel 0's latched
    counts as they reload with the divisor last written (65536 for the
    BIOS's 0). [] if absent."""
    reload, ch0_bytes, latched, low = PIT_COUNT_ZERO, None, False, None
    started, start, counts, windows = False, None, [], []
    for a in b.acc("apic-msi", "pit"):
        if a.name == "pit" and a.op == "write":
            if a.addr == PIT_CMD:
                latched = a.value == PIT_LATCH_CH0
                if a.value & PIT_SELECT_ACCESS == PIT_CH0_LOHI:
                    ch0_bytes = []
            elif a.addr == PIT_CH0 and ch0_bytes is not None:
                ch0_bytes.append(a.value)
                if len(ch0_bytes) == 2:
                    reload = (ch0_bytes[1] << 8 | ch0_bytes[0]) or PIT_COUNT_ZERO
                    ch0_bytes = None
        elif a.name == "pit" and a.addr == PIT_CH0 and latched:
            if low is None:
                low = a.value
            else:
                if start is not None:
                    counts.append(a.value << 8 | low)
                latched, low = False, None
        elif a.addr == LAPIC_TIMER_INITIAL and a.op == "write":
            started = a.value == TIMER_COUNT_MAX
            start, counts = None, []
        elif a.addr == LAPIC_TIMER_CURRENT and a.op == "read" and started:
            if start is None:
                start = a.value
            else:
                clocks = sum(p - n if n < p else p + reload - n
                             for p, n in zip(counts, counts[1:]) if n != p)
                windows.append((start, a.value, clocks))
                started = False
    return windows


def lapic_rate(b):
    m = re.search(r"apic: timer (\d+) Hz \(measured against the PIT\)",
                  b.text)
    if not m:
        return False, "the kernel printed no measured Local APIC timer rate"
    hz = int(m[1])
    # The kernel keeps the lowest rate of its windows: a window can only
    # look too fast (lapic_calibrate_timer in drivers/lapic.c).
    windows = [(start, end, clocks)
               for start, end, clocks in calibration_trace(b)
               if clocks and end < start]
    if not windows:
        return False, f"the kernel printed {hz} Hz, but the trace shows no " \
                      "timer counting down while PIT channel 0 was read"

    def rate(window):
        start, end, clocks = window
        return (start - end) * PIT_INPUT_HZ // clocks

    start, end, clocks = min(windows, key=rate)
    want = rate((start, end, clocks))
    if abs(hz - want) <= want // RATE_TOLERANCE:
        return True, f"{hz} Hz: {start - end} timer counts in {clocks} PIT " \
                     "clocks, as the trace shows"
    # A host that held QEMU up during the wait makes the kernel miss PIT
    # periods; the rate then passes 2^32 Hz, and the kernel's 32-bit
    # timer_hz keeps its low bits. That is the arithmetic done right.
    wrapped = want % UINT32_RANGE
    if want >= UINT32_RANGE and abs(hz - wrapped) <= wrapped // RATE_TOLERANCE:
        return True, f"{hz} Hz: the traced counts give {want} Hz, which a " \
                     "32-bit rate cannot hold (the host held QEMU up while " \
                     "the kernel counted PIT clocks)"
    return False, f"the kernel printed {hz} Hz; the trace shows " \
                  f"{start - end} timer counts in {clocks} PIT clocks of " \
                  f"1193182 Hz: {want} Hz"


def ticks(b):
    try:
        return int(b.outputs["ticks0"]), int(b.outputs["ticks1"])
    except (KeyError, ValueError):
        return None


def lapic_eoi(b):
    t = ticks(b)
    eois = writes(lapic_acc(b)).count((LAPIC_EOI, 0))
    if not t or t[1] - t[0] < MIN_TICKS:
        return False, f"the tick stopped ({t}): {eois} EOIs; without an " \
                      "EOI the Local APIC delivers nothing more"
    if eois >= t[1]:
        return True, f"{eois} EOIs for {t[1]} ticks, and the tick runs"
    return False, f"{eois} EOIs for {t[1]} ticks"


# --- ioapic: boot "monitor" ------------------------------------------------

def ioapic_pairs(b):
    """(register selected, op, value) for each IOWIN access."""
    sel, out = None, []
    for a in b.acc("ioapic"):
        if a.addr == IOREGSEL and a.op == "write":
            sel = a.value
        elif a.addr == IOWIN:
            out.append((sel, a.op, a.value))
    return out


def ioapic_version(b):
    p = ioapic_pairs(b)
    if any(s == IOAPIC_REG_VERSION and op == "read" for s, op, _ in p):
        return True, "the version register read through the window: " \
                     "IOREGSEL 0x01, then IOWIN"
    return False, "the version register (0x01) was never read through " \
                  "IOREGSEL then IOWIN"


def ioapic_override(b):
    reg = IOAPIC_REDTBL + 2 * SCI_IRQ
    lows = [v for s, op, v in ioapic_pairs(b) if s == reg and op == "write"]
    good = [v for v in lows if v & RTE_LEVEL and not v & RTE_ACTIVE_LOW
            and v & RTE_VECTOR == APIC_VECTOR_BASE + SCI_IRQ]
    if good:
        return True, f"GSI 9: vector 0x39, level, active high ({good[-1]:#x})" \
                     ", as the MADT's override of ISA IRQ 9 says"
    return False, "GSI 9's entry must be level-triggered, active high, " \
                  "vector 0x39 (the MADT's override of ISA IRQ 9); got " \
                  + (", ".join(f"{v:#x}" for v in lows) or "no write")


def ioapic_order(b):
    p = [(s, v) for s, op, v in ioapic_pairs(b) if op == "write"]
    reg = IOAPIC_REDTBL + 2 * SCI_IRQ
    for i in range(len(p) - 2):
        if p[i] == (reg, RTE_MASKED) and p[i + 1][0] == reg + 1 \
                and p[i + 2][0] == reg and p[i + 2][1] & RTE_MASKED:
            return True, "entry masked, then the high half (destination), " \
                         "then the low half, still masked"
    return False, "write an entry masked first, then its high half, then " \
                  "its low half: a half-written entry must never be live"


def ioapic_delivers(b):
    # irqs: line, name, by the 8259, by the IO APIC.
    com1 = re.search(r"^\s+4  com1\s+(\d+)\s+(\d+)$",
                     b.outputs.get("irqs", ""), re.M)
    if com1 and int(com1[2]) > 0:
        return True, f"{com1[2]} interrupts of COM1 (our typing) came " \
                     "through the IO APIC"
    return False, "no COM1 interrupt came through the IO APIC while we " \
                  "typed (`irqs`): is its entry routed and unmasked?"


# --- dma: boot "monitor" ---------------------------------------------------

def dma_program(b):
    w = [(a.name, a.addr, a.value) for a in b.acc("dma-chan", "dma-cont",
                                                  "dma-page")
         if a.op == "write"]
    try:
        i = w.index(("dma-cont", DMA_SINGLE_MASK, DMA_MASK_CH2))
    except ValueError:
        return None, "channel 2 was never masked (0x06 to port 0x0a)"
    return w[i:i + 9], None


def dma_sequence(b):
    seq, why = dma_program(b)
    if seq is None:
        return False, why
    want = [("dma-cont", DMA_SINGLE_MASK), ("dma-cont", DMA_CLEAR_FF),
            ("dma-cont", DMA_MODE), ("dma-chan", DMA_CH2_ADDRESS),
            ("dma-chan", DMA_CH2_ADDRESS), ("dma-page", DMA_CH2_PAGE),
            ("dma-chan", DMA_CH2_COUNT), ("dma-chan", DMA_CH2_COUNT),
            ("dma-cont", DMA_SINGLE_MASK)]
    if [(n, p) for n, p, _ in seq] == want and seq[8][2] == DMA_UNMASK_CH2:
        return True, "mask, flip-flop, mode, address low/high, page, count " \
                     "low/high, unmask"
    got = ", ".join(f"{p:#x}" for _, p, _ in seq)
    return False, "expected ports 0xa, 0xc, 0xb, 0x4, 0x4, 0x81, 0x5, " \
                  f"0x5, 0xa after masking channel 2; got {got}"


def dma_mode(b):
    seq, why = dma_program(b)
    if seq is None:
        return False, why
    modes = [v for n, p, v in seq if p == DMA_MODE and n == "dma-cont"]
    if modes == [DMA_MODE_SINGLE_WRITE_CH2]:
        return True, "mode 0x46: single transfer, address up, no " \
                     "auto-init, write to memory, channel 2"
    return False, f"mode {modes}: expected 0x46 (single, increment, " \
                  "write to memory, channel 2)"


def dma_count(b):
    seq, why = dma_program(b)
    if seq is None:
        return False, why
    count = [v for n, p, v in seq if p == DMA_CH2_COUNT]
    want = READ_SECTORS * SECTOR - 1
    if count == [want & 0xFF, want >> 8]:
        return True, f"count {want:#06x}: the 8237 moves count + 1 bytes"
    return False, f"count bytes {count}: expected {want:#06x} (the 8237 " \
                  "moves count + 1 bytes), low byte first"


def crc_check(mode):
    def fn(b):
        crc, line = fdread_crc(b, mode)
        if crc == image_crc():
            return True, f"fdread by {mode}: the image's CRC-32 {crc:#010x}"
        return False, f"fdread by {mode}: {line}"
    return fn


# --- fdc: boot "monitor" ---------------------------------------------------

def fdc_pio_phase(b):
    """The accesses to the FDC after the last READ DATA command: the PIO
    read's execution and result phases."""
    acc = b.acc("fdc")
    fifo_w = [i for i, a in enumerate(acc) if a.op == "write"
              and a.addr == FDC_FIFO]
    n = len(READ_DATA_CMD)
    starts = [fifo_w[k] for k in range(len(fifo_w) - n + 1)
              if [acc[j].value for j in fifo_w[k:k + n]] == READ_DATA_CMD]
    if not starts:
        return None
    return acc[fifo_w[fifo_w.index(starts[-1]) + n - 1] + 1:]


def fdc_polled(b):
    phase = fdc_pio_phase(b)
    if phase is None:
        return False, "no READ DATA of sectors 1-2 reached the controller"
    want = READ_SECTORS * SECTOR
    bad = 0
    reads = 0
    for prev, a in zip(phase, phase[1:]):
        if a.op == "read" and a.addr == FDC_FIFO and reads < want:
            reads += 1
            if not (prev.addr == FDC_MSR and prev.value & MSR_RQM
                    and prev.value & MSR_NON_DMA):
                bad += 1
    if reads >= want and not bad:
        return True, f"each of the {want} data bytes read after an MSR " \
                     "read with RQM and NON-DMA set"
    return False, f"{reads} FIFO reads, {bad} of them without an MSR read " \
                  "(RQM and NON-DMA set) just before"


def fdc_bytes(b):
    phase = fdc_pio_phase(b)
    if phase is None:
        return False, "no READ DATA of sectors 1-2 reached the controller"
    data = [a.value for a in phase if a.op == "read" and a.addr == FDC_FIFO]
    want = READ_SECTORS * SECTOR
    image = image_bytes()[:want]
    if len(data) == want + READ_RESULT_BYTES and bytes(data[:want]) == image:
        return True, f"the FIFO gave the image's {want} bytes, then the 7 " \
                     "result bytes"
    return False, f"{len(data)} bytes read from the FIFO: expected the " \
                  f"image's {want} bytes, then the 7 result bytes"


# --- pci: boot "monitor" ---------------------------------------------------

def qemu_functions(b):
    """{(bus, dev, fn): (vendor, device, {bar: size})} from QMP query-pci,
    behind bridges too; the expansion ROM is no BAR."""
    found = {}

    def walk(devices):
        for d in devices:
            found[(d["bus"], d["slot"], d["function"])] = (
                d["id"]["vendor"], d["id"]["device"],
                {r["bar"]: r["size"] for r in d["regions"] if r["bar"] <= 5})
            walk((d.get("pci_bridge") or {}).get("devices", []))

    for bus in b.outputs.get("query-pci", []):
        walk(bus["devices"])
    return found


def lspci_functions(b):
    """The same from the kernel's `lspci port`."""
    found, bars = {}, None
    for line in b.outputs.get("lspci", "").splitlines():
        m = LSPCI_FUNCTION_RE.match(line)
        if m:
            bars = {}
            found[(int(m[1], 16), int(m[2], 16), int(m[3], 16))] = (
                int(m[4], 16), int(m[5], 16), bars)
            continue
        m = LSPCI_BAR_RE.match(line)
        if m and bars is not None:
            bars[int(m[1])] = int(m[2], 16)
    return found


def bdf_text(f):
    return f"{f[0]:02x}:{f[1]:02x}.{f[2]:x}"


def conf_accesses(b):
    """Each access to the data port as (bdf, register, op, value), the
    register from the address last written to CONFIG_ADDRESS and the byte
    lane; None for the bdf when the enable bit was off."""
    out, address = [], 0
    for a in b.acc("pci-conf-idx", "pci-conf-data"):
        if a.name == "pci-conf-idx":
            if a.op == "write" and a.addr == PCI_CONFIG_ADDRESS:
                address = a.value
            continue
        bdf = (address >> 8) & 0xFFFF if address & PCI_CONF1_ENABLE else None
        reg = (address & PCI_CONF1_REG) + a.addr - PCI_CONFIG_DATA
        out.append((bdf, reg, a.op, a.value))
    return out


def pci_address(b):
    qemu = qemu_functions(b)
    if not qemu:
        return False, "QMP query-pci listed no function (the boot went wrong)"
    read = {bdf for bdf, reg, op, _ in conf_accesses(b)
            if bdf is not None and reg == 0 and op == "read"}
    missed = [f for f in qemu if f[0] << 8 | f[1] << 3 | f[2] not in read]
    if not missed:
        return True, f"the vendor ID of each of the {len(qemu)} functions " \
                     "read through 0xcfc after its address (enable bit, " \
                     "bus, device, function, register) went to 0xcf8"
    return False, "no read of 0xcfc after the address of " + ", ".join(
        bdf_text(f) for f in missed) + " (enable bit 31, bus 23-16, device " \
        "15-11, function 10-8, register 7-2) was written to 0xcf8"


def pci_lspci(b):
    qemu = qemu_functions(b)
    mine = lspci_functions(b)
    want = {f: v[:2] for f, v in qemu.items()}
    got = {f: v[:2] for f, v in mine.items()}
    if want and got == want:
        return True, f"`lspci port` lists the {len(want)} functions QEMU " \
                     "has, with their vendor and device IDs"
    lost = [bdf_text(f) for f in want if got.get(f) != want[f]]
    extra = [bdf_text(f) for f in got if f not in want]
    return False, "`lspci port` differs from QEMU's query-pci: " + \
        (f"missing or wrong {', '.join(lost)}" if lost else "") + \
        ("; " if lost and extra else "") + \
        (f"not there {', '.join(extra)}" if extra else "")


def bar_sizings(b):
    """Each all-ones write to a BAR: whether decode was off before it,
    the BAR was read back, written back as it was, and the command
    register restored. Yields (bdf, register, problem or None)."""
    acc = conf_accesses(b)
    for i, (bdf, reg, op, value) in enumerate(acc):
        if not (op == "write" and PCI_BAR0 <= reg <= PCI_BAR5
                and value == PCI_BAR_SIZING_VALUE):
            continue
        before = [x for x in acc[:i] if x[0] == bdf]
        after = [x for x in acc[i + 1:] if x[0] == bdf]
        cmd_w = [x for x in before if x[1] == PCI_COMMAND and x[2] == "write"]
        cmd_r = [x for x in before if x[1] == PCI_COMMAND and x[2] == "read"]
        bar_r = [x for x in before if x[1] == reg and x[2] == "read"]
        mine = [x for x in after if x[1] == reg]
        restore = [x for x in after if x[1] == PCI_COMMAND
                   and x[2] == "write"]
        if not cmd_w or cmd_w[-1][3] & PCI_COMMAND_DECODE:
            yield bdf, reg, "decoding was not turned off in the command " \
                            "register first"
        elif not mine or mine[0][2] != "read":
            yield bdf, reg, "the BAR was not read back after all ones"
        elif len(mine) < 2 or mine[1][2] != "write" or not bar_r \
                or mine[1][3] != bar_r[-1][3]:
            yield bdf, reg, "the BAR's original value was not written back"
        elif not restore or not cmd_r or restore[0][3] != cmd_r[-1][3]:
            yield bdf, reg, "the command register was not restored"
        else:
            yield bdf, reg, None


def pci_bar_sequence(b):
    done = list(bar_sizings(b))
    bad = [(bdf, reg, why) for bdf, reg, why in done if why]
    if done and not bad:
        return True, f"{len(done)} BARs sized: decode off, all ones, read " \
                     "back, the BAR and the command register restored"
    if not done:
        return False, "no BAR was written with all ones (0xffffffff)"
    bdf, reg, why = bad[0]
    return False, f"{len(bad)} of {len(done)} sizings wrong; at " \
                  f"{bdf >> 8:02x}:{bdf >> 3 & 0x1f:02x}.{bdf & 7:x} " \
                  f"offset {reg:#x}: {why}"


def pci_bar_sizes(b):
    qemu, mine = qemu_functions(b), lspci_functions(b)
    want = {(f, i): s for f, v in qemu.items() for i, s in v[2].items()}
    got = {(f, i): s for f, v in mine.items() for i, s in v[2].items()}
    wrong = [f"{bdf_text(f)} BAR{i} size {got.get((f, i), 0):#x}, QEMU "
             f"{s:#x}" for (f, i), s in want.items() if got.get((f, i)) != s]
    if want and not wrong:
        return True, f"the sizes of all {len(want)} BARs as QEMU has them"
    return False, ("no BAR in query-pci" if not want else
                   f"{len(wrong)} BARs wrong: {'; '.join(wrong[:3])}")


# --- busmaster: boot "monitor" ---------------------------------------------

def dma_read_accesses(b):
    """The accesses of `disk read 0 8 dma`: between the two markers."""
    out, inside = [], False
    for a in b.accesses:
        if a.name == "ioport80" and a.op == "write":
            if a.value == MARK_BEFORE:
                inside, out = True, []
            elif a.value == MARK_AFTER:
                inside = False
            continue
        if inside:
            out.append(a)
    return out


def bm_steps(b):
    """What the read did to the engine and the disk's command register,
    in order, as (name, op, value)."""
    names = {BMIC: "BMIC", BMIS: "BMIS", BMIDTP: "BMIDTP"}
    out = []
    for a in dma_read_accesses(b):
        if a.name in ("piix-bmdma", "bmdma"):
            out.append((names.get(a.addr & 0x7, hex(a.addr)), a.op, a.value))
        elif a.name == "ide" and a.addr == ATA_COMMAND and a.op == "write":
            out.append(("COMMAND", a.op, a.value))
    return out


def bm_data(b):
    out = b.outputs.get("disk", "")
    m = DISK_READ_RE.search(out)
    want = b.outputs.get("disk-crc")
    if m and int(m[3], 16) == want:
        return True, f"`disk read 0 {DISK_READ_SECTORS} dma`: the disk's " \
                     f"CRC-32 {want:#010x}"
    lines = out.splitlines() or ["(no output)"]
    first = next((x for x in lines if x.startswith("error:")), lines[0])
    return False, f"`disk read 0 {DISK_READ_SECTORS} dma` should give " \
                  f"CRC-32 {want or 0:#010x}; it said: {first}"


def bm_prd(b):
    entry = b.outputs.get("prd")
    want = DISK_READ_SECTORS * SECTOR
    if not entry:
        return False, "no PRD table address was written to BMIDTP"
    phys, count = entry
    if count == PRD_EOT | want and phys and not phys & 1:
        return True, f"one PRD entry: {want} bytes at {phys:#x}, with the " \
                     "end-of-table bit"
    return False, f"the PRD table at BMIDTP holds {phys:#010x} " \
                  f"{count:#010x}: expected an even address and " \
                  f"{PRD_EOT | want:#010x} ({want} bytes, end of table)"


def bm_start(b):
    steps = bm_steps(b)
    want = [("BMIDTP", "write"), ("BMIC", "write"), ("BMIS", "read"),
            ("BMIS", "write"), ("COMMAND", "write"), ("BMIC", "write")]
    got = steps[:6]
    if [s[:2] for s in got] == want and got[1][2] == BMIC_RWCON_WRITE \
            and got[3][2] & (BMIS_ERROR | BMIS_INTERRUPT) \
            == BMIS_ERROR | BMIS_INTERRUPT and got[4][2] == ATA_READ_DMA \
            and got[5][2] == BMIC_RWCON_WRITE | BMIC_SSBM:
        return True, "BMIDTP, engine stopped (direction: write memory), " \
                     "BMIS cleared, READ DMA, then BMIC 0x09 (start)"
    shown = ", ".join(f"{n} {op} {v:#x}" for n, op, v in got) or "nothing"
    return False, "expected BMIDTP, BMIC 0x08, a BMIS read, BMIS 0x06, " \
                  f"READ DMA (0xc8), BMIC 0x09; got {shown}"


def bm_stop(b):
    after = bm_steps(b)[6:9]
    if [s[:2] for s in after] == [("BMIC", "write"), ("BMIS", "read"),
                                  ("BMIS", "write")] \
            and not after[0][2] & BMIC_SSBM \
            and after[1][2] & BMIS_INTERRUPT:
        return True, "after IRQ 14: engine stopped, BMIS read (interrupt), " \
                     "cleared"
    shown = ", ".join(f"{n} {op} {v:#x}" for n, op, v in after) or "nothing"
    return False, "after the start expected BMIC 0x08 (stop), a BMIS read " \
                  f"with the interrupt bit, BMIS 0x06; got {shown}"


def bm_no_pio(b):
    acc = dma_read_accesses(b)
    reads = [a for a in acc if a.name == "ide" and a.addr == ATA_DATA]
    if acc and not reads and bm_steps(b):
        return True, "the CPU read no word from the data port: the " \
                     "controller moved the data"
    if not bm_steps(b):
        return False, "the DMA read never touched the engine"
    return False, f"{len(reads)} reads of the data port 0x1f0 in a DMA read"


CHECKS = {
    "pic": [
        check("icw1", 2, "pic", lambda b: pic_icw(
            b, 0, [(PIC1_CMD, ICW1), (PIC2_CMD, ICW1)],
            "ICW1 (edge, cascade, ICW4 follows) to both command ports")),
        check("icw2", 2, "pic", lambda b: pic_icw(
            b, 1, [(PIC1_DATA, MASTER_BASE), (PIC2_DATA, SLAVE_BASE)],
            "ICW2: vector bases 0x20 and 0x28, above the exceptions")),
        check("icw3", 1, "pic", lambda b: pic_icw(
            b, 2, [(PIC1_DATA, ICW3_MASTER), (PIC2_DATA, ICW3_SLAVE)],
            "ICW3: the slave on the master's line 2")),
        check("icw4", 1, "pic", lambda b: pic_icw(
            b, 3, [(PIC1_DATA, ICW4_8086), (PIC2_DATA, ICW4_8086)],
            "ICW4: 8086 mode")),
        check("io-wait", 1, "pic", pic_io_wait),
        check("mask", 2, "pic", pic_tap(
            "pic: IMR mask and unmask", "IMR mask and unmask read back "
            "(self-test)")),
        check("eoi", 2, "pic", pic_eois),
        check("clean", 2, "pic", pic_clean),
        check("vector", 1, "pic", pic_tap(
            "tick: the timer interrupt arrives", "the timer interrupt "
            "arrives at vector 0x20 (self-test)")),
    ],
    "pit": [
        check("control-word", 3, "monitor", pit_control),
        check("divisor", 3, "monitor", pit_count),
        check("reload", 2, "monitor", pit_reload),
    ],
    "uart": [
        check("divisor-latch", 3, "monitor", uart_divisor),
        check("8n1", 2, "monitor", uart_8n1),
        check("fifo", 2, "monitor", uart_fifo),
        check("rx-irq", 3, "monitor", uart_rx),
    ],
    "lapic": [
        check("svr-enable", 3, "monitor", lapic_svr),
        check("calibration", 3, "monitor", lapic_calibration),
        check("rate", 2, "monitor", lapic_rate),
        check("eoi", 3, "monitor", lapic_eoi),
    ],
    "ioapic": [
        check("window", 2, "monitor", ioapic_version),
        check("override", 3, "monitor", ioapic_override),
        check("masked-first", 2, "monitor", ioapic_order),
        check("delivers", 2, "monitor", ioapic_delivers),
    ],
    "dma": [
        check("sequence", 4, "monitor", dma_sequence),
        check("mode", 2, "monitor", dma_mode),
        check("count", 2, "monitor", dma_count),
        check("data", 2, "monitor", crc_check("dma")),
    ],
    "fdc": [
        check("msr-polled", 3, "monitor", fdc_polled),
        check("bytes", 3, "monitor", fdc_bytes),
        check("data", 2, "monitor", crc_check("pio")),
    ],
    "pci": [
        check("address", 3, "monitor", pci_address),
        check("lspci", 3, "monitor", pci_lspci),
        check("bar-sizing", 3, "monitor", pci_bar_sequence),
        check("bar-sizes", 2, "monitor", pci_bar_sizes),
    ],
    "busmaster": [
        check("data", 3, "monitor", bm_data),
        check("prd-table", 2, "monitor", bm_prd),
        check("start", 3, "monitor", bm_start),
        check("stop", 2, "monitor", bm_stop),
        check("no-pio", 1, "monitor", bm_no_pio),
    ],
}


def grade(labs):
    needed = sorted({c["boot"] for lab in labs for c in CHECKS[lab]})
    # The boots run side by side: each QEMU mostly waits (for its tick,
    # the diskette, the grader's typing), and no check depends on timing
    # a loaded host would upset.
    with tempfile.TemporaryDirectory(prefix="iospace-grade-") as tmp, \
            concurrent.futures.ThreadPoolExecutor(len(needed)) as pool:
        runs = {name: pool.submit(BOOTS[name], tmp) for name in needed}
        boots = {name: run.result() for name, run in runs.items()}
    said = sorted({m.groups() for b in boots.values()
                   for m in MISSING_RE.finditer(b.text)})
    result = {"labs": {}, "score": 0, "max": 0,
              "missing": [f"{lab}.{p}" for lab, p in said],
              "boots": {n: {"status": b.status, "problem": b.problem}
                        for n, b in boots.items()}}
    for lab in labs:
        rows, score, top = [], 0, 0
        for c in CHECKS[lab]:
            b = boots[c["boot"]]
            try:
                ok, why = c["fn"](b)
            except Exception as e:      # a check must never crash the grade
                ok, why = False, f"the check failed to run: {e!r}"
            if not ok and b.problem:
                why = f"{why} ({did_not_run(b)})"
            rows.append({"name": f"{lab}.{c['name']}", "points": c["points"],
                         "got": c["points"] if ok else 0, "ok": ok,
                         "why": why})
            score += c["points"] if ok else 0
            top += c["points"]
        result["labs"][lab] = {"title": LABS[lab]["title"], "score": score,
                               "max": top, "checks": rows}
        result["score"] += score
        result["max"] += top
    return result


def print_text(result):
    for lab, r in result["labs"].items():
        print(f"lab {lab}: {r['title']}")
        for c in r["checks"]:
            verdict = "GOOD" if c["ok"] else "BAD "
            print(f"  {verdict} {c['name']:<20} {c['got']}/{c['points']}  "
                  f"{c['why']}")
        print(f"  lab {lab}: {r['score']}/{r['max']}")
    for part in result["missing"]:
        print(f"the kernel says: lab part {part} is missing (a stub)")
    print(f"Score: {result['score']}/{result['max']}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("labs", nargs="*", help="labs to grade (default: all)")
    ap.add_argument("--json", action="store_true",
                    help="print the result as JSON")
    args = ap.parse_args()
    labs = args.labs or list(CHECKS)
    unknown = [lab for lab in labs if lab not in CHECKS]
    if unknown:
        print(f"error: no lab {', '.join(unknown)}; the labs: "
              + ", ".join(CHECKS), file=sys.stderr)
        return 2
    if not os.path.exists(ELF):
        print(f"error: {ELF} is missing: run `make` first", file=sys.stderr)
        return 2
    started = time.monotonic()
    result = grade(labs)
    result["seconds"] = round(time.monotonic() - started, 1)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print_text(result)
    return 0 if result["score"] == result["max"] else 1


if __name__ == "__main__":
    sys.exit(main())
