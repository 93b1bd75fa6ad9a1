/* --accept-multiclient: the client leaves, the program stays (see
 * dap_multiclient.h). */
#include "dap_multiclient.h"
#include "../common/gd_fd.h"
#include "dap_internal.h"
#include "dap_listen.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void dap_mc_enable(dap_session *s, dap_listener *l)
{
	s->mc = l;
}

/* A program godap still controls (a core file or an exited program is
 * not worth keeping). */
static int live_target(dap_session *s)
{
	return dbg_has_target(s->dbg) && !dbg_exited(s->dbg) &&
	       !dbg_is_corefile(s->dbg) && !s->exited_sent &&
	       s->state != DAP_TERMINATED && s->state != DAP_IDLE;
}

int dap_mc_client_gone(dap_session *s, int suspend)
{
	if (!s->mc || s->mc->fd < 0 || !live_target(s))
		return 0;
	if (s->state == DAP_CONFIGURING) {
		/* Left before configurationDone: the program starts as
		 * configured so far. */
		dap_run_configured(s);
	} else if (s->state == DAP_STOPPED && !suspend) {
		gd_err err = GD_ERR_INIT;
		if (dap_target_resume(s, &err) < 0) {
			gd_log_info(s->log, "resume for the next client: %s",
				    gd_err_msg(&err));
			gd_err_clear(&err);
		}
	}
	if (s->in_fd >= 0)
		gd_close(s->in_fd);
	if (s->out_fd >= 0 && s->out_fd != s->in_fd)
		gd_close(s->out_fd);
	s->in_fd = s->out_fd = -1;
	dap_handles_reset(s);
	gd_err err = GD_ERR_INIT;
	dap_framing *fr;
	if (dap_framing_new(&fr, 0, &err) == 0) {
		dap_framing_free(s->fr);
		s->fr = fr;
	} else {
		gd_err_clear(&err);
	}
	s->rejoin = 0;
	gd_log_info(s->log, "client gone; the program stays %s, waiting for "
		    "the next client", s->state == DAP_STOPPED ? "stopped" : "running");
	return 1;
}

int dap_mc_nothing_left(dap_session *s)
{
	return s->mc && s->in_fd < 0 && !live_target(s);
}

int dap_mc_listen_fd(const dap_session *s)
{
	return s->mc && s->in_fd < 0 ? s->mc->fd : -1;
}

void dap_mc_poll(dap_session *s)
{
	int fd = dap_listen_try(s->mc, s->log);
	if (fd < 0)
		return;
	s->in_fd = s->out_fd = fd;
	s->rejoin = 1;
	s->lines_start_at1 = 1;
	gd_log_info(s->log, "a new client connected: it joins the session");
}

/* The breakpoints of the clients before: the new client cannot see them
 * (it sends only its own), so none of them may stop the program. */
static void clear_breakpoints(dap_session *s)
{
	size_t rounds = dbg_bp_count(s->dbg) + 1;
	while (dbg_bp_count(s->dbg) && rounds--) {
		dbg_bp_view v;
		dbg_bp_at(s->dbg, 0, &v);
		gd_err err = GD_ERR_INIT;
		char *src = v.source ? strdup(v.source) : NULL;
		if (dbg_bp_set(s->dbg, v.kind, src, NULL, 0, NULL, &err) < 0) {
			gd_log_info(s->log, "clearing breakpoints: %s", gd_err_msg(&err));
			gd_err_clear(&err);
		}
		free(src);
	}
}

int dap_mc_attach(dap_session *s, const cJSON *req)
{
	if (!s->rejoin || !live_target(s))
		return 0;
	/* The program and the launch configuration are the first client's;
	 * the new one sends its own breakpoints next. */
	clear_breakpoints(s);
	dap_respond(s, req, NULL);
	dap_event(s, "initialized", NULL);
	return 1;
}

int dap_mc_configuration_done(dap_session *s, const cJSON *req)
{
	if (!s->rejoin)
		return 0;
	s->rejoin = 0;
	dap_respond(s, req, NULL);
	if (s->state == DAP_STOPPED) {
		/* The client learns where the program is stopped. */
		cJSON *b = cJSON_CreateObject();
		cJSON_AddStringToObject(b, "reason", "pause");
		cJSON_AddNumberToObject(b, "threadId", (double)dbg_current_goid(s->dbg));
		cJSON_AddBoolToObject(b, "allThreadsStopped", 1);
		dap_event(s, "stopped", b);
	}
	return 1;
}
