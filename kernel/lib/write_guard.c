/*
 * The write guard (see write_guard.h): a port write is judged byte by
 * byte, each byte against the register at its port; a memory write against
 * the kernel's ranges and the Local APIC's Interrupt Command Register.
 */
#include "kernel/lib/write_guard.h"

#define BYTE_BITS 8
#define BYTE_MASK 0xFFu
#define WORD_BYTES 4u
#define SLP_EN_BYTE (GUARD_PM1A_CNT + 1)        /* SLP_EN is bit 13 */
#define SLP_EN_IN_BYTE (GUARD_PM1_CNT_SLP_EN >> BYTE_BITS)

static const struct guard_verdict safe = { false, 0, 0 };

static struct guard_verdict fatal(const char *what, const char *why)
{
    return (struct guard_verdict){ true, what, why };
}

static const struct portmap_range *range_of(const struct portmap_range *map,
                                           unsigned n, uint32_t port)
{
    for (unsigned i = 0; i < n; i++)
        if (map[i].first <= port && port <= map[i].last)
            return &map[i];
    return 0;
}

const struct portmap_range *
guard_port_straddle(const struct portmap_range *map, unsigned n,
                    uint32_t port, unsigned bytes)
{
    const struct portmap_range *first = range_of(map, n, port);
    for (unsigned i = 1; i < bytes; i++) {
        /* A byte past 0xFFFF belongs to no range. */
        const struct portmap_range *r = range_of(map, n, port + i);
        if (r != first)
            return first ? first : r;
    }
    return 0;
}

/* The 8042's command byte: the pulse commands, A20 off. */
static struct guard_verdict kbc_command(uint8_t cmd)
{
    if (cmd >= GUARD_KBC_PULSE_FIRST && !(cmd & GUARD_KBC_OUTPORT_RESET))
        return fatal("8042 command 0xF0-0xFF (pulse output port), port 0x64",
                     "output port bit 0 pulsed low resets the CPU");
    if (cmd == GUARD_KBC_DISABLE_A20)
        return fatal("8042 command 0xDD (disable A20), port 0x64",
                     "A20 off folds every address onto bit 20 clear: the "
                     "kernel at 1 MiB would run from the memory at 0");
    return safe;
}

/* The 8042's output port, written through the data port after 0xD1. */
static struct guard_verdict kbc_outport(uint8_t v)
{
    if (!(v & GUARD_KBC_OUTPORT_RESET))
        return fatal("8042 output port (after command 0xD1), port 0x60",
                     "bit 0 low holds the CPU in reset");
    if (!(v & GUARD_KBC_OUTPORT_A20))
        return fatal("8042 output port (after command 0xD1), port 0x60",
                     "bit 1 low turns A20 off: the kernel at 1 MiB would run "
                     "from the memory at 0");
    return safe;
}

static struct guard_verdict port92(uint8_t v)
{
    if (v & GUARD_PORT92_FAST_RESET)
        return fatal("PORT92 (System Control Port A), port 0x92",
                     "bit 0 (fast reset) set resets the CPU");
    if (!(v & GUARD_PORT92_A20))
        return fatal("PORT92 (System Control Port A), port 0x92",
                     "bit 1 (A20 gate) clear turns A20 off: the kernel at "
                     "1 MiB would run from the memory at 0");
    return safe;
}

static struct guard_verdict icw1(uint32_t port)
{
    if (port == GUARD_PIC1_COMMAND)
        return fatal("ICW1 (bit 4 set) to the master 8259, port 0x20",
                     "it starts a re-initialization: the IMR is cleared "
                     "and, until ICW2 on 0x21, line N comes on vector N, "
                     "which the CPU takes for exception N (IRQ 0: #DE)");
    return fatal("ICW1 (bit 4 set) to the slave 8259, port 0xA0",
                 "it starts a re-initialization: the IMR is cleared and, "
                 "until ICW2 on 0xA1, line 8+N comes on vector N, which the "
                 "CPU takes for exception N");
}

/* One byte of a write, at its port. */
static struct guard_verdict port_byte(uint32_t port, uint8_t v, bool whole,
                                      bool kbc_outport_next)
{
    switch (port) {
    case GUARD_PIC1_COMMAND:
    case GUARD_PIC2_COMMAND:
        return (v & GUARD_PIC_ICW1) ? icw1(port) : safe;
    case GUARD_KBC_DATA:
        return kbc_outport_next ? kbc_outport(v) : safe;
    case GUARD_KBC_COMMAND:
        return kbc_command(v);
    case GUARD_PORT92:
        return port92(v);
    case GUARD_PIIX_RC:
        /* A 32-bit access at 0xCF8 is CONFIG_ADDRESS: `whole` false. */
        if (whole && (v & GUARD_PIIX_RC_RCPU))
            return fatal("PIIX4 Reset Control register, port 0xCF9",
                         "bit 2 (RCPU) set resets the CPU");
        return safe;
    case SLP_EN_BYTE:
        if (v & SLP_EN_IN_BYTE)
            return fatal("ACPI PM1a_CNT (PIIX4 PMCNTRL), port 0x604",
                         "SLP_EN (bit 13) set enters sleep state SLP_TYP: "
                         "0 powers the PC off, 1 suspends it");
        return safe;
    }
    return safe;
}

struct guard_verdict guard_port_write(uint32_t port, unsigned bytes,
                                      uint32_t value, bool kbc_outport_next)
{
    bool config_address = port == GUARD_PCI_CONFIG_ADDRESS
                          && bytes == WORD_BYTES;
    for (unsigned i = 0; i < bytes; i++) {
        struct guard_verdict v =
            port_byte(port + i,
                      (uint8_t)((value >> (i * BYTE_BITS)) & BYTE_MASK),
                      !config_address, kbc_outport_next);
        if (v.fatal)
            return v;
    }
    return safe;
}

/* Does an IPI sent with this ICR reach the CPU that sends it? */
static bool reaches_self(uint32_t low, const struct guard_self *self)
{
    uint32_t shorthand = (low >> GUARD_ICR_SHORTHAND_SHIFT)
                         & GUARD_ICR_SHORTHAND_MASK;
    uint32_t dest = self->icr_high >> GUARD_ICR_DEST_SHIFT;

    if (shorthand == GUARD_ICR_SHORTHAND_SELF
        || shorthand == GUARD_ICR_SHORTHAND_ALL)
        return true;
    if (shorthand != GUARD_ICR_SHORTHAND_NONE)
        return false;   /* all excluding self */
    if (dest == GUARD_ICR_BROADCAST)
        return true;
    /* Logical mode: any set bit may name this CPU (its LDR is not read). */
    if (low & GUARD_ICR_LOGICAL)
        return dest != 0;
    return dest == self->lapic_id;
}

static struct guard_verdict icr_write(uint32_t low,
                                      const struct guard_self *self)
{
    uint32_t mode = (low >> GUARD_ICR_DELIVERY_SHIFT)
                    & GUARD_ICR_DELIVERY_MASK;
    uint32_t vector = low & GUARD_ICR_VECTOR_MASK;

    /* INIT level de-assert (level 0, trigger level) only resets the
     * arbitration IDs (SDM 11.6.1): harmless. */
    bool deassert = !(low & GUARD_ICR_ASSERT) && (low & GUARD_ICR_LEVEL);

    if (mode == GUARD_ICR_DELIVERY_INIT && !deassert
        && reaches_self(low, self))
        return fatal("Local APIC ICR: an INIT IPI to this CPU",
                     "INIT resets the CPU to real mode at the reset vector");
    /* Vectors 0-15 are illegal in an IPI: the APIC refuses them with an
     * ESR bit. 16-31 are delivered, onto the CPU's exception vectors. */
    if ((mode == GUARD_ICR_DELIVERY_FIXED
         || mode == GUARD_ICR_DELIVERY_LOWEST)
        && vector >= GUARD_EXCEPTION_VECTORS / 2
        && vector < GUARD_EXCEPTION_VECTORS && reaches_self(low, self))
        return fatal("Local APIC ICR: an IPI on vector 16-31 to this CPU",
                     "it arrives on a CPU exception vector; on 17 (#AC) and "
                     "21 (#CP) the handler pops an error code no interrupt "
                     "pushes");
    return safe;
}

struct guard_verdict guard_memory_write(uint32_t addr, uint32_t value,
                                        const struct guard_self *self)
{
    /* The word's last byte, kept below 4 GiB. */
    uint32_t last = addr > UINT32_MAX - (WORD_BYTES - 1)
                    ? UINT32_MAX : addr + (WORD_BYTES - 1);
    for (unsigned i = 0; i < self->count; i++) {
        const struct guard_range *r = &self->ranges[i];
        if (addr <= r->last && r->first <= last)
            return fatal(r->what, r->why);
    }
    if (self->lapic && addr == self->lapic_base + GUARD_LAPIC_ICR_LOW)
        return icr_write(value, self);
    return safe;
}
