#ifndef DRIVERS_SERIAL_H
#define DRIVERS_SERIAL_H

#include <stdbool.h>
#include <stdint.h>

/* Probes COM1 with a loopback test and sets it to 115200 8N1 with FIFOs.
 * Returns false (and the kernel goes on with VGA alone) when no UART
 * answers. */
bool serial_init(void);
bool serial_present(void);

/* Sends one byte, waiting (bounded) until the transmitter can take it. */
void serial_putc(char c);

/* Returns the next received byte, or -1 when none is waiting. */
int serial_poll_getc(void);

#endif
