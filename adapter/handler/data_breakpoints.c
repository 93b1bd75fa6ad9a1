/* Data breakpoints as DAP asks for them: dataBreakpointInfo names the
 * bytes of a variable (by container + name, or by expression);
 * setDataBreakpoints arms them (debugger/dbg_watch.c). */
#include "handlers.h"
#include "../../goruntime/grt_value.h"
#include "../../goruntime/expr/gx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
			if (!parent || grt_children(dbg_rt(s->dbg), parent, 0, 0, &ch, &n, err) < 0)
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
	uint64_t goid = dbg_current_goid(s->dbg);
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
	if (grt_scope_open(dbg_rt(s->dbg), goid, tid, frame, &sc, err) < 0)
		return -1;
	gx_expr *e = NULL;
	if (gx_parse(a->name, &e, err) < 0)
		return -1;
	int rc = grt_eval(&sc, e, out, err);
	gx_expr_free(e);
	return rc;
}

void dap_h_data_breakpoint_info(dap_session *s, const cJSON *req,
				dap_args_data_breakpoint_info *a)
{
	gd_err err = GD_ERR_INIT;
	cJSON *b = cJSON_CreateObject();
	char *why = NULL, *id = NULL;
	grt_value v = {0};
	if (s->state != DAP_STOPPED || !dbg_has_target(s->dbg)) {
		why = strdup("the program must be stopped");
	} else if (find_value(s, a, &v, &err) < 0 ||
		   dbg_watch_info(s->dbg, &v, a->name, &id, &why, &err) < 0) {
		if (asprintf(&why, "cannot watch %s: %s", a->name, gd_err_msg(&err)) < 0)
			why = NULL;
		gd_err_clear(&err);
	}
	if (id) {
		cJSON_AddStringToObject(b, "dataId", id);
		cJSON_AddStringToObject(b, "description", a->name);
		cJSON *at = cJSON_AddArrayToObject(b, "accessTypes");
		cJSON_AddItemToArray(at, cJSON_CreateString("write"));
		cJSON_AddItemToArray(at, cJSON_CreateString("readWrite"));
		cJSON_AddBoolToObject(b, "canPersist", 0);
	} else {
		cJSON_AddNullToObject(b, "dataId");
		cJSON_AddStringToObject(b, "description", why ? why : "cannot watch");
	}
	free(id);
	free(why);
	grt_value_free(&v);
	dap_respond(s, req, b);
}

void dap_h_set_data_breakpoints(dap_session *s, const cJSON *req,
				dap_args_set_data_breakpoints *a)
{
	dbg_bp_spec *specs = calloc(a->nbreakpoints ? a->nbreakpoints : 1, sizeof(*specs));
	if (!specs) {
		dap_respond_error(s, req, "out of memory");
		return;
	}
	for (size_t i = 0; i < a->nbreakpoints; i++) {
		const char *at = a->breakpoints[i].access_type;
		specs[i] = (dbg_bp_spec){
			.data_id = a->breakpoints[i].data_id,
			.read_write = !at || strcmp(at, "write") == 0 ? 0
				      : strcmp(at, "readWrite") == 0 ? 1 : -1,
			.condition = a->breakpoints[i].condition,
			.hit_condition = a->breakpoints[i].hit_condition,
		};
	}
	dap_bp_set(s, req, DBG_BP_DATA, NULL, specs, a->nbreakpoints);
	free(specs);
}
