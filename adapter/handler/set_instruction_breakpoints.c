#include "handlers.h"

#include <stdlib.h>
#include <string.h>

/* instructionReference ("0x4a5f20", as stackTrace and disassemble give
 * them) plus a byte offset. */
void dap_h_set_instruction_breakpoints(dap_session *s, const cJSON *req,
				       dap_args_set_instruction_breakpoints *a)
{
	gd_err err = GD_ERR_INIT;
	size_t n = a->nbreakpoints;
	dbg_bp_spec *specs = calloc(n ? n : 1, sizeof(*specs));
	char **msgs = calloc(n ? n : 1, sizeof(*msgs));
	if (!specs || !msgs) {
		free(specs);
		free(msgs);
		dap_respond_error(s, req, "out of memory");
		return;
	}
	for (size_t i = 0; i < n; i++) {
		uint64_t base = 0;
		specs[i] = (dbg_bp_spec){
			.condition = a->breakpoints[i].condition,
			.hit_condition = a->breakpoints[i].hit_condition,
		};
		if (dap_args_memory_reference(a->breakpoints[i].instruction_reference,
					      &base, &err) < 0) {
			msgs[i] = strdup(gd_err_msg(&err));
			specs[i].error = msgs[i] ? msgs[i] : "bad instructionReference";
			gd_err_clear(&err);
		} else {
			specs[i].instr = base + (uint64_t)a->breakpoints[i].offset;
		}
	}
	dap_bp_set(s, req, DBG_BP_INSTR, NULL, specs, n);
	for (size_t i = 0; i < n; i++)
		free(msgs[i]);
	free(msgs);
	free(specs);
}
