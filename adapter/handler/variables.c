#include "handlers.h"
#include "../../goruntime/grt_value.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *joinf(const char *fmt, const char *a, const char *b)
{
	if (!a || !*a)
		return NULL;
	size_t len = strlen(fmt) + strlen(a) + (b ? strlen(b) : 0) + 1;
	char *s = malloc(len);
	if (s)
		snprintf(s, len, fmt, a, b ? b : "");
	return s;
}

static void scope_vars(dap_session *s, const dap_handle *h,
		       const dap_handle_ext *x, cJSON *list,
		       gd_err *err, int *failed)
{
	grt_scope sc;
	if (grt_scope_open(dbg_rt(s->dbg), h->goid, h->tid, h->frame, &sc, err) < 0) {
		*failed = 1;
		return;
	}
	if (x->scope == DAP_SCOPE_REGISTERS) {
		dbg_reg *regs;
		size_t nregs;
		if (dbg_registers(&sc, &regs, &nregs, err) < 0) {
			*failed = 1;
			return;
		}
		for (size_t i = 0; i < nregs; i++) {
			/* Always 0x and 16 digits: printf's %#x drops the 0x of
			 * a zero. */
			char v[32];
			snprintf(v, sizeof(v), "0x%016llx", (unsigned long long)regs[i].value);
			cJSON *o = cJSON_CreateObject();
			cJSON_AddStringToObject(o, "name", regs[i].name);
			cJSON_AddStringToObject(o, "value", v);
			cJSON_AddNumberToObject(o, "variablesReference", 0);
			cJSON_AddItemToArray(list, o);
		}
		free(regs);
		return;
	}
	grt_var *vs;
	size_t n;
	char *pkg = NULL;
	int r = x->scope == DAP_SCOPE_GLOBALS
			? grt_scope_globals(&sc, &pkg, &vs, &n, err)
			: grt_scope_vars(&sc, &vs, &n, err);
	if (r < 0) {
		free(pkg);
		*failed = 1;
		return;
	}
	for (size_t i = 0; i < n; i++) {
		char *name = vs[i].shadowed ? joinf("(%s)", vs[i].name, NULL)
					    : strdup(vs[i].name);
		char *ev = vs[i].shadowed || vs[i].name[0] == '~' ? NULL
			 : pkg ? joinf("%s.%s", pkg, vs[i].name) : strdup(vs[i].name);
		cJSON_AddItemToArray(list, dap_var_json(s, name ? name : "?", ev,
							&vs[i].v, h, NULL));
		free(name);
		free(ev);
	}
	free(pkg);
	grt_vars_free(vs, n);
}

static void value_children(dap_session *s, const dap_handle *h,
			   const dap_handle_ext *x,
			   const dap_args_variables *a, cJSON *list,
			   gd_err *err, int *failed)
{
	grt_target *t = dbg_rt(s->dbg);
	grt_fmtlim lim = dap_handle_limits(s, x);
	grt_child *cs;
	size_t n;
	gdw_kind k = grt_value_kind(t, x->val);
	int listy = k == GDW_K_SLICE || k == GDW_K_ARRAY || k == GDW_K_MAP;
	if (listy && a->filter != DAP_VARS_INDEXED) {
		/* Delve's metadata: len() of maps, string() of byte lists */
		const char *mname, *mtype;
		gd_buf mt = GD_BUF_INIT;
		if (grt_meta_child(t, &lim, x->val, &mname, &mt, &mtype)) {
			cJSON *o = cJSON_CreateObject();
			cJSON_AddStringToObject(o, "name", mname);
			cJSON_AddStringToObject(o, "value", mt.data ? mt.data : "");
			cJSON_AddStringToObject(o, "type", mtype);
			char *ev = k == GDW_K_MAP ? joinf("len(%s)%s", x->expr, NULL) : NULL;
			if (ev)
				cJSON_AddStringToObject(o, "evaluateName", ev);
			free(ev);
			cJSON_AddNumberToObject(o, "variablesReference", 0);
			cJSON_AddItemToArray(list, o);
		}
		gd_buf_free(&mt);
	}
	if (a->filter == DAP_VARS_NAMED && listy)
		return;
	/* Without a count Delve returns what it loaded: 64 elements. */
	uint64_t count = a->count ? (uint64_t)a->count : listy ? 64 : 0;
	if (grt_children(t, x->val, (uint64_t)a->start, count, &cs, &n, err) < 0) {
		*failed = 1;
		return;
	}
	const char *pe = x->expr;
	for (size_t i = 0; i < n; i++) {
		grt_child *c = &cs[i];
		char *ev = NULL;
		char idx[32];
		switch (c->kind) {
		case GRT_CH_FIELD:
			if (grt_value_kind(t, x->val) == GDW_K_STRUCT)
				ev = joinf("%s.%s", pe, c->name);
			break;
		case GRT_CH_INDEX:
			snprintf(idx, sizeof(idx), "[%llu]", (unsigned long long)c->index);
			ev = joinf("%s%s", pe, idx);
			break;
		case GRT_CH_DEREF:
			ev = joinf("(*%s)%s", pe, NULL);
			break;
		case GRT_CH_IFACE:
		case GRT_CH_MAPENT:
			break;
		}
		if (c->kind == GRT_CH_MAPENT) {
			/* Delve: a scalar key names the entry; otherwise key and
			 * value are two variables. */
			gd_buf kb = GD_BUF_INIT;
			/* never fails: an unreadable key says so in its text */
			(void)grt_format_lim(t, &lim, &c->key, &kb);
			if (!grt_expandable(t, &c->key)) {
				char *vev = joinf("%s[%s]", pe, kb.data);
				/* The entry is the element: its type is the map's
				 * element type. */
				cJSON *o = dap_var_json(s, kb.data ? kb.data : "", vev, &c->v, h, &lim);
				cJSON_AddItemToArray(list, o);
				free(vev);
			} else {
				char kn[48], vn[48];
				snprintf(kn, sizeof(kn), "[key %llu]", (unsigned long long)c->index);
				snprintf(vn, sizeof(vn), "[val %llu]", (unsigned long long)c->index);
				cJSON_AddItemToArray(list, dap_var_json(s, kn, NULL, &c->key, h, &lim));
				cJSON_AddItemToArray(list, dap_var_json(s, vn, NULL, &c->v, h, &lim));
			}
			gd_buf_free(&kb);
		} else {
			cJSON_AddItemToArray(list, dap_var_json(s, c->name, ev, &c->v, h, &lim));
		}
		free(ev);
	}
	grt_children_free(cs, n);
}

void dap_h_variables(dap_session *s, const cJSON *req,
		     dap_args_variables *a)
{
	gd_err err = GD_ERR_INIT;
	const dap_handle *hp = dap_handle_get(s, a->variables_reference);
	if (!hp || (hp->kind != DAP_H_SCOPE && hp->kind != DAP_H_VALUE)) {
		dap_respond_error(s, req, "variables: unknown variablesReference %d "
				  "(references die when the program resumes)",
				  a->variables_reference);
		return;
	}
	/* A copy: making child handles may move the handle array.  The copy
	 * borrows val/expr, which live until the next resume. */
	dap_handle h = *hp;
	dap_handle_ext x = *dap_handle_ext_get(s, a->variables_reference);
	cJSON *b = cJSON_CreateObject();
	cJSON *list = cJSON_AddArrayToObject(b, "variables");
	int failed = 0;
	if (h.kind == DAP_H_SCOPE)
		scope_vars(s, &h, &x, list, &err, &failed);
	else
		value_children(s, &h, &x, a, list, &err, &failed);
	if (failed) {
		cJSON_Delete(b);
		dap_respond_error(s, req, "variables: %s", gd_err_msg(&err));
		gd_err_clear(&err);
		return;
	}
	dap_respond(s, req, b);
}
