#include "kernel/panic.h"

#include "drivers/debugexit.h"
#include "kernel/console.h"
#include "kernel/x86.h"

#include <stdarg.h>

static bool exit_on_panic;

void panic_set_exit_on_panic(bool on)
{
    exit_on_panic = on;
}

void halt_forever(void)
{
    for (;;) {
        cli();
        hlt();      /* an NMI can still wake the CPU: halt again */
    }
}

void panic(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    console_color(CONSOLE_ERROR);
    kprintf("panic: ");
    kvprintf(fmt, ap);
    kprintf("\n");
    va_end(ap);
    if (exit_on_panic)
        debugexit_write(DEBUGEXIT_TESTS_FAILED);
    kprintf("kernel halted\n");
    halt_forever();
}
