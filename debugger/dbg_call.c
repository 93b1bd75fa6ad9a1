/* The driver of function calls from the debugger (goruntime/grt_call.h):
 * runs the calling thread alone until the runtime's next protocol trap,
 * with a time limit, and lets the rest of the program run only when the
 * call makes no progress without it. */
#include "dbg_internal.h"

#include <string.h>
#include <time.h>

/* How long the calling thread runs alone before godap concludes that it
 * waits for the rest of the runtime (a lock, a stop-the-world, an idle M
 * to wake): then threads that run no user goroutine are let go with user
 * goroutines held (sched.disable.user); after STAGE2_MS more, every
 * thread. */
enum { STAGE1_MS = 300, STAGE2_MS = 1000 };

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Until a child's status may have changed, or timeout_ms. */
static void wait_child(dbg *d, int timeout_ms)
{
	if (d->hooks.wait) {
		d->hooks.wait(d->hooks.ctx, timeout_ms);
		return;
	}
	/* Nobody owns a SIGCHLD file descriptor: look again shortly. */
	struct timespec ts = {0, 1000000};
	nanosleep(&ts, NULL);
}

/* Lets go the stopped threads other than tid: those that run no
 * goroutine (all == 0) or all of them.  Returns how many. */
static int release(dbg *d, pid_t tid, int all, gd_err *err)
{
	core_proc *p = d->proc;
	int n = 0;
	for (size_t i = 0; i < core_thread_count(p); i++) {
		pid_t t = core_thread_tid(p, i);
		if (t == tid || !core_thread_stopped(p, t))
			continue;
		if (!all) {
			uint64_t goid = 0;
			/* best effort: a thread whose goroutine cannot be
			 * read is not known to be idle: it stays stopped. */
			if (grt_thread_goid(d->rt, t, &goid, NULL) < 0 || goid)
				continue;
		}
		if (core_run_thread(p, t, err) < 0)
			return -1;
		n++;
	}
	return n;
}

/* 1 when thread tid sits just after an int3 that is not one of ours: a
 * protocol trap that a stop of every thread swallowed. */
static int trapped(core_proc *p, pid_t tid)
{
	struct user_regs_struct r;
	uint8_t b = 0;
	/* best effort: registers or code that cannot be read: no trap we
	 * can vouch for. */
	if (core_regs(p, tid, &r, NULL) < 0 || core_bp_has(p, r.rip - 1) ||
	    core_read(p, r.rip - 1, &b, 1, NULL) < 0)
		return 0;
	return b == 0xCC;
}

/* 1 when a stopped thread other than tid runs a user goroutine. */
static int other_user_thread(dbg *d, pid_t tid)
{
	core_proc *p = d->proc;
	for (size_t i = 0; i < core_thread_count(p); i++) {
		pid_t t = core_thread_tid(p, i);
		uint64_t goid = 0;
		/* best effort: threads and goroutines that cannot be read do
		 * not count as user code. */
		if (t == tid || !core_thread_stopped(p, t) ||
		    grt_thread_goid(d->rt, t, &goid, NULL) < 0 || !goid)
			continue;
		const grt_goroutine *g = grt_goroutine_by_id(d->rt, goid, NULL);
		if (g && !grt_is_system(d->rt, g))
			return 1;
	}
	return 0;
}

/* How many times, and for how long each, the program runs while a
 * stopped thread holds sched.lock before user goroutines can be let go
 * (the lock is held for microseconds: a thread stopped inside it is rare,
 * twice in a row rarer still). */
enum { UNHOLD_TRIES = 50, UNHOLD_RUN_MS = 2 };

/* grt_sched_unhold_user with every thread stopped, letting the program
 * run a moment whenever a thread was caught holding the runtime's
 * scheduler lock (under load this happens: threads let go for the call
 * take the lock to look for work).  Thread tid is inside a call (0: none
 * is watched): when its protocol trap is hit meanwhile, *trap is set and
 * the rest is left (the call's end releases the goroutines through the
 * runtime).  0 when released or nothing was held; -1 (GD_EAGAIN when the
 * lock was still held every time) with the program stopped. */
int dbg__user_unhold(dbg *d, pid_t tid, int *trap, gd_err *err)
{
	core_proc *p = d->proc;
	if (trap)
		*trap = 0;
	for (int i = 0;; i++) {
		gd_err e = GD_ERR_INIT;
		int rc = grt_sched_unhold_user(d->rt, &e);
		if (rc != GD_EAGAIN || i == UNHOLD_TRIES) {
			if (rc < 0)
				gd_err_set(err, "%s", gd_err_msg(&e));
			gd_err_clear(&e);
			return rc;
		}
		gd_err_clear(&e);
		if (core_resume_all(p, err) < 0)
			return -1;
		wait_child(d, UNHOLD_RUN_MS);
		if (core_stop_all(p, err) < 0)
			return -1;
		if (core_exited(p))
			return gd_err_set(err, "the program exited");
		if (tid && trapped(p, tid)) {
			*trap = 1;
			return 0;
		}
	}
}

static int drv_run(void *ctx, pid_t tid, uint64_t bp_addr, int *timed_out,
		   gd_err *err)
{
	dbg_calldrv *c = ctx;
	dbg *d = c->d;
	core_proc *p = d->proc;
	*timed_out = 0;
	int64_t start = now_ms();
	int64_t deadline = start + (int64_t)c->timeout_s * 1000;
	int released = 0;
	/* Each step of the protocol starts with the calling thread alone:
	 * a step that needed the rest of the program (the first ones can,
	 * on a loaded machine: a stack to grow, a GC to assist) says
	 * nothing of the next, and a stage left at 2 would never let the
	 * others go again. */
	c->stage = 0;
	core_hold_new_threads(p, 1);
	int rc = -1;
	if (core_run_thread(p, tid, err) < 0)
		goto out;
	for (;;) {
		core_stop st;
		int w = core_wait(p, 0, &st, err);
		if (w < 0)
			goto out;
		if (w == 1) {
			if (st.kind == CORE_STOP_EXITED) {
				d->call_exit_seen = 1;
				d->call_exit_code = st.exit_code;
				d->call_exit_signal = st.exit_signal;
				gd_err_set(err, "the program exited during the call "
					   "(exit code %d)", st.exit_code);
				goto out;
			}
			if (st.tid == tid && (st.kind == CORE_STOP_TRAP ||
					      (bp_addr && st.kind == CORE_STOP_BREAKPOINT &&
					       st.addr == bp_addr))) {
				rc = 0;
				goto out;
			}
			/* User breakpoints, steps and watchpoints do not fire
			 * inside a call (nor on threads let go for it). */
			if (core_run_thread(p, st.tid, err) < 0)
				goto out;
			continue;
		}
		int64_t now = now_ms();
		if (d->hooks.interrupted && d->hooks.interrupted(d->hooks.ctx)) {
			/* pause (or the client leaves): the call is left as a
			 * timed-out one is */
			*timed_out = 1;
			gd_err_set(err, "the call was interrupted (pause); its "
				   "goroutine is left inside the call and finishes it "
				   "when the program runs on");
			goto out;
		}
		if (now >= deadline) {
			*timed_out = 1;
			gd_err_set(err, "the call did not return within %d s "
				   "(launch attribute callTimeout); its goroutine "
				   "is left inside the call and finishes it when "
				   "the program runs on", c->timeout_s);
			goto out;
		}
		if (c->stage == 0 && now - start >= STAGE1_MS) {
			/* Runtime-only threads first, user goroutines held --
			 * but only while another thread stays stopped running
			 * a user goroutine: with every thread idle and user
			 * goroutines held, the runtime declares a deadlock
			 * (checkdead: "runnable g"). */
			c->stage = 1;
			gd_log_debug(d->log, "call: thread %d alone for %lld ms: "
				     "runtime threads go", (int)tid,
				     (long long)(now - start));
			if (!other_user_thread(d, tid))
				continue;
			gd_err e = GD_ERR_INIT;
			if (grt_sched_hold_user(d->rt, &e) < 0)
				gd_err_clear(&e);
			int n = release(d, tid, 0, err);
			if (n < 0)
				goto out;
			released += n;
		} else if (c->stage == 1 && now - start >= STAGE1_MS + STAGE2_MS) {
			/* The whole program, user goroutines too: a goroutine
			 * the call waits for may have been queued while they
			 * were held. */
			gd_log_debug(d->log, "call: thread %d for %lld ms: "
				     "every thread goes", (int)tid,
				     (long long)(now - start));
			if (core_stop_all(p, err) < 0)
				goto out;
			if (trapped(p, tid)) {
				rc = 0;
				goto out;
			}
			gd_err e = GD_ERR_INIT;
			int trap = 0;
			if (dbg__user_unhold(d, tid, &trap, &e) < 0) {
				/* The call waits on user goroutines: without
				 * them it times out, and says why. */
				gd_log_info(d->log, "call: %s", gd_err_msg(&e));
				gd_err_clear(&e);
			}
			if (trap) {
				rc = 0;
				goto out;
			}
			core_hold_new_threads(p, 0);
			size_t n = core_thread_count(p);
			if (core_resume_all(p, err) < 0)
				goto out;
			released += (int)n;
			c->stage = 2;
			if (n > 1 && !c->noted) {
				const char *msg = "godap: the function call could not "
					"finish with the rest of the program stopped: "
					"other goroutines ran during the call\n";
				dbg__emit_output(d, msg, NULL);
				c->noted = 1;
			}
		}
		int64_t next = deadline;
		if (c->stage == 0 && start + STAGE1_MS < next)
			next = start + STAGE1_MS;
		if (c->stage == 1 && start + STAGE1_MS + STAGE2_MS < next)
			next = start + STAGE1_MS + STAGE2_MS;
		int wait = (int)(next - now);
		wait_child(d, wait > 0 ? wait : 0);
	}
out:
	core_hold_new_threads(p, 0);
	if (rc < 0 || released || c->stage) {
		/* Everything still again, as the protocol's next step
		 * expects (and the user, after a failure). */
		gd_err e = GD_ERR_INIT;
		if (core_stop_all(p, &e) < 0)
			gd_err_clear(&e);
		if (rc < 0 && *timed_out && !core_exited(p)) {
			/* The goroutine stays inside the call: the user
			 * goroutines held for it must not stay held with
			 * it (grt_call tries once more if this fails). */
			int trap = 0;
			if (dbg__user_unhold(d, tid, &trap, &e) < 0) {
				gd_log_info(d->log, "call: %s", gd_err_msg(&e));
				gd_err_clear(&e);
			}
			if (trap) {
				/* It got there meanwhile after all. */
				*timed_out = 0;
				gd_err_clear(err);
				rc = 0;
			}
		}
	}
	return rc;
}

void dbg_calldrv_init(dbg_calldrv *c, dbg *d, int timeout_s)
{
	memset(c, 0, sizeof(*c));
	c->d = d;
	c->timeout_s = timeout_s;
	c->drv.ctx = c;
	c->drv.run = drv_run;
}
