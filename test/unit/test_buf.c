/* Unit test of common/gd_buf: appends, and the failure the buffer
 * remembers so that a builder can check once (gd_buf_detach answers NULL
 * for a buffer that lost an append). */
#include "gd_test.h"
#include "gd_buf.h"

#include <stdint.h>
#include <stdlib.h>

int main(void)
{
	gd_buf b = GD_BUF_INIT;
	CHECK_INT(gd_buf_puts(&b, "abc"), 0);
	CHECK_INT(gd_buf_printf(&b, "-%d-", 42), 0);
	CHECK_INT(gd_buf_append(&b, "xyz", 2), 0);
	CHECK_STR(b.data, "abc-42-xy");
	CHECK_INT(b.len, 9);
	CHECK_INT(gd_buf_failed(&b), 0);

	/* An append that cannot be made: the call fails, the text so far
	 * stays whole, and the buffer remembers. */
	CHECK_INT(gd_buf_grow(&b, SIZE_MAX / 2), -1);
	CHECK_INT(gd_buf_failed(&b), 1);
	CHECK_STR(b.data, "abc-42-xy");
	/* Later appends may succeed; the failure is not forgotten. */
	CHECK_INT(gd_buf_puts(&b, "!"), 0);
	CHECK_STR(b.data, "abc-42-xy!");
	CHECK_INT(gd_buf_failed(&b), 1);
	/* The builder's one check: no string from a failed buffer. */
	CHECK(gd_buf_detach(&b) == NULL);
	CHECK(b.data == NULL && b.len == 0 && gd_buf_failed(&b) == 0);

	/* Reused after a detach, and a detach of nothing is "". */
	char *s = gd_buf_detach(&b);
	CHECK_STR(s, "");
	free(s);
	CHECK_INT(gd_buf_puts(&b, "again"), 0);
	s = gd_buf_detach(&b);
	CHECK_STR(s, "again");
	free(s);

	/* reset forgets a failure too, keeping the memory. */
	CHECK_INT(gd_buf_puts(&b, "keep"), 0);
	CHECK_INT(gd_buf_grow(&b, SIZE_MAX / 2), -1);
	gd_buf_reset(&b);
	CHECK_INT(gd_buf_failed(&b), 0);
	CHECK_INT(b.len, 0);
	CHECK_INT(gd_buf_puts(&b, "new"), 0);
	CHECK_STR(b.data, "new");
	gd_buf_free(&b);
	CHECK(b.data == NULL && gd_buf_failed(&b) == 0);

	/* Numbers in decimal without printf (thread lists), as %llu. */
	CHECK_INT(gd_buf_u64(&b, 0), 0);
	CHECK_INT(gd_buf_puts(&b, ","), 0);
	CHECK_INT(gd_buf_u64(&b, 7), 0);
	CHECK_INT(gd_buf_puts(&b, ","), 0);
	CHECK_INT(gd_buf_u64(&b, 1000000), 0);
	CHECK_INT(gd_buf_puts(&b, ","), 0);
	CHECK_INT(gd_buf_u64(&b, UINT64_MAX), 0);
	CHECK_STR(b.data, "0,7,1000000,18446744073709551615");
	gd_buf_free(&b);
	return GD_TEST_SUMMARY();
}
