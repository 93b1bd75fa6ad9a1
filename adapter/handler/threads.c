#include "handlers.h"
#include "../../common/gd_time.h"
#include "../../common/gd_buf.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Goroutines as DAP threads, named after the function each is in
 * (debugger/dbg_read.c decides which). */

/* s as a JSON string: quotes, backslashes and control characters
 * escaped, other bytes as they are (as cJSON prints them). */
static int json_string(gd_buf *out, const char *s)
{
	int bad = gd_buf_append(out, "\"", 1) < 0;
	const char *run = s;
	for (const char *p = s;; p++) {
		unsigned char c = (unsigned char)*p;
		if (c && c != '"' && c != '\\' && c >= 0x20)
			continue;
		bad |= gd_buf_append(out, run, (size_t)(p - run)) < 0;
		if (!c)
			break;
		if (c == '"' || c == '\\')
			bad |= gd_buf_printf(out, "\\%c", c) < 0;
		else
			bad |= gd_buf_printf(out, "\\u%04x", c) < 0;
		run = p + 1;
	}
	bad |= gd_buf_append(out, "\"", 1) < 0;
	return bad ? -1 : 0;
}

/* The answer as text: 10 000 goroutines would be 30 000 cJSON nodes, and
 * the text is what is kept for the next request at the same stop.  Room
 * for all of it is made at once (one allocation, not one per doubling). */
static char *body_text(const dbg_thread *ts, size_t n)
{
	gd_buf out = GD_BUF_INIT;
	size_t want = 16;
	for (size_t i = 0; i < n; i++)
		want += 40 + (ts[i].name ? strlen(ts[i].name) : 0);
	int bad = gd_buf_grow(&out, want) < 0;
	bad |= gd_buf_append(&out, "{\"threads\":[", 12) < 0;
	for (size_t i = 0; i < n && !bad; i++) {
		if (i)
			bad |= gd_buf_append(&out, ",", 1) < 0;
		bad |= gd_buf_append(&out, "{\"id\":", 6) < 0;
		bad |= gd_buf_u64(&out, ts[i].id) < 0;
		bad |= gd_buf_append(&out, ",\"name\":", 8) < 0;
		bad |= json_string(&out, ts[i].name ? ts[i].name : "") < 0;
		bad |= gd_buf_append(&out, "}", 1) < 0;
	}
	bad |= gd_buf_append(&out, "]}", 2) < 0;
	if (bad) {
		gd_buf_free(&out);
		return NULL;
	}
	return out.data;
}

void dap_threads_forget(dap_session *s)
{
	free(s->threads_body);
	s->threads_body = NULL;
}

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

void dap_h_threads(dap_session *s, const cJSON *req)
{
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
	/* A client asks again and again at one stop: the same answer, from
	 * what was kept, until the program runs (grt_generation changes) or
	 * the goroutine, the hide setting, filters or labels change. */
	uint64_t gen = grt_generation(dbg_rt(s->dbg));
	uint64_t cur = dbg_current_goid(s->dbg);
	int hide = s->cfg.hide_system_goroutines != 0;
	if (s->threads_body && s->threads_gen == gen && s->threads_cur == cur &&
	    s->threads_hide == hide) {
		cJSON_Delete(body);
		dap_respond_raw(s, req, s->threads_body);
		return;
	}
	struct cancel_ctx cx = {s, req, 0};
	dbg_threads_times tm = {0};
	dbg_thread *ts;
	size_t n;
	gd_err err = GD_ERR_INIT;
	dbg_threads_opts o = {
		.hide_system = s->cfg.hide_system_goroutines,
		.filter = s->gfilter,
		.labels = s->cfg.show_pprof_labels,
		.label_keys = s->cfg.pprof_label_keys,
		.nlabel_keys = s->cfg.npprof_label_keys,
		.cancelled = cancelled, .ctx = &cx, .times = &tm,
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
	int64_t t0 = gd_now_us();
	char *text = body_text(ts, n);
	dbg_threads_free(ts, n);
	int64_t t_text = gd_now_us();
	if (!text) {
		cJSON_Delete(body);
		dap_respond_error(s, req, "threads: out of memory");
		return;
	}
	cJSON_Delete(body);
	free(s->threads_body);
	s->threads_body = text;
	s->threads_gen = gen;
	s->threads_cur = cur;
	s->threads_hide = hide;
	dap_respond_raw(s, req, s->threads_body);
	/* Where a first answer's time goes (bench/run.py reads it). */
	gd_log_info(s->log, "phase threads: %zu threads, goroutines %.1f ms, "
		    "functions %.1f ms, names %.1f ms, text %.1f ms, sent %.1f ms",
		    n, tm.goroutines_ms, tm.functions_ms, tm.names_ms,
		    (double)(t_text - t0) / 1000,
		    (double)(gd_now_us() - t_text) / 1000);
}
