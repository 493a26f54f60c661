"""The docs say what the kernel does; these tests hold them to it.

Static checks, over README.md and docs/*.md:
- a name in a code span that looks like a macro (`PIC1_COMMAND`,
  `DMA_STATUS_TC(channel)`: upper case with an underscore) is defined in the
  source (#define, nasm equ, an enumerator) or is a Makefile variable;
- in a table with a `name` and a `value` column (docs/hardware.md's register
  tables), a value that starts with a number is the macro's value;
- every path of the tree a doc names (`drivers/pic8259.c`, links such as
  [dma.md](dma.md)) exists, and a link to a section (#...) finds its
  heading; `make TARGET` is a target of the Makefile;
- `function()` names a function the source defines, and "`function()` in
  `file`" one that file defines;
- the monitor's commands that README's table lists are those `help` lists;
  the gdb commands its gdb table lists are those tools/iospace-gdb.py
  defines; a command named on a "Monitor:" line or in a "monitor" column
  is a monitor command, with as many arguments as it takes.

Transcripts: a monitor session shown in a doc is a fenced block with the
info string `iospace`, checked by replaying it on a kernel:

    <!-- iospace: append="irq=pic" -->      (optional: how to boot)
    ```iospace
    iospace> outb 0x3ff 0x5a                 a command, typed as shown
    outb(0x03ff, 0x5a)                       the lines it must print
    iospace> pic
    ...                                      any number of lines
      IMR 1111111110101000  0x...            `...` in a line: any text
    ```

- A line starting with `iospace> ` is a command; the lines after it, up to
  the next command, are its whole output (trailing spaces do not count).
- `...` inside a line matches any text; a line that is only `...` matches
  any number of lines, none included.
- Lines before the first command are the boot messages, from the first
  line the kernel prints; only the first block of a session may have them.
- Every block of a doc with the same options runs, in order, on one kernel
  booted for them: later blocks see what earlier ones did, as a reader who
  follows the doc would. The options, in an HTML comment on the line before
  the block: append="WORDS" (the kernel command line), qemu="ARGS" (more
  QEMU arguments), iso (boot the ISO through GRUB, as `make run` does),
  nofloppy (no diskette; by default drive A: holds build/floppy.img, as
  with `make run`), nodisk (no hard disk; by default the primary IDE
  channel's master holds build/disk.img, as with `make run`; on
  q35 that is AHCI port 0),
  timeout=SECONDS (per command, default 20).
- A monitor session in any other kind of block is an error: it would not
  be checked (a ```markdown block, which shows a doc's own source, may
  hold one as an example).

gdb sessions are ```gdb blocks, with `(gdb) ` commands and the same
matching. All of a doc's gdb blocks run, in order, in one gdb started as
`make debug` starts it: the -O0 kernel, tools/iospace-gdb.py, stopped at
kmain (so the doc's first breakpoint is number 2).

docs/README.md says the same for people writing docs.
"""

import glob
import html
import os
import re
import shlex
import socket
import subprocess

import pytest

from doccheck import (ELLIPSIS, GDB_PROMPT, PROMPT, Markdown, SourceTree,
                      first_mismatch, output_matches, parse_help, transcripts)
from iospace import ROOT, Machine, floppy_drive, ide_disk

DOC_FILES = [os.path.join(ROOT, "README.md")] + sorted(
    glob.glob(os.path.join(ROOT, "docs", "*.md")))
DOC_NAMES = [os.path.relpath(p, ROOT) for p in DOC_FILES]
FLOPPY = os.path.join(ROOT, "build", "floppy.img")
DISK = os.path.join(ROOT, "build", "disk.img")

# A name as macros are written: upper case, at least one underscore.
MACRO_RE = re.compile(r"^([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)(\([\w, ]*\))?$")
# Paths into the tree, wherever they appear in a doc.
TREE_PATH_RE = re.compile(
    r"(?<![\w/.-])((?:boot|kernel|drivers|io|iso|tests|tools|docs)/"
    r"[\w.*/-]*[\w*/])")
MAKE_RE = re.compile(r"(?:^|[\s(;|&`])make((?:\s+(?:-[A-Za-z]\s+\S+|--?\S+|"
                     r"[A-Z_]+=\S*))*)\s+([a-z][\w./-]*)")
FUNCTION_RE = re.compile(r"`(\w+)\(\)`(?: (?:in|of) `([\w./-]+)`)?")
NUMBER_RE = re.compile(r"^(0x[0-9a-fA-F]+|\d+)\b")
COMMAND_TIMEOUT = 20
BOOT_TIMEOUT = 30


@pytest.fixture(scope="module")
def tree():
    return SourceTree()


@pytest.fixture(scope="module")
def docs():
    return {os.path.relpath(p, ROOT): Markdown(p) for p in DOC_FILES}


@pytest.fixture(scope="module")
def help_commands():
    """The commands the monitor's `help` lists (one boot)."""
    with Machine() as m:
        m.wait_prompt(BOOT_TIMEOUT)
        return parse_help(m.command("help"))


def fail_all(problems):
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


# --- names, paths, targets -------------------------------------------------


@pytest.mark.parametrize("name", DOC_NAMES)
def test_macro_names_are_defined_in_the_source(name, docs, tree):
    doc = docs[name]
    problems = []
    for n, span in doc.spans():
        m = MACRO_RE.match(span)
        if m and not tree.is_defined_name(m[1]):
            problems.append(f"{name}:{n}: `{span}`: no #define, equ, "
                            "enumerator or Makefile variable of that name")
    fail_all(problems)


@pytest.mark.parametrize("name", DOC_NAMES)
def test_register_table_values_are_the_macros_values(name, docs, tree):
    doc = docs[name]
    problems, checked = [], 0
    for table in doc.tables:
        names, values = table.column("name"), table.column("value")
        if names is None or values is None:
            continue
        for n, cells in table.rows:
            value = cells[values] if values < len(cells) else ""
            number = NUMBER_RE.match(value)
            for macro in re.findall(r"`([^`]+)`", cells[names]):
                m = MACRO_RE.match(macro)
                if not m or m[2] or not number:
                    continue    # function-like, or a value in words
                want, have = int(number[1], 0), tree.value(m[1])
                checked += 1
                if have != want:
                    files = ", ".join(f for f, _ in tree.defines.get(m[1], []))
                    problems.append(
                        f"{name}:{n}: `{m[1]}` is "
                        f"{'not a number' if have is None else hex(have)} in "
                        f"the source ({files}), the table says {number[1]}")
    fail_all(problems)
    if name == "docs/hardware.md":
        assert checked > 100, f"only {checked} register values checked"


def doc_paths(doc):
    """(line, path as written, path from the root) for every path into
    the tree and every relative link the doc has."""
    for n, line in doc.prose + [l for f in doc.fences for l in f.lines]:
        for m in TREE_PATH_RE.finditer(line):
            yield n, m[1], m[1].rstrip(".")
    for n, target in doc.links():
        if re.match(r"^[a-z]+:", target) or target.startswith("#"):
            continue
        path = target.split("#")[0]
        yield n, target, os.path.relpath(
            os.path.join(os.path.dirname(doc.path), path), ROOT)


@pytest.mark.parametrize("name", DOC_NAMES)
def test_paths_exist(name, docs):
    problems = []
    for n, written, path in doc_paths(docs[name]):
        if not glob.glob(os.path.join(ROOT, path)):
            problems.append(f"{name}:{n}: {written}: no such file or folder")
    fail_all(problems)


@pytest.mark.parametrize("name", DOC_NAMES)
def test_links_to_sections_find_them(name, docs):
    doc = docs[name]
    problems = []
    for n, target in doc.links():
        path, hash_, anchor = target.partition("#")
        if not hash_ or re.match(r"^[a-z]+:", target):
            continue
        where = doc if not path else docs.get(os.path.relpath(
            os.path.join(os.path.dirname(doc.path), path), ROOT))
        if where is not None and anchor not in where.anchors():
            problems.append(f"{name}:{n}: {target}: {where.rel} has no "
                            f"heading that makes #{anchor}")
    fail_all(problems)


@pytest.mark.parametrize("name", DOC_NAMES)
def test_make_targets_exist(name, docs, tree):
    doc = docs[name]
    targets = tree.make_targets()
    problems = []
    for n, text in list(doc.spans()) + list(doc.code_lines()):
        for m in MAKE_RE.finditer(text):
            if m[2] not in targets:
                problems.append(f"{name}:{n}: `make {m[2]}`: the Makefile has "
                                "no such target")
    fail_all(problems)


@pytest.mark.parametrize("name", DOC_NAMES)
def test_functions_named_are_defined(name, docs, tree):
    problems = []
    for n, line in docs[name].prose:
        for m in FUNCTION_RE.finditer(line):
            func, path = m[1], m[2]
            if path and not tree.defines_function(func, path):
                problems.append(f"{name}:{n}: {func}() is not defined in "
                                f"{path}")
            elif not path and not tree.defines_function(func):
                problems.append(f"{name}:{n}: {func}(): no function or label "
                                "of that name in the source")
    fail_all(problems)


# --- commands --------------------------------------------------------------


def command_problem(line, usages, help_commands):
    """What is wrong with a monitor command line as a doc writes it, or
    None. Placeholders (`fdread LBA [COUNT]`, `outw ...`) are fine."""
    words = line.split()
    if not words or words[0] not in help_commands:
        return (f"'{words[0] if words else ''}' is not a monitor command "
                f"(help lists {', '.join(sorted(help_commands))})")
    args, low, high = usages.get(words[0], ("", 1, 1))
    if len(words) == 1 or ELLIPSIS in words or \
            line.split(None, 1)[1:] == [args]:
        return None     # the command's name, or its usage
    if not low <= len(words) <= high:
        return (f"{words[0]} takes {low - 1} to {high - 1} arguments: "
                f"{words[0]} {args}")
    return None


def named_commands(doc):
    """Monitor command lines a doc names: in the sentence a line starts
    with "Monitor:", in a "monitor" column, and in its transcripts."""
    for n, line in doc.prose:
        m = re.match(r"^\W*Monitor:(.*?)(?:\.\s|\.?$)", line)
        if m:
            for span in re.findall(r"`([^`]+)`", m[1]):
                yield n, span
    for table in doc.tables:
        col = table.column("monitor")
        if col is None:
            continue
        for n, cells in table.rows:
            cell = cells[col] if col < len(cells) else ""
            for span in re.findall(r"`([^`]+)`", cell):
                yield n, span
    for t in transcripts(doc):
        for step in t.steps:
            if step.command.strip():
                yield step.line, step.command


@pytest.mark.parametrize("name", DOC_NAMES)
def test_named_monitor_commands_exist(name, docs, tree, help_commands):
    usages = tree.monitor_usages()
    problems = []
    for n, line in named_commands(docs[name]):
        why = command_problem(line, usages, help_commands)
        if why:
            problems.append(f"{name}:{n}: `{line}`: {why}")
    fail_all(problems)


def section_table_commands(doc, heading_word):
    """The first word of the first code span in each row of the tables
    whose first column is "command", in sections whose heading has the
    word: {command: line}."""
    out = {}
    for table in doc.tables:
        if heading_word not in table.section.lower() or \
                table.column("command") != 0:
            continue
        for n, cells in table.rows:
            for span in re.findall(r"`([^`]+)`", cells[0]):
                out.setdefault(span.split()[0], n)
    return out


def test_readme_lists_every_monitor_command(docs, help_commands):
    listed = section_table_commands(docs["README.md"], "monitor")
    assert listed, "README.md: no table of monitor commands found"
    missing = sorted(help_commands - set(listed))
    unknown = sorted(set(listed) - help_commands)
    assert not missing, (f"README.md: `help` lists {missing}; the table "
                         "does not")
    assert not unknown, (f"README.md: the table lists {unknown}, which `help` "
                         "does not")


def test_readme_lists_every_gdb_command(docs, tree):
    listed = set(section_table_commands(docs["README.md"], "gdb"))
    defined = tree.gdb_commands()
    assert listed == defined, (
        f"README.md's gdb table: {sorted(listed)}; tools/iospace-gdb.py "
        f"defines {sorted(defined)}")


# --- transcripts -----------------------------------------------------------


@pytest.mark.parametrize("name", DOC_NAMES)
def test_every_session_is_a_checked_transcript(name, docs):
    doc = docs[name]
    problems = []
    for fence in doc.fences:
        for kind, prompt in (("iospace", PROMPT), ("gdb", GDB_PROMPT)):
            if fence.info in (kind, "markdown"):
                continue    # checked, or a doc's source shown as an example
            for n, text in fence.lines:
                if text.startswith(prompt):
                    problems.append(
                        f"{name}:{n}: a {kind} command in a ```{fence.info} "
                        f"block; write {kind} sessions as ```{kind} blocks, "
                        "which test_docs.py replays")
                    break
    seen = set()
    for t in transcripts(doc) + transcripts(doc, "gdb"):
        if t.error:
            problems.append(t.error)
        if t.boot and (t.session in seen or t.kind == "gdb"):
            problems.append(f"{t.where()}: lines before the first command "
                            "(only the first monitor block of a session may "
                            "show the boot messages)")
        seen.add(t.session)
        if not t.steps and not t.boot:
            problems.append(f"{t.where()}: an empty transcript")
    fail_all(problems)


QEMU_EXTRA_RE = re.compile(r'\bmake [\w-]+ .*QEMU_EXTRA="([^"]*)"')


@pytest.mark.parametrize("name", DOC_NAMES)
def test_sessions_with_qemu_arguments_show_how_to_boot(name, docs):
    """A session booted with more QEMU arguments (qemu="..." in its HTML
    comment, which a reader does not see) shows them: a `make ...
    QEMU_EXTRA="..."` with the same arguments comes before it, in a
    ```sh block or a code span."""
    doc = docs[name]
    shown = [(n, m[1]) for n, text in list(doc.spans()) +
             list(doc.code_lines()) for m in QEMU_EXTRA_RE.finditer(text)]
    problems, seen = [], set()
    for t in transcripts(doc):
        if t.session in seen or "qemu" not in t.options:
            seen.add(t.session)
            continue
        seen.add(t.session)
        args = t.options["qemu"]
        if not any(n < t.line and a == args for n, a in shown):
            problems.append(f"{t.where()}: the session boots with qemu="
                            f"\"{args}\"; show how before it: "
                            f"make run-serial QEMU_EXTRA=\"{args}\"")
    fail_all(problems)


def boot(options):
    """A kernel booted as a transcript's options say, at its prompt."""
    if options.get("iso") and "append" in options:
        raise ValueError("a session cannot take both iso and append= (GRUB's "
                         "menu entry sets the command line)")
    extra = [] if options.get("nofloppy") else floppy_drive(FLOPPY)
    extra += [] if options.get("nodisk") else ide_disk(DISK)
    extra += shlex.split(options.get("qemu", ""))
    if options.get("iso"):
        m = Machine(iso=True, extra=extra)
    else:
        m = Machine(append=options.get("append", ""), extra=extra)
    m.wait_prompt(BOOT_TIMEOUT)
    return m


def output_lines(raw):
    lines = raw.decode("latin-1").replace("\r\n", "\n").split("\n")
    while lines and not lines[-1].strip():
        lines.pop()
    return lines


def run_command(m, line, timeout):
    """Types a line; returns its output lines (without the echo) and
    whether QEMU ended meanwhile (`exit`, `reboot`)."""
    start = m.pos
    m.send(line + "\r")
    try:
        m.expect(re.escape(PROMPT.encode()), timeout)
    except AssertionError as e:
        if "QEMU exited" not in str(e):
            raise
        m.wait_exit(10)
        return output_lines(m.output[start:])[1:], True
    return output_lines(m.output[start:m.pos - len(PROMPT)])[1:], False


def describe_mismatch(where, what, expected, actual):
    """A failure message: the first line that differs, then both whole."""
    texts = [t for _, t in expected]
    at = first_mismatch(texts, actual)
    lines = [f"{where}: {what} printed something else than the doc shows."]
    if at is not None:
        i, j = at
        exp = f"{expected[i][1]!r} ({expected[i][0]})" if i is not None \
            else "(nothing more)"
        got = repr(actual[j]) if j is not None else "(nothing more)"
        lines += [f"  first difference: expected {exp}",
                  f"                    got {got}"]
    lines.append("  the doc shows:")
    lines += [f"    {n:4}  {t}" for n, t in expected] or ["    (no output)"]
    lines.append("  the kernel printed:")
    shown = actual[:60]
    lines += [f"          {a}" for a in shown] or ["          (no output)"]
    if len(actual) > len(shown):
        lines.append(f"          ... {len(actual) - len(shown)} more lines")
    return "\n".join(lines)


def replay(blocks):
    """Runs one session's blocks on one kernel; returns the problems."""
    problems = []
    options = blocks[0].options
    timeout = float(options.get("timeout", COMMAND_TIMEOUT))
    m = boot(options)
    try:
        boot_lines = output_lines(m.output[:m.pos - len(PROMPT)])
        if blocks[0].boot and not output_matches(
                [t for _, t in blocks[0].boot], boot_lines):
            problems.append(describe_mismatch(
                blocks[0].where(), "the kernel's boot", blocks[0].boot,
                boot_lines))
        exited_after = None
        for block in blocks:
            for step in block.steps:
                where = block.where(step.line)
                if exited_after:
                    problems.append(
                        f"{where}: `{PROMPT}{step.command}`: QEMU had "
                        f"already ended after `{exited_after}`")
                    return problems
                actual, exited = run_command(m, step.command, timeout)
                if exited:
                    exited_after = step.command
                if not output_matches([t for _, t in step.expected], actual):
                    problems.append(describe_mismatch(
                        where, f"`{PROMPT}{step.command}`", step.expected,
                        actual))
    finally:
        m.close()
    return problems


TRANSCRIPT_DOCS = [n for n, p in zip(DOC_NAMES, DOC_FILES)
                   if transcripts(Markdown(p))]


@pytest.mark.parametrize("name", TRANSCRIPT_DOCS)
def test_transcripts_match_the_kernel(name, docs):
    sessions = {}
    for t in transcripts(docs[name]):
        if not t.error:     # reported by the test above
            sessions.setdefault(t.session, []).append(t)
    problems = []
    for blocks in sessions.values():
        problems += replay(blocks)
    fail_all(problems)


# --- gdb transcripts -----------------------------------------------------

DEBUG_ELF = os.path.join(ROOT, "build", "debug", "iospace.elf")
GDB_SCRIPT = os.path.join(ROOT, "tools", "iospace-gdb.py")
GDB_MARK = "@@docs-step@@"
GDB_TIMEOUT = 60


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def gdb_session(commands, tmp_path):
    """Runs gdb as `make debug` does (tools/debug.sh: the -O0 kernel
    frozen at its first instruction, iospace's gdb commands, a breakpoint
    at kmain, continue), then the commands; returns each command's output
    lines, tabs expanded as a terminal shows them. Not in batch mode:
    there gdb leaves out what it prints for someone at the terminal
    ("Continuing.", "Run till exit from ...")."""
    port = free_port()
    qemu = subprocess.Popen(
        ["qemu-system-i386", "-accel", "tcg", "-m", "128", "-no-reboot",
         "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
         "-display", "none", "-monitor", "none", "-kernel", DEBUG_ELF,
         "-serial", f"file:{tmp_path / 'serial.log'}",
         "-S", "-gdb", f"tcp:127.0.0.1:{port}"])
    try:
        args = ["gdb", "-q", "-nx", "-iex", "set pagination off",
                "-iex", "set confirm off", DEBUG_ELF,
                "-ex", f"source {GDB_SCRIPT}",
                "-ex", f"target remote 127.0.0.1:{port}",
                "-ex", "break kmain", "-ex", "continue"]
        for c in commands:
            args += ["-ex", f"echo \\n{GDB_MARK}\\n", "-ex", c]
        args += ["-ex", f"echo \\n{GDB_MARK}\\n", "-ex", "quit"]
        done = subprocess.run(args, stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True,
                              timeout=GDB_TIMEOUT)
    finally:
        qemu.kill()
        qemu.wait(10)
    parts = done.stdout.expandtabs().split(GDB_MARK + "\n")[1:-1]
    outputs = []
    for part in parts:
        lines = [line.rstrip() for line in part.split("\n")]
        while lines and not lines[0]:
            lines.pop(0)
        while lines and not lines[-1]:
            lines.pop()
        outputs.append(lines)
    assert len(outputs) == len(commands), done.stdout
    return outputs


GDB_DOCS = [n for n, p in zip(DOC_NAMES, DOC_FILES)
            if transcripts(Markdown(p), "gdb")]


@pytest.mark.parametrize("name", GDB_DOCS)
def test_gdb_transcripts_match_the_kernel(name, docs, tmp_path):
    steps = [(t, step) for t in transcripts(docs[name], "gdb")
             for step in t.steps]
    outputs = gdb_session([step.command for _, step in steps], tmp_path)
    problems = []
    for (t, step), actual in zip(steps, outputs):
        if not output_matches([e for _, e in step.expected], actual):
            problems.append(describe_mismatch(
                t.where(step.line), f"`{GDB_PROMPT}{step.command}`",
                step.expected, actual))
    fail_all(problems)


# --- the interrupt paths picture -----------------------------------------

FIGURE_DOT = os.path.join(ROOT, "docs", "interrupt-paths.dot")
FIGURE_SVG = os.path.join(ROOT, "docs", "interrupt-paths.svg")


def svg_texts(svg):
    """The text of an SVG's labels, sorted: what it says, whatever the
    layout."""
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    return sorted(html.unescape(t) for t in texts)


def test_interrupt_figure_is_what_its_dot_source_draws():
    drawn = subprocess.run(["dot", "-Tsvg", FIGURE_DOT], check=True,
                           capture_output=True, text=True).stdout
    with open(FIGURE_SVG, encoding="utf-8") as f:
        committed = f.read()
    version = re.compile(r"Generated by graphviz version [^\n]*")
    redraw = "run `make docs-figures` and commit docs/interrupt-paths.svg"
    if version.search(drawn)[0] == version.search(committed)[0]:
        # The same graphviz draws the same picture, byte for byte.
        if drawn != committed:
            pytest.fail(f"the SVG is not what the .dot draws: {redraw}",
                        pytrace=False)
    elif svg_texts(drawn) != svg_texts(committed):
        # Another graphviz may place things elsewhere; the labels must match.
        pytest.fail(f"the SVG's labels are not the .dot's: {redraw}",
                    pytrace=False)


def test_interrupt_figure_names_what_the_source_has(tree):
    with open(FIGURE_DOT, encoding="utf-8") as f:
        dot = f.read()
    labels = " ".join(re.findall(r'label="((?:[^"\\]|\\.)*)"', dot))
    labels = labels.replace("\\n", " ")
    problems = []
    for name in sorted(set(re.findall(r"\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b",
                                      labels))):
        if not tree.is_defined_name(name):
            problems.append(f"{name}: not defined in the source")
    pairs = re.findall(
        r"\b([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+) = (0x[0-9A-Fa-f]+|\d+)", labels)
    for name, value in pairs:
        if tree.value(name) != int(value, 0):
            problems.append(f"{name} = {value}: the source says "
                            f"{tree.value(name)!r}")
    functions = re.findall(r"\b(\w+)\(\) in ([\w/.-]+)", labels)
    for func, path in functions:
        if not tree.defines_function(func, path):
            problems.append(f"{func}() is not defined in {path}")
    for label, path in re.findall(r"\b(\w+) in ([\w/.-]+\.asm)", labels):
        if not label.endswith("_N") and not tree.defines_function(label, path):
            problems.append(f"{label}: no such label in {path}")
    assert len(pairs) >= 20 and len(functions) >= 10, (pairs, functions)
    fail_all([f"docs/interrupt-paths.dot: {p}" for p in problems])
