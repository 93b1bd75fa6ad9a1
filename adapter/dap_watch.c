/* Data breakpoints: x86 debug registers through core.  dataBreakpointInfo
 * names the bytes of a variable (by container + name, or by expression);
 * setDataBreakpoints arms up to four of them. */
#include "dap_internal.h"
#include "../goruntime/grt_value.h"
#include "../goruntime/expr/gx.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* dataId: "ADDR/LEN/KIND/NAME" */
static char *make_id(uint64_t addr, int len, int kind, const char *name)
{
	char *id = NULL;
	if (asprintf(&id, "0x%" PRIx64 "/%d/%d/%s", addr, len, kind, name) < 0)
		return NULL;
	return id;
}

static int parse_id(const char *id, uint64_t *addr, int *len, int *kind,
		    const char **name)
{
	char *end;
	*addr = strtoull(id, &end, 16);
	if (*end != '/')
		return -1;
	*len = (int)strtol(end + 1, &end, 10);
	if (*end != '/')
		return -1;
	*kind = (int)strtol(end + 1, &end, 10);
	if (*end != '/')
		return -1;
	*name = end + 1;
	return 0;
}

static void format_val(uint64_t raw, int len, int kind, char *buf, size_t n)
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
		double d;
		memcpy(&d, &raw, 8);
		snprintf(buf, n, "%g", d);
		return;
	}
	case GDW_K_PTR: case GDW_K_UNSAFEPTR: case GDW_K_UINTPTR:
		snprintf(buf, n, "0x%" PRIx64, raw);
		return;
	default:
		snprintf(buf, n, "%" PRIu64, raw);
	}
}

/* A goroutine stack moves when it grows; a debug register would then
 * watch memory that is no longer the variable. */
static const grt_goroutine *on_stack(dap_session *s, uint64_t addr)
{
	const grt_goroutine *gs;
	size_t n;
	if (grt_goroutines(s->tgt->rt, &gs, &n, NULL) < 0)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (addr >= gs[i].stack_lo && addr < gs[i].stack_hi)
			return &gs[i];
	return NULL;
}

/* The value named by (variablesReference, name) or by the expression
 * name in frameId / the current goroutine's top frame. */
static int find_value(dap_session *s, const dap_args_data_breakpoint_info *a,
		      grt_value *out, gd_err *err)
{
	const dap_handle *h = NULL;
	if (a->has_variables_reference && a->variables_reference > 0) {
		h = dap_handle_get(s, a->variables_reference);
		if (!h)
			return gd_err_set(err, "unknown variablesReference %d",
					  a->variables_reference);
		if (h->kind == DAP_H_VALUE) {
			const grt_value *parent = s->hext[a->variables_reference - 1].val;
			grt_child *ch;
			size_t n;
			if (!parent || grt_children(s->tgt->rt, parent, 0, 0, &ch, &n, err) < 0)
				return -1;
			int rc = gd_err_set(err, "no field or element '%s'", a->name);
			for (size_t i = 0; i < n; i++) {
				if (ch[i].name && strcmp(ch[i].name, a->name) == 0) {
					gd_err_clear(err);
					rc = grt_value_copy(out, &ch[i].v);
					break;
				}
			}
			grt_children_free(ch, n);
			return rc;
		}
	}
	uint64_t goid = s->cur_goid;
	pid_t tid = 0;
	int frame = 0;
	if (!h && a->has_frame_id)
		h = dap_handle_get(s, a->frame_id);
	if (h) {
		goid = h->goid;
		tid = h->tid;
		frame = h->frame;
	}
	grt_scope sc;
	if (grt_scope_open(s->tgt->rt, goid, tid, frame, &sc, err) < 0)
		return -1;
	gx_expr *e = NULL;
	if (gx_parse(a->name, &e, err) < 0)
		return -1;
	int rc = grt_eval(&sc, e, out, err);
	gx_expr_free(e);
	return rc;
}

void dap_h_data_breakpoint_info(dap_session *s, const cJSON *req,
				const cJSON *args)
{
	dap_args_data_breakpoint_info a;
	gd_err err = GD_ERR_INIT;
	if (dap_args_data_breakpoint_info_parse(args, &a, &err) < 0) {
		dap_respond_err(s, req, &err);
		return;
	}
	cJSON *b = cJSON_CreateObject();
	char *why = NULL;
	grt_value v = {0};
	if (s->state != DAP_STOPPED || !s->tgt) {
		why = strdup("the program must be stopped");
	} else if (find_value(s, &a, &v, &err) < 0) {
		if (asprintf(&why, "cannot watch %s: %s", a.name, gd_err_msg(&err)) < 0)
			why = NULL;
		gd_err_clear(&err);
	} else {
		const gdw_tinfo *ti = NULL;
		gdw_type_info(grt_dwarf(s->tgt->rt), v.type, &ti, NULL);
		const grt_goroutine *g;
		int len = ti ? (int)ti->size : 0;
		if (!v.has_addr) {
			if (asprintf(&why, "%s is not in memory (a register or "
				     "a computed value)", a.name) < 0)
				why = NULL;
		} else if (len != 1 && len != 2 && len != 4 && len != 8) {
			if (asprintf(&why, "%s is %d bytes; a data breakpoint "
				     "watches 1, 2, 4 or 8 (watch a field or "
				     "an element)", a.name, len) < 0)
				why = NULL;
		} else if ((g = on_stack(s, v.addr)) != NULL) {
			if (asprintf(&why, "%s lives on goroutine %lu's stack, "
				     "which Go moves when it grows; godap "
				     "watches globals and heap values only",
				     a.name, (unsigned long)g->goid) < 0)
				why = NULL;
		} else {
			char *id = make_id(v.addr, len, ti->kind, a.name);
			cJSON_AddStringToObject(b, "dataId", id ? id : "");
			free(id);
			cJSON_AddStringToObject(b, "description", a.name);
			cJSON *at = cJSON_AddArrayToObject(b, "accessTypes");
			cJSON_AddItemToArray(at, cJSON_CreateString("write"));
			cJSON_AddItemToArray(at, cJSON_CreateString("readWrite"));
			cJSON_AddBoolToObject(b, "canPersist", 0);
		}
	}
	if (why || !cJSON_GetObjectItem(b, "dataId")) {
		cJSON_AddNullToObject(b, "dataId");
		cJSON_AddStringToObject(b, "description", why ? why : "cannot watch");
	}
	free(why);
	grt_value_free(&v);
	dap_args_data_breakpoint_info_free(&a);
	dap_respond(s, req, b);
}

void dap_watch_clear(dap_session *s)
{
	for (int i = 0; i < 4; i++) {
		if (s->watches[i].active && s->tgt && s->tgt->proc &&
		    !core_exited(s->tgt->proc))
			core_hw_clear(s->tgt->proc, i, NULL);
		free(s->watches[i].name);
		free(s->watches[i].condition);
		free(s->watches[i].hitcond);
		memset(&s->watches[i], 0, sizeof(s->watches[i]));
	}
}

void dap_h_set_data_breakpoints(dap_session *s, const cJSON *req,
				const cJSON *args)
{
	dap_args_set_data_breakpoints a;
	gd_err err = GD_ERR_INIT;
	if (dap_args_set_data_breakpoints_parse(args, &a, &err) < 0) {
		dap_respond_err(s, req, &err);
		return;
	}
	if (!s->tgt || !s->tgt->proc) {
		dap_args_set_data_breakpoints_free(&a);
		dap_respond_error(s, req, "setDataBreakpoints: no program is running");
		return;
	}
	int running = dap_with_stopped(s, &err);
	if (running < 0) {
		dap_args_set_data_breakpoints_free(&a);
		dap_respond_err(s, req, &err);
		return;
	}
	dap_watch_clear(s);
	cJSON *body = cJSON_CreateObject();
	cJSON *list = cJSON_AddArrayToObject(body, "breakpoints");
	int slot = 0;
	for (size_t i = 0; i < a.nbreakpoints; i++) {
		cJSON *bp = cJSON_CreateObject();
		cJSON_AddNumberToObject(bp, "id", s->next_bp_id);
		const char *msg = NULL;
		char *owned = NULL;
		uint64_t addr;
		int len, kind;
		const char *name;
		gx_hitcond hc;
		const char *at = a.breakpoints[i].access_type;
		int rw = !at || strcmp(at, "write") == 0 ? CORE_HW_WRITE
			 : strcmp(at, "readWrite") == 0 ? CORE_HW_READWRITE : 0;
		if (core_is_corefile(s->tgt->proc)) {
			msg = CORE_ERR_IS_CORE;
		} else if (parse_id(a.breakpoints[i].data_id, &addr, &len, &kind, &name) < 0) {
			msg = "not a dataId from dataBreakpointInfo";
		} else if (!rw) {
			msg = "x86 debug registers cannot watch reads alone; "
			      "use readWrite";
		} else if (a.breakpoints[i].condition && a.breakpoints[i].condition[0] &&
			   (owned = dap_cond_check(a.breakpoints[i].condition))) {
			msg = owned;
		} else if (a.breakpoints[i].hit_condition &&
			   a.breakpoints[i].hit_condition[0] &&
			   gx_hitcond_parse(a.breakpoints[i].hit_condition, &hc, &err) < 0) {
			owned = strdup(gd_err_msg(&err));
			msg = owned ? owned : "invalid hit condition";
			gd_err_clear(&err);
		} else if (slot >= 4) {
			msg = "at most 4 data breakpoints (x86 has 4 debug registers)";
		} else if (core_hw_set(s->tgt->proc, slot, addr, len, rw, &err) < 0) {
			owned = strdup(gd_err_msg(&err));
			msg = owned;
			gd_err_clear(&err);
		} else {
			struct dap_watch *w = &s->watches[slot++];
			w->active = 1;
			w->id = s->next_bp_id;
			w->addr = addr;
			w->len = len;
			w->rw = rw;
			w->kind = kind;
			w->name = strdup(name);
			core_read(s->tgt->proc, addr, &w->old, (size_t)len, NULL);
			const char *c = a.breakpoints[i].condition;
			const char *h = a.breakpoints[i].hit_condition;
			w->condition = c && c[0] ? strdup(c) : NULL;
			if (h && h[0]) {
				w->hitcond = malloc(sizeof(hc));
				if (w->hitcond)
					memcpy(w->hitcond, &hc, sizeof(hc));
			}
		}
		s->next_bp_id++;
		cJSON_AddBoolToObject(bp, "verified", msg == NULL);
		if (msg)
			cJSON_AddStringToObject(bp, "message", msg);
		free(owned);
		cJSON_AddItemToArray(list, bp);
	}
	dap_args_set_data_breakpoints_free(&a);
	dap_with_stopped_end(s, running);
	dap_respond(s, req, body);
}

int dap_watch_hit(dap_session *s, pid_t tid, int slot)
{
	struct dap_watch *w = &s->watches[slot];
	uint64_t now = 0;
	core_read(s->tgt->proc, w->addr, &now, (size_t)w->len, NULL);
	/* Like a line breakpoint's: the condition in the writer's frame, then
	 * the hit count, with only this thread stopped. */
	if (w->condition && !dap_cond_holds(s, tid, w->condition)) {
		w->old = now;
		return 0;
	}
	w->hits++;
	if (w->hitcond && !gx_hitcond_match(w->hitcond, w->hits)) {
		w->old = now;
		return 0;
	}
	gd_err err = GD_ERR_INIT;
	if (core_stop_all(s->tgt->proc, &err) < 0)
		gd_err_clear(&err);
	grt_step_end(s->step);
	s->step = NULL;
	char o[64], n[64];
	format_val(w->old, w->len, w->kind, o, sizeof(o));
	format_val(now, w->len, w->kind, n, sizeof(n));
	char *desc = NULL;
	int changed = memcmp(&now, &w->old, sizeof(now)) != 0;
	if ((changed && asprintf(&desc, "%s changed from %s to %s", w->name ? w->name : "?", o, n) < 0) ||
	    (!changed && asprintf(&desc, "%s accessed (value %s)", w->name ? w->name : "?", n) < 0))
		desc = NULL;
	w->old = now;
	uint64_t goid = 0;
	grt_invalidate(s->tgt->rt);
	grt_thread_goid(s->tgt->rt, tid, &goid, NULL);
	dap_handles_reset(s);
	s->state = DAP_STOPPED;
	s->cur_goid = goid ? goid : (uint64_t)tid;
	cJSON *b = cJSON_CreateObject();
	cJSON_AddStringToObject(b, "reason", "data breakpoint");
	cJSON_AddStringToObject(b, "description", desc ? desc : "data breakpoint");
	cJSON_AddNumberToObject(b, "threadId", (double)s->cur_goid);
	cJSON_AddBoolToObject(b, "allThreadsStopped", 1);
	cJSON *ids = cJSON_AddArrayToObject(b, "hitBreakpointIds");
	cJSON_AddItemToArray(ids, cJSON_CreateNumber(w->id));
	dap_event(s, "stopped", b);
	free(desc);
	return 1;
}
