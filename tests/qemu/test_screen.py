"""The live I/O panel on the VGA screen (kernel/panel/panel.c), read from video
memory through QMP: its rows, counters that move and agree with the
monitor's own commands, the monitor below it, `screen console|live`, the
pause while the I/O trace is on, the VGA window moving under it, a
machine without APICs, and the disk controllers' rows.

Shared boots: the default machine (the APICs deliver, the panel is on
from boot, no disk), a 486 booted with screen=console (no APIC: the 8259
delivers and the PIT ticks), pc with a disk on the IDE channel and q35
with one on the AHCI controller; and q35 without a disk, once."""

import os
import re
import time

import pytest

from iospace import SECTOR, VGA_COLS, VGA_TEXT, Machine, ahci_disk, ide_disk

PANEL_FIRST, PANEL_ROWS = 1, 17
CONSOLE_TOP = PANEL_FIRST + PANEL_ROWS          # the monitor's first row
RULE_COL = 39
RULE = "\u2502"                                 # code page 437's 0xB3
UPDATE_S = 0.2                                  # five updates a second
LEFT_HEADER = "PORT-MAPPED I/O: in/out, 64 KiB space"
RIGHT_HEADER = "MEMORY-MAPPED I/O: mov, 4 GiB space"

# Each device's first row: screen row, column (0 left, 1 right), name,
# ports or addresses, instruction.
DEVICES = [
    (2, 0, "8259 PIC", "20-21 A0-A1", "in/out"),
    (4, 0, "8254 PIT", "40-43", "in/out"),
    (6, 0, "VGA CRTC, GC", "3CE-3CF 3D4-3D5", "in/out"),
    (8, 0, "16550 UART", "3F8-3FF", "in/out"),
    (10, 0, "8042 keyboard", "60 64", "in/out"),
    (12, 0, "8237 DMA", "00-0F 81-8F C0-DF", "in/out"),
    (14, 0, "82077AA FDC", "3F0-3F5 3F7", "in/out"),
    # The default machine has no disk: its IDE channel's ports in grey,
    # no AHCI (the disk rows' own tests are below).
    (16, 0, "PIIX IDE", "1F0-1F7", "in/out"),
    (16, 1, "AHCI HBA", "-", "mov"),
    (2, 1, "IO APIC", "FEC00000-FEC00FFF", "mov"),
    (4, 1, "Local APIC", "FEE00000-FEE00FFF", "mov"),
    # The VGA's registers again, beside its ports: BAR2, where pc's
    # firmware puts it (test_vgabar checks that against query-pci).
    (6, 1, "VGA BAR2", "FEBF0000-FEBF0FFF", "mov"),
    (7, 1, "VGA text", "B8000-B8F9F", "mov"),
]

IRQ_ROW, TICKS_ROW, VGA_COUNTS_ROW, UART_ROW = 3, 5, 7, 9
KBD_ROW, LEGEND_ROW, VGA_TEXT_ROW = 11, 9, 7
IRQ_RE = re.compile(r"IRQ 0: (\S+)\s+1: (\S+)\s+4: (\S+)\s+6: (\S+)")
IRQS_LINE_RE = re.compile(r"^\s*(\d+)  \S+\s+(\d+)\s+(\d+)$", re.M)


def screen(m, base=VGA_TEXT):
    """The 25 rows, read until two reads agree: QEMU may read while the
    panel is halfway through an update."""
    rows = m.vga_rows(base)
    for _ in range(10):
        again = m.vga_rows(base)
        if again == rows:
            return rows
        rows = again
    raise AssertionError("the screen never held still")


def column(row, right):
    return row[RULE_COL + 1:] if right else row[:RULE_COL]


def wait_screen(m, what, timeout=10, base=VGA_TEXT):
    """The screen once what(rows) holds."""
    deadline = time.monotonic() + timeout
    while True:
        rows = screen(m, base)
        if what(rows):
            return rows
        if time.monotonic() > deadline:
            raise AssertionError("the screen never showed it:\n"
                                 + "\n".join(rows))
        time.sleep(0.05)


def has_panel(rows):
    return rows[PANEL_FIRST].startswith(" " + LEFT_HEADER)


def count(text):
    """A count as the panel prints it: digits, or thousands with k..."""
    scale = {"k": 10**3, "M": 10**6, "G": 10**9}
    if text[-1] in scale:
        return int(text[:-1]) * scale[text[-1]]
    return int(text)


def panel_number(m, row, right, pattern):
    """The number the regex's group 1 finds in one column of one row."""
    rows = screen(m)
    found = re.search(pattern, column(rows[row], right))
    assert found, "\n".join(rows)
    return count(found[1])


def irq_counts(m, right):
    rows = screen(m)
    found = IRQ_RE.search(column(rows[IRQ_ROW], right))
    assert found, "\n".join(rows)
    return {line: None if v == "-" else count(v)
            for line, v in zip((0, 1, 4, 6), found.groups())}


def irqs_command(m, controller):
    """The `irqs` command's count per line for one controller (0 the
    8259, 1 the IO APIC)."""
    out = m.command("irqs")
    return {int(line): int(counts[controller])
            for line, *counts in IRQS_LINE_RE.findall(out)}


def fresh(m, right):
    """Waits for an update of the panel drawn after this moment: one that
    shows more ticks than `ticks` says now (the tick counter is the 8259's
    IRQ 0 on the left, or the Local APIC timer on the right)."""
    pattern = r"timer ticks\s+(\d+)" if right else r"IRQ 0 ticks\s+(\d+)"
    ticks = int(m.command("ticks"))
    assert later_than(m, TICKS_ROW, right, pattern, ticks) > ticks


def later_than(m, row, right, pattern, value, timeout=5):
    """Waits until the panel shows more than value; returns what it
    shows."""
    deadline = time.monotonic() + timeout
    while True:
        now = panel_number(m, row, right, pattern)
        if now > value or time.monotonic() > deadline:
            return now
        time.sleep(UPDATE_S / 2)


@pytest.fixture(scope="module")
def live():
    m = Machine()
    try:
        m.wait_prompt()
        wait_screen(m, has_panel)
        yield m
    finally:
        m.close()


@pytest.fixture(scope="module")
def no_apic():
    """A 486 (no Local APIC, no TSC), booted with the full-screen console;
    the first test switches the panel on."""
    m = Machine(append="screen=console", extra=["-cpu", "486"])
    try:
        m.wait_prompt()
        yield m
    finally:
        m.close()


def test_boot_says_where_the_panel_is(live):
    assert ("screen: the live I/O panel takes VGA rows 1-17 ('screen "
            "console' gives the monitor all of them)\r\n") in live.text()


def test_both_headers_and_every_device(live):
    rows = screen(live)
    assert rows[0].startswith("iospace - port-mapped")       # the title
    assert column(rows[PANEL_FIRST], 0) == " " + LEFT_HEADER.ljust(38)
    assert column(rows[PANEL_FIRST], 1).startswith(" " + RIGHT_HEADER)
    for r in range(PANEL_FIRST, CONSOLE_TOP):
        assert rows[r][RULE_COL] == RULE, rows[r]
    for row, right, name, where, insn in DEVICES:
        text = column(rows[row], right).split()
        assert " ".join(text[:len(name.split())]) == name, rows[row]
        assert where in column(rows[row], right), rows[row]
        assert text[-1] == insn, rows[row]
    # Colours: the ports and in/out in yellow (14), the addresses and mov
    # in light green (10); the headers are bars, black on brown and green.
    cells = live.vga_cells()

    def attr(r, c):
        return cells[r * VGA_COLS + c] >> 8

    uart = rows[8].index("3F8-3FF")
    assert attr(8, uart) == 0x0E
    assert attr(8, rows[8].index("in/out")) == 0x0E
    assert attr(7, rows[7].index("B8000-B8F9F")) == 0x0A
    assert attr(7, rows[7].rindex("mov")) == 0x0A
    # The VGA's registers on one row: ports in yellow, BAR2 in green.
    assert attr(6, rows[6].index("3D4-3D5")) == 0x0E
    assert attr(6, rows[6].index("FEBF0000")) == 0x0A
    assert attr(PANEL_FIRST, 5) == 0x60 and attr(PANEL_FIRST, 45) == 0x20


def test_the_local_apic_timer_counter_advances(live):
    pattern = r"timer ticks\s+(\d+)"
    first = panel_number(live, TICKS_ROW, 1, pattern)
    assert later_than(live, TICKS_ROW, 1, pattern, first) > first
    # The 8259 is masked in APIC mode, and the PIT does not tick.
    rows = screen(live)
    assert "masked: the APICs deliver" in column(rows[IRQ_ROW], 0)
    assert ("reference only: the APIC timer ticks"
            in column(rows[TICKS_ROW], 0))


def test_io_apic_counts_agree_with_irqs(live):
    before = irq_counts(live, 1)
    assert before[0] is None                # the PIT is not routed
    counted = irqs_command(live, 1)         # typing it raises IRQ 4
    fresh(live, 1)
    after = irq_counts(live, 1)
    for line in (1, 4, 6):
        assert before[line] <= counted[line] <= after[line], \
            (line, before, counted, after)
    assert after[4] > before[4]


def test_uart_and_keyboard_counters_agree(live):
    out_before = panel_number(live, UART_ROW, 0, r"out\s+(\d+)")
    keys_before = panel_number(live, KBD_ROW, 0, r"keys\s+(\d+)")
    serial = live.command("serial")
    sent = int(re.search(r"received \d+ bytes, sent (\d+)", serial)[1])
    assert out_before <= sent
    assert later_than(live, UART_ROW, 0, r"out\s+(\d+)", sent) > sent
    # Two keys on the PC keyboard: a space, and a backspace that takes it
    # back, so the monitor's line stays empty.
    for key in ("spc", "backspace"):
        live.qmp("send-key", keys=[{"type": "qcode", "data": key}])
    assert later_than(live, KBD_ROW, 0, r"keys\s+(\d+)",
                      keys_before + 1) == keys_before + 2


def test_the_monitor_runs_below_the_panel(live):
    out = live.command("inb 0x3ff")
    assert re.fullmatch(r"inb\(0x03ff\) = 0x[0-9a-f]{2}", out)    # serial
    rows = wait_screen(live, lambda rows: out in "\n".join(rows))
    shown = [i for i, r in enumerate(rows) if r.startswith(out)]
    assert shown and shown[0] >= CONSOLE_TOP, rows
    assert rows[shown[0] - 1].startswith("iospace> inb 0x3ff")
    # Output that scrolls stays below the panel.
    live.command("help")
    rows = screen(live)
    assert has_panel(rows)
    assert rows[24].startswith("iospace> ") and rows[23].startswith("  reboot")
    # The cursor, which the console moves with the CRTC's ports, is where
    # the panel says: on the prompt's row, after "iospace> ".
    wait_screen(live, lambda rows: "cursor 24,09"
                in column(rows[VGA_COUNTS_ROW], 0))


def test_screen_console_and_back(live):
    try:
        out = live.command("screen console")
        assert out == "screen: console: the monitor on VGA rows 1-24"
        # The monitor's text moved up under the title, and the panel
        # stays away: no header after a few of its update times.
        time.sleep(3 * UPDATE_S)
        rows = screen(live)
        assert not any(LEFT_HEADER in r for r in rows), rows
        echo = [i for i, r in enumerate(rows)
                if r.startswith("iospace> screen console")]
        assert echo and echo[0] < CONSOLE_TOP, rows
        assert rows[echo[0] + 1].startswith("screen: console")
    finally:
        out = live.command("screen live")
    assert out == ("screen: live: the I/O panel on VGA rows 1-17, the "
                   "monitor on rows 18-24")
    # The panel is back, and the monitor's text moved down under it: its
    # last lines, the command and what it said, stay in view.
    rows = screen(live)
    assert has_panel(rows)
    assert rows[22].startswith("iospace> screen live"), rows
    assert rows[23] == out.ljust(VGA_COLS)
    assert live.command("screen") == out
    assert live.command("screen tv") == \
        "error: screen: 'tv': expected live or console"


PANEL_BYTES = range(VGA_TEXT + 2 * VGA_COLS * PANEL_FIRST,
                    VGA_TEXT + 2 * VGA_COLS * CONSOLE_TOP)
RECORD_RE = re.compile(r"^\s*\d+ (PMIO|MMIO) (?:in|out|mov)\s+\d+ "
                       r"0x([0-9a-f]+) (?:<-|->) 0x[0-9a-f]+  (\S+)\s*(.*)$",
                       re.M)


def test_the_trace_pauses_the_panel(live):
    live.command("trace clear")
    try:
        assert live.command("trace on") == "trace: on"
        # The panel said so before the trace started, then stopped.
        rows = screen(live)
        assert "paused: trace on" in column(rows[LEGEND_ROW], 1)
        ticks = panel_number(live, TICKS_ROW, 1, r"timer ticks\s+(\d+)")
        time.sleep(5 * UPDATE_S)
        live.command("inb 0x3ff")
        assert panel_number(live, TICKS_ROW, 1,
                            r"timer ticks\s+(\d+)") == ticks
    finally:
        held = int(re.search(r"(\d+) records held",
                             live.command("trace off"))[1])
    dump = live.command(f"trace dump {held}", timeout=60)
    records = RECORD_RE.findall(dump)
    assert len(records) == held, dump[-500:]
    # The trace has the monitor's own accesses (the echo in video memory,
    # the Local APIC's EOIs), and nothing of the panel: no cell of its
    # rows, no read of the timer's count.
    assert any(mech == "MMIO" and dev == "vga" for mech, _, dev, _ in records)
    assert any(dev == "lapic" and reg == "EOI" for _, _, dev, reg in records)
    for mech, where, dev, reg in records:
        assert not (mech == "MMIO" and int(where, 16) in PANEL_BYTES), \
            (where, dev, reg)
        assert reg != "timer current count", (where, dev, reg)
    # Off again: the panel goes on.
    rows = wait_screen(live, lambda rows: "5 updates a second"
                       in column(rows[LEGEND_ROW], 1))
    assert later_than(live, TICKS_ROW, 1, r"timer ticks\s+(\d+)",
                      ticks) > ticks


def test_vgawindow_moves_the_panel_and_it_redraws_in_full(live):
    # A poke into the title bar of the panel's left column: the panel
    # never reads its cells back, so the poke stays...
    bar = VGA_TEXT + 2 * (PANEL_FIRST * VGA_COLS + 4)
    assert live.command(f"poke {bar:#x} 0x1f4b1f4f") == \
        f"{bar:#010x} <- 0x1f4b1f4f"
    time.sleep(3 * UPDATE_S)
    assert screen(live)[PANEL_FIRST][4:6] == "OK"
    try:
        live.command("vgawindow a0000-affff")
        # ...the panel follows the window (its VGA rows say where)...
        rows = wait_screen(live,
                           lambda rows: "A0000-A0F9F" in rows[VGA_TEXT_ROW],
                           base=0xA0000)
        assert "GR06 window A0000" in rows[VGA_COUNTS_ROW]
    finally:
        live.command("vgawindow b8000-bffff")
    # ...and after a move it redraws every cell: the poke is gone.
    rows = wait_screen(live,
                       lambda rows: "B8000-B8F9F" in rows[VGA_TEXT_ROW])
    assert has_panel(rows), rows
    for row, right, name, where, insn in DEVICES:
        assert where in column(rows[row], right), rows[row]


def test_console_at_boot_then_live_on_a_486(no_apic):
    assert "options: irq=auto hz=100 screen=console\r\n" in no_apic.text()
    rows = screen(no_apic)
    assert not any(LEFT_HEADER in r for r in rows), rows
    out = no_apic.command("screen live")
    assert out.startswith("screen: live: the I/O panel on VGA rows 1-17")
    rows = wait_screen(no_apic, has_panel)
    # No Local APIC: both APICs say why, in grey, with no window.
    assert "Local APIC    -" in column(rows[4], 1)
    assert "absent: this CPU has none (CPUID)" in column(rows[TICKS_ROW], 1)
    assert "IO APIC       -" in column(rows[2], 1)
    assert "not used: no Local APIC in the CPU" in column(rows[IRQ_ROW], 1)
    # In dark grey (8): nothing live there.
    at = rows[TICKS_ROW].index("absent: this CPU")
    assert no_apic.vga_cells()[TICKS_ROW * VGA_COLS + at] >> 8 == 0x08


def test_the_pit_ticks_on_the_panel(no_apic):
    pattern = r"IRQ 0 ticks\s+(\d+)"
    first = panel_number(no_apic, TICKS_ROW, 0, pattern)
    ticks = int(no_apic.command("ticks"))
    assert first <= ticks
    assert later_than(no_apic, TICKS_ROW, 0, pattern, ticks) > ticks


def test_8259_counts_agree_with_irqs(no_apic):
    before = irq_counts(no_apic, 0)
    counted = irqs_command(no_apic, 0)
    fresh(no_apic, 0)
    after = irq_counts(no_apic, 0)
    for line in (0, 1, 4, 6):
        assert before[line] <= counted[line] <= after[line], \
            (line, before, counted, after)
    assert after[0] > before[0] and after[4] > before[4]


def test_a_full_row_breaks_at_a_space(machine_factory):
    # The VGA console wraps a line at column 80 between words, not inside
    # one (README's screenshot had split io=18470). Nine characters of
    # prompt and seven words of ten fill columns 0-78; the eighth word
    # would start in column 79, so it moves down whole.
    m = machine_factory(append="screen=console")
    m.wait_prompt()
    m.command("clear")
    words = ["w%d-456789" % i for i in range(1, 9)]
    m.command(" ".join(words))
    rows = [r.rstrip() for r in screen(m)]
    at = next(i for i, r in enumerate(rows) if r.startswith("iospace> w1-"))
    assert rows[at] == "iospace> " + " ".join(words[:7]), rows
    assert rows[at + 1] == words[7], rows


# The disk controllers' rows: the PIIX's IDE channel by ports on the
# left, the AHCI HBA in memory on the right (a machine has one of them).
DISK_ROW, DISK_SECTORS_ROW = 16, 17
DISK_IMAGE_SECTORS = 2048               # a 1 MiB image
# PCI classes (class and subclass) as QMP's query-pci gives them.
PCI_IDE, PCI_SATA = 0x0101, 0x0106
BMIDE_BAR, ABAR_BAR = 4, 5
BMIDE_PRIMARY_PORTS = 8                 # BMIC..BMIDTP of the primary
FREE = 0xE0000000                       # clear of RAM and windows (test_bar)
YELLOW, LIGHT_GREEN, LIGHT_CYAN, DARK_GREY = 0x0E, 0x0A, 0x0B, 0x08
IDE_SECTORS_RE = r"sectors by DMA\s+(\d+)\s+by PIO\s+(\d+)"
AHCI_SECTORS_RE = r"sectors by DMA\s+(\d+)\s+MSIs\s+(\d+)"


@pytest.fixture(scope="module")
def disk_image(tmp_path_factory):
    path = tmp_path_factory.mktemp("screen") / "random.img"
    path.write_bytes(os.urandom(DISK_IMAGE_SECTORS * SECTOR))
    return str(path)


def booted(extra):
    m = Machine(extra=extra)
    m.wait_prompt(timeout=30)
    wait_screen(m, has_panel)
    return m


@pytest.fixture(scope="module")
def ide(disk_image):
    m = booted(ide_disk(disk_image))
    try:
        yield m
    finally:
        m.close()


@pytest.fixture(scope="module")
def sata(disk_image):
    m = booted(["-M", "q35", *ahci_disk(disk_image)])
    try:
        yield m
    finally:
        m.close()


def qemu_bar(m, pci_class, bar):
    """(bus:dev.fn, address, size) of BAR bar of the function of that
    class, as QEMU places it now (query-pci)."""
    for bus in m.qmp("query-pci"):
        for d in bus["devices"]:
            if d["class_info"]["class"] != pci_class:
                continue
            bdf = f"{d['bus']:02x}:{d['slot']:02x}.{d['function']:x}"
            for r in d["regions"]:
                if r["bar"] == bar:
                    return bdf, r["address"], r["size"]
    raise AssertionError(f"no BAR{bar} of class {pci_class:04x} in query-pci")


def attr_of(m, row, text, right):
    """The attribute byte of text's first cell in one column of a row."""
    rows = screen(m)
    at = column(rows[row], right).index(text)
    return m.vga_cells()[row * VGA_COLS + at
                         + (RULE_COL + 1 if right else 0)] >> 8


def figures(m, pattern, right):
    """The two counts of a disk row (pattern's groups)."""
    rows = screen(m)
    found = re.search(pattern, column(rows[DISK_SECTORS_ROW], right))
    assert found, "\n".join(rows)
    return count(found[1]), count(found[2])


def test_the_ide_row_shows_bar4_and_counts_dma_and_pio(ide):
    _, bmide, _ = qemu_bar(ide, PCI_IDE, BMIDE_BAR)
    ports = f"1F0-1F7 {bmide:04X}-{bmide + BMIDE_PRIMARY_PORTS - 1:04X}"
    rows = screen(ide)
    left = column(rows[DISK_ROW], 0)
    assert re.fullmatch(rf"PIIX IDE\s+{ports} in/out", left.strip()), left
    assert attr_of(ide, DISK_ROW, "PIIX IDE", 0) == LIGHT_CYAN
    assert attr_of(ide, DISK_ROW, ports, 0) == YELLOW
    # IDENTIFY DEVICE at boot moved no sector of the disk.
    assert figures(ide, IDE_SECTORS_RE, 0) == (0, 0)
    ide.command("disk read 0 4 dma")
    ide.command("disk read 0 2 pio")
    wait_screen(ide, lambda rows: re.search(
        r"sectors by DMA\s+4\s+by PIO\s+2\b",
        column(rows[DISK_SECTORS_ROW], 0)))
    # pc has no AHCI: the right column says so, in grey.
    rows = screen(ide)
    assert "absent: no AHCI controller on PCI" in column(
        rows[DISK_SECTORS_ROW], 1)
    # A read that fails moves nothing.
    assert ide.command("disk read 4095 2 dma").startswith("error:")
    fresh(ide, 1)
    assert figures(ide, IDE_SECTORS_RE, 0) == (4, 2)


def test_the_ahci_row_shows_the_abar_sectors_and_msis(sata):
    _, abar, size = qemu_bar(sata, PCI_SATA, ABAR_BAR)
    window = f"{abar:08X}-{abar + size - 1:08X}"
    rows = screen(sata)
    right = column(rows[DISK_ROW], 1)
    assert re.fullmatch(rf"AHCI HBA\s+{window} mov", right.strip()), right
    assert attr_of(sata, DISK_ROW, window, 1) == LIGHT_GREEN
    sectors, msis = figures(sata, AHCI_SECTORS_RE, 1)
    sata.command("disk read 0 8")
    rows = wait_screen(sata, lambda rows: re.search(
        rf"sectors by DMA\s+{sectors + 8}\s",
        column(rows[DISK_SECTORS_ROW], 1)))
    assert figures(sata, AHCI_SECTORS_RE, 1)[1] > msis
    # q35 has no IDE function: the left column says so, in grey.
    assert "PIIX IDE      -" in column(rows[DISK_ROW], 0)
    reason = "absent: no PCI IDE controller"
    assert reason in column(rows[DISK_SECTORS_ROW], 0)
    assert attr_of(sata, DISK_SECTORS_ROW, reason, 0) == DARK_GREY


def test_the_ahci_row_follows_a_moved_abar(sata):
    bdf, abar, size = qemu_bar(sata, PCI_SATA, ABAR_BAR)
    try:
        out = sata.command(f"bar {bdf} {ABAR_BAR} {FREE:#x}")
        assert out.startswith(f"bar: {bdf} BAR5 moved"), out
        assert qemu_bar(sata, PCI_SATA, ABAR_BAR)[1:] == (FREE, size)
        # No disk read in between: the panel asks for the ABAR itself.
        rows = wait_screen(sata, lambda rows: f"{FREE:08X}-"
                           f"{FREE + size - 1:08X}" in rows[DISK_ROW])
        assert f"{abar:08X}" not in rows[DISK_ROW]
    finally:
        sata.command(f"bar {bdf} {ABAR_BAR} {abar:#x}")
    wait_screen(sata, lambda rows: f"{abar:08X}-" in rows[DISK_ROW])
    sectors, _ = figures(sata, AHCI_SECTORS_RE, 1)
    sata.command("disk read 0 1")
    wait_screen(sata, lambda rows: re.search(
        rf"sectors by DMA\s+{sectors + 1}\s",
        column(rows[DISK_SECTORS_ROW], 1)))


def test_without_a_disk_the_rows_say_why_in_grey(live):
    # pc with no -drive if=ide: the controller's ports, no bus master
    # set up, and why; no AHCI.
    rows = screen(live)
    left = column(rows[DISK_ROW], 0)
    assert re.fullmatch(r"PIIX IDE\s+1F0-1F7\s+in/out", left.strip()), left
    for text, row, right in [
            ("PIIX IDE", DISK_ROW, 0), ("1F0-1F7", DISK_ROW, 0),
            ("absent: no disk as primary master", DISK_SECTORS_ROW, 0),
            ("AHCI HBA", DISK_ROW, 1),
            ("absent: no AHCI controller on PCI", DISK_SECTORS_ROW, 1)]:
        assert text in column(rows[row], right), rows[row]
        assert attr_of(live, row, text, right) == DARK_GREY, text


def test_q35_without_a_disk_shows_the_hba_in_grey(machine_factory):
    m = machine_factory(extra=["-M", "q35"])
    m.wait_prompt(timeout=30)
    rows = wait_screen(m, has_panel)
    _, abar, size = qemu_bar(m, PCI_SATA, ABAR_BAR)
    window = f"{abar:08X}-{abar + size - 1:08X}"
    reason = "absent: no SATA disk on its ports"
    assert window in column(rows[DISK_ROW], 1), rows[DISK_ROW]
    assert reason in column(rows[DISK_SECTORS_ROW], 1)
    assert attr_of(m, DISK_ROW, window, 1) == DARK_GREY
    assert attr_of(m, DISK_SECTORS_ROW, reason, 1) == DARK_GREY
