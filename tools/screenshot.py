#!/usr/bin/env python3
"""Takes the picture of the VGA screen in README (`make screenshot`).

    tools/screenshot.py [--floppy build/floppy.img] [--disk build/disk.img]
                        [--png docs/screen.png]

Boots build/iospace.iso in QEMU as `make run` does (pc, -m 128, the demo
diskette in drive A:, the demo hard disk on the primary IDE channel), but
with no window; waits for the live panel on the screen, types a few
monitor commands on the PC keyboard (QMP send-key),
lets the counters run, and saves the screen with QMP's screendump as a PNG
(720 x 400: QEMU draws the 80 x 25 text mode with 9 x 16 pixel
characters). It prints the same screen as text, read from video memory.
"""

import argparse
import os
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "qemu"))

from iospace import Machine, ide_disk  # noqa: E402

# What is typed: the same track of the diskette by DMA twice, then by PIO
# (claim C7; the first read also starts the motor and seeks), then as many
# sectors of the hard disk by the IDE controller as bus master and by PIO.
# The panel counts them all; the monitor's seven rows keep the two disk
# reads, whose in= and out= compare.
COMMANDS = ["fdread 0 18 dma", "fdread 0 18 dma", "fdread 0 18 pio",
            "disk read 0 18 dma", "disk read 0 18 pio"]
# QEMU's names (QAPI QKeyCode) for the characters that are not their own.
QCODES = {" ": "spc", "\r": "ret", ".": "dot"}
PANEL_HEADER = " PORT-MAPPED I/O"
BOOT_TIMEOUT_S = 60
SETTLE_S = 2.0          # ten panel updates after the last command


def wait_for_panel(m):
    deadline = time.monotonic() + BOOT_TIMEOUT_S
    while not m.vga_rows()[1].startswith(PANEL_HEADER):
        if time.monotonic() > deadline:
            sys.exit("screenshot: the live panel never showed:\n"
                     + "\n".join(m.vga_rows()))
        time.sleep(0.2)


def type_line(m, line):
    """Types a line and Enter, a key at a time, and waits for the prompt
    that follows its output (the serial line echoes it too)."""
    for ch in line + "\r":
        m.qmp("send-key", keys=[{"type": "qcode",
                                 "data": QCODES.get(ch, ch)}])
    m.wait_prompt(timeout=30)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--floppy", default=os.path.join(ROOT, "build",
                                                     "floppy.img"))
    ap.add_argument("--disk", default=os.path.join(ROOT, "build",
                                                   "disk.img"))
    ap.add_argument("--png", default=os.path.join(ROOT, "docs",
                                                  "screen.png"))
    args = ap.parse_args()

    extra = ["-drive", f"file={args.floppy},if=floppy,format=raw,"
             "readonly=on", *ide_disk(args.disk), "-boot", "order=d"]
    with Machine(iso=True, extra=extra) as m:
        m.wait_prompt(timeout=BOOT_TIMEOUT_S)
        wait_for_panel(m)
        for line in COMMANDS:
            type_line(m, line)
        time.sleep(SETTLE_S)
        png = os.path.abspath(args.png)
        m.qmp("screendump", filename=png, format="png")
        rows = m.vga_rows()
    print("\n".join(r.rstrip() for r in rows))


if __name__ == "__main__":
    main()
