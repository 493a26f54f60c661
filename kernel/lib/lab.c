/*
 * The record of a student tree's missing lab parts (kernel/lib/lab.h). A
 * stub may run before the consoles exist (the UART's is the first thing
 * the kernel calls) or inside an interrupt handler (an EOI), again and
 * again: each part is reported once, when there is somewhere to say it.
 */
#include "kernel/lib/lab.h"

#include "kernel/lib/klib.h"

static struct lab_part parts[LAB_PARTS_MAX];
static unsigned kept;           /* entries of parts[] in use */
static lab_report_fn report;

static bool same_text(const char *a, const char *b)
{
    return strcmp(a, b) == 0;
}

static bool known(const char *lab, const char *part)
{
    for (unsigned i = 0; i < kept; i++)
        if (same_text(parts[i].lab, lab) && same_text(parts[i].part, part))
            return true;
    return false;
}

/* Called only by the stubs `make lab` writes (tools/labs.py). */
/* cppcheck-suppress unusedFunction */
void lab_missing(const char *lab, const char *part, const char *file,
                 const char *effect)
{
    struct lab_part p = { lab, part, file, effect };

    if (known(lab, part))
        return;
    if (kept < LAB_PARTS_MAX)
        parts[kept++] = p;
    if (report)
        report(&p);
}

void lab_report_to(lab_report_fn fn)
{
    report = fn;
    for (unsigned i = 0; i < kept && fn; i++)
        fn(&parts[i]);
}
