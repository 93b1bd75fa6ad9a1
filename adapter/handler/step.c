/* next, stepIn, stepOut: on the goroutine named by threadId, whichever
 * thread runs it (debugger/dbg_run.c, goruntime/grt_step.c). */
#include "../dap_internal.h"

#include <string.h>

static void step(dap_session *s, const cJSON *req, const cJSON *args,
		 dbg_step_kind kind)
{
	dap_args_step a;
	gd_err err = GD_ERR_INIT;
	int rc = kind == DBG_STEP_OVER ? dap_args_next_parse(args, &a, &err)
		 : kind == DBG_STEP_IN ? dap_args_step_in_parse(args, &a, &err)
				       : dap_args_step_out_parse(args, &a, &err);
	if (rc < 0) {
		dap_respond_err(s, req, &err);
		return;
	}
	uint64_t goid = (uint64_t)a.thread_id;
	if (a.granularity && strcmp(a.granularity, "instruction") == 0)
		kind = DBG_STEP_INSTRUCTION;
	dbg_step_opts o = {.into = 0, .from_frame = -1};
	if (kind == DBG_STEP_IN && a.target_id) {
		if ((size_t)a.target_id > s->nstepin_entries) {
			int id = a.target_id;
			dap_args_step_free(&a);
			dap_respond_error(s, req, "stepIn: unknown targetId %d "
					  "(ask stepInTargets at this stop)", id);
			return;
		}
		o.into = s->stepin_entries[a.target_id - 1];
	}
	dap_args_step_free(&a);
	if (s->state != DAP_STOPPED || !dbg_has_target(s->dbg)) {
		dap_respond_error(s, req, "the program is not stopped");
		return;
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

void dap_h_next(dap_session *s, const cJSON *req, const cJSON *args)
{
	step(s, req, args, DBG_STEP_OVER);
}

void dap_h_step_in(dap_session *s, const cJSON *req, const cJSON *args)
{
	step(s, req, args, DBG_STEP_IN);
}

void dap_h_step_out(dap_session *s, const cJSON *req, const cJSON *args)
{
	step(s, req, args, DBG_STEP_OUT);
}
