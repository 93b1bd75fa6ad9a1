/* Base64 (RFC 4648, with padding): DAP carries memory contents in it. */
#ifndef GD_BASE64_H
#define GD_BASE64_H

#include <stddef.h>
#include <stdint.h>

/* Heap, NUL-terminated text of n bytes; NULL when out of memory. */
char *gd_base64_encode(const uint8_t *b, size_t n);
/* Decodes s (whitespace not allowed; padding optional) into a heap
 * buffer of *n bytes (never NULL on success).  -1 when s is not base64 or
 * out of memory. */
int gd_base64_decode(const char *s, uint8_t **out, size_t *n);

#endif
