#include "kernel/cpu.h"

#include "kernel/x86.h"

struct cpu_info cpu;

/* Features whose enable bits live in CR4: a CPU reporting any of them has
 * CR4. A CPU without them (an early 486) raises #UD on `mov eax, cr4`, so
 * the exception handler must not read it blindly. */
#define CPUID_1_EDX_NEEDS_CR4                                             \
    (CPUID_1_EDX_VME | CPUID_1_EDX_DE | CPUID_1_EDX_PSE | CPUID_1_EDX_PAE \
     | CPUID_1_EDX_MCE | CPUID_1_EDX_PGE)

/* CPUID leaf 1, EAX: stepping in bits 3..0, model 7..4, family 11..8
 * (SDM vol. 2A, CPUID, figure 3-6; iospace ignores the extended fields). */
#define CPUID_1_EAX_FIELD_MASK 0xFu
#define CPUID_1_EAX_MODEL_SHIFT 4
#define CPUID_1_EAX_FAMILY_SHIFT 8

/* The CPU has CPUID if software can flip EFLAGS.ID (SDM vol. 1, 20.1.1). */
static bool cpuid_supported(void)
{
    uint32_t before = read_eflags();
    write_eflags(before ^ EFLAGS_ID);
    uint32_t after = read_eflags();
    write_eflags(before);
    return ((before ^ after) & EFLAGS_ID) != 0;
}

void cpu_detect(void)
{
    cpu.has_cpuid = cpuid_supported();
    if (!cpu.has_cpuid)
        return;

    struct cpuid_regs r = cpuid(0);
    cpu.max_leaf = r.eax;
    /* The vendor string is EBX, EDX, ECX in that order: "GenuineIntel". */
    const uint32_t parts[3] = { r.ebx, r.edx, r.ecx };
    for (int i = 0; i < 12; i++)
        cpu.vendor[i] = (char)(parts[i / 4] >> (8 * (i % 4)));
    cpu.vendor[12] = '\0';

    if (cpu.max_leaf >= 1) {
        r = cpuid(1);
        cpu.stepping = r.eax & CPUID_1_EAX_FIELD_MASK;
        cpu.model = (r.eax >> CPUID_1_EAX_MODEL_SHIFT)
                    & CPUID_1_EAX_FIELD_MASK;
        cpu.family = (r.eax >> CPUID_1_EAX_FAMILY_SHIFT)
                     & CPUID_1_EAX_FIELD_MASK;
        cpu.features_edx = r.edx;
    }
    cpu.has_cr4 = (cpu.features_edx & CPUID_1_EDX_NEEDS_CR4) != 0;
}
