/* Host tests for kernel/lib/fmt.c: every conversion, flag and width form, the
 * 64-bit values, unknown conversions and fmt_snprintf's truncation. */
#include "kernel/lib/fmt.h"

#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

/* Formats into a large buffer and compares with want, and the return value
 * with want's length. Deliberately not declared with the printf format
 * attribute: several tests pass formats (%q, a lone %, '-' with '0') that
 * the compiler's format check would reject, and those are what we test. */
static void expect_fmt(const char *want, const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    int n = fmt_vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (strcmp(buf, want) != 0 || n != (int)strlen(want)) {
        print_error("format \"%s\": got \"%s\" (%d), want \"%s\" (%zu)\n",
                    fmt, buf, n, want, strlen(want));
        fail();
    }
}

/* fmt_snprintf without the compiler's format check, for the same reason. */
static int snprintf_unchecked(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = fmt_vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

static void test_plain_text_and_percent(void **state)
{
    (void)state;
    expect_fmt("", "");
    expect_fmt("hello", "hello");
    expect_fmt("100%", "100%%");
    expect_fmt("%%", "%%%%");
}

static void test_string(void **state)
{
    (void)state;
    expect_fmt("hi", "%s", "hi");
    expect_fmt("[   hi]", "[%5s]", "hi");
    expect_fmt("[hi   ]", "[%-5s]", "hi");
    /* A width narrower than the string never cuts it. */
    expect_fmt("hello", "%2s", "hello");
    /* '0' pads numbers only: a string still gets spaces. */
    expect_fmt("[   hi]", "[%05s]", "hi");
    expect_fmt("(null)", "%s", (const char *)NULL);
    expect_fmt("[  (null)]", "[%8s]", (const char *)NULL);
}

static void test_char(void **state)
{
    (void)state;
    expect_fmt("x", "%c", 'x');
    expect_fmt("[  x]", "[%3c]", 'x');
    expect_fmt("[x  ]", "[%-3c]", 'x');
    expect_fmt("a-b", "%c%c%c", 'a', '-', 'b');
}

static void test_signed_decimal(void **state)
{
    (void)state;
    expect_fmt("0", "%d", 0);
    expect_fmt("42", "%d", 42);
    expect_fmt("-42", "%d", -42);
    expect_fmt("123", "%i", 123);
    expect_fmt("-7", "%i", -7);
    expect_fmt("2147483647", "%d", INT_MAX);
    /* INT_MIN has no positive int counterpart: the magnitude must be taken
     * without overflowing. */
    expect_fmt("-2147483648", "%d", INT_MIN);
}

static void test_unsigned_and_hex(void **state)
{
    (void)state;
    expect_fmt("0", "%u", 0u);
    expect_fmt("4294967295", "%u", UINT_MAX);
    /* -1 passed to %u is read as unsigned, not printed with a sign. */
    expect_fmt("4294967295", "%u", -1);
    expect_fmt("0", "%x", 0u);
    expect_fmt("deadbeef", "%x", 0xDEADBEEFu);
    expect_fmt("DEADBEEF", "%X", 0xdeadbeefu);
    expect_fmt("ffffffff", "%x", UINT_MAX);
    expect_fmt("7b", "%lx", 123UL);
}

/* 'l' reads a whole long, whatever its size (32 bits in the kernel, 64 on
 * most hosts): compare with the host's own printf. */
static void test_long(void **state)
{
    (void)state;
    char want[32];
    (void)snprintf(want, sizeof want, "%lx", ULONG_MAX);
    expect_fmt(want, "%lx", ULONG_MAX);
    (void)snprintf(want, sizeof want, "%lu", ULONG_MAX);
    expect_fmt(want, "%lu", ULONG_MAX);
    (void)snprintf(want, sizeof want, "%ld", LONG_MIN);
    expect_fmt(want, "%ld", LONG_MIN);
    expect_fmt("-5", "%ld", -5L);
}

static void test_pointer(void **state)
{
    (void)state;
    /* 0x and at least eight hex digits, lower case. */
    expect_fmt("0x00001234", "%p", (void *)0x1234);
    expect_fmt("0x00000000", "%p", (void *)NULL);
    expect_fmt("0xdeadbeef", "%p", (void *)(uintptr_t)0xDEADBEEFu);
    /* A width pads the whole field with spaces, as for any conversion. */
    expect_fmt("  0x00001234", "%12p", (void *)0x1234);
}

static void test_width_and_flags(void **state)
{
    (void)state;
    expect_fmt("[   42]", "[%5d]", 42);
    expect_fmt("[42   ]", "[%-5d]", 42);
    expect_fmt("00042", "%05d", 42);
    /* Zeros go after the sign. */
    expect_fmt("-0042", "%05d", -42);
    expect_fmt("000000ff", "%08x", 0xFFu);
    expect_fmt("000000FF", "%08X", 0xFFu);
    expect_fmt("[  -42]", "[%5d]", -42);
    /* '-' wins over '0', as in C: pad on the right with spaces. */
    expect_fmt("[42   ]", "[%-05d]", 42);
    expect_fmt("[42   ]", "[%0-5d]", 42);
    /* A width narrower than the number never cuts it. */
    expect_fmt("12345", "%2d", 12345);
    expect_fmt("[   17]", "[%5u]", 17u);
}

static void test_star_width(void **state)
{
    (void)state;
    expect_fmt("[   42]", "[%*d]", 5, 42);
    /* A negative '*' width means '-' with its magnitude. */
    expect_fmt("[42   ]", "[%*d]", -5, 42);
    expect_fmt("[ab  ]", "[%*s]", -4, "ab");
    expect_fmt("000a", "%0*x", 4, 0xAu);
    expect_fmt("x", "%*s", 0, "x");
    /* The width argument is consumed before the value. */
    expect_fmt("[  7] 9", "[%*d] %d", 3, 7, 9);
}

static void test_64bit(void **state)
{
    (void)state;
    expect_fmt("ffffffffffffffff", "%llx", 0xFFFFFFFFFFFFFFFFULL);
    expect_fmt("123456789ABCDEF0", "%llX", 0x123456789ABCDEF0ULL);
    expect_fmt("18446744073709551615", "%llu", 0xFFFFFFFFFFFFFFFFULL);
    expect_fmt("-9223372036854775808", "%lld", (long long)INT64_MIN);
    expect_fmt("9223372036854775807", "%lli", (long long)INT64_MAX);
    expect_fmt("0000000100000000", "%016llx", 0x100000000ULL);
    /* The 64-bit argument is consumed whole: the next one is still right. */
    expect_fmt("100000000 7", "%llx %d", 0x100000000ULL, 7);
}

static void test_unknown_conversion_verbatim(void **state)
{
    (void)state;
    expect_fmt("%q", "%q");
    expect_fmt("a%qb", "a%qb");
    expect_fmt("%-5q", "%-5q");
    /* An unknown conversion takes no argument: 7 goes to the %d. */
    expect_fmt("%q 7", "%q %d", 7);
    /* A '%' (with or without flags and width) at the very end. */
    expect_fmt("%", "%");
    expect_fmt("100%", "100%");
    expect_fmt("%5", "%5");
    expect_fmt("%-", "%-");
    expect_fmt("%ll", "%ll");
}

/* The sink gets exactly the characters that fmt_vformat counts. */
struct collect {
    char buf[64];
    int n;
};

static void collect_put(void *ctx, char c)
{
    struct collect *col = ctx;
    if (col->n < (int)sizeof col->buf - 1)
        col->buf[col->n] = c;
    col->n++;
}

static int format_to(struct collect *col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = fmt_vformat(collect_put, col, fmt, ap);
    va_end(ap);
    int end = col->n < (int)sizeof col->buf - 1 ? col->n
                                                 : (int)sizeof col->buf - 1;
    col->buf[end] = '\0';
    return n;
}

static void test_vformat_sink(void **state)
{
    (void)state;
    struct collect col = { .n = 0 };
    int n = format_to(&col, "%s=%04x%%", "ax", 0xBEu);
    assert_int_equal(n, 8);
    assert_int_equal(col.n, 8);
    assert_string_equal(col.buf, "ax=00be%");
}

static void test_snprintf_truncation(void **state)
{
    (void)state;
    char buf[16];

    /* Truncated: the return value is the full length, the buffer holds
     * size - 1 characters and a NUL, and nothing past size is written. */
    memset(buf, 'X', sizeof buf);
    assert_int_equal(fmt_snprintf(buf, 6, "hello %s", "world"), 11);
    assert_string_equal(buf, "hello");
    for (size_t i = 6; i < sizeof buf; i++)
        assert_int_equal(buf[i], 'X');

    /* Exactly room for the text and its NUL. */
    assert_int_equal(fmt_snprintf(buf, 12, "hello %s", "world"), 11);
    assert_string_equal(buf, "hello world");

    /* One short: the last character gives way to the NUL. */
    assert_int_equal(fmt_snprintf(buf, 11, "hello %s", "world"), 11);
    assert_string_equal(buf, "hello worl");

    /* Truncation in the middle of a number. */
    assert_int_equal(fmt_snprintf(buf, 4, "%d", -123456), 7);
    assert_string_equal(buf, "-12");

    /* Size 1: only the NUL fits. */
    memset(buf, 'X', sizeof buf);
    assert_int_equal(fmt_snprintf(buf, 1, "abc"), 3);
    assert_int_equal(buf[0], '\0');
    assert_int_equal(buf[1], 'X');

    /* Size 0: nothing is written at all, and (as in C) buf may be NULL. */
    memset(buf, 'X', sizeof buf);
    assert_int_equal(fmt_snprintf(buf, 0, "abc"), 3);
    assert_int_equal(buf[0], 'X');
    assert_int_equal(fmt_snprintf(NULL, 0, "%d", 12345), 5);
}

static void test_huge_width_capped(void **state)
{
    (void)state;
    static char big[100001];

    /* The written width is capped far below 99999, the output is the
     * padding then the digit, and the return value matches what was
     * written. */
    int n = fmt_snprintf(big, sizeof big, "%99999d", 7);
    assert_true(n > 1);
    assert_true(n < 99999);
    assert_int_equal(n, (int)strlen(big));
    assert_int_equal(big[n - 1], '7');
    assert_int_equal(strspn(big, " "), (size_t)n - 1);

    /* Into a small buffer: same length reported, still NUL-terminated. */
    char small[8];
    assert_int_equal(fmt_snprintf(small, sizeof small, "%99999d", 7), n);
    assert_string_equal(small, "       ");
}

/* A '*' width of INT_MIN (whose negation is not an int) means left
 * justification, capped like any other width. */
static void test_star_width_int_min(void **state)
{
    (void)state;
    char buf[8];
    int n = snprintf_unchecked(buf, sizeof buf, "%*d", INT_MIN, 7);
    assert_string_equal(buf, "7      ");
    assert_true(n > 1 && n <= 1000);
}

/* %p keeps its eight digits when left-justified: they are the address's
 * digits, not padding. */
static void test_pointer_left_justified(void **state)
{
    (void)state;
    expect_fmt("[0x00001234  ]", "[%-12p]", (void *)0x1234);
    expect_fmt("[0x00001234]", "[%-p]", (void *)0x1234);
    expect_fmt("[  0x00001234]", "[%12p]", (void *)0x1234);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_text_and_percent),
        cmocka_unit_test(test_string),
        cmocka_unit_test(test_char),
        cmocka_unit_test(test_signed_decimal),
        cmocka_unit_test(test_unsigned_and_hex),
        cmocka_unit_test(test_long),
        cmocka_unit_test(test_pointer),
        cmocka_unit_test(test_width_and_flags),
        cmocka_unit_test(test_star_width),
        cmocka_unit_test(test_64bit),
        cmocka_unit_test(test_unknown_conversion_verbatim),
        cmocka_unit_test(test_vformat_sink),
        cmocka_unit_test(test_snprintf_truncation),
        cmocka_unit_test(test_huge_width_capped),
        cmocka_unit_test(test_star_width_int_min),
        cmocka_unit_test(test_pointer_left_justified),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
