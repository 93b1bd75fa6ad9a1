#include "dap_child.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

void dap_child_kill_group(pid_t pid, int reaped)
{
	if (pid <= 0)
		return;
	/* ESRCH: the group is empty already; nothing else can fail here. */
	(void)kill(-pid, SIGKILL);
	if (reaped)
		return;
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
}

static int rm_one(const char *path, const struct stat *sb, int flag,
		  struct FTW *ftw)
{
	(void)sb;
	(void)ftw;
	int rc = flag == FTW_DP ? rmdir(path) : unlink(path);
	return rc < 0 && errno != ENOENT ? errno : 0;
}

int dap_rmtree(const char *path, gd_err *err)
{
	int rc = nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	if (rc < 0 && errno == ENOENT)
		return 0;
	if (rc != 0) {
		if (rc > 0)
			errno = rc;
		return gd_err_sys(err, "cannot remove %s", path);
	}
	return 0;
}
