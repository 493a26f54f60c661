"""gdb commands for iospace (loaded by `make debug`, or `source
tools/iospace-gdb.py`). They read the kernel's memory through QEMU's gdb
stub, so they work whenever the kernel is stopped.

  vga          the 80x25 text screen, read from 0xB8000 (claim C1)
  idt          every IDT gate: its entry stub and the C handler behind it
  irqs         the kernel's per-line interrupt counts, by controller, and
               each claimed MSI vector's count
  iotrace [N]  the last N records of the kernel's I/O trace (io/trace.c)
  iotrace on|off  switch the kernel's I/O trace on or off
  qemu-pic     QEMU's own view of the 8259s   (monitor info pic)
  qemu-lapic   QEMU's own view of the LAPIC   (monitor info lapic)
  qemu-irq     QEMU's interrupt counters      (monitor info irq)

The qemu-* commands show what the emulated hardware holds, to compare with
what the kernel thinks (`irqs`, and the monitor's `pic` and `apic`).

An unwinder teaches `bt` the interrupt entry path: from a handler, the
backtrace goes through trap_dispatch and boot/isr.asm's trap_common into
the code the interrupt stopped.
"""

import gdb
import gdb.unwinder

VGA_TEXT = 0xB8000
VGA_COLS, VGA_ROWS = 80, 25
IDT_VECTORS = 256
GATE_PRESENT = 0x80
GATE_TYPES = {0x5: "task", 0xE: "interrupt", 0xF: "trap"}
EXCEPTIONS = 32
MSI_VECTOR_BASE = 0x50      # kernel/irq.h: IRQ_MSI_VECTOR_BASE


def symbol_at(addr):
    """The symbol (and offset) gdb knows for an address, or its hex."""
    if addr == 0:
        return "-"
    text = gdb.execute(f"info symbol {addr:#x}", to_string=True).strip()
    if text.startswith("No symbol"):
        return f"{addr:#010x}"
    return text.split(" in section ")[0]


class Vga(gdb.Command):
    """Print the VGA text screen as text (characters of 0xB8000..0xB8F9F,
    in code page 437 as the card draws them: the live panel's rule between
    its columns is a line-drawing character)."""

    def __init__(self):
        super().__init__("vga", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        cells = gdb.selected_inferior().read_memory(
            VGA_TEXT, VGA_COLS * VGA_ROWS * 2).tobytes()
        for row in range(VGA_ROWS):
            chars = cells[row * VGA_COLS * 2:(row + 1) * VGA_COLS * 2:2]
            print("".join(bytes([c]).decode("cp437") if c >= 32 and c != 127
                          else " " for c in chars).rstrip())


class Idt(gdb.Command):
    """Print every present IDT gate: vector, gate type, entry stub, and the
    C handler registered for it in kernel/trap.c (or the exception name).
    A run of device vectors with no handler is folded into one line."""

    def __init__(self):
        super().__init__("idt", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        idt = gdb.parse_and_eval("'idt.c'::idt")
        handlers = gdb.parse_and_eval("'trap.c'::handlers")
        names = gdb.parse_and_eval("'trap.c'::exception_names")
        print("vector      type       stub               handler")
        unhandled = []

        def flush():
            if len(unhandled) == 1:
                print(f"  0x{unhandled[0]:02x}      " + unhandled_text)
            elif unhandled:
                print(f"  0x{unhandled[0]:02x}-0x{unhandled[-1]:02x} "
                      + unhandled_text)
            unhandled.clear()

        unhandled_text = "interrupt  isr_stub_N         (none: reported as " \
                         "unexpected)"
        for v in range(IDT_VECTORS):
            gate = idt[v]
            attr = int(gate["type_attr"])
            if not attr & GATE_PRESENT:
                continue
            handler = int(handlers[v])
            if not handler and v >= EXCEPTIONS:
                unhandled.append(v)
                continue
            flush()
            stub = int(gate["offset_high"]) << 16 | int(gate["offset_low"])
            what = symbol_at(handler) if handler else names[v].string()
            kind = GATE_TYPES.get(attr & 0xF, f"type {attr & 0xF:#x}")
            print(f"  0x{v:02x}      {kind:<10} {symbol_at(stub):<18} {what}")
        flush()


class Irqs(gdb.Command):
    """Print the kernel's interrupt counts per line (kernel/irq.c)."""

    def __init__(self):
        super().__init__("irqs", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        counts = gdb.parse_and_eval("'irq.c'::counts")
        names = gdb.parse_and_eval("'irq.c'::names")
        active = {"IRQ_BY_PIC": "8259 PIC", "IRQ_BY_APIC": "IO APIC"}.get(
            str(gdb.parse_and_eval("'irq.c'::active")), "?")
        print(f"line  device     8259 PIC    IO APIC   (delivering: {active})")
        for line in range(16):
            name = names[line].string() if int(names[line]) else "-"
            print(f"{line:4}  {name:<8} {int(counts[line][0]):10} "
                  f"{int(counts[line][1]):10}")
        # Message-signalled interrupts: a vector each, no line
        # (kernel/irq_apic.c), listed once a driver has claimed one.
        slots = gdb.parse_and_eval("'irq_apic.c'::msi_slots")
        claimed = [s for s in range(slots.type.range()[1] + 1)
                   if int(slots[s]["name"])]
        if claimed:
            print(f"{'msi':>4}  {'device':<8} {'Local APIC':>10}")
        for s in claimed:
            print(f"0x{MSI_VECTOR_BASE + s:02x}  "
                  f"{slots[s]['name'].string():<8} "
                  f"{int(slots[s]['count']):10}")
        ticks = int(gdb.parse_and_eval("'tick.c'::ticks"))
        print(f"ticks: {ticks}")


class IoTrace(gdb.Command):
    """Print the last N (default 20) records of the kernel's I/O trace ring
    (io/trace.c), oldest first, with the device each access reached.
    `iotrace on` and `iotrace off` switch the trace, as the monitor's
    `trace on` and `trace off` do: they set the kernel's io_trace_on (the
    live panel stops drawing while it is set) and, off, let the panel go
    on. The kernel records from the next `continue`."""

    def __init__(self):
        super().__init__("iotrace", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        if arg.strip() in ("on", "off"):
            on = arg.strip() == "on"
            gdb.execute(f"set var io_trace_on = {int(on)}")
            if not on:
                gdb.execute("set var 'panel.c'::paused = 0")
            print(f"iotrace: the kernel's I/O trace is {arg.strip()} "
                  f"(io_trace_on = {int(on)})")
            return
        want = int(arg) if arg.strip() else 20
        ring = gdb.parse_and_eval("'trace.c'::ring")
        size = int(ring.type.sizeof // ring[0].type.sizeof)
        total = int(gdb.parse_and_eval("'trace.c'::total"))
        held = min(total - int(gdb.parse_and_eval("'trace.c'::cleared_at")),
                   size)
        devices = gdb.parse_and_eval("'trace.c'::devices")
        known = []
        for i in range(int(gdb.parse_and_eval("'trace.c'::device_count"))):
            d = devices[i].dereference()
            known.append((int(d["mech"]), int(d["first"]), int(d["last"]),
                          d["name"].string()))
        on = bool(int(gdb.parse_and_eval("io_trace_on")))
        print(f"{min(want, held)} of {held} records; tracing is "
              f"{'on' if on else 'off'}")
        for i in range(total - min(want, held), total):
            r = ring[i % size]
            mech, where = int(r["mech"]), int(r["where"])
            name = next((n for m, lo, hi, n in known
                         if m == mech and lo <= where <= hi), "?")
            write = int(r["dir"]) == 1
            insn = "mov" if mech == 1 else "out" if write else "in"
            print(f"  {'MMIO' if mech == 1 else 'PMIO'} {insn:<3} "
                  f"{int(r['bits']):2} {where:#010x} {'<-' if write else '->'}"
                  f" {int(r['value']):#x}  {name}")


class QemuMonitor(gdb.Command):
    """Run one of QEMU's monitor commands through the gdb stub."""

    def __init__(self, name, monitor_command):
        super().__init__(name, gdb.COMMAND_USER)
        self.monitor_command = monitor_command
        self.__doc__ = f"QEMU's own view: monitor {monitor_command}"

    def invoke(self, arg, from_tty):
        gdb.execute(f"monitor {self.monitor_command}")


class FrameId:
    """A frame's identity for gdb: its stack pointer and code address."""

    def __init__(self, sp, pc):
        self.sp, self.pc = sp, pc


class TrapFrameUnwinder(gdb.unwinder.Unwinder):
    """Unwinds the frame of boot/isr.asm's trap_common while it waits for
    trap_dispatch to return: the struct trap_frame it saved holds the
    interrupted code's registers (kernel/trap.h)."""

    # Byte offsets in struct trap_frame: gs fs es ds, pushad's edi esi ebp
    # esp ebx edx ecx eax, vector, error, then eip cs eflags from the CPU.
    OFFSETS = {"edi": 16, "esi": 20, "ebp": 24, "ebx": 32, "edx": 36,
               "ecx": 40, "eax": 44, "eip": 56}
    EFLAGS_END = 68             # the interrupted ESP (ring 0: no switch)

    def __init__(self):
        super().__init__("iospace trap frame")
        self.return_pc = int(gdb.parse_and_eval(
            "(unsigned int)&trap_dispatch_return"))

    def __call__(self, pending):
        pc = int(pending.read_register("eip"))
        if pc != self.return_pc:
            return None
        esp = int(pending.read_register("esp"))
        memory = gdb.selected_inferior()
        frame = int.from_bytes(memory.read_memory(esp, 4).tobytes(), "little")
        info = pending.create_unwind_info(FrameId(
            pending.read_register("esp"), pending.read_register("eip")))
        for reg, off in self.OFFSETS.items():
            raw = memory.read_memory(frame + off, 4).tobytes()
            value = gdb.Value(int.from_bytes(raw, "little"))
            info.add_saved_register(
                reg, value.cast(pending.read_register(reg).type))
        info.add_saved_register("esp", gdb.Value(frame + self.EFLAGS_END)
                                .cast(pending.read_register("esp").type))
        return info


Vga()
Idt()
Irqs()
IoTrace()
QemuMonitor("qemu-pic", "info pic")
QemuMonitor("qemu-lapic", "info lapic")
QemuMonitor("qemu-irq", "info irq")
gdb.unwinder.register_unwinder(None, TrapFrameUnwinder(), replace=True)
