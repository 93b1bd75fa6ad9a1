#include "../dap_internal.h"

/* No exception filters are offered yet (initialize says so); the request
 * is answered so clients that always send it carry on. */
void dap_h_set_exception_breakpoints(dap_session *s, const cJSON *req,
				     const cJSON *args)
{
	(void)args;
	cJSON *b = cJSON_CreateObject();
	cJSON_AddArrayToObject(b, "breakpoints");
	dap_respond(s, req, b);
}
