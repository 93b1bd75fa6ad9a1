/* Error ids (dap_errors.h): by kind, and by request through the request
 * table (dap_handlers.c). */
#include "dap_errors.h"
#include "dap_internal.h"

int dap_err_shows(int id)
{
	return id == DAP_ERR_LAUNCH || id == DAP_ERR_ATTACH ||
	       id == DAP_ERR_INITIALIZE || id == DAP_ERR_BUILD;
}

int dap_err_for(const dap_session *s, const char *command, int *show_user)
{
	const dap_handler *h = command ? dap_handler_find(command) : NULL;
	int id = DAP_ERR_UNSUPPORTED;
	if (h)
		id = dap_handler_err_id(h, s->state == DAP_RUNNING);
	else if (command)
		id = DAP_ERR_INTERNAL;
	*show_user = dap_err_shows(id);
	return id;
}
