/*
 * CPU instructions that are not device access: control registers, the
 * interrupt flag, descriptor tables, TLB invalidation, CPUID.
 * Reference: Intel SDM vol. 3A, 2.5 "Control Registers"; vol. 2 for each
 * instruction.
 */
#ifndef KERNEL_X86_H
#define KERNEL_X86_H

#include <stdint.h>

/* Segment selectors of boot/gdt.asm (boot/gdt.inc has the first two). */
#define GDT_KERNEL_CODE 0x08
#define GDT_KERNEL_DATA 0x10
#define GDT_KERNEL_TSS 0x18     /* the running kernel's task */
#define GDT_DF_TSS 0x20         /* the double-fault task */
#define GDT_SELECTOR_SHIFT 3    /* selector = index * 8 (TI=0, RPL=0) */

#define CR0_TS (1u << 3)        /* task switched: the next FPU use traps */
#define CR0_PG (1u << 31)       /* paging */

#define EFLAGS_RESERVED1 (1u << 1)  /* always 1 (SDM vol. 1, 3.4.3) */
#define EFLAGS_IF (1u << 9)     /* maskable interrupts enabled */
#define EFLAGS_ID (1u << 21)    /* writable only when CPUID exists */

static inline void cli(void) { __asm__ volatile("cli" ::: "memory"); }
static inline void sti(void) { __asm__ volatile("sti" ::: "memory"); }
static inline void hlt(void) { __asm__ volatile("hlt" ::: "memory"); }

static inline uint32_t read_eflags(void)
{
    uint32_t v;
    __asm__ volatile("pushfl; popl %0" : "=r"(v));
    return v;
}

static inline void write_eflags(uint32_t v)
{
    __asm__ volatile("pushl %0; popfl" : : "r"(v) : "memory", "cc");
}

/* Interrupts off, returning the flags irq_restore puts back: a region no
 * interrupt handler can enter, whether or not interrupts were on before
 * (Linux's local_irq_save and local_irq_restore). */
static inline uint32_t irq_save(void)
{
    uint32_t flags;
    __asm__ volatile("pushfl; popl %0; cli" : "=r"(flags) : : "memory");
    return flags;
}

static inline void irq_restore(uint32_t flags) { write_eflags(flags); }

/* Waits for the next interrupt, interrupts on. Called with interrupts off,
 * after looking for what it waits for: STI takes effect only after the
 * instruction that follows it, so no interrupt can come between the look
 * and the HLT and leave the CPU asleep with its news already handled. */
static inline void sti_hlt(void)
{
    __asm__ volatile("sti; hlt" ::: "memory");
}

#define READ_CR(n)                                                       \
    static inline uint32_t read_cr##n(void)                              \
    {                                                                    \
        uint32_t v;                                                      \
        __asm__ volatile("mov %%cr" #n ", %0" : "=r"(v));                \
        return v;                                                        \
    }
READ_CR(0)
READ_CR(2)
READ_CR(3)
READ_CR(4)
#undef READ_CR

static inline void write_cr0(uint32_t v)
{
    __asm__ volatile("mov %0, %%cr0" : : "r"(v) : "memory");
}

static inline void write_cr3(uint32_t v)
{
    __asm__ volatile("mov %0, %%cr3" : : "r"(v) : "memory");
}

/* Clears CR0.TS, which every hardware task switch sets. */
static inline void clts(void)
{
    __asm__ volatile("clts" ::: "memory");
}

static inline void invlpg(uintptr_t addr)
{
    __asm__ volatile("invlpg (%0)" : : "r"(addr) : "memory");
}

static inline uint16_t read_cs(void)
{
    uint16_t v;
    __asm__ volatile("mov %%cs, %0" : "=r"(v));
    return v;
}

static inline uint16_t read_ds(void)
{
    uint16_t v;
    __asm__ volatile("mov %%ds, %0" : "=r"(v));
    return v;
}

static inline uint16_t read_ss(void)
{
    uint16_t v;
    __asm__ volatile("mov %%ss, %0" : "=r"(v));
    return v;
}

/* The task register: the selector of the running task's TSS. */
static inline uint16_t read_tr(void)
{
    uint16_t v;
    __asm__ volatile("str %0" : "=r"(v));
    return v;
}

static inline void load_tr(uint16_t selector)
{
    __asm__ volatile("ltr %0" : : "r"(selector) : "memory");
}

/* GDTR and IDTR as sgdt/sidt store them: the table's limit (its size
 * minus 1) and linear base (SDM vol. 3A, 2.4.1 and 2.4.3). */
struct table_register {
    uint16_t limit;
    uint32_t base;
} __attribute__((packed));

static inline struct table_register store_gdtr(void)
{
    struct table_register r;
    __asm__ volatile("sgdt %0" : "=m"(r));
    return r;
}

static inline struct table_register store_idtr(void)
{
    struct table_register r;
    __asm__ volatile("sidt %0" : "=m"(r));
    return r;
}

/* Model-specific registers (Intel SDM vol. 4): only with CPUID's MSR bit. */
static inline uint64_t rdmsr(uint32_t msr)
{
    uint64_t v;
    __asm__ volatile("rdmsr" : "=A"(v) : "c"(msr));
    return v;
}

struct cpuid_regs {
    uint32_t eax, ebx, ecx, edx;
};

static inline struct cpuid_regs cpuid(uint32_t leaf)
{
    struct cpuid_regs r;
    __asm__ volatile("cpuid"
                     : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
                     : "a"(leaf), "c"(0));
    return r;
}

#endif
