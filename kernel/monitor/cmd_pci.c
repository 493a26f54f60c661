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

static const char *ecam_source_name(enum pci_ecam_source s)
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
        kprintf("    BAR%u %-5s 0x%08x%s size 0x%x%s\n", i,
                pci_bar_kind_name(bar.kind), (uint32_t)bar.address,
                bar.address >> 32 ? " (above 4 GiB)" : "",
                (uint32_t)bar.size, bar.prefetchable ? " prefetchable" : "");
        if (bar.kind == PCI_BAR_MEM64)
            i++;    /* the next BAR held the upper half */
    }
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
    print_bars(f);
    print_capabilities(f);
}

static void cmd_lspci(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    if (!pci_ready())
        return;
    kprintf("configuration space by %s", pci_mechanism() == PCI_MECH_ECAM
                                             ? "ECAM" : "ports 0xcf8/0xcfc");
    if (pci_ecam_present())
        kprintf("; ECAM at 0x%08x for buses 0-%u (from %s)",
                pci_ecam_base(), pci_ecam_end_bus(),
                ecam_source_name(pci_ecam_source()));
    kprintf("\n");
    for (unsigned i = 0; i < pci_function_count(); i++)
        print_function(pci_function_at(i));
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
    if (argc == 4) {
        if (!strcmp(argv[3], "port")) {
            m = PCI_MECH_PORT;
        } else if (!strcmp(argv[3], "ecam")) {
            m = PCI_MECH_ECAM;
        } else {
            monitor_error("pcicfg: '%s' is neither port nor ecam", argv[3]);
            return;
        }
    }
    if (m == PCI_MECH_ECAM && !pci_ecam_present()) {
        monitor_error("pcicfg: this machine has no ECAM window (no MCFG "
                      "table, no PCIEXBAR): only port works");
        return;
    }
    if (m == PCI_MECH_PORT && offset >= PCI_CONFIG_SIZE) {
        monitor_error("pcicfg: mechanism #1 reaches only offsets 0-0xfc "
                      "(8 bits of register number); 0x%x needs ecam",
                      offset);
        return;
    }
    if (!pci_config_read32_via(m, bdf, (uint16_t)offset, &v)) {
        monitor_error("pcicfg: ECAM does not cover bus %02x (buses 0-%02x)",
                      PCI_BDF_BUS(bdf), pci_ecam_end_bus());
        return;
    }
    kprintf("%02x:%02x.%x+0x%03x = 0x%08x (%s)\n", PCI_BDF_BUS(bdf),
            PCI_BDF_DEV(bdf), PCI_BDF_FN(bdf), offset, v, mechanism_name(m));
}

const struct command pci_commands[] = {
    { "lspci", "", "PCI functions: ids, class, BARs (sized), capabilities",
      1, 1, cmd_lspci },
    { "pcicfg", "B:D.F OFFSET [port|ecam]",
      "one dword of configuration space, by ports or by ECAM", 3, 4,
      cmd_pcicfg },
    { 0, 0, 0, 0, 0, 0 },
};
