#include "../dap_internal.h"

#include <stdlib.h>
#include <string.h>

static char *dup_or_null(const char *s)
{
	return s && s[0] ? strdup(s) : NULL;
}

/* main.worker, net/http.Get, (*T).Method, T.Method, generic functions
 * (every instantiation).  The list is the full set, as for lines. */
void dap_h_set_function_breakpoints(dap_session *s, const cJSON *req,
				    const cJSON *args)
{
	dap_args_set_function_breakpoints a;
	gd_err err = GD_ERR_INIT;
	if (dap_args_set_function_breakpoints_parse(args, &a, &err) < 0) {
		dap_respond_error(s, req, "%s", gd_err_msg(&err));
		gd_err_clear(&err);
		return;
	}
	int running = dap_with_stopped(s, &err);
	if (running < 0) {
		dap_respond_error(s, req, "%s", gd_err_msg(&err));
		gd_err_clear(&err);
		dap_args_set_function_breakpoints_free(&a);
		return;
	}
	dap_bp_remove_kind(s, DAP_BP_FUNC, NULL);
	cJSON *body = cJSON_CreateObject();
	cJSON *list = cJSON_AddArrayToObject(body, "breakpoints");
	for (size_t i = 0; i < a.nbreakpoints; i++) {
		dap_bp bp = {0};
		bp.id = s->next_bp_id++;
		bp.kind = DAP_BP_FUNC;
		bp.func = strdup(a.breakpoints[i].name);
		bp.condition = dup_or_null(a.breakpoints[i].condition);
		bp.hit_condition = dup_or_null(a.breakpoints[i].hit_condition);
		if (!bp.func) {
			dap_bp_free(&bp);
			continue;
		}
		dap_bp_resolve(s, &bp);
		cJSON_AddItemToArray(list, dap_bp_json(&bp));
		if (dap_bp_push(s, &bp) < 0)
			dap_bp_free(&bp);
	}
	dap_args_set_function_breakpoints_free(&a);
	dap_with_stopped_end(s, running);
	dap_respond(s, req, body);
}
