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

/* Child side: never returns.  An errno before or at exec goes back
 * through the close-on-exec pipe. */
static void child_exec(const dap_child_opts *o, int errpipe)
{
	sigset_t none;
	sigemptyset(&none);
	int e = 0;
	if (sigprocmask(SIG_SETMASK, &none, NULL) < 0)
		goto fail;
	signal(SIGPIPE, SIG_DFL);
	/* Its own group: killing the group ends the go command's compilers
	 * too, and a Ctrl-C in godap's terminal does not reach it. */
	if (setpgid(0, 0) < 0)
		goto fail;
	if (o->die_with_parent && prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
		goto fail;
	int in = o->stdin_fd;
	if (in < 0)
		in = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (in < 0 || dup2(in, 0) < 0)
		goto fail;
	if (o->stdout_fd >= 0 && dup2(o->stdout_fd, 1) < 0)
		goto fail;
	if (o->stderr_fd >= 0 && dup2(o->stderr_fd, 2) < 0)
		goto fail;
	if (o->cwd && chdir(o->cwd) < 0)
		goto fail;
	if (o->path)
		execve(o->path, o->argv, o->envp);
	else
		execvpe(o->argv[0], o->argv, o->envp);
fail:
	e = errno;
	if (write(errpipe, &e, sizeof(e)) < 0)
		_exit(126);
	_exit(127);
}

int dap_child_spawn(const dap_child_opts *o, pid_t *pid, gd_err *err)
{
	int ep[2];
	*pid = -1;
	if (pipe2(ep, O_CLOEXEC) < 0)
		return gd_err_sys(err, "pipe");
	pid_t p = fork();
	if (p < 0) {
		close(ep[0]);
		close(ep[1]);
		return gd_err_sys(err, "fork");
	}
	if (p == 0) {
		close(ep[0]);
		child_exec(o, ep[1]);
	}
	close(ep[1]);
	/* Also set here, so a kill of the group right after fork cannot
	 * miss the child; it fails with EACCES once the child has exec'd,
	 * which means the child's own setpgid already ran. */
	(void)setpgid(p, p);
	int e = 0;
	ssize_t n;
	while ((n = read(ep[0], &e, sizeof(e))) < 0 && errno == EINTR)
		;
	close(ep[0]);
	if (n == (ssize_t)sizeof(e)) {
		while (waitpid(p, NULL, 0) < 0 && errno == EINTR)
			;
		errno = e;
		return gd_err_sys(err, "cannot run %s",
				  o->path ? o->path : o->argv[0]);
	}
	*pid = p;
	return 0;
}

void dap_child_kill_group(pid_t pid, int reaped)
{
	if (pid <= 0)
		return;
	/* ESRCH: the group is empty already; nothing else can fail here. */
	kill(-pid, SIGKILL);
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
