#include "gd_array.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int gd_grow(void *arrp, size_t *cap, size_t n, size_t size, size_t first)
{
	if (n < *cap)
		return 0;
	if (*cap > SIZE_MAX / 2)
		return -1;
	size_t nc = *cap ? *cap * 2 : first;
	if (nc <= n)
		nc = n + 1;
	if (size && nc > SIZE_MAX / size)
		return -1;
	/* The array pointer is read and written as bytes: arrp points to a
	 * T *, not to a void *. */
	void *old;
	memcpy(&old, arrp, sizeof(old));
	void *grown = realloc(old, nc * size);
	if (!grown)
		return -1;
	memcpy(arrp, &grown, sizeof(grown));
	*cap = nc;
	return 0;
}
