/* pprof labels of a goroutine: g.labels points at runtime/pprof's
 * labelMap, whose shape changed with Go versions (checked on real
 * binaries):
 *   Go 1.22, 1.23: type labelMap map[string]string
 *   Go 1.24 on:    type labelMap struct{ label.Set }, Set{ List []Label },
 *                  Label{ Key, Value string }
 * Both are read through the binary's own DWARF type for labelMap: a map's
 * entries, or a struct's (embedded) list of key/value pairs. */
#include "grt_internal.h"
#include "grt_value.h"
#include "../dwarf/gdw_type.h"

#include <stdlib.h>
#include <string.h>

#include "../common/gd_array.h"
#include "../common/gd_buf.h"

#define MAX_LABELS 1024
#define MAX_LABEL_LEN (64u << 10)

void grt_labels_free(grt_label *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].key);
		free(v[i].value);
	}
	free(v);
}

/* The bytes of a Go string value (heap, NUL-terminated). */
static int str_of(grt_target *t, const grt_value *v, char **out)
{
	*out = NULL;
	if (grt_value_kind(t, v) != GDW_K_STRING)
		return -1;
	uint64_t hdr[2];
	/* best effort: a label that cannot be read is left out. */
	if (grt_value_read(t, v, 0, hdr, sizeof(hdr), NULL) < 0 ||
	    hdr[1] > MAX_LABEL_LEN)
		return -1;
	char *s = malloc(hdr[1] + 1);
	if (!s)
		return -1;
	/* best effort: as above. */
	if (hdr[1] && core_read(t->proc, hdr[0], s, hdr[1], NULL) < 0) {
		free(s);
		return -1;
	}
	s[hdr[1]] = 0;
	*out = s;
	return 0;
}

typedef struct lvec {
	grt_label *v;
	size_t n, cap;
} lvec;

static int push(lvec *l, char *k, char *v)
{
	if (l->n >= MAX_LABELS || gd_grow(&l->v, &l->cap, l->n, sizeof(*l->v), 4) < 0) {
		free(k);
		free(v);
		return -1;
	}
	l->v[l->n].key = k;
	l->v[l->n].value = v;
	l->n++;
	return 0;
}

static int collect(grt_target *t, const grt_value *v, int depth, lvec *l)
{
	if (depth > 4)
		return 0;
	gdw_kind k = grt_value_kind(t, v);
	if (k != GDW_K_MAP && k != GDW_K_STRUCT && k != GDW_K_SLICE)
		return 0;
	grt_child *ch;
	size_t n;
	/* best effort: labels that cannot be read: none shown. */
	if (grt_children(t, v, 0, MAX_LABELS, &ch, &n, NULL) < 0)
		return 0;
	if (k == GDW_K_MAP) {
		for (size_t i = 0; i < n; i++) {
			char *key, *val;
			if (str_of(t, &ch[i].key, &key) < 0)
				continue;
			if (str_of(t, &ch[i].v, &val) < 0) {
				free(key);
				continue;
			}
			push(l, key, val);
		}
	} else if (k == GDW_K_STRUCT && n == 2 && ch[0].kind == GRT_CH_FIELD &&
		   grt_value_kind(t, &ch[0].v) == GDW_K_STRING &&
		   grt_value_kind(t, &ch[1].v) == GDW_K_STRING) {
		/* A Label: {Key, Value} (or {key, value}). */
		char *key, *val;
		if (str_of(t, &ch[0].v, &key) == 0) {
			if (str_of(t, &ch[1].v, &val) == 0)
				push(l, key, val);
			else
				free(key);
		}
	} else {
		for (size_t i = 0; i < n; i++)
			collect(t, &ch[i].v, depth + 1, l);
	}
	grt_children_free(ch, n);
	return 0;
}

static int cmp_key(const void *a, const void *b)
{
	const grt_label *x = a, *y = b;
	return strcmp(x->key, y->key);
}

int grt_goroutine_labels(grt_target *t, const grt_goroutine *g,
			 grt_label **out, size_t *n, gd_err *err)
{
	*out = NULL;
	*n = 0;
	uint64_t off;
	gdw_tref type;
	/* A program without runtime/pprof has no labelMap: no labels. */
	if (!gdw_has_member(t->dw, "runtime.g", "labels"))
		return 0;
	int found = gdw_type_by_name(t->dw, "runtime/pprof.labelMap", &type, err);
	if (found == GD_ENOTFOUND)
		return 0;
	if (found < 0)
		return -1;
	if (gdw_member_offset(t->dw, "runtime.g", "labels", &off, err) < 0)
		return -1;
	uint64_t p = 0;
	if (core_read(t->proc, g->gaddr + off, &p, sizeof(p), err) < 0)
		return -1;
	if (!p)
		return 0;
	grt_value v = grt_value_at(type, p);
	lvec l = {0};
	collect(t, &v, 0, &l);
	grt_value_free(&v);
	if (l.n > 1)
		qsort(l.v, l.n, sizeof(*l.v), cmp_key);
	*out = l.v;
	*n = l.n;
	return 0;
}

int grt_labels_text(grt_target *t, const grt_goroutine *g,
		    char *const *keys, size_t nkeys, gd_buf *out)
{
	grt_label *ls;
	size_t n;
	/* best effort: as above. */
	if (grt_goroutine_labels(t, g, &ls, &n, NULL) < 0)
		return 0;
	int shown = 0;
	for (size_t i = 0; i < n; i++) {
		int want = nkeys == 0;
		for (size_t k = 0; k < nkeys && !want; k++)
			want = strcmp(keys[k], ls[i].key) == 0;
		if (!want)
			continue;
		gd_buf_printf(out, " %s=%s", ls[i].key, ls[i].value);
		shown++;
	}
	grt_labels_free(ls, n);
	return shown;
}
