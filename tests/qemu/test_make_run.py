"""`make run-serial` as a student runs it: the monitor on QEMU's standard
input and output, and make's verdict at the end (tools/run-qemu.sh)."""

import os
import re
import select
import subprocess
import time

import pytest

from iospace import PROMPT, ROOT

BOOT_TIMEOUT = 60


def make_run_serial(*commands, make_args=()):
    """Runs `make run-serial`, types each command after a prompt; returns
    (make's status, everything printed)."""
    make = subprocess.Popen(
        ["make", "--no-print-directory", "run-serial", *make_args], cwd=ROOT,
        stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT)
    out = b""
    try:
        for c in commands:
            deadline = time.monotonic() + BOOT_TIMEOUT
            seen = out.count(PROMPT)
            while out.count(PROMPT) == seen:
                assert time.monotonic() < deadline, out.decode("latin-1")
                ready, _, _ = select.select([make.stdout], [], [], 1)
                if ready:
                    chunk = os.read(make.stdout.fileno(), 4096)
                    assert chunk, out.decode("latin-1")
                    out += chunk
            make.stdin.write(c.encode() + b"\r")
            make.stdin.flush()
        rest, _ = make.communicate(timeout=BOOT_TIMEOUT)
        out += rest
    finally:
        if make.poll() is None:
            make.kill()
            make.wait(10)
    return make.returncode, out.decode("latin-1")


def test_exit_ends_make_run_serial_with_success():
    status, out = make_run_serial("exit")
    assert "QEMU exits with 1" in out, out
    assert "run: QEMU ended by the monitor's exit (status 1): success" in out
    assert status == 0, out


def test_exit_with_a_code_fails_make():
    status, out = make_run_serial("exit 1")
    assert "QEMU exits with 3" in out, out
    assert status != 0, out


@pytest.mark.parametrize("script_status, errors, verdict", [
    (1, "", 0),                                         # the monitor's exit
    (1, "qemu-system-i386: warning: TCG doesn't support\n", 0),
    (1, "qemu-system-i386: -drive file=x: Could not open 'x'\n", 1),
    (3, "", 3),                                         # exit 1
    (0, "qemu-system-i386: terminating on signal 2\n", 0),
])
def test_run_qemu_verdict(tmp_path, script_status, errors, verdict):
    """tools/run-qemu.sh on a stand-in for QEMU that prints errors and
    ends with a status."""
    (tmp_path / "errors").write_text(errors)
    fake = tmp_path / "fake-qemu"
    fake.write_text(f"#!/bin/sh\ncat {tmp_path / 'errors'} >&2\n"
                    f"exit {script_status}\n")
    fake.chmod(0o755)
    done = subprocess.run([os.path.join(ROOT, "tools", "run-qemu.sh"),
                           str(fake)], capture_output=True, text=True,
                          timeout=10)
    assert done.returncode == verdict, done.stderr
    assert errors in done.stderr


def test_qemu_extra_reaches_qemu():
    """QEMU_EXTRA's arguments come after make's own: a second -m wins."""
    status, out = make_run_serial("exit", make_args=["QEMU_EXTRA=-m 64"])
    above = int(re.search(r"memory: 639 KiB below 1 MiB, (\d+) KiB above",
                          out)[1])
    assert 60 * 1024 < above < 64 * 1024, out
    assert status == 0, out
