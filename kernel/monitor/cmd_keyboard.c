/*
 * The keyboard controller from the inside: the 8042's status register bit
 * by bit (claim C2: one `in` from port 0x64), the command byte, and what
 * IRQ 1 has brought (claim C8).
 */
#include "drivers/kbd8042.h"
#include "kernel/console.h"
#include "kernel/lib/klib.h"
#include "kernel/monitor/monitor.h"

struct status_bit {
    uint8_t mask;
    const char *name;
    const char *meaning;
};

static const struct status_bit status_bits[] = {
    { KBD_STAT_OBF, "OBF", "output buffer full: a byte waits at port 0x60" },
    { KBD_STAT_IBF, "IBF", "input buffer full: the 8042 is busy" },
    { KBD_STAT_SYS, "SYS", "system flag: the 8042 passed its self-test" },
    { KBD_STAT_CMD, "CMD", "the last write was a command (port 0x64)" },
    { KBD_STAT_UNLOCKED, "KEY", "keyboard not inhibited by the keylock" },
    { KBD_STAT_AUX_OBF, "AUX", "the waiting byte is from the mouse port" },
    { KBD_STAT_TIMEOUT, "TO", "time-out talking to the device" },
    { KBD_STAT_PARITY, "PE", "parity error in the last byte" },
};

static const char *on_off(uint8_t v, uint8_t bit)
{
    return v & bit ? "on" : "off";
}

static void cmd_kbd(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    uint8_t st = kbd_status();

    kprintf("8042 status register (port 0x%02x) = 0x%02x\n", KBD_STATUS_PORT,
            st);
    for (unsigned i = 0; i < ARRAY_SIZE(status_bits); i++) {
        const struct status_bit *b = &status_bits[i];
        kprintf("  bit %u %-3s %u  %s\n",
                (unsigned)__builtin_ctz(b->mask), b->name,
                (st & b->mask) ? 1u : 0u, b->meaning);
    }
    if (!kbd_present()) {
        kprintf("no keyboard: %s\n", kbd_problem());
        return;
    }
    uint8_t cb = kbd_command_byte();
    kprintf("command byte 0x%02x (%s): IRQ 1 %s, set 1 translation %s, "
            "keyboard %s\n", cb,
            kbd_command_byte_changed() ? "set by the driver" : "as found",
            on_off(cb, KBD_CB_KBD_IRQ), on_off(cb, KBD_CB_TRANSLATE),
            cb & KBD_CB_KBD_DISABLE ? "disabled" : "enabled");
    struct kbd_stats s = kbd_stats();
    kprintf("%u scan codes, %u keys typed, %u dropped (ring full), "
            "%u discarded\n", s.scancodes, s.keys, s.dropped, s.discarded);
}

const struct command keyboard_commands[] = {
    { "kbd", "", "8042 keyboard controller: status bits, counts", 1, 1,
      cmd_kbd },
    { 0, 0, 0, 0, 0, 0 },
};
