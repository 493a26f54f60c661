#!/usr/bin/env python3
"""Draws iospace's two address spaces side by side as an SVG (claims C6,
C9): the 4 GiB memory space, where RAM, ROMs and device windows share one
range of addresses reached with mov, and the 64 KiB I/O port space, reached
only with in/out.

    tools/mapfigure.py [--text build/map.txt] [--svg docs/address-spaces.svg]
    tools/mapfigure.py --from build/map.txt --svg ...

Without --from it boots build/iospace.elf in QEMU (pc, -m 128, as the tests
do), runs the monitor's `map` command and keeps its output in --text. The
bands are not to scale: a band's height grows with the logarithm of its
size, or the 4 KiB APIC pages would vanish next to 3.8 GiB of nothing.
"""

import argparse
import math
import os
import sys
from xml.sax.saxutils import escape

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "qemu"))

from iospace import Machine, parse_map  # noqa: E402

FILL = {"RAM": "#a8d5a2", "device": "#f4b066", "ROM": "#b9a6d9",
        "reserved": "#d0d0d0", "nothing": "#ffffff", "ports": "#8db9e2"}
LEGEND = [("RAM", "RAM"), ("device", "device (MMIO window)"), ("ROM", "ROM"),
          ("reserved", "kept by the firmware"),
          ("nothing", "nothing iospace uses"),
          ("ports", "device registers (port I/O)")]

WIDTH = 980
MEM_X, PORT_X = 120, 610        # left edges of the two bars
MEM_W, PORT_W = 250, 200
TOP = 90                        # first band
TWO_LINES = 34                  # a band this high has room for two lines
FONT = "font-family='DejaVu Sans, Arial, sans-serif'"


def mem_height(size):
    return 20 + 5 * max(0.0, math.log2(size / 4096))


def port_height(count):
    return 16 + 4 * math.log2(count)


def text(x, y, s, size=12, anchor="start", weight="normal", fill="#000"):
    return (f"<text x='{x:.1f}' y='{y:.1f}' font-size='{size}' {FONT} "
            f"text-anchor='{anchor}' font-weight='{weight}' "
            f"fill='{fill}'>{escape(s)}</text>")


# DejaVu Sans averages about 0.6 em a character: a label longer than
# its band is set smaller, so that it never runs over the addresses
# beside the band (a PCI window's label: "PCI 00:02.0 BAR2: VGA ...").
CHAR_EM = 0.6


def fitting(s, size, width):
    return min(size, round(width / (CHAR_EM * len(s)), 1))


def band(x, y, w, h, fill, dashed=False):
    dash = " stroke-dasharray='4 3'" if dashed else ""
    return (f"<rect x='{x:.1f}' y='{y:.1f}' width='{w}' height='{h:.1f}' "
            f"fill='{fill}' stroke='#444' stroke-width='1'{dash}/>")


def port_bands(ports):
    """The listed port ranges with the gaps between them, 0 to 0xFFFF:
    (first, last, port row or None)."""
    out, next_port = [], 0
    for p in ports:
        if p.first > next_port:
            out.append((next_port, p.first - 1, None))
        out.append((p.first, p.last, p))
        next_port = p.last + 1
    if next_port <= 0xFFFF:
        out.append((next_port, 0xFFFF, None))
    return out


def render(map_text):
    memory, ports, windows = parse_map(map_text)
    if not memory or not ports or not windows:
        raise ValueError("no `map` tables in the text")
    parts = []

    # The memory space: address 0 at the top, as the table lists it.
    y = TOP
    for r in memory:
        h = mem_height(r.last - r.first + 1)
        parts.append(band(MEM_X, y, MEM_W, h, FILL[r.answer],
                          r.answer == "nothing"))
        parts.append(text(MEM_X - 6, y + 10, f"0x{r.first:08x}", 10, "end"))
        mid = y + h / 2
        if h < TWO_LINES:
            label = f"{r.what}: {r.size}"
            parts.append(text(MEM_X + MEM_W / 2, mid + 4, label,
                              fitting(label, 11, MEM_W - 8), "middle"))
        else:
            parts.append(text(MEM_X + MEM_W / 2, mid - 1, r.what,
                              fitting(r.what, 11, MEM_W - 8), "middle"))
            parts.append(text(MEM_X + MEM_W / 2, mid + 12,
                              f"{r.size}, {r.answer}", 10, "middle",
                              fill="#333"))
        y += h
    parts.append(text(MEM_X - 6, y + 4, "4 GiB", 10, "end"))
    mem_bottom = y

    # The port space, 0 at the top; gaps are thin and unlabelled unless big.
    y = TOP
    for first, last, p in port_bands(ports):
        count = last - first + 1
        if p is None:
            h = 22 if count >= 0x100 else 6
            parts.append(band(PORT_X, y, PORT_W, h, FILL["nothing"], True))
            if count >= 0x100:
                parts.append(text(PORT_X + PORT_W / 2, y + 15,
                                  f"{count} ports iospace leaves alone", 10,
                                  "middle", fill="#555"))
        else:
            h = port_height(count)
            parts.append(band(PORT_X, y, PORT_W, h, FILL["ports"]))
            span = (f"0x{first:04x}" if first == last
                    else f"0x{first:04x}-0x{last:04x}")
            parts.append(text(PORT_X - 6, y + h / 2 + 4, span, 10, "end"))
            # A PCI window's label is longer than a chip's name: shrink
            # it to the band, as the memory side does.
            parts.append(text(PORT_X + 6, y + h / 2 + 4, p.chip,
                              fitting(p.chip, 10, PORT_W - 12)))
            parts.append(text(PORT_X + PORT_W + 6, y + h / 2 + 4,
                              f"{p.driver} ({p.via})", 10, fill="#333"))
        y += h
    parts.append(text(PORT_X - 6, y + 4, "0xffff", 10, "end"))
    bottom = max(mem_bottom, y)

    used = sum(p.last - p.first + 1 for p in ports)
    head = [
        text(WIDTH / 2, 26, "iospace: the PC's two address spaces", 18,
             "middle", "bold"),
        text(MEM_X + MEM_W / 2, 60, "memory: 4 GiB, reached with mov", 13,
             "middle", "bold"),
        text(MEM_X + MEM_W / 2, 76, "RAM, ROM and device windows share it",
             11, "middle"),
        text(PORT_X + PORT_W / 2, 60, "I/O ports: 64 KiB, only in/out", 13,
             "middle", "bold"),
        text(PORT_X + PORT_W / 2, 76, "a space of its own, apart from memory",
             11, "middle"),
    ]
    foot_y = bottom + 34
    foot = [
        text(40, foot_y, "Memory addresses taken by device windows (C9): "
             + windows, 12),
        text(40, foot_y + 18, f"The {used} ports iospace knows take no memory "
             "address: port-mapped devices leave all 4 GiB to memory.", 12),
        text(40, foot_y + 36, "QEMU pc, -m 128, as `map` printed it. Band "
             "heights grow with the logarithm of the size: not to scale.",
             11, fill="#555"),
    ]
    x = 40
    for key, label in LEGEND:
        foot.append(band(x, foot_y + 52, 14, 14, FILL[key], key == "nothing"))
        foot.append(text(x + 20, foot_y + 63, label, 11))
        x += 40 + 6.2 * len(label)
    height = foot_y + 84
    return ("<?xml version='1.0' encoding='UTF-8'?>\n"
            f"<svg xmlns='http://www.w3.org/2000/svg' width='{WIDTH}' "
            f"height='{height:.0f}' viewBox='0 0 {WIDTH} {height:.0f}'>\n"
            f"<rect width='{WIDTH}' height='{height:.0f}' fill='#fff'/>\n"
            + "\n".join(head + parts + foot) + "\n</svg>\n")


def capture():
    """Boots the kernel and returns what `map` prints."""
    with Machine() as m:
        m.wait_prompt(timeout=30)
        return m.command("map") + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--from", dest="source",
                        help="render this saved `map` output; boot nothing")
    parser.add_argument("--text", help="keep the captured `map` output here")
    parser.add_argument("--svg", required=True, help="write the figure here")
    args = parser.parse_args()
    if args.source:
        with open(args.source) as f:
            map_text = f.read()
    else:
        map_text = capture()
        if args.text:
            with open(args.text, "w") as f:
                f.write(map_text)
    svg = render(map_text)
    with open(args.svg, "w") as f:
        f.write(svg)


if __name__ == "__main__":
    main()
