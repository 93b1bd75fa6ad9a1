/* adapter/: plain (untraced) child processes of the adapter: the `go build`
 * of mode debug/test, and a program run with noDebug.  Each runs in a
 * process group of its own so ending it ends whatever it started.
 *
 * Error convention: common/gd_err.h. */
#ifndef DAP_CHILD_H
#define DAP_CHILD_H

#include <sys/types.h>

#include "../common/gd_err.h"

typedef struct dap_child_opts {
	const char *path;   /* executable; NULL: argv[0] searched in PATH */
	char *const *argv;  /* argv[0] included (borrowed) */
	char *const *envp;  /* full environment (borrowed) */
	const char *cwd;    /* NULL: inherit */
	int stdin_fd;       /* -1: /dev/null */
	int stdout_fd, stderr_fd; /* -1: inherit (never godap's DAP stdout:
				   * callers pass pipes) */
	int die_with_parent; /* PR_SET_PDEATHSIG: SIGKILL when godap dies
			      * (the build; not a program that may be left
			      * running by a disconnect) */
} dap_child_opts;

/* Starts the child; its pid is also its process group id.  An exec
 * failure is reported here with the reason, not as a later exit 127. */
int dap_child_spawn(const dap_child_opts *o, pid_t *pid, gd_err *err);

/* SIGKILL to the child's whole process group, then reaps the child
 * unless `reaped` says that was done.  Nothing for pid <= 0. */
void dap_child_kill_group(pid_t pid, int reaped);

/* Removes path and everything under it (no symlinks followed).  0, or -1
 * with the first failure in err. */
int dap_rmtree(const char *path, gd_err *err);

#endif
