/*
 * `msi`: an interrupt that is a memory write (claim C8's other side). With
 * QEMU's edu device, the same raise three ways:
 *  - line: by its INTA# line, through the 8259 or the IO APIC, counted on
 *    that line by `irqs`;
 *  - ram:  MSI on, its message aimed at a word of kernel RAM: the device
 *    writes its data there, and nothing else happens;
 *  - apic: the same message aimed at the Local APIC (0xFEE00000 | APIC ID
 *    << 12): the very same write is now an interrupt on the vector its data
 *    names, counted by `irqs` beside the lines.
 * Without an argument, ram then apic.
 */
#include "drivers/edu.h"
#include "kernel/console.h"
#include "kernel/irq.h"
#include "kernel/lib/klib.h"
#include "kernel/lib/msi.h"
#include "kernel/lib/units.h"
#include "kernel/monitor/monitor.h"
#include "kernel/paging.h"
#include "kernel/timeout.h"

/* What `msi` writes into the raise register: it lands in the interrupt
 * status, which the handler reads back. Any bit but the factorial's (0x1)
 * and the DMA's (0x100), edu.c's own. */
#define MSI_DEMO_RAISE 0x4u
/* The RAM word before the device writes it: anything the data is not. */
#define MSI_RAM_POISON 0xDEADBEEFu
/* QEMU delivers at once; a real bus posts the write: give it 100 ms. */
#define MSI_WAIT_US 100000u

/* The word the device writes when its message is aimed at RAM. The kernel
 * is identity-mapped, so its address is the physical one: paging_entry
 * says so. */
static volatile uint32_t msi_target;

static uint32_t target_phys(void)
{
    uint32_t va = (uint32_t)(uintptr_t)&msi_target;
    return (paging_entry(va) & PTE_FRAME_MASK) | (va & ~PTE_FRAME_MASK);
}

/* Raises the edu's interrupt and waits, bounded, for its handler. True
 * when it ran. */
static bool raise_and_wait(void)
{
    uint32_t before = edu_interrupts();
    edu_raise(MSI_DEMO_RAISE);
    struct timeout t = timeout_start_us(MSI_WAIT_US);
    while (edu_interrupts() == before)
        if (timeout_expired(&t))
            return false;
    return true;
}

static void print_message(const struct irq_msi *m)
{
    struct msi_view v = msi_decode(m->address, m->data);
    kprintf("vector 0x%02x claimed; its message: address 0x%08x, data "
            "0x%04x\n", m->vector, m->address, m->data);
    kprintf("  address bits 31-20 0x%03x: %s; 19-12 destination APIC ID %u;"
            "\n    bit 3 RH %u; bit 2 DM %u: %s\n", v.top,
            v.to_lapic ? "the Local APIC" : "not the Local APIC", v.dest,
            v.redirection_hint, v.logical, v.logical ? "logical" : "physical");
    kprintf("  data bits 7-0 vector 0x%02x; 10-8 delivery mode %u: %s;\n"
            "    bit 15 trigger mode %u: %s\n", v.vector, v.delivery,
            v.delivery_name, v.level_triggered,
            v.level_triggered ? "level" : "edge");
}

static bool msi_ram(const struct irq_msi *m)
{
    const char *why;
    uint32_t phys = target_phys();
    msi_target = MSI_RAM_POISON;
    if (!edu_msi_aim(phys, m->data, &why)) {
        monitor_error("msi: %s", why);
        return false;
    }
    kprintf("ram: MSI aimed at 0x%08x, a kernel word holding 0x%08x\n",
            phys, msi_target);
    uint32_t before = irq_msi_count(m->vector - IRQ_MSI_VECTOR_BASE);
    edu_raise(MSI_DEMO_RAISE);
    struct timeout t = timeout_start_us(MSI_WAIT_US);
    while (msi_target == MSI_RAM_POISON)
        if (timeout_expired(&t)) {
            edu_ack(MSI_DEMO_RAISE);
            monitor_error("msi: the edu wrote nothing at 0x%08x in %u ms",
                          phys, MSI_WAIT_US / US_PER_MS);
            return false;
        }
    edu_ack(MSI_DEMO_RAISE);
    kprintf("  raise: the edu wrote 0x%08x there, its message data;\n"
            "    vector 0x%02x: %u -> %u interrupts (RAM interrupts nobody)\n",
            msi_target, m->vector, before,
            irq_msi_count(m->vector - IRQ_MSI_VECTOR_BASE));
    return true;
}

static bool msi_apic(const struct irq_msi *m)
{
    const char *why;
    if (!edu_msi_aim(m->address, m->data, &why)) {
        monitor_error("msi: %s", why);
        return false;
    }
    unsigned slot = m->vector - IRQ_MSI_VECTOR_BASE;
    kprintf("apic: MSI aimed at 0x%08x, the Local APIC\n", m->address);
    uint32_t before = irq_msi_count(slot);
    if (!raise_and_wait()) {
        edu_ack(MSI_DEMO_RAISE);
        monitor_error("msi: no interrupt on vector 0x%02x in %u ms",
                      m->vector, MSI_WAIT_US / US_PER_MS);
        return false;
    }
    kprintf("  raise: vector 0x%02x: %u -> %u interrupts; the handler "
            "acknowledged\n    interrupt status 0x%08x\n", m->vector, before,
            irq_msi_count(slot), edu_last_status());
    return true;
}

static void msi_line(void)
{
    const char *why;
    if (!edu_use_intx(&why)) {
        monitor_error("msi: %s", why);
        return;
    }
    unsigned line = edu_view().intx_line;
    enum irq_controller by = irq_active();
    kprintf("line: MSI off; INTA# on ISA line %u (the interrupt line "
            "register),\n    through the %s\n", line, irq_controller_name(by));
    uint32_t before = irq_count(line, by);
    if (!raise_and_wait()) {
        edu_ack(MSI_DEMO_RAISE);
        monitor_error("msi: no interrupt on line %u in %u ms", line,
                      MSI_WAIT_US / US_PER_MS);
        return;
    }
    kprintf("  raise: line %u: %u -> %u interrupts; the handler "
            "acknowledged\n    interrupt status 0x%08x\n", line, before,
            irq_count(line, by), edu_last_status());
}

static void cmd_msi(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "";
    bool ram = !*mode || !strcmp(mode, "ram");
    bool apic = !*mode || !strcmp(mode, "apic");
    bool line = !strcmp(mode, "line");
    if (!ram && !apic && !line) {
        monitor_error("usage: msi [line|ram|apic]");
        return;
    }
    const char *why;
    struct irq_msi m;
    if (!edu_init(&why) || (!line && !edu_msi_claim(&m, &why))) {
        monitor_error("msi: %s", why);
        return;
    }
    struct edu_view e = edu_view();
    kprintf("edu at %02x:%02x.%x (%04x:%04x, version %u.%u): BAR0 0x%08x, "
            "size 0x%x\n  MSI capability at 0x%02x, %s address\n",
            PCI_BDF_BUS(e.bdf), PCI_BDF_DEV(e.bdf), PCI_BDF_FN(e.bdf),
            EDU_VENDOR_ID, EDU_DEVICE_ID, e.version_major, e.version_minor,
            e.bar0, e.bar0_size, e.msi_cap,
            e.msi_64bit ? "64-bit" : "32-bit");
    if (line) {
        msi_line();
        return;
    }
    print_message(&m);
    if (ram && !msi_ram(&m))
        return;
    if (apic)
        msi_apic(&m);
}

const struct command msi_commands[] = {
    { "msi", "[line|ram|apic]",
      "edu's interrupt by INTx line, or as a message to RAM and to the "
      "Local APIC", 1, 2, cmd_msi },
    { 0, 0, 0, 0, 0, 0 },
};
