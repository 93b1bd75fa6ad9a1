#include "../dap_internal.h"
#include "../dap_multiclient.h"

void dap_h_configuration_done(dap_session *s, const cJSON *req,
			      const cJSON *args)
{
	(void)args;
	if (dap_mc_configuration_done(s, req))
		return;
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
	dap_run_configured(s);
}

void dap_run_configured(dap_session *s)
{
	if (s->plain) {
		if (s->state == DAP_CONFIGURING)
			s->state = DAP_RUNNING;
		return;
	}
	if (core_is_corefile(s->tgt->proc)) {
		/* Nothing runs: the stop is where the core was dumped. */
		dap_target_report_core(s);
		return;
	}
	if (s->cfg.stop_on_entry) {
		if (s->tgt->attached) {
			/* Caught wherever it was: show a goroutine threads
			 * lists, as after a pause. */
			grt_invalidate(s->tgt->rt);
			dap_target_report_stop(s, "entry",
					       dap_target_pick_goroutine(s),
					       NULL, 0);
			return;
		}
		/* Launched: stopped before its first instruction; there are
		 * no goroutines yet, threads lists the main thread. */
		dap_target_report_stop(s, "entry",
				       (uint64_t)core_pid(s->tgt->proc), NULL, 0);
		return;
	}
	/* Launched or attached, the program runs on. */
	gd_err err = GD_ERR_INIT;
	if (dap_target_resume(s, &err) < 0) {
		gd_log_info(s->log, "start: %s", gd_err_msg(&err));
		gd_err_clear(&err);
	}
}
