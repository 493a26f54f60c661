/*
 * The ACPI walk (kernel/lib/acpi.c) over hostile memory: the input, after one
 * control byte, is physical memory from MEM_BASE on (the BIOS area, where
 * a PC BIOS leaves the RSDP). The walk looks for an RSDP there, follows it
 * to the RSDT, the MADT, the MCFG and the HPET table, and parses the MADT's
 * entries, the MCFG's allocations and the HPET's register address.
 *
 * Random bytes almost never have right checksums, so the walk would stop
 * at the first one. When bit 0 of the control byte is set, the harness
 * first makes the checksums of whatever RSDP, RSDT, MADT, MCFG and HPET
 * table it can
 * find right, so that the fuzzer reaches the entry walks; when it is clear, the
 * memory is walked as it came. Bits 7..4 move the start of the RSDP search
 * off the 16-byte grid.
 *
 * The read callback frees each copy at the next read: acpi.h promises the
 * walk is done with a pointer before it reads again, and AddressSanitizer
 * holds it to that. Invariants: counts within their arrays, a NUL-
 * terminated problem text (set on failure), a printable OEM ID, an
 * answer for every ISA IRQ, an ECAM window that a 32-bit kernel can
 * map (1 MiB aligned, buses in order, ending at or below 4 GiB), and an
 * HPET register window that is in memory below 4 GiB.
 */
#include "kernel/lib/acpi.h"
#include "tests/fuzz/fuzz.h"

#include <stdbool.h>

#define MEM_BASE ACPI_BIOS_AREA_START
#define CTRL_FIX_CHECKSUMS 0x01
#define CTRL_START_SHIFT 4
#define ISA_IRQS 16

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16
           | (uint32_t)p[3] << 24;
}

/* Makes bytes [off, off + len) of mem sum to 0 by changing the byte at
 * off + at; false when the range is not inside. */
static bool fix_sum(uint8_t *mem, size_t size, size_t off, size_t len,
                    size_t at)
{
    if (off > size || len > size - off || at >= len)
        return false;
    uint8_t sum = 0;
    mem[off + at] = 0;
    for (size_t i = 0; i < len; i++)
        sum = (uint8_t)(sum + mem[off + i]);
    mem[off + at] = (uint8_t)-sum;
    return true;
}

/* The table at physical address addr, if its header is inside: its offset
 * in mem. */
static bool table_at(size_t size, uint32_t addr, size_t *off)
{
    if (addr < MEM_BASE || addr - MEM_BASE > size
        || size - (addr - MEM_BASE) < ACPI_SDT_HEADER_SIZE)
        return false;
    *off = addr - MEM_BASE;
    return true;
}

static void fix_table(uint8_t *mem, size_t size, size_t off)
{
    fix_sum(mem, size, off, get32(mem + off + ACPI_SDT_OFF_LENGTH),
            ACPI_SDT_OFF_CHECKSUM);
}

static void fix_checksums(uint8_t *mem, size_t size)
{
    for (size_t r = 0; r + ACPI_RSDP_V1_SIZE <= size; r += ACPI_RSDP_ALIGN) {
        if (memcmp(mem + r, ACPI_RSDP_SIGNATURE,
                   ACPI_RSDP_SIGNATURE_LEN) != 0)
            continue;
        size_t rsdt;
        if (table_at(size, get32(mem + r + ACPI_RSDP_OFF_RSDT), &rsdt)) {
            uint32_t length = get32(mem + rsdt + ACPI_SDT_OFF_LENGTH);
            for (size_t e = ACPI_SDT_HEADER_SIZE;
                 e + ACPI_RSDT_ENTRY_SIZE <= length
                 && rsdt + e + ACPI_RSDT_ENTRY_SIZE <= size;
                 e += ACPI_RSDT_ENTRY_SIZE) {
                size_t t;
                if (table_at(size, get32(mem + rsdt + e), &t) && t != rsdt
                    && (memcmp(mem + t, ACPI_MADT_SIGNATURE,
                               ACPI_SDT_SIGNATURE_LEN) == 0
                        || memcmp(mem + t, ACPI_MCFG_SIGNATURE,
                                  ACPI_SDT_SIGNATURE_LEN) == 0
                        || memcmp(mem + t, ACPI_HPET_SIGNATURE,
                                  ACPI_SDT_SIGNATURE_LEN) == 0))
                    fix_table(mem, size, t);
            }
            fix_table(mem, size, rsdt);
        }
        fix_sum(mem, size, r, ACPI_RSDP_V1_SIZE, ACPI_RSDP_OFF_CHECKSUM);
        if (r + ACPI_RSDP_V2_SIZE <= size
            && mem[r + ACPI_RSDP_OFF_REVISION] >= ACPI_RSDP_REVISION_2)
            fix_sum(mem, size, r, get32(mem + r + ACPI_RSDP_OFF_LENGTH),
                    ACPI_RSDP_OFF_EXT_CHECKSUM);
    }
}

/* The MADT walk's invariants over the fuzzed memory. */
static void check_madt(uint32_t rsdp, struct fuzz_mem *mem)
{
    struct acpi_madt madt;
    bool ok = acpi_parse_madt(rsdp, fuzz_mem_read, mem, &madt);
    CHECK(memchr(madt.problem, '\0', sizeof madt.problem) != NULL);
    CHECK(ok || madt.problem[0] != '\0');
    CHECK(madt.cpu_count <= ACPI_MAX_CPUS);
    CHECK(madt.ioapic_count <= ACPI_MAX_IOAPICS);
    CHECK(madt.override_count <= ACPI_MAX_OVERRIDES);
    CHECK(madt.nmi_count <= ACPI_MAX_NMIS);
    CHECK(strlen(madt.oem) <= ACPI_OEMID_LEN);
    for (const char *c = madt.oem; *c; c++)
        CHECK(*c >= ' ' && *c <= '~');
    for (uint8_t irq = 0; irq < ISA_IRQS; irq++) {
        bool low = true, level = true;
        uint32_t gsi = acpi_isa_irq_to_gsi(&madt, irq, &low, &level);
        bool overridden = false;
        for (unsigned i = 0; i < madt.override_count; i++)
            overridden |= madt.overrides[i].bus == ACPI_MADT_BUS_ISA
                          && madt.overrides[i].irq == irq;
        CHECK(overridden || (gsi == irq && !low && !level));
    }
}

/* The MCFG walk's invariants over the fuzzed memory. */
static void check_mcfg(uint32_t rsdp, struct fuzz_mem *mem)
{
    struct acpi_mcfg mcfg;
    bool ok = acpi_parse_mcfg(rsdp, fuzz_mem_read, mem, &mcfg);
    CHECK(memchr(mcfg.problem, '\0', sizeof mcfg.problem) != NULL);
    CHECK(ok || mcfg.problem[0] != '\0');
    CHECK(mcfg.entries <= ACPI_MCFG_MAX_ENTRIES);
    if (ok) {
        CHECK(mcfg.mcfg != 0 && mcfg.entries >= 1);
        CHECK(mcfg.base % (1u << ACPI_MCFG_BUS_SHIFT) == 0);
        CHECK(mcfg.start_bus <= mcfg.end_bus);
        CHECK(((uint64_t)mcfg.end_bus + 1) << ACPI_MCFG_BUS_SHIFT
              <= UINT64_C(0x100000000) - mcfg.base);
    } else {
        CHECK(mcfg.base == 0);
    }
}

/* The HPET walk's invariants over the fuzzed memory. */
static void check_hpet(uint32_t rsdp, struct fuzz_mem *mem)
{
    struct acpi_hpet hpet;
    bool ok = acpi_parse_hpet(rsdp, fuzz_mem_read, mem, &hpet);
    CHECK(memchr(hpet.problem, '\0', sizeof hpet.problem) != NULL);
    CHECK(ok || hpet.problem[0] != '\0');
    if (ok) {
        CHECK(hpet.hpet != 0 && hpet.base != 0);
        CHECK(hpet.base <= UINT32_MAX - (ACPI_HPET_REGISTERS_SIZE - 1));
    } else {
        CHECK(hpet.base == 0);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct fuzz_mem mem;
    uint32_t rsdp;

    if (size < 1)
        return 0;
    uint8_t ctrl = data[0];
    size_t n = size - 1;
    uint8_t *bytes = malloc(n ? n : 1);
    CHECK(bytes != NULL);
    memcpy(bytes, data + 1, n);
    if (ctrl & CTRL_FIX_CHECKSUMS)
        fix_checksums(bytes, n);

    mem = (struct fuzz_mem){ .base = MEM_BASE, .bytes = bytes, .size = n,
                             .free_each = 1 };
    uint32_t start = MEM_BASE + (ctrl >> CTRL_START_SHIFT);
    uint32_t length = n > ACPI_BIOS_AREA_LENGTH ? ACPI_BIOS_AREA_LENGTH
                                                : (uint32_t)n;
    if (acpi_find_rsdp(start, length, fuzz_mem_read, &mem, &rsdp)) {
        CHECK(rsdp % ACPI_RSDP_ALIGN == 0 && rsdp >= start);
        CHECK(rsdp - start + ACPI_RSDP_V1_SIZE <= length);
    } else {
        rsdp = MEM_BASE;    /* walk from the start anyway */
    }
    check_madt(rsdp, &mem);
    check_mcfg(rsdp, &mem);
    check_hpet(rsdp, &mem);
    fuzz_mem_release(&mem);
    free(bytes);
    return 0;
}
