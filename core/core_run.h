/* core/: run control of a live process (Linux ptrace).  Knows nothing of Go
 * or DAP.  Only the debugger layer calls this.
 *
 * Threads are attached with PTRACE_SEIZE (so PTRACE_INTERRUPT can stop them
 * without queueing a signal) and new ones are followed with
 * PTRACE_O_TRACECLONE.  The model is all-stop: the upper layer is told of one
 * thread's stop while the others keep running, then either resumes that
 * thread or stops them all.  A breakpoint hit that another thread makes
 * while everything is being stopped is not lost: its PC is rewound onto the
 * int3 so the hit replays when the thread resumes.
 *
 * On a core file every function here that would run or change the program
 * fails with CORE_ERR_IS_CORE (core_target.h); the queries answer as for a
 * program that cannot move (no held stop, no breakpoint, not launched).
 *
 * Error convention: common/gd_err.h. */
#ifndef CORE_RUN_H
#define CORE_RUN_H

#include "core_target.h"

typedef struct core_launch_opts {
	const char *path;      /* executable, run with execve: no shell */
	char *const *argv;     /* argv[0] included */
	char *const *envp;     /* full environment */
	const char *cwd;       /* NULL: inherit */
	int stdin_fd;          /* fds dup2'ed onto 0,1,2 in the child; -1 keeps */
	int stdout_fd;
	int stderr_fd;
} core_launch_opts;

/* Starts the program and returns with it stopped right after execve, one
 * thread, nothing run yet.  The program dies with us (PTRACE_O_EXITKILL). */
int core_launch(core_proc **out, const core_launch_opts *o, gd_log *log,
		gd_err *err);
/* Takes a program that another process starts (a runInTerminal launcher
 * that godap did not fork): pid is one thread, blocked reading gate_fd's
 * other end, about to execve `path`.  Seizes it, writes one byte to
 * gate_fd to let it exec, and returns with the new program stopped right
 * after execve, as core_launch does; it dies with us
 * (PTRACE_O_EXITKILL) and is killed, not detached, by core_free. */
int core_seize_exec(core_proc **out, pid_t pid, int gate_fd,
		    const char *path, gd_log *log, gd_err *err);
/* Seizes every thread of a running process and stops them all. */
int core_attach(core_proc **out, pid_t pid, gd_log *log, gd_err *err);
int core_kill(core_proc *p);
int core_detach(core_proc *p, gd_err *err);
int core_launched(const core_proc *p);

/* ---- stops ---- */
typedef enum core_stop_kind {
	CORE_STOP_NONE = 0,
	CORE_STOP_BREAKPOINT, /* our int3 at addr; PC already set back to addr */
	CORE_STOP_STEP,       /* a single step we asked for finished */
	CORE_STOP_WATCH,      /* hardware watchpoint slot `slot` fired */
	CORE_STOP_TRAP,       /* an int3 that is not ours (PC after it) */
	CORE_STOP_EXITED,     /* the process is gone */
	/* The program ran execve: a new image, with none of our
	 * breakpoints (core forgot them), its only thread tid (the process
	 * id) stopped.  The upper layer reads the new executable
	 * (core_exe_path) and sets its breakpoints again. */
	CORE_STOP_EXEC,
} core_stop_kind;

typedef struct core_stop {
	core_stop_kind kind;
	pid_t tid;
	uint64_t addr;
	int slot;
	int exit_code;   /* WIFEXITED */
	int exit_signal; /* WIFSIGNALED: the signal, else 0 */
} core_stop;

/* Handles whatever waitpid has for us.  Returns 1 and fills *out when a
 * thread stopped for a reason the upper layer must decide on (that thread
 * stays stopped; the others run on), 0 when nothing is pending (only with
 * block == 0), -1 on error.  Clone/exit/signal bookkeeping happens here. */
int core_wait(core_proc *p, int block, core_stop *out, gd_err *err);
/* 1 when a stop is waiting that no SIGCHLD will announce (a watchpoint hit
 * held over a stop of every thread): call core_wait without waiting. */
int core_has_held(const core_proc *p);
/* While every thread is stopped (the user looks at a stop): has the
 * process died meanwhile (killed by someone else)?  Reaps what waitpid
 * has without waiting and without taking any stop out of the program's
 * stopped state (a breakpoint hit met on the way is replayed on resume, a
 * held watch hit stays held).  1 with *out the CORE_STOP_EXITED (exit
 * code or signal) the first time the death is seen, 0 otherwise (also on
 * a target that cannot die: a core file), -1 on error. */
int core_poll_exit(core_proc *p, core_stop *out, gd_err *err);

/* Stops every running thread and waits until all are stopped. */
int core_stop_all(core_proc *p, gd_err *err);
/* Resumes every stopped thread (stepping over a breakpoint first where a
 * thread was reported at one). */
int core_resume_all(core_proc *p, gd_err *err);
/* Resumes one thread while the others run (steps it over its breakpoint
 * first; that needs the others stopped for an instant). */
int core_resume_thread(core_proc *p, pid_t tid, gd_err *err);
/* Resumes thread tid alone: every other thread stays as it is (stopped
 * ones stay stopped).  A thread reported at one of our breakpoints and
 * still on it is stepped over it first (only it moves).  For running
 * code on one thread while the rest of the program is held, as function
 * calls from the debugger do. */
int core_run_thread(core_proc *p, pid_t tid, gd_err *err);
/* The breakpoint address thread tid was reported at and will step over on
 * its next resume (0: none), and setting it back after the thread's
 * registers were changed and restored (a function call from the
 * debugger).  A core file has none and ignores the setting. */
uint64_t core_thread_stepover(const core_proc *p, pid_t tid);
void core_thread_set_stepover(core_proc *p, pid_t tid, uint64_t addr);
/* on: kernel breakpoints added from now on may run from jump pads
 * (core_pad.c, the default); 0: their uprobes sit at their addresses. */
void core_set_jump_pads(core_proc *p, int on);
/* hold != 0: threads the program creates from now on stay stopped at
 * birth (until core_run_thread or core_resume_all) instead of running. */
void core_hold_new_threads(core_proc *p, int hold);
/* 1 when thread tid of a running program sleeps in the kernel (blocked in
 * a system call: a futex, a read); 0 otherwise, and for a core file. */
int core_thread_sleeping(core_proc *p, pid_t tid);
/* Single-steps one stopped thread by one instruction, synchronously; the
 * other threads stay as they are.  *exited is set if the process died. */
int core_step_thread(core_proc *p, pid_t tid, int *exited, gd_err *err);

/* ---- writes ---- */
/* Registers are written back before the thread runs. */
int core_set_regs(core_proc *p, pid_t tid, const struct user_regs_struct *r,
		  gd_err *err);
/* Writes the x87/SSE state (XMM0-15) of a stopped thread
 * (PTRACE_SETFPREGS): float arguments of function calls. */
int core_set_fpregs(core_proc *p, pid_t tid,
		    const struct user_fpregs_struct *r, gd_err *err);
int core_write(core_proc *p, uint64_t addr, const void *buf, size_t len,
	       gd_err *err);

/* ---- software breakpoints (reference-counted per address) ---- */
int core_bp_add(core_proc *p, uint64_t addr, gd_err *err);
int core_bp_del(core_proc *p, uint64_t addr, gd_err *err);
int core_bp_has(const core_proc *p, uint64_t addr);
/* ---- kernel breakpoints (eBPF uprobes, core_kbp.c) ----
 * A condition that runs in the kernel at addr: `insns` (n struct bpf_insn)
 * leave the condition's truth in r0 (r6 holds the pt_regs context and must
 * be kept; r10 - 256 and below is theirs).  Only a hit where it holds
 * stops the thread, reported as CORE_STOP_BREAKPOINT at addr exactly as an
 * int3 hit (registers and memory as before the instruction there).  An
 * int3 set at the same address (core_bp_add) takes over while it is there.
 * -1 with the reason when the kernel or the instruction at addr does not
 * allow it (the caller then uses an int3). */
int core_kbp_add(core_proc *p, uint64_t addr, const void *insns, size_t n,
		 gd_err *err);
int core_kbp_del(core_proc *p, uint64_t addr, gd_err *err);

/* Kernel logpoints: like core_kbp_add, but the program never stops the
 * thread.  cond (grt_bpf_cond, may be empty) runs first and leaves its
 * result in r0: false ends the program, nothing written.  Then the program
 * reserves a record of recsize bytes in a BPF ring buffer and puts its
 * address in register CORE_KLOG_RECREG; insns (grt_bpf_log) fill it
 * (goroutine, failed mask, one 8-byte value per {expr}, the bytes of the
 * strings after them), the program adds the breakpoint address and the
 * thread id and submits it; core_klog_drain reads it.  Removed with
 * core_kbp_del.  Any instruction at addr is accepted (nothing is undone). */
enum {
	CORE_KLOG_RECREG = 7,  /* the register with the record's address */
	CORE_KLOG_ADDR = 0,    /* u64: the breakpoint address (written by core) */
	CORE_KLOG_TID = 8,     /* u64: the thread id (written by core) */
	CORE_KLOG_GOID = 16,   /* u64: the goroutine id, 0 if unreadable */
	CORE_KLOG_FAILED = 24, /* u64: bit i: value i could not be read */
	CORE_KLOG_VALS = 32,   /* u64 each (a string's: its length) */
	CORE_KLOG_MAXVALS = 16,
	/* The bytes of one string copied into a record at most: godap's
	 * default maxStringLen (a logpoint shows that much of a string). */
	CORE_KLOG_MAXSTR = 512,
	/* The largest record: the ring (16 MiB) holds 4 000 of them. */
	CORE_KLOG_MAXREC = 4096,
};
int core_klog_add(core_proc *p, uint64_t addr, const void *cond, size_t ncond,
		  const void *insns, size_t n, size_t recsize, gd_err *err);
/* The file descriptor that becomes readable when records wait (-1 when
 * no kernel logpoint was ever set). */
int core_klog_fd(const core_proc *p);
/* Calls fn for every record waiting, in the order they were written
 * (rec points at the record: CORE_KLOG_* offsets; len its size), or for
 * the first max of them (max 0: all; a running program may write them as
 * fast as they are read, and the caller has other work); *lost: how many
 * records a full ring lost since the last drain.  The number of records,
 * or -1 with the reason. */
typedef void (*core_klog_fn)(void *ctx, const uint8_t *rec, size_t len);
int core_klog_drain(core_proc *p, core_klog_fn fn, void *ctx, size_t max,
		    uint64_t *lost, gd_err *err);

/* ---- hardware watchpoints (x86 debug registers DR0-DR3) ----
 * Set on every thread (all must be stopped) and on threads born later.
 * len is 1, 2, 4 or 8 (addr aligned to it); rw is CORE_HW_WRITE or
 * CORE_HW_READWRITE.  A hit is a CORE_STOP_WATCH with its slot, reported
 * after the access (the PC is past the accessing instruction). */
enum { CORE_HW_SLOTS = 4, CORE_HW_WRITE = 1, CORE_HW_READWRITE = 3 };
int core_hw_set(core_proc *p, int slot, uint64_t addr, int len, int rw,
		gd_err *err);
int core_hw_clear(core_proc *p, int slot, gd_err *err);

#endif
