/* common/: starting a child process the way godap starts every one (the
 * `go build`, a noDebug program, a program to trace).  The child gets an
 * empty signal mask and SIGPIPE's default action (godap blocks and
 * ignores signals it handles itself), a process group of its own (ending
 * the group ends what it started, and a Ctrl-C in godap's terminal does
 * not reach it), its standard fds and working directory.  A failure
 * before or at exec comes back to the parent with its errno, instead of
 * as a later exit 127.
 *
 * Error convention: gd_err.h.  No global state: the child side touches
 * only its own copy of the process. */
#ifndef GD_SPAWN_H
#define GD_SPAWN_H

#include <sys/types.h>

#include "gd_err.h"

/* stdin_fd: /dev/null (godap's own stdin may be the DAP channel) */
#define GD_SPAWN_DEVNULL (-2)

typedef struct gd_spawn_opts {
	const char *path;         /* NULL: argv[0] searched in PATH */
	char *const *argv;        /* argv[0] included (borrowed) */
	char *const *envp;        /* full environment (borrowed) */
	const char *cwd;          /* NULL: inherited */
	int stdin_fd;             /* -1: inherited; GD_SPAWN_DEVNULL */
	int stdout_fd, stderr_fd; /* -1: inherited */
	int die_with_parent;      /* PR_SET_PDEATHSIG: SIGKILL when godap dies */
	/* NULL, or a pipe (borrowed): the child closes gate[1] and waits for
	 * one byte on gate[0] before exec, so that a tracer can seize it
	 * first; end of file instead (godap died) and it exits 127. */
	const int *gate;
} gd_spawn_opts;

/* Forks the child; *pid is also its process group id.  *errfd is the
 * read end of the pipe the child reports a failure on (owned by the
 * caller, for gd_spawn_exec_result). */
int gd_spawn_start(const gd_spawn_opts *o, pid_t *pid, int *errfd,
		   gd_err *err);
/* Waits until the child has exec'd (0) or failed (the errno it reported,
 * > 0; the child then exits 127 and the caller reaps it).  Closes errfd. */
int gd_spawn_exec_result(int errfd);
/* gd_spawn_start then gd_spawn_exec_result, for a child no one traces:
 * 0 with the child running, or -1 ("cannot run PATH: reason", the child
 * reaped). */
int gd_spawn(const gd_spawn_opts *o, pid_t *pid, gd_err *err);

#endif
