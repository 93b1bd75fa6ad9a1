#include "handlers.h"

#include <string.h>

/* Filters: "unrecovered-panic" and "runtime-fatal-throw" (Delve's ids).
 * While the program runs the change happens behind an unseen stop. */
void dap_h_set_exception_breakpoints(dap_session *s, const cJSON *req,
				     dap_args_set_exception_breakpoints *a)
{
	gd_err err = GD_ERR_INIT;
	int panic = 0, thrown = 0;
	for (size_t i = 0; i < a->nfilters; i++) {
		if (strcmp(a->filters[i], "unrecovered-panic") == 0)
			panic = 1;
		else if (strcmp(a->filters[i], "runtime-fatal-throw") == 0)
			thrown = 1;
	}
	for (size_t i = 0; i < a->nfilter_options; i++) {
		const char *id = a->filter_options[i].filter_id;
		if (id && strcmp(id, "unrecovered-panic") == 0)
			panic = 1;
		else if (id && strcmp(id, "runtime-fatal-throw") == 0)
			thrown = 1;
	}
	if (dbg_exc_filters(s->dbg, panic, thrown, &err) < 0) {
		dap_respond_err(s, req, &err);
		return;
	}
	cJSON *b = cJSON_CreateObject();
	cJSON *list = cJSON_AddArrayToObject(b, "breakpoints");
	for (int i = 0; i < panic + thrown; i++) {
		cJSON *bp = cJSON_CreateObject();
		cJSON_AddBoolToObject(bp, "verified", 1);
		cJSON_AddItemToArray(list, bp);
	}
	dap_respond(s, req, b);
}
