#include "kernel/lib/cmdline.h"

#include "kernel/lib/fmt.h"
#include "kernel/lib/klib.h"
#include "kernel/lib/parse.h"

#include <stdarg.h>
#include <stddef.h>

/* Longest word we look at; a longer one is reported and skipped. */
#define CMDLINE_WORD_MAX 64

static void __attribute__((format(printf, 3, 4)))
warn(cmdline_warn_fn fn, void *ctx, const char *fmt, ...)
{
    char msg[160];
    va_list ap;
    va_start(ap, fmt);
    fmt_vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (fn)
        fn(ctx, msg);
}

static bool looks_like_file_name(const char *key)
{
    for (; *key; key++)
        if (*key == '/' || *key == '.')
            return true;
    return false;
}

/* Applies one word, already split into key and value (value NULL when the
 * word has no '='). word is the whole word, for messages. */
static void apply(struct cmdline *out, const char *word, const char *key,
                  const char *value, cmdline_warn_fn fn, void *ctx)
{
    if (strcmp(key, "test") == 0 || strcmp(key, "trace") == 0) {
        if (value) {
            warn(fn, ctx, "cmdline: '%s': %s takes no value", word, key);
            return;
        }
        if (strcmp(key, "test") == 0)
            out->test = true;
        else
            out->trace = true;
    } else if (strcmp(key, "irq") == 0) {
        if (value && strcmp(value, "pic") == 0)
            out->irq = IRQ_MODE_PIC;
        else if (value && strcmp(value, "apic") == 0)
            out->irq = IRQ_MODE_APIC;
        else
            warn(fn, ctx, "cmdline: '%s': irq is pic or apic", word);
    } else if (strcmp(key, "screen") == 0) {
        if (!value || !screen_mode_parse(value, &out->screen))
            warn(fn, ctx, "cmdline: '%s': screen is live or console", word);
    } else if (strcmp(key, "pci") == 0) {
        if (value && strcmp(value, "nomcfg") == 0)
            out->pci_nomcfg = true;
        else
            warn(fn, ctx, "cmdline: '%s': pci takes only nomcfg", word);
    } else if (strcmp(key, "hz") == 0) {
        uint32_t hz;
        enum parse_status st = parse_u32(value, &hz);
        if (st != PARSE_OK)
            warn(fn, ctx, "cmdline: '%s': hz: %s", word,
                 parse_status_text(st));
        else if (hz < CMDLINE_HZ_MIN || hz > CMDLINE_HZ_MAX)
            warn(fn, ctx, "cmdline: '%s': hz must be %u..%u", word,
                 CMDLINE_HZ_MIN, CMDLINE_HZ_MAX);
        else
            out->hz = hz;
    } else {
        warn(fn, ctx, "cmdline: unknown key in '%s', ignored", word);
    }
}

void cmdline_parse(const char *s, struct cmdline *out, cmdline_warn_fn fn,
                   void *ctx)
{
    out->test = false;
    out->irq = IRQ_MODE_AUTO;
    out->hz = CMDLINE_HZ_DEFAULT;
    out->trace = false;
    out->screen = SCREEN_LIVE;
    out->pci_nomcfg = false;
    if (!s)
        return;

    bool first = true;
    while (*s) {
        while (*s == ' ')
            s++;
        if (!*s)
            break;

        char word[CMDLINE_WORD_MAX + 1];
        size_t len = 0;
        bool too_long = false;
        for (; *s && *s != ' '; s++) {
            if (len < CMDLINE_WORD_MAX)
                word[len++] = *s;
            else
                too_long = true;
        }
        word[len] = '\0';

        char key[CMDLINE_WORD_MAX + 1];
        const char *value = NULL;
        size_t k = 0;
        for (; word[k] && word[k] != '='; k++)
            key[k] = word[k];
        key[k] = '\0';
        if (word[k] == '=')
            value = &word[k + 1];

        bool image_name = first && looks_like_file_name(key);
        first = false;
        if (image_name)
            continue;
        if (too_long) {
            warn(fn, ctx, "cmdline: word '%s...' is too long, ignored", word);
            continue;
        }
        apply(out, word, key, value, fn, ctx);
    }
}

const char *irq_mode_name(enum irq_mode mode)
{
    switch (mode) {
    case IRQ_MODE_AUTO:
        return "auto";
    case IRQ_MODE_PIC:
        return "pic";
    case IRQ_MODE_APIC:
        return "apic";
    }
    return "?";
}

const char *screen_mode_name(enum screen_mode mode)
{
    return mode == SCREEN_CONSOLE ? "console" : "live";
}

bool screen_mode_parse(const char *name, enum screen_mode *out)
{
    if (strcmp(name, "live") == 0)
        *out = SCREEN_LIVE;
    else if (strcmp(name, "console") == 0)
        *out = SCREEN_CONSOLE;
    else
        return false;
    return true;
}
