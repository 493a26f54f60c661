/*
 * The one port iospace reaches that belongs to no driver: port 0x80,
 * io_wait's delay write. It is named here, beside io_wait, so that the I/O
 * trace (which knows no port) can say what an access to it was.
 */
#include "io/port.h"

static const char *post_reg_name(uint32_t where, bool write, uint32_t value)
{
    (void)where;
    (void)value;
    return write ? "delay (io_wait)" : 0;
}

static const struct io_trace_device post_port = {
    "post", IO_PMIO, IO_WAIT_PORT, IO_WAIT_PORT, post_reg_name,
};

void io_port_init(void)
{
    io_trace_add_device(&post_port);
}
