/* What the CPU can do, found once at boot with CPUID (when it has CPUID). */
#ifndef KERNEL_CPU_H
#define KERNEL_CPU_H

#include <stdbool.h>
#include <stdint.h>

/* CPUID leaf 1, EDX bits. Reference: Intel SDM vol. 2A, CPUID, table 3-11. */
#define CPUID_1_EDX_VME (1u << 1)
#define CPUID_1_EDX_DE (1u << 2)
#define CPUID_1_EDX_PSE (1u << 3)
#define CPUID_1_EDX_TSC (1u << 4)
#define CPUID_1_EDX_MSR (1u << 5)
#define CPUID_1_EDX_PAE (1u << 6)
#define CPUID_1_EDX_MCE (1u << 7)
#define CPUID_1_EDX_APIC (1u << 9)
#define CPUID_1_EDX_PGE (1u << 13)

struct cpu_info {
    bool has_cpuid;
    char vendor[13];
    uint32_t max_leaf;
    uint32_t family, model, stepping;
    uint32_t features_edx;  /* leaf 1 EDX, 0 without CPUID */
    bool has_cr4;
};

extern struct cpu_info cpu;

void cpu_detect(void);

#endif
