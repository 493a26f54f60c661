"""The monitor: every command, and every kind of bad line. One kernel
serves the whole module; each test leaves it at its prompt."""

import re

import pytest

from iospace import VGA_TEXT

COMMANDS = ["help", "inb", "inw", "inl", "outb", "outw", "outl", "peek",
            "poke", "pic", "irqs", "pit", "ticks", "uptime", "serial", "recv",
            "date", "fault", "exit"]

# Values QEMU's own devices give, independent of the kernel:
# the 16550's scratch register (0x3FF) holds any byte written to it,
# PCI configuration address 0x80000000 selects bus 0 device 0 function 0,
# the i440FX host bridge, vendor 0x8086 device 0x1237.
UART_SCRATCH = 0x3FF
PCI_CONFIG_ADDRESS = 0xCF8
PCI_CONFIG_DATA = 0xCFC


def test_help_lists_every_command(monitor):
    out = monitor.command("help")
    for name in COMMANDS:
        assert re.search(rf"^  {name}\b", out, re.M), name


def test_help_fits_80_columns(monitor):
    # A line of 80 characters or more wraps on the VGA screen (`trace` and
    # `fdread` did): a long usage gets a line of its own, a long text goes
    # on under its column, broken at a space.
    out = monitor.command("help")
    lines = out.split("\n")[1:]
    assert [line for line in lines if len(line) >= 80] == []
    for line in lines:
        assert re.match(r"  \S| {27}\S", line), line
    assert re.search(r"^  trace \[on\|off\|clear\|dump \[N\]\]\n {27}\S",
                     out, re.M)


def test_outb_then_inb_through_the_uart_scratch_register(monitor):
    assert monitor.command(f"outb {UART_SCRATCH:#x} 0x5a") == "outb(0x03ff, 0x5a)"
    assert monitor.command(f"inb {UART_SCRATCH}") == "inb(0x03ff) = 0x5a"
    monitor.command(f"outb {UART_SCRATCH:#x} 165")
    assert monitor.command(f"inb {UART_SCRATCH:#x}") == "inb(0x03ff) = 0xa5"


def test_outl_inl_inw_through_pci_configuration_space(monitor):
    assert (monitor.command(f"outl {PCI_CONFIG_ADDRESS:#x} 0x80000000")
            == "outl(0x0cf8, 0x80000000)")
    assert (monitor.command(f"inl {PCI_CONFIG_ADDRESS:#x}")
            == "inl(0x0cf8) = 0x80000000")
    assert (monitor.command(f"inl {PCI_CONFIG_DATA:#x}")
            == "inl(0x0cfc) = 0x12378086")
    assert monitor.command(f"inw {PCI_CONFIG_DATA:#x}") == "inw(0x0cfc) = 0x8086"


def test_outw_inw_through_the_bochs_vbe_registers(monitor):
    # QEMU's standard VGA has a 16-bit index port 0x1CE and data port
    # 0x1CF; register 0 is the interface ID, 0xB0C0..0xB0C5.
    assert monitor.command("outw 0x1ce 0") == "outw(0x01ce, 0x0000)"
    out = monitor.command("inw 0x1cf")
    assert re.fullmatch(r"inw\(0x01cf\) = 0xb0c[0-5]", out), out


def test_peek_reads_the_multiboot_header(monitor):
    # The kernel image starts at 1 MiB with its multiboot header: magic,
    # flags (page-align + memory info), checksum.
    out = monitor.command("peek 0x100000 3")
    assert out == "0x00100000: 0x1badb002 0x00000003 0xe4524ffb"


def test_peek_many_words_prints_four_per_line(monitor):
    out = monitor.command("peek 0x100000 64")
    lines = out.split("\n")
    assert len(lines) == 16
    assert lines[1].startswith("0x00100010:")
    assert all(len(line.split()) == 5 for line in lines)


def test_peek_an_unmapped_address_matches_qemus_view(monitor):
    # The BIOS reset vector at the top of 4 GiB is not mapped by the
    # kernel: peek maps it for the access only. QEMU's xp is the referee.
    want = monitor.read_phys(0xFFFFFFF0, 2, "w")
    out = monitor.command("peek 0xfffffff0 2")
    assert out == f"0xfffffff0: {want[0]:#010x} {want[1]:#010x}"


def test_peek_page_zero_leaves_it_unmapped(monitor):
    want = monitor.read_phys(0, 1, "w")[0]
    assert monitor.command("peek 0") == f"0x00000000: {want:#010x}"
    # A null read still faults afterwards: the page was mapped only for
    # the peek.
    out = monitor.command("fault pf")
    assert "#PF Page Fault" in out and "cr2=00000000" in out


def test_poke_writes_the_vga_buffer(monitor):
    # Two cells of white-on-blue 'O' 'K' mid-screen, found by QEMU in video
    # memory (the line the kernel prints after it may scroll them up).
    out = monitor.command(f"poke {VGA_TEXT + 2 * (12 * 80 + 38):#x} 0x1f4b1f4f")
    assert out == "0x000b87cc <- 0x1f4b1f4f"
    cells = monitor.vga_cells()
    pairs = list(zip(cells, cells[1:]))
    assert (0x1F4F, 0x1F4B) in pairs


@pytest.mark.parametrize("kind,name", [
    ("de", "#DE Divide Error"),
    ("ud", "#UD Invalid Opcode"),
    ("gp", "#GP General Protection"),
    ("pf", "#PF Page Fault"),
    ("df", "#DF Double Fault"),
])
def test_fault_prints_a_dump_and_returns_to_the_monitor(monitor, kind, name):
    out = monitor.command(f"fault {kind}")
    assert f"*** exception" in out and name in out
    for reg in ("eip=", "cs=0008", "eflags=", "error=", "eax=", "ebx=",
                "ecx=", "edx=", "esi=", "edi=", "ebp=", "esp=", "cr0=",
                "cr2=", "cr3=", "cr4="):
        assert reg in out, reg
    assert f"fault: recovered from {name}" in out
    assert monitor.command("inb 0x3ff").startswith("inb(0x03ff) = ")


def test_fault_df_is_a_stack_overflow_caught_by_its_task(monitor):
    # Twice: the #DF task must be ready again after the first one. Then the
    # monitor goes on as before.
    for _ in range(2):
        out = monitor.command("fault df")
        assert "*** exception 8: #DF Double Fault" in out
        assert "caught by the task gate of vector 8" in out
        m = re.search(r"kernel stack overflow: esp=([0-9a-f]{8}) ran into the "
                      r"guard page ([0-9a-f]{8})-([0-9a-f]{8}) below", out)
        assert m, out
        # The faulting ESP is at the stack's bottom, just above the guard,
        # and CR2 (the address the push faulted on) inside the guard.
        guard = int(m[2], 16)
        assert int(m[1], 16) == guard + 0x1000
        cr2 = int(re.search(r"cr2=([0-9a-f]{8})", out)[1], 16)
        assert guard <= cr2 <= int(m[3], 16)
        assert "fault: recovered from #DF Double Fault at eip" in out
    assert "fault de|ud|gp|pf|bp|df" in monitor.command("help")
    assert "panic" not in monitor.text()


def test_fault_gp_reports_the_selector(monitor):
    assert "error=0000fff8" in monitor.command("fault gp")


def test_fault_bp_continues(monitor):
    out = monitor.command("fault bp")
    assert "#BP Breakpoint" in out
    assert "breakpoint: continuing at" in out
    assert "fault: the handler returned; execution continued" in out


BAD_LINES = [
    ("frobnicate", "unknown command 'frobnicate'"),
    ("inb", "usage: inb PORT"),
    ("inb 1 2", "usage: inb PORT"),
    ("inb 0x10000", "out of range"),
    ("inb zz", "not a number"),
    ("inb 0x", "no digits"),
    ("outb 0x80 0x100", "out of range"),
    ("outw 0x80 70000", "out of range"),
    ("outl 0x80 0x100000000", "does not fit in 32 bits"),
    ("outb 0x80", "usage: outb PORT VALUE"),
    ("peek", "usage: peek ADDR [COUNT]"),
    ("peek 0xb8001", "not 4-byte aligned"),
    ("peek 0xb8000 0", "COUNT must be 1..64"),
    ("peek 0xb8000 65", "out of range"),
    ("peek 0xfffffffc 2", "runs past 4 GiB"),
    ("poke 0xb8000", "usage: poke ADDR VALUE"),
    ("poke 0xb8004 -1", "not a number"),
    ("fault", "usage: fault"),
    ("fault xx", "unknown kind 'xx' (de, ud, gp, pf, bp or df)"),
    ("exit 256", "out of range"),
    ("exit 1 2", "usage: exit [CODE]"),
    ("a b c d e f g h i", "too many words"),
]


@pytest.mark.parametrize("line,message", BAD_LINES)
def test_bad_line_gets_one_error_line(monitor, line, message):
    out = monitor.command(line)
    assert out.startswith("error: "), out
    assert message in out
    assert len(out.split("\n")) == 1


def test_a_10000_character_line(monitor):
    out = monitor.command("x" * 10000)
    assert out.startswith("error: line too long (10000 characters")
    assert len(out.split("\n")) == 1


@pytest.mark.parametrize("data", [b"he\x1blp", b"\x01", b"inb\x00 1",
                                  b"help\t"])
def test_control_bytes_get_an_error(monitor, data):
    monitor.send(data + b"\r")
    m = monitor.expect(rb"\r\n(error: [^\r]*)\r\niospace> ")
    assert b"control byte" in m[1]


@pytest.mark.parametrize("data", [b"\xff\xfe", b"he\x80lp", b"inb 0x3f\xe8"])
def test_bytes_past_ascii_get_an_error_naming_them(monitor, data):
    # Bytes from 0x80 up are no control bytes: the error names the first.
    first = next(b for b in data if b >= 0x80)
    monitor.send(data + b"\r")
    m = monitor.expect(rb"\r\n(error: [^\r]*)\r\niospace> ")
    assert m[1].decode() == (f"error: byte {first:#04x} outside printable "
                             "ASCII in the line; nothing was run")


def test_backspace_edits_the_line(monitor):
    # "hepl", two backspaces (BS and DEL), "lp": the line is "help".
    out = monitor.command("hepl\x08\x7flp")
    assert "peek ADDR [COUNT]" in out


def test_ctrl_c_drops_the_line(monitor):
    monitor.send(b"frobnicate\x03")
    monitor.expect(rb"\^C\r\niospace> ")
    assert monitor.command("inb 0x3ff").startswith("inb(0x03ff)")


def test_empty_lines_and_crlf_give_one_prompt_each(monitor):
    start = monitor.pos
    monitor.send(b"\r\n")
    monitor.wait_prompt()
    monitor.send(b"  \r")
    monitor.wait_prompt()
    out = monitor.output[start:monitor.pos]
    assert out.count(b"iospace> ") == 2
    assert b"error" not in out


def test_the_kernel_survived_everything(monitor):
    # After all the faults and garbage above: still the same boot.
    assert monitor.text().count("iospace - port-mapped") == 1
    assert "panic" not in monitor.text()
    assert re.search(r"^  inb PORT\s+read a byte", monitor.command("help"),
                     re.M)
    assert monitor.proc.poll() is None


def test_uptime_rounds_to_the_nearest_millisecond(machine_factory):
    # At 300 Hz a tick is 3.33 ms: two uptimes in three have a fraction of
    # a millisecond, which must be rounded, not cut (ticks * 1e6 / mHz).
    m = machine_factory(append="hz=300 irq=pic")
    m.wait_prompt()
    for _ in range(15):
        out = m.command("uptime")
        found = re.fullmatch(r"uptime: (\d+)\.(\d{3}) s \((\d+) ticks of the "
                             r"pit at (\d+)\.(\d{3}) Hz\)", out)
        assert found, out
        ms = int(found[1]) * 1000 + int(found[2])
        ticks, millihz = int(found[3]), int(found[4]) * 1000 + int(found[5])
        assert ms == (ticks * 1_000_000 + millihz // 2) // millihz, out
