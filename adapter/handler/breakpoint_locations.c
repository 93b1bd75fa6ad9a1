#include "../dap_internal.h"

#include <stdlib.h>

/* The lines of [line, endLine] that can take a breakpoint as they are
 * (lines that would move to another line are left out). */
void dap_h_breakpoint_locations(dap_session *s, const cJSON *req,
				const cJSON *args)
{
	dap_args_breakpoint_locations a;
	gd_err err = GD_ERR_INIT;
	if (dap_args_breakpoint_locations_parse(args, &a, &err) < 0) {
		dap_respond_err(s, req, &err);
		return;
	}
	if (!s->tgt || !s->tgt->dw) {
		dap_args_breakpoint_locations_free(&a);
		dap_respond_error(s, req, "breakpointLocations: no program is "
				  "loaded yet");
		return;
	}
	int end = a.end_line > 0 ? a.end_line : a.line;
	if (end < a.line || end - a.line > 100000) {
		dap_args_breakpoint_locations_free(&a);
		dap_respond_error(s, req, "breakpointLocations: bad line range "
				  "%d-%d", a.line, end);
		return;
	}
	char *bin = dap_path_to_binary(s, a.source_path);
	cJSON *body = cJSON_CreateObject();
	cJSON *list = cJSON_AddArrayToObject(body, "breakpoints");
	if (bin && gdw_has_file(s->tgt->dw, bin)) {
		for (int line = a.line; line <= end; line++) {
			gdw_line_addrs la = {0};
			if (gdw_line_addrs_for(s->tgt->dw, bin, line, &la, NULL) < 0)
				continue;
			free(la.addrs);
			if (la.line != line)
				continue;
			cJSON *l = cJSON_CreateObject();
			cJSON_AddNumberToObject(l, "line", line);
			cJSON_AddItemToArray(list, l);
		}
	}
	free(bin);
	dap_args_breakpoint_locations_free(&a);
	dap_respond(s, req, body);
}
