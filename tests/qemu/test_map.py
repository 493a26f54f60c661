"""Who answers where (claims C5, C6, C9): the `map` command's tables of
the memory and I/O port spaces, checked against QEMU's own decoding
(`info mtree -f`, and QMP query-pci for the PCI windows of both spaces),
the HPET's window from ACPI, and the VGA memory window moved by
`vgawindow`. One kernel serves the
module; a few tests boot machines of their own (q35, a disk and an
rtl8139)."""

import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from iospace import (ELF, ROOT, SECTOR, VGA_COLS, VGA_ROWS, VGA_TEXT,
                     Machine, ide_disk, parse_map)

sys.path.insert(0, os.path.join(ROOT, "tools"))
import mapfigure  # noqa: E402  (tools/mapfigure.py, `make docs-figures`)

TOP = 0xFFFFFFFF
BANNER = "iospace - port-mapped and memory-mapped I/O on x86"

# vgawindow's marker: yellow '#' on magenta in the screen's last cell.
MARK_CELL = 0x5E23
MARK_OFFSET = 2 * (VGA_COLS * VGA_ROWS - 1)

# The HPET's register block (IA-PC HPET 1.0a, 2.3.1: 1 KiB), where QEMU's
# pc and q35 put it by default, and how `map` and the boot line name it.
HPET_BASE, HPET_SIZE = 0xFED00000, 0x400
HPET_WHAT = "HPET registers (no iospace driver)"
HPET_BOOT_RE = re.compile(r"^acpi: HPET at 0x[0-9a-f]{8}: registers at "
                          r"0x([0-9a-f]{8})\r?$", re.M)

# The QEMU device that decodes each fixed port range iospace lists.
QEMU_PORT_OWNERS = {
    0x0000: "dma-chan", 0x0020: "pic", 0x0040: "pit", 0x0060: "i8042-data",
    0x0061: "pcspk", 0x0064: "i8042-cmd", 0x0070: "rtc-index",
    0x0080: "ioport80", 0x0081: "dma-page", 0x00A0: "pic",
    0x00C0: "dma-chan", 0x00F4: "isa-debug-exit", 0x01CE: "vbe", 0x01F0: "ide",
    0x03C0: "vga", 0x03F0: "fdc", 0x03F6: "ide", 0x03F7: "fdc", 0x03F8: "serial",
    0x0CF8: "pci-conf-idx",
}

# A port table row of a PCI I/O window, as `map` labels it (the memory
# side's labels); the driver column of one no iospace driver reaches.
PCI_ROW_RE = re.compile(r"^PCI ([0-9a-f]{2}:[0-9a-f]{2}\.[0-7]) BAR(\d): "
                        r"(.+?)( \(decoding off\))?$")
NO_DRIVER = "no driver"
# The PCI IDE function's BAR4, its bus-master registers (PIIX4 data sheet
# 5.2), which drivers/ata_dma.c drives once a disk is found.
IDE_BMIDE = ("00:01.1", 4)
# QMP's class descriptions, as iospace's pci_class_name words them.
CLASS_NAMES = {"VGA controller": "VGA compatible controller",
               "Ethernet controller": "Ethernet controller",
               "IDE controller": "IDE controller",
               "SATA controller": "SATA controller", "SMBus": "SMBus"}
# PCI 3.0, 6.2.2: the command register (offset 4), bit 0 I/O Space.
PCI_COMMAND, PCI_COMMAND_IO = 0x04, 0x1
PCI_CONF1_ENABLE = 0x80000000

# What QEMU's flat view calls the kind of region behind each answer.
QEMU_KIND = {"RAM": "ram", "ROM": "rom", "device": "i/o"}
# The device windows QEMU models as RAM: the VGA's framebuffer (pc).
QEMU_DEVICE_RAM = {"PCI 00:02.0 BAR0: VGA compatible controller": "vga.vram"}


@pytest.fixture(scope="module")
def machine(monitor):
    """The module's kernel at its prompt (conftest's shared one)."""
    return monitor


@pytest.fixture(scope="module")
def tables(machine):
    return parse_map(machine.command("map"))


def kernel_symbol(name):
    out = subprocess.run(["nm", ELF], check=True, capture_output=True,
                         text=True).stdout
    return int(re.search(rf"^([0-9a-f]+) \w {name}$", out, re.M)[1], 16)


def owner(view, addr):
    """QEMU's region that decodes addr: (kind, name), or None."""
    for first, last, kind, name in view:
        if first <= addr <= last:
            return kind, name
    return None


def test_the_memory_table_covers_4_gib_in_order(tables):
    rows = tables[0]
    assert rows[0].first == 0 and rows[-1].last == TOP
    for a, b in zip(rows, rows[1:]):
        assert b.first == a.last + 1, (a, b)
        # Neighbours always differ: equal ones would have been merged.
        assert (a.answer, a.what) != (b.answer, b.what)


def test_the_windows_and_the_kernel_are_where_they_belong(tables):
    rows = {(r.first, r.last): (r.answer, r.what, r.size) for r in tables[0]}
    kernel_end = kernel_symbol("kernel_image_end")
    assert rows[(0xA0000, 0xBFFFF)] == ("device", "VGA video memory",
                                        "128 KiB")
    assert rows[(0xC0000, 0xFFFFF)] == ("ROM", "option ROMs + system BIOS",
                                        "256 KiB")
    assert rows[(0x100000, kernel_end - 1)][:2] == ("RAM",
                                                    "iospace kernel image")
    assert rows[(0xFEC00000, 0xFEC00FFF)] == ("device", "IO APIC registers",
                                              "4 KiB")
    assert rows[(0xFEE00000, 0xFEE00FFF)] == ("device",
                                              "Local APIC registers", "4 KiB")
    assert rows[(HPET_BASE, HPET_BASE + HPET_SIZE - 1)] == ("device",
                                                          HPET_WHAT, "1 KiB")
    assert rows[(0xFFFC0000, TOP)] == ("ROM", "firmware flash, reset vector",
                                       "256 KiB")


def test_free_ram_is_what_the_multiboot_map_made_available(machine, tables):
    # The boot log's memory map, as the loader gave it.
    available = [(int(a, 16), int(b, 16)) for a, b in re.findall(
        r"^  ([0-9a-f]{16})-([0-9a-f]{16}) available", machine.text(), re.M)]
    assert available
    ram = [r for r in tables[0] if r.answer == "RAM"]
    for r in ram:
        assert any(a <= r.first and r.last <= b for a, b in available), r
    for a, b in available:
        assert any(r.first <= a <= r.last for r in ram), hex(a)


def test_qemu_decodes_each_row_as_the_table_says(machine, tables):
    # Claim C6: the same mov reaches RAM, a ROM or a device depending only
    # on which of QEMU's regions claims the address.
    view = machine.flat_views()["memory"]
    for r in tables[0]:
        if r.what in QEMU_DEVICE_RAM:
            # A device's own memory, which QEMU models as RAM.
            assert owner(view, r.first) == ("ram", QEMU_DEVICE_RAM[r.what])
        elif r.answer in QEMU_KIND:
            assert owner(view, r.first)[0] == QEMU_KIND[r.answer], r
        elif r.answer == "nothing":
            # No RAM there (devices iospace does not use may answer).
            assert not any(kind == "ram" and name == "pc.ram"
                           and first <= r.last and r.first <= last
                           for first, last, kind, name in view), r
    assert owner(view, 0xA0000) == ("i/o", "vga-lowmem")
    assert owner(view, 0xFEC00000) == ("i/o", "ioapic")
    assert owner(view, 0xFEE00000) == ("i/o", "apic-msi")
    assert owner(view, HPET_BASE) == ("i/o", "hpet")
    assert owner(view, 0xFFFFFFF0) == ("rom", "pc.bios")


def check_hpet(m, memory):
    """The HPET's row is where QEMU decodes its registers (`info mtree`),
    the address the boot line took from ACPI's HPET table."""
    hpet = [(first, last) for first, last, _, name
            in m.flat_views()["memory"] if name == "hpet"]
    assert hpet == [(HPET_BASE, HPET_BASE + HPET_SIZE - 1)]
    rows = [(r.first, r.last, r.answer, r.what, r.size) for r in memory]
    assert (*hpet[0], "device", HPET_WHAT, "1 KiB") in rows
    assert [int(a, 16) for a in HPET_BOOT_RE.findall(m.text())] == \
        [HPET_BASE]


def test_the_hpet_window_comes_from_acpi(machine, tables):
    # Claims C6, C9: QEMU's HPET answers at 0xFED00000 though no iospace
    # driver uses it; the ACPI HPET table says so, and `map` lists it.
    check_hpet(machine, tables[0])


def test_without_an_hpet_nothing_answers_there(machine_factory):
    # -machine hpet=off: no HPET table, no boot line, no row; the range is
    # one that nothing iospace knows answers, and QEMU decodes no hpet.
    m = machine_factory(extra=["-machine", "hpet=off"])
    m.wait_prompt(timeout=30)
    assert "HPET" not in m.text()
    memory, _, windows = parse_map(m.command("map"))
    assert HPET_WHAT not in [r.what for r in memory]
    row = [r for r in memory if r.first <= HPET_BASE <= r.last]
    assert len(row) == 1
    assert (row[0].answer, row[0].what) == ("nothing",
                                            "no RAM, no iospace device")
    assert not any(name == "hpet"
                   for *_, name in m.flat_views()["memory"])
    assert windows == ("384 KiB below 1 MiB + 16 MiB + 128 KiB + 4 KiB + "
                       "4 KiB + 4 KiB + 256 KiB = ~16.7 MiB of 4 GiB "
                       "(0.4092%)")


def pci_memory_windows(m):
    """Every PCI memory BAR QEMU has placed: {(address, size): (bdf,
    bar, class description)}, from QMP query-pci."""
    windows = {}
    for bus in m.qmp("query-pci"):
        for d in bus["devices"]:
            bdf = f"{d['bus']:02x}:{d['slot']:02x}.{d['function']:x}"
            for r in d["regions"]:
                # BAR 6 is the expansion ROM's, unmapped (-1) here.
                if r["type"] == "memory" and r["bar"] < 6 \
                        and r["address"] > 0:
                    windows[(r["address"], r["size"])] = (
                        bdf, r["bar"], d["class_info"]["desc"])
    return windows


def pci_io_windows(m):
    """Every PCI I/O BAR QEMU has placed: {(port, size): (bdf, bar, class
    description)}, from QMP query-pci."""
    windows = {}
    for bus in m.qmp("query-pci"):
        for d in bus["devices"]:
            bdf = f"{d['bus']:02x}:{d['slot']:02x}.{d['function']:x}"
            for r in d["regions"]:
                if r["type"] == "io" and r["address"] > 0:
                    windows[(r["address"], r["size"])] = (
                        bdf, r["bar"], d["class_info"]["desc"])
    return windows


def window_rows(ports):
    """The port table's PCI rows: {(first, size): (bdf, bar, class,
    decoding off, driver)}."""
    rows = {}
    for p in ports:
        m = PCI_ROW_RE.match(p.chip)
        if m:
            rows[(p.first, p.last - p.first + 1)] = (
                m[1], int(m[2]), m[3], bool(m[4]), p.driver)
    return rows


def check_port_table(m, out):
    """What every machine's port table must be: the fixed ranges and
    exactly the I/O windows QEMU placed, each labelled with its function,
    BAR and class, in port order, and the counts the rows add up to.
    Returns the window rows (window_rows)."""
    _, ports, _ = parse_map(out)
    assert [p.first for p in ports] == sorted(p.first for p in ports)
    rows = window_rows(ports)
    windows = pci_io_windows(m)
    assert set(rows) == set(windows), (rows, windows)
    for key, (bdf, bar, desc) in windows.items():
        assert rows[key][:3] == (bdf, bar, CLASS_NAMES[desc]), rows[key]
    # Disjoint, as the firmware placed them; no window is a fixed range.
    assert all(a.last < b.first for a, b in zip(ports, ports[1:]))
    assert [p.first for p in ports if not PCI_ROW_RE.match(p.chip)] == \
        sorted(QEMU_PORT_OWNERS)
    used = sum(p.last - p.first + 1 for p in ports)
    in_windows = sum(size for _, size in windows)
    assert f"iospace knows {used} ports, none of which takes" in out
    plural = "" if len(windows) == 1 else "s"
    assert (f"  {in_windows} of them in {len(windows)} PCI I/O "
            f"window{plural}, which software placed (BARs)") in out
    # QEMU decodes each window's first port as that device's.
    view = m.flat_views()["I/O"]
    for first, _ in rows:
        assert owner(view, first)[1] != "io", hex(first)
    return rows


def test_every_pci_memory_window_is_listed(machine, tables):
    # The VGA's 16 MiB framebuffer (BAR0) and 4 KiB of registers (BAR2),
    # the network card's 128 KiB: each a row of its own, labelled with
    # function, BAR and class, where QEMU says the BAR is.
    rows = {(r.first, r.last - r.first + 1): r for r in tables[0]}
    windows = pci_memory_windows(machine)
    assert len(windows) == 3
    for (address, size), (bdf, bar, desc) in windows.items():
        row = rows[(address, size)]
        assert row.answer == "device"
        assert row.what == f"PCI {bdf} BAR{bar}: " + {
            "VGA controller": "VGA compatible controller",
            "Ethernet controller": "Ethernet controller"}[desc]
    assert rows[(0xFD000000, 0x1000000)].size == "16 MiB"


def test_device_windows_take_16_7_mib_of_4_gib(machine, tables):
    # Claim C9, QEMU pc with -m 128: 128 KiB of VGA memory and 256 KiB of
    # ROM under 1 MiB; above it the PCI windows (the framebuffer's 16 MiB,
    # the network card's 128 KiB, the VGA's 4 KiB of registers), a page
    # per APIC with the HPET's 1 KiB between them, 256 KiB of flash at the
    # top.
    assert tables[2] == ("384 KiB below 1 MiB + 16 MiB + 128 KiB + 4 KiB + "
                         "4 KiB + 1 KiB + 4 KiB + 256 KiB = ~16.7 MiB of "
                         "4 GiB (0.4092%)")
    pci = sum(size for _, size in pci_memory_windows(machine))
    assert pci == 16 * 2**20 + 128 * 2**10 + 4 * 2**10
    assert 0.4092 == round(100 * (649 * 2**10 + pci) / 2**32, 4)


@pytest.fixture(scope="module")
def q35():
    m = Machine(extra=["-M", "q35"])
    try:
        m.wait_prompt(timeout=30)
        yield m
    finally:
        m.close()


def test_q35_lists_the_ecam_window(q35):
    # On q35 the firmware's map only reserves the ECAM window; `map` says
    # what answers there, where QEMU decodes it, and counts it in C9.
    m = q35
    memory, _, windows = parse_map(m.command("map"))
    ecam = [(f, l, name) for f, l, _, name in m.flat_views()["memory"]
            if name == "pcie-mmcfg-mmio"]
    assert len(ecam) == 1
    rows = [(r.first, r.last, r.answer, r.what) for r in memory]
    assert (ecam[0][0], ecam[0][1], "device",
            "PCI Express ECAM: configuration space") in rows
    for (address, size), (bdf, bar, _) in pci_memory_windows(m).items():
        assert any(r.first == address and r.last == address + size - 1
                   and r.what.startswith(f"PCI {bdf} BAR{bar}: ")
                   for r in memory)
    assert windows.startswith("384 KiB below 1 MiB + 256 MiB + 16 MiB + ")
    assert windows.endswith(" + 1 KiB + 4 KiB + 256 KiB = ~272.9 MiB of "
                            "4 GiB (6.6628%)")
    # q35's HPET answers at the same address, found the same way.
    check_hpet(m, memory)


def test_qemu_decodes_every_listed_port_range(machine, tables):
    view = machine.flat_views()["I/O"]
    ports = [p for p in tables[1] if not PCI_ROW_RE.match(p.chip)]
    assert [p.first for p in ports] == sorted(QEMU_PORT_OWNERS)
    # Sorted and disjoint, each inside the 64 KiB port space.
    assert all(p.first <= p.last < 0x10000 for p in tables[1])
    assert all(a.last < b.first for a, b in zip(tables[1], tables[1][1:]))
    for p in ports:
        names = {owner(view, port)[1] for port in range(p.first, p.last + 1)
                 if owner(view, port)}
        assert QEMU_PORT_OWNERS[p.first] in names, (p.chip, names)


def test_the_default_pc_lists_its_two_io_windows(machine):
    # pc's PIIX IDE function has its bus-master registers in BAR4, and the
    # default network card (e1000) an I/O window in BAR1, both placed by
    # the firmware above the fixed ports. Without a disk iospace drives
    # neither: only the monitor's in and out reach them.
    rows = check_port_table(machine, machine.command("map"))
    assert len(rows) == 2
    by_bar = {r[:2]: r for r in rows.values()}
    assert by_bar[IDE_BMIDE][2:] == ("IDE controller", False, NO_DRIVER)
    assert by_bar[("00:03.0", 1)][2:] == ("Ethernet controller", False,
                                         NO_DRIVER)


def test_a_disk_and_an_rtl8139_add_their_io_windows(machine_factory,
                                                     tmp_path):
    # With a disk the bus-master path drives the IDE function's BAR4, and
    # its row names the driver; an rtl8139's registers are an I/O window
    # (BAR0) too, which the firmware placed where QEMU says.
    disk = tmp_path / "disk.img"
    disk.write_bytes(bytes(64 * SECTOR))
    m = machine_factory(extra=[*ide_disk(str(disk)), "-device", "rtl8139"])
    m.wait_prompt(timeout=30)
    rows = check_port_table(m, m.command("map"))
    assert len(rows) == 3
    by_bar = {r[:2]: (first, size, *r[2:])
              for (first, size), r in rows.items()}
    first, size, *rest = by_bar[IDE_BMIDE]
    assert size == 16 and rest == ["IDE controller", False,
                                   "drivers/ata_dma.c"]
    # The driver's own line names the same ports (its primary channel's
    # eight of the sixteen).
    assert (f"BMIDE at ports {first:#06x}-{first + 7:#06x}"
            in m.command("disk"))
    view = m.flat_views()["I/O"]
    assert owner(view, first)[1] == "piix-bmdma"
    rtl = [(f, s, r) for (f, s, *r) in by_bar.values()
           if owner(view, f)[1] == "rtl8139"]
    assert len(rtl) == 1
    assert rtl[0][2] == ["Ethernet controller", False, NO_DRIVER]


def test_a_window_whose_io_decode_is_off_says_so(machine_factory):
    # The e1000's command register with I/O Space (bit 0) cleared through
    # the configuration ports: the function keeps its BAR, but nothing
    # answers at its ports, for `map` and for QEMU alike.
    m = machine_factory()
    m.wait_prompt(timeout=30)
    address = PCI_CONF1_ENABLE | 3 << 11 | PCI_COMMAND
    m.command(f"outl 0xcf8 {address:#x}")
    command = int(m.command("inw 0xcfc").split("= ")[1], 16)
    assert command & PCI_COMMAND_IO
    m.command(f"outw 0xcfc {command & ~PCI_COMMAND_IO:#x}")
    rows = window_rows(parse_map(m.command("map"))[1])
    e1000 = [(f, r) for f, r in rows.items() if r[:2] == ("00:03.0", 1)]
    assert len(e1000) == 1
    (first, _), row = e1000[0]
    assert row[2:] == ("Ethernet controller", True, NO_DRIVER)
    assert owner(m.flat_views()["I/O"], first)[1] != "e1000-io"


def test_q35_lists_the_ahci_io_window(q35):
    # q35 has no PIIX IDE: its ICH9 AHCI function has an I/O window in
    # BAR4 (the index/data pair QEMU calls ahci-idp), beside the SMBus's
    # and the e1000e's; iospace's AHCI driver uses the memory BAR5 only.
    rows = check_port_table(q35, q35.command("map"))
    by_bar = {r[:2]: r[2:] for r in rows.values()}
    assert by_bar[("00:1f.2", 4)] == ("SATA controller", False, NO_DRIVER)


def test_the_docs_figure_draws_every_row(machine, tables):
    # `make docs-figures` renders this output: the SVG parses and names
    # every region and port range the tables list.
    svg = mapfigure.render(machine.command("map"))
    texts = " ".join(t.text for t in ET.fromstring(svg).iter()
                     if t.tag.endswith("text"))
    for r in tables[0]:
        assert r.what in texts
    for p in tables[1]:
        assert p.chip in texts
    assert tables[2] in texts


def test_help_lists_the_commands(machine):
    out = machine.command("help")
    assert re.search(r"^  map\b", out, re.M)
    assert re.search(r"^  vgawindow \[RANGE\]", out, re.M)


def test_vgawindow_shows_the_bios_text_window(machine):
    out = machine.command("vgawindow")
    # The BIOS's text mode: GR06 = 0x0e, memory map select 3 (bits 3..2),
    # odd/even chaining (bit 1), text (bit 0 clear).
    assert "GR06 = 0x0e, memory map select 3" in out
    assert "answers at 0xb8000-0xbffff (32 KiB), the text at 0xb8000" in out


def test_vgawindow_refuses_an_unknown_range(machine):
    out = machine.command("vgawindow b8000")
    assert out.startswith("error: vgawindow: unknown RANGE 'b8000'")


@pytest.mark.parametrize("window,base,size", [
    ("a0000-affff", 0xA0000, 0x10000),
    ("b0000-b7fff", 0xB0000, 0x8000),
    ("a0000-bffff", 0xA0000, 0x20000),
])
def test_vgawindow_moves_the_text_buffer(machine, window, base, size):
    # Claim C5: `out` to GR06 moves where the card's memory answers; the
    # screen is unchanged, only its address is new. QEMU's xp is the
    # referee of what answers where.
    try:
        out = machine.command(f"vgawindow {window}")
        assert (f"marker {MARK_CELL:#06x} written at "
                f"{VGA_TEXT + MARK_OFFSET:#07x} before the move reads "
                f"{MARK_CELL:#06x} at {base + MARK_OFFSET:#07x}") in out
        # The whole screen, title first, now answers at base, and the
        # console followed: the command's own output is on it.
        rows = machine.vga_rows(base)
        assert rows[0].startswith(BANNER)
        assert any(r.startswith("vgawindow: GR06 (ports 0x3ce/0x3cf) 0x0e")
                   for r in rows)
        # The marker was put back: the last cell holds what it held.
        assert machine.read_phys(base + MARK_OFFSET, 1)[0] != MARK_CELL
        if not base <= VGA_TEXT < base + size:
            # The old window: nothing answers (the card ignores the
            # address; a read gives all ones), for QEMU and the kernel.
            assert f"{VGA_TEXT + MARK_OFFSET:#07x} now reads 0xffff: " \
                   "nothing answers there" in out
            assert machine.read_phys(VGA_TEXT, 8) == [0xFFFF] * 8
            assert machine.command("peek 0xb8000") == \
                "0x000b8000: 0xffffffff"
        machine.command("help")
        assert any(r.startswith("  vgawindow [RANGE]")
                   for r in machine.vga_rows(base))
    finally:
        out = machine.command("vgawindow b8000-bffff")
    assert "the text at 0xb8000" in out
    # Back home: the console works at 0xB8000 and the other window is gone.
    machine.command("help")
    rows = machine.vga_rows()
    assert rows[0].startswith(BANNER)
    assert any(r.startswith("  vgawindow [RANGE]") for r in rows)
    if base < VGA_TEXT:
        assert machine.read_phys(base, 4) == [0xFFFF] * 4


def test_the_trace_shows_ports_moving_memory(machine):
    # The kernel's I/O trace of one move: GR06 is read and written through
    # the Graphics Controller's ports, then the text is written with mov at
    # its new address.
    machine.command("clear")
    machine.command("trace clear")
    machine.command("trace on")
    try:
        machine.command("vgawindow a0000-affff")
        machine.command("trace off")
        out = machine.command("trace dump 8192", timeout=60)
    finally:
        machine.command("vgawindow b8000-bffff")
    records = re.findall(r"(PMIO|MMIO) (in|out|mov)\s+\d+ 0x([0-9a-f]+) "
                         r"(?:<-|->) 0x([0-9a-f]+)  vga\s+(.*)$", out, re.M)
    moves = [i for i, r in enumerate(records)
             if r[:4] == ("PMIO", "out", "03cf", "06")]
    assert len(moves) == 1, records[:40]
    before, after = records[:moves[0]], records[moves[0] + 1:]
    assert ("PMIO", "out", "03ce", "06", "GC index") in before
    assert ("PMIO", "in", "03cf", "0e", "GC data") in before
    assert any(r[0] == "MMIO" and r[2].startswith("000a")
               and r[4] == "text cell" for r in after)


def test_no_vga_card_is_said_and_nothing_is_shown_where_none_answers(
        machine_factory):
    # -vga none: no card decodes the VGA's ports or memory (issue 12). The
    # kernel finds GR06 reading 0xff, keeps to the serial line, and `map`,
    # `vgawindow` and `screen` do not pretend there is video memory.
    m = machine_factory(extra=["-vga", "none"])
    m.wait_prompt()
    assert ("consoles: serial line COM1 only (no VGA card: GR06 reads "
            "0xff)") in m.text()
    assert "VGA video memory" not in m.command("map")
    assert m.command("vgawindow") == ("error: vgawindow: no VGA card (GR06 "
                                      "reads 0xff): no window to show or move")
    assert m.command("screen live").startswith("error: screen: no VGA card")
    assert m.command("inb 0x3ff").startswith("inb(0x03ff)")


def test_the_console_follows_a_window_moved_by_hand(machine_factory):
    # GR06 written with outb, not vgawindow: memory map select 1 puts the
    # text at 0xA0000, and the console must write there, not to 0xB8000
    # where nothing answers any more.
    m = machine_factory(append="screen=console")
    m.wait_prompt()
    m.command("outb 0x3ce 6")
    m.command("outb 0x3cf 6")
    m.command("inb 0x3fa")
    rows = m.vga_rows(0xA0000)
    assert any(r.startswith("iospace> inb 0x3fa") for r in rows), rows
    m.command("vgawindow b8000-bffff")
