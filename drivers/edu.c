/*
 * QEMU's edu device: found by its IDs, its registers reached with `mov` in
 * BAR0, its interrupt raised on demand, by INTA# or by MSI.
 *
 * The registers (QEMU's docs/specs/edu.rst, "MMIO area spec"; hw/misc/
 * edu.c): only 32-bit accesses below 0x80, 32 or 64 bits from 0x80 on.
 */
#include "drivers/edu.h"

#include "drivers/pci.h"
#include "io/mmio.h"
#include "kernel/irq.h"
#include "kernel/paging.h"

#define EDU_ID 0x00             /* RO: identification 0xRRrr00ed */
#define EDU_ID_MAJOR_SHIFT 24   /*   RR: major version */
#define EDU_ID_MINOR_SHIFT 16   /*   rr: minor version */
#define EDU_ID_VERSION_MASK 0xFFu
#define EDU_ID_SIGNATURE_MASK 0xFFFFu
#define EDU_ID_SIGNATURE 0x00EDu
#define EDU_LIVENESS 0x04       /* RW: reads back the inverse of a write */
#define EDU_FACTORIAL 0x08      /* RW: n in, n! out */
#define EDU_STATUS 0x20         /* RW: bit 0 computing (RO), bit 7 raise an
                                 * interrupt when the factorial is done */
#define EDU_IRQ_STATUS 0x24     /* RO: the bits that raised the interrupt */
#define EDU_IRQ_RAISE 0x60      /* WO: OR into IRQ_STATUS and interrupt */
#define EDU_IRQ_ACK 0x64        /* WO: clear from IRQ_STATUS */
#define EDU_DMA_SOURCE 0x80     /* RW: DMA source address */
#define EDU_DMA_DEST 0x88       /* RW: DMA destination address */
#define EDU_DMA_COUNT 0x90      /* RW: DMA transfer count */
#define EDU_DMA_COMMAND 0x98    /* RW: start, direction, interrupt */

/* The registers all lie in BAR0's first page: only it is mapped. */
#define EDU_REGISTERS_SIZE 0x1000u
/* The liveness register inverts what is written: any pattern will do. */
#define EDU_LIVENESS_PATTERN 0x12345678u

static const char *edu_reg_name(uint32_t addr, bool write, uint32_t value);

/* The driver's name, on its IRQ line, its MSI vector and its trace. */
static const char edu_name[] = "edu";

static struct io_trace_device trace_edu = {
    edu_name, IO_MMIO, 0, 0, edu_reg_name,
};

static const struct pci_function *fn;
static uintptr_t regs;
static struct edu_view view;
static const char *problem;         /* set once edu_init has run */
static bool msi_claimed;
static struct irq_msi msi;
/* Written by the handler, read by the monitor while it waits. */
static volatile uint32_t interrupts, last_status;

static uint32_t edu_read(uint32_t reg)
{
    return mmio_read32(regs + reg);
}

static void edu_write(uint32_t reg, uint32_t v)
{
    mmio_write32(regs + reg, v);
}

static const char *edu_reg_name(uint32_t addr, bool write, uint32_t value)
{
    (void)write;
    (void)value;
    switch (addr - regs) {
    case EDU_ID: return "identification";
    case EDU_LIVENESS: return "liveness";
    case EDU_FACTORIAL: return "factorial";
    case EDU_STATUS: return "status";
    case EDU_IRQ_STATUS: return "interrupt status";
    case EDU_IRQ_RAISE: return "interrupt raise";
    case EDU_IRQ_ACK: return "interrupt acknowledge";
    case EDU_DMA_SOURCE: return "DMA source";
    case EDU_DMA_DEST: return "DMA destination";
    case EDU_DMA_COUNT: return "DMA count";
    case EDU_DMA_COMMAND: return "DMA command";
    }
    return 0;
}

static const char *find_and_map(void)
{
    fn = pci_find_device(EDU_VENDOR_ID, EDU_DEVICE_ID);
    if (!fn)
        return "no edu device (QEMU: -device edu)";
    struct pci_bar bar;
    pci_bar_probe(fn, 0, &bar);
    if (bar.kind == PCI_BAR_UNUSED || bar.kind == PCI_BAR_IO
        || bar.address == 0 || bar.address >> 32)
        return "the edu's BAR0 holds no memory window below 4 GiB";
    if (!paging_map_mmio((uint32_t)bar.address, EDU_REGISTERS_SIZE))
        return "no page table left to map the edu's BAR0";
    regs = (uintptr_t)bar.address;
    trace_edu.first = (uint32_t)regs;
    trace_edu.last = (uint32_t)regs + EDU_REGISTERS_SIZE - 1;
    io_trace_add_device(&trace_edu);
    pci_enable(fn, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);

    edu_write(EDU_LIVENESS, EDU_LIVENESS_PATTERN);
    uint32_t id = edu_read(EDU_ID);
    if (edu_read(EDU_LIVENESS) != ~EDU_LIVENESS_PATTERN
        || (id & EDU_ID_SIGNATURE_MASK) != EDU_ID_SIGNATURE)
        return "the edu does not answer in BAR0 (liveness check failed)";

    uint8_t cap = pci_find_capability(fn, PCI_CAP_ID_MSI);
    view = (struct edu_view){
        .bdf = fn->bdf,
        .bar0 = (uint32_t)bar.address,
        .bar0_size = (uint32_t)bar.size,
        .version_major = (uint8_t)(id >> EDU_ID_MAJOR_SHIFT
                                   & EDU_ID_VERSION_MASK),
        .version_minor = (uint8_t)(id >> EDU_ID_MINOR_SHIFT
                                   & EDU_ID_VERSION_MASK),
        .msi_cap = cap,
        .msi_64bit = cap && (pci_config_read16(fn->bdf, cap + PCI_MSI_CONTROL)
                             & PCI_MSI_CONTROL_64BIT),
        .intx_line = pci_config_read8(fn->bdf, PCI_INTERRUPT_LINE),
    };
    return 0;
}

bool edu_init(const char **why)
{
    static bool done;
    if (!done) {
        problem = find_and_map();
        done = true;
    }
    *why = problem;
    return !problem;
}

struct edu_view edu_view(void)
{
    return view;
}

uint32_t edu_interrupts(void)
{
    return interrupts;
}

uint32_t edu_last_status(void)
{
    return last_status;
}

void edu_raise(uint32_t bits)
{
    edu_write(EDU_IRQ_RAISE, bits);
}

uint32_t edu_irq_status(void)
{
    return edu_read(EDU_IRQ_STATUS);
}

void edu_ack(uint32_t bits)
{
    edu_write(EDU_IRQ_ACK, bits);
}

/* Both ways in: read which bits raised it and acknowledge them (with MSI
 * too: edu.rst asks it, or the status keeps them). */
static void edu_handle(void)
{
    uint32_t status = edu_irq_status();
    edu_ack(status);
    last_status = status;
    interrupts++;
}

static void edu_msi_handler(void *ctx)
{
    (void)ctx;
    edu_handle();
}

bool edu_use_intx(const char **why)
{
    uint8_t line = view.intx_line;
    if (line >= IRQ_LINES) {
        *why = "the edu's interrupt line register names no ISA line";
        return false;
    }
    const char *owner = irq_name(line);
    if (owner && owner != edu_name) {
        *why = "another driver has the edu's interrupt line";
        return false;
    }
    pci_msi_disable(fn);
    irq_register(line, edu_name, edu_handle);
    return true;
}

bool edu_msi_aim(uint32_t address, uint16_t data, const char **why)
{
    if (!pci_msi_enable(fn, address, data)) {
        *why = "the edu has no MSI capability";
        return false;
    }
    return true;
}

bool edu_msi_claim(struct irq_msi *msg, const char **why)
{
    if (!msi_claimed
        && !irq_msi_alloc(edu_name, edu_msi_handler, 0, &msi, why))
        return false;
    msi_claimed = true;
    *msg = msi;
    return true;
}
