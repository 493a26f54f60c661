"""The MC146818 real-time clock: the boot line and `date` against the time
QEMU's `-rtc base=` gave the clock, in each of the chip's four data
formats, and the kernel's port accesses as QEMU's own trace saw them."""

import datetime
import re

import pytest

from iospace import Machine

MORNING = datetime.datetime(2021, 3, 4, 5, 6, 7)
AFTERNOON = datetime.datetime(2021, 3, 4, 17, 6, 7)
# The clock runs from its base while QEMU boots and the tests type.
DRIFT = datetime.timedelta(seconds=10)
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
TIME_RE = r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d"

# MC146818A data sheet, "Address Map", "Register B"; the PM flag is bit 7
# of the hours byte in 12-hour mode.
RTC_INDEX, RTC_DATA = 0x70, 0x71
REG_SECONDS, REG_HOURS, REG_MONTH, REG_A, REG_B = 0x00, 0x04, 0x08, 0x0A, 0x0B
B_SET, B_DM_BINARY, B_24_HOUR = 0x80, 0x04, 0x02
HOURS_PM = 0x80

# name: (Register B bits to set, bits to clear). QEMU's RTC re-encodes the
# time registers in the new format at once (a real chip would not: software
# sets the time again after changing the format).
FORMATS = {
    "BCD 24-hour": (0, 0),
    "BCD 12-hour": (0, B_24_HOUR),
    "binary 24-hour": (B_DM_BINARY, 0),
    "binary 12-hour": (B_DM_BINARY, B_24_HOUR),
}


def parse_time(text):
    return datetime.datetime.strptime(text, TIME_FORMAT)


def assert_near(text, start):
    got = parse_time(text)
    assert start <= got <= start + DRIFT, f"{text}, clock started at {start}"


def read_register(m, reg):
    m.command(f"outb {RTC_INDEX:#x} {reg:#x}")
    out = m.command(f"inb {RTC_DATA:#x}")
    return int(re.fullmatch(r"inb\(0x0071\) = (0x[0-9a-f]{2})", out)[1], 16)


def write_register(m, reg, value):
    m.command(f"outb {RTC_INDEX:#x} {reg:#x}")
    m.command(f"outb {RTC_DATA:#x} {value:#x}")


def hours_byte(hour, status_b):
    """The hours register as the chip encodes `hour` in a format."""
    pm = 0
    if not status_b & B_24_HOUR:
        pm = HOURS_PM if hour >= 12 else 0
        hour = hour % 12 or 12
    if not status_b & B_DM_BINARY:
        hour = hour // 10 << 4 | hour % 10
    return hour | pm


@pytest.fixture(scope="module", params=[MORNING, AFTERNOON],
                ids=["morning", "afternoon"])
def clock(request):
    """A kernel whose clock started at the given time."""
    m = Machine(extra=["-rtc", f"base={request.param.isoformat()}"])
    try:
        m.wait_prompt(timeout=30)
        m.start = request.param
        yield m
    finally:
        m.close()


def test_boot_line_gives_the_time_and_the_format(clock):
    m = re.search(rf"^rtc: ({TIME_RE}) \(BCD, 24-hour\)\r$", clock.text(),
                  re.M)
    assert m, clock.text()
    assert_near(m[1], clock.start)
    # After the cpu line, as one line, with no warning.
    assert re.search(r"^cpu: .*\r\nrtc: ", clock.text(), re.M)
    assert "warning: rtc" not in clock.text()


@pytest.mark.parametrize("name", FORMATS)
def test_date_in_each_format(clock, name):
    set_bits, clear_bits = FORMATS[name]
    saved = read_register(clock, REG_B)
    status_b = (saved | set_bits) & ~clear_bits
    write_register(clock, REG_B, status_b)
    try:
        # The chip really is in the new format: the hours byte says so.
        assert (read_register(clock, REG_HOURS)
                == hours_byte(clock.start.hour, status_b))
        out = clock.command("date")
    finally:
        write_register(clock, REG_B, saved)
    assert re.fullmatch(TIME_RE, out), out
    assert_near(out, clock.start)


def test_date_rejects_extra_words(clock):
    assert clock.command("date now") == "error: usage: date "


def test_the_kernel_reads_the_clock_through_ports_0x70_and_0x71(
        machine_factory, tmp_path):
    # QEMU logs every access to a device's registers, naming the device.
    log = tmp_path / "memory-region-ops.log"
    m = machine_factory(extra=["-rtc", f"base={MORNING.isoformat()}",
                               "-trace", "memory_region_ops_*",
                               "-D", str(log)])
    m.wait_prompt()
    assert_near(m.command("date"), MORNING)
    lines = [line for line in log.read_text().splitlines()
             if "name 'rtc" in line or "name 'fwcfg" in line]
    # The firmware reads the clock too; the kernel's accesses are those
    # after the firmware's last fw_cfg access (it loads -kernel through it).
    last_fwcfg = max(i for i, line in enumerate(lines) if "'fwcfg" in line)
    ours = lines[last_fwcfg + 1:]
    index_writes = [
        int(match[1], 16) for match in (
            re.search(r"memory_region_ops_write .* addr 0x70 value "
                      r"(0x[0-9a-f]+) size 1 name 'rtc-index'$", line)
            for line in ours)
        if match]
    data_reads = [line for line in ours if re.search(
        r"memory_region_ops_read .* addr 0x71 .* size 1 name 'rtc'$", line)]
    # Register A (UIP) first, before any time register; the seconds.
    assert index_writes[0] == REG_A, index_writes[:10]
    assert REG_SECONDS in index_writes
    # Bit 7 of the index byte is the NMI mask: the kernel never sets it.
    assert all(v < 0x80 for v in index_writes), index_writes
    # Each index is followed by one read of the data port: the kernel only
    # reads the clock, it never writes it.
    assert len(data_reads) == len(index_writes)


def test_date_with_the_clock_stopped_at_chosen_bytes(machine_factory):
    """Register B's SET bit stops the clock, and the time registers then
    hold whatever is written to them: the exact bytes of 12 AM and 12 PM,
    then a month 13."""
    m = machine_factory(extra=["-rtc", f"base={MORNING.isoformat()}"])
    m.wait_prompt()
    write_register(m, REG_B, B_SET)             # stopped, BCD, 12-hour
    write_register(m, REG_HOURS, 0x12)          # 12 AM
    assert re.fullmatch(r"2021-03-04 00:06:\d\d", m.command("date"))
    write_register(m, REG_HOURS, HOURS_PM | 0x12)   # 12 PM
    assert re.fullmatch(r"2021-03-04 12:06:\d\d", m.command("date"))
    write_register(m, REG_HOURS, HOURS_PM | 0x01)   # 1 PM
    assert re.fullmatch(r"2021-03-04 13:06:\d\d", m.command("date"))
    write_register(m, REG_MONTH, 0x13)
    assert (m.command("date")
            == "error: rtc: the registers hold no valid date and time")
