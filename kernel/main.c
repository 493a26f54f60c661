/*
 * kmain: where the C part of iospace begins. boot/multiboot.asm has set up
 * a stack and the kernel's GDT; interrupts are off, paging is off.
 */
#include "drivers/dma8237.h"
#include "drivers/floppy.h"
#include "drivers/lapic.h"
#include "drivers/kbd8042.h"
#include "drivers/pic8259.h"
#include "drivers/pit8254.h"
#include "drivers/rtc.h"
#include "drivers/serial.h"
#include "drivers/vga.h"
#include "io/trace.h"
#include "kernel/acpi_tables.h"
#include "kernel/lib/bootinfo.h"
#include "kernel/lib/cmdline.h"
#include "kernel/console.h"
#include "kernel/cpu.h"
#include "kernel/lib/fmt.h"
#include "kernel/idt.h"
#include "kernel/irq.h"
#include "kernel/irq_apic.h"
#include "kernel/monitor/monitor.h"
#include "kernel/paging.h"
#include "kernel/panel/panel.h"
#include "kernel/lib/panel_layout.h"
#include "kernel/selftest.h"
#include "kernel/tsc.h"
#include "kernel/tss.h"
#include "kernel/x86.h"

#include <stdint.h>

#define IOSPACE_BANNER "iospace - port-mapped and memory-mapped I/O on x86"

extern char kernel_image_start[], kernel_image_end[];

static struct bootinfo info;
/* Bytes of a cut command line shown before the cut, and the warning. */
#define CMDLINE_CUT_SHOWN 16
#define CMDLINE_CUT_MESSAGE 128
static struct cmdline options;

const struct bootinfo *kernel_bootinfo(void)
{
    return &info;
}

static void print_warning(void *ctx, const char *message)
{
    (void)ctx;
    console_color(VGA_YELLOW);
    kprintf("warning: %s\n", message);
    console_color(VGA_LIGHT_GREY);
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
    irq_init();
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
                (uint32_t)(tsc_hz() / 1000));
    } else if (cpu.features_edx & CPUID_1_EDX_TSC) {
        char msg[120];
        fmt_snprintf(msg, sizeof msg, "tsc: %s; the TSC is not used",
                     tsc_problem());
        print_warning(0, msg);
    } else {
        kprintf("tsc: %s; timing uses PIT ticks\n", tsc_problem());
    }
    if (!start_apic() && pit_counting()) {
        pit_start_ticking();
        uint32_t mhz = pit_actual_millihz();
        kprintf("pit: channel 0 at %u.%03u Hz (divisor %u) on IRQ 0 is the "
                "tick\n", mhz / 1000, mhz % 1000, pit_divisor());
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

/* Called by _start in boot/multiboot.asm, which cppcheck does not read. */
/* cppcheck-suppress unusedFunction */
void kmain(uint32_t magic, uint32_t info_addr)
{
    struct boot_state boot = { false, false, &info };

    /* Serial first, so that the first line on the serial log is ours. */
    io_trace_init();
    boot.serial_ok = serial_init();
    vga_init();

    vga_set_title(IOSPACE_BANNER);
    console_color(VGA_LIGHT_CYAN);
    kprintf("%s\n", IOSPACE_BANNER);
    console_color(VGA_LIGHT_GREY);
    if (boot.serial_ok)
        kprintf("serial: 16550 UART on COM1 (port 0x3f8), 115200 8N1\n");
    else
        print_warning(0, "serial: no UART answered the loopback test at "
                         "port 0x3f8; using the VGA screen alone");

    cpu_detect();
    if (magic == MULTIBOOT_BOOTLOADER_MAGIC) {
        boot.multiboot_ok = bootinfo_parse(info_addr, paging_early_read, 0,
                                           &info);
        print_bootinfo();
    } else {
        print_warning(0, "multiboot: bad magic in EAX; no boot information");
    }
    cmdline_parse(info.cmdline, &options, print_warning, 0);
    io_trace_set(options.trace);
    kprintf("options: irq=%s hz=%u%s%s%s\n", irq_mode_name(options.irq),
            options.hz, options.trace ? " trace" : "",
            options.test ? " test" : "",
            options.screen == SCREEN_CONSOLE ? " screen=console" : "");
    print_cpu();
    rtc_init();
    print_rtc();

    acpi_tables_read();
    idt_init();
    paging_init();
    tss_init();
    kprintf("kernel: %p-%p, paging on (%u pages identity-mapped, page 0 "
            "and the stack guard at %p left unmapped, VGA window "
            "uncached)\n", kernel_image_start, kernel_image_end,
            paging_mapped_pages(), (void *)(uintptr_t)paging_stack_guard());

    dma_init();
    start_interrupts();
    if (floppy_init())
        kprintf("floppy: %s\n", floppy_description());
    else
        kprintf("floppy: none: %s\n", floppy_description());

    if (options.test)
        selftest_run(&boot);
    kprintf("consoles: VGA screen%s; type 'help' for the monitor's "
            "commands\n", boot.serial_ok ? " and serial line COM1"
                                          : " only (no serial port)");
    if (options.screen == SCREEN_LIVE)
        kprintf("screen: the live I/O panel takes VGA rows %u-%u ('screen "
                "console' gives the monitor all of them)\n",
                PANEL_FIRST_ROW, PANEL_CONSOLE_TOP - 1);
    panel_start(options.screen);
    monitor_run();
}
