/* Variables (gdw_var.h): a function's parameters and the locals whose
 * lexical block covers a pc, package globals, and location expressions
 * evaluated into pieces (memory, register, constant). */
#include "gdw_vcache.h"
#include "../common/gd_array.h"

#include <dwarf.h>
#include <stdlib.h>
#include <string.h>

typedef struct varlist {
	gdw_var *v;
	size_t n, cap;
} varlist;

static int push_var(varlist *l, const gdw_var *v)
{
	if (gd_grow(&l->v, &l->cap, l->n, sizeof(*l->v), 32) < 0)
		return -1;
	l->v[l->n++] = *v;
	return 0;
}

static int make_var(Dwarf_Die *d, uint64_t func, int depth, gdw_var *out)
{
	Dwarf_Die t;
	const char *name = dwarf_diename(d);
	if (!name || gdw__die_type(d, &t) < 0)
		return -1;
	memset(out, 0, sizeof(*out));
	out->name = name;
	out->type = dwarf_dieoffset(&t);
	out->die = dwarf_dieoffset(d);
	out->func_die = func;
	out->is_param = dwarf_tag(d) == DW_TAG_formal_parameter;
	out->depth = depth;
	Dwarf_Attribute a;
	bool flag = false;
	if (dwarf_attr_integrate(d, DW_AT_variable_parameter, &a) &&
	    dwarf_formflag(&a, &flag) == 0)
		out->is_result = flag;
	if (dwarf_decl_line(d, &out->decl_line) != 0)
		out->decl_line = 0;
	return 0;
}

static int walk(Dwarf_Die *scope, uint64_t func, uint64_t pc, int line,
		int depth, varlist *l)
{
	Dwarf_Die c;
	if (dwarf_child(scope, &c) != 0)
		return 0;
	do {
		int tag = dwarf_tag(&c);
		if (tag == DW_TAG_lexical_block) {
			if (dwarf_haspc(&c, pc) == 1 &&
			    walk(&c, func, pc, line, depth + 1, l) < 0)
				return -1;
			continue;
		}
		if (tag != DW_TAG_formal_parameter && tag != DW_TAG_variable)
			continue;
		gdw_var v;
		if (make_var(&c, func, depth, &v) < 0)
			continue;
		/* Locals come into view at their declaration line. */
		if (!v.is_param && line > 0 && v.decl_line > line)
			continue;
		if (push_var(l, &v) < 0)
			return -1;
	} while (dwarf_siblingof(&c, &c) == 0);
	return 0;
}

/* Delve's order: arguments, then locals; each by depth (outer first) and
 * declaration line. */
static int cmp_order(const void *a, const void *b)
{
	const gdw_var *x = a, *y = b;
	if (x->is_param != y->is_param)
		return y->is_param - x->is_param;
	if (x->depth != y->depth)
		return x->depth - y->depth;
	if (x->decl_line != y->decl_line)
		return x->decl_line - y->decl_line;
	return x->die < y->die ? -1 : x->die > y->die;
}

int gdw_vars_at(gdw_file *f, uint64_t pc, int line, gdw_var **out,
		size_t *n, gd_err *err)
{
	return gdw_vars_in(f, pc, 0, line, out, n, err);
}

int gdw_vars_in(gdw_file *f, uint64_t pc, uint64_t inl_die, int line,
		gdw_var **out, size_t *n, gd_err *err)
{
	*out = NULL;
	*n = 0;
	gdw_func fn;
	if (gdw_func_at(f, pc, &fn) < 0)
		return gd_err_set(err, "no function at %#lx", (unsigned long)pc);
	Dwarf_Die d;
	/* The variables of an inlined call are children of its
	 * DW_TAG_inlined_subroutine; its frame base is still the function's. */
	if (!dwarf_offdie(gdw__dwarf(f), inl_die ? inl_die : fn.die_offset, &d))
		return gd_err_set(err, "%s: bad subprogram DIE", fn.name);
	varlist l = {0};
	if (walk(&d, fn.die_offset, pc, line, 0, &l) < 0) {
		free(l.v);
		return gd_err_set(err, "out of memory");
	}
	if (l.n)
		qsort(l.v, l.n, sizeof(*l.v), cmp_order);
	for (size_t i = 0; i < l.n; i++)
		for (size_t j = 0; j < l.n; j++)
			if (j != i && l.v[j].depth > l.v[i].depth &&
			    strcmp(l.v[j].name, l.v[i].name) == 0)
				l.v[i].shadowed = 1;
	*out = l.v;
	*n = l.n;
	return 0;
}

/* ---- globals ---- */
static int cmp_glob(const void *a, const void *b)
{
	return strcmp(((const gdw_globent *)a)->name, ((const gdw_globent *)b)->name);
}

struct glob_build {
	struct gdw_vcache *c;
	size_t cap;
};

static int add_global(Dwarf_Die *die, void *ctx)
{
	struct glob_build *b = ctx;
	struct gdw_vcache *c = b->c;
	if (dwarf_tag(die) != DW_TAG_variable)
		return 0;
	const char *name = dwarf_diename(die);
	if (!name)
		return 0;
	if (gd_grow(&c->globs, &b->cap, c->nglobs, sizeof(*c->globs), 1024) < 0)
		return -1;
	c->globs[c->nglobs++] = (gdw_globent){name, dwarf_dieoffset(die)};
	return 0;
}

static int load_globals(gdw_file *f, struct gdw_vcache *c)
{
	struct glob_build b = {c, 0};
	if (gdw__each_top_die(f, add_global, &b) < 0)
		return -1;
	if (c->nglobs)
		qsort(c->globs, c->nglobs, sizeof(*c->globs), cmp_glob);
	return 0;
}

static struct gdw_vcache *globals_index(gdw_file *f, gd_err *err)
{
	struct gdw_vcache *c = gdw__vcache(f, err);
	if (!c)
		return NULL;
	if (!c->glob_state)
		c->glob_state = load_globals(f, c) < 0 ? -1 : 1;
	if (c->glob_state < 0) {
		gd_err_set(err, "cannot index the package variables");
		return NULL;
	}
	return c;
}

static size_t glob_lower(const struct gdw_vcache *c, const char *name)
{
	size_t lo = 0, hi = c->nglobs;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (strcmp(c->globs[mid].name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int glob_var(gdw_file *f, const gdw_globent *g, gdw_var *out)
{
	Dwarf_Die d;
	if (!dwarf_offdie(gdw__dwarf(f), g->off, &d) || make_var(&d, 0, 0, out) < 0)
		return -1;
	return 0;
}

int gdw_globals(gdw_file *f, const char *prefix, gdw_var **out, size_t *n,
		gd_err *err)
{
	*out = NULL;
	*n = 0;
	struct gdw_vcache *c = globals_index(f, err);
	if (!c)
		return -1;
	size_t plen = strlen(prefix);
	varlist l = {0};
	for (size_t i = glob_lower(c, prefix);
	     i < c->nglobs && strncmp(c->globs[i].name, prefix, plen) == 0; i++) {
		/* "main." must not match "main.T.x"-style compiler temps with
		 * a second dot... but package paths have dots too: keep only
		 * names without a further '.' after the prefix. */
		if (strchr(c->globs[i].name + plen, '.'))
			continue;
		gdw_var v;
		if (glob_var(f, &c->globs[i], &v) < 0)
			continue;
		if (push_var(&l, &v) < 0) {
			free(l.v);
			return gd_err_set(err, "out of memory");
		}
	}
	*out = l.v;
	*n = l.n;
	return 0;
}

int gdw_global(gdw_file *f, const char *name, gdw_var *out, gd_err *err)
{
	struct gdw_vcache *c = globals_index(f, err);
	if (!c)
		return -1;
	size_t i = glob_lower(c, name);
	if (i >= c->nglobs || strcmp(c->globs[i].name, name) != 0)
		return GD_ENOTFOUND;
	if (glob_var(f, &c->globs[i], out) < 0)
		return gd_err_set(err, "%s: cannot read its debug info", name);
	return 0;
}

/* ---- location expressions ---- */
typedef struct pieces {
	gdw_piece *p;
	size_t n, cap;
} pieces;

static int add_piece(pieces *ps, const gdw_piece *p)
{
	if (gd_grow(&ps->p, &ps->cap, ps->n, sizeof(*ps->p), 4) < 0)
		return -1;
	ps->p[ps->n++] = *p;
	return 0;
}

static uint64_t uleb(const uint8_t **p, const uint8_t *end)
{
	uint64_t v = 0;
	for (int sh = 0; *p < end && sh < 64; sh += 7) {
		uint8_t b = *(*p)++;
		v |= (uint64_t)(b & 0x7f) << sh;
		if (!(b & 0x80))
			break;
	}
	return v;
}

static int64_t sleb(const uint8_t **p, const uint8_t *end)
{
	int64_t v = 0;
	int sh = 0;
	uint8_t b = 0;
	while (*p < end && sh < 64) {
		b = *(*p)++;
		v |= (int64_t)(b & 0x7f) << sh;
		sh += 7;
		if (!(b & 0x80))
			break;
	}
	if (sh < 64 && (b & 0x40))
		v |= -((int64_t)1 << sh);
	return v;
}

/* Go 1.25+ writes single expressions as DW_FORM_block1 in DWARF 5 units,
 * which libdw refuses ("not a location list value"): decode the few
 * operations Go emits ourselves. */
static int decode_block(Dwarf_Attribute *a, Dwarf_Op *ops, size_t cap,
			size_t *n)
{
	Dwarf_Block blk;
	if (dwarf_formblock(a, &blk) != 0)
		return -1;
	const uint8_t *p = blk.data, *end = blk.data + blk.length;
	size_t k = 0;
	while (p < end && k < cap) {
		Dwarf_Op *o = &ops[k++];
		memset(o, 0, sizeof(*o));
		o->atom = *p++;
		switch (o->atom) {
		case DW_OP_addr:
			if (end - p < 8)
				return -1;
			memcpy(&o->number, p, 8);
			p += 8;
			break;
		case DW_OP_fbreg: case DW_OP_consts:
		case DW_OP_breg0 ... DW_OP_breg31:
			o->number = (Dwarf_Word)sleb(&p, end);
			break;
		case DW_OP_piece: case DW_OP_plus_uconst: case DW_OP_constu:
		case DW_OP_regx:
			o->number = uleb(&p, end);
			break;
		case DW_OP_bregx:
			o->number = uleb(&p, end);
			o->number2 = (Dwarf_Word)sleb(&p, end);
			break;
		case DW_OP_const1u: o->number = *p++; break;
		case DW_OP_const1s: o->number = (Dwarf_Word)(int8_t)*p++; break;
		case DW_OP_call_frame_cfa: case DW_OP_stack_value:
		case DW_OP_plus: case DW_OP_minus:
		case DW_OP_lit0 ... DW_OP_lit31:
		case DW_OP_reg0 ... DW_OP_reg31:
			break;
		default:
			return -1;
		}
		if (p > end)
			return -1;
	}
	*n = k;
	return 0;
}

/* A single expression (exprloc/block) or the location-list entry that
 * covers pc: 1 found, 0 none, -1 error.  ops points into buf or libdw. */
static int loc_at(gdw_file *f, Dwarf_Attribute *a, uint64_t pc,
		  Dwarf_Op **ops, size_t *n,
		  Dwarf_Op *buf, size_t cap)
{
	switch (dwarf_whatform(a)) {
	case DW_FORM_exprloc: case DW_FORM_block: case DW_FORM_block1:
	case DW_FORM_block2: case DW_FORM_block4:
		if (dwarf_getlocation(a, ops, n) == 0)
			return 1;
		if (decode_block(a, buf, cap, n) < 0)
			return -1;
		*ops = buf;
		return 1;
	}
	/* A location list: its section is read on first use. */
	if (gdw__image_need(f, ".debug_loclists") < 0 ||
	    gdw__image_need(f, ".debug_loc") < 0)
		return -1;
	return dwarf_getlocation_addr(a, pc, ops, n, 1);
}

static int reg_val(const gdw_regs *r, unsigned reg, uint64_t *v, gd_err *err)
{
	if (reg >= GDW_NREGS || !(r->valid & (1ull << reg)))
		return gd_err_set(err, "register %u is not known in this frame",
				  reg);
	*v = r->r[reg];
	return 0;
}

static int frame_base(gdw_file *f, const gdw_var *v, uint64_t pc,
		      const gdw_regs *regs, uint64_t *fb, gd_err *err)
{
	Dwarf_Die d;
	Dwarf_Attribute a;
	Dwarf_Op *ops, buf[8];
	size_t nops;
	if (!v->func_die || !dwarf_offdie(gdw__dwarf(f), v->func_die, &d) ||
	    !dwarf_attr(&d, DW_AT_frame_base, &a) ||
	    loc_at(f, &a, pc, &ops, &nops, buf, 8) < 1 || nops < 1)
		return gd_err_set(err, "%s: no frame base", v->name);
	switch (ops[0].atom) {
	case DW_OP_call_frame_cfa:
		if (!regs->have_cfa)
			return gd_err_set(err, "frame address unknown");
		*fb = regs->cfa;
		return 0;
	case DW_OP_breg0 ... DW_OP_breg31: {
		uint64_t r = 0;
		if (reg_val(regs, ops[0].atom - DW_OP_breg0, &r, err) < 0)
			return -1;
		*fb = r + (int64_t)ops[0].number;
		return 0;
	}
	}
	return gd_err_set(err, "%s: unsupported frame base", v->name);
}

static int eval_ops(gdw_file *f, const gdw_var *v, uint64_t pc,
		    const gdw_regs *regs, const Dwarf_Op *ops, size_t nops,
		    pieces *ps, gd_err *err)
{
	uint64_t st[64];
	size_t sp = 0;
	int reg = -1, stack_value = 0;
#define PUSH(x) do { if (sp == 64) return gd_err_set(err, "location too deep"); \
		     st[sp++] = (x); } while (0)
#define NEED(k) do { if (sp < (k)) return gd_err_set(err, "bad location"); } while (0)
	for (size_t i = 0; i < nops; i++) {
		const Dwarf_Op *o = &ops[i];
		uint64_t x = 0;
		switch (o->atom) {
		case DW_OP_addr: PUSH(o->number); break;
		case DW_OP_fbreg:
			if (frame_base(f, v, pc, regs, &x, err) < 0)
				return -1;
			PUSH(x + (int64_t)o->number);
			break;
		case DW_OP_call_frame_cfa:
			if (!regs->have_cfa)
				return gd_err_set(err, "frame address unknown");
			PUSH(regs->cfa);
			break;
		case DW_OP_breg0 ... DW_OP_breg31:
			if (reg_val(regs, o->atom - DW_OP_breg0, &x, err) < 0)
				return -1;
			PUSH(x + (int64_t)o->number);
			break;
		case DW_OP_bregx:
			if (reg_val(regs, (unsigned)o->number, &x, err) < 0)
				return -1;
			PUSH(x + (int64_t)o->number2);
			break;
		case DW_OP_reg0 ... DW_OP_reg31: reg = o->atom - DW_OP_reg0; break;
		case DW_OP_regx: reg = (int)o->number; break;
		case DW_OP_lit0 ... DW_OP_lit31: PUSH(o->atom - DW_OP_lit0); break;
		case DW_OP_const1u: case DW_OP_const2u: case DW_OP_const4u:
		case DW_OP_const8u: case DW_OP_constu:
		case DW_OP_const1s: case DW_OP_const2s: case DW_OP_const4s:
		case DW_OP_const8s: case DW_OP_consts:
			PUSH(o->number);
			break;
		case DW_OP_plus_uconst: NEED(1); st[sp - 1] += o->number; break;
		case DW_OP_plus: NEED(2); st[sp - 2] += st[sp - 1]; sp--; break;
		case DW_OP_minus: NEED(2); st[sp - 2] -= st[sp - 1]; sp--; break;
		case DW_OP_stack_value: stack_value = 1; break;
		case DW_OP_piece: {
			gdw_piece p = {.size = o->number};
			if (reg >= 0) {
				p.kind = GDW_P_REG;
				p.reg = reg;
			} else if (sp) {
				p.kind = stack_value ? GDW_P_VALUE : GDW_P_MEM;
				p.addr = p.value = st[--sp];
			} else {
				p.kind = GDW_P_GONE;
			}
			if (add_piece(ps, &p) < 0)
				return gd_err_set(err, "out of memory");
			reg = -1;
			stack_value = 0;
			sp = 0;
			break;
		}
		default:
			return gd_err_set(err, "%s: unsupported DWARF location "
					  "operation %#x", v->name, o->atom);
		}
	}
	if (reg >= 0 || sp) {
		gdw_piece p = {0};
		if (reg >= 0) {
			p.kind = GDW_P_REG;
			p.reg = reg;
		} else {
			p.kind = stack_value ? GDW_P_VALUE : GDW_P_MEM;
			p.addr = p.value = st[sp - 1];
		}
		if (add_piece(ps, &p) < 0)
			return gd_err_set(err, "out of memory");
	}
#undef PUSH
#undef NEED
	return 0;
}

int gdw_var_location(gdw_file *f, const gdw_var *v, uint64_t pc,
		     const gdw_regs *regs, gdw_piece **out, size_t *n,
		     gd_err *err)
{
	*out = NULL;
	*n = 0;
	Dwarf_Die d;
	Dwarf_Attribute a;
	if (!dwarf_offdie(gdw__dwarf(f), v->die, &d))
		return gd_err_set(err, "%s: bad DIE", v->name);
	if (!dwarf_attr(&d, DW_AT_location, &a))
		return 0;
	Dwarf_Op *ops, buf[64];
	size_t nops;
	int r = loc_at(f, &a, pc, &ops, &nops, buf, 64);
	if (r < 0)
		return gd_err_set(err, "%s: unreadable location: %s", v->name,
				  dwarf_errmsg(-1));
	if (r == 0 || nops == 0)
		return 0;
	pieces ps = {0};
	if (eval_ops(f, v, pc, regs, ops, nops, &ps, err) < 0) {
		free(ps.p);
		return -1;
	}
	*out = ps.p;
	*n = ps.n;
	return 0;
}
