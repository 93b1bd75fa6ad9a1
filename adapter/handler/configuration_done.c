#include "../dap_internal.h"

void dap_h_configuration_done(dap_session *s, const cJSON *req,
			      const cJSON *args)
{
	(void)args;
	if (s->plain) {
		/* noDebug: the program runs already (and may have ended). */
		if (s->state == DAP_CONFIGURING)
			s->state = DAP_RUNNING;
		dap_respond(s, req, NULL);
		return;
	}
	if (s->state != DAP_CONFIGURING) {
		dap_respond_error(s, req, "configurationDone: no program was "
				  "launched or attached");
		return;
	}
	dap_respond(s, req, NULL);
	if (s->cfg.stop_on_entry || s->tgt->attached) {
		/* Attached programs stay stopped where we caught them. */
		pid_t pid = core_pid(s->tgt->proc);
		uint64_t goid = 0;
		if (s->tgt->attached)
			grt_thread_goid(s->tgt->rt, pid, &goid, NULL);
		dap_target_report_stop(s, s->tgt->attached ? "pause" : "entry",
				       goid ? goid : (uint64_t)pid, NULL, 0);
		return;
	}
	gd_err err = GD_ERR_INIT;
	if (dap_target_resume(s, &err) < 0) {
		gd_log_info(s->log, "start: %s", gd_err_msg(&err));
		gd_err_clear(&err);
	}
}
