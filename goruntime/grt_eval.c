/* Go expressions evaluated in a frame (grt_value.h): names, package
 * globals, selectors through pointers, index, slicing, *p, &x, arithmetic
 * and comparisons with Go's typing rules, conversions between numeric
 * types, len/cap, nil comparisons; and assignment of scalars. */
#include "grt_internal.h"
#include "grt_value.h"
#include "grt_call.h"
#include "../dwarf/gdw_type.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* An operand: a typed value, or an untyped constant. */
typedef struct ev {
	grt_value v;
	int is_const;
	gx_value c; /* c.s owned when is_const and STRING */
} ev;

typedef struct ctx {
	grt_scope *s;
	grt_target *t;
	const gx_expr *e;
	gd_err *err;
} ctx;

static void ev_free(ev *x)
{
	grt_value_free(&x->v);
	if (x->is_const)
		gx_value_free(&x->c);
	memset(x, 0, sizeof(*x));
}

static int eval(ctx *c, const gx_node *n, ev *out);

static int fail(ctx *c, const gx_node *n, const char *fmt, const char *a)
{
	return gx_errorf(c->e, n ? n->pos : 0, c->err, fmt, a);
}

static const gdw_tinfo *tinfo(ctx *c, gdw_tref r)
{
	const gdw_tinfo *ti;
	/* best effort: tinfo answers NULL for a type that cannot be read;
	 * each caller says what it could not do with it. */
	return gdw_type_info(c->t->dw, r, &ti, NULL) < 0 ? NULL : ti;
}

static int is_int(gdw_kind k) { return k >= GDW_K_INT && k <= GDW_K_UINTPTR; }
static int is_signed(gdw_kind k) { return k >= GDW_K_INT && k <= GDW_K_INT64; }
static int is_float(gdw_kind k) { return k == GDW_K_FLOAT32 || k == GDW_K_FLOAT64; }
static int is_num(gdw_kind k) { return is_int(k) || is_float(k); }

/* A type the expression needs: absent is the user's error, a failure to
 * read the type index keeps its own message. */
static int type_named(ctx *c, const gx_node *n, const char *name, gdw_tref *out)
{
	int rc = gdw_type_by_name(c->t->dw, name, out, c->err);
	if (rc == GD_ENOTFOUND)
		return fail(c, n, "type %s is not in the program", name);
	return rc;
}

/* A typed scalar from host numbers. */
static int make_scalar(ctx *c, const gx_node *n, gdw_tref type, int64_t i,
		       uint64_t u, double f, grt_value *out)
{
	const gdw_tinfo *ti = tinfo(c, type);
	if (!ti)
		return fail(c, n, "%s", "unknown type");
	uint8_t b[8] = {0};
	if (ti->kind == GDW_K_FLOAT32) {
		float x = (float)f;
		memcpy(b, &x, 4);
	} else if (ti->kind == GDW_K_FLOAT64) {
		memcpy(b, &f, 8);
	} else if (is_signed(ti->kind)) {
		memcpy(b, &i, 8);
	} else {
		memcpy(b, &u, 8);
	}
	if (grt_value_of_bytes(out, type, b, ti->size > 8 ? 8 : ti->size) < 0)
		return gd_err_set(c->err, "out of memory");
	return 0;
}

static int make_bool(ctx *c, const gx_node *n, int b, ev *out)
{
	gdw_tref bt;
	memset(out, 0, sizeof(*out));
	int found = gdw_type_by_name(c->t->dw, "bool", &bt, c->err);
	if (found == -1)
		return -1;
	if (found == GD_ENOTFOUND) {
		/* A program that never uses bool: an untyped constant. */
		out->is_const = 1;
		out->c.kind = GX_V_BOOL;
		out->c.b = b;
		return 0;
	}
	uint8_t v = (uint8_t)(b != 0);
	if (grt_value_of_bytes(&out->v, bt, &v, 1) < 0)
		return fail(c, n, "%s", "out of memory");
	return 0;
}

/* ---- names ---- */
static int eval_ident(ctx *c, const gx_node *n, ev *out)
{
	gd_err e = GD_ERR_INIT;
	if (grt_scope_lookup(c->s, n->name, &out->v, &e) < 0) {
		gd_err_clear(&e);
		return fail(c, n, "could not find symbol value for %s", n->name);
	}
	return 0;
}

/* Field lookup, promoting through embedded structs (breadth first, one
 * level deep per round). */
static int field_of(ctx *c, const grt_value *v, const char *name,
		    grt_value *out, int depth)
{
	if (gdw_type_member(c->t->dw, v->type, name))
		/* best effort: field_of answers found or not: a field that
		 * cannot be reached (its struct's type unreadable) is not
		 * found, and the caller says "no field". */
		return grt__field(c->t, v, name, out, NULL);
	if (depth > 4)
		return -1;
	const gdw_member *ms;
	size_t n;
	/* best effort: as above. */
	if (gdw_type_members(c->t->dw, v->type, &ms, &n, NULL) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (!ms[i].embedded)
			continue;
		grt_value e;
		/* best effort: an embedded field that cannot be reached is
		 * passed over; the others are searched. */
		if (grt__field(c->t, v, ms[i].name, &e, NULL) < 0)
			continue;
		if (grt_value_kind(c->t, &e) == GDW_K_PTR) {
			grt_value d;
			/* best effort: as above. */
			if (grt__deref(c->t, &e, &d, NULL) < 0) {
				grt_value_free(&e);
				continue;
			}
			grt_value_free(&e);
			e = d;
		}
		int r = field_of(c, &e, name, out, depth + 1);
		grt_value_free(&e);
		if (r == 0)
			return 0;
	}
	return -1;
}

static int eval_selector(ctx *c, const gx_node *n, ev *out)
{
	const gx_node *x = n->x;
	if (x->kind == GX_N_PKGPATH || x->kind == GX_N_IDENT) {
		const char *pkg = x->name;
		size_t len = strlen(pkg) + strlen(n->name) + 2;
		char *full = malloc(len);
		if (!full)
			return gd_err_set(c->err, "out of memory");
		snprintf(full, len, "%s.%s", pkg, n->name);
		gdw_var g;
		int is_var = 0;
		if (x->kind == GX_N_IDENT) {
			grt_value tmp;
			gd_err e = GD_ERR_INIT;
			/* best effort: a local named like a package shadows
			 * the package (a failed lookup of the package's own
			 * variable counts as none: the full name is tried
			 * below). */
			is_var = grt_scope_lookup(c->s, pkg, &tmp, &e) == 0 &&
				 gdw_global(c->t->dw, pkg, &g, NULL) < 0;
			gd_err_clear(&e);
			if (is_var)
				grt_value_free(&tmp);
		}
		int gl = is_var ? GD_ENOTFOUND : gdw_global(c->t->dw, full, &g, c->err);
		if (gl == -1) {
			free(full);
			return -1;
		}
		if (gl == 0) {
			gd_err e = GD_ERR_INIT;
			int r = grt_scope_lookup(c->s, full, &out->v, &e);
			gd_err_clear(&e);
			free(full);
			if (r < 0)
				return fail(c, n, "could not read %s", n->name);
			return 0;
		}
		free(full);
		if (x->kind == GX_N_PKGPATH)
			return fail(c, n, "no package variable %s", n->name);
	}
	ev b = {0};
	if (eval(c, x, &b) < 0)
		return -1;
	if (b.is_const) {
		ev_free(&b);
		return fail(c, n, "%s", "a constant has no fields");
	}
	grt_value v = b.v;
	memset(&b.v, 0, sizeof(b.v));
	while (grt_value_kind(c->t, &v) == GDW_K_PTR) {
		grt_value d;
		if (grt__deref(c->t, &v, &d, c->err) < 0) {
			grt_value_free(&v);
			return gx_errorf(c->e, n->oppos, c->err, "nil pointer dereference");
		}
		grt_value_free(&v);
		v = d;
	}
	gdw_kind k = grt_value_kind(c->t, &v);
	int r = -1;
	if (k == GDW_K_STRUCT)
		r = field_of(c, &v, n->name, &out->v, 0);
	if (r < 0) {
		char *tn = strdup(grt_value_type_name(c->t, &v));
		grt_value_free(&v);
		gx_errorf(c->e, n->oppos, c->err, "%s has no field or method %s",
			  tn ? tn : "value", n->name);
		free(tn);
		return -1;
	}
	grt_value_free(&v);
	return 0;
}

/* ---- numbers ---- */
typedef struct num {
	gdw_kind k;
	int64_t i;
	uint64_t u;
	double f;
} num;

static int to_num(ctx *c, const gx_node *n, const ev *x, num *out)
{
	memset(out, 0, sizeof(*out));
	if (x->is_const) {
		switch (x->c.kind) {
		case GX_V_INT: case GX_V_RUNE:
			out->k = GDW_K_INT64;
			if (!gx_value_to_int64(&x->c, &out->i)) {
				if (!gx_value_to_uint64(&x->c, &out->u))
					return fail(c, n, "%s", "constant overflows");
				out->k = GDW_K_UINT64;
				out->f = (double)out->u;
				return 0;
			}
			out->u = (uint64_t)out->i;
			out->f = (double)out->i;
			return 0;
		case GX_V_FLOAT:
			out->k = GDW_K_FLOAT64;
			out->f = x->c.f;
			out->i = (int64_t)x->c.f;
			return 0;
		case GX_V_BOOL:
			out->k = GDW_K_BOOL;
			out->u = x->c.b;
			return 0;
		default:
			return fail(c, n, "%s", "not a number");
		}
	}
	gdw_kind k = grt_value_kind(c->t, &x->v);
	if (!is_num(k) && k != GDW_K_BOOL)
		return fail(c, n, "%s is not a number",
			    grt_value_type_name(c->t, &x->v));
	out->k = k;
	return grt_value_int(c->t, &x->v, &out->i, &out->u, &out->f, c->err);
}

/* Untyped constant c converted to type `type` (Go's assignability of
 * constants: integer constants fit; floats only into float types). */
static int const_to(ctx *cx, const gx_node *n, const gx_value *c, gdw_tref type,
		    grt_value *out)
{
	const gdw_tinfo *ti = tinfo(cx, type);
	if (!ti)
		return fail(cx, n, "%s", "unknown type");
	gdw_kind k = ti->kind;
	if (c->kind == GX_V_BOOL) {
		if (k != GDW_K_BOOL)
			return fail(cx, n, "cannot use a bool as %s", ti->name);
		uint8_t b = c->b;
		return grt_value_of_bytes(out, type, &b, 1) < 0 ? -1 : 0;
	}
	if (c->kind == GX_V_NIL) {
		if (k != GDW_K_PTR && k != GDW_K_UNSAFEPTR && k != GDW_K_MAP &&
		    k != GDW_K_CHAN && k != GDW_K_FUNC)
			return fail(cx, n, "cannot use nil as %s", ti->name);
		uint64_t z = 0;
		return grt_value_of_bytes(out, type, &z, 8) < 0 ? -1 : 0;
	}
	if (c->kind == GX_V_INT || c->kind == GX_V_RUNE) {
		int64_t i;
		uint64_t u;
		if (is_float(k)) {
			double f = gx_value_to_int64(c, &i) ? (double)i : 0;
			return make_scalar(cx, n, type, 0, 0, f, out);
		}
		if (k == GDW_K_PTR || k == GDW_K_UNSAFEPTR)
			k = GDW_K_UINT64; /* an address */
		if (!is_int(k))
			return fail(cx, n, "cannot use an integer as %s", ti->name);
		unsigned bits = (unsigned)(ti->size * 8);
		if (is_signed(k)) {
			if (!gx_value_to_int64(c, &i) ||
			    (bits < 64 && (i < -(INT64_C(1) << (bits - 1)) ||
					   i >= (INT64_C(1) << (bits - 1)))))
				return fail(cx, n, "constant overflows %s", ti->name);
			return make_scalar(cx, n, type, i, 0, 0, out);
		}
		if (!gx_value_to_uint64(c, &u) || (bits < 64 && u >> bits))
			return fail(cx, n, "constant overflows %s", ti->name);
		return make_scalar(cx, n, type, 0, u, 0, out);
	}
	if (c->kind == GX_V_FLOAT) {
		if (is_float(k))
			return make_scalar(cx, n, type, 0, 0, c->f, out);
		if (is_int(k) && c->f == floor(c->f))
			return make_scalar(cx, n, type, (int64_t)c->f, (uint64_t)c->f, 0, out);
		return fail(cx, n, "constant truncated to %s", ti->name);
	}
	return fail(cx, n, "cannot use this constant as %s", ti->name);
}

/* Reads a string value into host memory (bounded). */
static int host_string(ctx *c, const gx_node *n, const ev *x, char **s,
		       size_t *len)
{
	if (x->is_const) {
		if (x->c.kind != GX_V_STRING)
			return fail(c, n, "%s", "not a string");
		*s = malloc(x->c.len + 1);
		if (!*s)
			return -1;
		memcpy(*s, x->c.s, x->c.len);
		*len = x->c.len;
		return 0;
	}
	if (grt_value_kind(c->t, &x->v) != GDW_K_STRING)
		return fail(c, n, "%s is not a string", grt_value_type_name(c->t, &x->v));
	uint64_t h[2];
	if (grt_value_read(c->t, &x->v, 0, h, 16, c->err) < 0)
		return -1;
	if (h[1] > (1u << 24))
		return fail(c, n, "%s", "string too long to compare");
	*s = malloc(h[1] + 1);
	if (!*s)
		return -1;
	if (h[1] && core_read(c->t->proc, h[0], *s, h[1], c->err) < 0) {
		free(*s);
		return -1;
	}
	*len = h[1];
	return 0;
}

static int is_nilable(gdw_kind k)
{
	return k == GDW_K_PTR || k == GDW_K_UNSAFEPTR || k == GDW_K_MAP ||
	       k == GDW_K_CHAN || k == GDW_K_FUNC || k == GDW_K_SLICE ||
	       k == GDW_K_INTERFACE;
}

static int nil_compare(ctx *c, const gx_node *n, const ev *x, ev *out)
{
	gdw_kind k = grt_value_kind(c->t, &x->v);
	if (!is_nilable(k))
		return fail(c, n, "cannot compare %s to nil",
			    grt_value_type_name(c->t, &x->v));
	uint64_t w = 0;
	if (grt_value_read(c->t, &x->v, 0, &w, 8, c->err) < 0)
		return -1;
	int isnil = w == 0;
	return make_bool(c, n, n->op == GX_T_EQL ? isnil : !isnil, out);
}

static int cmp_result(gx_tok op, int cmp)
{
	switch (op) {
	case GX_T_EQL: return cmp == 0;
	case GX_T_NEQ: return cmp != 0;
	case GX_T_LSS: return cmp < 0;
	case GX_T_LEQ: return cmp <= 0;
	case GX_T_GTR: return cmp > 0;
	default: return cmp >= 0;
	}
}

static int is_cmp(gx_tok op)
{
	return op == GX_T_EQL || op == GX_T_NEQ || op == GX_T_LSS ||
	       op == GX_T_LEQ || op == GX_T_GTR || op == GX_T_GEQ;
}

static int concat(ctx *c, const gx_node *n, const ev *a, const ev *b,
		  ev *out);

static int eval_binary(ctx *c, const gx_node *n, ev *out)
{
	if (n->op == GX_T_LAND || n->op == GX_T_LOR) {
		bool l;
		ev a = {0};
		if (eval(c, n->x, &a) < 0)
			return -1;
		num na;
		int r = to_num(c, n->x, &a, &na);
		ev_free(&a);
		if (r < 0 || na.k != GDW_K_BOOL)
			return r < 0 ? -1 : fail(c, n->x, "%s", "operand is not a bool");
		l = na.u != 0;
		if ((n->op == GX_T_LAND && !l) || (n->op == GX_T_LOR && l))
			return make_bool(c, n, l, out);
		ev b = {0};
		if (eval(c, n->y, &b) < 0)
			return -1;
		num nb;
		r = to_num(c, n->y, &b, &nb);
		ev_free(&b);
		if (r < 0 || nb.k != GDW_K_BOOL)
			return r < 0 ? -1 : fail(c, n->y, "%s", "operand is not a bool");
		return make_bool(c, n, nb.u != 0, out);
	}
	ev a = {0}, b = {0};
	if (eval(c, n->x, &a) < 0)
		return -1;
	if (eval(c, n->y, &b) < 0) {
		ev_free(&a);
		return -1;
	}
	int r = -1;
	/* nil comparisons */
	if ((a.is_const && a.c.kind == GX_V_NIL) || (b.is_const && b.c.kind == GX_V_NIL)) {
		if (a.is_const && b.is_const)
			r = fail(c, n, "%s", "invalid operation: nil == nil");
		else if (n->op != GX_T_EQL && n->op != GX_T_NEQ)
			r = fail(c, n, "%s", "nil can only be compared with == or !=");
		else
			r = nil_compare(c, n, a.is_const ? &b : &a, out);
		goto done;
	}
	/* strings */
	int astr = a.is_const ? a.c.kind == GX_V_STRING : grt_value_kind(c->t, &a.v) == GDW_K_STRING;
	int bstr = b.is_const ? b.c.kind == GX_V_STRING : grt_value_kind(c->t, &b.v) == GDW_K_STRING;
	if (astr || bstr) {
		if (!(astr && bstr)) {
			r = gx_errorf(c->e, n->oppos, c->err,
				      "invalid operation: mismatched types");
			goto done;
		}
		if (n->op == GX_T_ADD) {
			r = concat(c, n, &a, &b, out);
			goto done;
		}
		if (!is_cmp(n->op)) {
			r = gx_errorf(c->e, n->oppos, c->err,
				      "operator %s not supported on strings here",
				      gx_tok_str(n->op));
			goto done;
		}
		char *sa = NULL, *sb = NULL;
		size_t la = 0, lb = 0;
		if (host_string(c, n->x, &a, &sa, &la) == 0 &&
		    host_string(c, n->y, &b, &sb, &lb) == 0) {
			size_t m = la < lb ? la : lb;
			int cmp = memcmp(sa, sb, m);
			if (!cmp)
				cmp = la < lb ? -1 : la > lb;
			r = make_bool(c, n, cmp_result(n->op, cmp), out);
		}
		free(sa);
		free(sb);
		goto done;
	}
	/* numbers: Go's rule: typed operands must have identical types; a
	 * constant takes the other operand's type */
	if (!a.is_const && !b.is_const && a.v.type != b.v.type) {
		char *ta = strdup(grt_value_type_name(c->t, &a.v));
		gx_errorf(c->e, n->oppos, c->err,
			  "invalid operation: mismatched types %s and %s",
			  ta ? ta : "?", grt_value_type_name(c->t, &b.v));
		free(ta);
		goto done;
	}
	gdw_tref type = a.is_const ? b.v.type : a.v.type;
	/* the constant operand must be representable in the other's type */
	if (a.is_const != b.is_const && !is_cmp(n->op) &&
	    (a.is_const ? a.c.kind : b.c.kind) != GX_V_FLOAT) {
		grt_value tmp = {0};
		int ok = const_to(c, a.is_const ? n->x : n->y,
				  a.is_const ? &a.c : &b.c, type, &tmp);
		grt_value_free(&tmp);
		if (ok < 0)
			goto done;
	}
	num x, y;
	if (to_num(c, n->x, &a, &x) < 0 || to_num(c, n->y, &b, &y) < 0)
		goto done;
	gdw_kind k = type ? (tinfo(c, type) ? tinfo(c, type)->kind : GDW_K_INVALID)
			  : (x.k == GDW_K_FLOAT64 || y.k == GDW_K_FLOAT64 ? GDW_K_FLOAT64 : GDW_K_INT64);
	if (k == GDW_K_BOOL) {
		if (n->op != GX_T_EQL && n->op != GX_T_NEQ) {
			r = gx_errorf(c->e, n->oppos, c->err,
				      "operator %s not defined on bool", gx_tok_str(n->op));
			goto done;
		}
		r = make_bool(c, n, cmp_result(n->op, (x.u != 0) - (y.u != 0)), out);
		goto done;
	}
	if (type && a.is_const && is_int(k) && a.c.kind == GX_V_FLOAT && x.f != floor(x.f)) {
		r = fail(c, n->x, "%s", "constant truncated to integer");
		goto done;
	}
	if (type && b.is_const && is_int(k) && b.c.kind == GX_V_FLOAT && y.f != floor(y.f)) {
		r = fail(c, n->y, "%s", "constant truncated to integer");
		goto done;
	}
	if (is_cmp(n->op)) {
		int cmp;
		if (is_float(k))
			cmp = x.f < y.f ? -1 : x.f > y.f;
		else if (is_signed(k) || (!type && x.k != GDW_K_UINT64))
			cmp = x.i < y.i ? -1 : x.i > y.i;
		else
			cmp = x.u < y.u ? -1 : x.u > y.u;
		r = make_bool(c, n, cmp_result(n->op, cmp), out);
		goto done;
	}
	if (!type) {
		r = fail(c, n, "%s", "constant expression (should have been folded)");
		goto done;
	}
	int64_t ri = 0;
	uint64_t ru = 0;
	double rf = 0;
	if (is_float(k)) {
		switch (n->op) {
		case GX_T_ADD: rf = x.f + y.f; break;
		case GX_T_SUB: rf = x.f - y.f; break;
		case GX_T_MUL: rf = x.f * y.f; break;
		case GX_T_QUO: rf = x.f / y.f; break;
		default:
			r = gx_errorf(c->e, n->oppos, c->err,
				      "operator %s not defined on floats", gx_tok_str(n->op));
			goto done;
		}
	} else {
		if ((n->op == GX_T_QUO || n->op == GX_T_REM) && y.u == 0) {
			r = gx_errorf(c->e, n->oppos, c->err, "integer divide by zero");
			goto done;
		}
		int sg = is_signed(k);
		switch (n->op) {
		case GX_T_ADD: ru = x.u + y.u; break;
		case GX_T_SUB: ru = x.u - y.u; break;
		case GX_T_MUL: ru = x.u * y.u; break;
		case GX_T_QUO: ru = sg ? (uint64_t)(x.i / y.i) : x.u / y.u; break;
		case GX_T_REM: ru = sg ? (uint64_t)(x.i % y.i) : x.u % y.u; break;
		case GX_T_AND: ru = x.u & y.u; break;
		case GX_T_OR: ru = x.u | y.u; break;
		case GX_T_XOR: ru = x.u ^ y.u; break;
		case GX_T_AND_NOT: ru = x.u & ~y.u; break;
		case GX_T_SHL: ru = y.u >= 64 ? 0 : x.u << y.u; break;
		case GX_T_SHR: ru = y.u >= 64 ? (sg && x.i < 0 ? ~0ull : 0)
					     : sg ? (uint64_t)(x.i >> y.u) : x.u >> y.u; break;
		default:
			r = gx_errorf(c->e, n->oppos, c->err, "operator %s not supported",
				      gx_tok_str(n->op));
			goto done;
		}
		/* wrap to the type's width, like Go */
		const gdw_tinfo *ti = tinfo(c, type);
		unsigned bits = ti ? (unsigned)ti->size * 8 : 64;
		if (bits < 64) {
			ru &= (1ull << bits) - 1;
			if (sg && (ru >> (bits - 1)))
				ru |= ~((1ull << bits) - 1);
		}
		ri = (int64_t)ru;
	}
	r = make_scalar(c, n, type, ri, ru, rf, &out->v);
done:
	ev_free(&a);
	ev_free(&b);
	return r;
}

/* ---- unary ---- */
static int eval_unary(ctx *c, const gx_node *n, ev *out)
{
	ev x = {0};
	if (n->op == GX_T_AND) {
		if (eval(c, n->x, &x) < 0)
			return -1;
		if (x.is_const || !x.v.has_addr) {
			ev_free(&x);
			return fail(c, n, "%s", "cannot take the address of this value");
		}
		const gdw_tinfo *ti = tinfo(c, x.v.type);
		size_t len = strlen(ti ? ti->name : "") + 2;
		char *pn = malloc(len);
		gdw_tref pt;
		int r = -1;
		if (pn) {
			snprintf(pn, len, "*%s", ti ? ti->name : "");
			if (type_named(c, n, pn, &pt) == 0)
				r = grt_value_of_bytes(&out->v, pt, &x.v.addr, 8);
			free(pn);
		}
		ev_free(&x);
		return r;
	}
	if (eval(c, n->x, &x) < 0)
		return -1;
	if (n->op == GX_T_MUL) {
		if (x.is_const) {
			ev_free(&x);
			return fail(c, n, "%s", "invalid indirect of a constant");
		}
		gdw_kind k = grt_value_kind(c->t, &x.v);
		if (k != GDW_K_PTR) {
			char *tn = strdup(grt_value_type_name(c->t, &x.v));
			gx_errorf(c->e, n->pos, c->err, "invalid indirect of %s (type %s)",
				  n->x->name ? n->x->name : "value", tn ? tn : "?");
			free(tn);
			ev_free(&x);
			return -1;
		}
		/* The reason ("nil pointer dereference", or why the pointer
		 * cannot be read) is told at the operator. */
		gd_err e = GD_ERR_INIT;
		int r = grt__deref(c->t, &x.v, &out->v, &e);
		ev_free(&x);
		if (r < 0) {
			r = fail(c, n, "%s", gd_err_msg(&e));
			gd_err_clear(&e);
		}
		return r;
	}
	num v;
	if (to_num(c, n->x, &x, &v) < 0) {
		ev_free(&x);
		return -1;
	}
	gdw_tref type = x.v.type;
	ev_free(&x);
	if (n->op == GX_T_NOT) {
		if (v.k != GDW_K_BOOL)
			return fail(c, n, "%s", "operator ! not defined on a number");
		return make_bool(c, n, !v.u, out);
	}
	if (v.k == GDW_K_BOOL)
		return fail(c, n, "operator %s not defined on bool", gx_tok_str(n->op));
	switch (n->op) {
	case GX_T_ADD:
		return make_scalar(c, n, type, v.i, v.u, v.f, &out->v);
	case GX_T_SUB:
		return make_scalar(c, n, type, -v.i, (uint64_t)-(int64_t)v.u, -v.f, &out->v);
	case GX_T_XOR:
		if (is_float(v.k))
			return fail(c, n, "%s", "operator ^ not defined on floats");
		return make_scalar(c, n, type, ~v.i, ~v.u, 0, &out->v);
	default:
		return fail(c, n, "operator %s not supported", gx_tok_str(n->op));
	}
}

/* ---- index / slice ---- */
static int index_value(ctx *c, const gx_node *n, ev *idx, uint64_t len,
		       uint64_t *out)
{
	num v;
	if (to_num(c, n, idx, &v) < 0)
		return -1;
	if (!is_int(v.k) && !(idx->is_const && v.k == GDW_K_INT64))
		return fail(c, n, "%s", "index must be an integer");
	if (is_signed(v.k) && v.i < 0)
		return fail(c, n, "invalid index %s (index must be non-negative)", "");
	if (v.u >= len)
		return gx_errorf(c->e, n->pos, c->err,
				 "index out of range [%" PRIu64 "] with length %" PRIu64,
				 v.u, len);
	*out = v.u;
	return 0;
}

typedef struct mapfind {
	ctx *c;
	const ev *key;
	grt_value *out;
	int found;
} mapfind;

static int key_equal(ctx *c, const grt_value *k, const ev *key)
{
	gdw_kind kk = grt_value_kind(c->t, k);
	if (kk == GDW_K_STRING) {
		ev tmp = {0};
		tmp.v = *k;
		char *a = NULL, *b = NULL;
		size_t la, lb;
		int eq = 0;
		if (host_string(c, NULL, &tmp, &a, &la) == 0 &&
		    host_string(c, NULL, key, &b, &lb) == 0)
			eq = la == lb && memcmp(a, b, la) == 0;
		free(a);
		free(b);
		return eq;
	}
	num x, y;
	ev tmp = {0};
	tmp.v = *k;
	if (to_num(c, NULL, &tmp, &x) < 0 || to_num(c, NULL, key, &y) < 0)
		return 0;
	if (is_float(kk))
		return x.f == y.f;
	return x.u == y.u;
}

static int find_entry(void *vctx, uint64_t i, const grt_value *k,
		      const grt_value *v)
{
	(void)i;
	mapfind *m = vctx;
	if (m->found || !key_equal(m->c, k, m->key))
		return 0;
	m->found = 1;
	return grt_value_copy(m->out, v);
}

static int eval_index(ctx *c, const gx_node *n, ev *out)
{
	ev x = {0}, y = {0};
	if (eval(c, n->x, &x) < 0)
		return -1;
	if (eval(c, n->y, &y) < 0) {
		ev_free(&x);
		return -1;
	}
	int r = -1;
	if (x.is_const) {
		r = fail(c, n, "%s", "cannot index a constant");
		goto done;
	}
	grt_value *v = &x.v;
	if (grt_value_kind(c->t, v) == GDW_K_PTR) {
		grt_value d;
		/* best effort: a pointer that cannot be followed is indexed
		 * as it is (and refused there). */
		if (grt__deref(c->t, v, &d, NULL) == 0 &&
		    grt_value_kind(c->t, &d) == GDW_K_ARRAY) {
			grt_value_free(v);
			*v = d;
		}
	}
	const gdw_tinfo *ti = tinfo(c, v->type);
	if (!ti)
		goto done;
	uint64_t i;
	switch (ti->kind) {
	case GDW_K_ARRAY: {
		const gdw_tinfo *ei = tinfo(c, ti->elem);
		if (!ei || index_value(c, n->y, &y, (uint64_t)ti->count, &i) < 0)
			break;
		if (v->has_addr)
			out->v = grt_value_at(ti->elem, v->addr + i * ei->size);
		else
			grt_value_of_bytes(&out->v, ti->elem, v->bytes + i * ei->size, ei->size);
		r = 0;
		break;
	}
	case GDW_K_SLICE: case GDW_K_STRING: {
		uint64_t h[3] = {0};
		if (grt_value_read(c->t, v, 0, h, ti->kind == GDW_K_SLICE ? 24 : 16, c->err) < 0 ||
		    index_value(c, n->y, &y, h[1], &i) < 0)
			break;
		if (ti->kind == GDW_K_SLICE) {
			const gdw_tinfo *ei = tinfo(c, ti->elem);
			if (!ei)
				break;
			out->v = grt_value_at(ti->elem, h[0] + i * ei->size);
		} else {
			gdw_tref bt;
			if (type_named(c, n, "uint8", &bt) < 0)
				break;
			out->v = grt_value_at(bt, h[0] + i);
		}
		r = 0;
		break;
	}
	case GDW_K_MAP: {
		mapfind m = {c, &y, &out->v, 0};
		if (grt__map_iter(c->t, v, 0, 0, find_entry, &m, c->err) < 0)
			break;
		if (!m.found) {
			/* Go yields the zero value; Delve reports the miss. */
			r = gx_errorf(c->e, n->y->pos, c->err, "key not found");
			break;
		}
		r = 0;
		break;
	}
	default:
		r = gx_errorf(c->e, n->oppos, c->err, "cannot index %s",
			      ti->name);
	}
done:
	ev_free(&x);
	ev_free(&y);
	return r;
}

static int eval_slice(ctx *c, const gx_node *n, ev *out)
{
	ev x = {0};
	if (eval(c, n->x, &x) < 0)
		return -1;
	int r = -1;
	const gdw_tinfo *ti = x.is_const ? NULL : tinfo(c, x.v.type);
	uint64_t h[3] = {0};
	gdw_tref rtype = 0;
	if (!ti) {
		r = fail(c, n, "%s", "cannot slice this value");
		goto done;
	}
	if (ti->kind == GDW_K_SLICE || ti->kind == GDW_K_STRING) {
		if (grt_value_read(c->t, &x.v, 0, h, ti->kind == GDW_K_SLICE ? 24 : 16, c->err) < 0)
			goto done;
		if (ti->kind == GDW_K_STRING)
			h[2] = h[1];
		rtype = x.v.type;
	} else if (ti->kind == GDW_K_ARRAY && x.v.has_addr) {
		const gdw_tinfo *ei = tinfo(c, ti->elem);
		size_t len = strlen(ei ? ei->name : "") + 3;
		char *sn = malloc(len);
		if (!sn)
			goto done;
		snprintf(sn, len, "[]%s", ei ? ei->name : "");
		int ok = type_named(c, n, sn, &rtype) == 0;
		free(sn);
		if (!ok)
			goto done;
		h[0] = x.v.addr;
		h[1] = h[2] = (uint64_t)ti->count;
	} else {
		r = fail(c, n, "cannot slice %s", ti->name);
		goto done;
	}
	uint64_t lo = 0, hi = h[1], mx = h[2];
	const gx_node *parts[3] = {n->lo, n->hi, n->max};
	uint64_t *dst[3] = {&lo, &hi, &mx};
	for (int k = 0; k < 3; k++) {
		if (!parts[k])
			continue;
		ev e = {0};
		num v;
		if (eval(c, parts[k], &e) < 0)
			goto done;
		int rr = to_num(c, parts[k], &e, &v);
		ev_free(&e);
		if (rr < 0)
			goto done;
		*dst[k] = v.u;
	}
	if (lo > hi || hi > mx || mx > h[2]) {
		r = gx_errorf(c->e, n->oppos, c->err,
			      "slice bounds out of range [%" PRIu64 ":%" PRIu64 "] with capacity %" PRIu64,
			      lo, hi, h[2]);
		goto done;
	}
	uint64_t esize = 1;
	const gdw_tinfo *rti = tinfo(c, rtype);
	if (rti && rti->kind == GDW_K_SLICE) {
		const gdw_tinfo *ei = tinfo(c, rti->elem);
		esize = ei ? ei->size : 1;
	}
	uint64_t nh[3] = {h[0] + lo * esize, hi - lo, mx - lo};
	r = grt_value_of_bytes(&out->v, rtype, nh, rti && rti->kind == GDW_K_STRING ? 16 : 24);
done:
	ev_free(&x);
	return r;
}


/* ---- function calls (grt_call.h) ---- */

static int calls_allowed(ctx *c, const gx_node *n)
{
	if (c->s->calls)
		return 0;
	return fail(c, n, "%s", c->s->nocalls ? c->s->nocalls :
		    GRT_NOCALLS_DEFAULT);
}

/* The runtime type descriptor address of a DWARF type. */
static int rtype_of(ctx *c, const gx_node *n, gdw_tref type, uint64_t *out)
{
	const gdw_tinfo *ti = tinfo(c, type);
	uint64_t base;
	if (!ti || !ti->rtype)
		return fail(c, n, "type %s has no runtime type descriptor in the "
			    "program", ti ? ti->name : "?");
	if (grt__types_base(c->t, &base, c->err) < 0)
		return -1;
	*out = base + ti->rtype;
	return 0;
}

/* The default type of an untyped constant ("int", "string"...). */
static int const_default_type(ctx *c, const gx_node *n, const gx_value *v,
			      gdw_tref *out)
{
	const char *dt = NULL;
	switch (v->kind) {
	case GX_V_BOOL: dt = "bool"; break;
	case GX_V_INT: dt = "int"; break;
	case GX_V_RUNE: dt = "int32"; break;
	case GX_V_FLOAT: dt = "float64"; break;
	case GX_V_STRING: dt = "string"; break;
	default: break;
	}
	if (!dt)
		return fail(c, n, "%s", "this constant has no default type");
	return type_named(c, n, dt, out);
}

/* An untyped or typed value as a value of type `type` in the program
 * (Go's assignability, plus the conversion to an interface the compiler
 * would make).  Strings and boxed values are put in the program's heap. */
static int convert_to(ctx *c, const gx_node *n, ev *x, gdw_tref type,
		      grt_value *out)
{
	const gdw_tinfo *ti = tinfo(c, type);
	if (!ti)
		return fail(c, n, "%s", "unknown type");
	memset(out, 0, sizeof(*out));
	if (ti->kind == GDW_K_INTERFACE) {
		grt_value inner = {0};
		if (x->is_const) {
			if (x->c.kind == GX_V_NIL) {
				uint64_t z[2] = {0, 0};
				return grt_value_of_bytes(out, type, z, 16) < 0 ?
					gd_err_set(c->err, "out of memory") : 0;
			}
			gdw_tref dt;
			if (const_default_type(c, n, &x->c, &dt) < 0 ||
			    convert_to(c, n, x, dt, &inner) < 0)
				return -1;
		} else {
			const gdw_tinfo *xi = tinfo(c, x->v.type);
			if (xi && xi->kind == GDW_K_INTERFACE) {
				if (x->v.type == type || strcmp(xi->name, ti->name) == 0)
					return grt_value_copy(out, &x->v) < 0 ?
						gd_err_set(c->err, "out of memory") : 0;
				/* interface to interface: box the dynamic
				 * value */
				int is_nil = 0;
				if (grt__iface_data(c->t, &x->v, &inner, &is_nil, c->err) < 0)
					return -1;
				if (is_nil) {
					uint64_t z[2] = {0, 0};
					return grt_value_of_bytes(out, type, z, 16) < 0 ?
						gd_err_set(c->err, "out of memory") : 0;
				}
			} else if (grt_value_copy(&inner, &x->v) < 0) {
				return gd_err_set(c->err, "out of memory");
			}
		}
		/* box inner: type word, data word */
		uint64_t rt, w[2];
		int direct = 0, r = -1;
		const gdw_tinfo *ii = tinfo(c, inner.type);
		uint8_t *b = NULL;
		if (!ii || rtype_of(c, n, inner.type, &rt) < 0 ||
		    grt__direct_iface(c->t, rt, &direct, c->err) < 0)
			goto box_out;
		b = calloc(1, ii->size + 8);
		if (!b) {
			gd_err_set(c->err, "out of memory");
			goto box_out;
		}
		if (grt_value_read(c->t, &inner, 0, b, ii->size, c->err) < 0)
			goto box_out;
		if (direct) {
			memcpy(&w[1], b, 8);
		} else if (ii->size == 0) {
			uint64_t zb;
			if (grt_sym(c->t, "runtime.zerobase", &zb) < 0)
				zb = 0;
			w[1] = zb;
		} else {
			if (grt_call_alloc(c->s, ii->size, rt, &w[1], c->err) < 0 ||
			    grt_call_store(c->s, w[1], rt, b, ii->size, c->err) < 0)
				goto box_out;
		}
		if (ti->is_iface_empty) {
			w[0] = rt;
		} else {
			/* non-empty interface: the itab, from the runtime */
			uint64_t it;
			grt_callee gi;
			grt_sig sig;
			if (rtype_of(c, n, type, &it) < 0 ||
			    grt_callee_by_name(c->t, "runtime.getitab", &gi, c->err) < 0)
				goto box_out;
			if (grt_callee_sig(c->t, &gi, &sig, c->err) < 0)
				goto box_out;
			grt_value a[3] = {{0}};
			uint64_t words[3] = {it, rt, 1};
			int ok = sig.nparams == 3;
			for (int i = 0; ok && i < 3; i++) {
				const gdw_tinfo *pi = tinfo(c, sig.params[i]);
				ok = pi && grt_value_of_bytes(&a[i], sig.params[i], &words[i],
							      pi->size > 8 ? 8 : pi->size) == 0;
			}
			grt_call_val *res = NULL;
			size_t nres = 0;
			int rr = ok ? grt_call(c->s, &gi, a, 3, &res, &nres, NULL, c->err) :
				gd_err_set(c->err, "runtime.getitab has an unexpected signature");
			for (int i = 0; i < 3; i++)
				grt_value_free(&a[i]);
			grt_sig_free(&sig);
			w[0] = 0;
			if (rr == 0 && nres)
				rr = grt_value_read(c->t, &res[0].v, 0, &w[0], 8, c->err);
			grt_call_vals_free(res, nres);
			if (rr < 0)
				goto box_out;
			if (!w[0]) {
				fail(c, n, "%s does not implement the interface", ii->name);
				goto box_out;
			}
		}
		if (grt_value_of_bytes(out, type, w, 16) < 0) {
			gd_err_set(c->err, "out of memory");
			goto box_out;
		}
		r = 0;
box_out:
		free(b);
		grt_value_free(&inner);
		return r;
	}
	if (x->is_const) {
		if (x->c.kind == GX_V_STRING) {
			if (ti->kind != GDW_K_STRING)
				return fail(c, n, "cannot use a string as %s", ti->name);
			uint64_t h[2] = {0, x->c.len};
			if (grt_call_string(c->s, x->c.s, x->c.len, &h[0], c->err) < 0)
				return -1;
			return grt_value_of_bytes(out, type, h, 16) < 0 ?
				gd_err_set(c->err, "out of memory") : 0;
		}
		return const_to(c, n, &x->c, type, out);
	}
	const gdw_tinfo *xi = tinfo(c, x->v.type);
	if (!xi)
		return fail(c, n, "%s", "unknown type");
	if (x->v.type != type && strcmp(xi->name, ti->name) != 0)
		return gx_errorf(c->e, n->pos, c->err,
				 "cannot use a value of type %s as %s", xi->name,
				 ti->name);
	return grt_value_copy(out, &x->v) < 0 ? gd_err_set(c->err, "out of memory") : 0;
}

/* The callee of call node n and its receiver (a method's first
 * argument), or -1. */
static int find_method(ctx *c, const gx_node *n, const grt_value *v,
		       const char *meth, grt_callee *out, grt_value *recv)
{
	grt_target *t = c->t;
	const gdw_tinfo *ti = tinfo(c, v->type);
	if (!ti)
		return fail(c, n, "%s", "unknown type");
	char *base = NULL;
	int is_ptr = ti->kind == GDW_K_PTR;
	const char *tn = ti->name;
	if (is_ptr && tn[0] == '*')
		tn++;
	const char *dot = strrchr(tn, '.');
	/* main.T.M / main.(*T).M; generic types are not handled */
	if (!dot || strchr(tn, '['))
		return fail(c, n, "%s has no methods godap can call", ti->name);
	size_t plen = (size_t)(dot - tn);
	if (asprintf(&base, "%.*s.%s.%s", (int)plen, tn, dot + 1, meth) < 0)
		return gd_err_set(c->err, "out of memory");
	char *pname = NULL;
	if (asprintf(&pname, "%.*s.(*%s).%s", (int)plen, tn, dot + 1, meth) < 0) {
		free(base);
		return gd_err_set(c->err, "out of memory");
	}
	gd_err e = GD_ERR_INIT;
	int r = -1;
	if (grt_callee_by_name(t, base, out, &e) == 0) {
		/* value receiver: the value itself (through a pointer: *p) */
		if (is_ptr)
			r = grt__deref(t, v, recv, c->err) < 0 ?
				fail(c, n, "%s", "nil pointer dereference") : 0;
		else
			r = grt_value_copy(recv, v) < 0 ? gd_err_set(c->err, "out of memory") : 0;
	} else if (gd_err_clear(&e), grt_callee_by_name(t, pname, out, &e) == 0) {
		/* pointer receiver: the pointer, or &v when v is addressable */
		if (is_ptr) {
			r = grt_value_copy(recv, v) < 0 ? gd_err_set(c->err, "out of memory") : 0;
		} else if (!v->has_addr) {
			r = gx_errorf(c->e, n->pos, c->err,
				      "cannot call pointer method %s on %s: the "
				      "value is not addressable", meth, ti->name);
		} else {
			char *ptn = NULL;
			gdw_tref pt;
			if (asprintf(&ptn, "*%s", ti->name) < 0) {
				r = gd_err_set(c->err, "out of memory");
			} else if (type_named(c, n, ptn, &pt) < 0) {
				r = -1;
			} else {
				uint64_t a = v->addr;
				r = grt_value_of_bytes(recv, pt, &a, 8) < 0 ?
					gd_err_set(c->err, "out of memory") : 0;
			}
			free(ptn);
		}
	} else {
		r = fail(c, n, "%s is not in the binary (inlined or unused)", base);
	}
	gd_err_clear(&e);
	free(base);
	free(pname);
	return r;
}

/* A method of a non-empty interface value, as the compiled code calls it:
 * the function in the itab's method table, with the data word as its
 * receiver.  0 found, 1 not in the table, -1 error. */
static int itab_method(ctx *c, const grt_value *iv, const char *meth,
		       grt_callee *out, grt_value *recv)
{
	grt_target *t = c->t;
	uint64_t w[2], fun_off, inter_off, meths_off, inter, nmeth;
	if (grt_value_read(t, iv, 0, w, 16, c->err) < 0)
		return -1;
	const char *itab = "internal/abi.ITab";
	/* best effort: a runtime with neither itab layout: no method found
	 * (1), the caller says so. */
	if (gdw_member_offset(t->dw, itab, "Fun", &fun_off, NULL) < 0 ||
	    gdw_member_offset(t->dw, itab, "Inter", &inter_off, NULL) < 0) {
		itab = "runtime.itab"; /* Go 1.22 */
		/* best effort: as above. */
		if (gdw_member_offset(t->dw, itab, "fun", &fun_off, NULL) < 0 ||
		    gdw_member_offset(t->dw, itab, "inter", &inter_off, NULL) < 0)
			return 1;
	}
	if (gdw_member_offset(t->dw, "internal/abi.InterfaceType", "Methods",
			      &meths_off, NULL) < 0 ||
	    grt__read_u64(t, w[0] + inter_off, &inter, c->err) < 0 ||
	    grt__read_u64(t, inter + meths_off + 8, &nmeth, c->err) < 0)
		return -1;
	if (nmeth > 4096)
		return 1;
	size_t ml = strlen(meth);
	for (uint64_t i = 0; i < nmeth; i++) {
		uint64_t pc;
		gdw_func fn;
		if (grt__read_u64(t, w[0] + fun_off + 8 * i, &pc, c->err) < 0)
			return -1;
		if (!pc || gdw_func_at(t->dw, pc - t->bias, &fn) < 0 ||
		    fn.lowpc + t->bias != pc)
			continue;
		size_t nl = strlen(fn.name);
		if (nl <= ml + 1 || fn.name[nl - ml - 1] != '.' ||
		    strcmp(fn.name + nl - ml, meth) != 0)
			continue;
		grt_sig sig;
		memset(out, 0, sizeof(*out));
		out->entry = pc;
		out->die = fn.die_offset;
		out->name = fn.name;
		if (grt_callee_sig(t, out, &sig, c->err) < 0)
			return -1;
		int r = 0;
		if (sig.nparams == 0)
			r = gd_err_set(c->err, "%s has no receiver", fn.name);
		else if (grt_value_of_bytes(recv, sig.params[0], &w[1], 8) < 0)
			r = gd_err_set(c->err, "out of memory");
		grt_sig_free(&sig);
		return r;
	}
	return 1;
}

static int resolve_callee(ctx *c, const gx_node *n, grt_callee *out,
			  grt_value *recv, int *has_recv)
{
	const gx_node *f = n->x;
	grt_target *t = c->t;
	*has_recv = 0;
	memset(recv, 0, sizeof(*recv));
	if (f->kind == GX_N_IDENT) {
		grt_value fv;
		gd_err e = GD_ERR_INIT;
		if (grt_scope_lookup(c->s, f->name, &fv, &e) == 0) {
			gd_err_clear(&e);
			int r;
			uint64_t p = 0;
			if (grt_value_kind(t, &fv) != GDW_K_FUNC)
				r = fail(c, f, "invalid operation: cannot call non-function %s",
					 f->name);
			else if (grt_value_read(t, &fv, 0, &p, 8, c->err) < 0)
				r = -1;
			else
				r = grt_callee_of_funcval(t, p, out, c->err);
			grt_value_free(&fv);
			return r;
		}
		gd_err_clear(&e);
		char *pkg = grt_scope_package(c->s);
		char *full = NULL;
		if (asprintf(&full, "%s.%s", pkg ? pkg : "main", f->name) < 0) {
			free(pkg);
			return gd_err_set(c->err, "out of memory");
		}
		free(pkg);
		int r = grt_callee_by_name(t, full, out, c->err);
		free(full);
		return r;
	}
	if (f->kind != GX_N_SELECTOR)
		return fail(c, f, "%s", "cannot call this expression");
	const gx_node *x = f->x;
	if (x->kind == GX_N_PKGPATH || x->kind == GX_N_IDENT) {
		/* pkg.F, unless x is a variable */
		grt_value tmp;
		gd_err e = GD_ERR_INIT;
		int is_var = x->kind == GX_N_IDENT &&
			     grt_scope_lookup(c->s, x->name, &tmp, &e) == 0;
		gd_err_clear(&e);
		if (is_var)
			grt_value_free(&tmp);
		if (!is_var) {
			char *full = NULL;
			if (asprintf(&full, "%s.%s", x->name, f->name) < 0)
				return gd_err_set(c->err, "out of memory");
			int r = grt_callee_by_name(t, full, out, c->err);
			free(full);
			return r;
		}
	}
	ev b = {0};
	if (eval(c, x, &b) < 0)
		return -1;
	if (b.is_const) {
		ev_free(&b);
		return fail(c, f, "%s", "a constant has no methods");
	}
	grt_value v = b.v;
	memset(&b.v, 0, sizeof(b.v));
	int r;
	const gdw_tinfo *ti = tinfo(c, v.type);
	grt_value fld = {0};
	int has_fld = 0;
	if (ti && ti->kind == GDW_K_STRUCT) {
		has_fld = field_of(c, &v, f->name, &fld, 0) == 0;
	} else if (ti && ti->kind == GDW_K_PTR) {
		const gdw_tinfo *ei = tinfo(c, ti->elem);
		grt_value dv;
		/* best effort: as in field_of: not reachable is not found. */
		if (ei && ei->kind == GDW_K_STRUCT && grt__deref(t, &v, &dv, NULL) == 0) {
			has_fld = field_of(c, &dv, f->name, &fld, 0) == 0;
			grt_value_free(&dv);
		}
	}
	gd_err_clear(c->err);
	if (has_fld && grt_value_kind(t, &fld) != GDW_K_FUNC) {
		grt_value_free(&fld);
		grt_value_free(&v);
		return gx_errorf(c->e, f->pos, c->err,
				 "invalid operation: cannot call non-function %s",
				 f->name);
	}
	if (ti && ti->kind == GDW_K_INTERFACE) {
		grt_value d = {0};
		int is_nil = 0;
		if (grt__iface_data(t, &v, &d, &is_nil, c->err) < 0) {
			r = -1;
		} else if (is_nil) {
			r = gx_errorf(c->e, f->oppos, c->err,
				      "nil interface: cannot call %s", f->name);
		} else if (!ti->is_iface_empty &&
			   (r = itab_method(c, &v, f->name, out, recv)) <= 0) {
			/* dispatched through the itab (or failed there) */
			r = r < 0 ? -1 : 0;
		} else {
			/* interface{}: the dynamic type's method */
			gd_err_clear(c->err);
			r = find_method(c, f, &d, f->name, out, recv);
		}
		grt_value_free(&d);
	} else if (has_fld) {
		/* a func-typed field: call the func value */
		uint64_t p = 0;
		r = grt_value_read(t, &fld, 0, &p, 8, c->err) < 0 ? -1 :
			grt_callee_of_funcval(t, p, out, c->err);
		grt_value_free(&fld);
		grt_value_free(&v);
		return r;
	} else {
		grt_value_free(&fld);
		r = find_method(c, f, &v, f->name, out, recv);
	}
	grt_value_free(&v);
	if (r == 0)
		*has_recv = 1;
	return r;
}

/* Evaluates call n: every result. */
static int do_call(ctx *c, const gx_node *n, grt_call_val **res, size_t *nres)
{
	*res = NULL;
	*nres = 0;
	if (calls_allowed(c, n) < 0)
		return -1;
	grt_callee ce;
	grt_value recv;
	int has_recv = 0;
	if (resolve_callee(c, n, &ce, &recv, &has_recv) < 0)
		return -1;
	grt_sig sig;
	if (grt_callee_sig(c->t, &ce, &sig, c->err) < 0) {
		grt_value_free(&recv);
		return -1;
	}
	size_t np = sig.nparams, first = has_recv ? 1 : 0;
	grt_value *args = calloc(np + 1, sizeof(*args));
	ev *xs = calloc(n->nargs + 1, sizeof(*xs));
	int rc = -1, panicked = 0;
	size_t nuser = np - first; /* parameters the user writes */
	if (!args || !xs) {
		gd_err_set(c->err, "out of memory");
		goto out;
	}
	if (has_recv) {
		if (np == 0) {
			fail(c, n, "%s", "method without a receiver parameter");
			goto out;
		}
		args[0] = recv;
		memset(&recv, 0, sizeof(recv));
	}
	for (size_t i = 0; i < n->nargs; i++)
		if (eval(c, n->args[i], &xs[i]) < 0)
			goto out;
	/* variadic: the last parameter is a slice and the arguments do not
	 * already match it one to one */
	int variadic = 0;
	const gdw_tinfo *lt = nuser ? tinfo(c, sig.params[np - 1]) : NULL;
	if (lt && lt->kind == GDW_K_SLICE && !n->ellipsis) {
		if (n->nargs != nuser) {
			variadic = 1;
		} else {
			const ev *la = &xs[n->nargs - 1];
			const gdw_tinfo *ai = la->is_const ? NULL : tinfo(c, la->v.type);
			variadic = !(la->is_const && la->c.kind == GX_V_NIL) &&
				   !(ai && (la->v.type == sig.params[np - 1] ||
					    strcmp(ai->name, lt->name) == 0));
		}
	}
	size_t fixed = variadic ? nuser - 1 : nuser;
	if ((!variadic && n->nargs != nuser) || (variadic && n->nargs < fixed)) {
		gd_err_set(c->err, "%s takes %s%zu argument%s, not %zu", ce.name,
			   variadic ? "at least " : "", fixed, fixed == 1 ? "" : "s",
			   n->nargs);
		goto out;
	}
	for (size_t i = 0; i < fixed; i++)
		if (convert_to(c, n->args[i], &xs[i], sig.params[first + i],
			       &args[first + i]) < 0)
			goto out;
	if (variadic) {
		/* the extra arguments in a new slice in the program's heap */
		gdw_tref et = lt->elem;
		const gdw_tinfo *ei = tinfo(c, et);
		size_t k = n->nargs - fixed;
		uint64_t h[3] = {0, k, k};
		if (!ei) {
			fail(c, n, "%s", "unknown element type");
			goto out;
		}
		if (k) {
			uint64_t rt;
			if (rtype_of(c, n, et, &rt) < 0 ||
			    grt_call_alloc(c->s, ei->size * k, rt, &h[0], c->err) < 0)
				goto out;
			for (size_t i = 0; i < k; i++) {
				grt_value ev1 = {0};
				uint8_t *b = calloc(1, ei->size + 8);
				int r = !b ? gd_err_set(c->err, "out of memory") :
					convert_to(c, n->args[fixed + i], &xs[fixed + i], et, &ev1);
				if (r == 0)
					r = grt_value_read(c->t, &ev1, 0, b, ei->size, c->err);
				if (r == 0)
					r = grt_call_store(c->s, h[0] + i * ei->size, rt, b,
							   ei->size, c->err);
				free(b);
				grt_value_free(&ev1);
				if (r < 0)
					goto out;
			}
		}
		if (grt_value_of_bytes(&args[np - 1], sig.params[np - 1], h, 24) < 0) {
			gd_err_set(c->err, "out of memory");
			goto out;
		}
	}
	rc = grt_call(c->s, &ce, args, np, res, nres, &panicked, c->err);
out:
	grt_value_free(&recv);
	if (args)
		for (size_t i = 0; i < np; i++)
			grt_value_free(&args[i]);
	free(args);
	if (xs)
		for (size_t i = 0; i < n->nargs; i++)
			ev_free(&xs[i]);
	free(xs);
	grt_sig_free(&sig);
	return rc;
}

static int is_builtin_call(ctx *c, const gx_node *n)
{
	const gx_node *f = n->x;
	gdw_tref conv;
	if (f->kind != GX_N_IDENT)
		return 0;
	if (strcmp(f->name, "len") == 0 || strcmp(f->name, "cap") == 0) {
		grt_value tmp;
		gd_err e = GD_ERR_INIT;
		int shadow = grt_scope_lookup(c->s, f->name, &tmp, &e) == 0;
		gd_err_clear(&e);
		if (shadow)
			grt_value_free(&tmp);
		return !shadow;
	}
	/* best effort: a failure to read the type index: not a
	 * conversion; the call path reports what it finds. */
	return gdw_type_by_name(c->t->dw, f->name, &conv, NULL) == 0;
}

static int eval_func_call(ctx *c, const gx_node *n, ev *out)
{
	grt_call_val *res;
	size_t nres;
	if (do_call(c, n, &res, &nres) < 0)
		return -1;
	if (nres != 1) {
		grt_call_vals_free(res, nres);
		return fail(c, n, nres ? "multiple-value call in single-value context" :
			    "the call returns no value", "");
	}
	out->v = res[0].v;
	memset(&res[0].v, 0, sizeof(res[0].v));
	grt_call_vals_free(res, nres);
	return 0;
}

/* s + t: a new string in the program's heap (memory from the runtime's
 * allocator), of the typed operand's type. */
static int concat(ctx *c, const gx_node *n, const ev *a, const ev *b,
		  ev *out)
{
	if (calls_allowed(c, n) < 0)
		return -1;
	char *sa = NULL, *sb = NULL;
	size_t la = 0, lb = 0;
	int r = -1;
	gdw_tref st = !a->is_const ? a->v.type : b->v.type;
	if (!a->is_const && !b->is_const && a->v.type != b->v.type) {
		const gdw_tinfo *ai = tinfo(c, a->v.type), *bi = tinfo(c, b->v.type);
		if (!ai || !bi || strcmp(ai->name, bi->name) != 0)
			return gx_errorf(c->e, n->oppos, c->err,
					 "invalid operation: mismatched types %s and %s",
					 ai ? ai->name : "?", bi ? bi->name : "?");
	}
	if (host_string(c, n->x, a, &sa, &la) < 0 ||
	    host_string(c, n->y, b, &sb, &lb) < 0)
		goto out;
	char *cat = malloc(la + lb + 1);
	if (!cat) {
		gd_err_set(c->err, "out of memory");
		goto out;
	}
	memcpy(cat, sa, la);
	memcpy(cat + la, sb, lb);
	uint64_t h[2] = {0, la + lb};
	r = grt_call_string(c->s, cat, la + lb, &h[0], c->err);
	free(cat);
	if (r == 0 && grt_value_of_bytes(&out->v, st, h, 16) < 0)
		r = gd_err_set(c->err, "out of memory");
out:
	free(sa);
	free(sb);
	return r;
}

/* ---- calls: len, cap, conversions; functions ---- */
static int eval_call(ctx *c, const gx_node *n, ev *out)
{
	const gx_node *f = n->x;
	if (!is_builtin_call(c, n))
		return eval_func_call(c, n, out);
	if (n->nargs != 1)
		return fail(c, n, "%s expects one argument", f->name);
	ev a = {0};
	if (eval(c, n->args[0], &a) < 0)
		return -1;
	int r = -1;
	if (strcmp(f->name, "len") == 0 || strcmp(f->name, "cap") == 0) {
		int is_cap = f->name[0] == 'c';
		uint64_t v = 0;
		if (a.is_const && a.c.kind == GX_V_STRING && !is_cap) {
			v = a.c.len;
		} else if (a.is_const) {
			r = fail(c, n, "invalid argument for %s", f->name);
			goto done;
		} else {
			const gdw_tinfo *ti = tinfo(c, a.v.type);
			uint64_t h[3] = {0};
			switch (ti ? ti->kind : GDW_K_INVALID) {
			case GDW_K_STRING:
				if (is_cap)
					goto bad;
				if (grt_value_read(c->t, &a.v, 0, h, 16, c->err) < 0)
					goto done;
				v = h[1];
				break;
			case GDW_K_SLICE:
				if (grt_value_read(c->t, &a.v, 0, h, 24, c->err) < 0)
					goto done;
				v = is_cap ? h[2] : h[1];
				break;
			case GDW_K_ARRAY:
				v = (uint64_t)ti->count;
				break;
			case GDW_K_MAP:
				if (is_cap)
					goto bad;
				if (grt__map_len(c->t, &a.v, &v, c->err) < 0)
					goto done;
				break;
			case GDW_K_CHAN: {
				uint64_t p;
				if (grt_value_read(c->t, &a.v, 0, &p, 8, c->err) < 0)
					goto done;
				if (p) {
					const gdw_tinfo *li = tinfo(c, ti->layout);
					grt_value hc = grt_value_at(li ? li->elem : 0, p), q;
					if (grt__field(c->t, &hc, is_cap ? "dataqsiz" : "qcount", &q, c->err) < 0)
						goto done;
					int rq = grt_value_int(c->t, &q, NULL, &v, NULL, c->err);
					grt_value_free(&q);
					if (rq < 0)
						goto done;
				}
				break;
			}
			default:
			bad:
				r = fail(c, n->args[0], "invalid argument for %s", f->name);
				goto done;
			}
		}
		gdw_tref it;
		if (type_named(c, n, "int", &it) < 0)
			goto done;
		r = make_scalar(c, n, it, (int64_t)v, v, 0, &out->v);
		goto done;
	}
	/* conversion to a numeric type */
	gdw_tref tt;
	int found = gdw_type_by_name(c->t->dw, f->name, &tt, c->err);
	if (found < 0) {
		r = found == GD_ENOTFOUND
			? fail(c, f, "undefined: %s (function calls are not supported)", f->name)
			: -1;
		goto done;
	}
	const gdw_tinfo *ti = tinfo(c, tt);
	if (!ti || !is_num(ti->kind)) {
		r = fail(c, n, "conversion to %s is not supported", f->name);
		goto done;
	}
	num v;
	if (to_num(c, n->args[0], &a, &v) < 0 || v.k == GDW_K_BOOL) {
		if (v.k == GDW_K_BOOL)
			fail(c, n, "cannot convert a bool to %s", f->name);
		goto done;
	}
	if (is_float(v.k))
		r = make_scalar(c, n, tt, (int64_t)v.f, (uint64_t)(int64_t)v.f, v.f, &out->v);
	else
		r = make_scalar(c, n, tt, v.i, v.u, is_signed(v.k) || v.k == GDW_K_INT64 ? (double)v.i : (double)v.u, &out->v);
	/* Integer narrowing wraps like Go: make_scalar keeps the low
	 * ti->size bytes. */
done:
	ev_free(&a);
	return r;
}

/* x.(T): the dynamic value when its type is T. */
static int eval_assert(ctx *c, const gx_node *n, ev *out)
{
	ev x = {0};
	if (eval(c, n->x, &x) < 0)
		return -1;
	if (x.is_const || grt_value_kind(c->t, &x.v) != GDW_K_INTERFACE) {
		ev_free(&x);
		return gx_errorf(c->e, n->oppos, c->err,
				 "invalid operation: not an interface");
	}
	char *want = gx_dump_str(n->y);
	/* the dump parenthesises "*T": compare without the parentheses */
	char *w = want;
	if (w && w[0] == '(' && w[strlen(w) - 1] == ')') {
		w[strlen(w) - 1] = '\0';
		w++;
	}
	grt_value d = {0};
	int is_nil = 0, r = -1;
	if (!want) {
		r = gd_err_set(c->err, "out of memory");
	} else if (grt__iface_data(c->t, &x.v, &d, &is_nil, c->err) < 0) {
		r = -1;
	} else if (is_nil) {
		r = gx_errorf(c->e, n->oppos, c->err,
			      "interface conversion: interface is nil, not %s", w);
	} else if (strcmp(grt_value_type_name(c->t, &d), w) != 0) {
		char *have = strdup(grt_value_type_name(c->t, &d));
		r = gx_errorf(c->e, n->oppos, c->err,
			      "interface conversion: %s is %s, not %s",
			      grt_value_type_name(c->t, &x.v), have ? have : "?", w);
		free(have);
	} else {
		out->v = d;
		memset(&d, 0, sizeof(d));
		r = 0;
	}
	grt_value_free(&d);
	free(want);
	ev_free(&x);
	return r;
}

static int eval(ctx *c, const gx_node *n, ev *out)
{
	memset(out, 0, sizeof(*out));
	if (gx_is_const(n)) {
		if (gx_const_fold(n, &out->c, c->err) < 0)
			return -1;
		out->is_const = 1;
		return 0;
	}
	switch (n->kind) {
	case GX_N_IDENT:
		return eval_ident(c, n, out);
	case GX_N_SELECTOR:
		return eval_selector(c, n, out);
	case GX_N_INDEX:
		return eval_index(c, n, out);
	case GX_N_SLICE:
		return eval_slice(c, n, out);
	case GX_N_UNARY:
		return eval_unary(c, n, out);
	case GX_N_BINARY:
		return eval_binary(c, n, out);
	case GX_N_CALL:
		return eval_call(c, n, out);
	case GX_N_TYPEASSERT:
		return eval_assert(c, n, out);
	default:
		return fail(c, n, "%s", "unsupported expression");
	}
}

/* Untyped constants are given their default type for display. */
static int materialize(ctx *c, const gx_node *n, ev *x, grt_value *out)
{
	if (!x->is_const) {
		*out = x->v;
		memset(&x->v, 0, sizeof(x->v));
		return 0;
	}
	const char *dt = NULL;
	switch (x->c.kind) {
	case GX_V_BOOL: dt = "bool"; break;
	case GX_V_INT: dt = "int"; break;
	case GX_V_RUNE: dt = "int32"; break;
	case GX_V_FLOAT: dt = "float64"; break;
	default:
		break;
	}
	gdw_tref t;
	int found = dt ? gdw_type_by_name(c->t->dw, dt, &t, c->err) : GD_ENOTFOUND;
	if (found == -1)
		return -1;
	if (found == GD_ENOTFOUND)
		return fail(c, n, "%s", "constant of this kind cannot be shown as a value");
	return const_to(c, n, &x->c, t, out);
}

static const gx_node *root(grt_scope *s, const gx_expr *e)
{
	(void)s;
	return e->root;
}

int grt_eval(grt_scope *s, const gx_expr *e, grt_value *out, gd_err *err)
{
	ctx c = {s, s->t, e, err};
	ev x = {0};
	memset(out, 0, sizeof(*out));
	const gx_node *n = root(s, e);
	if (eval(&c, n, &x) < 0) {
		/* "a/b.c": try the plain-Go reading when the package one fails */
		if (e->alt) {
			gd_err_clear(err);
			n = e->alt;
			if (eval(&c, n, &x) < 0)
				return -1;
		} else {
			return -1;
		}
	}
	int r = materialize(&c, n, &x, out);
	ev_free(&x);
	return r;
}

int grt_eval_results(grt_scope *s, const gx_expr *e, grt_call_val **res,
		     size_t *n, gd_err *err)
{
	ctx c = {s, s->t, e, err};
	*res = NULL;
	*n = 0;
	if (e->root->kind != GX_N_CALL || is_builtin_call(&c, e->root))
		return 0;
	return do_call(&c, e->root, res, n) < 0 ? -1 : 1;
}

int grt_eval_text(grt_scope *s, const gx_expr *e, const grt_fmtlim *L,
		  gd_buf *out, gd_err *err)
{
	ctx c = {s, s->t, e, err};
	ev x = {0};
	if (eval(&c, e->root, &x) < 0)
		return -1;
	int r = 0;
	if (x.is_const) {
		r = gx_value_format(&x.c, out);
	} else {
		r = L ? grt_format_lim(s->t, L, &x.v, out)
		      : grt_format(s->t, &x.v, out);
	}
	ev_free(&x);
	return r;
}

int grt_eval_bool(grt_scope *s, const gx_expr *e, bool *out, gd_err *err)
{
	if (!e)
		return -1;
	ctx c = {s, s->t, e, err};
	ev x = {0};
	if (eval(&c, e->root, &x) < 0)
		return -1;
	num v;
	int r = to_num(&c, e->root, &x, &v);
	ev_free(&x);
	if (r < 0 || v.k != GDW_K_BOOL) {
		if (r == 0)
			gx_errorf(e, e->root->pos, err, "condition is not a bool");
		return -1;
	}
	*out = v.u != 0;
	return 0;
}

/* ---- assignment ---- */

/* rhs evaluated and converted to type ti (strings and boxed values made in
 * the program's heap, which needs function calls); its bytes in *buf
 * (heap, ti->size long). */
static int rhs_bytes(grt_scope *s, const gdw_tinfo *ti, const char *rhs,
		     uint8_t **buf, gd_err *err)
{
	gx_expr *e;
	*buf = NULL;
	if (gx_parse(rhs, &e, err) < 0)
		return -1;
	ctx c = {s, s->t, e, err};
	ev x = {0};
	grt_value nv = {0};
	int r = -1;
	if (eval(&c, e->root, &x) < 0)
		goto out;
	if (x.is_const && x.c.kind == GX_V_NIL && ti->kind != GDW_K_INTERFACE &&
	    ti->kind != GDW_K_SLICE) {
		r = const_to(&c, e->root, &x.c, ti->ref, &nv);
	} else if (x.is_const && x.c.kind == GX_V_NIL && ti->kind == GDW_K_SLICE) {
		uint64_t z[3] = {0, 0, 0};
		r = grt_value_of_bytes(&nv, ti->ref, z, 24) < 0 ?
			gd_err_set(err, "out of memory") : 0;
	} else {
		if (x.is_const && x.c.kind == GX_V_STRING && !s->calls) {
			gd_err_set(err, "a new string needs memory in the program, "
				   "which needs a function call: %s", GRT_NOCALLS_DEFAULT);
			goto out;
		}
		r = convert_to(&c, e->root, &x, ti->ref, &nv);
	}
	if (r < 0)
		goto out;
	r = -1;
	*buf = calloc(1, ti->size + 8);
	if (!*buf) {
		gd_err_set(err, "out of memory");
		goto out;
	}
	if (grt_value_read(s->t, &nv, 0, *buf, ti->size, err) < 0) {
		free(*buf);
		*buf = NULL;
		goto out;
	}
	r = 0;
out:
	grt_value_free(&nv);
	ev_free(&x);
	gx_expr_free(e);
	return r;
}

/* Strings, slices, maps, structs...: a value of the same type (a string
 * constant becomes a new string in the program's heap). */
static int set_aggregate(grt_scope *s, const grt_value *dst,
			 const gdw_tinfo *ti, const char *rhs, gd_err *err)
{
	uint8_t *b;
	uint64_t base, rt = 0;
	if (rhs_bytes(s, ti, rhs, &b, err) < 0)
		return -1;
	/* A type the runtime describes goes through its write barrier: a
	 * store that cannot find the descriptor must not go around it. */
	if (ti->rtype) {
		if (grt__types_base(s->t, &base, err) < 0) {
			free(b);
			return -1;
		}
		rt = base + ti->rtype;
	}
	int r = grt_call_store(s, dst->addr, rt, b, ti->size, err);
	free(b);
	return r;
}

/* m[k] = v through the runtime's own map code (runtime.mapassign): new
 * keys too.  *elem receives the element afterwards. */
static int map_assign(grt_scope *s, const gx_expr *lhs, const char *rhs,
		      grt_value *elem, gd_err *err)
{
	grt_target *t = s->t;
	ctx c = {s, t, lhs, err};
	const gx_node *n = lhs->root;
	ev m = {0}, k = {0};
	grt_value kv = {0};
	uint8_t *kb = NULL, *vb = NULL;
	int r = -1;
	if (calls_allowed(&c, n) < 0)
		return -1;
	if (eval(&c, n->x, &m) < 0 || eval(&c, n->y, &k) < 0)
		goto out;
	const gdw_tinfo *mi = tinfo(&c, m.v.type);
	const gdw_tinfo *ki = mi ? tinfo(&c, mi->key) : NULL;
	const gdw_tinfo *vi = mi ? tinfo(&c, mi->elem) : NULL;
	if (!ki || !vi) {
		fail(&c, n, "%s", "unknown map type");
		goto out;
	}
	uint64_t mt, kt, mp, kp, ep = 0;
	if (rtype_of(&c, n, m.v.type, &mt) < 0 || rtype_of(&c, n, mi->key, &kt) < 0 ||
	    grt_value_read(t, &m.v, 0, &mp, 8, err) < 0)
		goto out;
	if (convert_to(&c, n->y, &k, mi->key, &kv) < 0)
		goto out;
	kb = calloc(1, ki->size + 8);
	if (!kb) {
		gd_err_set(err, "out of memory");
		goto out;
	}
	/* the key in the heap: the runtime copies it (and keeps what it
	 * points to) */
	if (grt_value_read(t, &kv, 0, kb, ki->size, err) < 0 ||
	    grt_call_alloc(s, ki->size, kt, &kp, err) < 0 ||
	    grt_call_store(s, kp, kt, kb, ki->size, err) < 0)
		goto out;
	if (rhs_bytes(s, vi, rhs, &vb, err) < 0)
		goto out;
	uint64_t w[3] = {mt, mp, kp};
	if (grt_call_runtime(s, "runtime.mapassign", w, 3, &ep, err) < 0)
		goto out;
	if (!ep) {
		gd_err_set(err, "runtime.mapassign returned nil");
		goto out;
	}
	uint64_t vt = 0;
	if (vi->rtype && rtype_of(&c, n, mi->elem, &vt) < 0)
		goto out;
	if (grt_call_store(s, ep, vt, vb, vi->size, err) < 0)
		goto out;
	if (elem)
		*elem = grt_value_at(mi->elem, ep);
	r = 0;
out:
	free(kb);
	free(vb);
	grt_value_free(&kv);
	ev_free(&m);
	ev_free(&k);
	return r;
}

static int is_map_index(grt_scope *s, const gx_expr *lhs)
{
	const gx_node *n = lhs->root;
	if (n->kind != GX_N_INDEX)
		return 0;
	ctx c = {s, s->t, lhs, NULL};
	gd_err e = GD_ERR_INIT;
	c.err = &e;
	ev m = {0};
	int is_map = eval(&c, n->x, &m) == 0 && !m.is_const &&
		     grt_value_kind(s->t, &m.v) == GDW_K_MAP;
	ev_free(&m);
	gd_err_clear(&e);
	return is_map;
}

int grt_assign_expr(grt_scope *s, const gx_expr *lhs, const char *rhs,
		    grt_value *out, gd_err *err)
{
	memset(out, 0, sizeof(*out));
	if (is_map_index(s, lhs))
		return map_assign(s, lhs, rhs, out, err);
	if (grt_eval(s, lhs, out, err) < 0)
		return -1;
	if (grt_value_set(s, out, rhs, err) < 0) {
		grt_value_free(out);
		return -1;
	}
	return 0;
}
int grt_value_set(grt_scope *s, const grt_value *dst, const char *rhs,
		  gd_err *err)
{
	grt_target *t = s->t;
	if (!dst->has_addr)
		return gd_err_set(err, "cannot assign: the value is not in memory "
				  "(register or computed)");
	const gdw_tinfo *ti;
	if (gdw_type_info(t->dw, dst->type, &ti, err) < 0)
		return -1;
	gdw_kind k = ti->kind;
	if (k == GDW_K_STRING || k == GDW_K_MAP || k == GDW_K_SLICE ||
	    k == GDW_K_STRUCT || k == GDW_K_ARRAY || k == GDW_K_INTERFACE ||
	    k == GDW_K_CHAN || k == GDW_K_FUNC)
		return set_aggregate(s, dst, ti, rhs, err);
	gx_expr *e;
	if (gx_parse(rhs, &e, err) < 0)
		return -1;
	ctx c = {s, t, e, err};
	ev x = {0};
	grt_value nv = {0};
	int r = -1;
	if (eval(&c, e->root, &x) < 0)
		goto out;
	if (x.is_const) {
		if (const_to(&c, e->root, &x.c, dst->type, &nv) < 0)
			goto out;
	} else {
		const gdw_tinfo *xi;
		if (gdw_type_info(t->dw, x.v.type, &xi, err) < 0)
			goto out;
		if (x.v.type != dst->type && strcmp(xi->name, ti->name) != 0) {
			gx_errorf(e, 0, err, "cannot use %s (type %s) as %s", rhs,
				  xi->name, ti->name);
			goto out;
		}
		if (grt_value_copy(&nv, &x.v) < 0)
			goto out;
	}
	uint8_t buf[16];
	size_t sz = ti->size > sizeof(buf) ? sizeof(buf) : ti->size;
	if (grt_value_read(t, &nv, 0, buf, sz, err) < 0)
		goto out;
	uint64_t base;
	if ((k == GDW_K_PTR || k == GDW_K_UNSAFEPTR) && s->calls && ti->rtype) {
		/* a pointer into the heap or a global: with the write
		 * barrier, or not at all */
		if (grt__types_base(t, &base, err) < 0)
			goto out;
		r = grt_call_store(s, dst->addr, base + ti->rtype, buf, sz, err);
	} else
		r = core_write(t->proc, dst->addr, buf, sz, err);
out:
	grt_value_free(&nv);
	ev_free(&x);
	gx_expr_free(e);
	return r;
}

int grt_assign(grt_scope *s, const gx_expr *lhs, const char *rhs, gd_err *err)
{
	grt_value v;
	if (grt_assign_expr(s, lhs, rhs, &v, err) < 0)
		return -1;
	grt_value_free(&v);
	return 0;
}
