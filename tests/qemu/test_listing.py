"""Claim C10: in an assembly listing, port I/O is easy to spot, because
only I/O uses `in` and `out`; memory-mapped I/O is a plain `mov`. Checked
on the kernel's object files (no QEMU), by counting mnemonics: no function
names are involved, so it holds however io/port.h wraps its instructions.
"""

import glob
import os
import subprocess
import sys

import pytest

from iospace import ROOT

sys.path.insert(0, os.path.join(ROOT, "tools"))
import listing  # noqa: E402  (tools/listing.py, behind `make listing`)

PORT_MAPPED = ["pic8259", "pit8254", "serial", "kbd8042", "rtc", "dma8237",
               "floppy_fdc"]
MEMORY_MAPPED = ["lapic", "ioapic"]
PORT_MNEMONICS = {op + suffix for op in ("in", "out", "ins", "outs")
                  for suffix in ("", "b", "w", "l")}


def driver(name):
    return os.path.join(ROOT, "build", "drivers", name + ".o")


def plain_port_count(obj):
    """in/out instructions in obj, counted from `objdump -d` alone."""
    out = subprocess.run(["objdump", "-d", "--no-show-raw-insn", obj],
                         check=True, capture_output=True, text=True).stdout
    count = 0
    for line in out.splitlines():
        fields = line.split("\t")
        if len(fields) >= 2 and fields[0].rstrip().endswith(":"):
            words = fields[1].split()
            if words and words[0].startswith("rep"):
                words = words[1:]
            count += bool(words) and words[0] in PORT_MNEMONICS
    return count


@pytest.mark.parametrize("name", PORT_MAPPED)
def test_port_mapped_drivers_use_in_and_out(name):
    pmio, mmio = listing.count(driver(name))
    assert pmio > 0 and mmio == 0, (pmio, mmio)


@pytest.mark.parametrize("name", MEMORY_MAPPED)
def test_memory_mapped_drivers_have_no_in_or_out(name):
    pmio, mmio = listing.count(driver(name))
    assert pmio == 0 and mmio > 0, (pmio, mmio)


def test_vga_uses_both():
    # The characters are stores to video memory at 0xB8000 (mov); the
    # cursor and the memory window are registers behind ports 0x3D4/0x3D5
    # and 0x3CE/0x3CF (in/out). One card, both mechanisms.
    pmio, mmio = listing.count(driver("vga"))
    assert pmio > 0 and mmio > 0, (pmio, mmio)


def test_the_marks_agree_with_a_plain_count():
    drivers = os.path.join(ROOT, "build", "drivers", "*.o")
    for obj in sorted(glob.glob(drivers)):
        assert listing.count(obj)[0] == plain_port_count(obj), obj


def test_every_in_and_out_comes_from_io_port_h():
    objs = glob.glob(os.path.join(ROOT, "build", "kernel", "*.o")) \
        + glob.glob(os.path.join(ROOT, "build", "drivers", "*.o"))
    port_h = os.path.realpath(os.path.join(ROOT, "io", "port.h"))
    for obj in objs:
        sources = {os.path.realpath(s) if s else s
                   for s in listing.port_io_sources(obj)}
        assert sources <= {port_h}, (obj, sources)
