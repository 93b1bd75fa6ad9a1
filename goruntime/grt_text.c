/* Pure text helpers for value display (grt_text.h). */
#include "grt_text.h"
#include "gd_float.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Delve's ShortenType: package paths dropped from qualified names
 * ("github.com/a/b.T" -> "b.T") in every component of the type. */
void grt_text_type(gd_buf *b, const char *name)
{
	const char *seg = name;
	for (const char *p = name;; p++) {
		int word = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			   (*p >= '0' && *p <= '9') || *p == '_' || *p == '.' ||
			   *p == '/' || (unsigned char)*p >= 0x80;
		if (word)
			continue;
		const char *slash = NULL;
		for (const char *q = seg; q < p; q++)
			if (*q == '/')
				slash = q;
		const char *from = slash ? slash + 1 : seg;
		gd_buf_append(b, from, (size_t)(p - from));
		if (!*p)
			break;
		gd_buf_append(b, p, 1);
		seg = p + 1;
	}
}

/* strconv.FormatFloat(f, 'g', -1, bits), Go's %v of a float. */
void grt_text_float(gd_buf *b, double f, int bits)
{
	gd_float_format(b, f, bits);
}

int grt_text_string(gd_buf *b, const uint8_t *s, size_t n, uint64_t len)
{
	if (n >= len) {
		grt_text_quote(b, s, n);
		return 0;
	}
	uint8_t *t = malloc(n + 32);
	if (!t)
		return -1;
	if (n)
		memcpy(t, s, n);
	/* Delve puts the cut notice inside the quotes. */
	int k = snprintf((char *)t + n, 32, "...+%" PRIu64 " more", len - n);
	grt_text_quote(b, t, n + (size_t)k);
	free(t);
	return 0;
}

/* Go's %q for a byte string. */
void grt_text_quote(gd_buf *b, const uint8_t *s, size_t n)
{
	gd_buf_puts(b, "\"");
	for (size_t i = 0; i < n;) {
		uint8_t c = s[i];
		uint32_t r = c;
		size_t len = 1;
		if (c >= 0x80) {
			size_t need = c >= 0xf0 && c < 0xf8 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 0;
			int ok = need && i + need <= n;
			if (ok) {
				r = c & (0xff >> (need + 1));
				for (size_t k = 1; k < need; k++) {
					if ((s[i + k] & 0xc0) != 0x80)
						ok = 0;
					r = (r << 6) | (s[i + k] & 0x3f);
				}
			}
			if (ok && ((need == 2 && r < 0x80) || (need == 3 && r < 0x800) ||
				   (need == 4 && r < 0x10000) || r > 0x10ffff ||
				   (r >= 0xd800 && r < 0xe000)))
				ok = 0;
			if (!ok) {
				gd_buf_printf(b, "\\x%02x", c);
				i++;
				continue;
			}
			len = need;
		}
		i += len;
		switch (r) {
		case '\a': gd_buf_puts(b, "\\a"); continue;
		case '\b': gd_buf_puts(b, "\\b"); continue;
		case '\f': gd_buf_puts(b, "\\f"); continue;
		case '\n': gd_buf_puts(b, "\\n"); continue;
		case '\r': gd_buf_puts(b, "\\r"); continue;
		case '\t': gd_buf_puts(b, "\\t"); continue;
		case '\v': gd_buf_puts(b, "\\v"); continue;
		case '\\': gd_buf_puts(b, "\\\\"); continue;
		case '"': gd_buf_puts(b, "\\\""); continue;
		}
		if (r < 0x20 || r == 0x7f)
			gd_buf_printf(b, "\\x%02x", r);
		else if (r >= 0x80 && r < 0xa0)
			gd_buf_printf(b, "\\u%04x", r);
		else
			gd_buf_append(b, s + i - len, len);
	}
	gd_buf_puts(b, "\"");
}

/* time.Duration.String(). */
void grt_text_duration(gd_buf *b, int64_t d)
{
	uint64_t u = d < 0 ? (uint64_t)0 - (uint64_t)d : (uint64_t)d;
	const char *sign = d < 0 ? "-" : "";
	if (u == 0) {
		gd_buf_puts(b, "0s");
		return;
	}
	if (u < 1000000000ull) {
		const char *unit = u < 1000 ? "ns" : u < 1000000 ? "µs" : "ms";
		uint64_t div = u < 1000 ? 1 : u < 1000000 ? 1000 : 1000000;
		gd_buf_printf(b, "%s%" PRIu64, sign, u / div);
		if (u % div) {
			char frac[16];
			snprintf(frac, sizeof(frac), "%0*" PRIu64, div == 1000 ? 3 : 6, u % div);
			size_t n = strlen(frac);
			while (n && frac[n - 1] == '0')
				frac[--n] = '\0';
			gd_buf_printf(b, ".%s", frac);
		}
		gd_buf_puts(b, unit);
		return;
	}
	uint64_t sec = u / 1000000000ull, ns = u % 1000000000ull;
	gd_buf_puts(b, sign);
	if (sec >= 3600)
		gd_buf_printf(b, "%" PRIu64 "h", sec / 3600);
	if (sec >= 60)
		gd_buf_printf(b, "%" PRIu64 "m", sec / 60 % 60);
	gd_buf_printf(b, "%" PRIu64, sec % 60);
	if (ns) {
		char frac[16];
		snprintf(frac, sizeof(frac), "%09" PRIu64, ns);
		size_t n = strlen(frac);
		while (n && frac[n - 1] == '0')
			frac[--n] = '\0';
		gd_buf_printf(b, ".%s", frac);
	}
	gd_buf_puts(b, "s");
}

