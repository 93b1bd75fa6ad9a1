#ifndef DAP_BUILD_H
#define DAP_BUILD_H

#include "dap_internal.h"

/* Builds s->cfg.program for debugging.  *binary is the built file;
 * *tmpdir (may be NULL when 'output' was given) is ours to remove. */
int dap_build(dap_session *s, char *const envp[], char **binary,
	      char **tmpdir, gd_err *err);

#endif
