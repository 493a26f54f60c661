#!/usr/bin/env python3
"""The cost of an access, as a table and a chart (claim C12): boots the
kernel in QEMU with the demo diskette in drive A: and the demo hard disk
on the primary IDE channel, runs the monitor's `bench`, and writes its
figures as CSV (the access rows, then the reads: the floppy track and
the disk's sectors, claim C7) and the access rows as a bar chart drawn
by gnuplot.

    tools/bench.py --floppy build/floppy.img --disk build/disk.img \\
        [--text build/bench.txt] --csv docs/bench.csv --png docs/bench.png
    tools/bench.py --from build/bench.txt --csv ... --png ...

The figures are what QEMU's TCG makes of each access, not what a PC
does: the chart's title says so. The y axis is logarithmic, since a port
or device register costs a hundred times a RAM word or more.
"""

import argparse
import csv
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "qemu"))

from iospace import Machine, floppy_drive, ide_disk  # noqa: E402

HEADER_RE = re.compile(r"^bench: (cycles|ns) per access, by (?:the TSC"
                       r"(?: at (\d+) kHz)?|PIT channel 0)", re.M)
ROW_RE = re.compile(
    r"^(\S+) +(RAM|MMIO|PMIO) +(\S+) +(\d+\.\d|<0\.1) +(\d+\.\d) +"
    r"(\d+\.\d) +(\d+\.\d|-) +x(\d+)  (.+)$", re.M)
SKIPPED_RE = re.compile(r"^(\S+) +(RAM|MMIO|PMIO) +(\S+) +skipped: (.+)$",
                        re.M)
# A read's row: the floppy track (fd-), the disk's sectors by the IDE
# channel (hd-) or by AHCI (sata-).
READ_RE = re.compile(
    r"^((?:fd|hd|sata)-\S+) +(DMA|PMIO) +(\S+) +(\d+|-) +(\d+|-) +(\d+) +"
    r"(\d+)  (.+)$", re.M)
FLOPPY_SKIPPED_RE = re.compile(r"^floppy: skipped: (.+)$", re.M)
DISK_RE = re.compile(r"^disk: (\d+) sectors \(", re.M)
DISK_SKIPPED_RE = re.compile(r"^disk: skipped: (.+)$", re.M)

CSV_FIELDS = ["row", "mech", "insn", "unit", "min", "median", "spread",
              "ratio", "batch", "in", "out", "access", "skipped"]

# The colours of docs/address-spaces.svg: RAM green, a device reached
# with mov orange, ports blue.
COLOURS = {"RAM": "#a8d5a2", "MMIO": "#f4b066", "PMIO": "#8db9e2"}
FLOOR = 0.1             # the bottom of the log scale


def number(s):
    """A figure as the table prints it: "-" is none, "<0.1" (a minimum
    below the table's resolution) is 0.0."""
    if s == "-":
        return None
    if s.startswith("<"):
        return 0.0
    return float(s) if "." in s else int(s)


def parse(text):
    """What `bench` printed, as a dict: unit ('cycles' or 'ns'), tsc_khz
    (None without a TSC or its rate), rows (a dict per access row, in
    order, 'skipped' set for a row that was not measured), floppy (the two
    track rows, or []), floppy_skipped (why, or None), disk (the disk's
    rows: hd-dma and hd-pio, or sata-dma on q35; or []) and disk_skipped
    (why, or None)."""
    text = text.replace("\r\n", "\n")
    header = HEADER_RE.search(text)
    if not header:
        raise ValueError("no `bench` header line in the text")
    unit = header[1]
    rows = {}
    for m in ROW_RE.finditer(text):
        rows[m.start()] = {
            "row": m[1], "mech": m[2], "insn": m[3], "unit": unit,
            "min": number(m[4]), "median": number(m[5]),
            "spread": number(m[6]), "ratio": number(m[7]),
            "batch": int(m[8]), "in": None, "out": None, "access": m[9],
            "skipped": None}
    for m in SKIPPED_RE.finditer(text):
        rows[m.start()] = {
            "row": m[1], "mech": m[2], "insn": m[3], "unit": unit,
            "min": None, "median": None, "spread": None, "ratio": None,
            "batch": None, "in": None, "out": None, "access": None,
            "skipped": m[4]}
    disk = DISK_RE.search(text)
    reads = [{"row": m[1], "mech": m[2], "insn": m[3],
              "unit": ("cycles per track" if m[1].startswith("fd-") else
                       f"cycles per {disk[1] if disk else '?'} sectors"),
              "min": number(m[4]), "median": number(m[5]), "spread": None,
              "ratio": None, "batch": None,
              "in": int(m[6]), "out": int(m[7]), "access": m[8],
              "skipped": None}
             for m in READ_RE.finditer(text)]
    skipped = FLOPPY_SKIPPED_RE.search(text)
    disk_skipped = DISK_SKIPPED_RE.search(text)
    return {"unit": unit,
            "tsc_khz": int(header[2]) if header[2] else None,
            "rows": [rows[k] for k in sorted(rows)],
            "floppy": [r for r in reads if r["row"].startswith("fd-")],
            "floppy_skipped": skipped[1] if skipped else None,
            "disk": [r for r in reads if not r["row"].startswith("fd-")],
            "disk_skipped": disk_skipped[1] if disk_skipped else None}


def write_csv(figures, path):
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=CSV_FIELDS, lineterminator="\n")
        w.writeheader()
        for row in figures["rows"] + figures["floppy"] + figures["disk"]:
            w.writerow({k: "" if v is None else v for k, v in row.items()})


def gnuplot_terminal():
    """pngcairo when this gnuplot has it (antialiased), else png."""
    out = subprocess.run(["gnuplot", "-e", "set terminal"], text=True,
                         capture_output=True, check=True)
    listing = out.stdout + out.stderr
    return "pngcairo" if re.search(r"^\s*pngcairo\s", listing, re.M) \
        else "png"


def draw(figures, path):
    """Bars of the median per access of every measured row."""
    if not shutil.which("gnuplot"):
        raise SystemExit("bench: gnuplot is missing (make deps)")
    rows = [r for r in figures["rows"] if r["skipped"] is None]
    unit = figures["unit"]
    clock = (f"TSC at {figures['tsc_khz'] / 1e6:.2f} GHz"
             if figures["tsc_khz"] else "PIT channel 0")
    with tempfile.TemporaryDirectory(prefix="iospace-bench-") as tmp:
        data = os.path.join(tmp, "bench.dat")
        with open(data, "w") as f:
            for i, r in enumerate(rows):
                colour = int(COLOURS[r["mech"]][1:], 16)
                label = f"{r['row']}\\n{r['mech']} {r['insn']}"
                # A log scale has no 0: such a bar stands at the floor,
                # still labelled 0.0.
                height = max(r["median"], FLOOR)
                f.write(f"{i} {height} {colour} \"{label}\" "
                        f"{r['median']}\n")
        script = "\n".join([
            # A bar's two-line label takes about 100 pixels.
            f"set terminal {gnuplot_terminal()} "
            f"size {max(1000, 100 * len(rows))},560 "
            "font 'DejaVu Sans,10'",
            f"set output '{path}'",
            "set title \"iospace bench, measured under QEMU TCG: what the "
            "emulator makes of each access, not a PC's figures\\n"
            f"median {unit} per access ({clock}); RAM green, MMIO (mov) "
            "orange, PMIO (in/out) blue\"",
            f"set ylabel '{unit} per access (log scale)'",
            "set logscale y",
            f"set yrange [{FLOOR}:*]",
            "set grid ytics",
            "set style fill solid 0.9 border rgb '#444444'",
            "set boxwidth 0.7",
            "set xtics nomirror font ',9'",
            "set bmargin 4",
            "set xrange [-0.6:%f]" % (len(rows) - 0.4),
            "unset key",
            f"plot '{data}' using 1:2:3:xtic(4) with boxes "
            "lc rgb variable, \\",
            f"     '{data}' using 1:2:(sprintf('%.1f', $5)) "
            "with labels offset 0,0.7 font ',9'",
        ])
        subprocess.run(["gnuplot"], input=script, text=True, check=True)


def capture(floppy, disk):
    """Boots the kernel with the diskette and the hard disk and returns
    what `bench` prints."""
    with Machine(extra=[*floppy_drive(floppy), *ide_disk(disk)]) as m:
        m.wait_prompt(timeout=30)
        return m.command("bench", timeout=120) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--from", dest="source",
                        help="use this saved `bench` output; boot nothing")
    parser.add_argument("--floppy", help="the diskette image for drive A:")
    parser.add_argument("--disk", help="the hard disk image for the primary "
                        "IDE channel")
    parser.add_argument("--text", help="keep the captured output here")
    parser.add_argument("--csv", required=True, help="write the figures here")
    parser.add_argument("--png", required=True, help="draw the chart here")
    args = parser.parse_args()
    if args.source:
        with open(args.source) as f:
            text = f.read()
    else:
        if not args.floppy or not args.disk:
            parser.error("--floppy and --disk are needed to boot (or --from)")
        text = capture(args.floppy, args.disk)
        if args.text:
            with open(args.text, "w") as f:
                f.write(text)
    figures = parse(text)
    write_csv(figures, args.csv)
    draw(figures, args.png)


if __name__ == "__main__":
    main()
