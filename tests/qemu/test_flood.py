"""Garbage in, the kernel stays up: a flood of random bytes on the serial
line and random keys on the keyboard, at the prompt. Afterwards the
monitor still answers, the kernel did not reboot (the banner shows once)
and took no exception. The floods are random but seeded, so a failure
can be replayed."""

import random
import re
import time

FLOOD_SEED = 20240601
SERIAL_FLOOD_BYTES = 64 * 1024
SERIAL_CHUNK = 4096
KEYS = 300
KEYS_PER_BATCH = 10         # one send-key: pressed in order, then released
# QEMU queues a send-key's presses and releases with this delay after each
# (ui/input-legacy.c), and drops events once its queue is full: each batch
# is given the time to drain before the next.
KEY_DELAY_MS = 1
BATCH_DRAIN_S = (2 * KEYS_PER_BATCH * KEY_DELAY_MS + 15) / 1000
BANNER = "iospace - port-mapped"
# Each `peek ADDR 64` prints about 1.1 KiB (and reads 256 bytes): enough
# of them to fill a 64 KiB pipe twice over, the first ones at once.
PEEK_BYTES = 256
PIPE_FILLING_PEEKS = 120
PEEKS_AT_ONCE = 45

# QEMU key names (QAPI QKeyCode): every key of a US PC keyboard the kernel
# may meet, modifiers, prefixed (0xE0) keys and Pause included; not the
# power-management keys, which QEMU may route to the machine itself.
QCODES = (
    [chr(c) for c in range(ord("a"), ord("z") + 1)]
    + [str(d) for d in range(10)]
    + [f"f{n}" for n in range(1, 13)]
    + ["spc", "ret", "backspace", "tab", "esc", "minus", "equal",
       "bracket_left", "bracket_right", "semicolon", "apostrophe",
       "grave_accent", "backslash", "comma", "dot", "slash", "shift",
       "shift_r", "ctrl", "ctrl_r", "alt", "alt_r", "caps_lock",
       "num_lock", "scroll_lock", "up", "down", "left", "right", "home",
       "end", "pgup", "pgdn", "insert", "delete", "kp_enter", "kp_divide",
       "kp_multiply", "kp_subtract", "kp_add", "kp_0", "kp_5", "kp_decimal",
       "pause", "print", "menu", "meta_l"])


def sync(m, token, timeout=60):
    """Ends whatever line the flood left half typed (Ctrl-C), then waits
    for the monitor's answer to an unknown command: everything the flood
    caused has been printed by then."""
    m.send(b"\x03\r" + token.encode() + b"\r")
    m.expect(re.escape(f"error: unknown command '{token}'".encode()),
             timeout=timeout)
    m.wait_prompt()


def on_screen(m, text, timeout=5):
    """Whether text shows on the VGA screen within timeout seconds."""
    deadline = time.monotonic() + timeout
    while not any(text in row for row in m.vga_rows()):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def check_survived(m, before):
    text = m.text()
    assert text.count(BANNER) == 1, "the kernel rebooted"
    assert "*** exception" not in text[before:]
    assert "panic" not in text[before:]
    assert re.search(r"^  peek ADDR \[COUNT\]", m.command("help"), re.M)
    assert m.proc.poll() is None


def test_serial_flood_of_random_bytes(monitor):
    rng = random.Random(FLOOD_SEED)
    # Every byte value at least once, then random ones.
    data = bytearray(range(256))
    data += bytes(rng.randrange(256) for _ in range(SERIAL_FLOOD_BYTES - 256))
    rng.shuffle(data)
    before = len(monitor.output)
    start = time.monotonic()
    for i in range(0, len(data), SERIAL_CHUNK):
        monitor.send(bytes(data[i:i + SERIAL_CHUNK]))
    sync(monitor, "serial-flood-done")
    seconds = time.monotonic() - start
    print(f"serial flood: {len(data)} bytes in {seconds:.2f} s")
    check_survived(monitor, before)
    out = monitor.command("serial")
    assert re.search(r"overruns 0,", out), out


def test_a_host_that_stops_reading_does_not_stall_the_kernel(
        machine_factory):
    # The host stops reading COM1; the monitor's output fills the pipe and
    # the UART's transmitter stops taking bytes. The kernel drops them
    # (saying so on the screen) and goes on, on the VGA console; when the
    # host reads again, so does the serial line. The console has the whole
    # screen (screen=console): the warning is read off it while up to a
    # peek's 17 lines follow it, more than the 7 rows under the live panel.
    m = machine_factory(append="screen=console")
    m.wait_prompt()
    m.pause_reading()
    warning = "warning: serial: the UART's transmitter stopped taking bytes"
    # Most of a pipe's worth at once, then one at a time, each waited for
    # on the screen (its last line has its own address), so that the
    # warning is seen before later output scrolls it away.
    for i in range(PIPE_FILLING_PEEKS):
        last = 0x100000 + i * PEEK_BYTES + PEEK_BYTES - 16
        m.send(f"peek {0x100000 + i * PEEK_BYTES:#x} 64\r")
        if i < PEEKS_AT_ONCE:
            continue
        assert on_screen(m, f"{last:#010x}:"), "\n".join(m.vga_rows())
        if on_screen(m, warning, timeout=0):
            break
    else:
        raise AssertionError("the transmitter never got stuck")
    # Still answering, on the screen.
    m.send("serial\r")
    deadline = time.monotonic() + 30
    while not on_screen(m, "the transmitter was stuck (and is now)"):
        assert time.monotonic() < deadline, "\n".join(m.vga_rows())
        time.sleep(0.1)
    m.resume_reading()
    # The kernel drops what it prints until the UART takes a byte again,
    # and QEMU's UART takes one only after it has written out the bytes it
    # holds, once the pipe has room: an answer that comes before that is
    # dropped, as it should be. So ask until an answer gets through.
    deadline = time.monotonic() + 30
    for attempt in range(1000):
        try:
            sync(m, f"reading-again-{attempt}", timeout=2)
            break
        except AssertionError:
            assert time.monotonic() < deadline, "serial never came back"
    assert "serial: the transmitter takes bytes again; " in m.text()
    out = m.command("serial")
    dropped = int(re.search(r"(\d+) bytes not sent", out)[1])
    assert dropped > 0 and "(and is now)" not in out, out
    assert m.text().count(BANNER) == 1


def test_keyboard_flood_of_random_keys(monitor):
    rng = random.Random(FLOOD_SEED)
    codes_before = int(re.search(r"^(\d+) scan codes",
                                 monitor.command("kbd"), re.M)[1])
    before = len(monitor.output)
    for _ in range(KEYS // KEYS_PER_BATCH):
        keys = [rng.choice(QCODES) for _ in range(KEYS_PER_BATCH)]
        monitor.qmp("send-key", keys=[{"type": "qcode", "data": k}
                                      for k in keys],
                    **{"hold-time": KEY_DELAY_MS})
        time.sleep(BATCH_DRAIN_S)
    sync(monitor, "keyboard-flood-done")
    check_survived(monitor, before)
    out = monitor.command("kbd")
    codes = int(re.search(r"^(\d+) scan codes", out, re.M)[1])
    # Each key is a make and a break code at least (a prefixed key four,
    # Pause six).
    assert codes - codes_before >= 2 * KEYS, out
    print(f"keyboard flood: {KEYS} keys, {codes - codes_before} scan codes")
