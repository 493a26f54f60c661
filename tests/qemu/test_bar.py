"""Windows that move (claims C5, C6): `bar B:D.F N [ADDR]` shows a PCI
function's BAR and moves a memory BAR; QEMU is the referee of where the
device answers (QMP query-pci, its trace event pci_update_mappings_add,
and its own reads with xp)."""

import re

import pytest

from iospace import Machine, parse_map

# QEMU's standard VGA (hw/display/vga-pci.c): 1234:1111, BAR0 its 16 MiB
# framebuffer, BAR2 4 KiB of registers; at BAR2 + 0x500 the Bochs VBE
# registers, 16 bits each, index 0 the ID: 0xB0C5 (VBE_DISPI_ID5).
VGA_ID = (0x1234, 0x1111)
VBE_ID_OFFSET = 0x500
VBE_ID = 0xB0C5
# A free address on pc and q35 with -m 128: above RAM, below the PCI
# windows the firmware placed, outside q35's ECAM (0xb0000000-0xbfffffff).
FREE = 0xE0000000
EVENT = "pci_update_mappings_add"


def find_vga(m):
    """(bdf text, QEMU's device dict) of the standard VGA, from query-pci."""
    for bus in m.qmp("query-pci"):
        for d in bus["devices"]:
            if (d["id"]["vendor"], d["id"]["device"]) == VGA_ID:
                return (f"{d['bus']:02x}:{d['slot']:02x}.{d['function']:x}",
                        d)
    raise AssertionError("no 1234:1111 in query-pci")


def qemu_bar(m, bdf, bar):
    """Where QEMU says BAR bar of bdf answers now: (address, size)."""
    bus, dev, fn = (int(x, 16) for x in re.split("[:.]", bdf))
    for b in m.qmp("query-pci"):
        for d in b["devices"]:
            if (d["bus"], d["slot"], d["function"]) == (bus, dev, fn):
                for r in d["regions"]:
                    if r["bar"] == bar:
                        return r["address"], r["size"]
    raise AssertionError(f"QEMU has no BAR{bar} at {bdf}")


def peek(m, addr):
    out = m.command(f"peek {addr:#x}")
    return int(re.fullmatch(rf"{addr:#010x}: 0x([0-9a-f]{{8}})", out)[1], 16)


def mapped_uncached(m, addr):
    """QEMU's view of the kernel's page tables (info tlb): addr is mapped
    with PCD and PWT (the C and T flags)."""
    for line in m.hmp("info tlb").splitlines():
        if line.startswith(f"{addr:016x}:"):
            return "C" in line.split()[-1] and "T" in line.split()[-1]
    return False


@pytest.fixture(scope="module")
def pc():
    m = Machine(trace_events=[EVENT])
    try:
        m.wait_prompt(timeout=30)
        yield m
    finally:
        m.close()


def test_shows_the_vga_registers_bar(pc):
    bdf, dev = find_vga(pc)
    addr, size = qemu_bar(pc, bdf, 2)
    assert size == 0x1000
    assert pc.command(f"bar {bdf} 2") == (
        f"{bdf} BAR2: mem32 {addr:#010x}-{addr + size - 1:#010x} (4 KiB), "
        "not prefetchable\n"
        "  memory decoding (command bit 1) on: VGA compatible controller "
        "1234:1111 answers there, with mov")


def test_shows_the_framebuffer_an_io_bar_and_an_unused_one(pc):
    bdf, _ = find_vga(pc)
    addr, size = qemu_bar(pc, bdf, 0)
    assert pc.command(f"bar {bdf} 0").startswith(
        f"{bdf} BAR0: mem32 {addr:#010x}-{addr + size - 1:#010x} (16 MiB), "
        "prefetchable\n")
    assert pc.command(f"bar {bdf} 1") == (
        f"{bdf} BAR1: unused (it reads back 0 after all ones are written: "
        "the function has no window here)")
    # The PIIX IDE function's bus-master registers: ports.
    port, count = qemu_bar(pc, "00:01.1", 4)
    assert pc.command("bar 00:01.1 4") == (
        f"00:01.1 BAR4: I/O ports {port:#06x}-{port + count - 1:#06x} "
        f"({count} ports)\n"
        "  I/O decoding (command bit 0) on: IDE controller 8086:7010 "
        "answers there, with in/out")


def test_moving_the_vga_registers_and_back(pc):
    # Claim C5 and C6 on PCI: one configuration write moves where the
    # VGA's registers answer. The kernel reads the old address and the new
    # one with peek, QEMU says where the BAR is and reads the registers
    # itself.
    bdf, _ = find_vga(pc)
    old, size = qemu_bar(pc, bdf, 2)
    rows = parse_map(pc.command("map"))[0]
    assert any(r.first <= FREE and FREE + size - 1 <= r.last
               and r.answer == "nothing" for r in rows)
    assert peek(pc, old + VBE_ID_OFFSET) & 0xFFFF == VBE_ID
    assert peek(pc, FREE + VBE_ID_OFFSET) == 0

    out = pc.command(f"bar {bdf} 2 {FREE:#x}")
    assert out == (
        f"bar: {bdf} BAR2 moved {old:#010x} -> {FREE:#010x} (mem32, "
        "registers: mapped uncached)\n"
        f"  {old:#010x}-{old + size - 1:#010x} now: no RAM, no iospace "
        "device\n"
        f"  {FREE:#010x}-{FREE + size - 1:#010x} now: PCI {bdf} BAR2: VGA "
        "compatible controller")
    assert qemu_bar(pc, bdf, 2) == (FREE, size)
    assert mapped_uncached(pc, FREE)
    # Unassigned memory reads 0 under QEMU; the ID answers at the new place.
    assert peek(pc, old + VBE_ID_OFFSET) == 0
    assert peek(pc, FREE + VBE_ID_OFFSET) == VBE_ID
    assert pc.read_phys(FREE + VBE_ID_OFFSET, 1) == [VBE_ID]
    rows = parse_map(pc.command("map"))[0]
    assert [r.what for r in rows if r.first <= FREE <= r.last] == \
        [f"PCI {bdf} BAR2: VGA compatible controller"]
    assert [r.what for r in rows if r.first <= old <= r.last] == \
        ["no RAM, no iospace device"]

    out = pc.command(f"bar {bdf} 2 {old:#x}")
    assert out.startswith(f"bar: {bdf} BAR2 moved {FREE:#010x} -> "
                          f"{old:#010x}")
    assert qemu_bar(pc, bdf, 2) == (old, size)
    assert peek(pc, old + VBE_ID_OFFSET) == VBE_ID
    assert peek(pc, FREE + VBE_ID_OFFSET) == 0


def test_moving_the_framebuffer_maps_nothing(pc):
    # 16 MiB of prefetchable memory: moved, but not mapped (iospace never
    # draws in it), so page tables are not used up and it can move back.
    bdf, _ = find_vga(pc)
    old, size = qemu_bar(pc, bdf, 0)
    for addr in (FREE, FREE + size, old):
        prev = qemu_bar(pc, bdf, 0)[0]
        assert pc.command(f"bar {bdf} 0 {addr:#x}").startswith(
            f"bar: {bdf} BAR0 moved {prev:#010x} -> {addr:#010x} (mem32, "
            "prefetchable memory: not mapped)")
        assert qemu_bar(pc, bdf, 0) == (addr, size)
    assert not mapped_uncached(pc, FREE + size)


def test_refusals(pc):
    bdf, _ = find_vga(pc)
    fb, fb_size = qemu_bar(pc, bdf, 0)
    bar2, _ = qemu_bar(pc, bdf, 2)
    nic, nic_size = qemu_bar(pc, "00:03.0", 0)
    port, count = qemu_bar(pc, "00:01.1", 4)
    cases = {
        "bar 0:2 1": "bar: '0:2' is not a bus:device.function such as "
                     "00:1f.2 (hex; device 0-1f, function 0-7)",
        "bar 00:1e.0 0": "bar: no function at 00:1e.0: its vendor ID reads "
                         "0xffff (nothing answers; lspci lists those there "
                         "are)",
        f"bar {bdf} 6": "bar: N 6 is over 5: a device (header 0) has BARs "
                        "0-5",
        f"bar {bdf} x": "bar: N 'x': ",
        f"bar 00:01.1 4 {FREE:#x}":
            f"bar: BAR4 of 00:01.1 is an I/O window (ports {port:#06x}-"
            f"{port + count - 1:#06x}): this command moves memory windows "
            "only",
        f"bar {bdf} 1 {FREE:#x}": f"bar: BAR1 of {bdf} is unused: no window "
                                  "to move",
        f"bar {bdf} 2 {FREE + 0x800:#x}":
            f"bar: {FREE + 0x800:#010x} is not a multiple of the BAR's size, "
            "0x1000: its low 12 address bits are wired to 0",
        f"bar {bdf} 0 {FREE + 0x100000:#x}":
            f"bar: {FREE + 0x100000:#010x} is not a multiple of the BAR's "
            "size, 0x1000000: its low 24 address bits are wired to 0",
        f"bar {bdf} 2 0x100000":
            "bar: 0x00100000-0x00100fff is over RAM (iospace kernel image, "
            "0x00100000-",
        f"bar {bdf} 2 0x1000000":
            "bar: 0x01000000-0x01000fff is over RAM (free RAM, ",
        f"bar {bdf} 2 0xc0000":
            "bar: 0x000c0000-0x000c0fff is over ROM (option ROMs + system "
            "BIOS, 0x000c0000-0x000fffff)",
        f"bar {bdf} 2 0xfffff000":
            "bar: 0xfffff000-0xffffffff is over ROM (firmware flash, reset "
            "vector, 0xfffc0000-0xffffffff)",
        f"bar {bdf} 2 {fb + 0x1000:#x}":
            f"bar: {fb + 0x1000:#010x}-{fb + 0x1fff:#010x} overlaps another "
            f"window (PCI {bdf} BAR0: VGA compatible controller, "
            f"{fb:#010x}-{fb + fb_size - 1:#010x})",
        f"bar {bdf} 2 {nic:#x}":
            f"bar: {nic:#010x}-{nic + 0xfff:#010x} overlaps another window "
            f"(PCI 00:03.0 BAR0: Ethernet controller, {nic:#010x}-"
            f"{nic + nic_size - 1:#010x})",
        f"bar {bdf} 2 0xfec00000":
            "bar: 0xfec00000-0xfec00fff overlaps another window (IO APIC "
            "registers, 0xfec00000-0xfec00fff)",
    }
    for line, error in cases.items():
        out = pc.command(line)
        assert out.startswith("error: " + error), (line, out)
        assert "\n" not in out, (line, out)
    # Nothing moved.
    assert qemu_bar(pc, bdf, 0)[0] == fb and qemu_bar(pc, bdf, 2)[0] == bar2


def test_qemu_traced_each_move(pc):
    # Run last in this module: it ends QEMU to flush the trace log. Every
    # move the tests above made is one pci_update_mappings_add of the new
    # address (sizing a BAR also maps it again where it was: those repeat
    # the old address).
    bdf, _ = find_vga(pc)
    old, _ = qemu_bar(pc, bdf, 2)
    pc.quit()
    adds = [a for a in pc.trace_log(EVENT) if f" {bdf} 2," in a]
    places = [int(re.search(r" 2,(0x[0-9a-f]+)\+", a)[1], 16) for a in adds]
    moves = [p for i, p in enumerate(places) if i == 0 or p != places[i - 1]]
    assert moves[-3:] == [old, FREE, old], moves


@pytest.mark.parametrize("extra,vga_bdf", [(["-M", "q35"], "00:01.0")])
def test_q35_moves_the_vga_registers_clear_of_ecam(machine_factory, extra,
                                                   vga_bdf):
    m = machine_factory(extra=extra)
    m.wait_prompt(timeout=30)
    bdf, _ = find_vga(m)
    assert bdf == vga_bdf
    old, size = qemu_bar(m, bdf, 2)
    out = m.command(f"bar {bdf} 2 0xb0000000")
    assert out == ("error: bar: 0xb0000000-0xb0000fff overlaps another "
                   "window (PCI Express ECAM: configuration space, "
                   "0xb0000000-0xbfffffff): it would answer there too")
    m.command(f"bar {bdf} 2 {FREE:#x}")
    assert qemu_bar(m, bdf, 2) == (FREE, size)
    assert peek(m, FREE + VBE_ID_OFFSET) == VBE_ID
    assert peek(m, old + VBE_ID_OFFSET) == 0
    m.command(f"bar {bdf} 2 {old:#x}")
    assert peek(m, old + VBE_ID_OFFSET) == VBE_ID


def test_a_bridge_and_a_64_bit_bar(machine_factory):
    # A PCI-to-PCI bridge has two BARs (its BAR0 is 64 bits wide, so BAR1
    # is its upper half); qemu-xhci's BAR0 is 64 bits too.
    m = machine_factory(extra=["-device", "pci-bridge,chassis_nr=1,addr=4",
                               "-device", "qemu-xhci,addr=5"])
    m.wait_prompt(timeout=30)
    assert m.command("bar 00:04.0 2") == (
        "error: bar: N 2 is over 1: a PCI-to-PCI bridge (header 1) has BARs "
        "0-1")
    assert m.command("bar 00:05.0 1") == (
        "error: bar: BAR1 holds the upper 32 bits of the 64-bit BAR0: not a "
        "window of its own (use N 0)")
    addr, size = qemu_bar(m, "00:05.0", 0)
    assert m.command("bar 00:05.0 0").startswith(
        f"00:05.0 BAR0: mem64 {addr:#010x}-{addr + size - 1:#010x}")
    assert m.command(f"bar 00:05.0 0 {FREE:#x}").startswith(
        f"bar: 00:05.0 BAR0 moved {addr:#010x} -> {FREE:#010x} (mem64, "
        "registers: mapped uncached)")
    assert qemu_bar(m, "00:05.0", 0) == (FREE, size)
