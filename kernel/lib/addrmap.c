/*
 * The address-space map (see addrmap.h): a sweep from address 0 to 4 GiB.
 * At each step the kernel asks which region answers at the current address
 * and where the next region begins or ends; up to there the answer cannot
 * change. n regions give at most 2n + 1 steps of n comparisons each, which
 * for the few dozen regions of a PC is nothing, and needs no memory beyond
 * the output.
 */
#include "kernel/lib/addrmap.h"

#include "kernel/lib/fmt.h"
#include "kernel/lib/klib.h"

#define KIB 1024ull
#define MIB (1024 * KIB)
#define GIB (1024 * MIB)

/* The share of 4 GiB in units of 1/10000 of a percent. */
#define SHARE_SCALE 1000000ull
#define SHARE_DECIMALS 10000ull

static uint64_t region_end(const struct addrmap_region *r)
{
    /* A length that would run past 2^64 is cut at 4 GiB like any other. */
    if (r->base >= ADDRMAP_SPACE_END)
        return r->base;
    if (r->length > ADDRMAP_SPACE_END - r->base)
        return ADDRMAP_SPACE_END;
    return r->base + r->length;
}

static bool covers(const struct addrmap_region *r, uint64_t addr)
{
    return r->base <= addr && addr < region_end(r);
}

/* The region that answers at addr: the highest rank, the first listed at
 * equal ranks; NULL when none covers addr. */
static const struct addrmap_region *winner(const struct addrmap_region *in,
                                           unsigned n, uint64_t addr)
{
    const struct addrmap_region *best = 0;
    for (unsigned i = 0; i < n; i++)
        if (covers(&in[i], addr) && (!best || in[i].rank > best->rank))
            best = &in[i];
    return best;
}

/* The first address above addr where some region begins or ends. */
static uint64_t next_edge(const struct addrmap_region *in, unsigned n,
                          uint64_t addr)
{
    uint64_t next = ADDRMAP_SPACE_END;
    for (unsigned i = 0; i < n; i++) {
        uint64_t end = region_end(&in[i]);
        if (in[i].base > addr && in[i].base < next)
            next = in[i].base;
        if (end > addr && end < next)
            next = end;
    }
    return next;
}

static bool same_text(const char *a, const char *b)
{
    return a && b ? strcmp(a, b) == 0 : a == b;
}

unsigned addrmap_build(const struct addrmap_region *in, unsigned n,
                       struct addrmap_row *out, unsigned cap)
{
    unsigned rows = 0;
    struct addrmap_row last = { 0, 0, ADDRMAP_NOTHING, 0 };

    for (uint64_t addr = 0; addr < ADDRMAP_SPACE_END;) {
        const struct addrmap_region *r = winner(in, n, addr);
        uint64_t end = next_edge(in, n, addr);
        enum addrmap_answer answer = r ? r->answer : ADDRMAP_NOTHING;
        const char *what = r ? r->what : 0;

        if (rows > 0 && last.answer == answer && same_text(last.what, what)) {
            last.end = end;
        } else {
            rows++;
            last = (struct addrmap_row){ addr, end, answer, what };
        }
        if (rows <= cap)
            out[rows - 1] = last;
        addr = end;
    }
    return rows;
}

enum addrmap_fit addrmap_fit(const struct addrmap_region *in, unsigned n,
                             uint64_t base, uint64_t size,
                             const struct addrmap_region **hit)
{
    uint64_t first = ADDRMAP_SPACE_END;

    *hit = 0;
    if (size == 0 || (size & (size - 1)) != 0)
        return ADDRMAP_FIT_BAD_SIZE;
    if (base % size != 0)
        return ADDRMAP_FIT_UNALIGNED;
    if (base >= ADDRMAP_SPACE_END || size > ADDRMAP_SPACE_END - base)
        return ADDRMAP_FIT_PAST_END;
    /* The lowest address of the window some region covers. */
    for (unsigned i = 0; i < n; i++) {
        uint64_t from = in[i].base > base ? in[i].base : base;
        if (from < region_end(&in[i]) && from < base + size && from < first)
            first = from;
    }
    if (first == ADDRMAP_SPACE_END)
        return ADDRMAP_FITS;
    *hit = winner(in, n, first);
    return ADDRMAP_FIT_OVERLAPS;
}

const char *addrmap_answer_name(enum addrmap_answer answer)
{
    switch (answer) {
    case ADDRMAP_RAM:
        return "RAM";
    case ADDRMAP_DEVICE:
        return "device";
    case ADDRMAP_ROM:
        return "ROM";
    case ADDRMAP_RESERVED:
        return "reserved";
    case ADDRMAP_NOTHING:
        break;
    }
    return "nothing";
}

int addrmap_format_size(uint64_t bytes, char *buf, size_t size)
{
    static const struct {
        uint64_t bytes;
        const char *name;
    } units[] = { { GIB, "GiB" }, { MIB, "MiB" }, { KIB, "KiB" } };

    for (unsigned i = 0; i < ARRAY_SIZE(units); i++) {
        uint64_t u = units[i].bytes;
        if (bytes < u)
            continue;
        if (bytes % u == 0)
            return fmt_snprintf(buf, size, "%llu %s",
                                (unsigned long long)(bytes / u),
                                units[i].name);
        return fmt_snprintf(buf, size, "~%llu.%llu %s",
                            (unsigned long long)(bytes / u),
                            (unsigned long long)(bytes % u * 10 / u),
                            units[i].name);
    }
    return fmt_snprintf(buf, size, "%llu B", (unsigned long long)bytes);
}

int addrmap_format_share(uint64_t bytes, char *buf, size_t size)
{
    /* bytes <= 2^32, so bytes * 10^6 stays far below 2^64. */
    uint64_t units = (bytes * SHARE_SCALE + ADDRMAP_SPACE_END / 2)
                     / ADDRMAP_SPACE_END;
    return fmt_snprintf(buf, size, "%llu.%04llu%%",
                        (unsigned long long)(units / SHARE_DECIMALS),
                        (unsigned long long)(units % SHARE_DECIMALS));
}

static bool is_window(const struct addrmap_row *r)
{
    return r->answer == ADDRMAP_DEVICE || r->answer == ADDRMAP_ROM;
}

/* Appends to buf at *len, keeping the snprintf-style total length. */
static void append(char *buf, size_t size, int *len, const char *text)
{
    size_t at = (size_t)*len < size ? (size_t)*len : size;
    *len += fmt_snprintf(buf + at, size - at, "%s", text);
}

int addrmap_format_windows(const struct addrmap_row *rows, unsigned n,
                           char *buf, size_t size)
{
    char text[24];
    uint64_t low = 0, total = 0;
    int len = 0;

    if (size > 0)
        buf[0] = '\0';
    for (unsigned i = 0; i < n; i++)
        if (is_window(&rows[i]) && rows[i].end <= ADDRMAP_LOW_MEMORY_END)
            low += rows[i].end - rows[i].base;
    if (low) {
        addrmap_format_size(low, text, sizeof text);
        append(buf, size, &len, text);
        append(buf, size, &len, " below 1 MiB");
    }
    for (unsigned i = 0; i < n; i++) {
        if (!is_window(&rows[i]))
            continue;
        total += rows[i].end - rows[i].base;
        if (rows[i].end <= ADDRMAP_LOW_MEMORY_END)
            continue;
        if (len)
            append(buf, size, &len, " + ");
        addrmap_format_size(rows[i].end - rows[i].base, text, sizeof text);
        append(buf, size, &len, text);
    }
    if (!len)
        append(buf, size, &len, "none");
    append(buf, size, &len, " = ");
    addrmap_format_size(total, text, sizeof text);
    append(buf, size, &len, text);
    append(buf, size, &len, " of 4 GiB (");
    addrmap_format_share(total, text, sizeof text);
    append(buf, size, &len, text);
    append(buf, size, &len, ")");
    return len;
}

const char *portmap_access_name(enum portmap_access access)
{
    switch (access) {
    case PORTMAP_IN:
        return "in";
    case PORTMAP_OUT:
        return "out";
    case PORTMAP_IN_OUT:
        break;
    }
    return "in/out";
}

/* An insertion sort: the tables hold a few dozen rows, nearly in order
 * already, and a range moves down only past ranges that start later, so
 * equal starts keep their order. */
void portmap_sort(struct portmap_range *ranges, unsigned n)
{
    for (unsigned i = 1; i < n; i++) {
        struct portmap_range r = ranges[i];
        unsigned j = i;
        for (; j > 0 && ranges[j - 1].first > r.first; j--)
            ranges[j] = ranges[j - 1];
        ranges[j] = r;
    }
}

unsigned portmap_merge(const struct portmap_range *fixed, unsigned n_fixed,
                       const struct portmap_range *windows,
                       unsigned n_windows, struct portmap_range *out,
                       unsigned cap)
{
    unsigned n = 0;
    for (unsigned i = 0; i < n_fixed && n < cap; i++)
        out[n++] = fixed[i];
    for (unsigned i = 0; i < n_windows && n < cap; i++)
        out[n++] = windows[i];
    portmap_sort(out, n);
    return n;
}

unsigned portmap_ports_used(const struct portmap_range *ranges, unsigned n)
{
    unsigned ports = 0;
    uint32_t next = 0;          /* the first port not counted yet */
    for (unsigned i = 0; i < n; i++) {
        uint32_t from = ranges[i].first > next ? ranges[i].first : next;
        if (ranges[i].last < from)
            continue;           /* inside ranges counted already */
        ports += ranges[i].last - from + 1u;
        next = ranges[i].last + 1u;
    }
    return ports;
}

unsigned portmap_chip_width(const struct portmap_range *ranges, unsigned n,
                            unsigned min)
{
    unsigned width = min;
    for (unsigned i = 0; i < n; i++) {
        unsigned length = 0;    /* the kernel has no strlen */
        while (ranges[i].chip[length])
            length++;
        if (length > width)
            width = length;
    }
    return width;
}
