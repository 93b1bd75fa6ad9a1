/* Go expression front end: lexer, parser, untyped-constant folding,
 * breakpoint hit conditions and logpoint messages.  No process needed.
 *
 *   gx_expr *e;
 *   if (gx_parse("a.b[i] + 1", &e, &err) < 0) ... err says "1:5: ..."
 *   walk e->root (gx_node, kinds below), annotate node->type / node->aux,
 *   gx_expr_free(e);
 *
 * Positions are byte offsets into the parsed text; messages print them as
 * "line:column" with column = offset in the line + 1 (Go's convention). */
#ifndef GX_H
#define GX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gd_buf.h"
#include "gd_err.h"

/* Untyped integer constants are exact in 128 bits while folding. */
__extension__ typedef __int128 gx_i128;

/* ---- tokens (also the operator of UNARY / BINARY nodes) ---------------- */
typedef enum gx_tok {
	GX_T_EOF,
	GX_T_ILLEGAL,
	GX_T_IDENT,
	GX_T_INT,
	GX_T_FLOAT,
	GX_T_IMAG,
	GX_T_CHAR,
	GX_T_STRING,
	/* operators */
	GX_T_ADD,     /* + */
	GX_T_SUB,     /* - */
	GX_T_MUL,     /* * */
	GX_T_QUO,     /* / */
	GX_T_REM,     /* % */
	GX_T_AND,     /* & */
	GX_T_OR,      /* | */
	GX_T_XOR,     /* ^ */
	GX_T_SHL,     /* << */
	GX_T_SHR,     /* >> */
	GX_T_AND_NOT, /* &^ */
	GX_T_LAND,    /* && */
	GX_T_LOR,     /* || */
	GX_T_ARROW,   /* <- */
	GX_T_INC,     /* ++ */
	GX_T_DEC,     /* -- */
	GX_T_EQL,     /* == */
	GX_T_LSS,     /* < */
	GX_T_GTR,     /* > */
	GX_T_ASSIGN,  /* = */
	GX_T_NOT,     /* ! */
	GX_T_NEQ,     /* != */
	GX_T_LEQ,     /* <= */
	GX_T_GEQ,     /* >= */
	GX_T_DEFINE,  /* := */
	GX_T_ELLIPSIS, /* ... */
	GX_T_ASSIGN_OP, /* += -= *= /= %= &= |= ^= <<= >>= &^= (text in lexer) */
	GX_T_TILDE,   /* ~ */
	GX_T_LPAREN,
	GX_T_LBRACK,
	GX_T_LBRACE,
	GX_T_COMMA,
	GX_T_PERIOD,
	GX_T_RPAREN,
	GX_T_RBRACK,
	GX_T_RBRACE,
	GX_T_SEMICOLON,
	GX_T_COLON,
	/* keywords */
	GX_T_BREAK, GX_T_CASE, GX_T_CHAN, GX_T_CONST, GX_T_CONTINUE,
	GX_T_DEFAULT, GX_T_DEFER, GX_T_ELSE, GX_T_FALLTHROUGH, GX_T_FOR,
	GX_T_FUNC, GX_T_GO, GX_T_GOTO, GX_T_IF, GX_T_IMPORT, GX_T_INTERFACE,
	GX_T_MAP, GX_T_PACKAGE, GX_T_RANGE, GX_T_RETURN, GX_T_SELECT,
	GX_T_STRUCT, GX_T_SWITCH, GX_T_TYPE, GX_T_VAR,
} gx_tok;

/* "+", "&^", "chan", "EOF", "IDENT"... */
const char *gx_tok_str(gx_tok t);

/* ---- constant values ------------------------------------------------- */
typedef enum gx_vkind {
	GX_V_NONE,    /* not a constant */
	GX_V_BOOL,    /* untyped bool */
	GX_V_INT,     /* untyped int */
	GX_V_RUNE,    /* untyped rune */
	GX_V_FLOAT,   /* untyped float */
	GX_V_COMPLEX, /* untyped complex */
	GX_V_STRING,  /* untyped string */
	GX_V_NIL,     /* nil */
} gx_vkind;

typedef struct gx_value {
	gx_vkind kind;
	bool b;        /* BOOL */
	gx_i128 i;     /* INT, RUNE */
	double f;      /* FLOAT; real part of COMPLEX */
	double im;     /* imaginary part of COMPLEX */
	char *s;       /* STRING: bytes (may hold NULs), NUL-terminated */
	size_t len;    /* STRING length */
} gx_value;

/* "untyped int", "untyped string", "untyped nil"... */
const char *gx_vkind_str(gx_vkind k);
/* Go-style rendering: 98, 3.5, 1e+21, (1+2i), "a\n", true, nil. */
int gx_value_format(const gx_value *v, gd_buf *out);
/* Frees the string of a value produced by gx_const_eval / gx_const_fold
 * (never call it on node->val: that belongs to the gx_expr). */
void gx_value_free(gx_value *v);
/* Range helpers for the evaluator (INT and RUNE only). */
bool gx_value_to_int64(const gx_value *v, int64_t *out);
bool gx_value_to_uint64(const gx_value *v, uint64_t *out);

/* ---- AST ---------------------------------------------------------------- */
typedef enum gx_kind {
	GX_N_IDENT,      /* name */
	GX_N_INT,        /* text, val (GX_V_INT) */
	GX_N_FLOAT,      /* text, val (GX_V_FLOAT) */
	GX_N_IMAG,       /* text, val (GX_V_COMPLEX, real part 0) */
	GX_N_CHAR,       /* text, val (GX_V_RUNE) */
	GX_N_STRING,     /* text (quoted source), val (GX_V_STRING, decoded) */
	GX_N_BOOL,       /* true / false: val (GX_V_BOOL) */
	GX_N_NIL,        /* nil: val (GX_V_NIL) */
	GX_N_PKGPATH,    /* name = import path ("net/http"); only ever the x of
	                    a SELECTOR; from "net/http".X or net/http.X */
	GX_N_SELECTOR,   /* x.name */
	GX_N_INDEX,      /* x[y] */
	GX_N_SLICE,      /* x[lo:hi] or x[lo:hi:max] (slice3); lo/hi may be NULL */
	GX_N_TYPEASSERT, /* x.(y)   y is a type */
	GX_N_CALL,       /* x(args...)  call or conversion; ellipsis: f(a...) */
	GX_N_UNARY,      /* op x   op: ADD SUB NOT XOR MUL AND ARROW.  In a type
	                    position (conversion callee, element type, assertion
	                    target) MUL means "pointer to x" */
	GX_N_BINARY,     /* x op y */
	/* type literals (conversion callees, element types, assertion targets) */
	GX_N_ARRAY_TYPE, /* [y]x  (y = length expression) */
	GX_N_SLICE_TYPE, /* []x */
	GX_N_MAP_TYPE,   /* map[y]x  (y = key, x = element) */
	GX_N_CHAN_TYPE,  /* chan x; chan_dir says which direction */
	GX_N_INTERFACE_TYPE, /* interface{} (only the empty one) */
	GX_N_STRUCT_TYPE,    /* struct{} (only the empty one) */
} gx_kind;

enum { GX_CHAN_BOTH = 0, GX_CHAN_SEND = 1, GX_CHAN_RECV = 2 };

typedef struct gx_node gx_node;
struct gx_node {
	gx_kind kind;
	size_t pos;    /* offset of the node's first byte (its opening
	                  parenthesis when parenthesised: there are no paren
	                  nodes) */
	size_t end;    /* offset just past its last byte */
	size_t oppos;  /* offset of the operator / '.' / '[' / '(' of
	                  BINARY SELECTOR INDEX SLICE CALL TYPEASSERT; of the
	                  token itself for leaves and UNARY */
	gx_tok op;     /* UNARY / BINARY */
	gx_node *x;    /* operand, base, callee, element type */
	gx_node *y;    /* BINARY rhs, INDEX index, TYPEASSERT type,
	                  ARRAY_TYPE length, MAP_TYPE key */
	gx_node *lo, *hi, *max; /* SLICE */
	bool slice3;   /* SLICE with three indices */
	gx_node **args; /* CALL arguments */
	size_t nargs;
	bool ellipsis; /* CALL: last argument followed by "..." */
	int chan_dir;  /* CHAN_TYPE: GX_CHAN_* */
	const char *name; /* IDENT, SELECTOR field, PKGPATH path */
	const char *text; /* literal source text */
	gx_value val;  /* literal value (INT FLOAT IMAG CHAR STRING BOOL NIL) */
	/* Free for the evaluator; the parser sets them to NULL. */
	void *type;
	void *aux;
	const struct gx_expr *expr; /* the expression the node belongs to */
};

typedef struct gx_expr {
	gx_node *root;
	/* The unquoted package-path form is ambiguous with division: for
	 * "net/http.DefaultClient" root is SELECTOR(PKGPATH "net/http",
	 * DefaultClient) and alt holds the plain Go reading
	 * (net / http.DefaultClient) when that parses too.  The evaluator
	 * should use root when the package exists, alt otherwise.  NULL when
	 * there is no ambiguity. */
	gx_node *alt;
	const char *src;  /* copy of the parsed text (NUL-terminated) */
	size_t len;
	struct gx_arena *arena; /* private */
} gx_expr;

/* Parses one Go expression.  On error returns -1 and err reads like
 * "1:7: expected operand, found ')'". */
int gx_parse(const char *src, gx_expr **out, gd_err *err);
int gx_parse_n(const char *src, size_t len, gx_expr **out, gd_err *err);
void gx_expr_free(gx_expr *e);

/* Sets err to "line:col: <message>" for offset pos of e's text; returns -1.
 * For the evaluator's own errors. */
int gx_errorf(const gx_expr *e, size_t pos, gd_err *err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Canonical, fully parenthesised form: binary and unary expressions are
 * wrapped in parentheses, "a+b*c" -> "(a + (b * c))"; literals keep their
 * source text.  The output parses back to the same tree. */
int gx_dump(const gx_node *n, gd_buf *out);
/* Same, into a new heap string (NULL when out of memory). */
char *gx_dump_str(const gx_node *n);

/* ---- untyped constants ---------------------------------------------- */
/* Folds an expression made only of constants (literals, true, false, nil,
 * len("const string"), operators) exactly as Go does with untyped
 * constants, then checks the value fits its default type (int -> int64,
 * rune -> int32, float -> float64).  Errors carry the position, e.g.
 * "1:3: invalid operation: division by zero".  out must be released with
 * gx_value_free. */
int gx_const_eval(const gx_node *n, gx_value *out, gd_err *err);
/* Like gx_const_eval without the final default-type check: the exact
 * untyped value, for constant sub-expressions of typed expressions. */
int gx_const_fold(const gx_node *n, gx_value *out, gd_err *err);
/* True when n is made only of constants (gx_const_fold would not fail
 * with "is not constant"). */
bool gx_is_const(const gx_node *n);

/* ---- hit conditions (DAP SourceBreakpoint.hitCondition) -------------- */
/* Delve's syntax: "N" (bare number: == N), "== N", "!= N", "> N", ">= N",
 * "< N", "<= N", "% N" (every Nth hit).  The count is the number of times
 * the breakpoint was hit (with its condition true), this hit included. */
typedef enum gx_hitop {
	GX_HIT_ANY, /* empty hit condition: every hit */
	GX_HIT_EQ, GX_HIT_NE, GX_HIT_GT, GX_HIT_GE, GX_HIT_LT, GX_HIT_LE,
	GX_HIT_MOD,
} gx_hitop;

typedef struct gx_hitcond {
	gx_hitop op;
	uint64_t n;
} gx_hitcond;

int gx_hitcond_parse(const char *s, gx_hitcond *out, gd_err *err);
/* 1 when the breakpoint should stop at hit number `hits` (1-based). */
int gx_hitcond_match(const gx_hitcond *h, uint64_t hits);
/* True when no later hit can match any more (== N or <= N once hits >= N,
 * < N once hits >= N-1), as Delve uses to disable such breakpoints. */
bool gx_hitcond_exhausted(const gx_hitcond *h, uint64_t hits);

/* ---- logpoint messages (DAP SourceBreakpoint.logMessage) ------------- */
/* "x is {x}, y={a.b[2]} {{literal}}" -> "x is ", {x}, ", y=", {a.b[2]},
 * " {literal}".  "{expr}" interpolates (braces nest inside, braces inside
 * string/rune literals do not count); "{{" and "}}" outside an expression
 * stand for literal braces; any other unbalanced brace is an error. */
typedef struct gx_logpart {
	bool is_expr;
	char *text;     /* literal text, or the expression's (trimmed) source */
	size_t len;
	size_t pos;     /* offset in the message */
	gx_expr *expr;  /* parsed expression when is_expr */
} gx_logpart;

typedef struct gx_logmsg {
	gx_logpart *parts;
	size_t nparts;  /* 0 for an empty message */
} gx_logmsg;

int gx_logmsg_parse(const char *msg, gx_logmsg *out, gd_err *err);
void gx_logmsg_free(gx_logmsg *m);

#endif
