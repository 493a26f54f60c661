"""What an access costs (claim C12; C2, C3, C7): the monitor's `bench`
table, read with the parser of tools/bench.py (`make bench`), on three
machines: the default one with a diskette, irq=pic without one, and a
486, which has neither a TSC nor an APIC. Each boots once and runs
`bench` once; the tests check the table's shape and what the figures
must say, never how fast the host is."""

import csv
import math
import os
import re
import sys

import pytest

from iospace import ROOT, Machine, floppy_drive

sys.path.insert(0, os.path.join(ROOT, "tools"))
import bench  # noqa: E402  (tools/bench.py, `make bench`)

# row: (mechanism, instruction(s)), in the order `bench` prints them.
ROWS = {
    "ram-read": ("RAM", "mov"), "ram-write": ("RAM", "mov"),
    "vga-read": ("MMIO", "mov"), "vga-write": ("MMIO", "mov"),
    "lapic-read": ("MMIO", "mov"), "ioapic-read": ("MMIO", "mov+mov"),
    "pit-read": ("PMIO", "out+in"), "pic-read": ("PMIO", "in"),
    "post-write": ("PMIO", "out"),
    "crtc-port": ("PMIO", "out+in"), "crtc-bar": ("MMIO", "mov+mov"),
    "vbe-port": ("PMIO", "out+in"), "vbe-bar": ("MMIO", "mov"),
}
APIC_ROWS = {"lapic-read", "ioapic-read"}
# The same register by port and by the standard VGA's BAR2 (claim C12's
# like-for-like pairs).
VGA_BAR_ROWS = {"crtc-port", "crtc-bar", "vbe-port", "vbe-bar"}
PAIRS_NOTE = ("note: crtc-port and crtc-bar, vbe-port and vbe-bar reach one "
              "register of one")
TRACK_BYTES = 18 * 512
# The default machine has no hard disk: `bench` says why, as `disk read` does.
DISK_SKIPPED = "no disk on the primary IDE channel (status 0x00 at port 0x1f7)"
TCG_NOTE = ("note: under QEMU's TCG these figures measure the emulator, "
            "not a PC:")
ISA_NOTE = "note: on a real PC an ISA port access takes about 1 us"


def run_bench(append="", extra=(), before=(), after=()):
    """Boots a machine and runs `bench` once, between the commands
    before and after; the output of each command after, bench's last."""
    m = Machine(append=append, extra=list(extra))
    try:
        m.wait_prompt(timeout=30)
        for line in before:
            m.command(line)
        out = m.command("bench", timeout=60)
        return [m.command(line) for line in after] + [out]
    finally:
        m.close()


@pytest.fixture(scope="module")
def default_run(floppy_image):
    """The default machine (TSC, APICs) with a diskette in drive A:, the
    I/O trace on while bench runs; then help and the track read by fdread
    each way."""
    return run_bench(extra=floppy_drive(floppy_image[0]),
                     before=["trace clear", "trace on"],
                     after=["trace off", "trace dump 1", "help",
                            "fdread 0 18 dma", "fdread 0 18 pio"])


@pytest.fixture(scope="module")
def default(default_run):
    return default_run[-1]


@pytest.fixture(scope="module")
def pic_mode():
    """irq=pic, no diskette in the drive, and a Cirrus card instead of the
    standard VGA (the same VGA registers at the ports, no BAR2)."""
    return run_bench(append="irq=pic", extra=["-vga", "cirrus"])[-1]


@pytest.fixture(scope="module")
def no_tsc(floppy_image):
    """A 486: no TSC and no APIC; a diskette in drive A:."""
    return run_bench(extra=["-cpu", "486",
                            *floppy_drive(floppy_image[0])])[-1]


def check_rows(figures, skipped=()):
    """Every row, in order, with its mechanism and instruction; the
    measured ones with min <= median and a power-of-two batch, the others
    with a reason."""
    rows = figures["rows"]
    assert [r["row"] for r in rows] == list(ROWS)
    for r in rows:
        assert (r["mech"], r["insn"]) == ROWS[r["row"]], r
        if r["row"] in skipped:
            assert r["skipped"] and r["min"] is None, r
            continue
        assert r["skipped"] is None, r
        assert 0 <= r["min"] <= r["median"], r
        assert r["batch"] & (r["batch"] - 1) == 0, r
    return {r["row"]: r for r in rows}


def check_ratios(rows):
    """ram-read is the unit; every other ratio is median / its median."""
    ram = rows["ram-read"]["median"]
    assert ram > 0
    assert rows["ram-read"]["ratio"] == 1.0
    for r in rows.values():
        if r["skipped"] is None:
            assert math.isclose(r["ratio"], r["median"] / ram, abs_tol=0.06,
                                rel_tol=0.01), r


def test_every_row_is_measured_in_cycles(default):
    figures = bench.parse(default)
    assert figures["unit"] == "cycles"
    assert figures["tsc_khz"] > 100_000        # a TSC of more than 100 MHz
    rows = check_rows(figures)
    check_ratios(rows)
    # Each figure line as printed: tenths of a cycle (min, median, the
    # spread of the middle half, the ratio), the batch size; a minimum too
    # small for the table says "<0.1", never 0.0: no access is free.
    for name in ROWS:
        m = re.search(rf"^{name} +\S+ +\S+ +(\d+\.\d|<0\.1) +\d+\.\d +"
                      rf"\d+\.\d +\d+\.\d +x\d+  \S", default, re.M)
        assert m and m[1] != "0.0", name


def test_a_device_register_costs_more_than_ram(default):
    # Claim C12 as the kernel's own figures show it, with room to spare:
    # under TCG a device access is a call into QEMU (about 100 cycles
    # here), a RAM access a few cycles.
    rows = {r["row"]: r for r in bench.parse(default)["rows"]}
    ram = max(rows["ram-read"]["median"], rows["ram-write"]["median"])
    for name, (mech, _) in ROWS.items():
        if mech != "RAM":
            assert rows[name]["median"] > 2 * ram, (name, rows[name], ram)


def test_floppy_by_dma_takes_few_ins(default):
    # Claim C7: the 8237 moves the track; by PIO the CPU takes each byte
    # with an `in` from the FIFO, after an `in` of the status register.
    figures = bench.parse(default)
    assert figures["floppy_skipped"] is None
    dma, pio = figures["floppy"]
    assert (dma["row"], dma["mech"], pio["row"], pio["mech"]) == \
        ("fd-dma", "DMA", "fd-pio", "PMIO")
    assert dma["in"] < 100
    assert pio["in"] >= 2 * TRACK_BYTES
    for r in (dma, pio):
        assert isinstance(r["min"], int) and r["min"] <= r["median"], r
    assert re.search(r"^fd-pio/fd-dma: x\d+\.\d the in instructions, "
                     r"x\d+\.\d the cycles$", default, re.M)


def test_fdread_counts_as_bench_does(default_run):
    """fdread and bench print the same counts the same way: in and out
    apart, for the same track."""
    dma, pio = bench.parse(default_run[-1])["floppy"]
    for row, line in ((dma, default_run[3]), (pio, default_run[4])):
        m = re.search(r" in=(\d+) out=(\d+) irqs=", line)
        assert m, line
        assert (int(m[1]), int(m[2])) == (row["in"], row["out"]), (row, line)
    assert dma["out"] > 0 and 0 < pio["out"] < 100


def test_the_figures_say_what_they_measure(default):
    assert TCG_NOTE in default
    assert ISA_NOTE in default
    assert PAIRS_NOTE in default
    assert re.search(r"^bench: cycles per access, by the TSC at \d+ kHz$",
                     default, re.M)


def test_the_parser_writes_the_csv(default, tmp_path):
    # tools/bench.py's own path from the kernel's output to docs/bench.csv.
    figures = bench.parse(default)
    path = tmp_path / "bench.csv"
    bench.write_csv(figures, path)
    with open(path, newline="") as f:
        got = list(csv.DictReader(f))
    assert [r["row"] for r in got] == list(ROWS) + ["fd-dma", "fd-pio"]
    for row, want in zip(got, figures["rows"] + figures["floppy"]):
        assert float(row["median"]) == want["median"]
        assert row["out"] == ("" if want["out"] is None else str(want["out"]))
        assert row["unit"] in ("cycles", "cycles per track")
    # The default machine has no hard disk: no disk rows, and why.
    assert figures["disk"] == []
    assert figures["disk_skipped"] == DISK_SKIPPED
    assert f"disk: skipped: {DISK_SKIPPED}" in default


def test_irq_pic_skips_the_apic_rows(pic_mode):
    figures = bench.parse(pic_mode)
    rows = check_rows(figures, skipped=APIC_ROWS | VGA_BAR_ROWS)
    check_ratios(rows)
    for name in APIC_ROWS:
        assert "irq=pic" in rows[name]["skipped"], rows[name]
    for name in VGA_BAR_ROWS:
        assert rows[name]["skipped"] == ("no QEMU standard VGA (PCI "
                                         "1234:1111) on this machine")
    # No diskette: one line says so, and no track rows.
    assert figures["floppy"] == []
    assert re.search(r"^floppy: skipped: no disk in floppy drive 0",
                     pic_mode, re.M)


def test_without_a_tsc_the_pit_times_batches(no_tsc):
    assert re.search(r"^bench: ns per access, by PIT channel 0 \(1193182 Hz, "
                     r"838\.1 ns a count\):\n  no TSC \(none on this CPU\)$",
                     no_tsc, re.M)
    figures = bench.parse(no_tsc)
    assert figures["unit"] == "ns" and figures["tsc_khz"] is None
    check_ratios(check_rows(figures, skipped=APIC_ROWS))
    # The driver counts no cycles without a TSC; the `in`s it still does.
    dma, pio = figures["floppy"]
    assert dma["min"] is None and dma["median"] is None
    assert dma["in"] < 100 and pio["in"] >= 2 * TRACK_BYTES
    assert TCG_NOTE in no_tsc


def test_help_lists_bench(default_run):
    assert re.search(r"^  bench +cycles per access", default_run[2], re.M)


def test_the_trace_is_paused_while_measuring(default_run):
    # bench reads the track by PIO six times (one read to start the motor,
    # then five), each 18458 `in`s, and its batches add tens of thousands
    # of accesses more: had the trace recorded them, it would have made
    # more records than the PIO reads alone. Paused, it holds what
    # printing the table cost (UART, VGA cells, cursor).
    assert default_run[0].startswith("trace: off"), default_run[0]
    made = int(re.search(r"\((\d+) made\)", default_run[1])[1])
    pio_ins = bench.parse(default_run[-1])["floppy"][1]["in"]
    assert made < 6 * pio_ins, (made, pio_ins)
