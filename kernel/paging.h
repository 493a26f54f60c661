#ifndef KERNEL_PAGING_H
#define KERNEL_PAGING_H

#include <stdbool.h>
#include <stdint.h>

#define PAGE_SIZE 4096u

/* Page-table entry bits (Intel SDM vol. 3A, 4.3, table 4-6). */
#define PTE_PRESENT (1u << 0)
#define PTE_WRITABLE (1u << 1)
#define PTE_WRITE_THROUGH (1u << 3)     /* PWT */
#define PTE_CACHE_DISABLE (1u << 4)     /* PCD */
#define PTE_FRAME_MASK 0xFFFFF000u

/* A reader of physical memory for the boot-time table walks (multiboot,
 * ACPI), valid only before paging_init: with paging off, a physical
 * address is a pointer. Refuses address 0 (a zero field means "absent",
 * and is a null pointer in C) and ranges that wrap past 4 GiB. */
const void *paging_early_read(void *ctx, uint32_t addr, uint32_t len);

/* A range of the first megabyte where a device answers, not RAM. */
struct paging_range {
    uint32_t base, size;
};

/* Identity-maps the kernel and low memory, the count device ranges of it
 * uncached (kmain passes the VGA window), leaves page 0 unmapped (a null
 * pointer faults) and the page below the kernel stack too (an overflow
 * faults), and turns paging on. */
void paging_init(const struct paging_range *devices, unsigned count);

/* Identity-maps a device's register window [phys, phys + size) uncached.
 * False when no page table is left for it or the range wraps. */
bool paging_map_mmio(uint32_t phys, uint32_t size);

/* The page-table entry that maps addr, or 0 when it is not mapped. */
uint32_t paging_entry(uint32_t addr);

/* Maps the page holding phys at a spare virtual page, uncached, and returns
 * the virtual address of phys; paging_window_close undoes it. This lets the
 * monitor read any physical address without leaving it mapped. */
uintptr_t paging_window_open(uint32_t phys);
void paging_window_close(void);

/* The unmapped guard page below the kernel stack. */
uint32_t paging_stack_guard(void);

/* How many 4 KiB pages paging_init mapped. */
uint32_t paging_mapped_pages(void);

#endif
