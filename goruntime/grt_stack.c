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
 * registers, unless the thread is on the system stack (then the goroutine's
 * own frames start at its saved g.sched); a parked one from g.sched. */
static int start_regs(grt_target *t, uint64_t goid, pid_t tid, uint64_t *pc,
		      uint64_t *sp, uint64_t *bp, pid_t *live, gd_err *err)
{
	*live = 0;
	const grt_goroutine *g = NULL;
	if (goid) {
		g = grt_goroutine_by_id(t, goid, err);
		if (!g)
			return gd_err_set(err, "no goroutine %lu",
					  (unsigned long)goid);
		tid = g->tid;
	}
	if (tid) {
		struct user_regs_struct r;
		if (core_regs(t->proc, tid, &r, err) < 0)
			return -1;
		int on_gstack = 1;
		if (g) {
			uint64_t cur = 0;
			if (r.fs_base >= 8)
				grt__read_u64(t, r.fs_base - 8, &cur, NULL);
			on_gstack = (cur == g->gaddr);
		}
		if (on_gstack || !g || !g->sched_pc) {
			*pc = r.rip;
			*sp = r.rsp;
			*bp = r.rbp;
			*live = tid;
			return 0;
		}
	}
	if (!g)
		return gd_err_set(err, "no goroutine or thread to unwind");
	*pc = g->sched_pc;
	*sp = g->sched_sp;
	*bp = g->sched_bp;
	return 0;
}

int grt_stack(grt_target *t, uint64_t goid, pid_t tid, size_t max,
	      grt_frame **frames, size_t *n, int *complete, gd_err *err)
{
	*frames = NULL;
	*n = 0;
	*complete = 0;
	uint64_t pc = 0, sp = 0, bp = 0;
	pid_t live;
	if (start_regs(t, goid, tid, &pc, &sp, &bp, &live, err) < 0)
		return -1;
	size_t cap = 32 > max ? 32 : max < 1024 ? max : 1024;
	grt_frame *fs = malloc(cap * sizeof(*fs));
	if (!fs)
		return gd_err_set(err, "out of memory");
	size_t k = 0;
	int exact = 1; /* frame 0's PC is where the thread is */
	gdw_func fn0;
	if (live && gdw_func_at(t->dw, pc - t->bias, &fn0) < 0) {
		/* Stopped in code Go's DWARF does not describe (the vDSO, C):
		 * walk out of it natively first. */
		size_t nn = 0;
		int reached = grt__native_unwind(t, live, fs, cap < max ? cap : max,
						 &nn, &pc, &sp, &bp) == 0;
		for (size_t i = 0; i < nn; i++)
			describe(t, &fs[i], i == 0);
		k = nn;
		exact = 0;
		if (!reached && nn)
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
		fr->pc = pc;
		fr->sp = sp;
		describe(t, fr, exact);
		if (is_bottom(fr->func)) {
			*complete = 1;
			fr->cfa = 0;
			break;
		}
		uint64_t regs[17] = {0};
		regs[6] = bp;
		regs[7] = sp;
		regs[16] = pc - t->bias;
		uint64_t cfa;
		if (gdw_cfa(t->dw, exact ? pc - t->bias : pc - t->bias - 1,
			    regs, &cfa) < 0) {
			/* No CFI: trust the frame pointer chain. */
			if (!bp || bp < sp)
				break;
			cfa = bp + 16;
		}
		fr->cfa = cfa;
		uint64_t ret;
		if (grt__read_u64(t, cfa - 8, &ret, NULL) < 0)
			break;
		/* Go frames bigger than the return address pushed the
		 * caller's BP just below it. */
		if (cfa - sp > 8) {
			uint64_t saved;
			if (grt__read_u64(t, cfa - 16, &saved, NULL) == 0)
				bp = saved;
		}
		exact = is_trap_frame(fr->func);
		if (cfa <= sp && k > 1)
			break; /* not making progress: corrupt stack */
		sp = cfa;
		pc = ret;
	}
	if (!pc)
		*complete = 1;
	*frames = fs;
	*n = k;
	return 0;
}
