/* godap: a Debug Adapter Protocol server for Go programs on Linux amd64. */
#include "dap_session.h"
#include "../common/gd_fd.h"
#include "dap_listen.h"
#include "dap_multiclient.h"
#include "dap_launcher.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void usage(FILE *f)
{
	fprintf(f,
		"usage: godap [options]\n"
		"\n"
		"Debug Adapter Protocol server for Go programs (Linux amd64).\n"
		"By default it speaks DAP on stdin/stdout, as editors expect.\n"
		"\n"
		"options:\n"
		"  --listen HOST:PORT   accept one DAP client over TCP instead;\n"
		"                       :PORT and localhost:PORT mean 127.0.0.1;\n"
		"                       only clients of the same user get in\n"
		"  --listen unix:PATH   accept one DAP client on a Unix socket\n"
		"                       (created 0600; same user only)\n"
		"  --accept-multiclient with --listen: when the client leaves\n"
		"                       (disconnect without terminateDebuggee,\n"
		"                       or a closed connection) the program\n"
		"                       stays and the next client attaches\n"
		"  --allow-non-loopback let --listen use a non-loopback address\n"
		"                       (anyone who reaches it can run code as\n"
		"                       this user)\n"
		"  --log-file FILE      write the log to FILE (default: stderr\n"
		"                       with --verbose, otherwise no log)\n"
		"  -v, --verbose        log every DAP message\n"
		"  --version            print the version and exit\n"
		"  -h, --help           print this help and exit\n");
}

/* --log-file: created 0600 (it records the DAP conversation with -v),
 * never through a symlink, only a regular file. */
static FILE *open_log(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW |
				    O_CLOEXEC | O_NONBLOCK, 0600);
	if (fd < 0) {
		fprintf(stderr, "godap: cannot open log file %s: %s\n", path,
			errno == ELOOP ? "it is a symbolic link" : strerror(errno));
		return NULL;
	}
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		fprintf(stderr, "godap: log file %s is not a regular file\n",
			path);
		gd_close(fd);
		return NULL;
	}
	/* An existing log of ours loses any group/other access. */
	if (st.st_uid == getuid() && (st.st_mode & 077) &&
	    fchmod(fd, st.st_mode & 0700) < 0) {
		fprintf(stderr, "godap: cannot make log file %s private: %s\n",
			path, strerror(errno));
		gd_close(fd);
		return NULL;
	}
	int fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0) {
		gd_close(fd);
		return NULL;
	}
	FILE *f = fdopen(fd, "a");
	if (!f)
		gd_close(fd);
	return f;
}

int main(int argc, char **argv)
{
	/* In the client's terminal for console integratedTerminal: not a
	 * DAP server at all (see dap_launcher.h). */
	if (argc > 1 && strcmp(argv[1], DAP_LAUNCHER_FLAG) == 0)
		return dap_launcher_main(argc, argv);
	const char *listen_spec = NULL, *log_file = NULL;
	int allow_non_loopback = 0, multiclient = 0;
	gd_log log = {NULL, 0};
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--version") == 0) {
			printf("godap %s\n", GODAP_VERSION);
			return 0;
		} else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			usage(stdout);
			return 0;
		} else if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0) {
			log.verbose = 1;
		} else if (strcmp(a, "--listen") == 0 && i + 1 < argc) {
			listen_spec = argv[++i];
		} else if (strncmp(a, "--listen=", 9) == 0) {
			listen_spec = a + 9;
		} else if (strcmp(a, "--accept-multiclient") == 0) {
			multiclient = 1;
		} else if (strcmp(a, "--allow-non-loopback") == 0) {
			allow_non_loopback = 1;
		} else if (strcmp(a, "--log-file") == 0 && i + 1 < argc) {
			log_file = argv[++i];
		} else if (strncmp(a, "--log-file=", 11) == 0) {
			log_file = a + 11;
		} else {
			fprintf(stderr, "godap: unknown option '%s'\n", a);
			usage(stderr);
			return 2;
		}
	}
	if (log_file) {
		log.fp = open_log(log_file);
		if (!log.fp)
			return 2;
	} else {
		log.fp = stderr; /* info lines only; debug needs -v */
	}
	/* A client that goes away must not kill us before we clean up. */
	(void)signal(SIGPIPE, SIG_IGN); /* cannot fail for SIGPIPE */

	if (multiclient && !listen_spec) {
		fprintf(stderr, "godap: --accept-multiclient needs --listen\n");
		return 2;
	}
	int in_fd = 0, out_fd = 1;
	dap_listener listener = {-1, 0, 0, NULL};
	if (listen_spec) {
		dap_listen_opts lo = {listen_spec, allow_non_loopback};
		int fd;
		if (multiclient) {
			/* the socket stays open for the clients after this one */
			if (dap_listen_open(&lo, &listener, &log) < 0)
				return 1;
			fd = dap_listen_next(&listener, &log);
		} else {
			fd = dap_listen_accept(&lo, &log);
		}
		if (fd < 0) {
			dap_listen_close(&listener);
			return 1;
		}
		in_fd = out_fd = fd;
	}
	/* A pipe to the client holds 64 KiB: a 3 MB answer (the threads of
	 * 50 000 goroutines) would go in 48 turns with the client.  A bigger
	 * pipe where the system allows it; as it is otherwise (a socket, a
	 * terminal, or no permission). */
	struct stat ost;
	if (fstat(out_fd, &ost) == 0 && S_ISFIFO(ost.st_mode) &&
	    fcntl(out_fd, F_SETPIPE_SZ, 1 << 20) < 0)
		gd_log_debug(&log, "output pipe stays at its size: %s",
			     strerror(errno));
	gd_err err = GD_ERR_INIT;
	dap_session *s;
	if (dap_session_new(&s, in_fd, out_fd, &log, &err) < 0) {
		fprintf(stderr, "godap: %s\n", gd_err_msg(&err));
		gd_err_clear(&err);
		return 1;
	}
	if (multiclient)
		dap_mc_enable(s, &listener);
	int rc = dap_session_run(s);
	/* with --accept-multiclient the session may be on a later client */
	int last_fd = dap_session_client_fd(s);
	dap_session_free(s);
	if (listen_spec && last_fd >= 0)
		gd_close(last_fd);
	dap_listen_close(&listener);
	/* the log's last lines may be lost if this fails: nowhere left to
	 * say so */
	if (log_file)
		(void)fclose(log.fp);
	return rc;
}
