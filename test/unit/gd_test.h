/* Minimal unit-test harness: CHECK records a failure and goes on; each
 * test binary ends with main() calling GD_TEST_SUMMARY(). */
#ifndef GD_TEST_H
#define GD_TEST_H

#include <stdio.h>
#include <string.h>

static int gd_test_passed, gd_test_failed;

#define CHECK(cond)                                                        \
	do {                                                               \
		if (cond) {                                                \
			gd_test_passed++;                                  \
		} else {                                                   \
			gd_test_failed++;                                  \
			fprintf(stderr, "%s:%d: CHECK failed: %s\n",       \
				__FILE__, __LINE__, #cond);                \
		}                                                          \
	} while (0)

#define CHECK_STR(a, b)                                                    \
	do {                                                               \
		const char *a_ = (a), *b_ = (b);                           \
		if (a_ && b_ && strcmp(a_, b_) == 0) {                     \
			gd_test_passed++;                                  \
		} else {                                                   \
			gd_test_failed++;                                  \
			fprintf(stderr, "%s:%d: expected \"%s\", got \"%s\"\n", \
				__FILE__, __LINE__, b_ ? b_ : "(null)",    \
				a_ ? a_ : "(null)");                       \
		}                                                          \
	} while (0)

#define CHECK_INT(a, b)                                                    \
	do {                                                               \
		long long a_ = (long long)(a), b_ = (long long)(b);        \
		if (a_ == b_) {                                            \
			gd_test_passed++;                                  \
		} else {                                                   \
			gd_test_failed++;                                  \
			fprintf(stderr, "%s:%d: %s: expected %lld, got %lld\n", \
				__FILE__, __LINE__, #a, b_, a_);           \
		}                                                          \
	} while (0)

#define GD_TEST_SUMMARY()                                                  \
	(printf("%d passed, %d failed\n", gd_test_passed, gd_test_failed), \
	 gd_test_failed ? 1 : 0)

#endif
