"""ISA DMA and the floppy controller (claim C7): sectors of a random image
read by DMA and by the CPU must match the image, the 8237 must be
programmed the way QEMU's trace shows, and the costs must differ the way
the two methods do."""

import re
import zlib

import pytest

from iospace import FLOPPY_BYTES, SECTOR, Machine, floppy_drive

FDREAD_RE = re.compile(
    r"fdread lba=(\d+) count=(\d+) mode=(dma|pio) bytes=(\d+) "
    r"crc32=0x([0-9a-f]{8}) cycles=(\d+|n/a) in=(\d+) out=(\d+) irqs=(\d+)")
SECTORS_PER_TRACK = 18
LAST_LBA = FLOPPY_BYTES // SECTOR - 1

# The 8237's registers (data sheet figures 6 and 7) and channel 2's page
# register (PC/AT), as QEMU's trace prints them: absolute port numbers.
CH2_ADDRESS, CH2_COUNT, SINGLE_MASK, MODE, CLEAR_FLIP_FLOP = 0x04, 0x05, 0x0A, 0x0B, 0x0C
CH2_PAGE = 0x81
MASK_CH2, UNMASK_CH2 = 0x06, 0x02
MODE_SINGLE_WRITE_CH2 = 0x46        # single, increment, no auto-init, write
FDC_FIFO = 0x3F5
# The mask bits of the Local APIC's LVT timer entry (SDM 11.5.1) and of an
# IO APIC redirection entry (82093AA 3.2.4), and the low half of the entry
# of input 6 (the floppy's, identity-routed under QEMU) as IOREGSEL selects it.
LVT_MASKED = IOAPIC_RTE_MASKED = 1 << 16
IOAPIC_REDTBL_LOW_GSI6 = 0x10 + 2 * 6
# READ DATA, MFM; drive 0 head 0; C0 H0 S1; 512-byte sectors; EOT 2;
# gap 0x1b; DTL 0xff.
READ_SECTORS_0_1 = [0x46, 0x00, 0, 0, 1, 2, 2, 0x1B, 0xFF]


def fdread(m, args, count):
    """Runs fdread; returns the figures and the dump lines."""
    out = m.command(f"fdread {args}").split("\n")
    f = FDREAD_RE.fullmatch(out[0])
    assert f, out[0]
    assert int(f[2]) == count and int(f[4]) == count * SECTOR
    return f, out[1:]


def mask_irq6(m):
    """Masks IO APIC input 6, the floppy's; returns the entry's low half
    as it was, for the poke that unmasks it."""
    m.command(f"poke 0xfec00000 {IOAPIC_REDTBL_LOW_GSI6:#x}")
    rte = m.command("peek 0xfec00010").split()[-1]
    m.command(f"poke 0xfec00010 {int(rte, 16) | IOAPIC_RTE_MASKED:#x}")
    return rte


def with_disk(machine_factory, floppy_image):
    """A machine of the test's own with the random image in drive A:."""
    path, data = floppy_image
    m = machine_factory(extra=floppy_drive(path))
    m.wait_prompt(timeout=30)
    return m, data


def expect_image(f, data):
    lba, count = int(f[1]), int(f[2])
    want = data[lba * SECTOR:(lba + count) * SECTOR]
    assert int(f[5], 16) == zlib.crc32(want), f[0]


@pytest.fixture(scope="module")
def fd(floppy_image):
    path, data = floppy_image
    # -icount: QEMU's clock counts guest instructions, so the TSC figures
    # are the same on every run and every host.
    m = Machine(extra=[*floppy_drive(path), "-icount", "shift=0"])
    try:
        m.wait_prompt(timeout=30)
        m.data = data
        yield m
    finally:
        m.close()


def test_boot_line_finds_the_drive_and_controller(fd):
    assert ('floppy: drive 0 is a 1.44 MB 3.5" drive (CMOS type 4); 82077AA '
            'controller (VERSION 0x90) at 0x3f0, IRQ 6, DMA channel 2'
            in fd.text())


@pytest.mark.parametrize("mode", ["dma", "pio"])
@pytest.mark.parametrize("lba", [0, 17, 18, 35, LAST_LBA])
def test_one_sector_matches_the_image(fd, lba, mode):
    f, dump = fdread(fd, f"{lba} 1 {mode}", 1)
    expect_image(f, fd.data)
    # The dump: 16 lines of an offset, 32 bytes in hex and as characters.
    assert len(dump) == SECTOR // 32
    got = bytearray()
    for i, line in enumerate(dump):
        m = re.fullmatch(r"([0-9a-f]{3}):((?: [0-9a-f]{2}){32})  (.{32})", line)
        assert m and int(m[1], 16) == 32 * i, line
        got += bytes(int(b, 16) for b in m[2].split())
    assert bytes(got) == fd.data[lba * SECTOR:(lba + 1) * SECTOR]


@pytest.mark.parametrize("mode", ["dma", "pio"])
@pytest.mark.parametrize("lba,count", [
    (0, 36),        # both tracks of cylinder 0: two READ DATA commands
    (30, 12),       # 6 sectors on C0 H1, then a seek and 6 on C1 H0
    (10, 18),       # across the head boundary inside cylinder 0
    (LAST_LBA - 35, 36),
])
def test_multi_sector_reads_split_at_tracks(fd, lba, count, mode):
    f, dump = fdread(fd, f"{lba} {count} {mode}", count)
    expect_image(f, fd.data)
    assert dump == []
    tracks = (lba + count - 1) // SECTORS_PER_TRACK - lba // SECTORS_PER_TRACK + 1
    # One IRQ 6 per READ DATA (QEMU raises it at the end of a DMA
    # transfer, and once at the start of a PIO one), plus one per seek.
    assert int(f[9]) >= tracks


def test_default_count_and_mode(fd):
    f, dump = fdread(fd, "5", 1)
    assert f[3] == "dma" and len(dump) == 16
    f, _ = fdread(fd, "5 pio", 1)
    assert f[3] == "pio"
    expect_image(f, fd.data)


def test_dma_and_pio_costs_differ(fd):
    """Claim C7 in figures: the same track, the same bytes; by DMA a few
    dozen port accesses and one interrupt, by PIO two `in` per byte (the
    MSR, then the FIFO), and the CPU cycles to match."""
    fdread(fd, "0 18", 18)                 # the head is on cylinder 0 now
    dma, _ = fdread(fd, "0 18 dma", 18)
    pio, _ = fdread(fd, "0 18 pio", 18)
    assert dma[5] == pio[5]
    track = SECTORS_PER_TRACK * SECTOR
    assert int(dma[7]) + int(dma[8]) < 64
    assert int(pio[7]) >= 2 * track
    assert int(dma[9]) == int(pio[9]) == 1
    assert 20 * int(dma[6]) < int(pio[6])
    # Deterministic under -icount: the same figures again.
    again, _ = fdread(fd, "0 18 pio", 18)
    assert again.groups()[5:] == pio.groups()[5:]


def test_dma_command_after_a_read(fd):
    f, _ = fdread(fd, "0 2 dma", 2)
    out = fd.command("dma")
    ch2 = re.search(r"^ 2  masked  single  write   inc\s+0x([0-9a-f]{2}) "
                    r"0x([0-9a-f]{4}) -> 0x([0-9a-f]{6})  0xffff bytes$",
                    out, re.M)
    assert ch2, out
    assert int(ch2[3], 16) == int(ch2[1] + ch2[2], 16)
    assert re.search(r"^ 4  open    cascade$", out, re.M)
    assert re.search(r"^status 0-3: 0x0[4-7]  terminal count: 2", out, re.M)
    # Reading the status cleared the terminal-count bit.
    assert "status 0-3: 0x00" in fd.command("dma")


@pytest.mark.parametrize("args,message", [
    ("2880", "LBA past the last sector"),
    ("0 0", "COUNT out of range"),
    ("0 37", "COUNT out of range"),
    ("2870 20", "runs past the last sector"),
    ("2879 2 pio", "runs past the last sector"),
    ("0 1 xyz", "mode 'xyz': must be dma or pio"),
    ("0 xyz", "COUNT 'xyz'"),
    ("-1", "LBA '-1'"),
    ("0 pio 3", "usage: fdread"),
])
def test_bad_arguments_give_one_error_line(fd, args, message):
    out = fd.command(f"fdread {args}")
    assert "\n" not in out and out.startswith("error: ") and message in out, out


def test_qemus_trace_shows_channel_2_programmed(floppy_image):
    path, data = floppy_image
    # Two sectors: a one-sector read also prints its dump, and every
    # character of it on the VGA screen would be in the trace.
    with Machine(extra=floppy_drive(path), trace=True) as m:
        m.wait_prompt(timeout=30)
        fdread(m, "0 2 pio", 2)            # also motor, recalibrate, seeks
        f, _ = fdread(m, "0 2 dma", 2)
        expect_image(f, data)
        fdread(m, "0 2 pio", 2)
        accesses = m.kernel_accesses({"dma-chan", "dma-cont", "dma-page",
                                      "fdc"})

    dma = [(a.name, a.addr, a.value) for a in accesses
           if a.op == "write" and a.name.startswith("dma")]
    # Only the DMA read masks channel 2 by itself (boot master-clears).
    first = dma.index(("dma-cont", SINGLE_MASK, MASK_CH2))
    dma = dma[first:]
    # mask, flip-flop, mode, address low/high, page, count low/high
    # (1023 = 0x03ff), unmask: then nothing else until the read is over.
    assert [(n, p) for n, p, _ in dma[:9]] == [
        ("dma-cont", SINGLE_MASK), ("dma-cont", CLEAR_FLIP_FLOP),
        ("dma-cont", MODE), ("dma-chan", CH2_ADDRESS),
        ("dma-chan", CH2_ADDRESS), ("dma-page", CH2_PAGE),
        ("dma-chan", CH2_COUNT), ("dma-chan", CH2_COUNT),
        ("dma-cont", SINGLE_MASK)]
    values = [v for _, _, v in dma[:9]]
    assert values[0] == MASK_CH2 and values[2] == MODE_SINGLE_WRITE_CH2
    assert values[6:8] == [0xFF, 0x03] and values[8] == UNMASK_CH2
    buffer = values[5] << 16 | values[4] << 8 | values[3]
    assert buffer % 0x10000 + 2 * SECTOR <= 0x10000 and buffer < 0x1000000
    # After the transfer the driver masks the channel again.
    assert dma[9] == ("dma-cont", SINGLE_MASK, MASK_CH2)

    # The FIFO: the same READ DATA bytes for the three reads; after them,
    # by PIO one read of the FIFO per data byte and the 7 result bytes, by
    # DMA the result bytes alone.
    fifo = [(a.op, a.value) for a in accesses
            if a.name == "fdc" and a.addr == FDC_FIFO]
    n = len(READ_SECTORS_0_1)
    reads_after = []
    for i in range(len(fifo) - n + 1):
        if fifo[i:i + n] == [("write", b) for b in READ_SECTORS_0_1]:
            after = fifo[i + n:]
            stop = next((k for k, (op, _) in enumerate(after) if op == "write"),
                        len(after))
            reads_after.append(stop)
    assert reads_after == [2 * SECTOR + 7, 7, 2 * SECTOR + 7]


def test_no_disk_in_the_default_drive(monitor):
    # QEMU's pc machine has an empty drive A: unless given an image.
    assert 'drive 0 is a 2.88 MB 3.5" drive (CMOS type 5)' in monitor.text()
    out = monitor.command("fdread 0")
    assert out == ("error: fdread: no disk in floppy drive 0 (the disk-change "
                   "line stays active after a seek)")
    assert monitor.command("inb 0x3ff").startswith("inb(0x03ff)")


def test_a_720k_disk_gives_an_error_and_the_next_read_works(
        machine_factory, tmp_path):
    # QEMU sizes the medium from the image: 737280 bytes is a 720 KB disk,
    # recorded at 250 kbit/s. At the 500 kbit/s of a 1.44 MB disk the
    # controller finds no address mark; the driver resets it and the next
    # command starts clean.
    image = tmp_path / "720k.img"
    image.write_bytes(bytes(FLOPPY_BYTES // 2))
    m = machine_factory(extra=floppy_drive(image))
    m.wait_prompt()
    for args in ("0 1 dma", "40 2 pio"):
        out = m.command(f"fdread {args}")
        assert re.fullmatch(r"error: fdread: READ DATA at C\d+ H\d+ S\d+: "
                            r"missing address mark .*\(ST0 0x4\d ST1 0x01 "
                            r"ST2 0x00\)", out), out
    assert "floppy" in m.command("irqs")


def test_q35_has_no_floppy_and_lives_on(machine_factory):
    m = machine_factory(extra=["-machine", "q35"])
    m.wait_prompt()
    assert "floppy: none: no drive 0 (CMOS register 0x10 says type 0)" in m.text()
    assert m.command("fdread 0") == "error: no floppy drive"
    assert m.command("fdread 0 18 pio") == "error: no floppy drive"
    assert "terminal count" in m.command("dma")
    t0 = int(m.command("ticks"))
    assert m.command("inb 0x3ff").startswith("inb(0x03ff)")
    assert int(m.command("ticks")) >= t0


def test_kernel_trace_names_the_8237_and_fdc_registers(fd):
    # The kernel's own I/O trace (io/trace.h) names each register, so the
    # programming of channel 2 reads like the data sheet.
    fdread(fd, "0 2", 2)                    # motor and head in place
    fd.command("clear")                     # nothing scrolls meanwhile
    fd.command("trace clear")
    fd.command("trace on")
    fdread(fd, "0 2 dma", 2)
    held = int(re.search(r"(\d+) records held", fd.command("trace off"))[1])
    dump = fd.command(f"trace dump {held}", timeout=60)
    named = re.findall(r"0x([0-9a-f]{4}) (?:<-|->) 0x[0-9a-f]+  "
                       r"(dma1|dmapg|fdc)\s+(.+?)\s*$", dump, re.M)
    dma = [(dev, reg) for _, dev, reg in named if dev != "fdc"]
    assert dma[:9] == [
        ("dma1", "single mask"), ("dma1", "clear flip-flop"),
        ("dma1", "mode"), ("dma1", "ch2 address"), ("dma1", "ch2 address"),
        ("dmapg", "ch2 page"), ("dma1", "ch2 count"), ("dma1", "ch2 count"),
        ("dma1", "single mask")], dma
    fdc = {reg for _, dev, reg in named if dev == "fdc"}
    assert fdc == {"MSR", "FIFO"}


def test_a_stopped_tick_and_a_lost_irq_6_do_not_hang(fd):
    # The driver halts until IRQ 6 and times its waits by the tick. With
    # the tick stopped by hand (the walkthrough's exercise: the Local APIC
    # timer's LVT entry masked) it polls instead: the read still works,
    # and with IRQ 6 masked at the IO APIC as well it ends in an error.
    lvt = fd.command("peek 0xfee00320").split()[-1]
    fd.command(f"poke 0xfee00320 {int(lvt, 16) | LVT_MASKED:#x}")
    f, _ = fdread(fd, "0", 1)
    expect_image(f, fd.data)
    rte = mask_irq6(fd)
    # Two waits of 2 s of guest time (READ DATA, then the reset after it),
    # spinning: under -icount a guest second is 10^9 instructions.
    out = fd.command("fdread 0", timeout=60)
    assert re.fullmatch(r"error: fdread: no IRQ 6 within \d+ ms after .* \(no "
                        r"running timer tick: timed by polling\)",
                        out), out
    fd.command(f"poke 0xfec00010 {rte}")
    fd.command(f"poke 0xfee00320 {lvt}")
    f, _ = fdread(fd, "0", 1)
    expect_image(f, fd.data)


def test_a_one_shot_tick_does_not_fool_the_read(machine_factory,
                                                floppy_image):
    """PIT channel 0 put into mode 0 (a one-shot) with a short count, the
    read typed at once behind it: the one-shot's single interrupt lands
    while the driver watches whether the tick runs. One tick seen used to
    mean "running", and the motor's spin-up then halted for ticks that
    never came; the driver must see two and poll instead. -icount: the
    interrupt comes at the same instruction every run."""
    path, data = floppy_image
    m = machine_factory(append="irq=pic",
                        extra=[*floppy_drive(path), "-icount", "shift=0"])
    m.wait_prompt(timeout=30)
    # Mode 0, count 0x2000: one interrupt 6.9 ms after the last byte.
    m.send("outb 0x43 0x30\routb 0x40 0x00\routb 0x40 0x20\rfdread 0 18\r")
    f = m.expect(FDREAD_RE.pattern.encode(), timeout=20)
    m.wait_prompt()
    assert int(f[2]) == 18
    assert int(f[5], 16) == zlib.crc32(data[:18 * SECTOR])
    assert m.command("ticks") == m.command("ticks")
    # The kernel's rate generator back (mode 2, divisor 11932 = 0x2e9c).
    for line in ("outb 0x43 0x34", "outb 0x40 0x9c", "outb 0x40 0x2e"):
        m.command(line)
    f, _ = fdread(m, "0 18", 18)
    expect_image(f, data)


def test_a_failed_first_read_does_not_make_the_disk_vanish(
        machine_factory, floppy_image):
    # Issue 12: a read whose recalibrate failed (IRQ 6 masked at the IO
    # APIC, before the driver had ever found the head) read the disk-change
    # line anyway, said "no disk", and said it for the rest of the session.
    # Only a seek that worked may look at the line; any failure resets the
    # controller, and the next read starts clean.
    m, data = with_disk(machine_factory, floppy_image)
    rte = mask_irq6(m)
    out = m.command("fdread 0", timeout=60)
    assert out.startswith("error: fdread: no IRQ 6 within"), out
    m.command(f"poke 0xfec00010 {rte}")
    f, _ = fdread(m, "0", 1)
    expect_image(f, data)


def test_a_stray_command_byte_is_cleared_by_the_next_reads_reset(
        machine_factory, floppy_image):
    # A READ DATA opcode written by hand leaves the controller waiting for
    # its eight parameter bytes: the next read finds it in the wrong phase
    # and fails, never with "no disk", and the reset after it lets the
    # read after that work.
    m, data = with_disk(machine_factory, floppy_image)
    m.command(f"outb {FDC_FIFO:#x} {READ_SECTORS_0_1[0]:#x}")
    out = m.command("fdread 0", timeout=60)
    assert "no disk" not in out, out
    f, _ = fdread(m, "0", 1)
    expect_image(f, data)
