/*
 * The PCI bus. Configuration space is where a PCI function says what it is
 * and where its windows are; it is reached two ways (claims C1, C2):
 *  - mechanism #1, the ports: `out 0xCF8` selects bus, device, function
 *    and dword, then `in`/`out 0xCFC` moves the data. Two accesses per
 *    register, a shared index that an interrupt handler could change in
 *    between (so the pair runs with interrupts off), 256 bytes only;
 *  - ECAM, memory: on a PCI Express machine (QEMU's q35) every function's
 *    4 KiB of configuration space is mapped in one window, and a register
 *    is one `mov`. The window's address is the firmware's choice (claim
 *    C6): ACPI's MCFG table says where it is, and on q35 the host bridge's
 *    PCIEXBAR register holds it.
 *
 * References: PCI Local Bus Specification 3.0, 3.2.2.3.2 (mechanism #1),
 * 6.1-6.2 (the header); PCI Express Base 3.0, 7.2.2 (ECAM); Intel 3 Series
 * Chipset (MCH) datasheet, 5.1.12 PCIEXBAR, which QEMU's q35 models.
 */
#include "drivers/pci.h"

#include "io/mmio.h"
#include "io/port.h"
#include "io/trace.h"
#include "kernel/paging.h"
#include "kernel/x86.h"

#include <stddef.h>

/* The q35 host bridge, Intel's 82G33 MCH, at 00:00.0: its PCIEXBAR (MCH
 * datasheet 5.1.12) is 64 bits at 0x60. Bit 0 enables the window, bits
 * 2:1 give its length and so how many low address bits are the bus
 * number rather than the base. */
#define MCH_VENDOR 0x8086
#define MCH_DEVICE_Q35 0x29C0
#define MCH_PCIEXBAR 0x60
#define MCH_PCIEXBAR_HIGH 0x64
#define MCH_PCIEXBAR_ENABLE 0x1u
#define MCH_PCIEXBAR_LENGTH_MASK 0x6u
#define MCH_PCIEXBAR_LENGTH_256M 0x0u
#define MCH_PCIEXBAR_LENGTH_128M 0x2u
#define MCH_PCIEXBAR_LENGTH_64M 0x4u
#define MCH_PCIEXBAR_BASE_256M 0xF0000000u  /* bits 31:28 */
#define MCH_PCIEXBAR_BASE_128M 0xF8000000u  /* bits 31:27 */
#define MCH_PCIEXBAR_BASE_64M 0xFC000000u   /* bits 31:26 */
#define MCH_PCIEXBAR_BUSES_256M 256u
#define MCH_PCIEXBAR_BUSES_128M 128u
#define MCH_PCIEXBAR_BUSES_64M 64u

#define ALL_ONES_16 0xFFFFu
#define ALL_ONES_8 0xFFu
#define BITS_PER_BYTE 8u

/* Named as QEMU names the two regions, so a trace of either reads alike. */
static const struct io_trace_device trace_conf_idx = {
    "pci-conf-idx", IO_PMIO, PCI_CONFIG_ADDRESS,
    PCI_CONFIG_ADDRESS + PCI_CONFIG_DATA_SIZE - 1, NULL,
};
static const struct io_trace_device trace_conf_data = {
    "pci-conf-data", IO_PMIO, PCI_CONFIG_DATA,
    PCI_CONFIG_DATA + PCI_CONFIG_DATA_SIZE - 1, NULL,
};

/* The ECAM window, named as QEMU's q35 names it; its range is known only
 * once the window is found. */
static struct io_trace_device trace_ecam = {
    "pcie-mmcfg-mmio", IO_MMIO, 0, 0, NULL,
};

static bool present;
static const char *problem = "not initialised";
static enum pci_mechanism mechanism = PCI_MECH_PORT;
static enum pci_ecam_source ecam_source = PCI_ECAM_NONE;
static uint32_t ecam_base;
static uint8_t ecam_end_bus;
/* ECAM is mapped a bus (1 MiB) at a time, when a bus is first used. */
static uint32_t ecam_mapped[PCI_BUSES / 32];
static struct pci_function functions[PCI_MAX_FUNCTIONS];
static unsigned function_count;
static uint32_t bar_moves;

/* --- mechanism #1: ports 0xCF8/0xCFC --------------------------------- */

static uint32_t conf1_read32(pci_bdf bdf, uint16_t offset)
{
    uint32_t flags = irq_save();
    outl(PCI_CONFIG_ADDRESS, pci_conf1_address(bdf, offset));
    uint32_t v = inl(PCI_CONFIG_DATA);
    irq_restore(flags);
    return v;
}

/* A narrower access uses the byte lanes of the data port that the offset
 * selects: 0xCFC + (offset & 3). */
static uint16_t conf1_read16(pci_bdf bdf, uint16_t offset)
{
    uint32_t flags = irq_save();
    outl(PCI_CONFIG_ADDRESS, pci_conf1_address(bdf, offset));
    uint16_t v = inw((uint16_t)(PCI_CONFIG_DATA
                                + (offset & (PCI_CONFIG_DATA_SIZE - 1))));
    irq_restore(flags);
    return v;
}

static uint8_t conf1_read8(pci_bdf bdf, uint16_t offset)
{
    uint32_t flags = irq_save();
    outl(PCI_CONFIG_ADDRESS, pci_conf1_address(bdf, offset));
    uint8_t v = inb((uint16_t)(PCI_CONFIG_DATA
                               + (offset & (PCI_CONFIG_DATA_SIZE - 1))));
    irq_restore(flags);
    return v;
}

static void conf1_write32(pci_bdf bdf, uint16_t offset, uint32_t v)
{
    uint32_t flags = irq_save();
    outl(PCI_CONFIG_ADDRESS, pci_conf1_address(bdf, offset));
    outl(PCI_CONFIG_DATA, v);
    irq_restore(flags);
}

static void conf1_write16(pci_bdf bdf, uint16_t offset, uint16_t v)
{
    uint32_t flags = irq_save();
    outl(PCI_CONFIG_ADDRESS, pci_conf1_address(bdf, offset));
    outw((uint16_t)(PCI_CONFIG_DATA + (offset & (PCI_CONFIG_DATA_SIZE - 1))),
         v);
    irq_restore(flags);
}

/* The host bridge answers at 0xCF8 as a 32-bit register: writing the
 * enable bit and reading it back tells mechanism #1 is there (Linux's
 * pci_check_type1 does the same). */
static bool conf1_present(void)
{
    uint32_t flags = irq_save();
    uint32_t saved = inl(PCI_CONFIG_ADDRESS);
    outl(PCI_CONFIG_ADDRESS, PCI_CONF1_ENABLE);
    bool answers = inl(PCI_CONFIG_ADDRESS) == PCI_CONF1_ENABLE;
    outl(PCI_CONFIG_ADDRESS, saved);
    irq_restore(flags);
    return answers;
}

/* --- ECAM: one mov per register -------------------------------------- */

/* The address of a register in the ECAM window, mapping its bus's 1 MiB
 * first; 0 when ECAM cannot reach it. */
static uintptr_t ecam_address(pci_bdf bdf, uint16_t offset)
{
    unsigned bus = PCI_BDF_BUS(bdf);
    if (ecam_source == PCI_ECAM_NONE || bus > ecam_end_bus
        || offset >= PCIE_CONFIG_SIZE)
        return 0;
    uint32_t bit = 1u << (bus % 32);
    if (!(ecam_mapped[bus / 32] & bit)) {
        if (!paging_map_mmio(ecam_base + bus * PCI_ECAM_BUS_SIZE,
                             PCI_ECAM_BUS_SIZE))
            return 0;
        ecam_mapped[bus / 32] |= bit;
    }
    return ecam_base + pci_ecam_offset(bdf, offset);
}

/* --- reads and writes by the current mechanism ------------------------ */

static bool use_ecam(pci_bdf bdf, uint16_t offset, uintptr_t *addr)
{
    if (mechanism != PCI_MECH_ECAM && offset < PCI_CONFIG_SIZE)
        return false;
    *addr = ecam_address(bdf, offset);
    return true;
}

uint32_t pci_config_read32(pci_bdf bdf, uint16_t offset)
{
    uintptr_t a;
    if (use_ecam(bdf, offset, &a))
        return a ? mmio_read32(a) : UINT32_MAX;
    return conf1_read32(bdf, offset);
}

uint16_t pci_config_read16(pci_bdf bdf, uint16_t offset)
{
    uintptr_t a;
    if (use_ecam(bdf, offset, &a))
        return a ? mmio_read16(a) : ALL_ONES_16;
    return conf1_read16(bdf, offset);
}

uint8_t pci_config_read8(pci_bdf bdf, uint16_t offset)
{
    uintptr_t a;
    if (use_ecam(bdf, offset, &a))
        return a ? mmio_read8(a) : ALL_ONES_8;
    return conf1_read8(bdf, offset);
}

void pci_config_write32(pci_bdf bdf, uint16_t offset, uint32_t v)
{
    uintptr_t a;
    if (!use_ecam(bdf, offset, &a))
        conf1_write32(bdf, offset, v);
    else if (a)
        mmio_write32(a, v);
}

void pci_config_write16(pci_bdf bdf, uint16_t offset, uint16_t v)
{
    uintptr_t a;
    if (!use_ecam(bdf, offset, &a))
        conf1_write16(bdf, offset, v);
    else if (a)
        mmio_write16(a, v);
}

bool pci_config_read32_via(enum pci_mechanism m, pci_bdf bdf,
                           uint16_t offset, uint32_t *out)
{
    if (m == PCI_MECH_PORT) {
        if (offset >= PCI_CONFIG_SIZE)
            return false;
        *out = conf1_read32(bdf, offset);
        return true;
    }
    uintptr_t a = ecam_address(bdf, offset);
    if (!a)
        return false;
    *out = mmio_read32(a);
    return true;
}

/* --- finding ECAM ------------------------------------------------------ */

/* q35's MCH keeps the ECAM window's address in PCIEXBAR; read it through
 * mechanism #1, which every PC has. */
static void find_pciexbar(void)
{
    pci_bdf host = PCI_BDF(0, 0, 0);
    if (conf1_read16(host, PCI_VENDOR_ID) != MCH_VENDOR
        || conf1_read16(host, PCI_DEVICE_ID) != MCH_DEVICE_Q35)
        return;
    uint32_t bar = conf1_read32(host, MCH_PCIEXBAR);
    if (!(bar & MCH_PCIEXBAR_ENABLE)
        || conf1_read32(host, MCH_PCIEXBAR_HIGH) != 0)
        return;     /* off, or above 4 GiB where iospace cannot reach */
    switch (bar & MCH_PCIEXBAR_LENGTH_MASK) {
    case MCH_PCIEXBAR_LENGTH_256M:
        ecam_base = bar & MCH_PCIEXBAR_BASE_256M;
        ecam_end_bus = MCH_PCIEXBAR_BUSES_256M - 1;
        break;
    case MCH_PCIEXBAR_LENGTH_128M:
        ecam_base = bar & MCH_PCIEXBAR_BASE_128M;
        ecam_end_bus = MCH_PCIEXBAR_BUSES_128M - 1;
        break;
    case MCH_PCIEXBAR_LENGTH_64M:
        ecam_base = bar & MCH_PCIEXBAR_BASE_64M;
        ecam_end_bus = MCH_PCIEXBAR_BUSES_64M - 1;
        break;
    default:
        return;     /* the reserved length */
    }
    ecam_source = PCI_ECAM_PCIEXBAR;
}

/* --- the scan ---------------------------------------------------------- */

/* Buses waiting to be scanned: bus 0, then each bridge's secondary bus
 * as the scan meets the bridge, each bus once: 256 entries hold every bus
 * there can be, and the scan cannot loop. */
static uint8_t pending[PCI_BUSES];
static unsigned pending_count;
static uint32_t queued[PCI_BUSES / 32];  /* two bridges naming one bus */

static void queue_bus(uint8_t bus)
{
    if (queued[bus / 32] & (1u << (bus % 32)))
        return;
    queued[bus / 32] |= 1u << (bus % 32);
    pending[pending_count++] = bus;
}

static void add_function(pci_bdf bdf)
{
    if (function_count == PCI_MAX_FUNCTIONS)
        return;
    struct pci_function *f = &functions[function_count++];
    uint32_t class_rev = pci_config_read32(bdf, PCI_REVISION_ID);
    f->bdf = bdf;
    f->vendor = pci_config_read16(bdf, PCI_VENDOR_ID);
    f->device = pci_config_read16(bdf, PCI_DEVICE_ID);
    f->revision = (uint8_t)class_rev;
    f->prog_if = (uint8_t)(class_rev >> BITS_PER_BYTE);
    f->subclass = (uint8_t)(class_rev >> (2 * BITS_PER_BYTE));
    f->class_code = (uint8_t)(class_rev >> (3 * BITS_PER_BYTE));
    f->header_type = pci_config_read8(bdf, PCI_HEADER_TYPE)
                     & PCI_HEADER_LAYOUT_MASK;
    /* A bridge leads to another bus, whose number firmware wrote into
     * the bridge. A bus number not above this one would be a loop. */
    if (f->header_type == PCI_HEADER_BRIDGE) {
        uint8_t next = pci_config_read8(bdf, PCI_SECONDARY_BUS);
        if (next > PCI_BDF_BUS(bdf))
            queue_bus(next);
    }
}

static void scan_bus(uint8_t bus)
{
    for (unsigned dev = 0; dev < PCI_DEVICES; dev++) {
        pci_bdf first = PCI_BDF(bus, dev, 0);
        if (pci_config_read16(first, PCI_VENDOR_ID) == PCI_VENDOR_NONE)
            continue;
        /* Functions 1-7 exist only when function 0 says so. */
        bool multi = pci_config_read8(first, PCI_HEADER_TYPE)
                     & PCI_HEADER_MULTI_FUNCTION;
        unsigned fns = multi ? PCI_FUNCTIONS : 1;
        for (unsigned fn = 0; fn < fns; fn++) {
            pci_bdf bdf = PCI_BDF(bus, dev, fn);
            if (pci_config_read16(bdf, PCI_VENDOR_ID) != PCI_VENDOR_NONE)
                add_function(bdf);
        }
    }
}

/* Every bus reachable from bus 0, each once, in the order met. */
static void scan(void)
{
    queue_bus(0);
    for (unsigned i = 0; i < pending_count; i++)
        scan_bus(pending[i]);
}

bool pci_init(uint32_t mcfg_base, uint8_t mcfg_end_bus)
{
    if (!conf1_present()) {
        problem = "no host bridge answers at port 0xcf8";
        return false;
    }
    io_trace_add_device(&trace_conf_idx);
    io_trace_add_device(&trace_conf_data);
    if (mcfg_base) {
        ecam_base = mcfg_base;
        ecam_end_bus = mcfg_end_bus;
        ecam_source = PCI_ECAM_MCFG;
    } else {
        find_pciexbar();
    }
    if (ecam_source != PCI_ECAM_NONE) {
        if (ecam_address(PCI_BDF(0, 0, 0), PCI_VENDOR_ID))
            mechanism = PCI_MECH_ECAM;
        else
            ecam_source = PCI_ECAM_NONE;    /* no page table left */
    }
    if (ecam_source != PCI_ECAM_NONE) {
        trace_ecam.first = ecam_base;
        trace_ecam.last = ecam_base
                          + ((uint32_t)ecam_end_bus + 1) * PCI_ECAM_BUS_SIZE - 1;
        io_trace_add_device(&trace_ecam);
    }
    scan();
    present = true;
    problem = NULL;
    return true;
}

const char *pci_problem(void)
{
    return problem;
}

bool pci_present(void)
{
    return present;
}

enum pci_mechanism pci_mechanism(void)
{
    return mechanism;
}

bool pci_set_mechanism(enum pci_mechanism m)
{
    if (m == PCI_MECH_ECAM && ecam_source == PCI_ECAM_NONE)
        return false;
    mechanism = m;
    return true;
}

bool pci_ecam_present(void)
{
    return ecam_source != PCI_ECAM_NONE;
}

uint32_t pci_ecam_base(void)
{
    return ecam_base;
}

enum pci_ecam_source pci_ecam_source(void)
{
    return ecam_source;
}

uint8_t pci_ecam_end_bus(void)
{
    return ecam_end_bus;
}

const char *pci_ecam_source_name(enum pci_ecam_source s)
{
    switch (s) {
    case PCI_ECAM_MCFG:
        return "ACPI MCFG";
    case PCI_ECAM_PCIEXBAR:
        return "the host bridge's PCIEXBAR";
    case PCI_ECAM_NONE:
        break;
    }
    return "none";
}

/* --- the functions found ----------------------------------------------- */

unsigned pci_function_count(void)
{
    return function_count;
}

const struct pci_function *pci_function_at(unsigned i)
{
    return i < function_count ? &functions[i] : NULL;
}

const struct pci_function *pci_find(pci_bdf bdf)
{
    for (unsigned i = 0; i < function_count; i++) {
        if (functions[i].bdf == bdf)
            return &functions[i];
    }
    return NULL;
}

const struct pci_function *pci_find_class(uint8_t class_code,
                                          uint8_t subclass)
{
    for (unsigned i = 0; i < function_count; i++) {
        if (functions[i].class_code == class_code
            && functions[i].subclass == subclass)
            return &functions[i];
    }
    return NULL;
}

const struct pci_function *pci_find_device(uint16_t vendor, uint16_t device)
{
    for (unsigned i = 0; i < function_count; i++) {
        if (functions[i].vendor == vendor && functions[i].device == device)
            return &functions[i];
    }
    return NULL;
}

unsigned pci_bar_count(const struct pci_function *f)
{
    switch (f->header_type) {
    case PCI_HEADER_NORMAL:
        return PCI_BARS_NORMAL;
    case PCI_HEADER_BRIDGE:
        return PCI_BARS_BRIDGE;
    }
    return 0;
}

/* A memory BAR of the 64-bit type takes the next BAR for its upper half
 * (6.2.5.1). */
static bool is_64bit(uint32_t value)
{
    return !(value & PCI_BAR_SPACE_IO)
           && (value & PCI_BAR_MEM_TYPE_MASK) == PCI_BAR_MEM_TYPE_64;
}

bool pci_bar_is_upper_half(const struct pci_function *f, unsigned index)
{
    /* From BAR0 up, as lspci reads them: a 64-bit BAR skips the next. */
    unsigned i = 0;
    while (i < index)
        i += is_64bit(pci_config_read32(f->bdf, pci_bar_offset(i))) ? 2 : 1;
    return i > index;
}

void pci_bar_probe(const struct pci_function *f, unsigned index,
                   struct pci_bar *out)
{
    uint16_t at = pci_bar_offset(index);
    uint32_t value = pci_config_read32(f->bdf, at);
    bool wide = is_64bit(value) && index + 1 < pci_bar_count(f);
    uint32_t high = wide ? pci_config_read32(f->bdf, at + PCI_BAR_SIZE) : 0;

    /* While the BAR holds all ones the device would answer there: turn
     * its decoding off first, and let no interrupt handler touch it. */
    /* lab pci: begin bar-size */
    uint32_t flags = irq_save();
    uint16_t command = pci_config_read16(f->bdf, PCI_COMMAND);
    pci_config_write16(f->bdf, PCI_COMMAND,
                       command & ~(PCI_COMMAND_IO | PCI_COMMAND_MEMORY));
    pci_config_write32(f->bdf, at, PCI_BAR_SIZING_VALUE);
    uint32_t sized = pci_config_read32(f->bdf, at);
    pci_config_write32(f->bdf, at, value);
    uint32_t sized_high = 0;
    if (wide) {
        pci_config_write32(f->bdf, at + PCI_BAR_SIZE, PCI_BAR_SIZING_VALUE);
        sized_high = pci_config_read32(f->bdf, at + PCI_BAR_SIZE);
        pci_config_write32(f->bdf, at + PCI_BAR_SIZE, high);
    }
    pci_config_write16(f->bdf, PCI_COMMAND, command);
    irq_restore(flags);
    /* lab pci: end bar-size */

    pci_bar_decode(value, high, sized, sized_high, out);
}

bool pci_rom_probe(const struct pci_function *f, struct pci_rom *out)
{
    uint16_t at;
    switch (f->header_type) {
    case PCI_HEADER_NORMAL:
        at = PCI_ROM_ADDRESS;
        break;
    case PCI_HEADER_BRIDGE:
        at = PCI_ROM_ADDRESS_BRIDGE;
        break;
    default:
        *out = (struct pci_rom){ 0 };
        return false;
    }
    /* Sized as a BAR is, memory decode off meanwhile; the sizing value
     * keeps the enable bit 0, and the old value brings it back. */
    uint32_t flags = irq_save();
    uint32_t value = pci_config_read32(f->bdf, at);
    uint16_t command = pci_config_read16(f->bdf, PCI_COMMAND);
    pci_config_write16(f->bdf, PCI_COMMAND, command & ~PCI_COMMAND_MEMORY);
    pci_config_write32(f->bdf, at, PCI_ROM_SIZING_VALUE);
    uint32_t sized = pci_config_read32(f->bdf, at);
    pci_config_write32(f->bdf, at, value);
    pci_config_write16(f->bdf, PCI_COMMAND, command);
    irq_restore(flags);
    pci_rom_decode(value, sized, out);
    return out->present;
}

void pci_bar_set_address(const struct pci_function *f, unsigned index,
                         uint64_t address, enum pci_bar_kind kind)
{
    uint16_t at = pci_bar_offset(index);
    uint32_t flags = irq_save();
    uint16_t command = pci_config_read16(f->bdf, PCI_COMMAND);
    pci_config_write16(f->bdf, PCI_COMMAND, command & ~PCI_COMMAND_MEMORY);
    uint32_t low_bits = pci_config_read32(f->bdf, at) & ~PCI_BAR_MEM_MASK;
    pci_config_write32(f->bdf, at, ((uint32_t)address & PCI_BAR_MEM_MASK)
                                       | low_bits);
    if (kind == PCI_BAR_MEM64)
        pci_config_write32(f->bdf, at + PCI_BAR_SIZE,
                           (uint32_t)(address >> 32));
    pci_config_write16(f->bdf, PCI_COMMAND, command);
    bar_moves++;
    irq_restore(flags);
}

uint32_t pci_bar_moves(void)
{
    return bar_moves;
}

static uint8_t read8_of(void *ctx, uint16_t offset)
{
    const struct pci_function *f = ctx;
    return pci_config_read8(f->bdf, offset);
}

unsigned pci_function_capabilities(const struct pci_function *f,
                                   struct pci_capability *caps, unsigned max,
                                   const char **problem_out)
{
    /* The walk only reads; the cast drops const for the callback's sake. */
    return pci_capabilities(read8_of, (void *)(uintptr_t)f, caps, max,
                            problem_out);
}

uint8_t pci_find_capability(const struct pci_function *f, uint8_t id)
{
    struct pci_capability caps[PCI_CAP_MAX];
    const char *why;
    unsigned n = pci_function_capabilities(f, caps, PCI_CAP_MAX, &why);
    for (unsigned i = 0; i < n; i++) {
        if (caps[i].id == id)
            return caps[i].offset;
    }
    return 0;
}

void pci_enable(const struct pci_function *f, uint16_t command_bits)
{
    uint16_t command = pci_config_read16(f->bdf, PCI_COMMAND);
    pci_config_write16(f->bdf, PCI_COMMAND, command | command_bits);
}

bool pci_msi_enable(const struct pci_function *f, uint32_t address,
                    uint16_t data)
{
    uint8_t cap = pci_find_capability(f, PCI_CAP_ID_MSI);
    if (!cap)
        return false;
    uint16_t control = pci_config_read16(f->bdf, cap + PCI_MSI_CONTROL);
    /* Off while the message changes, so no half-written one is sent. */
    pci_config_write16(f->bdf, cap + PCI_MSI_CONTROL,
                       control & ~PCI_MSI_CONTROL_ENABLE);
    pci_config_write32(f->bdf, cap + PCI_MSI_ADDRESS_LO, address);
    if (control & PCI_MSI_CONTROL_64BIT) {
        pci_config_write32(f->bdf, cap + PCI_MSI_ADDRESS_HI, 0);
        pci_config_write16(f->bdf, cap + PCI_MSI_DATA_64, data);
    } else {
        pci_config_write16(f->bdf, cap + PCI_MSI_DATA_32, data);
    }
    pci_enable(f, PCI_COMMAND_INTX_DISABLE);
    control &= ~PCI_MSI_CONTROL_MME_MASK;
    pci_config_write16(f->bdf, cap + PCI_MSI_CONTROL,
                       control | PCI_MSI_CONTROL_ENABLE);
    return true;
}

void pci_msi_disable(const struct pci_function *f)
{
    uint8_t cap = pci_find_capability(f, PCI_CAP_ID_MSI);
    if (!cap)
        return;
    uint16_t control = pci_config_read16(f->bdf, cap + PCI_MSI_CONTROL);
    pci_config_write16(f->bdf, cap + PCI_MSI_CONTROL,
                       control & ~PCI_MSI_CONTROL_ENABLE);
    uint16_t command = pci_config_read16(f->bdf, PCI_COMMAND);
    pci_config_write16(f->bdf, PCI_COMMAND,
                       command & ~PCI_COMMAND_INTX_DISABLE);
}
