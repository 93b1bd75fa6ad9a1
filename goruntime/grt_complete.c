/* Completions for the debug console: what may follow the text before the
 * cursor.  Without a '.': the frame's locals and arguments, its package's
 * globals and the program's package names.  After "x.": x's fields and
 * methods when x is a value, or the exported functions and globals of
 * package x. */
#include "grt_internal.h"
#include "grt_value.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/gd_array.h"
#include "expr/gx.h"

typedef struct clist {
	grt_completion *v;
	size_t n, cap;
	int oom;
} clist;

static void add(clist *l, const char *label, size_t len, const char *type)
{
	if (l->oom)
		return;
	for (size_t i = 0; i < l->n; i++)
		if (strlen(l->v[i].label) == len &&
		    strncmp(l->v[i].label, label, len) == 0)
			return;
	if (gd_grow(&l->v, &l->cap, l->n, sizeof(*l->v), 16) < 0) {
		l->oom = 1;
		return;
	}
	char *s = strndup(label, len);
	if (!s) {
		l->oom = 1;
		return;
	}
	l->v[l->n].label = s;
	l->v[l->n].type = type;
	l->n++;
}

void grt_completions_free(grt_completion *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].label);
	free(v);
}

static int starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* "a/b/c.F..." -> the package path's length (up to the first '.' after
 * the last '/'), 0 if none. */
static size_t pkg_len(const char *fn)
{
	const char *slash = strrchr(fn, '/');
	const char *dot = strchr(slash ? slash : fn, '.');
	return dot ? (size_t)(dot - fn) : 0;
}

typedef struct fwalk {
	clist *l;
	const char *prefix;  /* what the user typed after the last '.' */
	const char *pkg;     /* package name typed (last path element) */
	const char *tname;   /* type for methods: "main.Point" */
	int packages;        /* collect package names */
	char *pkgpath;       /* pkg's full path, found on the way (heap) */
} fwalk;

/* The last element of the package path of fn equals name. */
static int pkg_named(const char *fn, size_t plen, const char *name)
{
	const char *p = fn;
	for (const char *q = fn; q < fn + plen; q++)
		if (*q == '/')
			p = q + 1;
	return (size_t)(fn + plen - p) == strlen(name) &&
	       strncmp(p, name, strlen(name)) == 0;
}

static int on_func(const gdw_func *f, void *ctx)
{
	fwalk *w = ctx;
	const char *n = f->name;
	size_t plen = pkg_len(n);
	if (!plen)
		return 0;
	if (w->packages) {
		const char *p = n;
		for (const char *q = n; q < n + plen; q++)
			if (*q == '/')
				p = q + 1;
		size_t len = (size_t)(n + plen - p);
		if (len >= strlen(w->prefix) && strncmp(p, w->prefix, strlen(w->prefix)) == 0 &&
		    !memchr(p, '(', len) && !memchr(p, ':', len))
			add(w->l, p, len, "module");
		return 0;
	}
	const char *rest = n + plen + 1;
	if (w->pkg) {
		/* pkg.F: exported, not a method or closure; generics once. */
		if (!pkg_named(n, plen, w->pkg))
			return 0;
		if (!w->pkgpath)
			w->pkgpath = strndup(n, plen);
		if (!isupper((unsigned char)rest[0]) || !starts(rest, w->prefix))
			return 0;
		size_t len = strcspn(rest, ".([");
		if (rest[len] == '.' || rest[len] == '(')
			return 0;
		add(w->l, rest, len, "function");
		return 0;
	}
	if (w->tname) {
		/* main.Point.M and main.(*Point).M for type main.Point. */
		size_t tl = strlen(w->tname);
		size_t tp = pkg_len(w->tname);
		const char *m = NULL;
		if (strncmp(n, w->tname, tl) == 0 && n[tl] == '.')
			m = n + tl + 1;
		else if (tp && strncmp(n, w->tname, tp) == 0 && n[tp] == '.' &&
			 strncmp(n + tp + 1, "(*", 2) == 0 &&
			 strncmp(n + tp + 3, w->tname + tp + 1, tl - tp - 1) == 0 &&
			 strncmp(n + tp + 3 + (tl - tp - 1), ").", 2) == 0)
			m = n + tp + 3 + (tl - tp - 1) + 2;
		if (!m || !starts(m, w->prefix))
			return 0;
		size_t len = strcspn(m, ".-[");
		if (m[len] == '.' || m[len] == '-' || len == 0)
			return 0; /* closures, wrappers */
		add(w->l, m, len, "method");
	}
	return 0;
}

/* Fields (and, through pointers, the pointee's) and methods of expr. */
static int members(grt_scope *s, const char *expr, size_t elen,
		   const char *prefix, clist *l, gd_err *err)
{
	gx_expr *e = NULL;
	if (gx_parse_n(expr, elen, &e, err) < 0)
		return -1;
	grt_value v;
	int rc = grt_eval(s, e, &v, err);
	gx_expr_free(e);
	if (rc < 0)
		return -1;
	grt_target *t = s->t;
	for (int depth = 0; depth < 2; depth++) {
		gdw_kind k = grt_value_kind(t, &v);
		if (k != GDW_K_PTR && k != GDW_K_STRUCT)
			break;
		/* Methods of the named type (value and pointer receivers). */
		char *tname = strdup(grt_value_type_name(t, &v));
		if (!tname) {
			grt_value_free(&v);
			return gd_err_set(err, "out of memory");
		}
		const char *tn = tname[0] == '*' ? tname + 1 : tname;
		if (pkg_len(tn)) {
			fwalk w = {.l = l, .prefix = prefix, .tname = tn};
			/* best effort: completions are suggestions: a part
			 * of the program that cannot be read suggests
			 * nothing (here and below). */
			gdw_func_each(t->dw, on_func, &w, NULL);
		}
		free(tname);
		grt_child *ch;
		size_t nch;
		/* best effort: as above. */
		if (grt_children(t, &v, 0, 0, &ch, &nch, NULL) < 0)
			break;
		grt_value next = {0};
		int have_next = 0;
		for (size_t i = 0; i < nch; i++) {
			if (ch[i].kind == GRT_CH_FIELD && starts(ch[i].name, prefix))
				add(l, ch[i].name, strlen(ch[i].name), "field");
			if (ch[i].kind == GRT_CH_DEREF && !have_next) {
				next = ch[i].v;
				memset(&ch[i].v, 0, sizeof(ch[i].v));
				have_next = 1;
			}
		}
		grt_children_free(ch, nch);
		grt_value_free(&v);
		if (!have_next)
			return 0;
		v = next;
	}
	grt_value_free(&v);
	return 0;
}

static int is_ident(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

int grt_complete(grt_scope *s, const char *text, size_t cursor,
		 grt_completion **out, size_t *n, gd_err *err)
{
	*out = NULL;
	*n = 0;
	if (cursor > strlen(text))
		cursor = strlen(text);
	/* The word before the cursor: identifiers and dots (x.y.z). */
	size_t b = cursor;
	while (b > 0 && (is_ident(text[b - 1]) || text[b - 1] == '.'))
		b--;
	size_t dot = cursor;
	while (dot > b && text[dot - 1] != '.')
		dot--;
	char *prefix = strndup(text + dot, cursor - dot);
	if (!prefix)
		return gd_err_set(err, "out of memory");
	clist l = {0};
	if (dot > b) {
		/* x.<prefix>: a value's members, or a package's functions. */
		size_t elen = dot - 1 - b;
		char *base = strndup(text + b, elen);
		if (!base) {
			free(prefix);
			return gd_err_set(err, "out of memory");
		}
		gd_err e2 = GD_ERR_INIT;
		if (members(s, base, elen, prefix, &l, &e2) < 0) {
			gd_err_clear(&e2);
			/* Not a value: a package name? */
			fwalk w = {.l = &l, .prefix = prefix, .pkg = base};
			/* best effort: as above. */
			gdw_func_each(s->t->dw, on_func, &w, NULL);
			/* and its exported globals */
			gdw_var *dv = NULL;
			size_t ndv = 0;
			char *pfx = NULL;
			if (w.pkgpath && asprintf(&pfx, "%s.", w.pkgpath) >= 0 &&
			    /* best effort: as above. */
			    gdw_globals(s->t->dw, pfx, &dv, &ndv, NULL) == 0) {
				size_t pl = strlen(pfx);
				for (size_t i = 0; i < ndv; i++) {
					const char *g = dv[i].name + pl;
					if (isupper((unsigned char)g[0]) && !strchr(g, '.') &&
					    starts(g, prefix))
						add(&l, g, strlen(g), "variable");
				}
				free(dv);
			}
			free(pfx);
			free(w.pkgpath);
		}
		free(base);
	} else {
		grt_var *vs;
		size_t nv;
		/* best effort: as above. */
		if (grt_scope_vars(s, &vs, &nv, NULL) == 0) {
			for (size_t i = 0; i < nv; i++)
				if (!vs[i].shadowed && starts(vs[i].name, prefix))
					add(&l, vs[i].name, strlen(vs[i].name), "variable");
			grt_vars_free(vs, nv);
		}
		char *pkg = NULL;
		/* best effort: as above. */
		if (grt_scope_globals(s, &pkg, &vs, &nv, NULL) == 0) {
			for (size_t i = 0; i < nv; i++)
				if (starts(vs[i].name, prefix))
					add(&l, vs[i].name, strlen(vs[i].name), "variable");
			grt_vars_free(vs, nv);
		}
		free(pkg);
		fwalk w = {.l = &l, .prefix = prefix, .packages = 1};
		/* best effort: as above. */
		gdw_func_each(s->t->dw, on_func, &w, NULL);
	}
	free(prefix);
	if (l.oom) {
		grt_completions_free(l.v, l.n);
		return gd_err_set(err, "out of memory");
	}
	*out = l.v;
	*n = l.n;
	return 0;
}
