/* continue and pause. */
#include "handlers.h"

/* All goroutines run (threadId and singleThread are not read). */
void dap_h_continue(dap_session *s, const cJSON *req, dap_args_step *a)
{
	(void)a;
	gd_err err = GD_ERR_INIT;
	if (s->state == DAP_RUNNING) {
		cJSON *b = cJSON_CreateObject();
		cJSON_AddBoolToObject(b, "allThreadsContinued", 1);
		dap_respond(s, req, b);
		return;
	}
	if (s->state != DAP_STOPPED) {
		dap_respond_error(s, req, "continue: the program is not stopped");
		return;
	}
	cJSON *b = cJSON_CreateObject();
	cJSON_AddBoolToObject(b, "allThreadsContinued", 1);
	dap_respond(s, req, b);
	if (dap_target_resume(s, &err) < 0) {
		gd_log_info(s->log, "continue: %s", gd_err_msg(&err));
		gd_err_clear(&err);
	}
}

/* All goroutines stop (all-stop: threadId is not read). */
void dap_h_pause(dap_session *s, const cJSON *req, dap_args_step *a)
{
	(void)a;
	gd_err err = GD_ERR_INIT;
	if (s->state == DAP_TERMINATED ||
	    (dbg_has_target(s->dbg) && dbg_exited(s->dbg))) {
		dap_respond_error(s, req, "pause: the program is not running");
		return;
	}
	if (s->state != DAP_RUNNING) {
		dap_respond(s, req, NULL); /* already stopped: nothing to do */
		return;
	}
	dap_respond(s, req, NULL);
	if (dbg_pause(s->dbg, &err) < 0) {
		gd_log_info(s->log, "pause: %s", gd_err_msg(&err));
		gd_err_clear(&err);
	}
}
