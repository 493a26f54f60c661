#!/usr/bin/env python3
"""The assembly listing of iospace's device code, with its I/O marked
(claim C10: port I/O stands out in a listing, memory-mapped I/O does not).

    tools/listing.py [-o build/listing.txt] OBJECT...

For each object file, objdump's disassembly with the C source interleaved,
every instruction line prefixed:

    PMIO>  an in or out (or ins/outs): the only instructions that reach the
           I/O port space. Found by the mnemonic alone.
    MMIO>  a load or store that came from io/mmio.h: a plain mov (or an or)
           that reaches a device because of the address it uses. Nothing in
           the instruction says so; the line table has to tell: objdump -l
           names the source line each instruction came from, and iospace's
           MMIO accesses are all written in io/mmio.h (inlined into the
           drivers). Instructions there that use a relocated address (a
           kernel variable, such as a trace flag) or the stack are not
           device accesses and are left unmarked.

A table at the top counts both per object. `make listing` writes it for
the drivers and the kernel files that include io/port.h or io/mmio.h.
"""

import argparse
import os
import re
import subprocess
import sys

PMIO, MMIO, PLAIN = "PMIO> ", "MMIO> ", "      "

# An instruction line: "  1f:\tmov    0x280(%eax),%edx".
INSN_RE = re.compile(r"^\s*[0-9a-f]+:\t(.*)$")
# A relocation objdump -r prints under the instruction it patches.
RELOC_RE = re.compile(r"^\t+[0-9a-f]+: R_386_")
# A line-table marker objdump -l prints: "/path/io/mmio.h:51", perhaps with
# " (discriminator 3)".
LINE_RE = re.compile(r"^(\S+\.[chS]|\S+\.asm):\d+(?: \(discriminator \d+\))?$")
# in, inb/inw/inl, ins{b,w,l} and the same for out, perhaps after rep.
PORT_INSN_RE = re.compile(r"^(?:rep\w*\s+)?(?:in|out)s?[bwl]?\s")
# An operand in memory: "(%reg...)" or a bare number (an absolute address;
# immediates carry a $).
MEMORY_OPERAND_RE = re.compile(r"\(|(?:^|,)-?(?:0x[0-9a-f]+|\d+)(?:,|$)")
NOT_ACCESSES = ("lea", "nop", "call", "j", "push", "pop", "ret")

MMIO_SOURCE = os.path.join("io", "mmio.h")


def is_port_io(insn):
    return PORT_INSN_RE.match(insn) is not None


def is_mmio(insn, source, relocated):
    if relocated or source is None:
        return False
    if not os.path.normpath(source).endswith(MMIO_SOURCE):
        return False
    mnemonic, _, operands = insn.partition(" ")
    operands = operands.strip()
    return (not mnemonic.startswith(NOT_ACCESSES)
            and "%esp" not in operands
            and MEMORY_OPERAND_RE.search(operands) is not None)


def disassemble(obj):
    """objdump's lines for obj: disassembly, source, line numbers, relocs."""
    return subprocess.run(
        ["objdump", "-d", "-l", "-S", "-r", "--no-show-raw-insn", obj],
        check=True, capture_output=True, text=True).stdout.splitlines()


def annotate(lines):
    """Yields (prefix, line, source) for each line, source being the file
    of the last line-table marker (None before the first)."""
    source = None
    for i, line in enumerate(lines):
        m = LINE_RE.match(line)
        if m:
            source = m[1]
        insn = INSN_RE.match(line)
        if not insn:
            yield PLAIN, line, source
            continue
        relocated = i + 1 < len(lines) and RELOC_RE.match(lines[i + 1])
        text = insn[1].strip()
        if is_port_io(text):
            yield PMIO, line, source
        elif is_mmio(text, source, relocated):
            yield MMIO, line, source
        else:
            yield PLAIN, line, source


def count(obj):
    """(in/out instructions, MMIO instructions) in an object file."""
    marks = [prefix for prefix, _, _ in annotate(disassemble(obj))]
    return marks.count(PMIO), marks.count(MMIO)


def port_io_sources(obj):
    """The source files the in/out instructions of obj came from."""
    return {os.path.normpath(source) if source else None
            for prefix, _, source in annotate(disassemble(obj))
            if prefix == PMIO}


def kind(pmio, mmio):
    if pmio and mmio:
        return "both"
    if pmio:
        return "port-mapped"
    if mmio:
        return "memory-mapped"
    return "neither"


def write_listing(objects, out):
    listings = {obj: list(annotate(disassemble(obj))) for obj in objects}
    out.write(__doc__.split("\n\n", 1)[0] + "\n\n")
    out.write("PMIO>  in/out: the I/O port space (found by mnemonic)\n"
              "MMIO>  a load or store from io/mmio.h: a device in the memory "
              "space\n       (found only through the source line)\n\n")
    out.write(f"{'object':<28} {'in/out':>6} {'MMIO':>6}  kind\n")
    for obj, lines in listings.items():
        marks = [prefix for prefix, _, _ in lines]
        pmio, mmio = marks.count(PMIO), marks.count(MMIO)
        out.write(f"{obj:<28} {pmio:>6} {mmio:>6}  {kind(pmio, mmio)}\n")
    for obj, lines in listings.items():
        out.write(f"\n{'=' * 78}\n{obj}\n{'=' * 78}\n")
        for prefix, line, _ in lines:
            out.write(f"{prefix}{line}".rstrip() + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-o", "--output", help="write here, not to stdout")
    parser.add_argument("objects", nargs="+")
    args = parser.parse_args()
    if args.output:
        with open(args.output, "w") as out:
            write_listing(args.objects, out)
    else:
        write_listing(args.objects, sys.stdout)


if __name__ == "__main__":
    main()
