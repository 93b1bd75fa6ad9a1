/* mode "debug" / "test": builds the program with optimisations and inlining
 * off, into a temporary directory removed when the session ends.  The go
 * command runs as a child in its own process group, watched from the
 * session's poll loop (see dap_build.h). */
#include "dap_internal.h"
#include "../common/gd_time.h"
#include "../common/gd_fd.h"
#include "../common/gd_buf.h"
#include "dap_build.h"
#include "dap_child.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* Seconds between two progressUpdate events. */
#define BUILD_TICK_MS 2000

struct dap_build {
	pid_t pid;
	int reaped, status;
	int fd;           /* read end of the go command's stdout+stderr */
	gd_buf text;      /* what it printed */
	char *tmpdir;     /* ours; removed on failure or cancel */
	char *binary;     /* the file go writes */
	char *what;       /* the program as the user named it */
	char progress_id[32]; /* "" when the client gets no progress */
	int64_t t0, last_tick; /* gd_now_ms() */
};

static long ms_since(int64_t t)
{
	return (long)(gd_now_ms() - t);
}

char **dap_env_merged(const dap_args_launch *c)
{
	size_t n = 0;
	while (environ[n])
		n++;
	char **env = calloc(n + c->nenv + 1, sizeof(char *));
	if (!env)
		return NULL;
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		const char *eq = strchr(environ[i], '=');
		size_t klen = eq ? (size_t)(eq - environ[i]) : strlen(environ[i]);
		int overridden = 0;
		for (size_t j = 0; j < c->nenv; j++)
			if (strlen(c->env[j].name) == klen &&
			    strncmp(c->env[j].name, environ[i], klen) == 0)
				overridden = 1;
		if (!overridden)
			env[k++] = strdup(environ[i]);
	}
	for (size_t j = 0; j < c->nenv; j++) {
		if (!c->env[j].value)
			continue;
		char *kv;
		if (asprintf(&kv, "%s=%s", c->env[j].name, c->env[j].value) < 0)
			kv = NULL;
		env[k++] = kv;
	}
	env[k] = NULL;
	for (size_t i = 0; i < k; i++) {
		if (!env[i]) { /* allocation failed somewhere */
			for (size_t j = 0; j < k; j++)
				free(env[j]);
			free(env);
			return NULL;
		}
	}
	return env;
}

void dap_env_free(char **env)
{
	if (!env)
		return;
	for (size_t i = 0; env[i]; i++)
		free(env[i]);
	free(env);
}

/* envp with NAME=value set (replacing any NAME=...): a new vector whose
 * strings are borrowed from envp, except the new one in *owned. */
static char **env_with(char *const envp[], const char *name,
		       const char *value, char **owned)
{
	size_t n = 0, len = strlen(name);
	while (envp[n])
		n++;
	char **v = calloc(n + 2, sizeof(char *));
	if (!v || asprintf(owned, "%s=%s", name, value) < 0) {
		free(v);
		*owned = NULL;
		return NULL;
	}
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (!(strncmp(envp[i], name, len) == 0 && envp[i][len] == '='))
			v[k++] = envp[i];
	v[k++] = *owned;
	v[k] = NULL;
	return v;
}

static void build_free(dap_build *b)
{
	if (!b)
		return;
	if (b->fd >= 0)
		gd_close(b->fd);
	gd_buf_free(&b->text);
	free(b->tmpdir);
	free(b->binary);
	free(b->what);
	free(b);
}

static void remove_tmpdir(dap_session *s, dap_build *b)
{
	gd_err err = GD_ERR_INIT;
	if (b->tmpdir && dap_rmtree(b->tmpdir, &err) < 0) {
		gd_log_info(s->log, "%s", gd_err_msg(&err));
		gd_err_clear(&err);
	}
}

static void progress_end(dap_session *s, dap_build *b, const char *msg)
{
	if (!b->progress_id[0])
		return;
	cJSON *e = cJSON_CreateObject();
	cJSON_AddStringToObject(e, "progressId", b->progress_id);
	cJSON_AddStringToObject(e, "message", msg);
	dap_event(s, "progressEnd", e);
}

int dap_build_start(dap_session *s, char *const envp[], gd_err *err)
{
	const dap_args_launch *c = &s->cfg;
	struct stat st;
	if (s->build)
		return gd_err_set(err, "a build is already running");
	if (stat(c->program, &st) < 0)
		return gd_err_sys(err, "cannot build '%s'", c->program);
	dap_build *b = calloc(1, sizeof(*b));
	if (!b)
		return gd_err_set(err, "out of memory");
	b->fd = -1;
	b->pid = -1;

	char *dir = NULL, *target = NULL, *tmpl = NULL, *gotmp = NULL;
	char **env = NULL, **argv = NULL;
	int pfd[2] = {-1, -1};
	int rc = -1;
	if (S_ISDIR(st.st_mode)) {
		dir = strdup(c->program);
		target = strdup(".");
	} else {
		char *x = strdup(c->program), *y = strdup(c->program);
		dir = x ? strdup(dirname(x)) : NULL;
		/* "./" so that a file named "-toolexec=..." is a path to go
		 * build, never one of its flags. */
		if (y && asprintf(&target, "./%s", basename(y)) < 0)
			target = NULL;
		free(x);
		free(y);
	}
	const char *tmp = getenv("TMPDIR");
	if (!tmp || !tmp[0])
		tmp = "/tmp";
	if (!dir || !target || !(b->what = strdup(c->program)) ||
	    asprintf(&tmpl, "%s/godap-build-XXXXXX", tmp) < 0) {
		tmpl = NULL;
		goto oom;
	}
	if (!mkdtemp(tmpl)) {
		gd_err_sys(err, "cannot make a build directory in %s", tmp);
		goto done;
	}
	b->tmpdir = tmpl;
	tmpl = NULL;
	if (c->output && c->output[0])
		b->binary = strdup(c->output);
	else if (asprintf(&b->binary, "%s/__debug_bin", b->tmpdir) < 0)
		b->binary = NULL;
	if (!b->binary)
		goto oom;
	/* The go command's own work directory goes inside ours, so a
	 * cancelled build leaves nothing behind in /tmp. */
	env = env_with(envp, "GOTMPDIR", b->tmpdir, &gotmp);
	argv = calloc(c->nbuild_flags + 10, sizeof(char *));
	if (!env || !argv)
		goto oom;

	/* go build|test -c -gcflags=all=-N -l -o OUT [buildFlags] TARGET */
	size_t k = 0;
	argv[k++] = "go";
	if (c->mode && strcmp(c->mode, "test") == 0) {
		argv[k++] = "test";
		argv[k++] = "-c";
	} else {
		argv[k++] = "build";
	}
	argv[k++] = "-gcflags=all=-N -l";
	argv[k++] = "-o";
	argv[k++] = b->binary;
	for (size_t i = 0; i < c->nbuild_flags; i++)
		argv[k++] = c->build_flags[i];
	argv[k++] = target;
	argv[k] = NULL;

	if (pipe2(pfd, O_CLOEXEC) < 0) {
		gd_err_sys(err, "pipe");
		goto done;
	}
	gd_spawn_opts o = {
		.argv = argv, .envp = env, .cwd = dir,
		.stdin_fd = GD_SPAWN_DEVNULL, .stdout_fd = pfd[1], .stderr_fd = pfd[1],
		.die_with_parent = 1,
	};
	gd_log_info(s->log, "building %s in %s", target, dir);
	if (gd_spawn(&o, &b->pid, err) < 0)
		goto done;
	gd_close(pfd[1]);
	pfd[1] = -1;
	b->fd = pfd[0];
	pfd[0] = -1;
	if (fcntl(b->fd, F_SETFL, O_NONBLOCK) < 0) {
		gd_err_sys(err, "fcntl");
		goto done;
	}
	b->t0 = gd_now_ms();
	b->last_tick = b->t0;

	char *msg = NULL;
	if (asprintf(&msg, "Building %s…\n", c->program) >= 0) {
		dap_output(s, "console", msg, strlen(msg));
		free(msg);
	}
	if (s->client_progress) {
		snprintf(b->progress_id, sizeof(b->progress_id), "godap-build-%d",
			 ++s->progress_seq);
		cJSON *e = cJSON_CreateObject();
		cJSON_AddStringToObject(e, "progressId", b->progress_id);
		cJSON_AddStringToObject(e, "title", "Building");
		cJSON_AddStringToObject(e, "message", c->program);
		cJSON_AddBoolToObject(e, "cancellable", 0);
		dap_event(s, "progressStart", e);
	}
	s->build = b;
	b = NULL;
	rc = 0;
	goto done;
oom:
	gd_err_set(err, "out of memory");
done:
	if (b) {
		if (b->pid > 0)
			dap_child_kill_group(b->pid, 0);
		remove_tmpdir(s, b);
		build_free(b);
	}
	for (int i = 0; i < 2; i++)
		if (pfd[i] >= 0)
			gd_close(pfd[i]);
	free(env);
	free(gotmp);
	free(argv);
	free(tmpl);
	free(dir);
	free(target);
	return rc;
}

int dap_build_fd(const dap_session *s)
{
	return s->build ? s->build->fd : -1;
}

int dap_build_timeout(const dap_session *s)
{
	if (!s->build || !s->build->progress_id[0])
		return -1;
	long left = BUILD_TICK_MS - ms_since(s->build->last_tick);
	return left < 0 ? 0 : (int)left;
}

static void read_output(dap_build *b)
{
	char buf[4096];
	while (b->fd >= 0) {
		ssize_t n = read(b->fd, buf, sizeof(buf));
		if (n > 0) {
			/* the output is only shown when the build fails: out
			 * of memory, it is shown shorter */
			(void)gd_buf_append(&b->text, buf, (size_t)n);
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n == 0) {
			gd_close(b->fd);
			b->fd = -1;
		}
		break; /* EOF or EAGAIN */
	}
}

void dap_build_poll(dap_session *s)
{
	dap_build *b = s->build;
	if (!b)
		return;
	read_output(b);
	if (!b->reaped) {
		pid_t w;
		while ((w = waitpid(b->pid, &b->status, WNOHANG)) < 0 &&
		       errno == EINTR)
			;
		if (w == b->pid || (w < 0 && errno == ECHILD))
			b->reaped = 1;
	}
	if (!b->reaped) {
		if (b->progress_id[0] && dap_build_timeout(s) == 0) {
			b->last_tick = gd_now_ms();
			char msg[64];
			snprintf(msg, sizeof(msg), "%ld s",
				 ms_since(b->t0) / 1000);
			cJSON *e = cJSON_CreateObject();
			cJSON_AddStringToObject(e, "progressId", b->progress_id);
			cJSON_AddStringToObject(e, "message", msg);
			dap_event(s, "progressUpdate", e);
		}
		return;
	}
	/* The go command is gone; what it wrote is in the pipe (a helper
	 * it left holding the pipe would not be waited for). */
	read_output(b);
	/* Whatever it left in its process group goes with it. */
	dap_child_kill_group(b->pid, 1);
	s->build = NULL;
	int ok = WIFEXITED(b->status) && WEXITSTATUS(b->status) == 0;
	gd_log_info(s->log, "build of %s %s after %ld ms", b->what,
		    ok ? "done" : "failed", ms_since(b->t0));
	progress_end(s, b, ok ? "done" : "failed");
	gd_err err = GD_ERR_INIT;
	if (ok) {
		char *bin = b->binary, *dir = b->tmpdir;
		b->binary = b->tmpdir = NULL;
		build_free(b);
		dap_launch_built(s, bin, dir, &err); /* err unused: it worked */
		return;
	}
	gd_err_set(&err, "build of '%s' failed:\n%s", b->what,
		   b->text.len ? b->text.data : "(no output)");
	remove_tmpdir(s, b);
	build_free(b);
	dap_launch_built(s, NULL, NULL, &err);
	gd_err_clear(&err);
}

void dap_build_cancel(dap_session *s)
{
	dap_build *b = s->build;
	if (!b)
		return;
	s->build = NULL;
	dap_child_kill_group(b->pid, b->reaped);
	gd_log_info(s->log, "build of %s cancelled", b->what);
	progress_end(s, b, "cancelled");
	remove_tmpdir(s, b);
	build_free(b);
}
