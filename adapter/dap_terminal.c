/* console "integratedTerminal" / "externalTerminal": the program runs in
 * the client's terminal, started there by the runInTerminal reverse
 * request.  The terminal runs godap's launcher (dap_launcher.h), which
 * connects to a Unix socket in a private directory of ours, waits until
 * godap has seized it, then execs the program: traced from its first
 * instruction, with the terminal's stdin/stdout/stderr. */
#include "dap_internal.h"
#include "../common/gd_time.h"
#include "../common/gd_fd.h"
#include "dap_child.h"
#include "dap_launcher.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

/* How long the launcher may take from connecting to saying it is ready. */
#define READY_TIMEOUT_MS 5000
/* How long after the client said it ran the command in its terminal the
 * launcher may take to connect. */
#define CONNECT_TIMEOUT_MS 30000

struct dap_term {
	int listen_fd;
	char *dir;    /* private (0700) directory holding the socket */
	char *binary; /* owned: the built binary, NULL for mode exec */
	char *tmpdir; /* owned: the build's directory */
	int seq;      /* our runInTerminal request */
	long long connect_by; /* CLOCK_MONOTONIC ms, 0 until the answer */
};

int dap_term_timeout(const dap_session *s)
{
	if (!s->term || !s->term->connect_by)
		return -1;
	long long left = s->term->connect_by - gd_now_ms();
	return left < 0 ? 0 : (int)left;
}

void dap_term_tick(dap_session *s)
{
	if (dap_term_timeout(s) != 0)
		return;
	gd_err err = GD_ERR_INIT;
	gd_err_set(&err, "launch: the program did not start in the client's "
		   "terminal within %d s", CONNECT_TIMEOUT_MS / 1000);
	dap_term_end(s);
	dap_launch_done(s, -1, &err);
	gd_err_clear(&err);
}

static void remove_dir(dap_session *s, const char *dir)
{
	gd_err err = GD_ERR_INIT;
	if (dir && dap_rmtree(dir, &err) < 0) {
		gd_log_info(s->log, "%s", gd_err_msg(&err));
		gd_err_clear(&err);
	}
}

static void term_free(dap_session *s, dap_term *t)
{
	if (!t)
		return;
	if (t->listen_fd >= 0)
		gd_close(t->listen_fd);
	remove_dir(s, t->dir);
	free(t->dir);
	free(t->binary);
	remove_dir(s, t->tmpdir);
	free(t->tmpdir);
	free(t);
}

void dap_term_end(dap_session *s)
{
	dap_term *t = s->term;
	s->term = NULL;
	term_free(s, t);
}

int dap_term_fd(const dap_session *s)
{
	return s->term ? s->term->listen_fd : -1;
}

/* The runInTerminal arguments: the launcher, then the program. */
static cJSON *rit_args(dap_session *s, const char *sock, const char *program,
		       gd_err *err)
{
	const dap_args_launch *c = &s->cfg;
	char *self = realpath("/proc/self/exe", NULL);
	if (!self) {
		gd_err_sys(err, "cannot find godap's own executable");
		return NULL;
	}
	char *abs = realpath(program, NULL);
	if (!abs) {
		gd_err_sys(err, "program '%s' cannot be run", program);
		free(self);
		return NULL;
	}
	char *cwd = c->cwd && c->cwd[0] ? NULL : getcwd(NULL, 0);
	const char *dir = c->cwd && c->cwd[0] ? c->cwd : cwd;
	cJSON *a = cJSON_CreateObject();
	cJSON_AddStringToObject(a, "kind", strcmp(c->console, "externalTerminal")
					   == 0 ? "external" : "integrated");
	char *title = NULL;
	if (asprintf(&title, "godap: %s", c->program) < 0)
		title = NULL;
	cJSON_AddStringToObject(a, "title", title ? title : "godap");
	free(title);
	cJSON_AddStringToObject(a, "cwd", dir ? dir : "/");
	cJSON *argv = cJSON_AddArrayToObject(a, "args");
	cJSON_AddItemToArray(argv, cJSON_CreateString(self));
	cJSON_AddItemToArray(argv, cJSON_CreateString(DAP_LAUNCHER_FLAG));
	cJSON_AddItemToArray(argv, cJSON_CreateString(sock));
	cJSON_AddItemToArray(argv, cJSON_CreateString("--"));
	cJSON_AddItemToArray(argv, cJSON_CreateString(abs));
	for (size_t i = 0; i < c->nargs; i++)
		cJSON_AddItemToArray(argv, cJSON_CreateString(c->args[i]));
	free(abs);
	free(self);
	free(cwd);
	/* The terminal has the editor's environment; the launch's env and
	 * envFile go on top (null unsets). */
	cJSON *env = cJSON_AddObjectToObject(a, "env");
	for (size_t i = 0; i < c->nenv; i++) {
		if (c->env[i].value)
			cJSON_AddStringToObject(env, c->env[i].name,
						c->env[i].value);
		else
			cJSON_AddNullToObject(env, c->env[i].name);
	}
	return a;
}

int dap_term_start(dap_session *s, char *binary, char *tmpdir, gd_err *err)
{
	dap_term *t = calloc(1, sizeof(*t));
	if (!t) {
		free(binary);
		free(tmpdir);
		return gd_err_set(err, "out of memory");
	}
	t->listen_fd = -1;
	t->binary = binary;
	t->tmpdir = tmpdir;
	const char *tmp = getenv("TMPDIR");
	if (!tmp || !tmp[0])
		tmp = "/tmp";
	char *sock = NULL;
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	if (asprintf(&t->dir, "%s/godap-term-XXXXXX", tmp) < 0) {
		t->dir = NULL;
		goto oom;
	}
	if (!mkdtemp(t->dir)) {
		gd_err_sys(err, "cannot make a directory in %s", tmp);
		free(t->dir);
		t->dir = NULL;
		goto fail;
	}
	if (asprintf(&sock, "%s/launcher.sock", t->dir) < 0) {
		sock = NULL;
		goto oom;
	}
	if (strlen(sock) >= sizeof(sa.sun_path)) {
		gd_err_set(err, "socket path too long: %s (set TMPDIR to a "
			   "shorter directory)", sock);
		goto fail;
	}
	memcpy(sa.sun_path, sock, strlen(sock) + 1);
	t->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC |
				       SOCK_NONBLOCK, 0);
	if (t->listen_fd < 0 ||
	    bind(t->listen_fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    listen(t->listen_fd, 4) < 0) {
		gd_err_sys(err, "cannot listen on %s", sock);
		goto fail;
	}
	cJSON *args = rit_args(s, sock, binary ? binary : s->cfg.program, err);
	if (!args)
		goto fail;
	free(sock);
	t->seq = dap_request(s, "runInTerminal", args);
	s->term = t;
	gd_log_info(s->log, "runInTerminal sent (seq %d)", t->seq);
	return 0;
oom:
	gd_err_set(err, "out of memory");
fail:
	free(sock);
	term_free(s, t);
	return -1;
}

void dap_term_response(dap_session *s, const cJSON *resp)
{
	const cJSON *rs = cJSON_GetObjectItemCaseSensitive(resp, "request_seq");
	if (!s->term || !cJSON_IsNumber(rs) || rs->valueint != s->term->seq) {
		gd_log_info(s->log, "ignoring a response to no request of ours");
		return;
	}
	const cJSON *ok = cJSON_GetObjectItemCaseSensitive(resp, "success");
	if (cJSON_IsTrue(ok)) {
		/* Wait for the launcher to connect. */
		s->term->seq = -1;
		s->term->connect_by = gd_now_ms() + CONNECT_TIMEOUT_MS;
		return;
	}
	const cJSON *msg = cJSON_GetObjectItemCaseSensitive(resp, "message");
	gd_err err = GD_ERR_INIT;
	gd_err_set(&err, "launch: the client could not start the program in "
		   "its terminal: %s",
		   cJSON_IsString(msg) ? msg->valuestring : "no reason given");
	dap_term_end(s);
	dap_launch_done(s, -1, &err);
	gd_err_clear(&err);
}

/* Reads the launcher's "ready" byte, waiting at most READY_TIMEOUT_MS. */
static int wait_ready(int fd, gd_err *err)
{
	struct pollfd pf = {fd, POLLIN, 0};
	int r;
	while ((r = poll(&pf, 1, READY_TIMEOUT_MS)) < 0 && errno == EINTR)
		;
	if (r <= 0)
		return gd_err_set(err, "the terminal's launcher did not say "
				  "it was ready");
	char c;
	ssize_t n;
	while ((n = read(fd, &c, 1)) < 0 && errno == EINTR)
		;
	if (n != 1 || c != 'r')
		return gd_err_set(err, "the terminal's launcher went away");
	return 0;
}

/* noDebug: tells the launcher to run the program untraced, reads the
 * program's pid.  Takes fd and tmpdir. */
static int start_untraced(dap_session *s, int fd, char *tmpdir, gd_err *err)
{
	int32_t pid = 0;
	ssize_t n;
	while ((n = write(fd, "n", 1)) < 0 && errno == EINTR)
		;
	struct pollfd pf = {fd, POLLIN, 0};
	int r = n == 1 ? poll(&pf, 1, READY_TIMEOUT_MS) : -1;
	if (r > 0)
		while ((n = read(fd, &pid, sizeof(pid))) < 0 && errno == EINTR)
			;
	if (r <= 0 || n != (ssize_t)sizeof(pid) || pid <= 0) {
		gd_close(fd);
		free(tmpdir);
		return gd_err_set(err, "the terminal's launcher could not "
				  "start the program");
	}
	return dap_plain_start_remote(s, (pid_t)pid, fd, tmpdir, err);
}

void dap_term_poll(dap_session *s)
{
	dap_term *t = s->term;
	if (!t)
		return;
	int fd = accept4(t->listen_fd, NULL, NULL, SOCK_CLOEXEC);
	if (fd < 0)
		return; /* EAGAIN: a spurious wakeup */
	struct ucred peer;
	socklen_t len = sizeof(peer);
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &peer, &len) < 0 ||
	    peer.uid != getuid()) {
		/* Only our user can reach the 0700 directory; be sure. */
		gd_log_info(s->log, "runInTerminal: refusing a connection");
		gd_close(fd);
		return;
	}
	gd_err err = GD_ERR_INIT;
	int rc = wait_ready(fd, &err);
	char *binary = t->binary, *tmpdir = t->tmpdir;
	t->binary = t->tmpdir = NULL;
	if (rc == 0 && s->cfg.no_debug) {
		/* Untraced: the launcher runs it as its child and tells us
		 * its pid now and its exit later. */
		free(binary);
		rc = start_untraced(s, fd, tmpdir, &err);
		fd = -1; /* the status socket now */
	} else if (rc == 0) {
		gd_log_info(s->log, "runInTerminal: launcher %d connected",
			    (int)peer.pid);
		rc = dap_target_launch_seized(s, binary, tmpdir, peer.pid, fd,
					      &err);
	} else {
		free(binary);
		free(tmpdir);
	}
	/* The launcher holds its end; closing ours after the exec (or the
	 * failure) tells it nothing more. */
	if (fd >= 0)
		gd_close(fd);
	dap_term_end(s);
	dap_launch_done(s, rc, &err);
	gd_err_clear(&err);
}
