/*
 * The 8042 keyboard controller of the PC/AT.
 *
 * The 8042 is a small microcontroller between the CPU and the keyboard.
 * The keyboard sends it scan codes over a serial cable; the 8042 checks
 * them, translates them from the keyboard's set 2 to the PC's set 1, and
 * puts each one, a byte at a time, in its output buffer at port 0x60,
 * while raising IRQ 1. So a key press reaches the CPU as one byte at a
 * port and one bit on an interrupt line that says only "a byte is
 * waiting" (claim C8). Both of its registers are I/O ports, reached with
 * `in` and `out` only (claim C2).
 *
 * The 8042 is slow: it runs its own firmware and takes a byte written to
 * it only when its input buffer is free (status IBF clear), and it answers
 * a command some time later (status OBF set). Every such wait here is a
 * bounded poll (claim C3), so a missing or stuck controller gives an error
 * message instead of a hung kernel.
 *
 * Besides the keyboard, one of the 8042's output port pins drives the
 * CPU's reset line (another, the A20 gate): on the AT, the keyboard
 * controller is how software reboots the machine.
 *
 * References: IBM PC/AT Technical Reference, "Keyboard Controller"
 * (status register, commands, command byte); Intel UPI-41A/41AH/42/42AH
 * data sheet (the 8042 itself: IBF and OBF as seen by the host).
 */
#include "drivers/kbd8042.h"

#include "drivers/pit8254.h"
#include "io/port.h"
#include "io/trace.h"
#include "kernel/irq.h"
#include "kernel/lib/keymap.h"
#include "kernel/lib/ring.h"
#include "kernel/lib/units.h"
#include "kernel/timeout.h"

/* Controller commands, written to KBD_COMMAND_PORT (AT Technical
 * Reference, "Commands (I/O Address Hex 64)"). */
#define KBD_CMD_READ_CB 0x20        /* command byte -> output buffer */
#define KBD_CMD_WRITE_CB 0x60       /* next byte at 0x60 -> command byte */
#define KBD_CMD_DISABLE_KBD 0xAD    /* sets command byte bit 4 */
#define KBD_CMD_ENABLE_KBD 0xAE     /* clears it */

/* What a bus with no device on it returns for a read. */
#define BUS_IDLE 0xFF

/* How long a wait on the status register lasts before giving up: far
 * beyond the few hundred microseconds an 8042 takes to answer. */
#define KBD_POLL_MS 100u
/* Bytes read to empty the output buffer at init before calling it stuck
 * (the controller holds one; a keyboard queues a few more behind it). */
#define KBD_FLUSH_LIMIT 32
/* Bytes handled in one interrupt before giving the CPU back; the 8042
 * raises IRQ 1 again for the next one. */
#define KBD_IRQ_MAX_BYTES 16
/* The reset pulse takes effect within microseconds; still running after
 * this long means it did not happen. */
#define KBD_RESET_WAIT_MS 100

#define KBD_RING 256

/* The command byte bits kbd_init insists on: IRQ 1, and set 1 codes for
 * the keymap. */
#define KBD_CB_NEEDED (KBD_CB_KBD_IRQ | KBD_CB_TRANSLATE)

static bool present;
static const char *problem;
static uint8_t command_byte;
static bool command_byte_changed;
static struct keymap_state keymap;
static uint8_t ring_buf[KBD_RING];
static struct ring ring;
static struct kbd_stats stats;

uint8_t kbd_status(void)
{
    return inb(KBD_STATUS_PORT);
}

/* Waits until the 8042 has taken the last byte written to it. */
static bool wait_input_empty(void)
{
    struct timeout t = timeout_start_us(KBD_POLL_MS * US_PER_MS);
    do {
        if (!(kbd_status() & KBD_STAT_IBF))
            return true;
    } while (!timeout_expired(&t));
    return false;
}

/* Waits until a byte is waiting at the data port. */
static bool wait_output_full(void)
{
    struct timeout t = timeout_start_us(KBD_POLL_MS * US_PER_MS);
    do {
        if (kbd_status() & KBD_STAT_OBF)
            return true;
    } while (!timeout_expired(&t));
    return false;
}

static bool send_command(uint8_t cmd)
{
    if (!wait_input_empty())
        return false;
    outb(KBD_COMMAND_PORT, cmd);
    return true;
}

static bool write_data(uint8_t v)
{
    if (!wait_input_empty())
        return false;
    outb(KBD_DATA_PORT, v);
    return true;
}

/* Reads bytes left in the output buffer (by the BIOS, or keys pressed
 * during boot); false when it does not empty. */
static bool flush_output(void)
{
    for (int i = 0; i < KBD_FLUSH_LIMIT; i++) {
        if (!(kbd_status() & KBD_STAT_OBF))
            return true;
        inb(KBD_DATA_PORT);
    }
    return false;
}

/*
 * Reads the command byte and sets the bits the driver needs, writing it
 * back only when one is missing (QEMU's and most BIOSes' setup already has
 * them). The keyboard interface is off meanwhile (0xAD), so no scan code
 * can land in the output buffer and be taken for the controller's answer
 * to 0x20; 0xAE turns it back on, and the 8042 then delivers any key
 * pressed meanwhile. On a failure the controller is left as it is: the
 * driver will not use it.
 */
static const char *setup_controller(void)
{
    uint8_t cb;

    if (!send_command(KBD_CMD_DISABLE_KBD))
        return "the 8042 does not take commands (status IBF stays set)";
    if (!flush_output())
        return "the 8042's output buffer does not empty";
    if (!send_command(KBD_CMD_READ_CB))
        return "the 8042 did not take command 0x20 (read command byte)";
    if (!wait_output_full())
        return "the 8042 did not answer command 0x20 (read command byte)";
    cb = inb(KBD_DATA_PORT);
    if ((cb & KBD_CB_NEEDED) != KBD_CB_NEEDED) {
        cb |= KBD_CB_NEEDED;
        if (!send_command(KBD_CMD_WRITE_CB) || !write_data(cb))
            return "the 8042 did not take a new command byte";
        command_byte_changed = true;
    }
    if (!send_command(KBD_CMD_ENABLE_KBD))
        return "the 8042 did not take command 0xae (enable keyboard)";
    command_byte = cb & ~KBD_CB_KBD_DISABLE;
    return 0;
}

/* Takes every byte the 8042 holds: scan codes into the key ring, the
 * mouse's and bad ones dropped. */
static void kbd_take_bytes(void)
{
    for (int i = 0; i < KBD_IRQ_MAX_BYTES; i++) {
        uint8_t status = kbd_status();
        if (!(status & KBD_STAT_OBF))
            return;
        uint8_t byte = inb(KBD_DATA_PORT);
        if (status & (KBD_STAT_AUX_OBF | KBD_STAT_TIMEOUT
                      | KBD_STAT_PARITY)) {
            stats.discarded++;
            continue;
        }
        stats.scancodes++;
        int c = keymap_feed(&keymap, byte);
        if (c < 0)
            continue;
        if (ring_put(&ring, (uint8_t)c))
            stats.keys++;
        else
            stats.dropped++;
    }
}

void kbd_poll(void)
{
    if (!present)
        return;
    uint32_t flags = irq_save();
    kbd_take_bytes();
    irq_restore(flags);
}

static void kbd_irq(void)
{
    kbd_take_bytes();
}

static const char *kbd_reg_name(uint32_t port, bool write, uint32_t value)
{
    (void)value;
    if (port == KBD_DATA_PORT)
        return write ? "data (to keyboard or controller)" : "scan code / reply";
    return write ? "command" : "status";
}

static const struct io_trace_device trace_8042 = {
    "i8042", IO_PMIO, KBD_DATA_PORT, KBD_STATUS_PORT, kbd_reg_name,
};

bool kbd_init(void)
{
    io_trace_add_device(&trace_8042);
    if (kbd_status() == BUS_IDLE) {
        problem = "no 8042 answered at port 0x64 (status reads 0xff)";
        return false;
    }
    problem = setup_controller();
    if (problem)
        return false;
    keymap_init(&keymap);
    ring_init(&ring, ring_buf, KBD_RING);
    present = true;
    irq_register(IRQ_KEYBOARD, "keyboard", kbd_irq);
    /* A key pressed while the kernel booted may already wait at port 0x60,
     * its IRQ 1 edge raised before the line was unmasked. The 8259 keeps
     * such an edge in its IRR; in APIC mode it is lost (seen under QEMU).
     * The 8042 raises no new edge while its output buffer stays full, so
     * the keyboard would stay dead for the session. Take what waits now,
     * as the handler would (interrupts are still off). */
    kbd_irq();
    return true;
}

bool kbd_present(void)
{
    return present;
}

const char *kbd_problem(void)
{
    return problem;
}

int kbd_getc(void)
{
    uint8_t c;

    if (!present || !ring_get(&ring, &c))
        return -1;
    return c;
}

uint8_t kbd_command_byte(void)
{
    return command_byte;
}

bool kbd_command_byte_changed(void)
{
    return command_byte_changed;
}

bool kbd_reset_cpu(void)
{
    if (!send_command(KBD_CMD_PULSE_RESET))
        return false;
    pit_sleep_ms(KBD_RESET_WAIT_MS);
    return false;
}

struct kbd_stats kbd_stats(void)
{
    return stats;
}
