/*
 * The kernel's console: kprintf's output goes to every registered sink
 * (the serial line, the VGA screen), and console_getc takes input from
 * whichever registered source has a byte (the serial line, the keyboard).
 * The console knows no device: kmain registers them (Linux's
 * register_console, much reduced), so the drivers stay below the kernel.
 */
#ifndef KERNEL_CONSOLE_H
#define KERNEL_CONSOLE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

/* What a colour means; a sink with colours picks its own for each. */
enum console_color {
    CONSOLE_PLAIN,          /* everything else */
    CONSOLE_TITLE,          /* the banner */
    CONSOLE_WARNING,        /* "warning:" lines */
    CONSOLE_ERROR,          /* a panic, an exception's register dump */
};

/* A device that shows output. The console owns the last two fields. */
struct console_sink {
    const char *name;                       /* for its messages: "serial" */
    /* One character; '\n' ends a line (a sink that needs CR LF adds the
     * CR itself). */
    void (*putc)(char c);
    void (*color)(enum console_color c);    /* NULL: no colours */
    void (*flush)(void);    /* after each write (a cursor to move); NULL */
    /* NULL, or: true while the device drops what it is given, with the
     * count dropped so far. Another sink cannot tell it, so when it turns
     * true the console shows stuck_warning on every other sink, and when
     * it turns false again, a line on all of them. */
    bool (*stuck)(uint32_t *dropped);
    const char *stuck_warning;
    struct console_sink *next;
    bool was_stuck;
};

/* A device that gives input: its next byte, or -1 when none is waiting;
 * and poll, which takes what the device holds without its interrupt (a
 * masked or lost one must not leave the monitor deaf). */
struct console_source {
    int (*getc)(void);
    void (*poll)(void);
    struct console_source *next;            /* the console's */
};

/* Output goes to the sinks in the order they were added; input is looked
 * for in the sources in that order. Both must stay alive for good. */
void console_add_sink(struct console_sink *sink);
void console_add_source(struct console_source *source);
/* Runs in console_getc before each look for input, so after each
 * interrupt that woke the CPU, with interrupts on (the live panel draws
 * there). NULL: nothing. */
void console_set_idle(void (*idle)(void));
/* The timer tick, as console_getc needs it: its count and its rate in
 * mHz (0: none). Until it is set, the console never halts. */
void console_set_tick(uint64_t (*count)(void), uint32_t (*millihz)(void));
/* A command ran and may have stopped every interrupt: the next wait for
 * input halts the CPU only once the tick has moved again. */
void console_recheck_tick(void);
/* Runs the idle hook: for a loop that waits for input outside
 * console_getc (recv). */
void console_idle(void);

void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void kvprintf(const char *fmt, va_list ap);
/* "warning: " and the message, a line of its own in the warning colour:
 * something went wrong, and the kernel goes on without it. */
void kwarn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void console_write(const char *s);

/* Colour for what follows on the sinks that have colours. */
void console_color(enum console_color c);

/* Waits for the next input byte, halting the CPU until an interrupt
 * brings one. Returns with interrupts enabled. */
int console_getc(void);

#endif
