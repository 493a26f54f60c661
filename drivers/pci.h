/*
 * The PCI bus: configuration space through ports 0xCF8/0xCFC (mechanism
 * #1) or through memory (ECAM, on a PCI Express machine such as q35), the
 * functions found on it, their windows (BARs) and their capabilities.
 * kernel/lib/pci_config.h names the registers.
 */
#ifndef DRIVERS_PCI_H
#define DRIVERS_PCI_H

#include "kernel/lib/pci_config.h"

#include <stdbool.h>
#include <stdint.h>

/* Mechanism #1's two 32-bit ports (PCI Local Bus Specification 3.0,
 * 3.2.2.3.2): the address of a register, then its data. */
#define PCI_CONFIG_ADDRESS 0xCF8
#define PCI_CONFIG_DATA 0xCFC
#define PCI_CONFIG_DATA_SIZE 4

/* The two ways to reach configuration space (claims C1, C2). */
enum pci_mechanism {
    PCI_MECH_PORT,      /* mechanism #1: out 0xCF8, then in/out 0xCFC */
    PCI_MECH_ECAM,      /* a mov into the ECAM window */
};

/* Where the ECAM window's address came from. */
enum pci_ecam_source {
    PCI_ECAM_NONE,      /* no ECAM: a PCI (not PCIe) machine such as pc */
    PCI_ECAM_MCFG,      /* ACPI's MCFG table */
    PCI_ECAM_PCIEXBAR,  /* the q35 host bridge's PCIEXBAR register */
};

/* How many functions iospace keeps (QEMU's machines have about 6-12). */
#define PCI_MAX_FUNCTIONS 64

/* One function found by the scan. */
struct pci_function {
    pci_bdf bdf;
    uint16_t vendor, device;
    uint8_t class_code, subclass, prog_if, revision;
    uint8_t header_type;    /* PCI_HEADER_* layout, without the MF bit */
};

/* Checks that mechanism #1 answers, sets up ECAM when the machine has it
 * (mcfg_base: the address ACPI's MCFG gives for bus 0, or 0 when there is
 * no MCFG; then the q35 host bridge's PCIEXBAR is asked), and scans the
 * buses from 0 through the bridges. False when there is no PCI at all;
 * pci_problem() says why. */
bool pci_init(uint32_t mcfg_base, uint8_t mcfg_end_bus);
const char *pci_problem(void);
bool pci_present(void);

/* The mechanism ordinary reads and writes use (ECAM when present, else
 * ports); a student can switch it. False when ECAM is asked and the
 * machine has none. */
enum pci_mechanism pci_mechanism(void);
bool pci_set_mechanism(enum pci_mechanism m);
bool pci_ecam_present(void);
uint32_t pci_ecam_base(void);
enum pci_ecam_source pci_ecam_source(void);
/* The last bus the ECAM window covers. */
uint8_t pci_ecam_end_bus(void);
/* Where the window's address came from, for a reader: "ACPI MCFG", "the
 * host bridge's PCIEXBAR", "none". */
const char *pci_ecam_source_name(enum pci_ecam_source s);

/* Configuration reads and writes by the current mechanism. offset must be
 * aligned to the width; offsets >= 256 need ECAM (they read all ones and
 * write nothing through ports). */
uint32_t pci_config_read32(pci_bdf bdf, uint16_t offset);
uint16_t pci_config_read16(pci_bdf bdf, uint16_t offset);
uint8_t pci_config_read8(pci_bdf bdf, uint16_t offset);
void pci_config_write32(pci_bdf bdf, uint16_t offset, uint32_t v);
void pci_config_write16(pci_bdf bdf, uint16_t offset, uint16_t v);

/* One dword by a named mechanism. False (and nothing read) when that
 * mechanism cannot reach the offset: ports above 255, ECAM absent or the
 * bus outside its window. */
bool pci_config_read32_via(enum pci_mechanism m, pci_bdf bdf,
                           uint16_t offset, uint32_t *out);

/* The functions the scan found, in bus/device/function order. */
unsigned pci_function_count(void);
const struct pci_function *pci_function_at(unsigned i);
/* The function at bdf, or NULL when the scan did not find one there. */
const struct pci_function *pci_find(pci_bdf bdf);
/* The first function of a class/subclass (or vendor:device), or NULL. */
const struct pci_function *pci_find_class(uint8_t class_code,
                                          uint8_t subclass);
const struct pci_function *pci_find_device(uint16_t vendor, uint16_t device);

/* How many BARs a function has (6, or 2 for a bridge). */
unsigned pci_bar_count(const struct pci_function *f);

/* Reads BAR index of f and finds its size by writing all ones to it, with
 * the command register's I/O and memory decode off meanwhile (so the
 * device does not answer at the all-ones address), then puts back the
 * BAR and the command register. A 64-bit BAR takes index and index + 1. */
void pci_bar_probe(const struct pci_function *f, unsigned index,
                   struct pci_bar *out);

/* Reads f's expansion ROM register and sizes it the same way; false (and
 * *out zeroed) when the function has none. */
bool pci_rom_probe(const struct pci_function *f, struct pci_rom *out);

/* Writes a new address into memory BAR index (and the next one for a
 * 64-bit BAR), with memory decode off while the halves change. The caller
 * has checked the address (kernel/lib/pci_config.h has no opinion) and
 * mapped it (paging_map_mmio). */
void pci_bar_set_address(const struct pci_function *f, unsigned index,
                         uint64_t address, enum pci_bar_kind kind);

/* How many times pci_bar_set_address has moved a window since boot. A
 * driver that keeps a BAR's address reads this with it, and reads the BAR
 * again (pci_bar_probe) when the count has changed: the monitor's `bar`
 * may have moved the window under it. */
uint32_t pci_bar_moves(void);

/* True when BAR index of f is the upper half of the 64-bit BAR below it:
 * not a window of its own. */
bool pci_bar_is_upper_half(const struct pci_function *f, unsigned index);

/* Walks f's capability list (see pci_capabilities). */
unsigned pci_function_capabilities(const struct pci_function *f,
                                   struct pci_capability *caps, unsigned max,
                                   const char **problem);
/* The offset of f's first capability with this ID, or 0. */
uint8_t pci_find_capability(const struct pci_function *f, uint8_t id);

/* Points f's MSI capability at address with data, one vector, and turns
 * MSI on (and the INTx line off: a function with MSI enabled does not use
 * it, 6.8.3.4). False when f has no MSI capability. */
bool pci_msi_enable(const struct pci_function *f, uint32_t address,
                    uint16_t data);
void pci_msi_disable(const struct pci_function *f);

/* Sets bits in f's command register (PCI_COMMAND_MASTER for DMA). */
void pci_enable(const struct pci_function *f, uint16_t command_bits);

#endif
