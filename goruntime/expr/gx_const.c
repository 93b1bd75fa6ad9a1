/* Untyped constant folding (Go's rules for untyped bool, int, rune, float,
 * complex, string and nil) and value formatting. */
#include "gx_internal.h"
#include "gd_float.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define I128_MAX ((gx_i128)(((gx_u128)1 << 127) - 1))
#define I128_MIN (-I128_MAX - 1)

const char *gx_vkind_str(gx_vkind k)
{
	switch (k) {
	case GX_V_BOOL: return "untyped bool";
	case GX_V_INT: return "untyped int";
	case GX_V_RUNE: return "untyped rune";
	case GX_V_FLOAT: return "untyped float";
	case GX_V_COMPLEX: return "untyped complex";
	case GX_V_STRING: return "untyped string";
	case GX_V_NIL: return "untyped nil";
	case GX_V_NONE: break;
	}
	return "non-constant";
}

void gx_value_free(gx_value *v)
{
	if (!v)
		return;
	free(v->s);
	memset(v, 0, sizeof *v);
}

bool gx_value_to_int64(const gx_value *v, int64_t *out)
{
	if ((v->kind != GX_V_INT && v->kind != GX_V_RUNE) || v->i > INT64_MAX ||
	    v->i < INT64_MIN)
		return false;
	*out = (int64_t)v->i;
	return true;
}

bool gx_value_to_uint64(const gx_value *v, uint64_t *out)
{
	if ((v->kind != GX_V_INT && v->kind != GX_V_RUNE) || v->i < 0 ||
	    v->i > (gx_i128)UINT64_MAX)
		return false;
	*out = (uint64_t)v->i;
	return true;
}

/* ---- formatting ------------------------------------------------------- */

/* strconv.Quote-like. */
int gx_quote(const char *s, size_t n, gd_buf *out)
{
	int rc = gd_buf_puts(out, "\"");
	size_t i = 0;
	while (i < n && rc == 0) {
		uint32_t cp;
		int l = gx_utf8_decode((const unsigned char *)s + i, n - i, &cp);
		if (l < 0) {
			rc = gd_buf_printf(out, "\\x%02x", (unsigned char)s[i]);
			i++;
			continue;
		}
		i += (size_t)l;
		switch (cp) {
		case '"': rc = gd_buf_puts(out, "\\\""); break;
		case '\\': rc = gd_buf_puts(out, "\\\\"); break;
		case '\a': rc = gd_buf_puts(out, "\\a"); break;
		case '\b': rc = gd_buf_puts(out, "\\b"); break;
		case '\f': rc = gd_buf_puts(out, "\\f"); break;
		case '\n': rc = gd_buf_puts(out, "\\n"); break;
		case '\r': rc = gd_buf_puts(out, "\\r"); break;
		case '\t': rc = gd_buf_puts(out, "\\t"); break;
		case '\v': rc = gd_buf_puts(out, "\\v"); break;
		default:
			if (cp < 0x20 || cp == 0x7f)
				rc = gd_buf_printf(out, "\\x%02x", cp);
			else if (cp >= 0x80 && cp < 0xa0)
				rc = gd_buf_printf(out, "\\u%04x", cp);
			else
				rc = gd_buf_append(out, s + i - (size_t)l,
						   (size_t)l);
		}
	}
	if (rc == 0)
		rc = gd_buf_puts(out, "\"");
	return rc;
}

/* Go's %v for a float64 (gd_float.h). */
static int format_float(double f, gd_buf *b)
{
	return gd_float_format(b, f, 64);
}

int gx_value_format(const gx_value *v, gd_buf *out)
{
	switch (v->kind) {
	case GX_V_BOOL:
		return gd_buf_puts(out, v->b ? "true" : "false");
	case GX_V_INT:
	case GX_V_RUNE:
		return gx_i128_format(v->i, out);
	case GX_V_FLOAT:
		return format_float(v->f, out);
	case GX_V_COMPLEX: {
		int rc = gd_buf_puts(out, "(");
		rc |= format_float(v->f, out);
		if (!(v->im < 0) && !isinf(v->im) && !isnan(v->im))
			rc |= gd_buf_puts(out, "+");
		rc |= format_float(v->im, out);
		rc |= gd_buf_puts(out, "i)");
		return rc ? -1 : 0;
	}
	case GX_V_STRING:
		return gx_quote(v->s ? v->s : "", v->len, out);
	case GX_V_NIL:
		return gd_buf_puts(out, "nil");
	case GX_V_NONE:
		break;
	}
	return gd_buf_puts(out, "<not constant>");
}

/* ---- folding ---------------------------------------------------------- */

static int cerr(const gx_node *n, size_t pos, gd_err *err, const char *fmt,
		...) __attribute__((format(printf, 4, 5)));
static int cerr(const gx_node *n, size_t pos, gd_err *err, const char *fmt,
		...)
{
	va_list ap;
	va_start(ap, fmt);
	if (n && n->expr)
		gx_verr_src(n->expr->src, n->expr->len, pos, err, fmt, ap);
	else
		gx_verr_src(NULL, 0, pos, err, fmt, ap);
	va_end(ap);
	return -1;
}

/* The expression's text for messages: the canonical dump without its
 * outermost parentheses ("-1", "1 + 2"); heap string. */
static char *show(const gx_node *n)
{
	char *d = gx_dump_str(n);
	if (d && (n->kind == GX_N_UNARY || n->kind == GX_N_BINARY)) {
		size_t l = strlen(d);
		if (l >= 2 && d[0] == '(' && d[l - 1] == ')') {
			memmove(d, d + 1, l - 2);
			d[l - 2] = '\0';
		}
	}
	return d;
}

/* "1 (untyped int constant)" for messages; heap string. */
static char *describe(const gx_node *n, const gx_value *v)
{
	gd_buf b = GD_BUF_INIT;
	char *d = show(n);
	if (!d || gd_buf_puts(&b, d) < 0 ||
	    gd_buf_printf(&b, " (%s constant)", gx_vkind_str(v->kind)) < 0) {
		free(d);
		gd_buf_free(&b);
		return NULL;
	}
	free(d);
	return gd_buf_detach(&b);
}

/* Reported at the operand, as Go does. */
static int op_not_defined(const gx_node *at, const char *op,
			  const gx_node *x, const gx_value *v, gd_err *err)
{
	if (v->kind == GX_V_NIL)
		return cerr(at, x->pos, err,
			    "invalid operation: operator %s not defined on nil",
			    op);
	char *d = describe(x, v);
	cerr(at, x->pos, err, "invalid operation: operator %s not defined on %s",
	     op, d ? d : "operand");
	free(d);
	return -1;
}

/* "invalid operation: 1i < 2i (operator < not defined on untyped complex)" */
static int cmp_not_defined(const gx_node *n, const gx_value *v, gd_err *err)
{
	char *dx = show(n->x), *dy = show(n->y);
	cerr(n, n->oppos, err,
	     "invalid operation: %s %s %s (operator %s not defined on %s)",
	     dx ? dx : "x", gx_tok_str(n->op), dy ? dy : "y",
	     gx_tok_str(n->op), gx_vkind_str(v->kind));
	free(dx);
	free(dy);
	return -1;
}

static bool is_numeric(gx_vkind k)
{
	return k == GX_V_INT || k == GX_V_RUNE || k == GX_V_FLOAT ||
	       k == GX_V_COMPLEX;
}

static bool is_integer(gx_vkind k)
{
	return k == GX_V_INT || k == GX_V_RUNE;
}

/* Widens a numeric value to kind k (INT < RUNE < FLOAT < COMPLEX). */
static void widen(gx_value *v, gx_vkind k)
{
	if (v->kind == k)
		return;
	if (is_integer(v->kind) && (k == GX_V_FLOAT || k == GX_V_COMPLEX))
		v->f = (double)v->i;
	if (k == GX_V_COMPLEX && v->kind != GX_V_COMPLEX)
		v->im = 0;
	v->kind = k;
}

/* An integer value of a numeric constant that is an exact integer. */
static bool exact_int(const gx_value *v, gx_i128 *out)
{
	if (is_integer(v->kind)) {
		*out = v->i;
		return true;
	}
	if (v->kind != GX_V_FLOAT && v->kind != GX_V_COMPLEX)
		return false;
	if (v->kind == GX_V_COMPLEX && v->im != 0)
		return false;
	if (!isfinite(v->f) || v->f != floor(v->f) || fabs(v->f) >= 0x1p126)
		return false;
	*out = (gx_i128)v->f;
	return true;
}

static int dup_string(gx_value *out, const char *s, size_t n, gd_err *err)
{
	out->s = malloc(n + 1);
	if (!out->s)
		return gd_err_set(err, "out of memory");
	if (n)
		memcpy(out->s, s, n);
	out->s[n] = '\0';
	out->len = n;
	return 0;
}

static int fold(const gx_node *n, gx_value *out, gd_err *err);

static int not_constant(const gx_node *n, gd_err *err)
{
	char *d = show(n);
	cerr(n, n->pos, err, "%s is not constant", d ? d : "expression");
	free(d);
	return -1;
}

static int float_result(const gx_node *n, gx_value *v, gd_err *err)
{
	if (!isfinite(v->f) ||
	    (v->kind == GX_V_COMPLEX && !isfinite(v->im))) {
		gx_value_free(v);
		return cerr(n, n->oppos, err,
			    "floating-point constant overflow (exceeds float64)");
	}
	return 0;
}

static int fold_unary(const gx_node *n, gx_value *out, gd_err *err)
{
	gx_value x = {0};
	if (fold(n->x, &x, err) < 0)
		return -1;
	const char *op = gx_tok_str(n->op);
	switch (n->op) {
	case GX_T_ADD:
		if (!is_numeric(x.kind))
			break;
		*out = x;
		return 0;
	case GX_T_SUB:
		if (!is_numeric(x.kind))
			break;
		if (is_integer(x.kind)) {
			if (x.i == I128_MIN)
				return cerr(n, n->pos, err,
					    "constant negation overflow");
			x.i = -x.i;
		} else {
			x.f = -x.f;
			x.im = -x.im;
		}
		*out = x;
		return 0;
	case GX_T_XOR:
		if (!is_integer(x.kind))
			break;
		x.i = ~x.i;
		*out = x;
		return 0;
	case GX_T_NOT:
		if (x.kind != GX_V_BOOL)
			break;
		x.b = !x.b;
		*out = x;
		return 0;
	case GX_T_MUL:
	case GX_T_AND:
	case GX_T_ARROW: {
		char *d = describe(n->x, &x);
		cerr(n, n->x->pos, err, "invalid operation: %s %s",
		     n->op == GX_T_MUL   ? "cannot indirect"
		     : n->op == GX_T_AND ? "cannot take address of"
					 : "cannot receive from non-channel",
		     d ? d : "constant");
		free(d);
		gx_value_free(&x);
		return -1;
	}
	default:
		break;
	}
	op_not_defined(n, op, n->x, &x, err);
	gx_value_free(&x);
	return -1;
}

static int fold_shift(const gx_node *n, gx_value *x, gx_value *y,
		      gx_value *out, gd_err *err)
{
	gx_i128 s, v;
	if (!is_numeric(y->kind) || !exact_int(y, &s)) {
		char *d = describe(n->y, y);
		cerr(n, n->y->pos, err,
		     "invalid operation: shift count %s must be integer",
		     d ? d : "operand");
		free(d);
		return -1;
	}
	if (s < 0) {
		char *d = describe(n->y, y);
		cerr(n, n->y->pos, err, "invalid operation: negative shift count %s",
		     d ? d : "operand");
		free(d);
		return -1;
	}
	if (!is_numeric(x->kind) || !exact_int(x, &v)) {
		char *d = describe(n->x, x);
		cerr(n, n->x->pos, err,
		     "invalid operation: shifted operand %s must be integer",
		     d ? d : "operand");
		free(d);
		return -1;
	}
	gx_value r = {0};
	r.kind = x->kind == GX_V_RUNE ? GX_V_RUNE : GX_V_INT;
	if (n->op == GX_T_SHL) {
		if (v != 0) {
			gx_u128 m = v < 0 ? -(gx_u128)v
						    : (gx_u128)v;
			if (s >= 127 || m > ((gx_u128)I128_MAX >> s))
				return cerr(n, n->oppos, err,
					    "constant shift overflow");
			v = v < 0 ? -(gx_i128)(m << s) : (gx_i128)(m << s);
		}
	} else {
		if (s >= 127)
			v = v < 0 ? -1 : 0;
		else
			v >>= s; /* arithmetic on gcc/clang: floors like Go */
	}
	r.i = v;
	*out = r;
	return 0;
}

static int compare(const gx_node *n, gx_tok op, const gx_value *x,
		   const gx_value *y, gx_value *out, gd_err *err)
{
	int c = 0; /* -1, 0, 1 */
	bool eq_only = false;
	switch (x->kind) {
	case GX_V_BOOL:
		c = x->b == y->b ? 0 : 1;
		eq_only = true;
		break;
	case GX_V_INT:
	case GX_V_RUNE:
		c = x->i < y->i ? -1 : x->i > y->i ? 1 : 0;
		break;
	case GX_V_FLOAT:
		c = x->f < y->f ? -1 : x->f > y->f ? 1 : 0;
		break;
	case GX_V_COMPLEX:
		c = (x->f == y->f && x->im == y->im) ? 0 : 1;
		eq_only = true;
		break;
	case GX_V_STRING: {
		size_t m = x->len < y->len ? x->len : y->len;
		int r = m ? memcmp(x->s, y->s, m) : 0;
		if (r == 0)
			r = x->len < y->len ? -1 : x->len > y->len ? 1 : 0;
		c = r < 0 ? -1 : r > 0 ? 1 : 0;
		break;
	}
	default:
		return cmp_not_defined(n, x, err);
	}
	if (eq_only && op != GX_T_EQL && op != GX_T_NEQ)
		return cmp_not_defined(n, x, err);
	bool r = false;
	switch (op) {
	case GX_T_EQL: r = c == 0; break;
	case GX_T_NEQ: r = c != 0; break;
	case GX_T_LSS: r = c < 0; break;
	case GX_T_LEQ: r = c <= 0; break;
	case GX_T_GTR: r = c > 0; break;
	case GX_T_GEQ: r = c >= 0; break;
	default: break;
	}
	memset(out, 0, sizeof *out);
	out->kind = GX_V_BOOL;
	out->b = r;
	return 0;
}

static int arith(const gx_node *n, gx_value *x, gx_value *y, gx_value *out,
		 gd_err *err)
{
	gx_tok op = n->op;
	const char *ops = gx_tok_str(op);
	gx_vkind k = x->kind;
	gx_value r = {0};
	r.kind = k;

	if (k == GX_V_STRING) {
		if (op != GX_T_ADD)
			return op_not_defined(n, ops, n->x, x, err);
		r.s = malloc(x->len + y->len + 1);
		if (!r.s)
			return gd_err_set(err, "out of memory");
		if (x->len)
			memcpy(r.s, x->s, x->len);
		if (y->len)
			memcpy(r.s + x->len, y->s, y->len);
		r.len = x->len + y->len;
		r.s[r.len] = '\0';
		*out = r;
		return 0;
	}
	if (k == GX_V_BOOL || k == GX_V_NIL) {
		if ((op == GX_T_LAND || op == GX_T_LOR) && k == GX_V_BOOL) {
			r.b = op == GX_T_LAND ? (x->b && y->b) : (x->b || y->b);
			*out = r;
			return 0;
		}
		return op_not_defined(n, ops, n->x, x, err);
	}
	if (op == GX_T_LAND || op == GX_T_LOR)
		return op_not_defined(n, ops, n->x, x, err);

	bool int_only = op == GX_T_REM || op == GX_T_AND || op == GX_T_OR ||
			op == GX_T_XOR || op == GX_T_AND_NOT;
	if (int_only && !is_integer(k))
		return op_not_defined(n, ops, n->x, x, err);

	bool yzero = is_integer(k) ? y->i == 0
		     : k == GX_V_FLOAT ? y->f == 0
				       : (y->f == 0 && y->im == 0);
	if ((op == GX_T_QUO || op == GX_T_REM) && yzero)
		return cerr(n, n->y->pos, err,
			    "invalid operation: division by zero");

	if (is_integer(k)) {
		gx_i128 a = x->i, b = y->i, v = 0;
		bool ovf = false;
		const char *what = "";
		switch (op) {
		case GX_T_ADD:
			ovf = __builtin_add_overflow(a, b, &v);
			what = "addition";
			break;
		case GX_T_SUB:
			ovf = __builtin_sub_overflow(a, b, &v);
			what = "subtraction";
			break;
		case GX_T_MUL:
			ovf = __builtin_mul_overflow(a, b, &v);
			what = "multiplication";
			break;
		case GX_T_QUO:
			if (a == I128_MIN && b == -1)
				ovf = true;
			else
				v = a / b;
			what = "division";
			break;
		case GX_T_REM:
			v = (b == -1) ? 0 : a % b;
			break;
		case GX_T_AND: v = a & b; break;
		case GX_T_OR: v = a | b; break;
		case GX_T_XOR: v = a ^ b; break;
		case GX_T_AND_NOT: v = a & ~b; break;
		default:
			return op_not_defined(n, ops, n->x, x, err);
		}
		if (ovf)
			return cerr(n, n->oppos, err, "constant %s overflow", what);
		r.i = v;
		*out = r;
		return 0;
	}
	if (k == GX_V_FLOAT) {
		switch (op) {
		case GX_T_ADD: r.f = x->f + y->f; break;
		case GX_T_SUB: r.f = x->f - y->f; break;
		case GX_T_MUL: r.f = x->f * y->f; break;
		case GX_T_QUO: r.f = x->f / y->f; break;
		default:
			return op_not_defined(n, ops, n->x, x, err);
		}
	} else {
		double a = x->f, b = x->im, c = y->f, d = y->im;
		switch (op) {
		case GX_T_ADD: r.f = a + c; r.im = b + d; break;
		case GX_T_SUB: r.f = a - c; r.im = b - d; break;
		case GX_T_MUL:
			r.f = a * c - b * d;
			r.im = a * d + b * c;
			break;
		case GX_T_QUO: {
			double den = c * c + d * d;
			r.f = (a * c + b * d) / den;
			r.im = (b * c - a * d) / den;
			break;
		}
		default:
			return op_not_defined(n, ops, n->x, x, err);
		}
	}
	if (float_result(n, &r, err) < 0)
		return -1;
	*out = r;
	return 0;
}

static int fold_binary(const gx_node *n, gx_value *out, gd_err *err)
{
	gx_value x = {0}, y = {0};
	int rc = -1;
	if (fold(n->x, &x, err) < 0)
		return -1;
	if (fold(n->y, &y, err) < 0)
		goto done;
	if (n->op == GX_T_SHL || n->op == GX_T_SHR) {
		rc = fold_shift(n, &x, &y, out, err);
		goto done;
	}
	if (is_numeric(x.kind) && is_numeric(y.kind)) {
		gx_vkind k = x.kind > y.kind ? x.kind : y.kind;
		widen(&x, k);
		widen(&y, k);
	} else if (x.kind != y.kind) {
		char *dx = show(n->x), *dy = show(n->y);
		cerr(n, n->oppos, err,
		     "invalid operation: %s %s %s (mismatched types %s and %s)",
		     dx ? dx : "x", gx_tok_str(n->op), dy ? dy : "y",
		     gx_vkind_str(x.kind), gx_vkind_str(y.kind));
		free(dx);
		free(dy);
		goto done;
	}
	switch (n->op) {
	case GX_T_EQL:
	case GX_T_NEQ:
	case GX_T_LSS:
	case GX_T_LEQ:
	case GX_T_GTR:
	case GX_T_GEQ:
		rc = compare(n, n->op, &x, &y, out, err);
		break;
	default:
		rc = arith(n, &x, &y, out, err);
	}
done:
	gx_value_free(&x);
	gx_value_free(&y);
	return rc;
}

static bool is_len_call(const gx_node *n)
{
	return n->kind == GX_N_CALL && n->x->kind == GX_N_IDENT &&
	       strcmp(n->x->name, "len") == 0 && n->nargs == 1 && !n->ellipsis;
}

static int fold(const gx_node *n, gx_value *out, gd_err *err)
{
	memset(out, 0, sizeof *out);
	switch (n->kind) {
	case GX_N_INT:
	case GX_N_FLOAT:
	case GX_N_IMAG:
	case GX_N_CHAR:
	case GX_N_BOOL:
	case GX_N_NIL:
		*out = n->val;
		out->s = NULL;
		return 0;
	case GX_N_STRING:
		out->kind = GX_V_STRING;
		return dup_string(out, n->val.s, n->val.len, err);
	case GX_N_UNARY:
		return fold_unary(n, out, err);
	case GX_N_BINARY:
		return fold_binary(n, out, err);
	case GX_N_CALL:
		if (is_len_call(n) && gx_is_const(n->args[0])) {
			gx_value a;
			if (fold(n->args[0], &a, err) < 0)
				return -1;
			if (a.kind != GX_V_STRING) {
				char *d = describe(n->args[0], &a);
				cerr(n, n->args[0]->pos, err,
				     "invalid argument: %s for built-in len",
				     d ? d : "constant");
				free(d);
				gx_value_free(&a);
				return -1;
			}
			out->kind = GX_V_INT;
			out->i = (gx_i128)a.len;
			gx_value_free(&a);
			return 0;
		}
		return not_constant(n, err);
	default:
		return not_constant(n, err);
	}
}

bool gx_is_const(const gx_node *n)
{
	if (!n)
		return false;
	switch (n->kind) {
	case GX_N_INT:
	case GX_N_FLOAT:
	case GX_N_IMAG:
	case GX_N_CHAR:
	case GX_N_STRING:
	case GX_N_BOOL:
	case GX_N_NIL:
		return true;
	case GX_N_UNARY:
		return gx_is_const(n->x);
	case GX_N_BINARY:
		return gx_is_const(n->x) && gx_is_const(n->y);
	case GX_N_CALL:
		return is_len_call(n) && gx_is_const(n->args[0]);
	default:
		return false;
	}
}

int gx_const_fold(const gx_node *n, gx_value *out, gd_err *err)
{
	return fold(n, out, err);
}

int gx_const_eval(const gx_node *n, gx_value *out, gd_err *err)
{
	if (fold(n, out, err) < 0)
		return -1;
	const char *type = NULL;
	if (out->kind == GX_V_INT && (out->i > INT64_MAX || out->i < INT64_MIN))
		type = "int64";
	else if (out->kind == GX_V_RUNE &&
		 (out->i > INT32_MAX || out->i < INT32_MIN))
		type = "rune";
	if (type) {
		gd_buf b = GD_BUF_INIT;
		gx_i128_format(out->i, &b);
		cerr(n, n->pos, err, "constant %s overflows %s",
		     b.data ? b.data : "", type);
		gd_buf_free(&b);
		gx_value_free(out);
		return -1;
	}
	return 0;
}
