/* Host tests for kernel/lib/line.c: line endings (CR, LF, CR LF), editing,
 * Ctrl-C, bad bytes, and a flood past LINE_CAPACITY. */
#include "kernel/lib/line.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

/* Everything echoed, concatenated. */
struct echo_log {
    char text[20000];
    size_t len;
};

static void echo_to_log(void *ctx, const char *s)
{
    struct echo_log *log = ctx;
    size_t n = strlen(s);
    assert_true(log->len + n < sizeof log->text);
    memcpy(log->text + log->len, s, n + 1);
    log->len += n;
}

/* A fresh editor (after_cr is not touched by line_reset, so zero it all
 * first, as the monitor's static editor is) and an empty echo log. */
static void start(struct line_editor *ed, struct echo_log *log)
{
    memset(ed, 0, sizeof *ed);
    line_reset(ed);
    log->len = 0;
    log->text[0] = '\0';
}

static enum line_event feed(struct line_editor *ed, struct echo_log *log,
                            uint8_t c)
{
    return line_feed(ed, c, echo_to_log, log);
}

/* Feeds the bytes of s; each but the last must leave the line pending.
 * Returns the last byte's event. */
static enum line_event feed_str(struct line_editor *ed, struct echo_log *log,
                                const char *s)
{
    enum line_event ev = LINE_PENDING;
    for (; *s; s++) {
        assert_int_equal(ev, LINE_PENDING);
        ev = feed(ed, log, (uint8_t)*s);
    }
    return ev;
}

static void test_cr_ends_line(void **state)
{
    (void)state;
    struct line_editor ed;
    struct echo_log log;
    start(&ed, &log);

    assert_int_equal(feed_str(&ed, &log, "help\r"), LINE_DONE);
    assert_string_equal(ed.buf, "help");
    assert_int_equal(ed.len, 4);
    assert_false(ed.bad_byte);
    assert_int_equal(ed.dropped, 0);
    assert_string_equal(log.text, "help\n");
}

static void test_crlf_gives_one_line(void **state)
{
    (void)state;
    struct line_editor ed;
    struct echo_log log;
    start(&ed, &log);

    /* The monitor resets after each line; the LF then arrives and must be
     * swallowed without echo. */
    assert_int_equal(feed_str(&ed, &log, "ls\r"), LINE_DONE);
    assert_string_equal(ed.buf, "ls");
    line_reset(&ed);
    assert_int_equal(feed(&ed, &log, '\n'), LINE_PENDING);
    assert_string_equal(log.text, "ls\n");

    /* Only one LF is swallowed: the next one is an (empty) line. */
    assert_int_equal(feed(&ed, &log, '\n'), LINE_DONE);
    assert_int_equal(ed.len, 0);
    assert_string_equal(log.text, "ls\n\n");
}

static void test_lf_ends_line(void **state)
{
    (void)state;
    struct line_editor ed;
    struct echo_log log;
    start(&ed, &log);

    assert_int_equal(feed_str(&ed, &log, "ls\n"), LINE_DONE);
    assert_string_equal(ed.buf, "ls");
    assert_string_equal(log.text, "ls\n");

    /* An LF after a CR that was followed by something else is a line end:
     * only an LF right after the CR is swallowed. */
    line_reset(&ed);
    assert_int_equal(feed(&ed, &log, '\r'), LINE_DONE);
    line_reset(&ed);
    assert_int_equal(feed_str(&ed, &log, "x\n"), LINE_DONE);
    assert_string_equal(ed.buf, "x");
}

static void test_two_lf_two_lines(void **state)
{
    (void)state;
    struct line_editor ed;
    struct echo_log log;
    start(&ed, &log);

    assert_int_equal(feed(&ed, &log, '\n'), LINE_DONE);
    assert_int_equal(ed.len, 0);
    line_reset(&ed);
    assert_int_equal(feed(&ed, &log, '\n'), LINE_DONE);
    assert_int_equal(ed.len, 0);
    assert_string_equal(log.text, "\n\n");
}

static void test_backspace_and_del(void **state)
{
    (void)state;
    struct line_editor ed;
    struct echo_log log;
    start(&ed, &log);

    feed_str(&ed, &log, "abc");
    assert_int_equal(feed(&ed, &log, LINE_BS), LINE_PENDING);
    assert_string_equal(ed.buf, "ab");
    assert_int_equal(feed(&ed, &log, LINE_DEL), LINE_PENDING);
    assert_string_equal(ed.buf, "a");
    assert_int_equal(ed.len, 1);
    assert_string_equal(log.text, "abc\b \b\b \b");

    /* Erasing then retyping gives the retyped line. */
    assert_int_equal(feed_str(&ed, &log, "z\r"), LINE_DONE);
    assert_string_equal(ed.buf, "az");
}

static void test_backspace_on_empty_line(void **state)
{
    (void)state;
    struct line_editor ed;
    struct echo_log log;
    start(&ed, &log);

    /* Nothing to erase: no echo, or the prompt itself would be erased. */
    assert_int_equal(feed(&ed, &log, LINE_BS), LINE_PENDING);
    assert_int_equal(feed(&ed, &log, LINE_DEL), LINE_PENDING);
    assert_int_equal(ed.len, 0);
    assert_string_equal(ed.buf, "");
    assert_int_equal(log.len, 0);
}

static void test_ctrl_c_cancels(void **state)
{
    (void)state;
    struct line_editor ed;
    struct echo_log log;
    start(&ed, &log);

    feed_str(&ed, &log, "abc");
    feed(&ed, &log, 0x1b);
    assert_int_equal(feed(&ed, &log, LINE_CTRL_C), LINE_CANCELLED);
    assert_int_equal(ed.len, 0);
    assert_string_equal(ed.buf, "");
    assert_false(ed.bad_byte);
    assert_string_equal(log.text, "abc^C\n");

    /* The next line starts clean. */
    assert_int_equal(feed_str(&ed, &log, "d\r"), LINE_DONE);
    assert_string_equal(ed.buf, "d");
}

static void test_bad_bytes(void **state)
{
    (void)state;
    struct line_editor ed;
    struct echo_log log;
    start(&ed, &log);

    /* ESC, then high bytes: none stored or echoed, the first one kept. */
    feed_str(&ed, &log, "a");
    assert_int_equal(feed(&ed, &log, 0x1b), LINE_PENDING);
    feed_str(&ed, &log, "b");
    assert_int_equal(feed(&ed, &log, 0x80), LINE_PENDING);
    assert_int_equal(feed(&ed, &log, 0xff), LINE_PENDING);
    assert_true(ed.bad_byte);
    assert_int_equal(ed.first_bad, 0x1b);
    assert_int_equal(feed(&ed, &log, '\r'), LINE_DONE);
    assert_string_equal(ed.buf, "ab");
    assert_true(ed.bad_byte);
    assert_string_equal(log.text, "ab\n");

    /* A high byte first is the one reported. */
    line_reset(&ed);
    assert_int_equal(feed(&ed, &log, 0x80), LINE_PENDING);
    assert_int_equal(feed(&ed, &log, 0x1b), LINE_PENDING);
    assert_true(ed.bad_byte);
    assert_int_equal(ed.first_bad, 0x80);
    assert_int_equal(ed.len, 0);

    line_reset(&ed);
    assert_int_equal(feed(&ed, &log, 0xff), LINE_PENDING);
    assert_int_equal(ed.first_bad, 0xff);
    assert_int_equal(ed.len, 0);
}

static void test_flood_past_capacity(void **state)
{
    (void)state;
    struct line_editor ed;
    struct echo_log log;
    start(&ed, &log);

    for (int i = 0; i < 10000; i++)
        assert_int_equal(feed(&ed, &log, (uint8_t)('a' + i % 26)),
                         LINE_PENDING);
    assert_int_equal(ed.len, LINE_CAPACITY);
    assert_int_equal(ed.dropped, 10000 - LINE_CAPACITY);
    assert_int_equal(ed.buf[LINE_CAPACITY], '\0');
    assert_int_equal(strlen(ed.buf), LINE_CAPACITY);
    assert_int_equal(ed.buf[LINE_CAPACITY - 1],
                     'a' + (LINE_CAPACITY - 1) % 26);
    /* Only what was stored was echoed. */
    assert_int_equal(log.len, LINE_CAPACITY);
    assert_memory_equal(log.text, ed.buf, LINE_CAPACITY);

    assert_int_equal(feed(&ed, &log, '\r'), LINE_DONE);
    assert_int_equal(ed.dropped, 10000 - LINE_CAPACITY);
}

static void test_backspace_eats_dropped_first(void **state)
{
    (void)state;
    struct line_editor ed;
    struct echo_log log;
    start(&ed, &log);

    for (int i = 0; i < LINE_CAPACITY + 3; i++)
        feed(&ed, &log, 'x');
    assert_int_equal(ed.dropped, 3);

    /* The three unseen characters go first, silently. */
    for (int i = 0; i < 3; i++)
        assert_int_equal(feed(&ed, &log, LINE_BS), LINE_PENDING);
    assert_int_equal(ed.dropped, 0);
    assert_int_equal(ed.len, LINE_CAPACITY);
    assert_int_equal(log.len, LINE_CAPACITY);

    /* Then the stored ones, with the erase echo. */
    assert_int_equal(feed(&ed, &log, LINE_DEL), LINE_PENDING);
    assert_int_equal(ed.len, LINE_CAPACITY - 1);
    assert_int_equal(strlen(ed.buf), LINE_CAPACITY - 1);
    assert_string_equal(log.text + LINE_CAPACITY, "\b \b");
}

static void test_reset_clears_state(void **state)
{
    (void)state;
    struct line_editor ed;
    struct echo_log log;
    start(&ed, &log);

    for (int i = 0; i < LINE_CAPACITY + 5; i++)
        feed(&ed, &log, 'x');
    feed(&ed, &log, 0x80);
    assert_true(ed.bad_byte);

    line_reset(&ed);
    assert_int_equal(ed.len, 0);
    assert_string_equal(ed.buf, "");
    assert_int_equal(ed.dropped, 0);
    assert_false(ed.bad_byte);
    assert_int_equal(ed.first_bad, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cr_ends_line),
        cmocka_unit_test(test_crlf_gives_one_line),
        cmocka_unit_test(test_lf_ends_line),
        cmocka_unit_test(test_two_lf_two_lines),
        cmocka_unit_test(test_backspace_and_del),
        cmocka_unit_test(test_backspace_on_empty_line),
        cmocka_unit_test(test_ctrl_c_cancels),
        cmocka_unit_test(test_bad_bytes),
        cmocka_unit_test(test_flood_past_capacity),
        cmocka_unit_test(test_backspace_eats_dropped_first),
        cmocka_unit_test(test_reset_clears_state),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
