/* The program as the session sees it: build, launch or attach through the
 * debugger, output pipes, and the debugger's events as DAP events. */
#include "dap_internal.h"
#include "../common/gd_time.h"
#include "../common/gd_fd.h"
#include "dap_build.h"
#include "dap_child.h"

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
	struct stat st;
	if (stat(c->program, &st) < 0)
		return gd_err_sys(err, "program '%s'", c->program);
	if (S_ISDIR(st.st_mode))
		return gd_err_set(err, "program '%s' is a directory; mode "
				  "\"core\" needs the executable the core "
				  "was dumped from", c->program);
	return dbg_open_corefile(s->dbg, c->program, c->corefile_path, err);
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
		/* In the client's terminal: no pipes of ours. */
		dbg_launch_opts so = {
			.binary = binary, .seize_pid = seize_pid,
			.gate_fd = gate_fd,
		};
		rc = dbg_launch(s->dbg, &so, err);
		goto out;
	}
	if (pipe2(opipe, O_CLOEXEC) < 0 || pipe2(epipe, O_CLOEXEC) < 0) {
		gd_err_sys(err, "pipe");
		goto out;
	}
	devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (devnull < 0) {
		gd_err_sys(err, "/dev/null");
		goto out;
	}
	dbg_launch_opts o = {
		.binary = binary, .argv = argv, .envp = env,
		.cwd = c->cwd && c->cwd[0] ? c->cwd : NULL,
		.stdin_fd = devnull, .stdout_fd = opipe[1], .stderr_fd = epipe[1],
	};
	if (dbg_launch(s->dbg, &o, err) < 0)
		goto out;
	t->out_fd = opipe[0];
	t->err_fd = epipe[0];
	opipe[0] = epipe[0] = -1;
	/* Without O_NONBLOCK a drain would block the session: say so. */
	if (fcntl(t->out_fd, F_SETFL, O_NONBLOCK) < 0 ||
	    fcntl(t->err_fd, F_SETFL, O_NONBLOCK) < 0) {
		gd_err_sys(err, "output pipes");
		goto out;
	}
	rc = 0;
out:
	for (int i = 0; i < 2; i++) {
		if (opipe[i] >= 0)
			gd_close(opipe[i]);
		if (epipe[i] >= 0)
			gd_close(epipe[i]);
	}
	if (devnull >= 0)
		gd_close(devnull);
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
	return dbg_attach(s->dbg, (pid_t)s->cfg.process_id, err);
}

/* Reads what the program wrote.  final: the program is gone, so read until
 * end of file, but never wait long (a child of the program may hold the
 * pipe open). */
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
	gd_close(*fd);
	*fd = -1;
}

void dap_target_drain_output(dap_session *s, int final)
{
	dap_target *t = s->tgt;
	if (!t)
		return;
	/* Logpoint lines read in the kernel come first: a hit's record is in
	 * the ring before anything its thread writes afterwards reaches the
	 * pipe, so draining the ring before the pipes keeps the two in the
	 * program's order (the last loop's line before the program's
	 * closing print). */
	dbg_log_drain(s->dbg);
	int64_t now = gd_now_ms();
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
				if (final && gd_now_ms() >= deadline)
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
				int64_t left = deadline - gd_now_ms();
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
	dap_target_drain_output(s, 1);
	if (s->tgt)
		s->tgt->exit_ms = gd_now_ms();
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

void dap_target_check_gone(dap_session *s)
{
	if (!s->tgt || s->exited_sent || s->state == DAP_RUNNING)
		return;
	dbg_check_gone(s->dbg);
}

static const char *reason_name(dbg_stop_reason r)
{
	switch (r) {
	case DBG_STOP_ENTRY: return "entry";
	case DBG_STOP_BREAKPOINT: return "breakpoint";
	case DBG_STOP_FUNCTION_BREAKPOINT: return "function breakpoint";
	case DBG_STOP_INSTRUCTION_BREAKPOINT: return "instruction breakpoint";
	case DBG_STOP_STEP: return "step";
	case DBG_STOP_PAUSE: return "pause";
	case DBG_STOP_EXCEPTION: return "exception";
	case DBG_STOP_DATA_BREAKPOINT: return "data breakpoint";
	case DBG_STOP_GOTO: return "goto";
	}
	return "breakpoint";
}

static void send_stopped(dap_session *s, const dbg_event *ev)
{
	dap_handles_reset(s);
	s->state = DAP_STOPPED;
	cJSON *b = cJSON_CreateObject();
	cJSON_AddStringToObject(b, "reason", reason_name(ev->reason));
	if (ev->description) {
		cJSON_AddStringToObject(b, "description", ev->description);
		if (ev->reason == DBG_STOP_EXCEPTION)
			cJSON_AddStringToObject(b, "text", ev->description);
	}
	cJSON_AddNumberToObject(b, "threadId", (double)ev->thread_id);
	cJSON_AddBoolToObject(b, "allThreadsStopped", 1);
	if (ev->nbp_ids) {
		cJSON *ids = cJSON_AddArrayToObject(b, "hitBreakpointIds");
		for (size_t i = 0; i < ev->nbp_ids; i++)
			cJSON_AddItemToArray(ids, cJSON_CreateNumber(ev->bp_ids[i]));
	}
	dap_event(s, "stopped", b);
	/* godap's CPU time so far, every thread counted, also those that have
	 * ended (bench/bigstart.py reads it: /proc only shows live ones). */
	struct timespec cpu;
	if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu) == 0)
		gd_log_info(s->log, "stopped: process CPU %.1f ms",
			    (double)cpu.tv_sec * 1000 + (double)cpu.tv_nsec / 1e6);
}

/* Logpoint text says where it came from. */
/* Messages of the debugger go to the console; a logpoint's line is
 * written as Delve writes it (service/dap logBreakpointMessage): category
 * stdout, "> [Go N]: " and the message, with the breakpoint's place. */
static void send_output(dap_session *s, const dbg_event *ev)
{
	cJSON *b = cJSON_CreateObject();
	const dbg_bp_view *bp = ev->bp;
	if (bp) {
		char *line = NULL;
		cJSON_AddStringToObject(b, "category", "stdout");
		if (asprintf(&line, "> [Go %llu]: %s",
			     (unsigned long long)ev->thread_id, ev->text) < 0)
			line = NULL;
		cJSON_AddStringToObject(b, "output", line ? line : ev->text);
		free(line);
	} else {
		cJSON_AddStringToObject(b, "category", "console");
		cJSON_AddStringToObject(b, "output", ev->text);
	}
	char *path = NULL;
	if (bp && bp->source)
		path = strdup(bp->source);
	else if (bp && bp->file)
		path = dap_path_to_client(s, bp->file);
	if (path) {
		cJSON *src = cJSON_AddObjectToObject(b, "source");
		cJSON_AddStringToObject(src, "path", path);
		cJSON_AddNumberToObject(b, "line", bp->line);
	}
	free(path);
	dap_event(s, "output", b);
}

static void drop_build_dir(dap_session *s)
{
	dap_target *t = s->tgt;
	if (!t || !t->tmp_dir)
		return;
	gd_err err = GD_ERR_INIT;
	if (dap_rmtree(t->tmp_dir, &err) < 0) {
		gd_log_info(s->log, "%s", gd_err_msg(&err));
		gd_err_clear(&err);
		return; /* tried again at the end */
	}
	free(t->tmp_dir);
	t->tmp_dir = NULL;
}

void dap_target_on_event(void *ctx, const dbg_event *ev)
{
	dap_session *s = ctx;
	switch (ev->kind) {
	case DBG_EV_STOPPED:
		send_stopped(s, ev);
		return;
	case DBG_EV_EXITED:
		dap_handles_reset(s);
		/* Nothing needs the built binary once the program is gone (a
		 * restart builds again; the DWARF stays readable through the
		 * open file), and an editor may kill godap as soon as it reads
		 * 'terminated' (Emacs does at exit): remove it first. */
		drop_build_dir(s);
		send_exit(s, ev->exit_code, ev->exit_signal);
		return;
	case DBG_EV_OUTPUT:
		send_output(s, ev);
		return;
	}
}

int dap_target_resume(dap_session *s, gd_err *err)
{
	if (!s->tgt || !dbg_has_target(s->dbg))
		return gd_err_set(err, "no program is running");
	dap_handles_reset(s);
	dap_state was = s->state;
	/* The debugger's events (a stop, the exit) may come at once and
	 * set the state themselves. */
	s->state = DAP_RUNNING;
	if (dbg_continue(s->dbg, err) < 0) {
		s->state = was;
		return -1;
	}
	return 0;
}

void dap_target_end(dap_session *s, int kill)
{
	dap_target *t = s->tgt;
	dap_threads_forget(s); /* answers about this target */
	dbg_end(s->dbg, kill ? DBG_END_KILL
		       : t && t->detach ? DBG_END_DETACH : DBG_END_DEFAULT);
	if (!t)
		return;
	if (t->out_fd >= 0)
		gd_close(t->out_fd);
	if (t->err_fd >= 0)
		gd_close(t->err_fd);
	/* The built binary is inside tmp_dir unless 'output' put it
	 * elsewhere, where it stays. */
	gd_err err = GD_ERR_INIT;
	if (t->tmp_dir && dap_rmtree(t->tmp_dir, &err) < 0) {
		/* nothing more to do at the end: said in the log */
		gd_log_info(s->log, "%s", gd_err_msg(&err));
		gd_err_clear(&err);
	}
	free(t->tmp_binary);
	free(t->tmp_dir);
	free(t);
	s->tgt = NULL;
}
