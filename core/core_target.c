/* The public core_* functions: each goes through the target's backend
 * table.  A run-control entry the backend does not have fails with the
 * backend's reason (for a core file: CORE_ERR_IS_CORE). */
#include "core_backend.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cannot(const core_proc *p, gd_err *err)
{
	return gd_err_set(err, "%s", p->be->cannot ? p->be->cannot
				     : "the target cannot do that");
}

void core_free(core_proc *p)
{
	if (p)
		p->be->free(p);
}

int core_is_corefile(const core_proc *p) { return p->be->is_corefile; }
pid_t core_pid(const core_proc *p) { return p->be->pid(p); }

int core_thread_sleeping(core_proc *p, pid_t tid)
{
	if (!p->be->run_thread)
		return 0; /* a core file runs nothing */
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", (int)core_pid(p),
		 (int)tid);
	FILE *f = fopen(path, "re");
	if (!f)
		return 0;
	char buf[512];
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* "pid (comm) S ...": the comm may hold anything, so the last ')'. */
	const char *rp = strrchr(buf, ')');
	return rp && rp[1] == ' ' && (rp[2] == 'S' || rp[2] == 'D');
}
int core_exited(const core_proc *p) { return p->be->exited(p); }

size_t core_thread_count(const core_proc *p) { return p->be->thread_count(p); }
pid_t core_thread_tid(const core_proc *p, size_t i)
{
	return p->be->thread_tid(p, i);
}
int core_thread_stopped(const core_proc *p, pid_t tid)
{
	return p->be->thread_stopped(p, tid);
}

int core_regs(core_proc *p, pid_t tid, struct user_regs_struct *out,
	      gd_err *err)
{
	return p->be->regs(p, tid, out, err);
}

int core_fpregs(core_proc *p, pid_t tid, struct user_fpregs_struct *out,
		gd_err *err)
{
	return p->be->fpregs(p, tid, out, err);
}

int core_read(core_proc *p, uint64_t addr, void *buf, size_t len, gd_err *err)
{
	return p->be->read(p, addr, buf, len, err);
}

int core_read_many(core_proc *p, const uint64_t *addrs, size_t n, size_t each,
		   void *buf, uint8_t *ok, gd_err *err)
{
	return p->be->read_many(p, addrs, n, each, buf, ok, err);
}

int core_read_text(core_proc *p, uint64_t addr, void *buf, size_t len,
		   gd_err *err)
{
	return p->be->read_text(p, addr, buf, len, err);
}

int core_auxv(core_proc *p, uint64_t type, uint64_t *val, gd_err *err)
{
	return p->be->auxv(p, type, val, err);
}

int core_exe_path(core_proc *p, char **out, gd_err *err)
{
	return p->be->exe_path(p, out, err);
}

int core_maps(core_proc *p, core_map **out, size_t *n, gd_err *err)
{
	return p->be->maps(p, out, n, err);
}

void core_maps_free(core_map *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].path);
	free(v);
}

int core_stop_signal(const core_proc *p, pid_t *tid, int *signo, int *code,
		     uint64_t *addr)
{
	return p->be->stop_signal(p, tid, signo, code, addr);
}

int core_unwind_begin(core_proc *p, pid_t tid,
		      const struct user_regs_struct *from, core_unwinder *out,
		      gd_err *err)
{
	return p->be->unwind_begin(p, tid, from, out, err);
}

int core__unw_reg(const struct user_regs_struct *r, unw_regnum_t reg,
		  unw_word_t *val)
{
	const unsigned long long by_num[] = {
		r->rax, r->rdx, r->rcx, r->rbx, r->rsi, r->rdi, r->rbp, r->rsp,
		r->r8, r->r9, r->r10, r->r11, r->r12, r->r13, r->r14, r->r15,
		r->rip,
	};
	if (reg < 0 || (size_t)reg >= sizeof(by_num) / sizeof(by_num[0]))
		return -UNW_EBADREG;
	*val = by_num[reg];
	return 0;
}

void core_unwind_end(core_proc *p, core_unwinder *u)
{
	p->be->unwind_end(p, u);
}

/* ---- run control ---- */

int core_launched(const core_proc *p)
{
	return p->be->launched ? p->be->launched(p) : 0;
}

int core_kill(core_proc *p)
{
	/* ignored: core_kill has no gd_err; its callers only end
	 * sessions. */
	return p->be->kill ? p->be->kill(p) : cannot(p, NULL);
}

int core_detach(core_proc *p, gd_err *err)
{
	return p->be->detach ? p->be->detach(p, err) : cannot(p, err);
}

int core_wait(core_proc *p, int block, core_stop *out, gd_err *err)
{
	return p->be->wait ? p->be->wait(p, block, out, err) : cannot(p, err);
}

int core_has_held(const core_proc *p)
{
	return p->be->has_held ? p->be->has_held(p) : 0;
}

int core_poll_exit(core_proc *p, core_stop *out, gd_err *err)
{
	return p->be->poll_exit ? p->be->poll_exit(p, out, err) : 0;
}

int core_stop_all(core_proc *p, gd_err *err)
{
	return p->be->stop_all ? p->be->stop_all(p, err) : cannot(p, err);
}

int core_resume_all(core_proc *p, gd_err *err)
{
	return p->be->resume_all ? p->be->resume_all(p, err) : cannot(p, err);
}

int core_resume_thread(core_proc *p, pid_t tid, gd_err *err)
{
	return p->be->resume_thread ? p->be->resume_thread(p, tid, err)
				    : cannot(p, err);
}

int core_step_thread(core_proc *p, pid_t tid, int *exited, gd_err *err)
{
	return p->be->step_thread ? p->be->step_thread(p, tid, exited, err)
				  : cannot(p, err);
}

int core_run_thread(core_proc *p, pid_t tid, gd_err *err)
{
	return p->be->run_thread ? p->be->run_thread(p, tid, err)
				 : cannot(p, err);
}

uint64_t core_thread_stepover(const core_proc *p, pid_t tid)
{
	return p->be->thread_stepover ? p->be->thread_stepover(p, tid) : 0;
}

void core_thread_set_stepover(core_proc *p, pid_t tid, uint64_t addr)
{
	if (p->be->thread_set_stepover)
		p->be->thread_set_stepover(p, tid, addr);
}

void core_set_jump_pads(core_proc *p, int on)
{
	if (p->be->set_jump_pads)
		p->be->set_jump_pads(p, on);
}

void core_hold_new_threads(core_proc *p, int hold)
{
	if (p->be->hold_new_threads)
		p->be->hold_new_threads(p, hold);
}

int core_set_regs(core_proc *p, pid_t tid, const struct user_regs_struct *r,
		  gd_err *err)
{
	return p->be->set_regs ? p->be->set_regs(p, tid, r, err)
			       : cannot(p, err);
}

int core_set_fpregs(core_proc *p, pid_t tid,
		    const struct user_fpregs_struct *r, gd_err *err)
{
	return p->be->set_fpregs ? p->be->set_fpregs(p, tid, r, err)
				 : cannot(p, err);
}

int core_write(core_proc *p, uint64_t addr, const void *buf, size_t len,
	       gd_err *err)
{
	return p->be->write ? p->be->write(p, addr, buf, len, err)
			    : cannot(p, err);
}

int core_bp_add(core_proc *p, uint64_t addr, gd_err *err)
{
	return p->be->bp_add ? p->be->bp_add(p, addr, err) : cannot(p, err);
}

int core_bp_del(core_proc *p, uint64_t addr, gd_err *err)
{
	return p->be->bp_del ? p->be->bp_del(p, addr, err) : cannot(p, err);
}

int core_kbp_add(core_proc *p, uint64_t addr, const void *insns, size_t n,
		 gd_err *err)
{
	return p->be->kbp_add ? p->be->kbp_add(p, addr, insns, n, err)
			      : cannot(p, err);
}

int core_kbp_del(core_proc *p, uint64_t addr, gd_err *err)
{
	return p->be->kbp_del ? p->be->kbp_del(p, addr, err) : cannot(p, err);
}

int core_klog_add(core_proc *p, uint64_t addr, const void *cond, size_t ncond,
		  const void *insns, size_t n, size_t recsize, gd_err *err)
{
	return p->be->klog_add ? p->be->klog_add(p, addr, cond, ncond, insns, n,
						 recsize, err)
			       : cannot(p, err);
}

int core_klog_fd(const core_proc *p)
{
	return p->be->klog_fd ? p->be->klog_fd(p) : -1;
}

int core_klog_drain(core_proc *p, core_klog_fn fn, void *ctx, size_t max,
		    uint64_t *lost, gd_err *err)
{
	*lost = 0;
	return p->be->klog_drain ? p->be->klog_drain(p, fn, ctx, max, lost, err)
				 : 0;
}

int core_bp_has(const core_proc *p, uint64_t addr)
{
	return p->be->bp_has ? p->be->bp_has(p, addr) : 0;
}

int core_hw_set(core_proc *p, int slot, uint64_t addr, int len, int rw,
		gd_err *err)
{
	return p->be->hw_set ? p->be->hw_set(p, slot, addr, len, rw, err)
			     : cannot(p, err);
}

int core_hw_clear(core_proc *p, int slot, gd_err *err)
{
	return p->be->hw_clear ? p->be->hw_clear(p, slot, err)
			       : cannot(p, err);
}
