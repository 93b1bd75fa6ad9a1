/* Private to goruntime/expr. */
#ifndef GX_INTERNAL_H
#define GX_INTERNAL_H

#include <stdarg.h>

#include "gx.h"

__extension__ typedef unsigned __int128 gx_u128;

/* ---- arena: every node and string of one gx_expr ---------------------- */
typedef struct gx_arena gx_arena;
gx_arena *gx_arena_new(void);
void gx_arena_free(gx_arena *a);
void *gx_arena_alloc(gx_arena *a, size_t n); /* zeroed, NULL if no memory */
char *gx_arena_strndup(gx_arena *a, const char *s, size_t n);

/* ---- errors --------------------------------------------------------- */
/* "line:col: msg" for offset pos of src[0..len). */
int gx_verr_src(const char *src, size_t len, size_t pos, gd_err *err,
		const char *fmt, va_list ap);
int gx_err_src(const char *src, size_t len, size_t pos, gd_err *err,
	       const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* ---- lexer ---------------------------------------------------------- */
typedef struct gx_lexer {
	const char *src;
	size_t len;
	size_t off;    /* next byte to read */
	gx_tok tok;    /* current token */
	size_t pos;    /* its first byte */
	size_t tend;   /* just past its last byte */
	gd_err *err;
} gx_lexer;

void gx_lex_init(gx_lexer *lx, const char *src, size_t len, size_t start,
		 gd_err *err);
/* Advances to the next token; -1 (err set) on a lexical error. */
int gx_lex_next(gx_lexer *lx);
/* Describes the current token for "found ..." in messages:
 * 'EOF', ')', or the literal / identifier text itself. */
int gx_lex_describe(const gx_lexer *lx, gd_buf *out);

bool gx_is_letter_start(const char *s, size_t n); /* identifier start? */
size_t gx_ident_len(const char *s, size_t n);      /* 0 if none */

/* Literal values: the text has been validated by the lexer. */
int gx_lit_int(const char *text, size_t n, gx_i128 *out); /* -1: too large */
double gx_lit_float(const char *text, size_t n);
/* Decodes a validated quoted literal ("...", `...` or '...') into out;
 * for a rune literal *rune gets the code point. */
int gx_lit_unquote(const char *text, size_t n, gd_buf *out, uint32_t *rune);

/* UTF-8: length of the sequence at s (1..4) and its code point, or -1. */
int gx_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);
int gx_utf8_encode(uint32_t cp, gd_buf *out);

/* i128 to decimal. */
int gx_i128_format(gx_i128 v, gd_buf *out);

#endif
