#!/usr/bin/env python3
"""Writes the demo hard disk image that `make run` attaches to the primary
IDE channel (the master, where `disk` looks).

4 MiB: 8192 sectors of 512 bytes. Every sector starts with a line of text
naming its LBA, so `disk read` shows which sector arrived; the rest is a
pseudo-random pattern from a fixed seed, the same on every machine, so the
CRC-32 that `disk read` prints can be checked here:

    python3 -c 'import zlib; d = open("build/disk.img", "rb").read();
    print(hex(zlib.crc32(d[0:16 * 512])))'
"""

import argparse
import random

SECTOR = 512
SECTORS = 8192
SEED = 8192


def sector(lba, rng):
    label = f"iospace demo disk: LBA {lba:4d}\n".encode()
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
        for lba in range(SECTORS):
            f.write(sector(lba, rng))


if __name__ == "__main__":
    main()
