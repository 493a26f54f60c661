"""Stepping through iospace with gdb in batch mode: `make debug`'s
ingredients (QEMU's gdb stub, the -O0 ELF's symbols and DWARF line info
for C and nasm) and the gdb commands in tools/iospace-gdb.py."""

import os
import pty
import re
import select
import signal
import socket
import subprocess
import time
import zlib

import pytest

from iospace import ELF, ROOT, SECTOR, Machine

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


def test_irqs_lists_the_msi_vectors_as_the_monitor_does():
    """After `msi apic` the edu's vector has counted its interrupt: gdb's
    `irqs` shows the same MSI lines as the monitor's."""
    port = free_port()
    m = Machine(extra=["-device", "edu", "-gdb", f"tcp:127.0.0.1:{port}"])
    try:
        m.wait_prompt()
        m.command("msi apic")
        msi = re.findall(r"^0x[0-9a-f]{2}  .*$", m.command("irqs"), re.M)
        assert msi and re.fullmatch(r"0x50  edu +[1-9]\d*", msi[0]), msi
        out = gdb_batch(port, "irqs", "detach", elf=ELF)
        assert re.findall(r"^0x[0-9a-f]{2}  .*$", out, re.M) == msi, out
        assert re.search(r"^ msi  device   Local APIC$", out, re.M), out
    finally:
        m.close()


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


def test_iotrace_on_and_off_switch_the_kernels_trace():
    port = free_port()
    m = Machine(append="irq=pic", extra=["-gdb", f"tcp:127.0.0.1:{port}"])
    try:
        m.wait_prompt()
        assert m.command("trace").startswith("trace: off")
        m.command("clear")          # nothing scrolls: few records a line
        out = gdb_batch(port, "iotrace on", "detach", elf=ELF)
        assert "iotrace: the kernel's I/O trace is on (io_trace_on = 1)" \
            in out, out
        assert m.command("outb 0x3ff 0x5a") == "outb(0x03ff, 0x5a)"
        assert re.match(r"trace: on, [1-9]\d* records held\n",
                        m.command("trace"))
        out = gdb_batch(port, "iotrace 1000", "iotrace off", "detach", elf=ELF)
        assert re.search(r"^\d+ of \d+ records; tracing is on", out, re.M), out
        assert re.search(r"^  PMIO out  8 0x000003ff <- 0x5a  uart$", out,
                         re.M), out
        assert "iotrace: the kernel's I/O trace is off (io_trace_on = 0)" \
            in out, out
        assert m.command("trace").startswith("trace: off, ")
    finally:
        m.close()


class Terminal:
    """A program on a pseudo-terminal of its own, as a person runs it: the
    pty is its controlling terminal, so Ctrl-C typed there is a SIGINT to
    its foreground process group."""

    def __init__(self, argv, cwd):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.chdir(cwd)
            # No colours, no bracketed paste: plain text to match.
            os.environ["TERM"] = "dumb"
            os.execvp(argv[0], argv)
        self.output = b""

    def expect(self, pattern, timeout=60):
        """Reads until the output (since the last match) matches."""
        deadline = time.monotonic() + timeout
        regex = re.compile(pattern.encode())
        while True:
            m = regex.search(self.output)
            if m:
                self.output = self.output[m.end():]
                return m
            left = deadline - time.monotonic()
            assert left > 0, f"no {pattern!r} in: {self.output[-3000:]!r}"
            ready, _, _ = select.select([self.fd], [], [], left)
            if ready:
                try:
                    chunk = os.read(self.fd, 4096)
                except OSError:         # the program ended: EIO
                    chunk = b""
                assert chunk, f"ended; no {pattern!r} in: {self.output!r}"
                self.output += chunk

    def type(self, text):
        os.write(self.fd, text.encode())

    def wait(self, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                os.close(self.fd)
                return os.waitstatus_to_exitcode(status)
            try:
                os.read(self.fd, 4096)      # drain, so it never blocks
            except OSError:
                time.sleep(0.1)
        os.kill(self.pid, signal.SIGKILL)
        raise AssertionError("still running")


def monitor_command(sock, line, timeout=30):
    """Types a line into the monitor over the serial socket; returns what
    came back up to the next prompt."""
    sock.sendall(line.encode() + b"\r")
    out, deadline = b"", time.monotonic() + timeout
    while not out.endswith(b"iospace> "):
        sock.settimeout(max(deadline - time.monotonic(), 0.1))
        try:
            chunk = sock.recv(4096)
        except TimeoutError:
            chunk = b""
        assert chunk, f"no prompt after {line!r} within {timeout} s: {out!r}"
        out += chunk
    return out.decode("latin-1")


def test_make_debug_survives_ctrl_c_and_has_the_monitor_and_disks(
        tmp_path):
    """make debug-nox as a student runs it: continue, Ctrl-C (QEMU must
    live on: it is in a session of its own), the screen read through the
    stub; the monitor through the serial socket, with the demo diskette
    in drive A: and the demo hard disk on the primary IDE channel;
    quitting gdb ends QEMU."""
    port = free_port()
    sock_path = str(tmp_path / "com1.sock")
    term = Terminal(["make", "--no-print-directory", "debug-nox",
                     f"GDBPORT={port}", f"DEBUG_SERIAL={sock_path}"], ROOT)
    try:
        term.expect(r"socat -,raw,echo=0,escape=0x1d UNIX-CONNECT:"
                    + re.escape(sock_path))
        term.expect(r"Breakpoint 1, kmain")
        term.expect(r"\(gdb\) ")
        term.type("set pagination off\n")
        term.expect(r"\(gdb\) ")
        term.type("continue\n")
        term.expect(r"Continuing\.")
        time.sleep(2)
        term.type("\x03")
        term.expect(r"received signal SIGINT")
        term.expect(r"\(gdb\) ")
        term.type("vga\n")
        term.expect(r"iospace - port-mapped")
        term.expect(r"\(gdb\) ")
        term.type("continue\n")
        term.expect(r"Continuing\.")
        with socket.socket(socket.AF_UNIX) as s:
            s.connect(sock_path)
            monitor_command(s, "")
            out = monitor_command(s, "fdread 0")
            assert "fdread lba=0 count=1 mode=dma bytes=512" in out, out
            assert "iospace demo diskette: LBA    0" in out, out
            out = monitor_command(s, "disk read 1 1 dma")
            assert "disk read lba=1 count=1 mode=dma bytes=512" in out, out
            # The CRC of the demo image's sector 1 (make debug's $(DISK)).
            with open(os.path.join(ROOT, "build", "disk.img"), "rb") as f:
                f.seek(SECTOR)
                crc = zlib.crc32(f.read(SECTOR))
            assert f"crc32=0x{crc:08x}" in out, out
        term.type("\x03")
        term.expect(r"received signal SIGINT")
        term.expect(r"\(gdb\) ")
        term.type("quit\n")
        term.expect(r"\(y or n\)")
        term.type("y\n")
        term.wait()
        with open(tmp_path / "com1.log", encoding="latin-1") as f:
            log = f.read()
        assert "floppy: drive 0 is a 1.44 MB 3.5\" drive" in log, log[-2000:]
        # QEMU ended with gdb: its socket no longer answers.
        with socket.socket(socket.AF_UNIX) as s:
            with pytest.raises(OSError):
                s.connect(sock_path)
    finally:
        if term.fd is not None:
            try:
                os.kill(term.pid, signal.SIGKILL)
                os.waitpid(term.pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
