/* Goroutine filters in Delve's syntax (its `goroutines` command and its
 * DAP `goroutineFilters`):
 *   -with|-without user                 not a runtime goroutine
 *   -with|-without running              running on a thread now
 *   -with|-without curloc|userloc|goloc|startloc TEXT
 *                                       the location (FILE:LINE FUNC) of the
 *                                       top frame, the topmost frame outside
 *                                       the runtime, the go statement, the
 *                                       start function contains TEXT
 *   -with|-without label KEY[=VALUE]    has the pprof label (with that value)
 *   -group user|running|curloc|userloc|goloc|startloc|label KEY
 * Terms combine with "and". */
#include "grt_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/gd_array.h"
#include "../common/gd_buf.h"

enum { GF_USER, GF_RUNNING, GF_CURLOC, GF_USERLOC, GF_GOLOC, GF_STARTLOC,
       GF_LABEL };

typedef struct gterm {
	int with;  /* 1 -with, 0 -without */
	int kind;
	char *arg; /* heap: location text, or label KEY[=VALUE] */
} gterm;

struct grt_gfilter {
	gterm *terms;
	size_t n, cap;
	int group;        /* -1: none, else GF_* */
	char *group_arg;  /* label KEY */
};

void grt_gfilter_free(grt_gfilter *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->n; i++)
		free(f->terms[i].arg);
	free(f->terms);
	free(f->group_arg);
	free(f);
}

static int kind_of(const char *w)
{
	static const char *const names[] = {"user", "running", "curloc",
					    "userloc", "goloc", "startloc",
					    "label"};
	for (int i = 0; i < (int)(sizeof(names) / sizeof(names[0])); i++)
		if (strcmp(w, names[i]) == 0)
			return i;
	return -1;
}

int grt_gfilter_parse(const char *text, grt_gfilter **out, gd_err *err)
{
	*out = NULL;
	grt_gfilter *f = calloc(1, sizeof(*f));
	char *copy = strdup(text ? text : "");
	if (!f || !copy) {
		free(f);
		free(copy);
		return gd_err_set(err, "out of memory");
	}
	f->group = -1;
	char *save = NULL;
	int rc = 0;
	for (char *w = strtok_r(copy, " \t", &save); w && rc == 0;
	     w = strtok_r(NULL, " \t", &save)) {
		int with = strcmp(w, "-with") == 0 || strcmp(w, "-w") == 0;
		int without = strcmp(w, "-without") == 0 || strcmp(w, "-wo") == 0;
		int group = strcmp(w, "-group") == 0;
		if (!with && !without && !group) {
			rc = gd_err_set(err, "goroutine filter: unknown option '%s' "
					"(expected -with, -without or -group)", w);
			break;
		}
		char *what = strtok_r(NULL, " \t", &save);
		int k = what ? kind_of(what) : -1;
		if (k < 0) {
			rc = gd_err_set(err, "goroutine filter: %s needs one of user, "
					"running, curloc, userloc, goloc, startloc, "
					"label%s%s%s", w, what ? " (not '" : "",
					what ? what : "", what ? "')" : "");
			break;
		}
		char *arg = NULL;
		if (k >= GF_CURLOC && (!group || k == GF_LABEL)) {
			arg = strtok_r(NULL, " \t", &save);
			if (!arg) {
				rc = gd_err_set(err, "goroutine filter: %s %s needs %s",
						w, what, k == GF_LABEL ? "a KEY or KEY=VALUE"
								       : "a location text");
				break;
			}
		}
		if (group) {
			f->group = k;
			free(f->group_arg);
			f->group_arg = arg ? strdup(arg) : NULL;
			if (arg && !f->group_arg)
				rc = gd_err_set(err, "out of memory");
			continue;
		}
		if (gd_grow(&f->terms, &f->cap, f->n, sizeof(*f->terms), 4) < 0) {
			rc = gd_err_set(err, "out of memory");
			break;
		}
		gterm *t = &f->terms[f->n];
		t->with = with;
		t->kind = k;
		t->arg = arg ? strdup(arg) : NULL;
		if (arg && !t->arg) {
			rc = gd_err_set(err, "out of memory");
			break;
		}
		f->n++;
	}
	free(copy);
	if (rc < 0) {
		grt_gfilter_free(f);
		return -1;
	}
	*out = f;
	return 0;
}

int grt_gfilter_empty(const grt_gfilter *f)
{
	return !f || (f->n == 0 && f->group < 0);
}

static int is_runtime(const char *fn)
{
	return strncmp(fn, "runtime.", 8) == 0 ||
	       strncmp(fn, "internal/runtime/", 17) == 0;
}

static void pc_loc(grt_target *t, uint64_t pc, gd_buf *b)
{
	const char *file = NULL;
	int line = 0;
	uint64_t start;
	const char *fn = pc >= t->bias ? gdw_sym_func_at(t->dw, pc - t->bias,
							 &start, NULL) : NULL;
	if (pc >= t->bias)
		gdw_pc_line(t->dw, pc - t->bias, &file, &line);
	gd_buf_printf(b, "%s:%d %s", file ? file : "?", line, fn ? fn : "?");
}

/* "FILE:LINE FUNC" of one of g's locations (kind GF_*LOC). */
int grt_goroutine_loc(grt_target *t, const grt_goroutine *g, int which,
		      gd_buf *out)
{
	switch (which) {
	case GRT_LOC_GO:
		pc_loc(t, g->gopc ? g->gopc - 1 : 0, out);
		return 0;
	case GRT_LOC_START:
		pc_loc(t, g->startpc, out);
		return 0;
	default:
		break;
	}
	grt_frame *fs;
	size_t n;
	int complete;
	/* best effort: a goroutine whose stack cannot be read is "?:0 ?",
	 * as Delve shows it. */
	if (grt_stack(t, g->goid, 0, which == GRT_LOC_CUR ? 1 : 64, &fs, &n,
		      &complete, NULL) < 0 || n == 0) {
		gd_buf_puts(out, "?:0 ?");
		return -1;
	}
	size_t k = 0;
	if (which == GRT_LOC_USER)
		while (k + 1 < n && is_runtime(fs[k].func))
			k++;
	gd_buf_printf(out, "%s:%d %s", fs[k].file ? fs[k].file : "?",
		      fs[k].line, fs[k].func);
	free(fs);
	return 0;
}

static int loc_kind(int k)
{
	return k == GF_CURLOC ? GRT_LOC_CUR : k == GF_USERLOC ? GRT_LOC_USER :
	       k == GF_GOLOC ? GRT_LOC_GO : GRT_LOC_START;
}

/* The value of label key on g (heap), or NULL. */
static char *label_value(grt_target *t, const grt_goroutine *g,
			 const char *key, size_t klen)
{
	grt_label *ls;
	size_t n;
	char *v = NULL;
	/* best effort: labels that cannot be read: no such label. */
	if (grt_goroutine_labels(t, g, &ls, &n, NULL) < 0)
		return NULL;
	for (size_t i = 0; i < n && !v; i++)
		if (strlen(ls[i].key) == klen && strncmp(ls[i].key, key, klen) == 0)
			v = strdup(ls[i].value);
	grt_labels_free(ls, n);
	return v;
}

static int term_holds(grt_target *t, const gterm *tm, const grt_goroutine *g)
{
	switch (tm->kind) {
	case GF_USER:
		return !grt_is_system(t, g);
	case GF_RUNNING:
		return g->status == GRT_GRUNNING || g->tid != 0;
	case GF_LABEL: {
		const char *eq = strchr(tm->arg, '=');
		size_t klen = eq ? (size_t)(eq - tm->arg) : strlen(tm->arg);
		char *v = label_value(t, g, tm->arg, klen);
		int ok = v && (!eq || strcmp(v, eq + 1) == 0);
		free(v);
		return ok;
	}
	default: {
		gd_buf b = GD_BUF_INIT;
		/* best effort: an unknown location is written as "?:0 ?"
		 * and matches nothing. */
		grt_goroutine_loc(t, g, loc_kind(tm->kind), &b);
		int ok = b.data && strstr(b.data, tm->arg) != NULL;
		gd_buf_free(&b);
		return ok;
	}
	}
}

int grt_gfilter_match(grt_target *t, const grt_gfilter *f,
		      const grt_goroutine *g)
{
	if (!f)
		return 1;
	for (size_t i = 0; i < f->n; i++)
		if (term_holds(t, &f->terms[i], g) != f->terms[i].with)
			return 0;
	return 1;
}

char *grt_gfilter_group(grt_target *t, const grt_gfilter *f,
			const grt_goroutine *g)
{
	if (!f || f->group < 0)
		return NULL;
	gd_buf b = GD_BUF_INIT;
	switch (f->group) {
	case GF_USER:
		gd_buf_puts(&b, grt_is_system(t, g) ? "system" : "user");
		break;
	case GF_RUNNING:
		gd_buf_puts(&b, g->tid ? "running" : "not running");
		break;
	case GF_LABEL: {
		char *v = label_value(t, g, f->group_arg, strlen(f->group_arg));
		gd_buf_printf(&b, "%s=%s", f->group_arg, v ? v : "");
		if (!v) {
			gd_buf_reset(&b);
			gd_buf_printf(&b, "no label %s", f->group_arg);
		}
		free(v);
		break;
	}
	default:
		grt_goroutine_loc(t, g, loc_kind(f->group), &b);
	}
	char *s = gd_buf_detach(&b);
	return s;
}
