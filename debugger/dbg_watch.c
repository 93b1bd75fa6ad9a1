/* Data breakpoints: x86 debug registers through core.  dbg_watch_info
 * says whether a value can be watched and names its bytes (a dataId);
 * dbg_bp_set(DBG_BP_DATA) arms up to four of them. */
#include "dbg_internal.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *dbg__watch_id(uint64_t addr, int len, int kind, const char *name)
{
	char *id = NULL;
	if (asprintf(&id, "0x%" PRIx64 "/%d/%d/%s", addr, len, kind, name) < 0)
		return NULL;
	return id;
}

int dbg__watch_id_parse(const char *id, uint64_t *addr, int *len, int *kind,
			const char **name)
{
	char *end;
	*addr = strtoull(id, &end, 16);
	if (end == id || *end != '/')
		return -1;
	*len = (int)strtol(end + 1, &end, 10);
	if (*end != '/' || (*len != 1 && *len != 2 && *len != 4 && *len != 8))
		return -1;
	*kind = (int)strtol(end + 1, &end, 10);
	if (*end != '/')
		return -1;
	*name = end + 1;
	return 0;
}

void dbg__watch_format(uint64_t raw, int len, int kind, char *buf, size_t n)
{
	if (len < 8)
		raw &= (1ull << (len * 8)) - 1;
	switch (kind) {
	case GDW_K_BOOL:
		snprintf(buf, n, "%s", raw ? "true" : "false");
		return;
	case GDW_K_INT: case GDW_K_INT8: case GDW_K_INT16: case GDW_K_INT32:
	case GDW_K_INT64: {
		int64_t v = len == 8 ? (int64_t)raw
			  : (int64_t)(raw << (64 - len * 8)) >> (64 - len * 8);
		snprintf(buf, n, "%" PRId64, v);
		return;
	}
	case GDW_K_FLOAT32: {
		float f;
		uint32_t u = (uint32_t)raw;
		memcpy(&f, &u, 4);
		snprintf(buf, n, "%g", f);
		return;
	}
	case GDW_K_FLOAT64: {
		double dv;
		memcpy(&dv, &raw, 8);
		snprintf(buf, n, "%g", dv);
		return;
	}
	case GDW_K_PTR: case GDW_K_UNSAFEPTR: case GDW_K_UINTPTR:
		snprintf(buf, n, "0x%" PRIx64, raw);
		return;
	default:
		snprintf(buf, n, "%" PRIu64, raw);
	}
}

int dbg_watch_info(dbg *d, const grt_value *v, const char *name,
		   char **data_id, char **why, gd_err *err)
{
	*data_id = NULL;
	*why = NULL;
	if (!dbg_has_target(d) || d->running)
		return (*why = strdup("the program must be stopped")) ? 0
			: gd_err_set(err, "out of memory");
	const gdw_tinfo *ti = NULL;
	if (gdw_type_info(d->dw, v->type, &ti, err) < 0)
		return -1;
	int len = (int)ti->size;
	int rc;
	/* Values on a goroutine stack too: dbg_stackwatch.c follows them
	 * when the stack moves. */
	if (!v->has_addr)
		rc = asprintf(why, "%s is not in memory (a register or a "
			      "computed value)", name);
	else if (len != 1 && len != 2 && len != 4 && len != 8)
		rc = asprintf(why, "%s is %d bytes; a data breakpoint watches "
			      "1, 2, 4 or 8 (watch a field or an element)",
			      name, len);
	else
		return (*data_id = dbg__watch_id(v->addr, len, ti->kind, name))
			       ? 0 : gd_err_set(err, "out of memory");
	if (rc < 0) {
		*why = NULL;
		return gd_err_set(err, "out of memory");
	}
	return 0;
}

void dbg__watch_disarm(dbg *d, dbg_bp *bp)
{
	dbg__stackwatch_end(d, bp);
	if (bp->slot < 0)
		return;
	if (d->proc && !core_exited(d->proc)) {
		gd_err err = GD_ERR_INIT;
		if (core_hw_clear(d->proc, bp->slot, &err) < 0)
			gd_log_info(d->log, "watchpoint: %s", gd_err_msg(&err));
		gd_err_clear(&err);
	}
	bp->slot = -1;
	bp->verified = 0;
}

static void watch_fail(dbg_bp *bp, const char *msg)
{
	free(bp->message);
	bp->message = strdup(msg);
	bp->verified = 0;
}

void dbg__watch_arm(dbg *d, dbg_bp *bp, int *next_slot)
{
	uint64_t addr;
	int len, kind;
	const char *name;
	gd_err err = GD_ERR_INIT;
	dbg__watch_disarm(d, bp);
	free(bp->message);
	bp->message = NULL;
	if (bp->error) {
		watch_fail(bp, bp->error);
		return;
	}
	if (!bp->data_id ||
	    dbg__watch_id_parse(bp->data_id, &addr, &len, &kind, &name) < 0) {
		watch_fail(bp, "not a dataId from dataBreakpointInfo");
		return;
	}
	if (bp->read_write < 0) {
		watch_fail(bp, "x86 debug registers cannot watch reads alone; "
			   "use readWrite");
		return;
	}
	if (dbg__bp_check_exprs(bp) < 0) {
		bp->verified = 0;
		return;
	}
	if (!dbg_has_target(d)) {
		watch_fail(bp, "the program is not started yet");
		return;
	}
	if (dbg_is_corefile(d)) {
		watch_fail(bp, DBG_ERR_IS_CORE);
		return;
	}
	if (*next_slot >= CORE_HW_SLOTS) {
		watch_fail(bp, "at most 4 data breakpoints (x86 has 4 debug "
			   "registers)");
		return;
	}
	int rw = bp->read_write ? CORE_HW_READWRITE : CORE_HW_WRITE;
	if (core_hw_set(d->proc, *next_slot, addr, len, rw, &err) < 0) {
		watch_fail(bp, gd_err_msg(&err));
		gd_err_clear(&err);
		return;
	}
	/* A variable on a goroutine stack: follow the stack when it moves. */
	if (dbg__stackwatch_begin(d, bp, addr, &err) < 0) {
		gd_err cerr = GD_ERR_INIT;
		/* best effort: err says why the watch failed; this only
		 * takes back the slot it had been given. */
		(void)core_hw_clear(d->proc, *next_slot, &cerr);
		gd_err_clear(&cerr);
		watch_fail(bp, gd_err_msg(&err));
		gd_err_clear(&err);
		return;
	}
	bp->slot = (*next_slot)++;
	bp->waddr = addr;
	bp->wlen = len;
	bp->wrw = rw;
	bp->wkind = kind;
	free(bp->wname);
	bp->wname = strdup(name);
	bp->old = 0;
	/* Unreadable now: the first change is then reported from 0. */
	if (core_read(d->proc, addr, &bp->old, (size_t)len, &err) < 0) {
		gd_log_info(d->log, "watchpoint: %s", gd_err_msg(&err));
		gd_err_clear(&err);
	}
	bp->verified = 1;
}

int dbg__watch_hit(dbg *d, pid_t tid, int slot)
{
	dbg_bp *w = NULL;
	for (size_t i = 0; i < d->nbps && !w; i++)
		if (d->bps[i].kind == DBG_BP_DATA && d->bps[i].slot == slot &&
		    slot >= 0)
			w = &d->bps[i];
	if (!w)
		return 0;
	uint64_t now = 0;
	gd_err err = GD_ERR_INIT;
	if (core_read(d->proc, w->waddr, &now, (size_t)w->wlen, &err) < 0) {
		gd_log_info(d->log, "watchpoint: %s", gd_err_msg(&err));
		gd_err_clear(&err);
	}
	/* Like a line breakpoint's: the condition in the writer's frame, then
	 * the hit count, with only this thread stopped. */
	if (w->condition && !dbg__cond_holds(d, tid, w->condition)) {
		w->old = now;
		return 0;
	}
	w->hits++;
	if (w->hitcond && !gx_hitcond_match(w->hitcond, w->hits)) {
		w->old = now;
		return 0;
	}
	if (core_stop_all(d->proc, &err) < 0) {
		gd_log_info(d->log, "stop: %s", gd_err_msg(&err));
		gd_err_clear(&err);
	}
	dbg__step_drop(d);
	char o[64], n[64];
	dbg__watch_format(w->old, w->wlen, w->wkind, o, sizeof(o));
	dbg__watch_format(now, w->wlen, w->wkind, n, sizeof(n));
	char *desc = NULL;
	const char *name = w->wname ? w->wname : "?";
	int changed = memcmp(&now, &w->old, sizeof(now)) != 0;
	if ((changed && asprintf(&desc, "%s changed from %s to %s", name, o, n) < 0) ||
	    (!changed && asprintf(&desc, "%s accessed (value %s)", name, n) < 0))
		desc = NULL;
	w->old = now;
	int id = w->id;
	dbg__emit_stop(d, DBG_STOP_DATA_BREAKPOINT, dbg__thread_id_for(d, tid),
		       &id, 1, desc ? desc : "data breakpoint");
	free(desc);
	return 1;
}
