#include "../dap_internal.h"

/* Variables come with the values work; until then a frame has no scopes,
 * which clients show as an empty Variables view. */
void dap_h_scopes(dap_session *s, const cJSON *req, const cJSON *args)
{
	(void)args;
	cJSON *b = cJSON_CreateObject();
	cJSON_AddArrayToObject(b, "scopes");
	dap_respond(s, req, b);
}
