/* Which path a breakpoint's condition takes: compiled to eBPF and run in
 * the kernel at the breakpoint (launch attribute ebpfConditions), or
 * evaluated by godap at every hit of an int3 (dbg_bp.c).  The kernel path
 * is taken only when everything allows it: a line or function breakpoint
 * with a condition the compiler handles (goruntime/grt_bpf.c), an
 * instruction there whose effects can be undone, and a kernel that loads
 * the program and has the uprobe event source (core/core_kbp.c).  Anything
 * else takes the int3, and the log says why.  Hits that reach godap are
 * handled the same on both paths (the condition is evaluated again, then
 * hit counts, hit conditions and logpoints): the kernel only filters out
 * hits whose condition is false. */
#include "dbg_internal.h"

#include <stdlib.h>
#include <string.h>

void dbg_set_ebpf_conditions(dbg *d, int on) { d->ebpf_wanted = on != 0; }

static int wants_kernel(const dbg *d, const dbg_bp *bp)
{
	return d->ebpf_wanted && bp->condition &&
	       (bp->kind == DBG_BP_LINE || bp->kind == DBG_BP_FUNC);
}

int dbg__ebpf_insert(dbg *d, dbg_bp *bp, size_t i, uint64_t addr, gd_err *err)
{
	if (wants_kernel(d, bp)) {
		void *insns = NULL;
		size_t n = 0;
		gd_err why = GD_ERR_INIT;
		int compiled = 0;
		if ((compiled = grt_bpf_cond(d->rt, bp->condition, addr, &insns, &n,
					     &why) == 0) &&
		    core_kbp_add(d->proc, addr, insns, n, &why) == 0) {
			free(insns);
			bp->kaddrs[i] = 1;
			gd_log_info(d->log, "breakpoint %d at %#lx: condition '%s' "
				    "runs in the kernel (eBPF)", bp->id,
				    (unsigned long)addr, bp->condition);
			return 0;
		}
		free(insns);
		gd_log_info(d->log, "breakpoint %d at %#lx: condition '%s' "
			    "evaluated by godap: %s", bp->id, (unsigned long)addr,
			    bp->condition, gd_err_msg(&why));
		/* A kernel that refuses (no privilege, no uprobe event
		 * source) is said in the log only: the fallback is silent. */
		const char *m = gd_err_msg(&why);
		int refused = compiled && (strstr(m, "Operation not permitted") ||
					   strstr(m, "Permission denied") ||
					   strstr(m, "uprobe event source"));
		if (!bp->kwhy && !refused)
			bp->kwhy = strdup(m);
		gd_err_clear(&why);
	}
	bp->kaddrs[i] = 0;
	return core_bp_add(d->proc, addr, err);
}

int dbg__ebpf_remove(dbg *d, dbg_bp *bp, size_t i, gd_err *err)
{
	if (bp->kaddrs && bp->kaddrs[i])
		return core_kbp_del(d->proc, bp->addrs[i], err);
	return core_bp_del(d->proc, bp->addrs[i], err);
}
