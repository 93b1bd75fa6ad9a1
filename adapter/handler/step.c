/* next, stepIn, stepOut: on the goroutine named by threadId, whichever
 * thread runs it (debugger/dbg_run.c, goruntime/grt_step.c). */
#include "handlers.h"

#include <string.h>

static void step(dap_session *s, const cJSON *req, const dap_args_step *a,
		 dbg_step_kind kind)
{
	gd_err err = GD_ERR_INIT;
	uint64_t goid = (uint64_t)a->thread_id;
	if (a->granularity && strcmp(a->granularity, "instruction") == 0)
		kind = DBG_STEP_INSTRUCTION;
	dbg_step_opts o = {.into = 0, .from_frame = -1};
	if (kind == DBG_STEP_IN && a->target_id) {
		if ((size_t)a->target_id > s->nstepin_entries) {
			dap_respond_error(s, req, "stepIn: unknown targetId %d "
					  "(ask stepInTargets at this stop)",
					  a->target_id);
			return;
		}
		o.into = s->stepin_entries[a->target_id - 1];
	}
	/* stepOut leaves the frame the user looked at last. */
	if (kind == DBG_STEP_OUT && s->sel_goid == goid)
		o.from_frame = s->sel_frame;
	if (dbg_step(s->dbg, goid, kind, &o, &err) < 0) {
		dap_respond_err(s, req, &err);
		return;
	}
	dap_respond(s, req, NULL);
	if (dap_target_resume(s, &err) < 0) {
		gd_log_info(s->log, "step: %s", gd_err_msg(&err));
		gd_err_clear(&err);
	}
}

void dap_h_next(dap_session *s, const cJSON *req, dap_args_step *a)
{
	step(s, req, a, DBG_STEP_OVER);
}

void dap_h_step_in(dap_session *s, const cJSON *req, dap_args_step *a)
{
	step(s, req, a, DBG_STEP_IN);
}

void dap_h_step_out(dap_session *s, const cJSON *req, dap_args_step *a)
{
	step(s, req, a, DBG_STEP_OUT);
}
