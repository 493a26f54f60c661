#include "kernel/lib/wrap.h"

unsigned wrap_carry_from(const char *row, unsigned n, char next)
{
    if (next == ' ' || n == 0 || row[n - 1] == ' ')
        return n;
    for (unsigned i = n - 1; i > 0; i--)
        if (row[i - 1] == ' ')
            return i;
    return n;
}
