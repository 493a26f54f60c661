/*
 * Self-tests of what the boot code and the kernel's core set up in the
 * CPU: the multiboot hand-over, the segments, the IDT and TSS, the
 * exceptions caught and recovered, paging.
 */
#include "kernel/selftest/checks.h"

#include "drivers/vga.h"
#include "io/mmio.h"
#include "kernel/faults.h"
#include "kernel/idt.h"
#include "kernel/lib/segdesc.h"
#include "kernel/paging.h"
#include "kernel/trap.h"
#include "kernel/tss.h"
#include "kernel/x86.h"

extern const uint32_t isr_stub_table[IDT_VECTORS];
extern char kernel_image_start[];

bool test_multiboot(void)
{
    if (!selftest_boot()->multiboot_ok)
        return fail("not started by a multiboot loader");
    for (unsigned i = 0; i < selftest_boot()->info->mmap_count; i++)
        if (selftest_boot()->info->mmap[i].type == MULTIBOOT_MMAP_AVAILABLE)
            return true;
    return fail("the memory map has no available region");
}

bool test_gdt(void)
{
    if (read_cs() != GDT_KERNEL_CODE || read_ds() != GDT_KERNEL_DATA
        || read_ss() != GDT_KERNEL_DATA)
        return fail("cs=%04x ds=%04x ss=%04x", read_cs(), read_ds(),
                    read_ss());
    return true;
}

bool test_idt(void)
{
    for (unsigned v = 0; v < IDT_VECTORS; v++) {
        const struct idt_gate *g = idt_gate(v);
        if (v == VEC_DF) {
            if (g->selector != GDT_DF_TSS
                || g->type_attr != (IDT_GATE_PRESENT | IDT_GATE_TASK))
                return fail("gate %u is not a task gate to TSS %04x", v,
                            GDT_DF_TSS);
            continue;
        }
        if (idt_gate_handler(g) != isr_stub_table[v]
            || g->selector != GDT_KERNEL_CODE
            || g->type_attr != (IDT_GATE_PRESENT | IDT_GATE_INTERRUPT32))
            return fail("gate %u is wrong", v);
    }
    return true;
}

/* The task register names the kernel's TSS, which ltr marked busy; the
 * double-fault task's TSS is ready to be entered (not busy), with its own
 * stack and the kernel's page directory. */
bool test_tss(void)
{
    uint16_t tr = read_tr();
    uint64_t kernel = tss_gdt_entry(GDT_KERNEL_TSS);
    uint64_t df = tss_gdt_entry(GDT_DF_TSS);
    const struct tss *t = tss_double_fault();

    if (tr != GDT_KERNEL_TSS)
        return fail("TR %04x", tr);
    if (segdesc_base(kernel) != (uint32_t)(uintptr_t)tss_kernel()
        || segdesc_limit(kernel) != TSS_SIZE - 1
        || (segdesc_access(kernel) & SEGDESC_TYPE_MASK)
               != SEGDESC_TYPE_TSS32_BUSY)
        return fail("kernel TSS descriptor %08x%08x", (uint32_t)(kernel >> 32),
                    (uint32_t)kernel);
    if (segdesc_base(df) != (uint32_t)(uintptr_t)t
        || (segdesc_access(df) & SEGDESC_TYPE_MASK) != SEGDESC_TYPE_TSS32)
        return fail("#DF TSS descriptor %08x%08x", (uint32_t)(df >> 32),
                    (uint32_t)df);
    if (t->cr3 != read_cr3() || t->cs != GDT_KERNEL_CODE
        || t->ss != GDT_KERNEL_DATA || (t->eflags & EFLAGS_IF))
        return fail("#DF TSS: cr3=%08x cs=%04x ss=%04x eflags=%08x", t->cr3,
                    t->cs, t->ss, t->eflags);
    return true;
}

/* Raises one exception under trap_try and checks it was caught. */
static bool expect_fault(const char *name)
{
    const struct fault_kind *k = fault_find(name);
    if (trap_try(fault_raise, (void *)k))
        return fail("no exception");
    struct fault_record r = trap_last_fault();
    if (r.vector != k->vector)
        return fail("vector %u, expected %u", r.vector, k->vector);
    return true;
}

bool test_breakpoint(void)
{
    uint32_t before = trap_breakpoints();
    if (!trap_try(fault_raise, (void *)fault_find("bp")))
        return fail("int3 did not return");
    return trap_breakpoints() == before + 1 ? true
                                            : fail("breakpoint not counted");
}

bool test_divide_error(void)
{
    return expect_fault("de");
}

bool test_invalid_opcode(void)
{
    return expect_fault("ud");
}

bool test_general_protection(void)
{
    if (!expect_fault("gp"))
        return false;
    uint32_t err = trap_last_fault().error;
    return err == FAULT_GP_SELECTOR ? true
                                    : fail("error code %08x", err);
}

bool test_page_fault(void)
{
    if (!expect_fault("pf"))
        return false;
    uint32_t cr2 = trap_last_fault().cr2;
    return cr2 == 0 ? true : fail("cr2=%08x", cr2);
}

/* Twice: the first #DF must leave its task ready for the next one. */
bool test_double_fault(void)
{
    uint32_t guard = paging_stack_guard();
    for (int i = 0; i < 2; i++) {
        if (!expect_fault("df"))
            return false;
        uint32_t cr2 = trap_last_fault().cr2;
        if (cr2 - guard >= PAGE_SIZE)
            return fail("cr2=%08x, not in the stack guard page %08x", cr2,
                        guard);
    }
    if (read_cr0() & CR0_TS)
        return fail("CR0.TS left set by the task switches");
    return read_tr() == GDT_KERNEL_TSS ? true
                                       : fail("TR %04x after", read_tr());
}

bool test_paging(void)
{
    uint32_t vga = paging_entry(VGA_TEXT_BUFFER);
    uint32_t text = paging_entry((uint32_t)(uintptr_t)kernel_image_start);
    const uint32_t uncached = PTE_CACHE_DISABLE | PTE_WRITE_THROUGH;

    if (!(read_cr0() & CR0_PG))
        return fail("CR0.PG is clear");
    if (paging_entry(0) != 0)
        return fail("page 0 is mapped");
    if (paging_entry(paging_stack_guard()) != 0)
        return fail("the stack guard page %08x is mapped",
                    paging_stack_guard());
    if ((vga & uncached) != uncached)
        return fail("VGA page %08x is cacheable", vga);
    if (!text || (text & uncached))
        return fail("kernel page %08x is missing or uncached", text);
    return true;
}

bool test_paging_window(void)
{
    /* The same physical cell, once through its identity mapping and once
     * through the temporary window, must read the same. */
    uint16_t direct = mmio_read16(VGA_TEXT_BUFFER);
    uint16_t through = mmio_read16(paging_window_open(VGA_TEXT_BUFFER));
    paging_window_close();
    if (direct != through)
        return fail("direct %04x, window %04x", direct, through);
    return paging_entry(0) == 0 ? true : fail("page 0 left mapped");
}
