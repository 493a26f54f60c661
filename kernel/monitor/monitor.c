/*
 * The monitor's core: the line loop, the dispatcher and `help`. The
 * commands live in kernel/cmd_*.c, a set per file. The dispatcher checks
 * the argument count; each command checks its values and answers a bad one
 * with a single "error: " line. Nothing typed here may crash the kernel:
 * accesses that can fault run under trap_try.
 */
#include "kernel/monitor/monitor.h"

#include "drivers/vga.h"
#include "kernel/console.h"
#include "kernel/lib/fmt.h"
#include "kernel/lib/klib.h"
#include "kernel/lib/line.h"
#include "kernel/lib/parse.h"

#include <stdarg.h>

#define MONITOR_PROMPT "iospace> "
#define MONITOR_MAX_WORDS 8

static const struct command *const command_sets[];

void monitor_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    kprintf("error: ");
    kvprintf(fmt, ap);
    kprintf("\n");
    va_end(ap);
}

bool monitor_arg_number(const char *cmd, const char *what, const char *s,
                        uint32_t max, uint32_t *out)
{
    enum parse_status st = parse_u32(s, out);
    if (st != PARSE_OK) {
        monitor_error("%s: %s '%s': %s", cmd, what, s, parse_status_text(st));
        return false;
    }
    if (*out > max) {
        monitor_error("%s: %s %s is out of range (at most 0x%x)", cmd, what,
                      s, max);
        return false;
    }
    return true;
}

bool monitor_arg_bdf(const char *cmd, const char *s, pci_bdf *out)
{
    if (pci_parse_bdf(s, out))
        return true;
    monitor_error("%s: '%s' is not a bus:device.function such as 00:1f.2 "
                  "(hex; device 0-1f, function 0-7)", cmd, s);
    return false;
}

/* help's layout: the usage in a column of HELP_USAGE_WIDTH, the text after
 * it, wrapped at spaces so that no line reaches the 80th column (a line of
 * exactly 80 makes the VGA console wrap to a blank row). A usage too wide
 * for its column gets a line of its own. */
#define HELP_INDENT "  "
#define HELP_USAGE_WIDTH 24
#define HELP_TEXT_COLUMN 27         /* indent + usage column + a space */
#define HELP_LINE_MAX 79

/* Prints text from column HELP_TEXT_COLUMN, breaking at the last space
 * that keeps a line inside HELP_LINE_MAX, and going on at that column. */
static void print_help_text(const char *text)
{
    const size_t room = HELP_LINE_MAX - HELP_TEXT_COLUMN;
    char line[HELP_LINE_MAX - HELP_TEXT_COLUMN + 1];

    while (*text) {
        size_t len = 0, cut = 0;
        while (len <= room && text[len]) {
            if (text[len] == ' ')
                cut = len;
            len++;
        }
        if (len > room)             /* too long: break at the last space */
            len = cut ? cut : room;
        memcpy(line, text, len);
        line[len] = '\0';
        kprintf("%s\n", line);
        text += len;
        while (*text == ' ')
            text++;
        if (*text)
            kprintf("%*s", HELP_TEXT_COLUMN, "");
    }
}

static void cmd_help(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    kprintf("Numbers are decimal or hex with 0x. Commands:\n");
    for (const struct command *const *set = command_sets; *set; set++) {
        for (const struct command *c = *set; c->name; c++) {
            char usage[HELP_LINE_MAX];
            if (fmt_snprintf(usage, sizeof usage, "%s %s", c->name, c->args)
                > HELP_USAGE_WIDTH)
                kprintf(HELP_INDENT "%s\n%*s", usage, HELP_TEXT_COLUMN, "");
            else
                kprintf(HELP_INDENT "%-*s ", HELP_USAGE_WIDTH, usage);
            print_help_text(c->help);
        }
    }
}

static void cmd_clear(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    vga_clear();
}

static const struct command monitor_commands[] = {
    { "help", "", "this list", 1, 1, cmd_help },
    { "clear", "", "clear the monitor's rows of the VGA screen", 1, 1,
      cmd_clear },
    { 0, 0, 0, 0, 0, 0 },
};

static const struct command *const command_sets[] = {
    monitor_commands, screen_commands, io_commands, trace_commands,
    interrupt_commands, apic_commands, serial_commands, keyboard_commands,
    dma_commands, disk_commands, pci_commands, bar_commands, vga_commands,
    msi_commands, map_commands, bench_commands, system_commands, 0,
};

static void run_line(char *line)
{
    char *argv[MONITOR_MAX_WORDS];
    int argc = split_words(line, argv, MONITOR_MAX_WORDS);

    if (argc == 0)
        return;
    if (argc < 0) {
        monitor_error("too many words (at most %d)", MONITOR_MAX_WORDS);
        return;
    }
    for (const struct command *const *set = command_sets; *set; set++) {
        for (const struct command *c = *set; c->name; c++) {
            if (strcmp(c->name, argv[0]) != 0)
                continue;
            if (argc < c->min_args || argc > c->max_args)
                monitor_error("usage: %s %s", c->name, c->args);
            else
                c->run(argc, argv);
            return;
        }
    }
    monitor_error("unknown command '%s' (try help)", argv[0]);
}

static void echo(void *ctx, const char *s)
{
    (void)ctx;
    console_write(s);
}

void monitor_run(void)
{
    static struct line_editor ed;

    line_reset(&ed);
    console_write(MONITOR_PROMPT);
    for (;;) {
        enum line_event ev = line_feed(&ed, (uint8_t)console_getc(), echo, 0);
        if (ev == LINE_PENDING)
            continue;
        if (ev == LINE_DONE) {
            if (ed.dropped)
                monitor_error("line too long (%u characters, at most %u)",
                              (unsigned)(ed.len + ed.dropped), LINE_CAPACITY);
            else if (ed.bad_byte && ed.first_bad < LINE_FIRST_PRINTABLE)
                monitor_error("control byte 0x%02x in the line; nothing was "
                              "run", ed.first_bad);
            else if (ed.bad_byte)
                monitor_error("byte 0x%02x outside printable ASCII in the "
                              "line; nothing was run", ed.first_bad);
            else
                run_line(ed.buf);
            console_recheck_tick();
        }
        line_reset(&ed);
        console_write(MONITOR_PROMPT);
    }
}
