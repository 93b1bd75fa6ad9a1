/* --listen: one DAP client over TCP or a Unix socket, and only the user
 * godap runs as (see README, "Security"). */
#ifndef DAP_LISTEN_H
#define DAP_LISTEN_H

#include "../common/gd_log.h"

typedef struct dap_listen_opts {
	const char *spec;        /* "HOST:PORT", ":PORT" or "unix:PATH" */
	int allow_non_loopback;  /* --allow-non-loopback */
} dap_listen_opts;

/* Listens on opts->spec and returns the socket of the first client that
 * passes the checks (others are told nothing and closed; godap goes on
 * listening), or -1 after printing why on stderr.
 *   ":PORT", "localhost:PORT": 127.0.0.1 only.
 *   another HOST: refused unless it is a loopback address or
 *     allow_non_loopback is set (then a warning is printed).
 *   on a loopback address: the peer's uid (the owner of its socket in
 *     /proc/net/tcp or tcp6) must be ours.
 *   "unix:PATH": the socket is created 0600 whatever the umask; the peer's
 *     uid (SO_PEERCRED) must be ours. */
int dap_listen_accept(const dap_listen_opts *opts, gd_log *log);

/* --accept-multiclient: the listening socket stays open for the session,
 * and each client after the first is taken when it connects. */
typedef struct dap_listener {
	int fd;            /* listening socket, -1 when closed */
	int is_unix, loopback;
	char *unix_path;   /* heap; unlinked at close */
} dap_listener;
/* Listens on opts->spec with the checks above and prints where. */
int dap_listen_open(const dap_listen_opts *opts, dap_listener *l, gd_log *log);
/* The next client that passes the checks (blocks), or -1. */
int dap_listen_next(dap_listener *l, gd_log *log);
/* One accept on a listener poll() found readable: the client's socket,
 * or -1 (refused, or nobody after all). */
int dap_listen_try(dap_listener *l, gd_log *log);
void dap_listen_close(dap_listener *l);

/* The uid owning the TCP socket whose local end is `local` and remote end
 * `remote` (both struct sockaddr_in / sockaddr_in6), read from
 * /proc/net/tcp (or tcp6) under procdir ("/proc/net" normally).  0 found,
 * 1 not found, -1 cannot read. */
struct sockaddr;
int dap_listen_tcp_uid(const char *procdir, const struct sockaddr *local,
		       const struct sockaddr *remote, unsigned *uid);

#endif
