"""Drive iospace in QEMU from a test: serial console, QMP, exit status.

A Machine boots the kernel (the ELF through QEMU's multiboot loader, or the
GRUB ISO) headless under TCG, with COM1 on a pipe and QMP on a Unix socket.
Every wait is bounded: a hung kernel fails the test, never hangs it.
"""

import json
import os
import re
import socket
import subprocess
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ELF = os.path.join(ROOT, "build", "iospace.elf")
ISO = os.path.join(ROOT, "build", "iospace.iso")
PROMPT = b"iospace> "

# QEMU exits with (value << 1) | 1 when the kernel writes value to
# isa-debug-exit; the self-test writes 0x10 (pass) or 0x11 (fail).
EXIT_PASSED = 33
EXIT_FAILED = 35

VGA_TEXT = 0xB8000
VGA_COLS, VGA_ROWS = 80, 25

# A 1.44 MB diskette: 80 cylinders x 2 heads x 18 sectors of 512 bytes.
SECTOR = 512
FLOPPY_BYTES = 80 * 2 * 18 * SECTOR


def floppy_drive(path):
    """QEMU arguments that put the image at path in drive A:, read-only."""
    return ["-drive", f"file={path},if=floppy,format=raw,readonly=on"]


def ide_disk(path):
    """QEMU arguments that put the image at path on the primary IDE
    channel's master, as `make run` does (snapshot=on: QEMU's IDE disk
    refuses a read-only image, and nothing reaches the file this way)."""
    return ["-drive", f"file={path},if=ide,index=0,format=raw,snapshot=on"]


def ahci_disk(path, port=0):
    """QEMU arguments that put the image at path on port `port` of q35's
    ICH9 AHCI controller (its ports are the buses ide.0-ide.5), as a
    SATA disk (snapshot=on, as for ide_disk)."""
    return ["-drive", f"file={path},if=none,id=ahci{port},format=raw,"
            "snapshot=on",
            "-device", f"ide-hd,drive=ahci{port},bus=ide.{port}"]


TRACE_RE = re.compile(
    r"memory_region_ops_(read|write) cpu \d+ mr (0x[0-9a-f]+) "
    r"addr (0x[0-9a-f]+) value (0x[0-9a-f]+) size (\d+) name '([^']*)'")


MAP_ROW_RE = re.compile(
    r"^  0x([0-9a-f]{8})-0x([0-9a-f]{8}) +(~?[0-9.]+ [KMG]?i?B) +"
    r"(RAM|device|ROM|reserved|nothing) +mov  (.+)$", re.M)
PORT_ROW_RE = re.compile(      # the chip column as wide as its longest
    r"^  0x([0-9a-f]{4})(?:-0x([0-9a-f]{4}))? +(\S.*?\S)  +(\S.{18}) "
    r"(in/out|in|out)$", re.M)
WINDOWS_RE = re.compile(r"^  (.* = .* of 4 GiB \(.*%\))$", re.M)


class MapRow:
    """One row of the `map` command's memory table: [first, last], the
    size as printed, what answers there and the label."""

    def __init__(self, first, last, size, answer, what):
        self.first, self.last = int(first, 16), int(last, 16)
        self.size, self.answer, self.what = size, answer, what

    def __repr__(self):
        return f"{self.first:#010x}-{self.last:#010x} {self.answer} {self.what}"


class PortRow:
    """One row of the `map` command's port table."""

    def __init__(self, first, last, chip, driver, via):
        self.first = int(first, 16)
        self.last = int(last, 16) if last else self.first
        self.chip, self.driver, self.via = chip.strip(), driver.strip(), via


def parse_map(text):
    """The `map` command's output: (memory rows, port rows, the device
    windows' sum line)."""
    text = text.replace("\r\n", "\n")
    memory = [MapRow(*m.groups()) for m in MAP_ROW_RE.finditer(text)]
    ports = [PortRow(*m.groups()) for m in PORT_ROW_RE.finditer(text)]
    windows = WINDOWS_RE.search(text)
    return memory, ports, windows[1] if windows else None


class Access:
    """One device access QEMU saw: op 'read' or 'write', the memory region
    (mr, QEMU's pointer, tells two regions of one name apart), the port or
    address, the value, the size in bytes and the region's name."""

    def __init__(self, op, mr, addr, value, size, name):
        self.op, self.mr, self.name = op, mr, name
        self.addr, self.value, self.size = int(addr, 16), int(value, 16), int(size)

    def __repr__(self):
        return (f"{self.op} {self.name} {self.addr:#x} "
                f"{'<-' if self.op == 'write' else '->'} {self.value:#x}")


class Machine:
    def __init__(self, append="", iso=False, serial=True, debug_exit=True,
                 trace=False, trace_events=(), extra=()):
        self._dir = tempfile.TemporaryDirectory(prefix="iospace-")
        self.qmp_path = os.path.join(self._dir.name, "qmp.sock")
        self.trace_path = os.path.join(self._dir.name, "trace.log")
        cmd = ["qemu-system-i386", "-accel", "tcg", "-m", "128",
               "-display", "none", "-monitor", "none", "-no-reboot",
               "-qmp", f"unix:{self.qmp_path},server=on,wait=off",
               "-serial", "stdio" if serial else "none"]
        if debug_exit:
            cmd += ["-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]
        # trace: QEMU's log of every device access (kernel_accesses());
        # trace_events: more of QEMU's trace events into the same log
        # (trace_log()), such as pci_update_mappings_add.
        events = list(trace_events)
        if trace:
            events = ["memory_region_ops_read",
                      "memory_region_ops_write"] + events
        for event in events:
            cmd += ["-trace", event]
        if events:
            cmd += ["-D", self.trace_path]
        if iso:
            cmd += ["-cdrom", ISO]
        else:
            cmd += ["-kernel", ELF, "-append", append]
        cmd += list(extra)
        self.cmd = cmd
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE)
        self.output = bytearray()
        self._eof = False
        self._reading = threading.Event()   # cleared: stop reading COM1
        self._reading.set()
        self.pos = 0            # how far expect() has consumed
        self._cond = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self._qmp = None

    def _read(self):
        while True:
            self._reading.wait()
            chunk = os.read(self.proc.stdout.fileno(), 65536)
            with self._cond:
                if not chunk:
                    self._eof = True
                    self._cond.notify_all()
                    return
                self.output += chunk
                self._cond.notify_all()

    # --- serial -----------------------------------------------------------

    def text(self):
        """Everything the serial line carried so far, as text."""
        return self.output.decode("latin-1")

    def expect(self, pattern, timeout=20):
        """Waits until the regex (bytes) matches the output after the last
        match; returns the match and moves past it."""
        regex = re.compile(pattern)
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                m = regex.search(self.output, self.pos)
                if m:
                    self.pos = m.end()
                    return m
                left = deadline - time.monotonic()
                if left <= 0 or self._eof:
                    state = "QEMU exited" if self._eof else "timed out"
                    tail = self.output[-1500:].decode("latin-1")
                    raise AssertionError(f"no {pattern!r} after {timeout}s "
                                         f"({state}); serial tail:\n{tail}")
                self._cond.wait(min(left, 0.2))

    def pause_reading(self):
        """Stops reading the serial line, as a stuck host would: once the
        pipe is full, the UART's transmitter stops taking bytes."""
        self._reading.clear()

    def resume_reading(self):
        self._reading.set()

    def send(self, data):
        if isinstance(data, str):
            data = data.encode("latin-1")
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def wait_prompt(self, timeout=20):
        self.expect(re.escape(PROMPT), timeout)

    def command(self, line, timeout=20):
        """Types a monitor line and returns what it printed before the next
        prompt, without the echo, lines joined with \\n."""
        start = self.pos
        self.send(line + "\r")
        self.expect(re.escape(PROMPT), timeout)
        out = self.output[start:self.pos - len(PROMPT)].decode("latin-1")
        lines = out.replace("\r\n", "\n").split("\n")
        # The first line is the echo of what we typed.
        return "\n".join(lines[1:]).strip("\n")

    # --- QMP --------------------------------------------------------------

    def qmp(self, execute, **arguments):
        if self._qmp is None:
            deadline = time.monotonic() + 10
            while True:
                try:
                    s = socket.socket(socket.AF_UNIX)
                    s.connect(self.qmp_path)
                    break
                except OSError:
                    s.close()
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.05)
            s.settimeout(10)
            self._qmp = s.makefile("rwb")
            self._qmp_reply()                 # the greeting
            self._qmp_send("qmp_capabilities")
            self._qmp_reply()
        self._qmp_send(execute, **arguments)
        reply = self._qmp_reply()
        if "error" in reply:
            raise AssertionError(f"QMP {execute}: {reply['error']}")
        return reply["return"]

    def _qmp_send(self, execute, **arguments):
        msg = {"execute": execute}
        if arguments:
            msg["arguments"] = arguments
        self._qmp.write(json.dumps(msg).encode() + b"\n")
        self._qmp.flush()

    def _qmp_reply(self):
        while True:
            line = self._qmp.readline()
            if not line:
                raise AssertionError("QMP connection closed")
            msg = json.loads(line)
            if "event" not in msg:
                return msg

    def hmp(self, command_line):
        """A QEMU human monitor command, run through QMP."""
        return self.qmp("human-monitor-command", **{"command-line": command_line})

    def read_phys(self, addr, count, unit="h"):
        """count units ('b', 'h' 16-bit, 'w' 32-bit) of guest physical
        memory, read by QEMU itself (xp), not by the kernel."""
        values = []
        out = self.hmp(f"xp /{count}{unit}x {addr:#x}")
        for line in out.splitlines():
            _, _, data = line.partition(":")
            values += [int(v, 16) for v in data.split()]
        assert len(values) == count, out
        return values

    def flat_views(self):
        """QEMU's own map of who decodes which address: {"memory": [...],
        "I/O": [...]}, each a sorted list of (first, last, kind, name),
        kind being ram, rom or i/o (`info mtree -f`)."""
        views, current = {}, None
        for line in self.hmp("info mtree -f").splitlines():
            m = re.match(r'^ AS "([^"]+)"', line)
            if m and current is None and m[1] in ("memory", "I/O"):
                current = views.setdefault(m[1], [])
                continue
            m = re.match(r"^  ([0-9a-f]+)-([0-9a-f]+) \(prio \d+, (\w+|i/o)\): "
                         r"(.+?)(?: @[0-9a-f]+)?$", line)
            if m and current is not None:
                current.append((int(m[1], 16), int(m[2], 16), m[3], m[4]))
            elif not line.strip():
                current = None
        return views

    def vga_cells(self, base=VGA_TEXT):
        """The screen's 2000 cells, read at base: where the text buffer
        answers (0xB8000 unless `vgawindow` moved it)."""
        return self.read_phys(base, VGA_COLS * VGA_ROWS)

    def vga_rows(self, base=VGA_TEXT):
        """The 25 rows of the text screen as strings (characters only, in
        code page 437, the VGA's own: 0xB3 is the line between the live
        panel's columns)."""
        chars = bytes(c & 0xFF for c in self.vga_cells(base)).decode("cp437")
        return [chars[i:i + VGA_COLS] for i in range(0, len(chars), VGA_COLS)]

    # --- QEMU's own trace -------------------------------------------------

    def stop_tracing(self):
        """Stops QEMU's own access trace (what follows is not logged)."""
        for event in ("memory_region_ops_read", "memory_region_ops_write"):
            self.qmp("trace-event-set-state", name=event, enable=False)

    def quit(self):
        """Ends QEMU the orderly way (QMP quit), which flushes its trace
        log: read kernel_accesses() after this for the complete log."""
        self.qmp("quit")
        self.wait_exit()

    def trace_log(self, event):
        """The arguments of every `event` line in QEMU's trace log, oldest
        first (read it after quit(), which flushes the log)."""
        with open(self.trace_path, encoding="latin-1") as f:
            return [line.split(event + " ", 1)[1].strip()
                    for line in f if event + " " in line]

    def kernel_accesses(self, names=None):
        """The device accesses QEMU traced since the kernel started, oldest
        first, optionally only those to regions with one of these names.
        Firmware and QEMU's loader touch the same devices first; with
        -kernel the kernel's part starts after the last fw_cfg access."""
        with open(self.trace_path, encoding="latin-1") as f:
            lines = f.read().splitlines()
        start = 0
        for i, line in enumerate(lines):
            if "name 'fwcfg" in line:
                start = i + 1
        out = []
        wanted = None if names is None else [f"name '{n}'" for n in names]
        for line in lines[start:]:
            if wanted is not None and not any(w in line for w in wanted):
                continue
            m = TRACE_RE.search(line)
            if m and (names is None or m[6] in names):
                out.append(Access(*m.groups()))
        return out

    # --- lifetime ---------------------------------------------------------

    def wait_exit(self, timeout=30):
        """Waits for QEMU to end; returns its exit status."""
        try:
            rc = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError(
                f"QEMU still running after {timeout}s; serial tail:\n"
                + self.output[-1500:].decode("latin-1"))
        self._reader.join(5)
        return rc

    def close(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)
        if self._qmp is not None:
            self._qmp.close()
        # QEMU is gone, so the reader meets the end of the pipe and
        # returns; closing the pipe under it would make its read fail.
        self._reading.set()
        self._reader.join(10)
        for f in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            f.close()
        self._dir.cleanup()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
