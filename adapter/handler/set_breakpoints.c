#include "../dap_internal.h"

#include <stdlib.h>
#include <string.h>

static char *dup_or_null(const char *s)
{
	return s && s[0] ? strdup(s) : NULL;
}

/* The list for a file is the full set: old ones go, new ones come.  While
 * the program runs this happens behind a stop the user never sees. */
void dap_h_set_breakpoints(dap_session *s, const cJSON *req, const cJSON *args)
{
	dap_args_set_breakpoints a;
	gd_err err = GD_ERR_INIT;
	if (dap_args_set_breakpoints_parse(args, &a, &err) < 0) {
		dap_respond_error(s, req, "%s", gd_err_msg(&err));
		gd_err_clear(&err);
		return;
	}
	int running = s->state == DAP_RUNNING && s->tgt && s->tgt->proc;
	if (running && core_stop_all(s->tgt->proc, &err) < 0) {
		dap_respond_error(s, req, "%s", gd_err_msg(&err));
		gd_err_clear(&err);
		dap_args_set_breakpoints_free(&a);
		return;
	}
	dap_bp_remove_kind(s, DAP_BP_LINE, a.source_path);
	cJSON *body = cJSON_CreateObject();
	cJSON *list = cJSON_AddArrayToObject(body, "breakpoints");
	for (size_t i = 0; i < a.nbreakpoints; i++) {
		dap_bp bp = {0};
		bp.id = s->next_bp_id++;
		bp.path = strdup(a.source_path);
		bp.req_line = a.breakpoints[i].line;
		bp.condition = dup_or_null(a.breakpoints[i].condition);
		bp.hit_condition = dup_or_null(a.breakpoints[i].hit_condition);
		bp.log_message = dup_or_null(a.breakpoints[i].log_message);
		if (!bp.path) {
			dap_bp_free(&bp);
			continue;
		}
		dap_bp_resolve(s, &bp);
		cJSON_AddItemToArray(list, dap_bp_json(&bp));
		if (dap_bp_push(s, &bp) < 0)
			dap_bp_free(&bp);
	}
	if (running && dap_target_resume(s, &err) < 0) {
		gd_log_info(s->log, "resume: %s", gd_err_msg(&err));
		gd_err_clear(&err);
	}
	dap_args_set_breakpoints_free(&a);
	dap_respond(s, req, body);
}
