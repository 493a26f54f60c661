"""PCI configuration space, both ways (docs/pci.md): `lspci` against
QEMU's own view of the bus (QMP query-pci) on pc and q35 with extra
devices; ports 0xcf8/0xcfc against ECAM, register by register; where the
ECAM window's address comes from (ACPI's MCFG, or q35's PCIEXBAR with
pci=nomcfg); the errors; and the kernel's trace of a `pcicfg` against the
accesses QEMU saw. One boot per machine."""

import re

import pytest

from iospace import Machine

PC_EXTRA = ["-M", "pc", "-device", "edu", "-device", "rtl8139",
            "-device", "ich9-ahci"]
# A PCI Express root port with a device behind it: a bridge, a second bus,
# and a 64-bit prefetchable BAR (virtio's BAR4).
Q35_EXTRA = ["-M", "q35", "-device", "edu",
             "-device", "pcie-root-port,id=rp,chassis=1",
             "-device", "virtio-rng-pci,bus=rp"]
Q35_ECAM = 0xB0000000
QMP_ROM_REGION = 6          # query-pci's "bar" for the expansion ROM
ROM_ENABLE = 0x1            # the ROM register's bit 0 (PCI 3.0, 6.2.5.2)
ROM_SIGNATURE = 0xAA55      # bytes 0x55 0xAA: a ROM's first word

FUNCTION = re.compile(
    r"^([0-9a-f]{2}):([0-9a-f]{2})\.([0-7]) ([0-9a-f]{4}):([0-9a-f]{4}) "
    r".+ \(class ([0-9a-f]{4}), prog-if [0-9a-f]{2}\), header (\d+)"
    r"(?:, INT([A-D])# line (\d+))?$")
BAR = re.compile(r"^    BAR([0-5]) (I/O|mem32|mem64|mem1M)\s+0x([0-9a-f]+) "
                 r"size 0x([0-9a-f]+)( prefetchable)?$")
ROM = re.compile(r"^    ROM  mem32 0x([0-9a-f]{8}) size 0x([0-9a-f]+) "
                 r"(enabled|disabled)$")
BRIDGE = re.compile(r"^    bridge: primary bus ([0-9a-f]{2}), secondary "
                    r"([0-9a-f]{2}), subordinate ([0-9a-f]{2})$")
CAPS = re.compile(r"^    capabilities:( \S+@0x[0-9a-f]{2})+$")
RECORD = re.compile(r"^\s*\d+ (PMIO|MMIO) (in|out|mov)\s+(\d+) 0x([0-9a-f]+) "
                    r"(<-|->) 0x([0-9a-f]+)  (\S+)", re.M)


def parse_lspci(text):
    """{(bus, dev, fn): {...}} from lspci's lines after the first; every
    line must be one of the known forms."""
    functions, current = {}, None
    for line in text.splitlines()[1:]:
        m = FUNCTION.match(line)
        if m:
            bus, dev, fn = (int(m[i], 16) for i in (1, 2, 3))
            current = functions[(bus, dev, fn)] = {
                "vendor": int(m[4], 16), "device": int(m[5], 16),
                "class": int(m[6], 16), "header": int(m[7]),
                "pin": " ABCD".index(m[8]) if m[8] else 0,
                "line": int(m[9]) if m[9] else None,
                "bars": {}, "rom": None, "bridge": None}
            continue
        m = BAR.match(line)
        if m:
            current["bars"][int(m[1])] = {
                "type": "io" if m[2] == "I/O" else "memory",
                "address": int(m[3], 16), "size": int(m[4], 16),
                "prefetch": bool(m[5]), "mem_type_64": m[2] == "mem64"}
            continue
        m = ROM.match(line)
        if m:
            # QEMU knows a disabled ROM's size, not the address it holds.
            current["rom"] = {
                "size": int(m[2], 16),
                "address": int(m[1], 16) if m[3] == "enabled" else None}
            continue
        m = BRIDGE.match(line)
        if m:
            current["bridge"] = tuple(int(m[i], 16) for i in (1, 2, 3))
            continue
        assert CAPS.match(line), line
    return functions


def parse_query_pci(buses):
    """The same shape from QMP query-pci, walking behind bridges. The
    expansion ROM is region "bar" 6, at address -1 while it does not
    decode."""
    functions = {}

    def walk(devices):
        for d in devices:
            bars, rom = {}, None
            for r in d["regions"]:
                if r["bar"] == QMP_ROM_REGION:
                    rom = {"size": r["size"],
                           "address": None if r["address"] == -1
                           else r["address"]}
                    continue
                bar = {"type": r["type"], "address": r["address"],
                       "size": r["size"], "prefetch": r.get("prefetch", False),
                       "mem_type_64": r.get("mem_type_64", False)}
                bars[r["bar"]] = bar
            bridge = d.get("pci_bridge")
            functions[(d["bus"], d["slot"], d["function"])] = {
                "vendor": d["id"]["vendor"], "device": d["id"]["device"],
                "class": d["class_info"]["class"],
                "header": 1 if bridge else 0,
                "pin": d["irq_pin"], "line": d.get("irq"), "bars": bars,
                "rom": rom,
                "bridge": (bridge["bus"]["number"], bridge["bus"]["secondary"],
                           bridge["bus"]["subordinate"]) if bridge else None}
            if bridge:
                walk(bridge.get("devices", []))

    for bus in buses:
        walk(bus["devices"])
    return functions


def expect_lspci_is_qemus_view(m):
    listing = m.command("lspci")
    mine = parse_lspci(listing)
    qemu = parse_query_pci(m.qmp("query-pci"))
    assert sorted(mine) == sorted(qemu), listing
    for bdf, f in qemu.items():
        assert mine[bdf] == f, (bdf, listing)
    return listing


@pytest.fixture(scope="module")
def pc():
    m = Machine(extra=PC_EXTRA)
    try:
        m.wait_prompt(timeout=30)
        yield m
    finally:
        m.close()


@pytest.fixture(scope="module")
def q35():
    m = Machine(extra=Q35_EXTRA, trace=True)
    try:
        m.wait_prompt(timeout=30)
        yield m
    finally:
        m.close()


# --- lspci is QEMU's view -------------------------------------------------

def test_lspci_on_pc_is_qemus_view(pc):
    listing = expect_lspci_is_qemus_view(pc)
    assert listing.splitlines()[0] == "configuration space by ports 0xcf8/0xcfc"
    functions = parse_lspci(listing)
    assert len(functions) == 9
    assert (0x1234, 0x11e8) in {(f["vendor"], f["device"])
                                for f in functions.values()}    # edu
    assert re.search(r"^    capabilities: MSI@0x80 SATA@0xa8$", listing, re.M)


def test_an_expansion_rom_answers_only_while_enabled(machine_factory):
    """The standard VGA's ROM (its VGA BIOS): lspci shows where the
    firmware put it, disabled; its enable bit set by hand (mechanism #1:
    CONFIG_ADDRESS for 00:02.0 offset 0x30, then CONFIG_DATA), QEMU maps
    it there, `peek` reads the ROM signature 0x55 0xAA and `map` lists
    the window; cleared again, the address reads nothing."""
    m = machine_factory()
    m.wait_prompt(timeout=30)
    listing = expect_lspci_is_qemus_view(m)
    rom = parse_lspci(listing)[(0, 2, 0)]["rom"]
    assert rom["size"] == 0x10000 and rom["address"] is None, listing
    address = int(m.command("pcicfg 00:02.0 0x30").split()[2], 16)
    m.command("outl 0xcf8 0x80001030")
    m.command(f"outl 0xcfc {address | ROM_ENABLE:#x}")
    listing = expect_lspci_is_qemus_view(m)
    assert parse_lspci(listing)[(0, 2, 0)]["rom"] == {
        "size": 0x10000, "address": address}, listing
    word = int(m.command(f"peek {address:#x}").split()[-1], 16)
    assert word & 0xFFFF == ROM_SIGNATURE, hex(word)
    assert re.search(rf"^  0x{address:08x}-0x{address + 0xffff:08x} +64 KiB  "
                     r"device +mov  PCI 00:02\.0 ROM: VGA compatible "
                     r"controller$", m.command("map"), re.M)
    # CONFIG_ADDRESS again: map's own configuration reads moved it.
    m.command("outl 0xcf8 0x80001030")
    m.command(f"outl 0xcfc {address:#x}")
    # Nothing answers: QEMU reads 0 there, a PC's bus all ones.
    assert m.command(f"peek {address:#x}") in (
        f"{address:#010x}: 0x00000000", f"{address:#010x}: 0xffffffff")
    assert "ROM:" not in m.command("map")


def test_lspci_on_q35_is_qemus_view(q35):
    listing = expect_lspci_is_qemus_view(q35)
    functions = parse_lspci(listing)
    bridges = [f for f in functions.values() if f["bridge"]]
    assert [b["bridge"] for b in bridges] == [(0, 1, 1)]
    assert any(bdf[0] == 1 for bdf in functions)        # behind it
    assert any(b["mem_type_64"] and b["prefetch"]
               for f in functions.values() for b in f["bars"].values())
    assert re.search(r"^    capabilities: PM@0xc8 MSI@0xd0 PCIe@0xe0 "
                     r"MSI-X@0xa0$", listing, re.M)     # e1000e


# --- where ECAM is ----------------------------------------------------------

def test_ecam_from_the_mcfg_on_q35(q35):
    text = q35.text()
    assert re.search(r"^acpi: MCFG at 0x[0-9a-f]{8}: ECAM at 0xb0000000 for "
                     r"buses 0-255\r?$", text, re.M), text
    assert re.search(r"^pci: 9 functions; configuration space by ECAM at "
                     r"0xb0000000 \(from ACPI MCFG\)\r?$", text, re.M), text
    assert q35.command("lspci").splitlines()[0] == (
        "configuration space by ECAM; ECAM at 0xb0000000 for buses 0-255 "
        "(from ACPI MCFG)")
    assert re.search(r"^MCFG 0x[0-9a-f]{8}: ECAM at 0xb0000000 for buses "
                     r"0-255 \(segment group 0; 1 allocation\)$",
                     q35.command("madt"), re.M)


def test_pc_has_no_mcfg(pc):
    text = pc.text()
    assert "MCFG" not in text
    assert re.search(r"^pci: 9 functions; configuration space by ports "
                     r"0xcf8/0xcfc\r?$", text, re.M)
    assert pc.command("madt").splitlines()[-1] == (
        'MCFG: none usable: no MCFG ("MCFG") among the RSDT\'s 4 tables')


def test_pci_nomcfg_falls_back_to_pciexbar(machine_factory, q35):
    # QEMU cannot take the MCFG away (with acpi=off SeaBIOS writes one of
    # its own), so the kernel is told to leave it aside.
    m = machine_factory(extra=Q35_EXTRA, append="pci=nomcfg")
    m.wait_prompt(timeout=30)
    text = m.text()
    assert "options: irq=auto hz=100 pci=nomcfg" in text
    assert re.search(r"^pci: 9 functions; configuration space by ECAM at "
                     r"0xb0000000 \(from the host bridge's PCIEXBAR; MCFG "
                     r"left aside: pci=nomcfg\)\r?$", text, re.M), text
    listing = expect_lspci_is_qemus_view(m)
    assert listing.splitlines()[0] == (
        "configuration space by ECAM; ECAM at 0xb0000000 for buses 0-255 "
        "(from the host bridge's PCIEXBAR)")
    # The same window, so the same listing as through the MCFG's address.
    assert listing.splitlines()[1:] == q35.command("lspci").splitlines()[1:]
    # The MCH's PCIEXBAR itself (00:00.0+0x60): base, 256 MiB, enabled.
    assert m.command("pcicfg 00:00.0 0x60 port") == (
        "00:00.0+0x060 = 0xb0000001 (port)")


# --- both mechanisms ------------------------------------------------------

def test_lspci_is_the_same_by_either_mechanism(q35):
    by_ecam = q35.command("lspci ecam").splitlines()
    by_port = q35.command("lspci port").splitlines()
    assert by_ecam[0].startswith("configuration space by ECAM; ")
    assert by_port[0].startswith("configuration space by ports 0xcf8/0xcfc; "
                                 "ECAM at 0xb0000000")
    assert by_ecam[1:] == by_port[1:]
    assert len(by_ecam) > 20
    # The default comes back after `lspci port`.
    assert q35.command("lspci").splitlines()[0].startswith(
        "configuration space by ECAM")


def test_ahci_first_256_bytes_both_ways(q35):
    values = {}
    for how in ("port", "ecam"):
        for offset in range(0, 0x100, 4):
            out = q35.command(f"pcicfg 00:1f.2 {offset:#x} {how}")
            m = re.fullmatch(rf"00:1f\.2\+0x{offset:03x} = 0x([0-9a-f]{{8}}) "
                             rf"\({how}\)", out)
            assert m, out
            values[how, offset] = int(m[1], 16)
    for offset in range(0, 0x100, 4):
        assert values["port", offset] == values["ecam", offset], hex(offset)
    assert values["port", 0] == 0x29228086      # ICH9 AHCI
    # The default is ECAM on q35.
    assert q35.command("pcicfg 00:1f.2 0") == "00:1f.2+0x000 = 0x29228086 (ecam)"


def test_extended_space_by_ecam_only(q35):
    # PCIe's extended space starts at 0x100; the e1000e's first extended
    # capability is there, the AHCI (a conventional function) reads 0.
    out = q35.command("pcicfg 00:02.0 0x100 ecam")
    assert re.fullmatch(r"00:02\.0\+0x100 = 0x[0-9a-f]{8} \(ecam\)", out), out
    assert out != "00:02.0+0x100 = 0x00000000 (ecam)"
    assert q35.command("pcicfg 00:02.0 0xffc") == (
        "00:02.0+0xffc = 0x00000000 (ecam)")
    assert q35.command("pcicfg 00:1f.2 0x100 port") == (
        "error: pcicfg: mechanism #1 reaches only offsets 0-0xfc "
        "(CONFIG_ADDRESS holds 8 bits of offset); 0x100 needs ecam")


@pytest.mark.parametrize("line, error", [
    ("pcicfg 0:1f.2x 0", "error: pcicfg: '0:1f.2x' is not a bus:device."
                         "function such as 00:1f.2 (hex; device 0-1f, "
                         "function 0-7)"),
    ("pcicfg 00:20.0 0", "error: pcicfg: '00:20.0' is not a bus:device."
                         "function such as 00:1f.2 (hex; device 0-1f, "
                         "function 0-7)"),
    ("pcicfg 00:1f.8 0", "error: pcicfg: '00:1f.8' is not a bus:device."
                         "function such as 00:1f.2 (hex; device 0-1f, "
                         "function 0-7)"),
    ("pcicfg 00:1f.2 0x102", "error: pcicfg: OFFSET 0x102 is not a multiple "
                             "of 4"),
    ("pcicfg 00:1f.2 0x1000", "error: pcicfg: OFFSET 0x1000 is out of range "
                              "(at most 0xffc)"),
    ("pcicfg 00:1f.2 x", "error: pcicfg: OFFSET 'x': not a number "
                         "(decimal, or hex with 0x)"),
    ("pcicfg 00:1f.2 0 mmio", "error: pcicfg: 'mmio' is neither port nor "
                              "ecam"),
    ("pcicfg 00:1e.0 0 port", "error: pcicfg: no function at 00:1e.0 (its "
                              "vendor ID reads 0xffff)"),
    ("pcicfg 00:1e.0 0x10 ecam", "error: pcicfg: no function at 00:1e.0 "
                                 "(its vendor ID reads 0xffff)"),
    ("pcicfg 05:00.0 0", "error: pcicfg: no function at 05:00.0 (its vendor "
                         "ID reads 0xffff)"),
    ("lspci sideways", "error: lspci: 'sideways' is neither port nor ecam"),
])
def test_pcicfg_errors(q35, line, error):
    assert q35.command(line) == error


def test_ecam_refused_on_pc(pc):
    no_ecam = ("error: {}: this machine has no ECAM window (no MCFG table, "
               "no PCIEXBAR): only port works")
    assert pc.command("pcicfg 00:00.0 0 ecam") == no_ecam.format("pcicfg")
    assert pc.command("lspci ecam") == no_ecam.format("lspci")
    assert pc.command("pcicfg 00:00.0 0x100") == (
        "error: pcicfg: mechanism #1 reaches only offsets 0-0xfc "
        "(CONFIG_ADDRESS holds 8 bits of offset); 0x100 needs ecam")
    assert pc.command("pcicfg 00:00.0 0") == "00:00.0+0x000 = 0x12378086 (port)"
    assert pc.command("lspci port") == pc.command("lspci")


# --- the trace names both, and QEMU saw the same ---------------------------

def test_trace_of_pcicfg_both_ways_is_qemus(q35):
    # Last in the file: it stops QEMU to read its trace to the end.
    q35.command("clear")        # nothing scrolls while tracing
    q35.command("trace clear")
    q35.command("trace on")
    assert q35.command("pcicfg 00:1f.2 0x8 port") == (
        "00:1f.2+0x008 = 0x01060102 (port)")
    assert q35.command("pcicfg 00:1f.2 0x8 ecam") == (
        "00:1f.2+0x008 = 0x01060102 (ecam)")
    held = int(re.search(r"(\d+) records held", q35.command("trace off"))[1])
    q35.stop_tracing()      # the dump's own accesses need no referee
    records = RECORD.findall(q35.command(f"trace dump {held}", timeout=60))
    pci = [r for r in records if r[6].startswith(("pci-conf", "pcie-mmcfg"))]
    # By ports: the address, then the data, once for the vendor ID check
    # and once for the register; by ECAM: one mov each.
    vendor, class_rev = 0x29228086, 0x01060102
    assert [(r[0], r[1], r[4], int(r[3], 16), int(r[5], 16), r[6])
            for r in pci] == [
        ("PMIO", "out", "<-", 0xCF8, 0x8000FA00, "pci-conf-idx"),
        ("PMIO", "in", "->", 0xCFC, vendor, "pci-conf-data"),
        ("PMIO", "out", "<-", 0xCF8, 0x8000FA08, "pci-conf-idx"),
        ("PMIO", "in", "->", 0xCFC, class_rev, "pci-conf-data"),
        ("MMIO", "mov", "->", Q35_ECAM + 0xFA000, vendor, "pcie-mmcfg-mmio"),
        ("MMIO", "mov", "->", Q35_ECAM + 0xFA008, class_rev,
         "pcie-mmcfg-mmio"),
    ]
    q35.quit()
    # QEMU's regions of the same names saw exactly these, in this order.
    qemu = [(a.op, a.name, a.addr, a.value) for a in q35.kernel_accesses(
        ["pci-conf-idx", "pci-conf-data", "pcie-mmcfg-mmio"])]
    mine = [("write" if r[4] == "<-" else "read", r[6],
             int(r[3], 16), int(r[5], 16)) for r in pci]
    tail = qemu[-len(mine):]
    assert tail == mine, (qemu[-10:], mine)
