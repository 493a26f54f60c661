/* PCI configuration space arithmetic (see pci_config.h). */
#include "kernel/lib/pci_config.h"

#include <stddef.h>

#define HEX_BASE 16u
#define BUS_MAX 0xFFu

uint32_t pci_conf1_address(pci_bdf bdf, uint16_t offset)
{
    /* lab pci: begin address */
    return PCI_CONF1_ENABLE
           | (uint32_t)PCI_BDF_BUS(bdf) << PCI_CONF1_BUS_SHIFT
           | (uint32_t)PCI_BDF_DEV(bdf) << PCI_CONF1_DEV_SHIFT
           | (uint32_t)PCI_BDF_FN(bdf) << PCI_CONF1_FN_SHIFT
           | (offset & PCI_CONF1_REG_MASK);
    /* lab pci: end address */
}

uint32_t pci_ecam_offset(pci_bdf bdf, uint16_t offset)
{
    return (uint32_t)PCI_BDF_BUS(bdf) << PCI_ECAM_BUS_SHIFT
           | (uint32_t)PCI_BDF_DEV(bdf) << PCI_ECAM_DEV_SHIFT
           | (uint32_t)PCI_BDF_FN(bdf) << PCI_ECAM_FN_SHIFT
           | (offset & (PCIE_CONFIG_SIZE - 1));
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Reads one to two hex digits up to the character end; false if there are
 * none, more, or the value is over max. */
static bool hex_field(const char **s, char end, unsigned max, unsigned *out)
{
    unsigned v = 0, n = 0;
    int d;
    while ((d = hex_digit(**s)) >= 0) {
        v = v * HEX_BASE + (unsigned)d;
        (*s)++;
        if (++n > 2)
            return false;
    }
    if (n == 0 || **s != end || v > max)
        return false;
    *out = v;
    return true;
}

bool pci_parse_bdf(const char *s, pci_bdf *out)
{
    unsigned bus, dev, fn;
    if (!hex_field(&s, ':', BUS_MAX, &bus))
        return false;
    s++;
    if (!hex_field(&s, '.', PCI_DEVICES - 1, &dev))
        return false;
    s++;
    if (!hex_field(&s, '\0', PCI_FUNCTIONS - 1, &fn))
        return false;
    *out = PCI_BDF(bus, dev, fn);
    return true;
}

/* A BAR with no window: no address bit took the sizing write's 1. */
static void set_unused(struct pci_bar *out)
{
    out->kind = PCI_BAR_UNUSED;
    out->prefetchable = false;
    out->address = 0;
    out->size = 0;
}

/* The lowest set bit: the size of a naturally aligned window whose
 * address bits below it are wired to 0. */
static uint64_t lowest_bit(uint64_t v)
{
    return v & (~v + 1);
}

void pci_bar_decode(uint32_t value, uint32_t value_high, uint32_t sized,
                    uint32_t sized_high, struct pci_bar *out)
{
    set_unused(out);
    if (sized == 0)
        return;
    if (value & PCI_BAR_SPACE_IO) {
        /* An I/O BAR may implement only 16 address bits: the upper ones
         * then read 0, and the lowest writable bit is still the size. */
        out->kind = PCI_BAR_IO;
        out->address = value & PCI_BAR_IO_MASK;
        out->size = lowest_bit(sized & PCI_BAR_IO_MASK);
        if (out->size == 0)
            set_unused(out);
        return;
    }
    out->prefetchable = (value & PCI_BAR_MEM_PREFETCH) != 0;
    uint64_t mask = sized & PCI_BAR_MEM_MASK;
    out->address = value & PCI_BAR_MEM_MASK;
    switch (value & PCI_BAR_MEM_TYPE_MASK) {
    case PCI_BAR_MEM_TYPE_64:
        out->kind = PCI_BAR_MEM64;
        out->address |= (uint64_t)value_high << 32;
        mask |= (uint64_t)sized_high << 32;
        break;
    case PCI_BAR_MEM_TYPE_1M:
        out->kind = PCI_BAR_MEM1M;
        break;
    default:
        out->kind = PCI_BAR_MEM32;
        break;
    }
    out->size = lowest_bit(mask);
    if (out->size == 0)
        set_unused(out);
}

void pci_rom_decode(uint32_t value, uint32_t sized, struct pci_rom *out)
{
    uint32_t size = (uint32_t)lowest_bit(sized & PCI_ROM_ADDRESS_MASK);
    *out = (struct pci_rom){
        .present = size != 0,
        .enabled = size != 0 && (value & PCI_ROM_ENABLE) != 0,
        .address = size ? value & PCI_ROM_ADDRESS_MASK : 0,
        .size = size,
    };
}

const char *pci_bar_kind_name(enum pci_bar_kind kind)
{
    switch (kind) {
    case PCI_BAR_IO:
        return "I/O";
    case PCI_BAR_MEM32:
        return "mem32";
    case PCI_BAR_MEM64:
        return "mem64";
    case PCI_BAR_MEM1M:
        return "mem1M";
    case PCI_BAR_UNUSED:
        break;
    }
    return "unused";
}

/* Class codes (PCI Code and ID Assignment 1.11, appendix D). */
#define SUBCLASS_ANY 0xFFu
static const struct {
    uint8_t class_code, subclass;
    const char *name;
} class_names[] = {
    {0x01, 0x01, "IDE controller"},
    {0x01, 0x06, "SATA controller"},
    {0x01, 0x08, "NVMe controller"},
    {0x01, SUBCLASS_ANY, "mass storage controller"},
    {0x02, 0x00, "Ethernet controller"},
    {0x02, SUBCLASS_ANY, "network controller"},
    {0x03, 0x00, "VGA compatible controller"},
    {0x03, SUBCLASS_ANY, "display controller"},
    {0x04, SUBCLASS_ANY, "multimedia controller"},
    {0x05, SUBCLASS_ANY, "memory controller"},
    {0x06, 0x00, "host bridge"},
    {0x06, 0x01, "ISA bridge"},
    {0x06, 0x04, "PCI bridge"},
    {0x06, 0x80, "bridge"},
    {0x06, SUBCLASS_ANY, "bridge"},
    {0x07, SUBCLASS_ANY, "communication controller"},
    {0x08, SUBCLASS_ANY, "system peripheral"},
    {0x0C, 0x03, "USB controller"},
    {0x0C, 0x05, "SMBus"},
    {0x0C, SUBCLASS_ANY, "serial bus controller"},
    {0x00, 0xFF, "unclassified device"},
    {0xFF, SUBCLASS_ANY, "unassigned class"},
};

const char *pci_class_name(uint8_t class_code, uint8_t subclass)
{
    for (size_t i = 0; i < sizeof class_names / sizeof class_names[0]; i++) {
        if (class_names[i].class_code == class_code
            && (class_names[i].subclass == subclass
                || class_names[i].subclass == SUBCLASS_ANY))
            return class_names[i].name;
    }
    return "unknown class";
}

static const struct {
    uint8_t id;
    const char *name;
} capability_names[] = {
    {PCI_CAP_ID_PM, "PM"},
    {PCI_CAP_ID_AGP, "AGP"},
    {PCI_CAP_ID_VPD, "VPD"},
    {PCI_CAP_ID_SLOT_ID, "slot-ID"},
    {PCI_CAP_ID_MSI, "MSI"},
    {PCI_CAP_ID_PCIX, "PCI-X"},
    {PCI_CAP_ID_HT, "HyperTransport"},
    {PCI_CAP_ID_VENDOR, "vendor"},
    {PCI_CAP_ID_DEBUG, "debug-port"},
    {PCI_CAP_ID_HOTPLUG, "hot-plug"},
    {PCI_CAP_ID_SUBSYSTEM, "subsystem-ID"},
    {PCI_CAP_ID_EXP, "PCIe"},
    {PCI_CAP_ID_MSIX, "MSI-X"},
    {PCI_CAP_ID_SATA, "SATA"},
    {PCI_CAP_ID_AF, "AF"},
};

const char *pci_capability_name(uint8_t id)
{
    for (size_t i = 0; i < sizeof capability_names / sizeof capability_names[0];
         i++) {
        if (capability_names[i].id == id)
            return capability_names[i].name;
    }
    return "?";
}

unsigned pci_capabilities(pci_read8_fn read, void *ctx,
                          struct pci_capability *caps, unsigned max,
                          const char **problem)
{
    /* One bit per dword of the space: a pointer seen twice is a loop. */
    uint8_t seen[PCI_CONFIG_SIZE / 4 / 8] = {0};
    unsigned count = 0;

    *problem = NULL;
    if (!(read(ctx, PCI_STATUS) & PCI_STATUS_CAP_LIST))
        return 0;
    uint8_t at = read(ctx, PCI_CAPABILITY_LIST) & PCI_CAP_PTR_MASK;
    while (at != 0) {
        if (at < PCI_CAP_FIRST) {
            *problem = "a capability pointer points into the header";
            break;
        }
        unsigned dword = at / 4u;
        if (seen[dword / 8] & (1u << (dword % 8))) {
            *problem = "the capability list loops";
            break;
        }
        seen[dword / 8] |= (uint8_t)(1u << (dword % 8));
        if (count < max)
            caps[count] = (struct pci_capability){read(ctx, at), at};
        count++;
        at = read(ctx, (uint16_t)(at + PCI_CAP_NEXT)) & PCI_CAP_PTR_MASK;
    }
    return count < max ? count : max;
}
