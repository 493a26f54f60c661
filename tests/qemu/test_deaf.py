"""The monitor never goes deaf (issue 12): with the interrupts that
bring its input masked, or with no interrupt at all to wake the CPU from
HLT, the console polls the UART and the 8042 itself (kernel/console.c):
every tenth of a second while the tick runs, every millisecond when the
tick has stopped."""

import re

from test_keyboard import type_text

# The IO APIC's register select and the low halves of the redirection
# entries of ISA lines 1 and 4 (82093AA 3.2.4; identity-routed under QEMU),
# and their mask bit.
IOREGSEL, IOWIN = 0xFEC00000, 0xFEC00010
REDTBL_LOW = {1: 0x10 + 2 * 1, 4: 0x10 + 2 * 4}
RTE_MASKED = 1 << 16
# The Local APIC's Spurious Interrupt Vector Register: bit 8 clear turns
# the whole Local APIC off (SDM vol. 3A, 11.9).
LAPIC_SVR, SVR_SPURIOUS_ONLY = 0xFEE000F0, 0xFF


def answers(m):
    """The serial line and the keyboard both still reach the monitor."""
    assert re.fullmatch(r"inb\(0x03ff\) = 0x[0-9a-f]{2}",
                        m.command("inb 0x3ff", timeout=20))
    type_text(m, "inb 0x3ff\r")
    m.expect(rb"inb 0x3ff\r\ninb\(0x03ff\) = 0x[0-9a-f]{2}\r\niospace> ",
             timeout=20)


def test_all_8259_lines_masked(machine_factory):
    m = machine_factory(append="irq=pic")
    m.wait_prompt()
    m.command("outb 0x21 0xff")         # every master line, the tick too
    ticks = int(m.command("ticks"))
    answers(m)
    assert int(m.command("ticks")) == ticks


def test_io_apic_inputs_of_the_keyboard_and_com1_masked(machine_factory):
    m = machine_factory()
    m.wait_prompt()
    for line in (1, 4):
        m.command(f"poke {IOREGSEL:#x} {REDTBL_LOW[line]:#x}")
        rte = int(m.command(f"peek {IOWIN:#x}").split()[-1], 16)
        # The poke's own answer may come only by the console's poll now.
        m.command(f"poke {IOWIN:#x} {rte | RTE_MASKED:#x}", timeout=20)
    answers(m)


def test_the_local_apic_switched_off(machine_factory):
    m = machine_factory()
    m.wait_prompt()
    m.command(f"poke {LAPIC_SVR:#x} {SVR_SPURIOUS_ONLY:#x}")
    answers(m)
