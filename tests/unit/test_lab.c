/* Host tests of kernel/lib/lab.c, the record of a student tree's missing
 * lab parts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "kernel/lib/lab.h"

static char said[8][64];
static unsigned says;

static void remember(const struct lab_part *p)
{
    if (says < 8)
        (void)snprintf(said[says], sizeof said[0], "%s/%s in %s: %s",
                       p->lab, p->part, p->file, p->effect);
    says++;
}

/* One test, as the record is the kernel's, for the whole run. */
static void test_parts_wait_for_the_consoles_then_come_once(void **state)
{
    (void)state;
    /* Before the consoles: kept, not said. */
    lab_missing("uart", "init", "drivers/serial.c", "no FIFO");
    lab_missing("uart", "init", "drivers/serial.c", "no FIFO");
    assert_int_equal(says, 0);
    /* The reporter hears what came before, once. */
    lab_report_to(remember);
    assert_int_equal(says, 1);
    assert_string_equal(said[0], "uart/init in drivers/serial.c: no FIFO");
    /* A new part at once; an EOI stub that runs at every tick once. */
    for (int i = 0; i < 3; i++)
        lab_missing("pic", "eoi", "drivers/pic8259.c", "one tick only");
    assert_int_equal(says, 2);
    assert_string_equal(said[1],
                        "pic/eoi in drivers/pic8259.c: one tick only");
    /* Same part name in another lab is another part. */
    lab_missing("lapic", "eoi", "drivers/lapic.c", "deaf");
    assert_int_equal(says, 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parts_wait_for_the_consoles_then_come_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
