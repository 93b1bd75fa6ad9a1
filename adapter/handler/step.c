/* next, stepIn, stepOut: on the goroutine named by threadId, whichever
 * thread runs it (see goruntime/grt_step.c). */
#include "../dap_internal.h"

#include <stdlib.h>
#include <string.h>

static void instruction_step(dap_session *s, const cJSON *req, uint64_t goid)
{
	gd_err err = GD_ERR_INIT;
	const grt_goroutine *g = grt_goroutine_by_id(s->tgt->rt, goid, &err);
	pid_t tid = g ? g->tid : (pid_t)goid;
	if (!g && !core_thread_stopped(s->tgt->proc, tid)) {
		dap_respond_error(s, req, "no goroutine %lu", (unsigned long)goid);
		return;
	}
	if (!tid) {
		dap_respond_error(s, req, "goroutine %lu is not running on a "
				  "thread, so it has no instruction to step",
				  (unsigned long)goid);
		return;
	}
	dap_respond(s, req, NULL);
	int exited = 0;
	if (core_step_thread(s->tgt->proc, tid, &exited, &err) < 0) {
		gd_log_info(s->log, "step: %s", gd_err_msg(&err));
		gd_err_clear(&err);
	}
	if (exited && core_exited(s->tgt->proc)) {
		dap_target_on_child(s);
		return;
	}
	grt_invalidate(s->tgt->rt);
	dap_handles_reset(s);
	dap_target_report_stop(s, "step", goid, NULL, 0);
}

/* The CFA of the frame the user selected on goroutine goid (numbered as
 * stackTrace numbers them, inlined calls included), or 0. */
static uint64_t selected_cfa(dap_session *s, uint64_t goid)
{
	grt_frame *fs;
	size_t n;
	int complete;
	uint64_t cfa = 0;
	if (s->sel_frame < 0 ||
	    grt_stack(s->tgt->rt, goid, 0, (size_t)s->sel_frame + 1, &fs, &n,
		      &complete, NULL) < 0)
		return 0;
	if (grt_stack_inline(s->tgt->rt, &fs, &n, NULL) < 0)
		return 0; /* it freed the frames */
	if ((size_t)s->sel_frame < n)
		cfa = fs[s->sel_frame].cfa;
	free(fs);
	return cfa;
}

static void step(dap_session *s, const cJSON *req, const cJSON *args,
		 grt_step_kind kind)
{
	dap_args_step a;
	gd_err err = GD_ERR_INIT;
	if (dap_args_step_parse(args, &a, &err) < 0) {
		dap_respond_err(s, req, &err);
		return;
	}
	uint64_t goid = (uint64_t)a.thread_id;
	int instr = a.granularity && strcmp(a.granularity, "instruction") == 0;
	uint64_t into = 0;
	if (kind == GRT_STEP_IN && a.target_id) {
		if ((size_t)a.target_id > s->nstepin_entries) {
			int id = a.target_id;
			dap_args_step_free(&a);
			dap_respond_error(s, req, "stepIn: unknown targetId %d "
					  "(ask stepInTargets at this stop)", id);
			return;
		}
		into = s->stepin_entries[a.target_id - 1];
	}
	dap_args_step_free(&a);
	if (s->state != DAP_STOPPED || !s->tgt) {
		dap_respond_error(s, req, "the program is not stopped");
		return;
	}
	if (instr) {
		instruction_step(s, req, goid);
		return;
	}
	grt_step_end(s->step);
	s->step = NULL;
	uint64_t sel_cfa = kind == GRT_STEP_OUT && s->sel_goid == goid
				   ? selected_cfa(s, goid) : 0;
	if ((into ? grt_step_begin_into(s->tgt->rt, goid, into, &s->step, &err)
		  : grt_step_begin(s->tgt->rt, goid, kind, sel_cfa, &s->step, &err)) < 0) {
		dap_respond_err(s, req, &err);
		return;
	}
	s->cur_goid = goid;
	dap_respond(s, req, NULL);
	if (dap_target_resume(s, &err) < 0) {
		gd_log_info(s->log, "step: %s", gd_err_msg(&err));
		gd_err_clear(&err);
	}
}

void dap_h_next(dap_session *s, const cJSON *req, const cJSON *args)
{
	step(s, req, args, GRT_STEP_OVER);
}

void dap_h_step_in(dap_session *s, const cJSON *req, const cJSON *args)
{
	step(s, req, args, GRT_STEP_IN);
}

void dap_h_step_out(dap_session *s, const cJSON *req, const cJSON *args)
{
	step(s, req, args, GRT_STEP_OUT);
}
