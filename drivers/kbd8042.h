#ifndef DRIVERS_KBD8042_H
#define DRIVERS_KBD8042_H

#include <stdbool.h>
#include <stdint.h>

/* The 8042's two ports (IBM PC/AT Technical Reference, "Keyboard
 * Controller"): reading 0x64 gives the status register, writing it sends
 * the controller a command; 0x60 carries data both ways. */
#define KBD_DATA_PORT 0x60
#define KBD_STATUS_PORT 0x64        /* read */
#define KBD_COMMAND_PORT 0x64       /* write */

/* Status register bits (same reference, "Status Register"; bits 5 and 6
 * as the PS/2 controller and QEMU define them: IBM PS/2 Hardware Interface
 * Technical Reference, "Keyboard/Auxiliary Device Controller"). */
#define KBD_STAT_OBF 0x01       /* output buffer full: a byte waits at 0x60 */
#define KBD_STAT_IBF 0x02       /* input buffer full: the 8042 has not yet
                                   taken the last byte written */
#define KBD_STAT_SYS 0x04       /* system flag: set after a good self-test */
#define KBD_STAT_CMD 0x08       /* the last write went to 0x64 (command) */
#define KBD_STAT_UNLOCKED 0x10  /* keyboard not inhibited by the keylock */
#define KBD_STAT_AUX_OBF 0x20   /* the waiting byte is from the mouse port
                                   (on the AT: transmit time-out) */
#define KBD_STAT_TIMEOUT 0x40   /* time-out talking to the device */
#define KBD_STAT_PARITY 0x80    /* parity error in the last byte received */

/* Controller command "pulse output port": the low four bits select (with
 * a 0) which output port bits go low for about 6 us. Output port bit 0 is
 * wired to the CPU's reset line, so 0xFE resets the CPU. */
#define KBD_CMD_PULSE_RESET 0xFE

/* Command byte bits (AT Technical Reference, "Command Byte"). */
#define KBD_CB_KBD_IRQ 0x01     /* raise IRQ 1 when a byte is in OBF */
#define KBD_CB_KBD_DISABLE 0x10 /* keyboard interface off */
#define KBD_CB_TRANSLATE 0x40   /* translate the keyboard's codes to set 1 */

/* Probes the controller, sets it up for set 1 codes on IRQ 1, and
 * registers the IRQ handler. False (with kbd_problem() saying why) when
 * no 8042 answers; every wait is bounded. Interrupts must be off. */
bool kbd_init(void);
bool kbd_present(void);
const char *kbd_problem(void);      /* NULL when kbd_init succeeded */

/* The next typed byte, or -1 when none is waiting. */
int kbd_getc(void);
/* Does by polling what IRQ 1 does: takes what the 8042 holds, for when
 * the line is masked or its edge came before anyone listened. */
void kbd_poll(void);

/* The status register as it reads now (no side effects). */
uint8_t kbd_status(void);
/* The command byte as kbd_init left it, and whether it had to change it. */
uint8_t kbd_command_byte(void);
bool kbd_command_byte_changed(void);

/* Resets the machine by pulsing the CPU reset line through the 8042.
 * Returns (false) only when the machine is still running: the 8042 did
 * not take the command, or ~100 ms passed after it. The wait counts PIT
 * channel 0 (pit_sleep_ms), so interrupts may be off; without a counting
 * PIT it returns at once. */
bool kbd_reset_cpu(void);

struct kbd_stats {
    uint32_t scancodes;     /* bytes read from the keyboard at port 0x60 */
    uint32_t keys;          /* characters they typed */
    uint32_t dropped;       /* characters lost to a full ring */
    uint32_t discarded;     /* bytes not from the keyboard, or with an
                               error bit: read and thrown away */
};
struct kbd_stats kbd_stats(void);

#endif
