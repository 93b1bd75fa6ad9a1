/* noDebug (VS Code's "Run Without Debugging"): the program runs as a plain
 * child, never traced; its output, exit code, `exited` and `terminated`
 * reach the client as in a debug session.  Breakpoints are accepted and
 * never stop (nothing is inserted). */
#include "dap_internal.h"
#include "../common/gd_time.h"
#include "../common/gd_fd.h"
#include "dap_build.h"
#include "dap_child.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int dap_plain_start(dap_session *s, const char *binary, char *tmpdir,
		    gd_err *err)
{
	const dap_args_launch *c = &s->cfg;
	dap_plain *p = calloc(1, sizeof(*p));
	if (!p) {
		free(tmpdir);
		return gd_err_set(err, "out of memory");
	}
	p->out_fd = p->err_fd = p->status_fd = -1;
	p->tmp_dir = tmpdir;
	s->plain = p;
	int rc = -1;
	int op[2] = {-1, -1}, ep[2] = {-1, -1};
	char **env = dap_env_merged(c);
	char **argv = calloc(c->nargs + 2, sizeof(char *));
	if (!env || !argv) {
		gd_err_set(err, "out of memory");
		goto out;
	}
	argv[0] = (char *)(strcmp(c->mode, "exec") == 0 ? c->program : binary);
	for (size_t i = 0; i < c->nargs; i++)
		argv[i + 1] = c->args[i];
	if (pipe2(op, O_CLOEXEC) < 0 || pipe2(ep, O_CLOEXEC) < 0) {
		gd_err_sys(err, "pipe");
		goto out;
	}
	gd_spawn_opts o = {
		.path = binary, .argv = argv, .envp = env,
		.cwd = c->cwd && c->cwd[0] ? c->cwd : NULL,
		.stdin_fd = GD_SPAWN_DEVNULL, .stdout_fd = op[1], .stderr_fd = ep[1],
	};
	if (gd_spawn(&o, &p->pid, err) < 0)
		goto out;
	p->out_fd = op[0];
	p->err_fd = ep[0];
	op[0] = ep[0] = -1;
	if (fcntl(p->out_fd, F_SETFL, O_NONBLOCK) < 0 ||
	    fcntl(p->err_fd, F_SETFL, O_NONBLOCK) < 0) {
		gd_err_sys(err, "fcntl");
		goto out;
	}
	gd_log_info(s->log, "noDebug: %s runs as %d", binary, (int)p->pid);
	rc = 0;
out:
	for (int i = 0; i < 2; i++) {
		if (op[i] >= 0)
			gd_close(op[i]);
		if (ep[i] >= 0)
			gd_close(ep[i]);
	}
	free(argv);
	dap_env_free(env);
	return rc;
}

int dap_plain_start_remote(dap_session *s, pid_t pid, int status_fd,
			   char *tmpdir, gd_err *err)
{
	dap_plain *p = calloc(1, sizeof(*p));
	if (!p) {
		gd_close(status_fd);
		free(tmpdir);
		return gd_err_set(err, "out of memory");
	}
	p->out_fd = p->err_fd = -1;
	p->pid = pid;
	p->status_fd = status_fd;
	p->tmp_dir = tmpdir;
	s->plain = p;
	if (fcntl(status_fd, F_SETFL, O_NONBLOCK) < 0)
		return gd_err_sys(err, "fcntl");
	gd_log_info(s->log, "noDebug: runs as %d in the client's terminal",
		    (int)pid);
	return 0;
}

/* The wait status the terminal's launcher sent: 1 when it came (or the
 * launcher is gone), 0 when not yet. */
static int remote_status(dap_plain *p, int *st)
{
	int32_t v;
	ssize_t n;
	while ((n = read(p->status_fd, &v, sizeof(v))) < 0 && errno == EINTR)
		;
	if (n < 0 && errno == EAGAIN)
		return 0;
	/* A short read or end of file: the launcher died without a word. */
	*st = n == (ssize_t)sizeof(v) ? (int)v : 0;
	gd_close(p->status_fd);
	p->status_fd = -1;
	return 1;
}

/* A child of the program may hold the pipes and write for ever: the last
 * drain after the exit waits FINAL_DRAIN_MS in all, and no call reads
 * more than MAX_READS buffers (what comes later is forwarded by the
 * loop until the session ends). */
enum { FINAL_DRAIN_MS = 300, MAX_READS = 16 };

static void drain(dap_session *s, int i, int final)
{
	dap_plain *p = s->plain;
	int *fd = i ? &p->err_fd : &p->out_fd;
	const char *category = i ? "stderr" : "stdout";
	char buf[65536];
	int64_t deadline = gd_now_ms() + FINAL_DRAIN_MS;
	for (int reads = 0; *fd >= 0;) {
		ssize_t n = read(*fd, buf, sizeof(buf));
		if (n > 0) {
			dap_output_program(s, category, p->carry[i],
					   &p->ncarry[i], buf, (size_t)n, 0);
			if (final ? gd_now_ms() >= deadline : ++reads >= MAX_READS)
				break;
			continue;
		}
		if (n == 0) {
			dap_output_program(s, category, p->carry[i],
					   &p->ncarry[i], NULL, 0, 1);
			gd_close(*fd);
			*fd = -1;
			break;
		}
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN && final) {
			int64_t left = deadline - gd_now_ms();
			struct pollfd pf = {*fd, POLLIN, 0};
			if (left > 0 && poll(&pf, 1, (int)left) > 0)
				continue;
		}
		break;
	}
}

void dap_plain_poll(dap_session *s, int final)
{
	dap_plain *p = s->plain;
	if (!p)
		return;
	drain(s, 0, 0);
	drain(s, 1, 0);
	if (p->reaped)
		return;
	int st = 0;
	if (p->status_fd >= 0) {
		if (!remote_status(p, &st))
			return;
		p->reaped = 1;
		goto exited;
	}
	pid_t w;
	while ((w = waitpid(p->pid, &st, WNOHANG)) < 0 && errno == EINTR)
		;
	if (w != p->pid && !(w < 0 && errno == ECHILD) && !final)
		return;
	if (w != p->pid)
		st = 0;
	p->reaped = 1;
	drain(s, 0, 1);
	drain(s, 1, 1);
exited:;
	int code = WIFEXITED(st) ? WEXITSTATUS(st)
		   : WIFSIGNALED(st) ? 128 + WTERMSIG(st) : 0;
	gd_log_info(s->log, "noDebug: program exited with %d", code);
	cJSON *b = cJSON_CreateObject();
	cJSON_AddNumberToObject(b, "exitCode", code);
	dap_event(s, "exited", b);
	dap_event(s, "terminated", NULL);
	s->exited_sent = 1;
	s->state = DAP_TERMINATED;
}

void dap_plain_signal(dap_session *s, int sig)
{
	dap_plain *p = s->plain;
	if (!p || p->reaped || p->pid <= 0)
		return;
	/* Ours leads its process group; the terminal's is in the
	 * terminal's group with its launcher. */
	/* ESRCH only: it has ended, which its reaping reports */
	(void)kill(p->status_fd >= 0 ? p->pid : -p->pid, sig);
}

void dap_plain_end(dap_session *s, int detach)
{
	dap_plain *p = s->plain;
	if (!p)
		return;
	s->plain = NULL;
	if (!p->reaped && !detach && p->status_fd >= 0)
		(void)kill(p->pid, SIGKILL); /* its launcher reaps it; ESRCH:
					      * gone already */
	else if (!p->reaped && !detach)
		dap_child_kill_group(p->pid, 0);
	if (p->status_fd >= 0)
		gd_close(p->status_fd);
	if (p->out_fd >= 0)
		gd_close(p->out_fd);
	if (p->err_fd >= 0)
		gd_close(p->err_fd);
	gd_err err = GD_ERR_INIT;
	/* A detached program may still run from the binary: unlinking it
	 * is harmless to a running process. */
	if (p->tmp_dir && dap_rmtree(p->tmp_dir, &err) < 0) {
		gd_log_info(s->log, "%s", gd_err_msg(&err));
		gd_err_clear(&err);
	}
	free(p->tmp_dir);
	free(p);
}
