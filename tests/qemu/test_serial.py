"""The 16550 driver against a student at its registers: overruns the
transmit path sees are counted, and loopback or DLAB left on by hand are
noticed and undone with a warning, instead of leaving the monitor talking
to itself or reading the divisor latch as data."""

import re
import time

import pytest

from test_keyboard import press, type_text

OVERRUNS_RE = rb"received \d+ bytes, sent \d+, overruns (\d+),"


def wait_vga(m, text, timeout=10):
    deadline = time.monotonic() + timeout
    while not any(text in row for row in m.vga_rows()):
        assert time.monotonic() < deadline, f"{text!r} not on the screen"
        time.sleep(0.05)


def test_overruns_seen_while_sending_are_counted(machine_factory):
    # With IER 0 nothing reads the receiver; in loopback the monitor's own
    # output then fills the 16-byte receive FIFO and overruns it. Only
    # serial_putc reads LSR meanwhile, and that read clears OE.
    # The console's own poll of the UART (every tenth of a second, for a
    # lost IRQ 4) waits while the I/O trace records: trace on keeps the
    # receiver unread.
    m = machine_factory()
    m.wait_prompt()
    assert re.search(OVERRUNS_RE, m.command("serial").encode())[1] == b"0"
    m.command("trace on")
    type_text(m, "outb 0x3f9 0\r")              # typed: no receive IRQs
    m.expect(rb"outb\(0x03f9, 0x00\)\r\niospace> ")
    type_text(m, "outb 0x3fc 0x1b\r")           # loopback: 30 bytes loop
    m.expect(rb"outb\(0x03fc, 0x1b\)\r\n")      # said before it is done
    type_text(m, "outb 0x3fc 0xf\r")
    # Its own line, said before the write, looped back; the prompt after
    # it is the first thing on the wire again.
    m.expect(rb"iospace> ")
    type_text(m, "outb 0x3fa 0xc7\r")           # drop what looped back
    m.expect(rb"outb\(0x03fa, 0xc7\)\r\niospace> ")
    type_text(m, "outb 0x3f9 5\r")
    m.expect(rb"outb\(0x03f9, 0x05\)\r\niospace> ")
    assert int(re.search(OVERRUNS_RE, m.command("serial").encode())[1]) > 0


def test_loopback_left_on_is_undone_with_a_warning(machine_factory):
    # In loopback the monitor's output came back as its input, ran as a
    # command, printed more, for ever, and the host saw none of it.
    m = machine_factory()
    m.wait_prompt()
    m.send("outb 0x3fc 0x1b\r")
    m.expect(rb"warning: serial: MCR had loopback \(bit 4\) left on, so the "
             rb"UART heard only its own output: the driver set MCR to 0x0f "
             rb"again and dropped the bytes that had looped back\r\n",
             timeout=10)
    assert m.command("inb 0x3fc") == "inb(0x03fc) = 0x0f"
    out = m.command("serial")
    assert "loopback or DLAB found left on and undone 1 times" in out
    assert "unknown command" not in m.text()


def test_dlab_left_on_is_undone_with_a_warning(machine_factory):
    # With DLAB on, RBR reads the divisor latch and LSR DR stays set: one
    # byte in made the driver read 4096 copies of the latch.
    m = machine_factory()
    m.wait_prompt()
    m.send("outb 0x3fb 0x80\r")
    m.expect(rb"outb 0x3fb 0x80\r\n")       # the echo; the rest goes to DLL
    # Type only once the write is done (the screen shows what serial no
    # longer can): bytes typed ahead would be taken before DLAB went on.
    wait_vga(m, "outb(0x03fb, 0x80)")
    out = m.command("serial", timeout=10)
    assert ("warning: serial: LCR had DLAB (bit 7) left on, so RBR read the "
            "divisor latch, not data: the driver set 115200 8N1 again") in out
    received = int(re.search(r"received (\d+) bytes", out)[1])
    assert received < 200, out
    assert "undone 1 times" in out
    assert m.command("inb 0x3fb") == "inb(0x03fb) = 0x03"


# Ways to stop the kernel's tick by hand: the Local APIC timer's LVT entry
# masked, or README's own mask for the 8259 (IRQ 0 masked, 1 and 4 open).
STOP_TICK = {"apic": "poke 0xfee00320 0x10040", "pic": "outb 0x21 0xa9"}


@pytest.mark.parametrize("mode", ["apic", "pic"])
def test_recv_times_out_with_the_tick_stopped(machine_factory, mode):
    # The idle timeout counted ticks: with none, recv waited for ever.
    m = machine_factory(append=f"irq={mode}")
    m.wait_prompt()
    m.command(STOP_TICK[mode])
    t0 = int(m.command("ticks"))
    assert int(m.command("ticks")) == t0         # stopped
    start = time.monotonic()
    m.send("recv 5 2\r")
    m.expect(rb"recv: ready for 5 bytes\r\n")
    m.expect(rb"error: recv: timed out after 0 of 5 bytes\r\n", timeout=30)
    # 2 s by the TSC; QEMU's TCG clock may run a little off the host's.
    assert 1.5 < time.monotonic() - start < 30
    m.wait_prompt()


def test_ctrl_c_on_the_keyboard_ends_recv(machine_factory):
    m = machine_factory()
    m.wait_prompt()
    m.send("recv 5\r")
    m.expect(rb"recv: ready for 5 bytes\r\n")
    m.send(b"ab")
    press(m, "ctrl", "c")
    m.expect(rb"error: recv: Ctrl-C on the keyboard after 2 of 5 bytes\r\n"
             rb"iospace> ", timeout=5)


def test_ctrl_c_on_the_serial_line_after_a_pause_ends_recv(machine_factory):
    m = machine_factory()
    m.wait_prompt()
    m.send("recv 5\r")
    m.expect(rb"recv: ready for 5 bytes\r\n")
    m.send(b"a\x03")                # at once: a byte of the stream
    time.sleep(1.5)
    m.send(b"\x03")                 # after a pause: a person's Ctrl-C
    m.expect(rb"error: recv: Ctrl-C on the serial line after 2 of 5 bytes"
             rb"\r\niospace> ", timeout=5)


def test_recv_refuses_a_timeout_of_nothing(machine_factory):
    m = machine_factory()
    m.wait_prompt()
    assert m.command("recv 5 0") == "error: recv: SECONDS must be 1..3600"
    assert m.command("recv 5 x").startswith("error: recv: ")
