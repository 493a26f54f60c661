"""The in-kernel self-test: `test` on the command line prints TAP and ends
QEMU through isa-debug-exit (33 = all passed)."""

import re
import time

import pytest

from iospace import EXIT_PASSED, floppy_drive


def run_selftest(machine_factory, floppy_image, extra=(), **kwargs):
    # A diskette in drive A:, so the floppy tests run instead of skipping.
    m = machine_factory(extra=[*floppy_drive(floppy_image[0]), *extra],
                        **kwargs)
    rc = m.wait_exit(timeout=60)
    return rc, m.text()


def check_tap(text):
    plan = re.search(r"^1\.\.(\d+)\r?$", text, re.M)
    assert plan, text
    results = re.findall(r"^(ok|not ok) (\d+) - (.*?)\r?$", text, re.M)
    failed = [r for r in results if r[0] != "ok"]
    assert not failed, failed
    assert [int(r[1]) for r in results] == list(range(1, int(plan[1]) + 1))
    # With a diskette attached, the floppy and DMA tests really ran.
    floppy = [r[2] for r in results if "floppy" in r[2]]
    assert len(floppy) == 2, results
    assert not [name for name in floppy if "# SKIP" in name], floppy
    return results


@pytest.mark.parametrize("mode", ["apic", "pic"])
def test_selftest_passes_and_exits_33(machine_factory, floppy_image, mode):
    rc, text = run_selftest(machine_factory, floppy_image,
                            append=f"test irq={mode}")
    results = check_tap(text)
    assert rc == EXIT_PASSED, text[-2000:]
    names = " ".join(r[2] for r in results)
    # With a UART, its tests run (they skip only on a machine without).
    assert not [r for r in results if "serial" in r[2] and "SKIP" in r[2]]
    for what in ("#DE", "#UD", "#GP", "#PF", "#BP", "#DF", "tss", "paging",
                 "vga", "serial", "DMA and by PIO", "terminal count"):
        assert what in names


def test_selftest_from_the_iso_menu(machine_factory, floppy_image):
    # The third GRUB entry is the self-test: pick it with the arrow keys.
    # The BIOS boots the CD-ROM, not the diskette with its random bytes.
    m = machine_factory(iso=True, extra=[*floppy_drive(floppy_image[0]),
                                         "-boot", "order=d"])
    deadline = time.monotonic() + 20
    # Wait for GRUB's menu on the VGA screen, then choose entry 3.
    while time.monotonic() < deadline:
        if any("self-test" in row for row in m.vga_rows()):
            break
        time.sleep(0.1)
    else:
        raise AssertionError("GRUB menu did not appear")
    for key in ("down", "down", "ret"):
        m.qmp("send-key", keys=[{"type": "qcode", "data": key}])
    rc = m.wait_exit(timeout=60)
    check_tap(m.text())
    assert rc == EXIT_PASSED
