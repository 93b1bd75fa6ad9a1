/* adapter/: the `go build` (mode debug) or `go test -c` (mode test) that
 * makes the program to debug.  It runs beside the message loop: the
 * session polls dap_build_fd() and calls dap_build_poll() on its output,
 * on SIGCHLD and on timeouts; requests are answered meanwhile.  When it
 * ends, dap_launch_built() (handler/launch.c) carries the launch on. */
#ifndef DAP_BUILD_H
#define DAP_BUILD_H

#include "dap_internal.h"

/* Starts building s->cfg.program with env envp (borrowed) into a new
 * temporary directory ($TMPDIR or /tmp, godap-build-*, also the go
 * command's GOTMPDIR so nothing of it is left elsewhere).  Tells the
 * client: an output event "Building PKG…" and, when it reports progress,
 * progressStart. */
int dap_build_start(dap_session *s, char *const envp[], gd_err *err);
/* The fd to poll for the build's output, -1 when no build runs. */
int dap_build_fd(const dap_session *s);
/* Milliseconds until the next progressUpdate is due, -1 for none. */
int dap_build_timeout(const dap_session *s);
/* Reads output, reaps the go command, sends progress.  When the build has
 * ended, frees it and calls dap_launch_built(). */
void dap_build_poll(dap_session *s);
/* Ends a running build: SIGKILL to the go command's process group (the
 * compiler and linker with it), reaps it, removes its temporary
 * directory.  Idempotent; nothing when no build runs.  Every way a
 * session ends goes through here (dap_session_run's exit path and
 * dap_session_free). */
void dap_build_cancel(dap_session *s);

/* The launch configuration's environment: godap's own, then envFile
 * entries and 'env' (already merged by dap_args), a null value unsetting
 * a variable.  NULL when out of memory; free with dap_env_free. */
char **dap_env_merged(const dap_args_launch *c);
void dap_env_free(char **env);

#endif
