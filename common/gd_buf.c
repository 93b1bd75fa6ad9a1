#include "gd_buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int gd_buf_grow(gd_buf *b, size_t extra)
{
	if (b->len + extra + 1 <= b->cap)
		return 0;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < b->len + extra + 1) {
		if (cap > ((size_t)-1) / 2) {
			b->failed = 1;
			return -1;
		}
		cap *= 2;
	}
	char *p = realloc(b->data, cap);
	if (!p) {
		b->failed = 1;
		return -1;
	}
	b->data = p;
	b->cap = cap;
	return 0;
}

int gd_buf_append(gd_buf *b, const void *data, size_t len)
{
	if (gd_buf_grow(b, len) < 0)
		return -1;
	if (len)
		memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
	return 0;
}

int gd_buf_puts(gd_buf *b, const char *s)
{
	return gd_buf_append(b, s, strlen(s));
}

int gd_buf_vprintf(gd_buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0) {
		b->failed = 1;
		return -1;
	}
	if (gd_buf_grow(b, (size_t)n) < 0)
		return -1;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int gd_buf_u64(gd_buf *b, uint64_t v)
{
	char d[20]; /* 2^64-1 has 20 digits */
	size_t i = sizeof(d);
	do {
		d[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return gd_buf_append(b, d + i, sizeof(d) - i);
}

int gd_buf_printf(gd_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = gd_buf_vprintf(b, fmt, ap);
	va_end(ap);
	return rc;
}

void gd_buf_consume(gd_buf *b, size_t n)
{
	if (n >= b->len) {
		b->len = 0;
	} else {
		memmove(b->data, b->data + n, b->len - n);
		b->len -= n;
	}
	if (b->data)
		b->data[b->len] = '\0';
}

void gd_buf_reset(gd_buf *b)
{
	b->len = 0;
	b->failed = 0;
	if (b->data)
		b->data[0] = '\0';
}

char *gd_buf_detach(gd_buf *b)
{
	char *s = b->data;
	if (b->failed) {
		free(s);
		s = NULL;
	} else if (!s) {
		s = calloc(1, 1);
	}
	b->data = NULL;
	b->len = b->cap = 0;
	b->failed = 0;
	return s;
}

int gd_buf_failed(const gd_buf *b)
{
	return b->failed;
}

void gd_buf_free(gd_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
	b->failed = 0;
}
