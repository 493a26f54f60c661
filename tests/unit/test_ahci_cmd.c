/* Host tests of kernel/lib/ahci_cmd.c: AHCI's PRD rules at their edges
 * (4 MiB an entry, count - 1, whole words), the command header's first
 * dword, the Register H2D FIS of READ DMA EXT, and the range check. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "kernel/lib/ahci_cmd.h"

#define KIB 1024u
#define MIB (1024u * KIB)
#define TABLE 8u
#define POISON 0xA5A5A5A5u

/* The bytes one entry moves: DBC + 1. */
static uint32_t ahci_prd_bytes(const struct ahci_prd *e)
{
    return (e->dbc_i & AHCI_PRD_DBC_MASK) + 1;
}

static void poison(struct ahci_prd *t)
{
    for (unsigned i = 0; i < TABLE; i++)
        t[i] = (struct ahci_prd){ POISON, POISON, POISON, POISON };
}

static void test_one_sector_one_entry(void **state)
{
    (void)state;
    struct ahci_prd t[TABLE];
    unsigned used = 0;
    poison(t);
    assert_int_equal(ahci_prdt_build(0x200000, 512, t, TABLE, &used),
                     AHCI_PRDT_OK);
    assert_int_equal(used, 1);
    assert_int_equal(t[0].dba, 0x200000);
    assert_int_equal(t[0].dbau, 0);
    assert_int_equal(t[0].reserved, 0);
    /* The count is written less one: 511, bit 0 set for an even count;
     * the last (only) entry asks for an interrupt. */
    assert_int_equal(t[0].dbc_i, 511u | AHCI_PRD_INTERRUPT);
    assert_int_equal(ahci_prd_bytes(&t[0]), 512);
    assert_int_equal(t[1].dba, POISON);
}

static void test_no_64k_boundary(void **state)
{
    (void)state;
    struct ahci_prd t[TABLE];
    unsigned used = 0;
    /* Unlike bus-master IDE's, an AHCI entry may cross 64 KiB. */
    assert_int_equal(ahci_prdt_build(0x1FE00, 128 * KIB, t, TABLE, &used),
                     AHCI_PRDT_OK);
    assert_int_equal(used, 1);
    assert_int_equal(ahci_prd_bytes(&t[0]), 128 * KIB);
}

static void test_4mib_per_entry(void **state)
{
    (void)state;
    struct ahci_prd t[TABLE];
    unsigned used = 0;
    /* Exactly 4 MiB fits one entry: DBC = 0x3FFFFF, every bit of it. */
    assert_int_equal(ahci_prdt_build(0x400000, 4 * MIB, t, TABLE, &used),
                     AHCI_PRDT_OK);
    assert_int_equal(used, 1);
    assert_int_equal(t[0].dbc_i, AHCI_PRD_DBC_MASK | AHCI_PRD_INTERRUPT);
    assert_int_equal(ahci_prd_bytes(&t[0]), 4 * MIB);
    /* Two bytes more need a second entry, which starts where the first
     * ends; only the second asks for an interrupt. */
    poison(t);
    assert_int_equal(ahci_prdt_build(0x400000, 4 * MIB + 2, t, TABLE, &used),
                     AHCI_PRDT_OK);
    assert_int_equal(used, 2);
    assert_int_equal(t[0].dbc_i, AHCI_PRD_DBC_MASK);
    assert_int_equal(t[1].dba, 0x800000);
    assert_int_equal(t[1].dbc_i, 1u | AHCI_PRD_INTERRUPT);
    assert_int_equal(ahci_prd_bytes(&t[1]), 2);
    assert_int_equal(t[2].dba, POISON);
}

static void test_largest_read(void **state)
{
    (void)state;
    struct ahci_prd t[TABLE];
    unsigned used = 0;
    /* READ DMA EXT's 65536 sectors, 32 MiB: eight full entries. */
    assert_int_equal(ahci_prdt_build(0x1000000, 32 * MIB, t, TABLE, &used),
                     AHCI_PRDT_OK);
    assert_int_equal(used, 8);
    uint32_t sum = 0;
    for (unsigned i = 0; i < used; i++) {
        assert_int_equal(t[i].dba, 0x1000000 + i * 4 * MIB);
        sum += ahci_prd_bytes(&t[i]);
    }
    assert_int_equal(sum, 32 * MIB);
    assert_int_equal(ahci_prdt_build(0x1000000, 32 * MIB + 2, t, TABLE,
                                     &used), AHCI_PRDT_TOO_MANY);
}

static void test_refusals_write_nothing(void **state)
{
    (void)state;
    struct ahci_prd t[TABLE];
    unsigned used = 77;
    poison(t);
    assert_int_equal(ahci_prdt_build(0x1000, 0, t, TABLE, &used),
                     AHCI_PRDT_EMPTY);
    assert_int_equal(ahci_prdt_build(0x1001, 512, t, TABLE, &used),
                     AHCI_PRDT_ODD);
    assert_int_equal(ahci_prdt_build(0x1000, 511, t, TABLE, &used),
                     AHCI_PRDT_ODD);
    /* The last byte at 0xFFFFFFFF is fine, one more wraps. */
    assert_int_equal(ahci_prdt_build(0xFFFFFE00, 512, t, 1, &used),
                     AHCI_PRDT_OK);
    poison(t);
    used = 77;
    assert_int_equal(ahci_prdt_build(0xFFFFFE00, 514, t, TABLE, &used),
                     AHCI_PRDT_WRAPS);
    assert_int_equal(ahci_prdt_build(0x1000, 4 * MIB + 2, t, 1, &used),
                     AHCI_PRDT_TOO_MANY);
    assert_int_equal(used, 77);
    assert_int_equal(t[0].dba, POISON);
    assert_int_equal(t[0].dbc_i, POISON);
}

static void test_header_dw0(void **state)
{
    (void)state;
    /* A 20-byte FIS is CFL 5 dwords; PRDTL in the high half; W clear. */
    assert_int_equal(ahci_header_dw0(FIS_H2D_BYTES, 1), 0x00010005);
    assert_int_equal(ahci_header_dw0(FIS_H2D_BYTES, 8), 0x00080005);
    assert_int_equal(ahci_header_dw0(64, 0xFFFF), 0xFFFF0010);
}

static void test_fis_read_dma_ext(void **state)
{
    (void)state;
    uint8_t fis[FIS_H2D_BYTES];
    memset(fis, 0xEE, sizeof fis);
    ahci_fis_h2d(fis, 0x25, 0x0000BADC0FFEEull, 256);
    const uint8_t want[FIS_H2D_BYTES] = {
        0x27, 0x80, 0x25, 0x00,         /* type, C, command, features */
        0xEE, 0xFF, 0xC0, 0x40,         /* LBA 7-0, 15-8, 23-16; device */
        0xAD, 0x0B, 0x00, 0x00,         /* LBA 31-24, 39-32, 47-40 */
        0x00, 0x01, 0x00, 0x00,         /* count 7-0, 15-8 */
        0x00, 0x00, 0x00, 0x00,
    };
    assert_memory_equal(fis, want, sizeof want);
    /* 65536 sectors are written as count 0. */
    ahci_fis_h2d(fis, 0x25, 0, 65536);
    assert_int_equal(fis[FIS_H2D_COUNT], 0);
    assert_int_equal(fis[FIS_H2D_COUNT_EXP], 0);
    /* The top of 48 bits. */
    ahci_fis_h2d(fis, 0xEC, 0xFFFFFFFFFFFFull, 0);
    assert_int_equal(fis[FIS_H2D_COMMAND], 0xEC);
    assert_int_equal(fis[FIS_H2D_LBA5], 0xFF);
    assert_int_equal(fis[FIS_H2D_LBA0], 0xFF);
}

static void test_range(void **state)
{
    (void)state;
    const uint64_t disk = 2048;
    assert_int_equal(ahci_check_range(0, 1, disk, 256), AHCI_RANGE_OK);
    assert_int_equal(ahci_check_range(2047, 1, disk, 256), AHCI_RANGE_OK);
    assert_int_equal(ahci_check_range(1792, 256, disk, 256), AHCI_RANGE_OK);
    assert_int_equal(ahci_check_range(2048, 1, disk, 256),
                     AHCI_RANGE_PAST_END);
    assert_int_equal(ahci_check_range(2047, 2, disk, 256),
                     AHCI_RANGE_PAST_END);
    assert_int_equal(ahci_check_range(UINT64_MAX, 1, disk, 256),
                     AHCI_RANGE_PAST_END);
    assert_int_equal(ahci_check_range(0, 0, disk, 256),
                     AHCI_RANGE_COUNT_ZERO);
    assert_int_equal(ahci_check_range(0, 257, disk, 256),
                     AHCI_RANGE_COUNT_TOO_BIG);
}

static void test_every_status_has_text(void **state)
{
    (void)state;
    for (int st = AHCI_PRDT_OK; st <= AHCI_PRDT_TOO_MANY; st++)
        assert_string_not_equal(
            ahci_prdt_status_text((enum ahci_prdt_status)st),
            "unknown error");
    for (int r = AHCI_RANGE_OK; r <= AHCI_RANGE_PAST_END; r++)
        assert_string_not_equal(ahci_range_text((enum ahci_range)r),
                                "unknown error");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_sector_one_entry),
        cmocka_unit_test(test_no_64k_boundary),
        cmocka_unit_test(test_4mib_per_entry),
        cmocka_unit_test(test_largest_read),
        cmocka_unit_test(test_refusals_write_nothing),
        cmocka_unit_test(test_header_dw0),
        cmocka_unit_test(test_fis_read_dma_ext),
        cmocka_unit_test(test_range),
        cmocka_unit_test(test_every_status_has_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
