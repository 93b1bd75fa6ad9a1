#include "handlers.h"

#include <stdlib.h>

/* The lines of [line, endLine] that can take a breakpoint as they are
 * (lines that would move to another line are left out). */
void dap_h_breakpoint_locations(dap_session *s, const cJSON *req,
				dap_args_breakpoint_locations *a)
{
	gd_err err = GD_ERR_INIT;
	char *bin = dap_path_to_binary(s, a->source_path);
	int *lines = NULL;
	size_t n = 0;
	if (!bin || dbg_bp_locations(s->dbg, bin, a->line, a->end_line, &lines,
				     &n, &err) < 0) {
		free(bin);
		if (!err.msg)
			gd_err_set(&err, "out of memory");
		gd_err_wrap(&err, "breakpointLocations");
		dap_respond_err(s, req, &err);
		return;
	}
	free(bin);
	cJSON *body = cJSON_CreateObject();
	cJSON *list = cJSON_AddArrayToObject(body, "breakpoints");
	for (size_t i = 0; i < n; i++) {
		cJSON *l = cJSON_CreateObject();
		cJSON_AddNumberToObject(l, "line", lines[i]);
		cJSON_AddItemToArray(list, l);
	}
	free(lines);
	dap_respond(s, req, body);
}
