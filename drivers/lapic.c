/*
 * The Local APIC: the interrupt controller inside the CPU, memory-mapped
 * (claim C1). Its registers fill one 4 KiB page, by default at physical
 * 0xFEE00000; a load or store there never reaches RAM, the CPU's own APIC
 * answers it (claim C6). The IA32_APIC_BASE MSR says where the page is and
 * can move it (claim C5: the window is programmable).
 *
 * It receives interrupts from the IO APIC as messages, prioritises them,
 * hands the CPU a vector, and waits for an EOI. It also has a timer, whose
 * rate nothing tells the kernel: it is measured against the PIT.
 *
 * Reference: Intel SDM vol. 3A, chapter 11 "Advanced Programmable Interrupt
 * Controller (APIC)": 11.4.1 (table 11-1, register map), 11.4.4 (the base
 * MSR), 11.5.1 (LVT), 11.5.4 (timer), 11.8.5 (EOI), 11.9 (SVR).
 */
#include "drivers/lapic.h"

#include "drivers/pit8254.h"
#include "io/mmio.h"
#include "io/trace.h"
#include "kernel/cpu.h"
#include "kernel/irq.h"
#include "kernel/lib/units.h"
#include "kernel/paging.h"
#include "kernel/trap.h"
#include "kernel/x86.h"

/* IA32_APIC_BASE (11.4.4). */
#define IA32_APIC_BASE_MSR 0x1B
#define APIC_BASE_BSP (1u << 8)
#define APIC_BASE_ENABLE (1u << 11)
#define APIC_BASE_ADDR_MASK 0xFFFFF000u

/* Register offsets in the page (table 11-1). */
#define LAPIC_ID 0x020
#define LAPIC_TPR 0x080         /* task priority */
#define LAPIC_EOI 0x0B0
#define LAPIC_SVR 0x0F0         /* spurious-interrupt vector */
#define LAPIC_ISR 0x100         /* in service: 8 registers, 0x10 apart */
#define LAPIC_ISR_STRIDE 0x10
#define LAPIC_ISR_BITS 32       /* vectors per ISR register */
#define LAPIC_ESR 0x280         /* error status */
#define LAPIC_LVT_TIMER 0x320
#define LAPIC_LVT_LINT0 0x350
#define LAPIC_LVT_LINT1 0x360
#define LAPIC_LVT_ERROR 0x370
#define LAPIC_TIMER_INITIAL 0x380
#define LAPIC_TIMER_CURRENT 0x390
#define LAPIC_TIMER_DIVIDE 0x3E0
#define LAPIC_PAGE_SIZE 0x1000

#define LAPIC_ID_SHIFT 24
#define LAPIC_VERSION_MASK 0xFF
#define LAPIC_MAX_LVT_SHIFT 16  /* version register: entries - 1 */
#define LAPIC_SVR_ENABLE (1u << 8)
#define LAPIC_SVR_VECTOR_MASK 0xFFu
/* Local vector table entries (11.5.1). */
#define LVT_VECTOR_MASK 0xFFu
#define LVT_DELIVERY_SHIFT 8
#define LVT_DELIVERY_MASK 0x7u
#define LVT_MASKED (1u << 16)
#define LVT_TIMER_PERIODIC (1u << 17)
#define LAPIC_DIVIDE_BY_1 0xB   /* divide configuration 1011b */

/* Calibration: windows of 20 ms of PIT clocks, the timer counting down
 * from the top; the lowest rate of three is kept. Every way a window can
 * go wrong makes the rate look higher, never lower: a host that takes the
 * CPU away from QEMU for longer than a PIT period makes pit_wait_clocks()
 * miss that period (fewer clocks seen, the same timer counts), and a
 * pause between a count and its PIT read adds timer counts. */
#define CALIBRATE_PIT_CLOCKS (PIT_INPUT_HZ / 50)
#define CALIBRATE_WINDOWS 3
#define TIMER_COUNT_MAX 0xFFFFFFFFu

static const char *lapic_reg_name(uint32_t addr, bool write, uint32_t value);

static struct io_trace_device trace_lapic = {
    "lapic", IO_MMIO, 0, 0, lapic_reg_name,
};

static uintptr_t base;
static uint32_t timer_hz, timer_initial;
static uint32_t spurious_count, error_count, timer_count;
static uint32_t last_esr;
static void (*timer_callback)(void);

static uint32_t lapic_read(uint32_t reg)
{
    return mmio_read32(base + reg);
}

static void lapic_write(uint32_t reg, uint32_t v)
{
    mmio_write32(base + reg, v);
}

struct lapic_info lapic_detect(void)
{
    struct lapic_info info = { false, 0, false, false };
    const uint32_t need = CPUID_1_EDX_APIC | CPUID_1_EDX_MSR;
    if ((cpu.features_edx & need) != need)
        return info;
    uint64_t msr = rdmsr(IA32_APIC_BASE_MSR);
    info.present = true;
    info.base = (uint32_t)msr & APIC_BASE_ADDR_MASK;
    info.enabled = (msr & APIC_BASE_ENABLE) != 0;
    info.bsp = (msr & APIC_BASE_BSP) != 0;
    return info;
}

/* The APIC gives the spurious vector when an interrupt vanished between
 * its delivery and the CPU's acknowledge. Nothing is in service: no EOI. */
static void lapic_spurious(struct trap_frame *f)
{
    (void)f;
    spurious_count++;
}

/* An error in the APIC itself (a bad vector, a lost message): the ESR
 * says which. Writing it first latches the errors into it (11.5.3). */
static void lapic_error(struct trap_frame *f)
{
    (void)f;
    lapic_write(LAPIC_ESR, 0);
    last_esr = lapic_read(LAPIC_ESR);
    error_count++;
    lapic_eoi();
}

static void lapic_timer(struct trap_frame *f)
{
    (void)f;
    timer_count++;
    timer_callback();
    lapic_eoi();
}

static const char *lapic_reg_name(uint32_t addr, bool write, uint32_t value)
{
    (void)write;
    (void)value;
    switch (addr - base) {
    case LAPIC_ID: return "ID";
    case LAPIC_VERSION: return "version";
    case LAPIC_TPR: return "TPR";
    case LAPIC_EOI: return "EOI";
    case LAPIC_SVR: return "SVR";
    case LAPIC_ESR: return "ESR";
    case LAPIC_LVT_TIMER: return "LVT timer";
    case LAPIC_LVT_LINT0: return "LVT LINT0";
    case LAPIC_LVT_LINT1: return "LVT LINT1";
    case LAPIC_LVT_ERROR: return "LVT error";
    case LAPIC_TIMER_INITIAL: return "timer initial count";
    case LAPIC_TIMER_CURRENT: return "timer current count";
    case LAPIC_TIMER_DIVIDE: return "timer divide";
    }
    return 0;
}

bool lapic_init(uint32_t phys)
{
    if (!paging_map_mmio(phys, LAPIC_PAGE_SIZE))
        return false;
    base = phys;
    trace_lapic.first = phys;
    trace_lapic.last = phys + LAPIC_PAGE_SIZE - 1;
    io_trace_add_device(&trace_lapic);
    trap_set_handler(LAPIC_SPURIOUS_VECTOR, lapic_spurious);
    trap_set_handler(LAPIC_ERROR_VECTOR, lapic_error);
    trap_set_handler(LAPIC_TIMER_VECTOR, lapic_timer);

    /* lab lapic: begin enable */
    lapic_write(LAPIC_TPR, 0);      /* accept every priority */
    lapic_write(LAPIC_LVT_ERROR, LAPIC_ERROR_VECTOR);
    lapic_write(LAPIC_SVR, (lapic_read(LAPIC_SVR) & ~LAPIC_SVR_VECTOR_MASK)
                           | LAPIC_SPURIOUS_VECTOR);
    /* Software enable, as one read-modify-write instruction on the device
     * register itself (claim C11; see mmio_or32). */
    mmio_or32(base + LAPIC_SVR, LAPIC_SVR_ENABLE);
    /* lab lapic: end enable */
    return true;
}

/* One window: sets timer_hz to the rate it saw, or to 0 and *why. */
static uint32_t calibrate_window(const char **why)
{
    /* lab lapic: begin calibrate */
    lapic_write(LAPIC_TIMER_DIVIDE, LAPIC_DIVIDE_BY_1);
    lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | LAPIC_TIMER_VECTOR);
    lapic_write(LAPIC_TIMER_INITIAL, TIMER_COUNT_MAX);   /* starts it */
    uint32_t start = lapic_read(LAPIC_TIMER_CURRENT);
    uint64_t clocks = pit_wait_clocks(CALIBRATE_PIT_CLOCKS);
    uint32_t end = lapic_read(LAPIC_TIMER_CURRENT);
    lapic_write(LAPIC_TIMER_INITIAL, 0);                 /* stops it */
    timer_hz = 0;
    if (clocks < CALIBRATE_PIT_CLOCKS)
        *why = "PIT channel 0, the reference, does not count";
    else if (end >= start)
        *why = "the Local APIC timer does not count down";
    else
        timer_hz = (uint32_t)((uint64_t)(start - end) * PIT_INPUT_HZ
                              / clocks);
    /* lab lapic: end calibrate */
    return timer_hz;
}

uint32_t lapic_calibrate_timer(const char **why)
{
    uint32_t lowest = 0;
    for (int w = 0; w < CALIBRATE_WINDOWS; w++) {
        if (!calibrate_window(why))
            return 0;
        if (!lowest || timer_hz < lowest)
            lowest = timer_hz;
    }
    timer_hz = lowest;
    return timer_hz;
}

uint32_t lapic_timer_hz(void)
{
    return timer_hz;
}

uint32_t lapic_timer_current(void)
{
    return lapic_read(LAPIC_TIMER_CURRENT);
}

uint32_t lapic_timer_interrupts(void)
{
    return timer_count;
}

uint32_t lapic_start_periodic(uint32_t hz, void (*on_interrupt)(void))
{
    timer_initial = timer_hz / hz;
    if (timer_initial == 0)
        return 0;
    timer_callback = on_interrupt;
    lapic_write(LAPIC_TIMER_DIVIDE, LAPIC_DIVIDE_BY_1);
    lapic_write(LAPIC_LVT_TIMER, LVT_TIMER_PERIODIC | LAPIC_TIMER_VECTOR);
    lapic_write(LAPIC_TIMER_INITIAL, timer_initial);
    return (uint32_t)((uint64_t)timer_hz * MILLIHZ_PER_HZ / timer_initial);
}

void lapic_eoi(void)
{
    /* lab lapic: begin eoi */
    lapic_write(LAPIC_EOI, 0);
    /* lab lapic: end eoi */
}

bool lapic_in_service(uint8_t vector)
{
    if (!base)
        return false;
    uint32_t isr = lapic_read(LAPIC_ISR + vector / LAPIC_ISR_BITS
                                          * LAPIC_ISR_STRIDE);
    return (isr >> (vector % LAPIC_ISR_BITS)) & 1;
}

uintptr_t lapic_register_address(uint32_t reg)
{
    return base ? base + reg : 0;
}

uint32_t lapic_id(void)
{
    return lapic_read(LAPIC_ID) >> LAPIC_ID_SHIFT;
}

static const char *const delivery_modes[] = {
    "fixed", "lowest", "SMI", "reserved", "NMI", "INIT", "reserved", "ExtINT",
};

static struct lapic_lvt_view lvt_view(const char *name, uint32_t reg)
{
    uint32_t v = lapic_read(reg);
    return (struct lapic_lvt_view){
        .name = name,
        .raw = v,
        .vector = (uint8_t)(v & LVT_VECTOR_MASK),
        .delivery = delivery_modes[(v >> LVT_DELIVERY_SHIFT)
                                   & LVT_DELIVERY_MASK],
        .masked = (v & LVT_MASKED) != 0,
    };
}

/* The LVT's mask bit stops only the interrupt: the count runs down all
 * the same, and reloads in periodic mode (SDM vol. 3A, 11.5.4). Only an
 * initial count of 0, or a one-shot count run down to 0, stops it. */
static const char *timer_state(uint32_t lvt, uint32_t initial,
                               uint32_t current)
{
    bool periodic = lvt & LVT_TIMER_PERIODIC;
    bool counting = initial && (periodic || current);

    if (!counting)
        return periodic ? "periodic, stopped" : "one-shot, stopped";
    if (lvt & LVT_MASKED)
        return periodic ? "periodic, masked (counting, no interrupt)"
                        : "one-shot, masked (counting, no interrupt)";
    return periodic ? "periodic" : "one-shot";
}

struct lapic_view lapic_view(void)
{
    uint32_t version = lapic_read(LAPIC_VERSION);
    uint32_t svr = lapic_read(LAPIC_SVR);
    uint32_t lvt = lapic_read(LAPIC_LVT_TIMER);
    struct lapic_view v = {
        .base = (uint32_t)base,
        .id = lapic_id(),
        .version = (uint8_t)(version & LAPIC_VERSION_MASK),
        .lvt_entries = ((version >> LAPIC_MAX_LVT_SHIFT) & LAPIC_VERSION_MASK)
                       + 1,
        .svr = svr,
        .enabled = (svr & LAPIC_SVR_ENABLE) != 0,
        .spurious_vector = (uint8_t)(svr & LAPIC_SVR_VECTOR_MASK),
        .tpr = lapic_read(LAPIC_TPR),
        .esr = lapic_read(LAPIC_ESR),
        .timer_mode = timer_state(lvt, lapic_read(LAPIC_TIMER_INITIAL),
                                  lapic_read(LAPIC_TIMER_CURRENT)),
        .timer_initial = lapic_read(LAPIC_TIMER_INITIAL),
        .timer_current = lapic_read(LAPIC_TIMER_CURRENT),
        .timer_hz = timer_hz,
        .timer_interrupts = timer_count,
        .spurious = spurious_count,
        .errors = error_count,
        .last_esr = last_esr,
    };
    v.lvt[0] = lvt_view("timer", LAPIC_LVT_TIMER);
    v.lvt[1] = lvt_view("LINT0", LAPIC_LVT_LINT0);
    v.lvt[2] = lvt_view("LINT1", LAPIC_LVT_LINT1);
    v.lvt[3] = lvt_view("error", LAPIC_LVT_ERROR);
    return v;
}
