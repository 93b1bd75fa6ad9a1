/* Go type facts from DWARF (gdw_var.h): kind, size, element/key types,
 * struct members, and the runtime-type index for interfaces.  Everything
 * is computed on first use and cached per DIE. */
#include "gdw_vcache.h"
#include "../common/gd_array.h"

#include <dwarf.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

enum {
	AT_GO_KIND = 0x2900, AT_GO_KEY = 0x2901, AT_GO_ELEM = 0x2902,
	AT_GO_EMBEDDED = 0x2903, AT_GO_RTYPE = 0x2904, AT_GO_DICT_INDEX = 0x2906,
};

/* ---- uint64 -> pointer map ---- */
static uint64_t mix(uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdull;
	k ^= k >> 33;
	return k;
}

void *gdw__u64_get(const gdw_u64map *m, uint64_t key)
{
	if (!m->cap)
		return NULL;
	for (size_t j = mix(key) & (m->cap - 1); m->keys[j];
	     j = (j + 1) & (m->cap - 1))
		if (m->keys[j] == key)
			return m->vals[j];
	return NULL;
}

int gdw__u64_put(gdw_u64map *m, uint64_t key, void *val)
{
	if ((m->n + 1) * 2 > m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 256;
		uint64_t *nk = calloc(cap, sizeof(*nk));
		void **nv = calloc(cap, sizeof(*nv));
		if (!nk || !nv) {
			free(nk);
			free(nv);
			return -1;
		}
		for (size_t i = 0; i < m->cap; i++) {
			if (!m->keys[i])
				continue;
			size_t j = mix(m->keys[i]) & (cap - 1);
			while (nk[j])
				j = (j + 1) & (cap - 1);
			nk[j] = m->keys[i];
			nv[j] = m->vals[i];
		}
		free(m->keys);
		free(m->vals);
		m->keys = nk;
		m->vals = nv;
		m->cap = cap;
	}
	size_t j = mix(key) & (m->cap - 1);
	while (m->keys[j] && m->keys[j] != key)
		j = (j + 1) & (m->cap - 1);
	if (!m->keys[j])
		m->n++;
	m->keys[j] = key;
	m->vals[j] = val;
	return 0;
}

static void u64map_free(gdw_u64map *m, void (*fr)(void *))
{
	for (size_t i = 0; i < m->cap; i++)
		if (m->keys[i] && fr)
			fr(m->vals[i]);
	free(m->keys);
	free(m->vals);
}

static void members_free(void *p)
{
	gdw_members *ms = p;
	free(ms->m);
	free(ms);
}

void gdw__vcache_free(struct gdw_vcache *c)
{
	if (!c)
		return;
	u64map_free(&c->tinfo, free);
	u64map_free(&c->members, members_free);
	free(c->rt);
	free(c->globs);
	free(c);
}

struct gdw_vcache *gdw__vcache(gdw_file *f, gd_err *err)
{
	if (!f->vcache) {
		f->vcache = calloc(1, sizeof(*f->vcache));
		if (!f->vcache)
			gd_err_set(err, "out of memory");
	}
	return f->vcache;
}

int gdw__die_type(Dwarf_Die *d, Dwarf_Die *out)
{
	Dwarf_Attribute a;
	/* Integrated: a variable of an inlined call has its type on the
	 * abstract origin. */
	if (!dwarf_attr_integrate(d, DW_AT_type, &a) || !dwarf_formref_die(&a, out))
		return -1;
	return 0;
}

static int attr_u(Dwarf_Die *d, int at, Dwarf_Word *v)
{
	Dwarf_Attribute a;
	if (!dwarf_attr(d, (unsigned)at, &a))
		return -1;
	/* DW_AT_go_runtime_type is written as DW_FORM_addr. */
	if (dwarf_whatform(&a) == DW_FORM_addr) {
		Dwarf_Addr x;
		if (dwarf_formaddr(&a, &x) != 0)
			return -1;
		*v = x;
		return 0;
	}
	return dwarf_formudata(&a, v) == 0 ? 0 : -1;
}

static gdw_tref attr_ref(Dwarf_Die *d, int at)
{
	Dwarf_Attribute a;
	Dwarf_Die t;
	if (!dwarf_attr(d, (unsigned)at, &a) || !dwarf_formref_die(&a, &t))
		return 0;
	return dwarf_dieoffset(&t);
}

static gdw_kind base_kind(Dwarf_Die *d)
{
	Dwarf_Word enc = 0;
	int size = dwarf_bytesize(d);
	attr_u(d, DW_AT_encoding, &enc);
	switch (enc) {
	case DW_ATE_boolean:
		return GDW_K_BOOL;
	case DW_ATE_signed: case DW_ATE_signed_char:
		return size == 1 ? GDW_K_INT8 : size == 2 ? GDW_K_INT16 :
		       size == 4 ? GDW_K_INT32 : GDW_K_INT64;
	case DW_ATE_unsigned: case DW_ATE_unsigned_char:
		return size == 1 ? GDW_K_UINT8 : size == 2 ? GDW_K_UINT16 :
		       size == 4 ? GDW_K_UINT32 : GDW_K_UINT64;
	case DW_ATE_float:
		return size == 4 ? GDW_K_FLOAT32 : GDW_K_FLOAT64;
	case DW_ATE_complex_float:
		return size == 8 ? GDW_K_COMPLEX64 : GDW_K_COMPLEX128;
	}
	return GDW_K_INVALID;
}

static gdw_kind tag_kind(Dwarf_Die *d, const char *name)
{
	switch (dwarf_tag(d)) {
	case DW_TAG_base_type:
		return base_kind(d);
	case DW_TAG_pointer_type: {
		Dwarf_Die t;
		if ((name && strcmp(name, "unsafe.Pointer") == 0) ||
		    gdw__die_type(d, &t) < 0)
			return GDW_K_UNSAFEPTR;
		return GDW_K_PTR;
	}
	case DW_TAG_structure_type:
		if (name && strcmp(name, "string") == 0)
			return GDW_K_STRING;
		if (name && strncmp(name, "[]", 2) == 0)
			return GDW_K_SLICE;
		return GDW_K_STRUCT;
	case DW_TAG_array_type:
		return GDW_K_ARRAY;
	case DW_TAG_subroutine_type:
		return GDW_K_FUNC;
	}
	return GDW_K_INVALID;
}

static int64_t array_count(Dwarf_Die *d)
{
	Dwarf_Die c;
	if (dwarf_child(d, &c) != 0)
		return 0;
	do {
		if (dwarf_tag(&c) != DW_TAG_subrange_type)
			continue;
		Dwarf_Word w;
		if (attr_u(&c, DW_AT_count, &w) == 0)
			return (int64_t)w;
		if (attr_u(&c, DW_AT_upper_bound, &w) == 0)
			return (int64_t)w + 1;
	} while (dwarf_siblingof(&c, &c) == 0);
	return 0;
}

static int compute_info(gdw_file *f, gdw_tref t, gdw_tinfo *ti, gd_err *err)
{
	Dwarf_Die d;
	if (!t || !dwarf_offdie(gdw__dwarf(f), t, &d))
		return gd_err_set(err, "no type DIE at offset %#lx",
				  (unsigned long)t);
	memset(ti, 0, sizeof(*ti));
	ti->ref = t;
	const char *name = dwarf_diename(&d);
	ti->name = name ? name : "";
	ti->dict_index = -1;
	Dwarf_Word di;
	if (attr_u(&d, AT_GO_DICT_INDEX, &di) == 0)
		ti->dict_index = (int)di;
	Dwarf_Die cur = d;
	for (int hop = 0; hop < 32; hop++) {
		Dwarf_Word w;
		if (!ti->kind && attr_u(&cur, AT_GO_KIND, &w) == 0 && w)
			ti->kind = (gdw_kind)w;
		if (!ti->rtype && attr_u(&cur, AT_GO_RTYPE, &w) == 0 && w)
			ti->rtype = w;
		if (!ti->elem)
			ti->elem = attr_ref(&cur, AT_GO_ELEM);
		if (!ti->key)
			ti->key = attr_ref(&cur, AT_GO_KEY);
		Dwarf_Die next;
		if (dwarf_tag(&cur) != DW_TAG_typedef || gdw__die_type(&cur, &next) < 0)
			break;
		cur = next;
	}
	ti->layout = dwarf_dieoffset(&cur);
	const char *lname = dwarf_diename(&cur);
	if (!ti->kind)
		ti->kind = tag_kind(&cur, lname);
	int sz = dwarf_bytesize(&cur);
	ti->size = sz > 0 ? (uint64_t)sz : 0;
	int tag = dwarf_tag(&cur);
	if (tag == DW_TAG_pointer_type || tag == DW_TAG_subroutine_type)
		ti->size = 8;
	if (tag == DW_TAG_pointer_type || tag == DW_TAG_array_type) {
		Dwarf_Die e;
		if (ti->kind != GDW_K_MAP && ti->kind != GDW_K_CHAN &&
		    gdw__die_type(&cur, &e) == 0)
			ti->elem = dwarf_dieoffset(&e);
	}
	if (tag == DW_TAG_array_type) {
		ti->count = array_count(&cur);
		if (!ti->size && ti->elem) {
			const gdw_tinfo *ei;
			/* best effort: an unreadable element type leaves
			 * the size at 0, as DWARF gave it. */
			if (gdw_type_info(f, ti->elem, &ei, NULL) == 0)
				ti->size = ei->size * (uint64_t)ti->count;
		}
	}
	if (ti->kind == GDW_K_INTERFACE)
		ti->is_iface_empty = lname && strcmp(lname, "runtime.eface") == 0;
	return 0;
}

int gdw_type_info(gdw_file *f, gdw_tref t, const gdw_tinfo **out,
		  gd_err *err)
{
	struct gdw_vcache *c = gdw__vcache(f, err);
	if (!c)
		return -1;
	gdw_tinfo *ti = gdw__u64_get(&c->tinfo, t);
	if (!ti) {
		ti = malloc(sizeof(*ti));
		if (!ti)
			return gd_err_set(err, "out of memory");
		if (compute_info(f, t, ti, err) < 0) {
			free(ti);
			return -1;
		}
		if (gdw__u64_put(&c->tinfo, t, ti) < 0) {
			free(ti);
			return gd_err_set(err, "out of memory");
		}
	}
	*out = ti;
	return 0;
}

static int load_members(gdw_file *f, gdw_tref t, gdw_members *ms, gd_err *err)
{
	const gdw_tinfo *ti;
	if (gdw_type_info(f, t, &ti, err) < 0)
		return -1;
	Dwarf_Die d, c;
	if (!dwarf_offdie(gdw__dwarf(f), ti->layout, &d) ||
	    dwarf_tag(&d) != DW_TAG_structure_type)
		return gd_err_set(err, "%s is not a struct", ti->name);
	size_t cap = 0;
	if (dwarf_child(&d, &c) != 0)
		return 0;
	do {
		if (dwarf_tag(&c) != DW_TAG_member)
			continue;
		if (gd_grow(&ms->m, &cap, ms->n, sizeof(*ms->m), 8) < 0)
			return gd_err_set(err, "out of memory");
		Dwarf_Word off = 0, emb = 0;
		attr_u(&c, DW_AT_data_member_location, &off);
		Dwarf_Attribute a;
		if (dwarf_attr(&c, AT_GO_EMBEDDED, &a)) {
			bool flag = false;
			if (dwarf_formflag(&a, &flag) == 0)
				emb = flag;
			else
				dwarf_formudata(&a, &emb);
		}
		const char *name = dwarf_diename(&c);
		ms->m[ms->n++] = (gdw_member){name ? name : "?",
					      attr_ref(&c, DW_AT_type), off,
					      emb != 0};
	} while (dwarf_siblingof(&c, &c) == 0);
	return 0;
}

int gdw_type_members(gdw_file *f, gdw_tref t, const gdw_member **out,
		     size_t *n, gd_err *err)
{
	struct gdw_vcache *c = gdw__vcache(f, err);
	if (!c)
		return -1;
	gdw_members *ms = gdw__u64_get(&c->members, t);
	if (!ms) {
		ms = calloc(1, sizeof(*ms));
		if (!ms)
			return gd_err_set(err, "out of memory");
		if (load_members(f, t, ms, err) < 0 ||
		    gdw__u64_put(&c->members, t, ms) < 0) {
			members_free(ms);
			return err && err->msg ? -1 : gd_err_set(err, "out of memory");
		}
	}
	*out = ms->m;
	*n = ms->n;
	return 0;
}

const gdw_member *gdw_type_member(gdw_file *f, gdw_tref t, const char *name)
{
	const gdw_member *m;
	size_t n;
	/* ignored: NULL is the documented answer for "no such member",
	 * and the callers take an unreadable struct as having none. */
	if (gdw_type_members(f, t, &m, &n, NULL) < 0)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (strcmp(m[i].name, name) == 0)
			return &m[i];
	return NULL;
}

int gdw_type_by_name(gdw_file *f, const char *name, gdw_tref *out,
		     gd_err *err)
{
	Dwarf_Die d;
	int rc = gdw__type_die(f, name, &d, err);
	if (rc < 0)
		return rc;
	*out = dwarf_dieoffset(&d);
	return 0;
}

static int cmp_rt(const void *a, const void *b)
{
	const gdw_rtent *x = a, *y = b;
	return x->rtype < y->rtype ? -1 : x->rtype > y->rtype;
}

struct rt_build {
	struct gdw_vcache *c;
	size_t cap;
};

static int add_rtype(Dwarf_Die *die, void *ctx)
{
	struct rt_build *b = ctx;
	struct gdw_vcache *c = b->c;
	Dwarf_Word w;
	if (attr_u(die, AT_GO_RTYPE, &w) < 0 || !w)
		return 0;
	if (gd_grow(&c->rt, &b->cap, c->nrt, sizeof(*c->rt), 4096) < 0)
		return -1;
	c->rt[c->nrt++] = (gdw_rtent){w, dwarf_dieoffset(die)};
	return 0;
}

static int load_rtypes(gdw_file *f, struct gdw_vcache *c)
{
	struct rt_build b = {c, 0};
	if (gdw__each_top_die(f, add_rtype, &b) < 0)
		return -1;
	if (c->nrt)
		qsort(c->rt, c->nrt, sizeof(*c->rt), cmp_rt);
	return 0;
}

int gdw_type_by_rtype(gdw_file *f, uint64_t off, gdw_tref *out)
{
	/* ignored: no gd_err here; -1 says "cannot". */
	struct gdw_vcache *c = gdw__vcache(f, NULL);
	if (!c)
		return -1;
	if (!c->rt_state)
		c->rt_state = load_rtypes(f, c) < 0 ? -1 : 1;
	if (c->rt_state < 0)
		return -1;
	size_t lo = 0, hi = c->nrt;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (c->rt[mid].rtype < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo >= c->nrt || c->rt[lo].rtype != off)
		return GD_ENOTFOUND;
	/* Several DIEs can share a descriptor; prefer the lowest offset
	 * (qsort is not stable). */
	Dwarf_Off best = c->rt[lo].off;
	for (size_t i = lo; i < c->nrt && c->rt[i].rtype == off; i++)
		if (c->rt[i].off < best)
			best = c->rt[i].off;
	*out = best;
	return 0;
}
