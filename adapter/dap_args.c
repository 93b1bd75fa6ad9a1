/* Typed request arguments: see dap_args.h.
 *
 * Every parser works the same way: zero the struct, set DAP's defaults,
 * read each field through the helpers below (which word the messages),
 * and on any failure free what was filled and zero the struct again. */
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

static int req_str(pctx *c, const cJSON *obj, const char *pfx,
		   const char *key, char **out)
{
	if (!field(obj, key))
		return fail(c, pfx, key, "is required");
	return opt_str(c, obj, pfx, key, out);
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

static int req_int64(pctx *c, const cJSON *obj, const char *pfx,
		     const char *key, long long min, long long max,
		     int64_t *out)
{
	if (!field(obj, key))
		return fail(c, pfx, key, "is required");
	return opt_int64(c, obj, pfx, key, min, max, out, NULL);
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

static int req_int(pctx *c, const cJSON *obj, const char *pfx,
		   const char *key, int min, int max, int *out)
{
	if (!field(obj, key))
		return fail(c, pfx, key, "is required");
	return opt_int(c, obj, pfx, key, min, max, out, NULL);
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

/* ---- initialize ---- */

static int initialize_fields(pctx *c, const cJSON *a, dap_args_initialize *o)
{
	static const struct {
		const char *key;
		size_t off;
	} flags[] = {
#define F(k, m) {k, offsetof(dap_args_initialize, m)}
		F("linesStartAt1", lines_start_at1),
		F("columnsStartAt1", columns_start_at1),
		F("supportsVariableType", supports_variable_type),
		F("supportsVariablePaging", supports_variable_paging),
		F("supportsRunInTerminalRequest", supports_run_in_terminal_request),
		F("supportsMemoryReferences", supports_memory_references),
		F("supportsProgressReporting", supports_progress_reporting),
		F("supportsInvalidatedEvent", supports_invalidated_event),
		F("supportsMemoryEvent", supports_memory_event),
		F("supportsArgsCanBeInterpretedByShell",
		  supports_args_can_be_interpreted_by_shell),
		F("supportsStartDebuggingRequest",
		  supports_start_debugging_request),
#undef F
	};
	if (opt_str(c, a, "", "clientID", &o->client_id) < 0 ||
	    opt_str(c, a, "", "clientName", &o->client_name) < 0 ||
	    opt_str(c, a, "", "adapterID", &o->adapter_id) < 0 ||
	    opt_str(c, a, "", "locale", &o->locale) < 0 ||
	    opt_str(c, a, "", "pathFormat", &o->path_format) < 0)
		return -1;
	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		if (opt_bool(c, a, "", flags[i].key,
			     (int *)((char *)o + flags[i].off)) < 0)
			return -1;
	if (!o->path_format && dup_str(c, "path", &o->path_format) < 0)
		return -1;
	return 0;
}

int dap_args_initialize_parse(const cJSON *args, dap_args_initialize *out,
			      gd_err *err)
{
	pctx c = {"initialize", err};
	const cJSON *a;
	memset(out, 0, sizeof(*out));
	out->lines_start_at1 = 1;
	out->columns_start_at1 = 1;
	if (args_obj(&c, args, &a) < 0 || initialize_fields(&c, a, out) < 0) {
		dap_args_initialize_free(out);
		return -1;
	}
	return 0;
}

void dap_args_initialize_free(dap_args_initialize *a)
{
	free(a->client_id);
	free(a->client_name);
	free(a->adapter_id);
	free(a->locale);
	free(a->path_format);
	memset(a, 0, sizeof(*a));
}

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

static int parse_build_flags(pctx *c, const cJSON *a, dap_args_launch *o)
{
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

static int parse_env(pctx *c, const cJSON *a, dap_args_launch *o)
{
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
	fclose(f);
	return rc;
}

/* envFile (a path or an array of paths), then env over it: o->env holds
 * one entry per name. */
static int merge_env_files(pctx *c, const cJSON *a, dap_args_launch *o)
{
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

static int parse_substitute_path(pctx *c, const cJSON *a, dap_args_launch *o)
{
	const cJSON *arr;
	size_t n;
	if (opt_array(c, a, "substitutePath",
		      "an array of {\"from\", \"to\"} objects", &arr, &n) < 0)
		return -1;
	if (!arr)
		return 0;
	o->substitute_path = calloc(n ? n : 1, sizeof(*o->substitute_path));
	if (!o->substitute_path)
		return oom(c);
	char *pfx = NULL;
	const cJSON *el;
	size_t i = 0;
	int rc = 0;
	cJSON_ArrayForEach(el, arr) {
		dap_args_subst *s = &o->substitute_path[o->nsubstitute_path++];
		if (elem_obj(c, "substitutePath", i, el) < 0 ||
		    elem_prefix(c, "substitutePath", i, &pfx) < 0 ||
		    req_str(c, el, pfx, "from", &s->from) < 0 ||
		    req_str(c, el, pfx, "to", &s->to) < 0) {
			rc = -1;
			break;
		}
		i++;
	}
	free(pfx);
	return rc;
}

/* showPprofLabels: true/false, or an array of label keys ("*": all). */
static int parse_pprof_labels(pctx *c, const cJSON *a, dap_args_launch *o)
{
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

static int parse_flavor(pctx *c, const cJSON *a, dap_args_launch *o)
{
	if (opt_str(c, a, "", "disassembleFlavor", &o->disassemble_flavor) < 0)
		return -1;
	const char *f = o->disassemble_flavor;
	if (f && strcmp(f, "go") != 0 && strcmp(f, "intel") != 0 &&
	    strcmp(f, "gnu") != 0 && strcmp(f, "att") != 0)
		return fail(c, "", "disassembleFlavor", "must be \"go\", "
			    "\"intel\" or \"gnu\", not \"%s\"", f);
	return 0;
}

/* Fields launch and attach share. */
static int launch_common(pctx *c, const cJSON *a, dap_args_launch *o)
{
	if (parse_flavor(c, a, o) < 0 || parse_pprof_labels(c, a, o) < 0 ||
	    opt_int(c, a, "", "maxStringLen", 1, DAP_ARGS_MAX_COUNT,
		    &o->max_string_len, NULL) < 0 ||
	    opt_int(c, a, "", "maxArrayValues", 1, DAP_ARGS_MAX_COUNT,
		    &o->max_array_values, NULL) < 0 ||
	    opt_str(c, a, "", "goroutineFilters", &o->goroutine_filters) < 0 ||
	    opt_str(c, a, "", "cwd", &o->cwd) < 0 ||
	    parse_substitute_path(c, a, o) < 0 ||
	    opt_bool(c, a, "", "stopOnEntry", &o->stop_on_entry) < 0 ||
	    opt_bool(c, a, "", "hideSystemGoroutines",
		     &o->hide_system_goroutines) < 0 ||
	    opt_bool(c, a, "", "stepHoldsOthers", &o->step_holds_others) < 0 ||
	    opt_bool(c, a, "", "showGlobalVariables",
		     &o->show_global_variables) < 0 ||
	    opt_bool(c, a, "", "showRegisters", &o->show_registers) < 0 ||
	    opt_int(c, a, "", "stackTraceDepth", 1, DAP_ARGS_MAX_COUNT,
		    &o->stack_trace_depth, NULL) < 0 ||
	    opt_int(c, a, "", "callTimeout", 1, 86400, &o->call_timeout,
		    NULL) < 0)
		return -1;
	return 0;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static int launch_fields(pctx *c, const cJSON *a, dap_args_launch *o)
{
	if (opt_str(c, a, "", "mode", &o->mode) < 0)
		return -1;
	if (o->mode && strcmp(o->mode, "debug") != 0 &&
	    strcmp(o->mode, "exec") != 0 && strcmp(o->mode, "test") != 0 &&
	    strcmp(o->mode, "auto") != 0 && strcmp(o->mode, "core") != 0)
		return gd_err_set(c->err, "launch: mode \"%s\" is not "
				  "supported (supported: \"debug\", the "
				  "default, \"exec\", \"test\", \"auto\" and "
				  "\"core\")", o->mode);
	if (req_str(c, a, "", "program", &o->program) < 0)
		return -1;
	if (!o->program[0])
		return fail(c, "", "program", "must not be empty");
	if (!o->mode || strcmp(o->mode, "auto") == 0) {
		/* "auto" as vscode-go resolves it: a test file means test. */
		const char *m = o->mode && ends_with(o->program, "_test.go")
					? "test" : "debug";
		free(o->mode);
		o->mode = NULL;
		if (dup_str(c, m, &o->mode) < 0)
			return -1;
	}
	/* mode "core": program is the executable the core was dumped from
	 * (vscode-go's names). */
	if (opt_str(c, a, "", "coreFilePath", &o->corefile_path) < 0)
		return -1;
	if (strcmp(o->mode, "core") == 0 &&
	    (!o->corefile_path || !o->corefile_path[0]))
		return fail(c, "", "coreFilePath",
			    "is required with mode \"core\"");
	if (opt_str_array(c, a, "args", &o->args, &o->nargs) < 0 ||
	    parse_env(c, a, o) < 0 || merge_env_files(c, a, o) < 0 ||
	    parse_build_flags(c, a, o) < 0 ||
	    opt_str(c, a, "", "output", &o->output) < 0 ||
	    opt_bool(c, a, "", "noDebug", &o->no_debug) < 0 ||
	    opt_str(c, a, "", "console", &o->console) < 0 ||
	    launch_common(c, a, o) < 0)
		return -1;
	if (o->console && strcmp(o->console, "internalConsole") != 0 &&
	    strcmp(o->console, "integratedTerminal") != 0 &&
	    strcmp(o->console, "externalTerminal") != 0)
		return gd_err_set(c->err, "launch: console \"%s\" is not "
				  "supported (supported: \"internalConsole\", "
				  "the default, \"integratedTerminal\" and "
				  "\"externalTerminal\")", o->console);
	if (!o->console && dup_str(c, "internalConsole", &o->console) < 0)
		return -1;
	return 0;
}

static void launch_defaults(dap_args_launch *o)
{
	memset(o, 0, sizeof(*o));
	o->stack_trace_depth = DAP_ARGS_DEFAULT_STACK_DEPTH;
	o->call_timeout = DAP_ARGS_DEFAULT_CALL_TIMEOUT;
}

int dap_args_launch_parse(const cJSON *args, dap_args_launch *out,
			  gd_err *err)
{
	pctx c = {"launch", err};
	const cJSON *a;
	launch_defaults(out);
	if (args_obj(&c, args, &a) < 0 || launch_fields(&c, a, out) < 0) {
		dap_args_launch_free(out);
		return -1;
	}
	return 0;
}

/* processId: an integer, or a string of digits (what a process picker
 * substitutes into launch.json). */
static int parse_process_id(pctx *c, const cJSON *a, int *out)
{
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
		*out = (int)n;
		return 0;
	}
	return opt_int(c, a, "", "processId", 1, INT_MAX, out, NULL);
}

static int attach_fields(pctx *c, const cJSON *a, dap_args_launch *o)
{
	if (opt_str(c, a, "", "mode", &o->mode) < 0)
		return -1;
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
	if (!o->mode && dup_str(c, "local", &o->mode) < 0)
		return -1;
	if (opt_str(c, a, "", "waitFor", &o->wait_for) < 0)
		return -1;
	if (o->wait_for && !o->wait_for[0])
		return fail(c, "", "waitFor", "must not be empty");
	if (o->wait_for && field(a, "processId"))
		return gd_err_set(c->err, "attach: give 'processId' or "
				  "'waitFor', not both");
	if ((!o->wait_for && parse_process_id(c, a, &o->process_id) < 0) ||
	    launch_common(c, a, o) < 0)
		return -1;
	return 0;
}

int dap_args_attach_parse(const cJSON *args, dap_args_launch *out,
			  gd_err *err)
{
	pctx c = {"attach", err};
	const cJSON *a;
	launch_defaults(out);
	out->attach = 1;
	if (args_obj(&c, args, &a) < 0 || attach_fields(&c, a, out) < 0) {
		dap_args_launch_free(out);
		return -1;
	}
	return 0;
}

int dap_args_restart_parse(const cJSON *args, int attach,
			   dap_args_launch *out, int *given, gd_err *err)
{
	pctx c = {"restart", err};
	const cJSON *a;
	*given = 0;
	launch_defaults(out);
	if (args_obj(&c, args, &a) < 0)
		return -1;
	const cJSON *cfg = field(a, "arguments");
	if (!cfg)
		return 0;
	if (!cJSON_IsObject(cfg))
		return fail_type(&c, "", "arguments",
				 "an object (a launch or attach configuration)",
				 cfg);
	if (attach ? dap_args_attach_parse(cfg, out, err) < 0
		   : dap_args_launch_parse(cfg, out, err) < 0)
		return gd_err_wrap(err, "restart");
	*given = 1;
	return 0;
}

void dap_args_launch_free(dap_args_launch *a)
{
	free(a->mode);
	free(a->program);
	free(a->corefile_path);
	free_strv(a->args, a->nargs);
	free(a->cwd);
	for (size_t i = 0; a->env && i < a->nenv; i++) {
		free(a->env[i].name);
		free(a->env[i].value);
	}
	free(a->env);
	free_strv(a->build_flags, a->nbuild_flags);
	for (size_t i = 0; a->substitute_path && i < a->nsubstitute_path; i++) {
		free(a->substitute_path[i].from);
		free(a->substitute_path[i].to);
	}
	free(a->substitute_path);
	free(a->output);
	free(a->wait_for);
	free(a->console);
	free(a->disassemble_flavor);
	free(a->goroutine_filters);
	free_strv(a->pprof_label_keys, a->npprof_label_keys);
	launch_defaults(a);
}

/* ---- setBreakpoints ---- */

/* 'source' (required object) with a required 'path'. */
static int source_path(pctx *c, const cJSON *a, char **path, char **name,
		       int *ref)
{
	const cJSON *src;
	if (opt_obj(c, a, "", "source", &src) < 0)
		return -1;
	if (!src)
		return fail(c, "", "source", "is required");
	if (req_str(c, src, "source.", "path", path) < 0)
		return -1;
	if (name && opt_str(c, src, "source.", "name", name) < 0)
		return -1;
	if (ref && opt_int(c, src, "source.", "sourceReference", 0, INT_MAX,
			   ref, NULL) < 0)
		return -1;
	return 0;
}

static int set_breakpoints_fields(pctx *c, const cJSON *a,
				  dap_args_set_breakpoints *o)
{
	if (source_path(c, a, &o->source_path, &o->source_name,
			&o->source_reference) < 0 ||
	    opt_bool(c, a, "", "sourceModified", &o->source_modified) < 0)
		return -1;
	const cJSON *arr, *lines;
	size_t n, nlines;
	if (opt_array(c, a, "breakpoints", "an array of objects", &arr, &n) < 0 ||
	    opt_array(c, a, "lines", "an array of line numbers", &lines,
		      &nlines) < 0)
		return -1;
	if (!arr && lines) {
		/* Deprecated form: just line numbers. */
		o->breakpoints = calloc(nlines ? nlines : 1,
					sizeof(*o->breakpoints));
		if (!o->breakpoints)
			return oom(c);
		const cJSON *el;
		cJSON_ArrayForEach(el, lines) {
			double d = cJSON_IsNumber(el) ? el->valuedouble : -1;
			if (!is_whole(d) || d < 0 ||
			    d > INT_MAX) {
				char name[48];
				snprintf(name, sizeof(name), "lines[%zu]",
					 o->nbreakpoints);
				return fail_type(c, "", name,
						 "a line number", el);
			}
			o->breakpoints[o->nbreakpoints++].line = (int)d;
		}
		return 0;
	}
	if (!arr)
		return 0;
	o->breakpoints = calloc(n ? n : 1, sizeof(*o->breakpoints));
	if (!o->breakpoints)
		return oom(c);
	char *pfx = NULL;
	int rc = 0;
	const cJSON *el;
	size_t i = 0;
	cJSON_ArrayForEach(el, arr) {
		dap_args_source_breakpoint *b = &o->breakpoints[o->nbreakpoints++];
		if (elem_obj(c, "breakpoints", i, el) < 0 ||
		    elem_prefix(c, "breakpoints", i, &pfx) < 0 ||
		    req_int(c, el, pfx, "line", 0, INT_MAX, &b->line) < 0 ||
		    opt_int(c, el, pfx, "column", 0, INT_MAX, &b->column,
			    NULL) < 0 ||
		    opt_str(c, el, pfx, "condition", &b->condition) < 0 ||
		    opt_str(c, el, pfx, "hitCondition", &b->hit_condition) < 0 ||
		    opt_str(c, el, pfx, "logMessage", &b->log_message) < 0) {
			rc = -1;
			break;
		}
		i++;
	}
	free(pfx);
	return rc;
}

int dap_args_set_breakpoints_parse(const cJSON *args,
				   dap_args_set_breakpoints *out, gd_err *err)
{
	pctx c = {"setBreakpoints", err};
	const cJSON *a;
	memset(out, 0, sizeof(*out));
	if (args_obj(&c, args, &a) < 0 ||
	    set_breakpoints_fields(&c, a, out) < 0) {
		dap_args_set_breakpoints_free(out);
		return -1;
	}
	return 0;
}

void dap_args_set_breakpoints_free(dap_args_set_breakpoints *a)
{
	free(a->source_path);
	free(a->source_name);
	for (size_t i = 0; a->breakpoints && i < a->nbreakpoints; i++) {
		free(a->breakpoints[i].condition);
		free(a->breakpoints[i].hit_condition);
		free(a->breakpoints[i].log_message);
	}
	free(a->breakpoints);
	memset(a, 0, sizeof(*a));
}

/* ---- setFunctionBreakpoints ---- */

static int set_function_breakpoints_fields(pctx *c, const cJSON *a,
					   dap_args_set_function_breakpoints *o)
{
	const cJSON *arr;
	size_t n;
	if (opt_array(c, a, "breakpoints", "an array of objects", &arr, &n) < 0)
		return -1;
	if (!arr)
		return fail(c, "", "breakpoints", "is required");
	o->breakpoints = calloc(n ? n : 1, sizeof(*o->breakpoints));
	if (!o->breakpoints)
		return oom(c);
	char *pfx = NULL;
	int rc = 0;
	const cJSON *el;
	size_t i = 0;
	cJSON_ArrayForEach(el, arr) {
		dap_args_function_breakpoint *b =
			&o->breakpoints[o->nbreakpoints++];
		if (elem_obj(c, "breakpoints", i, el) < 0 ||
		    elem_prefix(c, "breakpoints", i, &pfx) < 0 ||
		    req_str(c, el, pfx, "name", &b->name) < 0 ||
		    opt_str(c, el, pfx, "condition", &b->condition) < 0 ||
		    opt_str(c, el, pfx, "hitCondition", &b->hit_condition) < 0) {
			rc = -1;
			break;
		}
		if (!b->name[0]) {
			rc = fail(c, pfx, "name", "must not be empty");
			break;
		}
		i++;
	}
	free(pfx);
	return rc;
}

int dap_args_set_function_breakpoints_parse(
	const cJSON *args, dap_args_set_function_breakpoints *out, gd_err *err)
{
	pctx c = {"setFunctionBreakpoints", err};
	const cJSON *a;
	memset(out, 0, sizeof(*out));
	if (args_obj(&c, args, &a) < 0 ||
	    set_function_breakpoints_fields(&c, a, out) < 0) {
		dap_args_set_function_breakpoints_free(out);
		return -1;
	}
	return 0;
}

void dap_args_set_function_breakpoints_free(
	dap_args_set_function_breakpoints *a)
{
	for (size_t i = 0; a->breakpoints && i < a->nbreakpoints; i++) {
		free(a->breakpoints[i].name);
		free(a->breakpoints[i].condition);
		free(a->breakpoints[i].hit_condition);
	}
	free(a->breakpoints);
	memset(a, 0, sizeof(*a));
}

/* ---- setExceptionBreakpoints ---- */

static int set_exception_breakpoints_fields(
	pctx *c, const cJSON *a, dap_args_set_exception_breakpoints *o)
{
	if (!field(a, "filters"))
		return fail(c, "", "filters", "is required");
	if (opt_str_array(c, a, "filters", &o->filters, &o->nfilters) < 0)
		return -1;
	const cJSON *arr;
	size_t n;
	if (opt_array(c, a, "filterOptions", "an array of objects", &arr,
		      &n) < 0)
		return -1;
	if (!arr)
		return 0;
	o->filter_options = calloc(n ? n : 1, sizeof(*o->filter_options));
	if (!o->filter_options)
		return oom(c);
	char *pfx = NULL;
	int rc = 0;
	const cJSON *el;
	size_t i = 0;
	cJSON_ArrayForEach(el, arr) {
		dap_args_exception_filter_option *f =
			&o->filter_options[o->nfilter_options++];
		if (elem_obj(c, "filterOptions", i, el) < 0 ||
		    elem_prefix(c, "filterOptions", i, &pfx) < 0 ||
		    req_str(c, el, pfx, "filterId", &f->filter_id) < 0 ||
		    opt_str(c, el, pfx, "condition", &f->condition) < 0) {
			rc = -1;
			break;
		}
		i++;
	}
	free(pfx);
	return rc;
}

int dap_args_set_exception_breakpoints_parse(
	const cJSON *args, dap_args_set_exception_breakpoints *out,
	gd_err *err)
{
	pctx c = {"setExceptionBreakpoints", err};
	const cJSON *a;
	memset(out, 0, sizeof(*out));
	if (args_obj(&c, args, &a) < 0 ||
	    set_exception_breakpoints_fields(&c, a, out) < 0) {
		dap_args_set_exception_breakpoints_free(out);
		return -1;
	}
	return 0;
}

void dap_args_set_exception_breakpoints_free(
	dap_args_set_exception_breakpoints *a)
{
	free_strv(a->filters, a->nfilters);
	for (size_t i = 0; a->filter_options && i < a->nfilter_options; i++) {
		free(a->filter_options[i].filter_id);
		free(a->filter_options[i].condition);
	}
	free(a->filter_options);
	memset(a, 0, sizeof(*a));
}

/* ---- requests without arguments ---- */

int dap_args_none_parse(const char *command, const cJSON *args, gd_err *err)
{
	pctx c = {command, err};
	const cJSON *a;
	return args_obj(&c, args, &a);
}

/* ---- stackTrace ---- */

static int stack_trace_fields(pctx *c, const cJSON *a, dap_args_stack_trace *o)
{
	if (req_int64(c, a, "", "threadId", 0, MAX_SAFE_INT, &o->thread_id) < 0 ||
	    opt_int(c, a, "", "startFrame", 0, DAP_ARGS_MAX_COUNT,
		    &o->start_frame, NULL) < 0 ||
	    opt_int(c, a, "", "levels", 0, DAP_ARGS_MAX_COUNT, &o->levels,
		    NULL) < 0)
		return -1;
	const cJSON *f;
	if (opt_obj(c, a, "", "format", &f) < 0)
		return -1;
	if (!f)
		return 0;
	dap_args_stack_frame_format *ff = &o->format;
	ff->given = 1;
	if (opt_bool(c, f, "format.", "parameters", &ff->parameters) < 0 ||
	    opt_bool(c, f, "format.", "parameterTypes", &ff->parameter_types) < 0 ||
	    opt_bool(c, f, "format.", "parameterNames", &ff->parameter_names) < 0 ||
	    opt_bool(c, f, "format.", "parameterValues",
		     &ff->parameter_values) < 0 ||
	    opt_bool(c, f, "format.", "line", &ff->line) < 0 ||
	    opt_bool(c, f, "format.", "module", &ff->module) < 0 ||
	    opt_bool(c, f, "format.", "includeAll", &ff->include_all) < 0)
		return -1;
	return 0;
}

int dap_args_stack_trace_parse(const cJSON *args, dap_args_stack_trace *out,
			       gd_err *err)
{
	pctx c = {"stackTrace", err};
	const cJSON *a;
	memset(out, 0, sizeof(*out));
	if (args_obj(&c, args, &a) < 0 || stack_trace_fields(&c, a, out) < 0) {
		memset(out, 0, sizeof(*out));
		return -1;
	}
	return 0;
}

void dap_args_stack_trace_free(dap_args_stack_trace *a)
{
	memset(a, 0, sizeof(*a));
}

/* ---- scopes ---- */

int dap_args_scopes_parse(const cJSON *args, dap_args_scopes *out,
			  gd_err *err)
{
	pctx c = {"scopes", err};
	const cJSON *a;
	memset(out, 0, sizeof(*out));
	if (args_obj(&c, args, &a) < 0 ||
	    req_int(&c, a, "", "frameId", 0, INT_MAX, &out->frame_id) < 0) {
		memset(out, 0, sizeof(*out));
		return -1;
	}
	return 0;
}

void dap_args_scopes_free(dap_args_scopes *a)
{
	memset(a, 0, sizeof(*a));
}

/* ---- variables ---- */

static int format_hex(pctx *c, const cJSON *a, int *hex)
{
	const cJSON *f;
	if (opt_obj(c, a, "", "format", &f) < 0)
		return -1;
	return opt_bool(c, f, "format.", "hex", hex);
}

static int variables_fields(pctx *c, const cJSON *a, dap_args_variables *o)
{
	char *filter = NULL;
	if (req_int(c, a, "", "variablesReference", 1, INT_MAX,
		    &o->variables_reference) < 0 ||
	    opt_str(c, a, "", "filter", &filter) < 0)
		return -1;
	if (filter) {
		if (strcmp(filter, "indexed") == 0) {
			o->filter = DAP_VARS_INDEXED;
		} else if (strcmp(filter, "named") == 0) {
			o->filter = DAP_VARS_NAMED;
		} else {
			fail(c, "", "filter", "must be \"indexed\" or "
			     "\"named\", not \"%s\"", filter);
			free(filter);
			return -1;
		}
		free(filter);
	}
	if (opt_int(c, a, "", "start", 0, DAP_ARGS_MAX_COUNT, &o->start,
		    NULL) < 0 ||
	    opt_int(c, a, "", "count", 0, DAP_ARGS_MAX_COUNT, &o->count,
		    NULL) < 0 ||
	    format_hex(c, a, &o->format_hex) < 0)
		return -1;
	return 0;
}

int dap_args_variables_parse(const cJSON *args, dap_args_variables *out,
			     gd_err *err)
{
	pctx c = {"variables", err};
	const cJSON *a;
	memset(out, 0, sizeof(*out));
	if (args_obj(&c, args, &a) < 0 || variables_fields(&c, a, out) < 0) {
		memset(out, 0, sizeof(*out));
		return -1;
	}
	return 0;
}

void dap_args_variables_free(dap_args_variables *a)
{
	memset(a, 0, sizeof(*a));
}

/* ---- continue / next / stepIn / stepOut / pause ---- */

static int step_fields(pctx *c, const cJSON *a, int stepping,
		       dap_args_step *o)
{
	if (req_int64(c, a, "", "threadId", 0, MAX_SAFE_INT, &o->thread_id) < 0 ||
	    opt_bool(c, a, "", "singleThread", &o->single_thread) < 0)
		return -1;
	if (!stepping)
		return 0;
	if (opt_str(c, a, "", "granularity", &o->granularity) < 0 ||
	    opt_int(c, a, "", "targetId", 1, INT_MAX, &o->target_id, NULL) < 0)
		return -1;
	const char *g = o->granularity;
	if (g && strcmp(g, "statement") != 0 && strcmp(g, "line") != 0 &&
	    strcmp(g, "instruction") != 0)
		return fail(c, "", "granularity", "must be \"statement\", "
			    "\"line\" or \"instruction\", not \"%s\"", g);
	return 0;
}

static int step_parse(const char *cmd, int stepping, const cJSON *args,
		      dap_args_step *out, gd_err *err)
{
	pctx c = {cmd, err};
	const cJSON *a;
	memset(out, 0, sizeof(*out));
	if (args_obj(&c, args, &a) < 0 ||
	    step_fields(&c, a, stepping, out) < 0) {
		dap_args_step_free(out);
		return -1;
	}
	return 0;
}

int dap_args_continue_parse(const cJSON *args, dap_args_step *out,
			    gd_err *err)
{
	return step_parse("continue", 0, args, out, err);
}

int dap_args_next_parse(const cJSON *args, dap_args_step *out, gd_err *err)
{
	return step_parse("next", 1, args, out, err);
}

int dap_args_step_in_parse(const cJSON *args, dap_args_step *out,
			   gd_err *err)
{
	return step_parse("stepIn", 1, args, out, err);
}

int dap_args_step_out_parse(const cJSON *args, dap_args_step *out,
			    gd_err *err)
{
	return step_parse("stepOut", 1, args, out, err);
}

int dap_args_pause_parse(const cJSON *args, dap_args_step *out, gd_err *err)
{
	return step_parse("pause", 0, args, out, err);
}

void dap_args_step_free(dap_args_step *a)
{
	free(a->granularity);
	memset(a, 0, sizeof(*a));
}

/* ---- evaluate ---- */

static int evaluate_fields(pctx *c, const cJSON *a, dap_args_evaluate *o)
{
	if (req_str(c, a, "", "expression", &o->expression) < 0 ||
	    opt_int(c, a, "", "frameId", 0, INT_MAX, &o->frame_id,
		    &o->has_frame_id) < 0 ||
	    opt_str(c, a, "", "context", &o->context) < 0 ||
	    format_hex(c, a, &o->format_hex) < 0)
		return -1;
	return 0;
}

int dap_args_evaluate_parse(const cJSON *args, dap_args_evaluate *out,
			    gd_err *err)
{
	pctx c = {"evaluate", err};
	const cJSON *a;
	memset(out, 0, sizeof(*out));
	if (args_obj(&c, args, &a) < 0 || evaluate_fields(&c, a, out) < 0) {
		dap_args_evaluate_free(out);
		return -1;
	}
	return 0;
}

void dap_args_evaluate_free(dap_args_evaluate *a)
{
	free(a->expression);
	free(a->context);
	memset(a, 0, sizeof(*a));
}

/* ---- setVariable ---- */

static int set_variable_fields(pctx *c, const cJSON *a,
			       dap_args_set_variable *o)
{
	if (req_int(c, a, "", "variablesReference", 1, INT_MAX,
		    &o->variables_reference) < 0 ||
	    req_str(c, a, "", "name", &o->name) < 0 ||
	    req_str(c, a, "", "value", &o->value) < 0 ||
	    format_hex(c, a, &o->format_hex) < 0)
		return -1;
	return 0;
}

int dap_args_set_variable_parse(const cJSON *args,
				dap_args_set_variable *out, gd_err *err)
{
	pctx c = {"setVariable", err};
	const cJSON *a;
	memset(out, 0, sizeof(*out));
	if (args_obj(&c, args, &a) < 0 || set_variable_fields(&c, a, out) < 0) {
		dap_args_set_variable_free(out);
		return -1;
	}
	return 0;
}

void dap_args_set_variable_free(dap_args_set_variable *a)
{
	free(a->name);
	free(a->value);
	memset(a, 0, sizeof(*a));
}

/* ---- setExpression ---- */

static int set_expression_fields(pctx *c, const cJSON *a,
				 dap_args_set_expression *o)
{
	if (req_str(c, a, "", "expression", &o->expression) < 0 ||
	    req_str(c, a, "", "value", &o->value) < 0 ||
	    opt_int(c, a, "", "frameId", 0, INT_MAX, &o->frame_id,
		    &o->has_frame_id) < 0 ||
	    format_hex(c, a, &o->format_hex) < 0)
		return -1;
	return 0;
}

int dap_args_set_expression_parse(const cJSON *args,
				  dap_args_set_expression *out, gd_err *err)
{
	pctx c = {"setExpression", err};
	const cJSON *a;
	memset(out, 0, sizeof(*out));
	if (args_obj(&c, args, &a) < 0 ||
	    set_expression_fields(&c, a, out) < 0) {
		dap_args_set_expression_free(out);
		return -1;
	}
	return 0;
}

void dap_args_set_expression_free(dap_args_set_expression *a)
{
	free(a->expression);
	free(a->value);
	memset(a, 0, sizeof(*a));
}

/* ---- disconnect ---- */

static void disconnect_defaults(dap_args_disconnect *o)
{
	o->restart = DAP_ARGS_UNSET;
	o->terminate_debuggee = DAP_ARGS_UNSET;
	o->suspend_debuggee = DAP_ARGS_UNSET;
}

int dap_args_disconnect_parse(const cJSON *args, dap_args_disconnect *out,
			      gd_err *err)
{
	pctx c = {"disconnect", err};
	const cJSON *a;
	disconnect_defaults(out);
	if (args_obj(&c, args, &a) < 0 ||
	    opt_bool(&c, a, "", "restart", &out->restart) < 0 ||
	    opt_bool(&c, a, "", "terminateDebuggee",
		     &out->terminate_debuggee) < 0 ||
	    opt_bool(&c, a, "", "suspendDebuggee", &out->suspend_debuggee) < 0) {
		disconnect_defaults(out);
		return -1;
	}
	return 0;
}

void dap_args_disconnect_free(dap_args_disconnect *a)
{
	disconnect_defaults(a);
}

/* ---- source ---- */

static int source_fields(pctx *c, const cJSON *a, dap_args_source *o)
{
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
	/* The reference inside 'source' wins (DAP says so). */
	if (inner_given && inner > 0)
		o->source_reference = inner;
	if (o->source_reference == 0 && !o->source_path)
		return gd_err_set(c->err, "source: 'sourceReference' or "
				  "'source.path' is required");
	return 0;
}

int dap_args_source_parse(const cJSON *args, dap_args_source *out,
			  gd_err *err)
{
	pctx c = {"source", err};
	const cJSON *a;
	memset(out, 0, sizeof(*out));
	if (args_obj(&c, args, &a) < 0 || source_fields(&c, a, out) < 0) {
		dap_args_source_free(out);
		return -1;
	}
	return 0;
}

void dap_args_source_free(dap_args_source *a)
{
	free(a->source_path);
	memset(a, 0, sizeof(*a));
}

/* ---- exceptionInfo ---- */

int dap_args_exception_info_parse(const cJSON *args,
				  dap_args_exception_info *out, gd_err *err)
{
	pctx c = {"exceptionInfo", err};
	const cJSON *a;
	memset(out, 0, sizeof(*out));
	if (args_obj(&c, args, &a) < 0 ||
	    req_int64(&c, a, "", "threadId", 0, MAX_SAFE_INT,
		      &out->thread_id) < 0) {
		memset(out, 0, sizeof(*out));
		return -1;
	}
	return 0;
}

void dap_args_exception_info_free(dap_args_exception_info *a)
{
	memset(a, 0, sizeof(*a));
}

/* ---- setInstructionBreakpoints ---- */

static int set_instruction_breakpoints_fields(
	pctx *c, const cJSON *a, dap_args_set_instruction_breakpoints *o)
{
	const cJSON *arr;
	size_t n;
	if (opt_array(c, a, "breakpoints", "an array of objects", &arr, &n) < 0)
		return -1;
	if (!arr)
		return fail(c, "", "breakpoints", "is required");
	o->breakpoints = calloc(n ? n : 1, sizeof(*o->breakpoints));
	if (!o->breakpoints)
		return oom(c);
	char *pfx = NULL;
	int rc = 0;
	const cJSON *el;
	size_t i = 0;
	cJSON_ArrayForEach(el, arr) {
		dap_args_instruction_breakpoint *b =
			&o->breakpoints[o->nbreakpoints++];
		if (elem_obj(c, "breakpoints", i, el) < 0 ||
		    elem_prefix(c, "breakpoints", i, &pfx) < 0 ||
		    req_str(c, el, pfx, "instructionReference",
			    &b->instruction_reference) < 0 ||
		    opt_int64(c, el, pfx, "offset", -MAX_SAFE_INT, MAX_SAFE_INT,
			      &b->offset, NULL) < 0 ||
		    opt_str(c, el, pfx, "condition", &b->condition) < 0 ||
		    opt_str(c, el, pfx, "hitCondition", &b->hit_condition) < 0) {
			rc = -1;
			break;
		}
		i++;
	}
	free(pfx);
	return rc;
}

int dap_args_set_instruction_breakpoints_parse(
	const cJSON *args, dap_args_set_instruction_breakpoints *out,
	gd_err *err)
{
	pctx c = {"setInstructionBreakpoints", err};
	const cJSON *a;
	memset(out, 0, sizeof(*out));
	if (args_obj(&c, args, &a) < 0 ||
	    set_instruction_breakpoints_fields(&c, a, out) < 0) {
		dap_args_set_instruction_breakpoints_free(out);
		return -1;
	}
	return 0;
}

void dap_args_set_instruction_breakpoints_free(
	dap_args_set_instruction_breakpoints *a)
{
	for (size_t i = 0; a->breakpoints && i < a->nbreakpoints; i++) {
		free(a->breakpoints[i].instruction_reference);
		free(a->breakpoints[i].condition);
		free(a->breakpoints[i].hit_condition);
	}
	free(a->breakpoints);
	memset(a, 0, sizeof(*a));
}

/* ---- breakpointLocations ---- */

static int breakpoint_locations_fields(pctx *c, const cJSON *a,
				       dap_args_breakpoint_locations *o)
{
	if (source_path(c, a, &o->source_path, NULL, NULL) < 0 ||
	    req_int(c, a, "", "line", 0, INT_MAX, &o->line) < 0 ||
	    opt_int(c, a, "", "column", 0, INT_MAX, &o->column, NULL) < 0 ||
	    opt_int(c, a, "", "endLine", 0, INT_MAX, &o->end_line, NULL) < 0 ||
	    opt_int(c, a, "", "endColumn", 0, INT_MAX, &o->end_column,
		    NULL) < 0)
		return -1;
	if (o->end_line && o->end_line < o->line)
		return fail(c, "", "endLine", "must not be before 'line' "
			    "(%d < %d)", o->end_line, o->line);
	return 0;
}

int dap_args_breakpoint_locations_parse(const cJSON *args,
					dap_args_breakpoint_locations *out,
					gd_err *err)
{
	pctx c = {"breakpointLocations", err};
	const cJSON *a;
	memset(out, 0, sizeof(*out));
	if (args_obj(&c, args, &a) < 0 ||
	    breakpoint_locations_fields(&c, a, out) < 0) {
		dap_args_breakpoint_locations_free(out);
		return -1;
	}
	return 0;
}

void dap_args_breakpoint_locations_free(dap_args_breakpoint_locations *a)
{
	free(a->source_path);
	memset(a, 0, sizeof(*a));
}

/* ---- disassemble ---- */

static int disassemble_fields(pctx *c, const cJSON *a,
			      dap_args_disassemble *o)
{
	if (req_str(c, a, "", "memoryReference", &o->memory_reference) < 0 ||
	    opt_int64(c, a, "", "offset", -MAX_SAFE_INT, MAX_SAFE_INT,
		      &o->offset, NULL) < 0 ||
	    opt_int64(c, a, "", "instructionOffset", -DAP_ARGS_MAX_COUNT,
		      DAP_ARGS_MAX_COUNT, &o->instruction_offset, NULL) < 0 ||
	    req_int(c, a, "", "instructionCount", 0, DAP_ARGS_MAX_COUNT,
		    &o->instruction_count) < 0 ||
	    opt_bool(c, a, "", "resolveSymbols", &o->resolve_symbols) < 0)
		return -1;
	return 0;
}

int dap_args_disassemble_parse(const cJSON *args, dap_args_disassemble *out,
			       gd_err *err)
{
	pctx c = {"disassemble", err};
	const cJSON *a;
	memset(out, 0, sizeof(*out));
	if (args_obj(&c, args, &a) < 0 || disassemble_fields(&c, a, out) < 0) {
		dap_args_disassemble_free(out);
		return -1;
	}
	return 0;
}

void dap_args_disassemble_free(dap_args_disassemble *a)
{
	free(a->memory_reference);
	memset(a, 0, sizeof(*a));
}

/* ---- readMemory ---- */

static int read_memory_fields(pctx *c, const cJSON *a,
			      dap_args_read_memory *o)
{
	if (req_str(c, a, "", "memoryReference", &o->memory_reference) < 0 ||
	    opt_int64(c, a, "", "offset", -MAX_SAFE_INT, MAX_SAFE_INT,
		      &o->offset, NULL) < 0 ||
	    req_int(c, a, "", "count", 0, DAP_ARGS_MAX_READ_MEMORY,
		    &o->count) < 0)
		return -1;
	return 0;
}

int dap_args_read_memory_parse(const cJSON *args, dap_args_read_memory *out,
			       gd_err *err)
{
	pctx c = {"readMemory", err};
	const cJSON *a;
	memset(out, 0, sizeof(*out));
	if (args_obj(&c, args, &a) < 0 || read_memory_fields(&c, a, out) < 0) {
		dap_args_read_memory_free(out);
		return -1;
	}
	return 0;
}

void dap_args_read_memory_free(dap_args_read_memory *a)
{
	free(a->memory_reference);
	memset(a, 0, sizeof(*a));
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

/* ---- writeMemory ---- */

static int write_memory_fields(pctx *c, const cJSON *a,
			       dap_args_write_memory *o)
{
	char *data = NULL;
	if (req_str(c, a, "", "memoryReference", &o->memory_reference) < 0 ||
	    opt_int64(c, a, "", "offset", -MAX_SAFE_INT, MAX_SAFE_INT,
		      &o->offset, NULL) < 0 ||
	    opt_bool(c, a, "", "allowPartial", &o->allow_partial) < 0 ||
	    req_str(c, a, "", "data", &data) < 0)
		return -1;
	int rc = gd_base64_decode(data, &o->data, &o->ndata);
	free(data);
	if (rc < 0)
		return fail(c, "", "data", "must be base64");
	return 0;
}

int dap_args_write_memory_parse(const cJSON *args, dap_args_write_memory *out,
				gd_err *err)
{
	pctx c = {"writeMemory", err};
	const cJSON *a;
	memset(out, 0, sizeof(*out));
	if (args_obj(&c, args, &a) < 0 || write_memory_fields(&c, a, out) < 0) {
		dap_args_write_memory_free(out);
		return -1;
	}
	return 0;
}

void dap_args_write_memory_free(dap_args_write_memory *a)
{
	free(a->memory_reference);
	free(a->data);
	memset(a, 0, sizeof(*a));
}

/* ---- completions ---- */

int dap_args_completions_parse(const cJSON *args, dap_args_completions *out,
			       gd_err *err)
{
	pctx c = {"completions", err};
	const cJSON *a;
	memset(out, 0, sizeof(*out));
	if (args_obj(&c, args, &a) < 0 ||
	    req_str(&c, a, "", "text", &out->text) < 0 ||
	    req_int(&c, a, "", "column", 0, INT_MAX, &out->column) < 0 ||
	    opt_int(&c, a, "", "line", 0, INT_MAX, &out->line, NULL) < 0 ||
	    opt_int(&c, a, "", "frameId", 0, INT_MAX, &out->frame_id,
		    &out->has_frame_id) < 0) {
		dap_args_completions_free(out);
		return -1;
	}
	return 0;
}

void dap_args_completions_free(dap_args_completions *a)
{
	free(a->text);
	memset(a, 0, sizeof(*a));
}

/* ---- stepInTargets ---- */

int dap_args_step_in_targets_parse(const cJSON *args,
				   dap_args_step_in_targets *out, gd_err *err)
{
	pctx c = {"stepInTargets", err};
	const cJSON *a;
	memset(out, 0, sizeof(*out));
	if (args_obj(&c, args, &a) < 0 ||
	    req_int(&c, a, "", "frameId", 0, INT_MAX, &out->frame_id) < 0) {
		memset(out, 0, sizeof(*out));
		return -1;
	}
	return 0;
}

void dap_args_step_in_targets_free(dap_args_step_in_targets *a)
{
	memset(a, 0, sizeof(*a));
}

/* ---- gotoTargets ---- */

int dap_args_goto_targets_parse(const cJSON *args,
				dap_args_goto_targets *out, gd_err *err)
{
	pctx c = {"gotoTargets", err};
	const cJSON *a;
	memset(out, 0, sizeof(*out));
	if (args_obj(&c, args, &a) < 0 ||
	    source_path(&c, a, &out->source_path, NULL, NULL) < 0 ||
	    req_int(&c, a, "", "line", 0, INT_MAX, &out->line) < 0) {
		dap_args_goto_targets_free(out);
		return -1;
	}
	return 0;
}

void dap_args_goto_targets_free(dap_args_goto_targets *a)
{
	free(a->source_path);
	memset(a, 0, sizeof(*a));
}

/* ---- goto ---- */

int dap_args_goto_parse(const cJSON *args, dap_args_goto *out, gd_err *err)
{
	pctx c = {"goto", err};
	const cJSON *a;
	memset(out, 0, sizeof(*out));
	if (args_obj(&c, args, &a) < 0 ||
	    req_int64(&c, a, "", "threadId", 0, MAX_SAFE_INT,
		      &out->thread_id) < 0 ||
	    req_int(&c, a, "", "targetId", 0, INT_MAX, &out->target_id) < 0) {
		memset(out, 0, sizeof(*out));
		return -1;
	}
	return 0;
}

void dap_args_goto_free(dap_args_goto *a)
{
	memset(a, 0, sizeof(*a));
}

/* ---- cancel ---- */

int dap_args_cancel_parse(const cJSON *args, dap_args_cancel *out,
			  gd_err *err)
{
	pctx c = {"cancel", err};
	const cJSON *a;
	memset(out, 0, sizeof(*out));
	if (args_obj(&c, args, &a) < 0 ||
	    opt_int(&c, a, "", "requestId", 0, INT_MAX, &out->request_id,
		    &out->has_request_id) < 0 ||
	    opt_str(&c, a, "", "progressId", &out->progress_id) < 0) {
		dap_args_cancel_free(out);
		return -1;
	}
	return 0;
}

void dap_args_cancel_free(dap_args_cancel *a)
{
	free(a->progress_id);
	memset(a, 0, sizeof(*a));
}

/* ---- dataBreakpointInfo ---- */

static int data_breakpoint_info_fields(pctx *c, const cJSON *a,
				       dap_args_data_breakpoint_info *o)
{
	if (opt_int(c, a, "", "variablesReference", 0, INT_MAX,
		    &o->variables_reference, &o->has_variables_reference) < 0 ||
	    req_str(c, a, "", "name", &o->name) < 0 ||
	    opt_int(c, a, "", "frameId", 0, INT_MAX, &o->frame_id,
		    &o->has_frame_id) < 0)
		return -1;
	return 0;
}

int dap_args_data_breakpoint_info_parse(const cJSON *args,
					dap_args_data_breakpoint_info *out,
					gd_err *err)
{
	pctx c = {"dataBreakpointInfo", err};
	const cJSON *a;
	memset(out, 0, sizeof(*out));
	if (args_obj(&c, args, &a) < 0 ||
	    data_breakpoint_info_fields(&c, a, out) < 0) {
		dap_args_data_breakpoint_info_free(out);
		return -1;
	}
	return 0;
}

void dap_args_data_breakpoint_info_free(dap_args_data_breakpoint_info *a)
{
	free(a->name);
	memset(a, 0, sizeof(*a));
}

/* ---- setDataBreakpoints ---- */

static int set_data_breakpoints_fields(pctx *c, const cJSON *a,
				       dap_args_set_data_breakpoints *o)
{
	const cJSON *arr;
	size_t n;
	if (opt_array(c, a, "breakpoints", "an array of objects", &arr, &n) < 0)
		return -1;
	if (!arr)
		return fail(c, "", "breakpoints", "is required");
	o->breakpoints = calloc(n ? n : 1, sizeof(*o->breakpoints));
	if (!o->breakpoints)
		return oom(c);
	char *pfx = NULL;
	int rc = 0;
	const cJSON *el;
	size_t i = 0;
	cJSON_ArrayForEach(el, arr) {
		dap_args_data_breakpoint *b = &o->breakpoints[o->nbreakpoints++];
		if (elem_obj(c, "breakpoints", i, el) < 0 ||
		    elem_prefix(c, "breakpoints", i, &pfx) < 0 ||
		    req_str(c, el, pfx, "dataId", &b->data_id) < 0 ||
		    opt_str(c, el, pfx, "accessType", &b->access_type) < 0 ||
		    opt_str(c, el, pfx, "condition", &b->condition) < 0 ||
		    opt_str(c, el, pfx, "hitCondition", &b->hit_condition) < 0) {
			rc = -1;
			break;
		}
		const char *t = b->access_type;
		if (t && strcmp(t, "read") != 0 && strcmp(t, "write") != 0 &&
		    strcmp(t, "readWrite") != 0) {
			rc = fail(c, pfx, "accessType", "must be \"read\", "
				  "\"write\" or \"readWrite\", not \"%s\"", t);
			break;
		}
		i++;
	}
	free(pfx);
	return rc;
}

int dap_args_set_data_breakpoints_parse(const cJSON *args,
					dap_args_set_data_breakpoints *out,
					gd_err *err)
{
	pctx c = {"setDataBreakpoints", err};
	const cJSON *a;
	memset(out, 0, sizeof(*out));
	if (args_obj(&c, args, &a) < 0 ||
	    set_data_breakpoints_fields(&c, a, out) < 0) {
		dap_args_set_data_breakpoints_free(out);
		return -1;
	}
	return 0;
}

void dap_args_set_data_breakpoints_free(dap_args_set_data_breakpoints *a)
{
	for (size_t i = 0; a->breakpoints && i < a->nbreakpoints; i++) {
		free(a->breakpoints[i].data_id);
		free(a->breakpoints[i].access_type);
		free(a->breakpoints[i].condition);
		free(a->breakpoints[i].hit_condition);
	}
	free(a->breakpoints);
	memset(a, 0, sizeof(*a));
}
