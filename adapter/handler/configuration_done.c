#include "handlers.h"
#include "../dap_multiclient.h"

void dap_h_configuration_done(dap_session *s, const cJSON *req)
{
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
	if (dbg_is_corefile(s->dbg)) {
		/* Nothing runs: the stop is where the core was dumped. */
		dbg_corefile_stop(s->dbg);
		return;
	}
	if (s->cfg.stop_on_entry) {
		/* Launched: on the main thread (no goroutines yet); attached:
		 * on a goroutine threads lists, as after a pause. */
		dbg_initial_stop(s->dbg);
		return;
	}
	/* Launched or attached, the program runs on. */
	gd_err err = GD_ERR_INIT;
	if (dap_target_resume(s, &err) < 0) {
		gd_log_info(s->log, "start: %s", gd_err_msg(&err));
		gd_err_clear(&err);
	}
}
