#include "kernel/monitor/portmap.h"

#include "drivers/ata.h"
#include "drivers/debugexit.h"
#include "drivers/dma8237.h"
#include "drivers/floppy.h"
#include "drivers/kbd8042.h"
#include "drivers/pci.h"
#include "drivers/pic8259.h"
#include "drivers/pit8254.h"
#include "drivers/rtc.h"
#include "drivers/serial.h"
#include "drivers/vga.h"
#include "drivers/vga_bar.h"
#include "io/port.h"
#include "kernel/lib/klib.h"

/*
 * The fixed I/O ports iospace touches, by the names their drivers give
 * them: the PC/AT's, fixed since 1984 (IBM Personal Computer AT Technical
 * Reference, "System I/O Address Map"), the VGA's (IBM VGA Technical
 * Reference; the Bochs VBE ports of QEMU's standard VGA,
 * docs/specs/standard-vga.rst), the floppy's (Intel 82077AA data sheet),
 * the IDE channel's (ATA/ATAPI-6); the PCI
 * configuration ports from the PCI Local Bus Specification,
 * "Configuration Mechanism #1"; QEMU's exit device as iospace's
 * -device isa-debug-exit,iobase=0xf4 places it. Sorted, none overlapping.
 */

const struct portmap_range portmap[] = {
    { DMA1_BASE, DMA1_PORTS_LAST, PORTMAP_IN_OUT,
      "8237 DMA 1: channels 0-3", "drivers/dma8237.c" },
    { PIC1_COMMAND, PIC1_DATA, PORTMAP_IN_OUT,
      "8259 PIC, master: command, data", "drivers/pic8259.c" },
    { PIT_CHANNEL0, PIT_COMMAND, PORTMAP_IN_OUT,
      "8254 PIT: channels 0-2, mode", "drivers/pit8254.c" },
    { KBD_DATA_PORT, KBD_DATA_PORT, PORTMAP_IN_OUT,
      "8042 keyboard controller: data", "drivers/kbd8042.c" },
    { PORT_B, PORT_B, PORTMAP_IN_OUT,
      "port B: PIT 2 gate, speaker", "drivers/pit8254.c" },
    { KBD_STATUS_PORT, KBD_COMMAND_PORT, PORTMAP_IN_OUT,
      "8042: status (in), command (out)", "drivers/kbd8042.c" },
    { RTC_INDEX_PORT, RTC_DATA_PORT, PORTMAP_IN_OUT,
      "MC146818 RTC/CMOS: index, data", "drivers/rtc.c" },
    { IO_WAIT_PORT, IO_WAIT_PORT, PORTMAP_OUT,
      "POST code: io_wait's delay", "io/port.h" },
    { PAGE_PORTS_FIRST, PAGE_PORTS_LAST, PORTMAP_IN_OUT,
      "DMA page registers (74LS612)", "drivers/dma8237.c" },
    { PIC2_COMMAND, PIC2_DATA, PORTMAP_IN_OUT,
      "8259 PIC, slave: command, data", "drivers/pic8259.c" },
    { DMA2_BASE, DMA2_PORTS_LAST, PORTMAP_IN_OUT,
      "8237 DMA 2: channels 4-7", "drivers/dma8237.c" },
    { DEBUGEXIT_PORT, DEBUGEXIT_PORT, PORTMAP_OUT,
      "QEMU isa-debug-exit", "drivers/debugexit.c" },
    { VBE_DISPI_INDEX_PORT, VBE_DISPI_PORTS_LAST, PORTMAP_IN_OUT,
      "Bochs VBE (std VGA): index, data", "drivers/vga_bar.c" },
    { ATA_BASE, ATA_LAST, PORTMAP_IN_OUT,
      "IDE primary channel: task file", "drivers/ata.c" },
    { VGA_PORTS_FIRST, VGA_PORTS_LAST, PORTMAP_IN_OUT,
      "VGA: sequencer, GC, CRTC, DAC", "drivers/vga.c" },
    /* The floppy controller skips 0x3F6: the hard disk controller's. */
    { FDC_BASE, FDC_FIFO, PORTMAP_IN_OUT,
      "82077AA floppy disk controller", "drivers/floppy.c" },
    { ATA_CONTROL_PORT, ATA_CONTROL_PORT, PORTMAP_IN_OUT,
      "IDE primary: alt status, control", "drivers/ata.c" },
    { FDC_DIR, FDC_CCR, PORTMAP_IN_OUT,
      "82077AA: DIR (in), CCR (out)", "drivers/floppy.c" },
    { COM1_BASE, COM1_BASE + COM1_PORTS - 1, PORTMAP_IN_OUT,
      "16550 UART, COM1", "drivers/serial.c" },
    /* The PCI core's mechanism #1, 32-bit ports; the monitor's inl and
     * outl reach them too (outl 0xcf8 0x80000000, then inl 0xcfc: the
     * host bridge's vendor and device IDs). */
    { PCI_CONFIG_ADDRESS, PCI_CONFIG_DATA + PCI_CONFIG_DATA_SIZE - 1,
      PORTMAP_IN_OUT, "PCI configuration: address, data", "drivers/pci.c" },
};

const unsigned portmap_count = ARRAY_SIZE(portmap);

_Static_assert(ARRAY_SIZE(portmap) <= PORTMAP_FIXED_MAX,
               "struct portmap_table has no room for the fixed ranges");

/* The driver that reaches this window: the bus-master path at the IDE
 * function's BAR4, as long as the BAR still holds the port the driver
 * read at boot (a configuration write through 0xCF8/0xCFC may move it;
 * the driver would not follow). */
static const char *window_driver(const struct pci_function *f,
                                 unsigned index, const struct pci_bar *bar)
{
    pci_bdf bdf;
    unsigned bar_index;
    uint16_t port;

    if (ata_dma_window(&bdf, &bar_index, &port) && bdf == f->bdf
        && bar_index == index && port == bar->address)
        return "drivers/ata_dma.c";
    return PORTMAP_NO_DRIVER;
}

static void add_window(struct portmap_table *t,
                       struct portmap_range *windows,
                       const struct pci_function *f, unsigned index,
                       const struct pci_bar *bar)
{
    if (t->windows == PORTMAP_PCI_WINDOWS_MAX) {
        t->pci_truncated = true;
        return;
    }
    char *label = t->labels[t->windows];
    memmap_pci_label(label, f, index, PCI_COMMAND_IO);
    windows[t->windows++] = (struct portmap_range){
        (uint16_t)bar->address, (uint16_t)(bar->address + bar->size - 1),
        PORTMAP_IN_OUT, label, window_driver(f, index, bar) };
}

void portmap_collect(struct portmap_table *t)
{
    struct portmap_range windows[PORTMAP_PCI_WINDOWS_MAX];

    t->windows = 0;
    t->pci_truncated = false;
    for (unsigned i = 0; pci_present() && i < pci_function_count(); i++) {
        const struct pci_function *f = pci_function_at(i);
        for (unsigned b = 0; b < pci_bar_count(f); b++) {
            struct pci_bar bar;
            pci_bar_probe(f, b, &bar);
            /* An I/O BAR may hold 32 bits, but in and out reach ports
             * 0-0xFFFF only: a window placed above is out of reach. */
            if (bar.kind == PCI_BAR_IO && bar.address && bar.size
                && bar.address + bar.size <= PORTMAP_SPACE_SIZE)
                add_window(t, windows, f, b, &bar);
            if (bar.kind == PCI_BAR_MEM64)
                b++;    /* the next BAR held the upper half */
        }
    }
    portmap_sort(windows, t->windows);
    t->window_ports = portmap_ports_used(windows, t->windows);
    t->n = portmap_merge(portmap, portmap_count, windows, t->windows,
                         t->rows, PORTMAP_ROWS_MAX);
}
