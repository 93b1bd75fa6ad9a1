#include "../dap_internal.h"

#include <stdlib.h>

/* The list for a file is the full set: old ones go, new ones come. */
void dap_h_set_breakpoints(dap_session *s, const cJSON *req, const cJSON *args)
{
	dap_args_set_breakpoints a;
	gd_err err = GD_ERR_INIT;
	if (dap_args_set_breakpoints_parse(args, &a, &err) < 0) {
		dap_respond_err(s, req, &err);
		return;
	}
	dap_bp_spec *specs = calloc(a.nbreakpoints ? a.nbreakpoints : 1, sizeof(*specs));
	if (!specs) {
		dap_args_set_breakpoints_free(&a);
		dap_respond_error(s, req, "out of memory");
		return;
	}
	for (size_t i = 0; i < a.nbreakpoints; i++)
		specs[i] = (dap_bp_spec){
			.path = a.source_path, .line = a.breakpoints[i].line,
			.condition = a.breakpoints[i].condition,
			.hit_condition = a.breakpoints[i].hit_condition,
			.log_message = a.breakpoints[i].log_message,
		};
	dap_bp_replace(s, req, DAP_BP_LINE, a.source_path, specs, a.nbreakpoints);
	free(specs);
	dap_args_set_breakpoints_free(&a);
}
