"""The machine matrix: the self-test (`test` on the command line) on every
machine iospace may meet, each boot bounded. Every row must pass (exit
status 33), a test this machine cannot run skipping with the reason. The
outcome of each row is in docs/machines.md.

Rows without a serial line give their verdict through the exit status
alone; when one fails, the kernel is booted again without the exit device
so that the failure shows: the TAP read off the VGA screen through QMP.

The rows boot two at a time (one per CPU, at most two): each QEMU is a
process of its own with its own pipes and sockets, and the self-test's
timing checks allow 25 %, which two guests on two CPUs stay well within.
Under pytest-xdist (`make test`) another worker already keeps a CPU busy
with its own QEMU, so the rows boot one at a time: three guests on two
CPUs fall behind in bursts, and the timing checks then fail."""

import os
import re
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from iospace import EXIT_PASSED, Machine, floppy_drive
from test_selftest import check_tap

BOOT_TIMEOUT_S = 60
PARALLEL_BOOTS = (1 if os.environ.get("PYTEST_XDIST_WORKER")
                  else max(1, min(2, os.cpu_count() or 1)))

# A 486 has neither a Local APIC nor a TSC (nor CR4): the kernel says so
# and uses the 8259 and the PIT.
NO_APIC_NO_TSC = [
    "tsc: none on this CPU; timing uses PIT ticks",
    "warning: apic: this CPU has no Local APIC (CPUID); the 8259 PIC delivers",
    "# SKIP no TSC on this CPU",
]
# Without an 8254 there is no tick, and nothing to time a wait by.
NO_PIT = [
    "warning: pit: channel 0 (ports 0x40/0x43) does not count: no 8254 here",
    "warning: tsc: PIT channel 2's output (port 0x61 bit 5) is high before "
    "it counted; the TSC is not used",
    "warning: apic: the Local APIC timer cannot be calibrated (PIT channel 0, "
    "the reference, does not count); no timer tick",
    "# SKIP PIT channel 0 does not count: no tick on this machine",
]

# id: (QEMU arguments, serial line?, lines the kernel must print, how many
# tests skip)
MACHINES = {
    # The default machine and CPU, named.
    "pc-qemu32": (["-machine", "pc", "-cpu", "qemu32"], True, [], 0),
    "q35": (["-machine", "q35"], True, [], 0),
    "cpu-486": (["-cpu", "486"], True, NO_APIC_NO_TSC, 2),
    "cpu-pentium": (["-cpu", "pentium"], True, [], 0),
    "m-8": (["-m", "8"], True, [], 0),
    "m-64": (["-m", "64"], True, [], 0),
    "m-3584": (["-m", "3584"], True, [], 0),
    # q35 ends low RAM at 2 GiB: the rest of it lies above 4 GiB.
    "q35-m-3584": (["-machine", "q35", "-m", "3584"], True,
                   ["0000000100000000-000000015fffffff available"], 0),
    "serial-none": ([], False, [], None),
    "nodefaults-vga-std": (["-nodefaults", "-vga", "std"], False, [], None),
    "no-pit": (["-machine", "pc,pit=off"], True, NO_PIT, 4),
}


def vga_tap(machine_factory, extra, floppy):
    """The same machine without isa-debug-exit: the kernel halts after
    its TAP, which is then read off the screen."""
    m = machine_factory(append="test", serial=False, debug_exit=False,
                        extra=[*floppy_drive(floppy), *extra])
    deadline = time.monotonic() + BOOT_TIMEOUT_S
    while time.monotonic() < deadline:
        rows = m.vga_rows()
        if any("no isa-debug-exit device" in r for r in rows):
            return "\n".join(r.rstrip() for r in rows)
        time.sleep(0.2)
    return "\n".join(r.rstrip() for r in m.vga_rows())


def boot(name, floppy):
    """Boots a row with `test` and a diskette in drive A: (so the floppy
    tests run); its exit status and serial output."""
    extra, serial, _, _ = MACHINES[name]
    with Machine(append="test", serial=serial,
                 extra=[*floppy_drive(floppy), *extra]) as m:
        return m.wait_exit(timeout=BOOT_TIMEOUT_S), m.text()


@pytest.fixture(scope="module")
def boots(request, floppy_image):
    """The rows this session runs, booting in the background from the
    first test on; each test waits for its own."""
    names = []
    for item in request.session.items:
        callspec = getattr(item, "callspec", None)
        if item.module is request.module and callspec:
            names.append(callspec.params["name"])
    with ThreadPoolExecutor(PARALLEL_BOOTS) as pool:
        yield {name: pool.submit(boot, name, floppy_image[0])
               for name in names}


@pytest.mark.parametrize("name", MACHINES)
def test_selftest_on_machine(machine_factory, floppy_image, boots, name):
    extra, serial, says, skips = MACHINES[name]
    rc, text = boots[name].result()
    if not serial:
        screen = "" if rc == EXIT_PASSED else vga_tap(
            machine_factory, extra, floppy_image[0])
        assert rc == EXIT_PASSED, f"exit status {rc}; the screen:\n{screen}"
        return
    check_tap(text)
    assert rc == EXIT_PASSED, text[-2000:]
    for line in says:
        assert line in text, line
    # Only the tests this machine cannot run skip, each saying why.
    skipped = re.findall(r"^ok \d+ - .*# SKIP.*$", text, re.M)
    assert len(skipped) == skips, skipped
    for line in skipped:
        assert re.search(r"# SKIP \S", line), line


def test_without_a_pit_the_monitor_still_answers(machine_factory):
    # No tick: what needs one says so instead of waiting forever.
    m = machine_factory(extra=["-machine", "pc,pit=off"])
    m.wait_prompt(timeout=BOOT_TIMEOUT_S)
    assert m.command("uptime") == ("uptime: unknown: no timer tick on this "
                                   "machine")
    assert m.command("recv 5") == ("error: recv: no clock on this machine "
                                   "to time out an idle line by (no TSC "
                                   "rate, and PIT channel 0 does not count)")
    assert m.command("pit").startswith("pit: channel 0 does not count")
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d",
                        m.command("date"))
