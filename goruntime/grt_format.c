/* Display text and children of values, following Delve's DAP server
 * (convertVariable + api.Variable.writeTo with PrettyShortenType).  How
 * much is loaded is a grt_fmtlim: Delve's defaults (strings 512 bytes, 64
 * elements, one level of nesting) for the variables view, 4096-byte
 * strings for hover and repl, the whole value up to 1 MiB for the
 * clipboard.  What is left out is counted: "...+N more".
 *
 * Errors: a display text never fails for a part of the value it cannot
 * read.  The helpers answer -1 and fmt_v writes "(unreadable ...)" in that
 * part's place, as Delve does; so the reads below pass NULL for their
 * gd_err (marked "best effort").  grt_children, whose callers do answer
 * errors, passes its gd_err on. */
#include "grt_internal.h"
#include "../common/gd_array.h"
#include "grt_value.h"
#include "grt_text.h"
#include "../dwarf/gdw_type.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { F_TOP = 1, F_TYPE = 2 };

grt_fmtlim grt_fmtlim_of(const grt_target *t, const char *context)
{
	/* The session's maxStringLen / maxArrayValues (grt_set_limits),
	 * Delve's 512 and 64 unless the client changed them. */
	grt_fmtlim l = {t->max_string, t->max_array, 1, 256, 1u << 20};
	if (context && (strcmp(context, "hover") == 0 ||
			strcmp(context, "repl") == 0)) {
		if (l.max_string < 4096)
			l.max_string = 4096;
	} else if (context && strcmp(context, "clipboard") == 0) {
		l.max_string = 1u << 20;
		l.max_array = 1u << 20;
		l.max_depth = 4;
		l.cut = 0;
	}
	return l;
}

static int fmt_v(grt_target *t, const grt_fmtlim *L, const grt_value *v,
		 int flags, int level, gd_buf *b);

static void put_vtype(grt_target *t, const grt_value *v, gd_buf *b)
{
	grt_text_type(b, grt_value_type_name(t, v));
}

static int put_string(grt_target *t, const grt_fmtlim *L, const grt_value *v,
		      gd_buf *b)
{
	uint64_t h[2];
	/* best effort: the string shows as unreadable (fmt_v). */
	if (grt_value_read(t, v, 0, h, 16, NULL) < 0)
		return -1;
	uint64_t len = h[1], n = len < L->max_string ? len : L->max_string;
	if ((int64_t)len < 0)
		return -1;
	uint8_t *s = malloc(n ? n : 1);
	if (!s)
		return -1;
	/* best effort: as above. */
	if (n && core_read(t->proc, h[0], s, n, NULL) < 0) {
		free(s);
		return -1;
	}
	/* (shared with the kernel logpoints' strings, dbg_ebpf.c) */
	int r = grt_text_string(b, s, n, len);
	free(s);
	return r;
}

static int read_loc_layout(grt_target *t, grt_loclayout *L)
{
	gdw_file *f = t->dw;
	/* best effort: without time.Location's layout a Time is shown as a
	 * struct. */
	return gdw_member_offset(f, "time.Location", "zone", &L->zone, NULL) < 0 ||
	       gdw_member_offset(f, "time.Location", "tx", &L->tx, NULL) < 0 ||
	       gdw_member_offset(f, "time.Location", "cacheStart", &L->cstart, NULL) < 0 ||
	       gdw_member_offset(f, "time.Location", "cacheEnd", &L->cend, NULL) < 0 ||
	       gdw_member_offset(f, "time.Location", "cacheZone", &L->czone, NULL) < 0 ||
	       gdw_type_size(f, "time.zone", &L->zone_size, NULL) < 0 ||
	       gdw_member_offset(f, "time.zone", "offset", &L->zone_offset, NULL) < 0 ||
	       gdw_member_offset(f, "time.zone", "isDST", &L->zone_isdst, NULL) < 0 ||
	       gdw_type_size(f, "time.zoneTrans", &L->tx_size, NULL) < 0 ||
	       gdw_member_offset(f, "time.zoneTrans", "index", &L->tx_index, NULL) < 0
		       ? -1 : 0;
}

/* The layout of time.Location and its zones, read from DWARF once. */
static const grt_loclayout *loc_layout(grt_target *t)
{
	if (t->loc_state == 0)
		t->loc_state = read_loc_layout(t, &t->loc) < 0 ? -1 : 1;
	return t->loc_state == 1 ? &t->loc : NULL;
}

static int read_i64(grt_target *t, uint64_t addr, int64_t *v)
{
	/* best effort: -1 is "unreadable" to loc_offset, which then shows
	 * the Time as a struct. */
	return core_read(t->proc, addr, v, sizeof(*v), NULL);
}

/* The UTC offset the program's Location gives at unix second sec, looked up
 * the way time.Location.lookup does: the cached zone, else the last
 * transition at or before sec, else the first standard zone.  After the
 * last transition Go applies the TZ rule string (extend); we keep the last
 * transition's zone.  1 found, 0 the Location has no zones yet (time.Local
 * before the program first used it), -1 unreadable. */
static int loc_offset(grt_target *t, uint64_t loc, int64_t sec, int64_t *off)
{
	const grt_loclayout *L = loc_layout(t);
	if (!L)
		return -1;
	/* The Location's header in one read: the fields up to cacheZone. */
	uint8_t hdr[256];
	size_t hlen = L->czone + 8;
	if (hlen > sizeof(hdr) || L->zone + 16 > hlen || L->tx + 16 > hlen ||
	    L->cstart + 8 > hlen || L->cend + 8 > hlen ||
	    /* best effort: as above: an unreadable Location shows the Time
	     * as a struct. */
	    core_read(t->proc, loc, hdr, hlen, NULL) < 0)
		return -1;
	uint64_t zp, zn, txp, txn, czone;
	int64_t cs, ce;
	memcpy(&zp, hdr + L->zone, 8);
	memcpy(&zn, hdr + L->zone + 8, 8);
	memcpy(&txp, hdr + L->tx, 8);
	memcpy(&txn, hdr + L->tx + 8, 8);
	memcpy(&cs, hdr + L->cstart, 8);
	memcpy(&ce, hdr + L->cend, 8);
	memcpy(&czone, hdr + L->czone, 8);
	if (zn == 0)
		return 0;
	if (czone && cs <= sec && sec < ce)
		return read_i64(t, czone + L->zone_offset, off) < 0 ? -1 : 1;
	uint64_t zi = 0;
	int64_t first = 0;
	if (txn && txn < (1u << 20) && read_i64(t, txp, &first) == 0 &&
	    sec >= first) {
		uint64_t lo = 0, hi = txn; /* last tx with when <= sec */
		while (hi - lo > 1) {
			uint64_t mid = lo + (hi - lo) / 2;
			int64_t when;
			if (read_i64(t, txp + mid * L->tx_size, &when) < 0)
				return -1;
			if (when <= sec)
				lo = mid;
			else
				hi = mid;
		}
		uint8_t idx;
		/* best effort: an unreadable transition shows the Time as a
		 * struct. */
		if (core_read(t->proc, txp + lo * L->tx_size + L->tx_index, &idx,
			      1, NULL) < 0)
			return -1;
		zi = idx;
	} else {
		for (uint64_t i = 0; i < zn && i < 256; i++) {
			uint8_t dst = 1;
			/* best effort: a zone whose flag cannot be read is
			 * passed over. */
			if (core_read(t->proc, zp + i * L->zone_size + L->zone_isdst,
				      &dst, 1, NULL) == 0 && !dst) {
				zi = i;
				break;
			}
		}
	}
	if (zi >= zn)
		return -1;
	return read_i64(t, zp + zi * L->zone_size + L->zone_offset, off) < 0 ? -1 : 1;
}

/* Delve's formatTime: RFC 3339 in the Time's own location, plus
 * ", +monotonic" when present. */
static int put_time(grt_target *t, const grt_value *v, gd_buf *b)
{
	grt_value w, e, l;
	uint64_t wall = 0, locp = 0;
	int64_t ext = 0;
	/* best effort: an unreadable field shows the Time as a struct
	 * (fmt_struct). */
	if (grt__field(t, v, "wall", &w, NULL) < 0)
		return -1;
	int ok = grt_value_int(t, &w, NULL, &wall, NULL, NULL) == 0;
	grt_value_free(&w);
	/* best effort: as above (each field). */
	if (!ok || grt__field(t, v, "ext", &e, NULL) < 0)
		return -1;
	ok = grt_value_int(t, &e, &ext, NULL, NULL, NULL) == 0;
	grt_value_free(&e);
	/* best effort: as above. */
	if (!ok || grt__field(t, v, "loc", &l, NULL) < 0)
		return -1;
	ok = grt_value_read(t, &l, 0, &locp, 8, NULL) == 0;
	grt_value_free(&l);
	if (!ok)
		return -1;
	int mono = (wall >> 63) != 0;
	int64_t unix_s = mono ? (int64_t)(wall << 1 >> 31) - 2682288000LL
			      : ext - 62135596800LL;
	int64_t off = 0;
	struct tm tm;
	int found = locp ? loc_offset(t, locp, unix_s, &off) : 1;
	if (found == 1) {
		time_t tt = (time_t)(unix_s + off);
		if (!gmtime_r(&tt, &tm))
			return -1;
	} else {
		/* time.Local not yet loaded by the program: the zone it
		 * would load is this machine's. */
		time_t tt = (time_t)unix_s;
		if (!localtime_r(&tt, &tm))
			return -1;
		off = tm.tm_gmtoff;
	}
	char buf[64];
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
	gd_buf_puts(b, buf);
	if (off == 0)
		gd_buf_puts(b, "Z");
	else
		gd_buf_printf(b, "%c%02" PRId64 ":%02" PRId64, off < 0 ? '-' : '+',
			      (off < 0 ? -off : off) / 3600,
			      (off < 0 ? -off : off) / 60 % 60);
	if (mono)
		gd_buf_printf(b, ", %+" PRId64, ext);
	return 0;
}

/* Go's %v of a complex: (re + imi), each part at its own precision. */
static void put_complex(gd_buf *b, double re, double im, int bits)
{
	gd_buf_puts(b, "(");
	grt_text_float(b, re, bits);
	gd_buf_puts(b, " + ");
	grt_text_float(b, im, bits);
	gd_buf_puts(b, "i)");
}

static int put_scalar(grt_target *t, const grt_value *v, const gdw_tinfo *ti,
		      gd_buf *b)
{
	uint8_t raw[16] = {0};
	size_t sz = ti->size > 16 ? 16 : ti->size;
	/* best effort: the scalar shows as unreadable (fmt_v). */
	if (grt_value_read(t, v, 0, raw, sz, NULL) < 0)
		return -1;
	int64_t i;
	uint64_t u;
	double f;
	switch (ti->kind) {
	case GDW_K_BOOL:
		gd_buf_puts(b, raw[0] ? "true" : "false");
		return 0;
	case GDW_K_FLOAT32: {
		float x;
		memcpy(&x, raw, 4);
		grt_text_float(b, x, 32);
		return 0;
	}
	case GDW_K_FLOAT64:
		memcpy(&f, raw, 8);
		grt_text_float(b, f, 64);
		return 0;
	case GDW_K_COMPLEX64: {
		float re, im;
		memcpy(&re, raw, 4);
		memcpy(&im, raw + 4, 4);
		put_complex(b, re, im, 32);
		return 0;
	}
	case GDW_K_COMPLEX128: {
		double re, im;
		memcpy(&re, raw, 8);
		memcpy(&im, raw + 8, 8);
		put_complex(b, re, im, 64);
		return 0;
	}
	case GDW_K_INT: case GDW_K_INT8: case GDW_K_INT16: case GDW_K_INT32:
	case GDW_K_INT64:
		/* best effort: unreadable, shown so by fmt_v */
		if (grt_value_int(t, v, &i, NULL, NULL, NULL) < 0)
			return -1;
		if (strcmp(ti->name, "time.Duration") == 0) {
			/* readable, in the "descr (value)" shape Delve uses */
			grt_text_duration(b, i);
			gd_buf_printf(b, " (%" PRId64 ")", i);
			return 0;
		}
		gd_buf_printf(b, "%" PRId64, i);
		return 0;
	default:
		/* best effort: unreadable, shown so by fmt_v */
		if (grt_value_int(t, v, NULL, &u, NULL, NULL) < 0)
			return -1;
		gd_buf_printf(b, "%" PRIu64, u);
		return 0;
	}
}

static int elems(grt_target *t, const grt_fmtlim *L, gdw_tref et,
		 uint64_t base, uint64_t len, int level, gd_buf *b)
{
	const gdw_tinfo *ei;
	/* best effort: an unknown element type shows the slice or array as
	 * unreadable. */
	if (gdw_type_info(t->dw, et, &ei, NULL) < 0)
		return -1;
	gd_buf_puts(b, "[");
	if (level > L->max_depth && len) {
		gd_buf_puts(b, "...]");
		return 0;
	}
	uint64_t n = len < L->max_array ? len : L->max_array;
	/* One read for the elements shown; each borrows its bytes. */
	uint8_t *all = NULL;
	if (ei->size && n <= (4u << 20) / ei->size &&
	    (all = malloc(n * ei->size + 1)) &&
	    /* best effort: a failed bulk read falls back to reading element
	     * by element (fmt_v), each shown unreadable if it is. */
	    core_read(t->proc, base, all, n * ei->size, NULL) < 0) {
		free(all);
		all = NULL;
	}
	for (uint64_t i = 0; i < n; i++) {
		grt_value e = grt_value_at(et, base + i * ei->size);
		if (all) {
			e.bytes = all + i * ei->size;
			e.nbytes = ei->size;
		}
		fmt_v(t, L, &e, 0, level + 1, b);
		if (i != n - 1)
			gd_buf_puts(b, ",");
		if (b->len > L->max_text && i + 1 < n) {
			n = i + 1; /* the text is long enough: count the rest */
			break;
		}
	}
	free(all);
	if (n != len)
		gd_buf_printf(b, ",...+%" PRIu64 " more", len - n);
	gd_buf_puts(b, "]");
	return 0;
}

typedef struct mapfmt {
	grt_target *t;
	const grt_fmtlim *L;
	gd_buf *b;
	int level;
} mapfmt;

static int map_entry(void *ctx, uint64_t i, const grt_value *k,
		     const grt_value *v)
{
	(void)i;
	mapfmt *m = ctx;
	fmt_v(m->t, m->L, k, 0, m->level + 1, m->b);
	gd_buf_puts(m->b, ": ");
	fmt_v(m->t, m->L, v, 0, m->level + 1, m->b);
	gd_buf_puts(m->b, ", ");
	return 0;
}

static int fmt_map(grt_target *t, const grt_fmtlim *L, const grt_value *v,
		   int flags, int level,
		   gd_buf *b)
{
	if (flags & F_TYPE) {
		put_vtype(t, v, b);
		gd_buf_puts(b, " ");
	}
	uint64_t p, len;
	/* best effort: the map shows as unreadable (fmt_v). */
	if (grt_value_read(t, v, 0, &p, 8, NULL) < 0 ||
	    grt__map_len(t, v, &len, NULL) < 0)
		return -1;
	if (!p) {
		gd_buf_puts(b, "nil");
		return 0;
	}
	gd_buf_puts(b, "[");
	if (level > L->max_depth) {
		gd_buf_puts(b, len ? "...]" : "]");
		return 0;
	}
	mapfmt m = {t, L, b, level};
	uint64_t n = len < L->max_array ? len : L->max_array;
	/* best effort: an entry that cannot be read ends the map's text as
	 * unreadable. */
	if (n && grt__map_iter(t, v, 0, n, map_entry, &m, NULL) < 0)
		return -1;
	if (n != len)
		gd_buf_printf(b, ",...+%" PRIu64 " more", len - n);
	gd_buf_puts(b, "]");
	return 0;
}

static int fmt_struct(grt_target *t, const grt_fmtlim *L, const grt_value *v,
		      int flags, int level,
		      gd_buf *b)
{
	const gdw_member *ms;
	size_t n;
	/* best effort: the struct shows as unreadable (fmt_v). */
	if (gdw_type_members(t->dw, v->type, &ms, &n, NULL) < 0)
		return -1;
	if (level > L->max_depth && n) {
		/* Not loaded: Delve prints an address expression. */
		gd_buf_puts(b, "(*");
		put_vtype(t, v, b);
		gd_buf_printf(b, ")(%#" PRIx64 ")", v->has_addr ? v->addr : 0);
		return 0;
	}
	if (strcmp(grt_value_type_name(t, v), "time.Time") == 0) {
		gd_buf tb = GD_BUF_INIT;
		if (put_time(t, v, &tb) == 0) {
			put_vtype(t, v, b);
			gd_buf_printf(b, "(%s)", tb.data);
			flags &= ~F_TYPE;
		}
		gd_buf_free(&tb);
	}
	if (flags & F_TYPE) {
		put_vtype(t, v, b);
		gd_buf_puts(b, " ");
	}
	gd_buf_puts(b, "{");
	for (size_t i = 0; i < n; i++) {
		grt_value f;
		gd_buf_printf(b, "%s: ", ms[i].name);
		/* best effort: an unreadable field shows "(unreadable)" in
		 * its place. */
		if (grt__field(t, v, ms[i].name, &f, NULL) == 0)
			fmt_v(t, L, &f, F_TYPE, level + 1, b);
		else
			gd_buf_puts(b, "(unreadable)");
		grt_value_free(&f);
		if (i != n - 1)
			gd_buf_puts(b, ", ");
	}
	gd_buf_puts(b, "}");
	return 0;
}

static int fmt_iface(grt_target *t, const grt_fmtlim *L, const grt_value *v,
		     int flags, int level,
		     gd_buf *b)
{
	grt_value d = {0};
	int is_nil;
	gd_err err = GD_ERR_INIT;
	if (grt__iface_data(t, v, &d, &is_nil, &err) < 0) {
		gd_buf_printf(b, "(unreadable %s)", gd_err_msg(&err));
		gd_err_clear(&err);
		return 0;
	}
	if (is_nil) {
		if (flags & F_TYPE) {
			put_vtype(t, v, b);
			gd_buf_puts(b, " ");
		}
		gd_buf_puts(b, "nil");
		return 0;
	}
	if (flags & F_TYPE) {
		put_vtype(t, v, b);
		gd_buf_puts(b, "(");
		put_vtype(t, &d, b);
		gd_buf_puts(b, ") ");
	}
	int inner = (flags & F_TYPE) ? 0 : F_TYPE;
	if (grt_value_kind(t, &d) == GDW_K_PTR) {
		uint64_t p = 0;
		/* best effort: an unreadable pointer is not nil; fmt_v shows
		 * it unreadable. */
		if (grt_value_read(t, &d, 0, &p, 8, NULL) == 0 && !p) {
			gd_buf_puts(b, "nil");
			grt_value_free(&d);
			return 0;
		}
	}
	fmt_v(t, L, &d, inner, level, b);
	grt_value_free(&d);
	return 0;
}

static int fmt_func(grt_target *t, const grt_value *v, gd_buf *b)
{
	uint64_t p, pc;
	/* best effort: the func value shows as unreadable (fmt_v). */
	if (grt_value_read(t, v, 0, &p, 8, NULL) < 0)
		return -1;
	if (!p) {
		gd_buf_puts(b, "nil");
		return 0;
	}
	/* best effort: as above. */
	if (grt__read_u64(t, p, &pc, NULL) < 0)
		return -1;
	gdw_func fn;
	if (gdw_func_at(t->dw, pc - t->bias, &fn) == 0)
		gd_buf_puts(b, fn.name);
	else
		gd_buf_printf(b, "%#" PRIx64, pc);
	return 0;
}

static int fmt_chan(grt_target *t, const grt_value *v, gd_buf *b)
{
	put_vtype(t, v, b);
	uint64_t p;
	/* best effort: the channel shows as unreadable (fmt_v). */
	if (grt_value_read(t, v, 0, &p, 8, NULL) < 0)
		return -1;
	if (!p) {
		gd_buf_puts(b, " nil");
		return 0;
	}
	const gdw_tinfo *ti;
	/* best effort: as above. */
	if (gdw_type_info(t->dw, v->type, &ti, NULL) < 0)
		return -1;
	const gdw_tinfo *li;
	if (gdw_type_info(t->dw, ti->layout, &li, NULL) < 0)
		return -1;
	grt_value h = grt_value_at(li->elem, p), q, c;
	int64_t qn = 0, cn = 0;
	/* best effort: a count that cannot be read shows as 0. */
	if (grt__field(t, &h, "qcount", &q, NULL) == 0)
		grt_value_int(t, &q, &qn, NULL, NULL, NULL);
	if (grt__field(t, &h, "dataqsiz", &c, NULL) == 0)
		grt_value_int(t, &c, &cn, NULL, NULL, NULL);
	gd_buf_printf(b, " %" PRId64 "/%" PRId64, qn, cn);
	return 0;
}

static int fmt_v(grt_target *t, const grt_fmtlim *L, const grt_value *v,
		 int flags, int level, gd_buf *b)
{
	if (v->unreadable) {
		gd_buf_printf(b, "(unreadable %s)", v->unreadable);
		return 0;
	}
	const gdw_tinfo *ti;
	/* best effort: a type that cannot be read shows as such. */
	if (gdw_type_info(t->dw, v->type, &ti, NULL) < 0) {
		gd_buf_puts(b, "(unreadable unknown type)");
		return 0;
	}
	int r = 0;
	switch (ti->kind) {
	case GDW_K_STRING:
		r = put_string(t, L, v, b);
		break;
	case GDW_K_SLICE: {
		uint64_t h[3];
		/* best effort: the slice shows as unreadable (below). */
		if (grt_value_read(t, v, 0, h, 24, NULL) < 0) {
			r = -1;
			break;
		}
		if (flags & F_TYPE) {
			put_vtype(t, v, b);
			gd_buf_printf(b, " len: %" PRId64 ", cap: %" PRId64 ", ",
				      (int64_t)h[1], (int64_t)h[2]);
		}
		if (!h[0])
			gd_buf_puts(b, "nil");
		else
			r = elems(t, L, ti->elem, h[0], h[1], level, b);
		break;
	}
	case GDW_K_ARRAY:
		if (flags & F_TYPE) {
			put_vtype(t, v, b);
			gd_buf_puts(b, " ");
		}
		if (!v->has_addr) {
			/* a value of its own (a function's result): its
			 * elements borrow its bytes */
			const gdw_tinfo *ei;
			/* best effort: an unknown element type: the
			 * elements are not shown ("[...]"). */
			if (!v->bytes || gdw_type_info(t->dw, ti->elem, &ei, NULL) < 0 ||
			    ei->size * (uint64_t)ti->count > v->nbytes) {
				gd_buf_puts(b, "[...]");
				break;
			}
			gd_buf_puts(b, "[");
			uint64_t n = (uint64_t)ti->count < L->max_array ? (uint64_t)ti->count : L->max_array;
			for (uint64_t i = 0; i < n && level <= L->max_depth; i++) {
				grt_value e = {0};
				e.type = ti->elem;
				e.bytes = v->bytes + i * ei->size;
				e.nbytes = ei->size;
				fmt_v(t, L, &e, 0, level + 1, b);
				if (i != n - 1)
					gd_buf_puts(b, ",");
			}
			if (n != (uint64_t)ti->count)
				gd_buf_printf(b, ",...+%" PRIu64 " more", (uint64_t)ti->count - n);
			gd_buf_puts(b, "]");
			break;
		}
		r = elems(t, L, ti->elem, v->addr, (uint64_t)ti->count, level, b);
		break;
	case GDW_K_PTR: {
		uint64_t p;
		/* best effort: the pointer shows as unreadable (below). */
		if (grt_value_read(t, v, 0, &p, 8, NULL) < 0) {
			r = -1;
			break;
		}
		if (p && level > L->max_depth) {
			/* A chain of pointers (or one pointing to itself,
			 * "type P *P") ends here with the address, as Delve
			 * shows a pointer it did not load. */
			gd_buf_puts(b, "(");
			put_vtype(t, v, b);
			gd_buf_printf(b, ")(%#" PRIx64 ")", p);
			break;
		}
		gd_buf_puts(b, "*");
		grt_value d = grt_value_at(ti->elem, p);
		if (!p) {
			if (flags & F_TYPE) {
				put_vtype(t, &d, b);
				gd_buf_puts(b, " ");
			}
			gd_buf_puts(b, "nil");
			break;
		}
		const gdw_tinfo *ei;
		int next = level;
		/* best effort: an unknown pointee type only loads one level
		 * less. */
		if (gdw_type_info(t->dw, ti->elem, &ei, NULL) == 0 &&
		    (ei->kind == GDW_K_PTR || ei->kind == GDW_K_INTERFACE))
			next++;
		r = fmt_v(t, L, &d, flags & ~F_TOP, next, b);
		break;
	}
	case GDW_K_UNSAFEPTR: {
		uint64_t p;
		/* best effort: the pointer shows as unreadable (below). */
		if (grt_value_read(t, v, 0, &p, 8, NULL) < 0) {
			r = -1;
			break;
		}
		if (p)
			gd_buf_printf(b, "unsafe.Pointer(%#" PRIx64 ")", p);
		else
			gd_buf_puts(b, "unsafe.Pointer(nil)");
		break;
	}
	case GDW_K_CHAN:
		r = fmt_chan(t, v, b);
		break;
	case GDW_K_STRUCT:
		r = fmt_struct(t, L, v, flags, level, b);
		break;
	case GDW_K_INTERFACE:
		r = fmt_iface(t, L, v, flags, level, b);
		break;
	case GDW_K_MAP:
		r = fmt_map(t, L, v, flags, level, b);
		break;
	case GDW_K_FUNC:
		r = fmt_func(t, v, b);
		break;
	case GDW_K_INVALID:
		gd_buf_puts(b, "(unknown kind)");
		break;
	default:
		r = put_scalar(t, v, ti, b);
		break;
	}
	if (r < 0)
		gd_buf_puts(b, "(unreadable could not read memory)");
	return 0;
}

int grt_format_lim(grt_target *t, const grt_fmtlim *L, const grt_value *v,
		   gd_buf *out)
{
	size_t start = out->len;
	fmt_v(t, L, v, F_TOP | F_TYPE, 0, out);
	gdw_kind k = grt_value_kind(t, v);
	if (!v->unreadable && k >= GDW_K_UINT && k <= GDW_K_UINTPTR) {
		uint64_t u;
		/* best effort: the hex form is an extra; without it the
		 * value's text stands. */
		if (grt_value_int(t, v, NULL, &u, NULL, NULL) == 0)
			gd_buf_printf(out, " = 0x%" PRIx64, u);
	}
	/* Delve cuts long texts of values that can be expanded. */
	if (L->cut && out->len - start > L->cut && grt_expandable(t, v)) {
		out->len = start + L->cut;
		out->data[out->len] = '\0';
		gd_buf_puts(out, "...");
	}
	if (!out->data)
		gd_buf_puts(out, "");
	return 0;
}

int grt_format(grt_target *t, const grt_value *v, gd_buf *out)
{
	grt_fmtlim l = grt_fmtlim_of(t, NULL);
	return grt_format_lim(t, &l, v, out);
}

/* ---- children ---- */
static int chan_int(grt_target *t, const grt_value *h, const char *f,
		    uint64_t *out);
static int ptr_word(grt_target *t, const grt_value *v, uint64_t *p)
{
	/* best effort: a pointer word that cannot be read counts as nil:
	 * nothing to expand (grt_children says why when asked). */
	return grt_value_read(t, v, 0, p, 8, NULL);
}

int grt_child_counts(grt_target *t, const grt_value *v, uint64_t *indexed,
		     uint64_t *named, gd_err *err)
{
	*indexed = *named = 0;
	if (v->unreadable)
		return 0;
	const gdw_tinfo *ti;
	if (gdw_type_info(t->dw, v->type, &ti, err) < 0)
		return -1;
	uint64_t h[3], p;
	switch (ti->kind) {
	case GDW_K_ARRAY:
		*indexed = (uint64_t)ti->count;
		break;
	case GDW_K_SLICE:
		if (grt_value_read(t, v, 0, h, 24, err) < 0)
			return -1;
		*indexed = h[0] ? h[1] : 0;
		break;
	case GDW_K_MAP:
		return grt__map_len(t, v, indexed, err);
	case GDW_K_STRUCT: {
		const gdw_member *ms;
		size_t n;
		if (gdw_type_members(t->dw, v->type, &ms, &n, err) < 0)
			return -1;
		*named = n;
		break;
	}
	case GDW_K_PTR:
		if (ptr_word(t, v, &p) == 0 && p)
			*named = 1;
		break;
	case GDW_K_INTERFACE: {
		grt_value d = {0};
		int is_nil = 1;
		/* best effort: an interface that cannot be read has nothing
		 * to expand. */
		if (grt__iface_data(t, v, &d, &is_nil, NULL) == 0 && !is_nil)
			*named = 1;
		grt_value_free(&d);
		break;
	}
	case GDW_K_CHAN:
		if (ptr_word(t, v, &p) == 0 && p) {
			const gdw_tinfo *li;
			const gdw_member *ms;
			size_t n;
			if (gdw_type_info(t->dw, ti->layout, &li, err) < 0 ||
			    gdw_type_members(t->dw, li->elem, &ms, &n, err) < 0)
				return -1;
			grt_value h = grt_value_at(li->elem, p);
			uint64_t q = 0;
			if (chan_int(t, &h, "qcount", &q) < 0 || q > (1u << 20))
				q = 0;
			*named = n + q;
		}
		break;
	case GDW_K_COMPLEX64: case GDW_K_COMPLEX128:
		*named = 2;
		break;
	default:
		break;
	}
	return 0;
}

int grt_expandable(grt_target *t, const grt_value *v)
{
	uint64_t i, n;
	/* best effort: a yes/no question: a value whose children cannot be
	 * counted is shown as a leaf. */
	if (grt_child_counts(t, v, &i, &n, NULL) < 0)
		return 0;
	return i + n > 0;
}

void grt_children_free(grt_child *c, size_t n)
{
	if (!c)
		return;
	for (size_t i = 0; i < n; i++) {
		free(c[i].name);
		grt_value_free(&c[i].v);
		grt_value_free(&c[i].key);
	}
	free(c);
}

typedef struct kids {
	grt_child *c;
	size_t n, cap;
} kids;

static grt_child *add_kid(kids *k, grt_child_kind kind, const char *name)
{
	if (gd_grow(&k->c, &k->cap, k->n, sizeof(*k->c), 16) < 0)
		return NULL;
	grt_child *c = &k->c[k->n];
	memset(c, 0, sizeof(*c));
	c->kind = kind;
	c->name = strdup(name);
	if (!c->name)
		return NULL;
	k->n++;
	return c;
}

static int map_kid(void *ctx, uint64_t i, const grt_value *k,
		   const grt_value *v)
{
	kids *ks = ctx;
	char name[32];
	snprintf(name, sizeof(name), "[%" PRIu64 "]", i);
	grt_child *c = add_kid(ks, GRT_CH_MAPENT, name);
	if (!c || grt_value_copy(&c->key, k) < 0 || grt_value_copy(&c->v, v) < 0)
		return -1;
	c->index = i;
	return 0;
}

static int struct_kids(grt_target *t, const grt_value *v, kids *k,
		       gd_err *err)
{
	const gdw_member *ms;
	size_t n;
	if (gdw_type_members(t->dw, v->type, &ms, &n, err) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		grt_child *c = add_kid(k, GRT_CH_FIELD, ms[i].name);
		if (!c)
			return gd_err_set(err, "out of memory");
		c->embedded = ms[i].embedded;
		if (grt__field(t, v, ms[i].name, &c->v, err) < 0)
			return -1;
	}
	return 0;
}

static int complex_kids(grt_target *t, const grt_value *v, const gdw_tinfo *ti,
			kids *k, gd_err *err)
{
	gdw_tref ft;
	int half = ti->kind == GDW_K_COMPLEX64 ? 4 : 8;
	const char *fname = half == 4 ? "float32" : "float64";
	int found = gdw_type_by_name(t->dw, fname, &ft, err);
	if (found == GD_ENOTFOUND)
		return gd_err_set(err, "type %s is not in the program", fname);
	if (found < 0)
		return -1;
	uint8_t raw[16];
	if (grt_value_read(t, v, 0, raw, (size_t)half * 2, err) < 0)
		return -1;
	const char *names[2] = {"real", "imaginary"};
	for (int i = 0; i < 2; i++) {
		grt_child *c = add_kid(k, GRT_CH_FIELD, names[i]);
		if (!c || grt_value_of_bytes(&c->v, ft, raw + i * half, (size_t)half) < 0)
			return gd_err_set(err, "out of memory");
	}
	return 0;
}

static int chan_int(grt_target *t, const grt_value *h, const char *f,
		    uint64_t *out)
{
	grt_value x;
	/* best effort: a field that cannot be read: the channel's buffer is
	 * not listed (chan_kids). */
	if (grt__field(t, h, f, &x, NULL) < 0)
		return -1;
	int r = grt_value_int(t, &x, NULL, out, NULL, NULL);
	grt_value_free(&x);
	return r;
}

/* The buffered elements, oldest first: "buf[0]"... after the fields. */
static int chan_buffer_kids(grt_target *t, const grt_value *h, gdw_tref et,
			    kids *k, gd_err *err)
{
	uint64_t qcount, size, recvx, buf;
	const gdw_tinfo *ei;
	if (chan_int(t, h, "qcount", &qcount) < 0 ||
	    chan_int(t, h, "dataqsiz", &size) < 0 ||
	    chan_int(t, h, "recvx", &recvx) < 0 || chan_int(t, h, "buf", &buf) < 0 ||
	    /* best effort: a channel whose header cannot be read lists no
	     * buffered elements; its fields are still children. */
	    gdw_type_info(t->dw, et, &ei, NULL) < 0 || !size || qcount > size)
		return 0;
	for (uint64_t i = 0; i < qcount; i++) {
		char name[40];
		snprintf(name, sizeof(name), "buf[%" PRIu64 "]", i);
		grt_child *c = add_kid(k, GRT_CH_FIELD, name);
		if (!c)
			return gd_err_set(err, "out of memory");
		c->v = grt_value_at(et, buf + ((recvx + i) % size) * ei->size);
	}
	return 0;
}

int grt_children(grt_target *t, const grt_value *v, uint64_t start,
		 uint64_t count, grt_child **out, size_t *n, gd_err *err)
{
	*out = NULL;
	*n = 0;
	if (v->unreadable)
		return 0;
	const gdw_tinfo *ti;
	if (gdw_type_info(t->dw, v->type, &ti, err) < 0)
		return -1;
	kids k = {0};
	int r = 0;
	uint64_t base = 0, len = 0, p = 0;
	switch (ti->kind) {
	case GDW_K_ARRAY:
	case GDW_K_SLICE: {
		if (ti->kind == GDW_K_SLICE) {
			uint64_t h[3];
			if (grt_value_read(t, v, 0, h, 24, err) < 0)
				return -1;
			base = h[0];
			len = h[0] ? h[1] : 0;
		} else {
			len = (uint64_t)ti->count;
			base = v->addr;
		}
		const gdw_tinfo *ei;
		if (gdw_type_info(t->dw, ti->elem, &ei, err) < 0)
			return -1;
		uint64_t end = count && start + count < len ? start + count : len;
		/* One read for the page of elements; each child keeps its
		 * bytes as a cache. */
		uint8_t *page = NULL;
		uint64_t plen = end > start ? (end - start) * ei->size : 0;
		int addressed = v->has_addr || ti->kind == GDW_K_SLICE;
		if (addressed && plen && plen <= (4u << 20) && ei->size <= 256 &&
		    (page = malloc(plen)) &&
		    /* best effort: a failed bulk read falls back to element
		     * reads, each shown unreadable if it is. */
		    core_read(t->proc, base + start * ei->size, page, plen, NULL) < 0) {
			free(page);
			page = NULL;
		}
		for (uint64_t i = start; i < end; i++) {
			char name[32];
			snprintf(name, sizeof(name), "[%" PRIu64 "]", i);
			grt_child *c = add_kid(&k, GRT_CH_INDEX, name);
			if (!c) {
				r = gd_err_set(err, "out of memory");
				break;
			}
			c->index = i;
			if (addressed) {
				c->v = grt_value_at(ti->elem, base + i * ei->size);
				if (page && ei->size &&
				    (c->v.bytes = malloc(ei->size))) {
					memcpy(c->v.bytes, page + (i - start) * ei->size, ei->size);
					c->v.nbytes = ei->size;
				}
			} else if (grt_value_of_bytes(&c->v, ti->elem,
						      v->bytes + i * ei->size,
						      ei->size) < 0) {
				r = gd_err_set(err, "out of memory");
				break;
			}
		}
		free(page);
		break;
	}
	case GDW_K_MAP:
		r = grt__map_iter(t, v, start, count, map_kid, &k, err);
		break;
	case GDW_K_STRUCT:
		r = struct_kids(t, v, &k, err);
		break;
	case GDW_K_PTR: {
		if (ptr_word(t, v, &p) < 0 || !p)
			break;
		grt_child *c = add_kid(&k, GRT_CH_DEREF, "");
		if (!c)
			r = gd_err_set(err, "out of memory");
		else
			c->v = grt_value_at(ti->elem, p);
		break;
	}
	case GDW_K_INTERFACE: {
		grt_value d = {0};
		int is_nil;
		if (grt__iface_data(t, v, &d, &is_nil, err) < 0) {
			r = -1;
			break;
		}
		if (is_nil)
			break;
		grt_child *c = add_kid(&k, GRT_CH_IFACE, "data");
		if (!c) {
			grt_value_free(&d);
			r = gd_err_set(err, "out of memory");
		} else {
			c->v = d;
		}
		break;
	}
	case GDW_K_CHAN: {
		if (ptr_word(t, v, &p) < 0 || !p)
			break;
		const gdw_tinfo *li;
		if (gdw_type_info(t->dw, ti->layout, &li, err) < 0) {
			r = -1;
			break;
		}
		grt_value h = grt_value_at(li->elem, p);
		r = struct_kids(t, &h, &k, err);
		if (r == 0)
			r = chan_buffer_kids(t, &h, ti->elem, &k, err);
		break;
	}
	case GDW_K_COMPLEX64: case GDW_K_COMPLEX128:
		r = complex_kids(t, v, ti, &k, err);
		break;
	default:
		break;
	}
	if (r < 0) {
		grt_children_free(k.c, k.n);
		return -1;
	}
	/* Fields are not paged by the client, but honour start/count. */
	if ((ti->kind == GDW_K_STRUCT || ti->kind == GDW_K_CHAN) && (start || count)) {
		size_t from = start < k.n ? (size_t)start : k.n;
		size_t to = count && from + count < k.n ? from + (size_t)count : k.n;
		for (size_t i = 0; i < k.n; i++)
			if (i < from || i >= to) {
				free(k.c[i].name);
				grt_value_free(&k.c[i].v);
			}
		memmove(k.c, k.c + from, (to - from) * sizeof(*k.c));
		k.n = to - from;
	}
	*out = k.c;
	*n = k.n;
	return 0;
}

int grt_meta_child(grt_target *t, const grt_fmtlim *L, const grt_value *v,
		   const char **name, gd_buf *text, const char **type)
{
	const gdw_tinfo *ti, *ei;
	/* best effort: the meta child (string form, len) is an extra:
	 * without it the children stand. */
	if (v->unreadable || gdw_type_info(t->dw, v->type, &ti, NULL) < 0)
		return 0;
	if (ti->kind == GDW_K_MAP) {
		uint64_t len;
		/* best effort: as above (each read of this extra). */
		if (grt__map_len(t, v, &len, NULL) < 0 || !len)
			return 0;
		*name = "len()";
		*type = "int";
		gd_buf_printf(text, "%" PRIu64, len);
		return 1;
	}
	/* best effort: as above. */
	if ((ti->kind != GDW_K_SLICE && ti->kind != GDW_K_ARRAY) ||
	    gdw_type_info(t->dw, ti->elem, &ei, NULL) < 0 ||
	    (ei->kind != GDW_K_UINT8 && ei->kind != GDW_K_INT32))
		return 0;
	uint64_t base = v->addr, len = (uint64_t)ti->count;
	if (ti->kind == GDW_K_SLICE) {
		uint64_t h[3];
		/* best effort: as above. */
		if (grt_value_read(t, v, 0, h, 24, NULL) < 0)
			return 0;
		base = h[0];
		len = h[1];
	} else if (!v->has_addr) {
		return 0;
	}
	if (!base || !len)
		return 0;
	/* Delve loads up to MaxStringLen elements for it. */
	uint64_t n = len < L->max_string ? len : L->max_string;
	uint8_t *raw = malloc(n * ei->size);
	/* best effort: as above. */
	if (!raw || core_read(t->proc, base, raw, n * ei->size, NULL) < 0) {
		free(raw);
		return 0;
	}
	gd_buf s = GD_BUF_INIT;
	if (ei->kind == GDW_K_UINT8) {
		gd_buf_append(&s, raw, (size_t)n);
	} else {
		for (uint64_t i = 0; i < n; i++) {
			int32_t r;
			memcpy(&r, raw + 4 * i, 4);
			uint32_t c = r < 0 || r > 0x10ffff || (r >= 0xd800 && r < 0xe000)
					     ? 0xfffd : (uint32_t)r;
			char u[4];
			size_t k;
			if (c < 0x80) {
				u[0] = (char)c;
				k = 1;
			} else if (c < 0x800) {
				u[0] = (char)(0xc0 | c >> 6);
				u[1] = (char)(0x80 | (c & 0x3f));
				k = 2;
			} else if (c < 0x10000) {
				u[0] = (char)(0xe0 | c >> 12);
				u[1] = (char)(0x80 | ((c >> 6) & 0x3f));
				u[2] = (char)(0x80 | (c & 0x3f));
				k = 3;
			} else {
				u[0] = (char)(0xf0 | c >> 18);
				u[1] = (char)(0x80 | ((c >> 12) & 0x3f));
				u[2] = (char)(0x80 | ((c >> 6) & 0x3f));
				u[3] = (char)(0x80 | (c & 0x3f));
				k = 4;
			}
			gd_buf_append(&s, u, k);
		}
	}
	free(raw);
	if (n < len)
		gd_buf_printf(&s, "...+%" PRIu64 " more", len - n);
	grt_text_quote(text, (const uint8_t *)(s.data ? s.data : ""), s.len);
	gd_buf_free(&s);
	*name = "string()";
	*type = "string";
	return 1;
}
