"""A drive 0 of a kind the floppy driver does not read (a 5.25" 1.2 MB
drive) is named as such, at boot and by fdread, not taken for no drive."""

FLOPPY_1200K = 80 * 2 * 15 * 512     # 80 cylinders, 2 heads, 15 sectors


def test_a_1200k_drive_is_named_not_missing(machine_factory, tmp_path):
    # QEMU picks the drive type from the diskette in it: a 1.2 MB image
    # gives a 5.25" 1.2 MB drive, CMOS type 2 (hw/block/fdc.c).
    image = tmp_path / "1200k.img"
    image.write_bytes(bytes(FLOPPY_1200K))
    m = machine_factory(extra=["-drive", f"file={image},if=floppy,"
                                         "format=raw,readonly=on"])
    m.wait_prompt()
    said = ('drive 0 is a 5.25" 1.2 MB drive (CMOS type 2); iospace reads '
            'only 1.44 MB diskettes, in 3.5" drives (types 4, 5)')
    assert f"floppy: none: {said}\r\n" in m.text()
    assert m.command("fdread 0") == f"error: {said}"
