/* Host tests of kernel/lib/write_guard.c: every write the guard calls
 * fatal, the harmless writes next to each, and port accesses that run past
 * a device's ports. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "kernel/lib/write_guard.h"

#define LAPIC_BASE 0xFEE00000u
#define ICR_LOW (LAPIC_BASE + GUARD_LAPIC_ICR_LOW)
#define OWN_ID 0
#define OTHER_ID 1

static const struct guard_range ranges[] = {
    { 0x00100000, 0x00104fff, "the kernel's code", "code" },
    { 0x00120000, 0x00120027, "the GDT", "gdt" },
};

static struct guard_self self_with(uint32_t icr_high)
{
    return (struct guard_self){ ranges, 2, true, LAPIC_BASE, OWN_ID,
                                icr_high };
}

static bool port_fatal(uint32_t port, unsigned bytes, uint32_t value)
{
    return guard_port_write(port, bytes, value, false).fatal;
}

static void test_reset_and_a20_ports(void **state)
{
    (void)state;
    assert_true(port_fatal(0x92, 1, 0x00));     /* A20 off */
    assert_true(port_fatal(0x92, 1, 0x03));     /* fast reset */
    assert_false(port_fatal(0x92, 1, 0x02));    /* A20 on, no reset */
    assert_true(port_fatal(0x64, 1, 0xFE));
    assert_true(port_fatal(0x64, 1, 0xF0));
    assert_false(port_fatal(0x64, 1, 0xFF));    /* pulses nothing */
    assert_true(port_fatal(0x64, 1, 0xDD));
    assert_false(port_fatal(0x64, 1, 0xD1));    /* only names the next byte */
    assert_false(port_fatal(0x64, 1, 0x20));
    assert_true(port_fatal(0xCF9, 1, 0x06));
    assert_true(port_fatal(0xCF9, 1, 0x04));
    assert_false(port_fatal(0xCF9, 1, 0x02));   /* SRST alone does nothing */
    assert_string_equal(guard_port_write(0xCF9, 1, 6, false).what,
                        "PIIX4 Reset Control register, port 0xCF9");
}

static void test_kbc_output_port(void **state)
{
    (void)state;
    assert_false(guard_port_write(0x60, 1, 0xFD, false).fatal);
    assert_true(guard_port_write(0x60, 1, 0xFD, true).fatal);   /* A20 */
    assert_true(guard_port_write(0x60, 1, 0xFE, true).fatal);   /* reset */
    assert_false(guard_port_write(0x60, 1, 0xFF, true).fatal);
}

static void test_pci_config_address_is_not_the_reset_register(void **state)
{
    (void)state;
    /* A dword at 0xCF8 is CONFIG_ADDRESS, whatever its byte 1. */
    assert_false(port_fatal(0xCF8, 4, 0x80000400));
    /* A word there is not: its high byte reaches 0xCF9. */
    assert_true(port_fatal(0xCF8, 2, 0x0600));
}

static void test_acpi_sleep(void **state)
{
    (void)state;
    assert_true(port_fatal(0x604, 2, 0x2000));      /* S5: power off */
    assert_true(port_fatal(0x604, 2, 0x2400));      /* S1 */
    assert_true(port_fatal(0x605, 1, 0x20));
    assert_false(port_fatal(0x604, 2, 0x0001));     /* SCI_EN alone */
    assert_true(port_fatal(0x604, 4, 0x00002000));
}

static void test_pic_icw1(void **state)
{
    (void)state;
    assert_true(port_fatal(0x20, 1, 0x11));
    assert_true(port_fatal(0xA0, 1, 0x11));
    assert_false(port_fatal(0x20, 1, 0x20));        /* OCW2: EOI */
    assert_false(port_fatal(0x20, 1, 0x0B));        /* OCW3: read ISR */
    assert_false(port_fatal(0x21, 1, 0x11));        /* data port: the IMR */
    /* A word at 0x1F puts its high byte on 0x20. */
    assert_true(port_fatal(0x1F, 2, 0x1100));
}

static void test_other_ports_are_safe(void **state)
{
    (void)state;
    assert_false(port_fatal(0x3FF, 1, 0x5A));
    assert_false(port_fatal(0x80, 1, 0x00));
    assert_false(port_fatal(0xFFFF, 1, 0xFF));
}

/* Ranges as the kernel's port map has them around the tested ports. */
static const struct portmap_range ports[] = {
    { 0x60, 0x60, PORTMAP_IN_OUT, "8042: data", "kbd" },
    { 0x61, 0x61, PORTMAP_IN_OUT, "port B", "pit" },
    { 0x3C0, 0x3DF, PORTMAP_IN_OUT, "VGA", "vga" },
    { 0x3F0, 0x3F5, PORTMAP_IN_OUT, "82077AA", "fdc" },
    { 0x3F7, 0x3F7, PORTMAP_IN_OUT, "82077AA: DIR, CCR", "fdc" },
    { 0x3F8, 0x3FF, PORTMAP_IN_OUT, "16550 UART, COM1", "serial" },
    { 0xCF8, 0xCFF, PORTMAP_IN_OUT, "PCI configuration", "monitor" },
};

static const struct portmap_range *straddle(uint32_t port, unsigned bytes)
{
    return guard_port_straddle(ports, sizeof ports / sizeof ports[0], port,
                               bytes);
}

static void test_straddle(void **state)
{
    (void)state;
    const struct portmap_range *r = straddle(0x3FF, 2);
    assert_non_null(r);
    assert_int_equal(r->first, 0x3F8);
    assert_non_null(straddle(0x3FE, 4));
    assert_null(straddle(0x3FC, 4));     /* inside the UART */
    assert_null(straddle(0x3FF, 1));
    assert_null(straddle(0xCF8, 4));
    assert_null(straddle(0xCFC, 4));
    /* Into a range from outside any. */
    r = straddle(0x3F6, 4);
    assert_non_null(r);
    assert_int_equal(r->first, 0x3F7);
    /* Two ranges side by side. */
    assert_non_null(straddle(0x60, 2));
    /* No range at all. */
    assert_null(straddle(0x1CE, 2));
    assert_null(straddle(0xFFFE, 4));
}

static void test_kernel_ranges(void **state)
{
    (void)state;
    struct guard_self self = self_with(0);
    struct guard_verdict v = guard_memory_write(0x00100000, 0, &self);
    assert_true(v.fatal);
    assert_string_equal(v.what, "the kernel's code");
    /* The last word that touches a range, and the first past it. */
    assert_true(guard_memory_write(0x000FFFFD, 0, &self).fatal);
    assert_false(guard_memory_write(0x000FFFFC, 0, &self).fatal);
    assert_true(guard_memory_write(0x00120024, 0, &self).fatal);
    assert_false(guard_memory_write(0x00120028, 0, &self).fatal);
    assert_false(guard_memory_write(0xB8000, 0x1F4B1F4F, &self).fatal);
    assert_false(guard_memory_write(0xFFFFFFFC, 0, &self).fatal);
}

static void test_init_ipi(void **state)
{
    (void)state;
    struct guard_self self = self_with(0);
    assert_true(guard_memory_write(ICR_LOW, 0x44500, &self).fatal); /* self */
    assert_true(guard_memory_write(ICR_LOW, 0x84500, &self).fatal); /* all */
    assert_false(guard_memory_write(ICR_LOW, 0xC4500, &self).fatal);
    assert_true(guard_memory_write(ICR_LOW, 0x04500, &self).fatal); /* id 0 */
    /* INIT level de-assert resets arbitration IDs only. */
    assert_false(guard_memory_write(ICR_LOW, 0x48500, &self).fatal);
    self = self_with((uint32_t)OTHER_ID << GUARD_ICR_DEST_SHIFT);
    assert_false(guard_memory_write(ICR_LOW, 0x04500, &self).fatal);
    self = self_with(0xFFu << GUARD_ICR_DEST_SHIFT);
    assert_true(guard_memory_write(ICR_LOW, 0x04500, &self).fatal);
    /* No Local APIC: the address is nothing special. */
    self.lapic = false;
    assert_false(guard_memory_write(ICR_LOW, 0x44500, &self).fatal);
}

static void test_ipi_vectors(void **state)
{
    (void)state;
    struct guard_self self = self_with(0);
    assert_false(guard_memory_write(ICR_LOW, 0x44050, &self).fatal);
    assert_true(guard_memory_write(ICR_LOW, 0x44011, &self).fatal);
    assert_true(guard_memory_write(ICR_LOW, 0x44010, &self).fatal);
    assert_false(guard_memory_write(ICR_LOW, 0x4400F, &self).fatal);
    assert_false(guard_memory_write(ICR_LOW, 0x44020, &self).fatal);
    /* NMI to self: the kernel dumps and goes on. */
    assert_false(guard_memory_write(ICR_LOW, 0x44400, &self).fatal);
    /* The ICR's high half is written harmlessly. */
    assert_false(guard_memory_write(LAPIC_BASE + GUARD_LAPIC_ICR_HIGH,
                                    0, &self).fatal);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reset_and_a20_ports),
        cmocka_unit_test(test_kbc_output_port),
        cmocka_unit_test(test_pci_config_address_is_not_the_reset_register),
        cmocka_unit_test(test_acpi_sleep),
        cmocka_unit_test(test_pic_icw1),
        cmocka_unit_test(test_other_ports_are_safe),
        cmocka_unit_test(test_straddle),
        cmocka_unit_test(test_kernel_ranges),
        cmocka_unit_test(test_init_ipi),
        cmocka_unit_test(test_ipi_vectors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
