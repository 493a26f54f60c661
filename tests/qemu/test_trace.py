"""The kernel's own I/O trace (io/trace.h) against QEMU's: the same
accesses, in the same order, for port-mapped and memory-mapped devices."""

import re

import pytest

from iospace import Machine, ahci_disk

RECORD = re.compile(r"^\s*\d+ (PMIO|MMIO) (in|out|mov)\s+(\d+) 0x([0-9a-f]+) "
                    r"(<-|->) 0x([0-9a-f]+)  (\S+)\s*(.*)$", re.M)
VGA_TEXT_FIRST, VGA_TEXT_LAST = 0xB8000, 0xB8F9F


def as_qemu_sees(records):
    """The kernel's records as QEMU's trace shows them: QEMU's VGA memory
    takes byte accesses, so a 16-bit text cell access is two, low first."""
    out = []
    for mech, _, bits, where, arrow, value, _, _ in records:
        op = "write" if arrow == "<-" else "read"
        where, value, bits = int(where, 16), int(value, 16), int(bits)
        if mech == "MMIO" and VGA_TEXT_FIRST <= where <= VGA_TEXT_LAST:
            for i in range(bits // 8):
                out.append((op, where + i, (value >> 8 * i) & 0xFF))
        else:
            out.append((op, where, value))
    return out


@pytest.fixture(scope="module")
def traced():
    m = Machine(trace=True, append="irq=pic")
    try:
        m.wait_prompt()
        yield m
    finally:
        m.close()


def test_kernel_trace_matches_qemus_trace(machine_factory):
    traced = machine_factory(trace=True, append="irq=pic")
    traced.wait_prompt()
    # On a cleared screen nothing scrolls (a scroll is ~3900 accesses).
    traced.command("clear")
    traced.command("trace clear")
    traced.command("trace on")
    traced.command("outb 0x3ff 0x5a")
    traced.command("inb 0x3ff")
    held = int(re.search(r"(\d+) records held",
                         traced.command("trace off"))[1])
    traced.stop_tracing()       # the dump's own accesses need no referee
    dump = traced.command(f"trace dump {held}", timeout=60)
    records = RECORD.findall(dump)
    assert len(records) > 100, dump[:500]
    kinds = {r[0] for r in records}
    assert kinds == {"PMIO", "MMIO"}          # both mechanisms, side by side
    # The monitor's own accesses are there, named by their drivers.
    assert any(r[1] == "out" and r[3] == "03ff" and r[5] == "5a"
               and r[6] == "uart" and r[7] == "SCR" for r in records)
    assert any(r[6] == "pic" and r[7] == "OCW2 (EOI)" for r in records)
    assert any(r[6] == "vga" and r[7] == "CRTC index" for r in records)
    # QEMU saw exactly this run of accesses, in this order.
    mine = as_qemu_sees(records)
    traced.quit()
    qemu = [(a.op, a.addr, a.value) for a in traced.kernel_accesses()]
    start = next((i for i in range(len(qemu) - len(mine) + 1)
                  if qemu[i] == mine[0] and qemu[i:i + len(mine)] == mine),
                 None)
    assert start is not None, (mine[:10], len(mine), len(qemu))


def test_trace_bad_arguments(traced):
    assert traced.command("trace sideways").startswith("error: trace: 'sideways'")
    assert traced.command("trace dump 9000").startswith("error: trace: N 9000")
    assert traced.command("trace on 3").startswith("error: usage: trace")
    assert traced.command("trace on off").startswith("error: usage: trace")


def test_trace_alone_says_whether_it_is_on(traced):
    traced.command("trace clear")
    assert re.fullmatch(r"trace: off, 0 records held\n"
                        r"trace: [1-9]\d* register windows named "
                        r"\(room for 48\)", traced.command("trace"))
    traced.command("trace on")
    assert re.fullmatch(r"trace: on, [1-9]\d* records held\n.*",
                        traced.command("trace"))
    traced.command("trace off")
    assert traced.command("trace").startswith("trace: off, ")


def test_trace_from_the_command_line(machine_factory):
    m = machine_factory(append="trace irq=pic")
    m.wait_prompt()
    assert "options: irq=pic hz=100 trace" in m.text()
    assert re.match(r"trace: on, \d+ records held\n", m.command("trace"))
    out = m.command("trace dump 5")
    assert re.search(r"^5 of \d+ records", out), out
    assert len(RECORD.findall(out)) == 5


def test_a_windowed_access_is_recorded_at_its_physical_address(
        machine_factory):
    # peek and poke reach a page the kernel has not mapped through a
    # window page of its own (kernel/paging.c); the record must say where
    # the access went, not where the window is.
    m = machine_factory(append="irq=pic")
    m.wait_prompt()
    m.command("trace clear")
    m.command("trace on")
    assert m.command("peek 0xfffffff0") == "0xfffffff0: 0x00e05bea"
    assert (m.command("poke 0x7000000 0x12345678")
            == "0x07000000 <- 0x12345678")
    m.command("trace off")
    records = RECORD.findall(m.command("trace dump 8000", timeout=60))
    mmio32 = {(int(r[3], 16), r[4], int(r[5], 16)) for r in records
              if r[0] == "MMIO" and r[2] == "32"}
    assert (0xFFFFFFF0, "->", 0x00E05BEA) in mmio32, mmio32
    assert (0x07000000, "<-", 0x12345678) in mmio32, mmio32
    assert len(mmio32) == 2, mmio32


def test_every_register_window_has_a_name_on_the_fullest_machine(
        machine_factory, tmp_path):
    """q35 with the edu and an AHCI disk registers the most windows (the
    ECAM, the ABAR and the edu's registers besides the chipset's and the
    ISA chips'): the table must hold them all, or a dump shows '?' where it should
    name a register."""
    disk = tmp_path / "disk.img"
    disk.write_bytes(bytes(64 * 1024))
    m = machine_factory(extra=["-M", "q35", "-device", "edu",
                               *ahci_disk(str(disk))])
    m.wait_prompt()
    status = m.command("trace").split("\n")
    named = re.fullmatch(r"trace: (\d+) register windows named "
                         r"\(room for (\d+)\)", status[1])
    assert named, status
    assert 0 < int(named[1]) <= int(named[2]), status
