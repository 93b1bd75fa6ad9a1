#include "core_internal.h"
#include "../common/gd_array.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <time.h>

#ifndef TRAP_HWBKPT
#define TRAP_HWBKPT 4
#endif
#ifndef TRAP_TRACE
#define TRAP_TRACE 2
#endif

core_thread *core__thread(core_live *p, pid_t tid)
{
	for (size_t i = 0; i < p->nthreads; i++)
		if (p->threads[i].tid == tid)
			return &p->threads[i];
	return NULL;
}

core_thread *core__thread_add(core_live *p, pid_t tid)
{
	core_thread *t = core__thread(p, tid);
	if (t)
		return t;
	if (gd_grow(&p->threads, &p->capthreads, p->nthreads,
		    sizeof(*p->threads), 16) < 0)
		return NULL;
	t = &p->threads[p->nthreads++];
	memset(t, 0, sizeof(*t));
	t->tid = tid;
	t->state = CT_RUNNING;
	t->fresh = 1;
	return t;
}

void core__thread_remove(core_live *p, pid_t tid)
{
	for (size_t i = 0; i < p->nthreads; i++) {
		if (p->threads[i].tid == tid) {
			p->threads[i] = p->threads[--p->nthreads];
			return;
		}
	}
}

size_t live_thread_count(const core_live *p) { return p->nthreads; }

pid_t live_thread_tid(const core_live *p, size_t i)
{
	return i < p->nthreads ? p->threads[i].tid : -1;
}

int live_thread_stopped(const core_live *p, pid_t tid)
{
	for (size_t i = 0; i < p->nthreads; i++)
		if (p->threads[i].tid == tid)
			return p->threads[i].state == CT_STOPPED;
	return 0;
}

int core__cont(core_live *p, core_thread *t, gd_err *err)
{
	if (t->regs_valid == 2 &&
	    ptrace(PTRACE_SETREGS, t->tid, 0, &t->regs) < 0 && errno != ESRCH)
		return gd_err_sys(err, "ptrace(PTRACE_SETREGS, %d)", (int)t->tid);
	if (t->held_watch) {
		/* Stays stopped: core_wait reports its watch hit next. */
		t->regs_valid = 0;
		t->stepover = 0;
		return 0;
	}
	int sig = t->pending_sig;
	t->pending_sig = 0;
	t->regs_valid = 0;
	t->stepover = 0;
	if (ptrace(PTRACE_CONT, t->tid, 0, (void *)(long)sig) < 0) {
		if (errno == ESRCH) {
			/* Died under us (exit_group in progress); its exit
			 * status will tell. */
			t->state = CT_RUNNING;
			return 0;
		}
		return gd_err_sys(err, "ptrace(PTRACE_CONT, %d)", (int)t->tid);
	}
	(void)p;
	t->state = CT_RUNNING;
	return 0;
}

void core__note_exit(core_live *p, int st)
{
	p->exited = 1;
	p->nthreads = 0;
	if (WIFEXITED(st)) {
		p->exit_code = WEXITSTATUS(st);
		p->exit_signal = 0;
	} else {
		p->exit_code = 128 + WTERMSIG(st);
		p->exit_signal = WTERMSIG(st);
	}
}

static int fill_exit(core_live *p, core_stop *out)
{
	if (p->exit_reported)
		return 0;
	p->exit_reported = 1;
	memset(out, 0, sizeof(*out));
	out->kind = CORE_STOP_EXITED;
	out->tid = p->pid;
	out->exit_code = p->exit_code;
	out->exit_signal = p->exit_signal;
	return 1;
}

/* The trap is sure to be one of our int3s: just after one, and no
 * watchpoint armed (a 1-byte store under a breakpoint would look the same). */
static int known_int3(const core_live *p, uint64_t rip)
{
	for (int i = 0; i < CORE_HW_SLOTS; i++)
		if (p->hw[i].active)
			return 0;
	const core_bp *bp = core__bp(p, rip - 1);
	/* A uprobe (refs 0) is the kernel's int3, never reported as one. */
	return bp && bp->refs > 0;
}

/* A SIGTRAP without a ptrace event: our int3, a step, a watchpoint, or the
 * program's own int3.  Returns 1 with *out filled when the upper layer must
 * decide, 0 when it was handled here. */
static int classify_trap(core_live *p, core_thread *t, core_stop *out,
			 gd_err *err)
{
	struct user_regs_struct r;
	if (live_regs(p, t->tid, &r, err) < 0)
		return -1;
	siginfo_t si;
	int int3 = known_int3(p, r.rip);
	if (!int3 && p->kbp_map > 0) {
		/* A kernel condition held and its program stopped us. */
		int k = core__kbp_trap(p, t, r.rip, out, err);
		if (k == 1) {
			if (p->stopping)
				return 0; /* the uprobe fires again on resume */
			t->stepover = out->addr;
			return 1;
		}
		if (k == -2)
			return 0;
		if (k < 0)
			return -1;
	}
	if (int3) {
		/* Single steps are waited for where they are made, so this
		 * trap is our int3: no PTRACE_GETSIGINFO on the hot path. */
		si.si_code = SI_KERNEL;
	} else if (ptrace(PTRACE_GETSIGINFO, t->tid, 0, &si) < 0) {
		return gd_err_sys(err, "ptrace(PTRACE_GETSIGINFO, %d)", (int)t->tid);
	}
	memset(out, 0, sizeof(*out));
	out->tid = t->tid;
	if (si.si_code == TRAP_TRACE) {
		out->kind = CORE_STOP_STEP;
		out->addr = r.rip;
		return 1;
	}
	if (si.si_code == TRAP_HWBKPT) {
		out->kind = CORE_STOP_WATCH;
		out->addr = r.rip;
		out->slot = core__hw_slot(p, t->tid);
		if (out->slot < 0)
			return 0;
		if (p->stopping) {
			t->held_watch = out->slot + 1;
			return 0;
		}
		return 1;
	}
	if (si.si_code == SI_KERNEL || si.si_code == TRAP_BRKPT) {
		uint64_t at = r.rip - 1;
		if (core__bp(p, at)) {
			t->regs.rip = at;
			t->regs_valid = 2;
			if (p->stopping)
				return 0; /* replays on resume */
			out->kind = CORE_STOP_BREAKPOINT;
			out->addr = at;
			t->stepover = at;
			return 1;
		}
		uint8_t b = 0;
		/* best effort: an unreadable byte cannot be told from an
		 * int3 of the program's own, reported as a trap below. */
		if (live_read(p, at, &b, 1, NULL) == 0 && b != 0xCC) {
			/* A hit on a breakpoint removed since: run the
			 * instruction that is there now. */
			t->regs.rip = at;
			t->regs_valid = 2;
			return 0;
		}
		out->kind = CORE_STOP_TRAP;
		out->addr = r.rip;
		return 1;
	}
	/* A SIGTRAP sent by someone (kill): hand it to the program. */
	t->pending_sig = SIGTRAP;
	return 0;
}

/* The program ran execve: a new image, reported by the process id (the
 * thread that ran it took that id; the kernel ended the others).  What
 * godap had in the old image went with it: the pages it mapped (scratch
 * page, jump pads), its int3s, jmps and uprobes (forgotten here, never
 * written back: the new image may be another program), the debug
 * registers (the kernel clears them).  /proc/pid/mem still reaches the
 * old memory: it is opened again. */
static int exec_reset(core_live *p, gd_err *err)
{
	p->scratch = 0;
	p->scratch_failed = 0;
	memset(p->slot_addr, 0, sizeof(p->slot_addr));
	p->syscall_insn = 0;
	core__pad_release(p);
	p->pads = 0;
	p->pads_failed = 0;
	memset(p->pad_addr, 0, sizeof(p->pad_addr));
	for (size_t i = 0; i < p->nbps; i++) {
		core_bp *bp = &p->bps[i];
		if (bp->perf_fd >= 0)
			close(bp->perf_fd);
		if (bp->kprog > 0)
			close(bp->kprog);
	}
	p->nbps = 0;
	for (size_t i = 0; i < p->nthreads;) {
		if (p->threads[i].tid != p->pid)
			core__thread_remove(p, p->threads[i].tid);
		else
			i++;
	}
	core_thread *t = core__thread_add(p, p->pid);
	if (!t)
		return gd_err_set(err, "out of memory");
	pid_t tid = t->tid;
	memset(t, 0, sizeof(*t));
	t->tid = tid;
	t->state = CT_STOPPED;
	memset(p->hw, 0, sizeof(p->hw));
	if (p->memfd >= 0)
		close(p->memfd);
	p->memfd = -1;
	if (core__open_mem(p, err) < 0)
		return -1;
	gd_log_info(p->log, "core: the program ran execve: a new image");
	return 0;
}

static int exited_early(core_live *p, pid_t tid)
{
	size_t n = p->nearly_exits < 64 ? p->nearly_exits : 64;
	for (size_t i = 0; i < n; i++) {
		if (p->early_exits[i] == tid) {
			p->early_exits[i] = 0;
			return 1;
		}
	}
	return 0;
}

/* Asks a running thread to stop.  A thread that no longer exists is
 * forgotten (its exit may have been reaped elsewhere). */
static int interrupt(core_live *p, size_t i, gd_err *err)
{
	core_thread *t = &p->threads[i];
	if (ptrace(PTRACE_INTERRUPT, t->tid, 0, 0) == 0)
		return 0;
	if (errno == ESRCH) {
		*t = p->threads[--p->nthreads];
		return 1;
	}
	return gd_err_sys(err, "ptrace(PTRACE_INTERRUPT, %d)", (int)t->tid);
}

/* Processes one waitpid status.  Returns 1 when *out holds a stop for the
 * upper layer, 0 otherwise. */
static int handle_status(core_live *p, pid_t tid, int st, core_stop *out,
			 gd_err *err)
{
	if (WIFEXITED(st) || WIFSIGNALED(st)) {
		if (tid == p->pid) {
			core__note_exit(p, st);
			return fill_exit(p, out);
		}
		if (!core__thread(p, tid))
			p->early_exits[p->nearly_exits++ % 64] = tid;
		core__thread_remove(p, tid);
		return 0;
	}
	if (!WIFSTOPPED(st))
		return 0;
	core_thread *t = core__thread(p, tid);
	if (!t) {
		/* A new thread's first stop can beat its parent's CLONE event. */
		t = core__thread_add(p, tid);
		if (!t)
			return gd_err_set(err, "out of memory");
	}
	t->state = CT_STOPPED;
	t->regs_valid = 0;
	if (t->in_scratch) {
		int rc = core__scratch_fixup(p, t, err);
		if (rc < 0)
			return -1;
		if (rc == CORE_FIXUP_GONE)
			return 0;
	}
	int sig = WSTOPSIG(st);
	int event = st >> 16;
	/* Threads enter jump pads with no stop of ours: any stop may find
	 * one inside (a watchpoint hit by the pad's instruction too).  The
	 * SIGTRAP our program sent is left for classify_trap, at the pad
	 * (core__pad_fixup sees it pending). */
	if (p->pads) {
		int rc = core__pad_fixup(p, t, err);
		if (rc < 0)
			return -1;
		if (rc == CORE_FIXUP_GONE)
			return 0;
	}
	int born_now = t->fresh;
	if (t->fresh) {
		/* Debug registers are not inherited by clone. */
		t->fresh = 0;
		if (core__hw_apply(p, tid, err) < 0)
			return -1;
	}

	if (event == PTRACE_EVENT_CLONE) {
		unsigned long child = 0;
		if (ptrace(PTRACE_GETEVENTMSG, tid, 0, &child) == 0 &&
		    !exited_early(p, (pid_t)child) &&
		    !core__thread_add(p, (pid_t)child))
			return gd_err_set(err, "out of memory");
		t = core__thread(p, tid); /* the table may have moved */
		gd_log_debug(p->log, "core: thread %d cloned %lu", (int)tid,
			     child);
		if (!p->stopping && core__cont(p, t, err) < 0)
			return -1;
		return 0;
	}
	if (event == PTRACE_EVENT_EXEC) {
		if (exec_reset(p, err) < 0)
			return -1;
		if (p->stopping) {
			p->exec_pending = 1;
			return 0;
		}
		out->kind = CORE_STOP_EXEC;
		out->tid = p->pid;
		return 1;
	}
	if (event == PTRACE_EVENT_STOP) {
		/* PTRACE_INTERRUPT, a new thread's birth, or a group-stop:
		 * nothing for the upper layer.  Outside a stop-all it is a
		 * leftover interrupt, so the thread goes on -- unless it is a
		 * new thread born while the program is held. */
		if (p->hold_new && born_now)
			return 0;
		if (!p->stopping && core__cont(p, t, err) < 0)
			return -1;
		return 0;
	}
	if (event)
		return p->stopping ? 0 : core__cont(p, t, err);
	if (sig == SIGTRAP) {
		int rc = classify_trap(p, t, out, err);
		if (rc != 0)
			return rc;
		if (!p->stopping && core__cont(p, t, err) < 0)
			return -1;
		return 0;
	}
	/* Any other signal belongs to the program (SIGURG preemption,
	 * SIGSEGV turned into a panic, SIGPROF...): pass it on.  (A signal
	 * held by a scratch-slot fixup just now is the same kind: the later
	 * one wins.) */
	t->pending_sig = sig;
	if (!p->stopping && core__cont(p, t, err) < 0)
		return -1;
	return 0;
}

static int queue_push(core_live *p, pid_t tid, int st)
{
	if (gd_grow(&p->q, &p->qcap, p->qlen, sizeof(*p->q), 64) < 0)
		return -1;
	p->q[p->qlen++] = (struct core_wstatus){tid, st};
	return 0;
}

pid_t core__wait_thread(core_live *p, pid_t tid, int *st)
{
	for (;;) {
		int s;
		pid_t w = waitpid(-1, &s, __WALL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 || w == tid) {
			*st = s;
			return w;
		}
		if (queue_push(p, w, s) < 0) {
			errno = ENOMEM;
			return -1;
		}
	}
}

/* Reaps statuses: every one available now (blocking for the first when
 * block is set) -- or, between two such drains, just the next one, so that
 * a breakpoint hit costs one waitpid, not one more that finds nothing.
 * waitpid(-1) favours some threads, so every CORE_DRAIN_EVERY statuses
 * (and whenever one is asked to block) all of them are reaped first: no
 * thread's stop waits behind more than that many of another's.  1 if any
 * was queued, 0 if none, -1 on error. */
#define CORE_DRAIN_EVERY 16
static int queue_fill(core_live *p, int block, gd_err *err)
{
	p->qhead = p->qlen = 0;
	int one = !block && p->since_drain < CORE_DRAIN_EVERY;
	if (!one)
		p->since_drain = 0;
	for (;;) {
		int st;
		pid_t w = waitpid(-1, &st, __WALL | (block && !p->qlen ? 0 : WNOHANG));
		if (w == 0)
			break;
		if (w < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ECHILD) {
				if (p->qlen)
					break;
				p->exited = 1;
				p->nthreads = 0;
				return 0;
			}
			return gd_err_sys(err, "waitpid");
		}
		if (queue_push(p, w, st) < 0)
			return gd_err_set(err, "out of memory");
		if (one) {
			p->since_drain++;
			break;
		}
	}
	return p->qlen > 0;
}

/* A held watchpoint hit, reported as if it had just happened. */
static int held_hit(core_live *p, core_stop *out, gd_err *err)
{
	for (size_t i = 0; i < p->nthreads; i++) {
		core_thread *t = &p->threads[i];
		if (!t->held_watch || t->state != CT_STOPPED)
			continue;
		struct user_regs_struct r;
		if (live_regs(p, t->tid, &r, err) < 0)
			return -1;
		out->kind = CORE_STOP_WATCH;
		out->tid = t->tid;
		out->addr = r.rip;
		out->slot = t->held_watch - 1;
		t->held_watch = 0;
		return 1;
	}
	return 0;
}

int live_has_held(const core_live *p)
{
	if (p->exec_pending)
		return 1;
	for (size_t i = 0; i < p->nthreads; i++)
		if (p->threads[i].held_watch &&
		    p->threads[i].state == CT_STOPPED)
			return 1;
	return 0;
}

int live_wait(core_live *p, int block, core_stop *out, gd_err *err)
{
	memset(out, 0, sizeof(*out));
	if (!p->exited && !p->stopping && p->exec_pending) {
		p->exec_pending = 0;
		out->kind = CORE_STOP_EXEC;
		out->tid = p->pid;
		return 1;
	}
	if (!p->exited && !p->stopping) {
		int rc = held_hit(p, out, err);
		if (rc != 0)
			return rc;
	}
	for (;;) {
		while (p->qhead < p->qlen) {
			struct core_wstatus ws = p->q[p->qhead++];
			int rc = handle_status(p, ws.tid, ws.status, out, err);
			if (rc != 0)
				return rc;
		}
		if (p->exited)
			return fill_exit(p, out);
		int rc = queue_fill(p, block, err);
		if (rc < 0)
			return -1;
		if (rc == 0 && !p->exited)
			return 0;
	}
}

/* 1 when the thread-group leader is dead (a zombie, or gone): only then
 * is there an exit to reap; a live process's pending stops (a call's trap
 * that timed out, a held watch hit) stay where they are. */
static int leader_dead(pid_t pid)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	FILE *f = fopen(path, "re");
	if (!f)
		return errno == ENOENT || errno == ESRCH;
	char *line = NULL;
	size_t cap = 0;
	int dead = 0;
	if (getline(&line, &cap, f) > 0) {
		/* "pid (comm) S ...": comm may hold spaces and parentheses. */
		char *rp = strrchr(line, ')');
		dead = rp && rp[1] == ' ' && (rp[2] == 'Z' || rp[2] == 'X');
	}
	free(line);
	fclose(f);
	return dead;
}

int live_poll_exit(core_live *p, core_stop *out, gd_err *err)
{
	memset(out, 0, sizeof(*out));
	if (p->exited)
		return fill_exit(p, out);
	if (!leader_dead(p->pid))
		return 0;
	/* As during a stop of every thread: whatever is reaped is handled
	 * as part of the stop the user is looking at. */
	int was = p->stopping, rc = 0, found = 0, tries = 400; /* 2 s */
	p->stopping = 1;
	while (rc == 0 && !p->exited) {
		while (p->qhead < p->qlen && !p->exited) {
			struct core_wstatus ws = p->q[p->qhead++];
			core_stop got;
			int r = handle_status(p, ws.tid, ws.status, &got, err);
			if (r < 0) {
				rc = -1;
				break;
			}
			if (r == 1 && got.kind == CORE_STOP_EXITED) {
				*out = got;
				found = 1;
			}
		}
		if (rc < 0 || p->exited)
			break;
		int q = queue_fill(p, 0, err);
		if (q < 0)
			rc = -1;
		if (q < 0 || (q == 0 && --tries <= 0))
			break;
		if (q == 0) {
			/* The leader's exit is reported only once every
			 * other thread is reaped: they are dying now. */
			struct timespec ts = {0, 5 * 1000 * 1000};
			nanosleep(&ts, NULL);
		}
	}
	p->stopping = was;
	if (found)
		return 1;
	if (rc < 0)
		return -1;
	return p->exited ? fill_exit(p, out) : 0;
}

static int any_running(const core_live *p)
{
	for (size_t i = 0; i < p->nthreads; i++)
		if (p->threads[i].state == CT_RUNNING)
			return 1;
	return 0;
}

int live_stop_all(core_live *p, gd_err *err)
{
	if (p->exited)
		return 0;
	p->stopping = 1;
	/* Stops already reaped are handled as part of this stop: their
	 * breakpoint hits are rewound to replay later. */
	while (p->qhead < p->qlen) {
		struct core_wstatus ws = p->q[p->qhead++];
		core_stop ignored;
		if (handle_status(p, ws.tid, ws.status, &ignored, err) < 0) {
			p->stopping = 0;
			return -1;
		}
	}
	if (p->exited) {
		p->stopping = 0;
		return 0;
	}
	for (size_t i = 0; i < p->nthreads;) {
		int rc = 0;
		if (p->threads[i].state == CT_RUNNING)
			rc = interrupt(p, i, err);
		if (rc < 0) {
			p->stopping = 0;
			return -1;
		}
		if (rc == 0)
			i++;
	}
	int rc = 0;
	while (!p->exited && any_running(p)) {
		int st;
		pid_t w;
		if (p->qhead < p->qlen) {
			/* Reaped by core__wait_thread while a status was
			 * handled here (a thread stepped out of a pad). */
			w = p->q[p->qhead].tid;
			st = p->q[p->qhead++].status;
		} else {
			w = waitpid(-1, &st, __WALL);
		}
		if (w < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ECHILD) {
				p->exited = 1;
				p->nthreads = 0;
				break;
			}
			rc = gd_err_sys(err, "waitpid");
			break;
		}
		core_stop ignored;
		pid_t before = (pid_t)p->nthreads;
		if (handle_status(p, w, st, &ignored, err) < 0) {
			rc = -1;
			break;
		}
		/* Threads born during the stop start stopped, but a clone
		 * event can name a child not yet seen: interrupt it too. */
		for (size_t i = (size_t)before; i < p->nthreads && rc == 0;) {
			int ir = p->threads[i].state == CT_RUNNING
					 ? interrupt(p, i, err) : 0;
			if (ir < 0)
				rc = -1; /* it would never stop: do not wait */
			else if (ir == 0)
				i++;
		}
		if (rc < 0)
			break;
	}
	if (rc == 0 && !p->exited)
		core__kbp_settle(p);
	p->stopping = 0;
	return rc;
}

/* Steps t over the breakpoint it was reported at, if that breakpoint is
 * still there and t still sits on it.  Other threads must be stopped. */
static int step_over(core_live *p, core_thread *t, gd_err *err)
{
	uint64_t at = t->stepover;
	t->stepover = 0;
	if (!at || !core__bp(p, at))
		return 0;
	struct user_regs_struct r;
	if (live_regs(p, t->tid, &r, err) < 0)
		return -1;
	if (r.rip != at)
		return 0;
	int exited = 0;
	return live_step_thread(p, t->tid, &exited, err);
}

int live_resume_all(core_live *p, gd_err *err)
{
	if (p->exited)
		return 0;
	for (size_t i = 0; i < p->nthreads; i++) {
		core_thread *t = &p->threads[i];
		if (t->state == CT_STOPPED && t->stepover &&
		    step_over(p, t, err) < 0)
			return -1;
		if (p->exited)
			return 0;
	}
	for (size_t i = 0; i < p->nthreads; i++) {
		core_thread *t = &p->threads[i];
		if (t->state == CT_STOPPED && core__cont(p, t, err) < 0)
			return -1;
	}
	return 0;
}

int live_resume_thread(core_live *p, pid_t tid, gd_err *err)
{
	core_thread *t = core__thread(p, tid);
	if (!t || p->exited)
		return 0;
	if (t->state != CT_STOPPED)
		return 0;
	if (t->stepover && core__bp(p, t->stepover)) {
		int rc = core__displaced_resume(p, t, err);
		if (rc != CORE_DISP_CANNOT)
			return rc;
		gd_log_debug(p->log, "core: stepping %d over %#lx with every "
			     "thread stopped", (int)tid, (unsigned long)t->stepover);
		/* Lifting the int3 while others run would let them pass it. */
		if (live_stop_all(p, err) < 0)
			return -1;
		return live_resume_all(p, err);
	}
	return core__cont(p, t, err);
}

int live_run_thread(core_live *p, pid_t tid, gd_err *err)
{
	core_thread *t = core__thread(p, tid);
	if (!t || p->exited)
		return 0;
	if (t->state != CT_STOPPED)
		return 0;
	if (t->stepover && core__bp(p, t->stepover)) {
		struct user_regs_struct r;
		if (live_regs(p, tid, &r, err) < 0)
			return -1;
		if (r.rip == t->stepover) {
			int exited = 0;
			if (live_step_thread(p, tid, &exited, err) < 0)
				return -1;
			if (exited || p->exited)
				return 0;
			t = core__thread(p, tid);
			if (!t || t->state != CT_STOPPED)
				return 0;
		}
	}
	return core__cont(p, t, err);
}

uint64_t live_thread_stepover(const core_live *p, pid_t tid)
{
	for (size_t i = 0; i < p->nthreads; i++)
		if (p->threads[i].tid == tid)
			return p->threads[i].stepover;
	return 0;
}

void live_thread_set_stepover(core_live *p, pid_t tid, uint64_t addr)
{
	core_thread *t = core__thread(p, tid);
	if (t)
		t->stepover = addr;
}

void live_hold_new_threads(core_live *p, int hold)
{
	p->hold_new = hold != 0;
}

int live_step_thread(core_live *p, pid_t tid, int *exited, gd_err *err)
{
	*exited = 0;
	core_thread *t = core__thread(p, tid);
	if (!t || t->state != CT_STOPPED)
		return gd_err_set(err, "thread %d is not stopped", (int)tid);
	struct user_regs_struct r;
	if (live_regs(p, tid, &r, err) < 0)
		return -1;
	core_bp *bp = core__bp(p, r.rip);
	/* A jump pad's jmp is lifted whole (the kernel condition stays on the
	 * pad); an int3 or a uprobe's is one byte. */
	if (bp && (bp->pad_on ? core__pad_lift(p, bp, 0, err)
			      : core__poke_byte(p, bp->addr, bp->orig, err)) < 0)
		return -1;
	if (t->regs_valid == 2 &&
	    ptrace(PTRACE_SETREGS, tid, 0, &t->regs) < 0) {
		gd_err_sys(err, "ptrace(PTRACE_SETREGS, %d)", (int)tid);
		goto restore;
	}
	t->stepover = 0;
	int held_sig = t->pending_sig;
	t->pending_sig = 0;
	for (;;) {
		t->regs_valid = 0;
		if (ptrace(PTRACE_SINGLESTEP, tid, 0, 0) < 0) {
			gd_err_sys(err, "ptrace(PTRACE_SINGLESTEP, %d)", (int)tid);
			goto restore;
		}
		t->state = CT_RUNNING;
		int st;
		pid_t w = core__wait_thread(p, tid, &st);
		if (w < 0) {
			gd_err_sys(err, "waitpid(%d)", (int)tid);
			goto restore;
		}
		if (WIFEXITED(st) || WIFSIGNALED(st)) {
			if (tid == p->pid)
				core__note_exit(p, st);
			else
				core__thread_remove(p, tid);
			*exited = 1;
			return 0;
		}
		t->state = CT_STOPPED;
		int sig = WSTOPSIG(st), event = st >> 16;
		if (event == PTRACE_EVENT_CLONE) {
			unsigned long child = 0;
			if (ptrace(PTRACE_GETEVENTMSG, tid, 0, &child) == 0)
				core__thread_add(p, (pid_t)child);
			t = core__thread(p, tid); /* the table may have moved */
			/* The clone syscall completed: that was the step. */
			break;
		}
		if (event)
			continue; /* leftover interrupt: step again */
		if (sig == SIGTRAP) {
			siginfo_t si;
			if (ptrace(PTRACE_GETSIGINFO, tid, 0, &si) == 0 &&
			    si.si_code != TRAP_TRACE && si.si_code != TRAP_HWBKPT &&
			    si.si_code != SI_KERNEL && si.si_code != TRAP_BRKPT)
				held_sig = SIGTRAP;
			break;
		}
		/* A signal arrived before the instruction ran: hold it for
		 * the next resume and try the step again -- unless the
		 * instruction itself raised it. */
		held_sig = sig;
		if (core__is_fault(sig))
			break;
	}
	t->pending_sig = held_sig;
	t->regs_valid = 0;
	if (bp)
		return bp->pad_on ? core__pad_lift(p, bp, 1, err)
				  : core__poke_byte(p, bp->addr, 0xCC, err);
	return 0;
restore:
	/* best effort: err already tells why the step failed; a breakpoint
	 * that cannot be put back is lost with the process it belonged to. */
	if (bp && bp->pad_on)
		(void)core__pad_lift(p, bp, 1, NULL);
	else if (bp)
		core__poke_byte(p, bp->addr, 0xCC, NULL);
	return -1;
}
