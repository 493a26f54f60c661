/*
 * Graded labs (docs/labs.md): in a student tree that `make lab LAB=name`
 * wrote, each part of a lab the student has still to write is a stub that
 * calls lab_missing. The kernel says so, once a part, on its consoles:
 * which lab and part is missing and what the machine does without it.
 * In the complete kernel nothing calls lab_missing. Pure C, host-tested.
 */
#ifndef KERNEL_LIB_LAB_H
#define KERNEL_LIB_LAB_H

#include <stdbool.h>

struct lab_part {
    const char *lab;        /* "pic" */
    const char *part;       /* "remap" */
    const char *file;       /* where the TODO is: "drivers/pic8259.c" */
    const char *effect;     /* what the machine does without it */
};

/* The most parts remembered: a student tree stubs one lab, of a few
 * parts. Beyond it a part is reported each time its stub runs, and lost
 * when it runs before the consoles exist. */
#define LAB_PARTS_MAX 16

typedef void (*lab_report_fn)(const struct lab_part *part);

/* A stub ran: reports the part the first time (later calls of the same
 * lab and part are not reported again). Before lab_report_to, the part
 * waits in a table. */
void lab_missing(const char *lab, const char *part, const char *file,
                 const char *effect);

/* From now on parts go to fn: first those that came before, then each
 * new one as its stub first runs. */
void lab_report_to(lab_report_fn fn);

#endif
