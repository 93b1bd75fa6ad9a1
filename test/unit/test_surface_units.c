/* The pure parts of the DAP surface: base64 (memory in DAP) and Delve's
 * goroutine filter syntax. */
#include "gd_test.h"
#include "../../common/gd_base64.h"
#include "../../goruntime/grt.h"

#include <stdlib.h>
#include <string.h>

static void roundtrip(const char *raw, const char *b64)
{
	char *e = gd_base64_encode((const uint8_t *)raw, strlen(raw));
	CHECK_STR(e, b64);
	free(e);
	uint8_t *d;
	size_t n;
	CHECK_INT(gd_base64_decode(b64, &d, &n), 0);
	CHECK_INT((int)n, (int)strlen(raw));
	CHECK(memcmp(d, raw, n) == 0);
	free(d);
}

static void test_base64(void)
{
	roundtrip("", "");
	roundtrip("f", "Zg==");
	roundtrip("fo", "Zm8=");
	roundtrip("foo", "Zm9v");
	roundtrip("foobar", "Zm9vYmFy");
	uint8_t *d;
	size_t n;
	/* Padding may be left out. */
	CHECK_INT(gd_base64_decode("Zm8", &d, &n), 0);
	CHECK_INT((int)n, 2);
	free(d);
	CHECK_INT(gd_base64_decode("Z", &d, &n), -1);
	CHECK_INT(gd_base64_decode("Zm9v!", &d, &n), -1);
	uint8_t bin[] = {0xde, 0xad, 0xbe, 0xef, 0};
	char *e = gd_base64_encode(bin, 5);
	CHECK_STR(e, "3q2+7wA=");
	free(e);
}

static void filter_fails(const char *text, const char *msg)
{
	grt_gfilter *f = NULL;
	gd_err err = GD_ERR_INIT;
	CHECK_INT(grt_gfilter_parse(text, &f, &err), -1);
	CHECK(f == NULL);
	CHECK_STR(gd_err_msg(&err), msg);
	gd_err_clear(&err);
}

static void test_gfilter_parse(void)
{
	grt_gfilter *f = NULL;
	gd_err err = GD_ERR_INIT;
	CHECK_INT(grt_gfilter_parse("", &f, &err), 0);
	CHECK(grt_gfilter_empty(f));
	grt_gfilter_free(f);
	CHECK_INT(grt_gfilter_parse("-with user -without label job=import "
				    "-w curloc main.go:12 -group label job",
				    &f, &err), 0);
	CHECK(!grt_gfilter_empty(f));
	grt_gfilter_free(f);
	filter_fails("user", "goroutine filter: unknown option 'user' "
		     "(expected -with, -without or -group)");
	filter_fails("-with colour",
		     "goroutine filter: -with needs one of user, running, "
		     "curloc, userloc, goloc, startloc, label (not 'colour')");
	filter_fails("-without", "goroutine filter: -without needs one of "
		     "user, running, curloc, userloc, goloc, startloc, label");
	filter_fails("-with label", "goroutine filter: -with label needs a "
		     "KEY or KEY=VALUE");
	filter_fails("-with curloc", "goroutine filter: -with curloc needs a "
		     "location text");
}

int main(void)
{
	test_base64();
	test_gfilter_parse();
	return GD_TEST_SUMMARY();
}
