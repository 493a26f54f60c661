#!/usr/bin/env python3
"""The graded labs (docs/labs.md): which driver code each lab takes out,
and `make lab LAB=name`, which writes the student tree without it.

A lab's work is marked in the driver source by a comment pair, one style
everywhere:

    /* lab pic: begin remap */
    ... the code a student writes ...
    /* lab pic: end remap */

A lab has one part or several, each a region (its name after `begin`)
with an entry in LABS below: the file, what to write, what to read, what
the machine does without it, and the stub that replaces the region in the
student tree. The stub compiles under -Werror, calls lab_missing
(kernel/lib/lab.h) so that the kernel says at run time which part is
missing, and leaves the kernel able to boot on where it can.

To add a lab: mark its regions in the source, add its entry here, and its
checks to tools/grade.py (CHECKS).

Usage: labs.py --out DIR [--tar FILE] [--seed-build BUILD] LAB
       labs.py --list | --names
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tarfile
import textwrap

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

MARKER_RE = re.compile(
    r"^([ \t]*)/\* lab ([a-z0-9]+): (begin|end) ([a-z0-9-]+) \*/[ \t]*\n",
    re.M)

# Where the stub calls lab_missing(...): the placeholder in a stub's code.
MISSING = "LAB_MISSING;"


def part(file, todo, read, effect, stub=MISSING):
    return {"file": file, "todo": todo, "read": read, "effect": effect,
            "stub": stub}


# Each lab: its title, the claims it teaches (docs/claims.md), the time a
# student needs, the labs it needs (whose stubs leave it nothing to grade:
# APIC mode takes both APICs, and without either the kernel stays with the
# 8259, as it says; the bus master's ports are where the IDE function's
# BAR4 says, found through PCI), and its parts by name.
LABS = {
    "pic": {
        "title": "8259 PIC: remap with ICW1-4, mask and unmask, EOI",
        "claims": ["C2", "C3", "C8"],
        "time": "2 hours",
        "parts": {
            "remap": part(
                "drivers/pic8259.c",
                "send ICW1 to both command ports, then ICW2 (the vector "
                "bases master_base and slave_base), ICW3 (the slave on line "
                "PIC_CASCADE_LINE) and ICW4 (8086 mode) to both data ports, "
                "each write followed by io_wait()",
                "Intel 8259A data sheet (231468), \"Initialization Command "
                "Words\" (ICW1-ICW4) and figure \"Initialization Sequence\"",
                "the 8259 keeps the BIOS's vectors 0x08-0x0f: with irq=pic "
                "the first timer tick arrives as vector 8, a double fault",
                "LAB_MISSING;\n(void)master_base;\n(void)slave_base;"),
            "mask": part(
                "drivers/pic8259.c",
                "read the IMR of the chip that has `line` (OCW1, its data "
                "port), set or clear the line's bit as `masked` says and "
                "write it back, with interrupts off in between "
                "(irq_save/irq_restore)",
                "Intel 8259A data sheet, \"Operation Command Words\": OCW1",
                "no line is masked or unmasked: the 8259 delivers the lines "
                "the BIOS left open",
                "LAB_MISSING;\n(void)line;\n(void)masked;"),
            "eoi": part(
                "drivers/pic8259.c",
                "send the non-specific EOI (OCW2) to the master's command "
                "port, and first to the slave's for lines 8-15",
                "Intel 8259A data sheet, \"Operation Command Words\": OCW2, "
                "and \"End of Interrupt\"",
                "no end of interrupt: with irq=pic each line interrupts "
                "once and then stays in service",
                "LAB_MISSING;\n(void)line;"),
        },
    },
    "pit": {
        "title": "8254 PIT: channel 0's mode and the divisor for hz=N",
        "claims": ["C2"],
        "time": "1 hour",
        "parts": {
            "channel0": part(
                "drivers/pit8254.c",
                "set `divisor` to the nearest whole number of PIT_INPUT_HZ "
                "clocks per 1/hz s, then program channel 0: the control "
                "word (channel 0, low byte then high byte, mode 2, binary) "
                "to PIT_COMMAND, the divisor's low and high bytes to "
                "PIT_CHANNEL0",
                "Intel 8254 data sheet (231164), \"Control Word Format\" "
                "and \"Mode 2 - Rate Generator\"",
                "channel 0 runs as the BIOS left it: mode 2, count 0 "
                "(65536), 18.2 interrupts a second whatever hz= says",
                "LAB_MISSING;\n(void)hz;\n"
                "/* What the BIOS loaded: a count of 0 means 65536. */\n"
                "divisor = PIT_MAX_DIVISOR + 1;"),
        },
    },
    "uart": {
        "title": "16550 UART: divisor latch, 8N1, FIFO; the receive "
                 "interrupt into the ring",
        "claims": ["C2", "C3", "C8"],
        "time": "2 hours",
        "parts": {
            "line": part(
                "drivers/serial.c",
                "set DLAB in the LCR, write SERIAL_DIVISOR's low and high "
                "bytes to DLL and DLM, then write the LCR for 8 data bits, "
                "no parity, 1 stop bit (which clears DLAB)",
                "PC16550D data sheet, \"Line Control Register\" and "
                "\"Programmable Baud Generator\" (table of divisors)",
                "the UART keeps the rate and frame the BIOS set; under QEMU "
                "the console still works, a real line would not"),
            "fifo": part(
                "drivers/serial.c",
                "write the FCR: FIFOs on, both cleared, receive interrupt "
                "at 14 bytes",
                "PC16550D data sheet, \"FIFO Control Register\"",
                "the FIFOs stay off: one byte of buffer each way"),
            "rx": part(
                "drivers/serial.c",
                "call check_settings(); then, at most SERIAL_IRQ_MAX_CAUSES "
                "times, read the IIR: stop when it says no interrupt is "
                "pending; on received data or a timeout drain_fifo() (stop "
                "if that paused the receiver); on a line status read_lsr(); "
                "on a modem status read the MSR",
                "PC16550D data sheet, \"Interrupt Identification Register\" "
                "(table: interrupt control functions)",
                "IRQ 4 comes and nothing reads the UART: input reaches the "
                "monitor only when it polls, while it waits"),
        },
    },
    "lapic": {
        "title": "Local APIC: enable through the SVR, the timer calibrated "
                 "against the PIT, EOI",
        "claims": ["C1", "C5", "C11"],
        "time": "2 hours",
        "needs": ["ioapic"],
        "parts": {
            "enable": part(
                "drivers/lapic.c",
                "write 0 to the TPR, LAPIC_ERROR_VECTOR to the LVT error "
                "entry, LAPIC_SPURIOUS_VECTOR into the SVR's vector field, "
                "then set the SVR's enable bit with mmio_or32 (one "
                "read-modify-write instruction)",
                "Intel SDM vol. 3A, 11.9 \"Spurious Interrupt\" (the SVR), "
                "11.8.3.1 (the TPR), 11.5.1 (the LVT)",
                "the Local APIC stays software-disabled: the kernel keeps "
                "the 8259",
                "LAB_MISSING;\nreturn false;"),
            "calibrate": part(
                "drivers/lapic.c",
                "divide by 1, LVT timer masked, initial count "
                "TIMER_COUNT_MAX; read the current count, wait "
                "CALIBRATE_PIT_CLOCKS with pit_wait_clocks, read it again, "
                "stop the timer (initial count 0); set timer_hz from the "
                "two counts and the PIT clocks that went by, or 0 and *why",
                "Intel SDM vol. 3A, 11.5.4 \"APIC Timer\"",
                "the timer's rate is unknown: no tick in APIC mode",
                "LAB_MISSING;\ntimer_hz = 0;\n"
                "*why = \"lab lapic: the calibration is not written yet\";"),
            "eoi": part(
                "drivers/lapic.c",
                "write 0 to the EOI register",
                "Intel SDM vol. 3A, 11.8.5 \"Signaling Interrupt Servicing "
                "Completion\"",
                "no EOI: after the first interrupt the Local APIC holds "
                "back every vector of its priority class and below"),
        },
    },
    "ioapic": {
        "title": "IO APIC: its register window, and a redirection entry "
                 "from the MADT's override",
        "claims": ["C1", "C8"],
        "time": "2 hours",
        "needs": ["lapic"],
        "parts": {
            "window": part(
                "drivers/ioapic.c",
                "ioapic_read and ioapic_write: write the register's index "
                "to IOREGSEL, then read or write its value in IOWIN",
                "Intel 82093AA data sheet (290566), 3.1 \"IOREGSEL\" and "
                "\"IOWIN\"",
                "every IO APIC register reads as all ones: the kernel finds "
                "no IO APIC and keeps the 8259",
                "static uint32_t ioapic_read(uint8_t reg)\n{\n"
                "    LAB_MISSING;\n    (void)reg;\n"
                "    return BUS_IDLE_32;\n}\n\n"
                "static void ioapic_write(uint8_t reg, uint32_t v)\n{\n"
                "    LAB_MISSING;\n    (void)reg;\n    (void)v;\n}"),
            "route": part(
                "drivers/ioapic.c",
                "build the entry's low half (vector, fixed delivery, "
                "physical destination, RTE_ACTIVE_LOW and RTE_LEVEL as the "
                "MADT's override says, masked); write the low half masked, "
                "then the high half (destination in bits 63..56), then the "
                "low half",
                "Intel 82093AA data sheet, 3.2.4 \"IOREDTBL\"; ACPI "
                "specification, MADT \"Interrupt Source Override\"",
                "no input is routed: in APIC mode no device interrupt "
                "arrives",
                "LAB_MISSING;\n(void)gsi;\n(void)vector;\n(void)active_low;"
                "\n(void)level;\n(void)dest_apic_id;"),
        },
    },
    "dma": {
        "title": "8237 DMA: program channel 2 for a floppy read",
        "claims": ["C2", "C4", "C7"],
        "time": "1.5 hours",
        "parts": {
            "program": part(
                "drivers/dma8237.c",
                "with interrupts off (irq_save/irq_restore): mask the "
                "channel, clear the flip-flop, set the mode, the address "
                "and page (s.page, s.address), the count (s.count), unmask "
                "the channel; the helpers above (dma_mask, ...) do one "
                "step each",
                "Intel 8237A data sheet, \"Register Description\" (mode, "
                "mask, byte pointer flip-flop) and docs/dma.md",
                "the 8237 is never programmed: a DMA floppy read waits for "
                "IRQ 6 until it times out",
                "LAB_MISSING;\n(void)mode;"),
        },
    },
    "fdc": {
        "title": "Floppy controller: the MSR-polled PIO byte transfer",
        "claims": ["C2", "C3", "C7"],
        "time": "1 hour",
        "parts": {
            "pio": part(
                "drivers/floppy_pio.c",
                "for each of len bytes: fdc_wait_msr until RQM (fail with "
                "fdc_fail when it does not come), stop when NON-DMA has "
                "dropped (the result phase began), else read the byte from "
                "FDC_FIFO into buf; count them in *moved",
                "Intel 82077AA data sheet (290166), 4.2.1 \"Non-DMA Mode, "
                "Transfers from the FIFO to the Host\"",
                "a PIO floppy read moves no byte and fails",
                "LAB_MISSING;\n(void)buf;\n(void)len;\n*moved = 0;\n"
                "return fdc_fail(FD_ERR_FAILED, \"lab fdc: the PIO transfer "
                "is not written yet\");"),
        },
    },
    "pci": {
        "title": "PCI: a configuration read through ports 0xcf8/0xcfc; "
                 "BAR sizing",
        "claims": ["C1", "C2", "C5", "C6"],
        "time": "2 hours",
        "parts": {
            "address": part(
                "kernel/lib/pci_config.c",
                "return the CONFIG_ADDRESS dword for bdf and offset: the "
                "enable bit PCI_CONF1_ENABLE, the bus, device and function "
                "at PCI_CONF1_BUS_SHIFT, PCI_CONF1_DEV_SHIFT and "
                "PCI_CONF1_FN_SHIFT, the register's dword "
                "(offset & PCI_CONF1_REG_MASK)",
                "PCI Local Bus Specification 3.0, 3.2.2.3.2 \"Software "
                "Generation of Configuration Transactions\" (figure 3-2, "
                "CONFIG_ADDRESS) and docs/pci.md",
                "every configuration read through 0xcfc returns all ones "
                "(the enable bit is off): the scan finds no PCI function",
                "LAB_MISSING;\n(void)bdf;\n(void)offset;\nreturn 0;"),
            "bar-size": part(
                "drivers/pci.c",
                "with interrupts off (irq_save/irq_restore): read the "
                "command register and write it back with PCI_COMMAND_IO and "
                "PCI_COMMAND_MEMORY clear; write PCI_BAR_SIZING_VALUE to "
                "the BAR, read it back into `sized`, write `value` back; "
                "the same for the upper half into `sized_high` when `wide`; "
                "then restore the command register",
                "PCI Local Bus Specification 3.0, 6.2.5.1 \"Address Maps\" "
                "(sizing a Base Address Register) and 6.2.2 \"Device "
                "Control\" (the command register)",
                "every BAR reads as unimplemented: lspci shows none, and "
                "the drivers find no registers to use",
                "LAB_MISSING;\nuint32_t sized = 0;\nuint32_t sized_high = 0;"),
        },
    },
    "busmaster": {
        "title": "Bus-master IDE DMA: the PRD table and the BMIDE start",
        "claims": ["C7"],
        "time": "2 hours",
        "needs": ["pci"],
        "parts": {
            "prd": part(
                "drivers/ata_dma.c",
                "check where prd_table sits (prd_check_table, PRD_ENTRIES "
                "entries), then build it for the len bytes at phys with "
                "prd_build (its entry count into `used`); on an error fail "
                "with ATA_ERR_FAILED and prd_status_text's words",
                "Intel 82371AB (PIIX4) data sheet, \"Physical Region "
                "Descriptor Format\"; kernel/lib/prd.h",
                "no PRD table: every `disk read ... dma` fails (PIO still "
                "works)",
                "LAB_MISSING;\n(void)prd_table;\n"
                "return ata_fail(ATA_ERR_FAILED,\n"
                "                \"lab busmaster, part prd: the PRD table \"\n"
                "                \"is not built yet\");"),
            "start": part(
                "drivers/ata_dma.c",
                "write the PRD table's physical address to BMIDTP "
                "(ata_out32), stop the engine and clear its status "
                "(stop_engine), ata_expect_irq(), send READ DMA with "
                "ata_issue_lba28 (`st`, return it unless ATA_OK), then "
                "start the engine: BMIC with BMIC_RWCON_WRITE (the engine "
                "writes memory) and BMIC_SSBM",
                "Intel 82371AB (PIIX4) data sheet, 5.2 \"IDE Controller IO "
                "Space Registers\" (BMICX, BMISX, BMIDTPX) and \"Bus "
                "Master IDE Operation\"",
                "the engine never starts: every `disk read ... dma` fails "
                "(PIO still works)",
                "LAB_MISSING;\n(void)lba;\n(void)bm_out8;\n"
                "enum ata_status st =\n"
                "    ata_fail(ATA_ERR_FAILED, \"lab busmaster, part start: \"\n"
                "             \"the engine is not started yet\");\n"
                "return st;"),
            "stop": part(
                "drivers/ata_dma.c",
                "stop the engine (BMIC: BMIC_RWCON_WRITE without "
                "BMIC_SSBM), read BMIS, clear its error and interrupt bits "
                "(they clear when written with 1) and return what BMIS "
                "read",
                "Intel 82371AB (PIIX4) data sheet, 5.2 \"IDE Controller IO "
                "Space Registers\" (BMICX, BMISX)",
                "the engine is never stopped nor its status read: a DMA "
                "read ends with the error that the engine is not done",
                "LAB_MISSING;\n(void)bm_in8;\nreturn 0;"),
        },
    },
}

LAB_INCLUDE = '#include "kernel/lib/lab.h"\n'
STUB_WIDTH = 79


def c_string_lines(text, indent, first, width=STUB_WIDTH):
    """text as a C string literal, split into pieces that fit after first
    (on the first line) and indent (on the others)."""
    pieces = textwrap.wrap(text, width - len(indent) - 8,
                           drop_whitespace=False) or [""]
    lines = [f'{first}"{pieces[0]}"']
    lines += [f'{indent}"{p}"' for p in pieces[1:]]
    return lines


def stub_text(lab, name, p, indent):
    """The student's stub for one region: a TODO comment, then the stub's
    code, with the lab_missing call where it has LAB_MISSING."""
    todo = textwrap.wrap(
        f"TODO (lab {lab}, part {name}): {p['todo']}. Read: {p['read']}. "
        f"Until then: {p['effect']}. Check your work with `make grade "
        f"LAB={lab}`.", STUB_WIDTH - len(indent) - 3)
    out = [f"{indent}/* {todo[0]}"]
    out += [f"{indent} * {line}" for line in todo[1:]]
    out[-1] += " */"
    for line in p["stub"].split("\n"):
        inner = indent + re.match(r" *", line).group(0)
        if line.strip() == MISSING:
            call = f'{inner}lab_missing("{lab}", "{name}", "{p["file"]}",'
            out.append(call)
            out += c_string_lines(p["effect"], inner + "            ",
                                  inner + "            ")
            out[-1] += ");"
        else:
            out.append(indent + line if line else "")
    return "\n".join(out) + "\n"


def regions(text):
    """The marked regions of a source file: (lab, part, indent, start of
    the body, end of the body)."""
    found, open_ = [], None
    for m in MARKER_RE.finditer(text):
        indent, lab, what, name = m.groups()
        if what == "begin":
            if open_:
                raise SystemExit(f"lab {open_[0]}: begin {open_[1]} has no "
                                 "end before the next begin")
            open_ = (lab, name, indent, m.end())
        else:
            if not open_ or open_[:2] != (lab, name):
                raise SystemExit(f"lab {lab}: end {name} without its begin")
            found.append((lab, name, open_[2], open_[3], m.start()))
            open_ = None
    if open_:
        raise SystemExit(f"lab {open_[0]}: begin {open_[1]} has no end")
    return found


def stub_file(text, lab):
    """The file with lab's regions replaced by their stubs (markers kept,
    so the student sees where to write) and lab.h included; None when the
    file has none of lab's regions."""
    mine = [r for r in regions(text) if r[0] == lab]
    if not mine:
        return None
    for _, name, indent, start, end in reversed(mine):
        p = LABS[lab]["parts"].get(name)
        if p is None:
            raise SystemExit(f"lab {lab}: part {name} is marked in the "
                             "source but has no entry in tools/labs.py")
        text = text[:start] + stub_text(lab, name, p, indent) + text[end:]
    includes = list(re.finditer(r'^#include "[^"]+"\n', text, re.M))
    at = includes[-1].end() if includes else 0
    return text[:at] + LAB_INCLUDE + text[at:]


def source_files(root):
    """The files of the source tree: git's list where there is one (the
    tracked files and new ones not ignored), else every file but build/."""
    try:
        out = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others",
             "--exclude-standard"], cwd=root, check=True,
            capture_output=True).stdout.decode()
        return sorted(f for f in set(out.split("\0")) if f
                      and os.path.isfile(os.path.join(root, f)))
    except (OSError, subprocess.CalledProcessError):
        files = []
        for d, dirs, names in os.walk(root):
            dirs[:] = [x for x in dirs if not (d == root and x == "build")
                       and not x.startswith(".git")]
            files += [os.path.relpath(os.path.join(d, n), root)
                      for n in names]
        return sorted(files)


def write_tree(lab, out, root=ROOT, seed_build=None):
    """The student tree of lab in out (emptied first). Unchanged files keep
    their times, so a build copied from seed_build is reused but for the
    files the stubs changed. Returns the changed files."""
    if lab not in LABS:
        raise SystemExit(f"error: no lab '{lab}'; the labs: "
                         + ", ".join(LABS))
    if os.path.exists(out):
        shutil.rmtree(out)
    changed, seen = [], set()
    for f in source_files(root):
        src, dst = os.path.join(root, f), os.path.join(out, f)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        stubbed = None
        if f.endswith((".c", ".h")):
            with open(src, encoding="utf-8") as fh:
                stubbed = stub_file(fh.read(), lab)
        if stubbed is None:
            shutil.copy2(src, dst)
            continue
        with open(dst, "w", encoding="utf-8") as fh:
            fh.write(stubbed)
        shutil.copymode(src, dst)
        changed.append(f)
        seen |= {r[1] for r in regions(stubbed) if r[0] == lab}
    missing = set(LABS[lab]["parts"]) - seen
    if missing:
        raise SystemExit(f"lab {lab}: no region marked for part(s) "
                         + ", ".join(sorted(missing)))
    with open(os.path.join(out, "LAB"), "w", encoding="utf-8") as fh:
        fh.write(f"{lab}\n")
    if seed_build:
        copy_objects(seed_build, os.path.join(out, "build"))
    return changed


def copy_objects(src, dst):
    """The kernel's objects and their dependency files, times kept."""
    for d, _, names in os.walk(src):
        rel = os.path.relpath(d, src)
        if rel.split(os.sep)[0] in ("labs", "debug", "host", "fuzz",
                                    "fuzzobj", "tests", "isodir"):
            continue
        for n in names:
            if n.endswith((".o", ".d")):
                os.makedirs(os.path.join(dst, rel), exist_ok=True)
                shutil.copy2(os.path.join(d, n), os.path.join(dst, rel, n))


def write_tarball(tree, tar_path, lab):
    top = f"iospace-lab-{lab}"

    def keep(info):
        parts = info.name.split("/")
        return None if len(parts) > 1 and parts[1] == "build" else info

    with tarfile.open(tar_path, "w:gz") as tar:
        tar.add(tree, arcname=top, filter=keep)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("lab", nargs="?")
    ap.add_argument("--out", help="the student tree to write")
    ap.add_argument("--tar", help="and a tarball of it")
    ap.add_argument("--seed-build", help="copy this build's objects in")
    ap.add_argument("--list", action="store_true", help="list the labs")
    ap.add_argument("--names", action="store_true",
                    help="the labs' names on one line")
    args = ap.parse_args()
    if args.names:
        print(" ".join(LABS))
        return 0
    if args.list:
        for name, lab in LABS.items():
            print(f"{name:7} {lab['title']} (parts: "
                  f"{', '.join(lab['parts'])})")
        return 0
    if not args.lab or not args.out:
        ap.error("give LAB and --out (or --list)")
    changed = write_tree(args.lab, args.out, seed_build=args.seed_build)
    if args.tar:
        write_tarball(args.out, args.tar, args.lab)
    print(f"lab {args.lab}: student tree in {args.out}"
          + (f", tarball {args.tar}" if args.tar else "")
          + f"; stubs in {', '.join(changed)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
