"""The monitor's write guard (kernel/lib/write_guard.c): a write the kernel
knows would reset the PC, power it off or break the kernel is refused with
the reason, and the kernel goes on; typed with `!`, it is done, after a
line saying what is about to happen. A port access that runs past a
device's ports is refused (QEMU's UART model aborts on one)."""

import re
import subprocess

import pytest

from iospace import ELF


def symbol(name):
    out = subprocess.run(["nm", ELF], check=True, capture_output=True,
                         text=True).stdout
    m = re.search(rf"^([0-9a-f]+) \w {re.escape(name)}$", out, re.M)
    assert m, name
    return int(m[1], 16)


# Each of these resets the PC, turns A20 off (the kernel at 1 MiB then
# runs from the memory at 0, and triple-faults) or powers it off: checked
# by hand on QEMU's pc with -no-reboot, where each one ends QEMU.
FATAL_PORT_WRITES = [
    ("outb 0x92 0", "PORT92 (System Control Port A), port 0x92"),
    ("outb 0x92 3", "bit 0 (fast reset)"),
    ("outb 0x64 0xfe", "8042 command 0xF0-0xFF (pulse output port)"),
    ("outb 0x64 0xdd", "8042 command 0xDD (disable A20)"),
    ("outb 0xcf9 6", "PIIX4 Reset Control register, port 0xCF9"),
    ("outw 0x604 0x2000", "ACPI PM1a_CNT (PIIX4 PMCNTRL), port 0x604"),
    ("outb 0x20 0x11", "ICW1 (bit 4 set) to the master 8259, port 0x20"),
    ("outb 0xa0 0x11", "ICW1 (bit 4 set) to the slave 8259, port 0xA0"),
]


@pytest.mark.parametrize("line,what", FATAL_PORT_WRITES)
def test_a_fatal_port_write_is_refused(monitor, line, what):
    cmd = line.split()[0]
    out = monitor.command(line)
    assert out.startswith(f"error: {cmd} refused: "), out
    assert what in out, out
    assert out.endswith(f"({cmd}! writes it anyway)"), out
    # Still alive, and the tick still runs.
    first = int(monitor.command("ticks"))
    assert int(monitor.command("ticks")) >= first


def test_a20_off_through_the_8042_output_port_is_refused(monitor):
    # 0xD1 only says that the next data byte is the output port.
    assert monitor.command("outb 0x64 0xd1") == "outb(0x0064, 0xd1)"
    out = monitor.command("outb 0x60 0xfd")
    assert out.startswith("error: outb refused: 8042 output port"), out
    assert "bit 1 low turns A20 off" in out
    # A20 and reset kept high: harmless, and the 8042 waits no more.
    assert monitor.command("outb 0x60 0xff") == "outb(0x0060, 0xff)"
    assert monitor.command("outb 0x60 0xfd") == "outb(0x0060, 0xfd)"


def test_harmless_writes_next_to_fatal_ones_go_through(monitor):
    assert monitor.command("outb 0x92 2") == "outb(0x0092, 0x02)"
    assert monitor.command("outb 0xcf9 2") == "outb(0x0cf9, 0x02)"
    # A dword at 0xCF8 is the PCI CONFIG_ADDRESS, not the reset register.
    assert (monitor.command("outl 0xcf8 0x80000400")
            == "outl(0x0cf8, 0x80000400)")
    assert monitor.command("outb 0x20 0x0b") == "outb(0x0020, 0x0b)"


def fatal_pokes():
    return [
        (symbol("_start"), "the kernel's code"),
        (symbol("kernel_stack_top") - 4, "the kernel's stack"),
        (symbol("gdt") + 8, "the GDT (GDTR)"),
        (symbol("idt") & ~3, "the IDT (IDTR)"),
        (symbol("page_directory"), "the page directory (CR3)"),
        (0xFEE00300, "Local APIC ICR: an INIT IPI to this CPU"),
    ]


def test_a_fatal_poke_is_refused(monitor):
    for addr, what in fatal_pokes():
        value = 0x44500 if addr == 0xFEE00300 else 0
        out = monitor.command(f"poke {addr:#x} {value:#x}")
        assert out.startswith(f"error: poke refused: {what}: "), (hex(addr),
                                                                   out)
    assert re.fullmatch(r"\d+", monitor.command("ticks"))
    out = monitor.command("poke 0xfee00300 0x44011")
    assert "an IPI on vector 16-31 to this CPU" in out, out


def test_a_port_access_past_a_device_is_refused(monitor):
    for line, bytes_, first in [("inw 0x3ff", 2, 0x3ff),
                                ("outw 0x3ff 0", 2, 0x3ff),
                                ("outl 0x3fe 0", 4, 0x3fe),
                                ("inl 0x3fd", 4, 0x3fd)]:
        out = monitor.command(line)
        assert out == (f"error: {line.split()[0]}: a {bytes_}-byte access at "
                       f"{first:#06x} reaches ports {first:#06x}-"
                       f"{first + bytes_ - 1:#06x}, not all of them in "
                       "0x03f8-0x03ff (16550 UART, COM1): a device answers "
                       "only its own ports; use byte accesses"), out
    # QEMU is still there (it aborted on each of them before).
    assert monitor.command("inb 0x3ff").startswith("inb(0x03ff) = ")
    assert monitor.command("inl 0x3fc").startswith("inl(0x03fc) = ")


def test_forced_power_off_says_so_then_does_it(machine_factory):
    m = machine_factory()
    m.wait_prompt(30)
    m.send("outw! 0x604 0x2000\r")
    m.expect(re.escape(b"outw!: ACPI PM1a_CNT (PIIX4 PMCNTRL), port 0x604: "
                       b"SLP_EN (bit 13) set enters sleep state SLP_TYP: 0 "
                       b"powers the PC off, 1 suspends it; writing it as "
                       b"asked") + rb"\r?\n"
             + re.escape(b"outw!(0x0604, 0x2000)"))
    assert m.wait_exit() == 0       # QEMU's power-off


def test_forced_reset_says_so_then_does_it(machine_factory):
    m = machine_factory()           # -no-reboot: a reset ends QEMU
    m.wait_prompt(30)
    m.send("outb! 0x64 0xfe\r")
    m.expect(re.escape(b"outb!(0x0064, 0xfe)"))
    assert m.wait_exit() == 0
    text = m.text()
    assert "8042 command 0xF0-0xFF (pulse output port), port 0x64: output " \
           "port bit 0 pulsed low resets the CPU; writing it as asked" in text
