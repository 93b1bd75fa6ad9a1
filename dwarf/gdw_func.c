/* Subprograms: per-CU lists of concrete DW_TAG_subprogram DIEs (top level
 * of the CU, as Go emits them), pc -> function and the name index. */
#include "gdw_internal.h"
#include "../common/gd_array.h"

#include <dwarf.h>
#include <stdlib.h>
#include <string.h>

static int cmp_func(const void *a, const void *b)
{
	const gdw_cfunc *x = a, *y = b;
	if (x->lowpc != y->lowpc)
		return x->lowpc < y->lowpc ? -1 : 1;
	return x->highpc < y->highpc ? -1 : x->highpc > y->highpc;
}

static int load_funcs(gdw_file *f, gdw_cu *cu, gd_err *err)
{
	Dwarf_Die die, child;
	if (gdw__cu_die(f, cu, &die, err) < 0)
		return -1;
	size_t cap = 0, acap = 0;
	int r = dwarf_child(&die, &child);
	if (r < 0)
		return gd_err_set(err, "%s: bad DIE: %s", f->path, dwarf_errmsg(-1));
	for (; r == 0; r = dwarf_siblingof(&child, &child)) {
		if (dwarf_tag(&child) != DW_TAG_subprogram)
			continue;
		Dwarf_Addr lo, hi;
		if (dwarf_hasattr(&child, DW_AT_inline)) {
			if (gd_grow(&cu->abstracts, &acap, cu->nabstracts,
				    sizeof(*cu->abstracts), 16) < 0)
				return gd_err_set(err, "out of memory");
			const char *an = dwarf_diename(&child);
			cu->abstracts[cu->nabstracts++] = (gdw_abstract){
				.name = an ? an : "?", .off = dwarf_dieoffset(&child)};
			continue;
		}
		if (dwarf_lowpc(&child, &lo) != 0 || dwarf_highpc(&child, &hi) != 0 ||
		    hi <= lo)
			continue; /* declaration */
		if (gd_grow(&cu->funcs, &cap, cu->nfuncs, sizeof(*cu->funcs), 64) < 0)
			return gd_err_set(err, "out of memory");
		int decl_line = 0;
		if (dwarf_decl_line(&child, &decl_line) != 0)
			decl_line = 0;
		const char *name = dwarf_diename(&child);
		cu->funcs[cu->nfuncs++] = (gdw_cfunc){
			.name = name ? name : "?", .lowpc = lo, .highpc = hi,
			.off = dwarf_dieoffset(&child), .decl_line = decl_line};
	}
	if (r < 0)
		return gd_err_set(err, "%s: bad DIE: %s", f->path, dwarf_errmsg(-1));
	if (cu->nfuncs)
		qsort(cu->funcs, cu->nfuncs, sizeof(*cu->funcs), cmp_func);
	return 0;
}

int gdw__cu_funcs(gdw_file *f, gdw_cu *cu, gd_err *err)
{
	if (cu->funcs_state > 0)
		return 0;
	if (cu->funcs_state < 0)
		return gd_err_set(err, "%s: unreadable subprograms", f->path);
	if (load_funcs(f, cu, err) < 0) {
		free(cu->funcs);
		cu->funcs = NULL;
		cu->nfuncs = 0;
		free(cu->abstracts);
		cu->abstracts = NULL;
		cu->nabstracts = 0;
		cu->funcs_state = -1;
		return -1;
	}
	cu->funcs_state = 1;
	return 0;
}

void gdw__func_finish(gdw_file *f, gdw_cu *cu, gdw_cfunc *fn)
{
	if (fn->body_done)
		return;
	fn->body_pc = fn->lowpc;
	/* best effort: without the line table the body starts at lowpc. */
	if (gdw__cu_lines(f, cu, NULL) == 0) {
		for (size_t i = gdw__rows_lower(cu, fn->lowpc);
		     i < cu->nrows && cu->rows[i].addr < fn->highpc; i++) {
			if (cu->rows[i].prologue_end && !cu->rows[i].end_seq) {
				fn->body_pc = cu->rows[i].addr;
				break;
			}
		}
	}
	Dwarf_Die die;
	if (dwarf_offdie(f->dw, fn->off, &die))
		fn->decl_file = dwarf_decl_file(&die);
	fn->body_done = 1;
}

static void fill(gdw_file *f, gdw_cu *cu, gdw_cfunc *fn, gdw_func *out)
{
	gdw__func_finish(f, cu, fn);
	out->name = fn->name;
	out->lowpc = fn->lowpc;
	out->highpc = fn->highpc;
	out->body_pc = fn->body_pc;
	out->decl_file = fn->decl_file;
	out->decl_line = fn->decl_line;
	out->die_offset = fn->off;
}

/* The subprogram of cu holding pc, or NULL. */
static gdw_cfunc *func_in(gdw_cu *cu, uint64_t pc)
{
	size_t lo = 0, hi = cu->nfuncs;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cu->funcs[mid].lowpc <= pc)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0 || pc >= cu->funcs[lo - 1].highpc)
		return NULL;
	return &cu->funcs[lo - 1];
}

/* The subprogram holding pc and its CU: 0, GD_ENOTFOUND, or -1 when the
 * CU list or the CU's functions cannot be read. */
static int cfunc_at(gdw_file *f, uint64_t pc, gdw_cu **cu_out,
		    gdw_cfunc **fn_out)
{
	/* ignored: no gd_err here (a hot lookup); -1 says "unreadable". */
	if (gdw__cus_load(f, NULL) < 0)
		return -1;
	gdw_cu *cu = gdw__cu_for_pc(f, pc);
	if (!cu)
		return GD_ENOTFOUND; /* no compile unit covers pc */
	/* ignored: as above. */
	if (gdw__cu_funcs(f, cu, NULL) < 0)
		return -1;
	gdw_cfunc *fn = func_in(cu, pc);
	if (!fn)
		return GD_ENOTFOUND;
	*cu_out = cu;
	*fn_out = fn;
	return 0;
}

int gdw_func_at(gdw_file *f, uint64_t pc, gdw_func *out)
{
	gdw_cu *cu;
	gdw_cfunc *fn;
	int rc = cfunc_at(f, pc, &cu, &fn);
	if (rc < 0)
		return rc;
	fill(f, cu, fn, out);
	return 0;
}

int gdw_func_name_at(gdw_file *f, uint64_t pc, const char **name)
{
	gdw_cu *cu;
	gdw_cfunc *fn;
	int rc = cfunc_at(f, pc, &cu, &fn);
	if (rc < 0)
		return rc;
	*name = fn->name;
	return 0;
}

static int build_names(gdw_file *f)
{
	/* ignored: gdw_func_by_name has no gd_err; -1 says "unreadable". */
	if (gdw__cus_load(f, NULL) < 0)
		return -1;
	for (size_t c = 0; c < f->ncus; c++) {
		gdw_cu *cu = &f->cus[c];
		/* best effort: skip an unreadable CU, keep the rest. */
		if (gdw__cu_funcs(f, cu, NULL) < 0)
			continue;
		for (size_t i = 0; i < cu->nfuncs; i++)
			if (gdw__map_put(&f->func_names, cu->funcs[i].name,
					 (size_t)c << 32 | i, 0) < 0)
				return -1;
	}
	return 0;
}

int gdw_func_by_name(gdw_file *f, const char *name, gdw_func *out)
{
	if (f->fnames_state == 0) {
		if (build_names(f) < 0) {
			gdw__map_free(&f->func_names);
			f->fnames_state = -1;
		} else {
			f->fnames_state = 1;
		}
	}
	size_t v;
	if (f->fnames_state < 0)
		return -1;
	if (gdw__map_get(&f->func_names, name, &v) < 0)
		return GD_ENOTFOUND;
	gdw_cu *cu = &f->cus[v >> 32];
	fill(f, cu, &cu->funcs[v & 0xffffffffu], out);
	return 0;
}

void gdw__funcs_free(gdw_file *f)
{
	gdw__map_free(&f->func_names);
}

int gdw_func_each(gdw_file *f, int (*cb)(const gdw_func *fn, void *ctx),
		  void *ctx, gd_err *err)
{
	if (gdw__cus_load(f, err) < 0)
		return -1;
	for (size_t c = 0; c < f->ncus; c++) {
		gdw_cu *cu = &f->cus[c];
		/* best effort: an unreadable CU is skipped, the rest given
		 * (a name search over a damaged file still finds what it
		 * can). */
		if (gdw__cu_funcs(f, cu, NULL) < 0)
			continue;
		for (size_t i = 0; i < cu->nfuncs; i++) {
			gdw_func out;
			fill(f, cu, &cu->funcs[i], &out);
			if (cb(&out, ctx))
				return 0;
		}
	}
	return 0;
}

struct each_match {
	gdw_file *f;
	int (*match)(const char *name, void *ctx);
	int (*cb)(const gdw_func *fn, void *ctx);
	void *ctx;
	uint64_t last; /* lowpc of the last function given (aliases) */
	int stop;
	size_t given;
};

/* The symbol table names assembly and cgo wrappers with their ABI
 * (`main._Cfunc_csleep.abi0`); DWARF and the user do not. */
static int sym_name_match(struct each_match *m, const char *name)
{
	static const char *const abis[] = {".abi0", ".abiinternal"};
	size_t n = strlen(name);
	for (size_t i = 0; i < sizeof(abis) / sizeof(abis[0]); i++) {
		size_t k = strlen(abis[i]);
		if (n > k && strcmp(name + n - k, abis[i]) == 0) {
			char *base = strndup(name, n - k);
			int r = base && m->match(base, m->ctx);
			free(base);
			return r;
		}
	}
	return m->match(name, m->ctx);
}

static int sym_match(const char *name, uint64_t addr, void *ctx)
{
	struct each_match *m = ctx;
	gdw_func fn;
	if (!sym_name_match(m, name) || gdw_func_at(m->f, addr, &fn) < 0 ||
	    fn.lowpc != addr || fn.lowpc == m->last)
		return 0;
	m->last = fn.lowpc;
	m->given++;
	m->stop = m->cb(&fn, m->ctx);
	return m->stop;
}

static int all_match(const gdw_func *fn, void *ctx)
{
	struct each_match *m = ctx;
	return m->match(fn->name, m->ctx) ? m->cb(fn, m->ctx) : 0;
}

int gdw_func_each_match(gdw_file *f, int (*match)(const char *name, void *ctx),
			int (*cb)(const gdw_func *fn, void *ctx), void *ctx,
			gd_err *err)
{
	struct each_match m = {f, match, cb, ctx, (uint64_t)-1, 0, 0};
	/* The symbol table finds the few CUs to read; when it names nothing
	 * (no symbols, or a function only DWARF names), every CU is read; a
	 * symbol table that cannot be read also falls back to that (slower,
	 * same answer). */
	if (gdw_sym_funcs_each(f, sym_match, &m) == 0 && m.given)
		return 0;
	return gdw_func_each(f, all_match, &m, err);
}

int gdw_func_is_trampoline(gdw_file *f, const gdw_func *fn)
{
	Dwarf_Die die;
	if (!dwarf_offdie(f->dw, fn->die_offset, &die))
		return 0;
	return dwarf_hasattr(&die, DW_AT_trampoline) != 0;
}

static int off_cmp(const void *a, const void *b)
{
	Dwarf_Off x = *(const Dwarf_Off *)a, y = *(const Dwarf_Off *)b;
	return x < y ? -1 : x > y;
}

int gdw_inlined_each(gdw_file *f, int (*match)(const char *name, void *ctx),
		     int (*cb)(const gdw_func *fn, void *ctx), void *ctx,
		     gd_err *err)
{
	if (gdw__cus_load(f, err) < 0)
		return -1;
	/* The abstract functions asked for; most often none (a -N -l build
	 * inlines nothing), and then no CU's scopes are read. */
	Dwarf_Off *want = NULL;
	size_t nwant = 0, cap = 0;
	for (size_t c = 0; c < f->ncus; c++) {
		gdw_cu *cu = &f->cus[c];
		/* A CU built with -l inlines nothing: Go emits abstract
		 * functions only where their code was inlined.  best effort:
		 * an unreadable CU is skipped, the rest searched. */
		if (gdw__cu_noinline(f, cu) || gdw__cu_funcs(f, cu, NULL) < 0)
			continue;
		for (size_t i = 0; i < cu->nabstracts; i++) {
			if (!match(cu->abstracts[i].name, ctx))
				continue;
			if (gd_grow(&want, &cap, nwant, sizeof(*want), 8) < 0) {
				free(want);
				return gd_err_set(err, "out of memory");
			}
			want[nwant++] = cu->abstracts[i].off;
		}
	}
	if (!nwant)
		return 0;
	qsort(want, nwant, sizeof(*want), off_cmp);
	int stop = 0;
	for (size_t c = 0; c < f->ncus && !stop; c++) {
		gdw_cu *cu = &f->cus[c];
		/* best effort: as above. */
		if (gdw__cu_noinline(f, cu) || gdw__cu_scopes(f, cu, NULL) < 0)
			continue;
		for (size_t i = 0; i < cu->nscopes && !stop; i++) {
			gdw_scope *sc = &cu->scopes[i];
			if (!sc->is_inline || !sc->entry ||
			    !bsearch(&sc->origin, want, nwant, sizeof(*want), off_cmp))
				continue;
			Dwarf_Die d;
			if (!dwarf_offdie(f->dw, sc->origin, &d))
				continue;
			int line = 0;
			if (dwarf_decl_line(&d, &line) != 0)
				line = 0;
			const char *name = dwarf_diename(&d);
			gdw_func out = {
				.name = name ? name : "?", .lowpc = sc->entry,
				.highpc = sc->entry, .body_pc = sc->entry,
				.decl_file = dwarf_decl_file(&d), .decl_line = line,
				.die_offset = sc->origin};
			stop = cb(&out, ctx);
		}
	}
	free(want);
	return 0;
}
