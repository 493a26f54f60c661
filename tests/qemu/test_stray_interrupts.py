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
