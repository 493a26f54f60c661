/*
 * kmain: where the C part of iospace begins. boot/multiboot.asm has set up
 * a stack and the kernel's GDT; interrupts are off, paging is off.
 */
#include "drivers/ahci.h"
#include "drivers/ata.h"
#include "drivers/dma8237.h"
#include "drivers/floppy.h"
#include "drivers/lapic.h"
#include "drivers/pci.h"
#include "drivers/kbd8042.h"
#include "drivers/pic8259.h"
#include "drivers/pit8254.h"
#include "drivers/rtc.h"
#include "drivers/serial.h"
#include "drivers/vga.h"
#include "drivers/vga_bar.h"
#include "io/port.h"
#include "io/trace.h"
#include "kernel/acpi_tables.h"
#include "kernel/lib/bootinfo.h"
#include "kernel/lib/cmdline.h"
#include "kernel/console.h"
#include "kernel/cpu.h"
#include "kernel/lib/fmt.h"
#include "kernel/lib/lab.h"
#include "kernel/lib/klib.h"
#include "kernel/idt.h"
#include "kernel/irq.h"
#include "kernel/irq_apic.h"
#include "kernel/monitor/monitor.h"
#include "kernel/paging.h"
#include "kernel/panel/panel.h"
#include "kernel/lib/panel_layout.h"
#include "kernel/lib/units.h"
#include "kernel/selftest.h"
#include "kernel/tick.h"
#include "kernel/tsc.h"
#include "kernel/tss.h"
#include "kernel/x86.h"

#include <stdint.h>

#define IOSPACE_BANNER "iospace - port-mapped and memory-mapped I/O on x86"

extern char kernel_image_start[], kernel_image_end[];

/* The first megabyte's device memory, mapped uncached: the VGA window. */
static const struct paging_range low_devices[] = {
    { VGA_MEMORY_BASE, VGA_MEMORY_SIZE },
};

static struct bootinfo info;
/* Bytes of a cut command line shown before the cut, and the warning. */
#define CMDLINE_CUT_SHOWN 16
#define CMDLINE_CUT_MESSAGE 128
static struct cmdline options;

const struct bootinfo *kernel_bootinfo(void)
{
    return &info;
}

/* The consoles: kernel/console.c knows no device, so the devices are
 * handed to it here. */

/* Terminals expect CR LF at the end of a line; the VGA console only needs
 * the LF. The conversion happens here, once, for every line. */
static void serial_console_putc(char c)
{
    if (c == '\n')
        serial_putc('\r');
    serial_putc(c);
}

static bool serial_console_stuck(uint32_t *dropped)
{
    *dropped = serial_stats().tx_dropped;
    return serial_tx_stuck();
}

static void vga_console_color(enum console_color c)
{
    static const enum vga_color fg[] = {
        [CONSOLE_PLAIN] = VGA_LIGHT_GREY,
        [CONSOLE_TITLE] = VGA_LIGHT_CYAN,
        [CONSOLE_WARNING] = VGA_YELLOW,
        [CONSOLE_ERROR] = VGA_LIGHT_RED,
    };
    vga_set_color(fg[c], VGA_BLACK);
}

/* On a line of its own: it may come in the middle of one. */
#define SERIAL_STUCK_WARNING                                               \
    "\nwarning: serial: the UART's transmitter stopped taking bytes (LSR "   \
    "THRE stays clear); serial output is dropped until it takes them "     \
    "again\n"

static struct console_sink serial_console = {
    .name = "serial",
    .putc = serial_console_putc,
    .stuck = serial_console_stuck,
    .stuck_warning = SERIAL_STUCK_WARNING,
};
static struct console_sink vga_console = {
    .name = "vga",
    .putc = vga_putc,
    .color = vga_console_color,
    .flush = vga_sync_cursor,
};
/* The serial line first, then the keyboard: either drives the monitor. */
static struct console_source serial_input = {
    .getc = serial_getc, .poll = serial_poll,
};
static struct console_source keyboard_input = {
    .getc = kbd_getc, .poll = kbd_poll,
};

/* While the kernel waits for input: the live panel draws, and what the
 * UART's interrupt handler found and undid (loopback or DLAB left on by
 * hand, drivers/serial.c) is said here, outside the handler. */
static void idle(void)
{
    panel_poll();
    for (const char *w; (w = serial_take_warning()) != 0;) {
        kprintf("\n");         /* it may come in the middle of a line */
        kwarn("%s", w);
    }
}

/* Output to the serial line, then the screen; input from both; idle
 * while the kernel waits for input. */
static void register_consoles(void)
{
    console_add_sink(&serial_console);
    if (vga_present())
        console_add_sink(&vga_console);
    console_add_source(&serial_input);
    console_add_source(&keyboard_input);
    console_set_idle(idle);
    console_set_tick(tick_count, tick_millihz);
}

/* In a student tree (`make lab`, docs/labs.md) a stub stands where a
 * lab's part goes: it says, once, that the part is missing and what the
 * machine does without it, and the kernel boots on where it can. */
static void report_missing_lab_part(const struct lab_part *p)
{
    kwarn("lab %s: part '%s' is missing (TODO in %s): %s", p->lab, p->part,
          p->file, p->effect);
}

static void print_warning(void *ctx, const char *message)
{
    (void)ctx;
    kwarn("%s", message);
}

/* The I/O trace times its records by the TSC, or by the kernel's ticks on
 * a CPU without one (a 486). */
static void start_trace_clock(void)
{
    if (cpu.features_edx & CPUID_1_EDX_TSC)
        io_trace_set_clock(rdtsc, "TSC cycles");
    else
        io_trace_set_clock(tick_count, "ticks");
}

static void print_bootinfo(void)
{
    kprintf("boot loader: %s\n", info.loader[0] ? info.loader : "(not named)");
    kprintf("command line: '%s'\n", info.cmdline);
    if (info.cmdline_length > BOOTINFO_CMDLINE_MAX) {
        char cut[CMDLINE_CUT_MESSAGE];
        fmt_snprintf(cut, sizeof cut, "command line is %s%u bytes, longer "
                     "than the %u kept: cut after '...%s'; the rest is "
                     "ignored", info.cmdline_unended ? "at least " : "",
                     info.cmdline_length, BOOTINFO_CMDLINE_MAX,
                     info.cmdline + BOOTINFO_CMDLINE_MAX - CMDLINE_CUT_SHOWN);
        print_warning(0, cut);
    }
    if (info.flags & MULTIBOOT_INFO_MEMORY)
        kprintf("memory: %u KiB below 1 MiB, %u KiB above\n",
                info.mem_lower_kib, info.mem_upper_kib);
    kprintf("memory map (%u regions%s):\n", info.mmap_count,
            info.mmap_truncated ? ", more not shown" : "");
    for (unsigned i = 0; i < info.mmap_count; i++) {
        const struct bootinfo_region *r = &info.mmap[i];
        uint64_t last = r->base + r->length - (r->length ? 1 : 0);
        kprintf("  %016llx-%016llx %s\n", (unsigned long long)r->base,
                (unsigned long long)last, bootinfo_region_type_name(r->type));
    }
    if (info.problem)
        print_warning(0, info.problem);
}

static void print_cpu(void)
{
    if (!cpu.has_cpuid) {
        kprintf("cpu: no CPUID instruction (an early 486 or older)\n");
        return;
    }
    kprintf("cpu: %s family %u model %u stepping %u, features %08x\n",
            cpu.vendor, cpu.family, cpu.model, cpu.stepping,
            cpu.features_edx);
}

/* APIC delivery when the command line and the CPU allow it; false (and
 * why, printed) when the kernel must stay with the 8259. */
static bool start_apic(void)
{
    struct lapic_info lapic = lapic_detect();
    struct apic_config cfg;

    if (options.irq == IRQ_MODE_PIC) {
        kprintf("irq: irq=pic: the 8259 PIC delivers\n");
        return false;
    }
    if (!lapic.present) {
        print_warning(0, "apic: this CPU has no Local APIC (CPUID); the "
                         "8259 PIC delivers");
        return false;
    }
    if (!lapic.enabled) {
        print_warning(0, "apic: disabled in IA32_APIC_BASE by the firmware; "
                         "the 8259 PIC delivers");
        return false;
    }
    /* Disabled returned above. */
    kprintf("apic: IA32_APIC_BASE: base 0x%08x, enabled, %s\n", lapic.base,
            lapic.bsp ? "bootstrap processor" : "application processor");
    const struct acpi_madt *madt = acpi_tables_madt();
    if (!madt || !apic_config_from_madt(&cfg, lapic.base, madt)) {
        apic_config_defaults(&cfg, lapic.base);
        kprintf("apic: no IO APIC from ACPI; assuming one at 0x%08x with "
                "identity ISA routing\n", cfg.ioapic_base);
    }
    return irq_apic_start(&cfg, options.hz);
}

/* Device interrupts, the tick, interrupt-driven serial and keyboard input;
 * then IF on.
 * The PIT runs in both modes: it is the reference clock. */
static void start_interrupts(void)
{
    pic_remap(IRQ_VECTOR_BASE, IRQ_VECTOR_BASE + PIC_LINES_PER_CHIP);
    irq_init(&pic8259_chip);
    kprintf("pic: 8259 pair remapped, lines 0-7 to vectors 0x%02x-0x%02x, "
            "8-15 to 0x%02x-0x%02x\n", pic_vector_base(false),
            pic_vector_base(false) + PIC_LINES_PER_CHIP - 1,
            pic_vector_base(true),
            pic_vector_base(true) + PIC_LINES_PER_CHIP - 1);
    if (!pit_init(options.hz))
        print_warning(0, "pit: channel 0 (ports 0x40/0x43) does not count: "
                         "no 8254 here; no timer tick, no timeouts");
    if (tsc_calibrate()) {
        kprintf("tsc: %u kHz, measured against PIT channel 2\n",
                (uint32_t)(tsc_hz() / HZ_PER_KHZ));
    } else if (cpu.features_edx & CPUID_1_EDX_TSC) {
        char msg[120];
        fmt_snprintf(msg, sizeof msg, "tsc: %s; the TSC is not used",
                     tsc_problem());
        print_warning(0, msg);
    } else {
        kprintf("tsc: %s; timing uses PIT ticks\n", tsc_problem());
    }
    if (!start_apic() && pit_counting()) {
        tick_start_pit();
        uint32_t mhz = pit_actual_millihz();
        kprintf("pit: channel 0 at %u.%03u Hz (divisor %u) on IRQ 0 is the "
                "tick\n", mhz / MILLIHZ_PER_HZ, mhz % MILLIHZ_PER_HZ, pit_divisor());
    }
    serial_start_rx_irq();
    if (kbd_init()) {
        kprintf("keyboard: 8042 on ports 0x%02x/0x%02x, IRQ %u, scan code "
                "set 1\n", KBD_DATA_PORT, KBD_STATUS_PORT, IRQ_KEYBOARD);
    } else {
        char msg[120];
        fmt_snprintf(msg, sizeof msg, "keyboard: %s; type on the serial "
                     "line", kbd_problem());
        print_warning(0, msg);
    }
    sti();
}

static void print_rtc(void)
{
    struct rtc_regs raw;
    struct rtc_time now;
    char text[RTC_TIME_TEXT_SIZE];
    enum rtc_status st = rtc_read(&raw, &now);

    if (st != RTC_OK) {
        char problem[96];
        fmt_snprintf(problem, sizeof problem, "rtc: %s", rtc_status_text(st));
        print_warning(0, problem);
        return;
    }
    rtc_time_format(&now, text, sizeof text);
    kprintf("rtc: %s (%s)\n", text, rtc_time_mode(raw.status_b));
}

/* The title row, the banner, and which serial line the kernel found. */
static void print_banner(bool serial_ok)
{
    vga_set_title(IOSPACE_BANNER);
    console_color(CONSOLE_TITLE);
    kprintf("%s\n", IOSPACE_BANNER);
    console_color(CONSOLE_PLAIN);
    if (serial_ok)
        kprintf("serial: 16550 UART on COM1 (port 0x%x), %u 8N1\n", COM1_BASE,
                SERIAL_BAUD);
    else
        kwarn("serial: no UART answered the loopback test at port 0x%x; "
              "using the VGA screen alone", COM1_BASE);
}

/* What the machine is: the CPU, the boot loader's information and the
 * command line in it, the date. True when the multiboot information was
 * there to read. */
static bool read_machine(uint32_t magic, uint32_t info_addr)
{
    bool multiboot_ok = false;

    cpu_detect();
    start_trace_clock();
    if (magic == MULTIBOOT_BOOTLOADER_MAGIC) {
        multiboot_ok = bootinfo_parse(info_addr, paging_early_read, 0, &info);
        print_bootinfo();
    } else {
        print_warning(0, "multiboot: bad magic in EAX; no boot information");
    }
    cmdline_parse(info.cmdline, &options, print_warning, 0);
    io_trace_set(options.trace);
    kprintf("options: irq=%s hz=%u%s%s%s%s\n", irq_mode_name(options.irq),
            options.hz, options.trace ? " trace" : "",
            options.test ? " test" : "",
            options.screen == SCREEN_CONSOLE ? " screen=console" : "",
            options.pci_nomcfg ? " pci=nomcfg" : "");
    print_cpu();
    rtc_init();
    print_rtc();
    return multiboot_ok;
}

/* The ACPI tables (read while physical addresses are still pointers),
 * the IDT, paging, the double fault's task. */
static void start_memory(void)
{
    acpi_tables_read();
    idt_init();
    paging_init(low_devices, ARRAY_SIZE(low_devices));
    tss_init();
    kprintf("kernel: %p-%p, paging on (%u pages identity-mapped, page 0 "
            "and the stack guard at %p left unmapped, VGA window "
            "uncached)\n", kernel_image_start, kernel_image_end,
            paging_mapped_pages(), (void *)(uintptr_t)paging_stack_guard());
}

/* The PCI bus: ports 0xCF8/0xCFC on every PC, ECAM where the machine is
 * PCI Express: where ACPI's MCFG says (unless pci=nomcfg), else where
 * q35's host bridge says. */
static void start_pci(void)
{
    const struct acpi_mcfg *mcfg = acpi_tables_mcfg();
    if (mcfg && mcfg->start_bus != 0) {
        kwarn("pci: the MCFG's window starts at bus %u, not 0; not used",
              mcfg->start_bus);
        mcfg = 0;
    }
    if (options.pci_nomcfg)
        mcfg = 0;
    if (!pci_init(mcfg ? mcfg->base : 0, mcfg ? mcfg->end_bus : 0)) {
        kwarn("pci: none: %s", pci_problem());
        return;
    }
    kprintf("pci: %u functions; configuration space by %s", pci_function_count(),
            pci_mechanism() == PCI_MECH_ECAM ? "ECAM" : "ports 0xcf8/0xcfc");
    if (pci_ecam_present())
        kprintf(" at 0x%08x (from %s%s)", pci_ecam_base(),
                pci_ecam_source_name(pci_ecam_source()),
                acpi_tables_mcfg() && options.pci_nomcfg
                    ? "; MCFG left aside: pci=nomcfg" : "");
    kprintf("\n");
    /* The VGA's registers, a second time: through the card's BAR2. */
    if (vga_bar_init())
        kprintf("vga: standard VGA %02x:%02x.%x, its registers also at BAR2 "
                "0x%08x (vgaregs)\n", PCI_BDF_BUS(vga_bar_bdf()),
                PCI_BDF_DEV(vga_bar_bdf()), PCI_BDF_FN(vga_bar_bdf()),
                vga_bar_address());
}

/* The DMA controllers, PCI, interrupts and the timers, then the diskette
 * and the hard disk. */
static void start_devices(void)
{
    dma_init();
    start_pci();
    start_interrupts();
    if (floppy_init())
        kprintf("floppy: %s\n", floppy_description());
    else
        kprintf("floppy: none: %s\n", floppy_description());
    bool ata = ata_init();
    bool ahci = ahci_init();
    if (ata)
        kprintf("disk: %s\n", ata_description());
    if (ahci || ahci_present())
        kprintf("disk: %s%s\n", ahci ? "" : "none: ", ahci_description());
    else if (!ata)
        kprintf("disk: none: %s\n", ata_description());
}

/* Says where to type, puts up the live panel and hands over to the
 * monitor, for good. */
static void run_monitor(bool serial_ok)
{
    if (!vga_present())
        options.screen = SCREEN_CONSOLE;
    if (!vga_present())
        kprintf("consoles: serial line COM1 only (no VGA card: GR06 reads "
                "0x%02x); type 'help' for the monitor's commands\n",
                VGA_NO_CARD);
    else
        kprintf("consoles: VGA screen%s; type 'help' for the monitor's "
                "commands\n", serial_ok ? " and serial line COM1"
                                         : " only (no serial port)");
    if (options.screen == SCREEN_LIVE)
        kprintf("screen: the live I/O panel takes VGA rows %u-%u ('screen "
                "console' gives the monitor all of them)\n",
                PANEL_FIRST_ROW, PANEL_CONSOLE_TOP - 1);
    panel_start(options.screen);
    monitor_run();
}

/* Called by _start in boot/multiboot.asm, which cppcheck does not read. */
/* cppcheck-suppress unusedFunction */
void kmain(uint32_t magic, uint32_t info_addr)
{
    struct boot_state boot = { false, false, &info };

    /* Serial first, so that the first line on the serial log is ours. */
    io_port_init();
    boot.serial_ok = serial_init();
    vga_init();
    register_consoles();
    print_banner(boot.serial_ok);
    lab_report_to(report_missing_lab_part);

    boot.multiboot_ok = read_machine(magic, info_addr);
    start_memory();
    start_devices();
    if (options.test)
        selftest_run(&boot);
    run_monitor(boot.serial_ok);
}
