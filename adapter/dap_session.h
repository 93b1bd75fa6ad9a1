/* adapter/: one DAP session over a pair of file descriptors. */
#ifndef DAP_SESSION_H
#define DAP_SESSION_H

#include "../common/gd_err.h"
#include "../common/gd_log.h"

typedef struct dap_session dap_session;

int dap_session_new(dap_session **out, int in_fd, int out_fd, gd_log *log,
		    gd_err *err);
/* Runs until disconnect or end of input; returns the process exit code. */
int dap_session_run(dap_session *s);
/* The client's socket now (another one than at dap_session_new after an
 * --accept-multiclient reconnection), or -1 between clients. */
int dap_session_client_fd(const dap_session *s);
void dap_session_free(dap_session *s);

#endif
