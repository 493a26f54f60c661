#!/usr/bin/env python3
"""Writes the fuzzers' seed inputs into tests/fuzz/corpus/NAME/: a few
well-formed inputs per target, from which libFuzzer's mutations start.
The output is committed; run this again only to change the seeds.
"""

import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))


def write(target, name, data):
    d = os.path.join(HERE, "corpus", target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("latin-1")
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def checksum(b, at):
    """b with byte `at` set so that all of b sums to 0 mod 256."""
    b = bytearray(b)
    b[at] = 0
    b[at] = -sum(b) & 0xFF
    return bytes(b)


# --- the monitor: lines as typed --------------------------------------
for i, line in enumerate([
        b"help\r", b"peek 0xb8000 4\r", b"outb 0x3ff 0x5a\r\n",
        b"poke 0xB8000 0x1f4b1f4f\n", b"hepl\x08\x7flp\r", b"frobnicate\x03",
        b"inb 4294967296\r", b"outl 0x80 0xFFFFFFFF\r",
        b"a b c d e f g h i\r", b"x" * 200 + b"\r", b"he\x1blp\r\xff\r"]):
    write("monitor", f"line{i}", line)

# --- the kernel command line -----------------------------------------
for i, line in enumerate([
        "/boot/iospace.elf test irq=pic hz=250 trace",
        "build/iospace.elf irq=apic hz=10000",
        "iospace.elf bogus irq=xyz hz=5 hz=abc test=1 hz=0x3e8",
        "hz=" + "9" * 80 + " test",
        "iospace.elf screen=console screen=live screen=tv screen"]):
    write("cmdline", f"cmdline{i}", line)

# --- multiboot information at 0x1000 ---------------------------------
MBI = 0x1000
FLAGS = (1 << 0) | (1 << 2) | (1 << 6) | (1 << 9)
CMDLINE, LOADER, MMAP = 0x60, 0x90, 0xA0
mmap = b""
for base, length, kind in [(0, 0x9FC00, 1), (0x9FC00, 0x400, 2),
                           (0xF0000, 0x10000, 2), (0x100000, 0x7EE0000, 1),
                           (0xFFFC0000, 0x40000, 2)]:
    mmap += struct.pack("<IQQI", 20, base, length, kind)
info = bytearray(0xA0 + len(mmap))
struct.pack_into("<III", info, 0, FLAGS, 639, 129920)
struct.pack_into("<I", info, 16, MBI + CMDLINE)
struct.pack_into("<II", info, 44, len(mmap), MBI + MMAP)
struct.pack_into("<I", info, 64, MBI + LOADER)
cmd = b"/boot/iospace.elf test hz=250\0"
info[CMDLINE:CMDLINE + len(cmd)] = cmd
info[LOADER:LOADER + 10] = b"GRUB 2.06\0"
info[MMAP:] = mmap
write("bootinfo", "grub", bytes(info))
# Only the flags word and an empty map: QEMU's -kernel without -append.
write("bootinfo", "minimal", struct.pack("<I", 1 << 6) + bytes(64))

# --- ACPI tables in the BIOS area at 0xE0000 -------------------------
BASE = 0xE0000


def sdt(sig, body):
    h = sig + struct.pack("<IBB", 36 + len(body), 1, 0) + b"BOCHS BXPC    "
    h += struct.pack("<III", 1, 0x50584342, 1)
    return checksum(h + body, 9)


def madt():
    e = struct.pack("<BBBBI", 0, 8, 0, 0, 1)                 # CPU 0
    e += struct.pack("<BBBBII", 1, 12, 0, 0, 0xFEC00000, 0)  # IO APIC
    e += struct.pack("<BBBBIH", 2, 10, 0, 0, 2, 0)           # IRQ 0 -> 2
    for irq in (5, 9, 10, 11):                               # level, high
        e += struct.pack("<BBBBIH", 2, 10, 0, irq, irq, 0xD)
    e += struct.pack("<BBBHB", 4, 6, 0xFF, 0, 1)             # NMI on LINT1
    return sdt(b"APIC", struct.pack("<II", 0xFEE00000, 1) + e)


def mcfg():
    """q35's: segment 0, buses 0-255, ECAM at 0xB0000000."""
    return sdt(b"MCFG", bytes(8) + struct.pack("<QHBBI", 0xB0000000, 0, 0,
                                               255, 0))


def hpet():
    """QEMU's: block ID, then the Base Address GAS (system memory, 64
    bits wide, 0xFED00000), HPET number 0, minimum tick, no protection."""
    gas = struct.pack("<BBBBQ", 0, 64, 0, 0, 0xFED00000)
    return sdt(b"HPET", struct.pack("<I", 0x8086A201) + gas
               + struct.pack("<BHB", 0, 128, 0))


def image(revision, q35=False, with_hpet=False):
    rsdp_len = 36 if revision >= 2 else 20
    rsdt_at, facp_at, madt_at, mcfg_at = 0x40, 0x80, 0xC0, 0x140
    hpet_at = 0x180
    facp = sdt(b"FACP", bytes(8))
    tables = [BASE + facp_at, BASE + madt_at] + ([BASE + mcfg_at] if q35
                                                  else [])
    tables += [BASE + hpet_at] if with_hpet else []
    rsdt = sdt(b"RSDT", struct.pack(f"<{len(tables)}I", *tables))
    rsdp = b"RSD PTR " + b"\0" + b"BOCHS " + bytes([revision])
    rsdp += struct.pack("<I", BASE + rsdt_at)
    if revision >= 2:
        rsdp += struct.pack("<IQ", 36, 0) + bytes(4)
    rsdp = checksum(rsdp[:20], 8) + rsdp[20:rsdp_len]
    if revision >= 2:
        rsdp = checksum(rsdp, 32)
    mem = bytearray(hpet_at + 0x40 if with_hpet else
                    mcfg_at + 0x40 if q35 else madt_at + 0x80)
    mem[0:len(rsdp)] = rsdp
    mem[rsdt_at:rsdt_at + len(rsdt)] = rsdt
    mem[facp_at:facp_at + len(facp)] = facp
    m = madt()
    mem[madt_at:madt_at + len(m)] = m
    if q35:
        c = mcfg()
        mem[mcfg_at:mcfg_at + len(c)] = c
    if with_hpet:
        h = hpet()
        mem[hpet_at:hpet_at + len(h)] = h
    return bytes(mem)


for rev in (0, 2):
    # Control byte 0: walked as it is; 1: the harness fixes checksums.
    write("acpi", f"qemu_rev{rev}", b"\x00" + image(rev))
    write("acpi", f"qemu_rev{rev}_fix", b"\x01" + image(rev))
# q35 adds an MCFG (the ECAM window) after the MADT.
write("acpi", "qemu_q35", b"\x00" + image(0, q35=True))
write("acpi", "qemu_q35_fix", b"\x01" + image(0, q35=True))
# QEMU's pc and q35 both have an HPET table (pc's hpet=off drops it).
write("acpi", "qemu_hpet", b"\x00" + image(0, with_hpet=True))
write("acpi", "qemu_q35_hpet_fix", b"\x01" + image(2, q35=True,
                                                   with_hpet=True))

# --- PCI configuration space ---------------------------------------
# A B:D.F as typed; q35's e1000e header, its capabilities PM@0xc8, MSI@0xd0,
# PCIe@0xe0, MSI-X@0xa0 (the first 16 bytes, as a BAR: ids and command);
# a 64-bit prefetchable BAR and its sizing read-back; a list that loops.
write("pci_config", "bdf", "00:1f.2")
space = bytearray(256)
space[0:4] = struct.pack("<HH", 0x8086, 0x10D3)
space[6] = 0x10                                 # status: capability list
space[0x34] = 0xC8
for at, cap, nxt in ((0xC8, 1, 0xD0), (0xD0, 5, 0xE0), (0xE0, 0x10, 0xA0),
                     (0xA0, 0x11, 0)):
    space[at:at + 2] = bytes([cap, nxt])
write("pci_config", "e1000e", bytes(space))
write("pci_config", "bar64", struct.pack("<IIII", 0xFE00000C, 0, 0xFFFFC00C,
                                          0xFFFFFFFF))
space[0xA1] = 0xC8                              # MSI-X back to PM
write("pci_config", "loop", bytes(space))

# --- MC146818 registers: sec min hour day month year century B ---------
write("rtc_time", "bcd24", bytes([0x30, 0x45, 0x13, 0x29, 0x02, 0x24, 0x20,
                                  0x02]))
write("rtc_time", "bin12_pm", bytes([59, 59, 0x80 | 12, 31, 12, 99, 19,
                                     0x04]))
write("rtc_time", "bcd12_am", bytes([0, 0, 0x12, 1, 1, 0x70, 0, 0x00]))

# --- scan code set 1 -------------------------------------------------
# "help" Enter, with releases; Shift+a; keypad Enter; an arrow wrapped in
# fake shifts; Ctrl-C; Pause.
write("keymap", "help", bytes([0x23, 0xA3, 0x12, 0x92, 0x26, 0xA6, 0x19,
                               0x99, 0x1C, 0x9C]))
write("keymap", "shift", bytes([0x2A, 0x1E, 0x9E, 0xAA, 0x36, 0x02, 0x82,
                                0xB6]))
write("keymap", "extended", bytes([0xE0, 0x1C, 0xE0, 0x9C, 0xE0, 0x2A,
                                   0xE0, 0x48, 0xE0, 0xC8, 0xE0, 0xAA]))
write("keymap", "ctrl_c", bytes([0x1D, 0x2E, 0xAE, 0x9D, 0xE0, 0x1D, 0x2E,
                                 0xE0, 0x9D]))
write("keymap", "pause", bytes([0xE1, 0x1D, 0x45, 0xE1, 0x9D, 0xC5, 0x1E]))
