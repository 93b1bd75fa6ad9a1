/* Line-table queries: pc -> file:line, rows of an address range, and
 * file:line -> breakpoint addresses. */
#include "gdw_internal.h"
#include "../common/gd_array.h"

#include <stdlib.h>
#include <string.h>

int gdw_pc_line(gdw_file *f, uint64_t pc, const char **file, int *line)
{
	/* ignored: the callers want a line or none; why the tables cannot
	 * be read is told by gdw_rows_in and gdw_line_addrs_for, which take
	 * a gd_err. */
	if (gdw__cus_load(f, NULL) < 0)
		return -1;
	gdw_cu *cu = gdw__cu_for_pc(f, pc);
	if (!cu || pc == UINT64_MAX)
		return GD_ENOTFOUND;
	/* ignored: as above. */
	if (gdw__cu_lines(f, cu, NULL) < 0)
		return -1;
	size_t i = gdw__rows_lower(cu, pc + 1); /* first row past pc */
	if (i == 0 || cu->rows[i - 1].end_seq)
		return GD_ENOTFOUND;
	if (file)
		*file = cu->rows[i - 1].file;
	if (line)
		*line = cu->rows[i - 1].line;
	return 0;
}

int gdw_has_file(gdw_file *f, const char *path)
{
	size_t i;
	/* ignored: a yes/no question; unreadable file names hold no file
	 * (gdw_files tells why). */
	return gdw__files_load(f, NULL) == 0 &&
	       gdw__map_get(&f->file_names, path, &i) == 0;
}

int gdw_files(gdw_file *f, size_t *n, gd_err *err)
{
	*n = 0;
	if (gdw__files_load(f, err) < 0)
		return -1;
	*n = f->nfiles;
	return 0;
}

const char *gdw_file_name(gdw_file *f, size_t i)
{
	return i < f->nfiles ? f->files[i].name : NULL;
}

typedef struct keyed {
	gdw_row r;
	size_t i;
} keyed;

static int cmp_keyed(const void *a, const void *b)
{
	const keyed *x = a, *y = b;
	if (x->r.addr != y->r.addr)
		return x->r.addr < y->r.addr ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

/* Appends the rows of cu in [lowpc, highpc) to *k. */
static int take_rows(const gdw_cu *cu, uint64_t lowpc, uint64_t highpc,
		     keyed **k, size_t *nk, size_t *cap)
{
	for (size_t i = gdw__rows_lower(cu, lowpc);
	     i < cu->nrows && cu->rows[i].addr < highpc; i++) {
		const gdw_lrow *lr = &cu->rows[i];
		if (lr->end_seq)
			continue;
		if (gd_grow(&*k, &*cap, *nk, sizeof(**k), 64) < 0)
			return -1;
		(*k)[*nk] = (keyed){{lr->addr, lr->line, lr->is_stmt,
				     lr->prologue_end, lr->file}, *nk};
		(*nk)++;
	}
	return 0;
}

int gdw_rows_in(gdw_file *f, uint64_t lowpc, uint64_t highpc, gdw_row **rows,
		size_t *n, gd_err *err)
{
	*rows = NULL;
	*n = 0;
	if (gdw__cus_load(f, err) < 0)
		return -1;
	keyed *k = NULL;
	size_t nk = 0, cap = 0, ncu = 0;
	size_t *done = NULL; /* CUs already taken (normally just one) */
	int rc = -1;
	size_t r = 0, hi = f->nranges;
	while (r < hi) { /* first range starting at or after lowpc */
		size_t mid = r + (hi - r) / 2;
		if (f->ranges[mid].lo < lowpc)
			r = mid + 1;
		else
			hi = mid;
	}
	r = r > 8 ? r - 8 : 0; /* the one holding lowpc, and some slack */
	for (; r < f->nranges && f->ranges[r].lo < highpc; r++) {
		const gdw_curange *cr = &f->ranges[r];
		if (cr->hi <= lowpc)
			continue;
		size_t q;
		for (q = 0; q < ncu && done[q] != cr->cu; q++)
			;
		if (q < ncu)
			continue;
		size_t *nd = realloc(done, (ncu + 1) * sizeof(*nd));
		if (!nd) {
			gd_err_set(err, "out of memory");
			goto out;
		}
		done = nd;
		done[ncu++] = cr->cu;
		gdw_cu *cu = &f->cus[cr->cu];
		if (gdw__cu_lines(f, cu, err) < 0)
			goto out;
		if (take_rows(cu, lowpc, highpc, &k, &nk, &cap) < 0) {
			gd_err_set(err, "out of memory");
			goto out;
		}
	}
	if (nk) {
		if (ncu > 1)
			qsort(k, nk, sizeof(*k), cmp_keyed);
		gdw_row *o = malloc(nk * sizeof(*o));
		if (!o) {
			gd_err_set(err, "out of memory");
			goto out;
		}
		for (size_t i = 0; i < nk; i++)
			o[i] = k[i].r;
		*rows = o;
		*n = nk;
	}
	rc = 0;
out:
	free(k);
	free(done);
	return rc;
}

/* ---- file:line -> addresses ---- */

/* A row of the requested file, with the code scope it belongs to. */
typedef struct hit {
	uint64_t addr;
	size_t cu, scope; /* scope (size_t)-1: none; then sym keys it */
	uint64_t sym;
	int line;
	int is_stmt;
} hit;

static int cmp_hit(const void *a, const void *b)
{
	const hit *x = a, *y = b;
	if (x->cu != y->cu)
		return x->cu < y->cu ? -1 : 1;
	if (x->scope != y->scope)
		return x->scope < y->scope ? -1 : 1;
	if (x->sym != y->sym)
		return x->sym < y->sym ? -1 : 1;
	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return 0;
}

static int same_group(const hit *a, const hit *b)
{
	return a->cu == b->cu && a->scope == b->scope && a->sym == b->sym;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

typedef struct hits {
	hit *v;
	size_t n, cap;
} hits;

static int collect(gdw_file *f, const gdw_srcfile *src, const char *path,
		   hits *h, gd_err *err)
{
	for (size_t c = 0; c < src->ncus; c++) {
		gdw_cu *cu = &f->cus[src->cus[c]];
		if (gdw__cu_lines(f, cu, err) < 0)
			return -1;
		/* best effort: without scopes, inlined instances are not
		 * told apart; the lines are still found. */
		int have_scopes = gdw__cu_scopes(f, cu, NULL) == 0;
		const char *last = NULL;
		int last_match = 0;
		for (size_t i = 0; i < cu->nrows; i++) {
			const gdw_lrow *r = &cu->rows[i];
			if (r->end_seq)
				continue;
			if (r->file != last) {
				last = r->file;
				last_match = strcmp(r->file, path) == 0;
			}
			if (!last_match)
				continue;
			if (gd_grow(&h->v, &h->cap, h->n, sizeof(*h->v), 256) < 0)
				return gd_err_set(err, "out of memory");
			hit *x = &h->v[h->n++];
			*x = (hit){.addr = r->addr, .cu = src->cus[c],
				   .scope = have_scopes ? gdw__scope_at(cu, r->addr)
							: (size_t)-1,
				   .line = r->line, .is_stmt = r->is_stmt};
			if (x->scope == (size_t)-1) {
				uint64_t start = 0;
				if (!gdw_sym_func_at(f, r->addr, &start, NULL))
					start = r->addr; /* each row on its own */
				x->sym = start;
			}
		}
	}
	return 0;
}

/* Source-line extent of the group [b, e) in the requested file. */
static void extent(gdw_file *f, const hit *b, const hit *e, const char *path,
		   int *lo, int *hi)
{
	*lo = b->line;
	*hi = b->line;
	for (const hit *x = b; x < e; x++) {
		if (x->line < *lo)
			*lo = x->line;
		if (x->line > *hi)
			*hi = x->line;
	}
	if (b->scope == (size_t)-1)
		return;
	/* The function's own line opens it.  Go gives abstract (inlined)
	 * functions no DW_AT_decl_file: their rows here are their own code,
	 * so this file is theirs. */
	gdw_scope *s = &f->cus[b->cu].scopes[b->scope];
	const char *df = gdw__scope_decl_file(f, s);
	if (s->decl_line > 0 && s->decl_line < *lo &&
	    (df ? strcmp(df, path) == 0 : s->is_inline))
		*lo = s->decl_line;
}

/* Lowest is_stmt address of `line` in the group [b, e) (sorted by
 * address), moved to the body of the function if it is the entry. */
static int group_addr(gdw_file *f, const hit *b, const hit *e, int line,
		      uint64_t *addr)
{
	for (const hit *x = b; x < e; x++) {
		if (!x->is_stmt || x->line != line)
			continue;
		*addr = x->addr;
		if (x->scope != (size_t)-1 && !f->cus[x->cu].scopes[x->scope].is_inline) {
			gdw_func fn;
			if (gdw_func_at(f, x->addr, &fn) == 0 && fn.lowpc == x->addr)
				*addr = fn.body_pc;
		}
		return 0;
	}
	return -1;
}

static int resolve(gdw_file *f, hit *v, size_t n, const char *path, int line,
		   gdw_line_addrs *out, gd_err *err)
{
	int target = -1;
	for (size_t i = 0; i < n && target < 0; i++)
		if (v[i].is_stmt && v[i].line == line)
			target = line;
	if (target < 0) {
		/* The innermost function around the line bounds the search. */
		int best_lo = 0, best_hi = -1, found = 0;
		for (size_t i = 0, j; i < n; i = j) {
			for (j = i + 1; j < n && same_group(&v[i], &v[j]); j++)
				;
			int lo, hi;
			extent(f, &v[i], &v[j], path, &lo, &hi);
			if (lo <= line && line <= hi &&
			    (!found || hi - lo < best_hi - best_lo)) {
				best_lo = lo;
				best_hi = hi;
				found = 1;
			}
		}
		for (size_t i = 0; found && i < n; i++)
			if (v[i].is_stmt && v[i].line > line && v[i].line <= best_hi &&
			    (target < 0 || v[i].line < target))
				target = v[i].line;
		if (target < 0)
			return gd_err_set(err, "no code at or after line %d", line);
	}
	out->addrs = malloc(n * sizeof(*out->addrs));
	if (!out->addrs)
		return gd_err_set(err, "out of memory");
	for (size_t i = 0, j; i < n; i = j) {
		for (j = i + 1; j < n && same_group(&v[i], &v[j]); j++)
			;
		uint64_t a;
		if (group_addr(f, &v[i], &v[j], target, &a) == 0)
			out->addrs[out->n++] = a;
	}
	if (out->n)
		qsort(out->addrs, out->n, sizeof(*out->addrs), cmp_u64);
	size_t k = 0;
	for (size_t i = 0; i < out->n; i++)
		if (k == 0 || out->addrs[k - 1] != out->addrs[i])
			out->addrs[k++] = out->addrs[i];
	out->n = k;
	out->line = target;
	return 0;
}

int gdw_line_addrs_for(gdw_file *f, const char *path, int line,
		       gdw_line_addrs *out, gd_err *err)
{
	memset(out, 0, sizeof(*out));
	size_t fi;
	if (gdw__files_load(f, err) < 0)
		return -1;
	if (gdw__map_get(&f->file_names, path, &fi) < 0)
		return gd_err_set(err, "%s: file not found in the program's debug "
				  "info", path);
	hits h = {0};
	if (collect(f, &f->files[fi], path, &h, err) < 0) {
		free(h.v);
		return -1;
	}
	int rc;
	if (!h.n) {
		rc = gd_err_set(err, "no code at or after line %d", line);
	} else {
		qsort(h.v, h.n, sizeof(*h.v), cmp_hit);
		rc = resolve(f, h.v, h.n, path, line, out, err);
	}
	free(h.v);
	if (rc < 0) {
		free(out->addrs);
		memset(out, 0, sizeof(*out));
	}
	return rc;
}
