"""The AHCI SATA controller of q35 (claim C7 with a memory-mapped bus
master): sectors of a random image read by READ DMA EXT through one
command slot must match the image, the CPU must have programmed the
transfer with `mov` to the ABAR alone (QEMU's trace of the 'ahci' region
counts what `disk read` prints as mov=), completion comes by MSI (or by
polling PxCI when the 8259 delivers interrupts), and bad input gets one
error line while the kernel lives on."""

import os
import re
import sys
import time
import zlib

import pytest

from iospace import ROOT, SECTOR, Machine, ahci_disk, ide_disk

sys.path.insert(0, os.path.join(ROOT, "tools"))
import bench  # noqa: E402  (tools/bench.py, `make bench`)

DISK_SECTORS = 4096                 # a 2 MiB image
DISK_READ_RE = re.compile(
    r"disk read lba=(\d+) count=(\d+) mode=dma bytes=(\d+) "
    r"crc32=0x([0-9a-f]{8}) cycles=(\d+|n/a) in=0 out=0 mov=(\d+) "
    r"irqs=(\d+) engine=memory prd=(\d+)")
Q35 = ["-M", "q35"]
# Port registers (AHCI 1.3.1, 3.3): port p at 0x100 + 0x80 * p.
PX_IS, PX_CI = 0x10, 0x38
PORT_BASE, PORT_SIZE = 0x100, 0x80
UART_SCRATCH = 0x3FF                # the trace's marker: outb there
MARK = 0xA5


@pytest.fixture(scope="module")
def disk_image(tmp_path_factory):
    data = os.urandom(DISK_SECTORS * SECTOR)
    path = tmp_path_factory.mktemp("ahci") / "random.img"
    path.write_bytes(data)
    return str(path), data


@pytest.fixture(scope="module")
def sata(disk_image):
    path, data = disk_image
    m = Machine(extra=[*Q35, *ahci_disk(path)])
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
    assert int(f[3]) == count * SECTOR
    assert int(f[4], 16) == zlib.crc32(data[lba * SECTOR:(lba + count) * SECTOR]), f[0]


def test_boot_line_names_the_port_and_the_disk(sata):
    assert re.search(rf'disk: AHCI port 0: "QEMU HARDDISK", {DISK_SECTORS} '
                     r"sectors of 512 bytes; ABAR 0x[0-9a-f]{8} \(mov\), MSI",
                     sata.text()), sata.text()[-2000:]


def test_disk_info(sata):
    out = sata.command("disk")
    assert out == sata.command("disk info")
    assert re.search(r"AHCI 1\.0 HBA 8086:2922 at 00:1f\.2, ABAR 0x[0-9a-f]{8} "
                     r"\(4096 bytes, mov\), 6 ports implemented \(PI "
                     r"0x0000003f\), 32 command slots", out), out
    assert ("port 0: PxSSTS 0x113, PxSIG 0x00000101 (an ATA disk); model "
            f'"QEMU HARDDISK", {DISK_SECTORS} sectors of 512 bytes') in out
    assert "completion by MSI" in out


@pytest.mark.parametrize("lba,count", [
    (0, 1), (1, 1), (7, 3), (100, 16), (0, 256), (1000, 255),
    (DISK_SECTORS - 1, 1), (DISK_SECTORS - 256, 256),
])
def test_read_matches_the_image(sata, lba, count):
    f = disk_read(sata, f"{lba} {count}")
    expect_image(f, sata.data)
    # One PRD entry (up to 4 MiB; the 128 KiB buffer never needs two),
    # one message, and a handful of register accesses whatever the count:
    # the HBA moves the data, the CPU only rings the doorbell.
    assert int(f[8]) == 1 and int(f[7]) == 1
    assert int(f[6]) <= 12, f[0]


def test_dma_is_the_default_and_the_only_mode(sata):
    f = disk_read(sata, "5")
    assert int(f[2]) == 1
    expect_image(f, sata.data)
    expect_image(disk_read(sata, "5 dma"), sata.data)
    out = sata.command("disk read 5 1 pio")
    assert out == ("error: disk read: pio: this machine's disk controller is "
                   "AHCI, with no IDE-compatible ports to read through (use "
                   "dma)"), out


@pytest.mark.parametrize("args,why", [
    (f"{DISK_SECTORS} 1", "past the end of the disk"),
    (f"{DISK_SECTORS - 1} 2", "past the end of the disk"),
    ("4294967295 1", "past the end of the disk"),
    ("0 0", "a count of 0 sectors"),
    ("0 257", "COUNT 257: at most 256 sectors"),
    ("0 1 fast", "mode 'fast': must be pio or dma"),
])
def test_bad_input_is_one_error_line(sata, args, why):
    out = sata.command(f"disk read {args}")
    assert out.startswith("error: ") and why in out and "\n" not in out, out
    expect_image(disk_read(sata, "9 2"), sata.data)


def test_kernel_trace_names_the_registers(sata):
    """The kernel's own I/O trace names the AHCI registers as the
    specification does: PxIS cleared, then the doorbell PxCI."""
    for c in ("trace clear", "trace on", "disk read 3 1", "trace off"):
        sata.command(c)
    rows = [r for r in sata.command("trace dump 8192", timeout=60).split("\n")
            if re.search(r" ahci +\S+$", r)]
    assert all(re.search(r"MMIO mov 32 0x[0-9a-f]{8} (->|<-) 0x[0-9a-f]{8}  "
                         r"ahci +(PxIS|PxCI|IS)$", r) for r in rows), rows
    writes = [r.split()[-1] + r.split()[-3] for r in rows if "<-" in r]
    assert writes[:2] == ["PxIS0xffffffff", "PxCI0x00000001"], rows


def test_bench_times_the_same_sectors_through_ahci(sata):
    """bench's disk rows on q35: the floppy track's 18 sectors by the AHCI
    controller, programmed with mov only (no in, no out)."""
    out = sata.command("bench", timeout=120)
    assert "read 5 times by the AHCI controller" in out, out
    row = next(l for l in out.split("\n") if l.startswith("sata-dma"))
    m = re.match(r"sata-dma +DMA +mov +\d+ +\d+ +0 +0  AHCI writes memory, "
                 r"(\d+) mov$", row)
    assert m and int(m[1]) >= 9, row
    # What one sector cost: the row's medians over 18, the mov count too.
    assert re.search(rf"^per sector: sata-dma \d+\.\d cycles, 0\.0 in, "
                     rf"0\.0 out, {int(m[1]) / 18:.1f} mov$", out, re.M), out
    # tools/bench.py (`make bench`) reads the row as a disk row.
    figures = bench.parse(out)
    assert [(r["row"], r["in"], r["out"], r["unit"])
            for r in figures["disk"]] == [
        ("sata-dma", 0, 0, "cycles per 18 sectors")]
    expect_image(disk_read(sata, "0 18"), sata.data)


def test_trace_shows_mov_to_the_abar_and_no_port_io_to_the_disk(disk_image):
    """QEMU's own trace of the read: the kernel's device accesses between
    two marker writes. Every access to the disk controller is a 32-bit
    access to the 'ahci' region (BAR5, memory); none goes to its I/O BAR
    ('ahci-idp') or to an IDE port; the doorbell is written once, and
    QEMU counts exactly the mov= the command printed."""
    path, data = disk_image
    with Machine(trace=True, extra=[*Q35, *ahci_disk(path)]) as m:
        m.wait_prompt(timeout=30)
        m.command(f"outb {UART_SCRATCH:#x} {MARK:#x}")
        f = disk_read(m, "33 17")
        m.command(f"outb {UART_SCRATCH:#x} {MARK:#x}")
        m.quit()
        accesses = m.kernel_accesses()
    expect_image(f, data)
    marks = [i for i, a in enumerate(accesses)
             if a.name == "serial" and a.op == "write"
             and a.addr == UART_SCRATCH and a.value == MARK]
    assert len(marks) >= 2, "marker writes not in the trace"
    window = accesses[marks[-2] + 1:marks[-1]]
    hba = [a for a in window if a.name == "ahci"]
    assert len(hba) == int(f[6]), (f[0], hba)
    assert all(a.size == 4 for a in hba), hba
    names = {a.name for a in window}
    assert not names & {"ahci-idp", "ide", "piix-bmdma", "bmdma"}, names
    doorbell = [a for a in hba if a.op == "write"
                and (a.addr - PORT_BASE) % PORT_SIZE == PX_CI]
    assert [a.value for a in doorbell] == [1], doorbell
    # The status is cleared before the doorbell rings (write 1 to clear).
    first_is = next(a for a in hba if (a.addr - PORT_BASE) % PORT_SIZE == PX_IS)
    assert first_is.op == "write" and hba.index(first_is) < hba.index(doorbell[0])


def test_disk_on_another_port_and_if_ide(disk_image):
    """The first port with a disk is used; q35's `-drive if=ide` is an AHCI
    port too (ide.0-ide.5 are its ports)."""
    path, data = disk_image
    with Machine(extra=[*Q35, *ahci_disk(path, port=3)]) as m:
        m.wait_prompt(timeout=30)
        assert "disk: AHCI port 3: " in m.text()
        expect_image(disk_read(m, "77 4"), data)
    with Machine(extra=[*Q35, *ide_disk(path)]) as m:
        m.wait_prompt(timeout=30)
        assert "disk: AHCI port 0: " in m.text()
        expect_image(disk_read(m, "12 1 dma"), data)


def test_polled_without_msi(disk_image):
    """irq=pic: the 8259 delivers, no Local APIC takes messages, so the
    driver polls PxCI (bounded) and takes no interrupt."""
    path, data = disk_image
    with Machine(append="irq=pic", extra=[*Q35, *ahci_disk(path)]) as m:
        m.wait_prompt(timeout=30)
        assert "MSI" not in re.search(r"disk: AHCI port 0: .*", m.text())[0]
        assert "(mov), PxCI polled" in m.text()
        f = disk_read(m, "40 8")
        expect_image(f, data)
        assert int(f[7]) == 0


def test_no_disk_on_any_port():
    """q35 with no drive given: its CD-ROM drive (an ATAPI device) is on
    port 2, and no disk anywhere."""
    with Machine(extra=Q35) as m:
        m.wait_prompt(timeout=30)
        why = ("AHCI 1.0 at 00:1f.2: no SATA disk on ports 0-5: port 2: an "
               "ATAPI device (PxSIG 0xeb140101), not a disk")
        assert f"disk: none: {why}" in m.text()
        assert m.command("disk read 0") == f"error: disk read: {why}"
        assert m.command("disk").endswith(f"error: disk: {why}")
        assert m.command("inb 0x3ff") == "inb(0x03ff) = 0x00"


def test_a_port_that_never_answers(disk_image):
    """The image throttled to 8 KiB/s: QEMU lets the first read of 64 KiB
    through at once, then holds the next one until the 64 KiB are paid
    for, about 8 s. The driver gives up after 5 s with one error line,
    refuses the next command while the slot is still busy, and reads
    again once the HBA has finished the old one."""
    path, data = disk_image
    drive = [f"file={path},if=none,id=slow,format=raw,snapshot=on,"
             "throttling.bps-read=8192"]
    with Machine(extra=[*Q35, "-drive", *drive, "-device",
                        "ide-hd,drive=slow,bus=ide.0"]) as m:
        m.wait_prompt(timeout=30)
        expect_image(disk_read(m, "0 128"), data)
        t = time.monotonic()
        out = m.command("disk read 1 1", timeout=30)
        assert time.monotonic() - t >= 4.5
        assert out == ("error: disk read: port 0: READ DMA EXT not done "
                       "after 5000 ms (PxCI 0x00000001, PxIS 0x00000000, "
                       "PxTFD 0x0050)"), out
        out = m.command("disk read 2 1")
        assert out == ("error: disk read: port 0: READ DMA EXT not issued: "
                       "the command that timed out still runs (PxCI "
                       "0x00000001)"), out
        assert m.command("inb 0x3ff") == "inb(0x03ff) = 0x00"
        deadline = time.monotonic() + 40
        out = m.command("disk read 3 1")
        while out.startswith("error:") and time.monotonic() < deadline:
            time.sleep(1)
            out = m.command("disk read 3 1")
        f = DISK_READ_RE.fullmatch(out)
        assert f, out
        expect_image(f, data)
