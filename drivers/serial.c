/*
 * 16550A UART on COM1, the kernel's serial console.
 *
 * A port-mapped device (claim C2): eight registers at I/O ports
 * 0x3F8..0x3FF, reached only with `in` and `out`. The UART is far slower
 * than the CPU (at 115200 baud one byte takes about 87 us), so the CPU
 * paces itself by polling the Line Status Register before each byte:
 * the device tells the CPU when it is ready (claim C3).
 *
 * Reference: National Semiconductor PC16550D data sheet (the NS16550A's
 * register set), "Registers", tables II-IX.
 */
#include "drivers/serial.h"

#include "io/port.h"

/* Register offsets from the base port (data sheet table II). With
 * LCR.DLAB=1, offsets 0 and 1 are the divisor latch instead. */
#define COM1_BASE 0x3F8
#define UART_RBR 0      /* receiver buffer (read) */
#define UART_THR 0      /* transmitter holding register (write) */
#define UART_DLL 0      /* divisor latch, low byte (DLAB=1) */
#define UART_IER 1      /* interrupt enable */
#define UART_DLM 1      /* divisor latch, high byte (DLAB=1) */
#define UART_FCR 2      /* FIFO control (write) */
#define UART_LCR 3      /* line control */
#define UART_MCR 4      /* modem control */
#define UART_LSR 5      /* line status */

#define UART_LCR_8BIT 0x03      /* word length 8, 1 stop bit, no parity */
#define UART_LCR_DLAB 0x80      /* divisor latch access */

#define UART_FCR_ENABLE 0x01    /* FIFOs on */
#define UART_FCR_CLEAR_RX 0x02
#define UART_FCR_CLEAR_TX 0x04
#define UART_FCR_TRIGGER_14 0xC0 /* RX interrupt at 14 bytes */

#define UART_MCR_DTR 0x01
#define UART_MCR_RTS 0x02
#define UART_MCR_OUT1 0x04
#define UART_MCR_OUT2 0x08      /* on a PC, gates the UART's IRQ line */
#define UART_MCR_LOOP 0x10      /* TX wired to RX inside the chip */

#define UART_LSR_DR 0x01        /* a received byte is waiting */
#define UART_LSR_THRE 0x20      /* the holding register can take a byte */

/* The UART's clock is 1.8432 MHz, divided by 16: 115200 baud at divisor 1. */
#define UART_CLOCK_HZ 1843200u
#define SERIAL_BAUD 115200u
#define SERIAL_DIVISOR (UART_CLOCK_HZ / 16 / SERIAL_BAUD)

/* The byte sent to ourselves in loopback, and how long we wait for any
 * status bit: a few thousand polls are plenty for a real 16550 (one byte
 * time is ~87 us); a missing UART reads 0xFF or 0x00 forever. */
#define SERIAL_PROBE_BYTE 0xA5
#define SERIAL_POLL_LIMIT 100000

static bool present;

static void uart_write(uint8_t reg, uint8_t v)
{
    outb(COM1_BASE + reg, v);
}

static uint8_t uart_read(uint8_t reg)
{
    return inb(COM1_BASE + reg);
}

/* Waits until an LSR bit is set; false on timeout. */
static bool wait_lsr(uint8_t bit)
{
    for (int i = 0; i < SERIAL_POLL_LIMIT; i++)
        if (uart_read(UART_LSR) & bit)
            return true;
    return false;
}

bool serial_init(void)
{
    uart_write(UART_IER, 0);                /* polled for now */
    uart_write(UART_LCR, UART_LCR_DLAB);
    uart_write(UART_DLL, SERIAL_DIVISOR & 0xFF);
    uart_write(UART_DLM, SERIAL_DIVISOR >> 8);
    uart_write(UART_LCR, UART_LCR_8BIT);    /* also clears DLAB */
    uart_write(UART_FCR, UART_FCR_ENABLE | UART_FCR_CLEAR_RX
                         | UART_FCR_CLEAR_TX | UART_FCR_TRIGGER_14);

    /* Loopback self-test: the chip routes its transmitter to its own
     * receiver, so a byte written to THR must come back in RBR. Where no
     * UART decodes these ports, reads return the bus's idle value and the
     * byte never arrives. */
    uart_write(UART_MCR, UART_MCR_LOOP | UART_MCR_RTS | UART_MCR_OUT1
                         | UART_MCR_OUT2);
    present = wait_lsr(UART_LSR_THRE);
    if (present) {
        uart_write(UART_THR, SERIAL_PROBE_BYTE);
        present = wait_lsr(UART_LSR_DR)
                  && uart_read(UART_RBR) == SERIAL_PROBE_BYTE;
    }
    uart_write(UART_MCR, UART_MCR_DTR | UART_MCR_RTS | UART_MCR_OUT1
                         | UART_MCR_OUT2);
    return present;
}

bool serial_present(void)
{
    return present;
}

void serial_putc(char c)
{
    if (!present)
        return;
    /* C3: wait for the device. If it never becomes ready, drop the byte
     * rather than hang the kernel on a dead line. */
    if (wait_lsr(UART_LSR_THRE))
        uart_write(UART_THR, (uint8_t)c);
}

int serial_poll_getc(void)
{
    if (!present || !(uart_read(UART_LSR) & UART_LSR_DR))
        return -1;
    return uart_read(UART_RBR);
}
