/* Host tests for kernel/lib/segdesc.c: GDT descriptors against the bytes the
 * Intel SDM vol. 3A gives (figures 3-8 and 7-3) and against boot/gdt.asm's
 * flat segments. */
#include "kernel/lib/segdesc.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

static void test_flat_segments_match_gdt_asm(void **state)
{
    (void)state;
    /* boot/gdt.asm's 4 GiB ring-0 code and data segments: the well-known
     * 0x00CF9A000000FFFF and 0x00CF92000000FFFF. */
    uint8_t flags = SEGDESC_FLAG_4K | SEGDESC_FLAG_32BIT;
    assert_true(segdesc_make(0, SEGDESC_LIMIT_MAX, SEGDESC_PRESENT
                             | SEGDESC_CODE_DATA | SEGDESC_TYPE_CODE_READ,
                             flags) == 0x00CF9A000000FFFFull);
    assert_true(segdesc_make(0, SEGDESC_LIMIT_MAX, SEGDESC_PRESENT
                             | SEGDESC_CODE_DATA | SEGDESC_TYPE_DATA_WRITE,
                             flags) == 0x00CF92000000FFFFull);
}

static void test_tss_descriptor_bytes(void **state)
{
    (void)state;
    /* A 104-byte TSS at 0x12345678: limit 103, access P|DPL0|0|1001,
     * flags 0. Little-endian bytes: limit 15..0, base 15..0, base 23..16,
     * access, flags|limit 19..16, base 31..24. */
    uint64_t d = segdesc_make(0x12345678, 103,
                              SEGDESC_PRESENT | SEGDESC_TYPE_TSS32, 0);
    static const uint8_t want[8] = {
        0x67, 0x00, 0x78, 0x56, 0x34, 0x89, 0x00, 0x12,
    };
    uint8_t raw[8];
    memcpy(raw, &d, sizeof raw);
    assert_memory_equal(raw, want, sizeof want);
}

static void test_round_trip(void **state)
{
    (void)state;
    static const uint32_t bases[] = { 0, 0xFFFFFFFFu, 0x00ABCDEFu,
                                       0xFF000000u, 0x00101000u };
    static const uint32_t limits[] = { 0, 0x67, 0xFFFF, 0x10000,
                                       SEGDESC_LIMIT_MAX };
    for (size_t i = 0; i < sizeof bases / sizeof bases[0]; i++) {
        for (size_t j = 0; j < sizeof limits / sizeof limits[0]; j++) {
            uint64_t d = segdesc_make(bases[i], limits[j],
                                      SEGDESC_PRESENT | SEGDESC_TYPE_TSS32,
                                      SEGDESC_FLAG_4K);
            assert_int_equal(segdesc_base(d), bases[i]);
            assert_int_equal(segdesc_limit(d), limits[j]);
            assert_int_equal(segdesc_access(d),
                             SEGDESC_PRESENT | SEGDESC_TYPE_TSS32);
        }
    }
}

static void test_limit_is_cut_to_20_bits(void **state)
{
    (void)state;
    uint64_t d = segdesc_make(0, 0xFFFFFFFFu, SEGDESC_PRESENT, 0);
    assert_int_equal(segdesc_limit(d), SEGDESC_LIMIT_MAX);
    /* The flags nibble is untouched by the oversized limit. */
    assert_int_equal((d >> 52) & 0xF, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_flat_segments_match_gdt_asm),
        cmocka_unit_test(test_tss_descriptor_bytes),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_limit_is_cut_to_20_bits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
