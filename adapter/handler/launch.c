#include "handlers.h"
#include "../dap_build.h"
#include "../dap_multiclient.h"
#include "../dap_goversion.h"

#include <dirent.h>
#include <libgen.h>
#include <unistd.h>
#include "../../common/gd_buf.h"
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
	if (dbg_has_target(s->dbg)) /* not with noDebug */
		grt_set_limits(dbg_rt(s->dbg), (uint64_t)s->cfg.max_string_len,
			       (uint64_t)s->cfg.max_array_values);
	dap_respond(s, req, NULL);
	/* The process event: which process the session debugs. */
	pid_t pid = s->plain ? s->plain->pid
		    : dbg_pid(s->dbg);
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
	if (dbg_has_target(s->dbg)) {
		char *warn = dap_go_version_warning(grt_go_version(dbg_rt(s->dbg)));
		if (warn) {
			dap_output(s, "console", warn, strlen(warn));
			free(warn);
		}
	}
	/* Breakpoints sent before the program existed (or kept from the run
	 * before a restart) were resolved by the launch or attach: tell the
	 * client how. */
	for (size_t i = 0; i < dbg_bp_count(s->dbg); i++) {
		dbg_bp_view v;
		dbg_bp_at(s->dbg, i, &v);
		dap_bp_event(s, &v);
	}
	if (s->restarting) {
		/* The client configured this session already: run. */
		s->restarting = 0;
		dap_run_configured(s);
		return;
	}
	dap_event(s, "initialized", NULL);
}

/* The session keeps the configuration (taken from a, which is left with
 * nothing to free). */
static int take_cfg(dap_session *s, const cJSON *req, dap_args_launch *a)
{
	gd_err err = GD_ERR_INIT;
	grt_gfilter *gf = NULL;
	if (a->goroutine_filters &&
	    grt_gfilter_parse(a->goroutine_filters, &gf, &err) < 0) {
		gd_err_wrap(&err, "%s: 'goroutineFilters'",
			    a->attach ? "attach" : "launch");
		dap_respond_err(s, req, &err);
		return -1;
	}
	grt_gfilter_free(s->gfilter);
	s->gfilter = gf;
	dap_threads_forget(s);
	if (s->have_cfg)
		dap_args_launch_free(&s->cfg);
	s->cfg = *a;
	memset(a, 0, sizeof(*a));
	s->have_cfg = 1;
	dbg_set_step_holds_others(s->dbg, s->cfg.step_holds_others);
	dbg_set_ebpf_conditions(s->dbg, s->cfg.ebpf_conditions,
				s->cfg.ebpf_jump_pads);
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
	int core = strcmp(s->cfg.mode, "core") == 0;
	if (strcmp(s->cfg.console, "internalConsole") != 0 && !core) {
		/* In the client's terminal: answered by dap_launch_done once
		 * the launcher there has connected. */
		if (dap_term_start(s, binary, tmpdir, &err) == 0) {
			if (!s->pending)
				s->pending = cJSON_Duplicate(req, 1);
			return;
		}
		s->restarting = 0;
		dap_respond_err(s, req, &err);
		return;
	}
	int plain = s->cfg.no_debug && !core;
	dbg_set_unavailable(s->dbg, plain
			    ? "the program runs without debugging (noDebug)" : NULL);
	if (plain) {
		const char *path = binary ? binary : s->cfg.program;
		rc = dap_plain_start(s, path, tmpdir, &err);
		free(binary);
		if (rc < 0)
			dap_plain_end(s, 0);
	} else {
		rc = dap_target_launch(s, binary, tmpdir, &err);
		if (rc < 0)
			dap_target_end(s, 0);
	}
	if (rc < 0) {
		s->restarting = 0;
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
		dap_respond_err_id(s, req, DAP_ERR_BUILD, err);
	else
		launch_binary(s, req, binary, tmpdir);
	/* launch_binary may keep waiting (runInTerminal) on its own copy. */
	cJSON_Delete(req);
}

void dap_launch_done(dap_session *s, int rc, gd_err *err)
{
	cJSON *req = s->pending;
	s->pending = NULL;
	if (!req)
		return;
	if (rc < 0) {
		dap_target_end(s, 0);
		s->restarting = 0;
		dap_respond_err(s, req, err);
	} else {
		started(s, req);
	}
	cJSON_Delete(req);
}

void dap_launch_abort(dap_session *s, const char *why)
{
	dap_build_cancel(s);
	dap_term_end(s);
	if (!s->pending)
		return;
	dap_respond_error(s, s->pending, "%s: %s",
			  s->cfg.attach ? "attach" : "launch", why);
	cJSON_Delete(s->pending);
	s->pending = NULL;
}

static void start_launch(dap_session *s, const cJSON *req);
static void start_attach(dap_session *s, const cJSON *req);

void dap_h_launch(dap_session *s, const cJSON *req, dap_args_launch *a)
{
	if (take_cfg(s, req, a) < 0)
		return;
	s->restarting = 0;
	start_launch(s, req);
}

static void start_launch(dap_session *s, const cJSON *req)
{
	gd_err err = GD_ERR_INIT;
	if (strcmp(s->cfg.console, "internalConsole") != 0 &&
	    strcmp(s->cfg.mode, "core") != 0 && !s->client_run_in_terminal) {
		dap_respond_error(s, req, "launch: console \"%s\" needs a "
				  "client that can run a command in its "
				  "terminal (the runInTerminal request); this "
				  "one cannot: use \"internalConsole\"",
				  s->cfg.console);
		return;
	}
	if (test_cwd(&s->cfg, &err) < 0) {
		dap_respond_err(s, req, &err);
		return;
	}
	/* exec runs the program given; core opens its core file. */
	if (strcmp(s->cfg.mode, "exec") == 0 || strcmp(s->cfg.mode, "core") == 0) {
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

static void attach_now(dap_session *s, const cJSON *req)
{
	gd_err err = GD_ERR_INIT;
	dbg_set_unavailable(s->dbg, NULL);
	if (dap_target_attach(s, &err) < 0) {
		dap_target_end(s, 0);
		s->restarting = 0;
		dap_respond_err(s, req, &err);
		return;
	}
	started(s, req);
}

void dap_h_attach(dap_session *s, const cJSON *req, dap_args_launch *a)
{
	if (take_cfg(s, req, a) < 0)
		return;
	s->restarting = 0;
	start_attach(s, req);
}

static void start_attach(dap_session *s, const cJSON *req)
{
	if (!s->cfg.wait_for) {
		attach_now(s, req);
		return;
	}
	/* waitFor: answered once the process is there (dap_attach_poll). */
	s->pending = cJSON_Duplicate(req, 1);
	if (!s->pending) {
		dap_respond_error(s, req, "out of memory");
		return;
	}
	char *msg = NULL;
	if (asprintf(&msg, "Waiting for a process named %s…\n",
		     s->cfg.wait_for) >= 0) {
		dap_output(s, "console", msg, strlen(msg));
		free(msg);
	}
}

/* Does process pid match waitFor?  As Delve: its command line starts with
 * it; also: its executable's name (comm, or argv[0]'s last part) is it. */
static int wait_for_matches(pid_t pid, const char *want)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	gd_buf cmd = GD_BUF_INIT;
	char buf[4096];
	size_t got;
	/* out of memory, the command line is shorter and may not match:
	 * the next poll looks again */
	while ((got = fread(buf, 1, sizeof(buf), f)) > 0)
		(void)gd_buf_append(&cmd, buf, got);
	(void)fclose(f); /* read only: nothing to lose */
	int match = 0;
	if (cmd.len) {
		const char *argv0 = cmd.data;
		const char *slash = strrchr(argv0, '/');
		match = strcmp(slash ? slash + 1 : argv0, want) == 0;
		/* The arguments are NUL-separated: as one line, blanks. */
		for (size_t i = 0; i + 1 < cmd.len; i++)
			if (cmd.data[i] == '\0')
				cmd.data[i] = ' ';
		match = match || strncmp(cmd.data, want, strlen(want)) == 0;
	}
	gd_buf_free(&cmd);
	if (!match) {
		snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
		f = fopen(path, "r");
		if (f) {
			char comm[64] = "";
			if (fgets(comm, sizeof(comm), f))
				comm[strcspn(comm, "\n")] = '\0';
			(void)fclose(f);
			match = strcmp(comm, want) == 0;
		}
	}
	return match;
}

int dap_attach_waiting(const dap_session *s)
{
	return s->pending && s->have_cfg && s->cfg.attach && s->cfg.wait_for &&
	       !s->tgt;
}

void dap_attach_poll(dap_session *s)
{
	if (!dap_attach_waiting(s))
		return;
	DIR *d = opendir("/proc");
	if (!d)
		return;
	pid_t self = getpid(), found = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL && !found) {
		char *end = NULL;
		long pid = strtol(e->d_name, &end, 10);
		if (!end || *end || pid <= 0 || pid == self)
			continue;
		if (wait_for_matches((pid_t)pid, s->cfg.wait_for))
			found = (pid_t)pid;
	}
	closedir(d);
	if (!found)
		return;
	gd_log_info(s->log, "waitFor %s: process %d", s->cfg.wait_for,
		    (int)found);
	s->cfg.process_id = found;
	cJSON *req = s->pending;
	s->pending = NULL;
	attach_now(s, req);
	cJSON_Delete(req);
}

/* restart: the program is ended (killed, or detached when attached) and
 * started again with the same configuration or the one in 'arguments';
 * modes debug and test build again.  Breakpoints stay and are resolved
 * in the new program; the client does not configure again, so the
 * program runs (or stops on entry) as after configurationDone. */
void dap_h_restart(dap_session *s, const cJSON *req, dap_args_restart *a)
{
	dap_launch_abort(s, "cancelled by a restart");
	dap_term_end(s);
	dap_plain_end(s, 0);
	dap_target_end(s, 0);
	if (a->given) {
		dap_args_launch_free(&s->cfg);
		s->cfg = a->cfg;
		a->given = 0; /* taken */
		dbg_set_step_holds_others(s->dbg, s->cfg.step_holds_others);
		dbg_set_ebpf_conditions(s->dbg, s->cfg.ebpf_conditions,
					s->cfg.ebpf_jump_pads);
	}
	/* A new run: nothing of the old program's state is kept but the
	 * breakpoints and filters the client set. */
	s->state = DAP_IDLE;
	s->exited_sent = 0;
	s->terminating = 0;
	dap_handles_reset(s);
	s->restarting = 1;
	gd_log_info(s->log, "restart");
	if (s->cfg.attach)
		start_attach(s, req);
	else
		start_launch(s, req);
}
