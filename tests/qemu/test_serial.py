"""The 16550 driver against a student at its registers: overruns the
transmit path sees are counted, and loopback or DLAB left on by hand are
noticed and undone with a warning, instead of leaving the monitor talking
to itself or reading the divisor latch as data."""

import re

from test_keyboard import type_text

OVERRUNS_RE = rb"received \d+ bytes, sent \d+, overruns (\d+),"


def test_overruns_seen_while_sending_are_counted(machine_factory):
    # With IER 0 nothing reads the receiver; in loopback the monitor's own
    # output then fills the 16-byte receive FIFO and overruns it. Only
    # serial_putc reads LSR meanwhile, and that read clears OE.
    m = machine_factory()
    m.wait_prompt()
    assert re.search(OVERRUNS_RE, m.command("serial").encode())[1] == b"0"
    type_text(m, "outb 0x3f9 0\r")              # typed: no receive IRQs
    m.expect(rb"outb\(0x03f9, 0x00\)\r\niospace> ")
    type_text(m, "outb 0x3fc 0x1b\r")           # loopback: 30 bytes loop
    type_text(m, "outb 0x3fc 0xf\r")
    m.expect(rb"outb\(0x03fc, 0x0f\)\r\niospace> ")
    type_text(m, "outb 0x3fa 0xc7\r")           # drop what looped back
    m.expect(rb"outb\(0x03fa, 0xc7\)\r\niospace> ")
    type_text(m, "outb 0x3f9 5\r")
    m.expect(rb"outb\(0x03f9, 0x05\)\r\niospace> ")
    assert int(re.search(OVERRUNS_RE, m.command("serial").encode())[1]) > 0
