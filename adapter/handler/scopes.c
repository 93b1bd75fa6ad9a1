#include "handlers.h"
#include "../../goruntime/grt_value.h"

#include <stdio.h>
#include <stdlib.h>

/* Locals (arguments first, as Delve lists them), then Globals of the
 * frame's package and Registers when the launch configuration asks. */
static void add_scope(dap_session *s, cJSON *list, const dap_handle *fr,
		      int scope, const char *name, int expensive)
{
	dap_handle h = *fr;
	dap_handle_ext x = {scope, NULL, NULL, {0, 0, 0, 0, 0}};
	h.kind = DAP_H_SCOPE;
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "name", name);
	cJSON_AddNumberToObject(o, "variablesReference",
				dap_handle_new_ext(s, &h, &x));
	cJSON_AddBoolToObject(o, "expensive", expensive);
	cJSON_AddItemToArray(list, o);
}

void dap_h_scopes(dap_session *s, const cJSON *req, dap_args_scopes *a)
{
	const dap_handle *hp = dap_handle_get(s, a->frame_id);
	if (!hp || hp->kind != DAP_H_FRAME) {
		dap_respond_error(s, req, "scopes: unknown frame id %d "
				  "(frame ids die when the program resumes)",
				  a->frame_id);
		return;
	}
	dap_handle fr = *hp; /* handles may move as new ones are made */
	if (fr.goid) {
		s->sel_goid = fr.goid;
		s->sel_frame = fr.frame;
	}
	cJSON *b = cJSON_CreateObject();
	cJSON *list = cJSON_AddArrayToObject(b, "scopes");
	add_scope(s, list, &fr, DAP_SCOPE_LOCALS, "Locals", 0);
	if (s->cfg.show_global_variables) {
		/* Delve: the current package's globals only, named after it.
		 * best effort: a frame whose package cannot be told (no error
		 * wanted): just "Globals". */
		grt_scope sc;
		char *pkg = NULL, *name = NULL;
		if (grt_scope_open(dbg_rt(s->dbg), fr.goid, fr.tid, fr.frame, &sc, NULL) == 0)
			pkg = grt_scope_package(&sc);
		if (pkg && asprintf(&name, "Globals (package %s)", pkg) < 0)
			name = NULL;
		add_scope(s, list, &fr, DAP_SCOPE_GLOBALS, name ? name : "Globals", 1);
		free(name);
		free(pkg);
	}
	if (s->cfg.show_registers)
		add_scope(s, list, &fr, DAP_SCOPE_REGISTERS, "Registers", 1);
	dap_respond(s, req, b);
}
