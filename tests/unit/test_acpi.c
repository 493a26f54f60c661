/* Host tests for kernel/lib/acpi.c. A few byte arrays stand for windows of
 * physical memory: page 0, the EBDA, the BIOS area (where SeaBIOS leaves
 * the RSDP), the top of RAM (where QEMU puts the tables) and the last page
 * below 4 GiB. The read callback hands out only ranges inside one window,
 * so a walk that strays shows as a problem (or as an ASan error), never as
 * a read of host memory. */
#include "kernel/lib/acpi.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#define LOW_BASE 0x0u
#define LOW_SIZE 0x1000u
#define EBDA_BASE 0x9FC00u
#define TABLES_BASE 0x07FE0000u
#define TABLES_SIZE 0x4000u
#define TOP_BASE 0xFFFFF000u
#define TOP_SIZE 0x1000u

/* Where the QEMU-like set puts things. */
#define RSDP_ADDR 0xF52D0u
#define FACP_ADDR (TABLES_BASE + 0x0100)
#define MADT_ADDR (TABLES_BASE + 0x1000)
#define RSDT_ADDR (TABLES_BASE + 0x2000)
#define FACP_LENGTH 116             /* an ACPI 1.0 FADT, as QEMU's pc */
#define QEMU_MADT_LENGTH 120
#define NOWHERE 0x00200000u         /* in no window */

static uint8_t low_mem[LOW_SIZE];
static uint8_t ebda_mem[ACPI_EBDA_SEARCH_LENGTH];
static uint8_t bios_mem[ACPI_BIOS_AREA_LENGTH];
static uint8_t tables_mem[TABLES_SIZE];
static uint8_t top_mem[TOP_SIZE];

static const struct window {
    uint32_t base;
    uint32_t size;
    uint8_t *bytes;
} windows[] = {
    { LOW_BASE, LOW_SIZE, low_mem },
    { EBDA_BASE, ACPI_EBDA_SEARCH_LENGTH, ebda_mem },
    { ACPI_BIOS_AREA_START, ACPI_BIOS_AREA_LENGTH, bios_mem },
    { TABLES_BASE, TABLES_SIZE, tables_mem },
    { TOP_BASE, TOP_SIZE, top_mem },
};

struct read_stats {
    unsigned reads;
    unsigned wrapping;  /* requests for ranges that run past 4 GiB */
};

static struct read_stats stats;

static const struct window *window_of(uint32_t addr, uint32_t len)
{
    for (size_t i = 0; i < sizeof windows / sizeof windows[0]; i++) {
        const struct window *w = &windows[i];
        if (addr >= w->base
            && (uint64_t)addr + len <= (uint64_t)w->base + w->size)
            return w;
    }
    return NULL;
}

/* The range check is done in 64 bits, so a wrapping range is refused;
 * the walk must not even ask for one, which is counted. */
static const void *fake_read(void *ctx, uint32_t addr, uint32_t len)
{
    struct read_stats *s = ctx;
    s->reads++;
    if ((uint64_t)addr + len > UINT64_C(0x100000000))
        s->wrapping++;
    const struct window *w = window_of(addr, len);
    return w ? w->bytes + (addr - w->base) : NULL;
}

/* Test-side access to fake memory; a test writing outside it is a bug in
 * the test, and fails. */
static uint8_t *at(uint32_t addr, uint32_t len)
{
    const struct window *w = window_of(addr, len);
    assert_non_null(w);
    return w->bytes + (addr - w->base);
}

static void put8(uint32_t addr, uint8_t v)
{
    *at(addr, 1) = v;
}

static void put16(uint32_t addr, uint16_t v)
{
    uint8_t *p = at(addr, 2);
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void put32(uint32_t addr, uint32_t v)
{
    uint8_t *p = at(addr, 4);
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void put64(uint32_t addr, uint64_t v)
{
    put32(addr, (uint32_t)v);
    put32(addr + 4, (uint32_t)(v >> 32));
}

static void put_bytes(uint32_t addr, const void *s, uint32_t n)
{
    memcpy(at(addr, n), s, n);
}

/* Sets the byte at addr + checksum_off so that len bytes from addr sum
 * to 0. */
static void fix_checksum(uint32_t addr, uint32_t len, uint32_t checksum_off)
{
    uint8_t *p = at(addr, len);
    uint8_t sum = 0;
    p[checksum_off] = 0;
    for (uint32_t i = 0; i < len; i++)
        sum = (uint8_t)(sum + p[i]);
    p[checksum_off] = (uint8_t)-sum;
}

/* An RSDP: revision 0 is the 20-byte ACPI 1.0 one, revision 2 adds the
 * length (36) and the extended checksum. */
static void put_rsdp(uint32_t addr, uint8_t revision, uint32_t rsdt)
{
    memset(at(addr, ACPI_RSDP_V2_SIZE), 0, ACPI_RSDP_V2_SIZE);
    put_bytes(addr, ACPI_RSDP_SIGNATURE, ACPI_RSDP_SIGNATURE_LEN);
    put_bytes(addr + ACPI_RSDP_OFF_OEMID, "BOCHS ", ACPI_OEMID_LEN);
    put8(addr + ACPI_RSDP_OFF_REVISION, revision);
    put32(addr + ACPI_RSDP_OFF_RSDT, rsdt);
    fix_checksum(addr, ACPI_RSDP_V1_SIZE, ACPI_RSDP_OFF_CHECKSUM);
    if (revision >= ACPI_RSDP_REVISION_2) {
        put32(addr + ACPI_RSDP_OFF_LENGTH, ACPI_RSDP_V2_SIZE);
        fix_checksum(addr, ACPI_RSDP_V2_SIZE, ACPI_RSDP_OFF_EXT_CHECKSUM);
    }
}

/* A table header with signature and length; the checksum is fixed by
 * seal() once the body is written. */
static void put_header(uint32_t addr, const char *sig, uint32_t length)
{
    memset(at(addr, ACPI_SDT_HEADER_SIZE), 0, ACPI_SDT_HEADER_SIZE);
    put_bytes(addr, sig, ACPI_SDT_SIGNATURE_LEN);
    put32(addr + ACPI_SDT_OFF_LENGTH, length);
    put8(addr + 8, 1);                          /* revision */
    put_bytes(addr + 10, "BOCHS BXPC    ", 14);  /* OEM ID, OEM table ID */
}

static void seal(uint32_t addr, uint32_t length)
{
    fix_checksum(addr, length, ACPI_SDT_OFF_CHECKSUM);
}

static void put_rsdt(uint32_t addr, const uint32_t *tables, unsigned n)
{
    uint32_t length = ACPI_SDT_HEADER_SIZE + n * ACPI_RSDT_ENTRY_SIZE;
    put_header(addr, ACPI_RSDT_SIGNATURE, length);
    for (unsigned i = 0; i < n; i++)
        put32(addr + ACPI_SDT_HEADER_SIZE + i * ACPI_RSDT_ENTRY_SIZE,
              tables[i]);
    seal(addr, length);
}

/* The MADT is built entry by entry at MADT_ADDR; madt_end() sets its
 * length and checksum. */
static uint32_t madt_len;

static void madt_begin(uint32_t lapic_addr, uint32_t flags)
{
    memset(at(MADT_ADDR, 0x1000), 0, 0x1000);
    put_header(MADT_ADDR, ACPI_MADT_SIGNATURE, 0);
    put32(MADT_ADDR + ACPI_MADT_OFF_LAPIC_ADDR, lapic_addr);
    put32(MADT_ADDR + ACPI_MADT_OFF_FLAGS, flags);
    madt_len = ACPI_MADT_OFF_ENTRIES;
}

/* Starts an entry of the given type and length; returns its address. */
static uint32_t add_entry(uint8_t type, uint8_t length)
{
    uint32_t e = MADT_ADDR + madt_len;
    put8(e + ACPI_MADT_ENTRY_OFF_TYPE, type);
    put8(e + ACPI_MADT_ENTRY_OFF_LENGTH, length);
    madt_len += length;
    return e;
}

static void add_lapic(uint8_t processor, uint8_t apic_id, uint32_t flags)
{
    uint32_t e = add_entry(ACPI_MADT_LAPIC, ACPI_MADT_LAPIC_LEN);
    put8(e + ACPI_MADT_LAPIC_OFF_PROCESSOR, processor);
    put8(e + ACPI_MADT_LAPIC_OFF_APIC_ID, apic_id);
    put32(e + ACPI_MADT_LAPIC_OFF_FLAGS, flags);
}

static void add_ioapic(uint8_t id, uint32_t addr, uint32_t gsi_base)
{
    uint32_t e = add_entry(ACPI_MADT_IOAPIC, ACPI_MADT_IOAPIC_LEN);
    put8(e + ACPI_MADT_IOAPIC_OFF_ID, id);
    put32(e + ACPI_MADT_IOAPIC_OFF_ADDR, addr);
    put32(e + ACPI_MADT_IOAPIC_OFF_GSI_BASE, gsi_base);
}

static void add_override(uint8_t bus, uint8_t irq, uint32_t gsi,
                         uint16_t flags)
{
    uint32_t e = add_entry(ACPI_MADT_OVERRIDE, ACPI_MADT_OVERRIDE_LEN);
    put8(e + ACPI_MADT_OVERRIDE_OFF_BUS, bus);
    put8(e + ACPI_MADT_OVERRIDE_OFF_IRQ, irq);
    put32(e + ACPI_MADT_OVERRIDE_OFF_GSI, gsi);
    put16(e + ACPI_MADT_OVERRIDE_OFF_FLAGS, flags);
}

static void add_lapic_nmi(uint8_t processor, uint16_t flags, uint8_t lint)
{
    uint32_t e = add_entry(ACPI_MADT_LAPIC_NMI, ACPI_MADT_LAPIC_NMI_LEN);
    put8(e + ACPI_MADT_LAPIC_NMI_OFF_PROCESSOR, processor);
    put16(e + ACPI_MADT_LAPIC_NMI_OFF_FLAGS, flags);
    put8(e + ACPI_MADT_LAPIC_NMI_OFF_LINT, lint);
}

static void add_lapic_override(uint64_t addr)
{
    uint32_t e = add_entry(ACPI_MADT_LAPIC_OVERRIDE,
                           ACPI_MADT_LAPIC_OVERRIDE_LEN);
    put64(e + ACPI_MADT_LAPIC_OVERRIDE_OFF_ADDR, addr);
}

static void madt_end(void)
{
    put32(MADT_ADDR + ACPI_SDT_OFF_LENGTH, madt_len);
    seal(MADT_ADDR, madt_len);
}

#define QEMU_LAPIC 0xFEE00000u
#define QEMU_IOAPIC 0xFEC00000u
#define LEVEL_HIGH (ACPI_INTI_LEVEL | ACPI_INTI_ACTIVE_HIGH)   /* 0x000D */

/* QEMU's pc machine with one CPU: the Local APIC, the IO APIC, the PIT
 * moved from IRQ 0 to GSI 2, the PCI interrupts 5, 9, 10 and 11 level
 * triggered, and LINT1 as the NMI of every CPU. */
static void add_qemu_entries(void)
{
    add_lapic(0, 0, ACPI_MADT_LAPIC_ENABLED);
    add_ioapic(0, QEMU_IOAPIC, 0);
    add_override(ACPI_MADT_BUS_ISA, 0, 2, 0);
    add_override(ACPI_MADT_BUS_ISA, 5, 5, LEVEL_HIGH);
    add_override(ACPI_MADT_BUS_ISA, 9, 9, LEVEL_HIGH);
    add_override(ACPI_MADT_BUS_ISA, 10, 10, LEVEL_HIGH);
    add_override(ACPI_MADT_BUS_ISA, 11, 11, LEVEL_HIGH);
    add_lapic_nmi(ACPI_MADT_ALL_PROCESSORS, 0, 1);
}

static void build_qemu(void)
{
    memset(low_mem, 0, sizeof low_mem);
    memset(ebda_mem, 0, sizeof ebda_mem);
    memset(bios_mem, 0, sizeof bios_mem);
    memset(tables_mem, 0, sizeof tables_mem);
    memset(top_mem, 0, sizeof top_mem);

    put_rsdp(RSDP_ADDR, 0, RSDT_ADDR);
    put_header(FACP_ADDR, "FACP", FACP_LENGTH);
    seal(FACP_ADDR, FACP_LENGTH);
    madt_begin(QEMU_LAPIC, ACPI_MADT_PCAT_COMPAT);
    add_qemu_entries();
    madt_end();
    const uint32_t tables[] = { FACP_ADDR, MADT_ADDR };
    put_rsdt(RSDT_ADDR, tables, 2);
}

static bool parse(struct acpi_madt *out)
{
    stats = (struct read_stats){ 0 };
    bool ok = acpi_parse_madt(RSDP_ADDR, fake_read, &stats, out);
    assert_int_equal(stats.wrapping, 0);
    return ok;
}

static bool find(uint32_t start, uint32_t length, uint32_t *addr)
{
    stats = (struct read_stats){ 0 };
    bool ok = acpi_find_rsdp(start, length, fake_read, &stats, addr);
    assert_int_equal(stats.wrapping, 0);
    return ok;
}

static bool find_in_bios_area(uint32_t *addr)
{
    return find(ACPI_BIOS_AREA_START, ACPI_BIOS_AREA_LENGTH, addr);
}

/* Parsing that must fail with exactly this problem. */
static void expect_failure(const char *problem)
{
    struct acpi_madt m;
    assert_false(parse(&m));
    assert_string_equal(m.problem, problem);
    assert_int_equal(m.cpu_count, 0);
    assert_int_equal(m.ioapic_count, 0);
    assert_int_equal(m.override_count, 0);
    assert_int_equal(m.nmi_count, 0);
}

/* Parsing that must succeed with a problem containing `part`. */
static void expect_problem(struct acpi_madt *m, const char *part)
{
    assert_true(parse(m));
    assert_non_null(strstr(m->problem, part));
}

/* Adds delta to one byte of a table, which breaks its checksum by delta. */
static void bump(uint32_t addr, uint8_t delta)
{
    put8(addr, (uint8_t)(*at(addr, 1) + delta));
}

static void expect_override(const struct acpi_madt *m, unsigned i,
                            uint8_t irq, uint32_t gsi, uint16_t flags)
{
    assert_int_equal(m->overrides[i].bus, ACPI_MADT_BUS_ISA);
    assert_int_equal(m->overrides[i].irq, irq);
    assert_int_equal(m->overrides[i].gsi, gsi);
    assert_int_equal(m->overrides[i].flags, flags);
}

static void test_qemu_tables(void **state)
{
    (void)state;
    struct acpi_madt m;
    uint32_t rsdp = 0;
    build_qemu();

    assert_true(find_in_bios_area(&rsdp));
    assert_int_equal(rsdp, RSDP_ADDR);

    memset(&m, 0x5A, sizeof m);     /* leftovers must not survive */
    assert_true(parse(&m));
    assert_string_equal(m.problem, "");
    assert_int_equal(m.rsdp, RSDP_ADDR);
    assert_int_equal(m.rsdt, RSDT_ADDR);
    assert_int_equal(m.madt, MADT_ADDR);
    assert_int_equal(m.revision, 0);
    assert_string_equal(m.oem, "BOCHS ");
    assert_int_equal(m.lapic_addr, QEMU_LAPIC);
    assert_int_equal(m.flags, ACPI_MADT_PCAT_COMPAT);

    assert_int_equal(m.cpu_count, 1);
    assert_int_equal(m.cpus[0].processor_id, 0);
    assert_int_equal(m.cpus[0].apic_id, 0);
    assert_true(m.cpus[0].enabled);

    assert_int_equal(m.ioapic_count, 1);
    assert_int_equal(m.ioapics[0].id, 0);
    assert_int_equal(m.ioapics[0].addr, QEMU_IOAPIC);
    assert_int_equal(m.ioapics[0].gsi_base, 0);

    assert_int_equal(m.override_count, 5);
    expect_override(&m, 0, 0, 2, 0);
    expect_override(&m, 1, 5, 5, 0x000D);
    expect_override(&m, 2, 9, 9, 0x000D);
    expect_override(&m, 3, 10, 10, 0x000D);
    expect_override(&m, 4, 11, 11, 0x000D);

    assert_int_equal(m.nmi_count, 1);
    assert_int_equal(m.nmis[0].processor_id, ACPI_MADT_ALL_PROCESSORS);
    assert_int_equal(m.nmis[0].flags, 0);
    assert_int_equal(m.nmis[0].lint, 1);
    assert_false(m.truncated);
}

static void expect_gsi(const struct acpi_madt *m, uint8_t irq, uint32_t gsi,
                       bool active_low, bool level)
{
    bool low = !active_low, lvl = !level;   /* must be written */
    assert_int_equal(acpi_isa_irq_to_gsi(m, irq, &low, &lvl), gsi);
    assert_int_equal(low, active_low);
    assert_int_equal(lvl, level);
}

static void test_isa_irq_to_gsi_qemu(void **state)
{
    (void)state;
    struct acpi_madt m;
    build_qemu();
    assert_true(parse(&m));

    expect_gsi(&m, 0, 2, false, false);     /* the PIT, moved, flags 0 */
    expect_gsi(&m, 1, 1, false, false);     /* keyboard: no override */
    expect_gsi(&m, 4, 4, false, false);     /* COM1: no override */
    expect_gsi(&m, 9, 9, false, true);      /* ACPI SCI: level, high */
}

static void test_isa_irq_to_gsi_flags(void **state)
{
    (void)state;
    struct acpi_madt m;
    build_qemu();
    madt_begin(QEMU_LAPIC, 0);
    add_override(ACPI_MADT_BUS_ISA, 3, 20,
                 ACPI_INTI_ACTIVE_LOW | ACPI_INTI_LEVEL);
    add_override(ACPI_MADT_BUS_ISA, 4, 21, ACPI_INTI_ACTIVE_LOW);
    add_override(ACPI_MADT_BUS_ISA, 6, 22, ACPI_INTI_LEVEL);
    add_override(ACPI_MADT_BUS_ISA, 7, 23, ACPI_INTI_ACTIVE_HIGH
                 | ACPI_INTI_EDGE);
    add_override(ACPI_MADT_BUS_ISA, 8, 24, 0xA);    /* both reserved (10) */
    add_override(1, 12, 25, ACPI_INTI_ACTIVE_LOW);  /* not ISA */
    add_override(ACPI_MADT_BUS_ISA, 14, 26, 0);
    add_override(ACPI_MADT_BUS_ISA, 14, 27, ACPI_INTI_LEVEL); /* second */
    add_override(ACPI_MADT_BUS_ISA, 1, 28, 0xF00D);  /* reserved high bits */
    madt_end();
    assert_true(parse(&m));
    assert_int_equal(m.override_count, 9);
    expect_override(&m, 8, 1, 28, 0xF00D);

    expect_gsi(&m, 3, 20, true, true);
    expect_gsi(&m, 4, 21, true, false);     /* trigger conforms: edge */
    expect_gsi(&m, 6, 22, false, true);     /* polarity conforms: high */
    expect_gsi(&m, 7, 23, false, false);
    expect_gsi(&m, 8, 24, false, false);
    expect_gsi(&m, 12, 12, false, false);   /* the bus 1 entry is not ISA's */
    expect_gsi(&m, 14, 26, false, false);   /* the first one counts */
    expect_gsi(&m, 1, 28, false, true);
    expect_gsi(&m, 15, 15, false, false);
}

static void test_rsdp_in_ebda(void **state)
{
    (void)state;
    uint32_t rsdp = 0;
    build_qemu();
    memset(bios_mem, 0, sizeof bios_mem);
    put_rsdp(EBDA_BASE + 0x30, 0, RSDT_ADDR);

    assert_true(find(EBDA_BASE, ACPI_EBDA_SEARCH_LENGTH, &rsdp));
    assert_int_equal(rsdp, EBDA_BASE + 0x30);
    assert_false(find_in_bios_area(&rsdp));

    /* A search range that ends inside the structure does not find it. */
    assert_false(find(EBDA_BASE, 0x30 + ACPI_RSDP_V1_SIZE - 1, &rsdp));
    assert_true(find(EBDA_BASE, 0x30 + ACPI_RSDP_V1_SIZE, &rsdp));
}

static void test_no_rsdp(void **state)
{
    (void)state;
    uint32_t rsdp = 0x1234;
    build_qemu();
    memset(bios_mem, 0, sizeof bios_mem);

    assert_false(find_in_bios_area(&rsdp));
    assert_int_equal(rsdp, 0x1234);
    expect_failure("no RSDP at 0x000f52d0 (no \"RSD PTR \" signature)");

    /* Nothing readable there at all. */
    struct acpi_madt m;
    assert_false(acpi_parse_madt(NOWHERE, fake_read, &stats, &m));
    assert_string_equal(m.problem, "RSDP at 0x00200000 is not readable");
    assert_false(find(NOWHERE, 0x1000, &rsdp));
}

static void test_rsdp_not_on_16_byte_boundary(void **state)
{
    (void)state;
    uint32_t rsdp = 0;
    build_qemu();
    memset(bios_mem, 0, sizeof bios_mem);

    /* A valid RSDP 8 bytes off the grid is not seen, even when the search
     * starts on its address; moved onto the grid it is. */
    put_rsdp(RSDP_ADDR + 8, 0, RSDT_ADDR);
    assert_false(find_in_bios_area(&rsdp));
    assert_false(find(RSDP_ADDR + 8, 0x100, &rsdp));
    memset(at(RSDP_ADDR + 8, ACPI_RSDP_V2_SIZE), 0, ACPI_RSDP_V2_SIZE);
    put_rsdp(RSDP_ADDR + 16, 0, RSDT_ADDR);
    assert_true(find(RSDP_ADDR + 8, 0x100, &rsdp));
    assert_int_equal(rsdp, RSDP_ADDR + 16);
}

static void test_rsdp_bad_checksum(void **state)
{
    (void)state;
    uint32_t rsdp = 0;
    build_qemu();
    bump(RSDP_ADDR + ACPI_RSDP_OFF_RSDT, 0x3C);

    assert_false(find_in_bios_area(&rsdp));
    expect_failure("RSDP checksum is wrong (sum 0x3c)");

    /* A bad candidate before a good one is passed over. */
    put_rsdp(RSDP_ADDR + 0x40, 0, RSDT_ADDR);
    assert_true(find_in_bios_area(&rsdp));
    assert_int_equal(rsdp, RSDP_ADDR + 0x40);
}

static void test_rsdp_revision_2(void **state)
{
    (void)state;
    struct acpi_madt m;
    uint32_t rsdp = 0;
    build_qemu();
    put_rsdp(RSDP_ADDR, ACPI_RSDP_REVISION_2, RSDT_ADDR);

    /* Valid: the RSDT is still what is followed. */
    assert_true(find_in_bios_area(&rsdp));
    assert_int_equal(rsdp, RSDP_ADDR);
    assert_true(parse(&m));
    assert_int_equal(m.revision, ACPI_RSDP_REVISION_2);
    assert_int_equal(m.rsdt, RSDT_ADDR);
    assert_int_equal(m.madt, MADT_ADDR);

    /* The extended checksum is wrong; the ACPI 1.0 one is still right. */
    bump(RSDP_ADDR + ACPI_RSDP_OFF_EXT_CHECKSUM + 1, 0x11);
    assert_false(find_in_bios_area(&rsdp));
    expect_failure("RSDP extended checksum is wrong (sum 0x11)");
}

/* Writes a revision 2 RSDP with the given length field and both checksums
 * right over that length (or over 36 bytes when it is longer). */
static void put_rsdp_v2_length(uint32_t length)
{
    put_rsdp(RSDP_ADDR, ACPI_RSDP_REVISION_2, RSDT_ADDR);
    put32(RSDP_ADDR + ACPI_RSDP_OFF_LENGTH, length);
    fix_checksum(RSDP_ADDR, ACPI_RSDP_V1_SIZE, ACPI_RSDP_OFF_CHECKSUM);
    uint32_t over = length < ACPI_RSDP_V2_SIZE ? length : ACPI_RSDP_V2_SIZE;
    if (over > ACPI_RSDP_OFF_EXT_CHECKSUM)
        fix_checksum(RSDP_ADDR, over, ACPI_RSDP_OFF_EXT_CHECKSUM);
}

static void test_rsdp_revision_2_bad_length(void **state)
{
    (void)state;
    uint32_t rsdp = 0;
    build_qemu();

    put_rsdp_v2_length(ACPI_RSDP_V1_SIZE);
    assert_false(find_in_bios_area(&rsdp));
    expect_failure("RSDP length 20 is not in 36..4096");

    put_rsdp_v2_length(ACPI_RSDP_V2_SIZE - 1);
    expect_failure("RSDP length 35 is not in 36..4096");

    put_rsdp_v2_length(ACPI_RSDP_MAX_LENGTH + 1);
    assert_false(find_in_bios_area(&rsdp));
    expect_failure("RSDP length 4097 is not in 36..4096");

    put_rsdp_v2_length(0xFFFFFFFFu);
    expect_failure("RSDP length 4294967295 is not in 36..4096");

    /* Within bounds but past the end of readable memory. */
    uint32_t last = ACPI_BIOS_AREA_START + ACPI_BIOS_AREA_LENGTH - 0x30;
    put_rsdp(last, ACPI_RSDP_REVISION_2, RSDT_ADDR);
    put32(last + ACPI_RSDP_OFF_LENGTH, 0x100);
    fix_checksum(last, ACPI_RSDP_V1_SIZE, ACPI_RSDP_OFF_CHECKSUM);
    struct acpi_madt m;
    assert_false(acpi_parse_madt(last, fake_read, &stats, &m));
    assert_string_equal(m.problem,
                        "RSDP (256 bytes at 0x000fffd0) is not readable");
}

static void test_rsdt_length_too_small(void **state)
{
    (void)state;
    build_qemu();
    put32(RSDT_ADDR + ACPI_SDT_OFF_LENGTH, ACPI_SDT_HEADER_SIZE - 1);
    seal(RSDT_ADDR, ACPI_SDT_HEADER_SIZE - 1);
    expect_failure("RSDT length 35 is not in 36..1060");

    put32(RSDT_ADDR + ACPI_SDT_OFF_LENGTH, 0);
    expect_failure("RSDT length 0 is not in 36..1060");

    /* Exactly a header: a valid RSDT with no tables. */
    put_rsdt(RSDT_ADDR, NULL, 0);
    expect_failure("no MADT (\"APIC\") among the RSDT's 0 tables");
}

static void test_rsdt_length_huge(void **state)
{
    (void)state;
    build_qemu();
    put32(RSDT_ADDR + ACPI_SDT_OFF_LENGTH, 0xFFFFFFF0u);
    expect_failure("RSDT length 4294967280 is not in 36..1060");

    /* One entry more than the bound, all of them readable. */
    put32(RSDT_ADDR + ACPI_SDT_OFF_LENGTH, ACPI_SDT_HEADER_SIZE
          + (ACPI_RSDT_MAX_ENTRIES + 1) * ACPI_RSDT_ENTRY_SIZE);
    expect_failure("RSDT length 1064 is not in 36..1060");

    /* Within the bound, but memory ends first. */
    uint32_t rsdt = TABLES_BASE + TABLES_SIZE - 0x100;
    const uint32_t tables[] = { MADT_ADDR };
    put_rsdt(rsdt, tables, 1);
    put32(rsdt + ACPI_SDT_OFF_LENGTH, 0x200);
    put_rsdp(RSDP_ADDR, 0, rsdt);
    expect_failure("RSDT (512 bytes at 0x07fe3f00) is not readable");
}

static void test_rsdt_checksum_wrong(void **state)
{
    (void)state;
    build_qemu();
    bump(RSDT_ADDR + ACPI_SDT_HEADER_SIZE, 0x3C);
    expect_failure("RSDT checksum is wrong (sum 0x3c)");
}

static void test_rsdt_missing(void **state)
{
    (void)state;
    build_qemu();
    put_rsdp(RSDP_ADDR, 0, NOWHERE);
    expect_failure("RSDT header at 0x00200000 is not readable");

    /* The RSDP points at the MADT instead. */
    put_rsdp(RSDP_ADDR, 0, MADT_ADDR);
    expect_failure("no RSDT at 0x07fe1000 (no \"RSDT\" signature)");
}

static void test_rsdt_entry_outside_memory(void **state)
{
    (void)state;
    struct acpi_madt m;
    build_qemu();
    const uint32_t tables[] = { FACP_ADDR, NOWHERE, 0xFFFFFFF0u, MADT_ADDR };
    put_rsdt(RSDT_ADDR, tables, 4);

    /* The two bad entries are skipped, the first is named, and the MADT in
     * the last entry is still found and parsed. */
    expect_problem(&m, "RSDT entry 1: no readable table at 0x00200000");
    assert_int_equal(m.madt, MADT_ADDR);
    assert_int_equal(m.ioapic_count, 1);
    assert_int_equal(m.override_count, 5);
}

static void test_no_madt(void **state)
{
    (void)state;
    build_qemu();
    const uint32_t tables[] = { FACP_ADDR, NOWHERE };
    put_rsdt(RSDT_ADDR, tables, 2);

    /* The failure is named, not the table skipped on the way. */
    expect_failure("no MADT (\"APIC\") among the RSDT's 2 tables");
}

static void test_madt_checksum_wrong(void **state)
{
    (void)state;
    build_qemu();
    bump(MADT_ADDR + ACPI_MADT_OFF_LAPIC_ADDR, 0x3C);
    expect_failure("MADT checksum is wrong (sum 0x3c)");

    /* A byte past the table's length is not part of the sum. */
    build_qemu();
    bump(MADT_ADDR + QEMU_MADT_LENGTH, 0x3C);
    struct acpi_madt m;
    assert_true(parse(&m));
    assert_string_equal(m.problem, "");
}

static void test_madt_length_bad(void **state)
{
    (void)state;
    build_qemu();
    put32(MADT_ADDR + ACPI_SDT_OFF_LENGTH, ACPI_MADT_OFF_ENTRIES - 1);
    seal(MADT_ADDR, ACPI_MADT_OFF_ENTRIES - 1);
    expect_failure("MADT length 43 is not in 44..65536");

    put32(MADT_ADDR + ACPI_SDT_OFF_LENGTH, ACPI_MADT_MAX_LENGTH + 1);
    expect_failure("MADT length 65537 is not in 44..65536");

    /* Within the bound, past the end of memory. */
    put32(MADT_ADDR + ACPI_SDT_OFF_LENGTH, 0x8000);
    expect_failure("MADT (32768 bytes at 0x07fe1000) is not readable");

    /* No entries at all is a valid MADT. */
    build_qemu();
    madt_begin(QEMU_LAPIC, 0);
    madt_end();
    struct acpi_madt m;
    assert_true(parse(&m));
    assert_string_equal(m.problem, "");
    assert_int_equal(m.lapic_addr, QEMU_LAPIC);
    assert_int_equal(m.cpu_count + m.ioapic_count + m.override_count
                     + m.nmi_count, 0);
}

/* The QEMU MADT with one more entry after the IO APIC: `length` claims its
 * size, `bytes` bytes are really there (the table's length counts them),
 * then one more override follows. */
static void build_with_bad_entry(uint8_t type, uint8_t length, uint8_t bytes)
{
    build_qemu();
    madt_begin(QEMU_LAPIC, ACPI_MADT_PCAT_COMPAT);
    add_lapic(0, 0, ACPI_MADT_LAPIC_ENABLED);
    add_ioapic(0, QEMU_IOAPIC, 0);
    uint32_t e = add_entry(type, bytes);
    put8(e + ACPI_MADT_ENTRY_OFF_LENGTH, length);
    add_override(ACPI_MADT_BUS_ISA, 0, 2, 0);
    madt_end();
}

static void test_madt_entry_length_0_and_1(void **state)
{
    (void)state;
    struct acpi_madt m;

    /* The walk cannot step past such an entry: it stops, and keeps what
     * it had. */
    build_with_bad_entry(ACPI_MADT_LAPIC, 0, 8);
    expect_problem(&m, "MADT entry at offset 64 has length 0, stopped");
    assert_int_equal(m.cpu_count, 1);
    assert_int_equal(m.ioapic_count, 1);
    assert_int_equal(m.override_count, 0);

    build_with_bad_entry(0x7F, 1, 8);
    expect_problem(&m, "MADT entry at offset 64 has length 1, stopped");
    assert_int_equal(m.ioapic_count, 1);
    assert_int_equal(m.override_count, 0);
}

static void test_madt_entry_runs_past_end(void **state)
{
    (void)state;
    struct acpi_madt m;

    /* The last entry claims 20 bytes where the table has 10 left. */
    build_qemu();
    madt_begin(QEMU_LAPIC, 0);
    add_ioapic(0, QEMU_IOAPIC, 0);
    uint32_t e = add_entry(ACPI_MADT_OVERRIDE, ACPI_MADT_OVERRIDE_LEN);
    put8(e + ACPI_MADT_ENTRY_OFF_LENGTH, 20);
    madt_end();
    expect_problem(&m, "MADT entry at offset 56 (length 20) runs past the "
                   "table's end (66), stopped");
    assert_int_equal(m.ioapic_count, 1);
    assert_int_equal(m.override_count, 0);

    /* One stray byte after the last entry: not even a header. */
    build_qemu();
    madt_begin(QEMU_LAPIC, 0);
    add_ioapic(0, QEMU_IOAPIC, 0);
    madt_len += 1;
    madt_end();
    expect_problem(&m, "MADT ends inside an entry header at offset 56");
    assert_int_equal(m.ioapic_count, 1);
}

static void test_madt_entries_too_short(void **state)
{
    (void)state;
    struct acpi_madt m;

    /* A type 1 entry of 8 bytes (an IO APIC needs 12): skipped by its
     * length, named, and the override after it is still read. */
    build_with_bad_entry(ACPI_MADT_IOAPIC, 8, 8);
    expect_problem(&m, "MADT IO APIC entry at offset 64 is too short "
                   "(8 bytes, needs 12), skipped");
    assert_int_equal(m.ioapic_count, 1);
    assert_int_equal(m.override_count, 1);

    /* Every type checks its own minimum, one byte short of it. */
    static const struct {
        uint8_t type, min;
    } types[] = {
        { ACPI_MADT_LAPIC, ACPI_MADT_LAPIC_LEN },
        { ACPI_MADT_IOAPIC, ACPI_MADT_IOAPIC_LEN },
        { ACPI_MADT_OVERRIDE, ACPI_MADT_OVERRIDE_LEN },
        { ACPI_MADT_LAPIC_NMI, ACPI_MADT_LAPIC_NMI_LEN },
        { ACPI_MADT_LAPIC_OVERRIDE, ACPI_MADT_LAPIC_OVERRIDE_LEN },
    };
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        uint8_t n = types[i].min - 1;
        build_with_bad_entry(types[i].type, n, n);
        /* What a parser that read the short entry would find there. */
        memset(at(MADT_ADDR + 64 + 2, n - 2), 0xEE, n - 2);
        seal(MADT_ADDR, madt_len);
        expect_problem(&m, "is too short");
        assert_int_equal(m.cpu_count, 1);
        assert_int_equal(m.ioapic_count, 1);
        assert_int_equal(m.override_count, 1);
        assert_int_equal(m.nmi_count, 0);
        assert_int_equal(m.lapic_addr, QEMU_LAPIC);
    }
}

static void test_madt_longer_entries_accepted(void **state)
{
    (void)state;
    struct acpi_madt m;

    /* A later spec may grow an entry: the known part is read, and the
     * walk steps by the length. */
    build_with_bad_entry(ACPI_MADT_IOAPIC, 16, 16);
    uint32_t e = MADT_ADDR + 64;
    put8(e + ACPI_MADT_IOAPIC_OFF_ID, 1);
    put32(e + ACPI_MADT_IOAPIC_OFF_ADDR, 0xFEC01000u);
    put32(e + ACPI_MADT_IOAPIC_OFF_GSI_BASE, 24);
    put32(e + 12, 0xFFFFFFFFu);
    seal(MADT_ADDR, madt_len);
    assert_true(parse(&m));
    assert_string_equal(m.problem, "");
    assert_int_equal(m.ioapic_count, 2);
    assert_int_equal(m.ioapics[1].id, 1);
    assert_int_equal(m.ioapics[1].addr, 0xFEC01000u);
    assert_int_equal(m.ioapics[1].gsi_base, 24);
    assert_int_equal(m.override_count, 1);
}

static void test_madt_unknown_types_skipped(void **state)
{
    (void)state;
    struct acpi_madt m;

    /* An unknown type of an odd length, and an x2APIC entry (type 9,
     * 16 bytes): both stepped over, no problem. */
    build_qemu();
    madt_begin(QEMU_LAPIC, 0);
    add_ioapic(0, QEMU_IOAPIC, 0);
    uint32_t e = add_entry(0x7F, 7);
    memset(at(e + 2, 5), ACPI_MADT_IOAPIC, 5);
    e = add_entry(9, 16);
    memset(at(e + 2, 14), 0xFF, 14);
    add_override(ACPI_MADT_BUS_ISA, 0, 2, 0);
    madt_end();

    assert_true(parse(&m));
    assert_string_equal(m.problem, "");
    assert_int_equal(m.ioapic_count, 1);
    assert_int_equal(m.cpu_count, 0);
    assert_int_equal(m.override_count, 1);
    expect_override(&m, 0, 0, 2, 0);
}

/* A MADT with as many CPUs, IO APICs and NMI entries as iospace keeps;
 * the caller may add more, then calls madt_end(). */
static void build_full_madt(void)
{
    build_qemu();
    madt_begin(QEMU_LAPIC, 0);
    for (unsigned i = 0; i < ACPI_MAX_CPUS; i++)
        add_lapic((uint8_t)i, (uint8_t)(i + 1), ACPI_MADT_LAPIC_ENABLED);
    for (unsigned i = 0; i < ACPI_MAX_IOAPICS; i++)
        add_ioapic((uint8_t)i, QEMU_IOAPIC + 0x1000 * i, 24 * i);
    for (unsigned i = 0; i < ACPI_MAX_NMIS; i++)
        add_lapic_nmi((uint8_t)i, 0, 1);
}

static void test_too_many_entries_truncated(void **state)
{
    (void)state;
    struct acpi_madt m;

    build_qemu();
    madt_begin(QEMU_LAPIC, 0);
    for (unsigned i = 0; i < ACPI_MAX_OVERRIDES + 4; i++)
        add_override(ACPI_MADT_BUS_ISA, (uint8_t)i, 100 + i, 0);
    add_ioapic(3, QEMU_IOAPIC, 0);      /* after the cut, still read */
    madt_end();
    assert_true(parse(&m));
    assert_int_equal(m.override_count, ACPI_MAX_OVERRIDES);
    assert_true(m.truncated);
    expect_override(&m, ACPI_MAX_OVERRIDES - 1, ACPI_MAX_OVERRIDES - 1,
                    100 + ACPI_MAX_OVERRIDES - 1, 0);
    assert_int_equal(m.ioapic_count, 1);
    assert_int_equal(m.ioapics[0].id, 3);

    /* The other arrays: exactly full is not truncated, one more is. */
    for (int extra = -1; extra < 3; extra++) {
        build_full_madt();
        if (extra == 0)
            add_lapic(0xEE, 0xEE, 0);
        else if (extra == 1)
            add_ioapic(0xEE, 0, 0);
        else if (extra == 2)
            add_lapic_nmi(0xEE, 0, 0);
        madt_end();
        assert_true(parse(&m));
        assert_int_equal(m.truncated, extra >= 0);
        assert_int_equal(m.cpu_count, ACPI_MAX_CPUS);
        assert_int_equal(m.cpus[ACPI_MAX_CPUS - 1].apic_id, ACPI_MAX_CPUS);
        assert_int_equal(m.ioapic_count, ACPI_MAX_IOAPICS);
        assert_int_equal(m.ioapics[ACPI_MAX_IOAPICS - 1].gsi_base,
                         24 * (ACPI_MAX_IOAPICS - 1));
        assert_int_equal(m.nmi_count, ACPI_MAX_NMIS);
        assert_int_equal(m.nmis[ACPI_MAX_NMIS - 1].processor_id,
                         ACPI_MAX_NMIS - 1);
    }
}

static void test_disabled_cpu_kept(void **state)
{
    (void)state;
    struct acpi_madt m;
    build_qemu();
    madt_begin(QEMU_LAPIC, 0);
    add_lapic(0, 0, ACPI_MADT_LAPIC_ENABLED);
    add_lapic(1, 4, 0);                 /* present in the table, unusable */
    add_lapic(2, 6, 0xFFFFFFFEu);       /* every bit but "enabled" */
    madt_end();

    assert_true(parse(&m));
    assert_int_equal(m.cpu_count, 3);
    assert_true(m.cpus[0].enabled);
    assert_false(m.cpus[1].enabled);
    assert_int_equal(m.cpus[1].processor_id, 1);
    assert_int_equal(m.cpus[1].apic_id, 4);
    assert_false(m.cpus[2].enabled);
    assert_int_equal(m.flags, 0);
}

static void test_lapic_address_override(void **state)
{
    (void)state;
    struct acpi_madt m;

    build_qemu();
    madt_begin(QEMU_LAPIC, 0);
    add_lapic_override(0xFEE10000u);
    madt_end();
    assert_true(parse(&m));
    assert_string_equal(m.problem, "");
    assert_int_equal(m.lapic_addr, 0xFEE10000u);

    /* Above 4 GiB: a 32-bit kernel cannot reach it; the MADT's own
     * address stays. */
    madt_begin(QEMU_LAPIC, 0);
    add_lapic_override(UINT64_C(0x1FEE00000));
    madt_end();
    expect_problem(&m, "Local APIC address override 0x1fee00000 is above "
                   "4 GiB, ignored");
    assert_int_equal(m.lapic_addr, QEMU_LAPIC);
}

static void test_first_problem_kept(void **state)
{
    (void)state;
    struct acpi_madt m;
    build_qemu();
    madt_begin(QEMU_LAPIC, 0);
    add_entry(ACPI_MADT_LAPIC_NMI, 3);
    add_entry(ACPI_MADT_IOAPIC, 4);
    add_ioapic(2, QEMU_IOAPIC, 0);
    madt_end();

    assert_true(parse(&m));
    assert_string_equal(m.problem, "MADT Local APIC NMI entry at offset 44 "
                        "is too short (3 bytes, needs 6), skipped");
    assert_int_equal(m.ioapic_count, 1);
    assert_int_equal(m.ioapics[0].id, 2);
}

static void test_oem_id_made_printable(void **state)
{
    (void)state;
    struct acpi_madt m;
    build_qemu();
    put_bytes(RSDP_ADDR + ACPI_RSDP_OFF_OEMID, "A\nB\x7f\x80 ", 6);
    fix_checksum(RSDP_ADDR, ACPI_RSDP_V1_SIZE, ACPI_RSDP_OFF_CHECKSUM);
    assert_true(parse(&m));
    assert_string_equal(m.oem, "A?B?? ");
}

static void test_pointers_near_4_gib(void **state)
{
    (void)state;
    struct acpi_madt m;
    uint32_t rsdp = 0;

    /* A valid RSDP at address 0: a search near the top of memory that
     * wrapped around would find it. */
    build_qemu();
    put_rsdp(LOW_BASE, 0, RSDT_ADDR);
    assert_true(find(LOW_BASE, 0x100, &rsdp));
    assert_false(find(0xFFFFFF00u, 0x200, &rsdp));
    assert_false(find(0xFFFFFFF9u, 0x100, &rsdp));  /* rounding up wraps */
    assert_false(find(0xFFFFFFF0u, 0xFFFFFFFFu, &rsdp));

    /* An RSDP whose 20 bytes would run past 4 GiB. */
    assert_false(acpi_parse_madt(0xFFFFFFF0u, fake_read, &stats, &m));
    assert_string_equal(m.problem, "RSDP at 0xfffffff0 is not readable");

    /* An RSDT whose header would. */
    put_rsdp(RSDP_ADDR, 0, 0xFFFFFFF0u);
    expect_failure("RSDT header at 0xfffffff0 is not readable");

    /* An RSDT whose header fits but whose length would. */
    uint32_t rsdt = 0xFFFFFFC0u;
    const uint32_t tables[] = { MADT_ADDR };
    put_rsdt(rsdt, tables, 1);
    put32(rsdt + ACPI_SDT_OFF_LENGTH, 0x100);
    put_rsdp(RSDP_ADDR, 0, rsdt);
    expect_failure("RSDT (256 bytes at 0xffffffc0) is not readable");

    /* RSDT entries near the top, then the real MADT. */
    build_qemu();
    const uint32_t near_top[] = { 0xFFFFFFFFu, 0xFFFFFFDCu, MADT_ADDR };
    put_rsdt(RSDT_ADDR, near_top, 3);
    expect_problem(&m, "RSDT entry 0: no readable table at 0xffffffff");
    assert_int_equal(m.madt, MADT_ADDR);

    /* A MADT whose header fits below 4 GiB, but not its length. */
    uint32_t madt = 0xFFFFFFD0u;
    put_header(madt, ACPI_MADT_SIGNATURE, 0x40);
    const uint32_t top_madt[] = { madt };
    put_rsdt(RSDT_ADDR, top_madt, 1);
    expect_failure("MADT (64 bytes at 0xffffffd0) is not readable");
}

/* The fuzz-like test: deterministic mutations of the QEMU set. */

static uint32_t rng_state = 0x1CE5BA5Eu;

static uint32_t rng(void)
{
    /* xorshift32 */
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 17;
    rng_state ^= rng_state << 5;
    return rng_state;
}

/* The bytes the mutations touch: the RSDP, the RSDT and the MADT. */
static const struct {
    uint32_t addr, len;
} spans[] = {
    { RSDP_ADDR, ACPI_RSDP_V2_SIZE },
    { RSDT_ADDR, ACPI_SDT_HEADER_SIZE + 2 * ACPI_RSDT_ENTRY_SIZE },
    { MADT_ADDR, QEMU_MADT_LENGTH + 8 },
};

/* Values that sit on the edges of the checks. */
static const uint8_t interesting[] = { 0, 1, 2, 3, 6, 8, 10, 12, 0x7F, 0x80,
                                       0xFE, 0xFF };

/* Fixes a table's checksum over whatever its (mutated) length says, when
 * that much of it is in memory; so the mutations reach past the checksum
 * check most of the time. */
static void fix_table_checksum(uint32_t addr)
{
    uint32_t len = 0;
    memcpy(&len, at(addr + ACPI_SDT_OFF_LENGTH, 4), 4);
    if (len > ACPI_SDT_OFF_CHECKSUM && window_of(addr, len))
        fix_checksum(addr, len, ACPI_SDT_OFF_CHECKSUM);
}

static void test_fuzz_mutations(void **state)
{
    (void)state;
    enum { ROUNDS = 10000 };
    static uint8_t saved[3][QEMU_MADT_LENGTH + 8];
    unsigned parsed = 0, with_entries = 0;
    clock_t begin = clock();

    build_qemu();
    for (size_t s = 0; s < 3; s++)
        memcpy(saved[s], at(spans[s].addr, spans[s].len), spans[s].len);

    for (unsigned round = 0; round < ROUNDS; round++) {
        for (size_t s = 0; s < 3; s++)
            memcpy(at(spans[s].addr, spans[s].len), saved[s], spans[s].len);

        unsigned n = 1 + rng() % 8;
        for (unsigned i = 0; i < n; i++) {
            size_t s = rng() % 3;
            uint32_t addr = spans[s].addr + rng() % spans[s].len;
            uint32_t r = rng();
            if (r % 4 == 0)
                put8(addr, interesting[(r >> 8) % sizeof interesting]);
            else if (r % 4 == 1)
                put8(addr, (uint8_t)(*at(addr, 1) ^ (1u << ((r >> 8) % 8))));
            else
                put8(addr, (uint8_t)(r >> 8));
        }
        if (rng() % 4 != 0) {
            fix_checksum(RSDP_ADDR, ACPI_RSDP_V1_SIZE,
                         ACPI_RSDP_OFF_CHECKSUM);
            fix_table_checksum(RSDT_ADDR);
            fix_table_checksum(MADT_ADDR);
        }

        uint32_t rsdp;
        struct acpi_madt m;
        find(RSDP_ADDR - 0x40, 0x100, &rsdp);
        bool ok = parse(&m);
        assert_true(m.cpu_count <= ACPI_MAX_CPUS);
        assert_true(m.ioapic_count <= ACPI_MAX_IOAPICS);
        assert_true(m.override_count <= ACPI_MAX_OVERRIDES);
        assert_true(m.nmi_count <= ACPI_MAX_NMIS);
        assert_non_null(memchr(m.problem, '\0', sizeof m.problem));
        assert_true(ok || m.problem[0] != '\0');
        bool low = false, level = false;
        for (unsigned irq = 0; irq < 16; irq++)
            acpi_isa_irq_to_gsi(&m, (uint8_t)irq, &low, &level);
        parsed += ok;
        with_entries += ok && m.override_count > 0;
    }

    /* The mutations must reach the entry walk often enough to mean
     * something, and the whole run stays under a second. */
    double seconds = (double)(clock() - begin) / CLOCKS_PER_SEC;
    printf("# fuzz: %u rounds, %u parsed, %u with overrides, %.2f s\n",
           (unsigned)ROUNDS, parsed, with_entries, seconds);
    assert_true(parsed > ROUNDS / 4);
    assert_true(with_entries > ROUNDS / 8);
    assert_true(seconds < 1.0);
}

/* --- MCFG --------------------------------------------------------------- */

#define MCFG_ADDR (TABLES_BASE + 0x3000)
#define Q35_ECAM 0xB0000000u

struct mcfg_entry {
    uint64_t base;
    uint16_t segment;
    uint8_t start_bus, end_bus;
};

/* An MCFG at MCFG_ADDR with these allocations and `extra` bytes after
 * them; its length and checksum right. */
static void put_mcfg(const struct mcfg_entry *e, unsigned n, uint32_t extra)
{
    uint32_t length = ACPI_MCFG_OFF_ENTRIES + n * ACPI_MCFG_ENTRY_SIZE + extra;
    memset(at(MCFG_ADDR, 0x1000), 0, 0x1000);
    put_header(MCFG_ADDR, ACPI_MCFG_SIGNATURE, length);
    for (unsigned i = 0; i < n; i++) {
        uint32_t a = MCFG_ADDR + ACPI_MCFG_OFF_ENTRIES + i * ACPI_MCFG_ENTRY_SIZE;
        put64(a + ACPI_MCFG_ENTRY_OFF_BASE, e[i].base);
        put16(a + ACPI_MCFG_ENTRY_OFF_SEGMENT, e[i].segment);
        put8(a + ACPI_MCFG_ENTRY_OFF_START_BUS, e[i].start_bus);
        put8(a + ACPI_MCFG_ENTRY_OFF_END_BUS, e[i].end_bus);
    }
    seal(MCFG_ADDR, length);
}

/* QEMU's q35: the pc set, plus an MCFG with one allocation, segment 0,
 * buses 0-255 at 0xb0000000 (what QEMU's build_mcfg writes for q35's
 * 256 MiB PCIEXBAR). */
static void build_q35(void)
{
    build_qemu();
    const struct mcfg_entry e = { Q35_ECAM, 0, 0, 255 };
    put_mcfg(&e, 1, 0);
    const uint32_t tables[] = { FACP_ADDR, MADT_ADDR, MCFG_ADDR };
    put_rsdt(RSDT_ADDR, tables, 3);
}

static bool parse_mcfg(struct acpi_mcfg *out)
{
    stats = (struct read_stats){ 0 };
    memset(out, 0x5A, sizeof *out);     /* leftovers must not survive */
    bool ok = acpi_parse_mcfg(RSDP_ADDR, fake_read, &stats, out);
    assert_int_equal(stats.wrapping, 0);
    assert_non_null(memchr(out->problem, '\0', sizeof out->problem));
    return ok;
}

static void expect_mcfg_failure(const char *problem)
{
    struct acpi_mcfg c;
    assert_false(parse_mcfg(&c));
    assert_string_equal(c.problem, problem);
    assert_int_equal(c.base, 0);
}

static void test_mcfg_q35(void **state)
{
    (void)state;
    struct acpi_mcfg c;
    struct acpi_madt m;
    build_q35();

    assert_true(parse_mcfg(&c));
    assert_string_equal(c.problem, "");
    assert_int_equal(c.mcfg, MCFG_ADDR);
    assert_int_equal(c.entries, 1);
    assert_int_equal(c.base, Q35_ECAM);
    assert_int_equal(c.start_bus, 0);
    assert_int_equal(c.end_bus, 255);

    /* The MADT is found as before, past the FADT, before the MCFG. */
    assert_true(parse(&m));
    assert_int_equal(m.madt, MADT_ADDR);
    assert_int_equal(m.ioapic_count, 1);
}

static void test_mcfg_absent_on_pc(void **state)
{
    (void)state;
    struct acpi_mcfg c;
    build_qemu();
    assert_false(parse_mcfg(&c));
    assert_string_equal(c.problem,
                        "no MCFG (\"MCFG\") among the RSDT's 2 tables");
    assert_int_equal(c.mcfg, 0);
    assert_int_equal(c.entries, 0);
}

static void test_mcfg_first_in_rsdt(void **state)
{
    (void)state;
    struct acpi_mcfg c;
    struct acpi_madt m;
    build_q35();
    const uint32_t tables[] = { MCFG_ADDR, NOWHERE, MADT_ADDR };
    put_rsdt(RSDT_ADDR, tables, 3);
    assert_true(parse_mcfg(&c));
    assert_string_equal(c.problem, "");     /* found before the bad entry */
    assert_true(parse(&m));
    assert_string_equal(m.problem,
                        "RSDT entry 1: no readable table at 0x00200000");

    /* A bad entry on the way to it is noted, and the window still used. */
    const uint32_t later[] = { NOWHERE, MCFG_ADDR };
    put_rsdt(RSDT_ADDR, later, 2);
    assert_true(parse_mcfg(&c));
    assert_int_equal(c.base, Q35_ECAM);
    assert_string_equal(c.problem,
                        "RSDT entry 0: no readable table at 0x00200000");
}

static void test_mcfg_shares_the_rsdp_checks(void **state)
{
    (void)state;
    build_q35();
    bump(RSDP_ADDR + ACPI_RSDP_OFF_RSDT, 0x3C);
    expect_mcfg_failure("RSDP checksum is wrong (sum 0x3c)");

    build_q35();
    bump(RSDT_ADDR + ACPI_SDT_HEADER_SIZE, 1);
    expect_mcfg_failure("RSDT checksum is wrong (sum 0x01)");
}

static void test_mcfg_checksum_and_length(void **state)
{
    (void)state;
    build_q35();
    bump(MCFG_ADDR + ACPI_MCFG_OFF_ENTRIES + ACPI_MCFG_ENTRY_OFF_END_BUS, 2);
    expect_mcfg_failure("MCFG checksum is wrong (sum 0x02)");

    /* Shorter than its fixed part (header and reserved bytes). */
    build_q35();
    put32(MCFG_ADDR + ACPI_SDT_OFF_LENGTH, ACPI_MCFG_OFF_ENTRIES - 1);
    seal(MCFG_ADDR, ACPI_MCFG_OFF_ENTRIES - 1);
    expect_mcfg_failure("MCFG length 43 is not in 44..4140");

    build_q35();
    put32(MCFG_ADDR + ACPI_SDT_OFF_LENGTH, 0xFFFFFFF0u);
    expect_mcfg_failure("MCFG length 4294967280 is not in 44..4140");

    /* No allocation at all. */
    put_mcfg(NULL, 0, 0);
    expect_mcfg_failure("the MCFG's 0 allocations have none for segment "
                        "group 0");
}

static void test_mcfg_partial_allocation_ignored(void **state)
{
    (void)state;
    struct acpi_mcfg c;
    build_q35();
    const struct mcfg_entry e = { Q35_ECAM, 0, 0, 255 };
    put_mcfg(&e, 1, 5);
    assert_true(parse_mcfg(&c));
    assert_int_equal(c.entries, 1);
    assert_int_equal(c.base, Q35_ECAM);
    assert_string_equal(c.problem, "MCFG ends inside an allocation (5 bytes "
                        "left over), ignored");

    /* Fewer than 16 bytes only: no allocation. */
    put_mcfg(NULL, 0, 15);
    expect_mcfg_failure("the MCFG's 0 allocations have none for segment "
                        "group 0");
}

static void test_mcfg_segment_0_chosen(void **state)
{
    (void)state;
    struct acpi_mcfg c;
    build_q35();
    const struct mcfg_entry e[] = {
        { 0xC0000000u, 1, 0, 255 },
        { 0xE0000000u, 0, 0, 63 },
        { 0xD0000000u, 0, 64, 127 },    /* a second range: not used */
    };
    put_mcfg(e, 3, 0);
    assert_true(parse_mcfg(&c));
    assert_int_equal(c.entries, 3);
    assert_int_equal(c.base, 0xE0000000u);
    assert_int_equal(c.start_bus, 0);
    assert_int_equal(c.end_bus, 63);

    put_mcfg(e, 1, 0);
    expect_mcfg_failure("the MCFG's 1 allocations have none for segment "
                        "group 0");
}

static void test_mcfg_window_checks(void **state)
{
    (void)state;
    struct acpi_mcfg c;
    build_q35();

    const struct mcfg_entry high = { 0x100000000ull, 0, 0, 255 };
    put_mcfg(&high, 1, 0);
    expect_mcfg_failure("ECAM base 0x100000000 is above 4 GiB");

    const struct mcfg_entry odd = { 0xB0080000u, 0, 0, 255 };
    put_mcfg(&odd, 1, 0);
    expect_mcfg_failure("ECAM base 0xb0080000 is not on a 1 MiB boundary");

    const struct mcfg_entry backwards = { Q35_ECAM, 0, 9, 8 };
    put_mcfg(&backwards, 1, 0);
    expect_mcfg_failure("MCFG buses 9-8 run backwards");

    /* The last MiB below 4 GiB holds bus 0 exactly; bus 1 would wrap. */
    const struct mcfg_entry top = { 0xFFF00000u, 0, 0, 0 };
    put_mcfg(&top, 1, 0);
    assert_true(parse_mcfg(&c));
    assert_int_equal(c.base, 0xFFF00000u);
    assert_int_equal(c.end_bus, 0);
    const struct mcfg_entry wraps = { 0xFFF00000u, 0, 0, 1 };
    put_mcfg(&wraps, 1, 0);
    expect_mcfg_failure("ECAM at 0xfff00000 for buses up to 1 runs past "
                        "4 GiB");
    const struct mcfg_entry full = { 0xF0000000u, 0, 0, 255 };
    put_mcfg(&full, 1, 0);
    assert_true(parse_mcfg(&c));

    /* A range that starts past bus 0 keeps its base (that of bus 0). */
    const struct mcfg_entry later = { Q35_ECAM, 0, 16, 31 };
    put_mcfg(&later, 1, 0);
    assert_true(parse_mcfg(&c));
    assert_int_equal(c.base, Q35_ECAM);
    assert_int_equal(c.start_bus, 16);
    assert_int_equal(c.end_bus, 31);
}

/* --- HPET --------------------------------------------------------------- */

#define HPET_ADDR (TABLES_BASE + 0x0800)    /* between the FADT and MADT */
#define QEMU_HPET 0xFED00000u

/* An HPET table at HPET_ADDR of `length` bytes whose Base Address GAS
 * names address space `space` and `base`; its checksum right. */
static void put_hpet(uint32_t length, uint8_t space, uint64_t base)
{
    memset(at(HPET_ADDR, ACPI_HPET_LENGTH), 0, ACPI_HPET_LENGTH);
    put_header(HPET_ADDR, ACPI_HPET_SIGNATURE, length);
    put8(HPET_ADDR + ACPI_HPET_OFF_BASE + ACPI_GAS_OFF_SPACE_ID, space);
    put64(HPET_ADDR + ACPI_HPET_OFF_BASE + ACPI_GAS_OFF_ADDRESS, base);
    seal(HPET_ADDR, length);
}

/* QEMU's pc with its HPET: the pc set, plus the HPET table QEMU's
 * build_hpet writes (registers in memory at 0xfed00000). */
static void build_hpet(uint8_t space, uint64_t base)
{
    build_qemu();
    put_hpet(ACPI_HPET_LENGTH, space, base);
    const uint32_t tables[] = { FACP_ADDR, MADT_ADDR, HPET_ADDR };
    put_rsdt(RSDT_ADDR, tables, 3);
}

static bool parse_hpet(struct acpi_hpet *out)
{
    stats = (struct read_stats){ 0 };
    memset(out, 0x5A, sizeof *out);     /* leftovers must not survive */
    bool ok = acpi_parse_hpet(RSDP_ADDR, fake_read, &stats, out);
    assert_int_equal(stats.wrapping, 0);
    assert_non_null(memchr(out->problem, '\0', sizeof out->problem));
    return ok;
}

/* The table was found but gives no usable window. */
static void expect_hpet_failure(const char *problem)
{
    struct acpi_hpet h;
    assert_false(parse_hpet(&h));
    assert_string_equal(h.problem, problem);
    assert_int_equal(h.hpet, HPET_ADDR);
    assert_int_equal(h.base, 0);
}

static void test_hpet_qemu(void **state)
{
    (void)state;
    struct acpi_hpet h;
    struct acpi_madt m;
    build_hpet(ACPI_GAS_SPACE_MEMORY, QEMU_HPET);

    assert_true(parse_hpet(&h));
    assert_string_equal(h.problem, "");
    assert_int_equal(h.hpet, HPET_ADDR);
    assert_int_equal(h.base, QEMU_HPET);

    /* The MADT is found as before. */
    assert_true(parse(&m));
    assert_int_equal(m.madt, MADT_ADDR);
}

static void test_hpet_absent(void **state)
{
    (void)state;
    struct acpi_hpet h;
    build_qemu();       /* QEMU's pc with hpet=off: no table */
    assert_false(parse_hpet(&h));
    assert_string_equal(h.problem,
                        "no HPET table (\"HPET\") among the RSDT's 2 tables");
    assert_int_equal(h.hpet, 0);
    assert_int_equal(h.base, 0);
}

static void test_hpet_skipped_entry_noted(void **state)
{
    (void)state;
    struct acpi_hpet h;
    build_hpet(ACPI_GAS_SPACE_MEMORY, QEMU_HPET);
    const uint32_t tables[] = { NOWHERE, HPET_ADDR };
    put_rsdt(RSDT_ADDR, tables, 2);
    assert_true(parse_hpet(&h));
    assert_int_equal(h.base, QEMU_HPET);
    assert_string_equal(h.problem,
                        "RSDT entry 0: no readable table at 0x00200000");
}

static void test_hpet_too_short(void **state)
{
    (void)state;
    /* The page protection byte cut off. */
    build_hpet(ACPI_GAS_SPACE_MEMORY, QEMU_HPET);
    put_hpet(ACPI_HPET_LENGTH - 1, ACPI_GAS_SPACE_MEMORY, QEMU_HPET);
    expect_hpet_failure("HPET table length 55 is not in 56..4096");

    /* A header alone. */
    put_hpet(ACPI_SDT_HEADER_SIZE, ACPI_GAS_SPACE_MEMORY, QEMU_HPET);
    expect_hpet_failure("HPET table length 36 is not in 56..4096");

    put_hpet(ACPI_HPET_LENGTH, ACPI_GAS_SPACE_MEMORY, QEMU_HPET);
    bump(HPET_ADDR + ACPI_HPET_OFF_BASE + ACPI_GAS_OFF_ADDRESS, 1);
    expect_hpet_failure("HPET table checksum is wrong (sum 0x01)");
}

static void test_hpet_io_space(void **state)
{
    (void)state;
    /* Registers the GAS puts in I/O space, or any space but memory, are
     * no memory window. */
    build_hpet(ACPI_GAS_SPACE_IO, 0x400);
    expect_hpet_failure("HPET registers are in address space 1 (system "
                        "I/O), not system memory");
    build_hpet(2, QEMU_HPET);   /* PCI configuration space */
    expect_hpet_failure("HPET registers are in address space 2, not system "
                        "memory");
}

static void test_hpet_address_checks(void **state)
{
    (void)state;
    struct acpi_hpet h;

    build_hpet(ACPI_GAS_SPACE_MEMORY, 0);
    expect_hpet_failure("HPET registers at address 0 (none)");
    build_hpet(ACPI_GAS_SPACE_MEMORY, 0x1FED00000ull);
    expect_hpet_failure("HPET registers at 0x1fed00000 are not wholly below "
                        "4 GiB");

    /* The last KiB below 4 GiB holds the window exactly; any later start
     * runs past it. */
    const uint32_t last = (uint32_t)(0x100000000ull
                                     - ACPI_HPET_REGISTERS_SIZE);
    build_hpet(ACPI_GAS_SPACE_MEMORY, last);
    assert_true(parse_hpet(&h));
    assert_int_equal(h.base, last);
    build_hpet(ACPI_GAS_SPACE_MEMORY, 0xFFFFFE00u);
    expect_hpet_failure("HPET registers at 0xfffffe00 are not wholly below "
                        "4 GiB");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_qemu_tables),
        cmocka_unit_test(test_isa_irq_to_gsi_qemu),
        cmocka_unit_test(test_isa_irq_to_gsi_flags),
        cmocka_unit_test(test_rsdp_in_ebda),
        cmocka_unit_test(test_no_rsdp),
        cmocka_unit_test(test_rsdp_not_on_16_byte_boundary),
        cmocka_unit_test(test_rsdp_bad_checksum),
        cmocka_unit_test(test_rsdp_revision_2),
        cmocka_unit_test(test_rsdp_revision_2_bad_length),
        cmocka_unit_test(test_rsdt_length_too_small),
        cmocka_unit_test(test_rsdt_length_huge),
        cmocka_unit_test(test_rsdt_checksum_wrong),
        cmocka_unit_test(test_rsdt_missing),
        cmocka_unit_test(test_rsdt_entry_outside_memory),
        cmocka_unit_test(test_no_madt),
        cmocka_unit_test(test_madt_checksum_wrong),
        cmocka_unit_test(test_madt_length_bad),
        cmocka_unit_test(test_madt_entry_length_0_and_1),
        cmocka_unit_test(test_madt_entry_runs_past_end),
        cmocka_unit_test(test_madt_entries_too_short),
        cmocka_unit_test(test_madt_longer_entries_accepted),
        cmocka_unit_test(test_madt_unknown_types_skipped),
        cmocka_unit_test(test_too_many_entries_truncated),
        cmocka_unit_test(test_disabled_cpu_kept),
        cmocka_unit_test(test_lapic_address_override),
        cmocka_unit_test(test_first_problem_kept),
        cmocka_unit_test(test_oem_id_made_printable),
        cmocka_unit_test(test_pointers_near_4_gib),
        cmocka_unit_test(test_fuzz_mutations),
        cmocka_unit_test(test_mcfg_q35),
        cmocka_unit_test(test_mcfg_absent_on_pc),
        cmocka_unit_test(test_mcfg_first_in_rsdt),
        cmocka_unit_test(test_mcfg_shares_the_rsdp_checks),
        cmocka_unit_test(test_mcfg_checksum_and_length),
        cmocka_unit_test(test_mcfg_partial_allocation_ignored),
        cmocka_unit_test(test_mcfg_segment_0_chosen),
        cmocka_unit_test(test_mcfg_window_checks),
        cmocka_unit_test(test_hpet_qemu),
        cmocka_unit_test(test_hpet_absent),
        cmocka_unit_test(test_hpet_skipped_entry_noted),
        cmocka_unit_test(test_hpet_too_short),
        cmocka_unit_test(test_hpet_io_space),
        cmocka_unit_test(test_hpet_address_checks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
