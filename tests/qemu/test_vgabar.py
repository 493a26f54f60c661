"""The same VGA register by two mechanisms (claims C1, C2): QEMU's standard
VGA answers as its ports 0x3C0-0x3DF at BAR2 + 0x400 and as its VBE
registers at BAR2 + 0x500. The kernel finds BAR2 by reading it; QEMU's own
trace says each access reached the region the kernel meant, and QEMU's
VGA model (its vga_std_* and vga_vbe_* trace events) says both paths
reached the same register with the same value."""

import re

import pytest

from iospace import Machine

ROW = re.compile(r"^(CRTC 0x[0-9a-f]{2}|VBE 0x[0-9a-f]) .*? 0x([0-9a-f]{3}) +"
                 r"0x([0-9a-f]+) +0x([0-9a-f]{8}) +0x([0-9a-f]+)  (\S+)$",
                 re.M)
BAR2_LINE = re.compile(r"BAR2 0x([0-9a-f]{8})-0x([0-9a-f]{8})")
VBE_ID = 0xB0C5
STD_IO = re.compile(r"vga_std_(read|write)_io addr (0x[0-9a-f]+), "
                    r"val (0x[0-9a-f]+)")
VBE_EVENT = re.compile(r"vga_vbe_(read|write) index (0x[0-9a-f]+), "
                       r"val (0x[0-9a-f]+)")
MIRROR, DISPI = "vga ioports remapped", "bochs dispi interface"


def qemu_bar2(m):
    """BAR2 of the 1234:1111 function as QEMU's query-pci gives it."""
    for bus in m.qmp("query-pci"):
        for dev in bus["devices"]:
            if (dev["id"]["vendor"], dev["id"]["device"]) == (0x1234, 0x1111):
                return next(r["address"] for r in dev["regions"]
                            if r["bar"] == 2)
    raise AssertionError("no 1234:1111 in query-pci")


@pytest.mark.parametrize("machine", ["pc", "q35"])
def test_every_register_reads_alike_both_ways(machine_factory, machine):
    m = machine_factory(extra=["-M", machine])
    m.wait_prompt(timeout=30)
    out = m.command("vgaregs")
    bar = int(BAR2_LINE.search(out)[1], 16)
    # Read from the BAR, not written down: the firmware's choice differs
    # between the machines (pc 0xfebf0000, q35 0xfebd4000).
    assert bar == qemu_bar2(m)
    rows = ROW.findall(out)
    assert len(rows) == 10, out
    for name, port, by_port, addr, by_bar, verdict in rows:
        assert by_port == by_bar and verdict == "same", out
        if name.startswith("CRTC"):
            assert (int(port, 16), int(addr, 16)) == (0x3D5, bar + 0x415)
    ids = [int(r[2], 16) for r in rows if r[0] == "VBE 0x0"]
    assert ids == [VBE_ID], out
    # QEMU's own map: the two regions where the kernel reads them.
    names = {name: first for first, _, _, name in m.flat_views()["memory"]}
    assert names[MIRROR] == bar + 0x400 and names[DISPI] == bar + 0x500


@pytest.mark.parametrize("by,back", [("bar", "ports"), ("port", "BAR2")])
def test_the_cursor_moves_by_either_and_reads_back_by_the_other(
        machine_factory, by, back):
    m = machine_factory(trace=True, extra=["-trace", "vga_std_*"])
    m.wait_prompt(timeout=30)
    out = m.command(f"vgacursor 1234 {by}")
    assert out == (f"vgacursor: 0x04d2 (row 15, column 34) by "
                   f"{'BAR2' if by == 'bar' else 'ports'}; read back by "
                   f"{back}: 0x04d2, same")
    m.quit()
    with open(m.trace_path, encoding="latin-1") as f:
        log = f.read()
    # QEMU's VGA model saw the cursor location written (0x04, then 0xd2
    # into CRTC 0x0E and 0x0F, as port writes whichever path carried
    # them) and read back the same.
    model = STD_IO.findall(log)
    written = [("write", "0x3d4", "0xe"), ("write", "0x3d5", "0x4"),
               ("write", "0x3d4", "0xf"), ("write", "0x3d5", "0xd2")]
    read = [("write", "0x3d4", "0xe"), ("read", "0x3d5", "0x4"),
            ("write", "0x3d4", "0xf"), ("read", "0x3d5", "0xd2")]
    n = len(written)
    assert any(model[i:i + 2 * n] == written + read
               for i in range(len(model))), model[-40:]
    # ...and the memory system says which mechanism carried each part.
    mirror = [(a.op, a.addr & 0xFFF, a.value)
              for a in m.kernel_accesses([MIRROR])]
    to_mirror = [(op, 0x400 + int(port, 16) - 0x3C0, int(val, 16))
                 for op, port, val in (written if by == "bar" else read)]
    assert mirror == to_mirror, mirror


def test_a_bar_read_and_a_port_read_give_qemu_the_same_value(
        machine_factory):
    m = machine_factory(trace=True,
                        extra=["-trace", "vga_std_*", "-trace", "vga_vbe_*"])
    m.wait_prompt(timeout=30)
    out = m.command("vgaregs")
    bar = int(BAR2_LINE.search(out)[1], 16)
    m.quit()
    accesses = m.kernel_accesses([MIRROR, DISPI, "vga", "vbe"])
    # The CRTC registers: a data read through the mirror and one through
    # port 0x3d5, the same value each time, four registers.
    by_bar = [a.value for a in accesses
              if a.name == MIRROR and a.op == "read" and a.addr == bar + 0x415]
    by_port = [a.value for a in accesses
               if a.name == "vga" and a.op == "read" and a.addr == 0x3D5]
    assert len(by_bar) == 4 and by_bar == by_port[-4:], (by_bar, by_port)
    # The VBE ID: one 16-bit read of the dispi region at offset 0, and
    # an index write then a data read at the ports: 0xb0c5 both.
    ids = [a for a in accesses if a.name == DISPI and a.addr == bar + 0x500]
    assert [(a.op, a.value, a.size) for a in ids] == [("read", VBE_ID, 2)]
    vbe_port_reads = [a.value for a in accesses
                      if a.name == "vbe" and a.op == "read"]
    assert VBE_ID in vbe_port_reads
    # QEMU's VBE model read index 0 twice (ports, then BAR): 0xb0c5 both.
    with open(m.trace_path, encoding="latin-1") as f:
        events = VBE_EVENT.findall(f.read())
    assert events.count(("read", "0x0", hex(VBE_ID))) == 2, events


@pytest.mark.parametrize("vga", ["none", "cirrus"])
def test_without_the_standard_vga_one_error_line(machine_factory, vga):
    m = machine_factory(extra=["-vga", vga])
    m.wait_prompt(timeout=30)
    expected = ("error: {}: no QEMU standard VGA (PCI 1234:1111) on this "
                "machine")
    assert m.command("vgaregs") == expected.format("vgaregs")
    assert m.command("vgacursor 5 bar") == expected.format("vgacursor")
    assert m.command("help").count("\n") > 10     # the kernel goes on


def test_bad_arguments(monitor):
    assert monitor.command("vgacursor 2000 bar") == (
        "error: vgacursor: POS 2000 is out of range (at most 0x7cf)")
    assert monitor.command("vgacursor 5 mov") == (
        "error: vgacursor: 'mov' is neither port nor bar")
    assert monitor.command("vgaregs 1").startswith("error: usage: vgaregs")


def test_a_moved_bar_is_followed(machine_factory):
    # Move BAR2 by hand, with the monitor's outl to the configuration
    # ports (mechanism #1 on pc): the next command reads the BAR again and
    # finds the registers where QEMU now decodes them.
    m = machine_factory()
    m.wait_prompt(timeout=30)
    out = m.command("vgaregs")
    bus, dev, fn = (int(x, 16) for x in
                    re.search(r"VGA (\w\w):(\w\w)\.(\w)", out).groups())
    new = 0xFEBE0000
    assert not any(first <= new <= last for first, last, _, _
                   in m.flat_views()["memory"]
                   if first >= 0xFE000000), "the new address is taken"
    address = 0x80000000 | bus << 16 | dev << 11 | fn << 8 | 0x18
    m.command(f"outl 0xcf8 {address:#x}")
    m.command(f"outl 0xcfc {new:#x}")
    assert qemu_bar2(m) == new
    out = m.command("vgaregs")
    assert int(BAR2_LINE.search(out)[1], 16) == new, out
    rows = ROW.findall(out)
    assert len(rows) == 10 and all(r[5] == "same" for r in rows), out
    assert [int(r[4], 16) for r in rows if r[0] == "VBE 0x0"] == [VBE_ID]
    assert m.command("vgacursor 321 bar").endswith("0x0141, same")
