/* setVariable and setExpression: bools, numbers, runes and pointers (the
 * value is a Go expression: 42, -1.5, 'x', nil, &v, 0xc000010000). */
#include "handlers.h"
#include "../../goruntime/grt_value.h"

#include <stdlib.h>
#include <string.h>

/* Memory changed: values read ahead by live handles may be stale. */
static void drop_caches(dap_session *s)
{
	for (size_t i = 0; i < s->nhandles; i++)
		if (s->hext[i].val)
			grt_value_drop_cache(s->hext[i].val);
}

static void respond_value(dap_session *s, const cJSON *req, grt_value *v,
			  const dap_handle *fr)
{
	drop_caches(s);
	cJSON *o = dap_var_json(s, "", NULL, v, fr, NULL);
	cJSON *body = cJSON_CreateObject();
	const char *keys[] = {"value", "type", "variablesReference",
			      "indexedVariables", "namedVariables"};
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		cJSON *it = cJSON_DetachItemFromObjectCaseSensitive(o, keys[i]);
		if (it)
			cJSON_AddItemToObject(body, keys[i], it);
	}
	cJSON_Delete(o);
	dap_respond(s, req, body);
	dap_invalidated(s);
}

/* The child of a value handle called name, as `variables` named it. */
static int find_child(dap_session *s, const dap_handle_ext *h, const char *name,
		      grt_value *out, gd_err *err)
{
	grt_child *cs;
	size_t n;
	if (grt_children(dbg_rt(s->dbg), h->val, 0, 0, &cs, &n, err) < 0)
		return -1;
	int r = -1;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(cs[i].name, name) != 0)
			continue;
		*out = cs[i].v;
		memset(&cs[i].v, 0, sizeof(cs[i].v));
		r = 0;
		break;
	}
	grt_children_free(cs, n);
	if (r < 0)
		gd_err_set(err, "no variable named %s here", name);
	return r;
}

void dap_h_set_variable(dap_session *s, const cJSON *req,
			dap_args_set_variable *a)
{
	gd_err err = GD_ERR_INIT;
	grt_scope sc;
	grt_value dst = {0}, nv = {0};
	const dap_handle *hp = dap_handle_get(s, a->variables_reference);
	if (!hp || (hp->kind != DAP_H_SCOPE && hp->kind != DAP_H_VALUE)) {
		gd_err_set(&err, "unknown variablesReference %d", a->variables_reference);
		goto fail;
	}
	dap_handle h = *hp;
	dap_handle_ext x = *dap_handle_ext_get(s, a->variables_reference);
	dbg_calldrv drv;
	dbg_calldrv_init(&drv, s->dbg, call_timeout(s));
	if (grt_scope_open(dbg_rt(s->dbg), h.goid, h.tid, h.frame, &sc, &err) < 0)
		goto fail;
	if (h.kind == DAP_H_SCOPE) {
		if (x.scope == DAP_SCOPE_REGISTERS) {
			gd_err_set(&err, "registers cannot be set");
			goto fail;
		}
		if (a->name[0] == '(') {
			gd_err_set(&err, "%s is shadowed: it cannot be set", a->name);
			goto fail;
		}
		if (grt_scope_lookup(&sc, a->name, &dst, &err) < 0)
			goto fail;
	} else if (find_child(s, &x, a->name, &dst, &err) < 0) {
		goto fail;
	}
	/* New strings and map entries need memory in the program: made
	 * through function calls into its runtime. */
	sc.calls = &drv.drv;
	if (grt_value_set(&sc, &dst, a->value, &err) < 0)
		goto fail;
	if (grt_value_copy(&nv, &dst) < 0) {
		gd_err_set(&err, "out of memory");
		goto fail;
	}
	grt_value_drop_cache(&nv);
	grt_value_free(&dst);
	respond_value(s, req, &nv, &h);
	return;
fail:
	grt_value_free(&dst);
	dap_respond_error(s, req, "setVariable: %s", gd_err_msg(&err));
	gd_err_clear(&err);
}

void dap_h_set_expression(dap_session *s, const cJSON *req,
			  dap_args_set_expression *a)
{
	gd_err err = GD_ERR_INIT;
	dap_handle fr = {0};
	fr.kind = DAP_H_FRAME;
	fr.goid = dbg_current_goid(s->dbg);
	gx_expr *e = NULL;
	grt_scope sc;
	grt_value v = {0};
	if (a->has_frame_id) {
		const dap_handle *h = dap_handle_get(s, a->frame_id);
		if (!h || h->kind != DAP_H_FRAME) {
			gd_err_set(&err, "unknown frame id %d", a->frame_id);
			goto fail;
		}
		fr = *h;
	}
	dbg_calldrv drv;
	dbg_calldrv_init(&drv, s->dbg, call_timeout(s));
	if (grt_scope_open(dbg_rt(s->dbg), fr.goid, fr.tid, fr.frame, &sc, &err) < 0 ||
	    gx_parse(a->expression, &e, &err) < 0)
		goto fail;
	sc.calls = &drv.drv;
	if (grt_assign_expr(&sc, e, a->value, &v, &err) < 0)
		goto fail;
	gx_expr_free(e);
	grt_value_drop_cache(&v);
	respond_value(s, req, &v, &fr);
	return;
fail:
	grt_value_free(&v);
	gx_expr_free(e);
	dap_respond_error(s, req, "setExpression: %s", gd_err_msg(&err));
	gd_err_clear(&err);
}
