/* Values as DAP Variables, and the value handles behind
 * variablesReference (they die with every resume, like frame ids). */
#include "dap_internal.h"
#include "../goruntime/grt_value.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void dap_handle_release(dap_handle_ext *h)
{
	if (h->val) {
		grt_value_free(h->val);
		free(h->val);
	}
	free(h->expr);
	h->val = NULL;
	h->expr = NULL;
}

grt_fmtlim dap_handle_limits(dap_session *s, const dap_handle_ext *x)
{
	return x && x->lim.max_string ? x->lim : grt_fmtlim_of(dbg_rt(s->dbg), NULL);
}

cJSON *dap_var_json(dap_session *s, const char *name, const char *evalname,
		    grt_value *v, const dap_handle *frame,
		    const grt_fmtlim *lim)
{
	grt_target *t = dbg_rt(s->dbg);
	grt_fmtlim def = grt_fmtlim_of(t, NULL);
	if (!lim)
		lim = &def;
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "name", name);
	gd_buf b = GD_BUF_INIT;
	/* never fails: an unreadable value says so in its text */
	(void)grt_format_lim(t, lim, v, &b);
	cJSON_AddStringToObject(o, "value", b.data ? b.data : "");
	gd_buf_free(&b);
	cJSON_AddStringToObject(o, "type", grt_value_type_name(t, v));
	if (evalname && *evalname)
		cJSON_AddStringToObject(o, "evaluateName", evalname);
	uint64_t maddr;
	if (grt_value_memref(t, v, &maddr) == 0) {
		char mref[32];
		snprintf(mref, sizeof(mref), "0x%llx", (unsigned long long)maddr);
		cJSON_AddStringToObject(o, "memoryReference", mref);
	}
	uint64_t indexed = 0, named = 0;
	int ref = 0;
	const char *mname, *mtype;
	gd_buf mtext = GD_BUF_INIT;
	/* best effort: no message wanted: a value whose children cannot be
	 * counted is shown without them (its text says what it is). */
	if (!v->unreadable && grt_child_counts(t, v, &indexed, &named, NULL) == 0 &&
	    indexed > 0 && grt_meta_child(t, lim, v, &mname, &mtext, &mtype))
		named++;
	gd_buf_free(&mtext);
	if (!v->unreadable && indexed + named > 0) {
		dap_handle h = {0};
		dap_handle_ext x = {0};
		h.kind = DAP_H_VALUE;
		if (frame) {
			h.goid = frame->goid;
			h.tid = frame->tid;
			h.frame = frame->frame;
		}
		x.lim = *lim;
		x.val = malloc(sizeof(*x.val));
		x.expr = evalname ? strdup(evalname) : NULL;
		if (x.val) {
			*x.val = *v;
			memset(v, 0, sizeof(*v));
			ref = dap_handle_new_ext(s, &h, &x);
			if (!ref)
				dap_handle_release(&x);
		} else {
			free(x.expr);
		}
	}
	grt_value_free(v);
	cJSON_AddNumberToObject(o, "variablesReference", ref);
	if (ref && indexed)
		cJSON_AddNumberToObject(o, "indexedVariables", (double)indexed);
	if (ref && named)
		cJSON_AddNumberToObject(o, "namedVariables", (double)named);
	return o;
}
