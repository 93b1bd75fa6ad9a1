#include "handlers.h"
#include "../../goruntime/grt_value.h"

#include <string.h>

/* The console commands (see dap_console.c) for "dlv <prefix>". */
static void command_items(const char *prefix, cJSON *list)
{
	static const char *const cmds[] = {"help", "config", "sources",
					   "goroutines"};
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (strncmp(cmds[i], prefix, strlen(prefix)) == 0) {
			cJSON *it = cJSON_CreateObject();
			cJSON_AddStringToObject(it, "label", cmds[i]);
			cJSON_AddStringToObject(it, "type", "keyword");
			cJSON_AddItemToArray(list, it);
		}
}

/* Debug console completions in the given frame (else the current
 * goroutine's top frame). */
void dap_h_completions(dap_session *s, const cJSON *req,
		       dap_args_completions *a)
{
	gd_err err = GD_ERR_INIT;
	/* The column counts UTF-16 units; the text is UTF-8: walk it. */
	size_t col = (size_t)a->column - (s->columns_start_at1 && a->column > 0 ? 1 : 0);
	size_t cursor = 0, units = 0;
	while (a->text[cursor] && units < col) {
		unsigned char c = (unsigned char)a->text[cursor];
		size_t len = c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
		units += len == 4 ? 2 : 1;
		while (len-- && a->text[cursor])
			cursor++;
	}
	cJSON *body = cJSON_CreateObject();
	cJSON *list = cJSON_AddArrayToObject(body, "targets");
	if (strncmp(a->text, "dlv ", 4) == 0 && !strchr(a->text + 4, ' ')) {
		char prefix[64];
		size_t pl = cursor > 4 ? cursor - 4 : 0;
		if (pl >= sizeof(prefix))
			pl = sizeof(prefix) - 1;
		memcpy(prefix, a->text + 4, pl);
		prefix[pl] = 0;
		command_items(prefix, list);
		dap_respond(s, req, body);
		return;
	}
	if (s->state != DAP_STOPPED || !dbg_has_target(s->dbg)) {
		/* Nothing to complete from while the program runs. */
		dap_respond(s, req, body);
		return;
	}
	dap_handle fr = {DAP_H_FRAME, dbg_current_goid(s->dbg), 0, 0};
	if (a->has_frame_id) {
		const dap_handle *h = dap_handle_get(s, a->frame_id);
		if (!h || h->kind != DAP_H_FRAME) {
			cJSON_Delete(body);
			dap_respond_error(s, req, "completions: unknown frame id %d",
					  a->frame_id);
			return;
		}
		fr = *h;
	}
	grt_scope sc;
	grt_completion *v = NULL;
	size_t n = 0;
	if (grt_scope_open(dbg_rt(s->dbg), fr.goid, fr.tid, fr.frame, &sc, &err) < 0 ||
	    grt_complete(&sc, a->text, cursor, &v, &n, &err) < 0) {
		cJSON_Delete(body);
		dap_respond_err(s, req, &err);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		cJSON *it = cJSON_CreateObject();
		cJSON_AddStringToObject(it, "label", v[i].label);
		cJSON_AddStringToObject(it, "type", v[i].type);
		cJSON_AddItemToArray(list, it);
	}
	grt_completions_free(v, n);
	dap_respond(s, req, body);
}
