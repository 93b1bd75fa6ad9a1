#include "handlers.h"

#include <stdlib.h>

/* The list for a file is the full set: old ones go, new ones come. */
void dap_h_set_breakpoints(dap_session *s, const cJSON *req,
			   dap_args_set_breakpoints *a)
{
	dbg_bp_spec *specs = calloc(a->nbreakpoints ? a->nbreakpoints : 1, sizeof(*specs));
	char *bin = dap_path_to_binary(s, a->source_path);
	if (!specs || !bin) {
		free(specs);
		free(bin);
		dap_respond_error(s, req, "out of memory");
		return;
	}
	for (size_t i = 0; i < a->nbreakpoints; i++)
		specs[i] = (dbg_bp_spec){
			.source = a->source_path, .bin_path = bin,
			.line = a->breakpoints[i].line,
			.condition = a->breakpoints[i].condition,
			.hit_condition = a->breakpoints[i].hit_condition,
			.log_message = a->breakpoints[i].log_message,
		};
	dap_bp_set(s, req, DBG_BP_LINE, a->source_path, specs, a->nbreakpoints);
	free(specs);
	free(bin);
}
