/* Host tests for kernel/lib/bootinfo.c. A byte array stands for physical memory
 * [MEM_BASE, MEM_BASE + MEM_SIZE); the read callback hands out only ranges
 * inside it, so a walk that strays shows as a problem (or as an ASan error),
 * never as a read of host memory. */
#include "kernel/lib/bootinfo.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#define MEM_BASE 0x10000u
#define MEM_SIZE 0x2000u  /* room for a string longer than the scan */

/* Where the valid structure puts things. */
#define INFO_ADDR MEM_BASE
#define CMDLINE_ADDR (MEM_BASE + 0x100)
#define LOADER_ADDR (MEM_BASE + 0x300)
#define MMAP_ADDR (MEM_BASE + 0x400)

#define ENTRY_BYTES (4 + MULTIBOOT_MMAP_ENTRY_MIN)

struct fake_mem {
    uint8_t bytes[MEM_SIZE];
    unsigned reads;
    uint64_t max_end;   /* the highest end of a range that was handed out */
};

static struct fake_mem mem;

/* The range check is done in 64 bits so that a range wrapping past 4 GiB
 * is refused, as the kernel's own read_physical does. */
static const void *fake_read(void *ctx, uint32_t addr, uint32_t len)
{
    struct fake_mem *m = ctx;
    m->reads++;
    if (addr < MEM_BASE || (uint64_t)addr + len > (uint64_t)MEM_BASE + MEM_SIZE)
        return NULL;
    if ((uint64_t)addr + len > m->max_end)
        m->max_end = (uint64_t)addr + len;
    return m->bytes + (addr - MEM_BASE);
}

static void put32(uint32_t addr, uint32_t v)
{
    uint8_t *p = mem.bytes + (addr - MEM_BASE);
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void put64(uint32_t addr, uint64_t v)
{
    put32(addr, (uint32_t)v);
    put32(addr + 4, (uint32_t)(v >> 32));
}

static void put_string(uint32_t addr, const char *s)
{
    memcpy(mem.bytes + (addr - MEM_BASE), s, strlen(s) + 1);
}

/* Writes one memory map entry with the given size field; returns the
 * address of the next one. */
static uint32_t put_entry(uint32_t addr, uint32_t size, uint64_t base,
                          uint64_t length, uint32_t type)
{
    put32(addr, size);
    put64(addr + 4, base);
    put64(addr + 12, length);
    put32(addr + 20, type);
    return addr + 4 + size;
}

static void set_info(uint32_t offset, uint32_t v)
{
    put32(INFO_ADDR + offset, v);
}

/* A well-formed structure as GRUB would leave it: memory sizes, a command
 * line, a loader name and three memory map entries. */
static void build_valid(void)
{
    memset(&mem, 0, sizeof mem);
    set_info(MULTIBOOT_OFF_FLAGS, MULTIBOOT_INFO_MEMORY | MULTIBOOT_INFO_CMDLINE
             | MULTIBOOT_INFO_MEM_MAP | MULTIBOOT_INFO_LOADER_NAME);
    set_info(MULTIBOOT_OFF_MEM_LOWER, 639);
    set_info(MULTIBOOT_OFF_MEM_UPPER, 130048);
    set_info(MULTIBOOT_OFF_CMDLINE, CMDLINE_ADDR);
    set_info(MULTIBOOT_OFF_LOADER_NAME, LOADER_ADDR);
    set_info(MULTIBOOT_OFF_MMAP_ADDR, MMAP_ADDR);
    set_info(MULTIBOOT_OFF_MMAP_LENGTH, 3 * ENTRY_BYTES);
    put_string(CMDLINE_ADDR, "irq=pic hz=1000");
    put_string(LOADER_ADDR, "GRUB 2.06");
    uint32_t e = MMAP_ADDR;
    e = put_entry(e, 20, 0, 0x9FC00, MULTIBOOT_MMAP_AVAILABLE);
    e = put_entry(e, 20, 0xF0000, 0x10000, MULTIBOOT_MMAP_RESERVED);
    put_entry(e, 20, 0x100000000ull, 0x180000000ull,
              MULTIBOOT_MMAP_ACPI_RECLAIMABLE);
}

static bool parse(struct bootinfo *out)
{
    mem.reads = 0;
    mem.max_end = 0;
    return bootinfo_parse(INFO_ADDR, fake_read, &mem, out);
}

static void expect_region(const struct bootinfo_region *r, uint64_t base,
                          uint64_t length, uint32_t type)
{
    assert_int_equal(r->base, base);
    assert_int_equal(r->length, length);
    assert_int_equal(r->type, type);
}

static void test_valid(void **state)
{
    (void)state;
    struct bootinfo bi;
    build_valid();

    assert_true(parse(&bi));
    assert_null(bi.problem);
    assert_int_equal(bi.flags, MULTIBOOT_INFO_MEMORY | MULTIBOOT_INFO_CMDLINE
                     | MULTIBOOT_INFO_MEM_MAP | MULTIBOOT_INFO_LOADER_NAME);
    assert_int_equal(bi.mem_lower_kib, 639);
    assert_int_equal(bi.mem_upper_kib, 130048);
    assert_string_equal(bi.cmdline, "irq=pic hz=1000");
    assert_string_equal(bi.loader, "GRUB 2.06");
    assert_int_equal(bi.mmap_count, 3);
    assert_false(bi.mmap_truncated);
    expect_region(&bi.mmap[0], 0, 0x9FC00, MULTIBOOT_MMAP_AVAILABLE);
    expect_region(&bi.mmap[1], 0xF0000, 0x10000, MULTIBOOT_MMAP_RESERVED);
    /* Both halves of the 64-bit fields. */
    expect_region(&bi.mmap[2], 0x100000000ull, 0x180000000ull,
                  MULTIBOOT_MMAP_ACPI_RECLAIMABLE);
}

static void test_info_unreadable(void **state)
{
    (void)state;
    struct bootinfo bi;
    build_valid();

    /* Outside memory, and straddling its end. */
    assert_false(bootinfo_parse(0x500, fake_read, &mem, &bi));
    assert_non_null(bi.problem);
    assert_int_equal(bi.mmap_count, 0);
    assert_false(bootinfo_parse(MEM_BASE + MEM_SIZE - 10, fake_read, &mem,
                                &bi));
    assert_non_null(bi.problem);
    assert_false(bootinfo_parse(0xFFFFFFF0u, fake_read, &mem, &bi));
    assert_non_null(bi.problem);
}

static void test_cmdline_outside_memory(void **state)
{
    (void)state;
    struct bootinfo bi;
    build_valid();
    set_info(MULTIBOOT_OFF_CMDLINE, 0x500);

    /* The field is dropped and named; the rest is still read. */
    assert_true(parse(&bi));
    assert_string_equal(bi.cmdline, "");
    assert_non_null(bi.problem);
    assert_non_null(strstr(bi.problem, "command line"));
    assert_string_equal(bi.loader, "GRUB 2.06");
    assert_int_equal(bi.mmap_count, 3);
}

static void test_cmdline_without_nul(void **state)
{
    (void)state;
    struct bootinfo bi;
    build_valid();

    /* The last bytes of memory, with no NUL before the end, for both
     * strings: what was copied before the end must not be kept. */
    uint32_t at = MEM_BASE + MEM_SIZE - 3;
    memcpy(mem.bytes + (at - MEM_BASE), "abc", 3);
    set_info(MULTIBOOT_OFF_CMDLINE, at);
    set_info(MULTIBOOT_OFF_LOADER_NAME, at);

    assert_true(parse(&bi));
    assert_string_equal(bi.cmdline, "");
    assert_string_equal(bi.loader, "");
    assert_non_null(bi.problem);
    assert_int_equal(bi.mmap_count, 3);
}

static void test_long_strings_truncated(void **state)
{
    (void)state;
    struct bootinfo bi;
    char s[301];
    build_valid();

    memset(s, 'c', 300);
    s[300] = '\0';
    put_string(CMDLINE_ADDR, s);
    memset(s, 'l', 100);
    s[100] = '\0';
    put_string(LOADER_ADDR, s);

    assert_true(parse(&bi));
    assert_int_equal(strlen(bi.cmdline), BOOTINFO_CMDLINE_MAX);
    assert_int_equal(strspn(bi.cmdline, "c"), BOOTINFO_CMDLINE_MAX);
    assert_int_equal(bi.cmdline_length, 300);   /* so the kernel can warn */
    assert_false(bi.cmdline_unended);
    assert_null(bi.problem);
    assert_int_equal(strlen(bi.loader), BOOTINFO_LOADER_MAX);
    assert_int_equal(strspn(bi.loader, "l"), BOOTINFO_LOADER_MAX);
}

static void test_cmdline_length_when_it_fits(void **state)
{
    (void)state;
    struct bootinfo bi;
    build_valid();

    assert_true(parse(&bi));
    assert_int_equal(bi.cmdline_length, strlen("irq=pic hz=1000"));
    assert_false(bi.cmdline_unended);
}

static void test_long_cmdline_runs_off_memory(void **state)
{
    (void)state;
    struct bootinfo bi;
    build_valid();

    /* 300 bytes to the end of memory, no NUL: the kept 255 are whole, the
     * length is "at least 300". */
    uint32_t at = MEM_BASE + MEM_SIZE - 300;
    memset(mem.bytes + (at - MEM_BASE), 'c', 300);
    set_info(MULTIBOOT_OFF_CMDLINE, at);

    assert_true(parse(&bi));
    assert_int_equal(strspn(bi.cmdline, "c"), BOOTINFO_CMDLINE_MAX);
    assert_int_equal(strlen(bi.cmdline), BOOTINFO_CMDLINE_MAX);
    assert_int_equal(bi.cmdline_length, 300);
    assert_true(bi.cmdline_unended);
    assert_null(bi.problem);
}

static void test_long_cmdline_scan_bounded(void **state)
{
    (void)state;
    struct bootinfo bi;
    build_valid();

    /* More readable non-NUL bytes than the scan follows. */
    uint32_t at = MEM_BASE + MEM_SIZE - BOOTINFO_STRING_SCAN_MAX - 10;
    memset(mem.bytes + (at - MEM_BASE), 'c', BOOTINFO_STRING_SCAN_MAX + 10);
    set_info(MULTIBOOT_OFF_CMDLINE, at);

    assert_true(parse(&bi));
    assert_int_equal(strlen(bi.cmdline), BOOTINFO_CMDLINE_MAX);
    assert_int_equal(bi.cmdline_length, BOOTINFO_STRING_SCAN_MAX);
    assert_true(bi.cmdline_unended);
    assert_true(mem.max_end <= (uint64_t)at + BOOTINFO_STRING_SCAN_MAX);
}

static void test_first_problem_kept(void **state)
{
    (void)state;
    struct bootinfo bi;
    build_valid();
    set_info(MULTIBOOT_OFF_CMDLINE, 0x500);
    set_info(MULTIBOOT_OFF_LOADER_NAME, 0x600);

    /* Two bad fields: both dropped, the first one named. */
    assert_true(parse(&bi));
    assert_string_equal(bi.cmdline, "");
    assert_string_equal(bi.loader, "");
    assert_non_null(strstr(bi.problem, "command line"));
}

static void test_mmap_entry_bad_size(void **state)
{
    (void)state;
    struct bootinfo bi;

    /* Size 0 and 19 are below the minimum of 20: nothing is kept. */
    build_valid();
    put32(MMAP_ADDR, 0);
    assert_true(parse(&bi));
    assert_int_equal(bi.mmap_count, 0);
    assert_non_null(bi.problem);

    build_valid();
    put32(MMAP_ADDR, 19);
    assert_true(parse(&bi));
    assert_int_equal(bi.mmap_count, 0);
    assert_non_null(bi.problem);

    /* The second entry claims more than is left of mmap_length (memory
     * itself goes on, so only the length check can catch it). */
    build_valid();
    put32(MMAP_ADDR + ENTRY_BYTES, 100);
    assert_true(parse(&bi));
    assert_int_equal(bi.mmap_count, 1);
    assert_non_null(bi.problem);
    assert_string_equal(bi.cmdline, "irq=pic hz=1000");
}

static void test_mmap_length_not_multiple(void **state)
{
    (void)state;
    struct bootinfo bi;

    /* Three whole entries and 10 stray bytes: the three are kept, and
     * nothing past the end of the map is read. */
    build_valid();
    set_info(MULTIBOOT_OFF_MMAP_LENGTH, 3 * ENTRY_BYTES + 10);
    assert_true(parse(&bi));
    assert_int_equal(bi.mmap_count, 3);
    assert_non_null(bi.problem);
    assert_true(mem.max_end <= MMAP_ADDR + 3 * ENTRY_BYTES + 10);

    /* Less than one entry. */
    build_valid();
    set_info(MULTIBOOT_OFF_MMAP_LENGTH, ENTRY_BYTES - 1);
    assert_true(parse(&bi));
    assert_int_equal(bi.mmap_count, 0);
    assert_non_null(bi.problem);
}

static void test_mmap_too_many_entries(void **state)
{
    (void)state;
    struct bootinfo bi;
    const unsigned n = BOOTINFO_MMAP_MAX + 8;
    build_valid();

    uint32_t e = MMAP_ADDR;
    for (unsigned i = 0; i < n; i++)
        e = put_entry(e, 20, (uint64_t)i << 20, 0x1000, 1 + i % 5);
    assert_true(e <= MEM_BASE + MEM_SIZE);
    set_info(MULTIBOOT_OFF_MMAP_LENGTH, n * ENTRY_BYTES);

    /* The first BOOTINFO_MMAP_MAX are kept, and the cut is flagged. */
    assert_true(parse(&bi));
    assert_int_equal(bi.mmap_count, BOOTINFO_MMAP_MAX);
    assert_true(bi.mmap_truncated);
    expect_region(&bi.mmap[BOOTINFO_MMAP_MAX - 1],
                  (uint64_t)(BOOTINFO_MMAP_MAX - 1) << 20, 0x1000,
                  1 + (BOOTINFO_MMAP_MAX - 1) % 5);
}

static void test_mmap_bigger_entry_skipped_correctly(void **state)
{
    (void)state;
    struct bootinfo bi;
    build_valid();

    /* A 24-byte entry (4 bytes a later spec might add, set to 0xff), then
     * an ordinary one: the walk must step by the size field. */
    uint32_t e = put_entry(MMAP_ADDR, 24, 0x1000, 0x2000, 1);
    put32(e - 4, 0xFFFFFFFFu);
    put_entry(e, 20, 0x300000, 0x400000, MULTIBOOT_MMAP_BAD);
    set_info(MULTIBOOT_OFF_MMAP_LENGTH, 28 + ENTRY_BYTES);

    assert_true(parse(&bi));
    assert_null(bi.problem);
    assert_int_equal(bi.mmap_count, 2);
    expect_region(&bi.mmap[0], 0x1000, 0x2000, 1);
    expect_region(&bi.mmap[1], 0x300000, 0x400000, MULTIBOOT_MMAP_BAD);
}

static void test_mmap_wraps(void **state)
{
    (void)state;
    struct bootinfo bi;

    /* The map would run past 4 GiB: refused, no entry, no crash. */
    build_valid();
    set_info(MULTIBOOT_OFF_MMAP_ADDR, 0xFFFFFFF0u);
    set_info(MULTIBOOT_OFF_MMAP_LENGTH, 2 * ENTRY_BYTES);
    assert_true(parse(&bi));
    assert_int_equal(bi.mmap_count, 0);
    assert_non_null(bi.problem);

    /* A huge length from a valid address stops at the first bad entry. */
    build_valid();
    set_info(MULTIBOOT_OFF_MMAP_LENGTH, 0xFFFFFFF0u);
    assert_true(parse(&bi));
    assert_int_equal(bi.mmap_count, 3);
    assert_non_null(bi.problem);
}

static void test_flags_zero_reads_nothing(void **state)
{
    (void)state;
    struct bootinfo bi;
    build_valid();
    set_info(MULTIBOOT_OFF_FLAGS, 0);
    /* Pointers that would fail if followed. */
    set_info(MULTIBOOT_OFF_CMDLINE, 0xFFFFFFFFu);
    set_info(MULTIBOOT_OFF_LOADER_NAME, 0);
    set_info(MULTIBOOT_OFF_MMAP_ADDR, 0xFFFFFFF0u);

    /* Leftovers in out must not survive. */
    memset(&bi, 0x5A, sizeof bi);
    assert_true(parse(&bi));
    assert_int_equal(mem.reads, 1);
    assert_null(bi.problem);
    assert_int_equal(bi.flags, 0);
    assert_int_equal(bi.mem_lower_kib, 0);
    assert_int_equal(bi.mem_upper_kib, 0);
    assert_string_equal(bi.cmdline, "");
    assert_string_equal(bi.loader, "");
    assert_int_equal(bi.mmap_count, 0);
    assert_false(bi.mmap_truncated);
}

static void test_flags_select_fields(void **state)
{
    (void)state;
    struct bootinfo bi;
    build_valid();

    /* Only the memory sizes are marked valid: the rest is not read. */
    set_info(MULTIBOOT_OFF_FLAGS, MULTIBOOT_INFO_MEMORY);
    assert_true(parse(&bi));
    assert_int_equal(bi.mem_lower_kib, 639);
    assert_string_equal(bi.cmdline, "");
    assert_string_equal(bi.loader, "");
    assert_int_equal(bi.mmap_count, 0);

    /* Only the memory map. */
    set_info(MULTIBOOT_OFF_FLAGS, MULTIBOOT_INFO_MEM_MAP);
    assert_true(parse(&bi));
    assert_int_equal(bi.mem_lower_kib, 0);
    assert_string_equal(bi.cmdline, "");
    assert_int_equal(bi.mmap_count, 3);
}

static void test_region_type_name(void **state)
{
    (void)state;
    assert_string_equal(bootinfo_region_type_name(MULTIBOOT_MMAP_AVAILABLE),
                        "available");
    assert_string_equal(bootinfo_region_type_name(MULTIBOOT_MMAP_RESERVED),
                        "reserved");
    assert_string_equal(
        bootinfo_region_type_name(MULTIBOOT_MMAP_ACPI_RECLAIMABLE),
        "ACPI reclaimable");
    assert_string_equal(bootinfo_region_type_name(MULTIBOOT_MMAP_ACPI_NVS),
                        "ACPI NVS");
    assert_string_equal(bootinfo_region_type_name(MULTIBOOT_MMAP_BAD),
                        "bad memory");
    assert_string_equal(bootinfo_region_type_name(0), "unknown");
    assert_string_equal(bootinfo_region_type_name(6), "unknown");
    assert_string_equal(bootinfo_region_type_name(0xFFFFFFFFu), "unknown");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid),
        cmocka_unit_test(test_info_unreadable),
        cmocka_unit_test(test_cmdline_outside_memory),
        cmocka_unit_test(test_cmdline_without_nul),
        cmocka_unit_test(test_long_strings_truncated),
        cmocka_unit_test(test_cmdline_length_when_it_fits),
        cmocka_unit_test(test_long_cmdline_runs_off_memory),
        cmocka_unit_test(test_long_cmdline_scan_bounded),
        cmocka_unit_test(test_first_problem_kept),
        cmocka_unit_test(test_mmap_entry_bad_size),
        cmocka_unit_test(test_mmap_length_not_multiple),
        cmocka_unit_test(test_mmap_too_many_entries),
        cmocka_unit_test(test_mmap_bigger_entry_skipped_correctly),
        cmocka_unit_test(test_mmap_wraps),
        cmocka_unit_test(test_flags_zero_reads_nothing),
        cmocka_unit_test(test_flags_select_fields),
        cmocka_unit_test(test_region_type_name),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
