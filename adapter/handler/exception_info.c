#include "handlers.h"

/* The exception the program stopped on (any thread: there is one). */
void dap_h_exception_info(dap_session *s, const cJSON *req,
			  dap_args_exception_info *a)
{
	(void)a;
	const dbg_exception *x = dbg_exception_get(s->dbg);
	if (s->state != DAP_STOPPED || !x) {
		dap_respond_error(s, req, "exceptionInfo: the program did not "
				  "stop on an exception");
		return;
	}
	cJSON *b = cJSON_CreateObject();
	cJSON_AddStringToObject(b, "exceptionId", x->id ? x->id : "");
	cJSON_AddStringToObject(b, "description", x->description);
	cJSON_AddStringToObject(b, "breakMode", "unhandled");
	cJSON *d = cJSON_AddObjectToObject(b, "details");
	cJSON_AddStringToObject(d, "message", x->description);
	cJSON_AddStringToObject(d, "stackTrace", x->stack ? x->stack : "");
	dap_respond(s, req, b);
}
