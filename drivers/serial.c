/*
 * 16550A UART on COM1, the kernel's serial console.
 *
 * A port-mapped device (claim C2): eight registers at I/O ports
 * 0x3F8..0x3FF, reached only with `in` and `out`. The UART is far slower
 * than the CPU (at 115200 baud one byte takes about 87 us), so the CPU
 * paces itself by polling the Line Status Register before each byte it
 * sends: the device tells the CPU when it is ready (claim C3).
 *
 * Receiving is interrupt-driven: the chip raises IRQ 4 when bytes wait in
 * its 16-byte FIFO, and the handler moves them into a ring buffer. When
 * the ring is full the handler stops taking bytes and turns the receive
 * interrupt off until the reader catches up: the FIFO then fills, and
 * QEMU's serial backend waits for room instead of dropping data. (A real
 * line would need RTS/CTS flow control for that; without it the chip
 * overruns and sets LSR OE, which the driver counts.)
 *
 * Transmit stays polled: it keeps serial and VGA output in step, and works
 * with interrupts off, inside an exception handler or a panic.
 *
 * Reference: National Semiconductor PC16550D data sheet, "Registers",
 * tables II-IX.
 */
#include "drivers/serial.h"

#include "io/port.h"
#include "kernel/irq.h"
#include "kernel/lib/ring.h"
#include "kernel/x86.h"

/* Register offsets from COM1_BASE (data sheet table II). With
 * LCR.DLAB=1, offsets 0 and 1 are the divisor latch instead. */
#define UART_RBR 0      /* receiver buffer (read) */
#define UART_THR 0      /* transmitter holding register (write) */
#define UART_DLL 0      /* divisor latch, low byte (DLAB=1) */
#define UART_IER 1      /* interrupt enable */
#define UART_DLM 1      /* divisor latch, high byte (DLAB=1) */
#define UART_IIR 2      /* interrupt identification (read) */
#define UART_FCR 2      /* FIFO control (write) */
#define UART_LCR 3      /* line control */
#define UART_MCR 4      /* modem control */
#define UART_LSR 5      /* line status */
#define UART_MSR 6      /* modem status */
#define UART_SCR 7      /* scratch: any byte, read back */

#define UART_IER_RDA 0x01       /* received data available */
#define UART_IER_RLS 0x04       /* receiver line status (errors) */

/* IIR: bit 0 clear means an interrupt is pending; bits 3..1 say which, in
 * priority order. Reading the right register clears each cause. */
#define UART_IIR_NO_INT 0x01
#define UART_IIR_ID_MASK 0x0E
#define UART_IIR_MSR 0x00       /* modem status: read MSR */
#define UART_IIR_RDA 0x04       /* data at the trigger level: read RBR */
#define UART_IIR_RLS 0x06       /* line status: read LSR */
#define UART_IIR_TIMEOUT 0x0C   /* data below the trigger, idle: read RBR */

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
#define UART_MCR_NORMAL \
    (UART_MCR_DTR | UART_MCR_RTS | UART_MCR_OUT1 | UART_MCR_OUT2)

#define UART_LSR_DR 0x01        /* a received byte is waiting */
#define UART_LSR_OE 0x02        /* overrun: a byte arrived to a full FIFO */
#define UART_LSR_THRE 0x20      /* the holding register can take a byte */

/* The UART's clock is 1.8432 MHz, divided by 16: 115200 baud at divisor 1. */
#define UART_CLOCK_HZ 1843200u
#define SERIAL_DIVISOR (UART_CLOCK_HZ / 16 / SERIAL_BAUD)

/* The byte sent to ourselves in loopback, and how long we wait for any
 * status bit: a few thousand polls are plenty for a real 16550 (one byte
 * time is ~87 us); a missing UART reads 0xFF or 0x00 forever. */
#define SERIAL_PROBE_BYTE 0xA5
#define SERIAL_POLL_LIMIT 100000
/* Causes handled in one interrupt before giving the CPU back; the chip
 * raises the line again if more are pending. */
#define SERIAL_IRQ_MAX_CAUSES 16

#define SERIAL_RX_RING 4096

static const char *uart_reg_name(uint32_t port, bool write, uint32_t value)
{
    static const char *const read_names[] = {
        "RBR (or DLL)", "IER (or DLM)", "IIR", "LCR", "MCR", "LSR", "MSR",
        "SCR",
    };
    static const char *const write_names[] = {
        "THR (or DLL)", "IER (or DLM)", "FCR", "LCR", "MCR", "LSR", "MSR",
        "SCR",
    };
    (void)value;
    return (write ? write_names : read_names)[port - COM1_BASE];
}

static const struct io_trace_device trace_uart = {
    "uart", IO_PMIO, COM1_BASE, COM1_BASE + UART_SCR, uart_reg_name,
};

static bool present;
static volatile bool loopback_wanted; /* set by serial_set_loopback: ours */
static bool tx_stuck;           /* THRE did not come within a wait */
static bool rx_irq;             /* receiving by interrupt */
static volatile bool rx_paused; /* ring full: RDA interrupt off */
static uint8_t rx_buf[SERIAL_RX_RING];
static struct ring rx_ring;
static struct serial_stats stats;

static void uart_write(uint8_t reg, uint8_t v)
{
    outb(COM1_BASE + reg, v);
}

static uint8_t uart_read(uint8_t reg)
{
    return inb(COM1_BASE + reg);
}

/* Reading LSR clears its error bits, OE among them: every read goes
 * through here, so that no overrun goes uncounted, whoever looked. */
static uint8_t read_lsr(void)
{
    uint8_t lsr = uart_read(UART_LSR);
    if (lsr & UART_LSR_OE)
        stats.overruns++;
    return lsr;
}

/* Waits until an LSR bit is set; false on timeout. */
static bool wait_lsr(uint8_t bit)
{
    for (int i = 0; i < SERIAL_POLL_LIMIT; i++)
        if (read_lsr() & bit)
            return true;
    return false;
}

/* The rate and the frame: 115200 baud through the divisor latch, then
 * 8N1, which also turns DLAB off again. */
static void set_line(void)
{
    /* lab uart: begin line */
    uart_write(UART_LCR, UART_LCR_DLAB);
    uart_write(UART_DLL, SERIAL_DIVISOR & 0xFF);
    uart_write(UART_DLM, SERIAL_DIVISOR >> 8);
    uart_write(UART_LCR, UART_LCR_8BIT);
    /* lab uart: end line */
}

bool serial_init(void)
{
    io_trace_add_device(&trace_uart);
    uart_write(UART_IER, 0);                /* polled until IRQs are set up */
    set_line();
    /* lab uart: begin fifo */
    uart_write(UART_FCR, UART_FCR_ENABLE | UART_FCR_CLEAR_RX
                         | UART_FCR_CLEAR_TX | UART_FCR_TRIGGER_14);
    /* lab uart: end fifo */

    /* Loopback self-test: the chip routes its transmitter to its own
     * receiver, so a byte written to THR must come back in RBR. Where no
     * UART decodes these ports, reads return the bus's idle value and the
     * byte never arrives. */
    serial_set_loopback(true);
    present = wait_lsr(UART_LSR_THRE);
    if (present) {
        uart_write(UART_THR, SERIAL_PROBE_BYTE);
        present = wait_lsr(UART_LSR_DR)
                  && uart_read(UART_RBR) == SERIAL_PROBE_BYTE;
    }
    serial_set_loopback(false);
    return present;
}

bool serial_present(void)
{
    return present;
}

void serial_set_loopback(bool on)
{
    loopback_wanted = on;
    uart_write(UART_MCR, on ? UART_MCR_NORMAL | UART_MCR_LOOP
                            : UART_MCR_NORMAL);
}

/* Moves waiting bytes from the FIFO to the ring, until either is empty. */
static void drain_fifo(void)
{
    for (;;) {
        if (!(read_lsr() & UART_LSR_DR))
            return;
        if (ring_count(&rx_ring) == SERIAL_RX_RING) {
            /* Leave the rest in the FIFO and stop asking for interrupts
             * until serial_getc has made room. */
            rx_paused = true;
            stats.rx_pauses++;
            uart_write(UART_IER, UART_IER_RLS);
            return;
        }
        ring_put(&rx_ring, uart_read(UART_RBR));
        stats.rx_bytes++;
    }
}

/* A student's outb can leave two settings on that turn the console against
 * itself: loopback (MCR bit 4), where the monitor's own output comes back
 * as input and runs as commands, each printing more; and DLAB (LCR bit 7),
 * where RBR reads the divisor latch, so LSR DR stays set and the same
 * latch byte reads as data for ever (and THR writes go to the latch). The
 * handler reads both back before it takes any byte (loopback unless the
 * kernel set it itself, as the self-test does); finding one on, it
 * sets the driver's own values again and leaves a warning for the console
 * to print outside the handler. */
#define FOUND_DLAB 0x01
#define FOUND_LOOP 0x02
static volatile uint8_t found;      /* FOUND_*: warnings not yet taken */

static void check_settings(void)
{
    if (uart_read(UART_LCR) & UART_LCR_DLAB) {
        set_line();
        found |= FOUND_DLAB;
        stats.restores++;
    }
    if (!loopback_wanted && (uart_read(UART_MCR) & UART_MCR_LOOP)) {
        uart_write(UART_MCR, UART_MCR_NORMAL);
        /* What waits in the FIFO is the kernel's own output. */
        uart_write(UART_FCR, UART_FCR_ENABLE | UART_FCR_CLEAR_RX
                             | UART_FCR_TRIGGER_14);
        found |= FOUND_LOOP;
        stats.restores++;
    }
}

const char *serial_take_warning(void)
{
    uint32_t flags = irq_save();
    const char *w = 0;
    if (found & FOUND_DLAB) {
        found &= (uint8_t)~FOUND_DLAB;
        w = "serial: LCR had DLAB (bit 7) left on, so RBR read the divisor "
            "latch, not data: the driver set 115200 8N1 again";
    } else if (found & FOUND_LOOP) {
        found &= (uint8_t)~FOUND_LOOP;
        w = "serial: MCR had loopback (bit 4) left on, so the UART heard "
            "only its own output: the driver set MCR to 0x0f again and "
            "dropped the bytes that had looped back";
    }
    irq_restore(flags);
    return w;
}

static void serial_irq(void)
{
    /* lab uart: begin rx */
    check_settings();
    for (int i = 0; i < SERIAL_IRQ_MAX_CAUSES; i++) {
        uint8_t iir = uart_read(UART_IIR);
        if (iir & UART_IIR_NO_INT)
            return;
        switch (iir & UART_IIR_ID_MASK) {
        case UART_IIR_RLS:
            read_lsr();
            break;
        case UART_IIR_RDA:
        case UART_IIR_TIMEOUT:
            drain_fifo();
            if (rx_paused)
                return;     /* the FIFO still holds data: not a new cause */
            break;
        case UART_IIR_MSR:
            uart_read(UART_MSR);
            break;
        default:            /* THRE: reading IIR has cleared it */
            break;
        }
    }
    /* lab uart: end rx */
}

void serial_start_rx_irq(void)
{
    if (!present)
        return;
    ring_init(&rx_ring, rx_buf, SERIAL_RX_RING);
    rx_irq = true;
    irq_register(IRQ_COM1, "com1", serial_irq);
    uart_write(UART_IER, UART_IER_RDA | UART_IER_RLS);
}

void serial_putc(char c)
{
    if (!present)
        return;
    /* C3: wait for the device. If it never becomes ready (a dead line, or
     * a host that stopped reading and left QEMU's side full), drop the
     * byte rather than hang the kernel, and from then on look once per
     * byte instead of waiting: printing must not crawl at one timeout per
     * character. */
    tx_stuck = tx_stuck ? !(read_lsr() & UART_LSR_THRE)
                        : !wait_lsr(UART_LSR_THRE);
    if (tx_stuck) {
        stats.tx_dropped++;
        return;
    }
    uart_write(UART_THR, (uint8_t)c);
    stats.tx_bytes++;
}

void serial_poll(void)
{
    if (!present || !rx_irq)
        return;
    uint32_t flags = irq_save();
    check_settings();
    if (!rx_paused)
        drain_fifo();
    irq_restore(flags);
}

bool serial_tx_stuck(void)
{
    return tx_stuck;
}

int serial_getc(void)
{
    uint8_t c;

    if (!present)
        return -1;
    if (!rx_irq) {
        if (!(read_lsr() & UART_LSR_DR))
            return -1;
        stats.rx_bytes++;
        return uart_read(UART_RBR);
    }
    if (!ring_get(&rx_ring, &c))
        return -1;
    if (rx_paused && ring_count(&rx_ring) <= SERIAL_RX_RING / 2) {
        rx_paused = false;
        uart_write(UART_IER, UART_IER_RDA | UART_IER_RLS);
    }
    return c;
}

struct serial_stats serial_stats(void)
{
    return stats;
}
