/* common/: the monotonic clock, for timeouts and durations.
 * clock_gettime(CLOCK_MONOTONIC) cannot fail on Linux (the clock always
 * exists and the pointer is ours), so its result is not checked here,
 * once for every caller. */
#ifndef GD_TIME_H
#define GD_TIME_H

#include <stdint.h>
#include <time.h>

/* Milliseconds / microseconds since some fixed point (boot). */
static inline int64_t gd_now_ms(void)
{
	struct timespec ts;
	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static inline int64_t gd_now_us(void)
{
	struct timespec ts;
	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

#endif
