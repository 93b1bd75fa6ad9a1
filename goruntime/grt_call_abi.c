/* The register ABI of a call (Go's internal ABI on amd64,
 * cmd/compile/abi-internal.md): which argument and result goes in which
 * register or at which offset of the stack frame, from the callee's DWARF
 * parameter types. */
#include "grt_call_internal.h"
#include "grt_internal.h"

#include "../common/gd_array.h"

#include <stdlib.h>
#include <string.h>


void grt__layout_free(grt_layout_abi *l)
{
	for (size_t i = 0; i < l->nargs; i++)
		free(l->args[i].p);
	for (size_t i = 0; i < l->nres; i++)
		free(l->res[i].p);
	free(l->args);
	free(l->res);
	memset(l, 0, sizeof(*l));
}

static int align_of(grt_target *t, gdw_tref ty, uint64_t *out, int depth,
		    gd_err *err)
{
	const gdw_tinfo *ti;
	if (depth > 32)
		return gd_err_set(err, "type nested too deeply");
	if (gdw_type_info(t->dw, ty, &ti, err) < 0)
		return -1;
	switch (ti->kind) {
	case GDW_K_BOOL: case GDW_K_INT8: case GDW_K_UINT8:
		*out = 1;
		return 0;
	case GDW_K_INT16: case GDW_K_UINT16:
		*out = 2;
		return 0;
	case GDW_K_INT32: case GDW_K_UINT32: case GDW_K_FLOAT32:
	case GDW_K_COMPLEX64:
		*out = 4;
		return 0;
	case GDW_K_ARRAY:
		return align_of(t, ti->elem, out, depth + 1, err);
	case GDW_K_STRUCT: {
		const gdw_member *ms;
		size_t n;
		if (gdw_type_members(t->dw, ty, &ms, &n, err) < 0)
			return -1;
		uint64_t a = 1;
		for (size_t i = 0; i < n; i++) {
			uint64_t m;
			if (align_of(t, ms[i].type, &m, depth + 1, err) < 0)
				return -1;
			if (m > a)
				a = m;
		}
		*out = a;
		return 0;
	}
	default:
		*out = 8;
		return 0;
	}
}

static int add_piece(slot *s, int flt, int reg, uint64_t off, uint64_t size)
{
	if (gd_grow(&s->p, &s->capp, s->np, sizeof(*s->p), 4) < 0)
		return -1;
	s->p[s->np++] = (piece){flt, reg, (uint32_t)off, (uint32_t)size};
	return 0;
}

/* Register-assigns the value of type ty at offset off: 0 done, 1 it does
 * not fit (the caller stack-assigns the whole value), -1 error. */
static int reg_assign(grt_target *t, gdw_tref ty, uint64_t off, slot *s,
		      int *ni, int *nf, int depth, gd_err *err)
{
	const gdw_tinfo *ti;
	if (depth > 32)
		return gd_err_set(err, "type nested too deeply");
	if (gdw_type_info(t->dw, ty, &ti, err) < 0)
		return -1;
	int words = 0;
	switch (ti->kind) {
	case GDW_K_FLOAT32: case GDW_K_FLOAT64:
		if (*nf >= NFLT)
			return 1;
		if (add_piece(s, 1, (*nf)++, off, ti->size) < 0)
			return gd_err_set(err, "out of memory");
		return 0;
	case GDW_K_COMPLEX64: case GDW_K_COMPLEX128:
		if (*nf + 2 > NFLT)
			return 1;
		if (add_piece(s, 1, (*nf)++, off, ti->size / 2) < 0 ||
		    add_piece(s, 1, (*nf)++, off + ti->size / 2, ti->size / 2) < 0)
			return gd_err_set(err, "out of memory");
		return 0;
	case GDW_K_STRING: case GDW_K_INTERFACE:
		words = 2;
		break;
	case GDW_K_SLICE:
		words = 3;
		break;
	case GDW_K_STRUCT: {
		const gdw_member *ms;
		size_t n;
		if (gdw_type_members(t->dw, ty, &ms, &n, err) < 0)
			return -1;
		for (size_t i = 0; i < n; i++) {
			int r = reg_assign(t, ms[i].type, off + ms[i].off, s, ni, nf,
					   depth + 1, err);
			if (r != 0)
				return r;
		}
		return 0;
	}
	case GDW_K_ARRAY:
		if (ti->count == 0)
			return 0;
		if (ti->count == 1)
			return reg_assign(t, ti->elem, off, s, ni, nf, depth + 1, err);
		return 1;
	default:
		if (ti->size == 0)
			return 0;
		if (*ni >= NINT)
			return 1;
		if (add_piece(s, 0, (*ni)++, off, ti->size > 8 ? 8 : ti->size) < 0)
			return gd_err_set(err, "out of memory");
		return 0;
	}
	if (*ni + words > NINT)
		return 1;
	for (int w = 0; w < words; w++)
		if (add_piece(s, 0, (*ni)++, off + 8 * (uint64_t)w, 8) < 0)
			return gd_err_set(err, "out of memory");
	return 0;
}

static uint64_t round_up(uint64_t x, uint64_t a)
{
	return a ? (x + a - 1) / a * a : x;
}

/* Assigns a list of values (arguments or results) to registers or the
 * stack, continuing at stack offset *off. */
static int assign_list(grt_target *t, const gdw_tref *types, size_t n,
		       slot *out, uint64_t *off, gd_err *err)
{
	int ni = 0, nf = 0;
	for (size_t i = 0; i < n; i++) {
		slot *s = &out[i];
		const gdw_tinfo *ti;
		if (gdw_type_info(t->dw, types[i], &ti, err) < 0 ||
		    align_of(t, types[i], &s->align, 0, err) < 0)
			return -1;
		s->type = types[i];
		s->size = ti->size;
		int si = ni, sf = nf;
		int r = reg_assign(t, types[i], 0, s, &ni, &nf, 0, err);
		if (r < 0)
			return -1;
		if (r == 1) {
			ni = si;
			nf = sf;
			s->np = 0;
			s->on_stack = 1;
			*off = round_up(*off, s->align);
			s->stack_off = *off;
			*off += s->size;
		}
	}
	*off = round_up(*off, 8);
	return 0;
}

int grt__make_layout(grt_target *t, const grt_sig *sig, grt_layout_abi *l,
		       gd_err *err)
{
	memset(l, 0, sizeof(*l));
	l->args = calloc(sig->nparams + 1, sizeof(slot));
	l->res = calloc(sig->nresults + 1, sizeof(slot));
	if (!l->args || !l->res) {
		grt__layout_free(l);
		return gd_err_set(err, "out of memory");
	}
	l->nargs = sig->nparams;
	l->nres = sig->nresults;
	uint64_t off = 0;
	if (assign_list(t, sig->params, sig->nparams, l->args, &off, err) < 0 ||
	    assign_list(t, sig->results, sig->nresults, l->res, &off, err) < 0) {
		grt__layout_free(l);
		return -1;
	}
	/* The spill area the caller reserves for register arguments. */
	for (size_t i = 0; i < l->nargs; i++) {
		if (l->args[i].on_stack || !l->args[i].np)
			continue;
		off = round_up(off, l->args[i].align) + l->args[i].size;
	}
	l->frame = round_up(off, 8);
	return 0;
}
