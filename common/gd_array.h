/* Growing arrays: the one doubling rule every module's lists use. */
#ifndef GD_ARRAY_H
#define GD_ARRAY_H

#include <stddef.h>

/* Makes room for element n of *arrp, an array of *cap elements of size
 * bytes (arrp is the address of the array pointer): when n reaches *cap
 * the array doubles, starting at first.  0, or -1 when out of memory (the
 * array is left as it was). */
int gd_grow(void *arrp, size_t *cap, size_t n, size_t size, size_t first);

#endif
