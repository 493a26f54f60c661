/*
 * What kernel/lib/pci_config.c reads from outside: a B:D.F typed at the
 * monitor, a function's configuration space (a device model, or a broken
 * card, fills it) and its BARs.
 *
 * The input is all three at once: the whole input as a string for
 * pci_parse_bdf; its first 256 bytes (zero-filled when shorter) as
 * configuration space for the capability walk; its first 16 bytes as a
 * BAR, its upper half, and what each read back after the sizing write.
 * Invariants: a parsed B:D.F prints back as "bb:dd.f" and parses to the
 * same value, and only hex digits, ':' and '.' made it; the walk reads
 * only inside the 256 bytes, at most twice per dword, and hands back
 * distinct dword-aligned capabilities after the header, each with the ID
 * its byte holds; a decoded BAR has a power-of-two size, or is all zero.
 */
#include "kernel/lib/pci_config.h"
#include "tests/fuzz/fuzz.h"

#include <stdbool.h>

#define BDF_TEXT_MAX 8      /* "ff:1f.7" and its NUL */
#define BDF_INPUT_MAX 8     /* "ff:1f.07": up to two digits each */
#define CAP_ROOM 8          /* smaller than PCI_CAP_MAX: truncation too */

struct space {
    uint8_t bytes[PCI_CONFIG_SIZE];
    unsigned reads;
};

static uint8_t space_read(void *ctx, uint16_t offset)
{
    struct space *s = ctx;
    CHECK(offset < PCI_CONFIG_SIZE);
    s->reads++;
    return s->bytes[offset];
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16
           | (uint32_t)p[3] << 24;
}

static void check_bdf(const uint8_t *data, size_t size)
{
    char *s = fuzz_string(data, size);
    pci_bdf bdf = 0xABCD;
    if (pci_parse_bdf(s, &bdf)) {
        for (const char *c = s; *c; c++)
            CHECK((*c >= '0' && *c <= '9') || (*c >= 'a' && *c <= 'f')
                  || (*c >= 'A' && *c <= 'F') || *c == ':' || *c == '.');
        CHECK(strlen(s) <= BDF_INPUT_MAX);
        char again[BDF_TEXT_MAX];
        (void)snprintf(again, sizeof again, "%02x:%02x.%x", PCI_BDF_BUS(bdf),
                       PCI_BDF_DEV(bdf), PCI_BDF_FN(bdf));
        pci_bdf twice = 0;
        CHECK(pci_parse_bdf(again, &twice) && twice == bdf);
    } else {
        CHECK(bdf == 0xABCD);
    }
    free(s);
}

static void check_capabilities(const uint8_t *data, size_t size)
{
    static struct space s;
    struct pci_capability caps[CAP_ROOM];
    const char *problem = "unset";

    memset(&s, 0, sizeof s);
    memcpy(s.bytes, data, size < PCI_CONFIG_SIZE ? size : PCI_CONFIG_SIZE);
    unsigned n = pci_capabilities(space_read, &s, caps, CAP_ROOM, &problem);
    CHECK(n <= CAP_ROOM);
    /* The status, the first pointer, then an ID and a pointer per dword. */
    CHECK(s.reads <= 2 + 2 * PCI_CAP_MAX);
    CHECK(problem == NULL
          || !strcmp(problem, "the capability list loops")
          || !strcmp(problem, "a capability pointer points into the header"));
    for (unsigned i = 0; i < n; i++) {
        CHECK(caps[i].offset >= PCI_CAP_FIRST && caps[i].offset % 4 == 0);
        CHECK(caps[i].id == s.bytes[caps[i].offset]);
        for (unsigned j = 0; j < i; j++)
            CHECK(caps[j].offset != caps[i].offset);
    }
    if (!(s.bytes[PCI_STATUS] & PCI_STATUS_CAP_LIST))
        CHECK(n == 0 && problem == NULL && s.reads == 1);
}

static void check_bar(const uint8_t *data, size_t size)
{
    uint8_t b[16] = {0};
    memcpy(b, data, size < sizeof b ? size : sizeof b);
    struct pci_bar bar;
    memset(&bar, 0x5A, sizeof bar);
    pci_bar_decode(get32(b), get32(b + 4), get32(b + 8), get32(b + 12), &bar);
    CHECK(strcmp(pci_bar_kind_name(bar.kind), "?") != 0);
    if (bar.kind == PCI_BAR_UNUSED) {
        CHECK(bar.size == 0 && bar.address == 0 && !bar.prefetchable);
        return;
    }
    CHECK(bar.size != 0 && (bar.size & (bar.size - 1)) == 0);
    if (bar.kind == PCI_BAR_IO) {
        CHECK(!bar.prefetchable && bar.size >= 4 && bar.address % 4 == 0);
        CHECK(bar.address <= UINT32_MAX);
    } else {
        CHECK(bar.size >= 16 && bar.address % 16 == 0);
        if (bar.kind != PCI_BAR_MEM64)
            CHECK(bar.address <= UINT32_MAX && bar.size <= 0x80000000u);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    check_bdf(data, size);
    check_capabilities(data, size);
    check_bar(data, size);
    return 0;
}
