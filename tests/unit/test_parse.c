/* Host tests for kernel/lib/parse.c: parse_u32 on good, empty, malformed and
 * overflowing input, parse_status_text, and split_words. */
#include "kernel/lib/parse.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

/* On success the value is written. */
static void expect_ok(const char *s, uint32_t want)
{
    uint32_t v = 0x5A5A5A5Au;
    enum parse_status st = parse_u32(s, &v);
    if (st != PARSE_OK || v != want) {
        print_error("parse_u32(\"%s\"): status %d value %#x, want ok %#x\n",
                    s, (int)st, (unsigned)v, (unsigned)want);
        fail();
    }
}

/* On failure the status says why and *out is left alone. */
static void expect_err(const char *s, enum parse_status want)
{
    uint32_t v = 0x5A5A5A5Au;
    enum parse_status st = parse_u32(s, &v);
    if (st != want || v != 0x5A5A5A5Au) {
        print_error("parse_u32(\"%s\"): status %d value %#x, want status %d "
                    "and the value untouched\n", s ? s : "(NULL)", (int)st,
                    (unsigned)v, (int)want);
        fail();
    }
}

static void test_decimal(void **state)
{
    (void)state;
    expect_ok("0", 0);
    expect_ok("7", 7);
    expect_ok("47806", 47806);
    expect_ok("00042", 42);
    expect_ok("4294967295", UINT32_MAX);
}

static void test_hex(void **state)
{
    (void)state;
    expect_ok("0xbabe", 0xBABE);
    expect_ok("0XBABE", 0xBABE);
    expect_ok("0xAbCd", 0xABCD);
    expect_ok("0xdeadBEEF", 0xDEADBEEF);
    expect_ok("0x0", 0);
    expect_ok("0x00000010", 0x10);
    expect_ok("0xFFFFFFFF", UINT32_MAX);
}

static void test_overflow(void **state)
{
    (void)state;
    expect_err("4294967296", PARSE_OVERFLOW);
    expect_err("4294967300", PARSE_OVERFLOW);
    expect_err("99999999999", PARSE_OVERFLOW);
    expect_err("0x100000000", PARSE_OVERFLOW);
    expect_err("0x1FFFFFFFF", PARSE_OVERFLOW);
}

static void test_empty(void **state)
{
    (void)state;
    expect_err("", PARSE_EMPTY);
    expect_err("0x", PARSE_EMPTY);
    expect_err("0X", PARSE_EMPTY);
    expect_err(NULL, PARSE_EMPTY);
}

static void test_bad_digit(void **state)
{
    (void)state;
    expect_err("12a", PARSE_BAD_DIGIT);
    expect_err("-1", PARSE_BAD_DIGIT);
    expect_err("+1", PARSE_BAD_DIGIT);
    expect_err(" 1", PARSE_BAD_DIGIT);
    expect_err("1 ", PARSE_BAD_DIGIT);
    expect_err("0x1g", PARSE_BAD_DIGIT);
    expect_err("0x-1", PARSE_BAD_DIGIT);
    expect_err("0x 1", PARSE_BAD_DIGIT);
    /* A hex digit without the 0x prefix is not a decimal digit. */
    expect_err("ff", PARSE_BAD_DIGIT);
    expect_err("0b1", PARSE_BAD_DIGIT);
    expect_err("1x5", PARSE_BAD_DIGIT);
}

static void test_status_text(void **state)
{
    (void)state;
    static const enum parse_status all[] = {
        PARSE_OK, PARSE_EMPTY, PARSE_BAD_DIGIT, PARSE_OVERFLOW,
    };
    /* Every status has its own non-empty phrase. */
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        const char *t = parse_status_text(all[i]);
        assert_non_null(t);
        assert_true(t[0] != '\0');
        for (size_t j = 0; j < i; j++)
            assert_string_not_equal(t, parse_status_text(all[j]));
    }
}

static void test_split_basic(void **state)
{
    (void)state;
    char line[] = "md 0x1000 16";
    char *w[4];
    assert_int_equal(split_words(line, w, 4), 3);
    assert_string_equal(w[0], "md");
    assert_string_equal(w[1], "0x1000");
    assert_string_equal(w[2], "16");
    /* The words point into the line, split in place. */
    assert_ptr_equal(w[0], line);
}

static void test_split_spaces(void **state)
{
    (void)state;
    /* Leading, trailing and repeated spaces make no empty words. */
    char line[] = "   out  0x80    0xff   ";
    char *w[4];
    assert_int_equal(split_words(line, w, 4), 3);
    assert_string_equal(w[0], "out");
    assert_string_equal(w[1], "0x80");
    assert_string_equal(w[2], "0xff");
}

static void test_split_empty(void **state)
{
    (void)state;
    char *w[2];
    char empty[] = "";
    assert_int_equal(split_words(empty, w, 2), 0);
    char blank[] = "     ";
    assert_int_equal(split_words(blank, w, 2), 0);
    char none[] = "";
    assert_int_equal(split_words(none, w, 0), 0);
}

static void test_split_max_words(void **state)
{
    (void)state;
    char *w[3];

    /* Exactly max words fit, also with trailing spaces. */
    char exact[] = "a b c";
    assert_int_equal(split_words(exact, w, 3), 3);
    assert_string_equal(w[2], "c");
    char exact_trailing[] = " a b c   ";
    assert_int_equal(split_words(exact_trailing, w, 3), 3);
    assert_string_equal(w[2], "c");

    /* One more is refused, not silently cut. */
    char over[] = "a b c d";
    assert_int_equal(split_words(over, w, 3), -1);
    char one[] = "a";
    assert_int_equal(split_words(one, w, 0), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decimal),
        cmocka_unit_test(test_hex),
        cmocka_unit_test(test_overflow),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_bad_digit),
        cmocka_unit_test(test_status_text),
        cmocka_unit_test(test_split_basic),
        cmocka_unit_test(test_split_spaces),
        cmocka_unit_test(test_split_empty),
        cmocka_unit_test(test_split_max_words),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
