/* Program output as DAP text: DAP carries JSON strings, which must be
 * UTF-8, while a program writes whatever bytes it likes and a pipe read
 * may end inside a multi-byte character. */
#ifndef DAP_UTF8_H
#define DAP_UTF8_H

#include <stddef.h>

#include "gd_buf.h"

/* Appends in[0, len) to out as valid UTF-8: each maximal invalid subpart
 * (the Unicode "best practice", as Python's errors="replace") becomes
 * U+FFFD, and so does a NUL byte (cJSON strings end at NUL).  When final
 * is 0, an incomplete but so far valid character at the very end is left
 * out: the return value is the number of bytes consumed (len minus at
 * most 3); the caller keeps the rest and passes it again in front of the
 * next bytes.  With final set, everything is consumed.  On out of memory
 * out may be short; the count is still the bytes looked at. */
size_t dap_utf8_clean(const char *in, size_t len, int final, gd_buf *out);

#endif
