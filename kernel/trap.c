/*
 * The C side of every interrupt and exception: boot/isr.asm saves the
 * registers into a struct trap_frame and calls trap_dispatch.
 *
 * - A vector with a registered handler (a device IRQ) goes to it.
 * - An exception prints a register dump on both consoles. #BP (int3) then
 *   continues; any other exception resumes at an armed recovery point, or
 *   stops the kernel with a panic: never a silent triple fault. (#DF does
 *   not come here: it has a task of its own, kernel/tss.c.)
 * - An NMI (vector 2, QMP's inject-nmi, the Local APIC's LINT1) is an
 *   interrupt, not an error of the running code: its dump is printed and
 *   the kernel goes on where it was, as for #BP.
 * - Vectors 16-31 belong to the CPU, but the Local APIC delivers them if
 *   told to (a self-IPI, an IO APIC entry; it refuses 0-15 with an ESR
 *   bit). Such an interrupt has its in-service bit set, an exception has
 *   none: it is reported as what it is and gets its EOI.
 * - Any other vector is reported. If the Local APIC delivered it (its
 *   in-service bit is set), it gets its EOI: without one, that bit would
 *   hold back every vector of its priority class and below, the tick and
 *   every ISA line included (SDM vol. 3A, 11.8.3 and 11.8.5). The
 *   spurious vector sets no in-service bit and gets none.
 */
#include "kernel/trap.h"

#include "kernel/console.h"
#include "kernel/cpu.h"
#include "kernel/idt.h"
#include "kernel/panic.h"
#include "kernel/x86.h"

/* Page-fault error code bits (SDM vol. 3A, 4.7, figure 4-12). */
#define PF_ERROR_PRESENT 0x1    /* 0: page not present, 1: protection */
#define PF_ERROR_WRITE 0x2
#define PF_ERROR_USER 0x4

static trap_handler_fn handlers[IDT_VECTORS];
static const struct trap_acknowledger *acknowledger;
static struct recover_point *armed;
static struct fault_record last_fault;
static uint32_t breakpoints;

/* Mnemonic and name as the Intel SDM vol. 3A, table 6-1 gives them. */
static const char *const exception_names[VEC_EXCEPTIONS] = {
    "#DE Divide Error",
    "#DB Debug",
    "NMI Interrupt",
    "#BP Breakpoint",
    "#OF Overflow",
    "#BR BOUND Range Exceeded",
    "#UD Invalid Opcode",
    "#NM Device Not Available",
    "#DF Double Fault",
    "Coprocessor Segment Overrun",
    "#TS Invalid TSS",
    "#NP Segment Not Present",
    "#SS Stack-Segment Fault",
    "#GP General Protection",
    "#PF Page Fault",
    "Reserved (15)",
    "#MF x87 FPU Floating-Point Error",
    "#AC Alignment Check",
    "#MC Machine Check",
    "#XM SIMD Floating-Point Exception",
    "#VE Virtualization Exception",
    "#CP Control Protection Exception",
    "Reserved (22)", "Reserved (23)", "Reserved (24)", "Reserved (25)",
    "Reserved (26)", "Reserved (27)", "Reserved (28)", "Reserved (29)",
    "Reserved (30)", "Reserved (31)",
};

void trap_set_handler(uint8_t vector, trap_handler_fn fn)
{
    handlers[vector] = fn;
}

void trap_set_acknowledger(const struct trap_acknowledger *ack)
{
    acknowledger = ack;
}

/* True, with the EOI sent, when the interrupt controller delivered the
 * vector; false for a software `int` or an exception. */
static bool acknowledge(uint8_t vector)
{
    if (!acknowledger || !acknowledger->in_service(vector))
        return false;
    acknowledger->eoi();
    return true;
}

const char *trap_exception_name(uint32_t vector)
{
    return vector < VEC_EXCEPTIONS ? exception_names[vector]
                                   : "not an exception";
}

void trap_dump(const struct trap_frame *f)
{
    /* In ring 0 the CPU does not switch stacks, so the interrupted ESP is
     * just above the three words it pushed (EIP, CS, EFLAGS). */
    trap_dump_state(f, (uint32_t)(uintptr_t)&f->eflags + sizeof f->eflags);
}

void trap_dump_state(const struct trap_frame *f, uint32_t esp)
{
    console_color(CONSOLE_ERROR);
    kprintf("*** exception %u: %s\n", f->vector,
            trap_exception_name(f->vector));
    console_color(CONSOLE_PLAIN);
    kprintf("eip=%08x cs=%04x eflags=%08x error=%08x\n", f->eip, f->cs,
            f->eflags, f->error);
    kprintf("eax=%08x ebx=%08x ecx=%08x edx=%08x\n", f->eax, f->ebx, f->ecx,
            f->edx);
    kprintf("esi=%08x edi=%08x ebp=%08x esp=%08x\n", f->esi, f->edi, f->ebp,
            esp);
    kprintf("ds=%04x es=%04x fs=%04x gs=%04x\n", f->ds, f->es, f->fs, f->gs);
    if (cpu.has_cr4)
        kprintf("cr0=%08x cr2=%08x cr3=%08x cr4=%08x\n", read_cr0(),
                read_cr2(), read_cr3(), read_cr4());
    else
        kprintf("cr0=%08x cr2=%08x cr3=%08x cr4=(this CPU has none)\n",
                read_cr0(), read_cr2(), read_cr3());
    if (f->vector == VEC_PF)
        kprintf("page fault at %08x: %s, %s, %s mode\n", read_cr2(),
                (f->error & PF_ERROR_PRESENT) ? "protection violation"
                                              : "page not present",
                (f->error & PF_ERROR_WRITE) ? "write" : "read",
                (f->error & PF_ERROR_USER) ? "user" : "kernel");
}

void trap_arm_recovery(struct recover_point *p)
{
    armed = p;
}

void trap_disarm_recovery(void)
{
    armed = 0;
}

bool trap_try(void (*fn)(void *), void *arg)
{
    struct recover_point rp;
    if (recover_save(&rp) != 0)
        return false;           /* resumed here by trap_dispatch */
    trap_arm_recovery(&rp);
    fn(arg);
    trap_disarm_recovery();
    return true;
}

struct recover_point *trap_claim_recovery(const struct trap_frame *f)
{
    struct recover_point *p = armed;
    if (p) {
        armed = 0;
        last_fault = (struct fault_record){ f->vector, f->error, f->eip,
                                            read_cr2() };
    }
    return p;
}

struct fault_record trap_last_fault(void)
{
    return last_fault;
}

uint32_t trap_breakpoints(void)
{
    return breakpoints;
}

/* Called by trap_common in boot/isr.asm, which cppcheck does not read. */
/* cppcheck-suppress unusedFunction */
void trap_dispatch(struct trap_frame *f)
{
    if (handlers[f->vector]) {
        handlers[f->vector](f);
        return;
    }
    if (f->vector >= VEC_EXCEPTIONS) {
        bool apic = acknowledge((uint8_t)f->vector);
        kprintf("unexpected interrupt: vector %u, no handler%s\n", f->vector,
                apic ? "; Local APIC EOI sent" : "");
        return;
    }

    if (acknowledge((uint8_t)f->vector)) {
        /* The stubs of #AC and #CP expect an error code, which no
         * interrupt pushes: they took EIP for it, and the frame cannot be
         * returned through. */
        if (f->vector == VEC_AC || f->vector == VEC_CP)
            panic("interrupt on vector %u (%s's) from the Local APIC: its "
                  "stub took the interrupted EIP for an error code",
                  f->vector, trap_exception_name(f->vector));
        kprintf("interrupt on vector %u, the CPU's vector for %s: the Local "
                "APIC delivered it (its in-service bit was set); EOI sent\n",
                f->vector, trap_exception_name(f->vector));
        return;
    }

    trap_dump(f);
    if (f->vector == VEC_NMI) {
        /* The CPU blocks further NMIs until the next IRET, this one's. */
        kprintf("NMI: continuing at %08x\n", f->eip);
        return;
    }
    if (f->vector == VEC_BP) {
        /* int3 is a trap: EIP already points past it, so returning simply
         * continues the program, as a debugger would. */
        breakpoints++;
        kprintf("breakpoint: continuing at %08x\n", f->eip);
        return;
    }
    struct recover_point *p = trap_claim_recovery(f);
    if (p)
        recover_resume(p, 1);
    panic("unrecoverable exception %u (%s) at eip %08x", f->vector,
          trap_exception_name(f->vector), f->eip);
}
