#include "../dap_internal.h"

/* Goroutines as DAP threads, named after the function each is in
 * (debugger/dbg_read.c decides which). */
static void add_thread(cJSON *list, uint64_t id, const char *name)
{
	cJSON *t = cJSON_CreateObject();
	cJSON_AddNumberToObject(t, "id", (double)id);
	cJSON_AddStringToObject(t, "name", name);
	cJSON_AddItemToArray(list, t);
}

/* Each name walks a stack: with many goroutines this takes a while, and
 * the client may give up (cancel). */
struct cancel_ctx {
	dap_session *s;
	const cJSON *req;
	int cancelled;
};

static int cancelled(void *ctx)
{
	struct cancel_ctx *c = ctx;
	return c->cancelled = dap_cancel_requested(c->s, c->req);
}

void dap_h_threads(dap_session *s, const cJSON *req, const cJSON *args)
{
	gd_err perr = GD_ERR_INIT;
	if (dap_args_threads_parse(args, &perr) < 0) {
		dap_respond_err(s, req, &perr);
		return;
	}
	cJSON *body = cJSON_CreateObject();
	cJSON *list = cJSON_AddArrayToObject(body, "threads");
	if (!dbg_has_target(s->dbg) || s->state == DAP_TERMINATED ||
	    dbg_exited(s->dbg)) {
		dap_respond(s, req, body);
		return;
	}
	if (s->state == DAP_RUNNING) {
		/* Goroutines cannot be read while the program runs; the
		 * client asks again at the next stop. */
		uint64_t cur = dbg_current_goid(s->dbg);
		add_thread(list, cur ? cur : 1, "running");
		dap_respond(s, req, body);
		return;
	}
	struct cancel_ctx cx = {s, req, 0};
	dbg_thread *ts;
	size_t n;
	gd_err err = GD_ERR_INIT;
	dbg_threads_opts o = {
		.hide_system = s->cfg.hide_system_goroutines,
		.filter = s->gfilter,
		.labels = s->cfg.show_pprof_labels,
		.label_keys = s->cfg.pprof_label_keys,
		.nlabel_keys = s->cfg.npprof_label_keys,
		.cancelled = cancelled, .ctx = &cx,
	};
	if (dbg_threads(s->dbg, &o, &ts, &n, &err) < 0) {
		cJSON_Delete(body);
		if (cx.cancelled) {
			gd_err_clear(&err);
			dap_respond_error(s, req, "cancelled");
			return;
		}
		gd_err_wrap(&err, "threads");
		dap_respond_err(s, req, &err);
		return;
	}
	for (size_t i = 0; i < n; i++)
		add_thread(list, ts[i].id, ts[i].name);
	dbg_threads_free(ts, n);
	dap_respond(s, req, body);
}
