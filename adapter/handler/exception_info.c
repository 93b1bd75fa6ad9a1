#include "../dap_internal.h"

void dap_h_exception_info(dap_session *s, const cJSON *req, const cJSON *args)
{
	dap_args_exception_info a;
	gd_err err = GD_ERR_INIT;
	if (dap_args_exception_info_parse(args, &a, &err) < 0) {
		dap_respond_err(s, req, &err);
		return;
	}
	dap_args_exception_info_free(&a);
	if (s->state != DAP_STOPPED || !s->exc_desc) {
		dap_respond_error(s, req, "exceptionInfo: the program did not "
				  "stop on an exception");
		return;
	}
	cJSON *b = cJSON_CreateObject();
	cJSON_AddStringToObject(b, "exceptionId", s->exc_id);
	cJSON_AddStringToObject(b, "description", s->exc_desc);
	cJSON_AddStringToObject(b, "breakMode", "unhandled");
	cJSON *d = cJSON_AddObjectToObject(b, "details");
	cJSON_AddStringToObject(d, "message", s->exc_desc);
	cJSON_AddStringToObject(d, "stackTrace", s->exc_stack ? s->exc_stack : "");
	dap_respond(s, req, b);
}
