/* Host tests for kernel/lib/idt_gate.c: the fields and the raw bytes of a gate
 * descriptor, checked against Intel SDM vol. 3A, figure 6-2. */
#include "kernel/lib/idt_gate.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

static void test_interrupt_gate_fields(void **state)
{
    (void)state;
    struct idt_gate g = idt_gate_make(0x00101234, 0x08, IDT_GATE_INTERRUPT32,
                                      0);
    assert_int_equal(g.offset_low, 0x1234);
    assert_int_equal(g.offset_high, 0x0010);
    assert_int_equal(g.selector, 0x08);
    assert_int_equal(g.reserved, 0);
    /* P=1, DPL=0, type 1110 (32-bit interrupt gate). */
    assert_int_equal(g.type_attr, 0x8E);
}

static void test_type_attr_combinations(void **state)
{
    (void)state;
    /* P=1, DPL=3, type 1111: the gate a user-mode int instruction may use. */
    assert_int_equal(idt_gate_make(0, 0x08, IDT_GATE_TRAP32, 3).type_attr,
                     0xEF);
    assert_int_equal(idt_gate_make(0, 0x08, IDT_GATE_TRAP32, 0).type_attr,
                     0x8F);
    assert_int_equal(idt_gate_make(0, 0x08, IDT_GATE_INTERRUPT32, 3).type_attr,
                     0xEE);
}

static void test_task_gate(void **state)
{
    (void)state;
    /* SDM figure 7-8: bytes 2-3 the TSS selector, byte 5 P|DPL|00101,
     * the offset bytes unused (zero here). */
    struct idt_gate g = idt_gate_make(0, 0x0020, IDT_GATE_TASK, 0);
    static const uint8_t want[8] = {
        0x00, 0x00, 0x20, 0x00, 0x00, 0x85, 0x00, 0x00,
    };
    uint8_t raw[8];
    memcpy(raw, &g, sizeof raw);
    assert_memory_equal(raw, want, sizeof want);
    assert_int_equal(idt_gate_handler(&g), 0);
}

static void test_handler_round_trip(void **state)
{
    (void)state;
    static const uint32_t handlers[] = {
        0, 0xFFFFFFFFu, 0xDEADBEEFu, 0x00101234u, 0x0000FFFFu, 0xFFFF0000u,
    };
    for (size_t i = 0; i < sizeof handlers / sizeof handlers[0]; i++) {
        struct idt_gate g = idt_gate_make(handlers[i], 0x08,
                                          IDT_GATE_INTERRUPT32, 0);
        assert_int_equal(idt_gate_handler(&g), handlers[i]);
    }
}

static void test_size(void **state)
{
    (void)state;
    /* The CPU reads 8 bytes per vector: no padding allowed. */
    assert_int_equal(sizeof(struct idt_gate), 8);
}

static void test_raw_bytes(void **state)
{
    (void)state;
    /* SDM figure 6-2, little-endian: bytes 0-1 offset 15..0, 2-3 segment
     * selector, 4 reserved (zero), 5 P|DPL|0|type, 6-7 offset 31..16. */
    struct idt_gate g = idt_gate_make(0x12345678, 0x0010,
                                      IDT_GATE_INTERRUPT32, 0);
    static const uint8_t want[8] = {
        0x78, 0x56, 0x10, 0x00, 0x00, 0x8E, 0x34, 0x12,
    };
    uint8_t raw[8];
    memcpy(raw, &g, sizeof raw);
    assert_memory_equal(raw, want, sizeof want);

    g = idt_gate_make(0xCAFEBABE, 0x001B, IDT_GATE_TRAP32, 3);
    static const uint8_t want_trap[8] = {
        0xBE, 0xBA, 0x1B, 0x00, 0x00, 0xEF, 0xFE, 0xCA,
    };
    memcpy(raw, &g, sizeof raw);
    assert_memory_equal(raw, want_trap, sizeof want_trap);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_interrupt_gate_fields),
        cmocka_unit_test(test_type_attr_combinations),
        cmocka_unit_test(test_task_gate),
        cmocka_unit_test(test_handler_round_trip),
        cmocka_unit_test(test_size),
        cmocka_unit_test(test_raw_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
