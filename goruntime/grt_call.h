/* goruntime/: calling Go functions in the debuggee through the runtime's
 * debugger protocol (runtime.debugCallV2, Go 1.17+; the protocol is
 * written in runtime/asm_amd64.s and has not changed up to Go 1.27).
 *
 * goruntime does the Go side: which goroutine may call, the register-ABI
 * assignment of arguments and results from the callee's DWARF, the
 * protocol's steps (frame, arguments, results, panic, restore).  Running
 * the thread is the caller's business, through grt_call_driver: the
 * debugger layer resumes only the calling thread, waits for the
 * runtime's traps, lets user breakpoints inside the call pass, bounds the
 * time, and decides what else may run.
 *
 * Error convention: common/gd_err.h. */
#ifndef GRT_CALL_H
#define GRT_CALL_H

#include <stdint.h>
#include <sys/types.h>

#include "grt_value.h"

/* Why a call is refused where grt_scope.calls is not set. */
#define GRT_NOCALLS_DEFAULT "function calls are not made in breakpoint " \
	"conditions, log messages, hovers or variables: use the Debug Console " \
	"(evaluate in the repl) or a watch expression"

typedef struct grt_call_driver {
	void *ctx;
	/* Lets thread tid run until it stops at an int3 that is not one of
	 * the debugger's breakpoints (the runtime's protocol trap), or, when
	 * bp_addr is not 0, at the debugger's breakpoint there.  The rest of
	 * the program is held as far as the driver can.  0 when tid is
	 * stopped so; -1 on failure, with *timed_out set when it did not
	 * happen in the allowed time (the whole program is then stopped). */
	int (*run)(void *ctx, pid_t tid, uint64_t bp_addr, int *timed_out,
		   gd_err *err);
} grt_call_driver;

/* One value in or out of a call. */
typedef struct grt_call_val {
	char *name;   /* result name ("~r0" or the declared name); heap */
	grt_value v;
} grt_call_val;

void grt_call_vals_free(grt_call_val *v, size_t n);

/* ---- what the evaluator asks for (grt_call.c) ---- */

/* A callee: a function of the binary, maybe with a closure context
 * (RDX) and a receiver passed as its first argument. */
typedef struct grt_callee {
	uint64_t entry;   /* runtime address of the function */
	uint64_t die;     /* its DW_TAG_subprogram (DWARF offset) */
	const char *name; /* owned by the dwarf file */
	uint64_t closure; /* RDX; 0 for a plain function */
} grt_callee;

/* Finds function `name` (main.add, main.T.String, main.(*T).Warm).
 * -1 with "NAME is not in the binary (inlined or unused)" when the
 * linker removed it or the compiler inlined every call of it. */
int grt_callee_by_name(grt_target *t, const char *name, grt_callee *out,
		       gd_err *err);
/* The function a func value (a closure pointer) calls. */
int grt_callee_of_funcval(grt_target *t, uint64_t closure, grt_callee *out,
			  gd_err *err);

/* The callee's parameters (receiver first) and results, in order; heap
 * array of DWARF types, caller frees. */
typedef struct grt_sig {
	gdw_tref *params;
	size_t nparams;
	gdw_tref *results;
	char **result_names;
	size_t nresults;
} grt_sig;
int grt_callee_sig(grt_target *t, const grt_callee *c, grt_sig *out,
		   gd_err *err);
void grt_sig_free(grt_sig *s);

/* Calls c on goroutine s->goid with args (one per parameter, already of
 * the parameter's type).  Results as values of their own (bytes; those
 * that point into the program stay valid while it is stopped).  A panic
 * inside the call fails with "panic: VALUE" and *panicked set; the
 * goroutine is back where it was either way. */
int grt_call(grt_scope *s, const grt_callee *c, const grt_value *args,
	     size_t nargs, grt_call_val **results, size_t *nresults,
	     int *panicked, gd_err *err);

/* Calls runtime function fname whose parameters are all one word or less
 * (pointers, integers, bools), with those words; *result (may be NULL)
 * gets the first word of the first result. */
int grt_call_runtime(grt_scope *s, const char *fname, const uint64_t *words,
		     size_t nwords, uint64_t *result, gd_err *err);

/* Memory in the program's heap (runtime.mallocgc through a call): size
 * bytes of Go type rtype (a runtime type descriptor address; 0 for
 * memory without pointers), zeroed. */
int grt_call_alloc(grt_scope *s, uint64_t size, uint64_t rtype,
		   uint64_t *addr, gd_err *err);
/* Stores n bytes of a value of runtime type rtype at dst as Go code would:
 * a value with pointers going to the heap or a global is written by
 * runtime.typedmemmove (the GC's write barrier); anything else directly. */
int grt_call_store(grt_scope *s, uint64_t dst, uint64_t rtype,
		   const void *bytes, size_t n, gd_err *err);
/* A Go string with the given bytes, in the program's heap. */
int grt_call_string(grt_scope *s, const char *bytes, size_t len,
		    uint64_t *ptr, gd_err *err);

/* An expression whose top is a function call: every result (1), so a
 * call with several results can be shown as a tuple.  0 (nothing done)
 * when the expression is not a call of a function. */
int grt_eval_results(grt_scope *s, const gx_expr *e, grt_call_val **res,
		     size_t *n, gd_err *err);

/* ---- a call the driver gave up on (timeout) ----
 * The calling thread is left inside the call.  When it later reaches the
 * runtime's next trap (the program was resumed), the debugger layer hands
 * the stop here: the protocol is finished and the goroutine returns to
 * where it was.  1 when the trap was the abandoned call's (resume the
 * thread), 0 when not, -1 on error. */
int grt_call_pending_trap(grt_target *t, pid_t tid, gd_err *err);
/* 1 while an abandoned call is under way on thread tid (tid 0: any). */
int grt_call_pending(const grt_target *t, pid_t tid);

/* ---- holding user goroutines (sched.disable.user) ----
 * With every thread stopped: sets runtime.sched.disable.user so that no
 * user goroutine is scheduled from now on (they queue in the runtime),
 * unless sched.lock is held (then 0 and nothing is done).  1 when set.
 * grt_call undoes it at the end of the call (runtime.schedEnableUser). */
int grt_sched_hold_user(grt_target *t, gd_err *err);
/* Undoes grt_sched_hold_user by writing the runtime's state as
 * runtime.schedEnableUser would (held goroutines to the global run
 * queue), with every thread stopped; for when the whole program must run
 * during a call, or the call is left inside the runtime.  0 when done or
 * nothing was held; GD_EAGAIN (with a message) when a stopped thread
 * holds sched.lock: let the program run a moment and ask again. */
int grt_sched_unhold_user(grt_target *t, gd_err *err);

#endif
