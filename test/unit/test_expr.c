/* Unit tests for goruntime/expr: parser, constant folding, hit conditions,
 * logpoint messages. */
#include <stdlib.h>
#include <string.h>

#include "gd_test.h"
#include "gx.h"

/* Parses src, checks its canonical dump, and that the dump parses back to
 * the same dump. */
static void ok_at(int line, const char *src, const char *want)
{
	gd_err err = GD_ERR_INIT;
	gx_expr *e = NULL;
	if (gx_parse(src, &e, &err) < 0) {
		gd_test_failed++;
		fprintf(stderr, "line %d: parse \"%s\" failed: %s\n", line, src,
			gd_err_msg(&err));
		gd_err_clear(&err);
		return;
	}
	char *d = gx_dump_str(e->root);
	if (d && strcmp(d, want) == 0) {
		gd_test_passed++;
	} else {
		gd_test_failed++;
		fprintf(stderr, "line %d: dump of \"%s\": expected \"%s\", got \"%s\"\n",
			line, src, want, d ? d : "(null)");
	}
	gx_expr *e2 = NULL;
	if (d && gx_parse(d, &e2, &err) == 0) {
		char *d2 = gx_dump_str(e2->root);
		if (d2 && strcmp(d2, d) == 0) {
			gd_test_passed++;
		} else {
			gd_test_failed++;
			fprintf(stderr, "line %d: re-parse of \"%s\" gave \"%s\"\n",
				line, d, d2 ? d2 : "(null)");
		}
		free(d2);
		gx_expr_free(e2);
	} else {
		gd_test_failed++;
		fprintf(stderr, "line %d: re-parse of \"%s\" failed: %s\n", line,
			d ? d : "(null)", gd_err_msg(&err));
		gd_err_clear(&err);
	}
	free(d);
	gx_expr_free(e);
}
#define OK(src, want) ok_at(__LINE__, src, want)

static void bad_at(int line, const char *src, const char *want)
{
	gd_err err = GD_ERR_INIT;
	gx_expr *e = NULL;
	if (gx_parse(src, &e, &err) == 0) {
		gd_test_failed++;
		char *d = gx_dump_str(e->root);
		fprintf(stderr, "line %d: \"%s\" parsed (as %s), expected error \"%s\"\n",
			line, src, d ? d : "?", want);
		free(d);
		gx_expr_free(e);
		return;
	}
	CHECK(e == NULL);
	if (strcmp(gd_err_msg(&err), want) == 0) {
		gd_test_passed++;
	} else {
		gd_test_failed++;
		fprintf(stderr, "line %d: \"%s\": expected error \"%s\", got \"%s\"\n",
			line, src, want, gd_err_msg(&err));
	}
	gd_err_clear(&err);
}
#define BAD(src, want) bad_at(__LINE__, src, want)

/* Folds src with gx_const_eval; checks kind and formatted value. */
static void cval_at(int line, const char *src, gx_vkind kind, const char *want)
{
	gd_err err = GD_ERR_INIT;
	gx_expr *e = NULL;
	gx_value v;
	if (gx_parse(src, &e, &err) < 0 || gx_const_eval(e->root, &v, &err) < 0) {
		gd_test_failed++;
		fprintf(stderr, "line %d: const \"%s\" failed: %s\n", line, src,
			gd_err_msg(&err));
		gd_err_clear(&err);
		gx_expr_free(e);
		return;
	}
	CHECK(gx_is_const(e->root));
	gd_buf b = GD_BUF_INIT;
	gx_value_format(&v, &b);
	if (v.kind == kind && b.data && strcmp(b.data, want) == 0) {
		gd_test_passed++;
	} else {
		gd_test_failed++;
		fprintf(stderr, "line %d: const \"%s\": expected %s %s, got %s %s\n",
			line, src, gx_vkind_str(kind), want, gx_vkind_str(v.kind),
			b.data ? b.data : "");
	}
	gd_buf_free(&b);
	gx_value_free(&v);
	gx_expr_free(e);
}
#define CVAL(src, kind, want) cval_at(__LINE__, src, kind, want)

static void cerr_at(int line, const char *src, const char *want)
{
	gd_err err = GD_ERR_INIT;
	gx_expr *e = NULL;
	gx_value v;
	if (gx_parse(src, &e, &err) < 0) {
		gd_test_failed++;
		fprintf(stderr, "line %d: parse \"%s\" failed: %s\n", line, src,
			gd_err_msg(&err));
		gd_err_clear(&err);
		return;
	}
	if (gx_const_eval(e->root, &v, &err) == 0) {
		gd_test_failed++;
		fprintf(stderr, "line %d: const \"%s\" succeeded, expected \"%s\"\n",
			line, src, want);
		gx_value_free(&v);
	} else if (strcmp(gd_err_msg(&err), want) == 0) {
		gd_test_passed++;
	} else {
		gd_test_failed++;
		fprintf(stderr, "line %d: const \"%s\": expected error \"%s\", got \"%s\"\n",
			line, src, want, gd_err_msg(&err));
	}
	gd_err_clear(&err);
	gx_expr_free(e);
}
#define CERR(src, want) cerr_at(__LINE__, src, want)

static void test_parse_valid(void)
{
	/* names, selectors, package paths */
	OK("x", "x");
	OK("  x  ", "x");
	/* found by fuzz_expr: a number before ".(" or "." dumps with a gap */
	OK("1 .(*T).f", "1 .(*T).f");
	OK("2 .x", "2 .x");
	OK("main.counter", "main.counter");
	OK("a.b.c", "a.b.c");
	OK("\"net/http\".DefaultClient", "\"net/http\".DefaultClient");
	OK("\"net/http\".DefaultClient.Timeout",
	   "\"net/http\".DefaultClient.Timeout");
	OK("net/http.DefaultClient", "\"net/http\".DefaultClient");
	OK("github.com/go-delve/delve/pkg/proc.Foo.Bar",
	   "\"github.com/go-delve/delve/pkg/proc\".Foo.Bar");
	OK("*net/http.DefaultClient", "(*\"net/http\".DefaultClient)");
	OK("net/http.DefaultClient.Timeout > 0",
	   "(\"net/http\".DefaultClient.Timeout > 0)");
	OK("a / b.c", "(a / b.c)");
	OK("x/2.5", "(x / 2.5)");
	/* index and slices */
	OK("a[i]", "a[i]");
	OK("m[\"key\"]", "m[\"key\"]");
	OK("a[len(a)-1]", "a[(len(a) - 1)]");
	OK("a[i:j]", "a[i:j]");
	OK("a[i:j:k]", "a[i:j:k]");
	OK("a[:j]", "a[:j]");
	OK("a[i:]", "a[i:]");
	OK("a[:]", "a[:]");
	OK("a[:j:k]", "a[:j:k]");
	/* calls and conversions */
	OK("len(x)", "len(x)");
	OK("cap(x)", "cap(x)");
	OK("f()", "f()");
	OK("f(a, b,)", "f(a, b)");
	OK("append(xs, ys...)", "append(xs, ys...)");
	OK("int64(x)", "int64(x)");
	OK("string(b)", "string(b)");
	OK("[]byte(s)", "[]byte(s)");
	OK("(*T)(p)", "(*T)(p)");
	OK("(*main.T)(unsafe.Pointer(p))", "(*main.T)(unsafe.Pointer(p))");
	OK("main.T(x)", "main.T(x)");
	OK("map[string]int(m)", "map[string]int(m)");
	OK("map[string][]*main.T(m)", "map[string][]*main.T(m)");
	OK("chan int(c)", "chan int(c)");
	OK("chan<- int(c)", "chan<- int(c)");
	OK("(<-chan int)(c)", "<-chan int(c)");
	OK("[4]byte(s)", "[4]byte(s)");
	OK("[]*T(x)", "[]*T(x)");
	OK("interface{}(x)", "interface{}(x)");
	OK("struct{}(x)", "struct{}(x)");
	OK("new(T)", "new(T)");
	OK("make([]int, 3)", "make([]int, 3)");
	OK("f(g(x), y)[0].z", "f(g(x), y)[0].z");
	/* type assertions */
	OK("x.(T)", "x.(T)");
	OK("x.(*main.T)", "x.(*main.T)");
	OK("x.([]int)", "x.([]int)");
	OK("x.(interface{}).y", "x.(interface{}).y");
	OK("x.(\"net/http\".Handler)", "x.(\"net/http\".Handler)");
	/* unary */
	OK("-x", "(-x)");
	OK("+x", "(+x)");
	OK("!ok", "(!ok)");
	OK("^m", "(^m)");
	OK("*p", "(*p)");
	OK("&v", "(&v)");
	OK("<-ch", "(<-ch)");
	OK("- -x", "(-(-x))");
	OK("-a.b[1]", "(-a.b[1])");
	OK("*p.f", "(*p.f)");
	OK("(*p).f", "(*p).f");
	OK("*T(p)", "(*T(p))");
	/* binary precedence and associativity */
	OK("a + b * c", "(a + (b * c))");
	OK("a * b + c", "((a * b) + c)");
	OK("1 + 2 - 3", "((1 + 2) - 3)");
	OK("a || b && c", "(a || (b && c))");
	OK("a == b && c != d", "((a == b) && (c != d))");
	OK("a << 1 | b", "((a << 1) | b)");
	OK("a &^ b - c", "((a &^ b) - c)");
	OK("a % b >> c ^ d", "(((a % b) >> c) ^ d)");
	OK("x < y == true", "((x < y) == true)");
	OK("a <= b || c >= d", "((a <= b) || (c >= d))");
	OK("(a + b) * c", "((a + b) * c)");
	OK("a /* comment */ + // to end\n b", "(a + b)");
	OK("a +\n  b", "(a + b)");
	/* literals */
	OK("0x1F + 0X1f", "(0x1F + 0X1f)");
	OK("0o17 + 017 + 0b1010 + 1_000_000", "(((0o17 + 017) + 0b1010) + 1_000_000)");
	OK("1.5e3 + .5 + 1e-3 + 0x1p-2 + 1.", "((((1.5e3 + .5) + 1e-3) + 0x1p-2) + 1.)");
	OK("2i + 1.5i + 0x10i", "((2i + 1.5i) + 0x10i)");
	OK("'a'", "'a'");
	OK("'\\n'", "'\\n'");
	OK("'\\''", "'\\''");
	OK("\"a\\tb\\\"c\"", "\"a\\tb\\\"c\"");
	OK("`raw\\n`", "`raw\\n`");
	OK("nil", "nil");
	OK("true", "true");
	OK("false", "false");
	OK("s == \"héllo\"", "(s == \"héllo\")");
	OK("héllo.wörld", "héllo.wörld");
}

static gx_node *root_of(const char *src, gx_expr **e)
{
	gd_err err = GD_ERR_INIT;
	if (gx_parse(src, e, &err) < 0) {
		fprintf(stderr, "parse \"%s\": %s\n", src, gd_err_msg(&err));
		gd_err_clear(&err);
		return NULL;
	}
	return (*e)->root;
}

static void test_parse_tree(void)
{
	gx_expr *e = NULL;
	gx_node *n;

	/* package path node and the alternative reading */
	n = root_of("net/http.DefaultClient", &e);
	CHECK(n && n->kind == GX_N_SELECTOR && n->x->kind == GX_N_PKGPATH);
	if (n) {
		CHECK_STR(n->x->name, "net/http");
		CHECK_STR(n->name, "DefaultClient");
		CHECK(e->alt != NULL);
		char *d = e->alt ? gx_dump_str(e->alt) : NULL;
		CHECK_STR(d, "(net / http.DefaultClient)");
		free(d);
	}
	gx_expr_free(e);
	n = root_of("\"net/http\".DefaultClient", &e);
	CHECK(n && n->x->kind == GX_N_PKGPATH && e->alt == NULL);
	if (n)
		CHECK_STR(n->x->name, "net/http");
	gx_expr_free(e);
	n = root_of("a.b", &e);
	CHECK(n && n->x->kind == GX_N_IDENT && e->alt == NULL);
	gx_expr_free(e);

	/* positions */
	n = root_of("ab + c[1]", &e);
	if (n) {
		CHECK_INT(n->kind, GX_N_BINARY);
		CHECK_INT(n->op, GX_T_ADD);
		CHECK_INT(n->pos, 0);
		CHECK_INT(n->oppos, 3);
		CHECK_INT(n->end, 9);
		CHECK_INT(n->y->kind, GX_N_INDEX);
		CHECK_INT(n->y->pos, 5);
		CHECK_INT(n->y->oppos, 6);
		CHECK_INT(n->y->y->pos, 7);
		CHECK(n->type == NULL && n->aux == NULL && n->expr == e);
	}
	gx_expr_free(e);

	/* slices, calls, types */
	n = root_of("a[1:2:3]", &e);
	CHECK(n && n->kind == GX_N_SLICE && n->slice3 && n->lo && n->hi && n->max);
	gx_expr_free(e);
	n = root_of("a[:]", &e);
	CHECK(n && n->kind == GX_N_SLICE && !n->slice3 && !n->lo && !n->hi);
	gx_expr_free(e);
	n = root_of("f(a, b...)", &e);
	CHECK(n && n->kind == GX_N_CALL && n->nargs == 2 && n->ellipsis);
	gx_expr_free(e);
	n = root_of("map[string]int(m)", &e);
	CHECK(n && n->x->kind == GX_N_MAP_TYPE && n->x->y->kind == GX_N_IDENT &&
	      strcmp(n->x->y->name, "string") == 0);
	gx_expr_free(e);
	n = root_of("x.(*T)", &e);
	CHECK(n && n->kind == GX_N_TYPEASSERT && n->y->kind == GX_N_UNARY &&
	      n->y->op == GX_T_MUL);
	gx_expr_free(e);
	n = root_of("<-chan int(c)", &e);
	CHECK(n && n->kind == GX_N_CALL && n->x->kind == GX_N_CHAN_TYPE &&
	      n->x->chan_dir == GX_CHAN_RECV);
	gx_expr_free(e);

	/* literal values */
	struct {
		const char *src;
		long long want;
	} ints[] = {
		{"0x1F", 31}, {"0o17", 15}, {"017", 15}, {"0b1010", 10},
		{"1_000_000", 1000000}, {"0", 0}, {"'a'", 97}, {"'\\n'", 10},
		{"'\\x41'", 65}, {"'\\101'", 65}, {"'\\u00e9'", 233},
		{"'\\U0001F600'", 0x1F600}, {"'é'", 233}, {"'\\''", 39},
		{"'\\\\'", 92}, {"9223372036854775807", 9223372036854775807LL},
	};
	for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) {
		n = root_of(ints[i].src, &e);
		int64_t v = -1;
		CHECK(n && gx_value_to_int64(&n->val, &v));
		CHECK_INT(v, ints[i].want);
		gx_expr_free(e);
	}
	n = root_of("0xFFFFFFFFFFFFFFFF", &e);
	uint64_t u = 0;
	CHECK(n && gx_value_to_uint64(&n->val, &u) && u == UINT64_MAX);
	gx_expr_free(e);

	struct {
		const char *src;
		double want;
	} floats[] = {
		{"1.5e3", 1500}, {".5", 0.5}, {"1e-3", 0.001}, {"0x1p-2", 0.25},
		{"0x1.8p1", 3}, {"1_0.2_5", 10.25}, {"089.5", 89.5}, {"1.", 1},
	};
	for (size_t i = 0; i < sizeof floats / sizeof floats[0]; i++) {
		n = root_of(floats[i].src, &e);
		CHECK(n && n->kind == GX_N_FLOAT && n->val.f == floats[i].want);
		gx_expr_free(e);
	}
	n = root_of("0123i", &e); /* decimal for backward compatibility */
	CHECK(n && n->kind == GX_N_IMAG && n->val.kind == GX_V_COMPLEX &&
	      n->val.im == 123 && n->val.f == 0);
	gx_expr_free(e);
	n = root_of("0x10i", &e);
	CHECK(n && n->val.im == 16);
	gx_expr_free(e);

	struct {
		const char *src;
		const char *want;
		size_t len;
	} strs[] = {
		{"\"a\\tb\\\"c\"", "a\tb\"c", 5},
		{"`raw\\n`", "raw\\n", 5},
		{"`a\r\nb`", "a\nb", 3},
		{"\"\\xff\\u00e9\"", "\xff\xc3\xa9", 3},
		{"\"\\000x\"", "\0x", 2},
		{"\"\\a\\b\\f\\n\\r\\t\\v\\\\\"", "\a\b\f\n\r\t\v\\", 8},
		{"\"\\U0001F600\"", "\xf0\x9f\x98\x80", 4},
		{"\"\\377\"", "\xff", 1},
		{"\"\"", "", 0},
	};
	for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++) {
		n = root_of(strs[i].src, &e);
		CHECK(n && n->kind == GX_N_STRING && n->val.len == strs[i].len &&
		      memcmp(n->val.s, strs[i].want, strs[i].len) == 0);
		gx_expr_free(e);
	}

	/* gx_errorf for the evaluator */
	n = root_of("a +\n  bad", &e);
	if (n) {
		gd_err err = GD_ERR_INIT;
		CHECK_INT(gx_errorf(e, n->y->pos, &err, "undefined: %s", n->y->name), -1);
		CHECK_STR(gd_err_msg(&err), "2:3: undefined: bad");
		gd_err_clear(&err);
	}
	gx_expr_free(e);

	/* gx_parse_n: the text need not be NUL-terminated */
	gd_err err = GD_ERR_INIT;
	CHECK(gx_parse_n("a+b garbage", 3, &e, &err) == 0);
	if (e) {
		char *d = gx_dump_str(e->root);
		CHECK_STR(d, "(a + b)");
		free(d);
		gx_expr_free(e);
	}
}

static void test_parse_invalid(void)
{
	BAD("", "1:1: expected operand, found 'EOF'");
	BAD("a +", "1:4: expected operand, found 'EOF'");
	BAD("len(a+)", "1:7: expected operand, found ')'");
	BAD("(a", "1:3: expected ')', found 'EOF'");
	BAD("a[1", "1:4: expected ']', found 'EOF'");
	BAD("a.", "1:3: expected selector or type assertion, found 'EOF'");
	BAD("a.1", "1:2: expected 'EOF', found .1");
	BAD("a b", "1:3: expected 'EOF', found b");
	BAD("a = 1", "1:3: expected '==', found '='");
	BAD("x++", "1:2: expected 'EOF', found '++'");
	BAD("f(a b)", "1:5: missing ',' in argument list");
	BAD("f(a..., b)", "1:4: can only use ... with final argument in list");
	BAD("a[]", "1:3: expected operand, found ']'");
	BAD("a[1:2:]", "1:6: final index required in 3-index slice");
	BAD("a[::3]", "1:3: middle index required in 3-index slice");
	BAD("x[1:2:3:4]", "1:8: expected ']', found ':'");
	BAD("a[1, 2]", "1:4: multiple indices (generic instantiation) are not supported");
	BAD("x.(type)", "1:4: use of .(type) outside type switch");
	BAD("x.(1)", "1:4: expected type, found 1");
	BAD("[]int{1}", "1:6: composite literals are not supported in expressions");
	BAD("interface{ M() }(x)", "1:12: only the empty interface{} is supported in expressions");
	BAD("func(){}", "1:1: function types are not supported in expressions");
	BAD("[...]int(x)", "1:2: [...] array types are not supported in expressions");
	BAD("map[string(x)", "1:11: expected ']', found '('");
	BAD("break", "1:1: expected operand, found 'break'");
	BAD("a +\n  )", "2:3: expected operand, found ')'");
	/* lexical errors */
	BAD("\"abc", "1:1: string literal not terminated");
	BAD("\"ab\nc\"", "1:1: string literal not terminated");
	BAD("`abc", "1:1: raw string literal not terminated");
	BAD("'ab'", "1:1: illegal rune literal");
	BAD("''", "1:1: illegal rune literal");
	BAD("'a", "1:1: rune literal not terminated");
	BAD("\"\\q\"", "1:3: unknown escape sequence");
	BAD("'\\400'", "1:3: escape sequence is invalid Unicode code point");
	BAD("\"\\uD800\"", "1:3: escape sequence is invalid Unicode code point");
	BAD("\"\\U00110000\"", "1:3: escape sequence is invalid Unicode code point");
	BAD("\"\\xZZ\"", "1:4: illegal character U+005A 'Z' in escape sequence");
	BAD("'\\\"'", "1:3: unknown escape sequence");
	BAD("\"\\'\"", "1:3: unknown escape sequence");
	BAD("\"\xff\"", "1:2: illegal UTF-8 encoding");
	BAD("089", "1:2: invalid digit '8' in octal literal");
	BAD("0b102", "1:5: invalid digit '2' in binary literal");
	BAD("0x", "1:3: hexadecimal literal has no digits");
	BAD("1__0", "1:3: '_' must separate successive digits");
	BAD("1_", "1:2: '_' must separate successive digits");
	OK("0x_1F", "0x_1F");
	BAD("1e", "1:3: exponent has no digits");
	BAD("0x1.5", "1:6: hexadecimal mantissa requires a 'p' exponent");
	BAD("0b1.0", "1:4: invalid radix point in binary literal");
	BAD("0o7e1", "1:4: 'e' exponent requires decimal mantissa");
	BAD("1p3", "1:2: 'p' exponent requires hexadecimal mantissa");
	BAD("a @ b", "1:3: illegal character U+0040 '@'");
	BAD("a /* b", "1:3: comment not terminated");
	BAD("99999999999999999999999999999999999999999",
	    "1:1: integer literal 99999999999999999999999999999999999999999 is too large");

	/* nesting limit */
	gd_buf deep = GD_BUF_INIT;
	for (int i = 0; i < 100000; i++)
		gd_buf_puts(&deep, "(");
	gd_buf_puts(&deep, "x");
	gd_err err = GD_ERR_INIT;
	gx_expr *e = NULL;
	CHECK(gx_parse(deep.data, &e, &err) < 0);
	CHECK(strstr(gd_err_msg(&err), "expression too deeply nested") != NULL);
	gd_err_clear(&err);
	gd_buf_reset(&deep);
	for (int i = 0; i < 100000; i++)
		gd_buf_puts(&deep, "- ");
	CHECK(gx_parse(deep.data, &e, &err) < 0);
	CHECK(strstr(gd_err_msg(&err), "expression too deeply nested") != NULL);
	gd_err_clear(&err);
	/* Left-deep chains are parsed by loops, yet their trees are as tall
	 * as they are long: refused too (every later walk recurses). */
	static const char *const chains[][3] = {
		{"1", "+1", ""}, {"t", ".P", ""}, {"a", "[0]", ""},
		{"f", "(x)", ""}, {"s", "[1:]", ""}, {"x", ".(T)", ""},
		{"a", "&&b", ""}, {"1", "*1", ""},
	};
	for (size_t c = 0; c < sizeof chains / sizeof chains[0]; c++) {
		gd_buf_reset(&deep);
		gd_buf_puts(&deep, chains[c][0]);
		for (int i = 0; i < 50000; i++)
			gd_buf_puts(&deep, chains[c][1]);
		CHECK(gx_parse(deep.data, &e, &err) < 0);
		CHECK(strstr(gd_err_msg(&err), "expression too deeply nested") != NULL);
		gd_err_clear(&err);
		/* 500 terms are fine, and dump walks them. */
		gd_buf_reset(&deep);
		gd_buf_puts(&deep, chains[c][0]);
		for (int i = 0; i < 500; i++)
			gd_buf_puts(&deep, chains[c][1]);
		CHECK(gx_parse(deep.data, &e, &err) == 0);
		char *d = e ? gx_dump_str(e->root) : NULL;
		CHECK(d != NULL);
		free(d);
		gx_expr_free(e);
		e = NULL;
	}
	/* Constant folding of a long (allowed) sum. */
	gd_buf_reset(&deep);
	gd_buf_puts(&deep, "1");
	for (int i = 0; i < 900; i++)
		gd_buf_puts(&deep, "+1");
	CHECK(gx_parse(deep.data, &e, &err) == 0);
	gx_value cv = {0};
	CHECK(e && gx_const_eval(e->root, &cv, &err) == 0 && cv.i == 901);
	gx_value_free(&cv);
	gx_expr_free(e);
	gd_buf_free(&deep);
}

static void test_const(void)
{
	CVAL("1<<10", GX_V_INT, "1024");
	CVAL("7/2", GX_V_INT, "3");
	CVAL("7.0/2", GX_V_FLOAT, "3.5");
	CVAL("'a'+1", GX_V_RUNE, "98");
	CVAL("\"ab\"+\"c\"", GX_V_STRING, "\"abc\"");
	CVAL("0x10 &^ 3", GX_V_INT, "16");
	CVAL("0x1f &^ 3", GX_V_INT, "28");
	CVAL("-(-1)", GX_V_INT, "1");
	CVAL("1 < 2", GX_V_BOOL, "true");
	CVAL("2.5 > 3", GX_V_BOOL, "false");
	CVAL("\"a\" < \"b\"", GX_V_BOOL, "true");
	CVAL("\"ab\" + \"c\" == \"abc\"", GX_V_BOOL, "true");
	CVAL("'a' == 97", GX_V_BOOL, "true");
	CVAL("1 != 1.0", GX_V_BOOL, "false");
	CVAL("!true", GX_V_BOOL, "false");
	CVAL("true && false || true", GX_V_BOOL, "true");
	CVAL("5 % 3", GX_V_INT, "2");
	CVAL("-7 / 2", GX_V_INT, "-3");
	CVAL("-7 % 3", GX_V_INT, "-1");
	CVAL("-8 >> 1", GX_V_INT, "-4");
	CVAL("-1 >> 100", GX_V_INT, "-1");
	CVAL("^0", GX_V_INT, "-1");
	CVAL("^5", GX_V_INT, "-6");
	CVAL("6 | 3 ^ 1", GX_V_INT, "6");
	CVAL("6 & 3", GX_V_INT, "2");
	CVAL("1<<70>>10", GX_V_INT, "1152921504606846976");
	CVAL("1 + 2.5", GX_V_FLOAT, "3.5");
	CVAL("1.0 << 3", GX_V_INT, "8");
	CVAL("1 << 3.0", GX_V_INT, "8");
	CVAL("'a' * 2.0", GX_V_FLOAT, "194");
	CVAL("1i * 1i", GX_V_COMPLEX, "(-1+0i)");
	CVAL("2i + 1", GX_V_COMPLEX, "(1+2i)");
	CVAL("(1 + 2i) / 2i", GX_V_COMPLEX, "(1-0.5i)");
	CVAL("1i == 1i", GX_V_BOOL, "true");
	CVAL("len(\"héllo\")", GX_V_INT, "6");
	CVAL("len(\"ab\" + \"c\") * 2", GX_V_INT, "6");
	CVAL("1e3", GX_V_FLOAT, "1000");
	CVAL("1e21", GX_V_FLOAT, "1e+21");
	CVAL("1e20", GX_V_FLOAT, "1e+20");
	CVAL("1e-5", GX_V_FLOAT, "1e-05");
	CVAL("0.001", GX_V_FLOAT, "0.001");
	CVAL("1.0/3", GX_V_FLOAT, "0.3333333333333333");
	CVAL("\"a\\n\" + `b`", GX_V_STRING, "\"a\\nb\"");
	CVAL("9223372036854775807", GX_V_INT, "9223372036854775807");
	CVAL("-9223372036854775808", GX_V_INT, "-9223372036854775808");
	CVAL("1 << 64 >> 63", GX_V_INT, "2");
	CVAL("nil", GX_V_NIL, "nil");
	CVAL("'\\x00' + 0x7fffffff", GX_V_RUNE, "2147483647");

	CERR("1/0", "1:3: invalid operation: division by zero");
	CERR("1.0/0", "1:5: invalid operation: division by zero");
	CERR("1 % (2-2)", "1:5: invalid operation: division by zero");
	CERR("1i / 0", "1:6: invalid operation: division by zero");
	CERR("\"a\" + 1",
	     "1:5: invalid operation: \"a\" + 1 (mismatched types untyped string and untyped int)");
	CERR("true + 1",
	     "1:6: invalid operation: true + 1 (mismatched types untyped bool and untyped int)");
	CERR("nil == 0",
	     "1:5: invalid operation: nil == 0 (mismatched types untyped nil and untyped int)");
	CERR("!1", "1:2: invalid operation: operator ! not defined on 1 (untyped int constant)");
	CERR("-\"a\"", "1:2: invalid operation: operator - not defined on \"a\" (untyped string constant)");
	CERR("^1.5", "1:2: invalid operation: operator ^ not defined on 1.5 (untyped float constant)");
	CERR("7.0 % 2", "1:1: invalid operation: operator % not defined on 7.0 (untyped float constant)");
	CERR("\"a\" - \"b\"", "1:1: invalid operation: operator - not defined on \"a\" (untyped string constant)");
	CERR("1 && 2", "1:1: invalid operation: operator && not defined on 1 (untyped int constant)");
	CERR("nil == nil", "1:5: invalid operation: nil == nil (operator == not defined on untyped nil)");
	CERR("1i < 2i", "1:4: invalid operation: 1i < 2i (operator < not defined on untyped complex)");
	CERR("true < false", "1:6: invalid operation: true < false (operator < not defined on untyped bool)");
	CERR("&1", "1:2: invalid operation: cannot take address of 1 (untyped int constant)");
	CERR("*1", "1:2: invalid operation: cannot indirect 1 (untyped int constant)");
	CERR("1 << 200", "1:3: constant shift overflow");
	CERR("1 << -1", "1:6: invalid operation: negative shift count -1 (untyped int constant)");
	CERR("1 << 1.5", "1:6: invalid operation: shift count 1.5 (untyped float constant) must be integer");
	CERR("1.5 << 1", "1:1: invalid operation: shifted operand 1.5 (untyped float constant) must be integer");
	CERR("\"a\" << 1", "1:1: invalid operation: shifted operand \"a\" (untyped string constant) must be integer");
	CERR("1 << 62 * 2", "1:1: constant 9223372036854775808 overflows int64");
	CERR("9223372036854775807 + 1", "1:1: constant 9223372036854775808 overflows int64");
	CERR("-9223372036854775808 - 1", "1:1: constant -9223372036854775809 overflows int64");
	CERR("1 << 64", "1:1: constant 18446744073709551616 overflows int64");
	CERR("1 << 126 * 2", "1:10: constant multiplication overflow");
	CERR("'a' + 0x7fffffff", "1:1: constant 2147483744 overflows rune");
	CERR("1e308 * 10", "1:7: floating-point constant overflow (exceeds float64)");
	CERR("len(1)", "1:5: invalid argument: 1 (untyped int constant) for built-in len");
	CERR("x + 1", "1:1: x is not constant");
	CERR("1 + a.b[2]", "1:5: a.b[2] is not constant");
	CERR("len(s)", "1:1: len(s) is not constant");

	/* gx_const_fold keeps the exact value; gx_is_const */
	gx_expr *e = NULL;
	gd_err err = GD_ERR_INIT;
	gx_value v;
	if (gx_parse("1 << 100", &e, &err) == 0) {
		CHECK(gx_const_fold(e->root, &v, &err) == 0);
		gd_buf b = GD_BUF_INIT;
		gx_value_format(&v, &b);
		CHECK_STR(b.data, "1267650600228229401496703205376");
		gd_buf_free(&b);
		int64_t i64;
		CHECK(!gx_value_to_int64(&v, &i64));
		gx_value_free(&v);
		gx_expr_free(e);
	}
	if (gx_parse("x + (1 << 3)", &e, &err) == 0) {
		CHECK(!gx_is_const(e->root));
		CHECK(gx_is_const(e->root->y));
		CHECK(gx_const_eval(e->root->y, &v, &err) == 0 && v.i == 8);
		gx_value_free(&v);
		gx_expr_free(e);
	}
	gd_err_clear(&err);
}

static void hit_ok_at(int line, const char *s, gx_hitop op, uint64_t n)
{
	gd_err err = GD_ERR_INIT;
	gx_hitcond h;
	if (gx_hitcond_parse(s, &h, &err) < 0) {
		gd_test_failed++;
		fprintf(stderr, "line %d: hit condition \"%s\" failed: %s\n", line,
			s, gd_err_msg(&err));
		gd_err_clear(&err);
		return;
	}
	if (h.op == op && h.n == n) {
		gd_test_passed++;
	} else {
		gd_test_failed++;
		fprintf(stderr, "line %d: hit condition \"%s\": got op %d n %llu\n",
			line, s, h.op, (unsigned long long)h.n);
	}
}
#define HIT_OK(s, op, n) hit_ok_at(__LINE__, s, op, n)

static void hit_bad_at(int line, const char *s, const char *want)
{
	gd_err err = GD_ERR_INIT;
	gx_hitcond h;
	if (gx_hitcond_parse(s, &h, &err) == 0) {
		gd_test_failed++;
		fprintf(stderr, "line %d: hit condition \"%s\" accepted\n", line, s);
		return;
	}
	if (strcmp(gd_err_msg(&err), want) == 0) {
		gd_test_passed++;
	} else {
		gd_test_failed++;
		fprintf(stderr, "line %d: hit condition \"%s\": expected \"%s\", got \"%s\"\n",
			line, s, want, gd_err_msg(&err));
	}
	gd_err_clear(&err);
}
#define HIT_BAD(s, want) hit_bad_at(__LINE__, s, want)

static int hits_matching(const char *s, uint64_t upto, char *out, size_t outsz)
{
	gd_err err = GD_ERR_INIT;
	gx_hitcond h;
	if (gx_hitcond_parse(s, &h, &err) < 0) {
		gd_err_clear(&err);
		return -1;
	}
	size_t k = 0;
	out[0] = '\0';
	for (uint64_t i = 1; i <= upto; i++)
		if (gx_hitcond_match(&h, i))
			k += (size_t)snprintf(out + k, outsz - k, "%s%llu",
					      k ? "," : "", (unsigned long long)i);
	return 0;
}

static void test_hitcond(void)
{
	HIT_OK("5", GX_HIT_EQ, 5);
	HIT_OK("== 5", GX_HIT_EQ, 5);
	HIT_OK("==5", GX_HIT_EQ, 5);
	HIT_OK("!= 3", GX_HIT_NE, 3);
	HIT_OK("> 2", GX_HIT_GT, 2);
	HIT_OK(">= 2", GX_HIT_GE, 2);
	HIT_OK("< 10", GX_HIT_LT, 10);
	HIT_OK("<= 10", GX_HIT_LE, 10);
	HIT_OK("% 2", GX_HIT_MOD, 2);
	HIT_OK("%2", GX_HIT_MOD, 2);
	HIT_OK("  >=   7  ", GX_HIT_GE, 7);
	HIT_OK("\t<\t3\n", GX_HIT_LT, 3);
	HIT_OK("0", GX_HIT_EQ, 0);
	HIT_OK("007", GX_HIT_EQ, 7);
	HIT_OK("18446744073709551615", GX_HIT_EQ, UINT64_MAX);
	HIT_OK("", GX_HIT_ANY, 0);
	HIT_OK("   ", GX_HIT_ANY, 0);

	char buf[256];
	CHECK(hits_matching("3", 10, buf, sizeof buf) == 0);
	CHECK_STR(buf, "3");
	CHECK(hits_matching("== 3", 10, buf, sizeof buf) == 0);
	CHECK_STR(buf, "3");
	CHECK(hits_matching("!= 3", 5, buf, sizeof buf) == 0);
	CHECK_STR(buf, "1,2,4,5");
	CHECK(hits_matching("> 7", 10, buf, sizeof buf) == 0);
	CHECK_STR(buf, "8,9,10");
	CHECK(hits_matching(">= 7", 10, buf, sizeof buf) == 0);
	CHECK_STR(buf, "7,8,9,10");
	CHECK(hits_matching("< 3", 10, buf, sizeof buf) == 0);
	CHECK_STR(buf, "1,2");
	CHECK(hits_matching("<= 3", 10, buf, sizeof buf) == 0);
	CHECK_STR(buf, "1,2,3");
	CHECK(hits_matching("% 3", 10, buf, sizeof buf) == 0);
	CHECK_STR(buf, "3,6,9");
	CHECK(hits_matching("", 4, buf, sizeof buf) == 0);
	CHECK_STR(buf, "1,2,3,4");

	gx_hitcond h = {GX_HIT_EQ, 3};
	CHECK(!gx_hitcond_exhausted(&h, 2));
	CHECK(gx_hitcond_exhausted(&h, 3));
	h.op = GX_HIT_LT;
	CHECK(!gx_hitcond_exhausted(&h, 1));
	CHECK(gx_hitcond_exhausted(&h, 2));
	h.op = GX_HIT_GE;
	CHECK(!gx_hitcond_exhausted(&h, 100));

	HIT_BAD("= 2", "invalid hit condition '= 2': unknown operator '=', expected a count, optionally preceded by one of ==, !=, <, <=, >, >=, %");
	HIT_BAD("=> 2", "invalid hit condition '=> 2': unknown operator '=>', expected a count, optionally preceded by one of ==, !=, <, <=, >, >=, %");
	HIT_BAD("! 2", "invalid hit condition '! 2': unknown operator '!', expected a count, optionally preceded by one of ==, !=, <, <=, >, >=, %");
	HIT_BAD("abc", "invalid hit condition 'abc': expected a count, optionally preceded by one of ==, !=, <, <=, >, >=, %");
	HIT_BAD("abc 5", "invalid hit condition 'abc 5': expected a count, optionally preceded by one of ==, !=, <, <=, >, >=, %");
	HIT_BAD(">=", "invalid hit condition '>=': expected a count (a decimal number) after '>='");
	HIT_BAD(">> 2", "invalid hit condition '>> 2': expected a count (a decimal number) after '>'");
	HIT_BAD("> -1", "invalid hit condition '> -1': expected a count (a decimal number) after '>'");
	HIT_BAD("-1", "invalid hit condition '-1': expected a count, optionally preceded by one of ==, !=, <, <=, >, >=, %");
	HIT_BAD("5x", "invalid hit condition '5x': expected nothing after the count 5, found 'x'");
	HIT_BAD("== 5 6", "invalid hit condition '== 5 6': expected nothing after the count 5, found ' 6'");
	HIT_BAD("1_000", "invalid hit condition '1_000': expected nothing after the count 1, found '_000'");
	HIT_BAD("2.5", "invalid hit condition '2.5': expected nothing after the count 2, found '.5'");
	HIT_BAD("% 0", "invalid hit condition '% 0': expected a count greater than 0 after '%'");
	HIT_BAD("18446744073709551616", "invalid hit condition '18446744073709551616': the count is too large");
}

static void log_ok_at(int line, const char *msg, const char *want)
{
	/* want: parts as [text] and {dump} */
	gd_err err = GD_ERR_INIT;
	gx_logmsg m;
	if (gx_logmsg_parse(msg, &m, &err) < 0) {
		gd_test_failed++;
		fprintf(stderr, "line %d: log message \"%s\" failed: %s\n", line,
			msg, gd_err_msg(&err));
		gd_err_clear(&err);
		return;
	}
	gd_buf b = GD_BUF_INIT;
	gd_buf_puts(&b, "");
	for (size_t i = 0; i < m.nparts; i++) {
		if (m.parts[i].is_expr) {
			gd_buf_puts(&b, "{");
			gx_dump(m.parts[i].expr->root, &b);
			gd_buf_puts(&b, "}");
		} else {
			gd_buf_printf(&b, "[%s]", m.parts[i].text);
		}
	}
	if (strcmp(b.data, want) == 0) {
		gd_test_passed++;
	} else {
		gd_test_failed++;
		fprintf(stderr, "line %d: log message \"%s\": expected %s, got %s\n",
			line, msg, want, b.data);
	}
	gd_buf_free(&b);
	gx_logmsg_free(&m);
}
#define LOG_OK(msg, want) log_ok_at(__LINE__, msg, want)

static void log_bad_at(int line, const char *msg, const char *want)
{
	gd_err err = GD_ERR_INIT;
	gx_logmsg m;
	if (gx_logmsg_parse(msg, &m, &err) == 0) {
		gd_test_failed++;
		fprintf(stderr, "line %d: log message \"%s\" accepted\n", line, msg);
		gx_logmsg_free(&m);
		return;
	}
	CHECK(m.parts == NULL && m.nparts == 0);
	if (strcmp(gd_err_msg(&err), want) == 0) {
		gd_test_passed++;
	} else {
		gd_test_failed++;
		fprintf(stderr, "line %d: log message \"%s\": expected \"%s\", got \"%s\"\n",
			line, msg, want, gd_err_msg(&err));
	}
	gd_err_clear(&err);
}
#define LOG_BAD(msg, want) log_bad_at(__LINE__, msg, want)

static void test_logmsg(void)
{
	LOG_OK("x is {x}, y={a.b[2]} {{literal}}",
	       "[x is ]{x}[, y=]{a.b[2]}[ {literal}]");
	LOG_OK("", "");
	LOG_OK("hello, world!", "[hello, world!]");
	LOG_OK("{x}", "{x}");
	LOG_OK("{x} {y} {z}", "{x}[ ]{y}[ ]{z}");
	LOG_OK("{ x + 1 }", "{(x + 1)}");
	LOG_OK("{i*2}: in callme!", "{(i * 2)}[: in callme!]");
	LOG_OK("hello {string(x)}", "[hello ]{string(x)}");
	LOG_OK("{interface{}(x)}", "{interface{}(x)}");
	LOG_OK("{m[\"}\"]} and {m[\"{\"]}", "{m[\"}\"]}[ and ]{m[\"{\"]}");
	LOG_OK("{'}'}", "{'}'}");
	LOG_OK("{`}`}", "{`}`}");
	LOG_OK("{{{x}}}", "[{]{x}[}]");
	LOG_OK("}}{{", "[}{]");
	LOG_OK("{{x}}", "[{x}]");
	LOG_OK("{net/http.DefaultClient.Timeout}", "{\"net/http\".DefaultClient.Timeout}");

	/* positions of the parts */
	gd_err err = GD_ERR_INIT;
	gx_logmsg m;
	CHECK(gx_logmsg_parse("ab{ cd }ef", &m, &err) == 0);
	CHECK_INT(m.nparts, 3);
	if (m.nparts == 3) {
		CHECK_INT(m.parts[0].pos, 0);
		CHECK(m.parts[1].is_expr);
		CHECK_STR(m.parts[1].text, "cd");
		CHECK_INT(m.parts[1].pos, 4);
		CHECK_INT(m.parts[1].len, 2);
		CHECK_INT(m.parts[2].pos, 8);
		CHECK_STR(m.parts[2].text, "ef");
	}
	gx_logmsg_free(&m);

	LOG_BAD("{", "invalid log message: '{' at column 1 is not closed (write '{{' for a literal brace)");
	LOG_BAD("a {b", "invalid log message: '{' at column 3 is not closed (write '{{' for a literal brace)");
	LOG_BAD("{a{b}", "invalid log message: '{' at column 1 is not closed (write '{{' for a literal brace)");
	LOG_BAD("{m[\"}]}", "invalid log message: '{' at column 1 is not closed (write '{{' for a literal brace)");
	LOG_BAD("}", "invalid log message: unexpected '}' at column 1 (write '}}' for a literal brace)");
	LOG_BAD("{x} }", "invalid log message: unexpected '}' at column 5 (write '}}' for a literal brace)");
	LOG_BAD("{}", "invalid log message: empty expression in '{}' at column 1");
	LOG_BAD("x={   \n}", "invalid log message: empty expression in '{}' at column 3");
	LOG_BAD("a {x +}", "invalid log message: expression {x +}: 1:4: expected operand, found 'EOF'");
	LOG_BAD("{a b}", "invalid log message: expression {a b}: 1:3: expected 'EOF', found b");
	LOG_BAD("{[]myType{{z}}}", "invalid log message: expression {[]myType{{z}}}: 1:9: composite literals are not supported in expressions");
}

int main(void)
{
	test_parse_valid();
	test_parse_tree();
	test_parse_invalid();
	test_const();
	test_hitcond();
	test_logmsg();
	return GD_TEST_SUMMARY();
}
