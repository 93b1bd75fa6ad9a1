/* libFuzzer harness: breakpoint hit conditions (Delve's syntax).  A parsed
 * condition must answer for any count, and "exhausted" must mean no later
 * hit matches. */
#include "gx.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	gx_hitcond h;
	gd_err err = GD_ERR_INIT;
	if (gx_hitcond_parse(s, &h, &err) == 0) {
		static const uint64_t counts[] = {1, 2, 3, 7, 100, 1000,
						  UINT64_MAX - 1, UINT64_MAX};
		for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++) {
			uint64_t n = counts[i];
			gx_hitcond_match(&h, n);
			if (gx_hitcond_exhausted(&h, n) && n < UINT64_MAX - 2)
				for (uint64_t k = n + 1; k < n + 50; k++)
					if (gx_hitcond_match(&h, k))
						abort();
		}
		if (h.n < 200)
			for (uint64_t k = 1; k < h.n + 3; k++)
				if (gx_hitcond_exhausted(&h, k))
					for (uint64_t j = k + 1; j < k + 20; j++)
						if (gx_hitcond_match(&h, j))
							abort();
	} else {
		gd_err_clear(&err);
	}
	free(s);
	return 0;
}
