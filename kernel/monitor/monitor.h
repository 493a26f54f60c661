/*
 * The monitor: a small shell on the console. Commands come in sets, one
 * set per file (kernel/cmd_*.c), each an array ending with a zeroed entry;
 * monitor.c reads lines, splits them into words, checks the argument
 * count, and calls the command.
 */
#ifndef KERNEL_MONITOR_H
#define KERNEL_MONITOR_H

#include "kernel/lib/bootinfo.h"
#include "kernel/lib/pci_config.h"

#include <stdbool.h>
#include <stdint.h>

struct command {
    const char *name;
    const char *args;       /* for help and usage lines */
    const char *help;
    int min_args, max_args; /* counting the command's own name */
    void (*run)(int argc, char **argv);
};

/* The command sets (kernel/cmd_*.c). */
extern const struct command io_commands[];
extern const struct command interrupt_commands[];
extern const struct command apic_commands[];
extern const struct command trace_commands[];
extern const struct command serial_commands[];
extern const struct command system_commands[];
extern const struct command keyboard_commands[];
extern const struct command dma_commands[];
extern const struct command disk_commands[];
extern const struct command map_commands[];
extern const struct command screen_commands[];
extern const struct command bench_commands[];
extern const struct command pci_commands[];
extern const struct command msi_commands[];
extern const struct command vga_commands[];
extern const struct command bar_commands[];

/* What the boot loader told kmain (kernel/main.c), for `map`. */
const struct bootinfo *kernel_bootinfo(void);

/* Prints one "error: ..." line: the answer to any bad input. */
void monitor_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Parses argument `what` of command `cmd` as a number no larger than max;
 * on failure prints the error line and returns false. */
bool monitor_arg_number(const char *cmd, const char *what, const char *s,
                        uint32_t max, uint32_t *out);

/* Parses argument s of command cmd as a PCI function's B:D.F (hex, as
 * lspci prints it); on failure prints the error line and returns false. */
bool monitor_arg_bdf(const char *cmd, const char *s, pci_bdf *out);

/* Reads lines from the console and runs them. Never returns. */
void monitor_run(void) __attribute__((noreturn));

#endif
