#include "../dap_internal.h"

void dap_h_configuration_done(dap_session *s, const cJSON *req,
			      const cJSON *args)
{
	(void)args;
	if (s->state != DAP_CONFIGURING) {
		dap_respond_error(s, req, "configurationDone: no program was "
				  "launched or attached");
		return;
	}
	dap_respond(s, req, NULL);
	if (s->cfg.stop_on_entry || dbg_attached(s->dbg)) {
		/* Attached programs stay stopped where we caught them. */
		dbg_initial_stop(s->dbg);
		return;
	}
	gd_err err = GD_ERR_INIT;
	if (dap_target_resume(s, &err) < 0) {
		gd_log_info(s->log, "start: %s", gd_err_msg(&err));
		gd_err_clear(&err);
	}
}
