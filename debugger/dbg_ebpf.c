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
#include "../goruntime/grt_text.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

void dbg_set_ebpf_conditions(dbg *d, int on, int pads)
{
	d->ebpf_wanted = on != 0;
	d->pads_wanted = pads != 0;
}

static int wants_kernel(const dbg *d, const dbg_bp *bp)
{
	return d->ebpf_wanted && bp->condition &&
	       (bp->kind == DBG_BP_LINE || bp->kind == DBG_BP_FUNC);
}

/* A logpoint: its values can be read in the kernel and sent through the
 * ring buffer, without stopping the thread, its condition (if any)
 * evaluated first in the same program.  With a hit condition godap must
 * count the hits, so it stays with the int3. */
static int wants_klog(const dbg *d, const dbg_bp *bp)
{
	return d->ebpf_wanted && bp->log_message &&
	       (bp->kind == DBG_BP_LINE || bp->kind == DBG_BP_FUNC);
}

static int same_vals(const dbg_bp *bp, const grt_bpf_val *v, size_t n)
{
	if (bp->nkvals != n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (bp->kvals[i].kind != v[i].kind || bp->kvals[i].off != v[i].off ||
		    bp->kvals[i].max != v[i].max)
			return 0;
	return 1;
}

/* 1 when the logpoint at address i runs in the kernel, 0 when not (the
 * reason kept in bp->kwhy). */
static int klog_insert(dbg *d, dbg_bp *bp, size_t i, uint64_t addr)
{
	gd_err why = GD_ERR_INIT;
	void *insns = NULL, *cond = NULL;
	size_t n = 0, nv = 0, ncond = 0, recsize = 0;
	grt_bpf_val *vals = NULL;
	int compiled = 0, ok = 0;
	if (bp->hitcond) {
		gd_err_set(&why, "a hit condition needs godap to count the hits");
	} else if (bp->condition &&
		   grt_bpf_cond(d->rt, bp->condition, addr, &cond, &ncond, &why) < 0) {
		/* why says what in the condition did not compile */
	} else if ((compiled = grt_bpf_log(d->rt, bp->log_message, addr, &insns,
					   &n, &vals, &nv, &recsize, &why) == 0)) {
		int have = 0;
		for (size_t j = 0; j < i; j++)
			have |= bp->kaddrs[j] == 2;
		if (have && !same_vals(bp, vals, nv))
			gd_err_set(&why, "the values have other types at another "
				   "address");
		else if (core_klog_add(d->proc, addr, cond, ncond, insns, n,
				       recsize, &why) == 0)
			ok = 1;
	}
	free(insns);
	free(cond);
	if (ok) {
		if (!bp->kvals) {
			bp->kvals = vals;
			bp->nkvals = nv;
			vals = NULL;
		}
		free(vals);
		bp->kaddrs[i] = 2;
		gd_log_info(d->log, "breakpoint %d at %#lx: logpoint '%s' read in "
			    "the kernel (eBPF, ring buffer)%s%s", bp->id,
			    (unsigned long)addr, bp->log_message,
			    bp->condition ? ", condition " : "",
			    bp->condition ? bp->condition : "");
		return 1;
	}
	free(vals);
	gd_log_info(d->log, "breakpoint %d at %#lx: logpoint '%s' formatted by "
		    "godap: %s", bp->id, (unsigned long)addr, bp->log_message,
		    gd_err_msg(&why));
	const char *m = gd_err_msg(&why);
	int refused = compiled && (strstr(m, "Operation not permitted") ||
				   strstr(m, "Permission denied") ||
				   strstr(m, "uprobe event source"));
	if (!bp->kwhy && !refused)
		bp->kwhy = strdup(m);
	gd_err_clear(&why);
	return 0;
}

int dbg__ebpf_insert(dbg *d, dbg_bp *bp, size_t i, uint64_t addr, gd_err *err)
{
	if (wants_klog(d, bp) && klog_insert(d, bp, i, addr))
		return 0;
	core_set_jump_pads(d->proc, d->pads_wanted);
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

/* ---- the kernel logpoints' records ---- */

static dbg_bp *klog_bp(dbg *d, uint64_t addr)
{
	for (size_t i = 0; i < d->nbps; i++) {
		dbg_bp *bp = &d->bps[i];
		for (size_t j = 0; bp->kaddrs && j < bp->naddrs; j++)
			if (bp->addrs[j] == addr && bp->kaddrs[j] == 2)
				return bp;
	}
	return NULL;
}

/* The size of the records of bp (grt_bpf_log's *recsize): the values,
 * then the strings' bytes. */
static size_t rec_size(const dbg_bp *bp)
{
	size_t end = CORE_KLOG_VALS + 8 * bp->nkvals;
	for (size_t k = 0; k < bp->nkvals; k++)
		if (bp->kvals[k].kind == GRT_BPF_STRING &&
		    bp->kvals[k].off + (size_t)bp->kvals[k].max > end)
			end = bp->kvals[k].off + (size_t)bp->kvals[k].max;
	return end;
}

static uint64_t rec_u64(const uint8_t *rec, size_t off)
{
	uint64_t v;
	memcpy(&v, rec + off, 8);
	return v;
}

/* One record, printed as dbg_bp.c's logpoint() prints the same hit. */
static void klog_record(void *ctx, const uint8_t *rec, size_t len)
{
	dbg *d = ctx;
	if (len < CORE_KLOG_VALS)
		return;
	/* A record of a breakpoint removed since is dropped. */
	dbg_bp *bp = klog_bp(d, rec_u64(rec, CORE_KLOG_ADDR));
	if (!bp || len != rec_size(bp))
		return;
	const gx_logmsg *m;
	gd_err err = GD_ERR_INIT;
	if (grt_logmsg_parsed(d->rt, bp->log_message, &m, &err) < 0) {
		gd_log_info(d->log, "logpoint: %s", gd_err_msg(&err));
		gd_err_clear(&err);
		return;
	}
	uint64_t failed = rec_u64(rec, CORE_KLOG_FAILED);
	uint64_t max_string, max_array;
	grt_limits(d->rt, &max_string, &max_array);
	gd_buf out = GD_BUF_INIT;
	size_t k = 0;
	for (size_t i = 0; i < m->nparts; i++) {
		const gx_logpart *p = &m->parts[i];
		if (!p->is_expr) {
			gd_buf_append(&out, p->text, p->len);
			continue;
		}
		if (k >= bp->nkvals)
			break;
		uint64_t v = rec_u64(rec, CORE_KLOG_VALS + 8 * k);
		if (failed >> k & 1 && v) {
			/* A nil pointer on the way, at offset v - 1 of the
			 * expression: said as godap's own path says it. */
			gd_err e = GD_ERR_INIT;
			gx_errorf(p->expr, (size_t)(v - 1), &e, "nil pointer dereference");
			gd_buf_printf(&out, "<%s: %s>", p->text, gd_err_msg(&e));
			gd_err_clear(&e);
		} else if (failed >> k & 1)
			gd_buf_printf(&out, "<%s: could not be read>", p->text);
		else if (bp->kvals[k].kind == GRT_BPF_BOOL)
			gd_buf_puts(&out, v ? "true" : "false");
		else if (bp->kvals[k].kind == GRT_BPF_STRING) {
			/* As godap's path shows it: the first maxStringLen
			 * bytes (the record has that many, or fewer if the
			 * limit grew since: then cut there). */
			uint64_t have = v < bp->kvals[k].max ? v : bp->kvals[k].max;
			if (have > max_string)
				have = max_string;
			if (grt_text_string(&out, rec + bp->kvals[k].off,
					    (size_t)have, v) < 0)
				gd_buf_printf(&out, "<%s: out of memory>", p->text);
		} else if (bp->kvals[k].kind == GRT_BPF_INT)
			gd_buf_printf(&out, "%" PRId64, (int64_t)v);
		else /* unsigned: with the hex form, as grt_format_lim */
			gd_buf_printf(&out, "%" PRIu64 " = 0x%" PRIx64, v, v);
		k++;
	}
	gd_buf_puts(&out, "\n");
	dbg__emit_log(d, out.data ? out.data : "\n", bp,
		      rec_u64(rec, CORE_KLOG_GOID));
	gd_buf_free(&out);
}

/* max 0: every record waiting (at a stop or the end: the program writes
 * no more); else that many at most. */
static void klog_drain(dbg *d, size_t max)
{
	if (!d->proc || !d->rt || core_klog_fd(d->proc) < 0)
		return;
	gd_err err = GD_ERR_INIT;
	uint64_t lost = 0;
	if (core_klog_drain(d->proc, klog_record, d, max, &lost, &err) < 0)
		gd_log_info(d->log, "logpoints: %s", gd_err_msg(&err));
	gd_err_clear(&err);
	if (lost) {
		/* Said, never hidden: the ring was full (godap slower than
		 * the program's hits). */
		char *text = NULL;
		if (asprintf(&text, "godap: %" PRIu64 " logpoint line%s lost (the "
			     "kernel's ring buffer was full)\n", lost,
			     lost == 1 ? "" : "s") >= 0) {
			dbg_event ev = {.kind = DBG_EV_OUTPUT, .text = text};
			d->hooks.event(d->hooks.ctx, &ev);
			free(text);
		}
		gd_log_info(d->log, "logpoints: %" PRIu64 " records lost", lost);
	}
}

int dbg_log_fd(const dbg *d)
{
	return d && d->proc && !dbg_is_corefile(d) ? core_klog_fd(d->proc) : -1;
}

static void klog_count(void *ctx, const uint8_t *rec, size_t len)
{
	(void)rec;
	(void)len;
	++*(uint64_t *)ctx;
}

/* The first max records waiting printed, the others counted and said
 * (why): a program that logs faster than the client reads can leave a
 * backlog (the ring holds up to 350 000 records) that would take longer
 * to print than a client waits for the stop or the end (found in
 * test_ebpf's terminate under load: SIGTERM's stop drained it all). */
static void klog_drain_capped(dbg *d, size_t max, const char *why)
{
	if (!d->proc || !d->rt || core_klog_fd(d->proc) < 0)
		return;
	klog_drain(d, max);
	uint64_t left = 0, lost = 0;
	gd_err err = GD_ERR_INIT;
	if (core_klog_drain(d->proc, klog_count, &left, 0, &lost, &err) < 0)
		gd_log_info(d->log, "logpoints: %s", gd_err_msg(&err));
	gd_err_clear(&err);
	left += lost;
	char *text = NULL;
	if (left && asprintf(&text, "godap: %" PRIu64 " logpoint line%s not "
			     "shown (%s)\n", left, left == 1 ? "" : "s", why) >= 0) {
		dbg_event ev = {.kind = DBG_EV_OUTPUT, .text = text};
		d->hooks.event(d->hooks.ctx, &ev);
		free(text);
	}
	if (left)
		gd_log_info(d->log, "logpoints: %" PRIu64 " records not shown (%s)",
			    left, why);
}

void dbg__klog_drain(dbg *d)
{
	klog_drain_capped(d, 16384, "godap was too far behind the program");
}

void dbg__klog_drain_end(dbg *d)
{
	klog_drain_capped(d, 4096, "the program was terminated");
}

void dbg_log_drain(dbg *d)
{
	/* While the program runs it may fill the ring as fast as godap reads
	 * it: a bounded drain, then back to the requests (a terminate must
	 * not wait for a quiet moment); the ring's descriptor stays readable
	 * and the rest comes at the next wake-up. */
	if (d)
		klog_drain(d, 4096);
}
