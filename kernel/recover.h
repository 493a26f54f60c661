/*
 * Recovery points, a kernel setjmp/longjmp (boot/recover.asm). Code that
 * may fault on purpose (a monitor `peek`, a `fault` command, a self-test)
 * saves a point and arms it; if an exception happens while it is armed, the
 * exception handler prints its dump and resumes at the point, where
 * recover_save returns a second time with a non-zero value.
 *
 *     struct recover_point rp;
 *     if (recover_save(&rp) == 0) {
 *         trap_arm_recovery(&rp);
 *         ...something that may fault...
 *         trap_disarm_recovery();
 *     } else {
 *         ...it faulted: trap_last_fault() says how...
 *     }
 */
#ifndef KERNEL_RECOVER_H
#define KERNEL_RECOVER_H

#include <stdint.h>

struct recover_point {
    uint32_t ebx, esi, edi, ebp, esp, eip, eflags;
};

int recover_save(struct recover_point *p) __attribute__((returns_twice));
void recover_resume(const struct recover_point *p, int value)
    __attribute__((noreturn));

#endif
