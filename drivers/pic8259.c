/*
 * The 8259A Programmable Interrupt Controller pair of the PC/AT.
 *
 * Sixteen interrupt lines (IRQs) reach the CPU through two cascaded chips:
 * the master takes lines 0..7, the slave lines 8..15 and signals the master
 * on its line 2. Each line carries one bit, "something happened" (claim
 * C8): the chip latches it in the IRR, and when the line is unmasked (IMR)
 * and nothing of higher priority is in service (ISR), it interrupts the CPU
 * and hands it a vector number. Everything is port-mapped (claim C2).
 *
 * The BIOS leaves the master at vectors 0x08..0x0F, which in protected mode
 * are CPU exceptions (vector 8 is #DF): the timer would look like a double
 * fault. pic_remap moves both chips above the 32 exception vectors.
 *
 * Reference: Intel 8259A data sheet (order no. 231468), "Programming the
 * 8259A": ICW1-ICW4, OCW1-OCW3.
 */
#include "drivers/pic8259.h"

#include "io/port.h"
#include "kernel/irq.h"
#include "kernel/x86.h"

/* ICW1 (to the command port): starts initialisation. */
#define PIC_ICW1_IC4 0x01       /* an ICW4 will follow */
#define PIC_ICW1_INIT 0x10      /* this is ICW1 (edge triggered, cascade) */
/* ICW3: on the master, a bit per line that has a slave; on the slave, the
 * master line it is attached to. */
#define PIC_ICW3_MASTER (1u << PIC_CASCADE_LINE)
#define PIC_ICW3_SLAVE PIC_CASCADE_LINE
/* ICW4 */
#define PIC_ICW4_8086 0x01      /* 8086 mode, not 8080 */

/* OCW2: non-specific end of interrupt (clear the highest ISR bit). */
#define PIC_OCW2_EOI 0x20
/* OCW3: the next read of the command port returns the IRR or the ISR. */
#define PIC_OCW3 0x08
#define PIC_OCW3_READ_IRR (PIC_OCW3 | 0x02)
#define PIC_OCW3_READ_ISR (PIC_OCW3 | 0x03)

#define PIC_SLAVE_FIRST_LINE PIC_LINES_PER_CHIP
/* OCW1: a 1 in the IMR masks the line; all sixteen masked. */
#define PIC_IMR_ALL_MASKED 0xFFFF
#define PIC_SPURIOUS_BIT 0x80   /* line 7 of either chip */

#define PIC_ICW1_BIT 0x10       /* in a command byte: this is ICW1 */
#define PIC_OCW3_BIT 0x08       /* in a command byte: OCW3, else OCW2 */

static const char *pic_reg_name(uint32_t port, bool write, uint32_t value)
{
    if (port == PIC1_DATA || port == PIC2_DATA)
        return write ? "IMR (OCW1) or ICW2-4" : "IMR";
    if (!write)
        return "IRR or ISR (as OCW3 chose)";
    if (value & PIC_ICW1_BIT)
        return "ICW1";
    return value & PIC_OCW3_BIT ? "OCW3" : "OCW2 (EOI)";
}

static const struct io_trace_device trace_master = {
    "pic", IO_PMIO, PIC1_COMMAND, PIC1_DATA, pic_reg_name,
};
static const struct io_trace_device trace_slave = {
    "pic2", IO_PMIO, PIC2_COMMAND, PIC2_DATA, pic_reg_name,
};

static uint8_t base_master, base_slave;
static uint32_t spurious_master, spurious_slave;

static void write_imr(uint16_t imr)
{
    outb(PIC1_DATA, imr & 0xFF);
    outb(PIC2_DATA, imr >> 8);
}

void pic_remap(uint8_t master_base, uint8_t slave_base)
{
    io_trace_add_device(&trace_master);
    io_trace_add_device(&trace_slave);
    /* The 8259A needs a little recovery time between writes on a real ISA
     * bus; an OUT to port 0x80 gives it (claim C3). */
    /* lab pic: begin remap */
    outb(PIC1_COMMAND, PIC_ICW1_INIT | PIC_ICW1_IC4);
    io_wait();
    outb(PIC2_COMMAND, PIC_ICW1_INIT | PIC_ICW1_IC4);
    io_wait();
    outb(PIC1_DATA, master_base);           /* ICW2: vector base */
    io_wait();
    outb(PIC2_DATA, slave_base);
    io_wait();
    outb(PIC1_DATA, PIC_ICW3_MASTER);       /* ICW3: the cascade */
    io_wait();
    outb(PIC2_DATA, PIC_ICW3_SLAVE);
    io_wait();
    outb(PIC1_DATA, PIC_ICW4_8086);         /* ICW4 */
    io_wait();
    outb(PIC2_DATA, PIC_ICW4_8086);
    io_wait();
    /* lab pic: end remap */

    base_master = master_base;
    base_slave = slave_base;
    write_imr((uint16_t)~(1u << PIC_CASCADE_LINE));     /* OCW1 */
}

/*
 * Sets or clears one line's bit in the IMR of the chip that has it. The
 * IMR is read back from the chip (reading the data port gives it), not
 * kept in a copy as Linux does to save an `in`: so the chip stays the one
 * place the mask lives, and a mask a student writes by hand with
 * `outb 0x21 ...` holds through the interrupts that follow. Interrupts are
 * off between the read and the write, so that no handler's own mask and
 * unmask can fall in between.
 */
static void change_imr(unsigned line, bool masked)
{
    /* lab pic: begin mask */
    uint16_t port = line < PIC_SLAVE_FIRST_LINE ? PIC1_DATA : PIC2_DATA;
    uint8_t bit = (uint8_t)(1u << (line % PIC_LINES_PER_CHIP));
    uint32_t flags = irq_save();
    uint8_t imr = inb(port);
    outb(port, masked ? (uint8_t)(imr | bit) : (uint8_t)(imr & ~bit));
    irq_restore(flags);
    /* lab pic: end mask */
}

void pic_mask(unsigned line)
{
    change_imr(line, true);
}

void pic_unmask(unsigned line)
{
    change_imr(line, false);
}

void pic_mask_all(void)
{
    write_imr(PIC_IMR_ALL_MASKED);
}

void pic_send_eoi(unsigned line)
{
    /* lab pic: begin eoi */
    if (line >= PIC_SLAVE_FIRST_LINE)
        outb(PIC2_COMMAND, PIC_OCW2_EOI);
    outb(PIC1_COMMAND, PIC_OCW2_EOI);
    /* lab pic: end eoi */
}

static uint16_t read_both(uint8_t ocw3)
{
    outb(PIC1_COMMAND, ocw3);
    outb(PIC2_COMMAND, ocw3);
    return (uint16_t)(inb(PIC2_COMMAND) << 8 | inb(PIC1_COMMAND));
}

uint16_t pic_read_irr(void)
{
    return read_both(PIC_OCW3_READ_IRR);
}

uint16_t pic_read_isr(void)
{
    return read_both(PIC_OCW3_READ_ISR);
}

uint16_t pic_read_imr(void)
{
    return (uint16_t)(inb(PIC2_DATA) << 8 | inb(PIC1_DATA));
}

/* A spurious interrupt: a line rose and fell again before the CPU
 * acknowledged it. The chip must still give the CPU a vector and gives
 * that of its line 7, with no ISR bit set. */
bool pic_is_spurious(unsigned line)
{
    if (line == PIC_MASTER_SPURIOUS_LINE) {
        outb(PIC1_COMMAND, PIC_OCW3_READ_ISR);
        if (inb(PIC1_COMMAND) & PIC_SPURIOUS_BIT)
            return false;
        spurious_master++;          /* no EOI: nothing is in service */
        return true;
    }
    if (line == PIC_SLAVE_SPURIOUS_LINE) {
        outb(PIC2_COMMAND, PIC_OCW3_READ_ISR);
        if (inb(PIC2_COMMAND) & PIC_SPURIOUS_BIT)
            return false;
        spurious_slave++;
        outb(PIC1_COMMAND, PIC_OCW2_EOI);
        return true;
    }
    return false;
}

uint32_t pic_spurious_count(unsigned line)
{
    if (line == PIC_MASTER_SPURIOUS_LINE)
        return spurious_master;
    return line == PIC_SLAVE_SPURIOUS_LINE ? spurious_slave : 0;
}

uint8_t pic_vector_base(bool slave)
{
    return slave ? base_slave : base_master;
}

/* The pair as kernel/irq.c drives it: the line is masked and acknowledged
 * before its handler runs (an edge that arrives meanwhile waits in the
 * IRR), so only that line waits for a slow handler. */
const struct irq_chip pic8259_chip = {
    .name = "8259 PIC",
    .mask = pic_mask,
    .unmask = pic_unmask,
    .eoi = pic_send_eoi,
    .spurious = pic_is_spurious,
    .mask_while_handling = true,
    .mask_all = pic_mask_all,
};
