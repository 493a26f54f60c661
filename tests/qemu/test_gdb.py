"""`make debug`'s ingredients: QEMU's gdb stub, the ELF's symbols and DWARF
line info (C and nasm), driven by gdb in batch mode."""

import socket
import subprocess

from iospace import ELF


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_gdb_stops_at_kmain_and_reads_its_arguments(tmp_path):
    port = free_port()
    qemu = subprocess.Popen(
        ["qemu-system-i386", "-accel", "tcg", "-m", "128", "-display", "none",
         "-monitor", "none", "-no-reboot", "-kernel", ELF,
         "-serial", f"file:{tmp_path / 'serial.log'}",
         "-S", "-gdb", f"tcp:127.0.0.1:{port}"])
    try:
        out = subprocess.run(
            ["gdb", "-q", "-batch", "-nx", ELF,
             "-ex", f"target remote 127.0.0.1:{port}",
             "-ex", "break kmain", "-ex", "continue",
             "-ex", "printf \"magic=%#x\\n\", magic",
             "-ex", "bt"],
            capture_output=True, text=True, timeout=60).stdout
    finally:
        qemu.kill()
        qemu.wait(10)
    assert "Breakpoint 1, kmain (" in out, out
    assert "magic=0x2badb002" in out, out
    # The caller is the nasm entry point, with its source line.
    assert "_start () at boot/multiboot.asm" in out, out
