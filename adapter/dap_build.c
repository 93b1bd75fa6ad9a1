/* mode "debug" / "test": builds the program with optimisations and inlining
 * off, into a temporary directory removed when the session ends. */
#include "dap_internal.h"
#include "../common/gd_buf.h"
#include "dap_build.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static int run_capture(char *const argv[], const char *cwd, char *const envp[],
		       gd_buf *out, int *status, gd_err *err)
{
	int pfd[2];
	if (pipe2(pfd, O_CLOEXEC) < 0)
		return gd_err_sys(err, "pipe");
	pid_t pid = fork();
	if (pid < 0) {
		close(pfd[0]);
		close(pfd[1]);
		return gd_err_sys(err, "fork");
	}
	if (pid == 0) {
		sigset_t none;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		int devnull = open("/dev/null", O_RDONLY);
		if (devnull >= 0)
			dup2(devnull, 0);
		dup2(pfd[1], 1);
		dup2(pfd[1], 2);
		if (cwd && chdir(cwd) < 0) {
			fprintf(stderr, "cannot change to %s: %s\n", cwd,
				strerror(errno));
			_exit(127);
		}
		execvpe(argv[0], argv, envp);
		fprintf(stderr, "cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(pfd[1]);
	char buf[4096];
	for (;;) {
		ssize_t n = read(pfd[0], buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		gd_buf_append(out, buf, (size_t)n);
	}
	close(pfd[0]);
	while (waitpid(pid, status, 0) < 0) {
		if (errno != EINTR)
			return gd_err_sys(err, "waitpid");
	}
	return 0;
}

int dap_build(dap_session *s, char *const envp[], char **binary,
	      char **tmpdir, gd_err *err)
{
	const dap_args_launch *c = &s->cfg;
	*binary = NULL;
	*tmpdir = NULL;
	struct stat st;
	if (stat(c->program, &st) < 0)
		return gd_err_sys(err, "cannot build '%s'", c->program);

	char *dir = NULL, *target = NULL, *out = NULL;
	int rc = -1;
	if (S_ISDIR(st.st_mode)) {
		dir = strdup(c->program);
		target = strdup(".");
	} else {
		char *a = strdup(c->program), *b = strdup(c->program);
		dir = a ? strdup(dirname(a)) : NULL;
		/* "./" so that a file named "-toolexec=..." is a path to go
		 * build, never one of its flags. */
		if (b && asprintf(&target, "./%s", basename(b)) < 0)
			target = NULL;
		free(a);
		free(b);
	}
	char tmpl[] = "/tmp/godap-build-XXXXXX";
	if (!dir || !target)
		goto oom;
	if (c->output && c->output[0]) {
		out = strdup(c->output);
	} else {
		if (!mkdtemp(tmpl)) {
			gd_err_sys(err, "mkdtemp");
			goto done;
		}
		*tmpdir = strdup(tmpl);
		if (asprintf(&out, "%s/__debug_bin", tmpl) < 0)
			out = NULL;
	}
	if (!out)
		goto oom;

	/* go build|test -c -gcflags=all=-N -l -o OUT [buildFlags] TARGET */
	size_t nflags = c->nbuild_flags;
	char **argv = calloc(nflags + 10, sizeof(char *));
	if (!argv)
		goto oom;
	size_t k = 0;
	argv[k++] = "go";
	if (c->mode && strcmp(c->mode, "test") == 0) {
		argv[k++] = "test";
		argv[k++] = "-c";
	} else {
		argv[k++] = "build";
	}
	argv[k++] = "-gcflags=all=-N -l";
	argv[k++] = "-o";
	argv[k++] = out;
	for (size_t i = 0; i < nflags; i++)
		argv[k++] = c->build_flags[i];
	argv[k++] = target;
	argv[k] = NULL;

	gd_buf text = GD_BUF_INIT;
	int status = 0;
	gd_log_info(s->log, "building %s in %s", target, dir);
	if (run_capture(argv, dir, envp, &text, &status, err) < 0) {
		free(argv);
		gd_buf_free(&text);
		goto done;
	}
	free(argv);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		gd_err_set(err, "build of '%s' failed:\n%s", c->program,
			   text.data ? text.data : "(no output)");
		gd_buf_free(&text);
		goto done;
	}
	gd_buf_free(&text);
	*binary = out;
	out = NULL;
	rc = 0;
	goto done;
oom:
	gd_err_set(err, "out of memory");
done:
	if (rc < 0 && *tmpdir) {
		if (out)
			unlink(out);
		rmdir(*tmpdir);
		free(*tmpdir);
		*tmpdir = NULL;
	}
	free(out);
	free(dir);
	free(target);
	return rc;
}
