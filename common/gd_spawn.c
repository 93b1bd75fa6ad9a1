/* Child processes: see gd_spawn.h. */
#include "gd_spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

/* Child side: never returns.  An errno before or at exec goes back
 * through the close-on-exec pipe. */
static void child_exec(const gd_spawn_opts *o, int errpipe)
{
	sigset_t none;
	sigemptyset(&none);
	if (sigprocmask(SIG_SETMASK, &none, NULL) < 0)
		goto fail;
	/* cannot fail for a valid signal: SIG_ERR is not possible here */
	(void)signal(SIGPIPE, SIG_DFL);
	if (setpgid(0, 0) < 0)
		goto fail;
	if (o->die_with_parent && prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
		goto fail;
	int in = o->stdin_fd;
	if (in == GD_SPAWN_DEVNULL &&
	    (in = open("/dev/null", O_RDONLY | O_CLOEXEC)) < 0)
		goto fail;
	if (in >= 0 && dup2(in, 0) < 0)
		goto fail;
	if (o->stdout_fd >= 0 && dup2(o->stdout_fd, 1) < 0)
		goto fail;
	if (o->stderr_fd >= 0 && dup2(o->stderr_fd, 2) < 0)
		goto fail;
	if (o->cwd && chdir(o->cwd) < 0)
		goto fail;
	if (o->gate) {
		char c;
		ssize_t n;
		/* only the parent may hold the write end: EOF then means it
		 * died */
		(void)close(o->gate[1]);
		while ((n = read(o->gate[0], &c, 1)) < 0 && errno == EINTR)
			;
		if (n != 1)
			_exit(127);
	}
	if (o->path)
		execve(o->path, o->argv, o->envp);
	else
		execvpe(o->argv[0], o->argv, o->envp);
fail:;
	int e = errno;
	if (write(errpipe, &e, sizeof(e)) < 0)
		_exit(126);
	_exit(127);
}

int gd_spawn_start(const gd_spawn_opts *o, pid_t *pid, int *errfd,
		   gd_err *err)
{
	int ep[2];
	*pid = -1;
	*errfd = -1;
	if (pipe2(ep, O_CLOEXEC) < 0)
		return gd_err_sys(err, "pipe");
	pid_t p = fork();
	if (p < 0) {
		gd_err_sys(err, "fork");
		close(ep[0]);
		close(ep[1]);
		return -1;
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
	*pid = p;
	*errfd = ep[0];
	return 0;
}

int gd_spawn_exec_result(int errfd)
{
	int e = 0;
	ssize_t n;
	while ((n = read(errfd, &e, sizeof(e))) < 0 && errno == EINTR)
		;
	close(errfd);
	/* EOF (n == 0): the pipe closed at exec */
	return n == (ssize_t)sizeof(e) ? (e > 0 ? e : EIO) : 0;
}

int gd_spawn(const gd_spawn_opts *o, pid_t *pid, gd_err *err)
{
	int errfd;
	pid_t p;
	*pid = -1;
	if (gd_spawn_start(o, &p, &errfd, err) < 0)
		return -1;
	int e = gd_spawn_exec_result(errfd);
	if (e) {
		while (waitpid(p, NULL, 0) < 0 && errno == EINTR)
			;
		errno = e;
		return gd_err_sys(err, "cannot run %s",
				  o->path ? o->path : o->argv[0]);
	}
	*pid = p;
	return 0;
}
