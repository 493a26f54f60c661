"""The layers hold (tools/layers.py, also run by `make lint`): every
include points down the layers boot -> kernel (monitor and panel on top of
its core) -> drivers -> io -> base, or to a service header a driver may
use, and no module (a .c with its .h) reaches itself through includes.
No QEMU: the check reads the source tree. The checker itself is checked on
small fake trees: it must see a cycle and an include up the layers.
"""

import os
import subprocess
import sys

from iospace import ROOT

sys.path.insert(0, os.path.join(ROOT, "tools"))
import layers  # noqa: E402  (tools/layers.py)

CHECKER = os.path.join(ROOT, "tools", "layers.py")


def run_checker(root):
    return subprocess.run([sys.executable, CHECKER, root],
                          capture_output=True, text=True)


def write_tree(root, files):
    for path, text in files.items():
        full = os.path.join(root, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w", encoding="utf-8") as f:
            f.write(text)


def test_the_tree_keeps_its_layers():
    out = run_checker(ROOT)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "largest strongly connected component 1 module(s)" in out.stdout


def test_the_checker_sees_a_cycle_between_two_drivers(tmp_path):
    write_tree(tmp_path, {
        "drivers/a.h": "#include \"drivers/b.h\"\n",
        "drivers/a.c": "#include \"drivers/a.h\"\n",
        "drivers/b.h": "",
        "drivers/b.c": "#include \"drivers/b.h\"\n#include \"drivers/a.h\"\n",
    })
    out = run_checker(str(tmp_path))
    assert out.returncode == 1, out.stdout
    assert "largest strongly connected component 2 module(s)" in out.stdout
    assert "error: cycle of 2 modules: drivers/a drivers/b" in out.stdout


def test_the_checker_sees_an_include_up_the_layers(tmp_path):
    write_tree(tmp_path, {
        "kernel/console.h": "",
        "kernel/console.c": "#include \"kernel/console.h\"\n",
        "drivers/uart.c": "\n#include \"kernel/console.h\"\n",
        # A service header is open to drivers, and to them only.
        "kernel/irq.h": "",
        "drivers/pic.c": "#include \"kernel/irq.h\"\n",
        "io/port.h": "#include \"kernel/irq.h\"\n",
    })
    out = run_checker(str(tmp_path))
    assert out.returncode == 1, out.stdout
    errors = [l for l in out.stdout.splitlines() if l.startswith("error:")]
    assert errors == [
        "error: drivers/uart.c:2: includes kernel/console.h: up from "
        "drivers to core",
        "error: io/port.h:1: includes kernel/irq.h: up from io to core",
    ], out.stdout


def test_every_service_header_is_a_core_header():
    # The services drivers may include exist, and each is a core header.
    for header in layers.SERVICES:
        assert os.path.exists(os.path.join(ROOT, header)), header
        assert layers.layer_of(header) == layers.CORE, header
