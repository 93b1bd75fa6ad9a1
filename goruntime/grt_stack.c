#include "grt_internal.h"

#include <stdlib.h>
#include <string.h>

/* Functions at the bottom of a stack: nothing calls them. */
static int is_bottom(const char *fn)
{
	return strcmp(fn, "runtime.goexit") == 0 ||
	       strcmp(fn, "runtime.mstart") == 0 ||
	       strcmp(fn, "runtime.mstart0") == 0 ||
	       strcmp(fn, "runtime.rt0_go") == 0 ||
	       strcmp(fn, "_rt0_amd64_linux") == 0 ||
	       strcmp(fn, "runtime.sigtramp") == 0;
}

/* Frames the runtime pushes on a trap: the "return address" above them is
 * the exact interrupted PC, not a call's return address. */
static int is_trap_frame(const char *fn)
{
	return strcmp(fn, "runtime.sigpanic") == 0 ||
	       strcmp(fn, "runtime.asyncPreempt") == 0 ||
	       strcmp(fn, "runtime.debugCallV2") == 0;
}

static void describe(grt_target *t, grt_frame *fr, int exact_pc)
{
	uint64_t pc = fr->pc - t->bias;
	/* A return address points after the call: look up the call itself. */
	uint64_t look = exact_pc ? pc : pc - 1;
	gdw_func fn;
	fr->func = "?";
	fr->func_entry = 0;
	if (gdw_func_at(t->dw, look, &fn) == 0) {
		fr->func = fn.name;
		fr->func_entry = fn.lowpc + t->bias;
	} else {
		uint64_t start, size;
		const char *name = gdw_sym_func_at(t->dw, look, &start, &size);
		if (name) {
			fr->func = name;
			fr->func_entry = start + t->bias;
		}
	}
	fr->file = NULL;
	fr->line = 0;
	const char *file;
	int line;
	if (gdw_pc_line(t->dw, look, &file, &line) == 0) {
		fr->file = file;
		fr->line = line;
	}
}

/* Where to start: a goroutine on a thread starts from the thread's
 * registers; a parked one from g.sched.  *sys says the thread runs the
 * goroutine from the system stack (g0: systemstack, mcall, morestack, a cgo
 * call) or the signal stack: the walk then crosses back to the goroutine's
 * own stack where the runtime left it (sched, or the signal's context). */
static int start_regs(grt_target *t, uint64_t goid, pid_t tid, uint64_t *pc,
		      uint64_t *sp, uint64_t *bp, pid_t *live,
		      const grt_goroutine **gout, int *sys, gd_err *err)
{
	*live = 0;
	*sys = 0;
	const grt_goroutine *g = NULL;
	if (goid) {
		g = grt_goroutine_by_id(t, goid, err);
		if (!g)
			return gd_err_set(err, "no goroutine %lu",
					  (unsigned long)goid);
		tid = g->tid;
	}
	*gout = g;
	if (tid) {
		struct user_regs_struct r;
		if (core_regs(t->proc, tid, &r, err) < 0)
			return -1;
		if (g) {
			uint64_t cur = 0;
			/* best effort: TLS that cannot be read: the thread
			 * is taken to be on a system stack, not the
			 * goroutine's. */
			if (r.fs_base >= 8)
				grt__read_u64(t, r.fs_base - 8, &cur, NULL);
			*sys = (cur != g->gaddr);
		}
		*pc = r.rip;
		*sp = r.rsp;
		*bp = r.rbp;
		*live = tid;
		return 0;
	}
	if (!g)
		return gd_err_set(err, "no goroutine or thread to unwind");
	*pc = g->sched_pc;
	*sp = g->sched_sp;
	*bp = g->sched_bp;
	return 0;
}

/* Where the system stack hands back to the goroutine's stack. */
enum { SYS_NONE, SYS_FOLLOW, SYS_RESUME };
static int sys_switch(const char *fn)
{
	/* systemstack returns normally: its own frame continues on the
	 * goroutine stack at sched.sp (the runtime's traceback does the same). */
	if (strcmp(fn, "runtime.systemstack") == 0)
		return SYS_FOLLOW;
	/* These never return to the goroutine by their frame: the goroutine
	 * resumes from the g.sched they saved. */
	if (strcmp(fn, "runtime.mcall") == 0 ||
	    strcmp(fn, "runtime.morestack") == 0 ||
	    strcmp(fn, "runtime.asmcgocall") == 0)
		return SYS_RESUME;
	return SYS_NONE;
}

/* The registers the kernel saved when it delivered a signal: runtime.sigtramp
 * is entered with the rt_sigframe's return address at SP, so its CFA is the
 * ucontext; uc_mcontext (struct sigcontext: r8..r15, rdi, rsi, rbp, rbx,
 * rdx, rax, rcx, rsp, rip) starts 40 bytes in. */
#define UC_MCONTEXT 40

static int signal_context(grt_target *t, uint64_t cfa,
			  struct user_regs_struct *r)
{
	uint64_t w[17];
	/* best effort: a signal frame that cannot be read ends the walk
	 * there (the stack is reported incomplete). */
	if (core_read(t->proc, cfa + UC_MCONTEXT, w, sizeof(w), NULL) < 0)
		return -1;
	memset(r, 0, sizeof(*r));
	r->r8 = w[0], r->r9 = w[1], r->r10 = w[2], r->r11 = w[3];
	r->r12 = w[4], r->r13 = w[5], r->r14 = w[6], r->r15 = w[7];
	r->rdi = w[8], r->rsi = w[9], r->rbp = w[10], r->rbx = w[11];
	r->rdx = w[12], r->rax = w[13], r->rcx = w[14], r->rsp = w[15];
	r->rip = w[16];
	return r->rip && r->rsp ? 0 : -1;
}

/* The CFA from Go's call frame information; -1 where it has none. */
static int go_cfa(grt_target *t, uint64_t pc, uint64_t sp, uint64_t bp,
		  int exact, uint64_t *cfa)
{
	uint64_t regs[17] = {0};
	regs[6] = bp;
	regs[7] = sp;
	regs[16] = pc - t->bias;
	return gdw_cfa(t->dw, exact ? pc - t->bias : pc - t->bias - 1, regs,
		       cfa);
}

/* Where a cgo callback left the system stack: runtime.cgocallback runs on
 * g0 under the C code that called crosscall2, saves that SP in
 * g0.sched.sp (the one it replaces at 0(SP) there) and goes on in a frame
 * of the same size on the goroutine's stack.  The M is g.m, or g.lockedm
 * when the callback's goroutine parked (cgocallbackg locks it to its
 * thread).  *next: for a second callback further down the goroutine's
 * stack (Go, C, Go, C, Go), the SP the first one saved; 0 before the
 * first.  0 with *sp0 set, else -1. */
static int callback_g0_sp(grt_target *t, const grt_goroutine *g,
			  uint64_t *next, uint64_t *sp0)
{
	const grt_layout *L = &t->L;
	if (*next) {
		*sp0 = *next;
	} else {
		uint64_t m = 0, g0 = 0;
		/* best effort: -1 is "not a cgo callback we can cross": the
		 * walk goes on as for any frame. */
		if (grt__read_u64(t, g->gaddr + L->g_m, &m, NULL) < 0)
			return -1;
		if (!m &&
		    grt__read_u64(t, g->gaddr + L->g_lockedm, &m, NULL) < 0)
			return -1;
		/* best effort: as above. */
		if (!m || grt__read_u64(t, m + L->m_g0, &g0, NULL) < 0 ||
		    !g0 || grt__read_u64(t, g0 + L->g_sched_sp, sp0, NULL) < 0)
			return -1;
	}
	/* best effort: as above. */
	if (!*sp0 || (*sp0 >= g->stack_lo && *sp0 < g->stack_hi) ||
	    grt__read_u64(t, *sp0, next, NULL) < 0)
		return -1;
	return 0;
}

/* Only crosscall2 calls cgocallback.  Once a panic has unwound through a
 * callback (cgocallbackg1's deferred unwindm), g0.sched.sp is the one
 * before it again and the C frames under it may be overwritten by the
 * system stack the runtime then used: nothing there to show. */
static int called_from_crosscall2(grt_target *t, uint64_t ret)
{
	grt_frame f;
	memset(&f, 0, sizeof(f));
	f.pc = ret;
	describe(t, &f, 0);
	return strcmp(f.func, "crosscall2") == 0 && f.pc != f.func_entry;
}

/* Where the walk goes on when a stretch of native frames or of the system
 * stack under a cgo callback ends: the goroutine's frames past the
 * callback. */
typedef struct resume_at {
	int set;
	uint64_t pc, sp, bp;
} resume_at;

int grt_stack(grt_target *t, uint64_t goid, pid_t tid, size_t max,
	      grt_frame **frames, size_t *n, int *complete, gd_err *err)
{
	*frames = NULL;
	*n = 0;
	*complete = 0;
	uint64_t pc = 0, sp = 0, bp = 0;
	pid_t live;
	const grt_goroutine *g;
	int sys;
	if (start_regs(t, goid, tid, &pc, &sp, &bp, &live, &g, &sys, err) < 0)
		return -1;
	/* The thread libunwind reads the target through (a core file needs
	 * none; a live process any stopped thread). */
	pid_t utid = live ? live : g && g->tid ? g->tid
			  : core_thread_count(t->proc) ? core_thread_tid(t->proc, 0)
							: 0;
	size_t cap = 32 > max ? 32 : max < 1024 ? max : 1024;
	grt_frame *fs = malloc(cap * sizeof(*fs));
	if (!fs)
		return gd_err_set(err, "out of memory");
	size_t k = 0;
	int exact = 1; /* frame 0's PC is where the thread is */
	/* The registers a signal interrupted, for native frames there. */
	struct user_regs_struct sigregs;
	int have_sigregs = 0;
	resume_at resume = {0};
	uint64_t next_g0sp = 0;
	gdw_func fn0;
	if (live && gdw_func_at(t->dw, pc - t->bias, &fn0) < 0) {
		/* Stopped in code Go's DWARF does not describe (the vDSO, C):
		 * walk out of it natively first. */
		int rc = grt__native_unwind(t, live, NULL, &fs, &k, &cap, max,
					    &pc, &sp, &bp, err);
		if (rc < 0) {
			free(fs);
			return -1;
		}
		for (size_t i = 0; i < k; i++) {
			const char *native = fs[i].func;
			describe(t, &fs[i], i == 0);
			if (strcmp(fs[i].func, "?") == 0)
				fs[i].func = native;
			fs[i].exact_pc = i == 0;
		}
		exact = 0;
		if (rc == GRT_NATIVE_STOPPED && k)
			pc = 0; /* no way back into Go code from there */
	}
	while (k < max && pc) {
		if (k == cap) {
			cap *= 2;
			grt_frame *nf = realloc(fs, cap * sizeof(*nf));
			if (!nf) {
				free(fs);
				return gd_err_set(err, "out of memory");
			}
			fs = nf;
		}
		grt_frame *fr = &fs[k++];
		memset(fr, 0, sizeof(*fr));
		fr->pc = pc;
		fr->sp = sp;
		fr->exact_pc = exact;
		describe(t, fr, exact);
		int sw = sys ? sys_switch(fr->func) : SYS_NONE;
		if (sw == SYS_RESUME && resume.set) {
			/* The system stack under a cgo callback ends where
			 * the goroutine called C: on with the goroutine's
			 * frames past the callback. */
			fr->cfa = 0;
			pc = resume.pc, sp = resume.sp, bp = resume.bp;
			resume.set = 0;
			exact = 0;
			sys = 0;
			have_sigregs = 0;
			continue;
		}
		if (sw == SYS_RESUME && g->sched_pc) {
			fr->cfa = 0;
			pc = g->sched_pc;
			sp = g->sched_sp;
			bp = g->sched_bp;
			exact = 1;
			sys = 0;
			have_sigregs = 0;
			continue;
		}
		if (sw == SYS_FOLLOW && g->sched_sp) {
			sp = fr->sp = g->sched_sp;
			bp = g->sched_bp;
			sys = 0;
		}
		/* mcall, morestack and asmcgocall never return by their own
		 * frame: with no goroutine to resume from (an idle thread in
		 * the scheduler), they are the bottom of what this thread
		 * runs, and what lies above them is not a caller. */
		if (sys_switch(fr->func) == SYS_RESUME) {
			fr->cfa = 0;
			goto stretch_end;
		}
		/* A return address is never a function's first byte nor
		 * outside every function: past such a "frame" the walk reads
		 * stale stack words, not callers. */
		if (!exact && k > 1 &&
		    ((strcmp(fr->func, "?") == 0 && !fr->file) ||
		     fr->pc == fr->func_entry)) {
			k--;
			goto stretch_end;
		}
		int sigframe = strcmp(fr->func, "runtime.sigtramp") == 0;
		if (is_bottom(fr->func) && !sigframe) {
			fr->cfa = 0;
			goto stretch_end;
		}
		uint64_t cfa;
		if (go_cfa(t, pc, sp, bp, exact, &cfa) < 0) {
			/* Code Go's frame information does not cover (C, a
			 * library): libunwind goes on from here, this frame
			 * included, until Go code again. */
			if (strcmp(fr->func, "?") != 0 || have_sigregs) {
				struct user_regs_struct r;
				if (have_sigregs) {
					r = sigregs;
				} else {
					memset(&r, 0, sizeof(r));
					r.rip = pc, r.rsp = sp, r.rbp = bp;
				}
				size_t at = --k;
				int rc = grt__native_unwind(t, utid, &r, &fs, &k,
							    &cap, max, &pc, &sp,
							    &bp, err);
				if (rc < 0) {
					free(fs);
					return -1;
				}
				for (size_t i = at; i < k; i++) {
					const char *native = fs[i].func;
					int ex = i == at ? exact : 0;
					describe(t, &fs[i], ex);
					if (strcmp(fs[i].func, "?") == 0)
						fs[i].func = native;
					fs[i].exact_pc = ex;
				}
				have_sigregs = 0;
				if (k > at) {
					if (rc == GRT_NATIVE_STOPPED)
						goto stretch_end;
					exact = 0;
					if (g && !resume.set)
						sys = !(sp >= g->stack_lo &&
							sp < g->stack_hi);
					continue;
				}
				/* libunwind knew nothing here: as below. */
				k++;
			}
			/* No CFI: trust the frame pointer chain. */
			if (!bp || bp < sp)
				break;
			cfa = bp + 16;
		}
		fr->cfa = cfa;
		have_sigregs = 0;
		if (sigframe) {
			/* Cross into the code the signal interrupted. */
			if (signal_context(t, cfa, &sigregs) < 0)
				goto stretch_end;
			have_sigregs = 1;
			pc = sigregs.rip, sp = sigregs.rsp, bp = sigregs.rbp;
			exact = 1;
			if (g && !resume.set)
				sys = !(sp >= g->stack_lo && sp < g->stack_hi);
			continue;
		}
		uint64_t ret;
		/* best effort: a return address that cannot be read ends
		 * the walk (stack incomplete). */
		if (grt__read_u64(t, cfa - 8, &ret, NULL) < 0)
			break;
		/* Go frames bigger than the return address pushed the
		 * caller's BP just below it. */
		uint64_t nbp = bp;
		/* crosscall2 (C calling Go) saves the C code's BP among the
		 * registers it keeps, not below its return address, and never
		 * changes BP. */
		if (cfa - sp > 8 && strcmp(fr->func, "crosscall2") != 0) {
			uint64_t saved;
			/* best effort: a saved BP that cannot be read keeps
			 * the current one (the CFI, not BP, places Go
			 * frames). */
			if (grt__read_u64(t, cfa - 16, &saved, NULL) == 0)
				nbp = saved;
		}
		if (cfa <= sp && k > 1)
			break; /* not making progress: corrupt stack */
		uint64_t sp0;
		if (!sys && g && !resume.set &&
		    strcmp(fr->func, "runtime.cgocallback") == 0 &&
		    callback_g0_sp(t, g, &next_g0sp, &sp0) == 0) {
			/* A cgo callback: its caller here is where the
			 * goroutine called C; first the C code that called
			 * back, on the system stack, from the same frame of
			 * cgocallback there. */
			uint64_t cfa0, ret0, bp0 = 0;
			/* best effort: as for callback_g0_sp: a callback
			 * that cannot be crossed is walked as a plain
			 * frame. */
			if (go_cfa(t, pc, sp0, 0, exact, &cfa0) == 0 &&
			    cfa0 > sp0 &&
			    grt__read_u64(t, cfa0 - 8, &ret0, NULL) == 0 &&
			    grt__read_u64(t, cfa0 - 16, &bp0, NULL) == 0 &&
			    called_from_crosscall2(t, ret0)) {
				resume.set = 1;
				resume.pc = ret, resume.sp = cfa, resume.bp = nbp;
				pc = ret0, sp = cfa0, bp = bp0;
				exact = 0;
				sys = 1;
				continue;
			}
		}
		exact = is_trap_frame(fr->func);
		sp = cfa;
		pc = ret;
		bp = nbp;
		continue;
	stretch_end:
		/* The end of a stack, or of the system stack under a cgo
		 * callback: then the goroutine's frames past it. */
		if (!resume.set) {
			*complete = 1;
			break;
		}
		pc = resume.pc, sp = resume.sp, bp = resume.bp;
		resume.set = 0;
		exact = 0;
		sys = 0;
		have_sigregs = 0;
	}
	if (!pc)
		*complete = 1;
	*frames = fs;
	*n = k;
	return 0;
}

int grt_stack_inline(grt_target *t, grt_frame **frames, size_t *n,
		     gd_err *err)
{
	grt_frame *in = *frames;
	size_t cap = *n + 8, k = 0;
	grt_frame *out = malloc(cap * sizeof(*out));
	if (!out)
		goto oom;
	for (size_t i = 0; i < *n; i++) {
		gdw_inl *chain = NULL;
		size_t depth = 0;
		uint64_t look = in[i].pc - t->bias - (in[i].exact_pc ? 0 : 1);
		if (in[i].file && gdw_inline_chain(t->dw, look, &chain, &depth) < 0)
			depth = 0;
		if (k + depth + 1 > cap) {
			cap = 2 * (k + depth + 1);
			grt_frame *no = realloc(out, cap * sizeof(*no));
			if (!no) {
				free(chain);
				free(out);
				goto oom;
			}
			out = no;
		}
		for (size_t d = 0; d < depth; d++) {
			grt_frame *fr = &out[k++];
			*fr = in[i];
			fr->func = chain[d].name;
			fr->inl_die = chain[d].die;
			if (d > 0) {
				fr->file = chain[d - 1].call_file;
				fr->line = chain[d - 1].call_line;
			}
		}
		out[k] = in[i];
		out[k].inl_die = 0;
		if (depth) {
			out[k].file = chain[depth - 1].call_file;
			out[k].line = chain[depth - 1].call_line;
		}
		k++;
		free(chain);
	}
	free(in);
	*frames = out;
	*n = k;
	return 0;
oom:
	free(in);
	*frames = NULL;
	*n = 0;
	return gd_err_set(err, "out of memory");
}
