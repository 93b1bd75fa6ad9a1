#include "core_internal.h"
#include "../common/gd_spawn.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

static core_live *proc_new(pid_t pid, gd_log *log)
{
	core_live *p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->base.be = &core__ptrace_backend;
	p->pid = pid;
	p->memfd = -1;
	p->pad_fd = -1;
	p->log = log;
	return p;
}

static void proc_release(core_live *p)
{
	if (p->memfd >= 0)
		close(p->memfd);
	core__kbp_release(p);
	core__pad_release(p);
	free(p->threads);
	free(p->bps);
	free(p->q);
	free(p);
}

/* pid (seized, one thread) is about to execve: waits for its
 * PTRACE_EVENT_EXEC stop and makes the core_proc of the new program. */
static int await_exec(pid_t pid, const char *path, gd_log *log,
		      core_proc **out, gd_err *err)
{
	for (;;) {
		int st;
		if (waitpid(pid, &st, __WALL) < 0) {
			if (errno == EINTR)
				continue;
			gd_err_sys(err, "waitpid");
			kill(pid, SIGKILL);
			return -1;
		}
		if (WIFEXITED(st) || WIFSIGNALED(st))
			return gd_err_set(err, "%s exited during exec", path);
		if (WIFSTOPPED(st) && (st >> 8) == (SIGTRAP | (PTRACE_EVENT_EXEC << 8)))
			break;
		/* Anything else before exec: pass signals on. */
		int sig = WSTOPSIG(st);
		if (sig == SIGTRAP || sig == SIGSTOP || (st >> 16))
			sig = 0;
		if (ptrace(PTRACE_CONT, pid, 0, (void *)(long)sig) < 0) {
			gd_err_sys(err, "ptrace(PTRACE_CONT)");
			kill(pid, SIGKILL);
			return -1;
		}
	}

	core_live *p = proc_new(pid, log);
	if (!p || !core__thread_add(p, pid)) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, __WALL);
		if (p)
			proc_release(p);
		return gd_err_set(err, "out of memory");
	}
	p->launched = 1;
	core__thread(p, pid)->state = CT_STOPPED;
	if (core__open_mem(p, err) < 0) {
		live_free(p);
		return -1;
	}
	gd_log_info(log, "core: %s runs as pid %d", path, (int)pid);
	*out = &p->base;
	return 0;
}

int core_seize_exec(core_proc **out, pid_t pid, int gate_fd,
		    const char *path, gd_log *log, gd_err *err)
{
	*out = NULL;
	if (ptrace(PTRACE_SEIZE, pid, 0, (void *)(long)CORE_PTRACE_OPTS) < 0)
		return gd_err_sys(err, "ptrace(PTRACE_SEIZE, %d)", (int)pid);
	ssize_t n;
	while ((n = write(gate_fd, "g", 1)) < 0 && errno == EINTR)
		;
	if (n != 1) {
		gd_err_sys(err, "cannot tell process %d to start %s", (int)pid,
			   path);
		kill(pid, SIGKILL);
		return -1;
	}
	return await_exec(pid, path, log, out, err);
}

/* The child: gd_spawn's (common/gd_spawn.c), with a gate it waits on
 * until we have seized it.  No PR_SET_PDEATHSIG: a program the user
 * detaches from (disconnect with terminateDebuggee false) must outlive
 * godap.  While traced it dies with godap through PTRACE_O_EXITKILL, and
 * before the seize the gate sees godap's death as end of file. */
int core_launch(core_proc **out, const core_launch_opts *o, gd_log *log,
		gd_err *err)
{
	int gate[2];
	*out = NULL;
	if (pipe2(gate, O_CLOEXEC) < 0)
		return gd_err_sys(err, "pipe");
	gd_spawn_opts so = {
		.path = o->path, .argv = o->argv, .envp = o->envp,
		.cwd = o->cwd, .stdin_fd = o->stdin_fd,
		.stdout_fd = o->stdout_fd, .stderr_fd = o->stderr_fd,
		.gate = gate,
	};
	pid_t pid;
	int errfd;
	int rc = gd_spawn_start(&so, &pid, &errfd, err);
	close(gate[0]);
	if (rc < 0) {
		close(gate[1]);
		return -1;
	}
	if (ptrace(PTRACE_SEIZE, pid, 0, (void *)(long)CORE_PTRACE_OPTS) < 0) {
		gd_err_sys(err, "ptrace(PTRACE_SEIZE, %d)", (int)pid);
		goto kill;
	}
	ssize_t n;
	while ((n = write(gate[1], "g", 1)) < 0 && errno == EINTR)
		;
	if (n != 1) { /* it would have let the child execve */
		gd_err_sys(err, "write");
		goto kill;
	}
	close(gate[1]);
	int e = gd_spawn_exec_result(errfd);
	if (e) {
		/* The child failed before or at execve and exits. */
		int st;
		while (waitpid(pid, &st, __WALL) == pid && !WIFEXITED(st) &&
		       !WIFSIGNALED(st))
			if (ptrace(PTRACE_CONT, pid, 0, 0) < 0)
				break; /* gone already: the next wait says so */
		errno = e;
		return gd_err_sys(err, "cannot start %s", o->path);
	}
	/* The exec succeeded (the error pipe closed on exec). */
	return await_exec(pid, o->path, log, out, err);

kill:
	close(gate[1]);
	close(errfd);
	kill(pid, SIGKILL);
	/* reaped: a seized child or not, it is ours; nothing else to do if
	 * waitpid fails (it is gone) */
	while (waitpid(pid, NULL, __WALL) < 0 && errno == EINTR)
		;
	return -1;
}

/* Seizes every thread listed in /proc/pid/task; threads may be born while
 * we do it, so repeat until a pass finds nothing new. */
static int seize_all(core_live *p, gd_err *err)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/task", (int)p->pid);
	for (;;) {
		int added = 0;
		DIR *d = opendir(path);
		if (!d)
			return gd_err_sys(err, "cannot open %s", path);
		struct dirent *de;
		while ((de = readdir(d))) {
			pid_t tid = (pid_t)atoi(de->d_name);
			if (tid <= 0 || core__thread(p, tid))
				continue;
			long opts = PTRACE_O_TRACECLONE;
			if (ptrace(PTRACE_SEIZE, tid, 0, (void *)opts) < 0) {
				if (errno == ESRCH)
					continue; /* thread just exited */
				gd_err_sys(err, "ptrace(PTRACE_SEIZE, %d)",
					   (int)tid);
				closedir(d);
				return -1;
			}
			if (!core__thread_add(p, tid)) {
				closedir(d);
				return gd_err_set(err, "out of memory");
			}
			added = 1;
		}
		closedir(d);
		if (!added)
			return 0;
	}
}

int core_attach(core_proc **out, pid_t pid, gd_log *log, gd_err *err)
{
	*out = NULL;
	if (pid <= 0)
		return gd_err_set(err, "invalid process id %d", (int)pid);
	if (kill(pid, 0) < 0)
		return gd_err_sys(err, "no process %d", (int)pid);
	core_live *p = proc_new(pid, log);
	if (!p)
		return gd_err_set(err, "out of memory");
	if (seize_all(p, err) < 0) {
		for (size_t i = 0; i < p->nthreads; i++)
			ptrace(PTRACE_DETACH, p->threads[i].tid, 0, 0);
		proc_release(p);
		return gd_err_wrap(err, "attach to %d", (int)pid);
	}
	if (core__open_mem(p, err) < 0 || live_stop_all(p, err) < 0) {
		live_free(p);
		return -1;
	}
	gd_log_info(log, "core: attached to pid %d (%zu threads)", (int)pid,
		    p->nthreads);
	*out = &p->base;
	return 0;
}

int live_kill(core_live *p)
{
	if (p->exited)
		return 0;
	kill(p->pid, SIGKILL);
	/* Reap every thread; the leader's exit comes last. */
	for (;;) {
		int st;
		pid_t w = waitpid(-1, &st, __WALL);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (w == p->pid && (WIFEXITED(st) || WIFSIGNALED(st)))
			break;
	}
	p->exited = 1;
	p->nthreads = 0;
	return 0;
}

int live_detach(core_live *p, gd_err *err)
{
	if (p->exited)
		return 0;
	if (live_stop_all(p, err) < 0)
		return -1;
	core__kbp_detach_all(p);
	/* Every breakpoint is taken out and every thread let go even when
	 * one fails; the first failure is the answer (an int3 left behind
	 * would kill the program on its next pass: the user must know). */
	int rc = 0;
	for (size_t i = 0; i < p->nbps; i++)
		if (core__poke_byte(p, p->bps[i].addr, p->bps[i].orig,
				    rc ? NULL : err) < 0)
			rc = -1;
	p->nbps = 0;
	for (size_t i = 0; i < p->nthreads; i++) {
		core_thread *t = &p->threads[i];
		/* A PC rewound onto a removed int3 must reach the kernel. */
		if (t->regs_valid == 2 &&
		    ptrace(PTRACE_SETREGS, t->tid, 0, &t->regs) < 0 &&
		    errno != ESRCH && rc == 0)
			rc = gd_err_sys(err, "ptrace(PTRACE_SETREGS, %d)",
					(int)t->tid);
		if (ptrace(PTRACE_DETACH, t->tid, 0,
			   (void *)(long)t->pending_sig) < 0 &&
		    errno != ESRCH && rc == 0)
			rc = gd_err_sys(err, "ptrace(PTRACE_DETACH, %d)",
					(int)t->tid);
	}
	p->nthreads = 0;
	p->exited = 1; /* no longer ours */
	return rc;
}

void live_free(core_live *p)
{
	if (!p)
		return;
	if (!p->exited) {
		if (p->launched)
			live_kill(p);
		else /* best effort: freeing has no one left to tell */
			live_detach(p, NULL);
	}
	proc_release(p);
}

pid_t live_pid(const core_live *p) { return p->pid; }
int live_launched(const core_live *p) { return p->launched; }
int live_exited(const core_live *p) { return p->exited; }
