#include "handlers.h"

#include <stdlib.h>

/* Writes into writable mappings only (a ptrace write would go through a
 * read-only one); views are told to refresh. */
void dap_h_write_memory(dap_session *s, const cJSON *req,
			dap_args_write_memory *a)
{
	gd_err err = GD_ERR_INIT;
	uint64_t addr = a->address;
	if (grt_mem_write(dbg_rt(s->dbg), addr, a->data, a->ndata, &err) < 0) {
		gd_err_wrap(&err, "writeMemory");
		dap_respond_err(s, req, &err);
		return;
	}
	cJSON *body = cJSON_CreateObject();
	cJSON_AddNumberToObject(body, "bytesWritten", (double)a->ndata);
	dap_respond(s, req, body);
	dap_invalidated(s);
}
