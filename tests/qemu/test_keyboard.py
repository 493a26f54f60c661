"""The 8042 keyboard: keys pressed through QMP's send-key reach the monitor
as scan codes on port 0x60 and IRQ 1, and drive it as the serial line
does; the output shows on both consoles. `reboot` pulses the CPU reset
line through the 8042's port 0x64."""

import re
import time

from iospace import PROMPT

# QEMU key names (QAPI QKeyCode) for the characters the tests type that
# are not their own name; an upper-case letter or a shifted symbol is
# typed as Shift plus the key, pressed together in one send-key.
QCODES = {" ": "spc", "\r": "ret", "\b": "backspace", ".": "dot"}
SHIFTED = {"!": "1"}


def press(m, *qcodes):
    """One send-key: QEMU presses the keys in order, then releases them."""
    m.qmp("send-key", keys=[{"type": "qcode", "data": q} for q in qcodes])


def type_text(m, text):
    for ch in text:
        if ch in SHIFTED:
            press(m, "shift", SHIFTED[ch])
        elif ch.isupper():
            press(m, "shift", ch.lower())
        else:
            press(m, QCODES.get(ch, ch))


def type_command(m, line):
    """Types a line and Enter on the keyboard; returns what the monitor
    printed on the serial line before its next prompt, without the echo
    (as Machine.command does for a line sent on the serial line)."""
    start = m.pos
    type_text(m, line + "\r")
    m.wait_prompt()
    out = m.output[start:m.pos - len(PROMPT)].decode("latin-1")
    lines = out.replace("\r\n", "\n").split("\n")
    return "\n".join(lines[1:]).strip("\n")


def on_vga(m, text):
    return any(text in row for row in m.vga_rows())


def kbd_counts(m):
    out = m.command("kbd")
    found = re.search(r"^(\d+) scan codes, (\d+) keys typed", out, re.M)
    assert found, out
    return int(found[1]), int(found[2])


# A key's release reaches the kernel a few milliseconds after its press
# (QEMU holds each key down for a moment), so the counts go on changing a
# little after the echo of a key has shown.
SETTLE_S = 0.05


def settled_kbd_counts(m, timeout=5):
    """The counts once two reads SETTLE_S apart agree."""
    deadline = time.monotonic() + timeout
    prev, counts = None, kbd_counts(m)
    while counts != prev and time.monotonic() < deadline:
        time.sleep(SETTLE_S)
        prev, counts = counts, kbd_counts(m)
    return counts


def kbd_counts_reaching(m, scancodes, timeout=5):
    """The counts once at least `scancodes` scan codes have arrived."""
    deadline = time.monotonic() + timeout
    counts = kbd_counts(m)
    while counts[0] < scancodes and time.monotonic() < deadline:
        time.sleep(SETTLE_S)
        counts = kbd_counts(m)
    return counts


def test_boot_line_names_the_8042(monitor):
    assert ("keyboard: 8042 on ports 0x60/0x64, IRQ 1, scan code set 1\r\n"
            in monitor.text())


def test_typed_help_runs_on_both_consoles(monitor):
    out = type_command(monitor, "help")
    assert re.search(r"^  reboot\b", out, re.M), out
    assert re.search(r"^  kbd\b", out, re.M), out
    # The end of the list is on the screen too: kprintf writes both.
    assert on_vga(monitor, "reset the machine through the 8042")


def test_typed_outb_then_inb_through_the_uart_scratch_register(monitor):
    assert type_command(monitor, "outb 0x3ff 0x42") == "outb(0x03ff, 0x42)"
    assert type_command(monitor, "inb 0x3ff") == "inb(0x03ff) = 0x42"
    assert on_vga(monitor, "iospace> inb 0x3ff")
    assert on_vga(monitor, "inb(0x03ff) = 0x42")


def test_typed_backspace_edits_the_line(monitor):
    # "inx", Backspace, "b 0x3ff": the line run is "inb 0x3ff".
    out = type_command(monitor, "inx\bb 0x3ff")
    assert out.startswith("inb(0x03ff) = "), out


def test_shift_types_upper_case_and_symbols(monitor):
    out = type_command(monitor, "Help!")
    assert out == "error: unknown command 'Help!' (try help)"
    assert on_vga(monitor, "error: unknown command 'Help!' (try help)")


def test_ctrl_c_on_the_keyboard_drops_the_line(monitor):
    type_text(monitor, "frob")
    press(monitor, "ctrl", "c")
    monitor.expect(rb"frob\^C\r\niospace> ")


def test_kbd_counts_scan_codes_and_keys(monitor):
    codes, keys = settled_kbd_counts(monitor)
    type_text(monitor, "x\b")
    monitor.expect(rb"x\x08 \x08")
    # Two keys typed, each a make and a break code: the 8042 turns the
    # keyboard's set 2 break (0xF0 then the code) into one set 1 byte.
    assert kbd_counts_reaching(monitor, codes + 4) == (codes + 4, keys + 2)


def test_kbd_decodes_the_status_register(monitor):
    out = monitor.command("kbd")
    status = int(re.search(r"port 0x64\) = 0x([0-9a-f]{2})", out)[1], 16)
    # Idle: nothing waiting, nothing pending, self-test passed.
    assert (status & 0x03) == 0 and (status & 0x04)
    assert re.search(r"^  bit 0 OBF 0 ", out, re.M)
    assert re.search(r"^  bit 2 SYS 1 ", out, re.M)
    assert "IRQ 1 on, set 1 translation on, keyboard enabled" in out


def test_reboot_pulses_the_reset_line_through_port_0x64(machine_factory):
    # The machines run with -no-reboot, so a CPU reset ends QEMU with
    # status 0 instead of restarting: that exit, right after the command,
    # is the reset. QEMU's trace of device accesses shows where it came
    # from: the last write to the 8042's command port (QEMU's region
    # 'i8042-cmd', traced with the port number as its address) is 0xfe.
    m = machine_factory(trace=True)
    m.wait_prompt()
    type_text(m, "reboot\r")
    m.expect(rb"reboot: pulsing the CPU reset line through the 8042 "
             rb"\(command 0xfe to port 0x64\)\r\n")
    assert m.wait_exit(timeout=10) == 0
    assert "error" not in m.text()
    assert m.text().count("iospace - port-mapped") == 1
    writes = [a for a in m.kernel_accesses({"i8042-cmd"}) if a.op == "write"]
    assert writes, "no write to the 8042's command port in the trace"
    assert (writes[-1].addr, writes[-1].value, writes[-1].size) \
        == (0x64, 0xFE, 1), writes


def test_without_an_8042_the_kernel_warns_and_goes_on(machine_factory):
    m = machine_factory(extra=["-M", "pc,i8042=off"])
    m.wait_prompt()
    assert ("warning: keyboard: no 8042 answered at port 0x64 (status "
            "reads 0xff); type on the serial line\r\n") in m.text()
    assert m.command("reboot").endswith(
        "error: reboot: the 8042 did not reset the CPU")
    out = m.command("kbd")
    assert "(port 0x64) = 0xff" in out
    assert "no keyboard: no 8042 answered" in out
    assert m.proc.poll() is None


def test_keys_pressed_while_booting_leave_the_keyboard_alive(machine_factory):
    # Keys through the whole boot: in APIC mode one reached the 8042's
    # output buffer before IRQ 1 was unmasked, its edge was lost, and with
    # the buffer full the 8042 sent nothing more (kbd: OBF 1, 0 scan codes).
    m = machine_factory()
    deadline = time.monotonic() + 20
    while PROMPT not in m.output:
        assert time.monotonic() < deadline, m.text()[-1500:]
        press(m, "a")
        time.sleep(0.01)
    time.sleep(0.5)         # the last presses and releases arrive
    m.send("\x03")          # Ctrl-C: drop what was typed ahead
    m.expect(rb"\^C\r\niospace> ")
    type_text(m, "kbd\r")
    m.expect(rb"\r\n[1-9]\d* scan codes, [1-9]\d* keys typed")
