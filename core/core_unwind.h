/* core/: libunwind over a target, for frames outside Go's own call frame
 * information (the vDSO, C code).  A live process is unwound with
 * libunwind-ptrace, a core file with libunwind's unwinder over accessors of
 * our own (core_file_unwind.c); the caller drives the cursor the same way
 * for both. */
#ifndef CORE_UNWIND_H
#define CORE_UNWIND_H

#include <libunwind.h>

#include "core_target.h"

typedef struct core_unwinder {
	unw_addr_space_t as; /* for unw_init_remote */
	void *arg;           /* ditto */
	void *priv;          /* the backend's */
} core_unwinder;

/* Prepares to unwind thread tid.  from NULL: from the thread's registers.
 * Else frame 0 has the registers *from (copied): a frame further down the
 * thread's stacks, where a walk in Go's own frame information reached code
 * it does not describe (the C code a signal interrupted, the C caller of a
 * cgo callback).  Every successful core_unwind_begin is paired with
 * core_unwind_end. */
int core_unwind_begin(core_proc *p, pid_t tid,
		      const struct user_regs_struct *from, core_unwinder *out,
		      gd_err *err);
void core_unwind_end(core_proc *p, core_unwinder *u);

#endif
