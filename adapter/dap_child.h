/* adapter/: plain (untraced) child processes of the adapter: the `go build`
 * of mode debug/test, and a program run with noDebug, started with
 * gd_spawn (common/gd_spawn.h) in a process group of their own, so ending
 * the group ends whatever they started.
 *
 * Error convention: common/gd_err.h. */
#ifndef DAP_CHILD_H
#define DAP_CHILD_H

#include <sys/types.h>

#include "../common/gd_err.h"
#include "../common/gd_spawn.h"

/* SIGKILL to the child's whole process group, then reaps the child
 * unless `reaped` says that was done.  Nothing for pid <= 0. */
void dap_child_kill_group(pid_t pid, int reaped);

/* Removes path and everything under it (no symlinks followed).  0, or -1
 * with the first failure in err. */
int dap_rmtree(const char *path, gd_err *err);

#endif
