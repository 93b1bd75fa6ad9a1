#include "../dap_internal.h"
#include "../dap_build.h"

#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* launch and attach share everything after the target exists: the
 * 'initialized' event tells the client to send its configuration. */
static void started(dap_session *s, const cJSON *req)
{
	s->state = DAP_CONFIGURING;
	dap_respond(s, req, NULL);
	/* The process event: which process the session debugs. */
	pid_t pid = s->plain ? s->plain->pid
		    : s->tgt && s->tgt->proc ? core_pid(s->tgt->proc) : 0;
	cJSON *pe = cJSON_CreateObject();
	const char *name = s->cfg.program;
	char *exe = NULL;
	if (!name && asprintf(&exe, "/proc/%d/exe", (int)pid) >= 0) {
		char *real = realpath(exe, NULL);
		free(exe);
		exe = real;
		name = exe;
	}
	cJSON_AddStringToObject(pe, "name", name ? name : "");
	if (pid > 0)
		cJSON_AddNumberToObject(pe, "systemProcessId", pid);
	cJSON_AddBoolToObject(pe, "isLocalProcess", 1);
	cJSON_AddStringToObject(pe, "startMethod",
				s->cfg.attach ? "attach" : "launch");
	free(exe);
	dap_event(s, "process", pe);
	if (s->tgt) {
		dap_exc_sync(s);
		/* Breakpoints sent before the program existed resolve now. */
		for (size_t i = 0; i < s->nbps; i++) {
			dap_bp_resolve(s, &s->bps[i]);
			dap_bp_event(s, &s->bps[i]);
		}
	}
	dap_event(s, "initialized", NULL);
}

static int parse_cfg(dap_session *s, const cJSON *req, const cJSON *args,
		     int attach)
{
	gd_err err = GD_ERR_INIT;
	if (s->state != DAP_IDLE || s->pending) {
		dap_respond_error(s, req, "a program is already being debugged");
		return -1;
	}
	dap_args_launch a;
	int rc = attach ? dap_args_attach_parse(args, &a, &err)
			: dap_args_launch_parse(args, &a, &err);
	if (rc < 0) {
		dap_respond_err(s, req, &err);
		return -1;
	}
	if (s->have_cfg)
		dap_args_launch_free(&s->cfg);
	s->cfg = a;
	s->have_cfg = 1;
	return 0;
}

/* mode "test": the test binary runs in its package's directory, as under
 * `go test`, so tests find their testdata/ (unless 'cwd' says else). */
static int test_cwd(dap_args_launch *c, gd_err *err)
{
	if (strcmp(c->mode, "test") != 0 || (c->cwd && c->cwd[0]))
		return 0;
	struct stat st;
	if (stat(c->program, &st) < 0)
		return gd_err_sys(err, "cannot build '%s'", c->program);
	char *dir = NULL;
	if (S_ISDIR(st.st_mode)) {
		dir = strdup(c->program);
	} else {
		char *copy = strdup(c->program);
		dir = copy ? strdup(dirname(copy)) : NULL;
		free(copy);
	}
	if (!dir)
		return gd_err_set(err, "out of memory");
	free(c->cwd);
	c->cwd = dir;
	return 0;
}

/* The binary exists (built, or given with mode exec): start it. */
static void launch_binary(dap_session *s, const cJSON *req, char *binary,
			  char *tmpdir)
{
	gd_err err = GD_ERR_INIT;
	int rc;
	if (s->cfg.no_debug) {
		const char *path = binary ? binary : s->cfg.program;
		rc = dap_plain_start(s, path, tmpdir, &err);
		free(binary);
		if (rc < 0)
			dap_plain_end(s, 0);
	} else {
		rc = dap_target_launch(s, binary, tmpdir, &err);
		if (rc < 0)
			dap_target_end(s);
	}
	if (rc < 0) {
		dap_respond_err(s, req, &err);
		return;
	}
	started(s, req);
}

void dap_launch_built(dap_session *s, char *binary, char *tmpdir,
		      gd_err *err)
{
	cJSON *req = s->pending;
	s->pending = NULL;
	if (!req) { /* nobody waits any more */
		free(binary);
		free(tmpdir);
		return;
	}
	if (!binary)
		dap_respond_err(s, req, err);
	else
		launch_binary(s, req, binary, tmpdir);
	cJSON_Delete(req);
}

void dap_launch_abort(dap_session *s, const char *why)
{
	dap_build_cancel(s);
	if (!s->pending)
		return;
	dap_respond_error(s, s->pending, "launch: %s", why);
	cJSON_Delete(s->pending);
	s->pending = NULL;
}

void dap_h_launch(dap_session *s, const cJSON *req, const cJSON *args)
{
	if (parse_cfg(s, req, args, 0) < 0)
		return;
	gd_err err = GD_ERR_INIT;
	if (test_cwd(&s->cfg, &err) < 0) {
		dap_respond_err(s, req, &err);
		return;
	}
	if (strcmp(s->cfg.mode, "exec") == 0) {
		launch_binary(s, req, NULL, NULL);
		return;
	}
	/* The build runs beside the message loop; the launch is answered
	 * when it ends (dap_launch_built). */
	char **env = dap_env_merged(&s->cfg);
	s->pending = cJSON_Duplicate(req, 1);
	if (!env || !s->pending) {
		dap_env_free(env);
		cJSON_Delete(s->pending);
		s->pending = NULL;
		dap_respond_error(s, req, "out of memory");
		return;
	}
	int rc = dap_build_start(s, env, &err);
	dap_env_free(env);
	if (rc < 0) {
		cJSON_Delete(s->pending);
		s->pending = NULL;
		dap_respond_err(s, req, &err);
	}
}

void dap_h_attach(dap_session *s, const cJSON *req, const cJSON *args)
{
	if (parse_cfg(s, req, args, 1) < 0)
		return;
	gd_err err = GD_ERR_INIT;
	if (dap_target_attach(s, &err) < 0) {
		dap_target_end(s);
		dap_respond_err(s, req, &err);
		return;
	}
	started(s, req);
}
