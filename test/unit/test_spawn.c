/* Unit test of common/gd_spawn: the child's fds, cwd, environment, own
 * process group, exec errors reported with their errno, and the gate
 * holding the child back until the parent writes. */
#include "gd_test.h"
#include "gd_spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Everything the child wrote on fd until EOF (at most size - 1 bytes). */
static void read_all(int fd, char *buf, size_t size)
{
	size_t got = 0;
	ssize_t n;
	while (got + 1 < size &&
	       ((n = read(fd, buf + got, size - 1 - got)) > 0 ||
		(n < 0 && errno == EINTR)))
		if (n > 0)
			got += (size_t)n;
	buf[got] = 0;
}

static int exit_status(pid_t pid)
{
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 1000 + WTERMSIG(st);
}

int main(void)
{
	gd_err err = GD_ERR_INIT;
	int out[2];
	char buf[256];

	/* PATH search, stdout and stderr on a pipe, cwd, envp, stdin from
	 * /dev/null, a process group of its own. */
	CHECK(pipe2(out, O_CLOEXEC) == 0);
	char *argv[] = {"sh", "-c",
			"pwd; echo \"$GDX\"; cat; echo \"pg=$(ps -o pgid= $$)\" >&2",
			NULL};
	char *envp[] = {"GDX=hello", "PATH=/usr/bin:/bin", NULL};
	gd_spawn_opts o = {
		.argv = argv, .envp = envp, .cwd = "/",
		.stdin_fd = GD_SPAWN_DEVNULL, .stdout_fd = out[1],
		.stderr_fd = out[1],
	};
	pid_t pid;
	CHECK_INT(gd_spawn(&o, &pid, &err), 0);
	close(out[1]);
	read_all(out[0], buf, sizeof(buf));
	close(out[0]);
	CHECK_INT(exit_status(pid), 0);
	char want[128];
	snprintf(want, sizeof(want), "/\nhello\npg=%d\n", (int)pid);
	/* ps pads the pgid: compare without blanks */
	char squeezed[256];
	size_t k = 0;
	for (const char *p = buf; *p && k + 1 < sizeof(squeezed); p++)
		if (*p != ' ')
			squeezed[k++] = *p;
	squeezed[k] = 0;
	CHECK_STR(squeezed, want);

	/* An exec failure comes back with its reason; the child is reaped. */
	char *argv2[] = {"nothing", NULL};
	gd_spawn_opts bad = {
		.path = "/nonexistent/godap-test", .argv = argv2, .envp = envp,
		.stdin_fd = GD_SPAWN_DEVNULL, .stdout_fd = -1, .stderr_fd = -1,
	};
	CHECK_INT(gd_spawn(&bad, &pid, &err), -1);
	CHECK_INT(pid, -1);
	CHECK_STR(gd_err_msg(&err), "cannot run /nonexistent/godap-test: No "
		  "such file or directory");
	gd_err_clear(&err);
	CHECK(waitpid(-1, NULL, WNOHANG) < 0 && errno == ECHILD);

	/* A cwd that does not exist fails the same way. */
	gd_spawn_opts nocwd = o;
	nocwd.cwd = "/nonexistent-dir";
	nocwd.stdout_fd = nocwd.stderr_fd = -1;
	CHECK_INT(gd_spawn(&nocwd, &pid, &err), -1);
	CHECK_STR(gd_err_msg(&err), "cannot run sh: No such file or directory");
	gd_err_clear(&err);

	/* The gate: nothing runs before the byte; then exec and a result. */
	int gate[2];
	CHECK(pipe2(gate, O_CLOEXEC) == 0);
	CHECK(pipe2(out, O_CLOEXEC) == 0);
	char *argv3[] = {"echo", "ran", NULL};
	gd_spawn_opts gated = {
		.path = "/bin/echo", .argv = argv3, .envp = envp,
		.stdin_fd = GD_SPAWN_DEVNULL, .stdout_fd = out[1],
		.stderr_fd = -1, .gate = gate,
	};
	int errfd;
	CHECK_INT(gd_spawn_start(&gated, &pid, &errfd, &err), 0);
	close(gate[0]);
	close(out[1]);
	/* held at the gate: still this test's program, not echo */
	char self[512], child[512], link[64];
	ssize_t ns = readlink("/proc/self/exe", self, sizeof(self) - 1);
	snprintf(link, sizeof(link), "/proc/%d/exe", (int)pid);
	ssize_t nc = readlink(link, child, sizeof(child) - 1);
	CHECK(ns > 0 && nc == ns);
	if (ns > 0 && nc == ns) {
		self[ns] = child[nc] = 0;
		CHECK_STR(child, self);
	}
	CHECK_INT(write(gate[1], "g", 1), 1);
	close(gate[1]);
	CHECK_INT(gd_spawn_exec_result(errfd), 0);
	read_all(out[0], buf, sizeof(buf));
	close(out[0]);
	CHECK_STR(buf, "ran\n");
	CHECK_INT(exit_status(pid), 0);

	/* The gate's writer gone without a byte: the child exits 127. */
	CHECK(pipe2(gate, O_CLOEXEC) == 0);
	gated.stdout_fd = -1;
	CHECK_INT(gd_spawn_start(&gated, &pid, &errfd, &err), 0);
	close(gate[0]);
	close(gate[1]);
	CHECK_INT(gd_spawn_exec_result(errfd), 0);
	CHECK_INT(exit_status(pid), 127);

	return GD_TEST_SUMMARY();
}
