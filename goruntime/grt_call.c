/* Function calls in the debuggee (grt_call.h): the runtime.debugCallV2
 * protocol and Go's register ABI (ABIInternal, amd64).
 *
 * The protocol (runtime/asm_amd64.s, the same text in Go 1.22 to 1.27):
 * the debugger pushes the PC, writes the argument frame size at SP-16 and
 * jumps to debugCallV2, which traps (int3) with a code in R12:
 *   8  the runtime refused (reason string at SP); 16 follows
 *   0  a frame of the asked size is open at SP: write stack arguments
 *      there, load the argument registers, push the trapping PC, jump to
 *      the function (closure context in RDX)
 *   1  the function returned: results in registers and at SP
 *   2  it panicked: the panic value (an eface) at SP
 *   16 done: restore every register but RIP and RSP (the stack may have
 *      moved) and go on.
 * The call runs on a new goroutine that debugCallWrap starts on the same
 * thread, so every trap comes from the thread that started the call. */
#include "grt_call_internal.h"
#include "grt_internal.h"


#include <stdlib.h>
#include <string.h>

void grt_call_vals_free(grt_call_val *v, size_t n)
{
	if (!v)
		return;
	for (size_t i = 0; i < n; i++) {
		free(v[i].name);
		grt_value_free(&v[i].v);
	}
	free(v);
}

/* ---- callees ---- */

static int callee_from(grt_target *t, const gdw_func *fn, grt_callee *out)
{
	memset(out, 0, sizeof(*out));
	out->entry = fn->lowpc + t->bias;
	out->die = fn->die_offset;
	out->name = fn->name;
	return 0;
}

int grt_callee_by_name(grt_target *t, const char *name, grt_callee *out,
		       gd_err *err)
{
	gdw_func fn;
	if (gdw_func_by_name(t->dw, name, &fn) < 0 || fn.lowpc == 0)
		return gd_err_set(err, "%s is not in the binary (inlined or unused)",
				  name);
	return callee_from(t, &fn, out);
}

int grt_callee_of_funcval(grt_target *t, uint64_t closure, grt_callee *out,
			  gd_err *err)
{
	if (!closure)
		return gd_err_set(err, "call of a nil func value");
	uint64_t pc;
	if (grt__read_u64(t, closure, &pc, err) < 0)
		return -1;
	gdw_func fn;
	if (gdw_func_at(t->dw, pc - t->bias, &fn) < 0 || fn.lowpc + t->bias != pc)
		return gd_err_set(err, "the func value points at %#lx, which is not "
				  "a function of the program", (unsigned long)pc);
	callee_from(t, &fn, out);
	out->closure = closure;
	return 0;
}

static int cmp_die(const void *a, const void *b)
{
	const gdw_var *x = a, *y = b;
	return x->die < y->die ? -1 : x->die > y->die;
}

void grt_sig_free(grt_sig *s)
{
	free(s->params);
	free(s->results);
	if (s->result_names)
		for (size_t i = 0; i < s->nresults; i++)
			free(s->result_names[i]);
	free(s->result_names);
	memset(s, 0, sizeof(*s));
}

int grt_callee_sig(grt_target *t, const grt_callee *c, grt_sig *out,
		   gd_err *err)
{
	memset(out, 0, sizeof(*out));
	gdw_var *vs;
	size_t n;
	if (gdw_vars_at(t->dw, c->entry - t->bias, 0, &vs, &n, err) < 0)
		return -1;
	/* Parameters and results in declaration (DIE) order. */
	size_t np = 0;
	for (size_t i = 0; i < n; i++)
		if (vs[i].is_param && vs[i].depth == 0)
			vs[np++] = vs[i];
	if (np)
		qsort(vs, np, sizeof(*vs), cmp_die);
	out->params = calloc(np + 1, sizeof(gdw_tref));
	out->results = calloc(np + 1, sizeof(gdw_tref));
	out->result_names = calloc(np + 1, sizeof(char *));
	if (!out->params || !out->results || !out->result_names) {
		free(vs);
		grt_sig_free(out);
		return gd_err_set(err, "out of memory");
	}
	for (size_t i = 0; i < np; i++) {
		if (vs[i].is_result) {
			out->result_names[out->nresults] = strdup(vs[i].name);
			if (!out->result_names[out->nresults]) {
				free(vs);
				grt_sig_free(out);
				return gd_err_set(err, "out of memory");
			}
			out->results[out->nresults++] = vs[i].type;
		} else if (strcmp(vs[i].name, ".dict") == 0) {
			free(vs);
			grt_sig_free(out);
			return gd_err_set(err, "%s: calls of generic functions are "
					  "not supported", c->name);
		} else {
			out->params[out->nparams++] = vs[i].type;
		}
	}
	free(vs);
	return 0;
}

/* ---- registers ---- */

static unsigned long long *int_reg(struct user_regs_struct *r, int i)
{
	switch (i) {
	case 0: return &r->rax;
	case 1: return &r->rbx;
	case 2: return &r->rcx;
	case 3: return &r->rdi;
	case 4: return &r->rsi;
	case 5: return &r->r8;
	case 6: return &r->r9;
	case 7: return &r->r10;
	default: return &r->r11;
	}
}

static uint8_t *xmm_reg(struct user_fpregs_struct *f, int i)
{
	return (uint8_t *)&f->xmm_space[i * 4];
}

/* ---- the protocol ---- */

typedef struct callrun {
	grt_target *t;
	const grt_call_driver *drv;
	pid_t tid;
	uint64_t goid;
	struct user_regs_struct regs0;
	struct user_fpregs_struct fp0;
	uint64_t stepover0;
	int entered; /* registers changed: restore on the way out */
} callrun;

static int run_to_trap(callrun *cr, uint64_t *code, gd_err *err)
{
	int timed_out = 0;
	grt_invalidate(cr->t);
	if (cr->drv->run(cr->drv->ctx, cr->tid, 0, &timed_out, err) < 0) {
		if (timed_out) {
			/* Left inside the call: finished when it traps
			 * again (grt_call_pending_trap). */
			grt_call_pend *p = &cr->t->pend;
			p->active = 1;
			p->tid = cr->tid;
			p->regs0 = cr->regs0;
			p->fp0 = cr->fp0;
			p->stepover0 = cr->stepover0;
			cr->entered = 0;
		}
		return -1;
	}
	struct user_regs_struct r;
	if (core_regs(cr->t->proc, cr->tid, &r, err) < 0)
		return -1;
	*code = r.r12;
	return 0;
}

/* Puts back what the call changed: every register but RIP and RSP (the
 * thread is inside debugCallV2's epilogue, which returns to the saved PC). */
static int restore(grt_target *t, pid_t tid,
		   const struct user_regs_struct *regs0,
		   const struct user_fpregs_struct *fp0, uint64_t stepover0,
		   gd_err *err)
{
	struct user_regs_struct r;
	if (core_regs(t->proc, tid, &r, err) < 0)
		return -1;
	struct user_regs_struct n = *regs0;
	n.rip = r.rip;
	n.rsp = r.rsp;
	n.orig_rax = (unsigned long long)-1;
	if (core_set_regs(t->proc, tid, &n, err) < 0 ||
	    core_set_fpregs(t->proc, tid, fp0, err) < 0)
		return -1;
	/* Back on the breakpoint it was reported at: the next resume must
	 * step over it, not report it again. */
	core_thread_set_stepover(t->proc, tid, stepover0);
	return 0;
}

/* At the runtime's last trap (16): registers back, then through
 * debugCallV2's epilogue (it reloads the registers that may hold pointers
 * and returns to the PC we pushed) one instruction at a time, so that
 * nothing else of the goroutine runs and a breakpoint at that PC is not
 * hit again: the goroutine is exactly where it was. */
static int back_to_pc(grt_target *t, pid_t tid,
		      const struct user_regs_struct *regs0,
		      const struct user_fpregs_struct *fp0, uint64_t stepover0,
		      gd_err *err)
{
	if (restore(t, tid, regs0, fp0, 0, err) < 0)
		return -1;
	for (int i = 0; i < 256; i++) {
		struct user_regs_struct r;
		if (core_regs(t->proc, tid, &r, err) < 0)
			return -1;
		if (r.rip == regs0->rip && r.rsp == regs0->rsp) {
			core_thread_set_stepover(t->proc, tid, stepover0);
			return 0;
		}
		int exited = 0;
		if (core_step_thread(t->proc, tid, &exited, err) < 0)
			return -1;
		if (exited)
			return gd_err_set(err, "the program exited during the call");
	}
	return gd_err_set(err, "function call: the goroutine did not return "
			  "from runtime.debugCallV2");
}

/* After the runtime's last trap (16): registers back, then the thread
 * returns to where it was when it next runs. */
static int finish(callrun *cr, gd_err *err)
{
	uint64_t code;
	if (run_to_trap(cr, &code, err) < 0)
		return -1;
	if (code != 16)
		return gd_err_set(err, "function call: unexpected trap %lu from "
				  "the runtime (expected 16)", (unsigned long)code);
	cr->entered = 0;
	return back_to_pc(cr->t, cr->tid, &cr->regs0, &cr->fp0, cr->stepover0, err);
}

/* The thread running goroutine goid, checked as the protocol needs. */
static int calling_thread(grt_scope *s, pid_t *tid, uint64_t *goid,
			  gd_err *err)
{
	grt_target *t = s->t;
	/* A call runs the program: a core file cannot. */
	if (core_is_corefile(t->proc))
		return gd_err_set(err, "%s", CORE_ERR_IS_CORE);
	if (!s->goid) {
		*tid = s->tid;
		*goid = 0;
		if (grt_thread_goid(t, s->tid, goid, err) < 0)
			return -1;
		if (!*goid)
			return gd_err_set(err, "thread %d runs no goroutine: function "
					  "calls need a goroutine", (int)s->tid);
		return 0;
	}
	const grt_goroutine *g = grt_goroutine_by_id(t, s->goid, err);
	if (!g)
		return gd_err_set(err, "no goroutine %lu", (unsigned long)s->goid);
	if (g->status != GRT_GRUNNING || !g->tid) {
		const char *why = g->status == GRT_GWAITING ?
			grt_waitreason(t, g->waitreason) : NULL;
		return gd_err_set(err, "goroutine %lu is not running on a thread "
				  "(%s): a function call needs a goroutine that was "
				  "running when the program stopped",
				  (unsigned long)s->goid,
				  why ? why : g->status == GRT_GRUNNABLE ? "runnable" :
				  g->status == GRT_GSYSCALL ? "in a system call" :
				  "not running");
	}
	uint64_t cur = 0;
	if (grt_thread_goid(t, g->tid, &cur, err) < 0)
		return -1;
	if (cur != s->goid)
		return gd_err_set(err, "goroutine %lu is on the system stack: "
				  "function calls are not possible here",
				  (unsigned long)s->goid);
	*tid = g->tid;
	*goid = s->goid;
	return 0;
}

static int value_bytes(grt_target *t, const grt_value *v, uint64_t size,
		       uint8_t *buf, gd_err *err)
{
	memset(buf, 0, size);
	return grt_value_read(t, v, 0, buf, size, err);
}

/* "panic: boom 1": the panic value as Go would print it for strings,
 * errors and numbers; other values in Delve's notation. */
static void panic_text(grt_target *t, const uint64_t eface[2], gd_err *err)
{
	gdw_tref dyn = 0;
	gd_buf b = GD_BUF_INIT;
	gd_err e = GD_ERR_INIT;
	if (eface[0] && grt__rtype_type(t, eface[0], &dyn, &e) == 0) {
		gdw_tref ef;
		/* best effort: without the eface type (or its index) the
		 * panic is told in the generic notation below. */
		if (gdw_type_by_name(t->dw, "interface {}", &ef, NULL) == 0) {
			grt_value v = {0};
			if (grt_value_of_bytes(&v, ef, eface, 16) == 0) {
				grt_value d = {0};
				int is_nil = 0;
				const gdw_tinfo *di;
				if (grt__iface_data(t, &v, &d, &is_nil, &e) == 0 &&
				    /* best effort: a dynamic type that
				     * cannot be read: the panic is told in
				     * the generic notation below. */
				    !is_nil && gdw_type_info(t->dw, d.type, &di, NULL) == 0 &&
				    di->kind == GDW_K_STRING) {
					uint64_t h[2];
					if (grt_value_read(t, &d, 0, h, 16, &e) == 0 &&
					    h[1] < (1u << 20)) {
						char *sbuf = malloc(h[1] + 1);
						if (sbuf && core_read(t->proc, h[0], sbuf, h[1], &e) == 0) {
							sbuf[h[1]] = '\0';
							gd_buf_puts(&b, sbuf);
						}
						free(sbuf);
					}
				} else if (!is_nil && d.type) {
					/* ignored: grt_format
					 * always answers 0; an unreadable
					 * part is written as such. */
					grt_format(t, &d, &b);
				}
				grt_value_free(&d);
			}
			grt_value_free(&v);
		}
	}
	gd_err_clear(&e);
	gd_err_set(err, "panic: %s", b.data ? b.data : "(unknown value)");
	gd_buf_free(&b);
}

static int call_once(grt_scope *s, const grt_callee *c, const grt_value *args,
		     size_t nargs, grt_call_val **results, size_t *nresults,
		     int *panicked, int *refused, gd_err *err)
{
	grt_target *t = s->t;
	*results = NULL;
	*nresults = 0;
	if (panicked)
		*panicked = 0;
	if (!s->calls)
		return gd_err_set(err, "%s", s->nocalls ? s->nocalls :
				  GRT_NOCALLS_DEFAULT);
	if (t->pend.active)
		return gd_err_set(err, "an earlier function call has not returned "
				  "yet (it timed out): continue the program to let "
				  "it finish");
	uint64_t v2;
	if (grt_sym(t, "runtime.debugCallV2", &v2) < 0)
		return gd_err_set(err, "this program has no runtime.debugCallV2 "
				  "(Go 1.17 or later is needed for function calls)");
	grt_sig sig;
	if (grt_callee_sig(t, c, &sig, err) < 0)
		return -1;
	grt_layout_abi l;
	int rc = -1;
	uint8_t *frame = NULL;
	grt_call_val *res = NULL;
	callrun cr = {.t = t, .drv = s->calls};
	if (nargs != sig.nparams) {
		gd_err_set(err, "%s takes %zu argument%s, not %zu", c->name,
			   sig.nparams, sig.nparams == 1 ? "" : "s", nargs);
		grt_sig_free(&sig);
		return -1;
	}
	if (grt__make_layout(t, &sig, &l, err) < 0) {
		grt_sig_free(&sig);
		return -1;
	}
	if (l.frame > MAXFRAME) {
		gd_err_set(err, "%s: call frame too large (%lu bytes)", c->name,
			   (unsigned long)l.frame);
		goto out;
	}
	frame = calloc(1, l.frame + 8);
	res = calloc(sig.nresults + 1, sizeof(*res));
	if (!frame || !res) {
		gd_err_set(err, "out of memory");
		goto out;
	}
	if (calling_thread(s, &cr.tid, &cr.goid, err) < 0)
		goto out;

	/* The argument values, before anything changes. */
	struct user_regs_struct ar;
	struct user_fpregs_struct af;
	if (core_regs(t->proc, cr.tid, &cr.regs0, err) < 0 ||
	    core_fpregs(t->proc, cr.tid, &cr.fp0, err) < 0)
		goto out;
	cr.stepover0 = core_thread_stepover(t->proc, cr.tid);
	ar = cr.regs0;
	af = cr.fp0;
	for (size_t i = 0; i < nargs; i++) {
		slot *sl = &l.args[i];
		uint8_t buf[64];
		uint8_t *b = sl->size <= sizeof(buf) ? buf : malloc(sl->size);
		if (!b) {
			gd_err_set(err, "out of memory");
			goto out;
		}
		if (value_bytes(t, &args[i], sl->size, b, err) < 0) {
			if (b != buf)
				free(b);
			goto out;
		}
		if (sl->on_stack) {
			memcpy(frame + sl->stack_off, b, sl->size);
		} else {
			for (size_t k = 0; k < sl->np; k++) {
				const piece *p = &sl->p[k];
				if (p->flt) {
					uint8_t *x = xmm_reg(&af, p->reg);
					memset(x, 0, 16);
					memcpy(x, b + p->off, p->size);
				} else {
					uint64_t w = 0;
					memcpy(&w, b + p->off, p->size);
					*int_reg(&ar, p->reg) = w;
				}
			}
		}
		if (b != buf)
			free(b);
	}

	/* best effort: a goroutine that cannot be read is not checked here;
	 * the runtime's own debugCallCheck still refuses a bad stack. */
	const grt_goroutine *g = grt_goroutine_by_id(t, cr.goid, NULL);
	if (g && g->stack_lo &&
	    (cr.regs0.rsp <= g->stack_lo || cr.regs0.rsp > g->stack_hi)) {
		/* On a signal or system stack: the runtime would refuse;
		 * run it out to user code first (grt_call). */
		*refused = 1;
		gd_err_set(err, "the runtime refused the call: executing on Go "
			   "runtime stack");
		goto out;
	}
	if (g && g->stack_lo && cr.regs0.rsp - 256 <= g->stack_lo) {
		gd_err_set(err, "goroutine %lu has less than 256 bytes of stack "
			   "left: no function call possible here",
			   (unsigned long)cr.goid);
		goto out;
	}

	/* Enter debugCallV2: PC pushed, frame size at SP-16. */
	struct user_regs_struct r = cr.regs0;
	r.rsp -= 8;
	uint64_t fsz = l.frame;
	uint64_t pc0 = cr.regs0.rip;
	if (core_write(t->proc, r.rsp, &pc0, 8, err) < 0 ||
	    core_write(t->proc, r.rsp - 16, &fsz, 8, err) < 0)
		goto out;
	r.rip = v2;
	r.orig_rax = (unsigned long long)-1;
	if (core_set_regs(t->proc, cr.tid, &r, err) < 0)
		goto out;
	cr.entered = 1;
	core_thread_set_stepover(t->proc, cr.tid, 0);

	uint64_t code;
	if (run_to_trap(&cr, &code, err) < 0)
		goto out;
	if (code == 8) {
		/* Refused by debugCallCheck: the reason is at SP. */
		uint64_t h[2] = {0};
		char why[128] = "";
		if (core_regs(t->proc, cr.tid, &r, err) < 0 ||
		    core_read(t->proc, r.rsp, h, 16, err) < 0)
			goto out;
		if (h[1] && h[1] < sizeof(why) &&
		    /* best effort: the runtime's reason is an extra to the
		     * refusal: without it the message says less. */
		    core_read(t->proc, h[0], why, h[1], NULL) == 0)
			why[h[1]] = '\0';
		if (finish(&cr, err) < 0)
			goto out;
		*refused = strcmp(why, "call from within the Go runtime") == 0 ||
			   strcmp(why, "call not at safe point") == 0 ||
			   strcmp(why, "executing on Go runtime stack") == 0;
		gd_err_set(err, "the runtime refused the call: %s", why[0] ? why : "unknown reason");
		goto out;
	}
	if (code != 0) {
		gd_err_set(err, "function call: unexpected trap %lu from the "
			   "runtime (expected 0)", (unsigned long)code);
		goto out;
	}
	/* The frame is open at SP. */
	struct user_regs_struct fr;
	if (core_regs(t->proc, cr.tid, &fr, err) < 0)
		goto out;
	if (l.frame && core_write(t->proc, fr.rsp, frame, l.frame, err) < 0)
		goto out;
	struct user_regs_struct cr2 = fr;
	for (int i = 0; i < NINT; i++)
		*int_reg(&cr2, i) = *int_reg(&ar, i);
	cr2.rsp = fr.rsp - 8;
	uint64_t back = fr.rip;
	if (core_write(t->proc, cr2.rsp, &back, 8, err) < 0)
		goto out;
	cr2.rip = c->entry;
	cr2.rdx = c->closure;
	struct user_fpregs_struct ff;
	if (core_fpregs(t->proc, cr.tid, &ff, err) < 0)
		goto out;
	for (int i = 0; i < NFLT; i++)
		memcpy(xmm_reg(&ff, i), xmm_reg(&af, i), 16);
	if (core_set_regs(t->proc, cr.tid, &cr2, err) < 0 ||
	    core_set_fpregs(t->proc, cr.tid, &ff, err) < 0)
		goto out;
	if (run_to_trap(&cr, &code, err) < 0)
		goto out;
	if (code == 2) {
		uint64_t ef[2] = {0};
		if (core_regs(t->proc, cr.tid, &r, err) < 0 ||
		    core_read(t->proc, r.rsp, ef, 16, err) < 0)
			goto out;
		if (finish(&cr, err) < 0)
			goto out;
		grt_invalidate(t);
		if (panicked)
			*panicked = 1;
		panic_text(t, ef, err);
		goto out;
	}
	if (code != 1) {
		gd_err_set(err, "function call: unexpected trap %lu from the "
			   "runtime (expected 1)", (unsigned long)code);
		goto out;
	}
	/* Results: registers, and the stack frame at SP. */
	struct user_regs_struct rr;
	struct user_fpregs_struct rf;
	if (core_regs(t->proc, cr.tid, &rr, err) < 0 ||
	    core_fpregs(t->proc, cr.tid, &rf, err) < 0 ||
	    (l.frame && core_read(t->proc, rr.rsp, frame, l.frame, err) < 0))
		goto out;
	for (size_t i = 0; i < l.nres; i++) {
		slot *sl = &l.res[i];
		uint8_t *b = calloc(1, sl->size + 1);
		if (!b) {
			gd_err_set(err, "out of memory");
			goto out;
		}
		if (sl->on_stack) {
			memcpy(b, frame + sl->stack_off, sl->size);
		} else {
			for (size_t k = 0; k < sl->np; k++) {
				const piece *p = &sl->p[k];
				if (p->flt) {
					memcpy(b + p->off, xmm_reg(&rf, p->reg), p->size);
				} else {
					uint64_t w = *int_reg(&rr, p->reg);
					memcpy(b + p->off, &w, p->size);
				}
			}
		}
		int e = grt_value_of_bytes(&res[i].v, sl->type, b, sl->size);
		free(b);
		res[i].name = strdup(sig.result_names[i] ? sig.result_names[i] : "");
		if (e < 0 || !res[i].name) {
			gd_err_set(err, "out of memory");
			goto out;
		}
	}
	if (finish(&cr, err) < 0)
		goto out;
	*results = res;
	*nresults = sig.nresults;
	res = NULL;
	rc = 0;
out:
	if (cr.entered) {
		/* Failed half way: put the registers back at least.  best
		 * effort: err already says why the call failed. */
		gd_err e2 = GD_ERR_INIT;
		(void)restore(t, cr.tid, &cr.regs0, &cr.fp0, cr.stepover0, &e2);
		gd_err_clear(&e2);
	}
	grt_invalidate(t);
	if (t->user_held) {
		/* Through the runtime when the goroutine is back; by hand when
		 * it is left inside the call. */
		gd_err e3 = GD_ERR_INIT;
		int rr = t->pend.active ? grt_sched_unhold_user(t, &e3) :
			grt__sched_release_user(s, &e3);
		if (rr < 0 && rc == 0) {
			gd_err_set(err, "%s", gd_err_msg(&e3));
			rc = -1;
		}
		/* Still held only when the scheduler's lock was: the
		 * debugger tries again before the program runs on. */
		if (rr != GD_EAGAIN)
			t->user_held = 0;
		gd_err_clear(&e3);
	}
	grt_call_vals_free(res, sig.nresults);
	free(frame);
	grt__layout_free(&l);
	grt_sig_free(&sig);
	return rc;
}

/* The goroutine was stopped in the runtime or at an instruction where the
 * runtime cannot take a call: let its thread alone run to the return into
 * the nearest user function (the runtime's advice for such goroutines),
 * or a few instructions on when it is in user code already. */
static int to_user_code(grt_scope *s, gd_err *err)
{
	grt_target *t = s->t;
	pid_t tid;
	uint64_t goid;
	if (calling_thread(s, &tid, &goid, err) < 0)
		return -1;
	grt_frame *fr = NULL;
	size_t n = 0;
	int complete = 0;
	if (grt_stack(t, goid, 0, 64, &fr, &n, &complete, err) < 0)
		return -1;
	size_t i = 0;
	while (i < n && (strncmp(fr[i].func, "runtime.", 8) == 0 ||
			 strcmp(fr[i].func, "?") == 0))
		i++;
	uint64_t at = i < n ? fr[i].pc : 0;
	free(fr);
	if (i == n)
		return gd_err_set(err, "goroutine %lu has no user code on its stack",
				  (unsigned long)goid);
	if (i == 0) {
		for (int k = 0; k < 8; k++) {
			int exited = 0;
			if (core_step_thread(t->proc, tid, &exited, err) < 0)
				return -1;
			if (exited)
				return gd_err_set(err, "the program exited");
		}
		grt_invalidate(t);
		return 0;
	}
	if (core_bp_add(t->proc, at, err) < 0)
		return -1;
	int timed_out = 0;
	grt_invalidate(t);
	int rc = s->calls->run(s->calls->ctx, tid, at, &timed_out, err);
	gd_err e = GD_ERR_INIT;
	if (core_bp_del(t->proc, at, &e) < 0 && rc == 0) {
		gd_err_set(err, "%s", gd_err_msg(&e));
		rc = -1;
	}
	gd_err_clear(&e);
	grt_invalidate(t);
	uint64_t now = 0;
	if (rc == 0 && (grt_thread_goid(t, tid, &now, err) < 0 || now != goid))
		return gd_err_set(err, "goroutine %lu left its thread on the way "
				  "out of the runtime", (unsigned long)goid);
	return rc;
}

int grt_call(grt_scope *s, const grt_callee *c, const grt_value *args,
	     size_t nargs, grt_call_val **results, size_t *nresults,
	     int *panicked, gd_err *err)
{
	for (int attempt = 0;; attempt++) {
		int refused = 0;
		int rc = call_once(s, c, args, nargs, results, nresults, panicked,
				   &refused, err);
		if (rc == 0 || !refused || attempt == 3)
			return rc;
		gd_err e = GD_ERR_INIT;
		if (to_user_code(s, &e) < 0) {
			gd_err_clear(&e);
			return rc;
		}
		gd_err_clear(err);
	}
}

/* ---- helpers built on calls ---- */

int grt_call_runtime(grt_scope *s, const char *fname, const uint64_t *words,
		     size_t nwords, uint64_t *result, gd_err *err)
{
	grt_callee c;
	if (grt_callee_by_name(s->t, fname, &c, err) < 0)
		return -1;
	grt_sig sig;
	if (grt_callee_sig(s->t, &c, &sig, err) < 0)
		return -1;
	if (sig.nparams != nwords) {
		grt_sig_free(&sig);
		return gd_err_set(err, "%s has %zu parameters in this Go version, "
				  "expected %zu", fname, sig.nparams, nwords);
	}
	grt_value *args = calloc(nwords + 1, sizeof(*args));
	int rc = -1;
	if (!args) {
		grt_sig_free(&sig);
		return gd_err_set(err, "out of memory");
	}
	for (size_t i = 0; i < nwords; i++) {
		const gdw_tinfo *ti;
		if (gdw_type_info(s->t->dw, sig.params[i], &ti, err) < 0)
			goto out;
		if (grt_value_of_bytes(&args[i], sig.params[i], &words[i],
				       ti->size > 8 ? 8 : ti->size) < 0) {
			gd_err_set(err, "out of memory");
			goto out;
		}
	}
	grt_call_val *res = NULL;
	size_t nres = 0;
	if (grt_call(s, &c, args, nwords, &res, &nres, NULL, err) < 0)
		goto out;
	if (result) {
		*result = 0;
		if (nres && grt_value_read(s->t, &res[0].v, 0, result, 8, err) < 0) {
			grt_call_vals_free(res, nres);
			goto out;
		}
	}
	grt_call_vals_free(res, nres);
	rc = 0;
out:
	for (size_t i = 0; i < nwords; i++)
		grt_value_free(&args[i]);
	free(args);
	grt_sig_free(&sig);
	return rc;
}

int grt_call_alloc(grt_scope *s, uint64_t size, uint64_t rtype,
		   uint64_t *addr, gd_err *err)
{
	uint64_t w[3] = {size ? size : 1, rtype, 1};
	if (grt_call_runtime(s, "runtime.mallocgc", w, 3, addr, err) < 0)
		return -1;
	if (!*addr)
		return gd_err_set(err, "runtime.mallocgc returned nil");
	return 0;
}

int grt_call_store(grt_scope *s, uint64_t dst, uint64_t rtype,
		   const void *bytes, size_t n, gd_err *err)
{
	grt_target *t = s->t;
	/* best effort: a goroutine that cannot be read: dst is not taken to
	 * be on its stack, so the store goes through the write barrier (the
	 * safe side). */
	uint64_t ptrbytes = 0, tm;
	const grt_goroutine *g = s->goid ? grt_goroutine_by_id(t, s->goid, NULL) : NULL;
	int on_stack = g && g->stack_lo <= dst && dst < g->stack_hi;
	/* Without pointers, on the goroutine's own stack, or without the
	 * runtime's function: a plain write. */
	if (!rtype || on_stack || !s->calls ||
	    grt_sym(t, "runtime.typedmemmove", &tm) < 0 ||
	    grt__read_u64(t, rtype + 8, &ptrbytes, err) < 0 || ptrbytes == 0)
		return core_write(t->proc, dst, bytes, n, err);
	/* Pointers into the heap or a global: through typedmemmove, whose
	 * write barrier shades the old and new pointers while the GC marks
	 * (a direct write could hide an object from it).  The source is a
	 * new object of the type. */
	uint64_t tmp;
	if (grt_call_alloc(s, n, rtype, &tmp, err) < 0 ||
	    core_write(t->proc, tmp, bytes, n, err) < 0)
		return -1;
	uint64_t w[3] = {rtype, dst, tmp};
	return grt_call_runtime(s, "runtime.typedmemmove", w, 3, NULL, err);
}

int grt_call_string(grt_scope *s, const char *bytes, size_t len,
		    uint64_t *ptr, gd_err *err)
{
	if (len == 0) {
		*ptr = 0;
		return 0;
	}
	if (grt_call_alloc(s, len, 0, ptr, err) < 0)
		return -1;
	return core_write(s->t->proc, *ptr, bytes, len, err);
}

/* ---- abandoned calls ---- */

int grt_call_pending(const grt_target *t, pid_t tid)
{
	return t->pend.active && (!tid || t->pend.tid == tid);
}

int grt_call_pending_trap(grt_target *t, pid_t tid, gd_err *err)
{
	if (!grt_call_pending(t, tid))
		return 0;
	struct user_regs_struct r;
	if (core_regs(t->proc, tid, &r, err) < 0)
		return -1;
	switch (r.r12) {
	case 0: /* the frame is open, the call was not made: skip it */
	case 8: /* refused */
	case 1: /* returned: nobody wants the results any more */
	case 2: /* panicked */
		return 1;
	case 16: {
		grt_call_pend *p = &t->pend;
		p->active = 0;
		if (back_to_pc(t, tid, &p->regs0, &p->fp0, p->stepover0, err) < 0)
			return -1;
		return 1;
	}
	default:
		return 0;
	}
}

