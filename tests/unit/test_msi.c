/* Host tests of kernel/lib/msi.c: the message address and data a device
 * is given for a Local APIC vector (Intel SDM vol. 3A, 11.11.1-11.11.2),
 * and the decoder the `msi` command prints them with. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "kernel/lib/msi.h"

static void test_address_puts_the_destination_in_bits_19_12(void **state)
{
    (void)state;
    assert_int_equal(msi_address(0), 0xFEE00000u);
    assert_int_equal(msi_address(1), 0xFEE01000u);
    assert_int_equal(msi_address(0xFF), 0xFEEFF000u);
}

static void test_data_is_the_vector_fixed_and_edge(void **state)
{
    (void)state;
    assert_int_equal(msi_data(0x50), 0x0050);
    assert_int_equal(msi_data(0xFE), 0x00FE);
}

static void test_decode_round_trips(void **state)
{
    (void)state;
    struct msi_view v = msi_decode(msi_address(3), msi_data(0x51));
    assert_true(v.to_lapic);
    assert_int_equal(v.top, 0xFEE);
    assert_int_equal(v.dest, 3);
    assert_false(v.redirection_hint);
    assert_false(v.logical);
    assert_int_equal(v.vector, 0x51);
    assert_int_equal(v.delivery, MSI_DELIVERY_FIXED);
    assert_string_equal(v.delivery_name, "fixed");
    assert_false(v.level_triggered);
    assert_false(v.level_assert);
}

static void test_decode_names_every_bit(void **state)
{
    (void)state;
    /* RH, logical, NMI (100b), level triggered, asserted. */
    struct msi_view v = msi_decode(0xFEE0200Cu, 0xC4FFu);
    assert_true(v.to_lapic);
    assert_int_equal(v.dest, 2);
    assert_true(v.redirection_hint);
    assert_true(v.logical);
    assert_int_equal(v.vector, 0xFF);
    assert_int_equal(v.delivery, 4);
    assert_string_equal(v.delivery_name, "NMI");
    assert_true(v.level_triggered);
    assert_true(v.level_assert);
    assert_string_equal(msi_decode(0, 7u << MSI_DATA_DELIVERY_SHIFT)
                            .delivery_name, "ExtINT");
}

static void test_ram_address_is_not_the_local_apic(void **state)
{
    (void)state;
    assert_false(msi_decode(0x00123450u, 0x50).to_lapic);
    assert_int_equal(msi_decode(0x00123450u, 0x50).top, 0x001);
    assert_false(msi_decode(0xFED00000u, 0x50).to_lapic);
    assert_true(msi_decode(0xFEEFFFFCu, 0x50).to_lapic);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_address_puts_the_destination_in_bits_19_12),
        cmocka_unit_test(test_data_is_the_vector_fixed_and_edge),
        cmocka_unit_test(test_decode_round_trips),
        cmocka_unit_test(test_decode_names_every_bit),
        cmocka_unit_test(test_ram_address_is_not_the_local_apic),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
