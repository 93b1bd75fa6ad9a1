/* The ptrace backend: shared by its core_*.c files only. */
#ifndef CORE_INTERNAL_H
#define CORE_INTERNAL_H

#include "core_backend.h"

#include <capstone/capstone.h>
#include <signal.h>

enum { CT_RUNNING, CT_STOPPED };

typedef struct core_thread {
	pid_t tid;
	int state;
	int pending_sig;   /* delivered on the next resume */
	uint64_t stepover; /* reported at this breakpoint: step over it first */
	int regs_valid;
	struct user_regs_struct regs;
	int fresh; /* born under us, not yet seen stopped */
	/* A watchpoint hit (slot + 1) met while stopping every thread: the
	 * write is done and cannot be replayed, so the thread stays stopped
	 * on resume and core_wait reports the hit then. */
	int held_watch;
	/* Sent to a breakpoint's scratch slot (core_displace.c): until it
	 * is seen stopped outside the scratch page, a stop there is put
	 * back at the original address before anyone sees it. */
	int in_scratch;
} core_thread;

typedef struct core_hw {
	int active;
	uint64_t addr;
	int len, rw;
} core_hw;

/* The scratch page: 4096 bytes cut into 32-byte slots (15 bytes of
 * instruction at most, then a 14-byte absolute jump). */
#define CORE_SCRATCH_SLOT 32
#define CORE_SCRATCH_SLOTS (4096 / CORE_SCRATCH_SLOT)

typedef struct core_bp {
	uint64_t addr;
	uint8_t orig;
	int refs;
	/* The original instruction, prepared for a displaced step once:
	 * 0 not yet, 1 ready, -1 cannot be displaced. */
	int disp_state;
	uint8_t disp_len, disp_emulate, disp_call;
	uint8_t disp_bytes[16];
	uint64_t disp_target;
	/* This breakpoint's slot in the scratch page: the relocated
	 * instruction then a jump back after the original, written once,
	 * so a thread runs it with one PTRACE_CONT and no single step.
	 * 0: no slot (page full or none). */
	uint64_t slot;
	/* A condition evaluated in the kernel (core_kbp.c): the eBPF program
	 * (fd, 0 when none) attached as a uprobe here while no int3 is
	 * wanted (refs == 0; perf_fd >= 0 then, else -1).  orig then comes
	 * from the executable file, not from memory. */
	int kprog;
	int perf_fd;
	/* pad_on: the uprobe sits on this breakpoint's jump pad
	 * (core_pad.c), page pad - 1 of the pad area, and a jmp to it is
	 * written at addr over pad_orig (its first bytes, CORE_PAD_JMP of
	 * them); 0: the uprobe, if any, sits at addr. */
	int pad, pad_on;
	uint8_t pad_orig[5];
	/* How a kernel condition's instruction touches memory (mem:
	 * CORE_HW_WRITE, 2 read), and whether an int3 of ours holds one of
	 * refs for it while a watchpoint that access could hit is armed and
	 * the uprobe would sit on the instruction (wguard):
	 * core__kbp_watch_guard. */
	uint8_t mem, wguard;
} core_bp;

/* Jump pads: pages of a file of godap's mapped into the program. */
#define CORE_PAD_PAGES 256
#define CORE_PAD_PAGE 4096u
#define CORE_PAD_JMP 5 /* jmp rel32 */

typedef struct core_live core_live;

struct core_live {
	core_proc base; /* first: a core_live is a core_proc */
	pid_t pid;
	int launched;
	int exited;
	int exit_reported;
	int exit_code;
	int exit_signal;
	int stopping; /* inside core_stop_all: keep every stop */
	int hold_new; /* core_hold_new_threads: new threads stay stopped */
	/* The program ran execve and nobody above was told yet (it happened
	 * during a stop of every thread): live_wait reports it first. */
	int exec_pending;
	int memfd;    /* /proc/pid/mem, for writes */
	gd_log *log;

	core_thread *threads;
	size_t nthreads, capthreads;

	core_bp *bps;
	size_t nbps, capbps;

	/* Threads whose exit was reaped before their parent's clone event
	 * was seen: that event must not bring them back. */
	pid_t early_exits[64];
	size_t nearly_exits;

	core_hw hw[CORE_HW_SLOTS];

	/* Wait statuses reaped but not handled yet.  waitpid(-1) favours
	 * some threads over others: a thread that re-stops at once would be
	 * seen again and again while another's stop waits.  So every
	 * status available is reaped first, then handled in order. */
	struct core_wstatus {
		pid_t tid;
		int status;
	} *q;
	size_t qhead, qlen, qcap;
	unsigned since_drain; /* statuses reaped one by one since a drain */

	uint64_t scratch; /* a page of ours in the program, for displaced
			     steps; 0 if none */
	int scratch_failed;
	/* Slot i of the page (after the first, kept for single steps)
	 * holds the instruction at slot_addr[i]; kept when its breakpoint
	 * goes, so that setting it again rewrites nothing. */
	uint64_t slot_addr[CORE_SCRATCH_SLOTS];

	/* Kernel breakpoints (core_kbp.c): the map where a program that
	 * stops a thread leaves its registers (0: not made yet). */
	int kbp_map;
	/* Kernel logpoints (core_kbp.c): the ring buffer map (0: not made
	 * yet), its reader, and the callback of the drain under way. */
	int klog_map;
	int klog_lost;          /* array map: records lost to a full ring */
	uint64_t klog_lost_seen; /* its value at the last drain */
	struct ring_buffer *klog_rb;
	core_klog_fn klog_fn;
	void *klog_ctx;
	size_t klog_left;       /* records this drain may still take, 0 all */
	int klog_full;          /* the drain stopped at its maximum */

	/* A `syscall` instruction in the program's text (core_inject.c),
	 * 0 until looked for. */
	uint64_t syscall_insn;
	/* Jump pads (core_pad.c): the area's address in the program (0:
	 * none yet), the file behind it (open here, unlinked), and for each
	 * page the breakpoint address it serves (0: free) and the length of
	 * the instruction displaced there.  A page keeps its breakpoint
	 * when the breakpoint goes: the uprobe the kernel put on it made
	 * the page the program's own copy, which the file no longer
	 * reaches. */
	uint64_t pads;
	int pads_failed;
	int pads_off; /* core_set_jump_pads(0) */
	int pad_fd;
	uint64_t pad_addr[CORE_PAD_PAGES];
	uint8_t pad_len[CORE_PAD_PAGES];
};


/* The ptrace backend's entries (core_run.h and core_target.h say what each
 * does); core_live.c puts them in the table. */
static inline core_live *core__live(core_proc *p) { return (core_live *)p; }
static inline const core_live *core__clive(const core_proc *p)
{
	return (const core_live *)p;
}
void live_free(core_live *p);
int live_kill(core_live *p);
int live_detach(core_live *p, gd_err *err);
pid_t live_pid(const core_live *p);
int live_launched(const core_live *p);
int live_exited(const core_live *p);
size_t live_thread_count(const core_live *p);
pid_t live_thread_tid(const core_live *p, size_t i);
int live_thread_stopped(const core_live *p, pid_t tid);
int live_wait(core_live *p, int block, core_stop *out, gd_err *err);
int live_has_held(const core_live *p);
int live_poll_exit(core_live *p, core_stop *out, gd_err *err);
int live_stop_all(core_live *p, gd_err *err);
int live_resume_all(core_live *p, gd_err *err);
int live_resume_thread(core_live *p, pid_t tid, gd_err *err);
int live_step_thread(core_live *p, pid_t tid, int *exited, gd_err *err);
int live_regs(core_live *p, pid_t tid, struct user_regs_struct *out,
	      gd_err *err);
int live_fpregs(core_live *p, pid_t tid, struct user_fpregs_struct *out,
		gd_err *err);
int live_set_regs(core_live *p, pid_t tid, const struct user_regs_struct *r,
		  gd_err *err);
int live_set_fpregs(core_live *p, pid_t tid,
		    const struct user_fpregs_struct *in, gd_err *err);
int live_run_thread(core_live *p, pid_t tid, gd_err *err);
uint64_t live_thread_stepover(const core_live *p, pid_t tid);
void live_thread_set_stepover(core_live *p, pid_t tid, uint64_t addr);
void live_hold_new_threads(core_live *p, int hold);
int live_read(core_live *p, uint64_t addr, void *buf, size_t len, gd_err *err);
int live_read_many(core_live *p, const uint64_t *addrs, size_t n, size_t each,
		   void *buf, uint8_t *ok, gd_err *err);
int live_read_text(core_live *p, uint64_t addr, void *buf, size_t len,
		   gd_err *err);
int live_write(core_live *p, uint64_t addr, const void *buf, size_t len,
	       gd_err *err);
int live_maps(core_live *p, core_map **out, size_t *n, gd_err *err);
int live_auxv(core_live *p, uint64_t type, uint64_t *val, gd_err *err);
int live_bp_add(core_live *p, uint64_t addr, gd_err *err);
int live_bp_del(core_live *p, uint64_t addr, gd_err *err);
int live_bp_has(const core_live *p, uint64_t addr);
int live_hw_set(core_live *p, int slot, uint64_t addr, int len, int rw,
		gd_err *err);
int live_hw_clear(core_live *p, int slot, gd_err *err);

core_thread *core__thread(core_live *p, pid_t tid);
core_thread *core__thread_add(core_live *p, pid_t tid);
void core__thread_remove(core_live *p, pid_t tid);
int core__cont(core_live *p, core_thread *t, gd_err *err);
core_bp *core__bp(const core_live *p, uint64_t addr);
/* Loads the watchpoints into a stopped thread's debug registers. */
int core__hw_apply(core_live *p, pid_t tid, gd_err *err);
/* What core__displaced_resume and core__scratch_fixup answer besides the
 * gd_err convention's 0 and -1: an outcome, not an error. */
enum {
	CORE_DISP_CANNOT = 1, /* the instruction cannot run out of line
				 here: the caller stops every thread and
				 steps it in place instead */
	CORE_FIXUP_GONE = 1,  /* the thread exited meanwhile (t is gone) */
};
/* Runs t's instruction under its breakpoint out of line and resumes t
 * alone: 0 done (t resumed, or it exited), CORE_DISP_CANNOT, -1 failed. */
int core__displaced_resume(core_live *p, core_thread *t, gd_err *err);
/* t stopped after being sent to a scratch slot: if its PC is still in the
 * scratch page, puts it back at the matching original address (a fault
 * there, a signal before the jump back) so that nobody, the program's
 * signal handlers included, ever sees a scratch PC.  0, CORE_FIXUP_GONE,
 * or -1 failed. */
int core__scratch_fixup(core_live *p, core_thread *t, gd_err *err);
/* core_kbp.c.  A SIGTRAP on t at rip: when an eBPF program sent it (its
 * saved state is in the map), puts the thread back at the breakpoint as
 * it was before the instruction there ran, fills *out as an int3 hit at it
 * and returns 1; 0 when the trap is not ours; -1 on error. */
int core__kbp_trap(core_live *p, core_thread *t, uint64_t rip, core_stop *out,
		   gd_err *err);
/* 1 if our program sent t a SIGTRAP that core__kbp_trap has not taken. */
int core__kbp_pending(core_live *p, pid_t tid);
/* A uprobe at offset off of the file at path running program prog_fd:
 * the perf event's descriptor, or -1. */
int core__uprobe_open(const char *path, uint64_t off, int prog_fd, gd_err *err);
/* Attaches (on 1) or detaches (0) bp's uprobe; bp->kprog must be set.
 * Through a jump pad (core_pad.c) where one serves it. */
int core__kbp_attach(core_live *p, core_bp *bp, int on, gd_err *err);
/* Before a detach, every thread stopped: removes every uprobe and takes
 * the SIGTRAPs our programs sent that are still queued. */
void core__kbp_detach_all(core_live *p);
/* Every thread stopped: a thread our program sent SIGTRAP and that has not
 * taken it yet takes it now and is put back at its breakpoint. */
void core__kbp_settle(core_live *p);
/* Puts an int3 of ours on every kernel condition whose uprobe sits on an
 * instruction that writes memory while a watchpoint is armed, and takes
 * them off when none is (see core_kbp.c). */
int core__kbp_watch_guard(core_live *p, gd_err *err);
/* The process ended with wait status st (its main thread was reaped). */
void core__note_exit(core_live *p, int st);
/* Closes what is left (the process is gone or detached). */
void core__kbp_release(core_live *p);
int live_kbp_add(core_live *p, uint64_t addr, const void *insns, size_t n,
		 gd_err *err);
int live_kbp_del(core_live *p, uint64_t addr, gd_err *err);
int live_klog_add(core_live *p, uint64_t addr, const void *cond, size_t ncond,
		  const void *insns, size_t n, size_t recsize, gd_err *err);
int live_klog_fd(const core_live *p);
int live_klog_drain(core_live *p, core_klog_fn fn, void *ctx, size_t max,
		    uint64_t *lost, gd_err *err);

/* core_proc.c.  The next wait status of thread tid (in *st), its tid
 * returned, or -1 (errno).  What other threads report meanwhile is reaped
 * and queued for live_wait: waiting on tid alone never returns once the
 * program is killed, since the kernel reports the group leader's death
 * only after every other thread's has been reaped. */
pid_t core__wait_thread(core_live *p, pid_t tid, int *st);
/* core_inject.c.  Makes the stopped thread t run system call nr with
 * arguments a once, from a `syscall` instruction of the program's own, and
 * puts its registers back: 0 with *ret the call's result, -1 if it could
 * not be made or failed (err says which). */
int core__remote_syscall(core_live *p, core_thread *t, long nr,
			 const uint64_t a[6], uint64_t *ret, gd_err *err);
/* core_displace.c.  The one instruction at addr in code[len], decoded
 * with Capstone's details: 0 with *cs open and *in set (core__decoded_end
 * frees both), -1 failed (err says why). */
int core__decode(const uint8_t *code, size_t len, uint64_t addr, csh *cs,
		 cs_insn **in, gd_err *err);
void core__decoded_end(csh *cs, cs_insn *in);
/* 1 if the instruction is a branch of any kind (jump, call, return,
 * interrupt). */
int core__is_branch(const cs_insn *in);
/* core_displace.c.  The instruction at addr made to run at where: its
 * length, or 0 when it cannot be; out holds its relocated bytes, or
 * *emulate is set for a direct branch (*target, *is_call). */
size_t core__relocate(core_live *p, uint64_t addr, uint64_t where,
		      uint8_t *out, int *emulate, uint64_t *target, int *is_call);
/* One single step of t where it stands (see core_displace.c). */
int core__step_in_place(core_live *p, core_thread *t,
			struct user_regs_struct *r, int *gone, gd_err *err);
/* core_pad.c.  Puts bp's uprobe on a jump pad: 1 done (the jmp is at
 * bp->addr), 0 when no pad can serve it (the caller attaches at the
 * address itself; the log says why), -1 failed. */
int core__pad_attach(core_live *p, core_bp *bp, int prog_fd, gd_err *err);
/* Takes bp's pad out: the original bytes back at bp->addr, the uprobe
 * closed.  Every thread stopped. */
int core__pad_detach(core_live *p, core_bp *bp, gd_err *err);
/* t stopped inside a pad: moves it to where it stands in the original
 * code (running the displaced instruction when the uprobe already fired
 * for it).  0, CORE_FIXUP_GONE or -1. */
int core__pad_fixup(core_live *p, core_thread *t, gd_err *err);
/* Writes the jmp back at bp->addr (on) or the original bytes (0), the
 * uprobe untouched: around a step of the instruction in place.  Nothing
 * to do for a breakpoint without a pad on. */
int core__pad_lift(core_live *p, core_bp *bp, int on, gd_err *err);
/* Closes the pad file. */
void core__pad_release(core_live *p);

/* Which slot fired (reads and clears DR6); -1 if none. */
int core__hw_slot(core_live *p, pid_t tid);
int core__poke_byte(core_live *p, uint64_t addr, uint8_t b, gd_err *err);
int core__open_mem(core_live *p, gd_err *err);

/* A signal raised by the instruction itself: retrying the step would only
 * raise it again, so it is delivered instead. */
static inline int core__is_fault(int sig)
{
	return sig == SIGSEGV || sig == SIGBUS || sig == SIGFPE || sig == SIGILL;
}

#define CORE_PTRACE_OPTS                                                   \
	(PTRACE_O_EXITKILL | PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXEC)

#endif
