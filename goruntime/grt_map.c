/* Maps, both layouts, walked with the types DWARF gives the runtime's map
 * structures (so field offsets are never guessed):
 *   Go <= 1.23  *hash<K,V>  (runtime.hmap): 2^B buckets + overflow chains,
 *               plus the old buckets while growing;
 *   Go >= 1.24  *map<K,V>   (Swiss tables): a directory of tables of groups
 *               of 8 slots, or a single group for small maps.
 * Entries are produced in memory order; [start, start+count) only, and
 * whole tables are skipped by their `used` count. */
#include "grt_internal.h"
#include "grt_value.h"

#include <stdlib.h>
#include <string.h>

typedef struct walk {
	grt_target *t;
	uint64_t start, count, idx, emitted;
	grt_map_fn fn;
	void *ctx;
	gdw_tref ktype, vtype; /* the map's K and V */
	gd_err *err;
} walk;

static int done(const walk *w)
{
	return w->count && w->emitted >= w->count;
}

static const gdw_tinfo *info(grt_target *t, gdw_tref r)
{
	const gdw_tinfo *ti;
	/* best effort: info answers NULL for a type that cannot be read;
	 * each caller says what it could not do. */
	return gdw_type_info(t->dw, r, &ti, NULL) < 0 ? NULL : ti;
}

static gdw_tref member_type(grt_target *t, gdw_tref st, const char *name,
			    uint64_t *off)
{
	const gdw_member *m = gdw_type_member(t->dw, st, name);
	if (!m)
		return 0;
	if (off)
		*off = m->off;
	return m->type;
}

/* Pointer (or array) element type. */
static gdw_tref elem_of(grt_target *t, gdw_tref r)
{
	const gdw_tinfo *ti = info(t, r);
	return ti ? ti->elem : 0;
}

/* Emits one entry; keys/values bigger than 128 bytes are stored as
 * pointers in the slot. */
static int emit(walk *w, gdw_tref kslot, uint64_t kaddr, const uint8_t *kb,
		gdw_tref vslot, uint64_t vaddr, const uint8_t *vb)
{
	if (w->idx++ < w->start)
		return 0;
	grt_value k = grt_value_at(kslot, kaddr), v = grt_value_at(vslot, vaddr);
	/* The slot bytes were read with the group: lend them as the read
	 * cache (the callback copies what it keeps). */
	const gdw_tinfo *ki = info(w->t, kslot), *vi = info(w->t, vslot);
	if (kb && ki) {
		k.bytes = (uint8_t *)kb;
		k.nbytes = ki->size;
	}
	if (vb && vi) {
		v.bytes = (uint8_t *)vb;
		v.nbytes = vi->size;
	}
	if (kslot != w->ktype && grt_value_kind(w->t, &k) == GDW_K_PTR &&
	    grt__deref(w->t, &k, &k, w->err) < 0)
		return -1;
	if (vslot != w->vtype && grt_value_kind(w->t, &v) == GDW_K_PTR &&
	    grt__deref(w->t, &v, &v, w->err) < 0)
		return -1;
	k.type = w->ktype ? w->ktype : k.type;
	v.type = w->vtype ? w->vtype : v.type;
	w->emitted++;
	return w->fn(w->ctx, w->idx - 1, &k, &v);
}

/* ---- Swiss tables ---- */
typedef struct swiss {
	gdw_tref group, slot, kslot, vslot;
	uint64_t gsize, ctrl_off, slots_off, ssize, koff, voff;
} swiss;

static int swiss_types(grt_target *t, gdw_tref mstruct, swiss *s, gd_err *err)
{
	gdw_tref dir = member_type(t, mstruct, "dirPtr", NULL);
	gdw_tref table = elem_of(t, elem_of(t, dir));
	gdw_tref gref = member_type(t, table, "groups", NULL);
	s->group = elem_of(t, member_type(t, gref, "data", NULL));
	gdw_tref slots = member_type(t, s->group, "slots", &s->slots_off);
	member_type(t, s->group, "ctrl", &s->ctrl_off);
	s->slot = elem_of(t, slots);
	s->kslot = member_type(t, s->slot, "key", &s->koff);
	s->vslot = member_type(t, s->slot, "elem", &s->voff);
	const gdw_tinfo *gi = info(t, s->group), *si = info(t, s->slot);
	if (!table || !gi || !si || !s->kslot || !s->vslot)
		return gd_err_set(err, "unexpected Swiss map layout in the debug info");
	s->gsize = gi->size;
	s->ssize = si->size;
	return 0;
}

static int swiss_groups(walk *w, const swiss *s, uint64_t addr, uint64_t n)
{
	size_t len = (size_t)(s->gsize * n);
	uint8_t *buf = malloc(len ? len : 1);
	if (!buf)
		return gd_err_set(w->err, "out of memory");
	if (core_read(w->t->proc, addr, buf, len, w->err) < 0) {
		free(buf);
		return -1;
	}
	int r = 0;
	for (uint64_t g = 0; g < n && !done(w) && r == 0; g++) {
		uint64_t ctrl;
		memcpy(&ctrl, buf + g * s->gsize + s->ctrl_off, 8);
		for (int j = 0; j < 8 && !done(w) && r == 0; j++) {
			if ((ctrl >> (8 * j)) & 0x80)
				continue; /* empty or deleted */
			uint64_t so = g * s->gsize + s->slots_off + (uint64_t)j * s->ssize;
			r = emit(w, s->kslot, addr + so + s->koff, buf + so + s->koff,
				 s->vslot, addr + so + s->voff, buf + so + s->voff);
		}
	}
	free(buf);
	return r;
}

static int swiss_walk(walk *w, const grt_value *m)
{
	grt_target *t = w->t;
	swiss s = {0};
	if (swiss_types(t, m->type, &s, w->err) < 0)
		return -1;
	grt_value f;
	uint64_t dirptr = 0, dirlen = 0;
	if (grt__field(t, m, "dirPtr", &f, w->err) < 0 ||
	    grt_value_read(t, &f, 0, &dirptr, 8, w->err) < 0)
		return -1;
	grt_value_free(&f);
	if (grt__field(t, m, "dirLen", &f, w->err) < 0 ||
	    grt_value_read(t, &f, 0, &dirlen, 8, w->err) < 0)
		return -1;
	grt_value_free(&f);
	if (!dirptr)
		return 0;
	if (dirlen == 0)
		return swiss_groups(w, &s, dirptr, 1); /* small map: one group */
	if (dirlen > (1u << 24))
		return gd_err_set(w->err, "implausible map directory length %lu",
				  (unsigned long)dirlen);
	uint64_t *dir = malloc(dirlen * 8);
	if (!dir)
		return gd_err_set(w->err, "out of memory");
	if (core_read(t->proc, dirptr, dir, dirlen * 8, w->err) < 0) {
		free(dir);
		return -1;
	}
	gdw_tref dirt = member_type(t, m->type, "dirPtr", NULL);
	gdw_tref table = elem_of(t, elem_of(t, dirt));
	uint64_t used_off = 0, groups_off = 0, data_off = 0, mask_off = 0;
	gdw_tref gref = member_type(t, table, "groups", &groups_off);
	member_type(t, table, "used", &used_off);
	member_type(t, gref, "data", &data_off);
	member_type(t, gref, "lengthMask", &mask_off);
	int r = 0;
	for (uint64_t i = 0; i < dirlen && !done(w) && r == 0; i++) {
		/* A table spans 2^(globalDepth-localDepth) consecutive
		 * directory slots: visit it once. */
		if (i > 0 && dir[i] == dir[i - 1])
			continue;
		uint16_t used;
		uint64_t data, mask;
		if (core_read(t->proc, dir[i] + used_off, &used, 2, w->err) < 0 ||
		    core_read(t->proc, dir[i] + groups_off + data_off, &data, 8, w->err) < 0 ||
		    core_read(t->proc, dir[i] + groups_off + mask_off, &mask, 8, w->err) < 0) {
			r = -1;
			break;
		}
		if (w->idx + used <= w->start) {
			w->idx += used;
			continue;
		}
		r = swiss_groups(w, &s, data, mask + 1);
	}
	free(dir);
	return r;
}

/* ---- buckets (hmap) ---- */
typedef struct buckets {
	gdw_tref bucket, kslot, vslot;
	uint64_t bsize, keys_off, vals_off, ovf_off, ksize, vsize;
} buckets;

static int bucket_types(grt_target *t, gdw_tref h, buckets *b, gd_err *err)
{
	b->bucket = elem_of(t, member_type(t, h, "buckets", NULL));
	gdw_tref keys = member_type(t, b->bucket, "keys", &b->keys_off);
	gdw_tref vals = member_type(t, b->bucket, "values", &b->vals_off);
	member_type(t, b->bucket, "overflow", &b->ovf_off);
	b->kslot = elem_of(t, keys);
	b->vslot = elem_of(t, vals);
	const gdw_tinfo *bi = info(t, b->bucket), *ki = info(t, b->kslot),
			*vi = info(t, b->vslot);
	if (!bi || !ki || !vi)
		return gd_err_set(err, "unexpected map layout in the debug info");
	b->bsize = bi->size;
	b->ksize = ki->size;
	b->vsize = vi->size;
	return 0;
}

static int bucket_chain(walk *w, const buckets *b, uint64_t addr,
			const uint8_t *first)
{
	uint8_t *buf = malloc(b->bsize);
	if (!buf)
		return gd_err_set(w->err, "out of memory");
	int r = 0;
	for (int hops = 0; addr && !done(w) && r == 0 && hops < 1 << 20; hops++) {
		if (first && hops == 0)
			memcpy(buf, first, b->bsize);
		else if (core_read(w->t->proc, addr, buf, b->bsize, w->err) < 0) {
			r = -1;
			break;
		}
		for (int j = 0; j < 8 && !done(w) && r == 0; j++) {
			if (buf[j] < 5)
				continue; /* empty, or evacuated to the new buckets */
			uint64_t ko = b->keys_off + (uint64_t)j * b->ksize;
			uint64_t vo = b->vals_off + (uint64_t)j * b->vsize;
			r = emit(w, b->kslot, addr + ko, buf + ko, b->vslot, addr + vo,
				 buf + vo);
		}
		memcpy(&addr, buf + b->ovf_off, 8);
	}
	free(buf);
	return r;
}

static int bucket_array(walk *w, const buckets *b, uint64_t base, uint64_t n)
{
	/* Read the array in chunks: one read per 64 buckets. */
	const uint64_t chunk = 64;
	uint8_t *buf = malloc(chunk * b->bsize);
	if (!buf)
		return gd_err_set(w->err, "out of memory");
	int r = 0;
	for (uint64_t i = 0; i < n && !done(w) && r == 0; i += chunk) {
		uint64_t k = n - i < chunk ? n - i : chunk;
		if (core_read(w->t->proc, base + i * b->bsize, buf, k * b->bsize, w->err) < 0) {
			r = -1;
			break;
		}
		for (uint64_t j = 0; j < k && !done(w) && r == 0; j++)
			r = bucket_chain(w, b, base + (i + j) * b->bsize, buf + j * b->bsize);
	}
	free(buf);
	return r;
}

static int hmap_walk(walk *w, const grt_value *h)
{
	grt_target *t = w->t;
	buckets b;
	if (bucket_types(t, h->type, &b, w->err) < 0)
		return -1;
	grt_value f;
	uint8_t B = 0;
	uint64_t bk = 0, old = 0;
	if (grt__field(t, h, "B", &f, w->err) < 0 ||
	    grt_value_read(t, &f, 0, &B, 1, w->err) < 0)
		return -1;
	grt_value_free(&f);
	if (grt__field(t, h, "buckets", &f, w->err) < 0 ||
	    grt_value_read(t, &f, 0, &bk, 8, w->err) < 0)
		return -1;
	grt_value_free(&f);
	/* An unreadable old array would hide the entries not yet
	 * evacuated: a failure, not an empty map. */
	if (grt__field(t, h, "oldbuckets", &f, w->err) < 0 ||
	    grt_value_read(t, &f, 0, &old, 8, w->err) < 0) {
		grt_value_free(&f);
		return -1;
	}
	grt_value_free(&f);
	if (B > 40)
		return gd_err_set(w->err, "implausible map size 2^%u", B);
	/* While growing, entries not yet evacuated live in the old array
	 * (the others carry evacuated marks there). */
	if (old && B > 0 && bucket_array(w, &b, old, 1ull << (B - 1)) < 0)
		return -1;
	if (!bk)
		return 0;
	return bucket_array(w, &b, bk, 1ull << B);
}

/* The runtime's map header, or has_addr 0 for a nil map. */
static int header(grt_target *t, const grt_value *m, grt_value *h, gd_err *err)
{
	const gdw_tinfo *ti;
	if (gdw_type_info(t->dw, m->type, &ti, err) < 0)
		return -1;
	uint64_t p;
	if (grt_value_read(t, m, 0, &p, 8, err) < 0)
		return -1;
	memset(h, 0, sizeof(*h));
	if (!p)
		return 0;
	const gdw_tinfo *li;
	if (gdw_type_info(t->dw, ti->layout, &li, err) < 0)
		return -1;
	*h = grt_value_at(li->elem, p);
	return 0;
}

int grt__map_len(grt_target *t, const grt_value *m, uint64_t *len, gd_err *err)
{
	grt_value h;
	*len = 0;
	if (header(t, m, &h, err) < 0)
		return -1;
	if (!h.has_addr)
		return 0;
	grt_value f;
	const char *name = gdw_type_member(t->dw, h.type, "used") ? "used" : "count";
	if (grt__field(t, &h, name, &f, err) < 0)
		return -1;
	int64_t i;
	int r = grt_value_int(t, &f, &i, NULL, NULL, err);
	grt_value_free(&f);
	*len = (uint64_t)i;
	return r;
}

int grt__map_iter(grt_target *t, const grt_value *m, uint64_t start,
		  uint64_t count, grt_map_fn fn, void *ctx, gd_err *err)
{
	grt_value h;
	if (header(t, m, &h, err) < 0)
		return -1;
	if (!h.has_addr)
		return 0;
	const gdw_tinfo *ti;
	if (gdw_type_info(t->dw, m->type, &ti, err) < 0)
		return -1;
	walk w = {t, start, count, 0, 0, fn, ctx, ti->key, ti->elem, err};
	if (gdw_type_member(t->dw, h.type, "dirPtr"))
		return swiss_walk(&w, &h);
	if (gdw_type_member(t->dw, h.type, "buckets"))
		return hmap_walk(&w, &h);
	return gd_err_set(err, "unknown map layout %s", grt_value_type_name(t, &h));
}
