#include "kernel/lib/fmt.h"

#include <stdbool.h>
#include <stdint.h>

/* The widest field we pad to: a hostile or mistaken width (INT_MIN, a
 * 99999 typed in a format) must not overflow the count or flood a console. */
#define FMT_WIDTH_MAX 1000

/* %p prints this many hex digits whatever the flags: a 32-bit address. */
#define FMT_POINTER_DIGITS 8

struct spec {
    bool left;          /* '-': pad on the right */
    bool zero;          /* '0': pad numbers with zeros */
    int width;
    bool star;          /* '*': the width is the next argument */
    int longs;          /* how many 'l's: int, long, long long */
};

static int emit_padded(fmt_sink sink, void *ctx, const struct spec *sp,
                       const char *prefix, const char *body, int body_len)
{
    int prefix_len = 0;
    while (prefix[prefix_len])
        prefix_len++;
    int pad = sp->width - prefix_len - body_len;
    int n = 0;

    if (pad > 0 && !sp->left && !sp->zero)
        for (; pad > 0; pad--, n++)
            sink(ctx, ' ');
    for (int i = 0; i < prefix_len; i++, n++)
        sink(ctx, prefix[i]);
    /* Zeros go between the sign or 0x and the digits: -0042, 0x00ff. */
    if (pad > 0 && !sp->left && sp->zero)
        for (; pad > 0; pad--, n++)
            sink(ctx, '0');
    for (int i = 0; i < body_len; i++, n++)
        sink(ctx, body[i]);
    for (; pad > 0; pad--, n++)
        sink(ctx, ' ');
    return n;
}

/* Prints v in base, with at least min_digits digits (leading zeros). */
static int emit_unsigned(fmt_sink sink, void *ctx, const struct spec *sp,
                         const char *prefix, uint64_t v, unsigned base,
                         bool upper, int min_digits)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[24];                       /* 2^64 has 20 decimal digits */
    int len = 0;

    do {
        tmp[len++] = digits[v % base];
        v /= base;
    } while (v || len < min_digits);
    char body[24];
    for (int i = 0; i < len; i++)
        body[i] = tmp[len - 1 - i];
    return emit_padded(sink, ctx, sp, prefix, body, len);
}

/* The flags, width and length modifier of a conversion, from just past
 * the '%'; returns where its letter is. A '*' width only sets `star`:
 * the caller takes the width from the arguments (set_width). */
static const char *parse_spec(const char *f, struct spec *sp)
{
    for (;; f++) {
        if (*f == '-')
            sp->left = true;
        else if (*f == '0')
            sp->zero = true;
        else
            break;
    }
    if (*f == '*') {
        sp->star = true;
        f++;
    } else {
        while (*f >= '0' && *f <= '9') {
            sp->width = sp->width * 10 + (*f - '0');
            if (sp->width > FMT_WIDTH_MAX)
                sp->width = FMT_WIDTH_MAX;
            f++;
        }
    }
    while (*f == 'l') {
        sp->longs++;
        f++;
    }
    return f;
}

/* A '*' width: a negative one means '-'; widen first: -INT_MIN is not an
 * int. */
static void set_width(struct spec *sp, int arg)
{
    long long w = arg;
    if (w < 0) {
        sp->left = true;
        w = -w;
    }
    sp->width = w > FMT_WIDTH_MAX ? FMT_WIDTH_MAX : (int)w;
}

static int emit_signed(fmt_sink sink, void *ctx, const struct spec *sp,
                       int64_t v)
{
    /* Negate in unsigned arithmetic: -INT64_MIN does not exist. */
    uint64_t mag = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    return emit_unsigned(sink, ctx, sp, v < 0 ? "-" : "", mag, 10, false, 1);
}

/* %c and %s: padded, never with zeros. */
static int emit_text(fmt_sink sink, void *ctx, const struct spec *sp,
                     const char *s, int len)
{
    struct spec text = { sp->left, false, sp->width, false, 0 };
    return emit_padded(sink, ctx, &text, "", s, len);
}

static int emit_string(fmt_sink sink, void *ctx, const struct spec *sp,
                       const char *s)
{
    if (!s)
        s = "(null)";
    int len = 0;
    while (s[len])
        len++;
    return emit_text(sink, ctx, sp, s, len);
}

static int emit_pointer(fmt_sink sink, void *ctx, const struct spec *sp,
                        const void *p)
{
    struct spec ptr = { sp->left, false, sp->width, false, 0 };
    return emit_unsigned(sink, ctx, &ptr, "0x", (uintptr_t)p, 16, false,
                         FMT_POINTER_DIGITS);
}

/* Unknown or missing conversion: shown verbatim, from the '%' to the
 * letter (when there is one). */
static int emit_verbatim(fmt_sink sink, void *ctx, const char *start,
                         const char *letter)
{
    int n = 0;
    for (const char *p = start; p < letter || (p == letter && *p); p++, n++)
        sink(ctx, *p);
    return n;
}

/* va_list is a plain char pointer on i386, which clang-tidy takes for a
 * pointer that could be const; it is an opaque type that va_arg updates.
 * Every va_arg is here, in the order of the format: the helpers get
 * values. */
int fmt_vformat(fmt_sink sink, void *ctx, const char *fmt,
                va_list ap) /* NOLINT(readability-non-const-parameter) */
{
    int n = 0;

    while (*fmt) {
        if (*fmt != '%') {
            sink(ctx, *fmt++);
            n++;
            continue;
        }
        const char *start = fmt++;
        struct spec sp = { false, false, 0, false, 0 };
        fmt = parse_spec(fmt, &sp);
        if (sp.star)
            set_width(&sp, va_arg(ap, int));
        switch (*fmt) {
        case 'd':
        case 'i':
            n += emit_signed(sink, ctx, &sp,
                             sp.longs >= 2 ? va_arg(ap, long long)
                             : sp.longs == 1 ? va_arg(ap, long)
                                             : va_arg(ap, int));
            break;
        case 'u':
        case 'x':
        case 'X':
            n += emit_unsigned(sink, ctx, &sp, "",
                               sp.longs >= 2 ? va_arg(ap, unsigned long long)
                               : sp.longs == 1 ? va_arg(ap, unsigned long)
                                               : va_arg(ap, unsigned int),
                               *fmt == 'u' ? 10 : 16, *fmt == 'X', 1);
            break;
        case 'p':
            n += emit_pointer(sink, ctx, &sp, va_arg(ap, void *));
            break;
        case 'c': {
            char c = (char)va_arg(ap, int);
            n += emit_text(sink, ctx, &sp, &c, 1);
            break;
        }
        case 's':
            n += emit_string(sink, ctx, &sp, va_arg(ap, const char *));
            break;
        case '%':
            sink(ctx, '%');
            n++;
            break;
        default:
            n += emit_verbatim(sink, ctx, start, fmt);
            if (!*fmt)
                return n;
            break;
        }
        fmt++;
    }
    return n;
}

struct buf_sink {
    char *buf;
    size_t size;
    size_t used;
};

static void buf_put(void *ctx, char c)
{
    struct buf_sink *b = ctx;
    if (b->used + 1 < b->size)
        b->buf[b->used] = c;
    b->used++;
}

int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct buf_sink b = { buf, size, 0 };
    int n = fmt_vformat(buf_put, &b, fmt, ap);
    if (size > 0)
        buf[b.used < size ? b.used : size - 1] = '\0';
    return n;
}

int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = fmt_vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
