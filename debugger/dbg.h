/* debugger/: the debugger below the DAP adapter.  It owns the target (the
 * process through core/, its DWARF through dwarf/, the Go runtime view
 * through goruntime/), the breakpoints with their ids, the run loop, the
 * stepping, and the meaning of every stop.  It knows nothing of DAP or
 * JSON: it reports stops and other happenings through one callback
 * (dbg_event), and paths are the caller's business (it is given the
 * binary's paths, and keeps a client's "source" key only as an opaque
 * string).
 *
 * One dbg per debugging session; no global state.  The dbg exists before
 * the target does (breakpoints may be set first) and can end its target
 * and live on.
 *
 * Error convention: common/gd_err.h. */
#ifndef DBG_H
#define DBG_H

#include <stdint.h>
#include <stddef.h>
#include <sys/types.h>

#include "../common/gd_err.h"
#include "../common/gd_log.h"
#include "../goruntime/grt.h"
#include "../goruntime/grt_value.h"

typedef struct dbg dbg;

/* ---- events ---- */
typedef enum dbg_event_kind {
	DBG_EV_STOPPED, /* every thread is stopped; see reason */
	DBG_EV_EXITED,  /* the process is gone (exit_code) */
	DBG_EV_OUTPUT,  /* text for the user's console (a logpoint, or why a
			 * breakpoint condition could not be evaluated) */
} dbg_event_kind;

typedef enum dbg_stop_reason {
	DBG_STOP_ENTRY,       /* launched, nothing run yet (stopOnEntry) */
	DBG_STOP_BREAKPOINT,  /* a line breakpoint, or an int3 in the program */
	DBG_STOP_FUNCTION_BREAKPOINT,
	DBG_STOP_INSTRUCTION_BREAKPOINT,
	DBG_STOP_STEP,
	DBG_STOP_PAUSE,       /* asked for, or an attached program caught */
	DBG_STOP_EXCEPTION,   /* see dbg_exception */
	DBG_STOP_DATA_BREAKPOINT,
	DBG_STOP_GOTO,        /* dbg_goto moved the goroutine */
} dbg_stop_reason;

struct dbg_bp_view;

/* Valid only during the callback (pointers borrowed from the dbg). */
typedef struct dbg_event {
	dbg_event_kind kind;
	/* DBG_EV_STOPPED */
	dbg_stop_reason reason;
	uint64_t thread_id;  /* a goroutine id, or an OS thread id when the
			      * thread runs no goroutine */
	const int *bp_ids;   /* the breakpoints that asked for this stop */
	size_t nbp_ids;
	const char *description; /* exception and data breakpoint: what
				  * happened ("x changed from 1 to 2"); NULL */
	/* DBG_EV_EXITED */
	int exit_code;
	int exit_signal; /* the signal that killed it, else 0 */
	/* DBG_EV_OUTPUT (thread_id: the goroutine of a logpoint) */
	const char *text;
	const struct dbg_bp_view *bp; /* the logpoint that printed, or NULL */
} dbg_event;

/* What the dbg calls back.  event is called from inside dbg calls
 * (dbg_on_child, dbg_continue, dbg_pause, dbg_initial_stop, a function
 * call, ...) and must not call back into the dbg except for the read-only
 * getters. */
typedef void (*dbg_event_fn)(void *ctx, const dbg_event *ev);
typedef struct dbg_hooks {
	dbg_event_fn event;
	/* While a function call runs the program: wait up to timeout_ms for
	 * a child's status change (SIGCHLD), reading the program's output
	 * meanwhile so that a full pipe cannot block the call.  NULL: the
	 * dbg sleeps a millisecond at a time. */
	void (*wait)(void *ctx, int timeout_ms);
	/* 1 when a function call under way must give up (the user paused or
	 * left): it is left inside, as a timed-out one.  NULL: never. */
	int (*interrupted)(void *ctx);
	void *ctx;
} dbg_hooks;

/* log is borrowed (it must outlive the dbg); hooks are copied. */
int dbg_new(dbg **out, gd_log *log, const dbg_hooks *hooks, gd_err *err);
/* Ends the target (as dbg_end(d, DBG_END_DEFAULT)) and frees everything. */
void dbg_free(dbg *d);

/* ---- the target ---- */
typedef struct dbg_launch_opts {
	const char *binary;   /* the Go executable to run and to read */
	char *const *argv;    /* argv[0] included */
	char *const *envp;    /* full environment */
	const char *cwd;      /* NULL: inherit */
	int stdin_fd, stdout_fd, stderr_fd; /* dup2'ed onto 0, 1, 2; -1 keeps */
	/* Not 0: the program is not started by us but by a launcher (pid,
	 * in the client's terminal) blocked on gate_fd, about to exec
	 * binary; argv, envp, cwd and the fds are then the launcher's. */
	pid_t seize_pid;
	int gate_fd;
} dbg_launch_opts;

/* Starts the program stopped before its first instruction, then resolves
 * the breakpoints set so far.  The fds in o stay the caller's. */
int dbg_launch(dbg *d, const dbg_launch_opts *o, gd_err *err);
/* Seizes a running process and stops it. */
int dbg_attach(dbg *d, pid_t pid, gd_err *err);
/* Opens core file core_path of program exe (launch mode "core"): a target
 * that can be read as at a stop but never runs or changes.  Breakpoints
 * stay unverified with DBG_ERR_IS_CORE. */
int dbg_open_corefile(dbg *d, const char *exe, const char *core_path,
		  gd_err *err);
/* 1 when the target is a core file. */
int dbg_is_corefile(const dbg *d);
/* What is said to every request that would run or change a core. */
#define DBG_ERR_IS_CORE CORE_ERR_IS_CORE
/* 1 once launch or attach succeeded, until dbg_end. */
int dbg_has_target(const dbg *d);
int dbg_attached(const dbg *d);
/* 1 while the program runs (between dbg_continue and the stop event). */
int dbg_running(const dbg *d);
/* 1 when the process is known to be gone. */
int dbg_exited(const dbg *d);
/* The program is not running (stopped, or not yet configured): if it died
 * meanwhile (killed by someone else), reports DBG_EV_EXITED now. */
void dbg_check_gone(dbg *d);
/* How dbg_end leaves the program. */
typedef enum dbg_end_how {
	DBG_END_DEFAULT, /* a launched program is killed, an attached one
			  * detached (and left running) */
	DBG_END_KILL,    /* killed, attached or not */
	DBG_END_DETACH,  /* detached and left running, launched or not */
} dbg_end_how;
/* Removes the step, the breakpoints' int3s and the watchpoints from a
 * program that lives on, then kills or detaches it.  Breakpoint records
 * stay (unverified) for the next target.  Safe without a target. */
void dbg_end(dbg *d, dbg_end_how how);
/* The process id, 0 without a target. */
pid_t dbg_pid(const dbg *d);
/* Why breakpoints cannot be verified while there is no target (noDebug
 * says so); NULL: "the program is not started yet".  Copied. */
void dbg_set_unavailable(dbg *d, const char *why);

/* The Go runtime view for reading values: owned by d, NULL without a
 * target; valid until dbg_end. */
grt_target *dbg_rt(dbg *d);
/* The binary's DWARF: owned by d, NULL without a target. */
gdw_file *dbg_dwarf(dbg *d);
/* The goroutine the user is on (the last stop's, or the step's). */
uint64_t dbg_current_goid(const dbg *d);

/* ---- running ---- */
/* The stopOnEntry stop (DBG_STOP_ENTRY) after launch (on the main
 * thread: there are no goroutines yet) or attach (on the goroutine a
 * pause would show): reported through the callback, nothing runs. */
void dbg_initial_stop(dbg *d);
/* A core file's stop (after configurationDone): an exception stop on the
 * goroutine that crashed, saying why (dbg_exception_get), or, when it did
 * not crash, a pause on a goroutine of the program. */
void dbg_corefile_stop(dbg *d);
/* Resumes every thread (or runs the instruction step armed by dbg_step).
 * Stops are reported later, through dbg_on_child. */
int dbg_continue(dbg *d, gd_err *err);
/* Stops every thread and reports DBG_STOP_PAUSE (nothing if not running). */
int dbg_pause(dbg *d, gd_err *err);
/* Call when SIGCHLD arrived, or when dbg_wants_poll says so: handles
 * every pending stop, reporting the ones the user sees. */
void dbg_on_child(dbg *d);
/* 1 when a stop is waiting that no SIGCHLD will announce: call
 * dbg_on_child without waiting. */
int dbg_wants_poll(const dbg *d);

/* stepHoldsOthers (gdb's scheduler-locking step), default off: a step's
 * resume (dbg_step then dbg_continue) runs only the stepped goroutine's
 * thread, every other thread held stopped as during function calls, until
 * the step ends -- or until that thread blocks in the kernel (a lock, a
 * channel, the GC) or the hold has lasted 2 s, when everything runs as
 * without it and the step goes on.  A goroutine on no thread is stepped as
 * without it.  While a hold lasts, call dbg_hold_tick after at most
 * dbg_hold_timeout ms (-1: no hold). */
void dbg_set_step_holds_others(dbg *d, int on);
/* Launch attribute ebpfConditions: a breakpoint condition that compiles to
 * eBPF (goruntime/grt_bpf.c) runs in the kernel as a uprobe, and only hits
 * where it holds stop the thread (dbg_ebpf.c).  pads (ebpfJumpPads): the
 * uprobe may sit on a jump pad instead of the breakpoint's own instruction
 * (core/core_pad.c).  Takes effect for breakpoints resolved from then on. */
void dbg_set_ebpf_conditions(dbg *d, int on, int pads);
/* Logpoints read in the kernel (ebpfConditions) send their records through
 * a ring buffer: its file descriptor becomes readable when some wait (-1
 * when none); dbg_log_drain emits them as output events (a few thousand at
 * most per call: the descriptor stays readable while more wait; every one
 * is emitted before a stop or the end is reported). */
int dbg_log_fd(const dbg *d);
void dbg_log_drain(dbg *d);
int dbg_hold_timeout(const dbg *d);
void dbg_hold_tick(dbg *d);

typedef enum dbg_step_kind {
	DBG_STEP_OVER, DBG_STEP_IN, DBG_STEP_OUT,
	DBG_STEP_INSTRUCTION, /* one machine instruction of the thread */
} dbg_step_kind;
typedef struct dbg_step_opts {
	uint64_t into;  /* DBG_STEP_IN: stop in this callee body (runtime
			 * address from grt_step_in_targets), 0: any */
	int from_frame; /* DBG_STEP_OUT: out of this frame (numbered as
			 * dbg_stack numbers them), -1: the top one */
} dbg_step_opts;
/* Arms a step of goroutine (or OS thread) thread_id; the program must be
 * stopped.  o may be NULL.  dbg_continue then runs it; the end is a
 * DBG_STOP_STEP stop (or another stop that wins: a user breakpoint, an
 * exception, ...). */
int dbg_step(dbg *d, uint64_t thread_id, dbg_step_kind kind,
	     const dbg_step_opts *o, gd_err *err);
/* Moves goroutine goid (stopped on its thread) to addr in its function
 * (a gotoTargets address); nothing runs. */
int dbg_goto(dbg *d, uint64_t goid, uint64_t addr, gd_err *err);
/* Reports a stop of the stopped program (after dbg_goto: DBG_STOP_GOTO)
 * on thread_id, which becomes the current goroutine. */
void dbg_report_stop(dbg *d, dbg_stop_reason r, uint64_t thread_id);

/* ---- breakpoints ---- */
typedef enum dbg_bp_kind {
	DBG_BP_LINE, DBG_BP_FUNC, DBG_BP_INSTR, DBG_BP_DATA,
} dbg_bp_kind;

/* What one requested breakpoint is.  Strings are borrowed. */
typedef struct dbg_bp_spec {
	/* DBG_BP_LINE: source is the caller's key for the file (the client's
	 * path), bin_path the same file as the binary names it. */
	const char *source, *bin_path;
	int line;
	const char *func;      /* DBG_BP_FUNC: main.worker, (*T).M, ... */
	uint64_t instr;        /* DBG_BP_INSTR: runtime address */
	const char *data_id;   /* DBG_BP_DATA: from dbg_watch_info */
	int read_write;        /* DBG_BP_DATA: 0 write, 1 readWrite, -1 read */
	const char *error;     /* set: unverified with this message */
	const char *condition, *hit_condition, *log_message; /* NULL or "" */
} dbg_bp_spec;

/* A breakpoint as the caller shows it.  Strings are owned by d and valid
 * until the next breakpoint change or dbg_end. */
typedef struct dbg_bp_view {
	int id;
	dbg_bp_kind kind;
	int verified;
	const char *message; /* why not verified, or NULL */
	const char *source;  /* DBG_BP_LINE: the caller's key */
	const char *file;    /* the resolved location (binary path), or NULL */
	int line;            /* the resolved line, 0 when unknown */
	uint64_t instr;      /* DBG_BP_INSTR: the address asked for */
	uint64_t hits;
} dbg_bp_view;

/* Makes the breakpoints of kind (for DBG_BP_LINE: of file `source`) the
 * ones in specs, each resolved and inserted when there is a target; while
 * the program runs this happens behind a stop nobody sees.  out (n
 * entries, may be NULL when n is 0) receives their state, in order. */
int dbg_bp_set(dbg *d, dbg_bp_kind kind, const char *source,
	       const dbg_bp_spec *specs, size_t n, dbg_bp_view *out,
	       gd_err *err);
/* Every breakpoint, for telling the client after the target appeared. */
size_t dbg_bp_count(const dbg *d);
void dbg_bp_at(const dbg *d, size_t i, dbg_bp_view *out);
/* Lines of [line, end_line] in bin_path that take a breakpoint as they
 * are.  *lines is heap; caller frees. */
int dbg_bp_locations(dbg *d, const char *bin_path, int line, int end_line,
		     int **lines, size_t *n, gd_err *err);
/* NULL when the condition parses, else why not (heap; caller frees). */
char *dbg_cond_check(const char *cond);

/* Exception filters (Delve's): unrecovered panics, runtime fatal errors.
 * Both on by default.  Works while the program runs. */
int dbg_exc_filters(dbg *d, int panic, int fatal_throw, gd_err *err);
typedef struct dbg_exception {
	const char *id;          /* "panic" or "fatal error" */
	const char *description; /* "panic: runtime error: ..." */
	const char *stack;       /* as Go's traceback prints it */
} dbg_exception;
/* The exception of the current stop, or NULL.  Owned by d, valid until
 * the program resumes. */
const dbg_exception *dbg_exception_get(const dbg *d);

/* Whether v (named name) can be watched: 0 and *data_id (heap) when it
 * can, else 0 with *why (heap) saying why not.  -1 only on failure. */
int dbg_watch_info(dbg *d, const grt_value *v, const char *name,
		   char **data_id, char **why, gd_err *err);

/* ---- function calls (dbg_call.c) ----
 * The driver goruntime's grt_call needs to run the calling thread: only
 * that thread runs, until the runtime's next protocol trap, within
 * timeout_s; when the call makes no progress alone, threads running no
 * user goroutine are let go, then every thread (the user is told, as
 * DBG_EV_OUTPUT).  User breakpoints, steps and watchpoints do not fire
 * inside a call.  It lives on the stack of the request that evaluates:
 * point grt_scope.calls at &drv. */
#include "../goruntime/grt_call.h"
typedef struct dbg_calldrv {
	grt_call_driver drv;
	dbg *d;
	int timeout_s;
	int stage; /* of the protocol step under way: 0 calling thread
		    * only, 1 runtime threads, 2 all */
	int noted; /* the user was told that other threads ran */
} dbg_calldrv;
void dbg_calldrv_init(dbg_calldrv *c, dbg *d, int timeout_s);

/* ---- reading a stop ---- */
/* A goroutine id, else a stopped OS thread's id, to (goid, tid) as
 * goruntime takes them.  GD_ENOTFOUND when it is neither (or no program
 * is loaded). */
int dbg_thread_resolve(dbg *d, int64_t id, uint64_t *goid, pid_t *tid);

typedef struct dbg_thread {
	uint64_t id;
	char *name; /* "[Go 7] main.worker (chan receive)", in the list's block */
} dbg_thread;
/* Which goroutines dbg_threads lists, and how it names them. */
typedef struct dbg_threads_opts {
	int hide_system;            /* leave out the runtime's own goroutines */
	const grt_gfilter *filter;  /* goroutineFilters; NULL: all */
	int labels;                 /* pprof labels in the name */
	char *const *label_keys;    /* only these labels (NULL: all) */
	size_t nlabel_keys;
	/* Asked now and then (each name walks a stack): 1 gives up with
	 * "cancelled".  NULL: never. */
	int (*cancelled)(void *ctx);
	void *ctx;
	/* Where the time went (for the log), or NULL. */
	struct dbg_threads_times *times;
} dbg_threads_opts;
typedef struct dbg_threads_times {
	double goroutines_ms; /* the goroutine list and structs */
	double functions_ms;  /* the function each one is in */
	double names_ms;      /* the names, filters, labels */
} dbg_threads_times;
/* Goroutines (or, before the runtime made any, OS threads) of the stopped
 * program, named "[Go 7 labels] main.worker (chan receive)" after the
 * function each is "in" (its innermost frame outside the runtime).  The
 * current goroutine is always listed; a stop on a thread that runs no
 * goroutine lists that thread too.  *out is heap, the names inside the
 * same block; free with dbg_threads_free. */
int dbg_threads(dbg *d, const dbg_threads_opts *o, dbg_thread **out,
		size_t *n, gd_err *err);
void dbg_threads_free(dbg_thread *t, size_t n);

/* Frames [0, max) of goroutine goid (or thread tid), inlined calls as
 * frames of their own.  *frames is heap; caller frees.  *complete: the
 * walk reached the bottom of the stack. */
int dbg_stack(dbg *d, uint64_t goid, pid_t tid, size_t max,
	      grt_frame **frames, size_t *n, int *complete, gd_err *err);

typedef struct dbg_reg {
	const char *name; /* static */
	uint64_t value;
} dbg_reg;
/* The known general registers of a scope's frame, in x86 order.  *out is
 * heap; caller frees. */
int dbg_registers(const grt_scope *sc, dbg_reg **out, size_t *n, gd_err *err);

#endif
