/* Host tests of kernel/lib/dma_rules.c: every rule of ISA DMA at its edge, and
 * the page/address/count encoding the 8237 is programmed with. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "kernel/lib/dma_rules.h"

#define KIB 1024u
#define MIB (1024u * KIB)
#define FLOPPY_CHANNEL 2
#define WORD_CHANNEL 5

static void test_channels(void **state)
{
    (void)state;
    for (unsigned ch = 0; ch < 4; ch++)
        assert_int_equal(dma_check(ch, 0x10000, 512), DMA_OK);
    assert_int_equal(dma_check(4, 0x10000, 512), DMA_ERR_CHANNEL);
    for (unsigned ch = 5; ch < 8; ch++)
        assert_int_equal(dma_check(ch, 0x10000, 512), DMA_OK);
    assert_int_equal(dma_check(8, 0x10000, 512), DMA_ERR_CHANNEL);
    assert_false(dma_channel_is_16bit(3));
    assert_true(dma_channel_is_16bit(5));
    assert_int_equal(dma_block_size(2), 64 * KIB);
    assert_int_equal(dma_block_size(7), 128 * KIB);
}

static void test_length_limits(void **state)
{
    (void)state;
    assert_int_equal(dma_check(FLOPPY_CHANNEL, 0x20000, 0), DMA_ERR_EMPTY);
    assert_int_equal(dma_check(FLOPPY_CHANNEL, 0x20000, 1), DMA_OK);
    /* A whole 64 KiB block is the most: the count register says 0xFFFF. */
    assert_int_equal(dma_check(FLOPPY_CHANNEL, 0x20000, 64 * KIB), DMA_OK);
    assert_int_equal(dma_check(FLOPPY_CHANNEL, 0x20000, 64 * KIB + 1),
                     DMA_ERR_TOO_LONG);
    assert_int_equal(dma_check(WORD_CHANNEL, 0x20000, 0), DMA_ERR_EMPTY);
    assert_int_equal(dma_check(WORD_CHANNEL, 0x20000, 128 * KIB), DMA_OK);
    assert_int_equal(dma_check(WORD_CHANNEL, 0x20000, 128 * KIB + 2),
                     DMA_ERR_TOO_LONG);
}

static void test_64k_boundary(void **state)
{
    (void)state;
    /* Ending exactly at the boundary is fine, one byte more crosses it. */
    assert_int_equal(dma_check(FLOPPY_CHANNEL, 0x1FE00, 512), DMA_OK);
    assert_int_equal(dma_check(FLOPPY_CHANNEL, 0x1FE00, 513),
                     DMA_ERR_CROSSES_BLOCK);
    assert_int_equal(dma_check(FLOPPY_CHANNEL, 0x1FE01, 512),
                     DMA_ERR_CROSSES_BLOCK);
    /* Starting exactly at the boundary is fine. */
    assert_int_equal(dma_check(FLOPPY_CHANNEL, 0x20000, 512), DMA_OK);
    /* A 16-bit channel only minds 128 KiB boundaries. */
    assert_int_equal(dma_check(WORD_CHANNEL, 0x2FE00, 1024), DMA_OK);
    assert_int_equal(dma_check(WORD_CHANNEL, 0x3FE00, 512), DMA_OK);
    assert_int_equal(dma_check(WORD_CHANNEL, 0x3FE00, 514),
                     DMA_ERR_CROSSES_BLOCK);
    assert_int_equal(dma_check(WORD_CHANNEL, 0x20000, 128 * KIB), DMA_OK);
    assert_int_equal(dma_check(WORD_CHANNEL, 0x10000, 128 * KIB),
                     DMA_ERR_CROSSES_BLOCK);
}

static void test_16mib_limit(void **state)
{
    (void)state;
    assert_int_equal(dma_check(FLOPPY_CHANNEL, 16 * MIB - 512, 512), DMA_OK);
    assert_int_equal(dma_check(FLOPPY_CHANNEL, 16 * MIB - 511, 512),
                     DMA_ERR_ABOVE_16MIB);
    assert_int_equal(dma_check(FLOPPY_CHANNEL, 16 * MIB, 1),
                     DMA_ERR_ABOVE_16MIB);
    assert_int_equal(dma_check(WORD_CHANNEL, 16 * MIB - 2, 2), DMA_OK);
    assert_int_equal(dma_check(WORD_CHANNEL, 16 * MIB, 2),
                     DMA_ERR_ABOVE_16MIB);
    /* Near 4 GiB, phys + len would wrap a 32-bit sum back below 16 MiB. */
    assert_int_equal(dma_check(FLOPPY_CHANNEL, 0xFFFFFF00u, 512),
                     DMA_ERR_ABOVE_16MIB);
}

static void test_word_alignment(void **state)
{
    (void)state;
    assert_int_equal(dma_check(WORD_CHANNEL, 0x20001, 512), DMA_ERR_ODD);
    assert_int_equal(dma_check(WORD_CHANNEL, 0x20000, 511), DMA_ERR_ODD);
    /* Odd is fine for the byte channels. */
    assert_int_equal(dma_check(FLOPPY_CHANNEL, 0x20001, 511), DMA_OK);
}

static void test_byte_channel_encoding(void **state)
{
    (void)state;
    struct dma_setup s;
    /* 0x123456, 512 bytes: page 0x12, address 0x3456, count 511. */
    assert_int_equal(dma_encode(FLOPPY_CHANNEL, 0x123456, 512, &s), DMA_OK);
    assert_int_equal(s.page, 0x12);
    assert_int_equal(s.address, 0x3456);
    assert_int_equal(s.count, 0x01FF);
    assert_int_equal(dma_decode_address(FLOPPY_CHANNEL, s.page, s.address),
                     0x123456);
    assert_int_equal(dma_encode(FLOPPY_CHANNEL, 0x40000, 64 * KIB, &s),
                     DMA_OK);
    assert_int_equal(s.page, 0x04);
    assert_int_equal(s.address, 0);
    assert_int_equal(s.count, 0xFFFF);
    assert_int_equal(dma_encode(FLOPPY_CHANNEL, 0xFFFFFF, 1, &s), DMA_OK);
    assert_int_equal(s.page, 0xFF);
    assert_int_equal(s.address, 0xFFFF);
    assert_int_equal(s.count, 0);
}

static void test_word_channel_encoding(void **state)
{
    (void)state;
    struct dma_setup s;
    /* 0x134560 = page bits 0x12 (A17-A23), word address 0x9A2B0 & 0xFFFF
     * = 0xA2B0: bit 16 of the byte address travels in the 8237's top bit. */
    assert_int_equal(dma_encode(WORD_CHANNEL, 0x134560, 1024, &s), DMA_OK);
    assert_int_equal(s.page, 0x12);
    assert_int_equal(s.address, 0xA2B0);
    assert_int_equal(s.count, 511);
    assert_int_equal(dma_decode_address(WORD_CHANNEL, s.page, s.address),
                     0x134560);
    assert_int_equal(dma_encode(WORD_CHANNEL, 0x20000, 128 * KIB, &s),
                     DMA_OK);
    assert_int_equal(s.page, 0x02);
    assert_int_equal(s.address, 0);
    assert_int_equal(s.count, 0xFFFF);
}

static void test_encode_refuses_what_check_refuses(void **state)
{
    (void)state;
    struct dma_setup s = { 0xAA, 0xBBBB, 0xCCCC };
    assert_int_equal(dma_encode(FLOPPY_CHANNEL, 0x1FFFF, 2, &s),
                     DMA_ERR_CROSSES_BLOCK);
    /* Nothing was written. */
    assert_int_equal(s.page, 0xAA);
    assert_int_equal(s.address, 0xBBBB);
    assert_int_equal(s.count, 0xCCCC);
}

static void test_every_status_has_text(void **state)
{
    (void)state;
    for (int st = DMA_OK; st <= DMA_ERR_NOT_PHYSICAL; st++)
        assert_string_not_equal(dma_status_text((enum dma_status)st),
                                "unknown error");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_channels),
        cmocka_unit_test(test_length_limits),
        cmocka_unit_test(test_64k_boundary),
        cmocka_unit_test(test_16mib_limit),
        cmocka_unit_test(test_word_alignment),
        cmocka_unit_test(test_byte_channel_encoding),
        cmocka_unit_test(test_word_channel_encoding),
        cmocka_unit_test(test_encode_refuses_what_check_refuses),
        cmocka_unit_test(test_every_status_has_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
