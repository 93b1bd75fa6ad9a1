#include "handlers.h"
#include "../../common/gd_base64.h"

#include <stdio.h>
#include <stdlib.h>

/* For VS Code's memory view: the readable prefix of the range as data,
 * the rest as unreadableBytes (never an error for the whole request). */
void dap_h_read_memory(dap_session *s, const cJSON *req,
		       dap_args_read_memory *a)
{
	uint64_t addr = a->address;
	size_t count = (size_t)a->count;
	uint8_t *buf = malloc(count ? count : 1);
	if (!buf) {
		dap_respond_error(s, req, "readMemory: out of memory");
		return;
	}
	size_t got;
	/* never fails: got says how much was readable */
	(void)grt_mem_read(dbg_rt(s->dbg), addr, buf, count, &got);
	char *data = gd_base64_encode(buf, got);
	free(buf);
	if (!data) {
		dap_respond_error(s, req, "readMemory: out of memory");
		return;
	}
	cJSON *body = cJSON_CreateObject();
	char ab[32];
	snprintf(ab, sizeof(ab), "0x%llx", (unsigned long long)addr);
	cJSON_AddStringToObject(body, "address", ab);
	cJSON_AddStringToObject(body, "data", data);
	if (got < count)
		cJSON_AddNumberToObject(body, "unreadableBytes", (double)(count - got));
	free(data);
	dap_respond(s, req, body);
}
