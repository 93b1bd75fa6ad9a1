/* The ptrace backend's table: the live process of core_proc.c and friends
 * behind the core_backend entries, plus what only the table asks for (the
 * executable, libunwind-ptrace). */
#include "core_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libunwind-ptrace.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>


#define L(p) core__live(p)
#define CL(p) core__clive(p)

static void t_free(core_proc *p) { live_free(L(p)); }
static pid_t t_pid(const core_proc *p) { return live_pid(CL(p)); }
static int t_exited(const core_proc *p) { return live_exited(CL(p)); }
static size_t t_thread_count(const core_proc *p)
{
	return live_thread_count(CL(p));
}
static pid_t t_thread_tid(const core_proc *p, size_t i)
{
	return live_thread_tid(CL(p), i);
}
static int t_thread_stopped(const core_proc *p, pid_t tid)
{
	return live_thread_stopped(CL(p), tid);
}
static int t_regs(core_proc *p, pid_t tid, struct user_regs_struct *out,
		  gd_err *err)
{
	return live_regs(L(p), tid, out, err);
}
static int t_fpregs(core_proc *p, pid_t tid, struct user_fpregs_struct *out,
		    gd_err *err)
{
	return live_fpregs(L(p), tid, out, err);
}
static int t_read(core_proc *p, uint64_t addr, void *buf, size_t len,
		  gd_err *err)
{
	return live_read(L(p), addr, buf, len, err);
}
static int t_read_many(core_proc *p, const uint64_t *addrs, size_t n,
		       size_t each, void *buf, uint8_t *ok, gd_err *err)
{
	return live_read_many(L(p), addrs, n, each, buf, ok, err);
}
static int t_read_text(core_proc *p, uint64_t addr, void *buf, size_t len,
		       gd_err *err)
{
	return live_read_text(L(p), addr, buf, len, err);
}
static int t_auxv(core_proc *p, uint64_t type, uint64_t *val, gd_err *err)
{
	return live_auxv(L(p), type, val, err);
}

static int t_exe_path(core_proc *p, char **out, gd_err *err)
{
	char link[64];
	snprintf(link, sizeof(link), "/proc/%d/exe", (int)live_pid(L(p)));
	*out = realpath(link, NULL);
	if (!*out)
		return gd_err_sys(err, "%s", link);
	return 0;
}

static int t_maps(core_proc *p, core_map **out, size_t *n, gd_err *err)
{
	return live_maps(L(p), out, n, err);
}

static int t_stop_signal(const core_proc *p, pid_t *tid, int *signo,
			 int *code, uint64_t *addr)
{
	/* A live stop's reason comes from core_wait, not from here. */
	(void)p, (void)tid, (void)signo, (void)code, (void)addr;
	return 1;
}

/* Unwinding from given registers: libunwind-ptrace reads registers from
 * the thread itself, so frame 0's come from accessors that wrap its own.
 * Everything else goes to libunwind-ptrace with its own argument and an
 * address space of its plain accessors (its table search calls back into
 * the address space it is given, with that argument). */
typedef struct live_unw_from {
	void *upt;
	unw_addr_space_t plain;
	struct user_regs_struct regs;
} live_unw_from;

static int lf_find_proc_info(unw_addr_space_t as, unw_word_t ip,
			     unw_proc_info_t *pi, int need, void *arg)
{
	(void)as;
	live_unw_from *f = arg;
	return _UPT_find_proc_info(f->plain, ip, pi, need, f->upt);
}

static void lf_put_unwind_info(unw_addr_space_t as, unw_proc_info_t *pi,
			       void *arg)
{
	(void)as;
	live_unw_from *f = arg;
	_UPT_put_unwind_info(f->plain, pi, f->upt);
}

static int lf_get_dyn_info_list_addr(unw_addr_space_t as, unw_word_t *dil,
				     void *arg)
{
	(void)as;
	live_unw_from *f = arg;
	return _UPT_get_dyn_info_list_addr(f->plain, dil, f->upt);
}

static int lf_access_mem(unw_addr_space_t as, unw_word_t addr,
			 unw_word_t *val, int write, void *arg)
{
	(void)as;
	live_unw_from *f = arg;
	if (write)
		return -UNW_EREADONLYREG; /* unwinding only reads */
	return _UPT_access_mem(f->plain, addr, val, 0, f->upt);
}

static int lf_access_reg(unw_addr_space_t as, unw_regnum_t reg,
			 unw_word_t *val, int write, void *arg)
{
	(void)as;
	live_unw_from *f = arg;
	if (write)
		return -UNW_EREADONLYREG; /* never the thread's registers */
	return core__unw_reg(&f->regs, reg, val);
}

static int lf_access_fpreg(unw_addr_space_t as, unw_regnum_t reg,
			   unw_fpreg_t *val, int write, void *arg)
{
	(void)as, (void)reg, (void)val, (void)write, (void)arg;
	return -UNW_EBADREG; /* unwinding needs none on x86-64 */
}

static int lf_resume(unw_addr_space_t as, unw_cursor_t *c, void *arg)
{
	(void)as, (void)c, (void)arg;
	return -UNW_EINVAL; /* these registers are no thread's */
}

static int lf_get_proc_name(unw_addr_space_t as, unw_word_t ip, char *buf,
			    size_t len, unw_word_t *off, void *arg)
{
	(void)as;
	live_unw_from *f = arg;
	return _UPT_get_proc_name(f->plain, ip, buf, len, off, f->upt);
}

static unw_accessors_t lf_accessors = {
	.find_proc_info = lf_find_proc_info,
	.put_unwind_info = lf_put_unwind_info,
	.get_dyn_info_list_addr = lf_get_dyn_info_list_addr,
	.access_mem = lf_access_mem,
	.access_reg = lf_access_reg,
	.access_fpreg = lf_access_fpreg,
	.resume = lf_resume,
	.get_proc_name = lf_get_proc_name,
};

static int t_unwind_begin(core_proc *p, pid_t tid,
			  const struct user_regs_struct *from,
			  core_unwinder *u, gd_err *err)
{
	(void)p;
	memset(u, 0, sizeof(*u));
	live_unw_from *f = NULL;
	if (from) {
		f = calloc(1, sizeof(*f));
		if (!f)
			return gd_err_set(err, "out of memory");
		f->regs = *from;
	}
	void *upt = _UPT_create(tid);
	unw_addr_space_t plain = unw_create_addr_space(&_UPT_accessors, 0);
	unw_addr_space_t as = from ? unw_create_addr_space(&lf_accessors, 0)
				   : plain;
	if (!upt || !plain || !as) {
		if (upt)
			_UPT_destroy(upt);
		if (as && as != plain)
			unw_destroy_addr_space(as);
		if (plain)
			unw_destroy_addr_space(plain);
		free(f);
		return gd_err_set(err, "libunwind: cannot unwind thread %d",
				  (int)tid);
	}
	u->as = as;
	if (f) {
		f->upt = upt;
		f->plain = plain;
		u->arg = f;
		u->priv = f;
	} else {
		u->arg = upt;
	}
	return 0;
}

static void t_unwind_end(core_proc *p, core_unwinder *u)
{
	(void)p;
	live_unw_from *f = u->priv;
	if (f) {
		_UPT_destroy(f->upt);
		unw_destroy_addr_space(f->plain);
		free(f);
	} else {
		_UPT_destroy(u->arg);
	}
	unw_destroy_addr_space(u->as);
}

static int t_launched(const core_proc *p) { return live_launched(CL(p)); }
static int t_kill(core_proc *p) { return live_kill(L(p)); }
static int t_detach(core_proc *p, gd_err *err)
{
	return live_detach(L(p), err);
}
static int t_wait(core_proc *p, int block, core_stop *out, gd_err *err)
{
	return live_wait(L(p), block, out, err);
}
static int t_has_held(const core_proc *p) { return live_has_held(CL(p)); }
static int t_poll_exit(core_proc *p, core_stop *out, gd_err *err)
{
	return live_poll_exit(L(p), out, err);
}
static int t_stop_all(core_proc *p, gd_err *err)
{
	return live_stop_all(L(p), err);
}
static int t_resume_all(core_proc *p, gd_err *err)
{
	return live_resume_all(L(p), err);
}
static int t_resume_thread(core_proc *p, pid_t tid, gd_err *err)
{
	return live_resume_thread(L(p), tid, err);
}
static int t_step_thread(core_proc *p, pid_t tid, int *exited, gd_err *err)
{
	return live_step_thread(L(p), tid, exited, err);
}
static int t_set_regs(core_proc *p, pid_t tid,
		      const struct user_regs_struct *r, gd_err *err)
{
	return live_set_regs(L(p), tid, r, err);
}
static int t_set_fpregs(core_proc *p, pid_t tid,
			const struct user_fpregs_struct *r, gd_err *err)
{
	return live_set_fpregs(L(p), tid, r, err);
}
static int t_run_thread(core_proc *p, pid_t tid, gd_err *err)
{
	return live_run_thread(L(p), tid, err);
}
static uint64_t t_thread_stepover(const core_proc *p, pid_t tid)
{
	return live_thread_stepover(CL(p), tid);
}
static void t_thread_set_stepover(core_proc *p, pid_t tid, uint64_t addr)
{
	live_thread_set_stepover(L(p), tid, addr);
}
static void t_set_jump_pads(core_proc *p, int on)
{
	L(p)->pads_off = !on;
}
static void t_hold_new_threads(core_proc *p, int hold)
{
	live_hold_new_threads(L(p), hold);
}
static int t_write(core_proc *p, uint64_t addr, const void *buf, size_t len,
		   gd_err *err)
{
	return live_write(L(p), addr, buf, len, err);
}
static int t_bp_add(core_proc *p, uint64_t addr, gd_err *err)
{
	return live_bp_add(L(p), addr, err);
}
static int t_bp_del(core_proc *p, uint64_t addr, gd_err *err)
{
	return live_bp_del(L(p), addr, err);
}
static int t_kbp_add(core_proc *p, uint64_t addr, const void *insns, size_t n,
		     gd_err *err)
{
	return live_kbp_add(L(p), addr, insns, n, err);
}
static int t_klog_add(core_proc *p, uint64_t addr, const void *cond,
		      size_t ncond, const void *insns, size_t n, size_t recsize,
		      gd_err *err)
{
	return live_klog_add(L(p), addr, cond, ncond, insns, n, recsize, err);
}
static int t_klog_fd(const core_proc *p)
{
	return live_klog_fd((const core_live *)p);
}
static int t_klog_drain(core_proc *p, core_klog_fn fn, void *ctx,
			size_t max, uint64_t *lost, gd_err *err)
{
	return live_klog_drain(L(p), fn, ctx, max, lost, err);
}
static int t_kbp_del(core_proc *p, uint64_t addr, gd_err *err)
{
	return live_kbp_del(L(p), addr, err);
}
static int t_bp_has(const core_proc *p, uint64_t addr)
{
	return live_bp_has(CL(p), addr);
}
static int t_hw_set(core_proc *p, int slot, uint64_t addr, int len, int rw,
		    gd_err *err)
{
	return live_hw_set(L(p), slot, addr, len, rw, err);
}
static int t_hw_clear(core_proc *p, int slot, gd_err *err)
{
	return live_hw_clear(L(p), slot, err);
}

const core_backend core__ptrace_backend = {
	.name = "ptrace",
	.cannot = "the process cannot do that",
	.is_corefile = 0,
	.free = t_free,
	.pid = t_pid,
	.exited = t_exited,
	.thread_count = t_thread_count,
	.thread_tid = t_thread_tid,
	.thread_stopped = t_thread_stopped,
	.regs = t_regs,
	.fpregs = t_fpregs,
	.read = t_read,
	.read_many = t_read_many,
	.read_text = t_read_text,
	.auxv = t_auxv,
	.exe_path = t_exe_path,
	.maps = t_maps,
	.stop_signal = t_stop_signal,
	.unwind_begin = t_unwind_begin,
	.unwind_end = t_unwind_end,
	.launched = t_launched,
	.kill = t_kill,
	.detach = t_detach,
	.wait = t_wait,
	.has_held = t_has_held,
	.poll_exit = t_poll_exit,
	.stop_all = t_stop_all,
	.resume_all = t_resume_all,
	.resume_thread = t_resume_thread,
	.step_thread = t_step_thread,
	.set_regs = t_set_regs,
	.set_fpregs = t_set_fpregs,
	.run_thread = t_run_thread,
	.thread_stepover = t_thread_stepover,
	.thread_set_stepover = t_thread_set_stepover,
	.hold_new_threads = t_hold_new_threads,
	.set_jump_pads = t_set_jump_pads,
	.write = t_write,
	.bp_add = t_bp_add,
	.bp_del = t_bp_del,
	.bp_has = t_bp_has,
	.kbp_add = t_kbp_add,
	.kbp_del = t_kbp_del,
	.klog_add = t_klog_add,
	.klog_fd = t_klog_fd,
	.klog_drain = t_klog_drain,
	.hw_set = t_hw_set,
	.hw_clear = t_hw_clear,
};
