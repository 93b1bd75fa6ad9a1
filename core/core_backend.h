/* core/: the table of functions behind a core_proc, one per kind of target
 * (libgit2's git_odb_backend style).  A backend embeds `core_proc` as its
 * first member and points `be` at its table.  Only core/ includes this.
 *
 * Read-side entries are all required.  A run-control entry left NULL means
 * the backend cannot do it: the public function then fails with
 * `be->cannot` (queries answer "no").  Each entry has the contract of the
 * public function of the same name (core_target.h, core_run.h). */
#ifndef CORE_BACKEND_H
#define CORE_BACKEND_H

#include "core.h"
#include "core_unwind.h"

typedef struct core_backend {
	const char *name;   /* "ptrace", "core file": for logs */
	const char *cannot; /* the message for a missing run-control entry */
	int is_corefile;

	/* ---- read side ---- */
	void (*free)(core_proc *p);
	pid_t (*pid)(const core_proc *p);
	int (*exited)(const core_proc *p);
	size_t (*thread_count)(const core_proc *p);
	pid_t (*thread_tid)(const core_proc *p, size_t i);
	int (*thread_stopped)(const core_proc *p, pid_t tid);
	int (*regs)(core_proc *p, pid_t tid, struct user_regs_struct *out,
		    gd_err *err);
	int (*fpregs)(core_proc *p, pid_t tid, struct user_fpregs_struct *out,
		      gd_err *err);
	int (*read)(core_proc *p, uint64_t addr, void *buf, size_t len,
		    gd_err *err);
	int (*read_many)(core_proc *p, const uint64_t *addrs, size_t n,
			 size_t each, void *buf, uint8_t *ok, gd_err *err);
	int (*read_text)(core_proc *p, uint64_t addr, void *buf, size_t len,
			 gd_err *err);
	int (*auxv)(core_proc *p, uint64_t type, uint64_t *val, gd_err *err);
	int (*exe_path)(core_proc *p, char **out, gd_err *err);
	int (*maps)(core_proc *p, core_map **out, size_t *n, gd_err *err);
	int (*stop_signal)(const core_proc *p, pid_t *tid, int *signo,
			   int *code, uint64_t *addr);
	/* libunwind over this target: see core_unwind.h. */
	int (*unwind_begin)(core_proc *p, pid_t tid,
			    const struct user_regs_struct *from,
			    core_unwinder *out, gd_err *err);
	void (*unwind_end)(core_proc *p, core_unwinder *u);

	/* ---- run control (NULL: cannot) ---- */
	int (*launched)(const core_proc *p);
	int (*kill)(core_proc *p);
	int (*detach)(core_proc *p, gd_err *err);
	int (*wait)(core_proc *p, int block, core_stop *out, gd_err *err);
	int (*has_held)(const core_proc *p);
	int (*poll_exit)(core_proc *p, core_stop *out, gd_err *err);
	int (*stop_all)(core_proc *p, gd_err *err);
	int (*resume_all)(core_proc *p, gd_err *err);
	int (*resume_thread)(core_proc *p, pid_t tid, gd_err *err);
	int (*step_thread)(core_proc *p, pid_t tid, int *exited, gd_err *err);
	int (*run_thread)(core_proc *p, pid_t tid, gd_err *err);
	uint64_t (*thread_stepover)(const core_proc *p, pid_t tid);
	void (*thread_set_stepover)(core_proc *p, pid_t tid, uint64_t addr);
	void (*hold_new_threads)(core_proc *p, int hold);
	void (*set_jump_pads)(core_proc *p, int on);
	int (*set_regs)(core_proc *p, pid_t tid,
			const struct user_regs_struct *r, gd_err *err);
	int (*set_fpregs)(core_proc *p, pid_t tid,
			  const struct user_fpregs_struct *r, gd_err *err);
	int (*write)(core_proc *p, uint64_t addr, const void *buf, size_t len,
		     gd_err *err);
	int (*bp_add)(core_proc *p, uint64_t addr, gd_err *err);
	int (*bp_del)(core_proc *p, uint64_t addr, gd_err *err);
	int (*bp_has)(const core_proc *p, uint64_t addr);
	int (*kbp_add)(core_proc *p, uint64_t addr, const void *insns, size_t n,
		       gd_err *err);
	int (*kbp_del)(core_proc *p, uint64_t addr, gd_err *err);
	int (*klog_add)(core_proc *p, uint64_t addr, const void *cond,
			size_t ncond, const void *insns, size_t n,
			size_t recsize, gd_err *err);
	int (*klog_fd)(const core_proc *p);
	int (*klog_drain)(core_proc *p, core_klog_fn fn, void *ctx,
			  size_t max, uint64_t *lost, gd_err *err);
	int (*hw_set)(core_proc *p, int slot, uint64_t addr, int len, int rw,
		      gd_err *err);
	int (*hw_clear)(core_proc *p, int slot, gd_err *err);
} core_backend;

struct core_proc {
	const core_backend *be;
};

/* Register reg of r in libunwind's x86-64 numbering (the DWARF one), for
 * the backends' access_reg; 0 ok, -UNW_EBADREG for any other number. */
int core__unw_reg(const struct user_regs_struct *r, unw_regnum_t reg,
		  unw_word_t *val);

/* The two backends. */
extern const core_backend core__ptrace_backend;
extern const core_backend core__file_backend;

#endif
