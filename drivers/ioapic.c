/*
 * The IO APIC (Intel 82093AA): collects the interrupt lines of the devices
 * and sends each, as a message, to a Local APIC. Memory-mapped (claim C1),
 * but through a window of only two registers: write a register's index to
 * IOREGSEL, then read or write its value in IOWIN. Indirect access, like
 * the VGA CRTC's index/data ports, but with `mov` instead of `in`/`out`.
 *
 * Each input has a 64-bit redirection entry: vector, delivery and
 * destination, polarity, trigger mode, mask. An entry is written as two
 * 32-bit halves, so it is masked first: a half-written entry must never be
 * live.
 *
 * Reference: Intel 82093AA I/O APIC data sheet (order no. 290566), 3.0
 * "Register Description": 3.1 IOREGSEL/IOWIN, 3.2.1 IOAPICID, 3.2.2
 * IOAPICVER, 3.2.4 IOREDTBL.
 */
#include "drivers/ioapic.h"

#include "io/mmio.h"
#include "io/trace.h"
#include "kernel/paging.h"

#define IOAPIC_WINDOW_SIZE 0x20

/* Registers behind the window. */
#define IOAPIC_REG_ID 0x00
#define IOAPIC_REG_REDTBL 0x10      /* entry n: 0x10 + 2n (low), +1 (high) */

#define IOAPIC_ID_SHIFT 24
#define IOAPIC_ID_MASK 0xF
#define IOAPIC_VERSION_MASK 0xFF
#define IOAPIC_MAX_REDIR_SHIFT 16   /* highest entry number */
#define IOAPIC_MAX_REDIR_MASK 0xFF
/* The register index is 8 bits and the entries start at 0x10, two
 * registers each: no IO APIC has more than 120 inputs (the 82093AA has
 * 24). A version register reading all ones is no IO APIC at all: an
 * address nothing decodes. */
#define IOAPIC_INPUTS_MAX 120u
#define BUS_IDLE_32 0xFFFFFFFFu

/* Redirection entry, low half (3.2.4). */
#define RTE_VECTOR_MASK 0xFFu
#define RTE_DELIVERY_FIXED (0u << 8)
#define RTE_DEST_PHYSICAL (0u << 11)
#define RTE_PENDING (1u << 12)      /* delivery status, read-only */
#define RTE_ACTIVE_LOW (1u << 13)
#define RTE_REMOTE_IRR (1u << 14)   /* level: accepted, EOI not yet seen */
#define RTE_LEVEL (1u << 15)
#define RTE_MASKED (1u << 16)
/* High half: the destination APIC ID in bits 63..56. */
#define RTE_DEST_SHIFT 24

static const char *ioapic_reg_name(uint32_t addr, bool write, uint32_t value);

static struct io_trace_device trace_ioapic = {
    "ioapic", IO_MMIO, 0, 0, ioapic_reg_name,
};

static uintptr_t base;
static uint32_t gsi_base;
static unsigned inputs;
static const char *problem;

/* lab ioapic: begin window */
static uint32_t ioapic_read(uint8_t reg)
{
    mmio_write32(base + IOAPIC_REGSEL, reg);
    return mmio_read32(base + IOAPIC_WIN);
}

static void ioapic_write(uint8_t reg, uint32_t v)
{
    mmio_write32(base + IOAPIC_REGSEL, reg);
    mmio_write32(base + IOAPIC_WIN, v);
}
/* lab ioapic: end window */

uintptr_t ioapic_register_address(uint32_t reg)
{
    return base ? base + reg : 0;
}

static uint8_t entry_low(uint32_t gsi)
{
    return (uint8_t)(IOAPIC_REG_REDTBL + 2 * (gsi - gsi_base));
}

static const char *ioapic_reg_name(uint32_t addr, bool write, uint32_t value)
{
    (void)write;
    (void)value;
    return addr - base == IOAPIC_REGSEL ? "IOREGSEL" : "IOWIN";
}

bool ioapic_init(uint32_t phys, uint32_t first_gsi)
{
    if (!paging_map_mmio(phys, IOAPIC_WINDOW_SIZE)) {
        problem = "no page table left to map it";
        return false;
    }
    base = phys;
    trace_ioapic.first = phys;
    trace_ioapic.last = phys + IOAPIC_WINDOW_SIZE - 1;
    io_trace_add_device(&trace_ioapic);
    gsi_base = first_gsi;
    uint32_t version = ioapic_read(IOAPIC_REG_VERSION);
    inputs = ((version >> IOAPIC_MAX_REDIR_SHIFT) & IOAPIC_MAX_REDIR_MASK) + 1;
    if (version == BUS_IDLE_32 || inputs > IOAPIC_INPUTS_MAX) {
        problem = "nothing answers there (version register 0xffffffff)";
        return false;
    }
    for (unsigned i = 0; i < inputs; i++)
        ioapic_write(entry_low(gsi_base + i), RTE_MASKED);
    return true;
}

void ioapic_route(uint32_t gsi, uint8_t vector, bool active_low, bool level,
                  uint8_t dest_apic_id)
{
    /* lab ioapic: begin route */
    uint32_t low = RTE_MASKED | RTE_DELIVERY_FIXED | RTE_DEST_PHYSICAL
                   | vector;
    if (active_low)
        low |= RTE_ACTIVE_LOW;
    if (level)
        low |= RTE_LEVEL;
    /* Masked first, then the destination, then the rest, still masked. */
    ioapic_write(entry_low(gsi), RTE_MASKED);
    ioapic_write(entry_low(gsi) + 1, (uint32_t)dest_apic_id << RTE_DEST_SHIFT);
    ioapic_write(entry_low(gsi), low);
    /* lab ioapic: end route */
}

void ioapic_mask(uint32_t gsi)
{
    ioapic_write(entry_low(gsi), ioapic_read(entry_low(gsi)) | RTE_MASKED);
}

void ioapic_unmask(uint32_t gsi)
{
    ioapic_write(entry_low(gsi), ioapic_read(entry_low(gsi)) & ~RTE_MASKED);
}

bool ioapic_masked(uint32_t gsi)
{
    return (ioapic_read(entry_low(gsi)) & RTE_MASKED) != 0;
}

const char *ioapic_problem(void)
{
    return problem;
}

unsigned ioapic_inputs(void)
{
    return inputs;
}

struct ioapic_view ioapic_view(void)
{
    uint32_t version = ioapic_read(IOAPIC_REG_VERSION);
    return (struct ioapic_view){
        .base = (uint32_t)base,
        .id = (uint8_t)((ioapic_read(IOAPIC_REG_ID) >> IOAPIC_ID_SHIFT)
                        & IOAPIC_ID_MASK),
        .version = (uint8_t)(version & IOAPIC_VERSION_MASK),
        .inputs = inputs,
        .gsi_base = gsi_base,
    };
}

struct ioapic_entry_view ioapic_entry_view(unsigned i)
{
    uint32_t low = ioapic_read(entry_low(gsi_base + i));
    uint32_t high = ioapic_read(entry_low(gsi_base + i) + 1);
    return (struct ioapic_entry_view){
        .gsi = gsi_base + i,
        .high = high,
        .low = low,
        .vector = (uint8_t)(low & RTE_VECTOR_MASK),
        .masked = (low & RTE_MASKED) != 0,
        .level = (low & RTE_LEVEL) != 0,
        .active_low = (low & RTE_ACTIVE_LOW) != 0,
        .pending = (low & RTE_PENDING) != 0,
        .remote_irr = (low & RTE_REMOTE_IRR) != 0,
        .dest = (uint8_t)(high >> RTE_DEST_SHIFT),
    };
}
