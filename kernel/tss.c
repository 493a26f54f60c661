/*
 * Task-state segments, and the double-fault task.
 *
 * A double fault (#DF, vector 8) is what the CPU raises when an exception
 * comes while it is delivering another one that it cannot put off: a #PF
 * while pushing the frame of a #PF, for example (Intel SDM vol. 3A, 6.15
 * "Interrupt 8-Double Fault Exception", table 6-5). The classic cause is a
 * kernel stack overflow: ESP runs into the unmapped guard page below the
 * stack (boot/multiboot.asm), the push faults, and delivering that #PF
 * needs a push on the same dead stack. An interrupt gate for #DF would
 * push there a third time, and then the CPU gives up: a triple fault, a
 * reset, and the machine reboots without a word.
 *
 * So vector 8 gets a task gate (7.2.5): the CPU saves the running task's
 * registers into the current TSS (the one the task register names), loads
 * every register of another task from its TSS, a fresh stack included, and
 * runs it (7.3 "Task Switching"). Hence two TSSes (7.2.1, figure 7-2):
 *
 * - kernel_tss, loaded with ltr at boot: the running kernel is "the task"
 *   whose state a switch saves. Nothing is read from it until a switch
 *   returns to it, and then CR3 is (a switch saves every register but
 *   CR3), so it holds the kernel's page directory.
 * - df_tss, the double-fault task: its own stack, CR3 = the kernel's page
 *   directory, EIP = df_task_entry (boot/isr.asm), the kernel's selectors,
 *   interrupts off.
 *
 * The #DF task prints the faulting code's registers from kernel_tss (the
 * SDM calls the saved EIP undefined for #DF; QEMU saves the instruction
 * that faulted first). It cannot IRET into that state: the stack is still
 * broken and the same fault would come again. When the monitor has armed
 * a recovery point, the task rewrites kernel_tss's EIP, ESP and EFLAGS to
 * a trampoline that resumes there, and IRETs: with EFLAGS.NT set, as the
 * gate left it, IRET is a task switch back to kernel_tss, into the
 * rewritten state. With no recovery point, it panics with the dump shown.
 */
#include "kernel/tss.h"

#include "kernel/console.h"
#include "kernel/idt.h"
#include "kernel/panic.h"
#include "kernel/paging.h"
#include "kernel/lib/segdesc.h"
#include "kernel/trap.h"
#include "kernel/x86.h"

#define DF_STACK_SIZE 4096
#define KIB 1024u

/* The GDT of boot/gdt.asm; its two TSS slots are filled here. */
extern uint64_t gdt[];
extern char kernel_stack_bottom[], kernel_stack_top[];
extern void df_task_entry(void);

static struct tss kernel_tss, df_tss;
static uint8_t df_stack[DF_STACK_SIZE] __attribute__((aligned(16)));
static struct recover_point *resume_at;

static void set_tss_descriptor(uint16_t selector, const struct tss *t)
{
    gdt[selector >> GDT_SELECTOR_SHIFT] =
        segdesc_make((uint32_t)(uintptr_t)t, TSS_SIZE - 1,
                     SEGDESC_PRESENT | SEGDESC_TYPE_TSS32, 0);
}

void tss_init(void)
{
    uint32_t cr3 = read_cr3();

    /* An I/O map base past the segment's limit means no I/O permission
     * map; ring 0 needs none (7.2.1, 18.5.2 in vol. 1). */
    kernel_tss.cr3 = cr3;
    kernel_tss.iomap_base = TSS_SIZE;

    df_tss.cr3 = cr3;
    df_tss.eip = (uint32_t)(uintptr_t)df_task_entry;
    df_tss.eflags = EFLAGS_RESERVED1;           /* IF=0 */
    df_tss.esp = (uint32_t)(uintptr_t)(df_stack + sizeof df_stack);
    df_tss.cs = GDT_KERNEL_CODE;
    df_tss.ss = df_tss.ds = df_tss.es = GDT_KERNEL_DATA;
    df_tss.fs = df_tss.gs = GDT_KERNEL_DATA;
    df_tss.iomap_base = TSS_SIZE;

    set_tss_descriptor(GDT_KERNEL_TSS, &kernel_tss);
    set_tss_descriptor(GDT_DF_TSS, &df_tss);
    load_tr(GDT_KERNEL_TSS);        /* also marks its descriptor busy */
    idt_set_task_gate(VEC_DF, GDT_DF_TSS);
}

uint64_t tss_gdt_entry(uint16_t selector)
{
    return gdt[selector >> GDT_SELECTOR_SHIFT];
}

const struct tss *tss_kernel(void)
{
    return &kernel_tss;
}

const struct tss *tss_double_fault(void)
{
    return &df_tss;
}

/* Where the kernel task restarts after a #DF: on the recovery point's own
 * stack (what lies below its ESP is dead once it resumes), interrupts
 * off until recover_resume restores the point's EFLAGS. Every task switch
 * sets CR0.TS, so that the next FPU instruction raises #NM and an OS can
 * switch FPU state lazily (2.5 "Control Registers"); iospace keeps no FPU
 * state per task, so it clears it. */
static void __attribute__((noreturn)) df_resume(void)
{
    clts();
    recover_resume(resume_at, 1);
}

static void explain_stack(uint32_t esp)
{
    uint32_t guard = paging_stack_guard();
    uint32_t cr2 = read_cr2();
    /* Two linker symbols are two objects to C: compare them as numbers. */
    uint32_t bottom = (uint32_t)(uintptr_t)kernel_stack_bottom;
    uint32_t top = (uint32_t)(uintptr_t)kernel_stack_top;

    if (cr2 - guard < PAGE_SIZE)
        kprintf("kernel stack overflow: esp=%08x ran into the guard page "
                "%08x-%08x below the %u KiB stack %08x-%08x\n", esp, guard,
                guard + PAGE_SIZE - 1, (top - bottom) / KIB, bottom, top - 1);
}

/* Called by df_task_entry in boot/isr.asm, which cppcheck does not read. */
/* cppcheck-suppress unusedFunction */
void double_fault_task(uint32_t error)
{
    struct tss *old = &kernel_tss;
    struct trap_frame f = {
        .gs = old->gs, .fs = old->fs, .es = old->es, .ds = old->ds,
        .edi = old->edi, .esi = old->esi, .ebp = old->ebp,
        .esp_pushad = old->esp, .ebx = old->ebx, .edx = old->edx,
        .ecx = old->ecx, .eax = old->eax, .vector = VEC_DF, .error = error,
        .eip = old->eip, .cs = old->cs, .eflags = old->eflags,
    };

    trap_dump_state(&f, old->esp);
    kprintf("double fault: caught by the task gate of vector %u, on the "
            "#DF task's own stack (TSS %04x; the faulting state was saved "
            "in TSS %04x)\n", VEC_DF, GDT_DF_TSS, df_tss.link);
    explain_stack(old->esp);

    resume_at = trap_claim_recovery(&f);
    if (!resume_at)
        panic("double fault at eip %08x, esp %08x", old->eip, old->esp);
    old->eip = (uint32_t)(uintptr_t)df_resume;
    old->esp = resume_at->esp;
    old->eflags = EFLAGS_RESERVED1;
    /* df_task_entry now IRETs: back into the kernel task, at df_resume. */
}
