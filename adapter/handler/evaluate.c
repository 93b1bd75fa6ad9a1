#include "handlers.h"
#include "../../goruntime/grt_value.h"

#include <ctype.h>

#include <stdlib.h>
#include <string.h>

/* The frame an expression is evaluated in: the given frame id, else the
 * top frame of the current goroutine. */
static int eval_frame(dap_session *s, int has_frame, int frame_id,
		      dap_handle *out, gd_err *err)
{
	memset(out, 0, sizeof(*out));
	out->kind = DAP_H_FRAME;
	if (has_frame) {
		const dap_handle *h = dap_handle_get(s, frame_id);
		if (!h || h->kind != DAP_H_FRAME)
			return gd_err_set(err, "unknown frame id %d", frame_id);
		*out = *h;
		return 0;
	}
	out->goid = dbg_current_goid(s->dbg);
	return 0;
}

/* Wraps the call driver to learn whether a call ran: a call may change
 * any memory, so the client's views are told to refresh. */
typedef struct watched_drv {
	grt_call_driver drv;
	const grt_call_driver *inner;
	int ran;
} watched_drv;

static int watched_run(void *ctx, pid_t tid, uint64_t bp_addr, int *timed_out,
		       gd_err *err)
{
	watched_drv *w = ctx;
	w->ran = 1;
	return w->inner->run(w->inner->ctx, tid, bp_addr, timed_out, err);
}

void dap_h_evaluate(dap_session *s, const cJSON *req, dap_args_evaluate *a)
{
	gd_err err = GD_ERR_INIT;
	/* Console commands, typed in the debug console (any state). */
	if ((!a->context || strcmp(a->context, "repl") == 0) &&
	    dap_console(s, req, a->expression)) {
		return;
	}
	if (s->state != DAP_STOPPED || !dbg_has_target(s->dbg)) {
		dap_respond_error(s, req, "evaluate: the program is not stopped");
		return;
	}
	dap_handle fr;
	grt_scope sc;
	gx_expr *e = NULL;
	grt_value v;
	grt_call_val *res = NULL;
	size_t nres = 0;
	dbg_calldrv drv;
	watched_drv wd = {{0}, NULL, 0};
	/* Calls change the program: only where the user asks for them. */
	int repl = !a->context || strcmp(a->context, "repl") == 0;
	int calls = repl || strcmp(a->context, "watch") == 0;
	const char *text = a->expression;
	if (repl && strncmp(text, "call", 4) == 0 && isspace((unsigned char)text[4]))
		text += 5; /* Delve's "call EXPR" */
	if (eval_frame(s, a->has_frame_id, a->frame_id, &fr, &err) < 0 ||
	    grt_scope_open(dbg_rt(s->dbg), fr.goid, fr.tid, fr.frame, &sc, &err) < 0 ||
	    gx_parse(text, &e, &err) < 0)
		goto fail;
	dbg_calldrv_init(&drv, s->dbg, call_timeout(s));
	wd.drv.ctx = &wd;
	wd.drv.run = watched_run;
	wd.inner = &drv.drv;
	if (calls)
		sc.calls = &wd.drv;
	else if (a->context && strcmp(a->context, "hover") == 0)
		sc.nocalls = "function calls are not made on hover (a hover must "
			     "not change the program): use the Debug Console or "
			     "a watch expression";
	else
		sc.nocalls = "function calls are allowed only in the Debug Console "
			     "and in watch expressions";
	int multi = grt_eval_results(&sc, e, &res, &nres, &err);
	if (multi < 0)
		goto fail;
	if (multi && nres != 1) {
		/* no result, or several: shown as a tuple (the appends
		 * fail only out of memory: the text is then cut short) */
		gd_buf b = GD_BUF_INIT;
		if (nres)
			gd_buf_puts(&b, "(");
		for (size_t i = 0; i < nres; i++) {
			if (i)
				gd_buf_puts(&b, ", ");
			/* never fails: an unreadable value says so in its text */
			(void)grt_format(dbg_rt(s->dbg), &res[i].v, &b);
		}
		if (nres)
			gd_buf_puts(&b, ")");
		cJSON *body = cJSON_CreateObject();
		cJSON_AddStringToObject(body, "result", b.data ? b.data : "");
		cJSON_AddNumberToObject(body, "variablesReference", 0);
		gd_buf_free(&b);
		grt_call_vals_free(res, nres);
		gx_expr_free(e);
		dap_respond(s, req, body);
		if (wd.ran)
			dap_invalidated(s);
		return;
	}
	if (multi) {
		v = res[0].v;
		memset(&res[0].v, 0, sizeof(res[0].v));
		grt_call_vals_free(res, nres);
		res = NULL;
	}
	if (gx_is_const(e->root)) {
		/* Untyped constants print as Go would (strings included). */
		gx_value c;
		if (gx_const_eval(e->root, &c, &err) < 0)
			goto fail;
		gd_buf b = GD_BUF_INIT;
		(void)gx_value_format(&c, &b); /* -1: out of memory, cut short */
		gx_value_free(&c);
		cJSON *body = cJSON_CreateObject();
		cJSON_AddStringToObject(body, "result", b.data ? b.data : "");
		cJSON_AddNumberToObject(body, "variablesReference", 0);
		gd_buf_free(&b);
		gx_expr_free(e);
		dap_respond(s, req, body);
		if (wd.ran)
			dap_invalidated(s);
		return;
	}
	if (!multi && grt_eval(&sc, e, &v, &err) < 0)
		goto fail;
	grt_fmtlim lim = grt_fmtlim_of(dbg_rt(s->dbg), a->context);
	cJSON *o = dap_var_json(s, a->expression, a->expression, &v, &fr, &lim);
	cJSON *body = cJSON_CreateObject();
	cJSON *val = cJSON_GetObjectItemCaseSensitive(o, "value");
	cJSON_AddStringToObject(body, "result", cJSON_IsString(val) ? val->valuestring : "");
	const char *keys[] = {"type", "variablesReference", "indexedVariables", "memoryReference",
			      "namedVariables"};
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		cJSON *it = cJSON_DetachItemFromObjectCaseSensitive(o, keys[i]);
		if (it)
			cJSON_AddItemToObject(body, keys[i], it);
	}
	cJSON_Delete(o);
	gx_expr_free(e);
	dap_respond(s, req, body);
	if (wd.ran)
		dap_invalidated(s);
	return;
fail:
	gx_expr_free(e);
	dap_respond_err(s, req, &err);
	if (wd.ran)
		dap_invalidated(s);
}
