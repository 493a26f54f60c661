#ifndef DRIVERS_PIC8259_H
#define DRIVERS_PIC8259_H

#include <stdbool.h>
#include <stdint.h>

/* The ports of the PC/AT's pair: a command port (ICW1, OCW2, OCW3; reads
 * the IRR or ISR) and a data port (ICW2-4; OCW1, read back as the IMR). */
#define PIC1_COMMAND 0x20
#define PIC1_DATA 0x21
#define PIC2_COMMAND 0xA0
#define PIC2_DATA 0xA1

#define PIC_LINES 16
#define PIC_LINES_PER_CHIP 8
#define PIC_CASCADE_LINE 2      /* the slave's output enters the master here */
/* The lines whose vector a chip gives for a spurious interrupt. */
#define PIC_MASTER_SPURIOUS_LINE 7
#define PIC_SLAVE_SPURIOUS_LINE 15

/* Runs the ICW1..ICW4 sequence on both chips: master lines 0..7 arrive as
 * vectors master_base.., slave lines 8..15 as slave_base.. . Leaves every
 * line masked except the cascade. */
void pic_remap(uint8_t master_base, uint8_t slave_base);

void pic_mask(unsigned line);
void pic_unmask(unsigned line);
void pic_mask_all(void);

/* End of interrupt: clears the line's in-service bit (slave and master for
 * lines 8..15) so the chip may deliver that line and lower priorities. */
void pic_send_eoi(unsigned line);

/* The three registers, slave in bits 15..8 and master in 7..0. */
uint16_t pic_read_irr(void);    /* requested: lines asserting now */
uint16_t pic_read_isr(void);    /* in service: delivered, not yet EOI'd */
uint16_t pic_read_imr(void);    /* masked */

/* For a vector that arrived on line 7 or 15: true when no line was really
 * asserting (the ISR bit is clear). Counts it, and sends the master its EOI
 * for a spurious 15, as the slave's request on line 2 was real. */
bool pic_is_spurious(unsigned line);
uint32_t pic_spurious_count(unsigned line);   /* a *_SPURIOUS_LINE */

uint8_t pic_vector_base(bool slave);

/* The pair as an interrupt controller for kernel/irq.c (irq_init). */
struct irq_chip;
extern const struct irq_chip pic8259_chip;

#endif
