/* dap_utf8_clean: program output made valid UTF-8, characters cut by a
 * read carried over.  Expected texts are Python's
 * bytes.decode("utf-8", "replace") of the same bytes. */
#include "gd_test.h"
#include "dap_utf8.h"

#include <stdlib.h>
#include <string.h>

static const struct {
	const char *in;
	size_t inlen;
	const char *want;
	size_t wantlen;
} CASES[] = {
	{"\x61\x62\x63", 3, "\x61\x62\x63", 3},
	{"\x62\x61\x64\x3a\xff\xfe\x3a\x65\x6e\x64", 10, "\x62\x61\x64\x3a\xef\xbf\xbd\xef\xbf\xbd\x3a\x65\x6e\x64", 14},
	{"\x63\x75\x74\x3a\xe2\x82", 6, "\x63\x75\x74\x3a\xef\xbf\xbd", 7},
	{"\xe2\x82\xac", 3, "\xe2\x82\xac", 3},
	{"\xc0\xaf", 2, "\xef\xbf\xbd\xef\xbf\xbd", 6},
	{"\xed\xa0\x80", 3, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd", 9},
	{"\xf4\x90\x80\x80", 4, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd", 12},
	{"\xf0\x9f\x98\x80\x78", 5, "\xf0\x9f\x98\x80\x78", 5},
	{"\xe0\x80\xaf", 3, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd", 9},
	{"\xf0\x80", 2, "\xef\xbf\xbd\xef\xbf\xbd", 6},
	{"\x61\xc3", 2, "\x61\xef\xbf\xbd", 4},
	{"\x80\x80", 2, "\xef\xbf\xbd\xef\xbf\xbd", 6},
	{"\xf1\x80\x80\xe2\x82\xac", 6, "\xef\xbf\xbd\xe2\x82\xac", 6},
	{"\xef\xbf\xbd", 3, "\xef\xbf\xbd", 3},
	{"\xf4\x8f\xbf\xbf", 4, "\xf4\x8f\xbf\xbf", 4},
	/* NUL cannot travel in a cJSON string */
	{"a\0b", 3, "a\xef\xbf\xbd" "b", 5},
};

/* Feeds in as the output loop does: pieces cut at `cut`, the unconsumed
 * tail carried in front of the next piece, final at the end. */
static void feed_split(const char *in, size_t len, size_t cut, gd_buf *out)
{
	char *buf = malloc(len + 4);
	size_t carry = 0, off = 0;
	while (off < len) {
		size_t n = cut < len - off ? cut : len - off;
		memcpy(buf + carry, in + off, n);
		off += n;
		size_t have = carry + n;
		size_t used = dap_utf8_clean(buf, have, 0, out);
		CHECK(have - used <= 3);
		memmove(buf, buf + used, have - used);
		carry = have - used;
	}
	dap_utf8_clean(buf, carry, 1, out);
	free(buf);
}

int main(void)
{
	for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
		gd_buf out = GD_BUF_INIT;
		CHECK(dap_utf8_clean(CASES[i].in, CASES[i].inlen, 1, &out) ==
		      CASES[i].inlen);
		CHECK(out.len == CASES[i].wantlen &&
		      memcmp(out.data, CASES[i].want, out.len) == 0);
		/* Any cut gives the same text as the whole. */
		for (size_t cut = 1; cut <= CASES[i].inlen; cut++) {
			gd_buf s = GD_BUF_INIT;
			feed_split(CASES[i].in, CASES[i].inlen, cut, &s);
			CHECK(s.len == out.len && memcmp(s.data, out.data, s.len) == 0);
			gd_buf_free(&s);
		}
		gd_buf_free(&out);
	}
	/* A character cut by a read is held back, not replaced. */
	gd_buf out = GD_BUF_INIT;
	CHECK(dap_utf8_clean("ab\xe2\x82", 4, 0, &out) == 2);
	CHECK(out.len == 2 && memcmp(out.data, "ab", 2) == 0);
	gd_buf_reset(&out);
	CHECK(dap_utf8_clean("\xf0\x9f\x98", 3, 0, &out) == 0 && out.len == 0);
	/* ...but a sequence already broken is replaced at once. */
	CHECK(dap_utf8_clean("\xe2\x41", 2, 0, &out) == 2);
	CHECK(out.len == 4 && memcmp(out.data, "\xef\xbf\xbd" "A", 4) == 0);
	gd_buf_free(&out);
	return GD_TEST_SUMMARY();
}
