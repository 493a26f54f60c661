; Recovery points: a kernel setjmp/longjmp. The monitor arms one before it
; runs something that may fault (a `peek` of a strange address, a `fault`
; command); the exception handler, after its register dump, resumes there
; instead of halting. See kernel/recover.h.
;
; struct recover_point layout (offsets in bytes):
;   0 ebx, 4 esi, 8 edi, 12 ebp, 16 esp, 20 eip, 24 eflags

section .text

; int recover_save(struct recover_point *p)
; Returns 0 now, and again (with the value given to recover_resume) later.
global recover_save
recover_save:
    mov eax, [esp + 4]
    mov [eax + 0], ebx
    mov [eax + 4], esi
    mov [eax + 8], edi
    mov [eax + 12], ebp
    lea ecx, [esp + 4]          ; ESP as the caller sees it after we return
    mov [eax + 16], ecx
    mov ecx, [esp]              ; our return address
    mov [eax + 20], ecx
    pushfd
    pop ecx
    mov [eax + 24], ecx
    xor eax, eax
    ret

; void recover_resume(const struct recover_point *p, int value)
; Never returns: continues after the recover_save call that filled p, with
; its EFLAGS (and so its interrupt flag) restored.
global recover_resume
recover_resume:
    mov edx, [esp + 4]
    mov eax, [esp + 8]
    mov ebx, [edx + 0]
    mov esi, [edx + 4]
    mov edi, [edx + 8]
    mov ebp, [edx + 12]
    mov esp, [edx + 16]
    push dword [edx + 24]
    popfd
    jmp [edx + 20]
