#include "kernel/lib/line.h"

void line_reset(struct line_editor *ed)
{
    ed->len = 0;
    ed->buf[0] = '\0';
    ed->dropped = 0;
    ed->bad_byte = false;
    ed->first_bad = 0;
    /* after_cr survives: the LF of "cmd\r\n" arrives after the reset. */
}

enum line_event line_feed(struct line_editor *ed, uint8_t c,
                          line_echo_fn echo, void *ctx)
{
    bool after_cr = ed->after_cr;
    ed->after_cr = false;

    switch (c) {
    case LINE_LF:
        if (after_cr)
            return LINE_PENDING;
        echo(ctx, "\n");
        return LINE_DONE;
    case LINE_CR:
        ed->after_cr = true;
        echo(ctx, "\n");
        return LINE_DONE;
    case LINE_BS:
    case LINE_DEL:
        if (ed->dropped > 0) {
            ed->dropped--;
        } else if (ed->len > 0) {
            ed->buf[--ed->len] = '\0';
            echo(ctx, "\b \b");
        }
        return LINE_PENDING;
    case LINE_CTRL_C:
        echo(ctx, "^C\n");
        line_reset(ed);
        return LINE_CANCELLED;
    default:
        break;
    }

    if (c < LINE_FIRST_PRINTABLE || c > LINE_LAST_PRINTABLE) {
        if (!ed->bad_byte) {
            ed->bad_byte = true;
            ed->first_bad = c;
        }
        return LINE_PENDING;
    }
    if (ed->len < LINE_CAPACITY) {
        char s[2] = { (char)c, '\0' };
        ed->buf[ed->len++] = (char)c;
        ed->buf[ed->len] = '\0';
        echo(ctx, s);
    } else if (ed->dropped < SIZE_MAX) {
        ed->dropped++;
    }
    return LINE_PENDING;
}
