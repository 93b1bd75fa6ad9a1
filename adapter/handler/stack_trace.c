#include "handlers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A DAP thread id is a goroutine id; before the runtime has goroutines it
 * is an OS thread id (see threads). */
void dap_h_stack_trace(dap_session *s, const cJSON *req,
		       dap_args_stack_trace *a)
{
	gd_err err = GD_ERR_INIT;
	uint64_t goid;
	pid_t tid;
	if (dbg_thread_resolve(s->dbg, a->thread_id, &goid, &tid) < 0) {
		dap_respond_error(s, req, "stackTrace: no goroutine or thread "
				  "with id %lld", (long long)a->thread_id);
		return;
	}
	size_t depth = s->cfg.stack_trace_depth > 0
			       ? (size_t)s->cfg.stack_trace_depth : 50;
	size_t start = a->start_frame > 0 ? (size_t)a->start_frame : 0;
	size_t levels = a->levels > 0 ? (size_t)a->levels : depth;
	size_t want = start + levels;
	grt_frame *fs;
	size_t n;
	int complete;
	if (dbg_stack(s->dbg, goid, tid, want, &fs, &n, &complete, &err) < 0) {
		dap_respond_error(s, req, "stackTrace: %s", gd_err_msg(&err));
		gd_err_clear(&err);
		return;
	}
	cJSON *body = cJSON_CreateObject();
	cJSON *list = cJSON_AddArrayToObject(body, "stackFrames");
	int line_base = s->lines_start_at1 ? 0 : 1;
	/* Inlined calls may have made more frames than asked for. */
	int cut = n > want;
	if (cut)
		n = want;
	for (size_t i = start; i < n; i++) {
		dap_handle h = {DAP_H_FRAME, goid, tid, (int)i};
		cJSON *f = cJSON_CreateObject();
		cJSON_AddNumberToObject(f, "id", dap_handle_new(s, &h));
		cJSON_AddStringToObject(f, "name", fs[i].func);
		if (fs[i].file) {
			char *p = dap_path_to_client(s, fs[i].file);
			cJSON *src = cJSON_AddObjectToObject(f, "source");
			const char *slash = p ? strrchr(p, '/') : NULL;
			cJSON_AddStringToObject(src, "name", slash ? slash + 1 : fs[i].file);
			cJSON_AddStringToObject(src, "path", p ? p : fs[i].file);
			free(p);
			cJSON_AddNumberToObject(f, "line", fs[i].line - line_base);
		} else {
			cJSON_AddNumberToObject(f, "line", 0);
			cJSON_AddStringToObject(f, "presentationHint", "subtle");
		}
		cJSON_AddNumberToObject(f, "column", 1);
		char ip[32];
		snprintf(ip, sizeof(ip), "0x%lx", (unsigned long)fs[i].pc);
		cJSON_AddStringToObject(f, "instructionPointerReference", ip);
		cJSON_AddItemToArray(list, f);
	}
	/* More frames may exist past the depth we walked. */
	cJSON_AddNumberToObject(body, "totalFrames",
				(double)(!cut && (complete || n < want) ? n : n + levels));
	free(fs);
	dap_respond(s, req, body);
}
