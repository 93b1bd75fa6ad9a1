/* The debug target as the session sees it: start, stop, resume, end. */
#include "dap_internal.h"
#include "dap_build.h"
#include "dap_child.h"
#include "../goruntime/grt_call.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static int open_dwarf(dap_session *s, const char *path, gd_err *err)
{
	if (gdw_open(&s->tgt->dw, path, err) < 0)
		return -1;
	return 0;
}

static dap_target *target_new(void)
{
	dap_target *t = calloc(1, sizeof(*t));
	if (t)
		t->out_fd = t->err_fd = -1;
	return t;
}

/* mode "core": the program is the executable the core was dumped from;
 * nothing runs. */
static int open_core(dap_session *s, gd_err *err)
{
	const dap_args_launch *c = &s->cfg;
	dap_target *t = s->tgt;
	struct stat st;
	if (stat(c->program, &st) < 0)
		return gd_err_sys(err, "program '%s'", c->program);
	if (S_ISDIR(st.st_mode))
		return gd_err_set(err, "program '%s' is a directory; mode "
				  "\"core\" needs the executable the core "
				  "was dumped from", c->program);
	if (open_dwarf(s, c->program, err) < 0 ||
	    core_open_corefile(&t->proc, c->core_file_path, c->program,
			       s->log, err) < 0 ||
	    grt_open(&t->rt, t->dw, t->proc, err) < 0)
		return -1;
	gd_log_info(s->log, "core %s of %s, Go %s", c->core_file_path,
		    c->program, grt_go_version(t->rt));
	return 0;
}

/* Starts the program (seize_pid 0), or takes it from a runInTerminal
 * launcher (seize_pid, blocked on gate_fd): then it has the terminal's
 * stdin/stdout/stderr and no pipes of ours. */
static int target_start(dap_session *s, char *built, char *tmpdir,
			pid_t seize_pid, int gate_fd, gd_err *err)
{
	const dap_args_launch *c = &s->cfg;
	dap_target *t = target_new();
	if (!t) {
		free(built);
		free(tmpdir);
		return gd_err_set(err, "out of memory");
	}
	s->tgt = t;
	t->tmp_binary = built;
	t->tmp_dir = tmpdir;
	if (c->mode && strcmp(c->mode, "core") == 0)
		return open_core(s, err);
	char **env = dap_env_merged(c);
	if (!env)
		return gd_err_set(err, "out of memory");
	int rc = -1;
	int opipe[2] = {-1, -1}, epipe[2] = {-1, -1}, devnull = -1;
	char **argv = NULL;
	const char *binary = c->program;

	if (built) {
		binary = built;
	} else {
		struct stat st;
		if (stat(binary, &st) < 0) {
			gd_err_sys(err, "program '%s' cannot be run", binary);
			goto out;
		}
		if (S_ISDIR(st.st_mode)) {
			gd_err_set(err, "program '%s' is a directory; mode "
				   "\"exec\" needs a built Go binary", binary);
			goto out;
		}
	}
	if (open_dwarf(s, binary, err) < 0)
		goto out;
	if (access(binary, X_OK) < 0) {
		gd_err_sys(err, "program '%s' is not executable", binary);
		goto out;
	}

	argv = calloc(c->nargs + 2, sizeof(char *));
	if (!argv) {
		gd_err_set(err, "out of memory");
		goto out;
	}
	argv[0] = (char *)(c->mode && strcmp(c->mode, "exec") == 0 ? c->program : binary);
	for (size_t i = 0; i < c->nargs; i++)
		argv[i + 1] = c->args[i];

	if (seize_pid > 0) {
		if (core_seize_exec(&t->proc, seize_pid, gate_fd, binary,
				    s->log, err) < 0)
			goto out;
		if (grt_open(&t->rt, t->dw, t->proc, err) < 0)
			goto out;
		gd_log_info(s->log, "target %s in the client's terminal, Go %s",
			    binary, grt_go_version(t->rt));
		rc = 0;
		goto out;
	}
	if (pipe2(opipe, O_CLOEXEC) < 0 || pipe2(epipe, O_CLOEXEC) < 0) {
		gd_err_sys(err, "pipe");
		goto out;
	}
	devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
	core_launch_opts o = {
		.path = binary, .argv = argv, .envp = env,
		.cwd = c->cwd && c->cwd[0] ? c->cwd : NULL,
		.stdin_fd = devnull, .stdout_fd = opipe[1], .stderr_fd = epipe[1],
	};
	if (core_launch(&t->proc, &o, s->log, err) < 0)
		goto out;
	t->out_fd = opipe[0];
	t->err_fd = epipe[0];
	opipe[0] = epipe[0] = -1;
	fcntl(t->out_fd, F_SETFL, O_NONBLOCK);
	fcntl(t->err_fd, F_SETFL, O_NONBLOCK);
	if (grt_open(&t->rt, t->dw, t->proc, err) < 0)
		goto out;
	gd_log_info(s->log, "target %s, Go %s", binary, grt_go_version(t->rt));
	rc = 0;
out:
	for (int i = 0; i < 2; i++) {
		if (opipe[i] >= 0)
			close(opipe[i]);
		if (epipe[i] >= 0)
			close(epipe[i]);
	}
	if (devnull >= 0)
		close(devnull);
	free(argv);
	dap_env_free(env);
	return rc;
}

int dap_target_launch(dap_session *s, char *built, char *tmpdir,
		      gd_err *err)
{
	return target_start(s, built, tmpdir, 0, -1, err);
}

int dap_target_launch_seized(dap_session *s, char *built, char *tmpdir,
			     pid_t pid, int gate_fd, gd_err *err)
{
	return target_start(s, built, tmpdir, pid, gate_fd, err);
}

int dap_target_attach(dap_session *s, gd_err *err)
{
	dap_target *t = target_new();
	if (!t)
		return gd_err_set(err, "out of memory");
	s->tgt = t;
	t->attached = 1;
	pid_t pid = (pid_t)s->cfg.process_id;
	char *exe = NULL;
	if (asprintf(&exe, "/proc/%d/exe", (int)pid) < 0)
		return gd_err_set(err, "out of memory");
	char *path = realpath(exe, NULL);
	free(exe);
	if (!path)
		return gd_err_sys(err, "no process %d", (int)pid);
	int rc = open_dwarf(s, path, err);
	free(path);
	if (rc < 0)
		return -1;
	if (core_attach(&t->proc, pid, s->log, err) < 0)
		return -1;
	return grt_open(&t->rt, t->dw, t->proc, err);
}

/* Reads what the program wrote.  final: the program is gone, so read until
 * end of file, but never wait long (a child of the program may hold the
 * pipe open). */
static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The pipes are shared with whatever the program started: a child may keep
 * them open and keep writing long after the program exited.  So no read
 * loop waits for their end: the last drain before `exited` takes what is
 * there and waits at most FINAL_DRAIN_MS in all; after the exit, output
 * is still forwarded for OUTPUT_AFTER_EXIT_MS, then the pipes are closed
 * (the writer gets EPIPE); one call never reads more than MAX_READS
 * buffers, so a fast writer cannot starve the client. */
enum { FINAL_DRAIN_MS = 300, OUTPUT_AFTER_EXIT_MS = 2000, MAX_READS = 16 };

static void close_output(dap_session *s, dap_target *t, int i)
{
	int *fd = i ? &t->err_fd : &t->out_fd;
	if (*fd < 0)
		return;
	dap_output_program(s, i ? "stderr" : "stdout", t->carry[i],
			   &t->ncarry[i], NULL, 0, 1);
	close(*fd);
	*fd = -1;
}

void dap_target_drain_output(dap_session *s, int final)
{
	dap_target *t = s->tgt;
	if (!t)
		return;
	int64_t now = mono_ms();
	if (!final && t->exit_ms && now - t->exit_ms > OUTPUT_AFTER_EXIT_MS) {
		gd_log_info(s->log, "the program's output pipes are still open "
			    "%d ms after its exit (a child holds them): closed",
			    OUTPUT_AFTER_EXIT_MS);
		close_output(s, t, 0);
		close_output(s, t, 1);
		return;
	}
	int64_t deadline = now + FINAL_DRAIN_MS;
	int *fds[2] = {&t->out_fd, &t->err_fd};
	const char *cat[2] = {"stdout", "stderr"};
	for (int i = 0; i < 2; i++) {
		char buf[65536];
		for (int reads = 0; *fds[i] >= 0;) {
			ssize_t n = read(*fds[i], buf, sizeof(buf));
			if (n > 0) {
				dap_output_program(s, cat[i], t->carry[i],
						   &t->ncarry[i], buf, (size_t)n, 0);
				if (++reads >= MAX_READS && !final)
					break;
				if (final && mono_ms() >= deadline)
					break;
				continue;
			}
			if (n == 0) {
				close_output(s, t, i);
				break;
			}
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN && final) {
				int64_t left = deadline - mono_ms();
				struct pollfd pf = {*fds[i], POLLIN, 0};
				if (left > 0 && poll(&pf, 1, (int)left) > 0)
					continue;
			}
			break;
		}
	}
}

/* exited (exit code, or 128 + the signal that killed it, as shells say)
 * and terminated. */
static void send_exit(dap_session *s, int code, int sig)
{
	if (s->exited_sent)
		return;
	s->exited_sent = 1;
	/* A step the exit cut short (next/stepOut over the last line). */
	grt_step_end(s->step);
	s->step = NULL;
	dap_target_drain_output(s, 1);
	if (s->tgt)
		s->tgt->exit_ms = mono_ms();
	if (sig) {
		char *msg = NULL;
		if (asprintf(&msg, "The program was killed by signal SIG%s (%d).\n",
			     sigabbrev_np(sig) ? sigabbrev_np(sig) : "?", sig) >= 0) {
			cJSON *o = cJSON_CreateObject();
			cJSON_AddStringToObject(o, "category", "console");
			cJSON_AddStringToObject(o, "output", msg);
			dap_event(s, "output", o);
			free(msg);
		}
		code = 128 + sig;
	}
	cJSON *b = cJSON_CreateObject();
	cJSON_AddNumberToObject(b, "exitCode", code);
	dap_event(s, "exited", b);
	dap_event(s, "terminated", NULL);
	s->state = DAP_TERMINATED;
}

/* The process vanished during a stop or resume: its exit status is with
 * core. */
static void report_exit_from_core(dap_session *s)
{
	core_stop st;
	int code = 0, sig = 0;
	if (core_wait(s->tgt->proc, 0, &st, NULL) == 1 &&
	    st.kind == CORE_STOP_EXITED) {
		code = st.exit_code;
		sig = st.exit_signal;
	}
	send_exit(s, code, sig);
}

void dap_target_check_gone(dap_session *s)
{
	dap_target *t = s->tgt;
	if (!t || !t->proc || s->exited_sent || s->state == DAP_RUNNING)
		return;
	core_stop st;
	gd_err err = GD_ERR_INIT;
	int rc = core_poll_exit(t->proc, &st, &err);
	if (rc < 0) {
		gd_log_info(s->log, "checking the program: %s", gd_err_msg(&err));
		gd_err_clear(&err);
		return;
	}
	if (rc == 0 && !core_exited(t->proc))
		return;
	gd_log_info(s->log, "the program died while stopped (%s %d)",
		    rc && st.exit_signal ? "signal" : "exit code",
		    rc && st.exit_signal ? st.exit_signal : rc ? st.exit_code : 0);
	dap_handles_reset(s);
	send_exit(s, rc ? st.exit_code : 0, rc ? st.exit_signal : 0);
}

void dap_target_report_stop(dap_session *s, const char *reason, uint64_t goid,
			    const int *bp_ids, size_t nbp_ids)
{
	s->state = DAP_STOPPED;
	s->cur_goid = goid;
	cJSON *b = cJSON_CreateObject();
	cJSON_AddStringToObject(b, "reason", reason);
	cJSON_AddNumberToObject(b, "threadId", (double)goid);
	cJSON_AddBoolToObject(b, "allThreadsStopped", 1);
	if (nbp_ids) {
		cJSON *ids = cJSON_AddArrayToObject(b, "hitBreakpointIds");
		for (size_t i = 0; i < nbp_ids; i++)
			cJSON_AddItemToArray(ids, cJSON_CreateNumber(bp_ids[i]));
	}
	dap_event(s, "stopped", b);
}

/* Thread id to report for a thread: its goroutine, else the OS thread. */
static uint64_t thread_id_for(dap_session *s, pid_t tid)
{
	uint64_t goid = 0;
	grt_invalidate(s->tgt->rt);
	if (grt_thread_goid(s->tgt->rt, tid, &goid, NULL) < 0 || goid == 0)
		return (uint64_t)tid;
	return goid;
}

static void stop_and_report(dap_session *s, pid_t tid, const char *reason,
			    const int *ids, size_t nids)
{
	gd_err err = GD_ERR_INIT;
	if (core_stop_all(s->tgt->proc, &err) < 0) {
		gd_log_info(s->log, "stop: %s", gd_err_msg(&err));
		gd_err_clear(&err);
	}
	/* Whatever stopped us ends a step: its breakpoints go while every
	 * thread is still. */
	grt_step_end(s->step);
	s->step = NULL;
	if (core_exited(s->tgt->proc)) {
		report_exit_from_core(s);
		return;
	}
	dap_handles_reset(s);
	dap_target_report_stop(s, reason, thread_id_for(s, tid), ids, nids);
}

/* The goroutine to show after a pause: the user's last one if it still
 * exists, else one running user code, else the lowest id. */
uint64_t dap_target_pick_goroutine(dap_session *s)
{
	const grt_goroutine *gs;
	size_t n;
	if (grt_goroutines(s->tgt->rt, &gs, &n, NULL) < 0 || n == 0)
		return core_pid(s->tgt->proc);
	uint64_t best = 0, running = 0;
	for (size_t i = 0; i < n; i++) {
		if (gs[i].goid == s->cur_goid && s->cur_goid)
			return s->cur_goid;
		if (grt_is_system(s->tgt->rt, &gs[i]))
			continue;
		if (gs[i].tid && !running)
			running = gs[i].goid;
		if (!best || gs[i].goid < best)
			best = gs[i].goid;
	}
	return running ? running : best ? best : gs[0].goid;
}

static void report_exc(dap_session *s)
{
	dap_handles_reset(s);
	s->state = DAP_STOPPED;
	/* A fatal error from the scheduler (deadlock) runs on no goroutine:
	 * show the one the user had, or one of the program's. */
	uint64_t id = s->exc_goid ? s->exc_goid : dap_target_pick_goroutine(s);
	s->cur_goid = id;
	cJSON *b = cJSON_CreateObject();
	cJSON_AddStringToObject(b, "reason", "exception");
	cJSON_AddStringToObject(b, "description", s->exc_desc);
	cJSON_AddStringToObject(b, "text", s->exc_desc);
	cJSON_AddNumberToObject(b, "threadId", (double)id);
	cJSON_AddBoolToObject(b, "allThreadsStopped", 1);
	dap_event(s, "stopped", b);
}

static void stop_and_report_exc(dap_session *s)
{
	gd_err err = GD_ERR_INIT;
	if (core_stop_all(s->tgt->proc, &err) < 0)
		gd_err_clear(&err);
	grt_step_end(s->step);
	s->step = NULL;
	report_exc(s);
}

void dap_target_report_core(dap_session *s)
{
	uint64_t goid = 0;
	char *kind = NULL, *desc = NULL;
	gd_err err = GD_ERR_INIT;
	int rc = grt_crash(s->tgt->rt, &goid, &kind, &desc, &err);
	if (rc < 0) {
		/* The stop is still shown; only its reason is lost. */
		gd_log_info(s->log, "core: why it crashed: %s", gd_err_msg(&err));
		gd_err_clear(&err);
	}
	if (rc == 0) {
		dap_exc_record(s, kind, desc, goid, 0);
		free(kind);
		free(desc);
		report_exc(s);
		return;
	}
	dap_handles_reset(s);
	dap_target_report_stop(s, "pause", dap_target_pick_goroutine(s), NULL, 0);
}

static void handle_stop(dap_session *s, const core_stop *st)
{
	gd_err err = GD_ERR_INIT;
	switch (st->kind) {
	case CORE_STOP_EXITED:
		send_exit(s, st->exit_code, st->exit_signal);
		return;
	case CORE_STOP_BREAKPOINT: {
		if (dap_exc_hit(s, st->tid, st->addr)) {
			stop_and_report_exc(s);
			return;
		}
		int *ids = NULL;
		size_t n = dap_bp_hit(s, st->tid, st->addr, &ids);
		if (n) {
			/* A user breakpoint wins over a step under way, on
			 * any goroutine. */
			stop_and_report(s, st->tid, dap_bp_reason(s, ids[0]), ids, n);
			free(ids);
			return;
		}
		free(ids);
		if (!s->step)
			break; /* not a user breakpoint (any more): go on */
		switch (grt_step_on_bp(s->step, st->tid, st->addr, &err)) {
		case GRT_STEP_DONE:
			stop_and_report(s, st->tid, "step", NULL, 0);
			return;
		case GRT_STEP_GONE:
			grt_step_end(s->step);
			s->step = NULL;
			break;
		case GRT_STEP_RESUME:
		case GRT_STEP_NOT_OURS:
			break;
		}
		gd_err_clear(&err);
		break;
	}
	case CORE_STOP_TRAP: {
		/* The runtime's trap in a function call that timed out
		 * earlier: finish its protocol quietly and go on. */
		int pend = grt_call_pending_trap(s->tgt->rt, st->tid, &err);
		if (pend < 0) {
			gd_log_info(s->log, "call: %s", gd_err_msg(&err));
			gd_err_clear(&err);
		}
		if (pend == 1)
			break;
		/* runtime.Breakpoint() or an int3 compiled into the program. */
		stop_and_report(s, st->tid, "breakpoint", NULL, 0);
		return;
	}
	case CORE_STOP_WATCH:
		if (st->slot >= 0 && st->slot < 4 && s->watches[st->slot].active &&
		    dap_watch_hit(s, st->tid, st->slot))
			return;
		break;
	case CORE_STOP_STEP:
		stop_and_report(s, st->tid, "step", NULL, 0);
		return;
	case CORE_STOP_NONE:
		return;
	}
	if (core_resume_thread(s->tgt->proc, st->tid, &err) < 0) {
		gd_log_info(s->log, "resume: %s", gd_err_msg(&err));
		gd_err_clear(&err);
	}
}

void dap_target_on_child(dap_session *s)
{
	if (!s->tgt || !s->tgt->proc || s->state != DAP_RUNNING)
		return;
	while (s->state == DAP_RUNNING) {
		core_stop st;
		gd_err err = GD_ERR_INIT;
		int rc = core_wait(s->tgt->proc, 0, &st, &err);
		if (rc < 0) {
			gd_log_info(s->log, "wait: %s", gd_err_msg(&err));
			gd_err_clear(&err);
			return;
		}
		if (rc == 0)
			return;
		handle_stop(s, &st);
	}
}

int dap_target_resume(dap_session *s, gd_err *err)
{
	dap_target *t = s->tgt;
	if (!t || !t->proc)
		return gd_err_set(err, "no program is running");
	if (core_exited(t->proc)) {
		report_exit_from_core(s);
		return 0;
	}
	dap_handles_reset(s);
	dap_exc_clear(s);
	grt_invalidate(t->rt);
	if (core_resume_all(t->proc, err) < 0)
		return -1;
	s->state = DAP_RUNNING;
	/* Stops that happened meanwhile are picked up by the SIGCHLD path. */
	return 0;
}

int dap_target_pause(dap_session *s, gd_err *err)
{
	dap_target *t = s->tgt;
	if (!t || !t->proc)
		return gd_err_set(err, "no program is running");
	if (s->state != DAP_RUNNING)
		return 0;
	if (core_stop_all(t->proc, err) < 0)
		return -1;
	grt_step_end(s->step);
	s->step = NULL;
	if (core_exited(t->proc)) {
		report_exit_from_core(s);
		return 0;
	}
	grt_invalidate(t->rt);
	dap_handles_reset(s);
	dap_target_report_stop(s, "pause", dap_target_pick_goroutine(s), NULL, 0);
	return 0;
}

void dap_target_end(dap_session *s)
{
	dap_target *t = s->tgt;
	if (!t)
		return;
	/* Debug registers and breakpoints can only be taken out of stopped
	 * threads: a running program is stopped first, else an attached one
	 * would be left with them (and die of SIGTRAP at the next hit). */
	if (t->proc && !core_exited(t->proc) && s->state == DAP_RUNNING)
		core_stop_all(t->proc, NULL);
	dap_watch_clear(s);
	/* An exited program's step is freed too (grt_step_end knows). */
	grt_step_end(s->step);
	s->step = NULL;
	grt_close(t->rt);
	if (t->proc) {
		if (t->attached || t->detach) {
			gd_err err = GD_ERR_INIT;
			if (core_detach(t->proc, &err) < 0)
				gd_log_info(s->log, "detach: %s", gd_err_msg(&err));
			gd_err_clear(&err);
		}
		core_free(t->proc);
	}
	if (t->dw)
		gdw_close(t->dw);
	if (t->out_fd >= 0)
		close(t->out_fd);
	if (t->err_fd >= 0)
		close(t->err_fd);
	/* The built binary is inside tmp_dir unless 'output' put it
	 * elsewhere, where it stays. */
	if (t->tmp_dir && dap_rmtree(t->tmp_dir, NULL) < 0)
		gd_log_info(s->log, "cannot remove %s", t->tmp_dir);
	free(t->tmp_binary);
	free(t->tmp_dir);
	free(t);
	s->tgt = NULL;
}
