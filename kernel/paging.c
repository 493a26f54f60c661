/*
 * Paging with 4 KiB pages only (a 486 has no 4 MiB pages), identity-mapped:
 * every virtual address the kernel uses equals the physical one, so a
 * device address from a datasheet works as a pointer.
 *
 * Why device pages are mapped with cache-disable (PCD) and write-through
 * (PWT): a device register is not memory. Reading the UART's or APIC's
 * status twice may give two different answers, and a write must reach the
 * chip now, not when a cache line is evicted. If the CPU cached a device
 * page it could answer a read from the cache without asking the device, and
 * hold a write back indefinitely. (The BIOS also marks these ranges
 * uncacheable in the MTRRs; the page bits say it where a student can see.)
 *
 * Reference: Intel SDM vol. 3A, 4.3 "32-bit paging", 11.12 on PCD/PWT.
 */
#include "kernel/paging.h"

#include "kernel/lib/klib.h"
#include "kernel/x86.h"

#define PAGE_ENTRIES 1024
#define PAGE_TABLE_POOL 8               /* 4 MiB of address space each */
#define PDE_INDEX(a) ((a) >> 22)
#define PTE_INDEX(a) (((a) >> 12) & (PAGE_ENTRIES - 1))

/* The end of the first megabyte (BIOS data, EBDA, the VGA window, ROMs). */
#define LOW_MEMORY_END 0x100000u

#define PAGE_FLAGS_RAM (PTE_PRESENT | PTE_WRITABLE)
#define PAGE_FLAGS_DEVICE \
    (PTE_PRESENT | PTE_WRITABLE | PTE_CACHE_DISABLE | PTE_WRITE_THROUGH)

extern char kernel_image_end[];
extern char kernel_stack_guard[];

static uint32_t page_directory[PAGE_ENTRIES] __attribute__((aligned(4096)));
static uint32_t page_tables[PAGE_TABLE_POOL][PAGE_ENTRIES]
    __attribute__((aligned(4096)));
static unsigned tables_used;
static uint32_t mapped_pages;

/* A page of the kernel's own address space lent to paging_window_open. */
static uint8_t window_page[PAGE_SIZE] __attribute__((aligned(4096)));
static uint32_t window_saved_entry;

static bool paging_on(void)
{
    return (read_cr0() & CR0_PG) != 0;
}

static uint32_t *table_for(uint32_t addr, bool create)
{
    uint32_t *pde = &page_directory[PDE_INDEX(addr)];
    if (*pde & PTE_PRESENT)
        return (uint32_t *)(uintptr_t)(*pde & PTE_FRAME_MASK);
    if (!create || tables_used == PAGE_TABLE_POOL)
        return 0;
    uint32_t *table = page_tables[tables_used++];
    memset(table, 0, PAGE_SIZE);
    /* The directory entry allows everything; the table entries decide. */
    *pde = (uint32_t)(uintptr_t)table | PTE_PRESENT | PTE_WRITABLE;
    return table;
}

static void set_entry(uint32_t *table, uint32_t addr, uint32_t entry)
{
    table[PTE_INDEX(addr)] = entry;
    if (paging_on())
        invlpg(addr);   /* drop the old translation from the TLB */
}

/* Maps every page holding a byte of [first, last]; an inclusive end so a
 * range can reach the top of the 4 GiB space without wrapping to 0. */
static bool map_range(uint32_t first, uint32_t last, uint32_t flags)
{
    for (uint32_t page = first & PTE_FRAME_MASK;; page += PAGE_SIZE) {
        uint32_t *table = table_for(page, true);
        if (!table)
            return false;
        if (!(table[PTE_INDEX(page)] & PTE_PRESENT))
            mapped_pages++;
        set_entry(table, page, page | flags);
        if (page == (last & PTE_FRAME_MASK))
            return true;
    }
}

const void *paging_early_read(void *ctx, uint32_t addr, uint32_t len)
{
    (void)ctx;
    if (paging_on() || addr == 0 || len == 0 || addr + (len - 1) < addr)
        return 0;
    return (const void *)(uintptr_t)addr;
}

void paging_init(const struct paging_range *devices, unsigned count)
{
    uint32_t kernel_end = (uint32_t)(uintptr_t)kernel_image_end;

    /* Page 0 stays unmapped: a null pointer dereference faults (#PF with
     * CR2 = 0) instead of reading the real-mode interrupt table. The
     * devices' pages are mapped again, uncached, over the RAM ones. */
    map_range(PAGE_SIZE, LOW_MEMORY_END - 1, PAGE_FLAGS_RAM);
    for (unsigned i = 0; i < count; i++)
        map_range(devices[i].base, devices[i].base + devices[i].size - 1,
                  PAGE_FLAGS_DEVICE);
    map_range(LOW_MEMORY_END, kernel_end - 1, PAGE_FLAGS_RAM);
    /* And the guard page below the kernel stack (boot/multiboot.asm): an
     * overflowing stack faults there. */
    set_entry(table_for(paging_stack_guard(), false), paging_stack_guard(),
              0);
    mapped_pages--;

    write_cr3((uint32_t)(uintptr_t)page_directory);
    write_cr0(read_cr0() | CR0_PG);
}

bool paging_map_mmio(uint32_t phys, uint32_t size)
{
    if (size == 0 || size - 1 > UINT32_MAX - phys)
        return false;
    return map_range(phys, phys + size - 1, PAGE_FLAGS_DEVICE);
}

uint32_t paging_entry(uint32_t addr)
{
    uint32_t *table = table_for(addr, false);
    if (!table || !(table[PTE_INDEX(addr)] & PTE_PRESENT))
        return 0;
    return table[PTE_INDEX(addr)];
}

uintptr_t paging_window_open(uint32_t phys)
{
    uint32_t va = (uint32_t)(uintptr_t)window_page;
    uint32_t *table = table_for(va, false);
    window_saved_entry = table[PTE_INDEX(va)];
    set_entry(table, va, (phys & PTE_FRAME_MASK) | PAGE_FLAGS_DEVICE);
    return va | (phys & ~PTE_FRAME_MASK);
}

void paging_window_close(void)
{
    uint32_t va = (uint32_t)(uintptr_t)window_page;
    set_entry(table_for(va, false), va, window_saved_entry);
}

uint32_t paging_stack_guard(void)
{
    return (uint32_t)(uintptr_t)kernel_stack_guard;
}

uint32_t paging_mapped_pages(void)
{
    return mapped_pages;
}
