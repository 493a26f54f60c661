/*
 * PCI configuration space as arithmetic: the names of its registers, how a
 * bus/device/function and a register offset become an address for either
 * access mechanism, how a Base Address Register says what window a device
 * wants, and how the capability list is walked. Pure C, host-tested and
 * fuzzed; drivers/pci.c does the accesses.
 *
 * Every PCI function has 256 bytes of configuration space (PCI Express
 * functions 4096): a standard header in the first 64 bytes, then
 * device-specific registers and capabilities. The CPU reaches it in one of
 * two ways (claims C1, C2):
 *  - configuration mechanism #1: write an address to the 32-bit port 0xCF8,
 *    then read or write the data at port 0xCFC (two `out`/`in`, and only
 *    the first 256 bytes are reachable);
 *  - ECAM (enhanced configuration access mechanism, PCI Express): every
 *    function's 4 KiB appear in one memory window, and a register is one
 *    `mov` at base + (bus << 20 | device << 15 | function << 12 | offset).
 *
 * References: PCI Local Bus Specification 3.0 (section numbers below),
 * PCI Express Base Specification 3.0 7.2.2 (ECAM), PCI Code and ID
 * Assignment Specification 1.11 (class codes, capability IDs).
 */
#ifndef KERNEL_LIB_PCI_CONFIG_H
#define KERNEL_LIB_PCI_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

/* A function's address: bus 0-255, device 0-31, function 0-7, packed as
 * Linux and lspci pack it (bus << 8 | device << 3 | function). */
typedef uint16_t pci_bdf;
#define PCI_BUSES 256u
#define PCI_DEVICES 32u
#define PCI_FUNCTIONS 8u
#define PCI_BDF(bus, dev, fn) \
    ((pci_bdf)(((bus) << 8) | ((dev) << 3) | (fn)))
#define PCI_BDF_BUS(bdf) ((unsigned)(bdf) >> 8)
#define PCI_BDF_DEV(bdf) (((unsigned)(bdf) >> 3) & (PCI_DEVICES - 1))
#define PCI_BDF_FN(bdf) ((unsigned)(bdf) & (PCI_FUNCTIONS - 1))

/* Sizes of one function's configuration space. */
#define PCI_CONFIG_SIZE 256u        /* conventional PCI (6.1) */
#define PCIE_CONFIG_SIZE 4096u      /* PCI Express (7.2.2) */

/* The standard header (6.1, Figure 6-1), common to both header types. */
#define PCI_VENDOR_ID 0x00          /* 16 bits; 0xFFFF: no function here */
#define PCI_DEVICE_ID 0x02
#define PCI_COMMAND 0x04            /* 16 bits (6.2.2) */
#define PCI_STATUS 0x06             /* 16 bits (6.2.3) */
#define PCI_REVISION_ID 0x08
#define PCI_PROG_IF 0x09            /* the class code's low byte */
#define PCI_SUBCLASS 0x0A
#define PCI_CLASS 0x0B
#define PCI_HEADER_TYPE 0x0E
#define PCI_BAR0 0x10               /* Base Address Registers (6.2.5.1) */
#define PCI_BAR_SIZE 4u             /* each BAR a dword, BAR0-BAR5 in a row */
#define PCI_CAPABILITY_LIST 0x34    /* the first capability's offset */
/* Expansion ROM Base Address (6.2.5.2): bits 31:11 the address, bit 0 the
 * enable; a bridge has it at 0x38 (PCI-to-PCI Bridge Architecture
 * Specification 1.2, 3.2.5.16). The sizing write is the address bits with
 * the enable off, so the ROM never decodes at the all-ones address. */
#define PCI_ROM_ADDRESS 0x30
#define PCI_ROM_ADDRESS_BRIDGE 0x38
#define PCI_ROM_ENABLE 0x1u
#define PCI_ROM_ADDRESS_MASK 0xFFFFF800u
#define PCI_ROM_SIZING_VALUE PCI_ROM_ADDRESS_MASK
#define PCI_INTERRUPT_LINE 0x3C     /* written by firmware: the IRQ routed */
#define PCI_INTERRUPT_PIN 0x3D      /* 0 none, 1-4 INTA#-INTD# */

/* What a read of a function that is not there returns: the bus master
 * abort gives all ones (3.2.2.3.2). */
#define PCI_VENDOR_NONE 0xFFFFu

/* Header type (6.2.1): bits 6:0 the layout, bit 7 "more functions". */
#define PCI_HEADER_LAYOUT_MASK 0x7Fu
#define PCI_HEADER_MULTI_FUNCTION 0x80u
#define PCI_HEADER_NORMAL 0x00      /* a device: six BARs */
#define PCI_HEADER_BRIDGE 0x01      /* a PCI-to-PCI bridge: two BARs */
#define PCI_HEADER_CARDBUS 0x02
#define PCI_BARS_NORMAL 6u
#define PCI_BARS_BRIDGE 2u

/* A PCI-to-PCI bridge's bus numbers (PCI-to-PCI Bridge Architecture
 * Specification 1.2, 3.2.5.3-3.2.5.5). */
#define PCI_PRIMARY_BUS 0x18       /* the bus the bridge sits on */
#define PCI_SECONDARY_BUS 0x19     /* the bus right behind it */
#define PCI_SUBORDINATE_BUS 0x1A   /* the highest bus behind it */

/* Command register bits (6.2.2): which kinds of cycle the function
 * answers, and whether it may start its own (bus mastering, for DMA). */
#define PCI_COMMAND_IO (1u << 0)
#define PCI_COMMAND_MEMORY (1u << 1)
#define PCI_COMMAND_MASTER (1u << 2)
#define PCI_COMMAND_INTX_DISABLE (1u << 10)

/* Status register: bit 4 says a capability list exists (6.2.3). */
#define PCI_STATUS_CAP_LIST (1u << 4)

/* Base Address Register bits (6.2.5.1). Bit 0 says which address space
 * the window is in: 1 the I/O ports (an `in`/`out` window), 0 memory (a
 * `mov` window). A memory BAR's bits 2:1 give its width, bit 3 says reads
 * have no side effects (prefetchable). */
#define PCI_BAR_SPACE_IO 0x1u
#define PCI_BAR_IO_MASK 0xFFFFFFFCu
#define PCI_BAR_MEM_TYPE_MASK 0x6u
#define PCI_BAR_MEM_TYPE_32 0x0u
#define PCI_BAR_MEM_TYPE_1M 0x2u    /* below 1 MiB: PCI 2.x, now reserved */
#define PCI_BAR_MEM_TYPE_64 0x4u    /* this BAR and the next hold 64 bits */
#define PCI_BAR_MEM_PREFETCH 0x8u
#define PCI_BAR_MEM_MASK 0xFFFFFFF0u
#define PCI_BAR_SIZING_VALUE 0xFFFFFFFFu    /* written to find the size */

/* Capability IDs (PCI Code and ID Assignment 1.11, chapter 2). Each
 * capability starts with its ID and the offset of the next one (6.7). */
#define PCI_CAP_ID_PM 0x01
#define PCI_CAP_ID_AGP 0x02
#define PCI_CAP_ID_VPD 0x03
#define PCI_CAP_ID_SLOT_ID 0x04
#define PCI_CAP_ID_MSI 0x05
#define PCI_CAP_ID_PCIX 0x07
#define PCI_CAP_ID_HT 0x08
#define PCI_CAP_ID_VENDOR 0x09
#define PCI_CAP_ID_DEBUG 0x0A
#define PCI_CAP_ID_HOTPLUG 0x0C
#define PCI_CAP_ID_SUBSYSTEM 0x0D
#define PCI_CAP_ID_EXP 0x10         /* PCI Express */
#define PCI_CAP_ID_MSIX 0x11
#define PCI_CAP_ID_SATA 0x12
#define PCI_CAP_ID_AF 0x13
#define PCI_CAP_NEXT 1              /* offset of the next-pointer byte */
#define PCI_CAP_PTR_MASK 0xFCu      /* the low two bits are reserved */
#define PCI_CAP_FIRST 0x40u         /* capabilities follow the header */
/* 256 bytes hold at most 48 four-byte capabilities after the header: a
 * longer walk is a loop. */
#define PCI_CAP_MAX ((PCI_CONFIG_SIZE - PCI_CAP_FIRST) / 4)

/* The MSI capability (6.8.1, Figures 6-9 and 6-10): message control, then
 * the address the device writes to (32 bits, or 64 when control bit 7 is
 * set) and the 16-bit data it writes. */
#define PCI_MSI_CONTROL 2
#define PCI_MSI_ADDRESS_LO 4
#define PCI_MSI_ADDRESS_HI 8            /* 64-bit form only */
#define PCI_MSI_DATA_32 8
#define PCI_MSI_DATA_64 12
#define PCI_MSI_CONTROL_ENABLE (1u << 0)
#define PCI_MSI_CONTROL_MME_MASK (7u << 4)  /* vectors enabled: 1 << MME */
#define PCI_MSI_CONTROL_64BIT (1u << 7)

/* Configuration mechanism #1 (3.2.2.3.2): the dword written to
 * CONFIG_ADDRESS. Bit 31 enables the translation into a configuration
 * cycle; bits 23:16 bus, 15:11 device, 10:8 function, 7:2 the dword. */
#define PCI_CONF1_ENABLE 0x80000000u
#define PCI_CONF1_BUS_SHIFT 16
#define PCI_CONF1_DEV_SHIFT 11
#define PCI_CONF1_FN_SHIFT 8
#define PCI_CONF1_REG_MASK 0xFCu

/* ECAM (PCI Express Base 3.0, 7.2.2, Table 7-1): 1 MiB per bus. */
#define PCI_ECAM_BUS_SHIFT 20
#define PCI_ECAM_DEV_SHIFT 15
#define PCI_ECAM_FN_SHIFT 12
#define PCI_ECAM_BUS_SIZE (1u << PCI_ECAM_BUS_SHIFT)

uint32_t pci_conf1_address(pci_bdf bdf, uint16_t offset);

/* Where BAR index is in the header. */
static inline uint16_t pci_bar_offset(unsigned index)
{
    return (uint16_t)(PCI_BAR0 + PCI_BAR_SIZE * index);
}
uint32_t pci_ecam_offset(pci_bdf bdf, uint16_t offset);

/* Parses "B:D.F" (hex, as lspci prints: "00:1f.2"); false on anything
 * else, or a device over 31 or a function over 7. */
bool pci_parse_bdf(const char *s, pci_bdf *out);

/* What a BAR describes, after the all-ones sizing write. */
enum pci_bar_kind {
    PCI_BAR_UNUSED,     /* reads back 0: the function has no window here */
    PCI_BAR_IO,         /* a range of I/O ports */
    PCI_BAR_MEM32,      /* a memory range below 4 GiB */
    PCI_BAR_MEM64,      /* a memory range anywhere; uses the next BAR too */
    PCI_BAR_MEM1M,      /* a memory range below 1 MiB (old PCI) */
};

struct pci_bar {
    enum pci_bar_kind kind;
    bool prefetchable;
    uint64_t address;
    uint64_t size;
};

/* Decodes a BAR from its value (value_high: the next BAR, for a 64-bit
 * one) and what it read back after all ones were written to it (and to
 * the next). The device hard-wires the low address bits of its window to
 * 0, so the lowest bit that took the 1 is the size. */
void pci_bar_decode(uint32_t value, uint32_t value_high, uint32_t sized,
                    uint32_t sized_high, struct pci_bar *out);

/* A function's expansion ROM: code for the firmware to run (a VGA BIOS,
 * a network boot ROM), in a memory window of its own that answers only
 * while enabled. */
struct pci_rom {
    bool present;       /* some address bit took the sizing write */
    bool enabled;       /* the window decodes */
    uint32_t address;   /* where it decodes, or would */
    uint32_t size;
};

/* Decodes the ROM register from its value and what it read back after
 * PCI_ROM_SIZING_VALUE was written: as for a BAR, the lowest address bit
 * that took the 1 is the size. */
void pci_rom_decode(uint32_t value, uint32_t sized, struct pci_rom *out);

/* A short name for a BAR's kind: "I/O", "mem32", "mem64", "mem1M". */
const char *pci_bar_kind_name(enum pci_bar_kind kind);

/* The class name of a class/subclass pair (PCI Code and ID Assignment,
 * appendix D), or of the class alone when the subclass has none. */
const char *pci_class_name(uint8_t class_code, uint8_t subclass);

/* A capability's name, one word ("MSI", "PCIe", "subsystem-ID", ...), or
 * "?" for an unknown ID. */
const char *pci_capability_name(uint8_t id);

/* Reads one byte of a function's configuration space. */
typedef uint8_t (*pci_read8_fn)(void *ctx, uint16_t offset);

struct pci_capability {
    uint8_t id;
    uint8_t offset;
};

/* Walks the capability list from PCI_CAPABILITY_LIST into caps (at most
 * max). Returns the count; sets *problem (NULL if none) when a pointer
 * leads into the header or the walk loops, which ends it. */
unsigned pci_capabilities(pci_read8_fn read, void *ctx,
                          struct pci_capability *caps, unsigned max,
                          const char **problem);

#endif
