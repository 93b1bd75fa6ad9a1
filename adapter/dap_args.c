/* Typed request arguments: see dap_args.h.
 *
 * One parser serves every request (dap_args_parse): it resets the struct
 * to the type's defaults, runs the request's table of fields (below:
 * "the requests' tables"), each read through the helpers that word the
 * messages, and on any failure frees what was filled through the same
 * table and resets the struct again. */
#include "dap_args.h"
#include "../common/gd_array.h"

#include "gd_buf.h"
#include "gd_base64.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Largest integer a JSON number (a double) holds exactly. */
#define MAX_SAFE_INT 9007199254740991LL

/* The request being parsed: names it in messages. */
typedef struct pctx {
	const char *cmd;
	gd_err *err;
} pctx;

/* ---- messages ---- */

static int oom(pctx *c)
{
	return gd_err_set(c->err, "%s: out of memory", c->cmd);
}

/* A finite double with no fraction (no libm needed). */
static int is_whole(double d)
{
	if (!isfinite(d))
		return 0;
	if (d <= -9.2e18 || d >= 9.2e18)
		return 1; /* doubles this large have no fraction bits */
	return (double)(long long)d == d;
}

/* Shortest text that reads back as d (1.5, not 1.50000000000000000). */
static void fmt_number(double d, char *buf, size_t size)
{
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(buf, size, "%.*g", prec, d);
		if (strtod(buf, NULL) == d)
			return;
	}
}

/* What a JSON value is, for "must be X, not Y". */
static void describe(const cJSON *v, char *buf, size_t size)
{
	if (cJSON_IsString(v))
		snprintf(buf, size, "a string");
	else if (cJSON_IsTrue(v))
		snprintf(buf, size, "true");
	else if (cJSON_IsFalse(v))
		snprintf(buf, size, "false");
	else if (cJSON_IsArray(v))
		snprintf(buf, size, "an array");
	else if (cJSON_IsObject(v))
		snprintf(buf, size, "an object");
	else if (cJSON_IsNumber(v))
		fmt_number(v->valuedouble, buf, size);
	else
		snprintf(buf, size, "null");
}

/* "<cmd>: '<pfx><key>' <what>" */
static int fail(pctx *c, const char *pfx, const char *key, const char *fmt,
		...) __attribute__((format(printf, 4, 5)));
static int fail(pctx *c, const char *pfx, const char *key, const char *fmt,
		...)
{
	char *what = NULL;
	va_list ap;
	va_start(ap, fmt);
	if (vasprintf(&what, fmt, ap) < 0)
		what = NULL;
	va_end(ap);
	gd_err_set(c->err, "%s: '%s%s' %s", c->cmd, pfx ? pfx : "", key,
		   what ? what : "is not valid");
	free(what);
	return -1;
}

/* "must be <want>, not <what v is>" */
static int fail_type(pctx *c, const char *pfx, const char *key,
		     const char *want, const cJSON *v)
{
	char got[64];
	describe(v, got, sizeof(got));
	return fail(c, pfx, key, "must be %s, not %s", want, got);
}

/* ---- field readers ----
 * obj may be NULL (no arguments); a JSON null counts as missing. */

static const cJSON *field(const cJSON *obj, const char *key)
{
	if (!obj)
		return NULL;
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	return cJSON_IsNull(v) ? NULL : v;
}

static int dup_str(pctx *c, const char *s, char **out)
{
	*out = strdup(s);
	return *out ? 0 : oom(c);
}

static int opt_str(pctx *c, const cJSON *obj, const char *pfx,
		   const char *key, char **out)
{
	const cJSON *v = field(obj, key);
	if (!v)
		return 0;
	if (!cJSON_IsString(v))
		return fail_type(c, pfx, key, "a string", v);
	free(*out);
	return dup_str(c, v->valuestring, out);
}


static int opt_bool(pctx *c, const cJSON *obj, const char *pfx,
		    const char *key, int *out)
{
	const cJSON *v = field(obj, key);
	if (!v)
		return 0;
	if (!cJSON_IsBool(v))
		return fail_type(c, pfx, key, "true or false", v);
	*out = cJSON_IsTrue(v) ? 1 : 0;
	return 0;
}

/* A whole JSON number in [min, max] (|bounds| <= MAX_SAFE_INT). */
static int opt_int64(pctx *c, const cJSON *obj, const char *pfx,
		     const char *key, long long min, long long max,
		     int64_t *out, int *given)
{
	const cJSON *v = field(obj, key);
	if (given)
		*given = 0;
	if (!v)
		return 0;
	if (!cJSON_IsNumber(v))
		return fail_type(c, pfx, key, "an integer", v);
	double d = v->valuedouble;
	if (!is_whole(d))
		return fail_type(c, pfx, key, "an integer", v);
	char got[64];
	fmt_number(d, got, sizeof(got));
	if (d < (double)min) {
		if (min == 0)
			return fail(c, pfx, key, "must not be negative (got "
				    "%s)", got);
		return fail(c, pfx, key, "must be at least %lld (got %s)",
			    min, got);
	}
	if (d > (double)max)
		return fail(c, pfx, key, "must be at most %lld (got %s)",
			    max, got);
	*out = (int64_t)d;
	if (given)
		*given = 1;
	return 0;
}


static int opt_int(pctx *c, const cJSON *obj, const char *pfx,
		   const char *key, int min, int max, int *out, int *given)
{
	int64_t v;
	int g = 0;
	if (opt_int64(c, obj, pfx, key, min, max, &v, &g) < 0)
		return -1;
	if (g)
		*out = (int)v;
	if (given)
		*given = g;
	return 0;
}


/* An optional nested object (e.g. 'source', 'format'): *out NULL when
 * missing. */
static int opt_obj(pctx *c, const cJSON *obj, const char *pfx,
		   const char *key, const cJSON **out)
{
	const cJSON *v = field(obj, key);
	*out = NULL;
	if (!v)
		return 0;
	if (!cJSON_IsObject(v))
		return fail_type(c, pfx, key, "an object", v);
	*out = v;
	return 0;
}

/* An optional array: *out NULL when missing, *n its length. */
static int opt_array(pctx *c, const cJSON *obj, const char *key,
		     const char *want, const cJSON **out, size_t *n)
{
	const cJSON *v = field(obj, key);
	*out = NULL;
	*n = 0;
	if (!v)
		return 0;
	if (!cJSON_IsArray(v))
		return fail_type(c, "", key, want, v);
	int size = cJSON_GetArraySize(v);
	*out = v;
	*n = size > 0 ? (size_t)size : 0;
	return 0;
}

/* "key[i]." for messages about fields of array elements. */
static int elem_prefix(pctx *c, const char *key, size_t i, char **out)
{
	free(*out);
	*out = NULL;
	if (asprintf(out, "%s[%zu].", key, i) < 0) {
		*out = NULL;
		return oom(c);
	}
	return 0;
}

/* Element i of array key must be an object. */
static int elem_obj(pctx *c, const char *key, size_t i, const cJSON *el)
{
	if (cJSON_IsObject(el))
		return 0;
	char *name = NULL;
	if (asprintf(&name, "%s[%zu]", key, i) < 0)
		return oom(c);
	fail_type(c, "", name, "an object", el);
	free(name);
	return -1;
}

static void free_strv(char **v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		free(v[i]);
	free(v);
}

/* An optional array of strings. */
static int opt_str_array(pctx *c, const cJSON *obj, const char *key,
			 char ***out, size_t *n)
{
	const cJSON *arr;
	size_t len;
	*out = NULL;
	*n = 0;
	if (opt_array(c, obj, key, "an array of strings", &arr, &len) < 0)
		return -1;
	if (!arr)
		return 0;
	char **v = calloc(len + 1, sizeof(*v));
	if (!v)
		return oom(c);
	size_t i = 0;
	const cJSON *el;
	cJSON_ArrayForEach(el, arr) {
		if (!cJSON_IsString(el)) {
			char *name = NULL;
			if (asprintf(&name, "%s[%zu]", key, i) < 0)
				name = NULL;
			if (name)
				fail_type(c, "", name, "a string", el);
			else
				oom(c);
			free(name);
			free_strv(v, i);
			return -1;
		}
		if (dup_str(c, el->valuestring, &v[i]) < 0) {
			free_strv(v, i);
			return -1;
		}
		i++;
	}
	*out = v;
	*n = i;
	return 0;
}

/* args must be absent/null or an object; *obj is NULL for "no fields". */
static int args_obj(pctx *c, const cJSON *args, const cJSON **obj)
{
	*obj = NULL;
	if (!args || cJSON_IsNull(args))
		return 0;
	if (!cJSON_IsObject(args)) {
		char got[64];
		describe(args, got, sizeof(got));
		return gd_err_set(c->err, "%s: the arguments must be an object, "
				  "not %s", c->cmd, got);
	}
	*obj = args;
	return 0;
}

/* ---- the field tables ----
 * Each request's arguments are a table of steps, run in order (so the
 * first problem a reader of the JSON would meet is the one reported).  A
 * step reads one JSON field into a member of the struct, found by its
 * offset, or runs a check over what was read so far.  The same table
 * frees what the parse filled: members are freed by their kind. */

enum kind {
	K_STR,    /* char *; `choices`: must be one of them */
	K_ENUM,   /* a string among `choices` -> int, its index + 1 */
	K_BOOL,   /* int 0/1 (kept when absent: DAP_ARGS_UNSET stays) */
	K_INT,    /* int in [min, max]; aux: an int set to 1 when given */
	K_INT64,  /* int64_t in [min, max] */
	K_STRV,   /* char ** (NULL-terminated); aux: its size_t count */
	K_MEM,    /* a heap block filled by fn (freed with free) */
	K_OBJ,    /* a nested object: sub's steps over the member; aux: an
		   * int set to 1 when given */
	K_ARRAY,  /* an array of objects: sub->size-byte items at off, the
		   * size_t count at aux; `want` words the type error */
	K_INLINE, /* sub's steps over the same struct (shared fields) */
	K_ADDR,   /* uint64_t: the memoryReference string at aux plus the
		   * int64_t offset at aux2 */
	K_CHECK,  /* fn only: checks or fills what the others cannot */
};

enum { REQ = 1, NONEMPTY = 2 };
#define NO_AUX ((size_t)-1)

typedef struct table table;

typedef struct step {
	const char *key;
	unsigned char kind, flags;
	size_t off, aux, aux2;
	long long min, max;
	const table *sub;
	const char *const *choices; /* NULL-terminated */
	int shown;                  /* choices named in the message; 0: all */
	const char *want;
	/* Reads the field itself (any kind but K_CHECK: the kind then only
	 * says how to free it), or checks (K_CHECK). */
	int (*fn)(pctx *c, const cJSON *obj, void *base);
} step;

struct table {
	const step *steps;
	size_t n;
	size_t size; /* of the struct the steps fill (array items) */
};

struct dap_args_type {
	const char *cmd;
	size_t size;
	const table *parse;
	const table *owns; /* what a struct of this type can hold (free) */
	void (*defaults)(void *o);
};

#define TABLE(name, T, ...)                                                    \
	static const step name##_steps[] = {__VA_ARGS__};                      \
	static const table name = {name##_steps,                               \
				   sizeof(name##_steps) / sizeof(step),        \
				   sizeof(T)}

#define M(T, m) offsetof(T, m)
#define STR(k, T, m) {.key = k, .kind = K_STR, .off = M(T, m)}
#define REQ_STR(k, T, m) {.key = k, .kind = K_STR, .flags = REQ, .off = M(T, m)}
#define NAME_STR(k, T, m)                                                      \
	{.key = k, .kind = K_STR, .flags = REQ | NONEMPTY, .off = M(T, m)}
#define CHOICE(k, T, m, ch, nshown)                                            \
	{.key = k, .kind = K_STR, .off = M(T, m), .choices = ch,               \
	 .shown = nshown}
#define ENUM(k, T, m, ch) {.key = k, .kind = K_ENUM, .off = M(T, m), .choices = ch}
#define BOOL(k, T, m) {.key = k, .kind = K_BOOL, .off = M(T, m)}
#define INT(k, T, m, lo, hi)                                                   \
	{.key = k, .kind = K_INT, .off = M(T, m), .aux = NO_AUX, .min = lo,    \
	 .max = hi}
#define REQ_INT(k, T, m, lo, hi)                                               \
	{.key = k, .kind = K_INT, .flags = REQ, .off = M(T, m), .aux = NO_AUX, \
	 .min = lo, .max = hi}
#define INT_GIVEN(k, T, m, g, lo, hi)                                          \
	{.key = k, .kind = K_INT, .off = M(T, m), .aux = M(T, g), .min = lo,   \
	 .max = hi}
#define INT64(k, T, m, lo, hi)                                                 \
	{.key = k, .kind = K_INT64, .off = M(T, m), .min = lo, .max = hi}
#define REQ_INT64(k, T, m, lo, hi)                                             \
	{.key = k, .kind = K_INT64, .flags = REQ, .off = M(T, m), .min = lo,   \
	 .max = hi}
#define STRV(k, T, m, n) {.key = k, .kind = K_STRV, .off = M(T, m), .aux = M(T, n)}
#define OBJ(k, T, m, g, t)                                                     \
	{.key = k, .kind = K_OBJ, .off = M(T, m), .aux = M(T, g), .sub = &t}
/* a nested object whose fields are members of the same struct */
#define FLAT_OBJ(k, flags_v, t)                                                \
	{.key = k, .kind = K_OBJ, .flags = flags_v, .off = 0, .aux = NO_AUX,   \
	 .sub = &t}
#define ARRAY(k, flags_v, T, m, n, t, w)                                       \
	{.key = k, .kind = K_ARRAY, .flags = flags_v, .off = M(T, m),          \
	 .aux = M(T, n), .sub = &t, .want = w}
#define NONEMPTY_STR(k, T, m)                                                  \
	{.key = k, .kind = K_STR, .flags = NONEMPTY, .off = M(T, m)}
#define REQ_STRV(k, T, m, n)                                                   \
	{.key = k, .kind = K_STRV, .flags = REQ, .off = M(T, m), .aux = M(T, n)}
#define ADDR(T, m, ref, offset)                                                \
	{.kind = K_ADDR, .off = M(T, m), .aux = M(T, ref), .aux2 = M(T, offset)}
#define INLINE(t) {.kind = K_INLINE, .sub = &t}
#define CHECK(f) {.kind = K_CHECK, .fn = f}
/* a field read by fn, freed as kind k */
#define CUSTOM(k, kind_v, T, m, n, t, f)                                       \
	{.key = k, .kind = kind_v, .off = M(T, m), .aux = n, .sub = t, .fn = f}

static int run_steps(pctx *c, const table *t, const cJSON *obj,
		     const char *pfx, char *base);

/* 'must be "a", "b" or "c", not "x"' unless v is one of s->choices. */
static int check_choice(pctx *c, const step *s, const char *pfx,
			const char *v, int *index)
{
	size_t n = 0;
	while (s->choices[n])
		n++;
	for (size_t i = 0; i < n; i++)
		if (strcmp(s->choices[i], v) == 0) {
			*index = (int)i;
			return 0;
		}
	size_t shown = s->shown ? (size_t)s->shown : n;
	gd_buf b = GD_BUF_INIT;
	for (size_t i = 0; i < shown; i++)
		if (gd_buf_printf(&b, "%s\"%s\"",
				  i == 0 ? "" : i + 1 == shown ? " or " : ", ",
				  s->choices[i]) < 0) {
			gd_buf_free(&b);
			return oom(c);
		}
	fail(c, pfx, s->key, "must be %s, not \"%s\"", b.data ? b.data : "",
	     v);
	gd_buf_free(&b);
	return -1;
}

static int read_str(pctx *c, const step *s, const cJSON *obj,
		    const char *pfx, char **out)
{
	if (opt_str(c, obj, pfx, s->key, out) < 0)
		return -1;
	int index;
	if (*out && (s->flags & NONEMPTY) && !**out)
		return fail(c, pfx, s->key, "must not be empty");
	if (*out && s->choices)
		return check_choice(c, s, pfx, *out, &index);
	return 0;
}

static int read_enum(pctx *c, const step *s, const cJSON *obj,
		     const char *pfx, int *out)
{
	char *v = NULL;
	int index = 0;
	if (opt_str(c, obj, pfx, s->key, &v) < 0)
		return -1;
	int rc = v ? check_choice(c, s, pfx, v, &index) : 0;
	if (v && rc == 0)
		*out = index + 1;
	free(v);
	return rc;
}

static int read_obj(pctx *c, const step *s, const cJSON *obj,
		    const char *pfx, char *base)
{
	const cJSON *o;
	if (opt_obj(c, obj, pfx, s->key, &o) < 0)
		return -1;
	if (!o)
		return 0;
	if (s->aux != NO_AUX)
		*(int *)(base + s->aux) = 1;
	char *inner = NULL;
	if (asprintf(&inner, "%s%s.", pfx, s->key) < 0)
		return oom(c);
	int rc = run_steps(c, s->sub, o, inner, base + s->off);
	free(inner);
	return rc;
}

static int read_array(pctx *c, const step *s, const cJSON *obj, char *base)
{
	const cJSON *arr;
	size_t n;
	if (opt_array(c, obj, s->key, s->want, &arr, &n) < 0)
		return -1;
	if (!arr)
		return 0;
	char **items = (char **)(base + s->off);
	size_t *count = (size_t *)(base + s->aux);
	*items = calloc(n ? n : 1, s->sub->size);
	if (!*items)
		return oom(c);
	char *pfx = NULL;
	int rc = 0;
	const cJSON *el;
	size_t i = 0;
	cJSON_ArrayForEach(el, arr) {
		/* counted first: a half-read item is freed with the rest */
		char *item = *items + (*count)++ * s->sub->size;
		if (elem_obj(c, s->key, i, el) < 0 ||
		    elem_prefix(c, s->key, i, &pfx) < 0 ||
		    run_steps(c, s->sub, el, pfx, item) < 0) {
			rc = -1;
			break;
		}
		i++;
	}
	free(pfx);
	return rc;
}

static int run_step(pctx *c, const step *s, const cJSON *obj,
		    const char *pfx, char *base)
{
	void *m = base + s->off;
	if (s->key && (s->flags & REQ) && !field(obj, s->key))
		return fail(c, pfx, s->key, "is required");
	if (s->fn)
		return s->fn(c, obj, base);
	switch (s->kind) {
	case K_STR:
		return read_str(c, s, obj, pfx, m);
	case K_ENUM:
		return read_enum(c, s, obj, pfx, m);
	case K_BOOL:
		return opt_bool(c, obj, pfx, s->key, m);
	case K_INT:
		return opt_int(c, obj, pfx, s->key, (int)s->min, (int)s->max, m,
			       s->aux == NO_AUX ? NULL : (int *)(base + s->aux));
	case K_INT64:
		return opt_int64(c, obj, pfx, s->key, s->min, s->max, m, NULL);
	case K_STRV:
		return opt_str_array(c, obj, s->key, m,
				     (size_t *)(base + s->aux));
	case K_OBJ:
		return read_obj(c, s, obj, pfx, base);
	case K_ARRAY:
		return read_array(c, s, obj, base);
	case K_INLINE:
		return run_steps(c, s->sub, obj, pfx, base);
	case K_ADDR:
		/* the address the request means: memoryReference + offset */
		if (dap_args_memory_reference(*(char **)(base + s->aux), m,
					      c->err) < 0)
			return gd_err_wrap(c->err, "%s", c->cmd);
		*(uint64_t *)m += (uint64_t) * (int64_t *)(base + s->aux2);
		return 0;
	default:
		return 0;
	}
}

static int run_steps(pctx *c, const table *t, const cJSON *obj,
		     const char *pfx, char *base)
{
	for (size_t i = 0; i < t->n; i++)
		if (run_step(c, &t->steps[i], obj, pfx, base) < 0)
			return -1;
	return 0;
}

static void free_steps(const table *t, char *base)
{
	for (size_t i = 0; i < t->n; i++) {
		const step *s = &t->steps[i];
		void *m = base + s->off;
		switch (s->kind) {
		case K_STR:
		case K_MEM:
			free(*(void **)m);
			break;
		case K_STRV:
			free_strv(*(char ***)m, *(size_t *)(base + s->aux));
			break;
		case K_OBJ:
			free_steps(s->sub, m);
			break;
		case K_INLINE:
			free_steps(s->sub, base);
			break;
		case K_ARRAY: {
			char *items = *(char **)m;
			size_t n = *(size_t *)(base + s->aux);
			for (size_t j = 0; items && j < n; j++)
				free_steps(s->sub, items + j * s->sub->size);
			free(items);
			break;
		}
		default:
			break;
		}
	}
}

static void reset(const dap_args_type *t, void *a)
{
	memset(a, 0, t->size);
	if (t->defaults)
		t->defaults(a);
}

void dap_args_free(const dap_args_type *t, void *a)
{
	free_steps(t->owns ? t->owns : t->parse, a);
	reset(t, a);
}

int dap_args_parse(const dap_args_type *t, const cJSON *args, void *out,
		   gd_err *err)
{
	pctx c = {t->cmd, err};
	const cJSON *a;
	reset(t, out);
	if (args_obj(&c, args, &a) < 0 ||
	    run_steps(&c, t->parse, a, "", out) < 0) {
		dap_args_free(t, out);
		return -1;
	}
	return 0;
}

size_t dap_args_size(const dap_args_type *t)
{
	return t->size;
}

/* A request's type: TYPE(name, cmd, T, parse table, owns table or NULL,
 * defaults or NULL) makes dap_args_<name>_type. */
#define TYPE(name, command, T, parse_t, owns_t, defaults_fn)                   \
	const dap_args_type dap_args_##name##_type = {command, sizeof(T),      \
						      &parse_t, owns_t,        \
						      defaults_fn}

/* ---- launch / attach ---- */

typedef struct strv {
	char **v;
	size_t n, cap;
} strv;

static int strv_push(strv *s, char *str)
{
	/* Room for str and the NULL that ends the vector. */
	if (gd_grow(&s->v, &s->cap, s->n + 1, sizeof(*s->v), 8) < 0)
		return -1;
	s->v[s->n++] = str;
	s->v[s->n] = NULL;
	return 0;
}

int dap_args_split_flags(const char *s, char ***out, size_t *n, gd_err *err)
{
	strv words = {0};
	gd_buf w = GD_BUF_INIT;
	int in_word = 0;
	char quote = 0;
	*out = NULL;
	*n = 0;
	for (const char *p = s;; p++) {
		char ch = *p;
		if (ch == '\0' || (!quote && (ch == ' ' || ch == '\t' ||
					      ch == '\n' || ch == '\r'))) {
			if (ch == '\0' && quote) {
				gd_buf_free(&w);
				free_strv(words.v, words.n);
				return gd_err_set(err, "unterminated %c quote "
						  "in \"%s\"", quote, s);
			}
			if (in_word) {
				char *word = gd_buf_detach(&w);
				if (!word || strv_push(&words, word) < 0) {
					free(word);
					free_strv(words.v, words.n);
					return gd_err_set(err, "out of memory");
				}
				in_word = 0;
			}
			if (ch == '\0')
				break;
			continue;
		}
		in_word = 1; /* even '' is a (empty) word */
		if (quote && ch == quote) {
			quote = 0;
		} else if (!quote && (ch == '\'' || ch == '"')) {
			quote = ch;
		} else if (gd_buf_append(&w, &ch, 1) < 0) {
			gd_buf_free(&w);
			free_strv(words.v, words.n);
			return gd_err_set(err, "out of memory");
		}
	}
	gd_buf_free(&w);
	*out = words.v;
	*n = words.n;
	return 0;
}

static int parse_build_flags(pctx *c, const cJSON *a, void *base)
{
	dap_args_launch *o = base;
	const cJSON *v = field(a, "buildFlags");
	if (!v)
		return 0;
	if (cJSON_IsString(v)) {
		if (dap_args_split_flags(v->valuestring, &o->build_flags,
					 &o->nbuild_flags, c->err) < 0)
			return gd_err_wrap(c->err, "%s: 'buildFlags'", c->cmd);
		return 0;
	}
	if (!cJSON_IsArray(v))
		return fail_type(c, "", "buildFlags",
				 "a string or an array of strings", v);
	return opt_str_array(c, a, "buildFlags", &o->build_flags,
			     &o->nbuild_flags);
}

static int parse_env(pctx *c, const cJSON *a, void *base)
{
	dap_args_launch *o = base;
	const cJSON *env = NULL;
	if (opt_obj(c, a, "", "env", &env) < 0)
		return -1;
	if (!env)
		return 0;
	int size = cJSON_GetArraySize(env);
	o->env = calloc(size > 0 ? (size_t)size : 1, sizeof(*o->env));
	if (!o->env)
		return oom(c);
	const cJSON *el;
	cJSON_ArrayForEach(el, env) {
		const char *name = el->string ? el->string : "";
		if (!name[0])
			return gd_err_set(c->err, "%s: 'env' has a variable "
					  "with an empty name", c->cmd);
		if (strchr(name, '='))
			return gd_err_set(c->err, "%s: 'env' variable name "
					  "'%s' must not contain '='", c->cmd,
					  name);
		if (!cJSON_IsString(el) && !cJSON_IsNull(el))
			return fail_type(c, "env.", name,
					 "a string (or null to unset it)", el);
		dap_args_env_var *e = &o->env[o->nenv++];
		if (dup_str(c, name, &e->name) < 0)
			return -1;
		if (cJSON_IsString(el) &&
		    dup_str(c, el->valuestring, &e->value) < 0)
			return -1;
	}
	return 0;
}

/* ---- envFile ---- */

void dap_args_env_free(dap_args_env_var *vars, size_t n)
{
	for (size_t i = 0; vars && i < n; i++) {
		free(vars[i].name);
		free(vars[i].value);
	}
	free(vars);
}

typedef struct envv {
	dap_args_env_var *v;
	size_t n, cap;
} envv;

/* Sets name (taken) to value (taken; NULL unsets): replaces an entry of
 * the same name, else appends. */
static int envv_set(envv *e, char *name, char *value)
{
	for (size_t i = 0; i < e->n; i++) {
		if (strcmp(e->v[i].name, name) == 0) {
			free(name);
			free(e->v[i].value);
			e->v[i].value = value;
			return 0;
		}
	}
	if (gd_grow(&e->v, &e->cap, e->n + 1, sizeof(*e->v), 8) < 0) {
		free(name);
		free(value);
		return -1;
	}
	e->v[e->n++] = (dap_args_env_var){name, value};
	return 0;
}

static int is_key_char(char ch, int first)
{
	return ch == '_' || isalpha((unsigned char)ch) ||
	       (!first && (isdigit((unsigned char)ch) || ch == '.' || ch == '-'));
}

/* One line (without its newline) into e.  0, or -1 with a message. */
static int env_line(const char *p, const char *end, envv *e,
		    const char *name, size_t lineno, gd_err *err)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (p == end || *p == '#')
		return 0;
	if (end - p > 7 && strncmp(p, "export", 6) == 0 &&
	    (p[6] == ' ' || p[6] == '\t')) {
		p += 6;
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
	}
	const char *k = p;
	while (p < end && is_key_char(*p, p == k))
		p++;
	const char *kend = p;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (kend == k || p == end || *p != '=')
		return gd_err_set(err, "envFile %s line %zu: expected "
				  "KEY=VALUE", name, lineno);
	p++;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	gd_buf val = GD_BUF_INIT;
	int rc = 0;
	if (p < end && (*p == '"' || *p == '\'')) {
		char q = *p++;
		int closed = 0;
		while (p < end && rc == 0) {
			char ch = *p++;
			if (ch == q) {
				closed = 1;
				break;
			}
			if (q == '"' && ch == '\\' && p < end) {
				char x = *p++;
				ch = x == 'n' ? '\n' : x == 't' ? '\t'
				     : x == 'r' ? '\r' : x;
				if (x != 'n' && x != 't' && x != 'r' &&
				    x != '"' && x != '\\' && x != '$' &&
				    gd_buf_append(&val, "\\", 1) < 0)
					rc = -1;
			}
			if (rc == 0 && gd_buf_append(&val, &ch, 1) < 0)
				rc = -1;
		}
		if (rc == 0 && !closed) {
			gd_buf_free(&val);
			return gd_err_set(err, "envFile %s line %zu: "
					  "unterminated %c quote", name, lineno,
					  q);
		}
		while (rc == 0 && p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (rc == 0 && p < end && *p != '#') {
			gd_buf_free(&val);
			return gd_err_set(err, "envFile %s line %zu: text "
					  "after the closing quote", name,
					  lineno);
		}
	} else {
		const char *v = p, *vend = p;
		for (; p < end; p++) {
			if (*p == '#' && p > v && (p[-1] == ' ' || p[-1] == '\t'))
				break;
			if (*p != ' ' && *p != '\t')
				vend = p + 1;
		}
		if (gd_buf_append(&val, v, (size_t)(vend - v)) < 0 ||
		    gd_buf_append(&val, "", 0) < 0)
			rc = -1;
	}
	char *key = rc == 0 ? strndup(k, (size_t)(kend - k)) : NULL;
	char *value = rc == 0 ? gd_buf_detach(&val) : NULL;
	gd_buf_free(&val);
	if (!key || !value) {
		free(key);
		free(value);
		return gd_err_set(err, "out of memory");
	}
	if (envv_set(e, key, value) < 0)
		return gd_err_set(err, "out of memory");
	return 0;
}

int dap_args_env_file_parse(const char *text, size_t len, const char *name,
			    dap_args_env_var **vars, size_t *n, gd_err *err)
{
	envv e = {0};
	const char *p = text, *end = text + len;
	size_t lineno = 0;
	*vars = NULL;
	*n = 0;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *lend = nl ? nl : end;
		const char *cut = lend > p && lend[-1] == '\r' ? lend - 1 : lend;
		lineno++;
		if (env_line(p, cut, &e, name, lineno, err) < 0) {
			dap_args_env_free(e.v, e.n);
			return -1;
		}
		p = nl ? nl + 1 : end;
	}
	*vars = e.v;
	*n = e.n;
	return 0;
}

static int read_file(const char *path, gd_buf *out, gd_err *err)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return gd_err_sys(err, "cannot read envFile %s", path);
	char buf[4096];
	size_t got;
	int rc = 0;
	while ((got = fread(buf, 1, sizeof(buf), f)) > 0)
		if (gd_buf_append(out, buf, got) < 0) {
			rc = gd_err_set(err, "out of memory");
			break;
		}
	if (rc == 0 && ferror(f))
		rc = gd_err_sys(err, "cannot read envFile %s", path);
	(void)fclose(f); /* read only: nothing to lose */
	return rc;
}

/* envFile (a path or an array of paths), then env over it: o->env holds
 * one entry per name. */
static int merge_env_files(pctx *c, const cJSON *a, void *base)
{
	dap_args_launch *o = base;
	const cJSON *v = field(a, "envFile");
	char **files = NULL;
	size_t nfiles = 0;
	if (!v)
		return 0;
	if (cJSON_IsString(v)) {
		files = calloc(2, sizeof(*files));
		if (!files || dup_str(c, v->valuestring, &files[0]) < 0) {
			free(files);
			return files ? -1 : oom(c);
		}
		nfiles = 1;
	} else if (!cJSON_IsArray(v)) {
		return fail_type(c, "", "envFile",
				 "a path or an array of paths", v);
	} else if (opt_str_array(c, a, "envFile", &files, &nfiles) < 0) {
		return -1;
	}
	envv e = {0};
	int rc = 0;
	for (size_t i = 0; i < nfiles && rc == 0; i++) {
		gd_buf text = GD_BUF_INIT;
		dap_args_env_var *vars = NULL;
		size_t n = 0;
		if (read_file(files[i], &text, c->err) < 0 ||
		    dap_args_env_file_parse(text.data ? text.data : "",
					    text.len, files[i], &vars, &n,
					    c->err) < 0) {
			gd_err_wrap(c->err, "%s", c->cmd);
			rc = -1;
		}
		gd_buf_free(&text);
		for (size_t j = 0; j < n && rc == 0; j++) {
			rc = envv_set(&e, vars[j].name, vars[j].value);
			vars[j].name = vars[j].value = NULL;
			if (rc < 0)
				oom(c);
		}
		dap_args_env_free(vars, n);
	}
	free_strv(files, nfiles);
	/* env wins: its entries replace the files' ones. */
	for (size_t j = 0; j < o->nenv && rc == 0; j++) {
		rc = envv_set(&e, o->env[j].name, o->env[j].value);
		o->env[j].name = o->env[j].value = NULL;
		if (rc < 0)
			oom(c);
	}
	if (rc < 0) {
		dap_args_env_free(e.v, e.n);
		return -1;
	}
	dap_args_env_free(o->env, o->nenv);
	o->env = e.v;
	o->nenv = e.n;
	return 0;
}

/* showPprofLabels: true/false, or an array of label keys ("*": all). */
static int parse_pprof_labels(pctx *c, const cJSON *a, void *base)
{
	dap_args_launch *o = base;
	const cJSON *v = field(a, "showPprofLabels");
	if (!v)
		return 0;
	if (cJSON_IsBool(v)) {
		o->show_pprof_labels = cJSON_IsTrue(v);
		return 0;
	}
	if (!cJSON_IsArray(v))
		return fail_type(c, "", "showPprofLabels",
				 "true, false or an array of label keys", v);
	if (opt_str_array(c, a, "showPprofLabels", &o->pprof_label_keys,
			  &o->npprof_label_keys) < 0)
		return -1;
	o->show_pprof_labels = o->npprof_label_keys > 0;
	for (size_t i = 0; i < o->npprof_label_keys; i++)
		if (strcmp(o->pprof_label_keys[i], "*") == 0) {
			free_strv(o->pprof_label_keys, o->npprof_label_keys);
			o->pprof_label_keys = NULL;
			o->npprof_label_keys = 0;
			break;
		}
	return 0;
}

/* ---- requests without arguments ---- */

int dap_args_none_parse(const char *command, const cJSON *args, gd_err *err)
{
	pctx c = {command, err};
	const cJSON *a;
	return args_obj(&c, args, &a);
}

int dap_args_memory_reference(const char *ref, uint64_t *addr, gd_err *err)
{
	*addr = 0;
	if (!ref)
		return gd_err_set(err, "no memory reference");
	const char *p = ref;
	int base = 10;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		p += 2;
		base = 16;
	}
	int ok = base == 16 ? isxdigit((unsigned char)p[0])
			    : (p[0] >= '0' && p[0] <= '9');
	char *end = NULL;
	errno = 0;
	unsigned long long v = ok ? strtoull(p, &end, base) : 0;
	if (!ok || !end || *end || errno)
		return gd_err_set(err, "memory reference '%s' is not an "
				  "address (expected 0x followed by hex "
				  "digits)", ref);
	*addr = (uint64_t)v;
	return 0;
}


/* ---- the requests' tables ----
 * One table per argument struct (and per request where requests share a
 * struct but not its fields); a step per JSON field, in DAP's order. */

/* ---- initialize ---- */

static int initialize_path(pctx *c, const cJSON *a, void *base)
{
	dap_args_initialize *o = base;
	(void)a;
	return o->path_format ? 0 : dup_str(c, "path", &o->path_format);
}

#define T dap_args_initialize
TABLE(initialize_t, T,
      STR("clientID", T, client_id),
      STR("clientName", T, client_name),
      STR("adapterID", T, adapter_id),
      STR("locale", T, locale),
      STR("pathFormat", T, path_format),
      BOOL("linesStartAt1", T, lines_start_at1),
      BOOL("columnsStartAt1", T, columns_start_at1),
      BOOL("supportsVariableType", T, supports_variable_type),
      BOOL("supportsVariablePaging", T, supports_variable_paging),
      BOOL("supportsRunInTerminalRequest", T, supports_run_in_terminal_request),
      BOOL("supportsMemoryReferences", T, supports_memory_references),
      BOOL("supportsProgressReporting", T, supports_progress_reporting),
      BOOL("supportsInvalidatedEvent", T, supports_invalidated_event),
      BOOL("supportsMemoryEvent", T, supports_memory_event),
      BOOL("supportsArgsCanBeInterpretedByShell",
	   T, supports_args_can_be_interpreted_by_shell),
      BOOL("supportsStartDebuggingRequest", T, supports_start_debugging_request),
      CHECK(initialize_path));
#undef T

static void initialize_defaults(void *p)
{
	dap_args_initialize *o = p;
	o->lines_start_at1 = 1;
	o->columns_start_at1 = 1;
}
TYPE(initialize, "initialize", dap_args_initialize, initialize_t, NULL,
     initialize_defaults);

/* ---- launch / attach ---- */

static int launch_mode(pctx *c, const cJSON *a, void *base)
{
	dap_args_launch *o = base;
	(void)a;
	if (o->mode && strcmp(o->mode, "debug") != 0 &&
	    strcmp(o->mode, "exec") != 0 && strcmp(o->mode, "test") != 0 &&
	    strcmp(o->mode, "auto") != 0 && strcmp(o->mode, "core") != 0)
		return gd_err_set(c->err, "launch: mode \"%s\" is not "
				  "supported (supported: \"debug\", the "
				  "default, \"exec\", \"test\", \"auto\" and "
				  "\"core\")", o->mode);
	return 0;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* No mode, or "auto" as vscode-go resolves it: a test file means test. */
static int launch_auto(pctx *c, const cJSON *a, void *base)
{
	dap_args_launch *o = base;
	(void)a;
	if (o->mode && strcmp(o->mode, "auto") != 0)
		return 0;
	const char *m = o->mode && ends_with(o->program, "_test.go") ? "test"
								     : "debug";
	free(o->mode);
	o->mode = NULL;
	return dup_str(c, m, &o->mode);
}

/* mode "core": program is the executable the core was dumped from
 * (vscode-go's names). */
static int launch_core(pctx *c, const cJSON *a, void *base)
{
	dap_args_launch *o = base;
	(void)a;
	if (strcmp(o->mode, "core") == 0 &&
	    (!o->corefile_path || !o->corefile_path[0]))
		return fail(c, "", "coreFilePath",
			    "is required with mode \"core\"");
	return 0;
}

static int launch_console(pctx *c, const cJSON *a, void *base)
{
	dap_args_launch *o = base;
	(void)a;
	if (o->console && strcmp(o->console, "internalConsole") != 0 &&
	    strcmp(o->console, "integratedTerminal") != 0 &&
	    strcmp(o->console, "externalTerminal") != 0)
		return gd_err_set(c->err, "launch: console \"%s\" is not "
				  "supported (supported: \"internalConsole\", "
				  "the default, \"integratedTerminal\" and "
				  "\"externalTerminal\")", o->console);
	if (!o->console)
		return dup_str(c, "internalConsole", &o->console);
	return 0;
}

static int attach_mode(pctx *c, const cJSON *a, void *base)
{
	dap_args_launch *o = base;
	(void)a;
	if (o->mode && strcmp(o->mode, "remote") == 0)
		return gd_err_set(c->err, "attach: mode \"remote\" joins a program "
				  "this godap already debugs (started with "
				  "--listen --accept-multiclient, left by an "
				  "earlier client); there is none: launch it "
				  "(mode \"exec\") or attach with processId");
	if (o->mode && strcmp(o->mode, "local") != 0)
		return gd_err_set(c->err, "attach: mode \"%s\" is not "
				  "supported (supported: \"local\", and "
				  "\"remote\" with --accept-multiclient)", o->mode);
	if (!o->mode)
		return dup_str(c, "local", &o->mode);
	return 0;
}

/* processId: an integer, or a string of digits (what a process picker
 * substitutes into launch.json); or waitFor, not both. */
static int attach_target(pctx *c, const cJSON *a, void *base)
{
	dap_args_launch *o = base;
	if (o->wait_for && field(a, "processId"))
		return gd_err_set(c->err, "attach: give 'processId' or "
				  "'waitFor', not both");
	if (o->wait_for)
		return 0;
	const cJSON *v = field(a, "processId");
	if (!v)
		return gd_err_set(c->err, "%s: 'processId' (or 'waitFor') is "
				  "required", c->cmd);
	if (cJSON_IsString(v)) {
		const char *s = v->valuestring;
		char *end = NULL;
		errno = 0;
		long long n = (s[0] >= '0' && s[0] <= '9')
				      ? strtoll(s, &end, 10) : 0;
		if (!end || *end || errno || n <= 0 || n > INT_MAX)
			return fail(c, "", "processId",
				    "must be a process id (a positive "
				    "integer), not '%s'", s);
		o->process_id = (int)n;
		return 0;
	}
	return opt_int(c, a, "", "processId", 1, INT_MAX, &o->process_id, NULL);
}

static const char *const flavors[] = {"go", "intel", "gnu",
				      "att", /* gnu's other name: not offered */
				      NULL};

#define T dap_args_subst
TABLE(subst_t, T, REQ_STR("from", T, from), REQ_STR("to", T, to));
#undef T
#define T dap_args_env_var
/* what an env entry holds (filled by parse_env and merge_env_files) */
TABLE(env_var_t, T, STR("name", T, name), STR("value", T, value));
#undef T

#define T dap_args_launch
/* Fields launch and attach share. */
TABLE(launch_common_t, T,
      CHOICE("disassembleFlavor", T, disassemble_flavor, flavors, 3),
      CUSTOM("showPprofLabels", K_STRV, T, pprof_label_keys,
	     M(T, npprof_label_keys), NULL, parse_pprof_labels),
      INT("maxStringLen", T, max_string_len, 1, DAP_ARGS_MAX_COUNT),
      INT("maxArrayValues", T, max_array_values, 1, DAP_ARGS_MAX_COUNT),
      STR("goroutineFilters", T, goroutine_filters),
      STR("cwd", T, cwd),
      ARRAY("substitutePath", 0, T, substitute_path, nsubstitute_path, subst_t,
	    "an array of {\"from\", \"to\"} objects"),
      BOOL("stopOnEntry", T, stop_on_entry),
      BOOL("hideSystemGoroutines", T, hide_system_goroutines),
      BOOL("stepHoldsOthers", T, step_holds_others),
      BOOL("ebpfConditions", T, ebpf_conditions),
      BOOL("ebpfJumpPads", T, ebpf_jump_pads),
      BOOL("showGlobalVariables", T, show_global_variables),
      BOOL("showRegisters", T, show_registers),
      INT("stackTraceDepth", T, stack_trace_depth, 1, DAP_ARGS_MAX_COUNT),
      INT("callTimeout", T, call_timeout, 1, 86400));
TABLE(launch_t, T,
      STR("mode", T, mode),
      CHECK(launch_mode),
      NAME_STR("program", T, program),
      CHECK(launch_auto),
      STR("coreFilePath", T, corefile_path),
      CHECK(launch_core),
      STRV("args", T, args, nargs),
      CUSTOM("env", K_ARRAY, T, env, M(T, nenv), &env_var_t, parse_env),
      CHECK(merge_env_files),
      CUSTOM("buildFlags", K_STRV, T, build_flags, M(T, nbuild_flags), NULL,
	     parse_build_flags),
      STR("output", T, output),
      BOOL("noDebug", T, no_debug),
      STR("console", T, console),
      INLINE(launch_common_t),
      CHECK(launch_console));
TABLE(attach_t, T,
      STR("mode", T, mode),
      CHECK(attach_mode),
      NONEMPTY_STR("waitFor", T, wait_for),
      CHECK(attach_target),
      INLINE(launch_common_t));
/* what a launch or attach configuration can hold */
TABLE(launch_owns_t, T, INLINE(launch_t), STR("waitFor", T, wait_for));
#undef T

static void launch_defaults(void *p)
{
	dap_args_launch *o = p;
	o->stack_trace_depth = DAP_ARGS_DEFAULT_STACK_DEPTH;
	o->call_timeout = DAP_ARGS_DEFAULT_CALL_TIMEOUT;
	/* Conditions in the kernel where it allows (test_ebpf.py shows both
	 * paths give the same results); "ebpfConditions": false turns it off. */
	o->ebpf_conditions = 1;
	/* Pads where they fit (test_ebpf.py runs both placements). */
	o->ebpf_jump_pads = 1;
}

static void attach_defaults(void *p)
{
	dap_args_launch *o = p;
	launch_defaults(o);
	o->attach = 1;
}
TYPE(launch, "launch", dap_args_launch, launch_t, &launch_owns_t,
     launch_defaults);
TYPE(attach, "attach", dap_args_launch, attach_t, &launch_owns_t,
     attach_defaults);

int dap_args_restart_parse(const cJSON *args, int attach,
			   dap_args_launch *out, int *given, gd_err *err)
{
	pctx c = {"restart", err};
	const cJSON *a;
	*given = 0;
	reset(&dap_args_launch_type, out);
	if (args_obj(&c, args, &a) < 0)
		return -1;
	const cJSON *cfg = field(a, "arguments");
	if (!cfg)
		return 0;
	if (!cJSON_IsObject(cfg))
		return fail_type(&c, "", "arguments",
				 "an object (a launch or attach configuration)",
				 cfg);
	if (dap_args_parse(attach ? &dap_args_attach_type
				  : &dap_args_launch_type,
			   cfg, out, err) < 0)
		return gd_err_wrap(err, "restart");
	*given = 1;
	return 0;
}

/* ---- breakpoints ---- */

/* The deprecated form of setBreakpoints: 'lines', just line numbers
 * (read when there is no 'breakpoints'). */
static int legacy_lines(pctx *c, const cJSON *a, void *base)
{
	dap_args_set_breakpoints *o = base;
	const cJSON *lines;
	size_t nlines;
	if (opt_array(c, a, "lines", "an array of line numbers", &lines,
		      &nlines) < 0)
		return -1;
	if (o->breakpoints || !lines)
		return 0;
	o->breakpoints = calloc(nlines ? nlines : 1, sizeof(*o->breakpoints));
	if (!o->breakpoints)
		return oom(c);
	const cJSON *el;
	cJSON_ArrayForEach(el, lines) {
		double d = cJSON_IsNumber(el) ? el->valuedouble : -1;
		if (!is_whole(d) || d < 0 || d > INT_MAX) {
			char name[48];
			snprintf(name, sizeof(name), "lines[%zu]",
				 o->nbreakpoints);
			return fail_type(c, "", name, "a line number", el);
		}
		o->breakpoints[o->nbreakpoints++].line = (int)d;
	}
	return 0;
}

#define T dap_args_set_breakpoints
TABLE(bp_source_t, T,
      REQ_STR("path", T, source_path),
      STR("name", T, source_name),
      INT("sourceReference", T, source_reference, 0, INT_MAX));
#undef T
#define T dap_args_source_breakpoint
TABLE(source_bp_t, T,
      REQ_INT("line", T, line, 0, INT_MAX),
      INT("column", T, column, 0, INT_MAX),
      STR("condition", T, condition),
      STR("hitCondition", T, hit_condition),
      STR("logMessage", T, log_message));
#undef T
#define T dap_args_set_breakpoints
TABLE(set_breakpoints_t, T,
      FLAT_OBJ("source", REQ, bp_source_t),
      BOOL("sourceModified", T, source_modified),
      ARRAY("breakpoints", 0, T, breakpoints, nbreakpoints, source_bp_t,
	    "an array of objects"),
      CHECK(legacy_lines));
#undef T
TYPE(set_breakpoints, "setBreakpoints", dap_args_set_breakpoints,
     set_breakpoints_t, NULL, NULL);

#define T dap_args_function_breakpoint
TABLE(function_bp_t, T,
      NAME_STR("name", T, name),
      STR("condition", T, condition),
      STR("hitCondition", T, hit_condition));
#undef T
#define T dap_args_set_function_breakpoints
TABLE(set_function_breakpoints_t, T,
      ARRAY("breakpoints", REQ, T, breakpoints, nbreakpoints, function_bp_t,
	    "an array of objects"));
#undef T
TYPE(set_function_breakpoints, "setFunctionBreakpoints",
     dap_args_set_function_breakpoints, set_function_breakpoints_t, NULL,
     NULL);

#define T dap_args_exception_filter_option
TABLE(filter_option_t, T,
      REQ_STR("filterId", T, filter_id),
      STR("condition", T, condition));
#undef T
#define T dap_args_set_exception_breakpoints
TABLE(set_exception_breakpoints_t, T,
      REQ_STRV("filters", T, filters, nfilters),
      ARRAY("filterOptions", 0, T, filter_options, nfilter_options,
	    filter_option_t, "an array of objects"));
#undef T
TYPE(set_exception_breakpoints, "setExceptionBreakpoints",
     dap_args_set_exception_breakpoints, set_exception_breakpoints_t, NULL,
     NULL);

#define T dap_args_instruction_breakpoint
TABLE(instruction_bp_t, T,
      REQ_STR("instructionReference", T, instruction_reference),
      INT64("offset", T, offset, -MAX_SAFE_INT, MAX_SAFE_INT),
      STR("condition", T, condition),
      STR("hitCondition", T, hit_condition));
#undef T
#define T dap_args_set_instruction_breakpoints
TABLE(set_instruction_breakpoints_t, T,
      ARRAY("breakpoints", REQ, T, breakpoints, nbreakpoints,
	    instruction_bp_t, "an array of objects"));
#undef T
TYPE(set_instruction_breakpoints, "setInstructionBreakpoints",
     dap_args_set_instruction_breakpoints, set_instruction_breakpoints_t,
     NULL, NULL);

static const char *const access_types[] = {"read", "write", "readWrite",
					   NULL};
#define T dap_args_data_breakpoint
TABLE(data_bp_t, T,
      REQ_STR("dataId", T, data_id),
      CHOICE("accessType", T, access_type, access_types, 0),
      STR("condition", T, condition),
      STR("hitCondition", T, hit_condition));
#undef T
#define T dap_args_set_data_breakpoints
TABLE(set_data_breakpoints_t, T,
      ARRAY("breakpoints", REQ, T, breakpoints, nbreakpoints, data_bp_t,
	    "an array of objects"));
#undef T
TYPE(set_data_breakpoints, "setDataBreakpoints",
     dap_args_set_data_breakpoints, set_data_breakpoints_t, NULL, NULL);

#define T dap_args_data_breakpoint_info
TABLE(data_breakpoint_info_t, T,
      INT_GIVEN("variablesReference", T, variables_reference,
		has_variables_reference, 0, INT_MAX),
      REQ_STR("name", T, name),
      INT_GIVEN("frameId", T, frame_id, has_frame_id, 0, INT_MAX));
#undef T
TYPE(data_breakpoint_info, "dataBreakpointInfo",
     dap_args_data_breakpoint_info, data_breakpoint_info_t, NULL, NULL);

static int end_line(pctx *c, const cJSON *a, void *base)
{
	dap_args_breakpoint_locations *o = base;
	(void)a;
	if (o->end_line && o->end_line < o->line)
		return fail(c, "", "endLine", "must not be before 'line' "
			    "(%d < %d)", o->end_line, o->line);
	return 0;
}

#define T dap_args_breakpoint_locations
TABLE(bl_source_t, T, REQ_STR("path", T, source_path));
TABLE(breakpoint_locations_t, T,
      FLAT_OBJ("source", REQ, bl_source_t),
      REQ_INT("line", T, line, 0, INT_MAX),
      INT("column", T, column, 0, INT_MAX),
      INT("endLine", T, end_line, 0, INT_MAX),
      INT("endColumn", T, end_column, 0, INT_MAX),
      CHECK(end_line));
#undef T
TYPE(breakpoint_locations, "breakpointLocations",
     dap_args_breakpoint_locations, breakpoint_locations_t, NULL, NULL);

/* ---- the stopped program ---- */

#define T dap_args_stack_frame_format
TABLE(frame_format_t, T,
      BOOL("parameters", T, parameters),
      BOOL("parameterTypes", T, parameter_types),
      BOOL("parameterNames", T, parameter_names),
      BOOL("parameterValues", T, parameter_values),
      BOOL("line", T, line),
      BOOL("module", T, module),
      BOOL("includeAll", T, include_all));
#undef T
#define T dap_args_stack_trace
TABLE(stack_trace_t, T,
      REQ_INT64("threadId", T, thread_id, 0, MAX_SAFE_INT),
      INT("startFrame", T, start_frame, 0, DAP_ARGS_MAX_COUNT),
      INT("levels", T, levels, 0, DAP_ARGS_MAX_COUNT),
      OBJ("format", T, format, format.given, frame_format_t));
#undef T
TYPE(stack_trace, "stackTrace", dap_args_stack_trace, stack_trace_t, NULL,
     NULL);

#define T dap_args_scopes
TABLE(scopes_t, T, REQ_INT("frameId", T, frame_id, 0, INT_MAX));
#undef T
TYPE(scopes, "scopes", dap_args_scopes, scopes_t, NULL, NULL);

static const char *const var_filters[] = {"indexed", "named", NULL};
#define T dap_args_variables
TABLE(variables_hex_t, T, BOOL("hex", T, format_hex));
TABLE(variables_t, T,
      REQ_INT("variablesReference", T, variables_reference, 1, INT_MAX),
      ENUM("filter", T, filter, var_filters),
      INT("start", T, start, 0, DAP_ARGS_MAX_COUNT),
      INT("count", T, count, 0, DAP_ARGS_MAX_COUNT),
      FLAT_OBJ("format", 0, variables_hex_t));
#undef T
TYPE(variables, "variables", dap_args_variables, variables_t, NULL, NULL);

#define T dap_args_evaluate
TABLE(evaluate_hex_t, T, BOOL("hex", T, format_hex));
TABLE(evaluate_t, T,
      REQ_STR("expression", T, expression),
      INT_GIVEN("frameId", T, frame_id, has_frame_id, 0, INT_MAX),
      STR("context", T, context),
      FLAT_OBJ("format", 0, evaluate_hex_t));
#undef T
TYPE(evaluate, "evaluate", dap_args_evaluate, evaluate_t, NULL, NULL);

#define T dap_args_set_variable
TABLE(set_variable_hex_t, T, BOOL("hex", T, format_hex));
TABLE(set_variable_t, T,
      REQ_INT("variablesReference", T, variables_reference, 1, INT_MAX),
      REQ_STR("name", T, name),
      REQ_STR("value", T, value),
      FLAT_OBJ("format", 0, set_variable_hex_t));
#undef T
TYPE(set_variable, "setVariable", dap_args_set_variable, set_variable_t,
     NULL, NULL);

#define T dap_args_set_expression
TABLE(set_expression_hex_t, T, BOOL("hex", T, format_hex));
TABLE(set_expression_t, T,
      REQ_STR("expression", T, expression),
      REQ_STR("value", T, value),
      INT_GIVEN("frameId", T, frame_id, has_frame_id, 0, INT_MAX),
      FLAT_OBJ("format", 0, set_expression_hex_t));
#undef T
TYPE(set_expression, "setExpression", dap_args_set_expression,
     set_expression_t, NULL, NULL);

#define T dap_args_exception_info
TABLE(exception_info_t, T,
      REQ_INT64("threadId", T, thread_id, 0, MAX_SAFE_INT));
#undef T
TYPE(exception_info, "exceptionInfo", dap_args_exception_info,
     exception_info_t, NULL, NULL);

#define T dap_args_completions
TABLE(completions_t, T,
      REQ_STR("text", T, text),
      REQ_INT("column", T, column, 0, INT_MAX),
      INT("line", T, line, 0, INT_MAX),
      INT_GIVEN("frameId", T, frame_id, has_frame_id, 0, INT_MAX));
#undef T
TYPE(completions, "completions", dap_args_completions, completions_t, NULL,
     NULL);

/* ---- run control ---- */

static const char *const granularities[] = {"statement", "line",
					    "instruction", NULL};
#define T dap_args_step
TABLE(run_t, T,
      REQ_INT64("threadId", T, thread_id, 0, MAX_SAFE_INT),
      BOOL("singleThread", T, single_thread));
TABLE(step_t, T,
      INLINE(run_t),
      CHOICE("granularity", T, granularity, granularities, 0),
      INT("targetId", T, target_id, 1, INT_MAX));
#undef T
TYPE(continue, "continue", dap_args_step, run_t, &step_t, NULL);
TYPE(pause, "pause", dap_args_step, run_t, &step_t, NULL);
TYPE(next, "next", dap_args_step, step_t, NULL, NULL);
TYPE(step_in, "stepIn", dap_args_step, step_t, NULL, NULL);
TYPE(step_out, "stepOut", dap_args_step, step_t, NULL, NULL);

#define T dap_args_step_in_targets
TABLE(step_in_targets_t, T, REQ_INT("frameId", T, frame_id, 0, INT_MAX));
#undef T
TYPE(step_in_targets, "stepInTargets", dap_args_step_in_targets,
     step_in_targets_t, NULL, NULL);

#define T dap_args_goto_targets
TABLE(gt_source_t, T, REQ_STR("path", T, source_path));
TABLE(goto_targets_t, T,
      FLAT_OBJ("source", REQ, gt_source_t),
      REQ_INT("line", T, line, 0, INT_MAX));
#undef T
TYPE(goto_targets, "gotoTargets", dap_args_goto_targets, goto_targets_t,
     NULL, NULL);

#define T dap_args_goto
TABLE(goto_t, T,
      REQ_INT64("threadId", T, thread_id, 0, MAX_SAFE_INT),
      REQ_INT("targetId", T, target_id, 0, INT_MAX));
#undef T
TYPE(goto, "goto", dap_args_goto, goto_t, NULL, NULL);

/* ---- session ---- */

#define T dap_args_disconnect
TABLE(disconnect_t, T,
      BOOL("restart", T, restart),
      BOOL("terminateDebuggee", T, terminate_debuggee),
      BOOL("suspendDebuggee", T, suspend_debuggee));
#undef T

static void disconnect_defaults(void *p)
{
	dap_args_disconnect *o = p;
	o->restart = DAP_ARGS_UNSET;
	o->terminate_debuggee = DAP_ARGS_UNSET;
	o->suspend_debuggee = DAP_ARGS_UNSET;
}
TYPE(disconnect, "disconnect", dap_args_disconnect, disconnect_t, NULL,
     disconnect_defaults);

#define T dap_args_cancel
TABLE(cancel_t, T,
      INT_GIVEN("requestId", T, request_id, has_request_id, 0, INT_MAX),
      STR("progressId", T, progress_id));
#undef T
TYPE(cancel, "cancel", dap_args_cancel, cancel_t, NULL, NULL);

/* ---- sources ---- */

/* sourceReference, or source.sourceReference (which wins, DAP says),
 * or source.path. */
static int source_fields(pctx *c, const cJSON *a, void *base)
{
	dap_args_source *o = base;
	const cJSON *src;
	int given = 0;
	if (opt_int(c, a, "", "sourceReference", 0, INT_MAX,
		    &o->source_reference, &given) < 0 ||
	    opt_obj(c, a, "", "source", &src) < 0 ||
	    opt_str(c, src, "source.", "path", &o->source_path) < 0)
		return -1;
	int inner = 0, inner_given = 0;
	if (opt_int(c, src, "source.", "sourceReference", 0, INT_MAX, &inner,
		    &inner_given) < 0)
		return -1;
	if (inner_given && inner > 0)
		o->source_reference = inner;
	if (o->source_reference == 0 && !o->source_path)
		return gd_err_set(c->err, "source: 'sourceReference' or "
				  "'source.path' is required");
	return 0;
}

#define T dap_args_source
TABLE(source_t, T,
      CUSTOM("source", K_STR, T, source_path, NO_AUX, NULL, source_fields));
#undef T
TYPE(source, "source", dap_args_source, source_t, NULL, NULL);

/* ---- memory ---- */

#define T dap_args_disassemble
TABLE(disassemble_t, T,
      REQ_STR("memoryReference", T, memory_reference),
      INT64("offset", T, offset, -MAX_SAFE_INT, MAX_SAFE_INT),
      INT64("instructionOffset", T, instruction_offset, -DAP_ARGS_MAX_COUNT,
	    DAP_ARGS_MAX_COUNT),
      REQ_INT("instructionCount", T, instruction_count, 0, DAP_ARGS_MAX_COUNT),
      BOOL("resolveSymbols", T, resolve_symbols),
      ADDR(T, address, memory_reference, offset));
#undef T
TYPE(disassemble, "disassemble", dap_args_disassemble, disassemble_t, NULL,
     NULL);

#define T dap_args_read_memory
TABLE(read_memory_t, T,
      REQ_STR("memoryReference", T, memory_reference),
      INT64("offset", T, offset, -MAX_SAFE_INT, MAX_SAFE_INT),
      REQ_INT("count", T, count, 0, DAP_ARGS_MAX_READ_MEMORY),
      ADDR(T, address, memory_reference, offset));
#undef T
TYPE(read_memory, "readMemory", dap_args_read_memory, read_memory_t, NULL,
     NULL);

/* writeMemory's 'data': base64 -> bytes. */
static int write_data(pctx *c, const cJSON *a, void *base)
{
	dap_args_write_memory *o = base;
	char *data = NULL;
	if (opt_str(c, a, "", "data", &data) < 0)
		return -1;
	int rc = gd_base64_decode(data, &o->data, &o->ndata);
	free(data);
	if (rc < 0)
		return fail(c, "", "data", "must be base64");
	return 0;
}

#define T dap_args_write_memory
TABLE(write_memory_t, T,
      REQ_STR("memoryReference", T, memory_reference),
      INT64("offset", T, offset, -MAX_SAFE_INT, MAX_SAFE_INT),
      BOOL("allowPartial", T, allow_partial),
      {.key = "data", .kind = K_MEM, .flags = REQ, .off = M(T, data),
       .fn = write_data},
      ADDR(T, address, memory_reference, offset));
#undef T
TYPE(write_memory, "writeMemory", dap_args_write_memory, write_memory_t,
     NULL, NULL);
