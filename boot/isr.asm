; Interrupt entry stubs: one per vector, all 256 of them, so that any
; vector the CPU may take (an exception, a device IRQ, a stray `int n`)
; arrives in C with the same frame instead of ending in a triple fault.
;
; On an interrupt or exception in ring 0 the CPU pushes EFLAGS, CS and EIP,
; and for some exceptions an error code. The stubs push a dummy 0 where the
; CPU pushes none, then the vector number, so every frame has one layout
; (struct trap_frame in kernel/trap.h). Reference: Intel SDM vol. 3A, 6.12
; "Exception and Interrupt Handling", and table 6-1 for which vectors push
; an error code.

%include "boot/gdt.inc"

extern trap_dispatch

; Exceptions that push an error code: #DF 8, #TS 10, #NP 11, #SS 12,
; #GP 13, #PF 14, #AC 17, #CP 21.
%define HAS_ERROR_CODE(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || (v) == 21)

section .text

%assign vec 0
%rep 256
isr_stub_ %+ vec:
%if HAS_ERROR_CODE(vec) == 0
    push 0
%endif
    push vec
    jmp trap_common
%assign vec vec + 1
%endrep

; The common path: save what the C code may clobber, switch to kernel data
; segments, call trap_dispatch(frame), then undo it all and IRET.
trap_common:
    pushad
    push ds
    push es
    push fs
    push gs
    mov ax, GDT_KERNEL_DATA
    mov ds, ax
    mov es, ax
    cld                         ; the C ABI expects DF=0
    push esp                    ; the frame pointer is the argument
    call trap_dispatch
; Where trap_dispatch returns to. tools/iospace-gdb.py looks for this
; address to unwind through the stub (nasm emits no unwind tables).
global trap_dispatch_return
trap_dispatch_return:
    add esp, 4
    pop gs
    pop fs
    pop es
    pop ds
    popad
    add esp, 8                  ; drop the vector and the error code
    iretd

; The double-fault task's first instruction: kernel/tss.c points its TSS's
; EIP here. The CPU has switched to the task through the task gate of
; vector 8, on the task's own stack, and pushed the error code (always 0)
; there: it is the C function's argument.
global df_task_entry
extern double_fault_task
df_task_entry:
    call double_fault_task
    add esp, 4
    ; The gate set EFLAGS.NT and put the kernel's TSS selector in this
    ; TSS's back link, so this IRET is a task return: back to the kernel
    ; task, in the state double_fault_task left in its TSS. The switch
    ; saves this task's state in its own TSS, EIP pointing at the jmp and
    ; ESP at the stack's top: the next #DF starts over from there.
    iretd
    jmp df_task_entry

; The address of every stub, for kernel/idt.c to install.
section .rodata
global isr_stub_table
isr_stub_table:
%assign vec 0
%rep 256
    dd isr_stub_ %+ vec
%assign vec vec + 1
%endrep
