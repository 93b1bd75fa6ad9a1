/* Lexer for Go expressions (a port of go/scanner's rules and messages) and
 * decoding of literal values. */
#include "gx_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const tok_names[] = {
	[GX_T_EOF] = "EOF",
	[GX_T_ILLEGAL] = "ILLEGAL",
	[GX_T_IDENT] = "IDENT",
	[GX_T_INT] = "INT",
	[GX_T_FLOAT] = "FLOAT",
	[GX_T_IMAG] = "IMAG",
	[GX_T_CHAR] = "CHAR",
	[GX_T_STRING] = "STRING",
	[GX_T_ADD] = "+",
	[GX_T_SUB] = "-",
	[GX_T_MUL] = "*",
	[GX_T_QUO] = "/",
	[GX_T_REM] = "%",
	[GX_T_AND] = "&",
	[GX_T_OR] = "|",
	[GX_T_XOR] = "^",
	[GX_T_SHL] = "<<",
	[GX_T_SHR] = ">>",
	[GX_T_AND_NOT] = "&^",
	[GX_T_LAND] = "&&",
	[GX_T_LOR] = "||",
	[GX_T_ARROW] = "<-",
	[GX_T_INC] = "++",
	[GX_T_DEC] = "--",
	[GX_T_EQL] = "==",
	[GX_T_LSS] = "<",
	[GX_T_GTR] = ">",
	[GX_T_ASSIGN] = "=",
	[GX_T_NOT] = "!",
	[GX_T_NEQ] = "!=",
	[GX_T_LEQ] = "<=",
	[GX_T_GEQ] = ">=",
	[GX_T_DEFINE] = ":=",
	[GX_T_ELLIPSIS] = "...",
	[GX_T_ASSIGN_OP] = "op=",
	[GX_T_TILDE] = "~",
	[GX_T_LPAREN] = "(",
	[GX_T_LBRACK] = "[",
	[GX_T_LBRACE] = "{",
	[GX_T_COMMA] = ",",
	[GX_T_PERIOD] = ".",
	[GX_T_RPAREN] = ")",
	[GX_T_RBRACK] = "]",
	[GX_T_RBRACE] = "}",
	[GX_T_SEMICOLON] = ";",
	[GX_T_COLON] = ":",
	[GX_T_BREAK] = "break",
	[GX_T_CASE] = "case",
	[GX_T_CHAN] = "chan",
	[GX_T_CONST] = "const",
	[GX_T_CONTINUE] = "continue",
	[GX_T_DEFAULT] = "default",
	[GX_T_DEFER] = "defer",
	[GX_T_ELSE] = "else",
	[GX_T_FALLTHROUGH] = "fallthrough",
	[GX_T_FOR] = "for",
	[GX_T_FUNC] = "func",
	[GX_T_GO] = "go",
	[GX_T_GOTO] = "goto",
	[GX_T_IF] = "if",
	[GX_T_IMPORT] = "import",
	[GX_T_INTERFACE] = "interface",
	[GX_T_MAP] = "map",
	[GX_T_PACKAGE] = "package",
	[GX_T_RANGE] = "range",
	[GX_T_RETURN] = "return",
	[GX_T_SELECT] = "select",
	[GX_T_STRUCT] = "struct",
	[GX_T_SWITCH] = "switch",
	[GX_T_TYPE] = "type",
	[GX_T_VAR] = "var",
};

const char *gx_tok_str(gx_tok t)
{
	if ((size_t)t < sizeof tok_names / sizeof tok_names[0] && tok_names[t])
		return tok_names[t];
	return "?";
}

/* ---- errors ---------------------------------------------------------- */

int gx_verr_src(const char *src, size_t len, size_t pos, gd_err *err,
		const char *fmt, va_list ap)
{
	if (!err)
		return -1;
	size_t line = 1, col = 1;
	if (src) {
		if (pos > len)
			pos = len;
		for (size_t i = 0; i < pos; i++) {
			if (src[i] == '\n') {
				line++;
				col = 1;
			} else {
				col++;
			}
		}
	} else {
		col = pos + 1;
	}
	gd_buf b = GD_BUF_INIT;
	int rc = gd_buf_printf(&b, "%zu:%zu: ", line, col);
	if (rc == 0)
		rc = gd_buf_vprintf(&b, fmt, ap);
	if (rc < 0) {
		gd_buf_free(&b);
		return gd_err_set(err, "out of memory");
	}
	gd_err_set(err, "%s", b.data);
	gd_buf_free(&b);
	return -1;
}

int gx_err_src(const char *src, size_t len, size_t pos, gd_err *err,
	       const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	gx_verr_src(src, len, pos, err, fmt, ap);
	va_end(ap);
	return -1;
}

/* ---- UTF-8 ----------------------------------------------------------- */

int gx_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	if (n == 0)
		return -1;
	unsigned c = s[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	int len;
	uint32_t v, min;
	if ((c & 0xe0) == 0xc0) {
		len = 2;
		v = c & 0x1f;
		min = 0x80;
	} else if ((c & 0xf0) == 0xe0) {
		len = 3;
		v = c & 0x0f;
		min = 0x800;
	} else if ((c & 0xf8) == 0xf0) {
		len = 4;
		v = c & 0x07;
		min = 0x10000;
	} else {
		return -1;
	}
	if (n < (size_t)len)
		return -1;
	for (int i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return -1;
		v = (v << 6) | (s[i] & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v < 0xe000))
		return -1;
	*cp = v;
	return len;
}

int gx_utf8_encode(uint32_t cp, gd_buf *out)
{
	unsigned char b[4];
	size_t n;
	if (cp > 0x10ffff || (cp >= 0xd800 && cp < 0xe000))
		cp = 0xfffd;
	if (cp < 0x80) {
		b[0] = (unsigned char)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (unsigned char)(0xc0 | (cp >> 6));
		b[1] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (unsigned char)(0xe0 | (cp >> 12));
		b[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		b[2] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		b[0] = (unsigned char)(0xf0 | (cp >> 18));
		b[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
		b[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		b[3] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	return gd_buf_append(out, b, n);
}

/* ---- character classes ---------------------------------------------- */

static bool is_dec(int c)
{
	return c >= '0' && c <= '9';
}

static int lower(int c)
{
	return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

static bool is_hex(int c)
{
	return is_dec(c) || (lower(c) >= 'a' && lower(c) <= 'f');
}

static bool is_ascii_letter(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

/* Non-ASCII code points are accepted as letters (no Unicode tables). */
bool gx_is_letter_start(const char *s, size_t n)
{
	if (n == 0)
		return false;
	unsigned char c = (unsigned char)s[0];
	if (c < 0x80)
		return is_ascii_letter(c);
	uint32_t cp;
	return gx_utf8_decode((const unsigned char *)s, n, &cp) > 0;
}

size_t gx_ident_len(const char *s, size_t n)
{
	if (!gx_is_letter_start(s, n))
		return 0;
	size_t i = 0;
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x80) {
			if (!is_ascii_letter(c) && !is_dec(c))
				break;
			i++;
		} else {
			uint32_t cp;
			int l = gx_utf8_decode((const unsigned char *)s + i,
					       n - i, &cp);
			if (l < 0)
				break;
			i += (size_t)l;
		}
	}
	return i;
}

/* ---- lexer ----------------------------------------------------------- */

void gx_lex_init(gx_lexer *lx, const char *src, size_t len, size_t start,
		 gd_err *err)
{
	memset(lx, 0, sizeof *lx);
	lx->src = src;
	lx->len = len;
	lx->off = start;
	lx->err = err;
	lx->tok = GX_T_ILLEGAL;
}

static int ch(const gx_lexer *lx)
{
	return lx->off < lx->len ? (unsigned char)lx->src[lx->off] : -1;
}

static int ch_at(const gx_lexer *lx, size_t off)
{
	return off < lx->len ? (unsigned char)lx->src[off] : -1;
}

static int lx_error(gx_lexer *lx, size_t pos, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int lx_error(gx_lexer *lx, size_t pos, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	gx_verr_src(lx->src, lx->len, pos, lx->err, fmt, ap);
	va_end(ap);
	lx->tok = GX_T_ILLEGAL;
	return -1;
}

/* Go's %#U: U+0040 '@' (the quoted char only when printable). */
static void fmt_U(uint32_t cp, char *out, size_t outsz, const char *s,
		  size_t n)
{
	if ((cp >= 0x20 && cp < 0x7f) || cp >= 0xa0)
		snprintf(out, outsz, "U+%04X '%.*s'", cp, (int)n, s);
	else
		snprintf(out, outsz, "U+%04X", cp);
}

static const struct {
	const char *word;
	gx_tok tok;
} keywords[] = {
	{"break", GX_T_BREAK},     {"case", GX_T_CASE},
	{"chan", GX_T_CHAN},       {"const", GX_T_CONST},
	{"continue", GX_T_CONTINUE}, {"default", GX_T_DEFAULT},
	{"defer", GX_T_DEFER},     {"else", GX_T_ELSE},
	{"fallthrough", GX_T_FALLTHROUGH}, {"for", GX_T_FOR},
	{"func", GX_T_FUNC},       {"go", GX_T_GO},
	{"goto", GX_T_GOTO},       {"if", GX_T_IF},
	{"import", GX_T_IMPORT},   {"interface", GX_T_INTERFACE},
	{"map", GX_T_MAP},         {"package", GX_T_PACKAGE},
	{"range", GX_T_RANGE},     {"return", GX_T_RETURN},
	{"select", GX_T_SELECT},   {"struct", GX_T_STRUCT},
	{"switch", GX_T_SWITCH},   {"type", GX_T_TYPE},
	{"var", GX_T_VAR},
};

static gx_tok keyword(const char *s, size_t n)
{
	for (size_t i = 0; i < sizeof keywords / sizeof keywords[0]; i++)
		if (strlen(keywords[i].word) == n &&
		    memcmp(keywords[i].word, s, n) == 0)
			return keywords[i].tok;
	return GX_T_IDENT;
}

/* Skips spaces, newlines and comments; -1 on an unterminated comment. */
static int skip_space(gx_lexer *lx)
{
	for (;;) {
		int c = ch(lx);
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			lx->off++;
		} else if (c == '/' && ch_at(lx, lx->off + 1) == '/') {
			while (lx->off < lx->len && lx->src[lx->off] != '\n')
				lx->off++;
		} else if (c == '/' && ch_at(lx, lx->off + 1) == '*') {
			size_t start = lx->off;
			lx->off += 2;
			for (;;) {
				if (lx->off + 1 >= lx->len) {
					lx->off = lx->len;
					return lx_error(lx, start,
							"comment not terminated");
				}
				if (lx->src[lx->off] == '*' &&
				    lx->src[lx->off + 1] == '/') {
					lx->off += 2;
					break;
				}
				lx->off++;
			}
		} else {
			return 0;
		}
	}
}

static const char *litname(int prefix)
{
	switch (prefix) {
	case 'x':
		return "hexadecimal literal";
	case 'o':
	case '0':
		return "octal literal";
	case 'b':
		return "binary literal";
	}
	return "decimal literal";
}

static int digits(gx_lexer *lx, int base, long *invalid)
{
	int digsep = 0;
	for (;;) {
		int c = ch(lx);
		int ds;
		if (c == '_') {
			ds = 2;
		} else if (base <= 10 ? is_dec(c) : is_hex(c)) {
			ds = 1;
			if (base <= 10 && c >= '0' + base && invalid &&
			    *invalid < 0)
				*invalid = (long)lx->off;
		} else {
			break;
		}
		digsep |= ds;
		lx->off++;
	}
	return digsep;
}

/* Index of the first misplaced '_' in a number literal, or -1. */
static long invalid_sep(const char *x, size_t n)
{
	int x1 = ' ';
	int d = '.';
	size_t i = 0;
	if (n >= 2 && x[0] == '0') {
		x1 = lower((unsigned char)x[1]);
		if (x1 == 'x' || x1 == 'o' || x1 == 'b') {
			d = '0';
			i = 2;
		}
	}
	for (; i < n; i++) {
		int p = d;
		d = (unsigned char)x[i];
		if (d == '_') {
			if (p != '0')
				return (long)i;
		} else if (is_dec(d) || (x1 == 'x' && is_hex(d))) {
			d = '0';
		} else {
			if (p == '_')
				return (long)i - 1;
			d = '.';
		}
	}
	if (d == '_')
		return (long)n - 1;
	return -1;
}

static int scan_number(gx_lexer *lx)
{
	size_t offs = lx->off;
	gx_tok tok = GX_T_ILLEGAL;
	int base = 10, prefix = 0, digsep = 0;
	long invalid = -1;

	if (ch(lx) != '.') {
		tok = GX_T_INT;
		if (ch(lx) == '0') {
			lx->off++;
			switch (lower(ch(lx))) {
			case 'x':
				lx->off++;
				base = 16;
				prefix = 'x';
				break;
			case 'o':
				lx->off++;
				base = 8;
				prefix = 'o';
				break;
			case 'b':
				lx->off++;
				base = 2;
				prefix = 'b';
				break;
			default:
				base = 8;
				prefix = '0';
				digsep = 1; /* leading 0 */
			}
		}
		digsep |= digits(lx, base, &invalid);
	}
	if (ch(lx) == '.') {
		tok = GX_T_FLOAT;
		if (prefix == 'o' || prefix == 'b')
			return lx_error(lx, lx->off, "invalid radix point in %s",
					litname(prefix));
		lx->off++;
		digsep |= digits(lx, base, &invalid);
	}
	if ((digsep & 1) == 0)
		return lx_error(lx, lx->off, "%s has no digits",
				litname(prefix));
	int e = lower(ch(lx));
	if (e == 'e' || e == 'p') {
		if (e == 'e' && prefix != 0 && prefix != '0')
			return lx_error(lx, lx->off,
					"'%c' exponent requires decimal mantissa",
					ch(lx));
		if (e == 'p' && prefix != 'x')
			return lx_error(lx, lx->off,
					"'%c' exponent requires hexadecimal mantissa",
					ch(lx));
		lx->off++;
		tok = GX_T_FLOAT;
		if (ch(lx) == '+' || ch(lx) == '-')
			lx->off++;
		int ds = digits(lx, 10, NULL);
		digsep |= ds;
		if ((ds & 1) == 0)
			return lx_error(lx, lx->off, "exponent has no digits");
	} else if (prefix == 'x' && tok == GX_T_FLOAT) {
		return lx_error(lx, lx->off,
				"hexadecimal mantissa requires a 'p' exponent");
	}
	if (ch(lx) == 'i') {
		tok = GX_T_IMAG;
		lx->off++;
	}
	if (tok == GX_T_INT && invalid >= 0)
		return lx_error(lx, (size_t)invalid, "invalid digit '%c' in %s",
				lx->src[invalid], litname(prefix));
	if (digsep & 2) {
		long i = invalid_sep(lx->src + offs, lx->off - offs);
		if (i >= 0)
			return lx_error(lx, offs + (size_t)i,
					"'_' must separate successive digits");
	}
	lx->tok = tok;
	return 0;
}

static int digit_val(int c)
{
	if (is_dec(c))
		return c - '0';
	if (lower(c) >= 'a' && lower(c) <= 'f')
		return lower(c) - 'a' + 10;
	return 16;
}

/* At the character after a backslash. */
static int scan_escape(gx_lexer *lx, int quote)
{
	size_t offs = lx->off;
	int n;
	uint32_t base, max;
	int c = ch(lx);
	if (c == 'a' || c == 'b' || c == 'f' || c == 'n' || c == 'r' ||
	    c == 't' || c == 'v' || c == '\\' || c == quote) {
		lx->off++;
		return 0;
	}
	if (c >= '0' && c <= '7') {
		n = 3;
		base = 8;
		max = 255;
	} else if (c == 'x') {
		lx->off++;
		n = 2;
		base = 16;
		max = 255;
	} else if (c == 'u') {
		lx->off++;
		n = 4;
		base = 16;
		max = 0x10ffff;
	} else if (c == 'U') {
		lx->off++;
		n = 8;
		base = 16;
		max = 0x10ffff;
	} else if (c < 0) {
		return lx_error(lx, offs, "escape sequence not terminated");
	} else {
		return lx_error(lx, offs, "unknown escape sequence");
	}
	uint32_t x = 0;
	for (; n > 0; n--) {
		c = ch(lx);
		uint32_t d = (uint32_t)digit_val(c);
		if (d >= base) {
			if (c < 0)
				return lx_error(lx, lx->off,
						"escape sequence not terminated");
			uint32_t cp = (uint32_t)c;
			int l = 1;
			if (c >= 0x80) {
				l = gx_utf8_decode(
					(const unsigned char *)lx->src + lx->off,
					lx->len - lx->off, &cp);
				if (l < 0) {
					l = 1;
					cp = 0xfffd;
				}
			}
			char u[32];
			fmt_U(cp, u, sizeof u, lx->src + lx->off, (size_t)l);
			return lx_error(lx, lx->off,
					"illegal character %s in escape sequence",
					u);
		}
		x = x * base + d;
		lx->off++;
	}
	if (x > max || (x >= 0xd800 && x < 0xe000))
		return lx_error(lx, offs,
				"escape sequence is invalid Unicode code point");
	return 0;
}

/* Consumes one source character inside a literal, checking it. */
static int literal_char(gx_lexer *lx)
{
	int c = ch(lx);
	if (c == 0)
		return lx_error(lx, lx->off, "illegal character NUL");
	if (c >= 0x80) {
		uint32_t cp;
		int l = gx_utf8_decode((const unsigned char *)lx->src + lx->off,
				       lx->len - lx->off, &cp);
		if (l < 0)
			return lx_error(lx, lx->off, "illegal UTF-8 encoding");
		lx->off += (size_t)l;
		return 0;
	}
	lx->off++;
	return 0;
}

static int scan_string(gx_lexer *lx)
{
	size_t offs = lx->off;
	lx->off++;
	for (;;) {
		int c = ch(lx);
		if (c == '\n' || c < 0)
			return lx_error(lx, offs, "string literal not terminated");
		if (c == '"') {
			lx->off++;
			break;
		}
		if (c == '\\') {
			lx->off++;
			if (scan_escape(lx, '"') < 0)
				return -1;
			continue;
		}
		if (literal_char(lx) < 0)
			return -1;
	}
	lx->tok = GX_T_STRING;
	return 0;
}

static int scan_raw_string(gx_lexer *lx)
{
	size_t offs = lx->off;
	lx->off++;
	for (;;) {
		int c = ch(lx);
		if (c < 0)
			return lx_error(lx, offs,
					"raw string literal not terminated");
		if (c == '`') {
			lx->off++;
			break;
		}
		if (literal_char(lx) < 0)
			return -1;
	}
	lx->tok = GX_T_STRING;
	return 0;
}

static int scan_rune(gx_lexer *lx)
{
	size_t offs = lx->off;
	int n = 0;
	lx->off++;
	for (;;) {
		int c = ch(lx);
		if (c == '\n' || c < 0)
			return lx_error(lx, offs, "rune literal not terminated");
		if (c == '\'') {
			lx->off++;
			break;
		}
		n++;
		if (c == '\\') {
			lx->off++;
			if (scan_escape(lx, '\'') < 0)
				return -1;
			continue;
		}
		if (literal_char(lx) < 0)
			return -1;
	}
	if (n != 1)
		return lx_error(lx, offs, "illegal rune literal");
	lx->tok = GX_T_CHAR;
	return 0;
}

/* Picks between tok, tok= ("op="), and a third form tok2 when the next
 * char is c2. */
static int scan_op(gx_lexer *lx)
{
	int c = ch(lx);
	int c1 = ch_at(lx, lx->off + 1);
	int c2 = ch_at(lx, lx->off + 2);
	gx_tok t = GX_T_ILLEGAL;
	size_t n = 1;
	switch (c) {
	case '+':
		if (c1 == '+') t = GX_T_INC, n = 2;
		else if (c1 == '=') t = GX_T_ASSIGN_OP, n = 2;
		else t = GX_T_ADD;
		break;
	case '-':
		if (c1 == '-') t = GX_T_DEC, n = 2;
		else if (c1 == '=') t = GX_T_ASSIGN_OP, n = 2;
		else t = GX_T_SUB;
		break;
	case '*':
		if (c1 == '=') t = GX_T_ASSIGN_OP, n = 2;
		else t = GX_T_MUL;
		break;
	case '/':
		if (c1 == '=') t = GX_T_ASSIGN_OP, n = 2;
		else t = GX_T_QUO;
		break;
	case '%':
		if (c1 == '=') t = GX_T_ASSIGN_OP, n = 2;
		else t = GX_T_REM;
		break;
	case '&':
		if (c1 == '&') t = GX_T_LAND, n = 2;
		else if (c1 == '^' && c2 == '=') t = GX_T_ASSIGN_OP, n = 3;
		else if (c1 == '^') t = GX_T_AND_NOT, n = 2;
		else if (c1 == '=') t = GX_T_ASSIGN_OP, n = 2;
		else t = GX_T_AND;
		break;
	case '|':
		if (c1 == '|') t = GX_T_LOR, n = 2;
		else if (c1 == '=') t = GX_T_ASSIGN_OP, n = 2;
		else t = GX_T_OR;
		break;
	case '^':
		if (c1 == '=') t = GX_T_ASSIGN_OP, n = 2;
		else t = GX_T_XOR;
		break;
	case '<':
		if (c1 == '-') t = GX_T_ARROW, n = 2;
		else if (c1 == '<' && c2 == '=') t = GX_T_ASSIGN_OP, n = 3;
		else if (c1 == '<') t = GX_T_SHL, n = 2;
		else if (c1 == '=') t = GX_T_LEQ, n = 2;
		else t = GX_T_LSS;
		break;
	case '>':
		if (c1 == '>' && c2 == '=') t = GX_T_ASSIGN_OP, n = 3;
		else if (c1 == '>') t = GX_T_SHR, n = 2;
		else if (c1 == '=') t = GX_T_GEQ, n = 2;
		else t = GX_T_GTR;
		break;
	case '=':
		if (c1 == '=') t = GX_T_EQL, n = 2;
		else t = GX_T_ASSIGN;
		break;
	case '!':
		if (c1 == '=') t = GX_T_NEQ, n = 2;
		else t = GX_T_NOT;
		break;
	case ':':
		if (c1 == '=') t = GX_T_DEFINE, n = 2;
		else t = GX_T_COLON;
		break;
	case '.':
		if (c1 == '.' && c2 == '.') t = GX_T_ELLIPSIS, n = 3;
		else t = GX_T_PERIOD;
		break;
	case ',': t = GX_T_COMMA; break;
	case ';': t = GX_T_SEMICOLON; break;
	case '(': t = GX_T_LPAREN; break;
	case ')': t = GX_T_RPAREN; break;
	case '[': t = GX_T_LBRACK; break;
	case ']': t = GX_T_RBRACK; break;
	case '{': t = GX_T_LBRACE; break;
	case '}': t = GX_T_RBRACE; break;
	case '~': t = GX_T_TILDE; break;
	default: {
		uint32_t cp = (uint32_t)c;
		int l = 1;
		if (c == 0)
			return lx_error(lx, lx->off, "illegal character NUL");
		if (c >= 0x80) {
			l = gx_utf8_decode((const unsigned char *)lx->src + lx->off,
					   lx->len - lx->off, &cp);
			if (l < 0)
				return lx_error(lx, lx->off,
						"illegal UTF-8 encoding");
		}
		char u[32];
		fmt_U(cp, u, sizeof u, lx->src + lx->off, (size_t)l);
		return lx_error(lx, lx->off, "illegal character %s", u);
	}
	}
	lx->off += n;
	lx->tok = t;
	return 0;
}

int gx_lex_next(gx_lexer *lx)
{
	if (skip_space(lx) < 0) {
		lx->pos = lx->tend = lx->off;
		return -1;
	}
	lx->pos = lx->off;
	int c = ch(lx);
	int rc = 0;
	if (c < 0) {
		lx->tok = GX_T_EOF;
	} else if (gx_is_letter_start(lx->src + lx->off, lx->len - lx->off)) {
		size_t n = gx_ident_len(lx->src + lx->off, lx->len - lx->off);
		lx->tok = keyword(lx->src + lx->off, n);
		lx->off += n;
	} else if (is_dec(c) || (c == '.' && is_dec(ch_at(lx, lx->off + 1)))) {
		rc = scan_number(lx);
	} else if (c == '"') {
		rc = scan_string(lx);
	} else if (c == '`') {
		rc = scan_raw_string(lx);
	} else if (c == '\'') {
		rc = scan_rune(lx);
	} else {
		rc = scan_op(lx);
	}
	lx->tend = lx->off;
	return rc;
}

int gx_lex_describe(const gx_lexer *lx, gd_buf *out)
{
	switch (lx->tok) {
	case GX_T_EOF:
		return gd_buf_puts(out, "'EOF'");
	case GX_T_IDENT:
	case GX_T_INT:
	case GX_T_FLOAT:
	case GX_T_IMAG:
	case GX_T_CHAR:
	case GX_T_STRING:
		return gd_buf_append(out, lx->src + lx->pos, lx->tend - lx->pos);
	default:
		if (gd_buf_puts(out, "'") < 0 ||
		    gd_buf_append(out, lx->src + lx->pos, lx->tend - lx->pos) < 0)
			return -1;
		return gd_buf_puts(out, "'");
	}
}

/* ---- literal values --------------------------------------------------- */

/* Copies the literal without '_' separators into a NUL-terminated buffer. */
static char *strip_us(const char *text, size_t n)
{
	char *s = malloc(n + 1);
	if (!s)
		return NULL;
	size_t j = 0;
	for (size_t i = 0; i < n; i++)
		if (text[i] != '_')
			s[j++] = text[i];
	s[j] = '\0';
	return s;
}

int gx_lit_int(const char *text, size_t n, gx_i128 *out)
{
	unsigned base = 10;
	size_t i = 0;
	if (n >= 2 && text[0] == '0') {
		int p = lower((unsigned char)text[1]);
		if (p == 'x') base = 16, i = 2;
		else if (p == 'o') base = 8, i = 2;
		else if (p == 'b') base = 2, i = 2;
		else base = 8, i = 1;
	}
	const gx_u128 max = ((gx_u128)1 << 127) - 1;
	gx_u128 v = 0;
	for (; i < n; i++) {
		if (text[i] == '_')
			continue;
		unsigned d = (unsigned)digit_val((unsigned char)text[i]);
		if (d >= base)
			return -1;
		if (v > (max - d) / base)
			return -1;
		v = v * base + d;
	}
	*out = (gx_i128)v;
	return 0;
}

double gx_lit_float(const char *text, size_t n)
{
	if (n >= 2 && text[0] == '0') {
		int p = lower((unsigned char)text[1]);
		if (p == 'o' || p == 'b' ||
		    (p == 'x' && !memchr(text, '.', n) && !memchr(text, 'p', n) &&
		     !memchr(text, 'P', n))) {
			double base = p == 'o' ? 8 : p == 'b' ? 2 : 16, v = 0;
			for (size_t i = 2; i < n; i++)
				if (text[i] != '_')
					v = v * base +
					    digit_val((unsigned char)text[i]);
			return v;
		}
	}
	char *s = strip_us(text, n);
	if (!s)
		return 0;
	double v = strtod(s, NULL);
	free(s);
	return v;
}

/* Decodes one escape at s[*i] (the char after the backslash). */
static uint32_t unescape(const char *s, size_t n, size_t *i, bool *is_byte)
{
	int c = (unsigned char)s[*i];
	*is_byte = false;
	(*i)++;
	switch (c) {
	case 'a': return 7;
	case 'b': return 8;
	case 'f': return 12;
	case 'n': return 10;
	case 'r': return 13;
	case 't': return 9;
	case 'v': return 11;
	case 'x':
	case 'u':
	case 'U': {
		int digs = c == 'x' ? 2 : c == 'u' ? 4 : 8;
		uint32_t v = 0;
		for (int k = 0; k < digs && *i < n; k++, (*i)++)
			v = v * 16 + (uint32_t)digit_val((unsigned char)s[*i]);
		*is_byte = c == 'x';
		return v;
	}
	default:
		if (c >= '0' && c <= '7') {
			uint32_t v = (uint32_t)(c - '0');
			for (int k = 0; k < 2 && *i < n; k++, (*i)++)
				v = v * 8 + (uint32_t)(s[*i] - '0');
			*is_byte = true;
			return v;
		}
		return (uint32_t)c; /* \\ \' \" */
	}
}

int gx_lit_unquote(const char *text, size_t n, gd_buf *out, uint32_t *rune)
{
	if (n < 2)
		return -1;
	char q = text[0];
	const char *s = text + 1;
	size_t m = n - 2;
	if (gd_buf_append(out, "", 0) < 0)
		return -1;
	if (q == '`') {
		for (size_t i = 0; i < m; i++)
			if (s[i] != '\r' && gd_buf_append(out, s + i, 1) < 0)
				return -1;
		return 0;
	}
	size_t i = 0;
	while (i < m) {
		uint32_t cp;
		bool is_byte = false;
		if (s[i] == '\\') {
			i++;
			cp = unescape(s, m, &i, &is_byte);
		} else {
			int l = gx_utf8_decode((const unsigned char *)s + i,
					       m - i, &cp);
			if (l < 0) {
				l = 1;
				cp = 0xfffd;
			}
			i += (size_t)l;
		}
		if (q == '\'') {
			if (rune)
				*rune = cp;
			return gx_utf8_encode(cp, out);
		}
		if (is_byte) {
			unsigned char b = (unsigned char)cp;
			if (gd_buf_append(out, &b, 1) < 0)
				return -1;
		} else if (gx_utf8_encode(cp, out) < 0) {
			return -1;
		}
	}
	return 0;
}

int gx_i128_format(gx_i128 v, gd_buf *out)
{
	char tmp[48];
	size_t k = sizeof tmp;
	tmp[--k] = '\0';
	gx_u128 m = v < 0 ? -(gx_u128)v : (gx_u128)v;
	do {
		tmp[--k] = (char)('0' + (int)(m % 10));
		m /= 10;
	} while (m);
	if (v < 0)
		tmp[--k] = '-';
	return gd_buf_puts(out, tmp + k);
}
