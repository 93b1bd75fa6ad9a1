/* Hardware watchpoints through the x86 debug registers, written with
 * PTRACE_POKEUSER into struct user's u_debugreg. */
#include "core_internal.h"

#include <errno.h>
#include <stddef.h>
#include <sys/ptrace.h>

#define DR_OFF(i) offsetof(struct user, u_debugreg[i])

static uint64_t dr7_of(const core_live *p)
{
	uint64_t dr7 = 0;
	for (int i = 0; i < CORE_HW_SLOTS; i++) {
		const core_hw *h = &p->hw[i];
		if (!h->active)
			continue;
		/* LEN encoding: 1->00, 2->01, 8->10, 4->11. */
		uint64_t len = h->len == 1 ? 0 : h->len == 2 ? 1 : h->len == 8 ? 2 : 3;
		dr7 |= 1ull << (i * 2); /* local enable */
		dr7 |= ((uint64_t)h->rw & 3) << (16 + i * 4);
		dr7 |= len << (18 + i * 4);
	}
	return dr7;
}

int core__hw_apply(core_live *p, pid_t tid, gd_err *err)
{
	uint64_t dr7 = dr7_of(p);
	int any = 0;
	for (int i = 0; i < CORE_HW_SLOTS; i++)
		any |= p->hw[i].active;
	if (!any) {
		/* Nothing to watch: make sure nothing is armed (a fresh
		 * thread has DR7 = 0 already; skip the syscall). */
		return 0;
	}
	/* DR7 off while the addresses change, then on. */
	if (ptrace(PTRACE_POKEUSER, tid, (void *)DR_OFF(7), (void *)0) < 0)
		goto fail;
	for (int i = 0; i < CORE_HW_SLOTS; i++)
		if (p->hw[i].active &&
		    ptrace(PTRACE_POKEUSER, tid, (void *)DR_OFF(i),
			   (void *)(uintptr_t)p->hw[i].addr) < 0)
			goto fail;
	if (ptrace(PTRACE_POKEUSER, tid, (void *)DR_OFF(7), (void *)(uintptr_t)dr7) < 0)
		goto fail;
	return 0;
fail:
	if (errno == ESRCH)
		return 0; /* the thread is gone */
	return gd_err_sys(err, "setting debug registers of thread %d", (int)tid);
}

static int apply_all(core_live *p, gd_err *err)
{
	uint64_t dr7 = dr7_of(p);
	for (size_t i = 0; i < p->nthreads; i++) {
		core_thread *t = &p->threads[i];
		if (t->state != CT_STOPPED)
			return gd_err_set(err, "thread %d is running", (int)t->tid);
		if (dr7 == 0) {
			if (ptrace(PTRACE_POKEUSER, t->tid, (void *)DR_OFF(7), (void *)0) < 0 &&
			    errno != ESRCH)
				return gd_err_sys(err, "clearing debug registers of "
						  "thread %d", (int)t->tid);
			continue;
		}
		if (core__hw_apply(p, t->tid, err) < 0)
			return -1;
	}
	return 0;
}

int live_hw_set(core_live *p, int slot, uint64_t addr, int len, int rw,
		gd_err *err)
{
	if (slot < 0 || slot >= CORE_HW_SLOTS)
		return gd_err_set(err, "no debug register %d", slot);
	if (len != 1 && len != 2 && len != 4 && len != 8)
		return gd_err_set(err, "a watchpoint covers 1, 2, 4 or 8 bytes, "
				  "not %d", len);
	if (addr % (uint64_t)len)
		return gd_err_set(err, "a %d-byte watchpoint needs an address "
				  "aligned to %d (%#lx is not)", len, len,
				  (unsigned long)addr);
	if (rw != CORE_HW_WRITE && rw != CORE_HW_READWRITE)
		return gd_err_set(err, "unsupported watchpoint access type");
	p->hw[slot] = (core_hw){1, addr, len, rw};
	if (apply_all(p, err) < 0) {
		p->hw[slot].active = 0;
		/* best effort: err tells why the watchpoint failed; this only
		 * takes it back out of the threads that did get it. */
		(void)apply_all(p, NULL);
		return -1;
	}
	return core__kbp_watch_guard(p, err);
}

int live_hw_clear(core_live *p, int slot, gd_err *err)
{
	if (slot < 0 || slot >= CORE_HW_SLOTS)
		return gd_err_set(err, "no debug register %d", slot);
	if (!p->hw[slot].active)
		return 0;
	p->hw[slot].active = 0;
	if (apply_all(p, err) < 0)
		return -1;
	return core__kbp_watch_guard(p, err);
}

int core__hw_slot(core_live *p, pid_t tid)
{
	(void)p;
	errno = 0;
	long dr6 = ptrace(PTRACE_PEEKUSER, tid, (void *)DR_OFF(6), 0);
	if (dr6 == -1 && errno)
		return -1;
	ptrace(PTRACE_POKEUSER, tid, (void *)DR_OFF(6), (void *)0);
	for (int i = 0; i < CORE_HW_SLOTS; i++)
		if (dr6 & (1L << i))
			return i;
	return -1;
}
