#!/usr/bin/env python3
"""The layers of iospace, checked: every #include "..." under boot/,
kernel/, io/ and drivers/ must point down the layers or sideways, and no
module may reach itself through its includes.

The layers, from the top (a file may include its own layer and the ones
below; never one above):

    6 main     kernel/main.c, boot/: they put the kernel together
    5 top      kernel/monitor/, kernel/panel/: what the user sees
    4 core     kernel/ (the rest): console, interrupts, paging, clock...
    3 drivers  drivers/: one file per chip
    2 io       io/: in/out, device mov, the I/O trace
    1 base     kernel/lib/ (pure code) and kernel/x86.h (CPU instructions)

A driver needs a few of the core's services, as a Linux driver includes
<linux/interrupt.h>: those headers (SERVICES below) are open to drivers,
and only to them. The core never calls a driver back through its own
includes (it is handed function pointers instead, as kernel/console.c is
handed its sinks), so no cycle can go through a service: the cycle check
below makes sure of it.

A module is a .c with its .h (kernel/irq.c and kernel/irq.h are one), and
a chip's driver split over files is one (drivers/floppy*.c). The
check prints the module graph's figures (modules, edges, the largest
strongly connected component: the largest set of modules that all reach
each other) and every violation; it exits 1 when there is one.

    python3 tools/layers.py [ROOT]
"""

import os
import re
import sys

FOLDERS = ["boot", "kernel", "io", "drivers"]

MAIN, TOP, CORE, DRIVERS, IO, BASE = 6, 5, 4, 3, 2, 1
LAYER_NAMES = {MAIN: "main", TOP: "top", CORE: "core", DRIVERS: "drivers",
               IO: "io", BASE: "base"}

# The core's headers a driver may include, and why each one.
SERVICES = {
    # irq_register, struct irq_chip (the 8259 hands in its own) and the
    # vector numbers: a driver installs its interrupt handler.
    "kernel/irq.h",
    # trap_set_handler: the Local APIC installs its own vectors (spurious,
    # error, timer), which are no IRQ line; with it the recovery points it
    # includes.
    "kernel/trap.h",
    "kernel/recover.h",
    # paging_map_mmio, paging_entry: a driver maps its device's registers
    # uncached, and the DMA driver finds a buffer's physical address.
    "kernel/paging.h",
    # What CPUID says: the Local APIC exists only when it says so.
    "kernel/cpu.h",
    # The kernel's clock, read: timeouts in milliseconds (the floppy's).
    # Only read: which timer is the tick is the core's choice (tick.c,
    # irq_apic.c), never a timer driver's.
    "kernel/tick.h",
    # The TSC's rate: the floppy driver counts the cycles a read cost.
    "kernel/tsc.h",
    # A poll loop's bound in time (the floppy's MSR, the 8042's status, the
    # RTC's update flag): read from the TSC, never from a tick.
    "kernel/timeout.h",
}


def layer_of(path):
    """The layer of a file, by its folder (a path relative to the root)."""
    if path == "kernel/main.c" or path.startswith("boot/"):
        return MAIN
    if path.startswith(("kernel/monitor/", "kernel/panel/")):
        return TOP
    if path.startswith("kernel/lib/") or path == "kernel/x86.h":
        return BASE
    if path.startswith("kernel/"):
        return CORE
    if path.startswith("drivers/"):
        return DRIVERS
    if path.startswith("io/"):
        return IO
    return None


def target_layer(path, by_layer):
    """The layer an include of path counts in, seen from by_layer: a
    service header counts as a driver's own, for drivers."""
    if path in SERVICES and by_layer == DRIVERS:
        return DRIVERS
    return layer_of(path)


INCLUDE = re.compile(r'^[ \t]*#[ \t]*include[ \t]+"([^"]+)"', re.M)


def read_includes(root):
    """{file: [(line, included file)]} for every .c and .h."""
    files = {}
    for folder in FOLDERS:
        for dirpath, _, names in os.walk(os.path.join(root, folder)):
            for name in sorted(names):
                if not name.endswith((".c", ".h")):
                    continue
                full = os.path.join(dirpath, name)
                rel = os.path.relpath(full, root).replace(os.sep, "/")
                with open(full, encoding="utf-8") as f:
                    text = f.read()
                files[rel] = [(text.count("\n", 0, m.start()) + 1, m.group(1))
                              for m in INCLUDE.finditer(text)]
    return files


def module_of(path):
    """A .c with its .h; and one chip's driver split over several files
    (drivers/floppy.c, floppy_fdc.c, floppy_dma.c...) is one module."""
    stem = os.path.splitext(path)[0]
    if stem.startswith("drivers/"):
        return stem.split("_")[0]
    return stem


def strongly_connected(graph):
    """The strongly connected components of graph ({node: set(nodes)}),
    by Tarjan's algorithm (iterative: no recursion limit)."""
    index, low, on_stack, stack, comps = {}, {}, set(), [], []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    comp = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        comp.append(member)
                        if member == node:
                            break
                    comps.append(sorted(comp))
    return comps


def check(root):
    """Returns (figures, violations): figures a dict, violations a list of
    lines."""
    files = read_includes(root)
    violations = []
    graph = {module_of(f): set() for f in files}
    for path, includes in sorted(files.items()):
        here = layer_of(path)
        for line, target in includes:
            if target not in files:
                violations.append(f"{path}:{line}: includes {target}, "
                                  "which is not in the tree")
                continue
            there = target_layer(target, here)
            if here is not None and there is not None and there > here:
                violations.append(
                    f"{path}:{line}: includes {target}: up from "
                    f"{LAYER_NAMES[here]} to {LAYER_NAMES[there]}")
            if module_of(target) != module_of(path):
                graph[module_of(path)].add(module_of(target))
    comps = strongly_connected(graph)
    largest = max(comps, key=len) if comps else []
    for comp in comps:
        if len(comp) > 1:
            violations.append(f"cycle of {len(comp)} modules: "
                              + " ".join(comp))
    figures = {
        "modules": len(graph),
        "edges": sum(len(e) for e in graph.values()),
        "largest_scc": len(largest),
    }
    return figures, violations


def main(argv):
    root = argv[1] if len(argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..")
    figures, violations = check(root)
    print(f"layers: {figures['modules']} modules, {figures['edges']} "
          f"include edges between them, largest strongly connected "
          f"component {figures['largest_scc']} module(s)")
    for v in violations:
        print(f"error: {v}")
    return 1 if violations else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
