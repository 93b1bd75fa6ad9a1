/* Delve's location syntax where a function breakpoint's name is given:
 *   FILE:LINE        a source line; FILE is a path, or its last elements
 *                    ("main.go", "pkg/a.go") matched at a '/' boundary
 *   FUNC:+N          N lines after the line FUNC is declared on
 *   FUNC:LINE        a line inside FUNC
 *   *ADDRESS         an instruction address
 * FUNC is named as function breakpoints name functions (main.worker,
 * (*T).M, pkg/path.F). */
#include "grt_internal.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

typedef struct fsearch {
	const char *query;
	gdw_func found;
	int n;
} fsearch;

static int on_func(const gdw_func *fn, void *ctx)
{
	fsearch *s = ctx;
	if (!grt_func_name_matches(s->query, fn->name))
		return 0;
	/* Instantiations of one generic function count once. */
	if (s->n && strcmp(s->found.name, fn->name) != 0 &&
	    s->found.decl_line == fn->decl_line && s->found.decl_file &&
	    fn->decl_file && strcmp(s->found.decl_file, fn->decl_file) == 0)
		return 0;
	if (s->n == 0 || strcmp(s->found.name, fn->name) != 0)
		s->n++;
	s->found = *fn;
	return s->n > 1;
}

static int parse_int(const char *s, long *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (!isdigit((unsigned char)*s) || *end || errno || v > 10000000)
		return -1;
	*out = v;
	return 0;
}

/* The program file that spec names, or NULL with *err set. */
static const char *find_file(grt_target *t, const char *spec, gd_err *err)
{
	size_t n;
	if (gdw_files(t->dw, &n, err) < 0)
		return NULL;
	const char *hit = NULL;
	size_t sl = strlen(spec);
	for (size_t i = 0; i < n; i++) {
		const char *f = gdw_file_name(t->dw, i);
		size_t fl = f ? strlen(f) : 0;
		if (!f || fl < sl || strcmp(f + fl - sl, spec) != 0 ||
		    (fl > sl && spec[0] != '/' && f[fl - sl - 1] != '/'))
			continue;
		if (hit) {
			gd_err_set(err, "'%s' names more than one file of the "
				   "program (%s, %s): give more of its path",
				   spec, hit, f);
			return NULL;
		}
		hit = f;
	}
	if (!hit)
		gd_err_set(err, "no file '%s' in the program", spec);
	return hit;
}

int grt_location(grt_target *t, const char *spec, grt_loc *out, gd_err *err)
{
	memset(out, 0, sizeof(*out));
	if (spec[0] == '*') {
		char *end;
		errno = 0;
		unsigned long long a = strtoull(spec + 1, &end, 0);
		if (!spec[1] || *end || errno)
			return gd_err_set(err, "'%s' is not an address", spec);
		out->addrs = malloc(sizeof(*out->addrs));
		if (!out->addrs)
			return gd_err_set(err, "out of memory");
		out->addrs[0] = a;
		out->n = 1;
		out->is_addr = 1;
		return 1;
	}
	const char *colon = strrchr(spec, ':');
	if (!colon || colon == spec || !colon[1])
		return 0; /* a plain function name */
	int rel = colon[1] == '+';
	long num;
	if (parse_int(colon + 1 + rel, &num) < 0)
		return 0;
	char *left = strndup(spec, (size_t)(colon - spec));
	if (!left)
		return gd_err_set(err, "out of memory");
	const char *file = NULL;
	int line = 0;
	int rc = 1;
	size_t ll = strlen(left);
	if (!rel && ll > 3 && (strcmp(left + ll - 3, ".go") == 0 ||
			       strcmp(left + ll - 2, ".s") == 0 ||
			       strchr(left, '/') == left)) {
		file = find_file(t, left, err);
		line = (int)num;
	} else {
		fsearch s = {.query = left};
		if (gdw_func_each(t->dw, on_func, &s, err) < 0) {
			rc = -1;
		} else if (s.n == 0) {
			rc = gd_err_set(err, "no function named '%s' in the program", left);
		} else if (s.n > 1) {
			rc = gd_err_set(err, "'%s' names more than one function: "
					"give its package", left);
		} else if (!s.found.decl_file) {
			rc = gd_err_set(err, "%s has no source line information",
					s.found.name);
		} else {
			file = s.found.decl_file;
			line = rel ? s.found.decl_line + (int)num : (int)num;
			if (!rel && line < s.found.decl_line)
				rc = gd_err_set(err, "line %d is before %s (line %d)",
						line, s.found.name, s.found.decl_line);
			out->func = s.found.name;
		}
	}
	free(left);
	if (rc < 0)
		return -1;
	if (!file)
		return -1;
	gdw_line_addrs la;
	if (gdw_line_addrs_for(t->dw, file, line, &la, err) < 0)
		return -1;
	for (size_t i = 0; i < la.n; i++)
		la.addrs[i] += t->bias;
	out->addrs = la.addrs;
	out->n = la.n;
	out->file = file;
	out->line = la.line;
	return 1;
}
