/* Host tests for kernel/lib/pci_config.c: the two configuration addresses
 * (mechanism #1's CONFIG_ADDRESS dword and the ECAM offset), the B:D.F
 * parser, BAR decoding and sizing, the class and capability names, and the
 * capability walk over a fake configuration space (256 bytes in an array,
 * with loops and bad pointers). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "kernel/lib/pci_config.h"

/* --- the two ways to address a register -------------------------------- */

static void test_conf1_address(void **state)
{
    (void)state;
    /* 00:1f.2 offset 0: enable bit, device 31 in bits 15:11, function 2
     * in 10:8 -- the dword Linux and SeaBIOS write for the q35 AHCI. */
    assert_int_equal(pci_conf1_address(PCI_BDF(0, 0x1f, 2), 0), 0x8000FA00u);
    assert_int_equal(pci_conf1_address(PCI_BDF(0, 0, 0), 0), 0x80000000u);
    assert_int_equal(pci_conf1_address(PCI_BDF(0, 0, 0), PCI_CLASS),
                     0x80000008u);   /* the dword, not the byte */
    assert_int_equal(pci_conf1_address(PCI_BDF(0xff, 31, 7), 0xfc),
                     0x80FFFFFCu);
    assert_int_equal(pci_conf1_address(PCI_BDF(1, 2, 3), 0x3c), 0x8001133Cu);
    /* Bits 1:0 are not in the address: 0xCFC + (offset & 3) picks the
     * byte. */
    assert_int_equal(pci_conf1_address(PCI_BDF(0, 1, 0), 0x3d), 0x8000083Cu);
    assert_int_equal(pci_conf1_address(PCI_BDF(0, 1, 0), 0x0e), 0x8000080Cu);
    /* The register number has 6 bits: 0x100 and above wrap to 0x00, which
     * is why mechanism #1 cannot reach PCI Express's extended space. */
    assert_int_equal(pci_conf1_address(PCI_BDF(0, 0x1f, 2), 0x100),
                     pci_conf1_address(PCI_BDF(0, 0x1f, 2), 0));
    assert_int_equal(pci_conf1_address(PCI_BDF(0, 0x1f, 2), 0xffc),
                     pci_conf1_address(PCI_BDF(0, 0x1f, 2), 0xfc));
}

static void test_ecam_offset(void **state)
{
    (void)state;
    /* 1 MiB per bus, 32 KiB per device, 4 KiB per function (PCIe 7.2.2). */
    assert_int_equal(pci_ecam_offset(PCI_BDF(0, 0, 0), 0), 0);
    assert_int_equal(pci_ecam_offset(PCI_BDF(0, 0x1f, 2), 0), 0xFA000u);
    assert_int_equal(pci_ecam_offset(PCI_BDF(0, 0x1f, 2), 0x100), 0xFA100u);
    assert_int_equal(pci_ecam_offset(PCI_BDF(0, 0x1f, 2), 0xffc), 0xFAFFCu);
    assert_int_equal(pci_ecam_offset(PCI_BDF(1, 0, 0), 0), 0x100000u);
    assert_int_equal(pci_ecam_offset(PCI_BDF(0xff, 31, 7), 0xfff),
                     0x0FFFFFFFu);   /* the last byte of 256 MiB */
    /* Unlike mechanism #1, the byte offset is kept as it is. */
    assert_int_equal(pci_ecam_offset(PCI_BDF(0, 1, 0), 0x3d), 0x803Du);
    /* An offset past 4 KiB stays in its function's page. */
    assert_int_equal(pci_ecam_offset(PCI_BDF(0, 1, 0), 0x1004), 0x8004u);
}

static void test_bdf_packing(void **state)
{
    (void)state;
    pci_bdf b = PCI_BDF(0x12, 0x1f, 7);
    assert_int_equal(b, 0x12FF);
    assert_int_equal(PCI_BDF_BUS(b), 0x12);
    assert_int_equal(PCI_BDF_DEV(b), 0x1f);
    assert_int_equal(PCI_BDF_FN(b), 7);
}

/* --- B:D.F ----------------------------------------------------------- */

static void expect_bdf(const char *s, unsigned bus, unsigned dev,
                       unsigned fn)
{
    pci_bdf b = 0xABCD;
    assert_true(pci_parse_bdf(s, &b));
    assert_int_equal(b, PCI_BDF(bus, dev, fn));
}

static void expect_bad_bdf(const char *s)
{
    pci_bdf b = 0xABCD;
    assert_false(pci_parse_bdf(s, &b));
    assert_int_equal(b, 0xABCD);        /* untouched */
}

static void test_parse_bdf(void **state)
{
    (void)state;
    expect_bdf("00:1f.2", 0, 0x1f, 2);
    expect_bdf("00:1F.2", 0, 0x1f, 2);
    expect_bdf("0:1.0", 0, 1, 0);
    expect_bdf("ff:1f.7", 0xff, 0x1f, 7);
    expect_bdf("a:0a.0", 0x0a, 0x0a, 0);
}

static void test_parse_bdf_malformed(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "", ":", "00", "00:", "00:1f", "00:1f.", ":1f.2", "00:.2",
        "000:1f.2",     /* three bus digits */
        "00:01f.2",
        "00:1f.22",
        "100:00.0",     /* bus 256 */
        "00:20.0",      /* device 32 */
        "00:1f.8",      /* function 8 */
        "00:1f.2 ", " 00:1f.2", "00:1f.2x", "00:1f:2", "00.1f.2",
        "0x0:1f.2", "g0:1f.2", "00:1g.2", "-1:00.0", "00:1f.2.0",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        expect_bad_bdf(bad[i]);
}

/* --- BARs ------------------------------------------------------------ */

static struct pci_bar decode(uint32_t value, uint32_t high, uint32_t sized,
                             uint32_t sized_high)
{
    struct pci_bar b;
    memset(&b, 0x5A, sizeof b);     /* every field must be written */
    pci_bar_decode(value, high, sized, sized_high, &b);
    return b;
}

static void expect_bar(struct pci_bar b, enum pci_bar_kind kind,
                       uint64_t address, uint64_t size, bool prefetchable)
{
    assert_int_equal(b.kind, kind);
    assert_int_equal(b.address, address);
    assert_int_equal(b.size, size);
    assert_int_equal(b.prefetchable, prefetchable);
}

static void test_bar_mem32(void **state)
{
    (void)state;
    /* The std VGA's BAR2 on pc: 4 KiB of registers at 0xfebb0000. */
    expect_bar(decode(0xFEBB0000u, 0, 0xFFFFF000u, 0), PCI_BAR_MEM32,
               0xFEBB0000u, 0x1000, false);
    /* Its BAR0: the 16 MiB framebuffer, prefetchable (bit 3). */
    expect_bar(decode(0xFD000008u, 0, 0xFFFFFFF8u & 0xFF000008u, 0),
               PCI_BAR_MEM32, 0xFD000000u, 0x1000000, true);
    /* The smallest memory window, 16 bytes; a 2 GiB one. */
    expect_bar(decode(0xFEBB1010u, 0, 0xFFFFFFF0u, 0), PCI_BAR_MEM32,
               0xFEBB1010u, 0x10, false);
    expect_bar(decode(0x80000000u, 0, 0x80000000u, 0), PCI_BAR_MEM32,
               0x80000000u, 0x80000000u, false);
    /* Not yet placed by firmware: address 0, the size is still known. */
    expect_bar(decode(0, 0, 0xFFFE0000u, 0), PCI_BAR_MEM32, 0, 0x20000,
               false);
}

static void test_bar_mem64(void **state)
{
    (void)state;
    /* A 64-bit prefetchable 16 KiB window below 4 GiB (as SeaBIOS places
     * a virtio BAR4): the next BAR holds 0 and reads back all ones. */
    expect_bar(decode(0xFE00000Cu, 0, 0xFFFFC00Cu, 0xFFFFFFFFu),
               PCI_BAR_MEM64, 0xFE000000u, 0x4000, true);
    /* Above 4 GiB: the high half is the address's upper 32 bits. */
    expect_bar(decode(0x0000000Cu, 0x8, 0xFFFFC00Cu, 0xFFFFFFFFu),
               PCI_BAR_MEM64, 0x800000000ull, 0x4000, true);
    /* A window of 4 GiB and one of 64 GiB: the size bit is in the high
     * half, and the low half reads back only its type bits. */
    expect_bar(decode(0x00000004u, 0x1, 0x00000004u, 0xFFFFFFFFu),
               PCI_BAR_MEM64, 0x100000000ull, 0x100000000ull, false);
    expect_bar(decode(0x00000004u, 0x10, 0x00000004u, 0xFFFFFFF0u),
               PCI_BAR_MEM64, 0x1000000000ull, 0x1000000000ull, false);
}

static void test_bar_io(void **state)
{
    (void)state;
    /* The rtl8139's BAR0: 256 ports at 0xc000, a full 32-bit decode. */
    expect_bar(decode(0x0000C001u, 0, 0xFFFFFF01u, 0), PCI_BAR_IO, 0xC000,
                      0x100, false);
    /* Only 16 address bits implemented: the upper half reads back 0, the
     * size is still the lowest bit that took the 1 (here 32 ports). */
    expect_bar(decode(0x0000C041u, 0, 0x0000FFE1u, 0), PCI_BAR_IO, 0xC040,
                      0x20, false);
    /* Four ports, the smallest I/O window (bits 1:0 are not address). */
    expect_bar(decode(0x00000701u, 0, 0xFFFFFFFDu, 0), PCI_BAR_IO, 0x700,
                      0x4, false);
    /* Bit 3 of an I/O BAR is an address bit, never "prefetchable". */
    expect_bar(decode(0x00000709u, 0, 0xFFFFFFF9u, 0), PCI_BAR_IO, 0x708,
                      0x8, false);
}

static void test_bar_unused(void **state)
{
    (void)state;
    /* A BAR the function does not implement reads 0, sized or not. */
    expect_bar(decode(0, 0, 0, 0), PCI_BAR_UNUSED, 0, 0, false);
    /* Only the space bit or only the type bits stick: no address bit
     * took the 1, so there is no window. */
    expect_bar(decode(0x1, 0, 0x1, 0), PCI_BAR_UNUSED, 0, 0, false);
    expect_bar(decode(0x8, 0, 0x8, 0), PCI_BAR_UNUSED, 0, 0, false);
    expect_bar(decode(0x4, 0, 0x4, 0), PCI_BAR_UNUSED, 0, 0, false);
}

/* --- the expansion ROM --------------------------------------------- */

static struct pci_rom rom_of(uint32_t value, uint32_t sized)
{
    struct pci_rom r;
    memset(&r, 0x5A, sizeof r);     /* every field must be written */
    pci_rom_decode(value, sized, &r);
    return r;
}

static void expect_rom(struct pci_rom r, bool present, bool enabled,
                       uint32_t address, uint32_t size)
{
    assert_int_equal(r.present, present);
    assert_int_equal(r.enabled, enabled);
    assert_int_equal(r.address, address);
    assert_int_equal(r.size, size);
}

static void test_rom(void **state)
{
    (void)state;
    /* The std VGA's 64 KiB ROM where SeaBIOS left it: disabled. */
    expect_rom(rom_of(0xFEBE0000u, 0xFFFF0000u), true, false, 0xFEBE0000u,
               0x10000);
    /* Enabled: bit 0 is the enable, not an address bit. */
    expect_rom(rom_of(0xFEBE0001u, 0xFFFF0000u), true, true, 0xFEBE0000u,
               0x10000);
    /* The smallest ROM, 2 KiB (bit 11, the lowest address bit). */
    expect_rom(rom_of(0x000C8000u, 0xFFFFF800u), true, false, 0x000C8000u,
               0x800);
    /* Bits 10:1 are reserved: ones there neither size nor place it. */
    expect_rom(rom_of(0xFEB807FEu, 0xFFFC07FEu), true, false, 0xFEB80000u,
               0x40000);
    /* No ROM: nothing took the sizing write; an enable bit alone does
     * not make one. */
    expect_rom(rom_of(0, 0), false, false, 0, 0);
    expect_rom(rom_of(0x1, 0x1), false, false, 0, 0);
}

static void test_bar_below_1m(void **state)
{
    (void)state;
    expect_bar(decode(0x000D0002u, 0, 0xFFFF8002u, 0), PCI_BAR_MEM1M,
               0xD0000, 0x8000, false);
}

static void test_bar_kind_names(void **state)
{
    (void)state;
    assert_string_equal(pci_bar_kind_name(PCI_BAR_IO), "I/O");
    assert_string_equal(pci_bar_kind_name(PCI_BAR_MEM32), "mem32");
    assert_string_equal(pci_bar_kind_name(PCI_BAR_MEM64), "mem64");
    assert_string_equal(pci_bar_kind_name(PCI_BAR_MEM1M), "mem1M");
    assert_string_equal(pci_bar_kind_name(PCI_BAR_UNUSED), "unused");
}

/* --- names ----------------------------------------------------------- */

static void test_class_names(void **state)
{
    (void)state;
    /* Every class QEMU's pc and q35 show, with edu, rtl8139, ich9-ahci. */
    assert_string_equal(pci_class_name(0x06, 0x00), "host bridge");
    assert_string_equal(pci_class_name(0x06, 0x01), "ISA bridge");
    assert_string_equal(pci_class_name(0x06, 0x04), "PCI bridge");
    assert_string_equal(pci_class_name(0x06, 0x80), "bridge");
    assert_string_equal(pci_class_name(0x01, 0x01), "IDE controller");
    assert_string_equal(pci_class_name(0x01, 0x06), "SATA controller");
    assert_string_equal(pci_class_name(0x03, 0x00),
                        "VGA compatible controller");
    assert_string_equal(pci_class_name(0x02, 0x00), "Ethernet controller");
    assert_string_equal(pci_class_name(0x0C, 0x05), "SMBus");
    assert_string_equal(pci_class_name(0x00, 0xFF), "unclassified device");
    /* A subclass without a name of its own takes its class's. */
    assert_string_equal(pci_class_name(0x01, 0x42), "mass storage controller");
    assert_string_equal(pci_class_name(0x02, 0x80), "network controller");
    assert_string_equal(pci_class_name(0x06, 0x09), "bridge");
    assert_string_equal(pci_class_name(0xFF, 0x00), "unassigned class");
    assert_string_equal(pci_class_name(0x42, 0x00), "unknown class");
}

static void test_capability_names(void **state)
{
    (void)state;
    assert_string_equal(pci_capability_name(PCI_CAP_ID_PM), "PM");
    assert_string_equal(pci_capability_name(PCI_CAP_ID_MSI), "MSI");
    assert_string_equal(pci_capability_name(PCI_CAP_ID_EXP), "PCIe");
    assert_string_equal(pci_capability_name(PCI_CAP_ID_MSIX), "MSI-X");
    assert_string_equal(pci_capability_name(PCI_CAP_ID_SATA), "SATA");
    assert_string_equal(pci_capability_name(PCI_CAP_ID_VENDOR), "vendor");
    /* One word each, so that lspci's list splits at spaces. */
    assert_string_equal(pci_capability_name(PCI_CAP_ID_SUBSYSTEM),
                        "subsystem-ID");
    assert_string_equal(pci_capability_name(PCI_CAP_ID_SLOT_ID), "slot-ID");
    assert_string_equal(pci_capability_name(PCI_CAP_ID_DEBUG), "debug-port");
    assert_string_equal(pci_capability_name(0x00), "?");
    assert_string_equal(pci_capability_name(0x42), "?");
    assert_string_equal(pci_capability_name(0xFF), "?");
}

/* --- the capability walk ---------------------------------------------- */

/* One function's 256 bytes, and how many reads the walk made. */
struct space {
    uint8_t bytes[PCI_CONFIG_SIZE];
    unsigned reads;
};

static uint8_t space_read(void *ctx, uint16_t offset)
{
    struct space *s = ctx;
    assert_true(offset < PCI_CONFIG_SIZE);  /* the walk never strays */
    s->reads++;
    return s->bytes[offset];
}

/* A space with the status bit set and the list starting at first. */
static void space_init(struct space *s, uint8_t first)
{
    memset(s, 0, sizeof *s);
    s->bytes[PCI_STATUS] = PCI_STATUS_CAP_LIST;
    s->bytes[PCI_CAPABILITY_LIST] = first;
}

static void put_cap(struct space *s, uint8_t at, uint8_t id, uint8_t next)
{
    s->bytes[at] = id;
    s->bytes[at + PCI_CAP_NEXT] = next;
}

static unsigned walk(struct space *s, struct pci_capability *caps,
                     unsigned max, const char **problem)
{
    *problem = "not written";
    return pci_capabilities(space_read, s, caps, max, problem);
}

static void test_caps_e1000e(void **state)
{
    (void)state;
    /* q35's e1000e: PM@0xc8 MSI@0xd0 PCIe@0xe0 MSI-X@0xa0, in that order
     * (the list is linked, not sorted). */
    struct space s;
    struct pci_capability caps[PCI_CAP_MAX];
    const char *problem;
    space_init(&s, 0xc8);
    put_cap(&s, 0xc8, PCI_CAP_ID_PM, 0xd0);
    put_cap(&s, 0xd0, PCI_CAP_ID_MSI, 0xe0);
    put_cap(&s, 0xe0, PCI_CAP_ID_EXP, 0xa0);
    put_cap(&s, 0xa0, PCI_CAP_ID_MSIX, 0x00);
    assert_int_equal(walk(&s, caps, PCI_CAP_MAX, &problem), 4);
    assert_null(problem);
    assert_int_equal(caps[0].id, PCI_CAP_ID_PM);
    assert_int_equal(caps[0].offset, 0xc8);
    assert_int_equal(caps[1].id, PCI_CAP_ID_MSI);
    assert_int_equal(caps[1].offset, 0xd0);
    assert_int_equal(caps[2].id, PCI_CAP_ID_EXP);
    assert_int_equal(caps[3].id, PCI_CAP_ID_MSIX);
    assert_int_equal(caps[3].offset, 0xa0);
}

static void test_caps_none(void **state)
{
    (void)state;
    struct space s;
    struct pci_capability caps[4];
    const char *problem;
    /* No status bit: the pointer is not even read, whatever it holds. */
    space_init(&s, 0x40);
    s.bytes[PCI_STATUS] = 0;
    put_cap(&s, 0x40, PCI_CAP_ID_MSI, 0);
    assert_int_equal(walk(&s, caps, 4, &problem), 0);
    assert_null(problem);
    assert_int_equal(s.reads, 1);
    /* The bit, and a pointer of 0: an empty list. */
    space_init(&s, 0);
    assert_int_equal(walk(&s, caps, 4, &problem), 0);
    assert_null(problem);
}

static void test_caps_pointer_low_bits_ignored(void **state)
{
    (void)state;
    struct space s;
    struct pci_capability caps[4];
    const char *problem;
    /* Bits 1:0 of each pointer are reserved (6.7): 0x83 means 0x80. */
    space_init(&s, 0x83);
    put_cap(&s, 0x80, PCI_CAP_ID_MSI, 0xab);
    put_cap(&s, 0xa8, PCI_CAP_ID_SATA, 0x02);   /* 0x02 & 0xfc: the end */
    assert_int_equal(walk(&s, caps, 4, &problem), 2);
    assert_null(problem);
    assert_int_equal(caps[0].offset, 0x80);
    assert_int_equal(caps[1].offset, 0xa8);
    assert_int_equal(caps[1].id, PCI_CAP_ID_SATA);
}

static void test_caps_loops(void **state)
{
    (void)state;
    struct space s;
    struct pci_capability caps[PCI_CAP_MAX];
    const char *problem;
    /* Pointing at itself. */
    space_init(&s, 0x40);
    put_cap(&s, 0x40, PCI_CAP_ID_PM, 0x40);
    assert_int_equal(walk(&s, caps, PCI_CAP_MAX, &problem), 1);
    assert_string_equal(problem, "the capability list loops");
    /* Back to an earlier one, after three. */
    space_init(&s, 0x50);
    put_cap(&s, 0x50, PCI_CAP_ID_PM, 0x60);
    put_cap(&s, 0x60, PCI_CAP_ID_MSI, 0x70);
    put_cap(&s, 0x70, PCI_CAP_ID_EXP, 0x60);
    assert_int_equal(walk(&s, caps, PCI_CAP_MAX, &problem), 3);
    assert_string_equal(problem, "the capability list loops");
    /* Into the same dword by another pointer (0x61 is 0x60). */
    put_cap(&s, 0x70, PCI_CAP_ID_EXP, 0x61);
    assert_int_equal(walk(&s, caps, PCI_CAP_MAX, &problem), 3);
    assert_string_equal(problem, "the capability list loops");
}

static void test_caps_every_dword_then_loop(void **state)
{
    (void)state;
    /* The longest list possible: every dword from 0x40 to 0xfc, each
     * pointing at the next, the last back at the first. The walk reads
     * each once and stops. */
    struct space s;
    struct pci_capability caps[PCI_CAP_MAX];
    const char *problem;
    space_init(&s, PCI_CAP_FIRST);
    for (unsigned at = PCI_CAP_FIRST; at < PCI_CONFIG_SIZE; at += 4)
        put_cap(&s, (uint8_t)at, PCI_CAP_ID_VENDOR,
                (uint8_t)(at + 4 < PCI_CONFIG_SIZE ? at + 4 : PCI_CAP_FIRST));
    assert_int_equal(walk(&s, caps, PCI_CAP_MAX, &problem), PCI_CAP_MAX);
    assert_string_equal(problem, "the capability list loops");
    assert_int_equal(caps[PCI_CAP_MAX - 1].offset, 0xfc);
    assert_true(s.reads <= 2 + 2 * PCI_CAP_MAX + 2);
}

static void test_caps_pointer_into_header(void **state)
{
    (void)state;
    struct space s;
    struct pci_capability caps[4];
    const char *problem;
    /* The first pointer. */
    space_init(&s, 0x10);
    assert_int_equal(walk(&s, caps, 4, &problem), 0);
    assert_string_equal(problem, "a capability pointer points into the header");
    /* A later one: what came before is kept. */
    space_init(&s, 0x40);
    put_cap(&s, 0x40, PCI_CAP_ID_MSI, 0x3c);
    assert_int_equal(walk(&s, caps, 4, &problem), 1);
    assert_string_equal(problem, "a capability pointer points into the header");
    assert_int_equal(caps[0].id, PCI_CAP_ID_MSI);
    /* 0x04 is nonzero but in the header too (0x01-0x03 are 0 once the
     * reserved bits go). */
    put_cap(&s, 0x40, PCI_CAP_ID_MSI, 0x04);
    assert_int_equal(walk(&s, caps, 4, &problem), 1);
    assert_string_equal(problem, "a capability pointer points into the header");
}

static void test_caps_more_than_max(void **state)
{
    (void)state;
    struct space s;
    struct pci_capability caps[3];
    const char *problem;
    space_init(&s, 0x40);
    put_cap(&s, 0x40, PCI_CAP_ID_PM, 0x48);
    put_cap(&s, 0x48, PCI_CAP_ID_MSI, 0x50);
    put_cap(&s, 0x50, PCI_CAP_ID_EXP, 0x58);
    put_cap(&s, 0x58, PCI_CAP_ID_MSIX, 0x00);
    /* Room for two: two are kept, and nothing past caps is written. */
    caps[2] = (struct pci_capability){ 0xEE, 0xEE };
    assert_int_equal(walk(&s, caps, 2, &problem), 2);
    assert_null(problem);
    assert_int_equal(caps[1].id, PCI_CAP_ID_MSI);
    assert_int_equal(caps[2].id, 0xEE);
    /* Room for none. */
    assert_int_equal(walk(&s, caps, 0, &problem), 0);
    assert_null(problem);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_conf1_address),
        cmocka_unit_test(test_ecam_offset),
        cmocka_unit_test(test_bdf_packing),
        cmocka_unit_test(test_parse_bdf),
        cmocka_unit_test(test_parse_bdf_malformed),
        cmocka_unit_test(test_bar_mem32),
        cmocka_unit_test(test_bar_mem64),
        cmocka_unit_test(test_bar_io),
        cmocka_unit_test(test_bar_unused),
        cmocka_unit_test(test_bar_below_1m),
        cmocka_unit_test(test_bar_kind_names),
        cmocka_unit_test(test_class_names),
        cmocka_unit_test(test_capability_names),
        cmocka_unit_test(test_caps_e1000e),
        cmocka_unit_test(test_caps_none),
        cmocka_unit_test(test_caps_pointer_low_bits_ignored),
        cmocka_unit_test(test_caps_loops),
        cmocka_unit_test(test_caps_every_dword_then_loop),
        cmocka_unit_test(test_caps_pointer_into_header),
        cmocka_unit_test(test_caps_more_than_max),
        cmocka_unit_test(test_rom),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
