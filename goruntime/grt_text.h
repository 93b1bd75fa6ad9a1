/* goruntime/: pure text helpers for value display (no process, no DWARF),
 * each matching what Go or Delve prints.  Unit-tested in
 * test/unit/test_values_fmt.c. */
#ifndef GRT_TEXT_H
#define GRT_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "gd_buf.h"

/* Delve's ShortenType: "github.com/a/b.T" -> "b.T", in every component. */
void grt_text_type(gd_buf *b, const char *name);
/* strconv.FormatFloat(f, 'g', -1, bits) (bits 32 or 64): shortest
 * round-trip digits, "1e+21", "5e-324"; +Inf -Inf NaN (gd_float.h). */
void grt_text_float(gd_buf *b, double f, int bits);
/* strconv.Quote of a byte string (invalid UTF-8 as \xNN). */
void grt_text_quote(gd_buf *b, const uint8_t *s, size_t n);
/* A string of len bytes whose first n (n <= len) are s, as Delve shows
 * it: quoted, and a cut one with "...+N more" inside the quotes.  -1: out
 * of memory. */
int grt_text_string(gd_buf *b, const uint8_t *s, size_t n, uint64_t len);
/* time.Duration(d).String(). */
void grt_text_duration(gd_buf *b, int64_t d);

#endif
