"""Message-signalled interrupts with QEMU's edu device (issue 14, claim
C8's other side): the edu's interrupt is a memory write of its MSI data to
its MSI address. Aimed at a word of RAM, the word changes and nothing
interrupts; aimed at the Local APIC, QEMU's trace shows the same write
reaching the `apic-msi` region, and the vector it carries is counted by
`irqs` beside the lines. The INTx line works too, through either
controller."""

import re

import pytest

from iospace import Machine

EDU = ["-device", "edu"]
LAPIC = 0xFEE00000
MSI_VECTOR = 0x50               # IRQ_MSI_VECTOR_BASE: the first claimed
EDU_IRQ_RAISE, EDU_IRQ_ACK = 0x60, 0x64
MSI_DEMO_RAISE = 0x4            # what `msi` writes into the raise register
POISON = 0xDEADBEEF


@pytest.fixture(scope="module")
def edu():
    m = Machine(trace=True, extra=EDU)
    try:
        m.wait_prompt()
        m.msi_out = m.command("msi")
        yield m
    finally:
        m.close()


def test_the_edu_is_found_by_its_ids_and_bar0(edu):
    first = edu.msi_out.splitlines()[:2]
    assert re.fullmatch(r"edu at 00:0[0-9a-f]\.0 \(1234:11e8, version 1\.0\): "
                        r"BAR0 0x[0-9a-f]{8}, size 0x100000", first[0]), first
    # QEMU's msi_init(pdev, 0, 1, true, false): 64-bit, placed at 0x40.
    assert first[1] == "  MSI capability at 0x40, 64-bit address"
    bar0 = int(re.search(r"BAR0 (0x[0-9a-f]+)", first[0])[1], 16)
    lspci = edu.command("lspci")
    assert re.search(rf"1234:11e8 .*\n    BAR0 mem32 {bar0:#010x} size "
                     r"0x100000\n    capabilities: MSI@0x40", lspci), lspci


def test_the_message_is_decoded_bit_by_bit(edu):
    assert ("vector 0x50 claimed; its message: address 0xfee00000, data "
            "0x0050\n"
            "  address bits 31-20 0xfee: the Local APIC; 19-12 destination "
            "APIC ID 0;\n"
            "    bit 3 RH 0; bit 2 DM 0: physical\n"
            "  data bits 7-0 vector 0x50; 10-8 delivery mode 0: fixed;\n"
            "    bit 15 trigger mode 0: edge") in edu.msi_out


def test_aimed_at_ram_the_device_writes_its_data_word(edu):
    m = re.search(r"ram: MSI aimed at (0x[0-9a-f]{8}), a kernel word holding "
                  r"0xdeadbeef\n  raise: the edu wrote 0x00000050 there, its "
                  r"message data;\n    vector 0x50: 0 -> 0 interrupts \(RAM "
                  r"interrupts nobody\)", edu.msi_out)
    assert m, edu.msi_out
    # Read by QEMU itself, not by the kernel: the message data is in RAM.
    assert edu.read_phys(int(m[1], 16), 1, "w") == [MSI_VECTOR]


def test_aimed_at_the_local_apic_the_vector_arrives(edu):
    assert ("apic: MSI aimed at 0xfee00000, the Local APIC\n"
            "  raise: vector 0x50: 0 -> 1 interrupts; the handler "
            "acknowledged\n    interrupt status 0x00000004") in edu.msi_out
    out = edu.command("irqs")
    assert re.search(r"^ msi  device   Local APIC\n0x50  edu\s+1$", out,
                     re.M), out


def test_qemus_trace_shows_the_message_as_a_write_to_apic_msi(edu):
    seen = edu.kernel_accesses({"apic-msi", "edu-mmio"})
    # The kernel never writes the Local APIC's register 0 (reserved): a
    # write there is a message. QEMU 7.2's IO APIC delivers its lines by
    # such writes too (hw/intc/ioapic.c), on the ISA vectors 0x30-0x3f;
    # the edu's carries 0x50.
    messages = [i for i, a in enumerate(seen)
                if a.op == "write" and a.addr == LAPIC]
    assert all(0x30 <= seen[i].value <= 0x3F for i in messages
               if seen[i].value != MSI_VECTOR), seen
    messages = [i for i in messages if seen[i].value == MSI_VECTOR]
    assert [seen[i].size for i in messages] == [4], seen
    # It follows the raise written into the edu's BAR0 by mov, and the
    # handler's acknowledge follows it.
    i = messages[0]
    raise_ = seen[i - 1]
    assert raise_.name == "edu-mmio" and raise_.op == "write"
    assert (raise_.addr & 0xFFF, raise_.value) == (EDU_IRQ_RAISE,
                                                   MSI_DEMO_RAISE)
    acks = [a for a in seen[i:] if a.name == "edu-mmio"
            and a.op == "write" and a.addr & 0xFFF == EDU_IRQ_ACK]
    assert acks and acks[0].value == MSI_DEMO_RAISE
    # Aimed at RAM, the same raise made no access QEMU traces: RAM is no
    # device. Two raises in all, one message the trace shows.
    raises = [a for a in seen if a.name == "edu-mmio" and a.op == "write"
              and a.addr & 0xFFF == EDU_IRQ_RAISE]
    assert len(raises) == 2


def test_each_message_gets_its_eoi(edu):
    # Without the Local APIC's EOI the vector's in-service bit would hold
    # back the next message (and the tick).
    for n in (2, 3):
        out = edu.command("msi apic")
        assert f"vector 0x50: {n - 1} -> {n} interrupts" in out, out
    ticks = int(edu.command("ticks"))
    assert int(edu.command("ticks")) >= ticks


def test_the_intx_line_through_the_io_apic(edu):
    out = edu.command("msi line")
    m = re.search(r"line: MSI off; INTA# on ISA line (\d+) \(the interrupt "
                  r"line register\),\n    through the IO APIC\n  raise: line "
                  r"\1: 0 -> 1 interrupts; the handler acknowledged\n    "
                  r"interrupt status 0x00000004$", out)
    assert m, out
    line = int(m[1])
    irqs = edu.command("irqs")
    assert re.search(rf"^\s+{line}  edu\s+0\s+1$", irqs, re.M), irqs
    # MSI again: the line stays quiet, the vector counts.
    out = edu.command("msi apic")
    assert "vector 0x50: 3 -> 4 interrupts" in out, out
    irqs = edu.command("irqs")
    assert re.search(rf"^\s+{line}  edu\s+0\s+1$", irqs, re.M), irqs


def test_irq_pic_msi_needs_the_local_apic_the_line_works(machine_factory):
    m = machine_factory(append="irq=pic", extra=EDU)
    m.wait_prompt()
    for args in ("msi", "msi ram", "msi apic"):
        assert m.command(args) == (
            "error: msi: MSI needs the Local APIC, and the 8259 PIC delivers "
            "interrupts (irq=pic, or no APIC)")
    out = m.command("msi line")
    assert re.search(r"through the 8259 PIC\n  raise: line \d+: 0 -> 1 "
                     r"interrupts", out), out
    assert " msi " not in m.command("irqs")


def test_no_edu_or_bad_arguments_one_error_line(machine_factory):
    m = machine_factory()
    m.wait_prompt()
    for args, message in [
            ("msi", "error: msi: no edu device (QEMU: -device edu)"),
            ("msi line", "error: msi: no edu device (QEMU: -device edu)"),
            ("msi both", "error: usage: msi [line|ram|apic]"),
            ("msi ram apic", "error: usage: msi [line|ram|apic]")]:
        assert m.command(args) == message
    assert m.command("ticks").isdigit()


def test_q35_the_same_message_and_line(machine_factory):
    # PCI Express machine: configuration space by ECAM, the edu behind the
    # same MSI capability; INTA# reaches an ISA line through the ICH9.
    m = machine_factory(extra=["-M", "q35"] + EDU)
    m.wait_prompt()
    out = m.command("msi apic")
    # The AHCI controller claimed the first MSI vector at boot (0x50).
    assert ("  raise: vector 0x51: 0 -> 1 interrupts; the handler "
            "acknowledged\n    interrupt status 0x00000004") in out, out
    out = m.command("msi line")
    assert re.search(r"through the IO APIC\n  raise: line \d+: 0 -> 1 "
                     r"interrupts", out), out
