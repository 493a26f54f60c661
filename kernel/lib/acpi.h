/*
 * The ACPI tables that say where the interrupt controllers are. A PC's
 * Local APIC and IO APICs are memory-mapped (claim C1): their registers
 * answer at physical addresses the firmware chose (claim C6), and the
 * firmware writes those addresses, with the wiring of the ISA interrupts,
 * into the MADT. A kernel finds the MADT by following pointers from the
 * RSDP, which the BIOS leaves in low memory.
 *
 * The walk is pure C: it reads physical memory only through a callback that
 * checks each range, so host tests and fuzzers can hand it any bytes. It
 * trusts nothing it has not bounded and checksummed.
 *
 * The same walk finds the MCFG, which says where a PCI Express machine
 * maps configuration space into memory (ECAM, drivers/pci.c), and the
 * HPET table, which says where the High Precision Event Timer's registers
 * answer (no driver uses them: `map` names the window).
 *
 * Reference: ACPI Specification 6.0 (table numbers are from that edition;
 * later editions renumber them): 5.2.5 RSDP, 5.2.6 System Description Table
 * Header, 5.2.7 RSDT, 5.2.12 MADT; the MCFG is defined by the PCI Firmware
 * Specification 3.0, 4.1.2; the HPET table by the IA-PC HPET Specification
 * 1.0a, 3.2.4, and its address by ACPI 6.0, 5.2.3.2. iospace is 32-bit, so it follows the RSDT's
 * 32-bit pointers, never the XSDT's 64-bit ones.
 */
#ifndef KERNEL_ACPI_H
#define KERNEL_ACPI_H

#include <stdbool.h>
#include <stdint.h>

/* 5.2.5.1: on a PC BIOS the RSDP starts on a 16-byte boundary in the first
 * KiB of the EBDA (whose real-mode segment is the 16-bit word at 0x40E) or
 * in the BIOS area 0xE0000-0xFFFFF. */
#define ACPI_EBDA_SEGMENT_PTR 0x40Eu
#define ACPI_EBDA_SEARCH_LENGTH 1024u
#define ACPI_BIOS_AREA_START 0xE0000u
#define ACPI_BIOS_AREA_LENGTH 0x20000u
#define ACPI_RSDP_ALIGN 16u

/* Root System Description Pointer (5.2.5.3, Table 5-28). The ACPI 1.0 part
 * is 20 bytes and sums to 0; revision 2 (ACPI 2.0 and later) adds a length,
 * the XSDT's address and an extended checksum over all `length` bytes. */
#define ACPI_RSDP_SIGNATURE "RSD PTR "
#define ACPI_RSDP_SIGNATURE_LEN 8
#define ACPI_RSDP_OFF_CHECKSUM 8
#define ACPI_RSDP_OFF_OEMID 9
#define ACPI_RSDP_OFF_REVISION 15
#define ACPI_RSDP_OFF_RSDT 16
#define ACPI_RSDP_OFF_LENGTH 20
#define ACPI_RSDP_OFF_EXT_CHECKSUM 32
#define ACPI_RSDP_V1_SIZE 20
#define ACPI_RSDP_V2_SIZE 36
#define ACPI_RSDP_REVISION_2 2      /* the first revision with a length */
#define ACPI_RSDP_MAX_LENGTH 4096u  /* iospace's bound, not the spec's */
#define ACPI_OEMID_LEN 6

/* System Description Table Header (5.2.6, Table 5-29): every table starts
 * with a signature, its length and a checksum over all its bytes. */
#define ACPI_SDT_SIGNATURE_LEN 4
#define ACPI_SDT_OFF_LENGTH 4
#define ACPI_SDT_OFF_CHECKSUM 9
#define ACPI_SDT_HEADER_SIZE 36

/* RSDT (5.2.7, Table 5-32): the header, then 32-bit physical addresses of
 * the other tables. */
#define ACPI_RSDT_SIGNATURE "RSDT"
#define ACPI_RSDT_ENTRY_SIZE 4u
#define ACPI_RSDT_MAX_ENTRIES 256u  /* iospace's bound; QEMU has 4 or 5 */

/* MADT (5.2.12, Table 5-44; signature "APIC"): the Local APIC's address,
 * flags (Table 5-45), then interrupt controller structures, each starting
 * with a type (Table 5-46) and a length. */
#define ACPI_MADT_SIGNATURE "APIC"
#define ACPI_MADT_OFF_LAPIC_ADDR 36
#define ACPI_MADT_OFF_FLAGS 40
#define ACPI_MADT_OFF_ENTRIES 44
#define ACPI_MADT_MAX_LENGTH 0x10000u   /* iospace's bound */
#define ACPI_MADT_PCAT_COMPAT (1u << 0) /* there are 8259s to mask too */
#define ACPI_MADT_ENTRY_OFF_TYPE 0
#define ACPI_MADT_ENTRY_OFF_LENGTH 1
#define ACPI_MADT_ENTRY_HEADER_SIZE 2

/* Processor Local APIC (5.2.12.2, Tables 5-47 and 5-48): one per CPU. */
#define ACPI_MADT_LAPIC 0
#define ACPI_MADT_LAPIC_LEN 8
#define ACPI_MADT_LAPIC_OFF_PROCESSOR 2
#define ACPI_MADT_LAPIC_OFF_APIC_ID 3
#define ACPI_MADT_LAPIC_OFF_FLAGS 4
#define ACPI_MADT_LAPIC_ENABLED (1u << 0)

/* I/O APIC (5.2.12.3, Table 5-49): where it is and the first global
 * system interrupt (GSI) its inputs carry. */
#define ACPI_MADT_IOAPIC 1
#define ACPI_MADT_IOAPIC_LEN 12
#define ACPI_MADT_IOAPIC_OFF_ID 2
#define ACPI_MADT_IOAPIC_OFF_ADDR 4
#define ACPI_MADT_IOAPIC_OFF_GSI_BASE 8

/* Interrupt Source Override (5.2.12.5, Table 5-50): an ISA IRQ that is not
 * wired to the IO APIC input of the same number, or not edge/active-high. */
#define ACPI_MADT_OVERRIDE 2
#define ACPI_MADT_OVERRIDE_LEN 10
#define ACPI_MADT_OVERRIDE_OFF_BUS 2
#define ACPI_MADT_OVERRIDE_OFF_IRQ 3
#define ACPI_MADT_OVERRIDE_OFF_GSI 4
#define ACPI_MADT_OVERRIDE_OFF_FLAGS 8
#define ACPI_MADT_BUS_ISA 0

/* Local APIC NMI (5.2.12.7, Table 5-53): which LINT pin of which CPU's
 * Local APIC has the NMI line. */
#define ACPI_MADT_LAPIC_NMI 4
#define ACPI_MADT_LAPIC_NMI_LEN 6
#define ACPI_MADT_LAPIC_NMI_OFF_PROCESSOR 2
#define ACPI_MADT_LAPIC_NMI_OFF_FLAGS 3
#define ACPI_MADT_LAPIC_NMI_OFF_LINT 5
#define ACPI_MADT_ALL_PROCESSORS 0xFF

/* Local APIC Address Override (5.2.12.8, Table 5-54): a 64-bit address that
 * replaces the MADT's 32-bit one. */
#define ACPI_MADT_LAPIC_OVERRIDE 5
#define ACPI_MADT_LAPIC_OVERRIDE_LEN 12
#define ACPI_MADT_LAPIC_OVERRIDE_OFF_ADDR 4

/* MPS INTI flags (Table 5-51), in overrides and NMI entries. 00 means
 * "conforms to the bus": for ISA, active high and edge triggered. */
#define ACPI_INTI_POLARITY_MASK 0x3u
#define ACPI_INTI_ACTIVE_HIGH 0x1u
#define ACPI_INTI_ACTIVE_LOW 0x3u
#define ACPI_INTI_TRIGGER_MASK 0xCu
#define ACPI_INTI_EDGE 0x4u
#define ACPI_INTI_LEVEL 0xCu

/* MCFG (PCI Firmware Specification 3.0, 4.1.2, Tables 4-2 and 4-3): the
 * header, 8 reserved bytes, then one 16-byte allocation structure per
 * range of buses that has an ECAM window: the window's base (the address
 * of bus 0's configuration space, even when the range starts later), the
 * PCI segment group, the first and last bus. */
#define ACPI_MCFG_SIGNATURE "MCFG"
#define ACPI_MCFG_OFF_ENTRIES 44
#define ACPI_MCFG_ENTRY_SIZE 16u
#define ACPI_MCFG_ENTRY_OFF_BASE 0
#define ACPI_MCFG_ENTRY_OFF_SEGMENT 8
#define ACPI_MCFG_ENTRY_OFF_START_BUS 10
#define ACPI_MCFG_ENTRY_OFF_END_BUS 11
#define ACPI_MCFG_MAX_ENTRIES 256u  /* iospace's bound; QEMU's q35 has 1 */
#define ACPI_MCFG_BUS_SHIFT 20      /* 1 MiB of ECAM per bus (PCIe 7.2.2) */

/* Generic Address Structure (ACPI 6.0, 5.2.3.2): where a
 * register is, in which address space. 12 bytes: space ID, register bit
 * width, bit offset, access size, then a 64-bit address. */
#define ACPI_GAS_OFF_SPACE_ID 0
#define ACPI_GAS_OFF_ADDRESS 4
#define ACPI_GAS_SPACE_MEMORY 0     /* system memory: reached with mov */
#define ACPI_GAS_SPACE_IO 1         /* system I/O: reached with in/out */

/* HPET description table (IA-PC HPET Specification 1.0a, 3.2.4):
 * the header, the Event Timer Block ID (4 bytes), the Base Address of the
 * timer block's registers as a GAS, then the HPET number (1 byte), the
 * main counter's minimum clock tick (2) and page protection (1). */
#define ACPI_HPET_SIGNATURE "HPET"
#define ACPI_HPET_OFF_BASE 40
#define ACPI_HPET_LENGTH 56
#define ACPI_HPET_MAX_LENGTH 4096u  /* iospace's bound */
/* The timer block's registers take 1 KiB of memory space (HPET 1.0a,
 * 2.3.1, register overview: offsets 0x000-0x3FF). */
#define ACPI_HPET_REGISTERS_SIZE 0x400u

/* What iospace keeps; more than this sets `truncated`. */
#define ACPI_MAX_CPUS 16
#define ACPI_MAX_IOAPICS 8
#define ACPI_MAX_OVERRIDES 16
#define ACPI_MAX_NMIS 16
#define ACPI_PROBLEM_MAX 96

struct acpi_madt {
    uint32_t rsdp, rsdt, madt;  /* where the tables are (as far as found) */
    uint8_t revision;           /* the RSDP's: 0 for ACPI 1.0, 2 for later */
    char oem[ACPI_OEMID_LEN + 1];   /* the RSDP's OEM ID, printable */
    uint32_t lapic_addr;        /* after any Local APIC address override */
    uint32_t flags;             /* ACPI_MADT_PCAT_COMPAT */
    struct {
        uint8_t processor_id;   /* the ACPI processor UID */
        uint8_t apic_id;
        bool enabled;
    } cpus[ACPI_MAX_CPUS];
    unsigned cpu_count;
    struct {
        uint8_t id;
        uint32_t addr;
        uint32_t gsi_base;
    } ioapics[ACPI_MAX_IOAPICS];
    unsigned ioapic_count;
    struct {
        uint8_t bus;            /* ACPI_MADT_BUS_ISA */
        uint8_t irq;
        uint32_t gsi;
        uint16_t flags;         /* ACPI_INTI_* */
    } overrides[ACPI_MAX_OVERRIDES];
    unsigned override_count;
    struct {
        uint8_t processor_id;   /* or ACPI_MADT_ALL_PROCESSORS */
        uint16_t flags;         /* ACPI_INTI_* */
        uint8_t lint;           /* 0 or 1: the Local APIC's LINT pin */
    } nmis[ACPI_MAX_NMIS];
    unsigned nmi_count;
    bool truncated;             /* an array was full: entries were dropped */
    /* Empty when all was well. After a false return: why there is no
     * usable MADT. After a true one: the first thing that was skipped. */
    char problem[ACPI_PROBLEM_MAX];
};

/* Returns a pointer to len readable bytes at physical address addr, or NULL
 * when that range is not something the walk may read. The walk is done
 * with each pointer before it calls read again. */
typedef const void *(*acpi_read_fn)(void *ctx, uint32_t addr, uint32_t len);

/* Looks for a valid RSDP (signature and checksums) on the 16-byte
 * boundaries of [start, start + length); a candidate must lie wholly
 * inside. Sets *rsdp_addr and returns true for the first one found. */
bool acpi_find_rsdp(uint32_t start, uint32_t length, acpi_read_fn read,
                    void *ctx, uint32_t *rsdp_addr);

/* Follows the RSDP at rsdp_addr to the RSDT and the MADT, and parses the
 * MADT into out. Returns false, with out->problem set, when there is no
 * usable MADT; a bad MADT entry stops the walk but keeps what came before. */
bool acpi_parse_madt(uint32_t rsdp_addr, acpi_read_fn read, void *ctx,
                     struct acpi_madt *out);

/* Segment group 0's ECAM window, as the MCFG gives it. */
struct acpi_mcfg {
    uint32_t mcfg;          /* where the table is (0: not found) */
    unsigned entries;       /* allocation structures in it, all segments */
    uint32_t base;          /* the address of bus 0's configuration space */
    uint8_t start_bus, end_bus;
    /* Empty when all was well. After a false return: why there is no
     * usable window for segment 0. After a true one: what was skipped. */
    char problem[ACPI_PROBLEM_MAX];
};

/* Follows the RSDP at rsdp_addr to the RSDT and the MCFG, and takes
 * segment group 0's first allocation into out. False, with out->problem
 * set, when there is no MCFG (a PCI, not PCI Express, machine), it is
 * damaged, or its window cannot serve a 32-bit kernel: above 4 GiB, not on
 * a 1 MiB boundary, running past 4 GiB, or with its buses backwards. */
bool acpi_parse_mcfg(uint32_t rsdp_addr, acpi_read_fn read, void *ctx,
                     struct acpi_mcfg *out);

/* The first HPET timer block's register window, as its table gives it. */
struct acpi_hpet {
    uint32_t hpet;          /* where the table is (0: not found) */
    uint32_t base;          /* where its registers answer (0: unusable) */
    /* Empty when all was well. After a false return: why there is no
     * usable window. After a true one: what was skipped. */
    char problem[ACPI_PROBLEM_MAX];
};

/* Follows the RSDP at rsdp_addr to the RSDT and the HPET table, and takes
 * its register window's address into out. False, with out->problem set,
 * when there is no HPET table (no HPET, or firmware that hides it), it is
 * damaged, or its registers are not in memory space below 4 GiB. */
bool acpi_parse_hpet(uint32_t rsdp_addr, acpi_read_fn read, void *ctx,
                     struct acpi_hpet *out);

/* The GSI an ISA IRQ arrives on, and how it signals: the override for that
 * IRQ if the MADT has one, else the same number, active high, edge. */
uint32_t acpi_isa_irq_to_gsi(const struct acpi_madt *madt, uint8_t irq,
                             bool *active_low, bool *level);

#endif
