/* Host tests of kernel/lib/ata_identify.c: the words of IDENTIFY DEVICE
 * as QEMU's disk and a real one fill them, decoded. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "kernel/lib/ata_identify.h"

/* Text into words, two characters each, the first in the high byte,
 * padded with spaces (at most a model number's 40 characters). */
static void put_text(uint16_t *w, unsigned words, const char *s)
{
    /* One more for snprintf's NUL, which no word takes. */
    char padded[2 * ATA_ID_MODEL_WORDS + 1];
    assert_int_equal(snprintf(padded, sizeof padded, "%-*s",
                              2 * ATA_ID_MODEL_WORDS, s),
                     2 * ATA_ID_MODEL_WORDS);
    for (size_t i = 0; i < words; i++)
        w[i] = (uint16_t)((uint8_t)padded[2 * i] << 8
                          | (uint8_t)padded[2 * i + 1]);
}

static void test_small_lba28_disk(void **state)
{
    (void)state;
    uint16_t w[ATA_IDENTIFY_WORDS] = { 0 };
    struct ata_identity id;
    w[ATA_ID_CONFIG] = 0x0040;                  /* fixed disk */
    put_text(&w[ATA_ID_MODEL], ATA_ID_MODEL_WORDS, "QEMU HARDDISK");
    put_text(&w[ATA_ID_SERIAL], ATA_ID_SERIAL_WORDS, "QM00001");
    put_text(&w[ATA_ID_FIRMWARE], ATA_ID_FIRMWARE_WORDS, "2.5+");
    w[ATA_ID_CAPABILITIES] = ATA_ID_CAP_LBA | ATA_ID_CAP_DMA;
    w[ATA_ID_LBA28_SECTORS] = 0x1000;           /* 4096 sectors, 2 MiB */
    w[ATA_ID_LBA28_SECTORS + 1] = 0;
    w[ATA_ID_COMMAND_SETS] = ATA_ID_SETS_VALID;  /* no 48-bit */
    ata_identify_decode(w, &id);
    assert_true(id.ata);
    assert_true(id.lba);
    assert_true(id.dma);
    assert_false(id.lba48);
    assert_int_equal(id.sectors28, 4096);
    assert_int_equal(id.sectors48, 0);
    assert_string_equal(id.model, "QEMU HARDDISK");
    assert_string_equal(id.serial, "QM00001");
    assert_string_equal(id.firmware, "2.5+");
}

static void test_large_lba48_disk(void **state)
{
    (void)state;
    uint16_t w[ATA_IDENTIFY_WORDS] = { 0 };
    struct ata_identity id;
    w[ATA_ID_CAPABILITIES] = ATA_ID_CAP_LBA;
    /* Past 2^28 sectors, words 60-61 say 0x0FFFFFFF. */
    w[ATA_ID_LBA28_SECTORS] = 0xFFFF;
    w[ATA_ID_LBA28_SECTORS + 1] = 0x0FFF;
    w[ATA_ID_COMMAND_SETS] = ATA_ID_SETS_VALID | ATA_ID_SETS_LBA48;
    /* 0x0001_2345_6789_ABCD, low word first. */
    w[ATA_ID_LBA48_SECTORS] = 0xABCD;
    w[ATA_ID_LBA48_SECTORS + 1] = 0x6789;
    w[ATA_ID_LBA48_SECTORS + 2] = 0x2345;
    w[ATA_ID_LBA48_SECTORS + 3] = 0x0001;
    ata_identify_decode(w, &id);
    assert_true(id.lba48);
    assert_false(id.dma);
    assert_int_equal(id.sectors28, ATA_LBA28_LIMIT - 1);
    assert_true(id.sectors48 == 0x000123456789ABCDull);
    assert_string_equal(id.model, "");          /* all zero: no text */
}

static void test_word_83_needs_its_valid_bits(void **state)
{
    (void)state;
    uint16_t w[ATA_IDENTIFY_WORDS] = { 0 };
    struct ata_identity id;
    /* 0xFFFF (a device that does not fill the word) says nothing. */
    w[ATA_ID_COMMAND_SETS] = 0xFFFF;
    w[ATA_ID_LBA48_SECTORS] = 1;
    ata_identify_decode(w, &id);
    assert_false(id.lba48);
    assert_int_equal(id.sectors48, 0);
}

static void test_atapi_and_unprintable(void **state)
{
    (void)state;
    uint16_t w[ATA_IDENTIFY_WORDS] = { 0 };
    struct ata_identity id;
    w[ATA_ID_CONFIG] = 0x85C0;                  /* ATAPI CD-ROM */
    put_text(&w[ATA_ID_MODEL], ATA_ID_MODEL_WORDS, "CD");
    w[ATA_ID_MODEL + 1] = 0x0141;               /* "\x01A" */
    ata_identify_decode(w, &id);
    assert_false(id.ata);
    assert_string_equal(id.model, "CD?A");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_small_lba28_disk),
        cmocka_unit_test(test_large_lba48_disk),
        cmocka_unit_test(test_word_83_needs_its_valid_bits),
        cmocka_unit_test(test_atapi_and_unprintable),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
