"""Interrupts the kernel did not ask for: a vector with no handler, an NMI,
an interrupt on a CPU exception vector. Each is reported and the kernel
goes on, its tick and its consoles alive."""

import time


def assert_ticking(m):
    """The tick advances and the serial line (IRQ 4) still answers."""
    first = int(m.command("ticks", timeout=5))
    deadline = time.monotonic() + 2
    while time.monotonic() < deadline:
        if int(m.command("ticks", timeout=5)) > first:
            return
        time.sleep(0.05)
    raise AssertionError(f"the tick stands at {first}")


def test_an_apic_vector_with_no_handler_gets_its_eoi(monitor):
    # A fixed self-IPI on vector 0x50, which has no handler. Without the
    # EOI its in-service bit would block every vector up to 0x5f: the
    # tick (0x40) and every ISA line (0x30-0x3f), so the monitor went deaf.
    out = monitor.command("poke 0xfee00300 0x44050", timeout=5)
    assert out == ("0xfee00300 <- 0x00044050\n"
                   "unexpected interrupt: vector 80, no handler; Local APIC "
                   "EOI sent"), out
    assert_ticking(monitor)
    out = monitor.command("poke 0xfee00300 0x440fd", timeout=5)
    assert out.endswith("vector 253, no handler; Local APIC EOI sent"), out
    assert_ticking(monitor)


def inject_nmi_and_check(m):
    m.qmp("inject-nmi")
    m.expect(rb"\*\*\* exception 2: NMI Interrupt\r?\n", timeout=5)
    m.expect(rb"NMI: continuing at [0-9a-f]{8}\r?\n", timeout=5)
    assert "unrecoverable" not in m.text()
    assert_ticking(m)


def test_an_nmi_gets_a_dump_and_the_kernel_goes_on(monitor):
    # In APIC mode the NMI comes through the Local APIC's LINT1.
    inject_nmi_and_check(monitor)
    inject_nmi_and_check(monitor)       # and again: the first one's IRET
                                        # unblocked NMIs


def test_an_nmi_in_pic_mode(machine_factory):
    m = machine_factory(append="irq=pic")
    m.wait_prompt(30)
    inject_nmi_and_check(m)


def test_an_apic_interrupt_on_an_exception_vector_is_not_an_exception(
        monitor):
    # Vector 0x13 (#XM) from a self-IPI: the guard asks for `!`, the
    # kernel takes it for the interrupt it is, not for a SIMD fault.
    out = monitor.command("poke 0xfee00300 0x44013")
    assert out.startswith("error: poke refused: Local APIC ICR: an IPI on "
                          "vector 16-31 to this CPU"), out
    out = monitor.command("poke! 0xfee00300 0x44013", timeout=5)
    assert out.endswith("\n0xfee00300 <- 0x00044013\n"
                        "interrupt on vector 19, the CPU's vector for #XM "
                        "SIMD Floating-Point Exception: the Local APIC "
                        "delivered it (its in-service bit was set); EOI "
                        "sent"), out
    assert "***" not in out
    assert_ticking(monitor)
