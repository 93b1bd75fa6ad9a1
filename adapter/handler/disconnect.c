/* disconnect and terminate: how a session ends. */
#include "handlers.h"
#include "../../common/gd_time.h"
#include "../dap_build.h"
#include "../dap_multiclient.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <time.h>

/* After terminate's SIGTERM, the program has this long to shut down. */
#define TERMINATE_GRACE_MS 3000

/* disconnect: a launched program is killed unless terminateDebuggee is
 * false (then it is detached and runs on); an attached one is detached
 * unless terminateDebuggee is true.  A build under way is stopped. */
void dap_h_disconnect(dap_session *s, const cJSON *req,
		      dap_args_disconnect *a)
{
	if (s->mc && a->terminate_debuggee != 1) {
		/* --accept-multiclient: the program stays for the next
		 * client. */
		dap_respond(s, req, NULL);
		if (dap_mc_client_gone(s, a->suspend_debuggee == 1))
			return;
		/* nothing to keep: the usual end */
		s->done = 1;
		s->exit_code = 0;
		dap_launch_abort(s, "cancelled: the client disconnected");
		dap_plain_end(s, 0);
		dap_target_end(s, 0);
		return;
	}
	dap_launch_abort(s, "cancelled: the client disconnected");
	if (s->tgt && !dbg_attached(s->dbg) && a->terminate_debuggee == 0)
		s->tgt->detach = 1;
	dap_plain_end(s, a->terminate_debuggee == 0);
	dap_target_end(s, a->terminate_debuggee == 1);
	dap_respond(s, req, NULL);
	s->done = 1;
	s->exit_code = 0;
}

/* The program is asked to stop: SIGTERM, so it can run its shutdown.
 * `exited` and `terminated` follow when it is gone; still there after
 * TERMINATE_GRACE_MS, or at a second terminate, it is killed. */
static void signal_program(dap_session *s, int sig)
{
	if (s->plain) {
		dap_plain_signal(s, sig);
		return;
	}
	if (!dbg_has_target(s->dbg) || dbg_exited(s->dbg))
		return;
	if (kill(dbg_pid(s->dbg), sig) < 0) /* ESRCH: it has just ended */
		gd_log_info(s->log, "terminate: kill: %s", strerror(errno));
	if (s->state == DAP_STOPPED || s->state == DAP_CONFIGURING) {
		/* A stopped program must run to take the signal. */
		gd_err err = GD_ERR_INIT;
		if (dap_target_resume(s, &err) < 0) {
			gd_log_info(s->log, "terminate: %s", gd_err_msg(&err));
			gd_err_clear(&err);
		}
	}
}

void dap_h_terminate(dap_session *s, const cJSON *req)
{
	dap_launch_abort(s, "cancelled: the client asked to terminate");
	int running = (s->plain && !s->plain->reaped) ||
		      (dbg_has_target(s->dbg) && !dbg_exited(s->dbg) &&
		       !s->exited_sent);
	if (!running) {
		dap_respond(s, req, NULL);
		if (!s->exited_sent) {
			s->exited_sent = 1;
			s->state = DAP_TERMINATED;
			dap_event(s, "terminated", NULL);
		}
		return;
	}
	if (s->terminating) {
		gd_log_info(s->log, "terminate again: killing the program");
		s->term_at = gd_now_ms();
		dap_terminate_tick(s);
	} else {
		s->terminating = 1;
		s->term_at = gd_now_ms() + TERMINATE_GRACE_MS;
		signal_program(s, SIGTERM);
	}
	dap_respond(s, req, NULL);
}

int dap_terminate_timeout(const dap_session *s)
{
	if (!s->terminating || s->exited_sent)
		return -1;
	long long left = s->term_at - gd_now_ms();
	return left < 0 ? 0 : (int)left;
}

void dap_terminate_tick(dap_session *s)
{
	if (!s->terminating || s->exited_sent || gd_now_ms() < s->term_at)
		return;
	s->terminating = 0;
	gd_log_info(s->log, "terminate: the program is still running, kill");
	signal_program(s, SIGKILL);
}
