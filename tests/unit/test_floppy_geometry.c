/* Host tests of kernel/lib/floppy_geometry.c: LBA to cylinder/head/sector on a
 * 1.44 MB disk, the split of a read at track boundaries, argument ranges. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "kernel/lib/floppy_geometry.h"

static void expect_chs(uint32_t lba, unsigned c, unsigned h, unsigned s)
{
    struct fd_chs chs = fd_lba_to_chs(lba);
    assert_int_equal(chs.cylinder, c);
    assert_int_equal(chs.head, h);
    assert_int_equal(chs.sector, s);
}

static void test_lba_to_chs(void **state)
{
    (void)state;
    expect_chs(0, 0, 0, 1);
    expect_chs(17, 0, 0, 18);      /* last sector of the first track */
    expect_chs(18, 0, 1, 1);       /* the other side of cylinder 0 */
    expect_chs(35, 0, 1, 18);
    expect_chs(36, 1, 0, 1);       /* the next cylinder */
    expect_chs(1439, 39, 1, 18);
    expect_chs(2879, 79, 1, 18);   /* the last sector of the disk */
    assert_int_equal(FD_SECTORS * FD_SECTOR_SIZE, 1474560);
}

/* Every LBA maps to a different C/H/S, and back by the usual formula. */
static void test_chs_is_a_bijection(void **state)
{
    (void)state;
    for (uint32_t lba = 0; lba < FD_SECTORS; lba++) {
        struct fd_chs chs = fd_lba_to_chs(lba);
        assert_true(chs.sector >= 1 && chs.sector <= FD_SECTORS_PER_TRACK);
        assert_true(chs.head < FD_HEADS && chs.cylinder < FD_CYLINDERS);
        assert_int_equal((chs.cylinder * FD_HEADS + chs.head)
                         * FD_SECTORS_PER_TRACK + chs.sector - 1, lba);
    }
}

static void test_split_at_track_boundaries(void **state)
{
    (void)state;
    assert_int_equal(fd_sectors_on_track(0, 1), 1);
    assert_int_equal(fd_sectors_on_track(0, 18), 18);
    assert_int_equal(fd_sectors_on_track(0, 36), 18);
    assert_int_equal(fd_sectors_on_track(17, 2), 1);
    assert_int_equal(fd_sectors_on_track(18, 36), 18);
    assert_int_equal(fd_sectors_on_track(35, 36), 1);
    assert_int_equal(fd_sectors_on_track(10, 5), 5);
    /* 36 sectors from LBA 0 become 18 + 18; from 30, 6 + 18 + 12 (over the
     * cylinder boundary at 36). */
    uint32_t lba = 30, left = 36, pieces[4] = { 0 }, n = 0;
    while (left) {
        uint32_t k = fd_sectors_on_track(lba, left);
        assert_true(k > 0 && n < 4);
        pieces[n++] = k;
        lba += k;
        left -= k;
    }
    assert_int_equal(n, 3);
    assert_int_equal(pieces[0], 6);
    assert_int_equal(pieces[1], 18);
    assert_int_equal(pieces[2], 12);
}

static void test_ranges(void **state)
{
    (void)state;
    assert_int_equal(fd_check_range(0, 1), FD_RANGE_OK);
    assert_int_equal(fd_check_range(0, 36), FD_RANGE_OK);
    assert_int_equal(fd_check_range(2879, 1), FD_RANGE_OK);
    assert_int_equal(fd_check_range(2844, 36), FD_RANGE_OK);
    assert_int_equal(fd_check_range(2880, 1), FD_RANGE_BAD_LBA);
    assert_int_equal(fd_check_range(0, 0), FD_RANGE_BAD_COUNT);
    assert_int_equal(fd_check_range(0, 37), FD_RANGE_BAD_COUNT);
    assert_int_equal(fd_check_range(2879, 2), FD_RANGE_PAST_END);
    assert_int_equal(fd_check_range(2845, 36), FD_RANGE_PAST_END);
    assert_int_equal(fd_check_range(0xFFFFFFFFu, 36), FD_RANGE_BAD_LBA);
    for (int st = FD_RANGE_OK; st <= FD_RANGE_PAST_END; st++)
        assert_string_not_equal(fd_range_text((enum fd_range_status)st),
                                "unknown error");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lba_to_chs),
        cmocka_unit_test(test_chs_is_a_bijection),
        cmocka_unit_test(test_split_at_track_boundaries),
        cmocka_unit_test(test_ranges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
