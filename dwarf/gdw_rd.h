/* A bounds-checked reader over raw DWARF bytes, for the parts godap reads
 * itself (.debug_frame entries, line-program headers): a read past the end
 * sets bad and returns 0/NULL, so a parser reads a run of fields and
 * checks bad once.  Static inline: the .debug_frame search calls these in
 * its inner loop.  The reader borrows the bytes; it owns nothing. */
#ifndef GDW_RD_H
#define GDW_RD_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct gdw_rd {
	const uint8_t *p, *end;
	int bad;
} gdw_rd;

/* n little-endian bytes (n <= 8). */
static inline uint64_t gdw__rd_u(gdw_rd *r, size_t n)
{
	if (r->bad || (size_t)(r->end - r->p) < n) {
		r->bad = 1;
		return 0;
	}
	uint64_t v = 0;
	for (size_t i = 0; i < n; i++)
		v |= (uint64_t)r->p[i] << (8 * i);
	r->p += n;
	return v;
}

static inline uint64_t gdw__rd_uleb(gdw_rd *r)
{
	uint64_t v = 0;
	for (unsigned sh = 0;; sh += 7) {
		if (r->bad || r->p >= r->end || sh > 63) {
			r->bad = 1;
			return 0;
		}
		uint8_t b = *r->p++;
		v |= (uint64_t)(b & 0x7f) << sh;
		if (!(b & 0x80))
			return v;
	}
}

static inline int64_t gdw__rd_sleb(gdw_rd *r)
{
	int64_t v = 0;
	unsigned sh = 0;
	uint8_t b;
	do {
		if (r->bad || r->p >= r->end || sh > 63) {
			r->bad = 1;
			return 0;
		}
		b = *r->p++;
		v |= (int64_t)((uint64_t)(b & 0x7f) << sh);
		sh += 7;
	} while (b & 0x80);
	if (sh < 64 && (b & 0x40))
		v |= -(int64_t)((uint64_t)1 << sh);
	return v;
}

/* A NUL-terminated string in place (borrowed from the bytes). */
static inline const char *gdw__rd_str(gdw_rd *r)
{
	if (r->bad)
		return NULL;
	const uint8_t *z = memchr(r->p, 0, (size_t)(r->end - r->p));
	if (!z) {
		r->bad = 1;
		return NULL;
	}
	const char *s = (const char *)r->p;
	r->p = z + 1;
	return s;
}

static inline void gdw__rd_skip(gdw_rd *r, uint64_t n)
{
	if (r->bad || (uint64_t)(r->end - r->p) < n)
		r->bad = 1;
	else
		r->p += n;
}

#endif
