#ifndef KERNEL_TRAP_H
#define KERNEL_TRAP_H

#include "kernel/recover.h"

#include <stdbool.h>
#include <stdint.h>

/* What boot/isr.asm leaves on the stack, lowest address first: the
 * segment registers it pushed, PUSHAD's eight registers, the vector and
 * error code, then what the CPU pushed. */
struct trap_frame {
    uint32_t gs, fs, es, ds;
    uint32_t edi, esi, ebp, esp_pushad, ebx, edx, ecx, eax;
    uint32_t vector, error;
    uint32_t eip, cs, eflags;
};

/* Exception vectors (Intel SDM vol. 3A, table 6-1). */
#define VEC_DE 0        /* divide error */
#define VEC_NMI 2       /* non-maskable interrupt */
#define VEC_BP 3        /* breakpoint (int3) */
#define VEC_UD 6        /* invalid opcode */
#define VEC_DF 8        /* double fault */
#define VEC_GP 13       /* general protection */
#define VEC_PF 14       /* page fault */
#define VEC_AC 17       /* alignment check */
#define VEC_CP 21       /* control protection */
#define VEC_EXCEPTIONS 32   /* vectors 0..31 belong to the CPU */

typedef void (*trap_handler_fn)(struct trap_frame *f);

/* Registers the handler for a vector (device interrupts, later issues). */
void trap_set_handler(uint8_t vector, trap_handler_fn fn);

/* The interrupt controller that may deliver a vector nobody handles: it
 * tells whether it did (the Local APIC's in-service bit) and takes the
 * acknowledgement, without which it holds back every vector of the same
 * priority class. kernel/irq_apic.c sets it once the Local APIC is on. */
struct trap_acknowledger {
    bool (*in_service)(uint8_t vector);
    void (*eoi)(void);
};
void trap_set_acknowledger(const struct trap_acknowledger *ack);

/* The exception's mnemonic and name, "#UD Invalid Opcode". */
const char *trap_exception_name(uint32_t vector);

/* Prints the exception's name, vector, error code and every register. */
void trap_dump(const struct trap_frame *f);
/* The same for a state that did not come through boot/isr.asm (the
 * double-fault task reads it from a TSS): esp is the interrupted ESP. */
void trap_dump_state(const struct trap_frame *f, uint32_t esp);

struct fault_record {
    uint32_t vector, error, eip, cr2;
};

/* Runs fn(arg) with a recovery point armed: true if it returned, false if
 * it raised an exception (whose dump has been printed). */
bool trap_try(void (*fn)(void *), void *arg);

void trap_arm_recovery(struct recover_point *p);
void trap_disarm_recovery(void);
/* For an exception handler that has printed its dump: the armed recovery
 * point, now disarmed, with f recorded as the last fault; NULL when none
 * is armed. */
struct recover_point *trap_claim_recovery(const struct trap_frame *f);
/* The last exception that was recovered from. */
struct fault_record trap_last_fault(void);
/* How many int3 breakpoints were taken and continued. */
uint32_t trap_breakpoints(void);

void trap_dispatch(struct trap_frame *f);

#endif
