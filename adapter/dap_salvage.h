/* What can still be read of a DAP message whose JSON does not parse (a
 * lone "\ud800" escape, a cut body...), so that it can be answered. */
#ifndef DAP_SALVAGE_H
#define DAP_SALVAGE_H

#include <stddef.h>

typedef struct dap_salvage {
	int have_seq;
	long long seq;     /* top-level "seq" when a plain non-negative integer */
	char *command;     /* top-level "command" (heap) when a string without
	                      escapes, else NULL */
	int is_request;    /* top-level "type" is "request" */
} dap_salvage;

/* Walks the top-level object of body[0, len) as far as it is well formed
 * enough to skip members (strings with any escapes, nested brackets),
 * picking seq, command and type.  Never reads past len; no recursion.
 * Returns 0, or -1 when out of memory (out is then empty). */
int dap_salvage_scan(const char *body, size_t len, dap_salvage *out);
void dap_salvage_free(dap_salvage *sv);

#endif
