#include "../dap_internal.h"
#include "../../common/gd_buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* s as a JSON string: quotes, backslashes and control characters
 * escaped, other bytes as they are (as cJSON prints them). */
static int json_string(gd_buf *out, const char *s)
{
	int bad = gd_buf_puts(out, "\"") < 0;
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
	bad |= gd_buf_puts(out, "\"") < 0;
	return bad ? -1 : 0;
}

/* One {"id":..,"name":..} of the text answer. */
static int add_text(gd_buf *out, int *first, uint64_t id, const char *name)
{
	int bad = gd_buf_printf(out, "%s{\"id\":%lu,\"name\":",
				*first ? "" : ",", (unsigned long)id) < 0;
	bad |= json_string(out, name ? name : "") < 0;
	bad |= gd_buf_puts(out, "}") < 0;
	*first = 0;
	return bad ? -1 : 0;
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
	int hide = s->cfg.hide_system_goroutines != 0;
	if (s->threads_body && s->threads_gen == grt_generation(rt) &&
	    s->threads_hide == hide && s->threads_cur == s->cur_goid) {
		/* The same stop: the same answer, without reading anything. */
		cJSON_Delete(body);
		dap_respond_raw(s, req, s->threads_body);
		return;
	}
	const grt_goroutine *gs;
	size_t n;
	gd_err err = GD_ERR_INIT;
	const char *const *funcs;
	if (grt_goroutines(rt, &gs, &n, &err) < 0 ||
	    grt_goroutine_funcs(rt, &funcs, &err) < 0) {
		cJSON_Delete(body);
		dap_respond_error(s, req, "threads: %s", gd_err_msg(&err));
		gd_err_clear(&err);
		return;
	}
	if (n > 0) {
		/* Written as text: 10 000 goroutines would be 30 000 cJSON
		 * nodes, and this answer is kept for the next request. */
		cJSON_Delete(body);
		gd_buf out = GD_BUF_INIT;
		gd_buf name = GD_BUF_INIT;
		int bad = gd_buf_puts(&out, "{\"threads\":[") < 0;
		int first = 1, listed = 0;
		for (size_t i = 0; i < n; i++) {
			const grt_goroutine *g = &gs[i];
			listed |= g->goid == s->cur_goid;
			if (hide && g->goid != s->cur_goid && grt_is_system(rt, g))
				continue;
			/* goroutineFilters: the current goroutine always shows. */
			if (g->goid != s->cur_goid &&
			    !grt_gfilter_match(rt, s->gfilter, g))
				continue;
			gd_buf_reset(&name);
			gd_buf_printf(&name, "[Go %lu", (unsigned long)g->goid);
			if (s->cfg.show_pprof_labels)
				grt_labels_text(rt, g, s->cfg.pprof_label_keys,
						s->cfg.npprof_label_keys, &name);
			gd_buf_printf(&name, "] %s", funcs[i]);
			const char *why = g->status == GRT_GWAITING
						  ? grt_waitreason(rt, g->waitreason)
						  : NULL;
			if (why)
				gd_buf_printf(&name, " (%s)", why);
			bad |= add_text(&out, &first, g->goid, name.data) < 0;
		}
		/* A stop on a thread that runs no goroutine (a C thread, the
		 * scheduler on g0) names the thread: list it so the client
		 * finds it. */
		if (!listed && s->cur_goid &&
		    core_thread_stopped(s->tgt->proc, (pid_t)s->cur_goid)) {
			gd_buf_reset(&name);
			gd_buf_printf(&name, "Thread %d (no goroutine)",
				      (int)s->cur_goid);
			bad |= add_text(&out, &first, s->cur_goid, name.data) < 0;
		}
		bad |= gd_buf_puts(&out, "]}") < 0;
		gd_buf_free(&name);
		if (bad) {
			gd_buf_free(&out);
			dap_respond_error(s, req, "threads: out of memory");
			return;
		}
		free(s->threads_body);
		s->threads_body = out.data; /* the buffer is the cache now */
		s->threads_gen = grt_generation(rt);
		s->threads_hide = hide;
		s->threads_cur = s->cur_goid;
		dap_respond_raw(s, req, s->threads_body);
		return;
	}
	gd_buf name = GD_BUF_INIT;
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
