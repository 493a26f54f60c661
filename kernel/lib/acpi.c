#include "kernel/lib/acpi.h"

#include "kernel/lib/fmt.h"
#include "kernel/lib/klib.h"

#include <stdarg.h>
#include <stddef.h>

static uint16_t get16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16
           | (uint32_t)p[3] << 24;
}

static uint64_t get64(const uint8_t *p)
{
    return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

/* ACPI checksums: all bytes of a structure, its checksum byte included,
 * add up to 0 modulo 256. Returns that sum. */
static uint8_t sum_bytes(const uint8_t *p, uint32_t len)
{
    uint8_t sum = 0;
    for (uint32_t i = 0; i < len; i++)
        sum = (uint8_t)(sum + p[i]);
    return sum;
}

/* True when [addr, addr + len) does not run past 4 GiB. */
static bool fits(uint32_t addr, uint32_t len)
{
    return len == 0 || len - 1 <= UINT32_MAX - addr;
}

static const uint8_t *read_range(acpi_read_fn read, void *ctx, uint32_t addr,
                                 uint32_t len)
{
    return fits(addr, len) ? read(ctx, addr, len) : NULL;
}

/* Writes why the walk failed into buf (ACPI_PROBLEM_MAX bytes, or NULL
 * when nobody will read it); returns false so that a failing check can end
 * with `return fail(...)`. */
__attribute__((format(printf, 2, 3)))
static bool fail(char *buf, const char *fmt, ...)
{
    if (!buf)
        return false;
    va_list ap;
    va_start(ap, fmt);
    fmt_vsnprintf(buf, ACPI_PROBLEM_MAX, fmt, ap);
    va_end(ap);
    return false;
}

/* Records something skipped into buf (ACPI_PROBLEM_MAX bytes), unless
 * something earlier already was. */
__attribute__((format(printf, 2, 3)))
static void note(char *buf, const char *fmt, ...)
{
    if (buf[0])
        return;
    va_list ap;
    va_start(ap, fmt);
    fmt_vsnprintf(buf, ACPI_PROBLEM_MAX, fmt, ap);
    va_end(ap);
}

/* Checks the RSDP at addr: signature, the ACPI 1.0 checksum and, from
 * revision 2 on, the length and the extended checksum. `why` may be NULL:
 * the search tries thousands of addresses and wants no message. */
static bool rsdp_valid(uint32_t addr, acpi_read_fn read, void *ctx,
                       char *why)
{
    const uint8_t *p = read_range(read, ctx, addr, ACPI_RSDP_V1_SIZE);
    if (!p)
        return fail(why, "RSDP at 0x%08x is not readable", addr);
    if (memcmp(p, ACPI_RSDP_SIGNATURE, ACPI_RSDP_SIGNATURE_LEN) != 0)
        return fail(why, "no RSDP at 0x%08x (no \"RSD PTR \" signature)",
                    addr);
    uint8_t sum = sum_bytes(p, ACPI_RSDP_V1_SIZE);
    if (sum)
        return fail(why, "RSDP checksum is wrong (sum 0x%02x)", sum);
    if (p[ACPI_RSDP_OFF_REVISION] < ACPI_RSDP_REVISION_2)
        return true;

    p = read_range(read, ctx, addr, ACPI_RSDP_V2_SIZE);
    if (!p)
        return fail(why, "RSDP revision 2 at 0x%08x is not readable", addr);
    uint32_t length = get32(p + ACPI_RSDP_OFF_LENGTH);
    if (length < ACPI_RSDP_V2_SIZE || length > ACPI_RSDP_MAX_LENGTH)
        return fail(why, "RSDP length %u is not in %u..%u", length,
                    ACPI_RSDP_V2_SIZE, ACPI_RSDP_MAX_LENGTH);
    p = read_range(read, ctx, addr, length);
    if (!p)
        return fail(why, "RSDP (%u bytes at 0x%08x) is not readable",
                    length, addr);
    sum = sum_bytes(p, length);
    if (sum)
        return fail(why, "RSDP extended checksum is wrong (sum 0x%02x)",
                    sum);
    return true;
}

bool acpi_find_rsdp(uint32_t start, uint32_t length, acpi_read_fn read,
                    void *ctx, uint32_t *rsdp_addr)
{
    /* The first offset from start that is on a 16-byte boundary. */
    uint32_t off = (ACPI_RSDP_ALIGN - start % ACPI_RSDP_ALIGN)
                   % ACPI_RSDP_ALIGN;

    for (; off < length && length - off >= ACPI_RSDP_V1_SIZE;
         off += ACPI_RSDP_ALIGN) {
        if (!fits(start, off + ACPI_RSDP_V1_SIZE))
            return false;               /* the range wraps past 4 GiB */
        if (rsdp_valid(start + off, read, ctx, NULL)) {
            *rsdp_addr = start + off;
            return true;
        }
    }
    return false;
}

/* Reads the whole system description table `name` at addr: its signature
 * must be sig, its length within [min_length, max_length], its checksum
 * right. Returns its bytes and sets *length, or NULL with `why` set. */
static const uint8_t *read_table(uint32_t addr, const char *name,
                                 const char *sig, uint32_t min_length,
                                 uint32_t max_length, acpi_read_fn read,
                                 void *ctx, uint32_t *length, char *why)
{
    const uint8_t *p = read_range(read, ctx, addr, ACPI_SDT_HEADER_SIZE);
    if (!p) {
        fail(why, "%s header at 0x%08x is not readable", name, addr);
        return NULL;
    }
    if (memcmp(p, sig, ACPI_SDT_SIGNATURE_LEN) != 0) {
        fail(why, "no %s at 0x%08x (no \"%s\" signature)", name, addr, sig);
        return NULL;
    }
    *length = get32(p + ACPI_SDT_OFF_LENGTH);
    if (*length < min_length || *length > max_length) {
        fail(why, "%s length %u is not in %u..%u", name, *length, min_length,
             max_length);
        return NULL;
    }
    p = read_range(read, ctx, addr, *length);
    if (!p) {
        fail(why, "%s (%u bytes at 0x%08x) is not readable", name, *length,
             addr);
        return NULL;
    }
    uint8_t sum = sum_bytes(p, *length);
    if (sum) {
        fail(why, "%s checksum is wrong (sum 0x%02x)", name, sum);
        return NULL;
    }
    return p;
}

/* Finds the table whose signature is sig among the RSDT's entries and
 * sets *table; `name` is how a message calls it. A table whose header
 * cannot be read is skipped and noted in `problem`; when none matches,
 * `problem` says so and false is returned. */
static bool find_table(uint32_t rsdt, uint32_t rsdt_length, const char *sig,
                       const char *name, acpi_read_fn read, void *ctx,
                       uint32_t *table, char *problem)
{
    uint32_t entries = (rsdt_length - ACPI_SDT_HEADER_SIZE)
                       / ACPI_RSDT_ENTRY_SIZE;

    for (uint32_t i = 0; i < entries; i++) {
        uint32_t at = rsdt + ACPI_SDT_HEADER_SIZE + i * ACPI_RSDT_ENTRY_SIZE;
        const uint8_t *e = read_range(read, ctx, at, ACPI_RSDT_ENTRY_SIZE);
        if (!e)
            return fail(problem, "RSDT entry %u is not readable", i);
        uint32_t addr = get32(e);
        const uint8_t *h = read_range(read, ctx, addr, ACPI_SDT_HEADER_SIZE);
        if (!h) {
            note(problem, "RSDT entry %u: no readable table at 0x%08x", i,
                 addr);
            continue;
        }
        if (memcmp(h, sig, ACPI_SDT_SIGNATURE_LEN) == 0) {
            *table = addr;
            return true;
        }
    }
    return fail(problem, "no %s (\"%s\") among the RSDT's %u tables", name,
                sig, entries);
}

/* Reads the RSDT the RSDP at rsdp_addr points to (the RSDP checked
 * first): sets *rsdt and *length, or returns false with `why` set. */
static bool read_rsdt(uint32_t rsdp_addr, acpi_read_fn read, void *ctx,
                      uint32_t *rsdt, uint32_t *length, char *why)
{
    if (!rsdp_valid(rsdp_addr, read, ctx, why))
        return false;
    const uint8_t *rsdp = read_range(read, ctx, rsdp_addr, ACPI_RSDP_V1_SIZE);
    if (!rsdp)
        return fail(why, "RSDP at 0x%08x is not readable", rsdp_addr);
    *rsdt = get32(rsdp + ACPI_RSDP_OFF_RSDT);
    return read_table(*rsdt, "RSDT", ACPI_RSDT_SIGNATURE,
                      ACPI_SDT_HEADER_SIZE,
                      ACPI_SDT_HEADER_SIZE
                          + ACPI_RSDT_MAX_ENTRIES * ACPI_RSDT_ENTRY_SIZE,
                      read, ctx, length, why) != NULL;
}

static void parse_lapic(const uint8_t *e, struct acpi_madt *out)
{
    if (out->cpu_count == ACPI_MAX_CPUS) {
        out->truncated = true;
        return;
    }
    out->cpus[out->cpu_count].processor_id = e[ACPI_MADT_LAPIC_OFF_PROCESSOR];
    out->cpus[out->cpu_count].apic_id = e[ACPI_MADT_LAPIC_OFF_APIC_ID];
    out->cpus[out->cpu_count].enabled =
        get32(e + ACPI_MADT_LAPIC_OFF_FLAGS) & ACPI_MADT_LAPIC_ENABLED;
    out->cpu_count++;
}

static void parse_ioapic(const uint8_t *e, struct acpi_madt *out)
{
    if (out->ioapic_count == ACPI_MAX_IOAPICS) {
        out->truncated = true;
        return;
    }
    out->ioapics[out->ioapic_count].id = e[ACPI_MADT_IOAPIC_OFF_ID];
    out->ioapics[out->ioapic_count].addr = get32(e + ACPI_MADT_IOAPIC_OFF_ADDR);
    out->ioapics[out->ioapic_count].gsi_base =
        get32(e + ACPI_MADT_IOAPIC_OFF_GSI_BASE);
    out->ioapic_count++;
}

static void parse_override(const uint8_t *e, struct acpi_madt *out)
{
    if (out->override_count == ACPI_MAX_OVERRIDES) {
        out->truncated = true;
        return;
    }
    out->overrides[out->override_count].bus = e[ACPI_MADT_OVERRIDE_OFF_BUS];
    out->overrides[out->override_count].irq = e[ACPI_MADT_OVERRIDE_OFF_IRQ];
    out->overrides[out->override_count].gsi =
        get32(e + ACPI_MADT_OVERRIDE_OFF_GSI);
    out->overrides[out->override_count].flags =
        get16(e + ACPI_MADT_OVERRIDE_OFF_FLAGS);
    out->override_count++;
}

static void parse_lapic_nmi(const uint8_t *e, struct acpi_madt *out)
{
    if (out->nmi_count == ACPI_MAX_NMIS) {
        out->truncated = true;
        return;
    }
    out->nmis[out->nmi_count].processor_id =
        e[ACPI_MADT_LAPIC_NMI_OFF_PROCESSOR];
    out->nmis[out->nmi_count].flags = get16(e + ACPI_MADT_LAPIC_NMI_OFF_FLAGS);
    out->nmis[out->nmi_count].lint = e[ACPI_MADT_LAPIC_NMI_OFF_LINT];
    out->nmi_count++;
}

static void parse_lapic_override(const uint8_t *e, struct acpi_madt *out)
{
    uint64_t addr = get64(e + ACPI_MADT_LAPIC_OVERRIDE_OFF_ADDR);
    if (addr > UINT32_MAX) {
        note(out->problem, "Local APIC address override 0x%llx is above 4 GiB, "
             "ignored", (unsigned long long)addr);
        return;
    }
    out->lapic_addr = (uint32_t)addr;
}

/* The entry types iospace reads: their minimum lengths (a later revision
 * of the spec may make an entry longer, never shorter) and parsers. */
static const struct {
    uint8_t type;
    uint8_t min_length;
    const char *name;
    void (*parse)(const uint8_t *e, struct acpi_madt *out);
} entry_types[] = {
    { ACPI_MADT_LAPIC, ACPI_MADT_LAPIC_LEN, "Local APIC", parse_lapic },
    { ACPI_MADT_IOAPIC, ACPI_MADT_IOAPIC_LEN, "IO APIC", parse_ioapic },
    { ACPI_MADT_OVERRIDE, ACPI_MADT_OVERRIDE_LEN, "interrupt source override",
      parse_override },
    { ACPI_MADT_LAPIC_NMI, ACPI_MADT_LAPIC_NMI_LEN, "Local APIC NMI",
      parse_lapic_nmi },
    { ACPI_MADT_LAPIC_OVERRIDE, ACPI_MADT_LAPIC_OVERRIDE_LEN,
      "Local APIC address override", parse_lapic_override },
};

static void parse_entry(const uint8_t *e, uint32_t offset,
                        struct acpi_madt *out)
{
    uint8_t type = e[ACPI_MADT_ENTRY_OFF_TYPE];
    uint8_t length = e[ACPI_MADT_ENTRY_OFF_LENGTH];

    for (size_t i = 0; i < ARRAY_SIZE(entry_types); i++) {
        if (entry_types[i].type != type)
            continue;
        if (length < entry_types[i].min_length)
            note(out->problem, "MADT %s entry at offset %u is too short "
                 "(%u bytes, needs %u), skipped", entry_types[i].name,
                 offset, length, entry_types[i].min_length);
        else
            entry_types[i].parse(e, out);
        return;
    }
    /* Other types (x2APIC, SAPIC, GIC...) are not for a 32-bit PC kernel. */
}

/* Walks the entries of a checksummed MADT of `length` bytes. */
static void parse_entries(const uint8_t *madt, uint32_t length,
                          struct acpi_madt *out)
{
    uint32_t off = ACPI_MADT_OFF_ENTRIES;

    while (off < length) {
        if (length - off < ACPI_MADT_ENTRY_HEADER_SIZE) {
            note(out->problem, "MADT ends inside an entry header at offset %u", off);
            return;
        }
        uint8_t entry_length = madt[off + ACPI_MADT_ENTRY_OFF_LENGTH];
        if (entry_length < ACPI_MADT_ENTRY_HEADER_SIZE) {
            note(out->problem, "MADT entry at offset %u has length %u, stopped", off,
                 entry_length);
            return;
        }
        if (entry_length > length - off) {
            note(out->problem, "MADT entry at offset %u (length %u) runs past the "
                 "table's end (%u), stopped", off, entry_length, length);
            return;
        }
        parse_entry(madt + off, off, out);
        off += entry_length;
    }
}

/* The OEM ID is six bytes of firmware text, not NUL-terminated; anything
 * unprintable becomes '?' so that it can be printed as it is. */
static void copy_oem(char *dst, const uint8_t *src)
{
    for (int i = 0; i < ACPI_OEMID_LEN; i++)
        dst[i] = (char)(src[i] >= ' ' && src[i] <= '~' ? src[i] : '?');
    dst[ACPI_OEMID_LEN] = '\0';
}

bool acpi_parse_madt(uint32_t rsdp_addr, acpi_read_fn read, void *ctx,
                     struct acpi_madt *out)
{
    *out = (struct acpi_madt){ 0 };
    out->rsdp = rsdp_addr;

    if (!rsdp_valid(rsdp_addr, read, ctx, out->problem))
        return false;
    const uint8_t *rsdp = read_range(read, ctx, rsdp_addr, ACPI_RSDP_V1_SIZE);
    if (!rsdp)
        return fail(out->problem, "RSDP at 0x%08x is not readable",
                    rsdp_addr);
    out->revision = rsdp[ACPI_RSDP_OFF_REVISION];
    copy_oem(out->oem, rsdp + ACPI_RSDP_OFF_OEMID);
    out->rsdt = get32(rsdp + ACPI_RSDP_OFF_RSDT);

    uint32_t length;
    if (!read_table(out->rsdt, "RSDT", ACPI_RSDT_SIGNATURE,
                    ACPI_SDT_HEADER_SIZE,
                    ACPI_SDT_HEADER_SIZE
                        + ACPI_RSDT_MAX_ENTRIES * ACPI_RSDT_ENTRY_SIZE,
                    read, ctx, &length, out->problem))
        return false;
    if (!find_table(out->rsdt, length, ACPI_MADT_SIGNATURE, "MADT", read, ctx,
                    &out->madt, out->problem))
        return false;

    /* On failure this replaces a problem noted while looking: the reason
     * there is no MADT matters more than a table skipped on the way. */
    const uint8_t *madt = read_table(out->madt, "MADT", ACPI_MADT_SIGNATURE,
                                     ACPI_MADT_OFF_ENTRIES,
                                     ACPI_MADT_MAX_LENGTH, read, ctx,
                                     &length, out->problem);
    if (!madt)
        return false;
    out->lapic_addr = get32(madt + ACPI_MADT_OFF_LAPIC_ADDR);
    out->flags = get32(madt + ACPI_MADT_OFF_FLAGS);
    parse_entries(madt, length, out);
    return true;
}

/* Takes segment group 0's first allocation from a checksummed MCFG of
 * `length` bytes; false with out->problem set when there is none or it
 * cannot be used. */
static bool parse_mcfg_entries(const uint8_t *mcfg, uint32_t length,
                               struct acpi_mcfg *out)
{
    uint32_t left = (length - ACPI_MCFG_OFF_ENTRIES) % ACPI_MCFG_ENTRY_SIZE;
    const uint8_t *found = NULL;

    out->entries = (length - ACPI_MCFG_OFF_ENTRIES) / ACPI_MCFG_ENTRY_SIZE;
    if (left)
        note(out->problem, "MCFG ends inside an allocation (%u bytes left "
             "over), ignored", left);
    for (unsigned i = 0; i < out->entries && !found; i++) {
        const uint8_t *e = mcfg + ACPI_MCFG_OFF_ENTRIES
                           + i * ACPI_MCFG_ENTRY_SIZE;
        if (get16(e + ACPI_MCFG_ENTRY_OFF_SEGMENT) == 0)
            found = e;
    }
    if (!found)
        return fail(out->problem, "the MCFG's %u allocations have none for "
                    "segment group 0", out->entries);

    uint64_t base = get64(found + ACPI_MCFG_ENTRY_OFF_BASE);
    uint8_t start = found[ACPI_MCFG_ENTRY_OFF_START_BUS];
    uint8_t end = found[ACPI_MCFG_ENTRY_OFF_END_BUS];
    if (base > UINT32_MAX)
        return fail(out->problem, "ECAM base 0x%llx is above 4 GiB",
                    (unsigned long long)base);
    if (base & ((1u << ACPI_MCFG_BUS_SHIFT) - 1))
        return fail(out->problem, "ECAM base 0x%08x is not on a 1 MiB "
                    "boundary", (uint32_t)base);
    if (end < start)
        return fail(out->problem, "MCFG buses %u-%u run backwards", start,
                    end);
    /* The window's last byte is that of bus end, which must not wrap. */
    if (((uint64_t)end + 1) << ACPI_MCFG_BUS_SHIFT > UINT32_MAX + 1ull - base)
        return fail(out->problem, "ECAM at 0x%08x for buses up to %u runs "
                    "past 4 GiB", (uint32_t)base, end);
    out->base = (uint32_t)base;
    out->start_bus = start;
    out->end_bus = end;
    return true;
}

/* From the RSDP through the RSDT to the table with signature sig: its
 * address into *table (a problem noted on the way may stay in problem),
 * or false and why. */
static bool locate_table(uint32_t rsdp_addr, const char *sig,
                         const char *name, acpi_read_fn read, void *ctx,
                         uint32_t *table, char *problem)
{
    uint32_t rsdt = 0, length = 0;
    return read_rsdt(rsdp_addr, read, ctx, &rsdt, &length, problem)
           && find_table(rsdt, length, sig, name, read, ctx, table, problem);
}

bool acpi_parse_mcfg(uint32_t rsdp_addr, acpi_read_fn read, void *ctx,
                     struct acpi_mcfg *out)
{
    uint32_t at = 0, length = 0;

    *out = (struct acpi_mcfg){ 0 };
    if (!locate_table(rsdp_addr, ACPI_MCFG_SIGNATURE, "MCFG", read, ctx,
                      &at, out->problem))
        return false;
    out->mcfg = at;
    /* The problem noted on the way is dropped when the MCFG itself is the
     * reason nothing is usable. */
    const uint8_t *mcfg = read_table(at, "MCFG", ACPI_MCFG_SIGNATURE,
                                     ACPI_MCFG_OFF_ENTRIES,
                                     ACPI_MCFG_OFF_ENTRIES
                                         + ACPI_MCFG_MAX_ENTRIES
                                               * ACPI_MCFG_ENTRY_SIZE,
                                     read, ctx, &length, out->problem);
    if (!mcfg)
        return false;
    return parse_mcfg_entries(mcfg, length, out);
}

bool acpi_parse_hpet(uint32_t rsdp_addr, acpi_read_fn read, void *ctx,
                     struct acpi_hpet *out)
{
    uint32_t at = 0, length = 0;

    *out = (struct acpi_hpet){ 0 };
    if (!locate_table(rsdp_addr, ACPI_HPET_SIGNATURE, "HPET table", read,
                      ctx, &at, out->problem))
        return false;
    out->hpet = at;
    /* As for the MCFG, a failure below replaces what was noted on the
     * way: why this table is no good matters more. */
    const uint8_t *hpet = read_table(at, "HPET table", ACPI_HPET_SIGNATURE,
                                     ACPI_HPET_LENGTH, ACPI_HPET_MAX_LENGTH,
                                     read, ctx, &length, out->problem);
    if (!hpet)
        return false;

    /* A GAS can name any address space; the timer block's registers are
     * memory-mapped, and only an address there is a window for `map`. */
    const uint8_t *gas = hpet + ACPI_HPET_OFF_BASE;
    uint8_t space = gas[ACPI_GAS_OFF_SPACE_ID];
    if (space != ACPI_GAS_SPACE_MEMORY)
        return fail(out->problem, "HPET registers are in address space %u%s, "
                    "not system memory", space,
                    space == ACPI_GAS_SPACE_IO ? " (system I/O)" : "");
    uint64_t base = get64(gas + ACPI_GAS_OFF_ADDRESS);
    if (base == 0)
        return fail(out->problem, "HPET registers at address 0 (none)");
    if (base > UINT32_MAX || !fits((uint32_t)base, ACPI_HPET_REGISTERS_SIZE))
        return fail(out->problem, "HPET registers at 0x%llx are not wholly "
                    "below 4 GiB", (unsigned long long)base);
    out->base = (uint32_t)base;
    return true;
}

uint32_t acpi_isa_irq_to_gsi(const struct acpi_madt *madt, uint8_t irq,
                             bool *active_low, bool *level)
{
    for (unsigned i = 0; i < madt->override_count; i++) {
        if (madt->overrides[i].bus != ACPI_MADT_BUS_ISA
            || madt->overrides[i].irq != irq)
            continue;
        uint16_t flags = madt->overrides[i].flags;
        /* "Conforms to the bus" (and the reserved 10) keep ISA's
         * active high and edge. */
        *active_low = (flags & ACPI_INTI_POLARITY_MASK) == ACPI_INTI_ACTIVE_LOW;
        *level = (flags & ACPI_INTI_TRIGGER_MASK) == ACPI_INTI_LEVEL;
        return madt->overrides[i].gsi;
    }
    *active_low = false;
    *level = false;
    return irq;
}
