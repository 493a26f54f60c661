"""The ATA disk on the primary IDE channel (claim C7 with first-party
DMA): IDENTIFY DEVICE, sectors of a random image read by the CPU (PIO) and
by the controller as bus master (DMA) must match the image, bad input gets
one error line, and QEMU's trace shows who moved the data."""

import os
import re
import subprocess
import sys
import zlib

import pytest

from iospace import ELF, ROOT, SECTOR, Machine, ide_disk

sys.path.insert(0, os.path.join(ROOT, "tools"))
import bench  # noqa: E402  (tools/bench.py, `make bench`)

DISK_SECTORS = 2048                 # a 1 MiB image
DISK_READ_RE = re.compile(
    r"disk read lba=(\d+) count=(\d+) mode=(pio|dma) bytes=(\d+) "
    r"crc32=0x([0-9a-f]{8}) cycles=(\d+|n/a) in=(\d+) out=(\d+) mov=(\d+) "
    r"irqs=(\d+) engine=(none|ports) prd=(\d+)")
ATA_DATA = 0x1F0
ATA_COMMAND = 0x1F7
READ_SECTORS, READ_DMA = 0x20, 0xC8
# IO APIC input 14 (the disk's, identity-routed under QEMU): the low half
# of its redirection entry as IOREGSEL selects it, and its mask bit.
IOAPIC_REDTBL_LOW_GSI14 = 0x10 + 2 * 14
IOAPIC_RTE_MASKED = 1 << 16
# The bus-master registers at BAR4 (PIIX4 data sheet 5.2), as QEMU names
# their regions: BMIC and BMIS in 'piix-bmdma', BMIDTP in 'bmdma'.
BMIC, BMIS, BMIDTP = 0, 2, 4
BMIC_STOP_WRITE, BMIC_START_WRITE = 0x08, 0x09
BMIS_INTERRUPT = 0x04
PRD_EOT = 0x80000000
# Port 0x80 writes around a command: QEMU's trace of what lies between.
MARK_BEFORE, MARK_AFTER = 0x5A, 0xA5


@pytest.fixture(scope="module")
def disk_image(tmp_path_factory):
    data = os.urandom(DISK_SECTORS * SECTOR)
    path = tmp_path_factory.mktemp("disk") / "random.img"
    path.write_bytes(data)
    return str(path), data


@pytest.fixture(scope="module")
def hd(disk_image):
    path, data = disk_image
    m = Machine(extra=ide_disk(path))
    try:
        m.wait_prompt(timeout=30)
        m.data = data
        yield m
    finally:
        m.close()


def disk_read(m, args):
    out = m.command(f"disk read {args}")
    f = DISK_READ_RE.fullmatch(out)
    assert f, out
    return f


def expect_image(f, data):
    lba, count = int(f[1]), int(f[2])
    assert int(f[4]) == count * SECTOR
    want = data[lba * SECTOR:(lba + count) * SECTOR]
    assert int(f[5], 16) == zlib.crc32(want), f[0]


def test_boot_line_identifies_the_disk(hd):
    assert (f'disk: primary master: "QEMU HARDDISK", {DISK_SECTORS} sectors '
            'of 512 bytes, LBA48, DMA; ports 0x1f0-0x1f7 and 0x3f6, IRQ 14'
            in hd.text())


def test_disk_info(hd):
    out = hd.command("disk")
    assert out == hd.command("disk info")
    assert 'model "QEMU HARDDISK"' in out
    assert f"{DISK_SECTORS} sectors of 512 bytes by 28-bit LBA" in out
    assert f"48-bit LBA: supported, {DISK_SECTORS} sectors" in out
    assert "DMA: supported" in out


@pytest.mark.parametrize("lba,count", [
    (0, 1), (1, 1), (7, 3), (100, 16), (0, 256), (DISK_SECTORS - 1, 1),
    (DISK_SECTORS - 256, 256),
])
def test_pio_reads_the_image(hd, lba, count):
    f = disk_read(hd, f"{lba} {count} pio")
    expect_image(f, hd.data)
    # Every word by the CPU: per sector one Status read after IRQ 14 and
    # 256 `in` from the Data register; one Status poll before the command
    # and one after the last sector. The outs: Device, the settle delay,
    # Sector Count, LBA Low/Mid/High, Command, the settle delay.
    assert int(f[7]) == 257 * count + 2
    assert int(f[8]) == 8
    assert int(f[9]) == 0 and f[11] == "none" and int(f[12]) == 0
    assert int(f[10]) == count          # one IRQ 14 per sector


def test_default_count_and_mode(hd):
    f = disk_read(hd, "5")
    assert f[2] == "1" and f[3] == "pio"
    expect_image(f, hd.data)
    f = disk_read(hd, "6 pio")
    assert f[2] == "1" and f[3] == "pio"
    expect_image(f, hd.data)


@pytest.mark.parametrize("args,error", [
    ("disk read", "usage: disk read LBA [COUNT] [pio|dma]"),
    ("disk read x", "disk read: LBA 'x': not a number"),
    ("disk read 0 1x", "disk read: COUNT '1x': not a number"),
    ("disk read 0 0", "disk read: a read is 1-256 sectors, not 0"),
    ("disk read 0 257", "disk read: a read is 1-256 sectors, not 257"),
    (f"disk read {DISK_SECTORS} 1",
     f"disk read: sectors {DISK_SECTORS}-{DISK_SECTORS} are past the end "
     f"of the disk (sectors 0-{DISK_SECTORS - 1})"),
    (f"disk read {DISK_SECTORS - 1} 2", "are past the end of the disk"),
    ("disk read 4294967295 2", "are past the end of the disk"),
    ("disk read 0 1 fast", "disk read: mode 'fast': must be pio or dma"),
    ("disk read 0 1 pio x", "usage: disk"),
    ("disk write 0", "usage: disk [info], or disk read LBA"),
])
def test_bad_input_is_one_error_line(hd, args, error):
    out = hd.command(args)
    assert out.startswith("error: ") and "\n" not in out, out
    assert error in out, out
    # ...and the disk still reads.
    expect_image(disk_read(hd, "3 2 pio"), hd.data)


def test_no_disk(machine_factory):
    m = machine_factory()
    m.wait_prompt(timeout=30)
    assert ("disk: none: no disk on the primary IDE channel (status 0x00 at "
            "port 0x1f7)" in m.text())
    for args in ("disk", "disk read 0", "disk read 0 1 dma"):
        out = m.command(args)
        assert out.startswith("error: ") and "no disk on the primary IDE" in out
        assert "\n" not in out
    assert m.command("inb 0x3ff").startswith("inb(0x03ff)")


def test_a_cd_rom_is_not_a_disk(machine_factory):
    """An ATAPI drive on the primary master aborts IDENTIFY DEVICE and
    leaves its signature: said, not read."""
    m = machine_factory(extra=["-drive", "if=ide,index=0,media=cdrom"])
    m.wait_prompt(timeout=30)
    assert ("disk: none: the primary master is an ATAPI device (a CD-ROM "
            "drive): iospace reads ATA disks" in m.text())


def mask_irq14(m):
    m.command(f"poke 0xfec00000 {IOAPIC_REDTBL_LOW_GSI14:#x}")
    rte = m.command("peek 0xfec00010").split()[-1]
    m.command(f"poke 0xfec00010 {int(rte, 16) | IOAPIC_RTE_MASKED:#x}")
    return rte


def test_a_lost_irq_14_is_an_error_and_the_disk_reads_after(hd):
    rte = mask_irq14(hd)
    out = hd.command("disk read 0 1 pio")
    assert out == ("error: disk read: no IRQ 14 within 1000 ms after READ "
                   "SECTORS"), out
    hd.command(f"poke 0xfec00000 {IOAPIC_REDTBL_LOW_GSI14:#x}")
    hd.command(f"poke 0xfec00010 {rte}")
    # The aborted read left the disk holding the sector in DRQ, ignoring
    # its registers: the driver's software reset after the error makes
    # the next read work.
    expect_image(disk_read(hd, "9 2 pio"), hd.data)


@pytest.mark.parametrize("append", ["irq=pic", ""])
def test_irq_14_in_both_modes(machine_factory, disk_image, append):
    path, data = disk_image
    m = machine_factory(append=append, extra=ide_disk(path))
    m.wait_prompt(timeout=30)
    f = disk_read(m, "10 4 pio")
    expect_image(f, data)
    assert int(f[10]) == 4
    row = re.search(r"^ +14 +ata +(\d+) +(\d+)$", m.command("irqs"), re.M)
    assert row, m.command("irqs")
    pic, apic = int(row[1]), int(row[2])
    assert (pic if append == "irq=pic" else apic) >= 4
    assert (apic if append == "irq=pic" else pic) == 0


# --- bus-master DMA ---------------------------------------------------------

def kernel_symbol(name):
    out = subprocess.run(["nm", ELF], check=True, capture_output=True,
                         text=True).stdout
    return int(re.search(rf"^([0-9a-f]+) \w {name}$", out, re.M)[1], 16)


@pytest.mark.parametrize("lba,count", [
    (0, 1), (1, 1), (7, 3), (100, 16), (0, 128), (0, 256),
    (DISK_SECTORS - 1, 1), (DISK_SECTORS - 256, 256),
])
def test_dma_reads_the_image(hd, lba, count):
    f = disk_read(hd, f"{lba} {count} dma")
    expect_image(f, hd.data)
    # The CPU moved no data: a handful of port accesses for any count, one
    # interrupt, and the DMA engine programmed through ports.
    assert int(f[7]) == 4 and int(f[8]) == 14, f[0]
    assert int(f[9]) == 0 and int(f[10]) == 1 and f[11] == "ports"
    # disk_buf starts on a 64 KiB boundary: past 128 sectors, two entries.
    assert int(f[12]) == (1 if count <= 128 else 2)


def test_pio_and_dma_give_the_same_bytes(hd):
    pio = disk_read(hd, "300 64 pio")
    dma = disk_read(hd, "300 64 dma")
    assert pio[5] == dma[5]
    expect_image(dma, hd.data)


def test_disk_info_names_the_bus_master(hd):
    out = hd.command("disk")
    assert re.search(r"^  bus master: PCI 00:01\.1 BAR4: BMIDE at ports "
                     r"0x[0-9a-f]{4}-0x[0-9a-f]{4}, bus master enabled$", out,
                     re.M), out
    # BAR4 in configuration space is where the driver found the engine.
    base = int(re.search(r"BMIDE at ports (0x[0-9a-f]{4})", out)[1], 16)
    bar4 = int(hd.command("pcicfg 00:01.1 0x20").split()[2], 16)
    assert bar4 & ~0x3 == base, (hex(bar4), hex(base))


def traced(m, command):
    """Runs a monitor command between two marker writes to port 0x80."""
    m.command(f"outb 0x80 {MARK_BEFORE:#x}")
    out = m.command(command)
    m.command(f"outb 0x80 {MARK_AFTER:#x}")
    return out


def between_markers(accesses):
    """The accesses between the marker writes (each pair once)."""
    groups, current = [], None
    for a in accesses:
        if a.name == "ioport80" and a.op == "write":
            if a.value == MARK_BEFORE:
                current = []
            elif a.value == MARK_AFTER and current is not None:
                groups.append(current)
                current = None
            continue
        if current is not None:
            current.append(a)
    return groups


@pytest.fixture(scope="module")
def traced_reads(disk_image):
    """A PIO read and a DMA read of 200 sectors (a buffer that needs two PRD
    entries), each with QEMU's trace of the device accesses it made; and
    the PRD table the DMA left in memory, read by QEMU."""
    path, data = disk_image
    m = Machine(trace=True, extra=ide_disk(path))
    try:
        m.wait_prompt(timeout=30)
        pio = DISK_READ_RE.fullmatch(traced(m, "disk read 40 200 pio"))
        dma = DISK_READ_RE.fullmatch(traced(m, "disk read 40 200 dma"))
        assert pio and dma
        base = int(re.search(r"BMIDE at ports (0x[0-9a-f]{4})",
                             m.command("disk"))[1], 16)
        table_at = kernel_symbol("prd_table")
        table = m.read_phys(table_at, 4, "w")
        m.quit()
        groups = between_markers(m.kernel_accesses())
        assert len(groups) == 2
        yield {"pio": (pio, groups[0]), "dma": (dma, groups[1]),
               "bmide": base, "table": table, "table_at": table_at,
               "data": data}
    finally:
        m.close()


def test_trace_pio_moves_every_word_through_the_cpu(traced_reads):
    f, accesses = traced_reads["pio"]
    expect_image(f, traced_reads["data"])
    data_reads = [a for a in accesses if a.name == "ide" and a.op == "read"
                  and a.addr == ATA_DATA]
    assert len(data_reads) == 200 * 256
    assert not [a for a in accesses if "bmdma" in a.name]
    commands = [a.value for a in accesses if a.name == "ide"
                and a.op == "write" and a.addr == ATA_COMMAND]
    assert commands == [READ_SECTORS]


def test_trace_dma_programs_the_engine_and_moves_no_data(traced_reads):
    f, accesses = traced_reads["dma"]
    expect_image(f, traced_reads["data"])
    base = traced_reads["bmide"]
    assert not [a for a in accesses if a.name == "ide" and a.addr == ATA_DATA]
    steps = [(a.op, a.addr - base, a.value) for a in accesses
             if "bmdma" in a.name]
    # Table pointer, stop (direction: write memory), clear the status,
    # then after READ DMA the start; after IRQ 14 stop, status, clear.
    assert steps == [
        ("write", BMIDTP, traced_reads["table_at"]),
        ("write", BMIC, BMIC_STOP_WRITE),
        ("read", BMIS, steps[2][2]),
        ("write", BMIS, 0x06),
        ("write", BMIC, BMIC_START_WRITE),
        ("write", BMIC, BMIC_STOP_WRITE),
        ("read", BMIS, steps[6][2]),
        ("write", BMIS, 0x06),
    ], steps
    assert steps[6][2] & BMIS_INTERRUPT
    ide_writes = [(a.addr, a.value) for a in accesses if a.name == "ide"
                  and a.op == "write" and a.addr == ATA_COMMAND]
    assert ide_writes == [(ATA_COMMAND, READ_DMA)]
    # The command came after the engine was set up and before its start.
    order = [a for a in accesses if "bmdma" in a.name
             or (a.name == "ide" and a.addr == ATA_COMMAND
                 and a.op == "write")]
    assert [a.name for a in order][3:6] == ["piix-bmdma", "ide",
                                            "piix-bmdma"]


def test_the_prd_table_splits_at_64_kib(traced_reads):
    """200 sectors into a buffer on a 64 KiB boundary: a whole 64 KiB
    region (count field 0), then the rest with the end-of-table bit."""
    buf = kernel_symbol("disk_buf")
    assert buf % 0x10000 == 0
    t = traced_reads["table"]
    assert t[0] == buf and t[1] == 0
    assert t[2] == buf + 0x10000 and t[3] == PRD_EOT | (200 * SECTOR - 0x10000)


def test_dma_with_irq_14_masked_is_an_error_and_dma_reads_after(hd):
    rte = mask_irq14(hd)
    out = hd.command("disk read 0 4 dma")
    assert out == ("error: disk read: READ DMA: the transfer ended (BMIS "
                   "0x04: interrupt) but IRQ 14 never arrived: is the line "
                   "masked?"), out
    hd.command(f"poke 0xfec00000 {IOAPIC_REDTBL_LOW_GSI14:#x}")
    hd.command(f"poke 0xfec00010 {rte}")
    expect_image(disk_read(hd, "11 5 dma"), hd.data)


def test_q35_has_no_ide_channel(machine_factory, disk_image):
    """q35's disk controller is AHCI (tests/qemu/test_ahci.py): no IDE
    ports answer there, so the boot line and `disk` speak of AHCI, and
    pio is an error."""
    m = machine_factory(extra=["-machine", "q35"])
    m.wait_prompt(timeout=30)
    assert "disk: none: AHCI 1.0 at 00:1f.2: no SATA disk" in m.text()
    out = m.command("disk read 0 1 pio")
    assert out.startswith("error: disk read: pio: this machine's disk "
                          "controller is AHCI"), out


def test_bench_rows_for_the_disk(hd):
    """bench reads a floppy track's worth of sectors each way: by the bus
    master a few port accesses, by the CPU an `in` per word."""
    out = hd.command("bench", timeout=60)
    assert re.search(r"^disk: 18 sectors \(LBA 0-17, 9216 bytes\) read 5 "
                     r"times each way, as above$", out, re.M), out
    dma = re.search(r"^hd-dma +DMA +none +(\d+) +(\d+) +(\d+) +(\d+)  IDE bus "
                    r"master writes$", out, re.M)
    pio = re.search(r"^hd-pio +PMIO +in +(\d+) +(\d+) +(\d+) +(\d+)  CPU "
                    r"moves each word$", out, re.M)
    assert dma and pio, out
    assert (int(dma[3]), int(dma[4])) == (4, 14)
    assert (int(pio[3]), int(pio[4])) == (18 * 257 + 2, 8)
    assert int(dma[2]) < int(pio[2])
    assert re.search(r"^hd-pio/hd-dma: x1157\.0 the in instructions, "
                     r"x\d+\.\d the cycles$", out, re.M), out
    # Per sector: the row's medians over 18 (4/18 and 14/18 for the bus
    # master's setup, 257 words and a status read each for the CPU).
    assert re.search(r"^per sector: hd-dma \d+\.\d cycles, 0\.2 in, 0\.8 out\n"
                     r" {12}hd-pio \d+\.\d cycles, 257\.1 in, 0\.4 out$",
                     out, re.M), out
    # tools/bench.py (`make bench`) reads both as disk rows.
    figures = bench.parse(out)
    assert [(r["row"], r["in"], r["out"], r["unit"])
            for r in figures["disk"]] == [
        ("hd-dma", 4, 14, "cycles per 18 sectors"),
        ("hd-pio", 18 * 257 + 2, 8, "cycles per 18 sectors")]
    assert figures["disk_skipped"] is None


def test_a_sector_the_disk_cannot_read(machine_factory, disk_image,
                                       tmp_path):
    """QEMU's blkdebug driver fails every read of sector 100 with EIO; the
    disk reports it (ERR, and ABRT in the Error register, as QEMU's IDE
    model says a failed read), the driver turns it into one error line in
    either mode, and the sectors around it still read."""
    path, data = disk_image
    conf = tmp_path / "blkdebug.conf"
    conf.write_text('[inject-error]\nevent = "read_aio"\nerrno = "5"\n'
                    'sector = "100"\n')
    m = machine_factory(extra=[
        "-drive", f"file=blkdebug:{conf}:{path},if=ide,index=0,format=raw,"
        "snapshot=on"])
    m.wait_prompt(timeout=30)
    for mode, command in (("pio", "READ SECTORS"), ("dma", "READ DMA")):
        for args in (f"100 1 {mode}", f"96 8 {mode}"):
            assert m.command(f"disk read {args}") == (
                f"error: disk read: {command}: command aborted (ABRT) "
                "(status 0x41, error 0x04)")
        expect_image(disk_read(m, f"92 8 {mode}"), data)
        expect_image(disk_read(m, f"101 8 {mode}"), data)
