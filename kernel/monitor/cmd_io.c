/*
 * The two access mechanisms, by hand: in/out on the I/O port space
 * (claim C2) and mov on physical memory (claim C1).
 */
#include "io/mmio.h"
#include "io/port.h"
#include "kernel/console.h"
#include "kernel/monitor/monitor.h"
#include "kernel/paging.h"
#include "kernel/trap.h"

#define PORT_MAX 0xFFFFu
#define PEEK_MAX_COUNT 64u
#define PEEK_WORDS_PER_LINE 4
#define WORD_BYTES 4u

static void cmd_in(int argc, char **argv)
{
    uint32_t port;
    (void)argc;
    if (!monitor_arg_number(argv[0], "PORT", argv[1], PORT_MAX, &port))
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
    if (!monitor_arg_number(argv[0], "PORT", argv[1], PORT_MAX, &port)
        || !monitor_arg_number(argv[0], "VALUE", argv[2], max, &value))
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
    monitor_error("access to 0x%08x faulted (exception %u)", a->addr,
          trap_last_fault().vector);
    return false;
}

static bool arg_address(const char *cmd, const char *s, uint32_t *out)
{
    if (!monitor_arg_number(cmd, "ADDR", s, 0xFFFFFFFF, out))
        return false;
    if (*out % WORD_BYTES) {
        monitor_error("%s: ADDR 0x%08x is not 4-byte aligned", cmd, *out);
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
        if (!monitor_arg_number(argv[0], "COUNT", argv[2], PEEK_MAX_COUNT,
                                &count))
            return;
        if (count == 0) {
            monitor_error("peek: COUNT must be 1..%u", PEEK_MAX_COUNT);
            return;
        }
    }
    if ((count - 1) * WORD_BYTES > 0xFFFFFFFF - addr) {
        monitor_error("peek: 0x%08x + %u words runs past 4 GiB", addr, count);
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
        || !monitor_arg_number(argv[0], "VALUE", argv[2], 0xFFFFFFFF,
                               &a.value))
        return;
    if (phys_access(&a))
        kprintf("0x%08x <- 0x%08x\n", a.addr, a.value);
}

const struct command io_commands[] = {
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
    { 0, 0, 0, 0, 0, 0 },
};
