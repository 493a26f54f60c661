#ifndef DRIVERS_LAPIC_H
#define DRIVERS_LAPIC_H

#include <stdbool.h>
#include <stdint.h>

/* The version register's offset in the register page (Intel SDM vol.
 * 3A, table 11-1): read-only, and reading it has no side effect. */
#define LAPIC_VERSION 0x030

/* What CPUID and the IA32_APIC_BASE MSR say. */
struct lapic_info {
    bool present;           /* CPUID.1:EDX.APIC and the MSR readable */
    uint32_t base;          /* physical address of the register page */
    bool enabled;           /* the MSR's global enable bit */
    bool bsp;               /* this is the bootstrap processor */
};

/* Reads CPUID and the MSR; touches no APIC register. */
struct lapic_info lapic_detect(void);

/* Maps the register page at base (uncached), enables the APIC through the
 * spurious-interrupt vector register, installs the spurious and error
 * handlers. False when the page could not be mapped. */
bool lapic_init(uint32_t base);

/* Measures the timer's rate against the PIT (divide by 1), in Hz: the
 * lowest of a few windows, as a busy host only ever makes a window's rate
 * look higher. 0, with *why set, when the PIT or the timer does not
 * count. */
uint32_t lapic_calibrate_timer(const char **why);

/* The rate lapic_calibrate_timer found, and the timer's count now. */
uint32_t lapic_timer_hz(void);
uint32_t lapic_timer_current(void);
/* Timer interrupts taken since lapic_start_periodic. */
uint32_t lapic_timer_interrupts(void);

/* Runs the timer periodically at hz, calling on_interrupt from each of
 * its interrupts; returns the rate it really runs at, in millihertz (the
 * calibrated rate over a whole count), or 0, nothing started, when that
 * rate is below hz. */
uint32_t lapic_start_periodic(uint32_t hz, void (*on_interrupt)(void));

/* End of interrupt: lets the APIC deliver the next one. */
void lapic_eoi(void);

/* True when the vector's in-service bit is set (11.8.4, ISR): the APIC
 * delivered it and waits for its EOI. False before lapic_init. */
bool lapic_in_service(uint8_t vector);

uint32_t lapic_id(void);

/* The address the register at offset reg answers at (a LAPIC_ offset);
 * 0 before lapic_init. For `bench`, which times one `mov` from it. */
uintptr_t lapic_register_address(uint32_t reg);

/* A local vector table entry (11.5.1), decoded. */
struct lapic_lvt_view {
    const char *name;       /* "timer", "LINT0", "LINT1", "error" */
    uint32_t raw;
    uint8_t vector;
    const char *delivery;   /* "fixed", "NMI", "ExtINT"... */
    bool masked;
};

#define LAPIC_LVT_VIEWS 4

/* The registers and counters, read at one moment, for the monitor's
 * `apic` command (kernel/monitor/cmd_apic.c prints them). */
struct lapic_view {
    uint32_t base, id;
    uint8_t version;
    unsigned lvt_entries;
    uint32_t svr;
    bool enabled;               /* SVR's software enable */
    uint8_t spurious_vector;
    uint32_t tpr, esr;
    /* "periodic" or "one-shot", then ", stopped" or ", masked (counting,
     * no interrupt)" when it is */
    const char *timer_mode;
    uint32_t timer_initial, timer_current, timer_hz, timer_interrupts;
    struct lapic_lvt_view lvt[LAPIC_LVT_VIEWS];
    uint32_t spurious, errors, last_esr;
};

struct lapic_view lapic_view(void);

#endif
