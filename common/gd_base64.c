#include "gd_base64.h"

#include <stdlib.h>
#include <string.h>

static const char enc[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

char *gd_base64_encode(const uint8_t *b, size_t n)
{
	char *s = malloc((n + 2) / 3 * 4 + 1);
	if (!s)
		return NULL;
	size_t k = 0;
	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)b[i] << 16;
		if (i + 1 < n)
			v |= (uint32_t)b[i + 1] << 8;
		if (i + 2 < n)
			v |= b[i + 2];
		s[k++] = enc[v >> 18 & 63];
		s[k++] = enc[v >> 12 & 63];
		s[k++] = i + 1 < n ? enc[v >> 6 & 63] : '=';
		s[k++] = i + 2 < n ? enc[v & 63] : '=';
	}
	s[k] = 0;
	return s;
}

static int dec(char c)
{
	const char *p = c ? strchr(enc, c) : NULL;
	return p ? (int)(p - enc) : -1;
}

int gd_base64_decode(const char *s, uint8_t **out, size_t *n)
{
	size_t len = strlen(s);
	while (len > 0 && s[len - 1] == '=')
		len--;
	if (len % 4 == 1)
		return -1;
	uint8_t *b = malloc(len / 4 * 3 + 3);
	if (!b)
		return -1;
	size_t k = 0;
	uint32_t acc = 0;
	int bits = 0;
	for (size_t i = 0; i < len; i++) {
		int d = dec(s[i]);
		if (d < 0) {
			free(b);
			return -1;
		}
		acc = acc << 6 | (uint32_t)d;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			b[k++] = (uint8_t)(acc >> bits);
		}
	}
	*out = b;
	*n = k;
	return 0;
}
