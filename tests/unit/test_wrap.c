/* Host tests of kernel/lib/wrap.c: where the VGA console breaks a full
 * row. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "kernel/lib/wrap.h"

static unsigned carry(const char *row, char next)
{
    return wrap_carry_from(row, (unsigned)strlen(row), next);
}

static void test_a_word_moves_down_whole(void **state)
{
    (void)state;
    /* "io=18470" cut after "io=18": the five characters move. */
    assert_int_equal(carry("cycles=123 io=18", '4'), 11);
    assert_int_equal(carry("a b", 'c'), 2);
}

static void test_a_space_breaks_where_it_is(void **state)
{
    (void)state;
    assert_int_equal(carry("cycles=123 io=18", ' '), 16);
    assert_int_equal(carry("cycles=123 ", 'i'), 11);
}

static void test_one_word_across_the_row_breaks_hard(void **state)
{
    (void)state;
    assert_int_equal(carry("0123456789", 'x'), 10);
    /* A space only in the first column: the word after it is the row. */
    assert_int_equal(carry(" 123456789", 'x'), 1);
}

static void test_an_empty_row_moves_nothing(void **state)
{
    (void)state;
    assert_int_equal(wrap_carry_from("", 0, 'x'), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_word_moves_down_whole),
        cmocka_unit_test(test_a_space_breaks_where_it_is),
        cmocka_unit_test(test_one_word_across_the_row_breaks_hard),
        cmocka_unit_test(test_an_empty_row_moves_nothing),
    };
    return cmocka_run_group_tests(tests, 0, 0);
}
