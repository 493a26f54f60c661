#!/usr/bin/env python3
"""Writes the demo diskette image that `make run` puts in drive A:.

A 1.44 MB diskette: 80 cylinders x 2 heads x 18 sectors of 512 bytes. Every
sector starts with a line of text naming its LBA and its cylinder, head and
sector, so `fdread` shows where the controller found it; the rest is a
pseudo-random pattern from a fixed seed, the same on every machine, so the
CRC-32 that `fdread` prints can be checked here:

    python3 -c 'import zlib; d = open("build/floppy.img", "rb").read();
    print(hex(zlib.crc32(d[0:18 * 512])))'
"""

import argparse
import random

SECTOR = 512
SECTORS_PER_TRACK, HEADS, CYLINDERS = 18, 2, 80
SEED = 1440


def sector(lba, rng):
    c, rest = divmod(lba, HEADS * SECTORS_PER_TRACK)
    h, s = divmod(rest, SECTORS_PER_TRACK)
    label = (f"iospace demo diskette: LBA {lba:4d} is cylinder {c:2d} "
             f"head {h} sector {s + 1:2d}\n").encode()
    return label + rng.randbytes(SECTOR - len(label))


def main():
    # argparse, so that `--help` prints this text instead of becoming the
    # name of the image written.
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("output", help="the image file to write")
    args = parser.parse_args()
    rng = random.Random(SEED)
    with open(args.output, "wb") as f:
        for lba in range(CYLINDERS * HEADS * SECTORS_PER_TRACK):
            f.write(sector(lba, rng))


if __name__ == "__main__":
    main()
