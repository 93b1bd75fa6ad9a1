/* System calls made by the program on godap's behalf: a stopped thread is
 * pointed at a `syscall` instruction already in the program's text, with
 * the call's number and arguments in its registers, and single-stepped
 * once; its registers are then put back.  This is how godap maps pages of
 * its own into the program (the scratch page of displaced steps, the jump
 * pads of kernel breakpoints) without writing code into the text other
 * threads run. */
#include "core_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>

/* Some `syscall` instruction's bytes in the program's first executable
 * mapping that has one.  Found once: the text does not move. */
static int find_syscall_insn(core_live *p, uint64_t *at, gd_err *err)
{
	if (p->syscall_insn) {
		*at = p->syscall_insn;
		return 0;
	}
	core_map *m;
	size_t n;
	if (live_maps(p, &m, &n, err) < 0)
		return -1;
	int rc = gd_err_set(err, "no syscall instruction found");
	for (size_t i = 0; i < n && rc < 0; i++) {
		if (!m[i].exec)
			continue;
		size_t len = m[i].hi - m[i].lo > (1u << 22) ? (1u << 22)
							    : m[i].hi - m[i].lo;
		uint8_t *buf = malloc(len);
		/* best effort: another executable mapping may do. */
		if (buf && live_read_text(p, m[i].lo, buf, len, NULL) == 0) {
			const uint8_t *hit = memmem(buf, len, "\x0f\x05", 2);
			if (hit) {
				*at = p->syscall_insn = m[i].lo + (uint64_t)(hit - buf);
				gd_err_clear(err);
				rc = 0;
			}
		}
		free(buf);
	}
	core_maps_free(m, n);
	return rc;
}

int core__remote_syscall(core_live *p, core_thread *t, long nr,
			 const uint64_t a[6], uint64_t *ret, gd_err *err)
{
	uint64_t sys = 0;
	if (find_syscall_insn(p, &sys, err) < 0)
		return -1;
	struct user_regs_struct saved, r;
	if (live_regs(p, t->tid, &saved, err) < 0)
		return -1;
	r = saved;
	r.rip = sys;
	r.rax = (uint64_t)nr;
	/* Not a system call being restarted: the kernel must not rewind
	 * the PC or reload rax on the way out of this stop. */
	r.orig_rax = (uint64_t)-1;
	r.rdi = a[0];
	r.rsi = a[1];
	r.rdx = a[2];
	r.r10 = a[3];
	r.r8 = a[4];
	r.r9 = a[5];
	int rc = -1;
	if (ptrace(PTRACE_SETREGS, t->tid, 0, &r) < 0 ||
	    ptrace(PTRACE_SINGLESTEP, t->tid, 0, 0) < 0) {
		gd_err_sys(err, "remote system call %ld", nr);
		goto restore;
	}
	for (;;) {
		int st;
		pid_t w = core__wait_thread(p, t->tid, &st);
		if (w < 0 || !WIFSTOPPED(st)) {
			gd_err_set(err, "remote system call %ld: the thread did "
				   "not stop", nr);
			goto restore;
		}
		if ((st >> 16) == 0 && WSTOPSIG(st) == SIGTRAP)
			break;
		/* A signal for the program: held for its next resume. */
		if ((st >> 16) == 0)
			t->pending_sig = WSTOPSIG(st);
		if (ptrace(PTRACE_SINGLESTEP, t->tid, 0, 0) < 0) {
			gd_err_sys(err, "remote system call %ld", nr);
			goto restore;
		}
	}
	if (ptrace(PTRACE_GETREGS, t->tid, 0, &r) < 0 || r.rip != sys + 2) {
		gd_err_set(err, "remote system call %ld did not run", nr);
		goto restore;
	}
	if ((int64_t)r.rax < 0 && (int64_t)r.rax > -4096) {
		gd_err_set(err, "remote system call %ld failed: %s", nr,
			   strerror((int)-(int64_t)r.rax));
		goto restore;
	}
	*ret = r.rax;
	rc = 0;
restore:
	/* best effort: a thread whose registers cannot be put back is gone
	 * (killed meanwhile); the next wait reports it. */
	(void)ptrace(PTRACE_SETREGS, t->tid, 0, &saved);
	t->regs = saved;
	t->regs_valid = 1;
	return rc;
}
