/* core/: libunwind over a target, for frames outside Go's own call frame
 * information (the vDSO, C code).  A live process is unwound with
 * libunwind-ptrace, a core file with libunwind-coredump; the caller drives
 * the cursor the same way for both. */
#ifndef CORE_UNWIND_H
#define CORE_UNWIND_H

#include <libunwind.h>

#include "core_target.h"

typedef struct core_unwinder {
	unw_addr_space_t as; /* for unw_init_remote */
	void *arg;           /* ditto */
	void *priv;          /* the backend's */
} core_unwinder;

/* Prepares to unwind thread tid from its registers.  Every successful
 * core_unwind_begin is paired with core_unwind_end. */
int core_unwind_begin(core_proc *p, pid_t tid, core_unwinder *out,
		      gd_err *err);
void core_unwind_end(core_proc *p, core_unwinder *u);

#endif
