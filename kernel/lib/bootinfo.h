/*
 * The multiboot information structure, read into a copy the kernel owns.
 * The walk is pure C: it reads the loader's memory only through a callback
 * that checks each range, so host tests and fuzzers can hand it any bytes.
 * Reference: Multiboot Specification 0.6.96, 3.3 "Boot information format".
 */
#ifndef KERNEL_BOOTINFO_H
#define KERNEL_BOOTINFO_H

#include <stdbool.h>
#include <stdint.h>

/* EAX at entry when a multiboot v1 loader started us. */
#define MULTIBOOT_BOOTLOADER_MAGIC 0x2BADB002u

/* Bits of the info structure's flags word: which fields are valid. */
#define MULTIBOOT_INFO_MEMORY (1u << 0)     /* mem_lower, mem_upper */
#define MULTIBOOT_INFO_CMDLINE (1u << 2)
#define MULTIBOOT_INFO_MEM_MAP (1u << 6)    /* mmap_length, mmap_addr */
#define MULTIBOOT_INFO_LOADER_NAME (1u << 9)

/* Byte offsets of the fields iospace reads (specification 3.3). */
#define MULTIBOOT_OFF_FLAGS 0
#define MULTIBOOT_OFF_MEM_LOWER 4
#define MULTIBOOT_OFF_MEM_UPPER 8
#define MULTIBOOT_OFF_CMDLINE 16
#define MULTIBOOT_OFF_MMAP_LENGTH 44
#define MULTIBOOT_OFF_MMAP_ADDR 48
#define MULTIBOOT_OFF_LOADER_NAME 64
#define MULTIBOOT_INFO_SIZE 68

/* A memory map entry: u32 size (of the rest), u64 base, u64 length,
 * u32 type. The size field lets later versions grow the entry. */
#define MULTIBOOT_MMAP_ENTRY_MIN 20
#define MULTIBOOT_MMAP_OFF_SIZE 0
#define MULTIBOOT_MMAP_OFF_BASE 4
#define MULTIBOOT_MMAP_OFF_LENGTH 12
#define MULTIBOOT_MMAP_OFF_TYPE 20
#define MULTIBOOT_MMAP_SIZE_FIELD 4     /* the size does not count itself */
#define MULTIBOOT_MMAP_AVAILABLE 1
#define MULTIBOOT_MMAP_RESERVED 2
#define MULTIBOOT_MMAP_ACPI_RECLAIMABLE 3
#define MULTIBOOT_MMAP_ACPI_NVS 4
#define MULTIBOOT_MMAP_BAD 5

#define BOOTINFO_MMAP_MAX 32
#define BOOTINFO_CMDLINE_MAX 255
#define BOOTINFO_LOADER_MAX 63
/* How far a string longer than its copy is followed to count its length. */
#define BOOTINFO_STRING_SCAN_MAX 4096

struct bootinfo_region {
    uint64_t base;
    uint64_t length;
    uint32_t type;
};

struct bootinfo {
    uint32_t flags;
    uint32_t mem_lower_kib;             /* valid with MULTIBOOT_INFO_MEMORY */
    uint32_t mem_upper_kib;
    char cmdline[BOOTINFO_CMDLINE_MAX + 1];
    /* The loader's command line's length. Over BOOTINFO_CMDLINE_MAX, cmdline
     * holds its first BOOTINFO_CMDLINE_MAX bytes only. */
    uint32_t cmdline_length;
    /* Its end was not found (BOOTINFO_STRING_SCAN_MAX bytes, or a byte
     * after the cut that could not be read): it is at least that long. */
    bool cmdline_unended;
    char loader[BOOTINFO_LOADER_MAX + 1];
    struct bootinfo_region mmap[BOOTINFO_MMAP_MAX];
    unsigned mmap_count;
    bool mmap_truncated;                /* more entries than we keep */
    const char *problem;                /* the first thing that was wrong */
};

/* Returns a pointer to len readable bytes at physical address addr, or
 * NULL when that range is not something the walk may read. */
typedef const void *(*bootinfo_read_fn)(void *ctx, uint32_t addr,
                                        uint32_t len);

/* Reads the structure at info_addr. Returns false when the structure itself
 * cannot be read; a bad field is skipped and named in out->problem. */
bool bootinfo_parse(uint32_t info_addr, bootinfo_read_fn read, void *ctx,
                    struct bootinfo *out);

const char *bootinfo_region_type_name(uint32_t type);

#endif
