/* core/: the read side of a debug target.  Knows nothing of Go or DAP.
 *
 * A core_proc is one program: a live process (run control in core_run.h)
 * or an ELF core file.  Everything here works on both; goruntime needs
 * nothing else outside stepping.  Behind the handle is a table of
 * functions (core_backend.h), one per kind of target.
 *
 * Error convention: common/gd_err.h (0 ok; -1 failed with a message; where
 * "absent" is an answer it is said so at the function).
 * Ownership: the caller owns the handle (core_free); strings and arrays
 * returned through out-parameters are the caller's unless said otherwise. */
#ifndef CORE_TARGET_H
#define CORE_TARGET_H

#include <stdint.h>
#include <stddef.h>
#include <sys/types.h>
#include <sys/user.h>

#include "../common/gd_err.h"
#include "../common/gd_log.h"

typedef struct core_proc core_proc;

/* What every run-control or write operation on a core file answers. */
#define CORE_ERR_IS_CORE "this is a core file: the program cannot run or change"

/* Opens an ELF core file of the program `exe` (the executable it was
 * dumped from: its mappings whose contents the core left out are read
 * from it and from the shared libraries named in the core).  Fails with a
 * message that says what is wrong when `core_path` is not an ELF core of
 * x86-64, is truncated, or was not dumped from `exe` (build ids differ). */
int core_open_corefile(core_proc **out, const char *core_path,
		       const char *exe, gd_log *log, gd_err *err);

/* Live process launched: kills and reaps.  Attached: removes breakpoints,
 * detaches and lets it run.  Core file: closes it.  Always frees. */
void core_free(core_proc *p);

/* 1 for a core file (nothing can run or change), 0 for a live process. */
int core_is_corefile(const core_proc *p);
pid_t core_pid(const core_proc *p);
int core_exited(const core_proc *p);

/* ---- threads ---- */
size_t core_thread_count(const core_proc *p);
pid_t core_thread_tid(const core_proc *p, size_t i);
/* 1 when tid is ours and stopped (always, for a core file). */
int core_thread_stopped(const core_proc *p, pid_t tid);

/* ---- registers (a live thread must be stopped) ---- */
int core_regs(core_proc *p, pid_t tid, struct user_regs_struct *out,
	      gd_err *err);
/* The x87/SSE state (XMM0-15 in xmm_space). */
int core_fpregs(core_proc *p, pid_t tid, struct user_fpregs_struct *out,
		gd_err *err);

/* ---- memory ---- */
/* A short read is an error. */
int core_read(core_proc *p, uint64_t addr, void *buf, size_t len, gd_err *err);
/* Reads n regions of `each` bytes (at addrs[i], any order, may overlap)
 * into buf (n * each bytes).  A region that cannot be read is zero-filled
 * and ok[i] (if ok is not NULL) set to 0: per-region failures are the
 * answer, and the call itself answers 0 (both backends; -1 is kept for a
 * backend that can fail whole).  Live: a few system calls for thousands
 * of regions, neighbours read as one range. */
int core_read_many(core_proc *p, const uint64_t *addrs, size_t n, size_t each,
		   void *buf, uint8_t *ok, gd_err *err);
/* Like core_read, but shows the original bytes under our breakpoints. */
int core_read_text(core_proc *p, uint64_t addr, void *buf, size_t len,
		   gd_err *err);
/* The auxiliary vector's entry `type`; -1 with a message if absent. */
int core_auxv(core_proc *p, uint64_t type, uint64_t *val, gd_err *err);

/* The executable's path (caller frees). */
int core_exe_path(core_proc *p, char **out, gd_err *err);

/* One mapping (a line of /proc/PID/maps; for a core file, a segment or a
 * file the core names). */
typedef struct core_map {
	uint64_t lo, hi, offset;
	int read, write, exec;
	char *path; /* heap; NULL for an anonymous mapping; "[stack]" etc. */
} core_map;
/* The mappings in address order (heap array, free with core_maps_free). */
int core_maps(core_proc *p, core_map **out, size_t *n, gd_err *err);
void core_maps_free(core_map *v, size_t n);

/* Why the program stopped, when the target knows it (a core file: the
 * signal that made the kernel dump it, on thread *tid, with the faulting
 * address *addr for a fault; gcore cores have none).  1: nothing known,
 * 0: filled. */
int core_stop_signal(const core_proc *p, pid_t *tid, int *signo, int *code,
		     uint64_t *addr);

#endif
