/* gotoTargets / goto: jump to another statement of the function the
 * current goroutine is stopped in (see goruntime/grt_goto.c for when the
 * stack stays consistent). */
#include "handlers.h"

#include <stdio.h>
#include <stdlib.h>

void dap_h_goto_targets(dap_session *s, const cJSON *req,
			dap_args_goto_targets *a)
{
	gd_err err = GD_ERR_INIT;
	char *bin = dap_path_to_binary(s, a->source_path);
	int line = a->line + (s->lines_start_at1 ? 0 : 1);
	uint64_t *v;
	size_t n;
	if (!bin || grt_goto_targets(dbg_rt(s->dbg), dbg_current_goid(s->dbg), bin, line, &v, &n,
				     &err) < 0) {
		free(bin);
		if (!gd_err_msg(&err)[0])
			gd_err_set(&err, "out of memory");
		gd_err_wrap(&err, "gotoTargets");
		dap_respond_err(s, req, &err);
		return;
	}
	free(bin);
	cJSON *body = cJSON_CreateObject();
	cJSON *list = cJSON_AddArrayToObject(body, "targets");
	for (size_t i = 0; i < n; i++) {
		cJSON *t = cJSON_CreateObject();
		char ip[32];
		snprintf(ip, sizeof(ip), "0x%llx", (unsigned long long)v[i]);
		cJSON_AddNumberToObject(t, "id", (double)(i + 1));
		int cl = line - (s->lines_start_at1 ? 0 : 1);
		char label[80];
		if (n > 1)
			snprintf(label, sizeof(label), "line %d (%s)", cl, ip);
		else
			snprintf(label, sizeof(label), "line %d", cl);
		cJSON_AddStringToObject(t, "label", label);
		cJSON_AddNumberToObject(t, "line", cl);
		cJSON_AddStringToObject(t, "instructionPointerReference", ip);
		cJSON_AddItemToArray(list, t);
	}
	free(s->goto_addrs);
	s->goto_addrs = v;
	s->ngoto_addrs = n;
	dap_respond(s, req, body);
}

void dap_h_goto(dap_session *s, const cJSON *req, dap_args_goto *a)
{
	gd_err err = GD_ERR_INIT;
	if (a->target_id < 1 || (size_t)a->target_id > s->ngoto_addrs) {
		dap_respond_error(s, req, "goto: unknown targetId %d (ask "
				  "gotoTargets at this stop)", a->target_id);
		return;
	}
	uint64_t goid = (uint64_t)a->thread_id;
	if (dbg_goto(s->dbg, goid, s->goto_addrs[a->target_id - 1], &err) < 0) {
		gd_err_wrap(&err, "goto");
		dap_respond_err(s, req, &err);
		return;
	}
	dap_respond(s, req, NULL);
	dbg_report_stop(s->dbg, DBG_STOP_GOTO, goid);
}
