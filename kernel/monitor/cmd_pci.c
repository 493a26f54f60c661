/*
 * The PCI commands: `lspci` lists every function the scan found, with its
 * windows (BARs: I/O ranges for in/out, memory ranges for mov) and its
 * capabilities; `pcicfg` reads one dword of configuration space by the
 * mechanism the student names, ports 0xCF8/0xCFC or ECAM (claims C1, C2).
 */
#include "drivers/pci.h"
#include "kernel/console.h"
#include "kernel/lib/fmt.h"
#include "kernel/lib/klib.h"
#include "kernel/lib/pci_config.h"
#include "kernel/monitor/monitor.h"

#include <stddef.h>

static const char *mechanism_name(enum pci_mechanism m)
{
    return m == PCI_MECH_ECAM ? "ecam" : "port";
}

static bool pci_ready(void)
{
    if (pci_present())
        return true;
    monitor_error("no PCI: %s", pci_problem());
    return false;
}

/* Interrupt pin 1-4 is INTA#-INTD# (6.2.4). */
static char pin_letter(uint8_t pin)
{
    return (char)('A' + pin - 1);
}

#define PIN_MAX 4

static void print_bars(const struct pci_function *f)
{
    unsigned n = pci_bar_count(f);
    for (unsigned i = 0; i < n; i++) {
        struct pci_bar bar;
        pci_bar_probe(f, i, &bar);
        if (bar.kind == PCI_BAR_UNUSED)
            continue;
        kprintf("    BAR%u %-5s 0x%08llx size 0x%llx%s\n", i,
                pci_bar_kind_name(bar.kind),
                (unsigned long long)bar.address,
                (unsigned long long)bar.size,
                bar.prefetchable ? " prefetchable" : "");
        if (bar.kind == PCI_BAR_MEM64)
            i++;    /* the next BAR held the upper half */
    }
}

/* The expansion ROM: a window like a BAR's, listed after them, that
 * decodes only while its enable bit is set (the firmware copies the ROM
 * and turns it off again). */
static void print_rom(const struct pci_function *f)
{
    struct pci_rom rom;
    if (!pci_rom_probe(f, &rom))
        return;
    kprintf("    ROM  mem32 0x%08x size 0x%x %s\n", rom.address, rom.size,
            rom.enabled ? "enabled" : "disabled");
}

static void print_capabilities(const struct pci_function *f)
{
    struct pci_capability caps[PCI_CAP_MAX];
    const char *why;
    unsigned n = pci_function_capabilities(f, caps, PCI_CAP_MAX, &why);
    if (n == 0 && !why)
        return;
    kprintf("    capabilities:");
    for (unsigned i = 0; i < n; i++)
        kprintf(" %s@0x%02x", pci_capability_name(caps[i].id),
                caps[i].offset);
    kprintf("%s%s\n", why ? "; stopped: " : "", why ? why : "");
}

static void print_function(const struct pci_function *f)
{
    uint8_t pin = pci_config_read8(f->bdf, PCI_INTERRUPT_PIN);
    uint8_t line = pci_config_read8(f->bdf, PCI_INTERRUPT_LINE);
    kprintf("%02x:%02x.%x %04x:%04x %s (class %02x%02x, prog-if %02x), "
            "header %u", PCI_BDF_BUS(f->bdf), PCI_BDF_DEV(f->bdf),
            PCI_BDF_FN(f->bdf), f->vendor, f->device,
            pci_class_name(f->class_code, f->subclass), f->class_code,
            f->subclass, f->prog_if, f->header_type);
    if (pin >= 1 && pin <= PIN_MAX)
        kprintf(", INT%c# line %u", pin_letter(pin), line);
    kprintf("\n");
    if (f->header_type == PCI_HEADER_BRIDGE)
        kprintf("    bridge: primary bus %02x, secondary %02x, subordinate "
                "%02x\n", pci_config_read8(f->bdf, PCI_PRIMARY_BUS),
                pci_config_read8(f->bdf, PCI_SECONDARY_BUS),
                pci_config_read8(f->bdf, PCI_SUBORDINATE_BUS));
    print_bars(f);
    print_rom(f);
    print_capabilities(f);
}

/* "port" or "ecam" into *m; an error line naming cmd otherwise, or when
 * the machine has no ECAM. */
static bool mechanism_arg(const char *cmd, const char *s,
                          enum pci_mechanism *m)
{
    if (!strcmp(s, "port")) {
        *m = PCI_MECH_PORT;
    } else if (!strcmp(s, "ecam")) {
        *m = PCI_MECH_ECAM;
    } else {
        monitor_error("%s: '%s' is neither port nor ecam", cmd, s);
        return false;
    }
    if (*m == PCI_MECH_ECAM && !pci_ecam_present()) {
        monitor_error("%s: this machine has no ECAM window (no MCFG table, "
                      "no PCIEXBAR): only port works", cmd);
        return false;
    }
    return true;
}

/* With an argument, every configuration access of the listing (the BAR
 * sizing writes too) goes by that mechanism; the default comes back
 * after. */
static void cmd_lspci(int argc, char **argv)
{
    enum pci_mechanism m, saved;

    if (!pci_ready())
        return;
    saved = m = pci_mechanism();
    if (argc == 2 && !mechanism_arg("lspci", argv[1], &m))
        return;
    pci_set_mechanism(m);
    kprintf("configuration space by %s", m == PCI_MECH_ECAM
                                             ? "ECAM" : "ports 0xcf8/0xcfc");
    if (pci_ecam_present())
        kprintf("; ECAM at 0x%08x for buses 0-%u (from %s)",
                pci_ecam_base(), pci_ecam_end_bus(),
                pci_ecam_source_name(pci_ecam_source()));
    kprintf("\n");
    for (unsigned i = 0; i < pci_function_count(); i++)
        print_function(pci_function_at(i));
    pci_set_mechanism(saved);
}

static void cmd_pcicfg(int argc, char **argv)
{
    pci_bdf bdf;
    uint32_t offset, v;
    enum pci_mechanism m;

    if (!pci_ready() || !monitor_arg_bdf("pcicfg", argv[1], &bdf)
        || !monitor_arg_number("pcicfg", "OFFSET", argv[2],
                               PCIE_CONFIG_SIZE - 4, &offset))
        return;
    if (offset % 4) {
        monitor_error("pcicfg: OFFSET 0x%x is not a multiple of 4", offset);
        return;
    }
    m = pci_mechanism();
    if (argc == 4 && !mechanism_arg("pcicfg", argv[3], &m))
        return;
    if (m == PCI_MECH_PORT && offset >= PCI_CONFIG_SIZE) {
        monitor_error("pcicfg: mechanism #1 reaches only offsets 0-0xfc "
                      "(CONFIG_ADDRESS holds 8 bits of offset); 0x%x needs "
                      "ecam", offset);
        return;
    }
    /* A function that is not there does not answer: the read ends in a
     * master abort, which returns all ones (3.2.2.3.2), so its vendor ID
     * reads 0xffff. */
    uint32_t id;
    if (!pci_config_read32_via(m, bdf, PCI_VENDOR_ID, &id)) {
        monitor_error("pcicfg: ECAM does not cover bus %02x (buses 0-%02x)",
                      PCI_BDF_BUS(bdf), pci_ecam_end_bus());
        return;
    }
    if ((id & PCI_VENDOR_NONE) == PCI_VENDOR_NONE) {
        monitor_error("pcicfg: no function at %02x:%02x.%x (its vendor ID "
                      "reads 0xffff)", PCI_BDF_BUS(bdf), PCI_BDF_DEV(bdf),
                      PCI_BDF_FN(bdf));
        return;
    }
    v = id;
    if (offset != PCI_VENDOR_ID)
        pci_config_read32_via(m, bdf, (uint16_t)offset, &v);
    kprintf("%02x:%02x.%x+0x%03x = 0x%08x (%s)\n", PCI_BDF_BUS(bdf),
            PCI_BDF_DEV(bdf), PCI_BDF_FN(bdf), offset, v, mechanism_name(m));
}

const struct command pci_commands[] = {
    { "lspci", "[port|ecam]",
      "PCI functions: ids, class, BARs (sized), capabilities", 1, 2,
      cmd_lspci },
    { "pcicfg", "B:D.F OFFSET [port|ecam]",
      "one dword of configuration space, by ports or by ECAM", 3, 4,
      cmd_pcicfg },
    { 0, 0, 0, 0, 0, 0 },
};
