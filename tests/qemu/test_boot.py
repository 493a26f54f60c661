"""Booting: the ISO and the bare ELF, multiboot information, the kernel
command line, and both consoles."""

import re
import time

from iospace import PROMPT


def wait_vga(m, needle, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        rows = m.vga_rows()
        if any(needle in row for row in rows):
            return rows
        time.sleep(0.1)
    raise AssertionError(f"{needle!r} not on the VGA screen:\n"
                         + "\n".join(m.vga_rows()))


def test_iso_boots_to_the_prompt(machine_factory):
    m = machine_factory(iso=True)
    m.wait_prompt(timeout=30)
    lines = m.text().split("\r\n")
    # The first line on the serial log is the kernel's banner: nothing
    # (GRUB, the BIOS) wrote to COM1 before it.
    assert lines[0].startswith("iospace"), lines[:3]
    assert re.search(r"^boot loader: GRUB", m.text(), re.M)
    # GRUB's command line parses without a warning.
    assert "warning" not in m.text()
    assert "options: irq=auto hz=100\r\n" in m.text()


def test_banner_and_prompt_on_vga(machine_factory):
    m = machine_factory()
    m.wait_prompt()
    rows = wait_vga(m, PROMPT.decode().strip())
    # The banner is the title row, white on blue (attribute 0x1f), which
    # stays while the rest scrolls.
    assert rows[0].startswith("iospace - port-mapped and memory-mapped I/O")
    assert m.vga_cells()[0] >> 8 == 0x1F
    assert "consoles: VGA screen and serial line COM1" in "".join(rows)


def test_multiboot_information_is_printed(machine_factory):
    m = machine_factory(append="hz=250")
    m.wait_prompt()
    text = m.text()
    assert "boot loader: qemu\r\n" in text
    # QEMU's -kernel puts the file name first; the kernel skips it.
    assert re.search(r"command line: '\S*iospace\.elf hz=250'", text)
    assert "options: irq=auto hz=250\r\n" in text
    # -m 128: the map has the low 640 KiB and RAM from 1 MiB to ~128 MiB.
    assert re.search(r"0000000000000000-000000000009fbff available", text)
    assert re.search(r"0000000000100000-0000000007fdffff available", text)
    assert re.search(r"memory: 639 KiB below 1 MiB, 129920 KiB above", text)


def test_command_line_warnings(machine_factory):
    m = machine_factory(append="bogus irq=xyz hz=5 hz=abc test=1 irq=pic "
                        "trace screen=tv")
    m.wait_prompt()
    text = m.text()
    assert "warning: cmdline: unknown key in 'bogus', ignored" in text
    assert "warning: cmdline: 'irq=xyz': irq is pic or apic" in text
    assert "warning: cmdline: 'hz=5': hz must be 19..10000" in text
    assert "warning: cmdline: 'hz=abc': hz: not a number" in text
    assert "warning: cmdline: 'test=1': test takes no value" in text
    assert "warning: cmdline: 'screen=tv': screen is live or console" in text
    # The valid words still took effect, and the kernel is alive.
    assert "options: irq=pic hz=100 trace\r\n" in text
    assert "help" in m.command("help")


def test_long_command_line_is_cut_with_a_warning(machine_factory):
    # QEMU puts the ELF's path first; the words that follow run past the
    # 255 bytes the kernel keeps, so irq=pic falls after the cut.
    filler = "x" * 300
    m = machine_factory(append=f"hz=250 {filler} irq=pic")
    m.wait_prompt()
    text = m.text()
    whole = len(m.cmd[m.cmd.index("-kernel") + 1]) + 1 + len(
        f"hz=250 {filler} irq=pic")
    assert (f"warning: command line is {whole} bytes, longer than the 255 "
            f"kept: cut after '...{'x' * 16}'; the rest is ignored") in text
    assert "options: irq=auto hz=250\r\n" in text


def test_no_serial_port_keeps_going_on_vga(machine_factory):
    m = machine_factory(serial=False)
    rows = wait_vga(m, PROMPT.decode().strip())
    screen = "".join(rows)
    assert "consoles: VGA screen only (no serial port)" in screen
    assert rows[0].startswith("iospace")


def test_exit_code_reaches_qemu(machine_factory):
    m = machine_factory()
    m.wait_prompt()
    m.send("exit 5\r")
    assert m.wait_exit() == 5 << 1 | 1


def test_exit_without_the_exit_device_halts(machine_factory):
    m = machine_factory(debug_exit=False)
    m.wait_prompt()
    m.send("exit 5\r")
    m.expect(rb"no isa-debug-exit device answered at port 0xf4; halting")
    # Halted, not rebooted and not exited.
    time.sleep(0.5)
    assert m.proc.poll() is None
    assert m.text().count("iospace - ") == 1
