/* Host tests for kernel/lib/cmdline.c: defaults, the image name that QEMU puts
 * first, every key and its bad values, and the warnings they produce. */
#include "kernel/lib/cmdline.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#define MAX_WARNINGS 8

/* Every warning the parser sends, in order. */
struct warnings {
    int count;
    char text[MAX_WARNINGS][200];
};

static void collect_warning(void *ctx, const char *message)
{
    struct warnings *w = ctx;
    if (w->count < MAX_WARNINGS)
        (void)snprintf(w->text[w->count], sizeof w->text[0], "%s",
                       message);
    w->count++;
}

/* Parses s into out, starting from values that are all not the defaults,
 * so a field the parser forgets to set shows. */
static void parse(const char *s, struct cmdline *out, struct warnings *w)
{
    *out = (struct cmdline){ true, IRQ_MODE_APIC, 5, true, SCREEN_CONSOLE,
                             true };
    *w = (struct warnings){ .count = 0 };
    cmdline_parse(s, out, collect_warning, w);
}

static void expect_defaults(const struct cmdline *c)
{
    assert_false(c->test);
    assert_int_equal(c->irq, IRQ_MODE_AUTO);
    assert_int_equal(c->hz, CMDLINE_HZ_DEFAULT);
    assert_false(c->trace);
    assert_int_equal(c->screen, SCREEN_LIVE);
    assert_false(c->pci_nomcfg);
}

/* Exactly one warning, containing each of the given phrases. */
static void expect_one_warning(const struct warnings *w, const char *a,
                               const char *b)
{
    assert_int_equal(w->count, 1);
    assert_non_null(strstr(w->text[0], a));
    if (b)
        assert_non_null(strstr(w->text[0], b));
}

static void test_defaults(void **state)
{
    (void)state;
    struct cmdline c;
    struct warnings w;

    parse(NULL, &c, &w);
    expect_defaults(&c);
    assert_int_equal(w.count, 0);

    parse("", &c, &w);
    expect_defaults(&c);
    assert_int_equal(w.count, 0);

    parse("    ", &c, &w);
    expect_defaults(&c);
    assert_int_equal(w.count, 0);
}

static void test_qemu_and_grub_agree(void **state)
{
    (void)state;
    struct cmdline qemu, grub;
    struct warnings wq, wg;

    /* QEMU -kernel passes the file name first, GRUB does not. */
    parse("build/iospace.elf test", &qemu, &wq);
    parse("test", &grub, &wg);
    assert_int_equal(wq.count, 0);
    assert_int_equal(wg.count, 0);
    assert_true(qemu.test);
    assert_true(grub.test);
    assert_int_equal(qemu.irq, grub.irq);
    assert_int_equal(qemu.hz, grub.hz);
    assert_int_equal(qemu.trace, grub.trace);
    assert_int_equal(qemu.screen, grub.screen);
}

static void test_all_keys(void **state)
{
    (void)state;
    struct cmdline c;
    struct warnings w;

    parse("/boot/iospace.elf irq=pic hz=1000 trace screen=console", &c, &w);
    assert_int_equal(w.count, 0);
    assert_false(c.test);
    assert_int_equal(c.irq, IRQ_MODE_PIC);
    assert_int_equal(c.hz, 1000);
    assert_true(c.trace);
    assert_int_equal(c.screen, SCREEN_CONSOLE);

    /* Runs of spaces anywhere are only separators. */
    parse("  test    trace  ", &c, &w);
    assert_int_equal(w.count, 0);
    assert_true(c.test);
    assert_true(c.trace);
}

static void test_image_name_first_word_only(void **state)
{
    (void)state;
    struct cmdline c;
    struct warnings w;

    /* A '.' alone makes the first word a file name. */
    parse("iospace.elf test", &c, &w);
    assert_int_equal(w.count, 0);
    assert_true(c.test);

    /* Later, a word with '/' is just an unknown key. */
    parse("test build/iospace.elf", &c, &w);
    assert_true(c.test);
    expect_one_warning(&w, "unknown key", "build/iospace.elf");
}

static void test_irq(void **state)
{
    (void)state;
    struct cmdline c;
    struct warnings w;

    parse("irq=apic", &c, &w);
    assert_int_equal(w.count, 0);
    assert_int_equal(c.irq, IRQ_MODE_APIC);

    parse("irq=pic", &c, &w);
    assert_int_equal(w.count, 0);
    assert_int_equal(c.irq, IRQ_MODE_PIC);

    /* Bad or missing values warn and leave the default. */
    parse("irq=bogus", &c, &w);
    assert_int_equal(c.irq, IRQ_MODE_AUTO);
    expect_one_warning(&w, "irq=bogus", "pic or apic");

    parse("irq", &c, &w);
    assert_int_equal(c.irq, IRQ_MODE_AUTO);
    expect_one_warning(&w, "irq", "pic or apic");

    parse("irq=", &c, &w);
    assert_int_equal(c.irq, IRQ_MODE_AUTO);
    expect_one_warning(&w, "irq=", "pic or apic");

    /* Values are case sensitive. */
    parse("irq=PIC", &c, &w);
    assert_int_equal(c.irq, IRQ_MODE_AUTO);
    assert_int_equal(w.count, 1);
}

static void test_screen(void **state)
{
    (void)state;
    struct cmdline c;
    struct warnings w;

    parse("screen=console", &c, &w);
    assert_int_equal(w.count, 0);
    assert_int_equal(c.screen, SCREEN_CONSOLE);

    parse("screen=live", &c, &w);
    assert_int_equal(w.count, 0);
    assert_int_equal(c.screen, SCREEN_LIVE);

    /* The last word wins, as for every key. */
    parse("screen=console screen=live", &c, &w);
    assert_int_equal(w.count, 0);
    assert_int_equal(c.screen, SCREEN_LIVE);

    /* Bad or missing values warn and leave the default, live. */
    parse("screen=off", &c, &w);
    assert_int_equal(c.screen, SCREEN_LIVE);
    expect_one_warning(&w, "screen=off", "live or console");

    parse("screen", &c, &w);
    assert_int_equal(c.screen, SCREEN_LIVE);
    expect_one_warning(&w, "'screen'", "live or console");

    parse("screen=", &c, &w);
    assert_int_equal(c.screen, SCREEN_LIVE);
    expect_one_warning(&w, "screen=", "live or console");

    parse("screen=Console", &c, &w);
    assert_int_equal(c.screen, SCREEN_LIVE);
    assert_int_equal(w.count, 1);
}

static void test_pci_nomcfg(void **state)
{
    (void)state;
    struct cmdline c;
    struct warnings w;

    parse("pci=nomcfg", &c, &w);
    assert_int_equal(w.count, 0);
    assert_true(c.pci_nomcfg);

    parse("pci", &c, &w);
    assert_false(c.pci_nomcfg);
    expect_one_warning(&w, "'pci'", "only nomcfg");

    parse("pci=mcfg", &c, &w);
    assert_false(c.pci_nomcfg);
    expect_one_warning(&w, "'pci=mcfg'", "only nomcfg");

    parse("pci=", &c, &w);
    assert_false(c.pci_nomcfg);
    assert_int_equal(w.count, 1);
}

static void test_screen_mode_names(void **state)
{
    (void)state;
    enum screen_mode m = SCREEN_LIVE;

    assert_string_equal(screen_mode_name(SCREEN_LIVE), "live");
    assert_string_equal(screen_mode_name(SCREEN_CONSOLE), "console");
    /* Each name parses back to its mode; anything else is refused and
     * leaves the mode alone. */
    assert_true(screen_mode_parse("console", &m));
    assert_int_equal(m, SCREEN_CONSOLE);
    assert_true(screen_mode_parse("live", &m));
    assert_int_equal(m, SCREEN_LIVE);
    assert_false(screen_mode_parse("", &m));
    assert_false(screen_mode_parse("lively", &m));
    assert_false(screen_mode_parse("liv", &m));
    assert_int_equal(m, SCREEN_LIVE);
}

static void test_hz_values(void **state)
{
    (void)state;
    struct cmdline c;
    struct warnings w;

    /* The bounds themselves are allowed. */
    parse("hz=19", &c, &w);
    assert_int_equal(w.count, 0);
    assert_int_equal(c.hz, 19);

    parse("hz=10000", &c, &w);
    assert_int_equal(w.count, 0);
    assert_int_equal(c.hz, 10000);

    /* Hex goes through parse_u32. */
    parse("hz=0x64", &c, &w);
    assert_int_equal(w.count, 0);
    assert_int_equal(c.hz, 100);
    parse("hz=0x3E8", &c, &w);
    assert_int_equal(w.count, 0);
    assert_int_equal(c.hz, 1000);
}

static void test_hz_rejected(void **state)
{
    (void)state;
    struct cmdline c;
    struct warnings w;

    /* Just outside the range. */
    parse("hz=18", &c, &w);
    assert_int_equal(c.hz, CMDLINE_HZ_DEFAULT);
    expect_one_warning(&w, "hz=18", "19..10000");

    parse("hz=10001", &c, &w);
    assert_int_equal(c.hz, CMDLINE_HZ_DEFAULT);
    expect_one_warning(&w, "hz=10001", "19..10000");

    parse("hz=0", &c, &w);
    assert_int_equal(c.hz, CMDLINE_HZ_DEFAULT);
    assert_int_equal(w.count, 1);

    /* Not numbers: the warning carries parse_u32's reason. */
    parse("hz=abc", &c, &w);
    assert_int_equal(c.hz, CMDLINE_HZ_DEFAULT);
    expect_one_warning(&w, "hz=abc", "not a number");

    parse("hz", &c, &w);
    assert_int_equal(c.hz, CMDLINE_HZ_DEFAULT);
    expect_one_warning(&w, "hz", "no digits");

    parse("hz=99999999999", &c, &w);
    assert_int_equal(c.hz, CMDLINE_HZ_DEFAULT);
    expect_one_warning(&w, "hz=99999999999", "32 bits");
}

static void test_flags_take_no_value(void **state)
{
    (void)state;
    struct cmdline c;
    struct warnings w;

    parse("test=1", &c, &w);
    assert_false(c.test);
    expect_one_warning(&w, "test=1", "takes no value");

    parse("trace=on", &c, &w);
    assert_false(c.trace);
    expect_one_warning(&w, "trace=on", "takes no value");
}

static void test_unknown_key(void **state)
{
    (void)state;
    struct cmdline c;
    struct warnings w;

    parse("verbose", &c, &w);
    expect_defaults(&c);
    expect_one_warning(&w, "unknown key", "verbose");

    /* Each bad word gets its own warning; good words around it count. */
    parse("foo=bar test hz=1 baz", &c, &w);
    assert_true(c.test);
    assert_int_equal(c.hz, CMDLINE_HZ_DEFAULT);
    assert_int_equal(w.count, 3);
    assert_non_null(strstr(w.text[0], "foo=bar"));
    assert_non_null(strstr(w.text[1], "hz=1"));
    assert_non_null(strstr(w.text[2], "baz"));
}

static void test_too_long_word(void **state)
{
    (void)state;
    char s[256];
    struct cmdline c;
    struct warnings w;

    /* 200 characters, then a good word that must still be seen. */
    memset(s, 'a', 200);
    memcpy(s + 200, " trace", sizeof " trace");
    parse(s, &c, &w);
    assert_true(c.trace);
    assert_false(c.test);
    expect_one_warning(&w, "too long", "aaaaaaaa");

    /* A long word is ignored even when it starts with a real key. */
    memcpy(s, "hz=", 3);
    memset(s + 3, '5', 197);
    s[200] = '\0';
    parse(s, &c, &w);
    assert_int_equal(c.hz, CMDLINE_HZ_DEFAULT);
    expect_one_warning(&w, "too long", "hz=555");
}

static void test_no_callback(void **state)
{
    (void)state;
    struct cmdline c;

    /* Warnings with no callback are dropped, not a crash. */
    cmdline_parse("bogus irq=x hz=1 trace", &c, NULL, NULL);
    assert_true(c.trace);
    assert_int_equal(c.irq, IRQ_MODE_AUTO);
    assert_int_equal(c.hz, CMDLINE_HZ_DEFAULT);
}

static void test_irq_mode_name(void **state)
{
    (void)state;
    assert_string_equal(irq_mode_name(IRQ_MODE_AUTO), "auto");
    assert_string_equal(irq_mode_name(IRQ_MODE_PIC), "pic");
    assert_string_equal(irq_mode_name(IRQ_MODE_APIC), "apic");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_qemu_and_grub_agree),
        cmocka_unit_test(test_all_keys),
        cmocka_unit_test(test_image_name_first_word_only),
        cmocka_unit_test(test_irq),
        cmocka_unit_test(test_screen),
        cmocka_unit_test(test_screen_mode_names),
        cmocka_unit_test(test_pci_nomcfg),
        cmocka_unit_test(test_hz_values),
        cmocka_unit_test(test_hz_rejected),
        cmocka_unit_test(test_flags_take_no_value),
        cmocka_unit_test(test_unknown_key),
        cmocka_unit_test(test_too_long_word),
        cmocka_unit_test(test_no_callback),
        cmocka_unit_test(test_irq_mode_name),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
