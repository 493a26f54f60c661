/* Host tests of kernel/lib/crc32.c against zlib's published check values. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "kernel/lib/crc32.h"

static uint32_t crc_of(const char *s)
{
    return crc32_update(CRC32_INIT, s, strlen(s));
}

static void test_known_values(void **state)
{
    (void)state;
    /* "123456789" is the standard check input of CRC catalogues. */
    assert_int_equal(crc_of("123456789"), 0xCBF43926);
    assert_int_equal(crc_of(""), 0);
    assert_int_equal(crc_of("hello"), 0x3610A686);
    assert_int_equal(crc_of("The quick brown fox jumps over the lazy dog"),
                     0x414FA339);
}

static void test_every_byte_value(void **state)
{
    (void)state;
    uint8_t all[256];
    for (int i = 0; i < 256; i++)
        all[i] = (uint8_t)i;
    /* zlib.crc32(bytes(range(256))) */
    assert_int_equal(crc32_update(CRC32_INIT, all, sizeof all), 0x29058C73);
}

/* Feeding in pieces gives the CRC of the whole, as `recv` relies on. */
static void test_pieces_equal_the_whole(void **state)
{
    (void)state;
    const char *s = "port-mapped and memory-mapped I/O";
    uint32_t whole = crc_of(s), crc = CRC32_INIT;
    for (size_t i = 0; s[i]; i++)
        crc = crc32_update(crc, &s[i], 1);
    assert_int_equal(crc, whole);
    assert_int_equal(crc32_update(crc32_update(CRC32_INIT, s, 10), s + 10,
                                  strlen(s) - 10), whole);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_values),
        cmocka_unit_test(test_every_byte_value),
        cmocka_unit_test(test_pieces_equal_the_whole),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
