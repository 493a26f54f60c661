/*
 * The multiboot information walk (kernel/lib/bootinfo.c) over hostile memory:
 * the input is physical memory from MEM_BASE on, the information structure
 * at its start, and every pointer in it may point anywhere. Invariants: the
 * copies the kernel keeps are NUL-terminated within their capacity, the
 * region count within the array, and a false return comes with a reason.
 */
#include "kernel/lib/bootinfo.h"
#include "tests/fuzz/fuzz.h"

/* Low enough that a fuzzer's small numbers land inside, as on a PC where
 * the loader's structures sit below 1 MiB. */
#define MEM_BASE 0x1000u

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct fuzz_mem mem;
    struct bootinfo bi;

    mem = (struct fuzz_mem){ .base = MEM_BASE, .bytes = data, .size = size };
    bool ok = bootinfo_parse(MEM_BASE, fuzz_mem_read, &mem, &bi);
    CHECK(ok || bi.problem != NULL);
    CHECK(memchr(bi.cmdline, '\0', sizeof bi.cmdline) != NULL);
    CHECK(memchr(bi.loader, '\0', sizeof bi.loader) != NULL);
    CHECK(bi.mmap_count <= BOOTINFO_MMAP_MAX);
    CHECK(!bi.mmap_truncated || bi.mmap_count == BOOTINFO_MMAP_MAX);
    for (unsigned i = 0; i < bi.mmap_count; i++)
        CHECK(bootinfo_region_type_name(bi.mmap[i].type) != NULL);
    fuzz_mem_release(&mem);
    return 0;
}
