/* Breakpoint conditions compiled to eBPF, for core_kbp_add: the kernel
 * evaluates them at the breakpoint and only a hit where one holds stops the
 * thread.
 *
 * What compiles: locals, arguments and globals of basic kinds (integers of
 * every width, bools, pointers / maps / channels compared with nil, a
 * string compared with a literal and len of a string), and their fields
 * (x.f of a struct, p.f through a pointer, chains of both), integer
 * constants,
 * == != < <= > >=, + - * & | ^ &^, / and % by a positive constant, unary
 * - ^ !, && || (short-circuit).
 * Locations are resolved here once: a register, the stack (rsp + k: the
 * frame base is the CFA, which at the breakpoint is rsp plus a constant
 * from the CFI) or a static address.  Anything else is refused with the
 * reason, and godap evaluates that condition itself as before.
 *
 * The result errs towards stopping: a read that fails in the kernel makes
 * the condition true, and godap evaluates the condition again at the stop
 * (as for an int3 hit), so a false stop is never shown; a true hit is
 * never skipped as long as the semantics here are Go's, which is why only
 * what is exactly the same is accepted (integer arithmetic wraps at the
 * operand's width, comparisons signed or unsigned by type, constants must
 * fit their operand's type).
 *
 * Logpoints (grt_bpf_log): each {expr} is compiled as above and must be an
 * integer (of a type printed as the plain number) or a bool, or it names a
 * string variable: then its length and its first maxStringLen bytes (the
 * session's, at most CORE_KLOG_MAXSTR) are copied into the record.
 * Anything godap prints otherwise (a pointer is printed with its pointee,
 * floats, structs, named integer types such as time.Duration) is
 * refused. */
#include "grt_internal.h"
#include "grt_value.h"
#include "../dwarf/gdw_type.h"

#include <linux/bpf.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define SLOT0 (-264)     /* first temporary (core keeps r10 - 256 and up) */
#define NSLOTS 21        /* down to r10 - 432 */
#define DYN (-440)       /* the struct a field is read from, through a pointer */
#define NILPOS (-432)    /* a logpoint value: 1 + the offset of the '.' met
			    with a nil pointer, 0 if none */
#define TMP (-448)       /* 8 bytes for a read */
#define STRBUF (-512)    /* 64 bytes for a string's bytes */
#define MAXSTR 64

typedef enum { C_INT, C_UINT, C_BOOL, C_PTR, C_CONST } cclass;

typedef struct cval {
	cclass cls;
	int width;         /* bytes (1, 2, 4, 8) */
	const char *tname; /* Go type name (owned by the dwarf file) */
	gx_value k;        /* C_CONST: the untyped value (not owned) */
} cval;

/* Where a piece of a variable is, at the breakpoint. */
typedef enum { P_REG, P_SP, P_ABS, P_CONST } pkind;
typedef struct piece {
	pkind kind;
	int ptreg;      /* P_REG: pt_regs word */
	int64_t off;    /* P_SP: from rsp */
	uint64_t addr;  /* P_ABS */
	uint64_t value; /* P_CONST */
	uint64_t size;
} piece;

typedef struct var {
	const gdw_tinfo *ti;
	piece p[4];
	size_t np;
	uint64_t base; /* a field: its offset in the variable's pieces, or
			  (dyn) from the address in DYN */
	int dyn;       /* a field through a pointer: the struct's address was
			  stored at DYN by the code emitted so far */
} var;

typedef struct cc {
	grt_target *t;
	uint64_t dwpc;
	int line;
	const char *func;
	struct bpf_insn *v;
	size_t n, cap;
	size_t *truejumps; /* jumps to "the condition holds" */
	size_t ntrue, captrue;
	int oom;
	gd_err *why;
} cc;

#define INS(c, d, s, o, i) ((struct bpf_insn){.code = (c), .dst_reg = (d), \
	.src_reg = (s), .off = (o), .imm = (i)})

static size_t emit(cc *c, struct bpf_insn i)
{
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 64;
		struct bpf_insn *v = realloc(c->v, cap * sizeof(*v));
		if (!v) {
			c->oom = 1;
			return c->n;
		}
		c->v = v;
		c->cap = cap;
	}
	c->v[c->n] = i;
	return c->n++;
}

static void ld64(cc *c, int reg, uint64_t v)
{
	emit(c, INS(BPF_LD | BPF_DW | BPF_IMM, reg, 0, 0, (int32_t)(uint32_t)v));
	emit(c, INS(0, 0, 0, 0, (int32_t)(uint32_t)(v >> 32)));
}

static void patch(cc *c, size_t at)
{
	if (at < c->n)
		c->v[at].off = (int16_t)(c->n - at - 1);
}

/* A jump (already emitted at `at`) to "true": patched at the end. */
static void to_true(cc *c, size_t at)
{
	if (c->ntrue == c->captrue) {
		size_t cap = c->captrue ? c->captrue * 2 : 16;
		size_t *v = realloc(c->truejumps, cap * sizeof(*v));
		if (!v) {
			c->oom = 1;
			return;
		}
		c->truejumps = v;
		c->captrue = cap;
	}
	c->truejumps[c->ntrue++] = at;
}

static int refuse(cc *c, const char *fmt, const char *arg)
{
	gd_err_set(c->why, fmt, arg ? arg : "");
	return -1;
}

static int16_t slot_off(int slot) { return (int16_t)(SLOT0 - 8 * slot); }

/* Sign- or zero-extends the low `width` bytes of reg. */
static void extend(cc *c, int reg, int width, int sign)
{
	if (width >= 8)
		return;
	int sh = 64 - 8 * width;
	emit(c, INS(BPF_ALU64 | BPF_LSH | BPF_K, reg, 0, 0, sh));
	emit(c, INS(BPF_ALU64 | (sign ? BPF_ARSH : BPF_RSH) | BPF_K, reg, 0, 0, sh));
}

/* ---- variables ---- */

static const int dwarf_to_ptreg[17] = {
	10, 12, 11, 5, 13, 14, 4, 19, 9, 8, 7, 6, 3, 2, 1, 0, 16,
};

/* One location evaluation with made-up registers: rsp and the others
 * moved separately, to see what each piece depends on. */
static int locate(cc *c, const gdw_var *dv, uint64_t sp, uint64_t other,
		  gdw_piece **ps, size_t *np)
{
	gdw_regs r;
	memset(&r, 0, sizeof(r));
	uint64_t raw[17];
	for (int i = 0; i < 17; i++)
		raw[i] = r.r[i] = other + (uint64_t)i * 0x100000;
	raw[7] = r.r[7] = sp;
	raw[16] = r.r[16] = c->dwpc;
	r.valid = (1ull << 17) - 1;
	uint64_t cfa;
	if (gdw_cfa(c->t->dw, c->dwpc, raw, &cfa) == 0) {
		r.cfa = cfa;
		r.have_cfa = 1;
	}
	gd_err e = GD_ERR_INIT;
	int rc = gdw_var_location(c->t->dw, dv, c->dwpc, &r, ps, np, &e);
	gd_err_clear(&e);
	return rc;
}

static int resolve_var(cc *c, const gdw_var *dv, var *out, const char *name)
{
	memset(out, 0, sizeof(*out));
	/* best effort: a refusal: the condition is left to godap's own
	 * evaluation, which tells the user what it cannot read. */
	if (gdw_type_info(c->t->dw, dv->type, &out->ti, NULL) < 0)
		return refuse(c, "%s: unknown type", name);
	if (!dv->func_die) {
		gdw_regs none;
		memset(&none, 0, sizeof(none));
		gdw_piece *ps = NULL;
		size_t np = 0;
		gd_err e = GD_ERR_INIT;
		int rc = gdw_var_location(c->t->dw, dv, 0, &none, &ps, &np, &e);
		gd_err_clear(&e);
		if (rc < 0 || np != 1 || ps[0].kind != GDW_P_MEM) {
			free(ps);
			return refuse(c, "%s: no static address", name);
		}
		out->p[0] = (piece){.kind = P_ABS, .addr = ps[0].addr + c->t->bias,
				    .size = ps[0].size ? ps[0].size : out->ti->size};
		out->np = 1;
		free(ps);
		return 0;
	}
	const uint64_t S0 = 0x7f0000000000ull, S1 = S0 + 0x1000000;
	const uint64_t O0 = 0x100000000000ull, O1 = O0 + 0x70000000;
	gdw_piece *a = NULL, *b = NULL, *d = NULL;
	size_t na = 0, nb = 0, nd = 0;
	int rc = -1;
	if (locate(c, dv, S0, O0, &a, &na) < 0 || locate(c, dv, S1, O0, &b, &nb) < 0 ||
	    locate(c, dv, S0, O1, &d, &nd) < 0) {
		refuse(c, "%s: location not known here", name);
		goto out;
	}
	if (na == 0 || na != nb || na != nd || na > 4) {
		refuse(c, "%s: optimized away or in too many pieces", name);
		goto out;
	}
	for (size_t i = 0; i < na; i++) {
		piece *p = &out->p[i];
		p->size = a[i].size ? a[i].size : out->ti->size;
		if (a[i].kind != b[i].kind || a[i].kind != d[i].kind) {
			refuse(c, "%s: location not known here", name);
			goto out;
		}
		switch (a[i].kind) {
		case GDW_P_MEM:
			if (b[i].addr - a[i].addr == S1 - S0 && d[i].addr == a[i].addr) {
				p->kind = P_SP;
				p->off = (int64_t)(a[i].addr - S0);
			} else if (a[i].addr == b[i].addr && a[i].addr == d[i].addr) {
				p->kind = P_ABS;
				p->addr = a[i].addr;
			} else {
				refuse(c, "%s: its address needs more than the stack pointer", name);
				goto out;
			}
			break;
		case GDW_P_REG:
			if (a[i].reg < 0 || a[i].reg > 15 || p->size > 8) {
				refuse(c, "%s: in a vector register", name);
				goto out;
			}
			p->kind = P_REG;
			p->ptreg = dwarf_to_ptreg[a[i].reg];
			break;
		case GDW_P_VALUE:
			if (a[i].value != b[i].value || a[i].value != d[i].value) {
				refuse(c, "%s: computed from registers", name);
				goto out;
			}
			p->kind = P_CONST;
			p->value = a[i].value;
			break;
		default:
			refuse(c, "%s: optimized away", name);
			goto out;
		}
	}
	out->np = na;
	rc = 0;
out:
	free(a);
	free(b);
	free(d);
	return rc;
}

/* "main.main" -> "main" (NULL for a generic function: refused). */
static char *package_of(const char *fn)
{
	if (!fn || strchr(fn, '['))
		return NULL;
	const char *slash = strrchr(fn, '/');
	const char *dot = strchr(slash ? slash : fn, '.');
	return dot ? strndup(fn, (size_t)(dot - fn)) : NULL;
}

/* The variable `name` as grt_scope_lookup finds it at the breakpoint. */
static int find_var(cc *c, const char *name, int qualified, var *out)
{
	gdw_var g;
	if (!qualified) {
		gdw_var *dv = NULL;
		size_t ndv = 0;
		/* best effort: as above. */
		if (gdw_vars_in(c->t->dw, c->dwpc, 0, c->line, &dv, &ndv, NULL) < 0)
			return refuse(c, "no variables at the breakpoint%s", NULL);
		const gdw_var *best = NULL;
		for (size_t i = 0; i < ndv; i++) {
			const char *n = dv[i].name + (dv[i].name[0] == '&');
			if (strcmp(n, name) == 0 && (!best || dv[i].depth > best->depth))
				best = &dv[i];
		}
		int rc = 1;
		if (best && best->name[0] == '&')
			rc = refuse(c, "%s lives on the heap", name);
		else if (best)
			rc = resolve_var(c, best, out, name);
		free(dv);
		if (rc <= 0)
			return rc;
	}
	/* best effort: not found and failed alike leave the condition to
	 * godap. */
	if (gdw_global(c->t->dw, name, &g, NULL) == 0)
		return resolve_var(c, &g, out, name);
	if (qualified)
		return refuse(c, "no variable %s", name);
	char *pkg = package_of(c->func);
	if (!pkg)
		return refuse(c, "no variable %s", name);
	size_t len = strlen(pkg) + strlen(name) + 2;
	char *full = malloc(len);
	int rc = full ? 0 : -1;
	if (full) {
		snprintf(full, len, "%s.%s", pkg, name);
		/* best effort: as above. */
		rc = gdw_global(c->t->dw, full, &g, NULL) == 0 ? resolve_var(c, &g, out, name)
		     : refuse(c, "no variable %s", name);
	}
	free(full);
	free(pkg);
	return rc;
}

/* Loads `width` bytes at offset `off` of v into r1 (extended); a read the
 * kernel cannot do makes the condition true. */
static void read_r3(cc *c, int width)
{
	emit(c, INS(BPF_ST | BPF_MEM | BPF_DW, 10, 0, TMP, 0));
	emit(c, INS(BPF_ALU64 | BPF_MOV | BPF_X, 1, 10, 0, 0));
	emit(c, INS(BPF_ALU64 | BPF_ADD | BPF_K, 1, 0, 0, TMP));
	emit(c, INS(BPF_ALU64 | BPF_MOV | BPF_K, 2, 0, 0, width));
	emit(c, INS(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_probe_read_user));
	to_true(c, emit(c, INS(BPF_JMP | BPF_JNE | BPF_K, 0, 0, 0, 0)));
	emit(c, INS(BPF_LDX | BPF_MEM | BPF_DW, 1, 10, TMP, 0));
}

static int load_part(cc *c, const var *v, uint64_t off, int width, int sign)
{
	off += v->base;
	if (v->dyn) {
		if (off > INT32_MAX)
			return refuse(c, "%s: a field too far into its struct", v->ti->name);
		emit(c, INS(BPF_LDX | BPF_MEM | BPF_DW, 3, 10, DYN, 0));
		if (off)
			emit(c, INS(BPF_ALU64 | BPF_ADD | BPF_K, 3, 0, 0, (int32_t)off));
		read_r3(c, width);
		extend(c, 1, width, sign);
		return 0;
	}
	uint64_t at = 0;
	const piece *p = NULL;
	for (size_t i = 0; i < v->np; i++) {
		if (off >= at && off + (uint64_t)width <= at + v->p[i].size) {
			p = &v->p[i];
			break;
		}
		at += v->p[i].size;
	}
	if (!p)
		return refuse(c, "%s: a value split across pieces", v->ti->name);
	uint64_t k = off - at;
	switch (p->kind) {
	case P_REG:
		emit(c, INS(BPF_LDX | BPF_MEM | BPF_DW, 1, 6, (int16_t)(8 * p->ptreg), 0));
		if (k)
			emit(c, INS(BPF_ALU64 | BPF_RSH | BPF_K, 1, 0, 0, (int32_t)(8 * k)));
		break;
	case P_CONST:
		ld64(c, 1, k < 8 ? p->value >> (8 * k) : 0);
		break;
	case P_SP:
	case P_ABS:
		if (p->kind == P_SP) {
			emit(c, INS(BPF_LDX | BPF_MEM | BPF_DW, 3, 6, 19 * 8, 0));
			int64_t d = p->off + (int64_t)k;
			if (d != (int32_t)d)
				return refuse(c, "%s: too far from the stack pointer", NULL);
			if (d)
				emit(c, INS(BPF_ALU64 | BPF_ADD | BPF_K, 3, 0, 0, (int32_t)d));
		} else {
			ld64(c, 3, p->addr + k);
		}
		read_r3(c, width);
		break;
	}
	extend(c, 1, width, sign);
	return 0;
}

static void store_slot(cc *c, int reg, int slot)
{
	emit(c, INS(BPF_STX | BPF_MEM | BPF_DW, 10, reg, slot_off(slot), 0));
}

static void load_slot(cc *c, int reg, int slot)
{
	emit(c, INS(BPF_LDX | BPF_MEM | BPF_DW, reg, 10, slot_off(slot), 0));
}

static int classify(const gdw_tinfo *ti, cval *out)
{
	out->tname = ti->name;
	out->width = (int)ti->size;
	switch (ti->kind) {
	case GDW_K_INT: case GDW_K_INT8: case GDW_K_INT16: case GDW_K_INT32:
	case GDW_K_INT64:
		out->cls = C_INT;
		break;
	case GDW_K_UINT: case GDW_K_UINT8: case GDW_K_UINT16: case GDW_K_UINT32:
	case GDW_K_UINT64: case GDW_K_UINTPTR:
		out->cls = C_UINT;
		break;
	case GDW_K_BOOL:
		out->cls = C_BOOL;
		break;
	case GDW_K_PTR: case GDW_K_UNSAFEPTR: case GDW_K_MAP: case GDW_K_CHAN:
		out->cls = C_PTR;
		break;
	default:
		return -1;
	}
	return out->width == 1 || out->width == 2 || out->width == 4 ||
	       out->width == 8 ? 0 : -1;
}

static int var_of(cc *c, const gx_node *n, var *v);

/* x.f: field f of the struct x, or of the struct x points to (read
 * through the pointer, whose value the emitted code keeps at DYN; a nil
 * one makes the condition true: godap then evaluates it and says why, as
 * Go cannot read through nil either).  Only a struct's own fields (a
 * promoted field is left to godap). */
static int field_of(cc *c, const gx_node *n, var *v)
{
	if (var_of(c, n->x, v) < 0)
		return -1;
	gdw_file *dw = c->t->dw;
	const gdw_tinfo *ti = v->ti;
	if (ti->kind == GDW_K_PTR) {
		const gdw_tinfo *et;
		/* best effort: an unknown pointee: refused below. */
		if (gdw_type_info(dw, ti->elem, &et, NULL) < 0 ||
		    et->kind != GDW_K_STRUCT || ti->size != 8)
			return refuse(c, "%s: not a pointer to a struct", ti->name);
		if (load_part(c, v, 0, 8, 0) < 0)
			return -1;
		/* nil: where, for a logpoint's text (godap's own path says
		 * "nil pointer dereference" at that '.'). */
		size_t ok = emit(c, INS(BPF_JMP | BPF_JNE | BPF_K, 1, 0, 0, 0));
		emit(c, INS(BPF_ST | BPF_MEM | BPF_DW, 10, 0, NILPOS,
			    (int32_t)(n->oppos + 1)));
		to_true(c, emit(c, INS(BPF_JA | BPF_JMP, 0, 0, 0, 0)));
		patch(c, ok);
		emit(c, INS(BPF_STX | BPF_MEM | BPF_DW, 10, 1, DYN, 0));
		v->dyn = 1;
		v->base = 0;
		v->ti = ti = et;
	}
	if (ti->kind != GDW_K_STRUCT)
		return refuse(c, "%s: not a struct", ti->name);
	const gdw_member *m = gdw_type_member(dw, ti->ref, n->name);
	const gdw_tinfo *mt;
	if (!m)
		return refuse(c, "%s: no field of its own by that name (promoted "
			      "fields are not compiled)", ti->name);
	/* best effort: as above. */
	if (gdw_type_info(dw, m->type, &mt, NULL) < 0)
		return refuse(c, "%s: unknown type", n->name);
	v->base += m->off;
	v->ti = mt;
	return 0;
}

/* The name a node reads as a variable: x, pkg.x (a package global), or a
 * field of one (x.f, p.f, x.f.g). */
static int var_of(cc *c, const gx_node *n, var *v)
{
	if (n->kind == GX_N_IDENT) {
		if (strcmp(n->name, "_") == 0)
			return refuse(c, "_%s", NULL);
		return find_var(c, n->name, 0, v);
	}
	if (n->kind == GX_N_SELECTOR && n->x->kind == GX_N_IDENT) {
		/* pkg.name, unless a local is called pkg. */
		var local;
		gd_err *keep = c->why;
		gd_err e = GD_ERR_INIT;
		c->why = &e;
		int r = find_var(c, n->x->name, 0, &local);
		c->why = keep;
		gd_err_clear(&e);
		if (r == 0)
			return field_of(c, n, v);
		size_t len = strlen(n->x->name) + strlen(n->name) + 2;
		char *full = malloc(len);
		if (!full)
			return refuse(c, "out of memory%s", NULL);
		snprintf(full, len, "%s.%s", n->x->name, n->name);
		c->why = &e;
		r = find_var(c, full, 1, v);
		c->why = keep;
		free(full);
		if (r == 0) {
			gd_err_clear(&e);
			return 0;
		}
		/* Not pkg.name: a field of a global of this package. */
		if (field_of(c, n, v) == 0) {
			gd_err_clear(&e);
			return 0;
		}
		gd_err_clear(c->why);
		gd_err_set(c->why, "%s", gd_err_msg(&e));
		gd_err_clear(&e);
		return -1;
	}
	if (n->kind == GX_N_SELECTOR)
		return field_of(c, n, v);
	return refuse(c, "an expression of this kind is not compiled%s", NULL);
}

/* ---- expressions ---- */

static int expr(cc *c, const gx_node *n, int slot, cval *out);

static int fits(const cval *t, gx_i128 k)
{
	int bits = 8 * t->width;
	if (t->cls == C_INT) {
		gx_i128 lo = -((gx_i128)1 << (bits - 1)), hi = ((gx_i128)1 << (bits - 1)) - 1;
		return k >= lo && k <= hi;
	}
	return k >= 0 && k <= (((gx_i128)1 << bits) - 1);
}

/* Puts the constant in slot as a value of type t. */
static int const_as(cc *c, const cval *k, const cval *t, int slot)
{
	uint64_t bits;
	if (t->cls == C_BOOL) {
		if (k->k.kind != GX_V_BOOL)
			return refuse(c, "mismatched constant%s", NULL);
		bits = k->k.b;
	} else if (t->cls == C_INT || t->cls == C_UINT) {
		if (k->k.kind != GX_V_INT && k->k.kind != GX_V_RUNE)
			return refuse(c, "mismatched constant%s", NULL);
		if (!fits(t, k->k.i))
			return refuse(c, "constant overflows %s", t->tname);
		bits = (uint64_t)k->k.i;
	} else if (t->cls == C_PTR) {
		if (k->k.kind != GX_V_NIL)
			return refuse(c, "a pointer is compared with nil only%s", NULL);
		bits = 0;
	} else {
		return refuse(c, "mismatched constant%s", NULL);
	}
	ld64(c, 1, bits);
	store_slot(c, 1, slot);
	return 0;
}

static int same_type(const cval *a, const cval *b)
{
	return a->cls == b->cls && a->width == b->width && a->tname && b->tname &&
	       strcmp(a->tname, b->tname) == 0;
}

/* Both operands in slot, slot+1, of one type *t. */
static int operands(cc *c, const gx_node *n, int slot, cval *t)
{
	if (slot + 1 >= NSLOTS)
		return refuse(c, "the condition is too deep%s", NULL);
	cval a, b;
	if (expr(c, n->x, slot, &a) < 0 || expr(c, n->y, slot + 1, &b) < 0)
		return -1;
	if (a.cls == C_CONST && b.cls == C_CONST)
		return refuse(c, "constant operands%s", NULL);
	if (a.cls == C_CONST) {
		if (const_as(c, &a, &b, slot) < 0)
			return -1;
		*t = b;
	} else if (b.cls == C_CONST) {
		if (const_as(c, &b, &a, slot + 1) < 0)
			return -1;
		*t = a;
	} else {
		if (!same_type(&a, &b))
			return refuse(c, "mismatched types%s", NULL);
		*t = a;
	}
	return 0;
}

/* s == "lit" / s != "lit" with s a string variable. */
static int string_compare(cc *c, const gx_node *var_node, const gx_value *lit,
			  int eq, int slot, cval *out)
{
	var v;
	if (var_of(c, var_node, &v) < 0)
		return -1;
	if (v.ti->kind != GDW_K_STRING || v.ti->size != 16)
		return refuse(c, "not a string%s", NULL);
	if (lit->len > MAXSTR)
		return refuse(c, "the string literal is too long%s", NULL);
	/* result = !eq until proven equal */
	emit(c, INS(BPF_ST | BPF_MEM | BPF_DW, 10, 0, slot_off(slot), !eq));
	if (load_part(c, &v, 8, 8, 0) < 0)
		return -1;
	size_t ne[MAXSTR / 8 + 2];
	size_t nne = 0;
	ne[nne++] = emit(c, INS(BPF_JMP | BPF_JNE | BPF_K, 1, 0, 0, (int32_t)lit->len));
	if (lit->len) {
		if (load_part(c, &v, 0, 8, 0) < 0)
			return -1;
		size_t words = (lit->len + 7) / 8;
		for (size_t w = 0; w < words; w++)
			emit(c, INS(BPF_ST | BPF_MEM | BPF_DW, 10, 0,
				    (int16_t)(STRBUF + 8 * (int)w), 0));
		emit(c, INS(BPF_ALU64 | BPF_MOV | BPF_X, 3, 1, 0, 0));
		emit(c, INS(BPF_ALU64 | BPF_MOV | BPF_X, 1, 10, 0, 0));
		emit(c, INS(BPF_ALU64 | BPF_ADD | BPF_K, 1, 0, 0, STRBUF));
		emit(c, INS(BPF_ALU64 | BPF_MOV | BPF_K, 2, 0, 0, (int32_t)lit->len));
		emit(c, INS(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_probe_read_user));
		to_true(c, emit(c, INS(BPF_JMP | BPF_JNE | BPF_K, 0, 0, 0, 0)));
		for (size_t w = 0; w < words; w++) {
			uint64_t want = 0;
			size_t len = lit->len - 8 * w < 8 ? lit->len - 8 * w : 8;
			memcpy(&want, lit->s + 8 * w, len);
			emit(c, INS(BPF_LDX | BPF_MEM | BPF_DW, 1, 10,
				    (int16_t)(STRBUF + 8 * (int)w), 0));
			ld64(c, 2, want);
			if (nne < sizeof(ne) / sizeof(ne[0]))
				ne[nne++] = emit(c, INS(BPF_JMP | BPF_JNE | BPF_X, 1, 2, 0, 0));
		}
	}
	emit(c, INS(BPF_ST | BPF_MEM | BPF_DW, 10, 0, slot_off(slot), eq));
	for (size_t i = 0; i < nne; i++)
		patch(c, ne[i]);
	*out = (cval){.cls = C_BOOL, .width = 1, .tname = "bool"};
	return 0;
}

/* n's variable when n names one whose kind is kind, else -1; why the
 * lookup failed is not kept (the caller then compiles n another way). */
static int quiet_var_of(cc *c, const gx_node *n, gdw_kind kind, var *v)
{
	if (n->kind != GX_N_IDENT && n->kind != GX_N_SELECTOR)
		return -1;
	gd_err *keep = c->why;
	gd_err e = GD_ERR_INIT;
	c->why = &e;
	/* A field through a pointer emits the pointer's read: the caller
	 * that goes on with v keeps that code, any other gets none. */
	size_t n0 = c->n, t0 = c->ntrue;
	int r = var_of(c, n, v);
	c->why = keep;
	gd_err_clear(&e);
	if (r == 0 && v->ti->kind == kind)
		return 0;
	c->n = n0;
	c->ntrue = t0;
	return -1;
}

static int is_string_var(cc *c, const gx_node *n)
{
	var v;
	size_t n0 = c->n, t0 = c->ntrue;
	int r = quiet_var_of(c, n, GDW_K_STRING, &v) == 0;
	/* Only a question: the caller compiles n itself. */
	c->n = n0;
	c->ntrue = t0;
	return r;
}

static int compare(cc *c, const gx_node *n, int slot, cval *out)
{
	int eq = n->op == GX_T_EQL;
	if ((n->op == GX_T_EQL || n->op == GX_T_NEQ)) {
		gx_value lit;
		const gx_node *sv = NULL, *k = NULL;
		if (gx_is_const(n->y) && is_string_var(c, n->x))
			sv = n->x, k = n->y;
		else if (gx_is_const(n->x) && is_string_var(c, n->y))
			sv = n->y, k = n->x;
		if (sv) {
			gd_err e = GD_ERR_INIT;
			memset(&lit, 0, sizeof(lit));
			if (gx_const_fold(k, &lit, &e) < 0 || lit.kind != GX_V_STRING) {
				gd_err_clear(&e);
				if (lit.kind != GX_V_NONE)
					gx_value_free(&lit);
				return refuse(c, "a string compared with a non-string%s", NULL);
			}
			int r = string_compare(c, sv, &lit, eq, slot, out);
			gx_value_free(&lit);
			return r;
		}
	}
	cval t;
	if (operands(c, n, slot, &t) < 0)
		return -1;
	int ordered = n->op != GX_T_EQL && n->op != GX_T_NEQ;
	if (ordered && t.cls != C_INT && t.cls != C_UINT)
		return refuse(c, "%s values are not ordered", t.tname);
	int s = t.cls == C_INT;
	int op;
	switch (n->op) {
	case GX_T_EQL: op = BPF_JEQ; break;
	case GX_T_NEQ: op = BPF_JNE; break;
	case GX_T_LSS: op = s ? BPF_JSLT : BPF_JLT; break;
	case GX_T_LEQ: op = s ? BPF_JSLE : BPF_JLE; break;
	case GX_T_GTR: op = s ? BPF_JSGT : BPF_JGT; break;
	default: op = s ? BPF_JSGE : BPF_JGE; break;
	}
	load_slot(c, 1, slot);
	load_slot(c, 2, slot + 1);
	emit(c, INS(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 1));
	emit(c, INS(BPF_JMP | op | BPF_X, 1, 2, 1, 0));
	emit(c, INS(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0));
	store_slot(c, 0, slot);
	*out = (cval){.cls = C_BOOL, .width = 1, .tname = "bool"};
	return 0;
}

/* x / k and x % k for a constant k > 0 (Go's truncated division; the
 * kernel's is unsigned: a negative x is divided as -x, then negated). */
static int divide(cc *c, const gx_node *n, int slot, cval *out)
{
	cval x, k;
	if (expr(c, n->x, slot, &x) < 0)
		return -1;
	if (x.cls != C_INT && x.cls != C_UINT)
		return refuse(c, "division of %s", x.cls == C_CONST ? "a constant" : x.tname);
	if (!gx_is_const(n->y) || expr(c, n->y, slot + 1, &k) < 0 || k.cls != C_CONST ||
	    (k.k.kind != GX_V_INT && k.k.kind != GX_V_RUNE) || k.k.i <= 0 ||
	    k.k.i > INT32_MAX || !fits(&x, k.k.i))
		return refuse(c, "division by anything but a positive constant%s", NULL);
	int op = n->op == GX_T_QUO ? BPF_DIV : BPF_MOD;
	int32_t kv = (int32_t)k.k.i;
	load_slot(c, 1, slot);
	if (x.cls == C_UINT) {
		emit(c, INS(BPF_ALU64 | op | BPF_K, 1, 0, 0, kv));
	} else {
		size_t neg = emit(c, INS(BPF_JMP | BPF_JSLT | BPF_K, 1, 0, 0, 0));
		emit(c, INS(BPF_ALU64 | op | BPF_K, 1, 0, 0, kv));
		size_t end = emit(c, INS(BPF_JMP | BPF_JA, 0, 0, 0, 0));
		patch(c, neg);
		emit(c, INS(BPF_ALU64 | BPF_NEG, 1, 0, 0, 0));
		emit(c, INS(BPF_ALU64 | op | BPF_K, 1, 0, 0, kv));
		emit(c, INS(BPF_ALU64 | BPF_NEG, 1, 0, 0, 0));
		patch(c, end);
	}
	extend(c, 1, x.width, x.cls == C_INT);
	store_slot(c, 1, slot);
	*out = x;
	return 0;
}

static int arith(cc *c, const gx_node *n, int slot, cval *out)
{
	cval t;
	if (n->op == GX_T_QUO || n->op == GX_T_REM)
		return divide(c, n, slot, out);
	if (operands(c, n, slot, &t) < 0)
		return -1;
	if (t.cls != C_INT && t.cls != C_UINT)
		return refuse(c, "arithmetic on %s", t.tname);
	load_slot(c, 1, slot);
	load_slot(c, 2, slot + 1);
	switch (n->op) {
	case GX_T_ADD: emit(c, INS(BPF_ALU64 | BPF_ADD | BPF_X, 1, 2, 0, 0)); break;
	case GX_T_SUB: emit(c, INS(BPF_ALU64 | BPF_SUB | BPF_X, 1, 2, 0, 0)); break;
	case GX_T_MUL: emit(c, INS(BPF_ALU64 | BPF_MUL | BPF_X, 1, 2, 0, 0)); break;
	case GX_T_AND: emit(c, INS(BPF_ALU64 | BPF_AND | BPF_X, 1, 2, 0, 0)); break;
	case GX_T_OR: emit(c, INS(BPF_ALU64 | BPF_OR | BPF_X, 1, 2, 0, 0)); break;
	case GX_T_XOR: emit(c, INS(BPF_ALU64 | BPF_XOR | BPF_X, 1, 2, 0, 0)); break;
	case GX_T_AND_NOT:
		emit(c, INS(BPF_ALU64 | BPF_XOR | BPF_K, 2, 0, 0, -1));
		emit(c, INS(BPF_ALU64 | BPF_AND | BPF_X, 1, 2, 0, 0));
		break;
	default:
		return refuse(c, "operator %s is not compiled", gx_tok_str(n->op));
	}
	/* Go's integers wrap at their width. */
	extend(c, 1, t.width, t.cls == C_INT);
	store_slot(c, 1, slot);
	*out = t;
	return 0;
}

static int expr(cc *c, const gx_node *n, int slot, cval *out)
{
	if (c->oom)
		return refuse(c, "out of memory%s", NULL);
	if (slot >= NSLOTS)
		return refuse(c, "the condition is too deep%s", NULL);
	if (gx_is_const(n)) {
		gd_err e = GD_ERR_INIT;
		memset(out, 0, sizeof(*out));
		if (gx_const_fold(n, &out->k, &e) < 0) {
			gd_err_clear(&e);
			return refuse(c, "constant expression%s", NULL);
		}
		out->cls = C_CONST;
		/* The string is the expression's or the fold's: only
		 * integers, bools and nil are used from here. */
		if (out->k.kind == GX_V_STRING || out->k.kind == GX_V_FLOAT ||
		    out->k.kind == GX_V_COMPLEX) {
			gx_value_free(&out->k);
			return refuse(c, "this constant is not compiled%s", NULL);
		}
		return 0;
	}
	switch (n->kind) {
	case GX_N_IDENT:
	case GX_N_SELECTOR: {
		var v;
		if (var_of(c, n, &v) < 0)
			return -1;
		if (classify(v.ti, out) < 0)
			return refuse(c, "values of type %s are not compiled", v.ti->name);
		if (load_part(c, &v, 0, out->width, out->cls == C_INT) < 0)
			return -1;
		if (out->cls == C_BOOL) {
			/* Any non-zero byte is true, as godap reads a bool. */
			emit(c, INS(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 1));
			emit(c, INS(BPF_JMP | BPF_JNE | BPF_K, 1, 0, 1, 0));
			emit(c, INS(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0));
			store_slot(c, 0, slot);
		} else {
			store_slot(c, 1, slot);
		}
		return 0;
	}
	case GX_N_CALL: {
		if (n->x->kind != GX_N_IDENT || strcmp(n->x->name, "len") != 0 ||
		    n->nargs != 1 || n->ellipsis)
			return refuse(c, "calls are not compiled%s", NULL);
		var v;
		if (var_of(c, n->args[0], &v) < 0)
			return -1;
		if (v.ti->kind != GDW_K_STRING || v.ti->size != 16)
			return refuse(c, "len of %s is not compiled", v.ti->name);
		if (load_part(c, &v, 8, 8, 1) < 0)
			return -1;
		store_slot(c, 1, slot);
		*out = (cval){.cls = C_INT, .width = 8, .tname = "int"};
		return 0;
	}
	case GX_N_UNARY: {
		cval x;
		if (expr(c, n->x, slot, &x) < 0)
			return -1;
		if (x.cls == C_CONST)
			return refuse(c, "constant operand%s", NULL);
		load_slot(c, 1, slot);
		if (n->op == GX_T_NOT && x.cls == C_BOOL) {
			emit(c, INS(BPF_ALU64 | BPF_XOR | BPF_K, 1, 0, 0, 1));
		} else if (n->op == GX_T_SUB && (x.cls == C_INT || x.cls == C_UINT)) {
			emit(c, INS(BPF_ALU64 | BPF_NEG, 1, 0, 0, 0));
			extend(c, 1, x.width, x.cls == C_INT);
		} else if (n->op == GX_T_XOR && (x.cls == C_INT || x.cls == C_UINT)) {
			emit(c, INS(BPF_ALU64 | BPF_XOR | BPF_K, 1, 0, 0, -1));
			extend(c, 1, x.width, x.cls == C_INT);
		} else if (!(n->op == GX_T_ADD && (x.cls == C_INT || x.cls == C_UINT))) {
			return refuse(c, "unary %s is not compiled", gx_tok_str(n->op));
		}
		store_slot(c, 1, slot);
		*out = x;
		return 0;
	}
	case GX_N_BINARY:
		switch (n->op) {
		case GX_T_LAND:
		case GX_T_LOR: {
			cval a, b;
			if (expr(c, n->x, slot, &a) < 0)
				return -1;
			if (a.cls != C_BOOL)
				return refuse(c, "%s needs bools", gx_tok_str(n->op));
			load_slot(c, 1, slot);
			/* && : false ends it; || : true ends it */
			size_t j = emit(c, INS(BPF_JMP | BPF_JEQ | BPF_K, 1, 0, 0,
					       n->op == GX_T_LAND ? 0 : 1));
			if (expr(c, n->y, slot, &b) < 0)
				return -1;
			if (b.cls != C_BOOL)
				return refuse(c, "%s needs bools", gx_tok_str(n->op));
			patch(c, j);
			*out = a;
			return 0;
		}
		case GX_T_EQL: case GX_T_NEQ: case GX_T_LSS: case GX_T_LEQ:
		case GX_T_GTR: case GX_T_GEQ:
			return compare(c, n, slot, out);
		default:
			return arith(c, n, slot, out);
		}
	default:
		return refuse(c, "an expression of this kind is not compiled%s", NULL);
	}
}

/* What every compiled program needs at pc: a Go function of the program
 * (not inlined, not the runtime).  0, or -1 with the reason. */
static int setup(cc *c, grt_target *t, uint64_t pc, gd_err *why)
{
	*c = (cc){.t = t, .dwpc = pc - t->bias, .why = why};
	gdw_inl *inl = NULL;
	size_t ninl = 0;
	if (gdw_inline_chain(t->dw, c->dwpc, &inl, &ninl) == 0 && ninl) {
		free(inl);
		return gd_err_set(why, "the breakpoint is in inlined code");
	}
	free(inl);
	gdw_func fn;
	const char *file;
	if (gdw_func_at(t->dw, c->dwpc, &fn) != 0 ||
	    gdw_pc_line(t->dw, c->dwpc, &file, &c->line) < 0)
		return gd_err_set(why, "no function at the breakpoint");
	c->func = fn.name;
	/* The program stops the thread with a signal: the runtime runs its
	 * signal handlers and some of its own code with every signal blocked,
	 * and there the stop would come late (found with a condition on
	 * runtime.sighandler).  (A logpoint's program sends no signal, but
	 * it reads the goroutine from R14, which only Go code keeps.) */
	if (fn.name && (strncmp(fn.name, "runtime.", 8) == 0 ||
			strncmp(fn.name, "runtime/", 8) == 0 ||
			strncmp(fn.name, "internal/runtime/", 17) == 0))
		return gd_err_set(why, "the runtime may run there with signals blocked");
	return 0;
}

int grt_bpf_cond(grt_target *t, const char *cond, uint64_t pc, void **out,
		 size_t *n, gd_err *why)
{
	*out = NULL;
	*n = 0;
	const gx_expr *e;
	if (grt_cond_parsed(t, cond, &e, why) < 0)
		return -1;
	cc c;
	if (setup(&c, t, pc, why) < 0)
		return -1;
	if (e->alt)
		return gd_err_set(why, "the condition reads two ways");
	cval r;
	int rc = expr(&c, e->root, 0, &r);
	if (rc == 0 && r.cls != C_BOOL)
		rc = gd_err_set(why, "the condition is not a bool");
	if (rc == 0 && c.oom)
		rc = gd_err_set(why, "out of memory");
	if (rc == 0) {
		/* r0 = the result; the failed reads jump to r0 = 1. */
		load_slot(&c, 0, 0);
		if (c.ntrue) {
			/* (the verifier refuses code nothing jumps to) */
			size_t end = emit(&c, INS(BPF_JA | BPF_JMP, 0, 0, 0, 0));
			for (size_t i = 0; i < c.ntrue; i++)
				patch(&c, c.truejumps[i]);
			emit(&c, INS(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 1));
			patch(&c, end);
		}
		if (c.oom)
			rc = gd_err_set(why, "out of memory");
	}
	free(c.truejumps);
	if (rc < 0) {
		free(c.v);
		return -1;
	}
	*out = c.v;
	*n = c.n;
	return 0;
}

/* ---- logpoints ---- */

/* Integer types whose text is the plain number (time.Duration and other
 * named types print otherwise: not compiled). */
static int plain_int(const char *tname)
{
	static const char *ok[] = {
		"int", "int8", "int16", "int32", "int64", "uint", "uint8",
		"uint16", "uint32", "uint64", "uintptr",
	};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (tname && strcmp(tname, ok[i]) == 0)
			return 1;
	return 0;
}

/* The record is written through register CORE_KLOG_RECREG (core's
 * build_log reserved it in the ring buffer). */
#define RR CORE_KLOG_RECREG

/* A string variable's {expr}: its length in the value (word k), then its
 * first min(length, max) bytes at off in the record, as godap's own path
 * reads up to the session's maxStringLen of it (grt_format.c put_string);
 * a read that fails marks the value as failed.  0, or 1 when v is no
 * string (then the caller compiles the expression). */
static int log_string(cc *c, const gx_node *n, int k, uint32_t off,
		      uint32_t max)
{
	var v;
	if (quiet_var_of(c, n, GDW_K_STRING, &v) < 0)
		return 1;
	if (v.ti->size != 16)
		return refuse(c, "%s: a string of another layout", v.ti->name);
	if (load_part(c, &v, 8, 8, 0) < 0)
		return -1;
	emit(c, INS(BPF_STX | BPF_MEM | BPF_DW, RR, 1,
		    (int16_t)(CORE_KLOG_VALS + 8 * k), 0));
	/* A negative length: no string godap could show either. */
	to_true(c, emit(c, INS(BPF_JMP | BPF_JSLT | BPF_K, 1, 0, 0, 0)));
	/* n = min(length, max): also what the verifier needs to see the
	 * copy stays in the record. */
	emit(c, INS(BPF_JMP | BPF_JLE | BPF_K, 1, 0, 1, (int32_t)max));
	emit(c, INS(BPF_ALU64 | BPF_MOV | BPF_K, 1, 0, 0, (int32_t)max));
	store_slot(c, 1, 0);
	size_t empty = emit(c, INS(BPF_JMP | BPF_JEQ | BPF_K, 1, 0, 0, 0));
	if (load_part(c, &v, 0, 8, 0) < 0)
		return -1;
	emit(c, INS(BPF_ALU64 | BPF_MOV | BPF_X, 3, 1, 0, 0));
	emit(c, INS(BPF_ALU64 | BPF_MOV | BPF_X, 1, RR, 0, 0));
	emit(c, INS(BPF_ALU64 | BPF_ADD | BPF_K, 1, 0, 0, (int32_t)off));
	load_slot(c, 2, 0);
	emit(c, INS(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_probe_read_user));
	to_true(c, emit(c, INS(BPF_JMP | BPF_JNE | BPF_K, 0, 0, 0, 0)));
	patch(c, empty);
	return 0;
}

int grt_bpf_log(grt_target *t, const char *msg, uint64_t pc, void **out,
		size_t *n, grt_bpf_val **vals, size_t *nvals, size_t *recsize,
		gd_err *why)
{
	*out = NULL;
	*n = 0;
	*vals = NULL;
	*nvals = 0;
	*recsize = 0;
	const gx_logmsg *m;
	if (grt_logmsg_parsed(t, msg, &m, why) < 0)
		return -1;
	cc c;
	if (setup(&c, t, pc, why) < 0)
		return -1;
	uint64_t goid_off;
	if (gdw_member_offset(t->dw, "runtime.g", "goid", &goid_off, why) < 0)
		return -1;
	size_t nx = 0;
	for (size_t i = 0; i < m->nparts; i++)
		nx += m->parts[i].is_expr;
	if (nx > CORE_KLOG_MAXVALS)
		return gd_err_set(why, "more than %d {expressions}",
				  CORE_KLOG_MAXVALS);
	/* The strings' bytes go after the values, up to the session's
	 * maxStringLen each: a longer limit than the kernel copies would
	 * print more than the record holds. */
	uint64_t max_string, max_array;
	grt_limits(t, &max_string, &max_array);
	size_t end = CORE_KLOG_VALS + 8 * nx;
	grt_bpf_val *kv = calloc(nx ? nx : 1, sizeof(*kv));
	if (!kv)
		return gd_err_set(why, "out of memory");
	int rc = 0;
	/* The goroutine: Go code keeps g in R14 (pt_regs word 1). */
	emit(&c, INS(BPF_ST | BPF_MEM | BPF_DW, RR, 0, CORE_KLOG_GOID, 0));
	emit(&c, INS(BPF_ST | BPF_MEM | BPF_DW, RR, 0, CORE_KLOG_FAILED, 0));
	emit(&c, INS(BPF_LDX | BPF_MEM | BPF_DW, 3, 6, 1 * 8, 0));
	emit(&c, INS(BPF_ALU64 | BPF_ADD | BPF_K, 3, 0, 0, (int32_t)goid_off));
	emit(&c, INS(BPF_ALU64 | BPF_MOV | BPF_X, 1, RR, 0, 0));
	emit(&c, INS(BPF_ALU64 | BPF_ADD | BPF_K, 1, 0, 0, CORE_KLOG_GOID));
	emit(&c, INS(BPF_ALU64 | BPF_MOV | BPF_K, 2, 0, 0, 8));
	emit(&c, INS(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_probe_read_user));
	size_t k = 0;
	for (size_t i = 0; i < m->nparts && rc == 0; i++) {
		const gx_logpart *p = &m->parts[i];
		if (!p->is_expr)
			continue;
		if (p->expr->alt) {
			rc = gd_err_set(why, "{%s} reads two ways", p->text);
			break;
		}
		c.ntrue = 0;
		emit(&c, INS(BPF_ST | BPF_MEM | BPF_DW, 10, 0, NILPOS, 0));
		size_t off = (end + 7) & ~(size_t)7;
		int str = 1;
		if (max_string <= CORE_KLOG_MAXSTR &&
		    off + max_string <= CORE_KLOG_MAXREC) {
			str = log_string(&c, p->expr->root, (int)k, (uint32_t)off,
					 (uint32_t)max_string);
			if (str < 0) {
				rc = -1;
				break;
			}
		}
		if (str == 0) {
			kv[k] = (grt_bpf_val){.kind = GRT_BPF_STRING,
					      .off = (uint32_t)off,
					      .max = (uint32_t)max_string};
			end = off + max_string;
		} else {
			cval r;
			if (expr(&c, p->expr->root, 0, &r) < 0) {
				/* A string the record has no room for. */
				if (is_string_var(&c, p->expr->root) &&
				    max_string > CORE_KLOG_MAXSTR)
					gd_err_set(why, "{%s}: maxStringLen %llu is "
						   "more than the kernel copies (%d)",
						   p->text, (unsigned long long)max_string,
						   CORE_KLOG_MAXSTR);
				else if (is_string_var(&c, p->expr->root))
					gd_err_set(why, "{%s}: the strings need more "
						   "than a record's %d bytes", p->text,
						   CORE_KLOG_MAXREC);
				rc = -1;
				break;
			}
			if (r.cls == C_BOOL) {
				kv[k].kind = GRT_BPF_BOOL;
			} else if ((r.cls == C_INT || r.cls == C_UINT) &&
				   plain_int(r.tname)) {
				kv[k].kind = r.cls == C_INT ? GRT_BPF_INT : GRT_BPF_UINT;
			} else {
				rc = gd_err_set(why, "{%s}: only integers, bools and "
						"strings are printed from the kernel",
						p->text);
				break;
			}
			load_slot(&c, 1, 0);
			emit(&c, INS(BPF_STX | BPF_MEM | BPF_DW, RR, 1,
				     (int16_t)(CORE_KLOG_VALS + 8 * (int)k), 0));
		}
		if (c.ntrue) {
			/* A read the kernel could not do: this value is
			 * marked as failed. */
			size_t skip = emit(&c, INS(BPF_JA | BPF_JMP, 0, 0, 0, 0));
			for (size_t j = 0; j < c.ntrue; j++)
				patch(&c, c.truejumps[j]);
			emit(&c, INS(BPF_LDX | BPF_MEM | BPF_DW, 1, RR, CORE_KLOG_FAILED, 0));
			emit(&c, INS(BPF_ALU64 | BPF_OR | BPF_K, 1, 0, 0, (int32_t)(1u << k)));
			emit(&c, INS(BPF_STX | BPF_MEM | BPF_DW, RR, 1, CORE_KLOG_FAILED, 0));
			/* The value word of a failed value: where a nil
			 * pointer was met (1 + offset), or 0. */
			emit(&c, INS(BPF_LDX | BPF_MEM | BPF_DW, 1, 10, NILPOS, 0));
			emit(&c, INS(BPF_STX | BPF_MEM | BPF_DW, RR, 1,
				     (int16_t)(CORE_KLOG_VALS + 8 * (int)k), 0));
			patch(&c, skip);
		}
		k++;
	}
	if (rc == 0 && c.oom)
		rc = gd_err_set(why, "out of memory");
	free(c.truejumps);
	if (rc < 0) {
		free(c.v);
		free(kv);
		return -1;
	}
	*out = c.v;
	*n = c.n;
	*vals = kv;
	*nvals = k;
	*recsize = end;
	return 0;
}
