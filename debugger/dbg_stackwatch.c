/* Data breakpoints on goroutine-stack variables.  Go moves a goroutine's
 * stack when it grows (runtime.copystack), keeping every value at the same
 * distance from the stack's top: at copystack's returns the watch reads the
 * goroutine's new stack top and moves the debug register there.  When the
 * variable's frame returns (its return address reached by that goroutine
 * with the stack pointer at the frame's CFA) the watch ends with a
 * message.  Between the copy and the move, the old stack is free memory
 * the runtime may give to another goroutine: a write there in that window
 * would be reported as a change of the variable. */
#include "dbg_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void del_bps(dbg *d, dbg_bp *bp)
{
	int alive = d->proc && !core_exited(d->proc);
	for (size_t i = 0; i < bp->ncs; i++)
		if (alive)
			/* best effort: removing fails only for a process
			 * that is going (its threads gone); the watch ends
			 * either way. */
			core_bp_del(d->proc, bp->cs[i], NULL);
	free(bp->cs);
	bp->cs = NULL;
	bp->ncs = 0;
	/* best effort: as above. */
	if (bp->sret && alive)
		core_bp_del(d->proc, bp->sret, NULL);
	bp->sret = 0;
	bp->sgaddr = 0;
}

void dbg__stackwatch_end(dbg *d, dbg_bp *bp)
{
	del_bps(d, bp);
}

/* After core_hw_set: if addr is on a goroutine stack, follow it. */
int dbg__stackwatch_begin(dbg *d, dbg_bp *bp, uint64_t addr, gd_err *err)
{
	del_bps(d, bp);
	const grt_goroutine *gs;
	size_t n;
	if (grt_goroutines(d->rt, &gs, &n, err) < 0)
		return -1;
	const grt_goroutine *g = NULL;
	for (size_t i = 0; i < n && !g; i++)
		if (addr >= gs[i].stack_lo && addr < gs[i].stack_hi)
			g = &gs[i];
	if (!g)
		return 0; /* a global or a heap value: nothing moves */
	grt_frame *fs;
	size_t nf;
	int complete;
	if (grt_stack(d->rt, g->goid, 0, 1024, &fs, &nf, &complete, err) < 0)
		return -1;
	size_t k;
	for (k = 0; k < nf; k++)
		if (fs[k].sp <= addr && addr < fs[k].cfa)
			break;
	if (k + 1 >= nf) {
		free(fs);
		return gd_err_set(err, "no frame of goroutine %llu holds 0x%llx",
				  (unsigned long long)g->goid, (unsigned long long)addr);
	}
	bp->sgaddr = g->gaddr;
	bp->sgoid = g->goid;
	bp->shi = g->stack_hi;
	bp->soff = g->stack_hi - addr;
	bp->scfa_off = g->stack_hi - fs[k].cfa;
	uint64_t ret = fs[k + 1].pc;
	free(fs);
	uint64_t *cs;
	size_t ncs;
	if (grt_copystack_exits(d->rt, &cs, &ncs, err) < 0)
		return -1;
	for (size_t i = 0; i < ncs; i++)
		if (core_bp_add(d->proc, cs[i], err) < 0) {
			for (size_t j = 0; j < i; j++)
				/* best effort: err tells why arming failed;
				 * this only takes back the ones set. */
				core_bp_del(d->proc, cs[j], NULL);
			free(cs);
			return -1;
		}
	bp->cs = cs;
	bp->ncs = ncs;
	if (core_bp_add(d->proc, ret, err) < 0) {
		del_bps(d, bp);
		return -1;
	}
	bp->sret = ret;
	return 0;
}

/* Thread tid stopped at addr.  Moves or ends stack watches; returns 1 when
 * it had to stop every thread for that (the caller then resumes them
 * all), 0 when it changed nothing. */
int dbg__stackwatch_on_bp(dbg *d, pid_t tid, uint64_t addr)
{
	int all = 0;
	gd_err err = GD_ERR_INIT;
	for (size_t i = 0; i < d->nbps; i++) {
		dbg_bp *bp = &d->bps[i];
		if (bp->kind != DBG_BP_DATA || bp->slot < 0 || !bp->sgaddr)
			continue;
		int at_cs = 0;
		for (size_t j = 0; j < bp->ncs; j++)
			at_cs |= bp->cs[j] == addr;
		if (at_cs) {
			uint64_t lo, hi;
			if (grt_g_stack(d->rt, bp->sgaddr, &lo, &hi, &err) < 0 ||
			    hi == bp->shi)
				continue;
			if (!all && core_stop_all(d->proc, &err) < 0)
				break;
			all = 1;
			uint64_t to = hi - bp->soff;
			if (core_hw_set(d->proc, bp->slot, to, bp->wlen, bp->wrw, &err) < 0)
				break;
			gd_log_info(d->log, "watch %s: stack moved, 0x%llx -> 0x%llx",
				    bp->wname ? bp->wname : "?",
				    (unsigned long long)bp->waddr, (unsigned long long)to);
			bp->waddr = to;
			bp->shi = hi;
			continue;
		}
		if (addr != bp->sret)
			continue;
		uint64_t goid = 0, lo, hi;
		struct user_regs_struct r;
		grt_invalidate(d->rt);
		/* best effort: a hit that cannot be placed (goroutine,
		 * registers or stack unreadable) is not the watched frame's
		 * return. */
		if (grt_thread_goid(d->rt, tid, &goid, NULL) < 0 || goid != bp->sgoid ||
		    core_regs(d->proc, tid, &r, NULL) < 0 ||
		    grt_g_stack(d->rt, bp->sgaddr, &lo, &hi, NULL) < 0 ||
		    hi - r.rsp != bp->scfa_off)
			continue;
		if (!all && core_stop_all(d->proc, &err) < 0)
			break;
		all = 1;
		char *msg = NULL;
		const char *name = bp->wname ? bp->wname : "the variable";
		if (asprintf(&msg, "the data breakpoint on %s ended: its frame returned\n",
			     name) < 0)
			msg = NULL;
		dbg__watch_disarm(d, bp);
		free(bp->message);
		bp->message = msg ? strndup(msg, strlen(msg) - 1) : NULL;
		if (msg)
			dbg__emit_output(d, msg, NULL);
		free(msg);
	}
	if (err.msg)
		gd_log_info(d->log, "watch: %s", gd_err_msg(&err));
	gd_err_clear(&err);
	return all;
}
