/*
 * The unit factors, one home each: a conversion reads as what it does
 * (ms * US_PER_MS) and no file keeps its own 1000.
 */
#ifndef KERNEL_LIB_UNITS_H
#define KERNEL_LIB_UNITS_H

#include <stdint.h>

#define MS_PER_S 1000u
#define US_PER_MS 1000u
#define US_PER_S 1000000u
#define HZ_PER_KHZ 1000u
#define MILLIHZ_PER_HZ 1000u
/* A rate in mHz into a period in ms, or ticks into ms: 1000 x 1000. */
#define MILLIHZ_MS_PER_S ((uint64_t)MILLIHZ_PER_HZ * MS_PER_S)
/* k, M, G...: each SI prefix a thousand times the one before. */
#define SI_PREFIX_STEP 1000u

#endif
