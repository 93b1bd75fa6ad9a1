#include "../dap_internal.h"
#include "../../common/gd_buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int is_runtime(const char *fn)
{
	return strncmp(fn, "runtime.", 8) == 0 ||
	       strncmp(fn, "internal/runtime/", 17) == 0;
}

/* The function a goroutine is "in": its topmost frame outside the runtime
 * (a goroutine parked in a channel receive is in main.worker, not in
 * runtime.gopark). */
/* The function of frame fr the goroutine is really in: the innermost
 * inlined call there outside the runtime, else the frame's own. */
static const char *innermost(grt_target *rt, const grt_frame *fr)
{
	size_t n = 1;
	grt_frame *one = malloc(sizeof(*one));
	if (!one)
		return fr->func;
	*one = *fr;
	const char *name = fr->func;
	if (grt_stack_inline(rt, &one, &n, NULL) < 0)
		return name;
	for (size_t i = 0; i < n; i++) {
		if (!is_runtime(one[i].func)) {
			name = one[i].func;
			break;
		}
	}
	free(one);
	return name;
}

static const char *user_func(grt_target *rt, const grt_goroutine *g)
{
	grt_frame *fs;
	size_t n;
	int complete;
	const char *name = "?";
	/* 16 frames reach user code unless the goroutine's thread is deep in
	 * the runtime's system stack: look deeper only then. */
	for (size_t depth = 16; depth <= 256; depth *= 4) {
		if (grt_stack(rt, g->goid, 0, depth, &fs, &n, &complete, NULL) < 0)
			return name;
		for (size_t i = 0; i < n; i++) {
			if (!is_runtime(fs[i].func)) {
				name = innermost(rt, &fs[i]);
				break;
			}
		}
		if (strcmp(name, "?") == 0 && n)
			name = fs[0].func;
		free(fs);
		if (!is_runtime(name) || complete || n < depth)
			break;
	}
	return name;
}

static void add_thread(cJSON *list, uint64_t id, const char *name)
{
	cJSON *t = cJSON_CreateObject();
	cJSON_AddNumberToObject(t, "id", (double)id);
	cJSON_AddStringToObject(t, "name", name);
	cJSON_AddItemToArray(list, t);
}

void dap_h_threads(dap_session *s, const cJSON *req, const cJSON *args)
{
	(void)args;
	cJSON *body = cJSON_CreateObject();
	cJSON *list = cJSON_AddArrayToObject(body, "threads");
	if (!s->tgt || !s->tgt->proc || s->state == DAP_TERMINATED ||
	    core_exited(s->tgt->proc)) {
		dap_respond(s, req, body);
		return;
	}
	if (s->state == DAP_RUNNING) {
		/* Goroutines cannot be read while the program runs; the
		 * client asks again at the next stop. */
		add_thread(list, s->cur_goid ? s->cur_goid : 1, "running");
		dap_respond(s, req, body);
		return;
	}
	grt_target *rt = s->tgt->rt;
	const grt_goroutine *gs;
	size_t n;
	gd_err err = GD_ERR_INIT;
	if (grt_goroutines(rt, &gs, &n, &err) < 0) {
		cJSON_Delete(body);
		dap_respond_error(s, req, "threads: %s", gd_err_msg(&err));
		gd_err_clear(&err);
		return;
	}
	gd_buf name = GD_BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		const grt_goroutine *g = &gs[i];
		/* Each name walks a stack: with many goroutines this takes a
		 * while, and the client may give up (cancel). */
		if (i % 64 == 63 && dap_cancel_requested(s, req)) {
			gd_buf_free(&name);
			cJSON_Delete(body);
			dap_respond_error(s, req, "cancelled");
			return;
		}
		if (s->cfg.hide_system_goroutines && g->goid != s->cur_goid &&
		    grt_is_system(rt, g))
			continue;
		/* goroutineFilters: the current goroutine always shows. */
		if (g->goid != s->cur_goid && !grt_gfilter_match(rt, s->gfilter, g))
			continue;
		gd_buf_reset(&name);
		gd_buf_printf(&name, "[Go %lu", (unsigned long)g->goid);
		if (s->cfg.show_pprof_labels)
			grt_labels_text(rt, g, s->cfg.pprof_label_keys,
					s->cfg.npprof_label_keys, &name);
		gd_buf_printf(&name, "] %s", user_func(rt, g));
		const char *why = g->status == GRT_GWAITING
					  ? grt_waitreason(rt, g->waitreason)
					  : NULL;
		if (why)
			gd_buf_printf(&name, " (%s)", why);
		add_thread(list, g->goid, name.data);
	}
	/* A stop on a thread that runs no goroutine (a C thread, the
	 * scheduler on g0) names the thread: list it so the client finds
	 * it. */
	int listed = 0;
	for (size_t i = 0; i < n && !listed; i++)
		listed = gs[i].goid == s->cur_goid;
	if (n && !listed && s->cur_goid &&
	    core_thread_stopped(s->tgt->proc, (pid_t)s->cur_goid)) {
		gd_buf_reset(&name);
		gd_buf_printf(&name, "Thread %d (no goroutine)",
			      (int)s->cur_goid);
		add_thread(list, s->cur_goid, name.data);
	}
	if (n == 0) {
		/* Before the runtime has made any goroutine (stop on entry):
		 * show the OS threads. */
		for (size_t i = 0; i < core_thread_count(s->tgt->proc); i++) {
			pid_t tid = core_thread_tid(s->tgt->proc, i);
			gd_buf_reset(&name);
			gd_buf_printf(&name, "Thread %d", (int)tid);
			add_thread(list, (uint64_t)tid, name.data);
		}
	}
	gd_buf_free(&name);
	dap_respond(s, req, body);
}
