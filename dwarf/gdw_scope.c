/* Code scopes of a CU -- each concrete subprogram and each inlined
 * instance -- flattened into a sorted, non-overlapping address map that
 * gives the innermost scope of a pc.  Used to pick one breakpoint address
 * per function or inlined instance. */
#include "gdw_internal.h"
#include "../common/gd_array.h"

#include <dwarf.h>
#include <stdlib.h>

typedef struct interval {
	uint64_t lo, hi;
	size_t scope;
	int depth;
} interval;

typedef struct builder {
	gdw_file *f;
	gdw_cu *cu;
	size_t parent; /* scope the walk is inside */
	interval *iv;
	size_t niv, ivcap, scap;
} builder;

#define MAX_DEPTH 512

static int push_scope(builder *b, Dwarf_Die *die, int is_inline)
{
	gdw_cu *cu = b->cu;
	if (gd_grow(&cu->scopes, &b->scap, cu->nscopes, sizeof(*cu->scopes), 64) < 0)
		return -1;
	int dl = 0;
	if (dwarf_decl_line(die, &dl) != 0)
		dl = 0;
	cu->scopes[cu->nscopes++] = (gdw_scope){
		.off = dwarf_dieoffset(die), .decl_line = dl, .is_inline = is_inline,
		.parent = is_inline ? b->parent : (size_t)-1};
	return 0;
}

static int push_iv(builder *b, uint64_t lo, uint64_t hi, int depth)
{
	if (hi <= lo)
		return 0;
	if (gd_grow(&b->iv, &b->ivcap, b->niv, sizeof(*b->iv), 256) < 0)
		return -1;
	b->iv[b->niv++] = (interval){lo, hi, b->cu->nscopes - 1, depth};
	return 0;
}

/* Collects the inlined instances below die (through lexical blocks). */
static int walk(builder *b, Dwarf_Die *die, int depth)
{
	if (depth > MAX_DEPTH)
		return 0;
	Dwarf_Die c;
	int r = dwarf_child(die, &c);
	for (; r == 0; r = dwarf_siblingof(&c, &c)) {
		int tag = dwarf_tag(&c);
		if (tag == DW_TAG_inlined_subroutine) {
			if (push_scope(b, &c, 1) < 0)
				return -1;
			gdw_scope *sc = &b->cu->scopes[b->cu->nscopes - 1];
			Dwarf_Attribute a;
			Dwarf_Die origin;
			if (dwarf_attr(&c, DW_AT_abstract_origin, &a) &&
			    dwarf_formref_die(&a, &origin))
				sc->origin = dwarf_dieoffset(&origin);
			Dwarf_Addr entry;
			if (dwarf_entrypc(&c, &entry) == 0)
				sc->entry = entry;
			ptrdiff_t o = 0;
			Dwarf_Addr base, lo, hi;
			while ((o = dwarf_ranges(&c, o, &base, &lo, &hi)) > 0) {
				if (!sc->entry)
					sc->entry = lo;
				if (push_iv(b, lo, hi, depth) < 0)
					return -1;
			}
			size_t outer = b->parent;
			b->parent = b->cu->nscopes - 1;
			int rc = walk(b, &c, depth + 1);
			b->parent = outer;
			if (rc < 0)
				return -1;
		} else if (tag == DW_TAG_lexical_block) {
			if (walk(b, &c, depth) < 0)
				return -1;
		}
	}
	return 0;
}

static int cmp_iv(const void *a, const void *b)
{
	const interval *x = a, *y = b;
	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	if (x->depth != y->depth)
		return x->depth < y->depth ? -1 : 1;
	return x->hi > y->hi ? -1 : x->hi < y->hi;
}

static int emit(gdw_cu *cu, size_t *cap, uint64_t lo, uint64_t hi, size_t s)
{
	if (hi <= lo)
		return 0;
	if (gd_grow(&cu->segs, &*cap, cu->nsegs, sizeof(*cu->segs), 64) < 0)
		return -1;
	cu->segs[cu->nsegs++] = (gdw_seg){lo, hi, s};
	return 0;
}

/* Sweep over properly nested intervals, innermost wins. */
static int flatten(builder *b)
{
	gdw_cu *cu = b->cu;
	if (b->niv)
		qsort(b->iv, b->niv, sizeof(*b->iv), cmp_iv);
	interval *st = malloc((b->niv ? b->niv : 1) * sizeof(*st));
	if (!st)
		return -1;
	size_t n = 0, cap = 0;
	uint64_t cur = 0;
	int rc = -1;
	for (size_t i = 0; i < b->niv; i++) {
		interval iv = b->iv[i];
		while (n && st[n - 1].hi <= iv.lo) {
			if (cur < st[n - 1].hi &&
			    emit(cu, &cap, cur, st[n - 1].hi, st[n - 1].scope) < 0)
				goto out;
			if (cur < st[n - 1].hi)
				cur = st[n - 1].hi;
			n--;
		}
		if (n) {
			if (emit(cu, &cap, cur, iv.lo, st[n - 1].scope) < 0)
				goto out;
			if (iv.hi > st[n - 1].hi)
				iv.hi = st[n - 1].hi; /* clamp to the parent */
		}
		cur = iv.lo;
		if (iv.hi > iv.lo)
			st[n++] = iv;
	}
	while (n) {
		if (cur < st[n - 1].hi) {
			if (emit(cu, &cap, cur, st[n - 1].hi, st[n - 1].scope) < 0)
				goto out;
			cur = st[n - 1].hi;
		}
		n--;
	}
	rc = 0;
out:
	free(st);
	return rc;
}

static int build(gdw_file *f, gdw_cu *cu, gd_err *err)
{
	if (gdw__cu_funcs(f, cu, err) < 0)
		return -1;
	builder b = {.f = f, .cu = cu};
	int rc = -1;
	for (size_t i = 0; i < cu->nfuncs; i++) {
		Dwarf_Die die;
		if (!dwarf_offdie(f->dw, cu->funcs[i].off, &die)) {
			gd_err_set(err, "%s: bad DIE: %s", f->path, dwarf_errmsg(-1));
			goto out;
		}
		b.parent = cu->nscopes; /* the function pushed next */
		if (push_scope(&b, &die, 0) < 0 ||
		    push_iv(&b, cu->funcs[i].lowpc, cu->funcs[i].highpc, 0) < 0 ||
		    walk(&b, &die, 1) < 0) {
			gd_err_set(err, "out of memory");
			goto out;
		}
	}
	if (flatten(&b) < 0) {
		gd_err_set(err, "out of memory");
		goto out;
	}
	rc = 0;
out:
	free(b.iv);
	return rc;
}

int gdw__cu_scopes(gdw_file *f, gdw_cu *cu, gd_err *err)
{
	if (cu->scopes_state > 0)
		return 0;
	if (cu->scopes_state < 0)
		return gd_err_set(err, "%s: unreadable function scopes", f->path);
	if (build(f, cu, err) < 0) {
		free(cu->scopes);
		free(cu->segs);
		cu->scopes = NULL;
		cu->segs = NULL;
		cu->nscopes = cu->nsegs = 0;
		cu->scopes_state = -1;
		return -1;
	}
	cu->scopes_state = 1;
	return 0;
}

size_t gdw__scope_at(const gdw_cu *cu, uint64_t pc)
{
	size_t lo = 0, hi = cu->nsegs;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cu->segs[mid].lo <= pc)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0 || pc >= cu->segs[lo - 1].hi)
		return (size_t)-1;
	return cu->segs[lo - 1].scope;
}

const char *gdw__scope_decl_file(gdw_file *f, gdw_scope *s)
{
	if (!s->decl_done) {
		Dwarf_Die die;
		s->decl_file = dwarf_offdie(f->dw, s->off, &die)
				       ? dwarf_decl_file(&die) : NULL;
		s->decl_done = 1;
	}
	return s->decl_file;
}

/* The name of the file a DW_AT_call_file index names in the CU's table. */
static const char *call_file(Dwarf_Die *die, Dwarf_Word idx)
{
	Dwarf_Die cu;
	Dwarf_Files *files;
	size_t n;
	if (!dwarf_diecu(die, &cu, NULL, NULL) ||
	    dwarf_getsrcfiles(&cu, &files, &n) != 0 || idx >= n)
		return NULL;
	return dwarf_filesrc(files, idx, NULL, NULL);
}

int gdw_inline_chain(gdw_file *f, uint64_t pc, gdw_inl **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	gdw_cu *cu = gdw__cu_for_pc(f, pc);
	/* best effort: no readable scopes, no inlined calls to show; the
	 * frame itself still is. */
	if (!cu || gdw__cu_scopes(f, cu, NULL) < 0)
		return 0;
	size_t inner = gdw__scope_at(cu, pc);
	size_t depth = 0;
	for (size_t s = inner;
	     s != (size_t)-1 && s < cu->nscopes && cu->scopes[s].is_inline;
	     s = cu->scopes[s].parent)
		depth++;
	if (!depth)
		return 0;
	gdw_inl *v = calloc(depth, sizeof(*v));
	if (!v)
		return -1;
	size_t k = 0;
	for (size_t s = inner; k < depth; s = cu->scopes[s].parent) {
		gdw_scope *sc = &cu->scopes[s];
		Dwarf_Die d, o;
		v[k].die = sc->off;
		v[k].name = "?";
		if (dwarf_offdie(f->dw, sc->off, &d)) {
			Dwarf_Attribute a;
			Dwarf_Word w;
			if (dwarf_attr(&d, DW_AT_call_line, &a) &&
			    dwarf_formudata(&a, &w) == 0)
				v[k].call_line = (int)w;
			if (dwarf_attr(&d, DW_AT_call_file, &a) &&
			    dwarf_formudata(&a, &w) == 0)
				v[k].call_file = call_file(&d, w);
		}
		if (sc->origin && dwarf_offdie(f->dw, sc->origin, &o)) {
			const char *name = dwarf_diename(&o);
			if (name)
				v[k].name = name;
		}
		k++;
	}
	*out = v;
	*n = depth;
	return 0;
}
