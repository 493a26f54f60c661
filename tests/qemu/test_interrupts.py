"""The 8259 interrupt path (irq=pic) and the PIT, watched from outside:
QEMU's trace of the kernel's port writes, tick counts, and the serial load
test."""

import os
import re
import time
import zlib

import pytest

# The ICW sequence pic_remap must send, as (port, value): ICW1 to both
# command ports, ICW2 (vector bases 0x20, 0x28), ICW3 (slave on line 2),
# ICW4 (8086 mode), then OCW1 masking everything but the cascade.
ICW_SEQUENCE = [(0x20, 0x11), (0xA0, 0x11), (0x21, 0x20), (0xA1, 0x28),
                (0x21, 0x04), (0xA1, 0x02), (0x21, 0x01), (0xA1, 0x01),
                (0x21, 0xFB), (0xA1, 0xFF)]
PIT_INPUT_HZ = 1193182


@pytest.fixture(scope="module")
def traced():
    from iospace import Machine
    m = Machine(append="irq=pic hz=250", trace=True)
    try:
        m.wait_prompt()
        yield m
    finally:
        m.close()


def writes(accesses):
    return [(a.addr, a.value) for a in accesses if a.op == "write"]


def test_pic_init_sequence_in_qemus_trace(traced):
    pic = writes(traced.kernel_accesses({"pic"}))
    assert pic[:len(ICW_SEQUENCE)] == ICW_SEQUENCE
    # An io_wait (port 0x80) follows every ICW: the chip's settle time.
    both = [a for a in traced.kernel_accesses({"pic", "ioport80"})
            if a.op == "write"]
    icws = both[:2 * 8]
    assert [a.name for a in icws] == ["pic", "ioport80"] * 8


def test_pit_divisor_for_hz_250_in_qemus_trace(traced):
    divisor = round(PIT_INPUT_HZ / 250)
    pit = writes(traced.kernel_accesses({"pit"}))
    # Channel 0, low then high byte, mode 2 (rate generator): 0x34.
    assert pit[:3] == [(0x43, 0x34), (0x40, divisor & 0xFF),
                       (0x40, divisor >> 8)]
    assert f"divisor {divisor}" in traced.command("pit")


def test_uart_setup_in_qemus_trace(traced):
    uart = writes(traced.kernel_accesses({"serial"}))
    # IER off; DLAB on, divisor 1 (115200 baud), 8N1; FIFO on and cleared,
    # trigger 14; loopback probe; normal modem control.
    assert uart[:7] == [(0x3F9, 0x00), (0x3FB, 0x80), (0x3F8, 0x01),
                        (0x3F9, 0x00), (0x3FB, 0x03), (0x3FA, 0xC7),
                        (0x3FC, 0x1F)]
    # Receive interrupts on: data available and line status.
    assert (0x3F9, 0x05) in uart


PIC1_COMMAND, PIC1_DATA, PIC_EOI = 0x20, 0x21, 0x20


def test_each_tick_is_masked_acknowledged_unmasked(traced):
    # The dispatcher's EOI in one place: mask line 0, EOI, unmask, per tick.
    # Which other lines are open (COM1, the keyboard) changes the IMR
    # values, not the pattern: bit 0 set, EOI, the same IMR with it clear.
    pic = writes(traced.kernel_accesses({"pic"}))
    ticks = [imr for (p1, imr), eoi, after in zip(pic, pic[1:], pic[2:])
             if p1 == PIC1_DATA and imr & 1 and eoi == (PIC1_COMMAND, PIC_EOI)
             and after == (PIC1_DATA, imr & ~1)]
    assert len(ticks) > 5


def test_pic_command_shows_the_three_registers(traced):
    out = traced.command("pic")
    assert "master lines 0-7 -> vectors 0x20-0x27" in out
    assert "slave 8-15 -> 0x28-0x2f" in out
    imr = re.search(r"IMR ([01]{16})", out)[1]
    # Line 0 (timer), 2 (cascade), 4 (COM1) are open; 15..8 all masked.
    assert imr[15 - 0] == imr[15 - 2] == imr[15 - 4] == "0"
    assert imr[:8] == "11111111"
    assert re.search(r"ISR 0{16}", out)
    assert "spurious: line 7: 0, line 15: 0" in out


def test_irqs_counts_the_timer_and_the_serial_line(traced):
    out = traced.command("irqs")
    assert "8259 PIC" in out and "IO APIC" in out
    assert "delivering now: 8259 PIC; tick: pit" in out
    timer = re.search(r"^\s+0  pit\s+(\d+)\s+0$", out, re.M)
    com1 = re.search(r"^\s+4  com1\s+(\d+)\s+0$", out, re.M)
    assert timer and int(timer[1]) > 0
    assert com1 and int(com1[1]) > 0     # our typing arrived by IRQ 4


def test_ticks_and_uptime_advance(traced):
    t0 = int(traced.command("ticks"))
    time.sleep(0.3)
    t1 = int(traced.command("ticks"))
    assert t1 > t0
    m = re.fullmatch(r"uptime: (\d+)\.(\d{3}) s \((\d+) ticks of the pit "
                     r"at 2(49|50)\.\d{3} Hz\)", traced.command("uptime"))
    assert m and int(m[3]) >= t1


@pytest.mark.parametrize("mode", ["pic", "apic"])
def test_hz_1000_ticks_ten_times_as_fast_as_hz_100(machine_factory, mode):
    # Both kernels run at once and are watched over the same second. With
    # -icount QEMU's timers advance with the guest's instructions, so a
    # QEMU that the host leaves waiting (other tests run beside this one)
    # still delivers every tick, late, instead of merging them in the IRR;
    # shift=2 (4 ns an instruction) keeps guest time near wall time.
    slow, fast = (machine_factory(append=f"hz={hz} irq={mode}",
                                  extra=["-icount", "shift=2"])
                  for hz in (100, 1000))
    for m in (slow, fast):
        m.wait_prompt()
    before = [int(m.command("ticks")) for m in (slow, fast)]
    start = time.monotonic()
    time.sleep(1.0)
    after = [int(m.command("ticks")) for m in (slow, fast)]
    seconds = time.monotonic() - start
    slow_rate, fast_rate = ((a - b) / seconds for a, b in zip(after, before))
    assert 70 < slow_rate < 130, slow_rate
    assert 7 < fast_rate / slow_rate < 13, (fast_rate, slow_rate)


def test_bad_hz_is_refused_and_the_default_kept(machine_factory):
    m = machine_factory(append="hz=18 irq=pic")
    m.wait_prompt()
    assert "warning: cmdline: 'hz=18': hz must be 19..10000" in m.text()
    assert "divisor 11932" in m.command("pit")


def recv_without_loss(monitor, size, timeout):
    data = os.urandom(size)
    monitor.send(f"recv {len(data)}\r")
    monitor.expect(f"recv: ready for {size} bytes\r\n".encode())
    start = time.monotonic()
    monitor.send(data)
    m = monitor.expect(rb"recv (\d+) bytes crc32=0x([0-9a-f]{8}) "
                       rb"overruns=(\d+)\r\n", timeout=timeout)
    seconds = time.monotonic() - start
    assert int(m[1]) == len(data)
    assert int(m[2], 16) == zlib.crc32(data)
    assert int(m[3]) == 0
    print(f"recv: {size >> 20} MiB in {seconds:.2f} s, "
          f"{len(data) / 1024 / seconds:.0f} KiB/s")
    monitor.wait_prompt()


def test_recv_one_mib_without_loss(monitor):
    recv_without_loss(monitor, 1 << 20, timeout=120)


@pytest.mark.soak
def test_recv_sixteen_mib_without_loss(monitor):
    # The most recv takes. About 80 s under TCG: `make soak`, not
    # `make test`.
    recv_without_loss(monitor, 16 << 20, timeout=600)


def test_serial_command_counts_bytes_both_ways(monitor):
    out = monitor.command("serial")
    m = re.search(r"received (\d+) bytes, sent (\d+), overruns (\d+)", out)
    assert "IRQ 4" in out and m, out
    assert int(m[1]) > 0 and int(m[2]) > 1000 and int(m[3]) == 0


@pytest.mark.parametrize("line,message", [
    ("recv 0", "N must be 1..16777216"),
    ("recv 16777217", "out of range"),
    ("recv", "usage: recv N"),
    ("recv x", "not a number"),
])
def test_recv_bad_arguments(monitor, line, message):
    out = monitor.command(line)
    assert out.startswith("error: ") and message in out


def test_a_mask_written_by_hand_holds(machine_factory):
    # C8 and the walkthrough's exercise: IRQ 0 masked with a raw `outb`
    # stays masked through the serial interrupts of the typing that
    # follows (the driver reads the IMR back), the edge waits in the IRR,
    # and unmasking lets the tick run again.
    m = machine_factory(append="irq=pic")
    m.wait_prompt()
    imr = int(m.command("inb 0x21").split("=")[1], 16)
    assert imr & 1 == 0
    m.command(f"outb 0x21 {imr | 1:#x}")
    stopped = int(m.command("ticks"))
    time.sleep(0.3)
    assert int(m.command("ticks")) == stopped
    pic = m.command("pic")
    assert re.search(rf"IMR [01]{{16}}  0x{0xff00 | imr | 1:04x}", pic), pic
    assert re.search(r"IRR [01]{15}1  ", pic), pic
    m.command(f"outb 0x21 {imr:#x}")
    time.sleep(0.3)
    assert int(m.command("ticks")) > stopped
