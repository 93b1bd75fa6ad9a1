/* What the files of debugger/ share.  Not for other modules. */
#ifndef DBG_INTERNAL_H
#define DBG_INTERNAL_H

#include "dbg.h"
#include "../goruntime/expr/gx.h"

/* One breakpoint.  Every string is owned by it. */
typedef struct dbg_bp {
	int id;
	dbg_bp_kind kind;
	char *source;   /* LINE: the caller's key for the file */
	char *bin_path; /* LINE: the file as the binary names it */
	int req_line;   /* LINE: as asked */
	char *func;     /* FUNC: the name as typed */
	uint64_t instr; /* INSTR: the address asked for */
	char *data_id;  /* DATA: as dbg_watch_info made it */
	int read_write; /* DATA: as asked */
	char *error;    /* the caller's own reason it cannot be set */
	char *file;     /* resolved location (binary path) */
	int line;
	int verified;
	char *message;  /* why not verified */
	uint64_t *addrs; /* runtime addresses inserted */
	size_t naddrs;
	/* per address: 1 when its condition runs in the kernel (eBPF) */
	uint8_t *kaddrs;
	char *kwhy; /* why the condition stayed with godap (ebpfConditions) */
	/* A logpoint formatted from the kernel's records (kaddrs[i] == 2):
	 * how each {expr} value prints (grt_bpf_log). */
	grt_bpf_val *kvals;
	size_t nkvals;
	char *condition, *hit_condition, *log_message;
	gx_hitcond *hitcond; /* parsed hit_condition, NULL without one */
	uint64_t hits;
	/* DATA, while armed: the debug register and what it watches */
	int slot;        /* -1 when not armed */
	uint64_t waddr;
	int wlen, wrw, wkind;
	char *wname;
	uint64_t old;
	/* DATA on a goroutine stack (dbg_stackwatch.c): the goroutine, the
	 * variable's and its frame's distance from the stack's top, the
	 * stack top seen last, the frame's return address and the
	 * breakpoints on runtime.copystack's returns; sgaddr 0 otherwise */
	uint64_t sgaddr, sgoid, soff, scfa_off, shi, sret;
	uint64_t *cs;
	size_t ncs;
} dbg_bp;

struct dbg {
	gd_log *log;
	dbg_hooks hooks;

	/* the target */
	core_proc *proc;
	gdw_file *dw;
	grt_target *rt;
	int attached;
	int running;
	char *unavailable; /* why breakpoints wait, without a target */
	int exit_told;
	/* The exit a function call's driver met (it consumed core's stop):
	 * reported by dbg_check_gone / dbg__report_exit. */
	int call_exit_seen, call_exit_code, call_exit_signal;

	dbg_bp *bps;
	size_t nbps, capbps;
	int next_bp_id;

	/* exception filters */
	int exc_panic, exc_throw;         /* enabled */
	int exc_panic_set, exc_throw_set; /* breakpoints in place */
	grt_exc_sites exc_sites;
	dbg_exception exc;                /* the last exception stop */
	char *exc_id, *exc_desc, *exc_stack;
	uint64_t exc_goid;

	uint64_t cur_goid;
	grt_step *step;      /* the next/stepIn/stepOut under way */
	pid_t instr_step;    /* an instruction step armed on this thread */
	/* stepHoldsOthers: wanted; the thread a step runs alone (0: none),
	 * since when and when last looked at (ms, CLOCK_MONOTONIC). */
	int hold_wanted;
	pid_t hold_tid;
	int64_t hold_start, hold_checked;
	uint64_t instr_goid;
	int ebpf_wanted; /* ebpfConditions */
	int pads_wanted; /* ebpfJumpPads */
};

/* ---- dbg_target.c ---- */
/* The program ran execve (CORE_STOP_EXEC, its one thread stopped): the
 * breakpoints go into the new image as they went into the first, from its
 * own debug info.  -1 when godap cannot debug the new image (said on the
 * console): the caller lets the program go. */
int dbg__on_exec(dbg *d);

/* ---- dbg_call.c ---- */
/* Lets go the user goroutines held for a call, with every thread stopped;
 * see dbg_call.c. */
int dbg__user_unhold(dbg *d, pid_t tid, int *trap, gd_err *err);

/* ---- dbg_run.c ---- */
void dbg__emit_stop(dbg *d, dbg_stop_reason r, uint64_t thread_id,
		    const int *ids, size_t nids, const char *desc);
void dbg__emit_output(dbg *d, const char *text, const dbg_bp *bp);
/* A logpoint's message, printed by goroutine goid (thread_id of the
 * DBG_EV_OUTPUT event). */
void dbg__emit_log(dbg *d, const char *text, const dbg_bp *bp, uint64_t goid);
/* Stops every thread when the program runs: returns 1 if it did (then
 * dbg__with_stopped_end resumes), 0 if it was stopped already, -1. */
int dbg__with_stopped(dbg *d, gd_err *err);
void dbg__with_stopped_end(dbg *d, int was_running);
/* The process vanished: tell the exit once. */
void dbg__report_exit(dbg *d);
/* The thread id a stop on tid shows: its goroutine, else tid. */
uint64_t dbg__thread_id_for(dbg *d, pid_t tid);
/* The goroutine a stop nobody asked for shows (pause, stopOnEntry). */
uint64_t dbg__pick_goroutine(dbg *d);
/* Ends a step under way (its breakpoints go; threads must be stopped). */
void dbg__step_drop(dbg *d);
/* A step's hold of the other threads is over (dbg_run.c). */
void dbg__hold_end(dbg *d);

/* ---- dbg_ebpf.c ---- */
/* Inserts bp at addr (index i of its addresses): its condition in the
 * kernel when wanted and possible (bp->kaddrs[i] = 1), else an int3. */
int dbg__ebpf_insert(dbg *d, dbg_bp *bp, size_t i, uint64_t addr, gd_err *err);
/* Removes what dbg__ebpf_insert put at bp's address i. */
int dbg__ebpf_remove(dbg *d, dbg_bp *bp, size_t i, gd_err *err);
/* Formats and emits the kernel logpoints' records waiting in the ring
 * buffer (dbg_ebpf.c): at every wake-up and before any stop, exit or end
 * is reported, so no line is lost and one thread's lines stay in order
 * (past 16 384 of them: counted in one console line instead). */
void dbg__klog_drain(dbg *d);
/* The same when the program is being killed: a few thousand lines at
 * most, the others counted in one console line. */
void dbg__klog_drain_end(dbg *d);

/* ---- dbg_bp.c ---- */
void dbg__bp_view(const dbg_bp *bp, dbg_bp_view *out);
void dbg__bp_resolve(dbg *d, dbg_bp *bp);
void dbg__bp_uninstall(dbg *d, dbg_bp *bp);
void dbg__bp_free(dbg_bp *bp);
/* Thread tid hit addr: counts, conditions, logpoints.  Returns the ids of
 * the breakpoints that want a stop (heap) and the kind of the first. */
size_t dbg__bp_hit(dbg *d, pid_t tid, uint64_t addr, int **ids,
		   dbg_bp_kind *kind);
/* A condition in the top frame of tid's goroutine: 1 when it holds or
 * cannot be evaluated (then the user is told why). */
int dbg__cond_holds(dbg *d, pid_t tid, const char *cond);
/* Parses hit_condition, condition and log_message of bp; -1 with
 * bp->message set when one does not parse. */
int dbg__bp_check_exprs(dbg_bp *bp);

/* ---- dbg_exc.c ---- */
void dbg__exc_sync(dbg *d);
/* If addr is an exception site whose filter is on: records it, returns 1. */
int dbg__exc_hit(dbg *d, pid_t tid, uint64_t addr);
void dbg__exc_clear(dbg *d);
/* Records an exception stop: id ("panic"), description, and the stack of
 * goroutine goid (or of thread tid when goid is 0) as Go prints it. */
void dbg__exc_record(dbg *d, const char *id, const char *desc, uint64_t goid,
		     pid_t tid);

/* ---- dbg_watch.c ---- */
/* Arms (or reports why not) a DATA breakpoint; slot is the next free one. */
void dbg__watch_arm(dbg *d, dbg_bp *bp, int *next_slot);
void dbg__watch_disarm(dbg *d, dbg_bp *bp);
/* A watch hit: 1 when it stopped the program and reported, 0 to go on. */
int dbg__watch_hit(dbg *d, pid_t tid, int slot);
/* ---- dbg_stackwatch.c ---- */
/* bp was armed on addr: when addr is on a goroutine stack, follow the
 * stack's moves and watch for the frame's return. */
int dbg__stackwatch_begin(dbg *d, dbg_bp *bp, uint64_t addr, gd_err *err);
void dbg__stackwatch_end(dbg *d, dbg_bp *bp);
/* Thread tid stopped at addr: moves or ends stack watches.  1 when it
 * stopped every thread to do so (the caller resumes them all). */
int dbg__stackwatch_on_bp(dbg *d, pid_t tid, uint64_t addr);
/* "ADDR/LEN/KIND/NAME" */
char *dbg__watch_id(uint64_t addr, int len, int kind, const char *name);
int dbg__watch_id_parse(const char *id, uint64_t *addr, int *len, int *kind,
			const char **name);
void dbg__watch_format(uint64_t raw, int len, int kind, char *buf, size_t n);

/* CLOCK_MONOTONIC in microseconds (phase times in the log). */
int64_t dbg__mono_us(void);
/* The process's CPU time in microseconds (CLOCK_PROCESS_CPUTIME_ID). */
int64_t dbg__cpu_us(void);

#endif
