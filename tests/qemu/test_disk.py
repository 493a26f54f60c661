"""The ATA disk on the primary IDE channel (claim C7 with first-party
DMA): IDENTIFY DEVICE, sectors of a random image read by the CPU (PIO) and
by the controller as bus master (DMA) must match the image, bad input gets
one error line, and QEMU's trace shows who moved the data."""

import os
import re
import zlib

import pytest

from iospace import SECTOR, Machine, ide_disk

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
