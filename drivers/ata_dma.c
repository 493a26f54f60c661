/*
 * The ATA driver's bus-master DMA read path (claim C7, first-party DMA):
 * the IDE controller itself writes the sectors into memory, as a PCI bus
 * master. Where the floppy's 8237 (third-party DMA) moves a byte for the
 * floppy controller each time it asks, here the controller that holds the
 * data is the one that drives the memory bus: the CPU writes a table of
 * memory regions (PRDs, kernel/lib/prd.h), points the controller at it,
 * sends READ DMA to the disk and starts the engine, then sleeps until
 * IRQ 14. It does not touch a byte of the data.
 *
 * The engine's registers (BMIDE: command, status, PRD table pointer) are
 * I/O ports, but not fixed ones: they sit where the IDE function's BAR4
 * says, an address the firmware chose, read here through the PCI core
 * (drivers/pci.h). The engine writes memory only while the function's
 * PCI command register has Bus Master Enable (bit 2) set.
 *
 * Reference: Intel 82371AB (PIIX4) data sheet, 5.2 "IDE Controller IO
 * Space Registers" (BMICX, BMISX, BMIDTPX) and "Bus Master IDE
 * Operation"; the 82371FB/SB (PIIX/PIIX3) data sheet, whose PIIX3 QEMU's
 * `pc` models, has the same registers; PCI IDE Controller Specification
 * 1.0 (the programming interface byte); ATA/ATAPI-6, READ DMA and the DMA
 * data-in protocol.
 */
#include "drivers/ata_channel.h"

#include "drivers/pci.h"
#include "io/port.h"
#include "io/trace.h"
#include "kernel/lib/fmt.h"
#include "kernel/lib/prd.h"
#include "kernel/paging.h"

/* The IDE function (PCI Code and ID Assignment specification: class 01h,
 * mass storage; subclass 01h, IDE) and its programming interface byte
 * (PCI IDE Controller Specification): bit 0 set would put the primary
 * channel in native mode, at BAR0/BAR1 instead of 0x1F0/0x3F6; bit 7 says
 * the function can be a bus master. */
#define PCI_CLASS_MASS_STORAGE 0x01
#define PCI_SUBCLASS_IDE 0x01
#define IDE_PROGIF_PRIMARY_NATIVE 0x01
#define IDE_PROGIF_BUS_MASTER 0x80
#define IDE_BAR_BMIDE 4             /* BAR4: BMIBA, 16 ports */

/* The primary channel's registers, offsets from BAR4 (the secondary's
 * are 8 further on). */
#define BMIC 0                      /* command (8 bits) */
#define BMIS 2                      /* status (8 bits) */
#define BMIDTP 4                    /* PRD table pointer (32 bits) */
#define BMIDE_PRIMARY_PORTS 8

/* BMICX bits. RWCON names the direction from the bus master's side: 1,
 * "writes", writes memory, which a disk read needs. */
#define BMIC_SSBM 0x01              /* start (1) / stop (0) bus master */
#define BMIC_RWCON_WRITE 0x08

/* BMISX bits. */
#define BMIS_ACTIVE 0x01            /* BMIDEA: still moving data */
#define BMIS_ERROR 0x02             /* a PCI target or master abort; R/WC */
#define BMIS_INTERRUPT 0x04         /* IDEINTS: INTRQ asserted; R/WC */

#define ATA_CMD_READ_DMA 0xC8

/* Room for a 128 KiB read (256 sectors) anywhere: at most three 64 KiB
 * blocks touched, and a fourth entry to spare. Aligned to its own size,
 * the table cannot cross a 64 KiB boundary. */
#define PRD_ENTRIES 4
#define PRD_TABLE_BYTES (PRD_ENTRIES * PRD_ENTRY_BYTES)

static struct prd prd_table[PRD_ENTRIES]
    __attribute__((aligned(PRD_TABLE_BYTES)));
static bool ready;
static uint16_t bmide;              /* BAR4's port: BMIC of the primary */
static pci_bdf bmide_function;      /* the IDE function that holds BAR4 */
static char problem[120];

static void bm_out8(uint16_t reg, uint8_t v)
{
    ata_out8((uint16_t)(bmide + reg), v);
}

static uint8_t bm_in8(uint16_t reg)
{
    return ata_in8((uint16_t)(bmide + reg));
}

/* Register names for the I/O trace: BAR4's ports, known after init. */
static const char *bmide_reg_name(uint32_t port, bool write, uint32_t value)
{
    (void)write;
    (void)value;
    switch (port - bmide) {
    case BMIC:
        return "BMIC command";
    case BMIS:
        return "BMIS status";
    case BMIDTP:
        return "BMIDTP PRD table";
    }
    return 0;
}

static struct io_trace_device trace_bmide = {
    "bmide", IO_PMIO, 0, 0, bmide_reg_name,
};

bool ata_dma_init(void)
{
    const struct pci_function *f =
        pci_find_class(PCI_CLASS_MASS_STORAGE, PCI_SUBCLASS_IDE);
    struct pci_bar bar;

    if (!f) {
        fmt_snprintf(problem, sizeof problem, "no PCI IDE function (class "
                     "%02x, subclass %02x): no bus master",
                     PCI_CLASS_MASS_STORAGE, PCI_SUBCLASS_IDE);
        return false;
    }
    if (f->prog_if & IDE_PROGIF_PRIMARY_NATIVE
        || !(f->prog_if & IDE_PROGIF_BUS_MASTER)) {
        fmt_snprintf(problem, sizeof problem, "the IDE function at "
                     "%02x:%02x.%x (programming interface 0x%02x) is not a "
                     "bus master for the legacy primary channel",
                     PCI_BDF_BUS(f->bdf), PCI_BDF_DEV(f->bdf),
                     PCI_BDF_FN(f->bdf), f->prog_if);
        return false;
    }
    pci_bar_probe(f, IDE_BAR_BMIDE, &bar);
    if (bar.kind != PCI_BAR_IO || bar.address == 0) {
        fmt_snprintf(problem, sizeof problem, "BAR4 of the IDE function at "
                     "%02x:%02x.%x holds no I/O ports: no bus master",
                     PCI_BDF_BUS(f->bdf), PCI_BDF_DEV(f->bdf),
                     PCI_BDF_FN(f->bdf));
        return false;
    }
    bmide = (uint16_t)bar.address;
    bmide_function = f->bdf;
    /* The ports decoded, and the function allowed to master the bus. */
    pci_enable(f, PCI_COMMAND_IO | PCI_COMMAND_MASTER);
    trace_bmide.first = bmide;
    trace_bmide.last = bmide + BMIDE_PRIMARY_PORTS - 1;
    io_trace_add_device(&trace_bmide);
    fmt_snprintf(problem, sizeof problem, "PCI %02x:%02x.%x BAR4: BMIDE at "
                 "ports 0x%04x-0x%04x, bus master enabled",
                 PCI_BDF_BUS(f->bdf), PCI_BDF_DEV(f->bdf), PCI_BDF_FN(f->bdf),
                 trace_bmide.first, trace_bmide.last);
    ready = true;
    return true;
}

const char *ata_dma_text(void)
{
    return problem;
}

bool ata_dma_window(pci_bdf *bdf, unsigned *index, uint16_t *port)
{
    *bdf = bmide_function;
    *index = IDE_BAR_BMIDE;
    *port = bmide;
    return ready;
}

bool ata_controller_present(void)
{
    return pci_find_class(PCI_CLASS_MASS_STORAGE, PCI_SUBCLASS_IDE) != 0;
}

bool ata_bmide_ports(uint16_t *first, uint16_t *last)
{
    if (!ready)
        return false;
    *first = bmide;
    *last = (uint16_t)(bmide + BMIDE_PRIMARY_PORTS - 1);
    return true;
}

/* The controller drives physical addresses; the kernel maps itself 1:1,
 * but a buffer is usable only if every page of it really is. */
static bool identity_mapped(uint32_t addr, uint32_t len)
{
    for (uint32_t page = addr & PTE_FRAME_MASK;
         page <= ((addr + len - 1) & PTE_FRAME_MASK); page += PAGE_SIZE) {
        uint32_t entry = paging_entry(page);
        if (!entry || (entry & PTE_FRAME_MASK) != page)
            return false;
    }
    return true;
}

/* Stops the engine and clears its status bits (write 1 to clear). */
static uint8_t stop_engine(void)
{
    /* lab busmaster: begin stop */
    bm_out8(BMIC, BMIC_RWCON_WRITE);
    uint8_t status = bm_in8(BMIS);
    bm_out8(BMIS, BMIS_ERROR | BMIS_INTERRUPT);
    return status;
    /* lab busmaster: end stop */
}

enum ata_status ata_dma_read(uint32_t lba, uint32_t count, void *buf,
                             uint32_t *prds)
{
    const char *name = "READ DMA";
    uint32_t phys = (uint32_t)(uintptr_t)buf;
    uint32_t len = count * ATA_SECTOR_SIZE;
    unsigned used = 0;
    uint8_t status;

    if (!ready)
        return ata_fail(ATA_ERR_NO_DMA, "%s", problem);
    /* lab busmaster: begin prd */
    enum prd_status ps = prd_check_table((uint32_t)(uintptr_t)prd_table,
                                         PRD_ENTRIES);
    if (ps == PRD_OK)
        ps = prd_build(phys, len, prd_table, PRD_ENTRIES, &used);
    if (ps != PRD_OK)
        return ata_fail(ATA_ERR_FAILED, "DMA buffer: %s", prd_status_text(ps));
    /* lab busmaster: end prd */
    if (!identity_mapped(phys, len))
        return ata_fail(ATA_ERR_FAILED, "DMA buffer: not identity-mapped (the "
                        "bus master needs physical addresses)");
    *prds = used;

    /* The engine, stopped, is told where its program is and which way
     * the data goes; then the disk gets the command, then the engine
     * starts. The "memory" clobber of every out keeps the table's
     * stores before them. */
    /* lab busmaster: begin start */
    ata_out32((uint16_t)(bmide + BMIDTP), (uint32_t)(uintptr_t)prd_table);
    stop_engine();
    ata_expect_irq();
    enum ata_status st = ata_issue_lba28(ATA_CMD_READ_DMA, name, lba, count);
    if (st != ATA_OK)
        return st;
    bm_out8(BMIC, BMIC_RWCON_WRITE | BMIC_SSBM);
    /* lab busmaster: end start */
    st = ata_wait_irq(name);
    /* Stopped whatever happened, so that a stuck transfer writes no
     * more; its status says how it ended. */
    uint8_t bm = stop_engine();
    if (st != ATA_OK && (bm & BMIS_INTERRUPT))
        return ata_fail(ATA_ERR_FAILED, "%s: the transfer ended (BMIS 0x%02x: "
                        "interrupt) but IRQ %u never arrived: is the line "
                        "masked?", name, bm, ATA_IRQ);
    if (st != ATA_OK)
        return st;
    st = ata_wait_done(name, &status);
    if (st != ATA_OK)
        return st;
    if (bm & BMIS_ERROR)
        return ata_fail(ATA_ERR_FAILED, "%s: the bus master hit a PCI abort "
                        "(BMIS 0x%02x)", name, bm);
    if (!(bm & BMIS_INTERRUPT) || (bm & BMIS_ACTIVE))
        return ata_fail(ATA_ERR_FAILED, "%s: IRQ %u came but the engine says "
                        "BMIS 0x%02x (not done)", name, ATA_IRQ, bm);
    return ATA_OK;
}
