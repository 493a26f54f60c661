/*
 * `bar B:D.F N [ADDR]`: one window of a PCI function, and moving it
 * (claims C5, C6). A Base Address Register holds where the function's
 * registers or memory answer; the firmware chose the address, and any
 * software may write another: the device then answers there, and nothing
 * answers at the old address. The new place is checked first against
 * everything else that answers in the memory space (kernel/monitor/
 * memmap.c: RAM, ROM, the kernel, the fixed device windows, the other
 * BARs) by addrmap_fit() in kernel/lib/addrmap.c.
 */
#include "drivers/pci.h"
#include "drivers/vga_bar.h"
#include "kernel/console.h"
#include "kernel/lib/addrmap.h"
#include "kernel/lib/pci_config.h"
#include "kernel/monitor/memmap.h"
#include "kernel/monitor/monitor.h"
#include "kernel/paging.h"

#include <stddef.h>

/* The largest BAR index the command parses before it asks the function
 * how many it has. */
#define BAR_INDEX_PARSE_MAX 0xFFu

static void print_bdf(pci_bdf bdf)
{
    kprintf("%02x:%02x.%x", PCI_BDF_BUS(bdf), PCI_BDF_DEV(bdf),
            PCI_BDF_FN(bdf));
}

/* The function at bdf, or an error line saying why there is none. */
static const struct pci_function *function_arg(const char *s)
{
    pci_bdf bdf;
    if (!monitor_arg_bdf("bar", s, &bdf))
        return NULL;
    const struct pci_function *f = pci_find(bdf);
    if (f)
        return f;
    uint16_t vendor = pci_config_read16(bdf, PCI_VENDOR_ID);
    if (vendor == PCI_VENDOR_NONE)
        monitor_error("bar: no function at %s: its vendor ID reads 0x%04x "
                      "(nothing answers; lspci lists those there are)", s,
                      vendor);
    else
        monitor_error("bar: %s (vendor 0x%04x) was not found by the scan",
                      s, vendor);
    return NULL;
}

/* BAR N of f, or an error line: past the function's BARs, or the upper
 * half of a 64-bit one. */
static bool index_arg(const struct pci_function *f, const char *s,
                      uint32_t *index)
{
    unsigned count = pci_bar_count(f);
    if (!monitor_arg_number("bar", "N", s, BAR_INDEX_PARSE_MAX, index))
        return false;
    if (count == 0) {
        monitor_error("bar: header type %u has no BARs iospace knows",
                      f->header_type);
        return false;
    }
    if (*index >= count) {
        monitor_error("bar: N %u is over %u: %s (header %u) has BARs 0-%u",
                      *index, count - 1,
                      f->header_type == PCI_HEADER_BRIDGE
                          ? "a PCI-to-PCI bridge" : "a device",
                      f->header_type, count - 1);
        return false;
    }
    if (pci_bar_is_upper_half(f, *index)) {
        monitor_error("bar: BAR%u holds the upper 32 bits of the 64-bit "
                      "BAR%u: not a window of its own (use N %u)", *index,
                      *index - 1, *index - 1);
        return false;
    }
    return true;
}

static void print_bar(const struct pci_function *f, unsigned index,
                      const struct pci_bar *bar)
{
    char size[24];
    uint16_t command = pci_config_read16(f->bdf, PCI_COMMAND);

    print_bdf(f->bdf);
    if (bar->kind == PCI_BAR_UNUSED) {
        kprintf(" BAR%u: unused (it reads back 0 after all ones are "
                "written: the function has no window here)\n", index);
        return;
    }
    addrmap_format_size(bar->size, size, sizeof size);
    if (bar->kind == PCI_BAR_IO) {
        kprintf(" BAR%u: I/O ports 0x%04x-0x%04x (%u ports)\n", index,
                (uint32_t)bar->address,
                (uint32_t)(bar->address + bar->size - 1),
                (uint32_t)bar->size);
        kprintf("  I/O decoding (command bit 0) %s: %s %04x:%04x answers "
                "there, with in/out\n",
                command & PCI_COMMAND_IO ? "on" : "off, so nothing",
                pci_class_name(f->class_code, f->subclass), f->vendor,
                f->device);
        return;
    }
    kprintf(" BAR%u: %s 0x%08x-0x%08x%s (%s), %sprefetchable\n", index,
            pci_bar_kind_name(bar->kind), (uint32_t)bar->address,
            (uint32_t)(bar->address + bar->size - 1),
            bar->address >> 32 ? " above 4 GiB" : "", size,
            bar->prefetchable ? "" : "not ");
    kprintf("  memory decoding (command bit 1) %s: %s %04x:%04x answers "
            "there, with mov\n",
            command & PCI_COMMAND_MEMORY ? "on" : "off, so nothing",
            pci_class_name(f->class_code, f->subclass), f->vendor,
            f->device);
}

/* Why a region in the way forbids the window there. */
static const char *in_the_way(enum addrmap_answer answer)
{
    switch (answer) {
    case ADDRMAP_RAM:
        return "is over RAM";
    case ADDRMAP_ROM:
        return "is over ROM";
    case ADDRMAP_RESERVED:
        return "is over memory the firmware keeps";
    case ADDRMAP_DEVICE:
    case ADDRMAP_NOTHING:
        break;
    }
    return "overlaps another window";
}

static unsigned log2_of(uint64_t power_of_two)
{
    unsigned bits = 0;
    while (power_of_two > 1) {
        power_of_two >>= 1;
        bits++;
    }
    return bits;
}

/* Checks [addr, addr + size) against every region but the BAR itself;
 * an error line when it does not fit. */
static bool place_is_free(const struct pci_function *f, unsigned index,
                          uint32_t addr, uint64_t size)
{
    /* Static: too big for the kernel's stack. */
    static struct memmap m;
    const struct addrmap_region *hit;
    uint64_t last = addr + size - 1;

    memmap_collect(&m, f, index);
    switch (addrmap_fit(m.in, m.n, addr, size, &hit)) {
    case ADDRMAP_FITS:
        return true;
    case ADDRMAP_FIT_BAD_SIZE:
        monitor_error("bar: the BAR's size 0x%llx is not a power of two",
                      (unsigned long long)size);
        break;
    case ADDRMAP_FIT_UNALIGNED:
        monitor_error("bar: 0x%08x is not a multiple of the BAR's size, "
                      "0x%llx: its low %u address bits are wired to 0",
                      addr, (unsigned long long)size, log2_of(size));
        break;
    case ADDRMAP_FIT_PAST_END:
        monitor_error("bar: 0x%08x + 0x%llx runs past 4 GiB", addr,
                      (unsigned long long)size);
        break;
    case ADDRMAP_FIT_OVERLAPS:
        monitor_error("bar: 0x%08x-0x%08x %s (%s, 0x%08x-0x%08x): it "
                      "would answer there too", addr, (uint32_t)last,
                      in_the_way(hit->answer), hit->what,
                      (uint32_t)hit->base,
                      (uint32_t)(hit->base + hit->length - 1));
        break;
    }
    return false;
}

/* What answers at [addr, addr + size) now, as `map` would say. */
static void print_now(uint32_t addr, uint64_t size)
{
    static struct memmap m;
    const struct addrmap_region *hit;

    memmap_collect(&m, NULL, 0);
    kprintf("  0x%08x-0x%08x now: ", addr, (uint32_t)(addr + size - 1));
    if (addrmap_fit(m.in, m.n, addr, size, &hit) == ADDRMAP_FIT_OVERLAPS)
        kprintf("%s\n", hit->what);
    else
        kprintf("%s\n", MEMMAP_NOTHING);
}

static void move_bar(const struct pci_function *f, unsigned index,
                     const struct pci_bar *bar, const char *arg)
{
    uint32_t addr;
    uint32_t old = (uint32_t)bar->address;
    struct pci_bar moved;

    if (!monitor_arg_number("bar", "ADDR", arg, UINT32_MAX, &addr)
        || !place_is_free(f, index, addr, bar->size))
        return;
    /* Registers (a BAR that is not prefetchable: a read may change
     * them) are mapped uncached before the device answers there, so that
     * no driver's access is ever cached (kernel/paging.c). A prefetchable
     * BAR is memory, such as the VGA's framebuffer, which iospace never
     * draws in: a driver that does would map it itself, and `peek` maps
     * a page for each read. */
    if (!bar->prefetchable && !paging_map_mmio(addr, (uint32_t)bar->size)) {
        monitor_error("bar: no page table left to map 0x%08x: the BAR "
                      "stays at 0x%08x", addr, old);
        return;
    }
    pci_bar_set_address(f, index, addr, bar->kind);
    pci_bar_probe(f, index, &moved);
    if (moved.address != addr) {
        monitor_error("bar: the function kept 0x%08llx, not 0x%08x",
                      (unsigned long long)moved.address, addr);
        return;
    }
    kprintf("bar: ");
    print_bdf(f->bdf);
    kprintf(" BAR%u moved 0x%08x -> 0x%08x (%s, %s)\n", index, old, addr,
            pci_bar_kind_name(bar->kind),
            bar->prefetchable ? "prefetchable memory: not mapped"
                              : "registers: mapped uncached");
    print_now(old, bar->size);
    print_now(addr, bar->size);
    /* The VGA's register window may be the one that moved: the panel shows
     * where it is now (a machine without the standard VGA has no window,
     * which its own commands report). */
    (void)vga_bar_update();
}

static void cmd_bar(int argc, char **argv)
{
    const struct pci_function *f;
    uint32_t index;
    struct pci_bar bar;

    if (!pci_present()) {
        monitor_error("no PCI: %s", pci_problem());
        return;
    }
    f = function_arg(argv[1]);
    if (!f || !index_arg(f, argv[2], &index))
        return;
    pci_bar_probe(f, index, &bar);
    if (argc == 3) {
        print_bar(f, index, &bar);
        return;
    }
    if (bar.kind == PCI_BAR_UNUSED) {
        monitor_error("bar: BAR%u of %s is unused: no window to move",
                      index, argv[1]);
    } else if (bar.kind == PCI_BAR_IO) {
        monitor_error("bar: BAR%u of %s is an I/O window (ports "
                      "0x%04x-0x%04x): this command moves memory windows "
                      "only", index, argv[1], (uint32_t)bar.address,
                      (uint32_t)(bar.address + bar.size - 1));
    } else {
        move_bar(f, index, &bar, argv[3]);
    }
}

const struct command bar_commands[] = {
    { "bar", "B:D.F N [ADDR]",
      "a PCI function's BAR N; with ADDR, move that memory window there",
      3, 4, cmd_bar },
    { 0, 0, 0, 0, 0, 0 },
};
