/* Display text and children of values, following Delve's DAP server
 * (convertVariable + api.Variable.writeTo with PrettyShortenType and its
 * default load limits: strings 512 bytes, 64 elements, one level of
 * nesting loaded). */
#include "grt_internal.h"
#include "grt_value.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { F_TOP = 1, F_TYPE = 2 };
enum { MAX_STRING = 512, MAX_ARRAY = 64, MAX_RECURSE = 1 };

static int fmt_v(grt_target *t, const grt_value *v, int flags, int level,
		 gd_buf *b);

/* Delve's ShortenType: package paths dropped from qualified names
 * ("github.com/a/b.T" -> "b.T") in every component of the type. */
static void put_type(gd_buf *b, const char *name)
{
	const char *seg = name;
	for (const char *p = name;; p++) {
		int word = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			   (*p >= '0' && *p <= '9') || *p == '_' || *p == '.' ||
			   *p == '/' || (unsigned char)*p >= 0x80;
		if (word)
			continue;
		const char *slash = NULL;
		for (const char *q = seg; q < p; q++)
			if (*q == '/')
				slash = q;
		const char *from = slash ? slash + 1 : seg;
		gd_buf_append(b, from, (size_t)(p - from));
		if (!*p)
			break;
		gd_buf_append(b, p, 1);
		seg = p + 1;
	}
}

static void put_vtype(grt_target *t, const grt_value *v, gd_buf *b)
{
	put_type(b, grt_value_type_name(t, v));
}

/* strconv.FormatFloat(f, 'f', -1, bits): shortest digits that read back
 * to the same value, never in exponent form. */
static void put_float(gd_buf *b, double f, int bits)
{
	if (isnan(f)) {
		gd_buf_puts(b, "NaN");
		return;
	}
	if (isinf(f)) {
		gd_buf_puts(b, f > 0 ? "+Inf" : "-Inf");
		return;
	}
	char e[64];
	for (int p = 1; p <= 17; p++) {
		snprintf(e, sizeof(e), "%.*e", p - 1, f);
		double back = strtod(e, NULL);
		if (bits == 32 ? (float)back == (float)f : back == f)
			break;
	}
	/* e = "[-]d.ddde[+-]xx": rebuild without the exponent. */
	char digits[32];
	size_t nd = 0;
	const char *p = e;
	int neg = 0;
	if (*p == '-') {
		neg = 1;
		p++;
	}
	for (; *p && *p != 'e'; p++)
		if (*p != '.' && nd < sizeof(digits) - 1)
			digits[nd++] = *p;
	int exp = *p == 'e' ? atoi(p + 1) : 0;
	while (nd > 1 && digits[nd - 1] == '0')
		nd--;
	if (neg)
		gd_buf_puts(b, "-");
	int point = exp + 1; /* digits before the decimal point */
	if (point <= 0) {
		gd_buf_puts(b, "0.");
		for (int i = 0; i < -point; i++)
			gd_buf_puts(b, "0");
		gd_buf_append(b, digits, nd);
	} else if ((size_t)point >= nd) {
		gd_buf_append(b, digits, nd);
		for (size_t i = nd; i < (size_t)point; i++)
			gd_buf_puts(b, "0");
	} else {
		gd_buf_append(b, digits, (size_t)point);
		gd_buf_puts(b, ".");
		gd_buf_append(b, digits + point, nd - (size_t)point);
	}
}

/* Go's %q for a byte string. */
static void put_quoted(gd_buf *b, const uint8_t *s, size_t n)
{
	gd_buf_puts(b, "\"");
	for (size_t i = 0; i < n;) {
		uint8_t c = s[i];
		uint32_t r = c;
		size_t len = 1;
		if (c >= 0x80) {
			size_t need = c >= 0xf0 && c < 0xf8 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 0;
			int ok = need && i + need <= n;
			if (ok) {
				r = c & (0xff >> (need + 1));
				for (size_t k = 1; k < need; k++) {
					if ((s[i + k] & 0xc0) != 0x80)
						ok = 0;
					r = (r << 6) | (s[i + k] & 0x3f);
				}
			}
			if (ok && ((need == 2 && r < 0x80) || (need == 3 && r < 0x800) ||
				   (need == 4 && r < 0x10000) || r > 0x10ffff ||
				   (r >= 0xd800 && r < 0xe000)))
				ok = 0;
			if (!ok) {
				gd_buf_printf(b, "\\x%02x", c);
				i++;
				continue;
			}
			len = need;
		}
		i += len;
		switch (r) {
		case '\a': gd_buf_puts(b, "\\a"); continue;
		case '\b': gd_buf_puts(b, "\\b"); continue;
		case '\f': gd_buf_puts(b, "\\f"); continue;
		case '\n': gd_buf_puts(b, "\\n"); continue;
		case '\r': gd_buf_puts(b, "\\r"); continue;
		case '\t': gd_buf_puts(b, "\\t"); continue;
		case '\v': gd_buf_puts(b, "\\v"); continue;
		case '\\': gd_buf_puts(b, "\\\\"); continue;
		case '"': gd_buf_puts(b, "\\\""); continue;
		}
		if (r < 0x20 || r == 0x7f)
			gd_buf_printf(b, "\\x%02x", r);
		else if (r >= 0x80 && r < 0xa0)
			gd_buf_printf(b, "\\u%04x", r);
		else
			gd_buf_append(b, s + i - len, len);
	}
	gd_buf_puts(b, "\"");
}

static int put_string(grt_target *t, const grt_value *v, gd_buf *b)
{
	uint64_t h[2];
	if (grt_value_read(t, v, 0, h, 16, NULL) < 0)
		return -1;
	uint64_t len = h[1], n = len < MAX_STRING ? len : MAX_STRING;
	if ((int64_t)len < 0)
		return -1;
	uint8_t *s = malloc(n + 32);
	if (!s)
		return -1;
	if (n && core_read(t->proc, h[0], s, n, NULL) < 0) {
		free(s);
		return -1;
	}
	if (n < len) {
		/* Delve puts the cut notice inside the quotes. */
		int k = snprintf((char *)s + n, 32, "...+%" PRIu64 " more", len - n);
		n += (uint64_t)k;
	}
	put_quoted(b, s, n);
	free(s);
	return 0;
}

/* time.Duration.String(). */
static void put_duration(gd_buf *b, int64_t d)
{
	uint64_t u = d < 0 ? (uint64_t)0 - (uint64_t)d : (uint64_t)d;
	const char *sign = d < 0 ? "-" : "";
	if (u == 0) {
		gd_buf_puts(b, "0s");
		return;
	}
	if (u < 1000000000ull) {
		const char *unit = u < 1000 ? "ns" : u < 1000000 ? "µs" : "ms";
		uint64_t div = u < 1000 ? 1 : u < 1000000 ? 1000 : 1000000;
		gd_buf_printf(b, "%s%" PRIu64, sign, u / div);
		if (u % div) {
			char frac[16];
			snprintf(frac, sizeof(frac), "%0*" PRIu64, div == 1000 ? 3 : 6, u % div);
			size_t n = strlen(frac);
			while (n && frac[n - 1] == '0')
				frac[--n] = '\0';
			gd_buf_printf(b, ".%s", frac);
		}
		gd_buf_puts(b, unit);
		return;
	}
	uint64_t sec = u / 1000000000ull, ns = u % 1000000000ull;
	gd_buf_puts(b, sign);
	if (sec >= 3600)
		gd_buf_printf(b, "%" PRIu64 "h", sec / 3600);
	if (sec >= 60)
		gd_buf_printf(b, "%" PRIu64 "m", sec / 60 % 60);
	gd_buf_printf(b, "%" PRIu64, sec % 60);
	if (ns) {
		char frac[16];
		snprintf(frac, sizeof(frac), "%09" PRIu64, ns);
		size_t n = strlen(frac);
		while (n && frac[n - 1] == '0')
			frac[--n] = '\0';
		gd_buf_printf(b, ".%s", frac);
	}
	gd_buf_puts(b, "s");
}

/* Delve's formatTime: RFC 3339, plus ", +monotonic" when present. */
static int put_time(grt_target *t, const grt_value *v, gd_buf *b)
{
	grt_value w, e, l;
	uint64_t wall = 0, locp = 0;
	int64_t ext = 0;
	if (grt__field(t, v, "wall", &w, NULL) < 0)
		return -1;
	int ok = grt_value_int(t, &w, NULL, &wall, NULL, NULL) == 0;
	grt_value_free(&w);
	if (!ok || grt__field(t, v, "ext", &e, NULL) < 0)
		return -1;
	ok = grt_value_int(t, &e, &ext, NULL, NULL, NULL) == 0;
	grt_value_free(&e);
	if (!ok || grt__field(t, v, "loc", &l, NULL) < 0)
		return -1;
	grt_value_read(t, &l, 0, &locp, 8, NULL);
	grt_value_free(&l);
	int mono = (wall >> 63) != 0;
	int64_t unix_s = mono ? (int64_t)(wall << 1 >> 31) - 2682288000LL
			      : ext - 62135596800LL;
	time_t tt = (time_t)unix_s;
	struct tm tm;
	/* nil loc is UTC; any other location is shown as the debugger's
	 * local zone (Delve loads it by name) */
	if (locp ? !localtime_r(&tt, &tm) : !gmtime_r(&tt, &tm))
		return -1;
	char buf[64];
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
	gd_buf_puts(b, buf);
	long off = locp ? tm.tm_gmtoff : 0;
	if (off == 0)
		gd_buf_puts(b, "Z");
	else
		gd_buf_printf(b, "%c%02ld:%02ld", off < 0 ? '-' : '+',
			      labs(off) / 3600, labs(off) / 60 % 60);
	if (mono)
		gd_buf_printf(b, ", %+" PRId64, ext);
	return 0;
}

static int put_scalar(grt_target *t, const grt_value *v, const gdw_tinfo *ti,
		      gd_buf *b)
{
	uint8_t raw[16] = {0};
	size_t sz = ti->size > 16 ? 16 : ti->size;
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
		put_float(b, x, 32);
		return 0;
	}
	case GDW_K_FLOAT64:
		memcpy(&f, raw, 8);
		put_float(b, f, 64);
		return 0;
	case GDW_K_COMPLEX64: {
		float re, im;
		memcpy(&re, raw, 4);
		memcpy(&im, raw + 4, 4);
		gd_buf_puts(b, "(");
		put_float(b, re, 32);
		gd_buf_puts(b, " + ");
		put_float(b, im, 32);
		gd_buf_puts(b, "i)");
		return 0;
	}
	case GDW_K_COMPLEX128: {
		double re, im;
		memcpy(&re, raw, 8);
		memcpy(&im, raw + 8, 8);
		gd_buf_puts(b, "(");
		put_float(b, re, 64);
		gd_buf_puts(b, " + ");
		put_float(b, im, 64);
		gd_buf_puts(b, "i)");
		return 0;
	}
	case GDW_K_INT: case GDW_K_INT8: case GDW_K_INT16: case GDW_K_INT32:
	case GDW_K_INT64:
		grt_value_int(t, v, &i, NULL, NULL, NULL);
		if (strcmp(ti->name, "time.Duration") == 0) {
			/* readable, in the "descr (value)" shape Delve uses */
			put_duration(b, i);
			gd_buf_printf(b, " (%" PRId64 ")", i);
			return 0;
		}
		gd_buf_printf(b, "%" PRId64, i);
		return 0;
	default:
		grt_value_int(t, v, NULL, &u, NULL, NULL);
		gd_buf_printf(b, "%" PRIu64, u);
		return 0;
	}
}

static int elems(grt_target *t, gdw_tref et, uint64_t base, uint64_t len,
		 int level, gd_buf *b)
{
	const gdw_tinfo *ei;
	if (gdw_type_info(t->dw, et, &ei, NULL) < 0)
		return -1;
	gd_buf_puts(b, "[");
	if (level > MAX_RECURSE && len) {
		gd_buf_puts(b, "...]");
		return 0;
	}
	uint64_t n = len < MAX_ARRAY ? len : MAX_ARRAY;
	for (uint64_t i = 0; i < n; i++) {
		grt_value e = grt_value_at(et, base + i * ei->size);
		fmt_v(t, &e, 0, level + 1, b);
		if (i != n - 1)
			gd_buf_puts(b, ",");
	}
	if (n != len)
		gd_buf_printf(b, ",...+%" PRIu64 " more", len - n);
	gd_buf_puts(b, "]");
	return 0;
}

typedef struct mapfmt {
	grt_target *t;
	gd_buf *b;
	int level;
} mapfmt;

static int map_entry(void *ctx, uint64_t i, const grt_value *k,
		     const grt_value *v)
{
	(void)i;
	mapfmt *m = ctx;
	fmt_v(m->t, k, 0, m->level + 1, m->b);
	gd_buf_puts(m->b, ": ");
	fmt_v(m->t, v, 0, m->level + 1, m->b);
	gd_buf_puts(m->b, ", ");
	return 0;
}

static int fmt_map(grt_target *t, const grt_value *v, int flags, int level,
		   gd_buf *b)
{
	if (flags & F_TYPE) {
		put_vtype(t, v, b);
		gd_buf_puts(b, " ");
	}
	uint64_t p, len;
	if (grt_value_read(t, v, 0, &p, 8, NULL) < 0 ||
	    grt__map_len(t, v, &len, NULL) < 0)
		return -1;
	if (!p) {
		gd_buf_puts(b, "nil");
		return 0;
	}
	gd_buf_puts(b, "[");
	if (level > MAX_RECURSE) {
		gd_buf_puts(b, len ? "...]" : "]");
		return 0;
	}
	mapfmt m = {t, b, level};
	uint64_t n = len < MAX_ARRAY ? len : MAX_ARRAY;
	if (n && grt__map_iter(t, v, 0, n, map_entry, &m, NULL) < 0)
		return -1;
	if (n != len)
		gd_buf_printf(b, ",...+%" PRIu64 " more", len - n);
	gd_buf_puts(b, "]");
	return 0;
}

static int fmt_struct(grt_target *t, const grt_value *v, int flags, int level,
		      gd_buf *b)
{
	const gdw_member *ms;
	size_t n;
	if (gdw_type_members(t->dw, v->type, &ms, &n, NULL) < 0)
		return -1;
	if (level > MAX_RECURSE && n) {
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
		if (grt__field(t, v, ms[i].name, &f, NULL) == 0)
			fmt_v(t, &f, F_TYPE, level + 1, b);
		else
			gd_buf_puts(b, "(unreadable)");
		grt_value_free(&f);
		if (i != n - 1)
			gd_buf_puts(b, ", ");
	}
	gd_buf_puts(b, "}");
	return 0;
}

static int fmt_iface(grt_target *t, const grt_value *v, int flags, int level,
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
		grt_value_read(t, &d, 0, &p, 8, NULL);
		if (!p) {
			gd_buf_puts(b, "nil");
			grt_value_free(&d);
			return 0;
		}
	}
	fmt_v(t, &d, inner, level, b);
	grt_value_free(&d);
	return 0;
}

static int fmt_func(grt_target *t, const grt_value *v, gd_buf *b)
{
	uint64_t p, pc;
	if (grt_value_read(t, v, 0, &p, 8, NULL) < 0)
		return -1;
	if (!p) {
		gd_buf_puts(b, "nil");
		return 0;
	}
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
	if (grt_value_read(t, v, 0, &p, 8, NULL) < 0)
		return -1;
	if (!p) {
		gd_buf_puts(b, " nil");
		return 0;
	}
	const gdw_tinfo *ti;
	if (gdw_type_info(t->dw, v->type, &ti, NULL) < 0)
		return -1;
	const gdw_tinfo *li;
	if (gdw_type_info(t->dw, ti->layout, &li, NULL) < 0)
		return -1;
	grt_value h = grt_value_at(li->elem, p), q, c;
	int64_t qn = 0, cn = 0;
	if (grt__field(t, &h, "qcount", &q, NULL) == 0)
		grt_value_int(t, &q, &qn, NULL, NULL, NULL);
	if (grt__field(t, &h, "dataqsiz", &c, NULL) == 0)
		grt_value_int(t, &c, &cn, NULL, NULL, NULL);
	gd_buf_printf(b, " %" PRId64 "/%" PRId64, qn, cn);
	return 0;
}

static int fmt_v(grt_target *t, const grt_value *v, int flags, int level,
		 gd_buf *b)
{
	if (v->unreadable) {
		gd_buf_printf(b, "(unreadable %s)", v->unreadable);
		return 0;
	}
	const gdw_tinfo *ti;
	if (gdw_type_info(t->dw, v->type, &ti, NULL) < 0) {
		gd_buf_puts(b, "(unreadable unknown type)");
		return 0;
	}
	int r = 0;
	switch (ti->kind) {
	case GDW_K_STRING:
		r = put_string(t, v, b);
		break;
	case GDW_K_SLICE: {
		uint64_t h[3];
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
			r = elems(t, ti->elem, h[0], h[1], level, b);
		break;
	}
	case GDW_K_ARRAY:
		if (flags & F_TYPE) {
			put_vtype(t, v, b);
			gd_buf_puts(b, " ");
		}
		if (!v->has_addr) {
			gd_buf_puts(b, "[...]");
			break;
		}
		r = elems(t, ti->elem, v->addr, (uint64_t)ti->count, level, b);
		break;
	case GDW_K_PTR: {
		uint64_t p;
		if (grt_value_read(t, v, 0, &p, 8, NULL) < 0) {
			r = -1;
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
		if (gdw_type_info(t->dw, ti->elem, &ei, NULL) == 0 &&
		    (ei->kind == GDW_K_PTR || ei->kind == GDW_K_INTERFACE))
			next++;
		r = fmt_v(t, &d, flags & ~F_TOP, next, b);
		break;
	}
	case GDW_K_UNSAFEPTR: {
		uint64_t p;
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
		r = fmt_struct(t, v, flags, level, b);
		break;
	case GDW_K_INTERFACE:
		r = fmt_iface(t, v, flags, level, b);
		break;
	case GDW_K_MAP:
		r = fmt_map(t, v, flags, level, b);
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

int grt_format(grt_target *t, const grt_value *v, gd_buf *out)
{
	size_t start = out->len;
	fmt_v(t, v, F_TOP | F_TYPE, 0, out);
	gdw_kind k = grt_value_kind(t, v);
	if (!v->unreadable && k >= GDW_K_UINT && k <= GDW_K_UINTPTR) {
		uint64_t u;
		if (grt_value_int(t, v, NULL, &u, NULL, NULL) == 0)
			gd_buf_printf(out, " = 0x%" PRIx64, u);
	}
	/* Delve cuts long texts of values that can be expanded. */
	if (out->len - start > 256 && grt_expandable(t, v)) {
		out->len = start + 256;
		out->data[out->len] = '\0';
		gd_buf_puts(out, "...");
	}
	if (!out->data)
		gd_buf_puts(out, "");
	return 0;
}

/* ---- children ---- */
static int ptr_word(grt_target *t, const grt_value *v, uint64_t *p)
{
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
			*named = n;
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
	if (k->n == k->cap) {
		size_t cap = k->cap ? k->cap * 2 : 16;
		grt_child *n = realloc(k->c, cap * sizeof(*n));
		if (!n)
			return NULL;
		k->c = n;
		k->cap = cap;
	}
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
	if (gdw_type_by_name(t->dw, half == 4 ? "float32" : "float64", &ft) < 0)
		return gd_err_set(err, "no float type in the program");
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
		for (uint64_t i = start; i < end; i++) {
			char name[32];
			snprintf(name, sizeof(name), "[%" PRIu64 "]", i);
			grt_child *c = add_kid(&k, GRT_CH_INDEX, name);
			if (!c) {
				r = gd_err_set(err, "out of memory");
				break;
			}
			c->index = i;
			if (v->has_addr || ti->kind == GDW_K_SLICE) {
				c->v = grt_value_at(ti->elem, base + i * ei->size);
			} else if (grt_value_of_bytes(&c->v, ti->elem,
						      v->bytes + i * ei->size,
						      ei->size) < 0) {
				r = gd_err_set(err, "out of memory");
				break;
			}
		}
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
