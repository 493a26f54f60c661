/*
 * How the kernel learns where the memory-mapped interrupt controllers are
 * and how the ISA lines reach them: the firmware describes it in ACPI's
 * MADT (claims C1, C6: who answers at which address is the platform's
 * choice, and the platform says so in a table). On a PCI Express machine
 * the MCFG says, the same way, where configuration space is mapped into
 * memory (ECAM), and the HPET table where the High Precision Event
 * Timer's registers answer: iospace drives no HPET, but `map` names its
 * window. The walk runs while paging is still off, so every physical
 * address is directly readable.
 */
#include "kernel/acpi_tables.h"

#include "kernel/console.h"
#include "kernel/lib/fmt.h"
#include "kernel/paging.h"

/* The EBDA pointer is a real-mode segment: shift it to an address. */
#define REAL_MODE_SEGMENT_SHIFT 4

static struct acpi_madt madt;
static bool usable;
static struct acpi_mcfg mcfg;
static bool mcfg_usable;
static struct acpi_hpet hpet;
static bool hpet_usable;

static bool find_rsdp(uint32_t *rsdp)
{
    const uint16_t *segment = paging_early_read(0, ACPI_EBDA_SEGMENT_PTR,
                                                sizeof *segment);
    uint32_t ebda = segment ? (uint32_t)*segment << REAL_MODE_SEGMENT_SHIFT
                            : 0;
    if (ebda && acpi_find_rsdp(ebda, ACPI_EBDA_SEARCH_LENGTH,
                               paging_early_read, 0, rsdp))
        return true;
    return acpi_find_rsdp(ACPI_BIOS_AREA_START, ACPI_BIOS_AREA_LENGTH,
                          paging_early_read, 0, rsdp);
}

/* A PCI machine (pc) has no MCFG, which is no news; one that is there but
 * unusable gets a warning. */
static void read_mcfg(uint32_t rsdp)
{
    mcfg_usable = acpi_parse_mcfg(rsdp, paging_early_read, 0, &mcfg);
    if (!mcfg_usable) {
        if (mcfg.mcfg)
            kwarn("acpi: MCFG at 0x%08x: %s", mcfg.mcfg, mcfg.problem);
        return;
    }
    kprintf("acpi: MCFG at 0x%08x: ECAM at 0x%08x for buses %u-%u%s%s\n",
            mcfg.mcfg, mcfg.base, mcfg.start_bus, mcfg.end_bus,
            mcfg.problem[0] ? "; skipped: " : "", mcfg.problem);
}

/* A machine without an HPET (pc with hpet=off) has no table, which is no
 * news either; a damaged one gets a warning. */
static void read_hpet(uint32_t rsdp)
{
    hpet_usable = acpi_parse_hpet(rsdp, paging_early_read, 0, &hpet);
    if (!hpet_usable) {
        if (hpet.hpet)
            kwarn("acpi: HPET at 0x%08x: %s", hpet.hpet, hpet.problem);
        return;
    }
    kprintf("acpi: HPET at 0x%08x: registers at 0x%08x%s%s\n", hpet.hpet,
            hpet.base, hpet.problem[0] ? "; skipped: " : "", hpet.problem);
}

bool acpi_tables_read(void)
{
    uint32_t rsdp;

    if (!find_rsdp(&rsdp)) {
        fmt_snprintf(madt.problem, sizeof madt.problem,
                     "no RSDP in the EBDA or at 0xe0000-0xfffff");
    } else {
        usable = acpi_parse_madt(rsdp, paging_early_read, 0, &madt);
    }
    if (!usable) {
        kwarn("acpi: %s", madt.problem);
    } else {
        kprintf("acpi: RSDP at 0x%08x (OEM '%s'), MADT at 0x%08x: %u CPU, "
                "%u IO APIC, %u overrides%s%s\n", madt.rsdp, madt.oem,
                madt.madt, madt.cpu_count, madt.ioapic_count,
                madt.override_count, madt.problem[0] ? "; skipped: " : "",
                madt.problem);
    }
    if (madt.rsdp) {
        read_mcfg(rsdp);
        read_hpet(rsdp);
    }
    return usable;
}

const struct acpi_mcfg *acpi_tables_mcfg(void)
{
    return mcfg_usable ? &mcfg : 0;
}

const struct acpi_hpet *acpi_tables_hpet(void)
{
    return hpet_usable ? &hpet : 0;
}

const struct acpi_madt *acpi_tables_madt(void)
{
    return usable ? &madt : 0;
}

static const char *polarity(uint16_t flags)
{
    switch (flags & ACPI_INTI_POLARITY_MASK) {
    case ACPI_INTI_ACTIVE_HIGH:
        return "active high";
    case ACPI_INTI_ACTIVE_LOW:
        return "active low";
    }
    return "bus default";
}

static const char *trigger(uint16_t flags)
{
    switch (flags & ACPI_INTI_TRIGGER_MASK) {
    case ACPI_INTI_EDGE:
        return "edge";
    case ACPI_INTI_LEVEL:
        return "level";
    }
    return "bus default";
}

void acpi_tables_print(void)
{
    if (!usable) {
        kprintf("madt: none usable: %s\n", madt.problem);
        return;
    }
    kprintf("RSDP 0x%08x (ACPI revision %u, OEM '%s'), RSDT 0x%08x, MADT "
            "0x%08x\n", madt.rsdp, madt.revision, madt.oem, madt.rsdt,
            madt.madt);
    kprintf("Local APIC address 0x%08x, %s\n", madt.lapic_addr,
            madt.flags & ACPI_MADT_PCAT_COMPAT
                ? "PC-AT compatible (8259s present)" : "no 8259s");
    for (unsigned i = 0; i < madt.cpu_count; i++)
        kprintf("  cpu %u: APIC id %u%s\n", madt.cpus[i].processor_id,
                madt.cpus[i].apic_id, madt.cpus[i].enabled ? ""
                                                           : " (disabled)");
    for (unsigned i = 0; i < madt.ioapic_count; i++)
        kprintf("  io apic %u at 0x%08x, GSI base %u\n", madt.ioapics[i].id,
                madt.ioapics[i].addr, madt.ioapics[i].gsi_base);
    for (unsigned i = 0; i < madt.override_count; i++)
        kprintf("  override: ISA IRQ %u -> GSI %u, %s, %s\n",
                madt.overrides[i].irq, madt.overrides[i].gsi,
                polarity(madt.overrides[i].flags),
                trigger(madt.overrides[i].flags));
    for (unsigned i = 0; i < madt.nmi_count; i++) {
        if (madt.nmis[i].processor_id == ACPI_MADT_ALL_PROCESSORS)
            kprintf("  NMI on LINT%u of every cpu\n", madt.nmis[i].lint);
        else
            kprintf("  NMI on LINT%u of cpu %u\n", madt.nmis[i].lint,
                    madt.nmis[i].processor_id);
    }
    if (madt.truncated)
        kprintf("  (more entries than iospace keeps)\n");
    if (madt.problem[0])
        kprintf("  skipped: %s\n", madt.problem);
    if (mcfg_usable)
        kprintf("MCFG 0x%08x: ECAM at 0x%08x for buses %u-%u (segment group "
                "0; %u allocation%s)\n", mcfg.mcfg, mcfg.base,
                mcfg.start_bus, mcfg.end_bus, mcfg.entries,
                mcfg.entries == 1 ? "" : "s");
    else
        kprintf("MCFG: none usable: %s\n", mcfg.problem);
}
