/* Parser for Go expressions (follows go/parser's grammar and messages), the
 * canonical dump, and the per-expression arena. */
#include "gx_internal.h"

#include <stdlib.h>
#include <string.h>

/* ---- arena ------------------------------------------------------------ */

struct gx_ablock {
	struct gx_ablock *next;
	size_t used, cap;
	max_align_t data[];
};

struct gx_arena {
	struct gx_ablock *head;
};

gx_arena *gx_arena_new(void)
{
	return calloc(1, sizeof(gx_arena));
}

void gx_arena_free(gx_arena *a)
{
	if (!a)
		return;
	struct gx_ablock *b = a->head;
	while (b) {
		struct gx_ablock *next = b->next;
		free(b);
		b = next;
	}
	free(a);
}

void *gx_arena_alloc(gx_arena *a, size_t n)
{
	const size_t align = sizeof(max_align_t);
	n = (n + align - 1) / align * align;
	if (n == 0)
		n = align;
	struct gx_ablock *b = a->head;
	if (!b || b->cap - b->used < n) {
		size_t cap = n > 8192 ? n : 8192;
		b = malloc(sizeof *b + cap);
		if (!b)
			return NULL;
		b->used = 0;
		b->cap = cap;
		b->next = a->head;
		a->head = b;
	}
	void *p = (char *)b->data + b->used;
	b->used += n;
	memset(p, 0, n);
	return p;
}

char *gx_arena_strndup(gx_arena *a, const char *s, size_t n)
{
	char *d = gx_arena_alloc(a, n + 1);
	if (!d)
		return NULL;
	if (n)
		memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

/* ---- parser ------------------------------------------------------------ */

/* MAX_DEPTH bounds the parser's own recursion (parentheses, unary
 * operators, nested types and arguments).  MAX_HEIGHT bounds the tree it
 * builds: "1+1+1..." and "t.P.P..." are parsed by loops, but every later
 * walk (constant folding, type checking, evaluation, dump) recurses once
 * per level, so a tree taller than this is refused up front. */
enum { MAX_DEPTH = 500, MAX_HEIGHT = 1000 };

typedef struct parser {
	gx_lexer lx;
	gx_expr *e;
	gx_arena *a;
	gd_err *err;
	int depth;
	/* unquoted package path at [path_start, path_end), when trying that
	 * reading */
	bool use_path;
	size_t path_start, path_end;
} parser;

static int oom(parser *p)
{
	return gd_err_set(p->err, "out of memory");
}

static int perr(parser *p, size_t pos, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int perr(parser *p, size_t pos, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	gx_verr_src(p->lx.src, p->lx.len, pos, p->err, fmt, ap);
	va_end(ap);
	return -1;
}

/* go/parser's errorExpected: "expected X, found Y" */
static int error_expected(parser *p, size_t pos, const char *what)
{
	gd_buf b = GD_BUF_INIT;
	int rc = 0;
	if (pos == p->lx.pos) {
		rc |= gd_buf_puts(&b, ", found ");
		rc |= gx_lex_describe(&p->lx, &b);
	} else {
		rc |= gd_buf_puts(&b, "");
	}
	if (rc < 0) {
		gd_buf_free(&b);
		return oom(p);
	}
	perr(p, pos, "expected %s%s", what, b.data);
	gd_buf_free(&b);
	return -1;
}

static int next(parser *p)
{
	size_t o = p->lx.off;
	while (o < p->path_start && (p->lx.src[o] == ' ' || p->lx.src[o] == '\t' ||
				     p->lx.src[o] == '\n' || p->lx.src[o] == '\r'))
		o++;
	if (p->use_path && o == p->path_start) {
		/* the package path is one pseudo-token */
		p->lx.pos = p->path_start;
		p->lx.off = p->lx.tend = p->path_end;
		p->lx.tok = GX_T_ILLEGAL;
		return 0;
	}
	return gx_lex_next(&p->lx);
}

static int expect(parser *p, gx_tok t, const char *what)
{
	if (p->lx.tok != t)
		return error_expected(p, p->lx.pos, what);
	return next(p);
}

static gx_node *new_node(parser *p, gx_kind k, size_t pos)
{
	gx_node *n = gx_arena_alloc(p->a, sizeof *n);
	if (!n) {
		oom(p);
		return NULL;
	}
	n->kind = k;
	n->pos = n->oppos = pos;
	n->end = pos;
	n->expr = p->e;
	return n;
}

static gx_node *parse_expr(parser *p);
static gx_node *parse_unary(parser *p);
static gx_node *parse_type(parser *p);

static int enter(parser *p)
{
	if (++p->depth > MAX_DEPTH)
		return perr(p, p->lx.pos, "expression too deeply nested");
	return 0;
}

static gx_node *parse_literal(parser *p)
{
	gx_lexer *lx = &p->lx;
	const char *text = lx->src + lx->pos;
	size_t n = lx->tend - lx->pos;
	gx_kind k;
	switch (lx->tok) {
	case GX_T_INT: k = GX_N_INT; break;
	case GX_T_FLOAT: k = GX_N_FLOAT; break;
	case GX_T_IMAG: k = GX_N_IMAG; break;
	case GX_T_CHAR: k = GX_N_CHAR; break;
	default: k = GX_N_STRING; break;
	}
	gx_node *x = new_node(p, k, lx->pos);
	if (!x)
		return NULL;
	x->end = lx->tend;
	x->text = gx_arena_strndup(p->a, text, n);
	if (!x->text) {
		oom(p);
		return NULL;
	}
	switch (k) {
	case GX_N_INT:
		x->val.kind = GX_V_INT;
		if (gx_lit_int(text, n, &x->val.i) < 0) {
			perr(p, lx->pos, "integer literal %s is too large",
			     x->text);
			return NULL;
		}
		break;
	case GX_N_FLOAT:
		x->val.kind = GX_V_FLOAT;
		x->val.f = gx_lit_float(text, n);
		break;
	case GX_N_IMAG:
		x->val.kind = GX_V_COMPLEX;
		x->val.im = gx_lit_float(text, n - 1);
		break;
	default: {
		gd_buf b = GD_BUF_INIT;
		uint32_t r = 0;
		if (gx_lit_unquote(text, n, &b, &r) < 0) {
			gd_buf_free(&b);
			oom(p);
			return NULL;
		}
		if (k == GX_N_CHAR) {
			x->val.kind = GX_V_RUNE;
			x->val.i = r;
		} else {
			x->val.kind = GX_V_STRING;
			x->val.len = b.len;
			x->val.s = gx_arena_strndup(p->a, b.data, b.len);
			if (!x->val.s) {
				gd_buf_free(&b);
				oom(p);
				return NULL;
			}
		}
		gd_buf_free(&b);
	}
	}
	if (next(p) < 0)
		return NULL;
	return x;
}

static gx_node *parse_ident(parser *p)
{
	gx_lexer *lx = &p->lx;
	size_t n = lx->tend - lx->pos;
	const char *s = lx->src + lx->pos;
	gx_kind k = GX_N_IDENT;
	if (n == 4 && memcmp(s, "true", 4) == 0)
		k = GX_N_BOOL;
	else if (n == 5 && memcmp(s, "false", 5) == 0)
		k = GX_N_BOOL;
	else if (n == 3 && memcmp(s, "nil", 3) == 0)
		k = GX_N_NIL;
	gx_node *x = new_node(p, k, lx->pos);
	if (!x)
		return NULL;
	x->end = lx->tend;
	x->name = gx_arena_strndup(p->a, s, n);
	if (!x->name) {
		oom(p);
		return NULL;
	}
	if (k == GX_N_BOOL) {
		x->text = x->name;
		x->val.kind = GX_V_BOOL;
		x->val.b = s[0] == 't';
	} else if (k == GX_N_NIL) {
		x->text = x->name;
		x->val.kind = GX_V_NIL;
	}
	if (next(p) < 0)
		return NULL;
	return x;
}

/* x.name where x is a string literal: the "pkg/path".Name form. */
static void to_pkgpath(gx_node *x)
{
	x->kind = GX_N_PKGPATH;
	x->name = x->val.s;
}

/* "chan T", "chan<- T" (at 'chan'), or "<-chan T" (at '<-'). */
static gx_node *parse_chan_type(parser *p)
{
	size_t pos = p->lx.pos;
	int dir = GX_CHAN_BOTH;
	if (p->lx.tok == GX_T_ARROW) {
		if (next(p) < 0)
			return NULL;
		if (p->lx.tok != GX_T_CHAN) {
			error_expected(p, p->lx.pos, "'chan'");
			return NULL;
		}
		dir = GX_CHAN_RECV;
	}
	if (next(p) < 0)
		return NULL;
	if (dir == GX_CHAN_BOTH && p->lx.tok == GX_T_ARROW) {
		dir = GX_CHAN_SEND;
		if (next(p) < 0)
			return NULL;
	}
	gx_node *t = new_node(p, GX_N_CHAN_TYPE, pos);
	if (!t)
		return NULL;
	t->chan_dir = dir;
	if (!(t->x = parse_type(p)))
		return NULL;
	t->end = t->x->end;
	return t;
}

/* interface{} / struct{} */
static gx_node *parse_empty_type(parser *p, gx_kind k, const char *word)
{
	gx_node *t = new_node(p, k, p->lx.pos);
	if (!t || next(p) < 0)
		return NULL;
	if (p->lx.tok != GX_T_LBRACE) {
		error_expected(p, p->lx.pos, "'{'");
		return NULL;
	}
	if (next(p) < 0)
		return NULL;
	if (p->lx.tok != GX_T_RBRACE) {
		perr(p, p->lx.pos,
		     "only the empty %s{} is supported in expressions", word);
		return NULL;
	}
	t->end = p->lx.tend;
	if (next(p) < 0)
		return NULL;
	return t;
}

/* Type literals and type names. */
static gx_node *parse_type_inner(parser *p)
{
	gx_lexer *lx = &p->lx;
	size_t pos = lx->pos;
	gx_node *t;
	switch (lx->tok) {
	case GX_T_IDENT:
		if (!(t = parse_ident(p)))
			return NULL;
		t->kind = GX_N_IDENT; /* a type named true/nil is still a name */
		t->val.kind = GX_V_NONE;
		t->text = NULL;
		goto qualified;
	case GX_T_STRING:
		if (!(t = parse_literal(p)))
			return NULL;
		if (lx->tok != GX_T_PERIOD) {
			error_expected(p, lx->pos, "'.'");
			return NULL;
		}
		to_pkgpath(t);
		goto qualified;
	qualified:
		if (lx->tok == GX_T_PERIOD) {
			size_t dot = lx->pos;
			if (next(p) < 0)
				return NULL;
			if (lx->tok != GX_T_IDENT) {
				error_expected(p, lx->pos, "name");
				return NULL;
			}
			gx_node *s = new_node(p, GX_N_SELECTOR, t->pos);
			if (!s)
				return NULL;
			s->oppos = dot;
			s->x = t;
			s->end = lx->tend;
			s->name = gx_arena_strndup(p->a, lx->src + lx->pos,
						   lx->tend - lx->pos);
			if (!s->name) {
				oom(p);
				return NULL;
			}
			if (next(p) < 0)
				return NULL;
			t = s;
		}
		return t;
	case GX_T_MUL:
		if (!(t = new_node(p, GX_N_UNARY, pos)) || next(p) < 0)
			return NULL;
		t->op = GX_T_MUL;
		if (!(t->x = parse_type(p)))
			return NULL;
		t->end = t->x->end;
		return t;
	case GX_T_LBRACK:
		if (next(p) < 0)
			return NULL;
		if (lx->tok == GX_T_RBRACK) {
			if (!(t = new_node(p, GX_N_SLICE_TYPE, pos)) ||
			    next(p) < 0)
				return NULL;
		} else if (lx->tok == GX_T_ELLIPSIS) {
			perr(p, lx->pos,
			     "[...] array types are not supported in expressions");
			return NULL;
		} else {
			if (!(t = new_node(p, GX_N_ARRAY_TYPE, pos)))
				return NULL;
			if (!(t->y = parse_expr(p)))
				return NULL;
			if (expect(p, GX_T_RBRACK, "']'") < 0)
				return NULL;
		}
		if (!(t->x = parse_type(p)))
			return NULL;
		t->end = t->x->end;
		return t;
	case GX_T_MAP:
		if (!(t = new_node(p, GX_N_MAP_TYPE, pos)) || next(p) < 0)
			return NULL;
		if (expect(p, GX_T_LBRACK, "'['") < 0)
			return NULL;
		if (!(t->y = parse_type(p)))
			return NULL;
		if (expect(p, GX_T_RBRACK, "']'") < 0)
			return NULL;
		if (!(t->x = parse_type(p)))
			return NULL;
		t->end = t->x->end;
		return t;
	case GX_T_CHAN:
	case GX_T_ARROW:
		return parse_chan_type(p);
	case GX_T_INTERFACE:
		return parse_empty_type(p, GX_N_INTERFACE_TYPE, "interface");
	case GX_T_STRUCT:
		return parse_empty_type(p, GX_N_STRUCT_TYPE, "struct");
	case GX_T_FUNC:
		perr(p, pos, "function types are not supported in expressions");
		return NULL;
	case GX_T_LPAREN:
		if (next(p) < 0)
			return NULL;
		if (!(t = parse_type(p)))
			return NULL;
		if (expect(p, GX_T_RPAREN, "')'") < 0)
			return NULL;
		return t;
	default:
		error_expected(p, pos, "type");
		return NULL;
	}
}

static gx_node *parse_type(parser *p)
{
	if (enter(p) < 0)
		return NULL;
	gx_node *t = parse_type_inner(p);
	p->depth--;
	return t;
}

static gx_node *parse_operand(parser *p)
{
	gx_lexer *lx = &p->lx;
	switch (lx->tok) {
	case GX_T_IDENT:
		return parse_ident(p);
	case GX_T_INT:
	case GX_T_FLOAT:
	case GX_T_IMAG:
	case GX_T_CHAR:
	case GX_T_STRING:
		return parse_literal(p);
	case GX_T_ILLEGAL:
		if (p->use_path && lx->pos == p->path_start) {
			gx_node *t = new_node(p, GX_N_PKGPATH, lx->pos);
			if (!t)
				return NULL;
			t->end = lx->tend;
			t->name = gx_arena_strndup(p->a, lx->src + lx->pos,
						   lx->tend - lx->pos);
			if (!t->name) {
				oom(p);
				return NULL;
			}
			if (next(p) < 0)
				return NULL;
			return t;
		}
		break;
	case GX_T_LPAREN: {
		/* no node for the parentheses: they only widen pos..end */
		size_t lparen = lx->pos;
		if (next(p) < 0)
			return NULL;
		gx_node *x = parse_expr(p);
		if (!x)
			return NULL;
		size_t rparen_end = lx->tend;
		if (expect(p, GX_T_RPAREN, "')'") < 0)
			return NULL;
		x->pos = lparen;
		x->end = rparen_end;
		return x;
	}
	case GX_T_LBRACK:
	case GX_T_MAP:
	case GX_T_CHAN:
	case GX_T_INTERFACE:
	case GX_T_STRUCT:
	case GX_T_FUNC:
		return parse_type(p);
	default:
		break;
	}
	error_expected(p, lx->pos, "operand");
	return NULL;
}

static gx_node *parse_index_or_slice(parser *p, gx_node *x)
{
	gx_lexer *lx = &p->lx;
	size_t lbrack = lx->pos;
	if (next(p) < 0)
		return NULL;
	if (lx->tok == GX_T_RBRACK) {
		error_expected(p, lx->pos, "operand");
		return NULL;
	}
	gx_node *index[3] = {NULL, NULL, NULL};
	size_t colons[2] = {0, 0};
	int ncolons = 0;
	if (lx->tok != GX_T_COLON && !(index[0] = parse_expr(p)))
		return NULL;
	while (lx->tok == GX_T_COLON && ncolons < 2) {
		colons[ncolons++] = lx->pos;
		if (next(p) < 0)
			return NULL;
		if (lx->tok != GX_T_COLON && lx->tok != GX_T_RBRACK &&
		    lx->tok != GX_T_EOF && !(index[ncolons] = parse_expr(p)))
			return NULL;
	}
	if (ncolons == 0 && lx->tok == GX_T_COMMA) {
		perr(p, lx->pos,
		     "multiple indices (generic instantiation) are not supported");
		return NULL;
	}
	if (ncolons == 2) {
		if (!index[1]) {
			perr(p, colons[0], "middle index required in 3-index slice");
			return NULL;
		}
		if (!index[2]) {
			perr(p, colons[1], "final index required in 3-index slice");
			return NULL;
		}
	}
	size_t rbrack_end = lx->tend;
	if (expect(p, GX_T_RBRACK, "']'") < 0)
		return NULL;
	gx_node *n = new_node(p, ncolons ? GX_N_SLICE : GX_N_INDEX, x->pos);
	if (!n)
		return NULL;
	n->oppos = lbrack;
	n->end = rbrack_end;
	n->x = x;
	if (ncolons) {
		n->lo = index[0];
		n->hi = index[1];
		n->max = index[2];
		n->slice3 = ncolons == 2;
	} else {
		n->y = index[0];
	}
	return n;
}

static gx_node *parse_call(parser *p, gx_node *fun)
{
	gx_lexer *lx = &p->lx;
	gx_node *n = new_node(p, GX_N_CALL, fun->pos);
	if (!n)
		return NULL;
	n->oppos = lx->pos;
	n->x = fun;
	size_t cap = 0;
	if (next(p) < 0)
		return NULL;
	while (lx->tok != GX_T_RPAREN && lx->tok != GX_T_EOF) {
		gx_node *arg = parse_expr(p);
		if (!arg)
			return NULL;
		if (n->nargs == cap) {
			size_t ncap = cap ? cap * 2 : 4;
			gx_node **na = gx_arena_alloc(p->a, ncap * sizeof *na);
			if (!na) {
				oom(p);
				return NULL;
			}
			if (n->nargs)
				memcpy(na, n->args, n->nargs * sizeof *na);
			n->args = na;
			cap = ncap;
		}
		n->args[n->nargs++] = arg;
		if (lx->tok == GX_T_ELLIPSIS) {
			size_t epos = lx->pos;
			n->ellipsis = true;
			if (next(p) < 0)
				return NULL;
			if (lx->tok == GX_T_COMMA) {
				if (next(p) < 0)
					return NULL;
				if (lx->tok != GX_T_RPAREN) {
					perr(p, epos,
					     "can only use ... with final argument in list");
					return NULL;
				}
			}
			break;
		}
		if (lx->tok != GX_T_COMMA) {
			if (lx->tok != GX_T_RPAREN) {
				perr(p, lx->pos, "missing ',' in argument list");
				return NULL;
			}
			break;
		}
		if (next(p) < 0)
			return NULL;
	}
	n->end = lx->tend;
	if (expect(p, GX_T_RPAREN, "')'") < 0)
		return NULL;
	return n;
}

static gx_node *parse_primary(parser *p, gx_node *x)
{
	gx_lexer *lx = &p->lx;
	if (!x && !(x = parse_operand(p)))
		return NULL;
	for (;;) {
		switch (lx->tok) {
		case GX_T_PERIOD: {
			size_t dot = lx->pos;
			if (next(p) < 0)
				return NULL;
			if (lx->tok == GX_T_IDENT) {
				gx_node *s = new_node(p, GX_N_SELECTOR, x->pos);
				if (!s)
					return NULL;
				s->oppos = dot;
				s->end = lx->tend;
				s->name = gx_arena_strndup(p->a, lx->src + lx->pos,
							   lx->tend - lx->pos);
				if (!s->name) {
					oom(p);
					return NULL;
				}
				if (x->kind == GX_N_STRING)
					to_pkgpath(x);
				s->x = x;
				if (next(p) < 0)
					return NULL;
				x = s;
			} else if (lx->tok == GX_T_LPAREN) {
				if (next(p) < 0)
					return NULL;
				if (lx->tok == GX_T_TYPE) {
					perr(p, lx->pos,
					     "use of .(type) outside type switch");
					return NULL;
				}
				gx_node *a = new_node(p, GX_N_TYPEASSERT, x->pos);
				if (!a)
					return NULL;
				a->oppos = dot;
				a->x = x;
				if (!(a->y = parse_type(p)))
					return NULL;
				a->end = lx->tend;
				if (expect(p, GX_T_RPAREN, "')'") < 0)
					return NULL;
				x = a;
			} else {
				error_expected(p, lx->pos,
					       "selector or type assertion");
				return NULL;
			}
			break;
		}
		case GX_T_LBRACK:
			if (!(x = parse_index_or_slice(p, x)))
				return NULL;
			break;
		case GX_T_LPAREN:
			if (!(x = parse_call(p, x)))
				return NULL;
			break;
		case GX_T_LBRACE:
			perr(p, lx->pos,
			     "composite literals are not supported in expressions");
			return NULL;
		default:
			return x;
		}
	}
}

static gx_node *parse_unary_inner(parser *p)
{
	gx_lexer *lx = &p->lx;
	switch (lx->tok) {
	case GX_T_ADD:
	case GX_T_SUB:
	case GX_T_NOT:
	case GX_T_XOR:
	case GX_T_AND:
	case GX_T_MUL:
	case GX_T_ARROW: {
		gx_tok op = lx->tok;
		size_t pos = lx->pos;
		if (op == GX_T_ARROW) {
			/* <-chan T is a type; <-x receives */
			gx_lexer save = *lx;
			if (next(p) < 0)
				return NULL;
			bool is_chan = lx->tok == GX_T_CHAN;
			*lx = save;
			if (is_chan) {
				gx_node *t = parse_chan_type(p);
				return t ? parse_primary(p, t) : NULL;
			}
		}
		if (next(p) < 0)
			return NULL;
		gx_node *n = new_node(p, GX_N_UNARY, pos);
		if (!n)
			return NULL;
		n->op = op;
		if (!(n->x = parse_unary(p)))
			return NULL;
		n->end = n->x->end;
		return n;
	}
	default:
		return parse_primary(p, NULL);
	}
}

static gx_node *parse_unary(parser *p)
{
	if (enter(p) < 0)
		return NULL;
	gx_node *n = parse_unary_inner(p);
	p->depth--;
	return n;
}

static int precedence(gx_tok t)
{
	switch (t) {
	case GX_T_LOR:
		return 1;
	case GX_T_LAND:
		return 2;
	case GX_T_EQL:
	case GX_T_NEQ:
	case GX_T_LSS:
	case GX_T_LEQ:
	case GX_T_GTR:
	case GX_T_GEQ:
		return 3;
	case GX_T_ADD:
	case GX_T_SUB:
	case GX_T_OR:
	case GX_T_XOR:
		return 4;
	case GX_T_MUL:
	case GX_T_QUO:
	case GX_T_REM:
	case GX_T_SHL:
	case GX_T_SHR:
	case GX_T_AND:
	case GX_T_AND_NOT:
		return 5;
	default:
		return 0;
	}
}

static gx_node *parse_binary(parser *p, int prec1)
{
	gx_node *x = parse_unary(p);
	if (!x)
		return NULL;
	for (;;) {
		int oprec = precedence(p->lx.tok);
		if (oprec < prec1 || oprec == 0)
			return x;
		gx_tok op = p->lx.tok;
		size_t oppos = p->lx.pos;
		if (next(p) < 0)
			return NULL;
		gx_node *y = parse_binary(p, oprec + 1);
		if (!y)
			return NULL;
		gx_node *b = new_node(p, GX_N_BINARY, x->pos);
		if (!b)
			return NULL;
		b->op = op;
		b->oppos = oppos;
		b->x = x;
		b->y = y;
		b->end = y->end;
		x = b;
	}
}

static gx_node *parse_expr(parser *p)
{
	if (enter(p) < 0)
		return NULL;
	gx_node *n = parse_binary(p, 1);
	p->depth--;
	return n;
}

/* The first node found deeper than MAX_HEIGHT below n (n at level
 * `level`), or NULL.  Its recursion is itself bounded by MAX_HEIGHT. */
static const gx_node *too_tall(const gx_node *n, int level)
{
	if (!n)
		return NULL;
	if (level > MAX_HEIGHT)
		return n;
	const gx_node *kids[] = {n->x, n->y, n->lo, n->hi, n->max};
	for (size_t i = 0; i < sizeof kids / sizeof kids[0]; i++) {
		const gx_node *d = too_tall(kids[i], level + 1);
		if (d)
			return d;
	}
	for (size_t i = 0; i < n->nargs; i++) {
		const gx_node *d = too_tall(n->args[i], level + 1);
		if (d)
			return d;
	}
	return NULL;
}

static gx_node *parse_all(gx_expr *e, size_t end, bool use_path,
			  size_t path_start, size_t path_end, gd_err *err)
{
	parser p;
	memset(&p, 0, sizeof p);
	p.e = e;
	p.a = e->arena;
	p.err = err;
	p.use_path = use_path;
	p.path_start = path_start;
	p.path_end = path_end;
	gx_lex_init(&p.lx, e->src, end, 0, err);
	if (next(&p) < 0)
		return NULL;
	gx_node *root = parse_expr(&p);
	if (!root)
		return NULL;
	if (p.lx.tok != GX_T_EOF) {
		/* "x = 1" is most likely a mistyped comparison */
		error_expected(&p, p.lx.pos,
			       p.lx.tok == GX_T_ASSIGN ? "'=='" : "'EOF'");
		return NULL;
	}
	const gx_node *deep = too_tall(root, 1);
	if (deep) {
		perr(&p, deep->pos, "expression too deeply nested");
		return NULL;
	}
	return root;
}

static bool path_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-' ||
	       c == '~' || c == '+' || c == '/' || c >= 0x80;
}

/* An unquoted import path at s[start..]: "net/http.X",
 * "github.com/a/b.X".  *end gets the offset of the '.' before the
 * package member. */
static bool find_path(const char *s, size_t len, size_t start, size_t *end)
{
	size_t j = start;
	while (j < len && path_char((unsigned char)s[j]))
		j++;
	size_t last_slash = (size_t)-1;
	for (size_t i = start; i < j; i++) {
		if (s[i] != '/')
			continue;
		if (i == start || s[i - 1] == '/')
			return false;
		last_slash = i;
	}
	if (last_slash == (size_t)-1)
		return false;
	const char *dot = memchr(s + last_slash + 1, '.', j - last_slash - 1);
	if (!dot || dot == s + last_slash + 1)
		return false;
	size_t d = (size_t)(dot - s);
	if (!gx_is_letter_start(s + d + 1, len - d - 1))
		return false;
	*end = d;
	return true;
}

int gx_parse(const char *src, gx_expr **out, gd_err *err)
{
	return gx_parse_n(src, src ? strlen(src) : 0, out, err);
}

int gx_parse_n(const char *src, size_t len, gx_expr **out, gd_err *err)
{
	*out = NULL;
	gx_expr *e = calloc(1, sizeof *e);
	if (!e || !(e->arena = gx_arena_new())) {
		free(e);
		return gd_err_set(err, "out of memory");
	}
	char *copy = gx_arena_strndup(e->arena, src ? src : "", len);
	if (!copy) {
		gx_expr_free(e);
		return gd_err_set(err, "out of memory");
	}
	e->src = copy;
	e->len = len;

	/* The unquoted package path form may start the expression, after
	 * any '*' or '&'. */
	size_t start = 0, path_end;
	while (start < len && (copy[start] == ' ' || copy[start] == '\t' ||
			       copy[start] == '\n' || copy[start] == '\r' ||
			       copy[start] == '*' || copy[start] == '&'))
		start++;
	if (find_path(copy, len, start, &path_end)) {
		gd_err perr1 = GD_ERR_INIT, perr2 = GD_ERR_INIT;
		gx_node *root = parse_all(e, len, true, start, path_end, &perr1);
		gx_node *plain = parse_all(e, len, false, 0, 0, &perr2);
		if (root) {
			e->root = root;
			e->alt = plain;
		} else if (plain) {
			e->root = plain;
		} else {
			gd_err_set(err, "%s", gd_err_msg(&perr1));
		}
		gd_err_clear(&perr1);
		gd_err_clear(&perr2);
		if (!e->root) {
			gx_expr_free(e);
			return -1;
		}
		*out = e;
		return 0;
	}
	e->root = parse_all(e, len, false, 0, 0, err);
	if (!e->root) {
		gx_expr_free(e);
		return -1;
	}
	*out = e;
	return 0;
}

void gx_expr_free(gx_expr *e)
{
	if (!e)
		return;
	gx_arena_free(e->arena);
	free(e);
}

int gx_errorf(const gx_expr *e, size_t pos, gd_err *err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (e)
		gx_verr_src(e->src, e->len, pos, err, fmt, ap);
	else
		gx_verr_src(NULL, 0, pos, err, fmt, ap);
	va_end(ap);
	return -1;
}

/* ---- dump --------------------------------------------------------------- */

int gx_quote(const char *s, size_t n, gd_buf *out); /* gx_const.c */

static int dump(const gx_node *n, gd_buf *b, bool type_ctx);

static int dump_type(const gx_node *n, gd_buf *b)
{
	return dump(n, b, true);
}

/* "1 .(T)" must not dump as "1.(T)": that reads back as the float "1."
 * (found by fuzz_expr). */
static const char *num_gap(const gx_node *x)
{
	return x && (x->kind == GX_N_INT || x->kind == GX_N_FLOAT ||
		     x->kind == GX_N_IMAG) ? " " : "";
}

static int dump(const gx_node *n, gd_buf *b, bool type_ctx)
{
	int rc = 0;
	if (!n)
		return gd_buf_puts(b, "<nil>");
	switch (n->kind) {
	case GX_N_IDENT:
		return gd_buf_puts(b, n->name);
	case GX_N_INT:
	case GX_N_FLOAT:
	case GX_N_IMAG:
	case GX_N_CHAR:
	case GX_N_STRING:
	case GX_N_BOOL:
	case GX_N_NIL:
		return gd_buf_puts(b, n->text);
	case GX_N_PKGPATH:
		return gx_quote(n->name, strlen(n->name), b);
	case GX_N_SELECTOR:
		rc |= dump(n->x, b, type_ctx);
		rc |= gd_buf_printf(b, "%s.%s", num_gap(n->x), n->name);
		return rc;
	case GX_N_INDEX:
		rc |= dump(n->x, b, false);
		rc |= gd_buf_puts(b, "[");
		rc |= dump(n->y, b, false);
		rc |= gd_buf_puts(b, "]");
		return rc;
	case GX_N_SLICE:
		rc |= dump(n->x, b, false);
		rc |= gd_buf_puts(b, "[");
		if (n->lo)
			rc |= dump(n->lo, b, false);
		rc |= gd_buf_puts(b, ":");
		if (n->hi)
			rc |= dump(n->hi, b, false);
		if (n->slice3) {
			rc |= gd_buf_puts(b, ":");
			rc |= dump(n->max, b, false);
		}
		rc |= gd_buf_puts(b, "]");
		return rc;
	case GX_N_TYPEASSERT:
		rc |= dump(n->x, b, false);
		rc |= gd_buf_puts(b, num_gap(n->x));
		rc |= gd_buf_puts(b, ".(");
		rc |= dump_type(n->y, b);
		rc |= gd_buf_puts(b, ")");
		return rc;
	case GX_N_CALL:
		rc |= dump(n->x, b, false);
		rc |= gd_buf_puts(b, "(");
		for (size_t i = 0; i < n->nargs; i++) {
			if (i)
				rc |= gd_buf_puts(b, ", ");
			rc |= dump(n->args[i], b, false);
		}
		if (n->ellipsis)
			rc |= gd_buf_puts(b, "...");
		rc |= gd_buf_puts(b, ")");
		return rc;
	case GX_N_UNARY:
		if (type_ctx && n->op == GX_T_MUL) {
			rc |= gd_buf_puts(b, "*");
			rc |= dump_type(n->x, b);
			return rc;
		}
		rc |= gd_buf_printf(b, "(%s", gx_tok_str(n->op));
		rc |= dump(n->x, b, false);
		rc |= gd_buf_puts(b, ")");
		return rc;
	case GX_N_BINARY:
		rc |= gd_buf_puts(b, "(");
		rc |= dump(n->x, b, false);
		rc |= gd_buf_printf(b, " %s ", gx_tok_str(n->op));
		rc |= dump(n->y, b, false);
		rc |= gd_buf_puts(b, ")");
		return rc;
	case GX_N_ARRAY_TYPE:
		rc |= gd_buf_puts(b, "[");
		rc |= dump(n->y, b, false);
		rc |= gd_buf_puts(b, "]");
		rc |= dump_type(n->x, b);
		return rc;
	case GX_N_SLICE_TYPE:
		rc |= gd_buf_puts(b, "[]");
		rc |= dump_type(n->x, b);
		return rc;
	case GX_N_MAP_TYPE:
		rc |= gd_buf_puts(b, "map[");
		rc |= dump_type(n->y, b);
		rc |= gd_buf_puts(b, "]");
		rc |= dump_type(n->x, b);
		return rc;
	case GX_N_CHAN_TYPE:
		rc |= gd_buf_puts(b, n->chan_dir == GX_CHAN_SEND   ? "chan<- "
				     : n->chan_dir == GX_CHAN_RECV ? "<-chan "
								   : "chan ");
		rc |= dump_type(n->x, b);
		return rc;
	case GX_N_INTERFACE_TYPE:
		return gd_buf_puts(b, "interface{}");
	case GX_N_STRUCT_TYPE:
		return gd_buf_puts(b, "struct{}");
	}
	return gd_buf_puts(b, "<?>");
}

int gx_dump(const gx_node *n, gd_buf *out)
{
	return dump(n, out, false) ? -1 : 0;
}

char *gx_dump_str(const gx_node *n)
{
	gd_buf b = GD_BUF_INIT;
	if (gx_dump(n, &b) < 0 || gd_buf_append(&b, "", 0) < 0) {
		gd_buf_free(&b);
		return NULL;
	}
	return gd_buf_detach(&b);
}
