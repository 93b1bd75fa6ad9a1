/* The function-call driver (dap_call.c): what goruntime's grt_call needs
 * to run the calling thread.  Lives on the stack of the request that
 * evaluates; grt_scope.calls points at drv. */
#ifndef DAP_CALL_H
#define DAP_CALL_H

#include "../goruntime/grt_call.h"

struct dap_session;
typedef struct dap_calldrv {
	grt_call_driver drv;
	struct dap_session *s;
	int timeout_s;
	int stage;  /* 0 calling thread only, 1 runtime threads, 2 all */
	int noted;  /* the console line was sent */
} dap_calldrv;

void dap_calldrv_init(dap_calldrv *d, struct dap_session *s);

#endif
