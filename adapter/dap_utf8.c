/* See dap_utf8.h.  Well-formed UTF-8 (Unicode table 3-7): the first byte
 * fixes how many continuation bytes follow and the range of the first of
 * them (which rules out overlong forms, surrogates and code points above
 * U+10FFFF); the others are 80..BF. */
#include "dap_utf8.h"

static const char REPLACEMENT[] = "\xef\xbf\xbd"; /* U+FFFD */

/* Continuation count and first-continuation range for lead byte b; 0
 * continuations and lo > hi for a byte that cannot start a character. */
static int lead(unsigned char b, unsigned char *lo, unsigned char *hi)
{
	*lo = 0x80;
	*hi = 0xbf;
	if (b >= 0xc2 && b <= 0xdf)
		return 1;
	if (b >= 0xe0 && b <= 0xef) {
		if (b == 0xe0)
			*lo = 0xa0;
		else if (b == 0xed)
			*hi = 0x9f;
		return 2;
	}
	if (b >= 0xf0 && b <= 0xf4) {
		if (b == 0xf0)
			*lo = 0x90;
		else if (b == 0xf4)
			*hi = 0x8f;
		return 3;
	}
	*lo = 1;
	*hi = 0;
	return 0;
}

/* The appends fail only out of memory: the output event then misses
 * those bytes, as it would if the program had not written them. */
size_t dap_utf8_clean(const char *in, size_t len, int final, gd_buf *out)
{
	const unsigned char *p = (const unsigned char *)in;
	size_t i = 0, run = 0; /* run: start of valid bytes not yet copied */
	while (i < len) {
		unsigned char b = p[i];
		if (b >= 0x01 && b < 0x80) {
			i++;
			continue;
		}
		unsigned char lo, hi;
		int need = b ? lead(b, &lo, &hi) : 0;
		size_t k = 1; /* bytes of the character seen so far */
		int ok = need > 0;
		while (ok && k <= (size_t)need) {
			if (i + k >= len) {
				if (!final) {
					/* Cut by the read: keep it for later. */
					gd_buf_append(out, in + run, i - run);
					return i;
				}
				ok = 0;
				break;
			}
			unsigned char c = p[i + k];
			if (c < (k == 1 ? lo : 0x80) || c > (k == 1 ? hi : 0xbf)) {
				ok = 0;
				break;
			}
			k++;
		}
		if (ok) {
			i += k;
			continue;
		}
		/* The maximal subpart [i, i+k) is replaced as one. */
		gd_buf_append(out, in + run, i - run);
		gd_buf_append(out, REPLACEMENT, 3);
		i += k;
		run = i;
	}
	gd_buf_append(out, in + run, len - run);
	return len;
}
