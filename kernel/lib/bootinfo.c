#include "kernel/lib/bootinfo.h"

#include <stddef.h>

/* The bytes of a memory map entry the walk reads: the size field and the
 * fields every version has. */
#define MMAP_ENTRY_READ (MULTIBOOT_MMAP_SIZE_FIELD + MULTIBOOT_MMAP_ENTRY_MIN)

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16
           | (uint32_t)p[3] << 24;
}

static uint64_t get64(const uint8_t *p)
{
    return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

static void note(struct bootinfo *out, const char *problem)
{
    if (!out->problem)
        out->problem = problem;
}

/* Copies a NUL-terminated string, one checked byte at a time (its length is
 * unknown until its end is found), keeping at most cap bytes. *length gets
 * the string's whole length; for a string longer than cap the count goes
 * on to BOOTINFO_STRING_SCAN_MAX, or to the first byte that cannot be read,
 * and *unended says it stopped there. Returns false if the kept part could
 * not be read. */
static bool copy_string(uint32_t addr, bootinfo_read_fn read, void *ctx,
                        char *dst, size_t cap, uint32_t *length,
                        bool *unended)
{
    *unended = false;
    size_t i = 0;
    for (;; i++) {
        uint32_t at = addr + (uint32_t)i;
        const uint8_t *p = at < addr || i == BOOTINFO_STRING_SCAN_MAX
                           ? NULL : read(ctx, at, 1);
        if (!p) {
            if (i <= cap)               /* the kept part is not whole */
                return false;
            *unended = true;
            break;
        }
        if (*p == '\0')
            break;
        if (i < cap)
            dst[i] = (char)*p;
    }
    dst[i < cap ? i : cap] = '\0';
    *length = (uint32_t)i;
    return true;
}

static void parse_mmap(uint32_t addr, uint32_t length, bootinfo_read_fn read,
                       void *ctx, struct bootinfo *out)
{
    uint32_t off = 0;

    while (off < length) {
        if (length - off < MMAP_ENTRY_READ) {
            note(out, "memory map ends inside an entry");
            return;
        }
        if (addr + off < addr) {
            note(out, "memory map wraps past 4 GiB");
            return;
        }
        const uint8_t *e = read(ctx, addr + off, MMAP_ENTRY_READ);
        if (!e) {
            note(out, "memory map is not readable");
            return;
        }
        uint32_t size = get32(e + MULTIBOOT_MMAP_OFF_SIZE);
        if (size < MULTIBOOT_MMAP_ENTRY_MIN
            || size > length - off - MULTIBOOT_MMAP_SIZE_FIELD) {
            note(out, "memory map entry has a bad size");
            return;
        }
        if (out->mmap_count == BOOTINFO_MMAP_MAX) {
            out->mmap_truncated = true;
            return;
        }
        struct bootinfo_region *r = &out->mmap[out->mmap_count++];
        r->base = get64(e + MULTIBOOT_MMAP_OFF_BASE);
        r->length = get64(e + MULTIBOOT_MMAP_OFF_LENGTH);
        r->type = get32(e + MULTIBOOT_MMAP_OFF_TYPE);
        off += MULTIBOOT_MMAP_SIZE_FIELD + size;
    }
}

bool bootinfo_parse(uint32_t info_addr, bootinfo_read_fn read, void *ctx,
                    struct bootinfo *out)
{
    *out = (struct bootinfo){ 0 };

    const uint8_t *mbi = read(ctx, info_addr, MULTIBOOT_INFO_SIZE);
    if (!mbi) {
        out->problem = "multiboot information is not readable";
        return false;
    }
    out->flags = get32(mbi + MULTIBOOT_OFF_FLAGS);

    if (out->flags & MULTIBOOT_INFO_MEMORY) {
        out->mem_lower_kib = get32(mbi + MULTIBOOT_OFF_MEM_LOWER);
        out->mem_upper_kib = get32(mbi + MULTIBOOT_OFF_MEM_UPPER);
    }
    if ((out->flags & MULTIBOOT_INFO_CMDLINE)
        && !copy_string(get32(mbi + MULTIBOOT_OFF_CMDLINE), read, ctx,
                        out->cmdline, BOOTINFO_CMDLINE_MAX,
                        &out->cmdline_length, &out->cmdline_unended)) {
        out->cmdline[0] = '\0';
        out->cmdline_length = 0;
        note(out, "command line is not readable");
    }
    uint32_t loader_length;
    bool loader_unended;
    if ((out->flags & MULTIBOOT_INFO_LOADER_NAME)
        && !copy_string(get32(mbi + MULTIBOOT_OFF_LOADER_NAME), read, ctx,
                        out->loader, BOOTINFO_LOADER_MAX, &loader_length,
                        &loader_unended)) {
        out->loader[0] = '\0';
        note(out, "boot loader name is not readable");
    }
    if (out->flags & MULTIBOOT_INFO_MEM_MAP)
        parse_mmap(get32(mbi + MULTIBOOT_OFF_MMAP_ADDR),
                   get32(mbi + MULTIBOOT_OFF_MMAP_LENGTH), read, ctx, out);
    return true;
}

const char *bootinfo_region_type_name(uint32_t type)
{
    switch (type) {
    case MULTIBOOT_MMAP_AVAILABLE:
        return "available";
    case MULTIBOOT_MMAP_RESERVED:
        return "reserved";
    case MULTIBOOT_MMAP_ACPI_RECLAIMABLE:
        return "ACPI reclaimable";
    case MULTIBOOT_MMAP_ACPI_NVS:
        return "ACPI NVS";
    case MULTIBOOT_MMAP_BAD:
        return "bad memory";
    }
    return "unknown";
}
