#include "handlers.h"

#include <stdlib.h>

/* main.worker, net/http.Get, (*T).Method, T.Method, generic functions
 * (every instantiation).  The list is the full set, as for lines. */
void dap_h_set_function_breakpoints(dap_session *s, const cJSON *req,
				    dap_args_set_function_breakpoints *a)
{
	dbg_bp_spec *specs = calloc(a->nbreakpoints ? a->nbreakpoints : 1, sizeof(*specs));
	if (!specs) {
		dap_respond_error(s, req, "out of memory");
		return;
	}
	for (size_t i = 0; i < a->nbreakpoints; i++)
		specs[i] = (dbg_bp_spec){
			.func = a->breakpoints[i].name,
			.condition = a->breakpoints[i].condition,
			.hit_condition = a->breakpoints[i].hit_condition,
		};
	dap_bp_set(s, req, DBG_BP_FUNC, NULL, specs, a->nbreakpoints);
	free(specs);
}
