; The kernel's Global Descriptor Table: a flat 4 GiB code segment and a flat
; 4 GiB data segment, both ring 0. With base 0 and limit 4 GiB, segmentation
; is out of the way and a pointer is a linear address (and, before paging, a
; physical one). Reference: Intel SDM vol. 3A, 3.4.5 "Segment Descriptors".

; Access byte: present, ring 0, code/data (S=1), plus the type.
GDT_ACCESS_CODE equ 0x9A        ; P=1 DPL=0 S=1 type=execute/read
GDT_ACCESS_DATA equ 0x92        ; P=1 DPL=0 S=1 type=read/write
; Flags nibble: G=1 (limit in 4 KiB units), D/B=1 (32-bit).
GDT_FLAGS_4K_32 equ 0xC

%macro GDT_ENTRY 3              ; base, limit, access; flags are fixed
    dw (%2) & 0xFFFF
    dw (%1) & 0xFFFF
    db ((%1) >> 16) & 0xFF
    db %3
    db (GDT_FLAGS_4K_32 << 4) | (((%2) >> 16) & 0x0F)
    db ((%1) >> 24) & 0xFF
%endmacro

%include "boot/gdt.inc"

section .data
align 8
global gdt
gdt:
    dq 0                                        ; the null descriptor
    GDT_ENTRY 0, 0xFFFFF, GDT_ACCESS_CODE       ; 0x08 kernel code
    GDT_ENTRY 0, 0xFFFFF, GDT_ACCESS_DATA       ; 0x10 kernel data
    ; Two task-state segments, written by kernel/tss.c once their addresses
    ; are known (nasm cannot split a relocated address into a descriptor's
    ; base fields): empty, and so not present, until then.
    dq 0                                        ; 0x18 the kernel's TSS
    dq 0                                        ; 0x20 the #DF task's TSS
gdt_end:

gdt_descriptor:
    dw gdt_end - gdt - 1
    dd gdt

section .text
global gdt_load
gdt_load:
    lgdt [gdt_descriptor]
    ; A segment register caches its descriptor until it is loaded again, so
    ; reload every one of them: the data registers with a mov, CS with a far
    ; jump (nothing else can load CS).
    mov cx, GDT_KERNEL_DATA
    mov ds, cx
    mov es, cx
    mov fs, cx
    mov gs, cx
    mov ss, cx
    jmp GDT_KERNEL_CODE:.reload_cs
.reload_cs:
    ret
