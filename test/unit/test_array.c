/* Unit test of common/gd_array: growth rule and contents kept. */
#include "gd_test.h"
#include "gd_array.h"

#include <stdint.h>
#include <stdlib.h>

int main(void)
{
	int *v = NULL;
	size_t cap = 0, n = 0;
	/* Grows from nothing to `first`, then doubles, keeping contents. */
	for (int i = 0; i < 100; i++) {
		CHECK_INT(gd_grow(&v, &cap, n, sizeof(*v), 4), 0);
		CHECK(cap > n);
		v[n++] = i;
	}
	CHECK_INT(cap, 128);
	int ok = 1;
	for (int i = 0; i < 100; i++)
		ok = ok && v[i] == i;
	CHECK(ok);
	/* Room already there: nothing moves. */
	int *before = v;
	CHECK_INT(gd_grow(&v, &cap, 50, sizeof(*v), 4), 0);
	CHECK(v == before && cap == 128);
	/* Asking past the doubling (n + 1 slots needed) still fits n. */
	CHECK_INT(gd_grow(&v, &cap, 1000, sizeof(*v), 4), 0);
	CHECK(cap > 1000);
	v[1000] = 7;
	/* A size that would overflow fails and leaves the array as it was. */
	size_t huge = SIZE_MAX / 2;
	before = v;
	size_t oldcap = cap;
	CHECK_INT(gd_grow(&v, &huge, huge, 4, 4), -1);
	CHECK(v == before);
	CHECK_INT(gd_grow(&v, &cap, cap, SIZE_MAX / 2, 4), -1);
	CHECK(v == before && cap == oldcap);
	free(v);
	return GD_TEST_SUMMARY();
}
