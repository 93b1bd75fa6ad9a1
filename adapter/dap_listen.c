/* See dap_listen.h.  Why the checks: whoever speaks DAP to godap can launch
 * any program (buildFlags -toolexec) and attach to any process of our user,
 * so a socket must let in no one else.  TCP has no peer credentials; on
 * loopback the peer's socket is ours to see in /proc/net/tcp, with its
 * owner's uid (Delve's --only-same-user does the same). */
#include "dap_listen.h"
#include "../common/gd_fd.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

static int is_loopback(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
		return (ntohl(in->sin_addr.s_addr) >> 24) == 127;
	}
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
		if (IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr))
			return 1;
		if (IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr))
			return in6->sin6_addr.s6_addr[12] == 127;
	}
	return 0;
}

/* "ADDR:PORT" as /proc/net/tcp prints it: the address words as stored in
 * memory printed with %08X, the port in host order with %04X. */
static int proc_addr(const struct sockaddr *sa, char *out, size_t n)
{
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
		return snprintf(out, n, "%08X:%04X", in->sin_addr.s_addr,
				ntohs(in->sin_port));
	}
	const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
	uint32_t w[4];
	memcpy(w, &in6->sin6_addr, sizeof(w));
	return snprintf(out, n, "%08X%08X%08X%08X:%04X", w[0], w[1], w[2],
			w[3], ntohs(in6->sin6_port));
}

int dap_listen_tcp_uid(const char *procdir, const struct sockaddr *local,
		       const struct sockaddr *remote, unsigned *uid)
{
	/* The peer's socket has our remote end as its local address. */
	char want_l[64], want_r[64];
	/* the length is not needed: the text (37 characters at most)
	 * always fits */
	(void)proc_addr(remote, want_l, sizeof(want_l));
	(void)proc_addr(local, want_r, sizeof(want_r));
	char *path = NULL;
	if (asprintf(&path, "%s/%s", procdir,
		     remote->sa_family == AF_INET ? "tcp" : "tcp6") < 0)
		return -1;
	FILE *f = fopen(path, "re");
	free(path);
	if (!f)
		return -1;
	char *line = NULL;
	size_t cap = 0;
	int rc = 1;
	while (rc == 1 && getline(&line, &cap, f) > 0) {
		/* sl local rem st tx:rx tr:when retrnsmt uid ... */
		char *save = NULL, *fld[8];
		int k = 0;
		for (char *t = strtok_r(line, " \t\n", &save); t && k < 8;
		     t = strtok_r(NULL, " \t\n", &save))
			fld[k++] = t;
		if (k < 8 || strcmp(fld[1], want_l) != 0 ||
		    strcmp(fld[2], want_r) != 0)
			continue;
		char *end;
		errno = 0;
		unsigned long u = strtoul(fld[7], &end, 10);
		if (errno || *end || end == fld[7])
			continue;
		*uid = (unsigned)u;
		rc = 0;
	}
	free(line);
	(void)fclose(f); /* read only: nothing to lose */
	return rc;
}

/* 1: the client may talk to us; 0: not (why is logged). */
static int peer_ok(int fd, int is_unix, int check_uid, gd_log *log)
{
	uid_t me = getuid();
	if (is_unix) {
		struct ucred cr;
		socklen_t len = sizeof(cr);
		if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) < 0) {
			gd_log_info(log, "refusing a client: SO_PEERCRED: %s",
				    strerror(errno));
			return 0;
		}
		if (cr.uid != me) {
			gd_log_info(log, "refusing a client of uid %u (pid %d): "
				    "only uid %u may connect", (unsigned)cr.uid,
				    (int)cr.pid, (unsigned)me);
			return 0;
		}
		return 1;
	}
	struct sockaddr_storage l, r;
	socklen_t ll = sizeof(l), rl = sizeof(r);
	if (getsockname(fd, (struct sockaddr *)&l, &ll) < 0 ||
	    getpeername(fd, (struct sockaddr *)&r, &rl) < 0) {
		gd_log_info(log, "refusing a client: %s", strerror(errno));
		return 0;
	}
	/* A peer on another host cannot be checked (only allowed with
	 * --allow-non-loopback); one on this host always is. */
	if (!check_uid && !is_loopback((struct sockaddr *)&r))
		return 1;
	unsigned uid = 0;
	int rc = dap_listen_tcp_uid("/proc/net", (struct sockaddr *)&l,
				    (struct sockaddr *)&r, &uid);
	if (rc != 0) {
		gd_log_info(log, "refusing a client: its socket is not in "
			    "/proc/net/tcp%s (cannot tell its user)",
			    r.ss_family == AF_INET ? "" : "6");
		return 0;
	}
	if (uid != me) {
		gd_log_info(log, "refusing a client of uid %u: only uid %u "
			    "may connect", uid, (unsigned)me);
		return 0;
	}
	return 1;
}

static int listen_unix(const char *path)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	if (strlen(path) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "godap: socket path too long\n");
		return -1;
	}
	memcpy(sa.sun_path, path, strlen(path) + 1);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		fprintf(stderr, "godap: socket: %s\n", strerror(errno));
		return -1;
	}
	/* bind() creates the file with the umask applied: 0177 makes it
	 * 0600 from the start, with no window for anyone else. */
	mode_t old = umask(0177);
	int brc = bind(fd, (struct sockaddr *)&sa, sizeof(sa));
	int berr = errno;
	umask(old);
	if (brc < 0 || listen(fd, 4) < 0) {
		fprintf(stderr, "godap: cannot listen on unix:%s: %s\n", path,
			strerror(brc < 0 ? berr : errno));
		gd_close(fd);
		return -1;
	}
	return fd;
}

static int listen_tcp(const dap_listen_opts *o, int *loopback)
{
	const char *colon = strrchr(o->spec, ':');
	if (!colon) {
		fprintf(stderr, "godap: --listen wants HOST:PORT, :PORT or "
			"unix:PATH\n");
		return -1;
	}
	char *host = strndup(o->spec, (size_t)(colon - o->spec));
	if (!host)
		return -1;
	/* [::1]:PORT */
	size_t hl = strlen(host);
	if (hl >= 2 && host[0] == '[' && host[hl - 1] == ']') {
		memmove(host, host + 1, hl - 2);
		host[hl - 2] = '\0';
	}
	int local_name = host[0] == '\0' || strcmp(host, "localhost") == 0;
	struct addrinfo hints = {.ai_family = local_name ? AF_INET : AF_UNSPEC,
				 .ai_socktype = SOCK_STREAM,
				 .ai_flags = AI_NUMERICSERV};
	struct addrinfo *ai = NULL;
	int rc = getaddrinfo(local_name ? "127.0.0.1" : host, colon + 1,
			     &hints, &ai);
	free(host);
	if (rc != 0) {
		fprintf(stderr, "godap: --listen %s: %s\n", o->spec,
			gai_strerror(rc));
		return -1;
	}
	*loopback = is_loopback(ai->ai_addr);
	if (!*loopback && !o->allow_non_loopback) {
		fprintf(stderr,
			"godap: --listen %s is not a loopback address: anyone "
			"who reaches it could run code as this user.  Use "
			"127.0.0.1:PORT, or add --allow-non-loopback if you "
			"really mean it.\n", o->spec);
		freeaddrinfo(ai);
		return -1;
	}
	if (!*loopback)
		fprintf(stderr,
			"godap: WARNING: listening on %s, which is not a "
			"loopback address: anyone who can reach it can run "
			"code as this user, and their user cannot be "
			"checked.\n", o->spec);
	int fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int one = 1;
	if (fd >= 0 &&
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0) {
		gd_close(fd);
		fd = -1;
	}
	if (fd < 0 || bind(fd, ai->ai_addr, ai->ai_addrlen) < 0 ||
	    listen(fd, 4) < 0) {
		fprintf(stderr, "godap: cannot listen on %s: %s\n", o->spec,
			strerror(errno));
		if (fd >= 0)
			gd_close(fd);
		freeaddrinfo(ai);
		return -1;
	}
	freeaddrinfo(ai);
	return fd;
}

/* Prints where we listen (with the real port when it was 0). */
static void announce(int lfd, const dap_listen_opts *o, int is_unix,
		     gd_log *log)
{
	char where[INET6_ADDRSTRLEN + 16] = "";
	if (!is_unix) {
		struct sockaddr_storage a;
		socklen_t al = sizeof(a);
		char host[INET6_ADDRSTRLEN] = "";
		if (getsockname(lfd, (struct sockaddr *)&a, &al) == 0) {
			if (a.ss_family == AF_INET) {
				struct sockaddr_in *in = (struct sockaddr_in *)&a;
				inet_ntop(AF_INET, &in->sin_addr, host, sizeof(host));
				snprintf(where, sizeof(where), "%s:%u", host,
					 ntohs(in->sin_port));
			} else {
				struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&a;
				inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof(host));
				snprintf(where, sizeof(where), "[%s]:%u", host,
					 ntohs(in6->sin6_port));
			}
		}
	}
	const char *w = is_unix || !where[0] ? o->spec : where;
	fprintf(stderr, "godap: listening at: %s\n", w);
	if (log->fp && log->fp != stderr)
		gd_log_info(log, "listening at: %s", w);
}

int dap_listen_open(const dap_listen_opts *o, dap_listener *l, gd_log *log)
{
	memset(l, 0, sizeof(*l));
	l->is_unix = strncmp(o->spec, "unix:", 5) == 0;
	l->fd = l->is_unix ? listen_unix(o->spec + 5) : listen_tcp(o, &l->loopback);
	if (l->fd < 0)
		return -1;
	if (l->is_unix && !(l->unix_path = strdup(o->spec + 5))) {
		gd_close(l->fd);
		l->fd = -1;
		return -1;
	}
	announce(l->fd, o, l->is_unix, log);
	return 0;
}

int dap_listen_try(dap_listener *l, gd_log *log)
{
	int cfd = accept4(l->fd, NULL, NULL, SOCK_CLOEXEC);
	if (cfd < 0) {
		if (errno != EINTR && errno != ECONNABORTED && errno != EAGAIN)
			gd_log_info(log, "accept: %s", strerror(errno));
		return -1;
	}
	if (peer_ok(cfd, l->is_unix, l->loopback, log))
		return cfd;
	gd_close(cfd);
	return -1;
}

/* SIGTERM, SIGINT or SIGHUP while no client is in yet: the socket (and a
 * Unix socket's file) is removed, then godap dies of the signal as it
 * would have without handling it. */
static void die_of(dap_listener *l, int sig, const sigset_t *old)
{
	dap_listen_close(l);
	/* cannot fail (valid signal, valid mask); _exit below if the
	 * signal does not end us */
	(void)signal(sig, SIG_DFL);
	(void)sigprocmask(SIG_SETMASK, old, NULL);
	raise(sig);
	_exit(128 + sig);
}

int dap_listen_next(dap_listener *l, gd_log *log)
{
	sigset_t term, old;
	sigemptyset(&term);
	sigaddset(&term, SIGTERM);
	sigaddset(&term, SIGINT);
	sigaddset(&term, SIGHUP);
	int sfd = -1;
	if (sigprocmask(SIG_BLOCK, &term, &old) == 0)
		sfd = signalfd(-1, &term, SFD_CLOEXEC);
	int cfd = -1;
	for (;;) {
		struct pollfd pf[2] = {{l->fd, POLLIN, 0}, {sfd, POLLIN, 0}};
		if (poll(pf, sfd >= 0 ? 2 : 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "godap: poll: %s\n", strerror(errno));
			break;
		}
		struct signalfd_siginfo si;
		if (sfd >= 0 && pf[1].revents &&
		    read(sfd, &si, sizeof(si)) == (ssize_t)sizeof(si))
			die_of(l, (int)si.ssi_signo, &old);
		if (!pf[0].revents)
			continue;
		cfd = accept4(l->fd, NULL, NULL, SOCK_CLOEXEC);
		if (cfd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			fprintf(stderr, "godap: accept: %s\n", strerror(errno));
			break;
		}
		if (peer_ok(cfd, l->is_unix, l->loopback, log))
			break;
		gd_close(cfd);
		cfd = -1;
	}
	if (sfd >= 0)
		gd_close(sfd);
	/* cannot fail: the mask sigprocmask gave us back */
	(void)sigprocmask(SIG_SETMASK, &old, NULL);
	return cfd;
}

void dap_listen_close(dap_listener *l)
{
	if (l->fd >= 0)
		gd_close(l->fd);
	l->fd = -1;
	/* best effort at the end: the file may be gone already */
	if (l->unix_path)
		(void)unlink(l->unix_path);
	free(l->unix_path);
	l->unix_path = NULL;
}

int dap_listen_accept(const dap_listen_opts *o, gd_log *log)
{
	dap_listener l;
	if (dap_listen_open(o, &l, log) < 0)
		return -1;
	int cfd = dap_listen_next(&l, log);
	dap_listen_close(&l);
	return cfd;
}
