/* Host tests of kernel/lib/prd.c: a buffer split into Physical Region
 * Descriptors at every 64 KiB boundary, the count that means 64 KiB, the
 * end-of-table bit, and each rule at its edge. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "kernel/lib/prd.h"

#define KIB 1024u
#define MAX 4u

static void test_one_region(void **state)
{
    (void)state;
    struct prd t[MAX];
    unsigned n = 0;
    assert_int_equal(prd_build(0x120000, 512, t, MAX, &n), PRD_OK);
    assert_int_equal(n, 1);
    assert_int_equal(t[0].phys, 0x120000);
    assert_int_equal(t[0].count_eot, PRD_EOT | 512);
}

static void test_whole_64k_is_count_0(void **state)
{
    (void)state;
    struct prd t[MAX];
    unsigned n = 0;
    /* A whole aligned block is one entry: its count field reads 0. */
    assert_int_equal(prd_build(0x130000, 64 * KIB, t, MAX, &n), PRD_OK);
    assert_int_equal(n, 1);
    assert_int_equal(t[0].count_eot, PRD_EOT);
}

static void test_split_at_64k_boundary(void **state)
{
    (void)state;
    struct prd t[MAX];
    unsigned n = 0;
    /* Ending exactly at the boundary: one entry. */
    assert_int_equal(prd_build(0x12FE00, 512, t, MAX, &n), PRD_OK);
    assert_int_equal(n, 1);
    /* Two bytes more: a second entry from the boundary on. */
    assert_int_equal(prd_build(0x12FE00, 514, t, MAX, &n), PRD_OK);
    assert_int_equal(n, 2);
    assert_int_equal(t[0].phys, 0x12FE00);
    assert_int_equal(t[0].count_eot, 512);          /* no EOT */
    assert_int_equal(t[1].phys, 0x130000);
    assert_int_equal(t[1].count_eot, PRD_EOT | 2);
    /* 128 KiB from a block's middle: three entries, the middle one a whole
     * block written as count 0. */
    assert_int_equal(prd_build(0x128000, 128 * KIB, t, MAX, &n), PRD_OK);
    assert_int_equal(n, 3);
    assert_int_equal(t[0].count_eot, 32 * KIB);
    assert_int_equal(t[1].phys, 0x130000);
    assert_int_equal(t[1].count_eot, 0);
    assert_int_equal(t[2].phys, 0x140000);
    assert_int_equal(t[2].count_eot, PRD_EOT | 32 * KIB);
}

static void test_refusals_write_nothing(void **state)
{
    (void)state;
    struct prd t[MAX];
    unsigned n = 99;
    memset(t, 0xAA, sizeof t);
    assert_int_equal(prd_build(0x10000, 0, t, MAX, &n), PRD_ERR_EMPTY);
    assert_int_equal(prd_build(0x10001, 512, t, MAX, &n), PRD_ERR_ODD);
    assert_int_equal(prd_build(0x10000, 511, t, MAX, &n), PRD_ERR_ODD);
    /* The last byte at 0xFFFFFFFF is fine, one more wraps. */
    assert_int_equal(prd_build(0xFFFFFE00u, 512, t, MAX, &n), PRD_OK);
    memset(t, 0xAA, sizeof t);
    n = 99;
    assert_int_equal(prd_build(0xFFFFFE00u, 514, t, MAX, &n), PRD_ERR_WRAPS);
    /* Two blocks touched, room for one. */
    assert_int_equal(prd_build(0x1FE00, 1024, t, 1, &n), PRD_ERR_TOO_MANY);
    assert_int_equal(n, 99);
    assert_int_equal(t[0].phys, 0xAAAAAAAAu);
    assert_int_equal(t[0].count_eot, 0xAAAAAAAAu);
}

static void test_table_placement(void **state)
{
    (void)state;
    assert_int_equal(prd_check_table(0x100000, 4), PRD_OK);
    assert_int_equal(prd_check_table(0x100002, 4), PRD_ERR_TABLE_PLACE);
    /* The last entry ending at the boundary is fine, across it is not. */
    assert_int_equal(prd_check_table(0x10FFF0, 2), PRD_OK);
    assert_int_equal(prd_check_table(0x10FFF8, 2), PRD_ERR_TABLE_PLACE);
    assert_int_equal(prd_check_table(0x100000, 0), PRD_ERR_EMPTY);
    assert_int_equal(prd_check_table(0xFFFFFFF8u, 2), PRD_ERR_WRAPS);
}

static void test_every_status_has_text(void **state)
{
    (void)state;
    for (int st = PRD_OK; st <= PRD_ERR_TABLE_PLACE; st++)
        assert_string_not_equal(prd_status_text((enum prd_status)st),
                                "unknown error");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_region),
        cmocka_unit_test(test_whole_64k_is_count_0),
        cmocka_unit_test(test_split_at_64k_boundary),
        cmocka_unit_test(test_refusals_write_nothing),
        cmocka_unit_test(test_table_placement),
        cmocka_unit_test(test_every_status_has_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
