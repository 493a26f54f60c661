/*
 * The memory regions iospace knows (see memmap.h): what the firmware says
 * is where, with the windows of the devices the kernel drives or finds on
 * the PCI bus cut into it.
 */
#include "kernel/monitor/memmap.h"

#include "drivers/pci.h"
#include "drivers/vga.h"
#include "kernel/acpi_tables.h"
#include "kernel/irq.h"
#include "kernel/irq_apic.h"
#include "kernel/lib/fmt.h"
#include "kernel/monitor/monitor.h"
#include "kernel/paging.h"

/* The ROM area under 1 MiB (IBM PC AT Technical Reference, "System Memory
 * Map"): option ROMs of adapter cards from 0xC0000 (the VGA BIOS first),
 * the system BIOS up to 1 MiB. */
#define BIOS_ROM_BASE 0xC0000u
#define BIOS_ROM_SIZE 0x40000u

/* The APICs answer in one 4 KiB page each: the Local APIC's registers fill
 * it (Intel SDM vol. 3A, 11.4.1); the IO APIC's two-register window sits
 * at the start of its page, and the kernel maps the page. */
#define APIC_WINDOW_SIZE PAGE_SIZE

extern char kernel_image_start[], kernel_image_end[];

static void add(struct memmap *m, uint64_t base, uint64_t length,
                enum addrmap_answer answer, enum addrmap_rank rank,
                const char *what)
{
    if (m->n < MEMMAP_REGIONS_MAX)
        m->in[m->n++] = (struct addrmap_region){ base, length, answer, rank,
                                                 what };
}

/* What the firmware says, translated. The CPU starts executing at
 * 0xFFFFFFF0, so whatever the map reserves at the very top of 4 GiB holds
 * the firmware itself: the BIOS flash chip, a ROM to the CPU. */
static void add_firmware_region(struct memmap *m,
                                const struct bootinfo_region *r)
{
    enum addrmap_answer answer = ADDRMAP_RAM;
    enum addrmap_rank rank = ADDRMAP_RANK_FIRMWARE;
    const char *what;

    switch (r->type) {
    case MULTIBOOT_MMAP_AVAILABLE:
        rank = ADDRMAP_RANK_FREE;
        what = "free RAM";
        break;
    case MULTIBOOT_MMAP_ACPI_RECLAIMABLE:
        what = "ACPI tables (reclaimable)";
        break;
    case MULTIBOOT_MMAP_ACPI_NVS:
        what = "ACPI NVS (firmware's RAM)";
        break;
    case MULTIBOOT_MMAP_BAD:
        what = "bad RAM";
        break;
    default:
        if (r->base + r->length == ADDRMAP_SPACE_END) {
            answer = ADDRMAP_ROM;
            what = "firmware flash, reset vector";
        } else {
            answer = ADDRMAP_RESERVED;
            what = "kept by the firmware";
        }
        break;
    }
    add(m, r->base, r->length, answer, rank, what);
}

void memmap_pci_label(char *label, const struct pci_function *f,
                      unsigned index, uint16_t decode_bit)
{
    bool decoding = pci_config_read16(f->bdf, PCI_COMMAND) & decode_bit;
    char which[sizeof "BAR5"];
    if (index == MEMMAP_ROM_SLOT)
        fmt_snprintf(which, sizeof which, "ROM");
    else
        fmt_snprintf(which, sizeof which, "BAR%u", index);
    fmt_snprintf(label, MEMMAP_LABEL_SIZE, "PCI %02x:%02x.%x %s: %s%s",
                 PCI_BDF_BUS(f->bdf), PCI_BDF_DEV(f->bdf),
                 PCI_BDF_FN(f->bdf), which,
                 pci_class_name(f->class_code, f->subclass),
                 decoding ? "" : " (decoding off)");
}

/* One PCI memory window, labelled with its function, the register that
 * holds it (a BAR, or the ROM's) and the class. */
static void add_pci_window(struct memmap *m, const struct pci_function *f,
                           unsigned index, uint64_t address, uint64_t size)
{
    if (m->labels_used == MEMMAP_PCI_WINDOWS_MAX) {
        m->pci_truncated = true;
        return;
    }
    char *label = m->labels[m->labels_used++];
    memmap_pci_label(label, f, index, PCI_COMMAND_MEMORY);
    add(m, address, size, ADDRMAP_DEVICE, ADDRMAP_RANK_WINDOW, label);
}

static void add_pci_windows(struct memmap *m, const struct pci_function *skip,
                            unsigned skip_index)
{
    if (!pci_present())
        return;
    if (pci_ecam_present())
        add(m, pci_ecam_base(),
            (uint64_t)(pci_ecam_end_bus() + 1u) * PCI_ECAM_BUS_SIZE,
            ADDRMAP_DEVICE, ADDRMAP_RANK_WINDOW,
            "PCI Express ECAM: configuration space");
    for (unsigned i = 0; i < pci_function_count(); i++) {
        const struct pci_function *f = pci_function_at(i);
        for (unsigned b = 0; b < pci_bar_count(f); b++) {
            struct pci_bar bar;
            pci_bar_probe(f, b, &bar);
            bool memory = bar.kind != PCI_BAR_UNUSED
                          && bar.kind != PCI_BAR_IO;
            if (memory && bar.address && bar.size
                && !(f == skip && b == skip_index))
                add_pci_window(m, f, b, bar.address, bar.size);
            if (bar.kind == PCI_BAR_MEM64)
                b++;    /* the next BAR held the upper half */
        }
        /* An expansion ROM answers only while enabled: mostly it is not,
         * the firmware having copied it to RAM. */
        struct pci_rom rom;
        if (pci_rom_probe(f, &rom) && rom.enabled)
            add_pci_window(m, f, MEMMAP_ROM_SLOT, rom.address, rom.size);
    }
}

void memmap_collect(struct memmap *m, const struct pci_function *skip,
                    unsigned skip_index)
{
    const struct bootinfo *info = kernel_bootinfo();
    uint32_t kernel_start = (uint32_t)(uintptr_t)kernel_image_start;
    uint32_t kernel_end = (uint32_t)(uintptr_t)kernel_image_end;

    m->n = 0;
    m->labels_used = 0;
    m->pci_truncated = false;
    for (unsigned i = 0; i < info->mmap_count; i++)
        add_firmware_region(m, &info->mmap[i]);
    add(m, kernel_start, kernel_end - kernel_start, ADDRMAP_RAM,
        ADDRMAP_RANK_KERNEL, "iospace kernel image");
    if (vga_present())
        add(m, VGA_MEMORY_BASE, VGA_MEMORY_SIZE, ADDRMAP_DEVICE,
            ADDRMAP_RANK_WINDOW, "VGA video memory");
    add(m, BIOS_ROM_BASE, BIOS_ROM_SIZE, ADDRMAP_ROM, ADDRMAP_RANK_WINDOW,
        "option ROMs + system BIOS");
    if (irq_active() == IRQ_BY_APIC) {
        const struct apic_config *cfg = irq_apic_config();
        add(m, cfg->ioapic_base, APIC_WINDOW_SIZE, ADDRMAP_DEVICE,
            ADDRMAP_RANK_WINDOW, "IO APIC registers");
        add(m, cfg->lapic_base, APIC_WINDOW_SIZE, ADDRMAP_DEVICE,
            ADDRMAP_RANK_WINDOW, "Local APIC registers");
    }
    /* The HPET answers at its window whether or not anyone drives it. */
    const struct acpi_hpet *hpet = acpi_tables_hpet();
    if (hpet)
        add(m, hpet->base, ACPI_HPET_REGISTERS_SIZE, ADDRMAP_DEVICE,
            ADDRMAP_RANK_WINDOW, "HPET registers (no iospace driver)");
    add_pci_windows(m, skip, skip_index);
}
