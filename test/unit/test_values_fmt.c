/* Unit tests for the pure value-display helpers (goruntime/grt_text.h):
 * Go float, string and duration spellings and Delve's type shortening. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "gd_test.h"
#include "grt_text.h"

static char *out(gd_buf *b)
{
	return b->data ? b->data : "";
}

static void flt(double f, int bits, const char *want)
{
	gd_buf b = GD_BUF_INIT;
	grt_text_float(&b, f, bits);
	CHECK_STR(out(&b), want);
	gd_buf_free(&b);
}

static void quote(const char *s, size_t n, const char *want)
{
	gd_buf b = GD_BUF_INIT;
	grt_text_quote(&b, (const uint8_t *)s, n);
	CHECK_STR(out(&b), want);
	gd_buf_free(&b);
}

/* A string of len bytes of which the first n are shown (Delve's cut). */
static void cut(const char *s, size_t n, uint64_t len, const char *want)
{
	gd_buf b = GD_BUF_INIT;
	CHECK(grt_text_string(&b, (const uint8_t *)s, n, len) == 0);
	CHECK_STR(out(&b), want);
	gd_buf_free(&b);
}

static void dur(int64_t d, const char *want)
{
	gd_buf b = GD_BUF_INIT;
	grt_text_duration(&b, d);
	CHECK_STR(out(&b), want);
	gd_buf_free(&b);
}

static void typ(const char *name, const char *want)
{
	gd_buf b = GD_BUF_INIT;
	grt_text_type(&b, name);
	CHECK_STR(out(&b), want);
	gd_buf_free(&b);
}

int main(void)
{
	/* strconv.FormatFloat(f, 'g', -1, bits); test_float.c checks thousands
	 * more against Go's own output */
	flt(0, 64, "0");
	flt(2.25, 64, "2.25");
	flt(-4.5, 64, "-4.5");
	flt(0.1, 64, "0.1");
	flt(36.6, 64, "36.6");
	flt(1e21, 64, "1e+21");
	flt(5e-324, 64, "5e-324");
	flt(1e6, 64, "1e+06");
	flt(100000, 64, "100000");
	flt(1.5e-7, 64, "1.5e-07");
	flt(123456.789, 64, "123456.789");
	flt((float)0.1, 32, "0.1");
	flt((float)1.5, 32, "1.5");
	flt(3.4028234663852886e38, 32, "3.4028235e+38");
	flt(INFINITY, 64, "+Inf");
	flt(-INFINITY, 64, "-Inf");
	flt(NAN, 64, "NaN");

	/* strconv.Quote */
	quote("hello", 5, "\"hello\"");
	quote("tab\there \"q\" \xce\xbb\n", 16, "\"tab\\there \\\"q\\\" \xce\xbb\\n\"");
	quote("a\0b", 3, "\"a\\x00b\"");
	quote("\xff\xfe", 2, "\"\\xff\\xfe\"");
	quote("\x7f\\", 2, "\"\\x7f\\\\\"");
	quote("\xc2\x80", 2, "\"\\u0080\"");
	quote("\xe2\x82", 2, "\"\\xe2\\x82\""); /* truncated sequence */
	quote("", 0, "\"\"");
	cut("abcdef", 6, 6, "\"abcdef\"");
	cut("abc", 3, 10, "\"abc...+7 more\"");
	cut("", 0, 512, "\"...+512 more\"");
	cut("\xce\xbb\xce", 3, 4, "\"\xce\xbb\\xce...+1 more\""); /* cut inside a rune */

	/* time.Duration.String */
	dur(0, "0s");
	dur(1, "1ns");
	dur(1500, "1.5µs");
	dur(2000000, "2ms");
	dur(1500000000, "1.5s");
	dur(-1500000000, "-1.5s");
	dur(3661000000000, "1h1m1s");
	dur(90000000000, "1m30s");

	/* Delve's ShortenType */
	typ("main.Point", "main.Point");
	typ("github.com/a/b.T", "b.T");
	typ("[]*github.com/a/b.T", "[]*b.T");
	typ("map[net/http.Header]github.com/x/y.Z", "map[http.Header]y.Z");
	typ("interface {}", "interface {}");
	return GD_TEST_SUMMARY();
}
