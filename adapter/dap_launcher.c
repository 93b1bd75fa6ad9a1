#include "dap_launcher.h"
#include "../common/gd_fd.h"

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <sys/wait.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#ifndef PR_SET_PTRACER
#define PR_SET_PTRACER 0x59616d61
#endif

/* noDebug: nothing traces the program, so godap cannot see its exit:
 * run it as our child and report its pid, then its wait status, on the
 * socket; exit as it did. */
static int run_and_report(int fd, char **argv)
{
	pid_t pid = fork();
	if (pid < 0) {
		fprintf(stderr, "godap: fork: %s\n", strerror(errno));
		return 1;
	}
	if (pid == 0) {
		gd_close(fd);
		execvp(argv[0], argv);
		fprintf(stderr, "godap: cannot run %s: %s\n", argv[0],
			strerror(errno));
		_exit(127);
	}
	/* Ctrl-C in the terminal is for the program, as with system();
	 * cannot fail for these signals. */
	(void)signal(SIGINT, SIG_IGN);
	(void)signal(SIGQUIT, SIG_IGN);
	int32_t v = (int32_t)pid;
	if (write(fd, &v, sizeof(v)) != (ssize_t)sizeof(v))
		fprintf(stderr, "godap: the debugger went away\n");
	int st = 0;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	v = (int32_t)st;
	if (write(fd, &v, sizeof(v)) != (ssize_t)sizeof(v))
		fprintf(stderr, "godap: the debugger went away\n");
	return WIFEXITED(st) ? WEXITSTATUS(st)
	       : WIFSIGNALED(st) ? 128 + WTERMSIG(st) : 1;
}

int dap_launcher_main(int argc, char **argv)
{
	if (argc < 5 || strcmp(argv[3], "--") != 0) {
		fprintf(stderr, "usage: godap %s SOCKET -- PROGRAM [ARGS...]\n",
			DAP_LAUNCHER_FLAG);
		return 2;
	}
	const char *path = argv[2];
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	if (strlen(path) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "godap: socket path too long: %s\n", path);
		return 2;
	}
	memcpy(sa.sun_path, path, strlen(path) + 1);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		fprintf(stderr, "godap: cannot reach the debugger at %s: %s\n",
			path, strerror(errno));
		return 1;
	}
	/* Yama (ptrace_scope 1) lets only ancestors trace us; godap is not
	 * one: name it.  EINVAL: no Yama, nothing to do. */
	struct ucred peer;
	socklen_t len = sizeof(peer);
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &peer, &len) < 0) {
		fprintf(stderr, "godap: SO_PEERCRED: %s\n", strerror(errno));
		return 1;
	}
	if (prctl(PR_SET_PTRACER, (unsigned long)peer.pid, 0, 0, 0) < 0 &&
	    errno != EINVAL) {
		fprintf(stderr, "godap: PR_SET_PTRACER: %s\n", strerror(errno));
		return 1;
	}
	char c = 'r';
	if (write(fd, &c, 1) != 1) {
		fprintf(stderr, "godap: the debugger went away\n");
		return 1;
	}
	/* Wait until godap has seized us: one byte.  End of file means
	 * godap gave up: do not run the program untraced. */
	ssize_t n;
	while ((n = read(fd, &c, 1)) < 0 && errno == EINTR)
		;
	if (n != 1) {
		fprintf(stderr, "godap: the debugger went away before the "
			"program started\n");
		return 1;
	}
	if (c == 'n')
		return run_and_report(fd, argv + 4);
	execvp(argv[4], argv + 4);
	fprintf(stderr, "godap: cannot run %s: %s\n", argv[4], strerror(errno));
	return 127;
}
