/* Compile units: the list, the address -> CU index (from the CU DIEs'
 * DW_AT_ranges / low_pc+high_pc only) and each CU's line table, loaded
 * when first needed. */
#include "gdw_internal.h"

#include <dwarf.h>
#include <stdlib.h>
#include <string.h>

static int cmp_range(const void *a, const void *b)
{
	const gdw_curange *x = a, *y = b;
	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	return x->hi < y->hi ? -1 : x->hi > y->hi;
}

static int grow(void **p, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return 0;
	size_t nc = *cap ? *cap * 2 : 64;
	while (nc < need)
		nc *= 2;
	void *np = realloc(*p, nc * elem);
	if (!np)
		return -1;
	*p = np;
	*cap = nc;
	return 0;
}

static int producer_noinline(const char *prod);

static int build(gdw_file *f, gd_err *err)
{
	size_t cucap = 0, rcap = 0;
	Dwarf_CU *cu = NULL, *next;
	Dwarf_Half version;
	uint8_t unit_type;
	Dwarf_Die cudie, subdie;
	Dwarf_Off released = 0;
	int r;
	while ((r = dwarf_get_units(f->dw, cu, &next, &version, &unit_type,
				    &cudie, &subdie)) == 0) {
		cu = next;
		int tag = dwarf_tag(&cudie);
		if (tag != DW_TAG_compile_unit && tag != DW_TAG_partial_unit)
			continue;
		if (grow((void **)&f->cus, &cucap, f->ncus + 1, sizeof(*f->cus)) < 0)
			return gd_err_set(err, "out of memory");
		gdw_cu *c = &f->cus[f->ncus];
		memset(c, 0, sizeof(*c));
		c->off = dwarf_dieoffset(&cudie);
		c->version = version;
		f->ncus++; /* freed with the rest from here on */
		Dwarf_Attribute a;
		const char *s = dwarf_diename(&cudie);
		if (s && !(c->name = strdup(s)))
			return gd_err_set(err, "out of memory");
		s = dwarf_formstring(dwarf_attr(&cudie, DW_AT_comp_dir, &a));
		if (s && !(c->comp_dir = strdup(s)))
			return gd_err_set(err, "out of memory");
		c->noinline = producer_noinline(dwarf_formstring(
			dwarf_attr(&cudie, DW_AT_producer, &a)));
		c->has_stmt_list = dwarf_attr(&cudie, DW_AT_stmt_list, &a) &&
				   dwarf_formudata(&a, &c->stmt_list) == 0;
		ptrdiff_t o = 0;
		Dwarf_Addr base, lo, hi;
		while ((o = dwarf_ranges(&cudie, o, &base, &lo, &hi)) > 0) {
			if (hi <= lo)
				continue;
			if (grow((void **)&f->ranges, &rcap, f->nranges + 1,
				 sizeof(*f->ranges)) < 0)
				return gd_err_set(err, "out of memory");
			f->ranges[f->nranges++] = (gdw_curange){lo, hi, f->ncus - 1};
		}
		/* o < 0: a CU with unreadable ranges is only unreachable by pc. */
		/* The pages behind the walk go (every MB): on a 70 MB program
		 * the CU headers are spread over 12 MB of .debug_info. */
		if (c->off >= released + (1u << 20)) {
			released = c->off;
			gdw__image_release(f, ".debug_info", released - (64u << 10));
		}
	}
	if (r < 0)
		return gd_err_set(err, "%s: cannot read the compile units: %s",
				  f->path, dwarf_errmsg(-1));
	if (f->nranges)
		qsort(f->ranges, f->nranges, sizeof(*f->ranges), cmp_range);
	return 0;
}

int gdw__cus_load(gdw_file *f, gd_err *err)
{
	if (f->cus_state > 0)
		return 0;
	if (f->cus_state < 0)
		return gd_err_set(err, "%s: cannot read the compile units",
				  f->path);
	if (build(f, err) < 0) {
		gdw__cus_free(f);
		f->cus_state = -1;
		return -1;
	}
	f->cus_state = 1;
	return 0;
}

gdw_cu *gdw__cu_for_pc(gdw_file *f, uint64_t pc)
{
	/* ignored: an unreadable CU list holds no pc; a caller that must
	 * tell the two apart calls gdw__cus_load first. */
	if (gdw__cus_load(f, NULL) < 0)
		return NULL;
	size_t lo = 0, hi = f->nranges;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (f->ranges[mid].lo <= pc)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* Ranges should not overlap; tolerate a few that do. */
	for (size_t i = lo, k = 0; i > 0 && k < 8; i--, k++) {
		const gdw_curange *r = &f->ranges[i - 1];
		if (pc < r->hi)
			return &f->cus[r->cu];
	}
	return NULL;
}

/* Go's producer: "Go cmd/compile go1.26.8; -N -l regabi". */
static int producer_noinline(const char *prod)
{
	const char *semi = prod ? strchr(prod, ';') : NULL;
	for (const char *p = semi; p && (p = strstr(p, " -l")); p += 3)
		if (p[3] == ' ' || p[3] == '\0')
			return 1;
	return -1;
}

int gdw__cu_noinline(gdw_file *f, gdw_cu *cu)
{
	if (cu->noinline == 0) {
		Dwarf_Die d;
		Dwarf_Attribute a;
		const char *prod = NULL;
		if (dwarf_offdie(f->dw, cu->off, &d) &&
		    dwarf_attr(&d, DW_AT_producer, &a))
			prod = dwarf_formstring(&a);
		cu->noinline = producer_noinline(prod);
	}
	return cu->noinline > 0;
}

int gdw__cu_die(gdw_file *f, const gdw_cu *cu, Dwarf_Die *out, gd_err *err)
{
	if (!dwarf_offdie(f->dw, cu->off, out))
		return gd_err_set(err, "%s: bad compile unit at 0x%llx: %s",
				  f->path, (unsigned long long)cu->off,
				  dwarf_errmsg(-1));
	return 0;
}

typedef struct keyed_row {
	gdw_lrow r;
	size_t i;
} keyed_row;

static int row_before(const gdw_lrow *a, const gdw_lrow *b)
{
	if (a->addr != b->addr)
		return a->addr < b->addr;
	return a->end_seq > b->end_seq; /* a sequence end precedes a start */
}

static int cmp_keyed(const void *a, const void *b)
{
	const keyed_row *x = a, *y = b;
	if (row_before(&x->r, &y->r))
		return -1;
	if (row_before(&y->r, &x->r))
		return 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

/* libdw hands out rows sorted the way we want; sort only if it did not. */
static int ensure_sorted(gdw_lrow *rows, size_t n)
{
	size_t i;
	for (i = 1; i < n; i++)
		if (row_before(&rows[i], &rows[i - 1]))
			break;
	if (i >= n)
		return 0;
	keyed_row *k = malloc(n * sizeof(*k));
	if (!k)
		return -1;
	for (i = 0; i < n; i++)
		k[i] = (keyed_row){rows[i], i};
	if (n)
		qsort(k, n, sizeof(*k), cmp_keyed);
	for (i = 0; i < n; i++)
		rows[i] = k[i].r;
	free(k);
	return 0;
}

static int load_lines(gdw_file *f, gdw_cu *cu, gd_err *err)
{
	Dwarf_Die die;
	if (gdw__cu_die(f, cu, &die, err) < 0)
		return -1;
	if (!dwarf_hasattr(&die, DW_AT_stmt_list))
		return 0; /* a CU without code */
	Dwarf_Lines *lines;
	size_t n;
	if (dwarf_getsrclines(&die, &lines, &n) != 0)
		return gd_err_set(err, "%s: cannot read the line table of %s: %s",
				  f->path, dwarf_diename(&die) ? dwarf_diename(&die)
				  : "a compile unit", dwarf_errmsg(-1));
	cu->rows = calloc(n ? n : 1, sizeof(*cu->rows));
	if (!cu->rows)
		return gd_err_set(err, "out of memory");
	for (size_t i = 0; i < n; i++) {
		Dwarf_Line *l = dwarf_onesrcline(lines, i);
		Dwarf_Addr a;
		int ln;
		bool stmt, pe, es;
		if (!l || dwarf_lineaddr(l, &a) != 0 || dwarf_lineno(l, &ln) != 0 ||
		    dwarf_linebeginstatement(l, &stmt) != 0 ||
		    dwarf_lineprologueend(l, &pe) != 0 ||
		    dwarf_lineendsequence(l, &es) != 0)
			return gd_err_set(err, "%s: bad line table row: %s",
					  f->path, dwarf_errmsg(-1));
		const char *file = dwarf_linesrc(l, NULL, NULL);
		cu->rows[cu->nrows++] = (gdw_lrow){
			.addr = a, .file = file ? file : "?", .line = ln,
			.is_stmt = stmt, .prologue_end = pe, .end_seq = es};
	}
	if (ensure_sorted(cu->rows, cu->nrows) < 0)
		return gd_err_set(err, "out of memory");
	return 0;
}

int gdw__cu_lines(gdw_file *f, gdw_cu *cu, gd_err *err)
{
	if (cu->lines_state > 0)
		return 0;
	if (cu->lines_state < 0)
		return gd_err_set(err, "%s: unreadable line table", f->path);
	if (load_lines(f, cu, err) < 0) {
		free(cu->rows);
		cu->rows = NULL;
		cu->nrows = 0;
		cu->lines_state = -1;
		return -1;
	}
	cu->lines_state = 1;
	return 0;
}

size_t gdw__rows_lower(const gdw_cu *cu, uint64_t pc)
{
	size_t lo = 0, hi = cu->nrows;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cu->rows[mid].addr < pc)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

void gdw__cus_free(gdw_file *f)
{
	for (size_t i = 0; i < f->ncus; i++) {
		gdw_cu *c = &f->cus[i];
		free(c->name);
		free(c->comp_dir);
		free(c->rows);
		free(c->funcs);
		free(c->abstracts);
		free(c->scopes);
		free(c->segs);
	}
	free(f->cus);
	free(f->ranges);
	f->cus = NULL;
	f->ranges = NULL;
	f->ncus = f->nranges = 0;
}
