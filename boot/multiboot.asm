; Multiboot v1 header and the kernel's first instructions.
;
; GRUB (or QEMU's -kernel loader) finds the header in the first 8 KiB of the
; ELF, loads the kernel at 1 MiB, and jumps to `_start` in 32-bit protected
; mode with paging off, interrupts off, EAX = the multiboot magic and
; EBX = the physical address of the multiboot information structure.
; Reference: Multiboot Specification 0.6.96, section 3.1 and 3.2.

MULTIBOOT_HEADER_MAGIC  equ 0x1BADB002
MULTIBOOT_PAGE_ALIGN    equ 1 << 0      ; load modules on 4 KiB boundaries
MULTIBOOT_MEMORY_INFO   equ 1 << 1      ; ask for mem_lower/upper and the map
MULTIBOOT_HEADER_FLAGS  equ MULTIBOOT_PAGE_ALIGN | MULTIBOOT_MEMORY_INFO
MULTIBOOT_CHECKSUM      equ -(MULTIBOOT_HEADER_MAGIC + MULTIBOOT_HEADER_FLAGS)

KERNEL_STACK_SIZE       equ 16 * 1024
PAGE_SIZE               equ 4096

section .multiboot
align 4
    dd MULTIBOOT_HEADER_MAGIC
    dd MULTIBOOT_HEADER_FLAGS
    dd MULTIBOOT_CHECKSUM

; The kernel stack, with a guard page below it that paging_init leaves
; unmapped: the stack grows down, and a push past its bottom faults there
; instead of silently overwriting whatever the linker put below (see
; kernel/tss.c for how that fault is caught). Both are page-aligned so that
; the guard is exactly one page of its own.
section .bss.stack nobits alloc noexec write align=PAGE_SIZE
global kernel_stack_guard
kernel_stack_guard:
    resb PAGE_SIZE
global kernel_stack_bottom
kernel_stack_bottom:
    resb KERNEL_STACK_SIZE
global kernel_stack_top
kernel_stack_top:

section .text
global _start
extern gdt_load
extern kmain
_start:
    mov esp, kernel_stack_top
    ; The boot loader's GDT may live anywhere, even in memory we will reuse:
    ; load our own before touching anything else. gdt_load preserves EAX/EBX.
    call gdt_load
    push 0                      ; EFLAGS: known state (IF=0, DF=0)
    popfd
    push ebx                    ; kmain(magic, info)
    push eax
    call kmain
    ; kmain never returns; if it did, stop here rather than run off the end.
.halt:
    cli
    hlt
    jmp .halt
