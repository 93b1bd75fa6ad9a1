/* Values: reading them, and the variables of a frame (grt_value.h). */
#include "grt_internal.h"
#include "grt_value.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void grt_value_free(grt_value *v)
{
	if (!v)
		return;
	free(v->bytes);
	free(v->unreadable);
	memset(v, 0, sizeof(*v));
}

void grt_value_drop_cache(grt_value *v)
{
	if (v->has_addr) {
		free(v->bytes);
		v->bytes = NULL;
		v->nbytes = 0;
	}
}

int grt_value_copy(grt_value *dst, const grt_value *src)
{
	*dst = *src;
	dst->bytes = NULL;
	dst->unreadable = NULL;
	if (src->bytes) {
		dst->bytes = malloc(src->nbytes ? src->nbytes : 1);
		if (!dst->bytes)
			return -1;
		memcpy(dst->bytes, src->bytes, src->nbytes);
	}
	if (src->unreadable && !(dst->unreadable = strdup(src->unreadable))) {
		free(dst->bytes);
		dst->bytes = NULL;
		return -1;
	}
	return 0;
}

grt_value grt_value_at(gdw_tref type, uint64_t addr)
{
	grt_value v = {0};
	v.type = type;
	v.has_addr = 1;
	v.addr = addr;
	return v;
}

int grt_value_of_bytes(grt_value *out, gdw_tref type, const void *b, size_t n)
{
	memset(out, 0, sizeof(*out));
	out->type = type;
	out->bytes = malloc(n ? n : 1);
	if (!out->bytes)
		return -1;
	if (n)
		memcpy(out->bytes, b, n);
	out->nbytes = n;
	return 0;
}

int grt_value_read(grt_target *t, const grt_value *v, uint64_t off,
		   void *buf, size_t len, gd_err *err)
{
	if (v->unreadable)
		return gd_err_set(err, "%s", v->unreadable);
	if (!len)
		return 0;
	if (v->bytes && off <= v->nbytes && len <= v->nbytes - off) {
		memcpy(buf, v->bytes + off, len);
		return 0;
	}
	if (v->has_addr) {
		if (core_read(t->proc, v->addr + off, buf, len, err) < 0)
			return gd_err_wrap(err, "reading %#lx",
					   (unsigned long)(v->addr + off));
		return 0;
	}
	if (off > v->nbytes || len > v->nbytes - off)
		return gd_err_set(err, "value too short");
	memcpy(buf, v->bytes + off, len);
	return 0;
}

gdw_kind grt_value_kind(grt_target *t, const grt_value *v)
{
	const gdw_tinfo *ti;
	/* best effort: a type that cannot be read is GDW_K_INVALID, which
	 * every caller treats as "not this kind". */
	if (gdw_type_info(t->dw, v->type, &ti, NULL) < 0)
		return GDW_K_INVALID;
	return ti->kind;
}

const char *grt_value_type_name(grt_target *t, const grt_value *v)
{
	const gdw_tinfo *ti;
	/* best effort: a type that cannot be read has no name to show (""). */
	if (gdw_type_info(t->dw, v->type, &ti, NULL) < 0)
		return "";
	if (ti->kind == GDW_K_UNSAFEPTR)
		return "unsafe.Pointer";
	return ti->name;
}

int grt__go_minor(grt_target *t)
{
	const char *v = grt_go_version(t);
	int maj = 0, min = 0;
	if (sscanf(v, "go%d.%d", &maj, &min) != 2)
		return 99;
	return min;
}

int grt__deref(grt_target *t, const grt_value *p, grt_value *out, gd_err *err)
{
	const gdw_tinfo *ti;
	if (gdw_type_info(t->dw, p->type, &ti, err) < 0)
		return -1;
	if (ti->kind != GDW_K_PTR || !ti->elem)
		return gd_err_set(err, "%s is not a pointer", ti->name);
	uint64_t a;
	if (grt_value_read(t, p, 0, &a, 8, err) < 0)
		return -1;
	if (!a)
		return gd_err_set(err, "nil pointer dereference");
	*out = grt_value_at(ti->elem, a);
	return 0;
}

int grt__field(grt_target *t, const grt_value *v, const char *name,
	       grt_value *out, gd_err *err)
{
	const gdw_member *m = gdw_type_member(t->dw, v->type, name);
	if (!m)
		return gd_err_set(err, "%s has no field %s",
				  grt_value_type_name(t, v), name);
	const gdw_tinfo *ti;
	if (gdw_type_info(t->dw, m->type, &ti, err) < 0)
		return -1;
	int cached = v->bytes && m->off + ti->size <= v->nbytes;
	if (v->has_addr && !cached) {
		*out = grt_value_at(m->type, v->addr + m->off);
		return 0;
	}
	if (!cached)
		return gd_err_set(err, "value too short");
	if (grt_value_of_bytes(out, m->type, v->bytes + m->off, ti->size) < 0)
		return gd_err_set(err, "out of memory");
	out->has_addr = v->has_addr;
	out->addr = v->addr + m->off;
	return 0;
}

/* ---- scopes ---- */
static void fill_regs(gdw_regs *g, const struct user_regs_struct *r)
{
	const uint64_t v[17] = {r->rax, r->rdx, r->rcx, r->rbx, r->rsi, r->rdi,
				r->rbp, r->rsp, r->r8, r->r9, r->r10, r->r11,
				r->r12, r->r13, r->r14, r->r15, r->rip};
	for (int i = 0; i < 17; i++)
		g->r[i] = v[i];
	g->valid |= (1ull << 17) - 1;
}

int grt_scope_open(grt_target *t, uint64_t goid, pid_t tid, int frame,
		   grt_scope *out, gd_err *err)
{
	memset(out, 0, sizeof(*out));
	out->t = t;
	out->goid = goid;
	out->tid = tid;
	out->frame = frame;
	grt_frame *fs;
	size_t n;
	int complete;
	if (frame < 0)
		return gd_err_set(err, "bad frame %d", frame);
	if (grt_stack(t, goid, tid, (size_t)frame + 1, &fs, &n, &complete, err) < 0 ||
	    grt_stack_inline(t, &fs, &n, err) < 0)
		return -1;
	if ((size_t)frame >= n) {
		free(fs);
		return gd_err_set(err, "no frame %d", frame);
	}
	grt_frame *fr = &fs[frame];
	out->pc = fr->pc;
	out->dwpc = fr->pc - t->bias - (fr->exact_pc ? 0 : 1);
	out->func = fr->func;
	out->line = fr->line;
	out->inl_die = fr->inl_die;
	if (fr->cfa) {
		out->regs.cfa = fr->cfa;
		out->regs.have_cfa = 1;
	}
	out->regs.r[7] = fr->sp;
	out->regs.r[16] = fr->pc;
	out->regs.valid = (1ull << 7) | (1ull << 16);
	/* The thread's registers are the innermost real frame's, and so
	 * the inlined calls' in it too. */
	int innermost = 1;
	for (int j = 0; j < frame; j++)
		innermost = innermost && fs[j].inl_die;
	if (innermost) {
		pid_t th = tid;
		if (goid) {
			/* best effort: a goroutine that cannot be read has
			 * no thread: the frame gets no live registers. */
			const grt_goroutine *g = grt_goroutine_by_id(t, goid, NULL);
			th = g ? g->tid : 0;
		}
		struct user_regs_struct r;
		/* Registers belong to the frame only when the thread is
		 * really in it (not on the system stack).  best effort:
		 * registers that cannot be read give the frame none (its
		 * register variables show unreadable). */
		if (th && core_regs(t->proc, th, &r, NULL) == 0 &&
		    r.rsp == fr->sp && r.rip == fr->pc) {
			fill_regs(&out->regs, &r);
			out->xmm_tid = th;
		}
	}
	free(fs);
	return 0;
}

static int scope_xmm(grt_scope *s)
{
	if (s->xmm_state == 0) {
		struct user_fpregs_struct fp;
		s->xmm_state = -1;
		if (s->xmm_tid &&
		    /* best effort: vector registers that cannot be read
		     * leave the XMM pieces unknown (xmm_state -1): those
		     * variables show as unreadable. */
		    core_fpregs(s->t->proc, s->xmm_tid, &fp, NULL) == 0) {
			memcpy(s->xmm, fp.xmm_space, sizeof(s->xmm));
			s->xmm_state = 1;
		}
	}
	return s->xmm_state == 1;
}

static int load_var(grt_scope *s, const gdw_var *dv, grt_value *out)
{
	grt_target *t = s->t;
	memset(out, 0, sizeof(*out));
	out->type = dv->type;
	gd_err err = GD_ERR_INIT;
	gdw_piece *ps = NULL;
	size_t np = 0;
	uint64_t pc = dv->func_die ? s->dwpc : 0;
	gdw_regs none = {0};
	if (gdw_var_location(t->dw, dv, pc, dv->func_die ? &s->regs : &none,
			     &ps, &np, &err) < 0) {
		out->unreadable = strdup(gd_err_msg(&err));
		gd_err_clear(&err);
		return 0;
	}
	const gdw_tinfo *ti;
	/* best effort: the value is marked unreadable ("unknown type"),
	 * shown so to the user. */
	if (gdw_type_info(t->dw, dv->type, &ti, NULL) < 0) {
		free(ps);
		out->unreadable = strdup("unknown type");
		return 0;
	}
	if (np == 0) {
		out->unreadable = strdup("optimized away");
		return 0;
	}
	if (np == 1 && ps[0].kind == GDW_P_MEM) {
		out->has_addr = 1;
		out->addr = ps[0].addr + (dv->func_die ? 0 : t->bias);
		free(ps);
		return 0;
	}
	size_t size = ti->size;
	uint8_t *b = calloc(1, size ? size : 1);
	if (!b) {
		free(ps);
		out->unreadable = strdup("out of memory");
		return 0;
	}
	size_t off = 0;
	for (size_t i = 0; i < np && off < size; i++) {
		size_t len = ps[i].size ? ps[i].size : size - off;
		if (len > size - off)
			len = size - off;
		switch (ps[i].kind) {
		case GDW_P_MEM:
			/* best effort: the value is marked unreadable,
			 * shown so. */
			if (core_read(t->proc, ps[i].addr, b + off, len, NULL) < 0)
				out->unreadable = strdup("unreadable memory");
			break;
		case GDW_P_REG:
			if (ps[i].reg < 17 && (s->regs.valid & (1ull << ps[i].reg)) &&
			    len <= 8)
				memcpy(b + off, &s->regs.r[ps[i].reg], len);
			else if (ps[i].reg >= 17 && ps[i].reg < 33 && len <= 16 &&
				 scope_xmm(s))
				memcpy(b + off, s->xmm[ps[i].reg - 17], len);
			else if (!out->unreadable)
				out->unreadable = strdup("register not available in this frame");
			break;
		case GDW_P_VALUE:
			memcpy(b + off, &ps[i].value, len < 8 ? len : 8);
			break;
		case GDW_P_GONE:
			if (!out->unreadable)
				out->unreadable = strdup("optimized away");
			break;
		}
		off += len;
	}
	free(ps);
	out->bytes = b;
	out->nbytes = size;
	return 0;
}

/* A variable of type-parameter type gets its real type from the generic
 * dictionary (.dict[dict_index] is the *abi.Type). */
static void resolve_generic(grt_scope *s, const gdw_var *all, size_t n,
			    grt_value *v)
{
	const gdw_tinfo *ti;
	/* best effort: a generic variable whose dictionary cannot be read
	 * keeps its shape type (.paramN). */
	if (gdw_type_info(s->t->dw, v->type, &ti, NULL) < 0 || ti->dict_index < 0)
		return;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(all[i].name, ".dict") != 0)
			continue;
		grt_value d;
		uint64_t dict, rt;
		gdw_tref real;
		if (load_var(s, &all[i], &d) < 0)
			return;
		/* best effort: as above. */
		int ok = grt_value_read(s->t, &d, 0, &dict, 8, NULL) == 0 && dict &&
			 grt__read_u64(s->t, dict + 8 * (uint64_t)ti->dict_index, &rt, NULL) == 0 &&
			 grt__rtype_type(s->t, rt, &real, NULL) == 0;
		grt_value_free(&d);
		if (ok)
			v->type = real;
		return;
	}
}

static int hidden(const char *name)
{
	/* Generic dictionaries and compiler temporaries (autotmp_N,
	 * &x escape slots) are not the user's. */
	return name[0] == '.' || strncmp(name, "autotmp", 7) == 0;
}

void grt_vars_free(grt_var *v, size_t n)
{
	if (!v)
		return;
	for (size_t i = 0; i < n; i++) {
		free(v[i].name);
		grt_value_free(&v[i].v);
	}
	free(v);
}

static int build_vars(grt_scope *s, const gdw_var *dv, size_t ndv,
		      size_t strip, grt_var **out, size_t *n, gd_err *err)
{
	grt_var *vs = calloc(ndv ? ndv : 1, sizeof(*vs));
	if (!vs)
		return gd_err_set(err, "out of memory");
	/* One read for the whole frame: most locals live in it. */
	uint8_t *frame = NULL;
	uint64_t lo = s->regs.r[7], hi = s->regs.cfa;
	if (s->regs.have_cfa && (s->regs.valid & (1ull << 7)) && hi > lo &&
	    hi - lo <= (1u << 20) && (frame = malloc(hi - lo)) &&
	    /* best effort: a failed bulk read of the frame falls back to
	     * reading each variable alone. */
	    core_read(s->t->proc, lo, frame, hi - lo, NULL) < 0) {
		free(frame);
		frame = NULL;
	}
	size_t k = 0;
	for (size_t i = 0; i < ndv; i++) {
		if (hidden(dv[i].name + strip))
			continue;
		grt_var *v = &vs[k];
		/* "&x": x escaped to the heap; the slot holds its address */
		int escaped = dv[i].name[strip] == '&';
		v->name = strdup(dv[i].name + strip + escaped);
		if (!v->name || load_var(s, &dv[i], &v->v) < 0) {
			free(frame);
			grt_vars_free(vs, k + 1);
			return gd_err_set(err, "out of memory");
		}
		resolve_generic(s, dv, ndv, &v->v);
		if (escaped && !v->v.unreadable) {
			grt_value d;
			/* best effort: an escaped variable whose pointer
			 * cannot be followed is shown as the pointer. */
			if (grt__deref(s->t, &v->v, &d, NULL) == 0) {
				grt_value_free(&v->v);
				v->v = d;
			}
		}
		const gdw_tinfo *ti;
		if (frame && v->v.has_addr && !v->v.bytes &&
		    /* best effort: a type that cannot be read: the value is
		     * read from memory later, not from the frame copy. */
		    gdw_type_info(s->t->dw, v->v.type, &ti, NULL) == 0 &&
		    v->v.addr >= lo && v->v.addr + ti->size <= hi && ti->size &&
		    (v->v.bytes = malloc(ti->size))) {
			memcpy(v->v.bytes, frame + (v->v.addr - lo), ti->size);
			v->v.nbytes = ti->size;
		}
		v->is_arg = dv[i].is_param;
		v->shadowed = dv[i].shadowed;
		k++;
	}
	free(frame);
	*out = vs;
	*n = k;
	return 0;
}

int grt_scope_vars(grt_scope *s, grt_var **out, size_t *n, gd_err *err)
{
	gdw_var *dv;
	size_t ndv;
	*out = NULL;
	*n = 0;
	if (gdw_vars_in(s->t->dw, s->dwpc, s->inl_die, s->line, &dv, &ndv, err) < 0)
		return -1;
	int r = build_vars(s, dv, ndv, 0, out, n, err);
	free(dv);
	return r;
}

/* "main.main" -> "main"; "net/http.(*Client).Do" -> "net/http"; generic
 * "main.F[...]" -> "main". */
static char *func_package(const char *fn)
{
	const char *slash = strrchr(fn, '/');
	const char *br = strchr(fn, '[');
	if (br && slash > br)
		slash = NULL;
	const char *dot = strchr(slash ? slash : fn, '.');
	if (!dot)
		return NULL;
	return strndup(fn, (size_t)(dot - fn));
}

char *grt_scope_package(const grt_scope *s)
{
	return func_package(s->func ? s->func : "");
}

int grt_scope_globals(grt_scope *s, char **pkg, grt_var **out, size_t *n,
		      gd_err *err)
{
	*out = NULL;
	*n = 0;
	*pkg = func_package(s->func ? s->func : "");
	if (!*pkg)
		return gd_err_set(err, "cannot tell the package of %s",
				  s->func ? s->func : "this frame");
	size_t plen = strlen(*pkg);
	char *prefix = malloc(plen + 2);
	if (!prefix)
		return gd_err_set(err, "out of memory");
	memcpy(prefix, *pkg, plen);
	memcpy(prefix + plen, ".", 2);
	gdw_var *dv;
	size_t ndv;
	int r = gdw_globals(s->t->dw, prefix, &dv, &ndv, err);
	free(prefix);
	if (r < 0)
		return -1;
	r = build_vars(s, dv, ndv, plen + 1, out, n, err);
	free(dv);
	return r;
}

int grt_scope_lookup(grt_scope *s, const char *name, grt_value *out,
		     gd_err *err)
{
	gdw_var *dv;
	size_t ndv;
	/* best effort: variables that cannot be listed here: the name is
	 * looked up among the globals below. */
	if (s->dwpc && gdw_vars_in(s->t->dw, s->dwpc, s->inl_die, s->line, &dv, &ndv, NULL) == 0) {
		/* Innermost first among locals; parameters are at depth 0. */
		const gdw_var *best = NULL;
		for (size_t i = 0; i < ndv; i++) {
			const char *n = dv[i].name + (dv[i].name[0] == '&');
			if (strcmp(n, name) == 0 &&
			    (!best || dv[i].depth > best->depth))
				best = &dv[i];
		}
		if (best) {
			int r = load_var(s, best, out);
			if (r == 0)
				resolve_generic(s, dv, ndv, out);
			if (r == 0 && best->name[0] == '&' && !out->unreadable) {
				grt_value d;
				/* best effort: as for an escaped local: the
				 * pointer is shown. */
				if (grt__deref(s->t, out, &d, NULL) == 0) {
					grt_value_free(out);
					*out = d;
				}
			}
			free(dv);
			return r;
		}
		free(dv);
	}
	gdw_var g;
	int found = gdw_global(s->t->dw, name, &g, err);
	if (found == 0)
		return load_var(s, &g, out);
	if (found == -1)
		return -1;
	/* Unqualified: the current package's global. */
	char *pkg = func_package(s->func ? s->func : "");
	if (pkg) {
		size_t len = strlen(pkg) + strlen(name) + 2;
		char *full = malloc(len);
		if (!full) {
			free(pkg);
			return gd_err_set(err, "out of memory");
		}
		snprintf(full, len, "%s.%s", pkg, name);
		found = gdw_global(s->t->dw, full, &g, err);
		free(full);
		free(pkg);
		if (found == 0)
			return load_var(s, &g, out);
		if (found == -1)
			return -1;
	}
	return gd_err_set(err, "could not find symbol value for %s", name);
}

int grt_value_int(grt_target *t, const grt_value *v, int64_t *i, uint64_t *u,
		  double *f, gd_err *err)
{
	const gdw_tinfo *ti;
	if (gdw_type_info(t->dw, v->type, &ti, err) < 0)
		return -1;
	uint8_t b[8] = {0};
	size_t sz = ti->size > 8 ? 8 : ti->size;
	if (grt_value_read(t, v, 0, b, sz, err) < 0)
		return -1;
	uint64_t raw = 0;
	memcpy(&raw, b, sz);
	int64_t si = (int64_t)raw;
	if (sz && sz < 8) {
		int sh = (int)(64 - 8 * sz);
		si = (int64_t)(raw << sh) >> sh;
	}
	double d = 0;
	switch (ti->kind) {
	case GDW_K_FLOAT32: {
		float fl;
		memcpy(&fl, b, 4);
		d = fl;
		si = (int64_t)d;
		raw = (uint64_t)si;
		break;
	}
	case GDW_K_FLOAT64:
		memcpy(&d, b, 8);
		si = (int64_t)d;
		raw = (uint64_t)si;
		break;
	case GDW_K_INT: case GDW_K_INT8: case GDW_K_INT16: case GDW_K_INT32:
	case GDW_K_INT64:
		d = (double)si;
		raw = (uint64_t)si;
		break;
	default:
		d = (double)raw;
		si = (int64_t)raw;
		break;
	}
	if (i)
		*i = si;
	if (u)
		*u = raw;
	if (f)
		*f = d;
	return 0;
}
