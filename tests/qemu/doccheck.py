"""Reading iospace's docs and source side by side, for tests/qemu/test_docs.py.

- Markdown: a doc file's fenced blocks, code spans, tables and links, each
  with its line number, so a failure can say where in the doc it is.
- Transcripts: ```iospace blocks, monitor sessions that the test replays
  on a booted kernel (the convention is in test_docs.py and docs/README.md).
- SourceTree: the names the source defines: macros with their values
  (evaluated as C would), enumerators, functions and assembly labels,
  Makefile targets and variables, the monitor's and gdb's commands.
"""

import functools
import glob
import os
import re
import shlex
import subprocess

from iospace import ROOT

# ---------------------------------------------------------------------------
# Markdown


FENCE_RE = re.compile(r"^(\s*)(`{3,})\s*([\w+-]*)\s*$")
SPAN_RE = re.compile(r"(?<!`)`([^`\n]+)`(?!`)")
HEADING_RE = re.compile(r"^(#{1,6})\s+(.*?)\s*$")
LINK_RE = re.compile(r"\]\(([^)\s]+)\)")
DIRECTIVE_RE = re.compile(r"^<!--\s*([\w-]+):(.*?)-->\s*$")


class Fence:
    """A fenced block: its info string ("iospace", "sh", ""), the line of
    its opening fence, its lines as (line number, text), and the HTML
    comment directive on the line before it, if any: (name, text)."""

    def __init__(self, info, line, lines, directive):
        self.info, self.line, self.lines = info, line, lines
        self.directive = directive


class Table:
    """A pipe table: its header cells, its rows as (line number, cells),
    and the heading of the section it is in."""

    def __init__(self, header, rows, section):
        self.header, self.rows, self.section = header, rows, section

    def column(self, name):
        """The index of the first column whose header is name
        (case-insensitive), or None."""
        for i, h in enumerate(self.header):
            if h.strip().lower() == name:
                return i
        return None


def split_cells(line):
    """The cells of a table row. A | inside a code span is escaped as \\|
    in the source; it is a character, not a cell boundary."""
    cells, cell, in_code, i = [], "", False, 0
    body = line.strip()
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|") and not body.endswith("\\|"):
        body = body[:-1]
    while i < len(body):
        c = body[i]
        if c == "\\" and i + 1 < len(body) and body[i + 1] == "|":
            cell += "|"
            i += 2
            continue
        if c == "`":
            in_code = not in_code
        if c == "|" and not in_code:
            cells.append(cell.strip())
            cell = ""
        else:
            cell += c
        i += 1
    cells.append(cell.strip())
    return cells


class Markdown:
    """One doc file, split into what the checks need."""

    def __init__(self, path):
        self.path = path
        self.rel = os.path.relpath(path, ROOT)
        with open(path, encoding="utf-8") as f:
            self.text = f.read()
        self.fences = []
        self.prose = []         # (line number, text) outside fences
        self.sections = {}      # line number -> heading of its section
        self._parse()
        self.tables = self._tables()

    def _parse(self):
        lines = self.text.split("\n")
        section, i = "", 0
        while i < len(lines):
            m = FENCE_RE.match(lines[i])
            if m:
                indent, ticks, info, start = m[1], m[2], m[3], i + 1
                body = []
                i += 1
                while i < len(lines) and lines[i].strip() != ticks:
                    line = lines[i]
                    if line.startswith(indent):     # a fence in a list item
                        line = line[len(indent):]
                    body.append((i + 1, line))
                    i += 1
                directive = None
                prev = start - 2
                while prev >= 0 and not lines[prev].strip():
                    prev -= 1
                if prev >= 0:
                    d = DIRECTIVE_RE.match(lines[prev].strip())
                    if d:
                        directive = (d[1], d[2].strip())
                self.fences.append(Fence(info, start, body, directive))
                i += 1
                continue
            h = HEADING_RE.match(lines[i])
            if h:
                section = h[2]
            self.prose.append((i + 1, lines[i]))
            self.sections[i + 1] = section
            i += 1

    def _tables(self):
        tables, rows, header, start = [], [], None, None
        for n, line in self.prose + [(None, "")]:
            if n is not None and line.lstrip().startswith("|"):
                if header is None:
                    header, start = split_cells(line), n
                elif not re.match(r"^\s*\|[\s:|-]+\|?\s*$", line):
                    rows.append((n, split_cells(line)))
                continue
            if header is not None:
                tables.append(Table(header, rows, self.sections[start]))
            header, rows = None, []
        return tables

    def anchors(self):
        """The link targets of the doc's headings, as GitHub makes them:
        lower case, spaces to hyphens, other punctuation dropped, a
        repeated one numbered."""
        seen, out = {}, set()
        for n, line in self.prose:
            h = HEADING_RE.match(line)
            if not h:
                continue
            slug = re.sub(r"[^\w\- ]", "", h[2].replace("`", "").lower())
            slug = slug.replace(" ", "-")
            count = seen.get(slug, 0)
            seen[slug] = count + 1
            out.add(slug if count == 0 else f"{slug}-{count}")
        return out

    def spans(self):
        """Every code span outside fenced blocks: (line number, text)."""
        for n, line in self.prose:
            for m in SPAN_RE.finditer(line):
                yield n, m[1]

    def links(self):
        """Every link target outside fenced blocks: (line number, target)."""
        for n, line in self.prose:
            for m in LINK_RE.finditer(line):
                yield n, m[1]

    def code_lines(self, infos=("sh", "")):
        """The lines of the fenced blocks with one of these info strings."""
        for fence in self.fences:
            if fence.info in infos:
                yield from fence.lines


# ---------------------------------------------------------------------------
# Transcripts


PROMPT = "iospace> "
GDB_PROMPT = "(gdb) "
ELLIPSIS = "..."
# The prompt of each kind of transcript, and the options its directive
# may give.
PROMPTS = {"iospace": PROMPT, "gdb": GDB_PROMPT}
SESSION_KEYS = {"iospace": {"append", "qemu", "iso", "nofloppy", "nodisk",
                            "timeout"},
                "gdb": set()}


class Step:
    """One command of a transcript and the lines expected after it: the
    doc line of the command, the typed text, [(doc line, text)]."""

    def __init__(self, line, command, expected):
        self.line, self.command, self.expected = line, command, expected


class Transcript:
    """A ```iospace block (a monitor session) or a ```gdb block (a gdb
    session, as `make debug` starts it): the session it runs in, the lines
    it expects before its first command (an iospace block: the boot
    messages, only in the first block of a session), its steps."""

    def __init__(self, doc, fence):
        self.doc, self.line, self.kind = doc, fence.line, fence.info
        try:
            self.options, self.error = parse_directive(doc, fence), None
        except ValueError as e:
            self.options, self.error = {}, str(e)
        self.boot, self.steps = [], []
        prompt = PROMPTS[self.kind]
        for n, text in fence.lines:
            if text.startswith(prompt):
                self.steps.append(Step(n, text[len(prompt):], []))
            elif self.steps:
                self.steps[-1].expected.append((n, text))
            else:
                self.boot.append((n, text))
        for step in self.steps:
            while step.expected and not step.expected[-1][1].strip():
                step.expected.pop()

    @property
    def session(self):
        """Blocks of one doc file with the same options share a kernel."""
        return tuple(sorted(self.options.items()))

    def where(self, line=None):
        return f"{self.doc.rel}:{line or self.line}"


def parse_directive(doc, fence):
    """The options of `<!-- iospace: key=value flag ... -->` before a
    block; {} without one. A bad directive raises ValueError."""
    if fence.directive is None:
        return {}
    name, text = fence.directive
    where = f"{doc.rel}:{fence.line - 1}"
    if name != fence.info:
        raise ValueError(f"{where}: directive '{name}:' before a "
                         f"```{fence.info} block; expected "
                         f"'<!-- {fence.info}: ... -->'")
    options, known = {}, SESSION_KEYS[fence.info]
    for word in shlex.split(text):
        key, eq, value = word.partition("=")
        if key not in known:
            raise ValueError(f"{where}: unknown option '{key}' (known: "
                             f"{', '.join(sorted(known)) or 'none'})")
        options[key] = value if eq else True
    return options


def transcripts(doc, kind="iospace"):
    """The doc's ```iospace (or ```gdb) blocks, in order."""
    return [Transcript(doc, f) for f in doc.fences if f.info == kind]


def line_regex(expected):
    """An expected line as a regex: `...` stands for any text."""
    parts = expected.rstrip().split(ELLIPSIS)
    return ".*".join(re.escape(part) for part in parts)


def output_matches(expected, actual):
    """Whether the output lines match the expected ones: a line `...` alone
    stands for any number of lines (none included)."""
    pattern = "".join(r"(?:[^\n]*\n)*?" if e.strip() == ELLIPSIS
                      else line_regex(e) + r"\n" for e in expected)
    text = "".join(a.rstrip() + "\n" for a in actual)
    return re.fullmatch(pattern, text) is not None


def first_mismatch(expected, actual):
    """Where the output goes wrong, for the failure message: (index into
    expected, or None for output beyond the last expected line; index into
    actual, or None for the end of the output), or None when it matches.
    Of the ways a `...` line could stretch, the one that gets furthest
    through the expected lines is blamed."""
    regexes = [None if e.strip() == ELLIPSIS else re.compile(line_regex(e))
               for e in expected]

    def depth(failure):
        return len(expected) if failure[0] is None else failure[0]

    @functools.lru_cache(maxsize=None)
    def walk(i, j):
        if i == len(expected):
            return None if j == len(actual) else (None, j)
        if regexes[i] is None:
            best = None
            for k in range(j, len(actual) + 1):
                failure = walk(i + 1, k)
                if failure is None:
                    return None
                if best is None or depth(failure) > depth(best):
                    best = failure
            return best
        if j == len(actual):
            return i, None
        if not regexes[i].fullmatch(actual[j].rstrip()):
            return i, j
        return walk(i + 1, j + 1)

    return walk(0, 0)


# ---------------------------------------------------------------------------
# The source tree


SOURCE_DIRS = ("boot", "kernel", "drivers", "io")
DEFINE_RE = re.compile(
    r"^\s*#\s*define\s+([A-Za-z_]\w*)(\([^)]*\))?[ \t]*(.*?)\s*$", re.M)
EQU_RE = re.compile(r"^([A-Za-z_]\w*)\s+equ\s+([^;\n]*)", re.M)
ENUM_RE = re.compile(r"\benum\s*\w*\s*\{([^}]*)\}", re.S)
COMMAND_RE = re.compile(r'\{\s*"([\w-]+)",\s*"([^"]*)",\s*(?:"[^"]*"\s*)+,'
                        r"\s*(\d+),\s*(\d+),")


def strip_comments(text):
    """The code without its comments, with continued lines joined (line
    numbers are not kept)."""
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r"//[^\n]*", "", text)
    return text.replace("\\\n", " ")


class SourceTree:
    def __init__(self, root=ROOT):
        self.root = root
        self.files = sorted(
            p for d in SOURCE_DIRS for ext in ("c", "h", "asm", "inc")
            for p in glob.glob(os.path.join(root, d, "**", f"*.{ext}"),
                               recursive=True))
        self.text = {}
        for p in self.files:
            with open(p, encoding="utf-8") as f:
                self.text[os.path.relpath(p, root)] = f.read()
        self.defines = {}       # name -> [(file, value text or None)]
        self.enumerators = set()
        for rel, text in self.text.items():
            code = strip_comments(text)
            for m in DEFINE_RE.finditer(code):
                value = None if m[2] else m[3]
                self.defines.setdefault(m[1], []).append((rel, value))
            for m in EQU_RE.finditer(code):
                self.defines.setdefault(m[1], []).append((rel, m[2].strip()))
            for m in ENUM_RE.finditer(code):
                for item in m[1].split(","):
                    name = item.split("=")[0].strip()
                    if re.fullmatch(r"[A-Za-z_]\w*", name):
                        self.enumerators.add(name)
        with open(os.path.join(root, "Makefile"), encoding="utf-8") as f:
            self.makefile = f.read()
        self.make_variables = set(re.findall(
            r"^([A-Za-z_]\w*)\s*(?::|\?|\+)?=", self.makefile, re.M))

    # --- macros ---------------------------------------------------------

    def value(self, name, _depth=0):
        """The macro's value as an integer, evaluated as C would, or None
        when it is not a number (a string, a function-like macro, an
        expression with something else in it) or its definitions differ."""
        if _depth > 20 or name not in self.defines:
            return None
        values = {self._evaluate(v, _depth) for _, v in self.defines[name]}
        return values.pop() if len(values) == 1 else None

    def _evaluate(self, expr, depth):
        if expr is None:
            return None
        expr = re.sub(r"\((?:u?int\d+_t|unsigned|uintptr_t)\)", "", expr)
        expr = re.sub(r"\b(0[xX][0-9a-fA-F]+|\d+)[uUlL]+\b", r"\1", expr)

        def name_value(m):
            v = self.value(m[0], depth + 1)
            if v is None:
                raise ValueError(m[0])
            return str(v)
        try:
            expr = re.sub(r"\b[A-Za-z_]\w*\b", name_value, expr)
        except ValueError:
            return None
        if not re.fullmatch(r"[\s\d xXa-fA-F()+\-*/%<>|&^~]*", expr):
            return None
        expr = expr.replace("/", "//")
        try:
            v = eval(expr, {"__builtins__": {}})  # noqa: S307 (digits only)
        except (SyntaxError, ZeroDivisionError, TypeError):
            return None
        return v & 0xFFFFFFFFFFFFFFFF if v < 0 else v

    def is_defined_name(self, name):
        """A macro (C or nasm), an enumerator, or a Makefile variable."""
        return (name in self.defines or name in self.enumerators
                or name in self.make_variables)

    # --- functions ------------------------------------------------------

    def defines_function(self, name, rel=None):
        """Whether a C function (a definition, not a declaration) or an
        assembly label of this name is in the file rel, or anywhere."""
        files = [rel] if rel else list(self.text)
        for f in files:
            text = self.text.get(f)
            if text is None:
                continue
            if f.endswith((".asm", ".inc")):
                if re.search(rf"^{re.escape(name)}:", text, re.M):
                    return True
                continue
            code = strip_comments(text)
            for m in re.finditer(rf"^[A-Za-z_][\w \t*]*\b{re.escape(name)}\(",
                                 code, re.M):
                tail = code[m.end():]
                brace, semi = tail.find("{"), tail.find(";")
                if brace >= 0 and (semi < 0 or brace < semi):
                    return True
        return False

    # --- commands and targets -------------------------------------------

    def monitor_usages(self):
        """The monitor's command table as the source declares it:
        name -> (args, min words, max words)."""
        out = {}
        for rel, text in self.text.items():
            if rel.startswith("kernel/") and rel.endswith(".c"):
                for m in COMMAND_RE.finditer(text):
                    out[m[1]] = (m[2], int(m[3]), int(m[4]))
        return out

    def gdb_commands(self):
        """The commands tools/iospace-gdb.py defines."""
        with open(os.path.join(self.root, "tools", "iospace-gdb.py"),
                  encoding="utf-8") as f:
            text = f.read()
        return set(re.findall(r'super\(\).__init__\("([\w-]+)"', text)) | set(
            re.findall(r'QemuMonitor\("([\w-]+)"', text))

    def make_targets(self):
        """Every target the Makefile has a rule for, as make itself reads
        it (its database, -p), phony and file targets alike."""
        out = subprocess.run(
            ["make", "-pRrq", "-f", "Makefile", "__docs_no_such_target__"],
            cwd=self.root, capture_output=True, text=True).stdout
        targets, not_a_target = set(), False
        for line in out.splitlines():
            if line.startswith("# Not a target:"):
                not_a_target = True
                continue
            m = re.match(r"^([^#\t%=:][^=:]*?):(?:[^=]|$)", line)
            if m and not not_a_target:
                targets.update(m[1].split())
            not_a_target = False
        return targets


def parse_help(text):
    """The command names the monitor's `help` lists."""
    return {m[1] for m in re.finditer(r"^  (\S+)", text, re.M)}
