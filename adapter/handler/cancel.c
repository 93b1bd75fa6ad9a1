#include "handlers.h"

/* cancel: a request still queued when its cancel arrives is answered
 * "cancelled" without running (dap_session.c); threads and variables
 * look for a cancel while they work.  A cancel for a request already
 * answered has nothing left to do.  Progress ids: godap reports no
 * progress, so there is nothing to cancel. */
void dap_h_cancel(dap_session *s, const cJSON *req, dap_args_cancel *a)
{
	(void)a;
	dap_respond(s, req, NULL);
}
