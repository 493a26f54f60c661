#ifndef DRIVERS_SERIAL_H
#define DRIVERS_SERIAL_H

#include <stdbool.h>
#include <stdint.h>

/* COM1's eight registers start here (IBM PC/AT Technical Reference,
 * "System I/O Address Map"). */
#define COM1_BASE 0x3F8
#define COM1_PORTS 8
/* The line speed the driver sets, with 8 data bits, no parity, 1 stop. */
#define SERIAL_BAUD 115200u

/* Probes COM1 with a loopback test and sets it to 115200 8N1 with FIFOs.
 * Returns false (and the kernel goes on with VGA alone) when no UART
 * answers. */
bool serial_init(void);
bool serial_present(void);

/* Switches receiving to interrupts (IRQ 4) into a ring buffer. */
void serial_start_rx_irq(void);
/* Does by polling what the receive interrupt does: the bytes waiting in
 * the FIFO go to the ring, for when IRQ 4 is masked or was lost. */
void serial_poll(void);

/* Sends one byte, waiting (bounded) until the transmitter can take it.
 * After a wait has timed out the transmitter is stuck: bytes are dropped
 * at once, each counted, until it takes one again. */
void serial_putc(char c);

/* True while the transmitter is stuck. */
bool serial_tx_stuck(void);

/* The next received byte, or -1 when none is waiting. Before
 * serial_start_rx_irq it polls the chip; after, it reads the ring. */
int serial_getc(void);

/* Routes the transmitter to the receiver inside the chip (or back). */
void serial_set_loopback(bool on);

/* The interrupt handler reads LCR and MCR back first; when a hand-written
 * value left DLAB or loopback on, it sets the driver's own values again.
 * Each such finding gives one warning line here (call until NULL). */
const char *serial_take_warning(void);

struct serial_stats {
    uint32_t rx_bytes, tx_bytes;
    uint32_t tx_dropped;    /* bytes not sent: the transmitter was stuck */
    uint32_t overruns;      /* bytes the chip lost: LSR OE seen */
    uint32_t rx_pauses;     /* times the ring filled and RX was paused */
    uint32_t restores;      /* times loopback or DLAB was found on and undone */
};
struct serial_stats serial_stats(void);

#endif
