/*
 * The kernel command line (kernel/lib/cmdline.c): whatever a boot loader
 * passes. Invariants: every option ends in its valid range whatever the
 * words; each warning is a NUL-terminated "cmdline: " line that fits the
 * kernel's message buffer; parsing is deterministic.
 */
#include "kernel/lib/cmdline.h"
#include "tests/fuzz/fuzz.h"

#define WARNING_PREFIX "cmdline: "
#define WARNING_MAX 160     /* the buffer cmdline.c formats into */

static void on_warning(void *ctx, const char *message)
{
    unsigned *count = ctx;
    CHECK(strncmp(message, WARNING_PREFIX, strlen(WARNING_PREFIX)) == 0);
    CHECK(strlen(message) < WARNING_MAX);
    (*count)++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_string(data, size);
    struct cmdline a, b;
    unsigned warnings_a = 0, warnings_b = 0;

    cmdline_parse(s, &a, on_warning, &warnings_a);
    CHECK(a.hz >= CMDLINE_HZ_MIN && a.hz <= CMDLINE_HZ_MAX);
    CHECK(a.irq == IRQ_MODE_AUTO || a.irq == IRQ_MODE_PIC
          || a.irq == IRQ_MODE_APIC);
    CHECK(strcmp(irq_mode_name(a.irq), "?") != 0);
    CHECK(a.screen == SCREEN_LIVE || a.screen == SCREEN_CONSOLE);
    /* No warning callback is allowed too. */
    cmdline_parse(s, &b, NULL, NULL);
    cmdline_parse(s, &b, on_warning, &warnings_b);
    CHECK(a.test == b.test && a.irq == b.irq && a.hz == b.hz
          && a.trace == b.trace && a.screen == b.screen
          && a.pci_nomcfg == b.pci_nomcfg
          && warnings_a == warnings_b);
    /* A line can hold at most one warning per word, and a word takes at
     * least one character and a space. */
    CHECK(warnings_a <= size / 2 + 1);
    free(s);
    return 0;
}
