#include "../dap_internal.h"

/* cancel: a request still queued when its cancel arrives is answered
 * "cancelled" without running (dap_session.c); threads and variables
 * look for a cancel while they work.  A cancel for a request already
 * answered has nothing left to do.  Progress ids: godap reports no
 * progress, so there is nothing to cancel. */
void dap_h_cancel(dap_session *s, const cJSON *req, const cJSON *args)
{
	dap_args_cancel a;
	gd_err err = GD_ERR_INIT;
	if (dap_args_cancel_parse(args, &a, &err) < 0) {
		dap_respond_err(s, req, &err);
		return;
	}
	dap_args_cancel_free(&a);
	dap_respond(s, req, NULL);
}
