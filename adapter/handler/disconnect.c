#include "../dap_internal.h"

/* A launched program is killed; an attached one is detached and keeps
 * running unless terminateDebuggee says otherwise. */
void dap_h_disconnect(dap_session *s, const cJSON *req, const cJSON *args)
{
	dap_args_disconnect a;
	gd_err err = GD_ERR_INIT;
	if (dap_args_disconnect_parse(args, &a, &err) < 0) {
		gd_err_clear(&err);
		a.terminate_debuggee = -1;
	}
	dap_target_end(s, a.terminate_debuggee == 1);
	dap_respond(s, req, NULL);
	s->done = 1;
	s->exit_code = 0;
}
