/*
 * The two access mechanisms, by hand: in/out on the I/O port space
 * (claim C2) and mov on physical memory (claim C1).
 *
 * A write the kernel knows to be fatal (a reset, A20 off, power off, its
 * own GDT, IDT, page tables, code or stack, an INIT to itself: the rules
 * are in kernel/lib/write_guard.c) is refused with the reason, unless it
 * is typed with `!` (`outb! 0x92 0`); then the reason is printed before
 * the write. Every write prints what it does before doing it, so even a
 * write that resets the PC leaves its line on the consoles.
 */
#include "drivers/lapic.h"
#include "drivers/vga.h"
#include "io/mmio.h"
#include "io/port.h"
#include "kernel/console.h"
#include "kernel/lib/write_guard.h"
#include "kernel/monitor/monitor.h"
#include "kernel/monitor/portmap.h"
#include "kernel/paging.h"
#include "kernel/trap.h"
#include "kernel/x86.h"

#define PORT_MAX 0xFFFFu
#define PEEK_MAX_COUNT 64u
#define PEEK_WORDS_PER_LINE 4
#define WORD_BYTES 4u
#define PAGE_DIRECTORY_ENTRIES (PAGE_SIZE / sizeof(uint32_t))
/* The kernel's ranges: code, stack, GDT, IDT, the page directory and up
 * to this many page tables. */
#define GUARD_MAX_TABLES 8
#define GUARD_FIXED_RANGES 5

/* Linker symbols (boot/linker.ld, boot/multiboot.asm). */
extern char kernel_image_start[], kernel_text_end[];
extern char kernel_stack_bottom[], kernel_stack_top[];

/* The last command the monitor wrote to the 8042 was 0xD1: its next data
 * byte is the output port. */
static bool kbc_outport_next;

/* The width of an in/out command from its name: inb, outw!, ... */
static unsigned width_bytes(char suffix)
{
    return suffix == 'b' ? 1 : suffix == 'w' ? 2 : 4;
}

/* An access that runs past a device's ports reaches two devices, or one
 * that decodes only part of it (QEMU's UART model aborts on it). */
static bool port_access_whole(const char *cmd, uint32_t port, unsigned bytes)
{
    const struct portmap_range *r =
        guard_port_straddle(portmap, portmap_count, port, bytes);
    if (!r)
        return true;
    monitor_error("%s: a %u-byte access at 0x%04x reaches ports 0x%04x-0x%04x"
                  ", not all of them in 0x%04x-0x%04x (%s): a device answers "
                  "only its own ports; use byte accesses", cmd, bytes, port,
                  port, port + bytes - 1, r->first, r->last, r->chip);
    return false;
}

/* outb!, outw!, outl!, poke!: the name's fifth character. */
static bool forced(const char *cmd)
{
    return cmd[4] == '!';
}

/* The verdict's answer: true when the write may go ahead. */
static bool guard_allows(const char *cmd, struct guard_verdict v)
{
    if (!v.fatal)
        return true;
    if (forced(cmd)) {
        kprintf("%s: %s: %s; writing it as asked\n", cmd, v.what, v.why);
        return true;
    }
    monitor_error("%s refused: %s: %s (%s! writes it anyway)", cmd, v.what,
                  v.why, cmd);
    return false;
}

static void cmd_in(int argc, char **argv)
{
    uint32_t port;
    (void)argc;
    if (!monitor_arg_number(argv[0], "PORT", argv[1], PORT_MAX, &port)
        || !port_access_whole(argv[0], port, width_bytes(argv[0][2])))
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
        || !monitor_arg_number(argv[0], "VALUE", argv[2], max, &value)
        || !port_access_whole(argv[0], port, width_bytes(width))
        || !guard_allows(argv[0], guard_port_write(port, width_bytes(width),
                                                   value, kbc_outport_next)))
        return;
    switch (width) {
    case 'b':
        kprintf("%s(0x%04x, 0x%02x)\n", argv[0], port, value);
        outb(port, value);
        break;
    case 'w':
        kprintf("%s(0x%04x, 0x%04x)\n", argv[0], port, value);
        outw(port, value);
        break;
    default:
        kprintf("%s(0x%04x, 0x%08x)\n", argv[0], port, value);
        outl(port, value);
        break;
    }
    /* GR06 may have moved the VGA's window: the console follows it. */
    if (port <= VGA_GC_DATA && port + width_bytes(width) > VGA_GC_INDEX)
        vga_window_follow();
    if (port == GUARD_KBC_COMMAND)
        kbc_outport_next = value == GUARD_KBC_WRITE_OUTPORT;
    else if (port == GUARD_KBC_DATA)
        kbc_outport_next = false;
}

/* One 32-bit access to a physical address. If no page maps it, the
 * access goes through a temporary uncached window, which is closed again,
 * so exploring an address does not leave it mapped. The trace records the
 * physical address either way, not the window's. */
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
        mmio_write32_via(va, a->addr, a->value);
    else
        a->value = mmio_read32_via(va, a->addr);
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

static uint32_t address_of(const void *p)
{
    return (uint32_t)(uintptr_t)p;
}

/* The page directory and the page tables it points to, from CR3. */
static unsigned page_table_ranges(struct guard_range *out, unsigned cap)
{
    const uint32_t *dir = (const uint32_t *)(uintptr_t)(read_cr3()
                                                        & PTE_FRAME_MASK);
    static const char why[] = "every address the kernel uses is translated "
                              "through them";
    unsigned n = 0;

    out[n++] = (struct guard_range){ address_of(dir),
                                     address_of(dir) + PAGE_SIZE - 1,
                                     "the page directory (CR3)", why };
    for (unsigned i = 0; i < PAGE_DIRECTORY_ENTRIES && n < cap; i++)
        if (dir[i] & PTE_PRESENT)
            out[n++] = (struct guard_range){
                dir[i] & PTE_FRAME_MASK,
                (dir[i] & PTE_FRAME_MASK) + PAGE_SIZE - 1,
                "a page table", why };
    return n;
}

/* Reads a Local APIC register through phys_access (mapped or not). */
static uint32_t lapic_peek(uint32_t base, uint32_t reg)
{
    struct phys_access a = { base + reg, 0, false };
    return phys_access(&a) ? a.value : 0;
}

/* The verdict on poke: what the kernel is made of now. */
static struct guard_verdict poke_verdict(uint32_t addr, uint32_t value)
{
    struct guard_range ranges[GUARD_FIXED_RANGES + GUARD_MAX_TABLES];
    struct table_register gdtr = store_gdtr(), idtr = store_idtr();
    struct lapic_info lapic = lapic_detect();
    struct guard_self self = { ranges, 0, false, 0, 0, 0 };

    ranges[self.count++] = (struct guard_range){
        address_of(kernel_image_start), address_of(kernel_text_end) - 1,
        "the kernel's code", "the CPU would run what was poked" };
    ranges[self.count++] = (struct guard_range){
        address_of(kernel_stack_bottom), address_of(kernel_stack_top) - 1,
        "the kernel's stack", "it holds the return addresses of the "
        "running monitor" };
    ranges[self.count++] = (struct guard_range){
        gdtr.base, gdtr.base + gdtr.limit, "the GDT (GDTR)",
        "the next segment load or interrupt reads its descriptors" };
    ranges[self.count++] = (struct guard_range){
        idtr.base, idtr.base + idtr.limit, "the IDT (IDTR)",
        "the next interrupt or exception goes where its gate says" };
    self.count += page_table_ranges(ranges + self.count,
                                    GUARD_MAX_TABLES + 1);
    if (lapic.present && lapic.enabled
        && addr == lapic.base + GUARD_LAPIC_ICR_LOW) {
        self.lapic = true;
        self.lapic_base = lapic.base;
        self.lapic_id = (uint8_t)(lapic_peek(lapic.base, GUARD_LAPIC_ID)
                                  >> GUARD_LAPIC_ID_SHIFT);
        self.icr_high = lapic_peek(lapic.base, GUARD_LAPIC_ICR_HIGH);
    }
    return guard_memory_write(addr, value, &self);
}

static void cmd_poke(int argc, char **argv)
{
    struct phys_access a = { 0, 0, true };
    (void)argc;
    if (!arg_address(argv[0], argv[1], &a.addr)
        || !monitor_arg_number(argv[0], "VALUE", argv[2], 0xFFFFFFFF,
                               &a.value)
        || !guard_allows(argv[0], poke_verdict(a.addr, a.value)))
        return;
    kprintf("0x%08x <- 0x%08x\n", a.addr, a.value);
    phys_access(&a);
}

const struct command io_commands[] = {
    { "inb", "PORT", "read a byte from an I/O port (in)", 2, 2, cmd_in },
    { "inw", "PORT", "read a word from an I/O port", 2, 2, cmd_in },
    { "inl", "PORT", "read a dword from an I/O port", 2, 2, cmd_in },
    { "outb", "PORT VALUE", "write a byte to an I/O port (out)", 3, 3,
      cmd_out },
    { "outw", "PORT VALUE", "write a word to an I/O port", 3, 3, cmd_out },
    { "outl", "PORT VALUE", "write a dword to an I/O port", 3, 3, cmd_out },
    { "outb!", "PORT VALUE", "outb even a write that resets the PC", 3, 3,
      cmd_out },
    { "outw!", "PORT VALUE", "outw even a write that resets the PC", 3, 3,
      cmd_out },
    { "outl!", "PORT VALUE", "outl even a write that resets the PC", 3, 3,
      cmd_out },
    { "peek", "ADDR [COUNT]", "read COUNT (<= 64) dwords of physical memory",
      2, 3, cmd_peek },
    { "poke", "ADDR VALUE", "write a dword to physical memory (mov)", 3, 3,
      cmd_poke },
    { "poke!", "ADDR VALUE", "poke even the kernel's own tables or code", 3,
      3, cmd_poke },
    { 0, 0, 0, 0, 0, 0 },
};
