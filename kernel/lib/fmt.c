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

/* The flags and width of a conversion and its length modifier, *fmt just
 * past the '%'; leaves *fmt at the conversion letter. */
static void parse_spec(const char **fmt, va_list *ap, struct spec *sp)
{
    const char *f = *fmt;

    for (;; f++) {
        if (*f == '-')
            sp->left = true;
        else if (*f == '0')
            sp->zero = true;
        else
            break;
    }
    if (*f == '*') {
        /* A negative width means '-'; widen first: -INT_MIN is not an
         * int. */
        long long w = va_arg(*ap, int);
        if (w < 0) {
            sp->left = true;
            w = -w;
        }
        sp->width = w > FMT_WIDTH_MAX ? FMT_WIDTH_MAX : (int)w;
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
    *fmt = f;
}

static int emit_signed(fmt_sink sink, void *ctx, const struct spec *sp,
                       va_list *ap)
{
    int64_t v = sp->longs >= 2 ? va_arg(*ap, long long)
              : sp->longs == 1 ? va_arg(*ap, long)
                               : va_arg(*ap, int);
    /* Negate in unsigned arithmetic: -INT64_MIN does not exist. */
    uint64_t mag = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    return emit_unsigned(sink, ctx, sp, v < 0 ? "-" : "", mag, 10, false, 1);
}

static int emit_string(fmt_sink sink, void *ctx, const struct spec *sp,
                       const char *s)
{
    if (!s)
        s = "(null)";
    int len = 0;
    while (s[len])
        len++;
    return emit_padded(sink, ctx, &(struct spec){ sp->left, false,
                       sp->width, 0 }, "", s, len);
}

/* One conversion, by its letter; -1 for a letter it does not know. */
static int emit_conversion(fmt_sink sink, void *ctx, char conv,
                           const struct spec *sp, va_list *ap)
{
    switch (conv) {
    case 'd':
    case 'i':
        return emit_signed(sink, ctx, sp, ap);
    case 'u':
    case 'x':
    case 'X': {
        uint64_t v = sp->longs >= 2 ? va_arg(*ap, unsigned long long)
                   : sp->longs == 1 ? va_arg(*ap, unsigned long)
                                    : va_arg(*ap, unsigned int);
        return emit_unsigned(sink, ctx, sp, "", v, conv == 'u' ? 10 : 16,
                             conv == 'X', 1);
    }
    case 'p': {
        struct spec ptr = { sp->left, false, sp->width, 0 };
        return emit_unsigned(sink, ctx, &ptr, "0x",
                             (uintptr_t)va_arg(*ap, void *), 16, false,
                             FMT_POINTER_DIGITS);
    }
    case 'c': {
        char c = (char)va_arg(*ap, int);
        return emit_padded(sink, ctx, &(struct spec){ sp->left, false,
                           sp->width, 0 }, "", &c, 1);
    }
    case 's':
        return emit_string(sink, ctx, sp, va_arg(*ap, const char *));
    case '%':
        sink(ctx, '%');
        return 1;
    }
    return -1;
}

/* va_list is a plain char pointer on i386, which clang-tidy takes for a
 * pointer that could be const; it is an opaque type that va_arg updates.
 * The helpers take a copy's address: a va_list passed by value would
 * not advance here when they read from it. */
int fmt_vformat(fmt_sink sink, void *ctx, const char *fmt,
                va_list ap) /* NOLINT(readability-non-const-parameter) */
{
    int n = 0;
    va_list args;

    va_copy(args, ap);
    while (*fmt) {
        if (*fmt != '%') {
            sink(ctx, *fmt++);
            n++;
            continue;
        }
        const char *start = fmt++;
        struct spec sp = { false, false, 0, 0 };
        parse_spec(&fmt, &args, &sp);
        int done = emit_conversion(sink, ctx, *fmt, &sp, &args);
        if (done >= 0) {
            n += done;
            fmt++;
            continue;
        }
        /* Unknown or missing conversion: show it verbatim. */
        for (const char *p = start; p < fmt; p++, n++)
            sink(ctx, *p);
        if (!*fmt)
            break;
        sink(ctx, *fmt++);
        n++;
    }
    va_end(args);
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
