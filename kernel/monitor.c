/*
 * The monitor: a small shell on the console for poking at the hardware.
 * Each command is a row of the table at the bottom: its name, the
 * arguments it takes, and the function that runs it. The dispatcher checks
 * the argument count; each command checks its values and answers a bad one
 * with a single "error: " line. Nothing typed here may crash the kernel:
 * accesses that can fault run under trap_try.
 */
#include "kernel/monitor.h"

#include "drivers/debugexit.h"
#include "drivers/rtc.h"
#include "io/mmio.h"
#include "io/port.h"
#include "kernel/console.h"
#include "kernel/faults.h"
#include "kernel/fmt.h"
#include "kernel/klib.h"
#include "kernel/line.h"
#include "kernel/paging.h"
#include "kernel/panic.h"
#include "kernel/parse.h"
#include "kernel/trap.h"

#include <stdarg.h>

#define MONITOR_PROMPT "iospace> "
#define MONITOR_MAX_WORDS 8
#define PORT_MAX 0xFFFFu
#define PEEK_MAX_COUNT 64u
#define PEEK_WORDS_PER_LINE 4
#define WORD_BYTES 4u

struct command {
    const char *name;
    const char *args;       /* for help and usage lines */
    const char *help;
    int min_args, max_args;
    void (*run)(int argc, char **argv);
};

static const struct command commands[];

static void error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void error(const char *fmt, ...)
{
    char msg[120];
    va_list ap;
    va_start(ap, fmt);
    fmt_vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    kprintf("error: %s\n", msg);
}

/* Parses argument `what` of command `cmd` as a number no larger than max;
 * on failure prints the error line and returns false. */
static bool arg_number(const char *cmd, const char *what, const char *s,
                       uint32_t max, uint32_t *out)
{
    enum parse_status st = parse_u32(s, out);
    if (st != PARSE_OK) {
        error("%s: %s '%s': %s", cmd, what, s, parse_status_text(st));
        return false;
    }
    if (*out > max) {
        error("%s: %s %s is out of range (at most 0x%x)", cmd, what, s, max);
        return false;
    }
    return true;
}

static void cmd_help(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    kprintf("Numbers are decimal or hex with 0x. Commands:\n");
    for (const struct command *c = commands; c->name; c++) {
        char left[32];
        fmt_snprintf(left, sizeof left, "%s %s", c->name, c->args);
        kprintf("  %-24s %s\n", left, c->help);
    }
}

/* inb/inw/inl PORT: the width is the last letter of the command. */
static void cmd_in(int argc, char **argv)
{
    uint32_t port;
    (void)argc;
    if (!arg_number(argv[0], "PORT", argv[1], PORT_MAX, &port))
        return;
    switch (argv[0][2]) {
    case 'b':
        kprintf("%s(0x%04x) = 0x%02x\n", argv[0], port, inb(port));
        break;
    case 'w':
        kprintf("%s(0x%04x) = 0x%04x\n", argv[0], port, inw(port));
        break;
    default:
        kprintf("%s(0x%04x) = 0x%08x\n", argv[0], port, inl(port));
        break;
    }
}

static void cmd_out(int argc, char **argv)
{
    uint32_t port, value;
    char width = argv[0][3];
    uint32_t max = width == 'b' ? 0xFF : width == 'w' ? 0xFFFF : 0xFFFFFFFF;
    (void)argc;
    if (!arg_number(argv[0], "PORT", argv[1], PORT_MAX, &port)
        || !arg_number(argv[0], "VALUE", argv[2], max, &value))
        return;
    switch (width) {
    case 'b':
        outb(port, value);
        kprintf("%s(0x%04x, 0x%02x)\n", argv[0], port, value);
        break;
    case 'w':
        outw(port, value);
        kprintf("%s(0x%04x, 0x%04x)\n", argv[0], port, value);
        break;
    default:
        outl(port, value);
        kprintf("%s(0x%04x, 0x%08x)\n", argv[0], port, value);
        break;
    }
}

/* One 32-bit access to a physical address. If no page maps it, the
 * access goes through a temporary uncached window, which is closed again,
 * so exploring an address does not leave it mapped. */
struct phys_access {
    uint32_t addr;
    uint32_t value;
    bool write;
};

static void do_phys_access(void *arg)
{
    struct phys_access *a = arg;
    bool mapped = paging_entry(a->addr) != 0;
    uintptr_t va = mapped ? a->addr : paging_window_open(a->addr);

    if (a->write)
        mmio_write32(va, a->value);
    else
        a->value = mmio_read32(va);
    if (!mapped)
        paging_window_close();
}

static bool phys_access(struct phys_access *a)
{
    if (trap_try(do_phys_access, a))
        return true;
    if (paging_entry(a->addr) == 0)
        paging_window_close();
    error("access to 0x%08x faulted (exception %u)", a->addr,
          trap_last_fault().vector);
    return false;
}

static bool arg_address(const char *cmd, const char *s, uint32_t *out)
{
    if (!arg_number(cmd, "ADDR", s, 0xFFFFFFFF, out))
        return false;
    if (*out % WORD_BYTES) {
        error("%s: ADDR 0x%08x is not 4-byte aligned", cmd, *out);
        return false;
    }
    return true;
}

static void cmd_peek(int argc, char **argv)
{
    uint32_t addr, count = 1;
    if (!arg_address(argv[0], argv[1], &addr))
        return;
    if (argc > 2) {
        if (!arg_number(argv[0], "COUNT", argv[2], PEEK_MAX_COUNT, &count))
            return;
        if (count == 0) {
            error("peek: COUNT must be 1..%u", PEEK_MAX_COUNT);
            return;
        }
    }
    if ((count - 1) * WORD_BYTES > 0xFFFFFFFF - addr) {
        error("peek: 0x%08x + %u words runs past 4 GiB", addr, count);
        return;
    }
    for (uint32_t i = 0; i < count; i++) {
        struct phys_access a = { addr + i * WORD_BYTES, 0, false };
        if (i % PEEK_WORDS_PER_LINE == 0)
            kprintf("%s0x%08x:", i ? "\n" : "", a.addr);
        if (!phys_access(&a))
            return;
        kprintf(" 0x%08x", a.value);
    }
    kprintf("\n");
}

static void cmd_poke(int argc, char **argv)
{
    struct phys_access a = { 0, 0, true };
    (void)argc;
    if (!arg_address(argv[0], argv[1], &a.addr)
        || !arg_number(argv[0], "VALUE", argv[2], 0xFFFFFFFF, &a.value))
        return;
    if (phys_access(&a))
        kprintf("0x%08x <- 0x%08x\n", a.addr, a.value);
}

static void cmd_fault(int argc, char **argv)
{
    (void)argc;
    const struct fault_kind *k = fault_find(argv[1]);
    if (!k) {
        error("fault: unknown kind '%s' (de, ud, gp, pf or bp)", argv[1]);
        return;
    }
    kprintf("fault: raising %s\n", trap_exception_name(k->vector));
    if (trap_try(fault_raise, (void *)k))
        kprintf("fault: the handler returned; execution continued\n");
    else
        kprintf("fault: recovered from %s at eip %08x, back in the "
                "monitor\n", trap_exception_name(trap_last_fault().vector),
                trap_last_fault().eip);
}

static void cmd_date(int argc, char **argv)
{
    struct rtc_regs raw;
    struct rtc_time now;
    char text[RTC_TIME_TEXT_SIZE];
    enum rtc_status st = rtc_read(&raw, &now);
    (void)argc;
    (void)argv;

    if (st != RTC_OK) {
        error("rtc: %s", rtc_status_text(st));
        return;
    }
    rtc_time_format(&now, text, sizeof text);
    kprintf("%s\n", text);
}

static void cmd_exit(int argc, char **argv)
{
    uint32_t code = 0;
    if (argc > 1 && !arg_number(argv[0], "CODE", argv[1], 0xFF, &code))
        return;
    kprintf("exit: writing 0x%02x to isa-debug-exit (QEMU exits with %u)\n",
            code, code << 1 | 1);
    debugexit_write(code);
    kprintf("exit: no isa-debug-exit device answered at port 0xf4; "
            "halting here\n");
    halt_forever();
}

static const struct command commands[] = {
    { "help", "", "this list", 1, 1, cmd_help },
    { "inb", "PORT", "read a byte from an I/O port (in)", 2, 2, cmd_in },
    { "inw", "PORT", "read a word from an I/O port", 2, 2, cmd_in },
    { "inl", "PORT", "read a dword from an I/O port", 2, 2, cmd_in },
    { "outb", "PORT VALUE", "write a byte to an I/O port (out)", 3, 3,
      cmd_out },
    { "outw", "PORT VALUE", "write a word to an I/O port", 3, 3, cmd_out },
    { "outl", "PORT VALUE", "write a dword to an I/O port", 3, 3, cmd_out },
    { "peek", "ADDR [COUNT]", "read COUNT (<= 64) dwords of physical memory",
      2, 3, cmd_peek },
    { "poke", "ADDR VALUE", "write a dword to physical memory (mov)", 3, 3,
      cmd_poke },
    { "fault", "de|ud|gp|pf|bp", "raise a CPU exception and recover", 2, 2,
      cmd_fault },
    { "date", "", "read the real-time clock (ports 0x70/0x71)", 1, 1,
      cmd_date },
    { "exit", "[CODE]", "leave QEMU through isa-debug-exit", 1, 2,
      cmd_exit },
    { 0, 0, 0, 0, 0, 0 },
};

static void run_line(char *line)
{
    char *argv[MONITOR_MAX_WORDS];
    int argc = split_words(line, argv, MONITOR_MAX_WORDS);

    if (argc == 0)
        return;
    if (argc < 0) {
        error("too many words (at most %d)", MONITOR_MAX_WORDS);
        return;
    }
    for (const struct command *c = commands; c->name; c++) {
        if (strcmp(c->name, argv[0]) != 0)
            continue;
        if (argc < c->min_args || argc > c->max_args)
            error("usage: %s %s", c->name, c->args);
        else
            c->run(argc, argv);
        return;
    }
    error("unknown command '%s' (try help)", argv[0]);
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
                error("line too long (%u characters, at most %u)",
                      (unsigned)(ed.len + ed.dropped), LINE_CAPACITY);
            else if (ed.bad_byte)
                error("control byte 0x%02x in the line; nothing was run",
                      ed.first_bad);
            else
                run_line(ed.buf);
        }
        line_reset(&ed);
        console_write(MONITOR_PROMPT);
    }
}
