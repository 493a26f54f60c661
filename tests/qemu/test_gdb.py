"""Stepping through iospace with gdb in batch mode: `make debug`'s
ingredients (QEMU's gdb stub, the -O0 ELF's symbols and DWARF line info
for C and nasm) and the gdb commands in tools/iospace-gdb.py."""

import os
import re
import socket
import subprocess
import time

import pytest

from iospace import ELF, ROOT, Machine

DEBUG_ELF = os.path.join(ROOT, "build", "debug", "iospace.elf")
GDB_SCRIPT = os.path.join(ROOT, "tools", "iospace-gdb.py")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def gdb_batch(port, *commands, elf=DEBUG_ELF, timeout=60):
    """gdb in batch mode against the stub on port; elf must be the kernel
    that runs there (the -O0 one unless said otherwise)."""
    args = ["gdb", "-q", "-batch", "-nx", elf,
            "-ex", f"source {GDB_SCRIPT}",
            "-ex", f"target remote 127.0.0.1:{port}"]
    for c in commands:
        args += ["-ex", c]
    done = subprocess.run(args, capture_output=True, text=True,
                          timeout=timeout)
    return done.stdout + done.stderr


@pytest.fixture
def frozen(tmp_path):
    """QEMU stopped before the first instruction, its gdb stub listening."""
    port = free_port()
    qemu = subprocess.Popen(
        ["qemu-system-i386", "-accel", "tcg", "-m", "128", "-display", "none",
         "-monitor", "none", "-no-reboot", "-kernel", DEBUG_ELF,
         "-serial", f"file:{tmp_path / 'serial.log'}",
         "-S", "-gdb", f"tcp:127.0.0.1:{port}"])
    yield port
    qemu.kill()
    qemu.wait(10)


def test_break_at_kmain_step_and_read_locals(frozen):
    out = gdb_batch(frozen, "break kmain", "continue",
                    "printf \"magic=%#x\\n\", magic",
                    "next", "next", "next", "info locals")
    assert "Breakpoint 1, kmain (" in out, out
    assert "magic=0x2badb002" in out, out
    # Three `next`s from the first line: serial_init() has run, and the
    # local `boot` shows its result.
    assert re.search(r"boot = \{multiboot_ok = false, serial_ok = true", out), out


def test_timer_handler_twice_and_the_tick_advances(frozen):
    out = gdb_batch(frozen, "break tick_advance", "continue",
                    "printf \"first=%llu\\n\", 'tick.c'::ticks", "continue",
                    "printf \"second=%llu\\n\", 'tick.c'::ticks")
    first = int(re.search(r"first=(\d+)", out)[1])
    second = int(re.search(r"second=(\d+)", out)[1])
    assert second == first + 1, out


def test_backtrace_from_a_handler_reaches_the_interrupted_code(frozen):
    out = gdb_batch(frozen, "break tick_advance", "continue", "bt")
    frames = re.findall(r"^#\d+\s+(?:0x[0-9a-f]+ in )?(\w+) \(.*?\) at (\S+):",
                        out, re.M)
    names = [f[0] for f in frames]
    # handler -> dispatcher -> the nasm stub -> whatever was interrupted,
    # down to the entry point: no "??" frame in between.
    assert names[:4] == ["tick_advance", "lapic_timer", "trap_dispatch",
                         "trap_common"], out
    assert ("trap_common", "boot/isr.asm") in frames
    assert names[-2:] == ["kmain", "_start"], out
    assert "??" not in out.split("#0", 1)[1], out


def test_finish_out_of_an_outb(frozen):
    out = gdb_batch(frozen, "break outb", "continue", "finish")
    # At -O0 the static inline outb is a function in every file that uses
    # it: one breakpoint, several locations. The kernel's first port write
    # is the UART's IER (0x3f9 = 1017), 0: interrupts off.
    assert re.search(r"Breakpoint 1\.\d+, outb \(port=1017, v=0 .*\) at "
                     r"\S*io/port.h", out), out
    # `finish` runs to the caller, the UART driver's register write.
    assert re.search(r"in uart_write \(reg=1 .*\) at drivers/serial.c", out), out


def test_idt_and_irqs_commands(frozen):
    out = gdb_batch(frozen, "break tick_advance", "continue", "idt", "irqs",
                    "qemu-lapic", "qemu-irq")
    assert re.search(r"0x0e\s+interrupt\s+isr_stub_14\s+#PF Page Fault", out)
    assert re.search(r"0x34\s+interrupt\s+isr_stub_52\s+irq_dispatch", out)
    assert re.search(r"0x40\s+interrupt\s+isr_stub_64\s+lapic_timer", out)
    assert re.search(r"0x41-0xfd interrupt\s+isr_stub_N\s+\(none", out)
    assert re.search(r"^\s+4  com1\s+0\s+0$", out, re.M), out
    assert "delivering: IO APIC" in out
    # QEMU's own view: its LAPIC is enabled with spurious vector 255.
    assert "SPIV\t 0x000001ff APIC enabled" in out, out
    assert "IRQ statistics for ioapic" in out


def test_iotrace_decodes_the_ring(tmp_path):
    port = free_port()
    m = Machine(append="trace", extra=["-gdb", f"tcp:127.0.0.1:{port}"])
    try:
        m.wait_prompt()
        out = gdb_batch(port, "iotrace 5", elf=ELF)
        assert re.search(r"^5 of \d+ records; tracing is on", out, re.M), out
        rows = re.findall(r"^  (PMIO|MMIO) (in|out|mov)\s+(\d+) 0x[0-9a-f]{8} "
                          r"(<-|->) 0x[0-9a-f]+  (\w+)$", out, re.M)
        assert len(rows) == 5, out
        # Whatever the kernel did last, it reached a named device.
        assert all(r[4] != "?" for r in rows), out
    finally:
        m.close()


def test_vga_command_matches_qemus_view_of_the_screen(tmp_path):
    port = free_port()
    m = Machine(extra=["-gdb", f"tcp:127.0.0.1:{port}"])
    try:
        m.wait_prompt()
        time.sleep(0.2)
        # The live panel redraws five times a second: stop the CPU so that
        # QEMU and gdb read the same screen.
        m.qmp("stop")
        screen = [row.rstrip() for row in m.vga_rows()]
        out = gdb_batch(port, "vga", elf=ELF)
        printed = out.split("\n")
        start = printed.index(screen[0])
        assert printed[start:start + len(screen)] == screen, out
        assert screen[0].startswith("iospace - port-mapped")
        # The live panel, with its rule between the columns: code page
        # 437's 0xB3, a line-drawing character, for both readers.
        assert screen[1].startswith(" PORT-MAPPED I/O")
        assert screen[1][39] == "\u2502"
    finally:
        m.close()
