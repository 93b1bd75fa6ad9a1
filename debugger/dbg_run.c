/* The run loop: what every stop means, and who is told. */
#include "dbg_internal.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

void dbg__emit_stop(dbg *d, dbg_stop_reason r, uint64_t thread_id,
		    const int *ids, size_t nids, const char *desc)
{
	dbg__hold_end(d);
	d->running = 0;
	d->cur_goid = thread_id;
	dbg_event ev = {
		.kind = DBG_EV_STOPPED, .reason = r, .thread_id = thread_id,
		.bp_ids = ids, .nbp_ids = nids, .description = desc,
	};
	d->hooks.event(d->hooks.ctx, &ev);
}

void dbg__emit_output(dbg *d, const char *text, const dbg_bp *bp)
{
	dbg_bp_view v;
	if (bp)
		dbg__bp_view(bp, &v);
	dbg_event ev = {.kind = DBG_EV_OUTPUT, .text = text, .bp = bp ? &v : NULL};
	d->hooks.event(d->hooks.ctx, &ev);
}

void dbg__emit_log(dbg *d, const char *text, const dbg_bp *bp, uint64_t goid)
{
	dbg_bp_view v;
	dbg__bp_view(bp, &v);
	dbg_event ev = {.kind = DBG_EV_OUTPUT, .text = text, .bp = &v,
			.thread_id = goid};
	d->hooks.event(d->hooks.ctx, &ev);
}

static void emit_exit(dbg *d, int code, int sig)
{
	dbg__klog_drain(d);
	dbg__hold_end(d);
	d->running = 0;
	if (d->exit_told)
		return;
	d->exit_told = 1;
	/* A step the exit cut short (next/stepOut over the last line). */
	dbg__step_drop(d);
	dbg_event ev = {.kind = DBG_EV_EXITED, .exit_code = code,
			.exit_signal = sig};
	d->hooks.event(d->hooks.ctx, &ev);
}

/* The process vanished during a stop or resume: its exit status is with
 * core. */
void dbg__report_exit(dbg *d)
{
	core_stop st;
	int code = 0, sig = 0;
	/* best effort: any failure here means the status is lost: 0 is all we
	 * can say. */
	if (core_wait(d->proc, 0, &st, NULL) == 1 &&
	    st.kind == CORE_STOP_EXITED) {
		code = st.exit_code;
		sig = st.exit_signal;
	} else if (d->call_exit_seen) {
		code = d->call_exit_code;
		sig = d->call_exit_signal;
	}
	emit_exit(d, code, sig);
}

void dbg_check_gone(dbg *d)
{
	if (!d->proc || d->running || d->exit_told || dbg_is_corefile(d))
		return;
	core_stop st;
	gd_err err = GD_ERR_INIT;
	int rc = core_poll_exit(d->proc, &st, &err);
	if (rc < 0) {
		gd_log_info(d->log, "checking the program: %s", gd_err_msg(&err));
		gd_err_clear(&err);
		return;
	}
	if (rc == 0 && !core_exited(d->proc))
		return;
	if (rc == 0 && d->call_exit_seen) {
		/* a function call met the exit */
		emit_exit(d, d->call_exit_code, d->call_exit_signal);
		return;
	}
	gd_log_info(d->log, "the program died while stopped (%s %d)",
		    rc && st.exit_signal ? "signal" : "exit code",
		    rc && st.exit_signal ? st.exit_signal : rc ? st.exit_code : 0);
	emit_exit(d, rc ? st.exit_code : 0, rc ? st.exit_signal : 0);
}

uint64_t dbg__thread_id_for(dbg *d, pid_t tid)
{
	uint64_t goid = 0;
	grt_invalidate(d->rt);
	/* best effort: a thread whose goroutine cannot be read is shown as
	 * itself. */
	if (grt_thread_goid(d->rt, tid, &goid, NULL) < 0 || goid == 0)
		return (uint64_t)tid;
	return goid;
}

void dbg__step_drop(dbg *d)
{
	dbg__hold_end(d);
	grt_step_end(d->step);
	d->step = NULL;
	d->instr_step = 0;
}

/* ---- stepHoldsOthers ---- */

#define HOLD_MAX_MS 2000 /* then everything runs */
#define HOLD_LOOK_MS 10  /* how often the held thread is looked at */

static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void dbg_set_step_holds_others(dbg *d, int on) { d->hold_wanted = on != 0; }

void dbg__hold_end(dbg *d)
{
	if (!d->hold_tid)
		return;
	d->hold_tid = 0;
	if (d->proc)
		core_hold_new_threads(d->proc, 0);
}

/* The step's resume with the others held: 1 done, 0 not possible here
 * (the caller resumes everything), -1 failed. */
static int hold_resume(dbg *d, gd_err *err)
{
	if (!d->hold_wanted || !d->step)
		return 0;
	uint64_t goid = grt_step_goid(d->step);
	/* best effort: a goroutine that cannot be read cannot be run alone:
	 * everything resumes instead. */
	const grt_goroutine *g = grt_goroutine_by_id(d->rt, goid, NULL);
	/* A parked goroutine needs the scheduler (another thread) to run. */
	if (!g || !g->tid)
		return 0;
	pid_t tid = g->tid;
	gd_err e = GD_ERR_INIT;
	if (grt_step_unpreempt(d->rt, goid, &e) < 0) {
		gd_log_info(d->log, "step: %s", gd_err_msg(&e));
		gd_err_clear(&e);
	}
	dbg__exc_clear(d);
	grt_invalidate(d->rt);
	core_hold_new_threads(d->proc, 1);
	if (core_run_thread(d->proc, tid, err) < 0) {
		core_hold_new_threads(d->proc, 0);
		return -1;
	}
	d->hold_tid = tid;
	d->hold_start = d->hold_checked = mono_ms();
	d->running = 1;
	return 1;
}

int dbg_hold_timeout(const dbg *d)
{
	if (!d->hold_tid || !d->running)
		return -1;
	int64_t wait = d->hold_checked + HOLD_LOOK_MS - mono_ms();
	return wait < 0 ? 0 : (int)wait;
}

void dbg_hold_tick(dbg *d)
{
	if (!d->hold_tid || !d->running || !d->proc)
		return;
	int64_t now = mono_ms();
	if (now - d->hold_checked < HOLD_LOOK_MS)
		return;
	d->hold_checked = now;
	int blocked = core_thread_sleeping(d->proc, d->hold_tid);
	if (!blocked && now - d->hold_start < HOLD_MAX_MS)
		return;
	/* The stepped goroutine waits for the rest of the program (a lock,
	 * a channel, the GC) or takes long: everything runs, as without the
	 * attribute; the step goes on. */
	gd_log_info(d->log, "step: thread %d %s: every thread runs now",
		    (int)d->hold_tid, blocked ? "blocked" : "held too long");
	gd_err err = GD_ERR_INIT;
	if (core_stop_all(d->proc, &err) < 0) {
		gd_log_info(d->log, "step: %s", gd_err_msg(&err));
		gd_err_clear(&err);
	}
	dbg__hold_end(d);
	if (core_exited(d->proc)) {
		dbg__report_exit(d);
		return;
	}
	if (core_resume_all(d->proc, &err) < 0) {
		gd_log_info(d->log, "step: %s", gd_err_msg(&err));
		gd_err_clear(&err);
	}
}

static void stop_all(dbg *d)
{
	gd_err err = GD_ERR_INIT;
	if (core_stop_all(d->proc, &err) < 0) {
		gd_log_info(d->log, "stop: %s", gd_err_msg(&err));
		gd_err_clear(&err);
	}
	/* Whatever stopped us ends a step: its breakpoints go while every
	 * thread is still. */
	dbg__step_drop(d);
}

static void stop_and_report(dbg *d, pid_t tid, dbg_stop_reason r,
			    const int *ids, size_t nids)
{
	stop_all(d);
	if (core_exited(d->proc)) {
		dbg__report_exit(d);
		return;
	}
	dbg__emit_stop(d, r, dbg__thread_id_for(d, tid), ids, nids, NULL);
}

/* The goroutine to show after a pause: the user's last one if it still
 * exists, else one running user code, else the lowest id. */
uint64_t dbg__pick_goroutine(dbg *d)
{
	const grt_goroutine *gs;
	size_t n;
	/* best effort: goroutines unreadable (or none yet): show the process. */
	if (grt_goroutines(d->rt, &gs, &n, NULL) < 0 || n == 0)
		return (uint64_t)core_pid(d->proc);
	uint64_t best = 0, running = 0;
	for (size_t i = 0; i < n; i++) {
		if (gs[i].goid == d->cur_goid && d->cur_goid)
			return d->cur_goid;
		if (grt_is_system(d->rt, &gs[i]))
			continue;
		if (gs[i].tid && !running)
			running = gs[i].goid;
		if (!best || gs[i].goid < best)
			best = gs[i].goid;
	}
	return running ? running : best ? best : gs[0].goid;
}

static void stop_and_report_exc(dbg *d)
{
	stop_all(d);
	/* A fatal error from the scheduler (deadlock) runs on no goroutine:
	 * show the one the user had, or one of the program's. */
	uint64_t id = d->exc_goid ? d->exc_goid : dbg__pick_goroutine(d);
	dbg__emit_stop(d, DBG_STOP_EXCEPTION, id, NULL, 0, d->exc_desc);
}

static dbg_stop_reason bp_reason(dbg_bp_kind k)
{
	return k == DBG_BP_FUNC	   ? DBG_STOP_FUNCTION_BREAKPOINT
	       : k == DBG_BP_INSTR ? DBG_STOP_INSTRUCTION_BREAKPOINT
				   : DBG_STOP_BREAKPOINT;
}

/* One thread's stop, while the others run.  Either it becomes the stop
 * the user sees (every thread stopped, reported) or the thread goes on. */
static void handle_stop(dbg *d, const core_stop *st)
{
	gd_err err = GD_ERR_INIT;
	/* Lines the kernel logged before this stop come first. */
	dbg__klog_drain(d);
	/* Set when a stack watch stopped every thread to move or end: the
	 * thread then goes on with all the others. */
	int all = 0;
	switch (st->kind) {
	case CORE_STOP_EXITED:
		emit_exit(d, st->exit_code, st->exit_signal);
		return;
	case CORE_STOP_EXEC:
		if (dbg__on_exec(d) < 0) {
			/* The session ends here; the program runs on. */
			dbg_end(d, DBG_END_DETACH);
			emit_exit(d, 0, 0);
			return;
		}
		break;
	case CORE_STOP_BREAKPOINT: {
		if (dbg__exc_hit(d, st->tid, st->addr)) {
			stop_and_report_exc(d);
			return;
		}
		/* runtime.copystack's returns and watched frames' return
		 * addresses (a step or a user breakpoint may share them). */
		all = dbg__stackwatch_on_bp(d, st->tid, st->addr);
		int *ids = NULL;
		dbg_bp_kind kind = DBG_BP_LINE;
		size_t n = dbg__bp_hit(d, st->tid, st->addr, &ids, &kind);
		if (n) {
			/* A user breakpoint wins over a step under way, on
			 * any goroutine. */
			stop_and_report(d, st->tid, bp_reason(kind), ids, n);
			free(ids);
			return;
		}
		free(ids);
		if (!d->step)
			break; /* not a user breakpoint (any more): go on */
		grt_step_verdict v = grt_step_on_bp(d->step, st->tid, st->addr, &err);
		if (err.msg)
			gd_log_info(d->log, "step: %s", gd_err_msg(&err));
		gd_err_clear(&err);
		switch (v) {
		case GRT_STEP_DONE:
			stop_and_report(d, st->tid, DBG_STOP_STEP, NULL, 0);
			return;
		case GRT_STEP_GONE:
			dbg__step_drop(d);
			break;
		case GRT_STEP_RESUME:
		case GRT_STEP_NOT_OURS:
			break;
		}
		break;
	}
	case CORE_STOP_TRAP: {
		/* The runtime's trap in a function call that timed out
		 * earlier: finish its protocol quietly and go on. */
		int pend = grt_call_pending_trap(d->rt, st->tid, &err);
		if (pend < 0) {
			gd_log_info(d->log, "call: %s", gd_err_msg(&err));
			gd_err_clear(&err);
		}
		if (pend == 1)
			break;
		/* runtime.Breakpoint() or an int3 compiled into the program. */
		stop_and_report(d, st->tid, DBG_STOP_BREAKPOINT, NULL, 0);
		return;
	}
	case CORE_STOP_WATCH:
		if (dbg__watch_hit(d, st->tid, st->slot))
			return;
		break;
	case CORE_STOP_STEP:
		stop_and_report(d, st->tid, DBG_STOP_STEP, NULL, 0);
		return;
	case CORE_STOP_NONE:
		return;
	}
	/* A step holding the others: its thread goes on alone. */
	int rc = all ? core_resume_all(d->proc, &err)
		 : d->hold_tid && st->tid == d->hold_tid
			 ? core_run_thread(d->proc, st->tid, &err)
			 : core_resume_thread(d->proc, st->tid, &err);
	if (rc < 0) {
		gd_log_info(d->log, "resume: %s", gd_err_msg(&err));
		gd_err_clear(&err);
	}
}

void dbg_on_child(dbg *d)
{
	if (!d->proc)
		return;
	while (d->running) {
		core_stop st;
		gd_err err = GD_ERR_INIT;
		int rc = core_wait(d->proc, 0, &st, &err);
		if (rc < 0) {
			gd_log_info(d->log, "wait: %s", gd_err_msg(&err));
			gd_err_clear(&err);
			return;
		}
		if (rc == 0)
			return;
		handle_stop(d, &st);
	}
}

int dbg_wants_poll(const dbg *d)
{
	return d->proc && d->running && core_has_held(d->proc);
}

/* Resumes every thread: the caller's handles on the stop die. */
static int resume_all(dbg *d, gd_err *err)
{
	if (core_exited(d->proc)) {
		dbg__report_exit(d);
		return 0;
	}
	dbg__exc_clear(d);
	grt_invalidate(d->rt);
	/* User goroutines a call left held (the scheduler's lock was held
	 * whenever it tried): once more now, and only once while a call is
	 * left inside the runtime (its trap must reach dbg_on_child). */
	gd_err e = GD_ERR_INIT;
	if ((grt_call_pending(d->rt, 0) ? grt_sched_unhold_user(d->rt, &e)
	     : dbg__user_unhold(d, 0, NULL, &e)) < 0) {
		gd_log_info(d->log, "resume: %s", gd_err_msg(&e));
		gd_err_clear(&e);
	}
	if (core_resume_all(d->proc, err) < 0)
		return -1;
	d->running = 1;
	/* Stops that happened meanwhile are picked up by dbg_on_child. */
	return 0;
}

static int instruction_step(dbg *d, gd_err *err)
{
	pid_t tid = d->instr_step;
	uint64_t goid = d->instr_goid;
	d->instr_step = 0;
	int exited = 0;
	dbg__exc_clear(d);
	if (core_step_thread(d->proc, tid, &exited, err) < 0) {
		if (!exited || !core_exited(d->proc))
			return -1;
		gd_err_clear(err);
	}
	if (exited && core_exited(d->proc)) {
		dbg__report_exit(d);
		return 0;
	}
	grt_invalidate(d->rt);
	dbg__emit_stop(d, DBG_STOP_STEP, goid, NULL, 0, NULL);
	return 0;
}

int dbg_continue(dbg *d, gd_err *err)
{
	if (!d->proc)
		return gd_err_set(err, "no program is running");
	if (dbg_is_corefile(d))
		return gd_err_set(err, DBG_ERR_IS_CORE);
	if (d->running)
		return 0;
	if (d->instr_step)
		return instruction_step(d, err);
	if (!core_exited(d->proc)) {
		int h = hold_resume(d, err);
		if (h != 0)
			return h < 0 ? -1 : 0;
	}
	return resume_all(d, err);
}

int dbg_pause(dbg *d, gd_err *err)
{
	if (!d->proc)
		return gd_err_set(err, "no program is running");
	if (dbg_is_corefile(d))
		return gd_err_set(err, DBG_ERR_IS_CORE);
	if (!d->running)
		return 0;
	if (core_stop_all(d->proc, err) < 0)
		return -1;
	dbg__step_drop(d);
	if (core_exited(d->proc)) {
		dbg__report_exit(d);
		return 0;
	}
	grt_invalidate(d->rt);
	dbg__emit_stop(d, DBG_STOP_PAUSE, dbg__pick_goroutine(d), NULL, 0, NULL);
	return 0;
}

void dbg_corefile_stop(dbg *d)
{
	if (!dbg_is_corefile(d))
		return;
	uint64_t goid = 0;
	char *kind = NULL, *desc = NULL;
	gd_err err = GD_ERR_INIT;
	int rc = grt_crash(d->rt, &goid, &kind, &desc, &err);
	if (rc < 0) {
		/* The stop is still shown; only its reason is lost. */
		gd_log_info(d->log, "core: why it crashed: %s", gd_err_msg(&err));
		gd_err_clear(&err);
	}
	if (rc == 0) {
		dbg__exc_record(d, kind, desc, goid, 0);
		free(kind);
		free(desc);
		uint64_t id = d->exc_goid ? d->exc_goid : dbg__pick_goroutine(d);
		dbg__emit_stop(d, DBG_STOP_EXCEPTION, id, NULL, 0, d->exc_desc);
		return;
	}
	dbg__emit_stop(d, DBG_STOP_PAUSE, dbg__pick_goroutine(d), NULL, 0, NULL);
}

void dbg_initial_stop(dbg *d)
{
	if (!d->proc)
		return;
	uint64_t id = (uint64_t)core_pid(d->proc);
	if (d->attached) {
		/* Caught wherever it was: a goroutine threads lists, as after
		 * a pause. */
		grt_invalidate(d->rt);
		id = dbg__pick_goroutine(d);
	}
	dbg__emit_stop(d, DBG_STOP_ENTRY, id, NULL, 0, NULL);
}

/* The CFA of frame `frame` of goroutine goid (numbered as dbg_stack
 * numbers them, inlined calls included), or 0 (the top frame is meant,
 * or the stack cannot be read: the step then leaves the top frame). */
static uint64_t frame_cfa(dbg *d, uint64_t goid, int frame)
{
	grt_frame *fs;
	size_t n;
	int complete;
	uint64_t cfa = 0;
	/* best effort: see above. */
	if (frame < 0 || dbg_stack(d, goid, 0, (size_t)frame + 1, &fs, &n,
				   &complete, NULL) < 0)
		return 0;
	if ((size_t)frame < n)
		cfa = fs[frame].cfa;
	free(fs);
	return cfa;
}

int dbg_step(dbg *d, uint64_t thread_id, dbg_step_kind kind,
	     const dbg_step_opts *o, gd_err *err)
{
	if (!d->proc || d->running)
		return gd_err_set(err, "the program is not stopped");
	if (dbg_is_corefile(d))
		return gd_err_set(err, DBG_ERR_IS_CORE);
	dbg__step_drop(d);
	if (kind == DBG_STEP_INSTRUCTION) {
		/* Goroutines unreadable (before the runtime set up): the id
		 * may still be an OS thread's. */
		gd_err gerr = GD_ERR_INIT;
		const grt_goroutine *g = grt_goroutine_by_id(d->rt, thread_id, &gerr);
		gd_err_clear(&gerr);
		pid_t tid = g ? g->tid : (pid_t)thread_id;
		if (!g && !core_thread_stopped(d->proc, tid))
			return gd_err_set(err, "no goroutine %lu",
					  (unsigned long)thread_id);
		if (!tid)
			return gd_err_set(err, "goroutine %lu is not running on "
					  "a thread, so it has no instruction "
					  "to step", (unsigned long)thread_id);
		d->instr_step = tid;
		d->instr_goid = thread_id;
		d->cur_goid = thread_id;
		return 0;
	}
	grt_step_kind k = kind == DBG_STEP_OVER ? GRT_STEP_OVER
			  : kind == DBG_STEP_IN ? GRT_STEP_IN : GRT_STEP_OUT;
	int rc;
	if (kind == DBG_STEP_IN && o && o->into)
		rc = grt_step_begin_into(d->rt, thread_id, o->into, &d->step, err);
	else
		rc = grt_step_begin(d->rt, thread_id, k,
				    kind == DBG_STEP_OUT && o
					    ? frame_cfa(d, thread_id, o->from_frame)
					    : 0,
				    &d->step, err);
	if (rc < 0)
		return -1;
	d->cur_goid = thread_id;
	return 0;
}

int dbg_goto(dbg *d, uint64_t goid, uint64_t addr, gd_err *err)
{
	if (!dbg_has_target(d) || d->running)
		return gd_err_set(err, "the program is not stopped");
	if (dbg_is_corefile(d))
		return gd_err_set(err, DBG_ERR_IS_CORE);
	if (grt_goto(d->rt, goid, addr, err) < 0)
		return -1;
	d->cur_goid = goid;
	return 0;
}

void dbg_report_stop(dbg *d, dbg_stop_reason r, uint64_t thread_id)
{
	grt_invalidate(d->rt);
	dbg__emit_stop(d, r, thread_id, NULL, 0, NULL);
}

int dbg__with_stopped(dbg *d, gd_err *err)
{
	int running = d->running && d->proc;
	if (running && core_stop_all(d->proc, err) < 0)
		return -1;
	return running;
}

void dbg__with_stopped_end(dbg *d, int was_running)
{
	gd_err err = GD_ERR_INIT;
	if (!was_running)
		return;
	d->running = 0;
	if (resume_all(d, &err) < 0) {
		gd_log_info(d->log, "resume: %s", gd_err_msg(&err));
		gd_err_clear(&err);
	}
}
