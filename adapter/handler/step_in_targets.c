#include "handlers.h"

#include <stdlib.h>

/* The calls on the current line a stepIn can go into; stepIn with one
 * of their ids stops only in that callee. */
void dap_h_step_in_targets(dap_session *s, const cJSON *req,
			   dap_args_step_in_targets *a)
{
	gd_err err = GD_ERR_INIT;
	const dap_handle *h = dap_handle_get(s, a->frame_id);
	if (!h || h->kind != DAP_H_FRAME) {
		dap_respond_error(s, req, "stepInTargets: unknown frame id %d", a->frame_id);
		return;
	}
	if (h->frame != 0 || !h->goid) {
		/* stepIn steps the goroutine's current line. */
		cJSON *body = cJSON_CreateObject();
		cJSON_AddArrayToObject(body, "targets");
		dap_respond(s, req, body);
		return;
	}
	grt_step_target *v;
	size_t n;
	if (grt_step_in_targets(dbg_rt(s->dbg), h->goid, &v, &n, &err) < 0) {
		dap_respond_err(s, req, &err);
		return;
	}
	uint64_t *entries = calloc(n ? n : 1, sizeof(*entries));
	if (!entries) {
		free(v);
		dap_respond_error(s, req, "stepInTargets: out of memory");
		return;
	}
	cJSON *body = cJSON_CreateObject();
	cJSON *list = cJSON_AddArrayToObject(body, "targets");
	int line_base = s->lines_start_at1 ? 0 : 1;
	for (size_t i = 0; i < n; i++) {
		entries[i] = v[i].entry;
		cJSON *t = cJSON_CreateObject();
		cJSON_AddNumberToObject(t, "id", (double)(i + 1));
		cJSON_AddStringToObject(t, "label", v[i].name);
		cJSON_AddNumberToObject(t, "line", v[i].line - line_base);
		cJSON_AddItemToArray(list, t);
	}
	free(s->stepin_entries);
	s->stepin_entries = entries;
	s->nstepin_entries = n;
	free(v);
	dap_respond(s, req, body);
}
