/* --accept-multiclient (Delve's name): when the client goes away (it
 * disconnects without terminateDebuggee, or closes the connection), the
 * program stays under godap's control and the next client that connects
 * to the --listen socket takes over with an `attach`. */
#ifndef DAP_MULTICLIENT_H
#define DAP_MULTICLIENT_H

#include <cjson/cJSON.h>

struct dap_session;
struct dap_listener;

/* The session keeps listening on l (borrowed; the caller closes it after
 * the session ends). */
void dap_mc_enable(struct dap_session *s, struct dap_listener *l);
/* The client is gone (EOF or disconnect).  1 when the session lives on
 * and waits for the next client: the program runs on, or stays stopped
 * with suspend; 0 when the session ends as usual (no multiclient, or no
 * program under control). */
int dap_mc_client_gone(struct dap_session *s, int suspend);
/* 1 when no client is connected and there is no program left to keep
 * (it exited meanwhile): the session ends. */
int dap_mc_nothing_left(struct dap_session *s);
/* The listening socket the loop polls while no client is connected, or
 * -1. */
int dap_mc_listen_fd(const struct dap_session *s);
/* The listening socket is readable: take the client. */
void dap_mc_poll(struct dap_session *s);
/* attach from a client that joined a kept session: answered here (1),
 * or 0 when this is an ordinary attach. */
int dap_mc_attach(struct dap_session *s, const cJSON *req);
/* configurationDone of a joined client: answered here (1), with a
 * `stopped` event when the program is stopped; 0 otherwise. */
int dap_mc_configuration_done(struct dap_session *s, const cJSON *req);

#endif
