/* Host tests of kernel/lib/ring.c, the interrupt-to-reader byte ring. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "kernel/lib/ring.h"

static void test_init_refuses_non_powers_of_two(void **state)
{
    (void)state;
    struct ring r;
    uint8_t buf[16];
    assert_false(ring_init(&r, buf, 0));
    assert_false(ring_init(&r, buf, 12));
    assert_true(ring_init(&r, buf, 16));
    assert_int_equal(ring_count(&r), 0);
}

static void test_fifo_order_and_full_and_empty(void **state)
{
    (void)state;
    struct ring r;
    uint8_t buf[4], b;
    ring_init(&r, buf, 4);
    assert_false(ring_get(&r, &b));
    for (uint8_t i = 1; i <= 4; i++)
        assert_true(ring_put(&r, i));
    /* Full: the fifth byte is refused, nothing is overwritten. */
    assert_false(ring_put(&r, 5));
    assert_int_equal(ring_count(&r), 4);
    for (uint8_t i = 1; i <= 4; i++) {
        assert_true(ring_get(&r, &b));
        assert_int_equal(b, i);
    }
    assert_false(ring_get(&r, &b));
}

/* The indexes run freely past 2^32: the fill level stays head - tail. */
static void test_indexes_wrap_at_2_to_the_32(void **state)
{
    (void)state;
    struct ring r;
    uint8_t buf[8], b;
    ring_init(&r, buf, 8);
    r.head = r.tail = UINT32_MAX - 2;
    for (uint8_t i = 0; i < 8; i++)
        assert_true(ring_put(&r, (uint8_t)(0xA0 + i)));
    assert_false(ring_put(&r, 0));
    assert_int_equal(ring_count(&r), 8);
    for (uint8_t i = 0; i < 8; i++) {
        assert_true(ring_get(&r, &b));
        assert_int_equal(b, 0xA0 + i);
    }
    assert_int_equal(ring_count(&r), 0);
}

/* Many interleaved puts and gets keep every byte in order. */
static void test_long_stream(void **state)
{
    (void)state;
    struct ring r;
    uint8_t buf[16], b;
    uint32_t put = 0, got = 0;
    ring_init(&r, buf, 16);
    while (got < 100000) {
        for (int i = 0; i < 7 && ring_put(&r, (uint8_t)put); i++)
            put++;
        for (int i = 0; i < 5 && ring_get(&r, &b); i++) {
            assert_int_equal(b, (uint8_t)got);
            got++;
        }
    }
    assert_int_equal(ring_count(&r), put - got);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_refuses_non_powers_of_two),
        cmocka_unit_test(test_fifo_order_and_full_and_empty),
        cmocka_unit_test(test_indexes_wrap_at_2_to_the_32),
        cmocka_unit_test(test_long_stream),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
