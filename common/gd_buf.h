/* Growable byte buffer / string builder: every piece of data that comes from
 * outside (the client, the debuggee) is held in one of these, never in a
 * fixed-size array.
 *
 * An append fails only when memory runs out, and the buffer remembers it
 * (`failed`): a builder may drop each append's result and check once, at
 * the end -- gd_buf_detach answers NULL for a failed buffer, and a caller
 * that reads data itself tests gd_buf_failed.  The text of a failed
 * buffer is whatever fitted (still NUL-terminated), never garbage. */
#ifndef GD_BUF_H
#define GD_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

typedef struct gd_buf {
	char *data; /* always NUL-terminated when len > 0 or after any append */
	size_t len;
	size_t cap;
	int failed; /* an append could not be made (out of memory) */
} gd_buf;

#define GD_BUF_INIT {NULL, 0, 0, 0}

int gd_buf_grow(gd_buf *b, size_t extra);
int gd_buf_append(gd_buf *b, const void *data, size_t len);
int gd_buf_puts(gd_buf *b, const char *s);
int gd_buf_printf(gd_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int gd_buf_vprintf(gd_buf *b, const char *fmt, va_list ap);
/* v in decimal, as "%" PRIu64 would print it (without printf's cost:
 * lists of thousands of ids). */
int gd_buf_u64(gd_buf *b, uint64_t v);
/* Drops the first n bytes (used by the framing reader). */
void gd_buf_consume(gd_buf *b, size_t n);
void gd_buf_reset(gd_buf *b);
/* Hands the string to the caller (who frees it) and resets the buffer;
 * NULL (and the text freed) when an append failed or memory ran out. */
char *gd_buf_detach(gd_buf *b);
/* 1 when an append failed since the buffer was made, reset or freed. */
int gd_buf_failed(const gd_buf *b);
void gd_buf_free(gd_buf *b);

#endif
