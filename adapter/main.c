/* godap: a Debug Adapter Protocol server for Go programs on Linux amd64. */
#include "dap_session.h"

#include <errno.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
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
		"  --listen HOST:PORT   accept one DAP client over TCP instead\n"
		"  --listen unix:PATH   accept one DAP client on a Unix socket\n"
		"  --log-file FILE      write the log to FILE (default: stderr\n"
		"                       with --verbose, otherwise no log)\n"
		"  -v, --verbose        log every DAP message\n"
		"  --version            print the version and exit\n"
		"  -h, --help           print this help and exit\n");
}

/* Listens, accepts one client, and returns its socket. */
static int accept_one(const char *spec, gd_log *log)
{
	int lfd = -1;
	if (strncmp(spec, "unix:", 5) == 0) {
		struct sockaddr_un sa = {.sun_family = AF_UNIX};
		if (strlen(spec + 5) >= sizeof(sa.sun_path)) {
			fprintf(stderr, "godap: socket path too long\n");
			return -1;
		}
		strcpy(sa.sun_path, spec + 5);
		lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (lfd < 0 || bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
		    listen(lfd, 1) < 0) {
			fprintf(stderr, "godap: cannot listen on %s: %s\n", spec,
				strerror(errno));
			if (lfd >= 0)
				close(lfd);
			return -1;
		}
	} else {
		const char *colon = strrchr(spec, ':');
		if (!colon) {
			fprintf(stderr, "godap: --listen wants HOST:PORT or unix:PATH\n");
			return -1;
		}
		char *host = strndup(spec, (size_t)(colon - spec));
		if (!host)
			return -1;
		struct addrinfo hints = {.ai_family = AF_UNSPEC,
					 .ai_socktype = SOCK_STREAM,
					 .ai_flags = AI_PASSIVE};
		struct addrinfo *ai = NULL;
		int rc = getaddrinfo(host[0] ? host : NULL, colon + 1, &hints, &ai);
		free(host);
		if (rc != 0) {
			fprintf(stderr, "godap: %s: %s\n", spec, gai_strerror(rc));
			return -1;
		}
		lfd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
		int one = 1;
		if (lfd >= 0)
			setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (lfd < 0 || bind(lfd, ai->ai_addr, ai->ai_addrlen) < 0 ||
		    listen(lfd, 1) < 0) {
			fprintf(stderr, "godap: cannot listen on %s: %s\n", spec,
				strerror(errno));
			freeaddrinfo(ai);
			if (lfd >= 0)
				close(lfd);
			return -1;
		}
		freeaddrinfo(ai);
	}
	fprintf(stderr, "godap: listening on %s\n", spec);
	gd_log_info(log, "listening on %s", spec);
	int cfd;
	while ((cfd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC)) < 0 && errno == EINTR)
		;
	if (cfd < 0)
		fprintf(stderr, "godap: accept: %s\n", strerror(errno));
	close(lfd);
	if (strncmp(spec, "unix:", 5) == 0)
		unlink(spec + 5);
	return cfd;
}

int main(int argc, char **argv)
{
	const char *listen_spec = NULL, *log_file = NULL;
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
		log.fp = fopen(log_file, "a");
		if (!log.fp) {
			fprintf(stderr, "godap: cannot open log file %s: %s\n",
				log_file, strerror(errno));
			return 2;
		}
	} else {
		log.fp = stderr; /* info lines only; debug needs -v */
	}
	/* A client that goes away must not kill us before we clean up. */
	signal(SIGPIPE, SIG_IGN);

	int in_fd = 0, out_fd = 1;
	if (listen_spec) {
		int fd = accept_one(listen_spec, &log);
		if (fd < 0)
			return 1;
		in_fd = out_fd = fd;
	}
	gd_err err = GD_ERR_INIT;
	dap_session *s;
	if (dap_session_new(&s, in_fd, out_fd, &log, &err) < 0) {
		fprintf(stderr, "godap: %s\n", gd_err_msg(&err));
		gd_err_clear(&err);
		return 1;
	}
	int rc = dap_session_run(s);
	dap_session_free(s);
	if (listen_spec)
		close(in_fd);
	if (log_file)
		fclose(log.fp);
	return rc;
}
