#include "../dap_internal.h"

#include <string.h>

/* launch and attach share everything after the target exists: the
 * 'initialized' event tells the client to send its configuration. */
static void started(dap_session *s, const cJSON *req)
{
	s->state = DAP_CONFIGURING;
	dap_respond(s, req, NULL);
	/* Breakpoints sent before the program existed were resolved by the
	 * launch or attach: tell the client how. */
	for (size_t i = 0; i < dbg_bp_count(s->dbg); i++) {
		dbg_bp_view v;
		dbg_bp_at(s->dbg, i, &v);
		dap_bp_event(s, &v);
	}
	dap_event(s, "initialized", NULL);
}

static int parse_cfg(dap_session *s, const cJSON *req, const cJSON *args,
		     int attach)
{
	gd_err err = GD_ERR_INIT;
	if (s->state != DAP_IDLE) {
		dap_respond_error(s, req, "a program is already being debugged");
		return -1;
	}
	dap_args_launch a;
	int rc = attach ? dap_args_attach_parse(args, &a, &err)
			: dap_args_launch_parse(args, &a, &err);
	if (rc < 0) {
		dap_respond_err(s, req, &err);
		return -1;
	}
	if (s->have_cfg)
		dap_args_launch_free(&s->cfg);
	s->cfg = a;
	s->have_cfg = 1;
	return 0;
}

void dap_h_launch(dap_session *s, const cJSON *req, const cJSON *args)
{
	if (parse_cfg(s, req, args, 0) < 0)
		return;
	gd_err err = GD_ERR_INIT;
	if (dap_target_launch(s, &err) < 0) {
		dap_target_end(s, 0);
		dap_respond_err(s, req, &err);
		return;
	}
	started(s, req);
}

void dap_h_attach(dap_session *s, const cJSON *req, const cJSON *args)
{
	if (parse_cfg(s, req, args, 1) < 0)
		return;
	gd_err err = GD_ERR_INIT;
	if (dap_target_attach(s, &err) < 0) {
		dap_target_end(s, 0);
		dap_respond_err(s, req, &err);
		return;
	}
	started(s, req);
}
