/* Jump pads: a kernel breakpoint (core_kbp.c) whose instruction the kernel
 * can only run out of line by single-stepping it.  A uprobe on such an
 * instruction costs a debug trap per hit (11-14 us on the machines this was
 * measured on), while on an instruction the kernel emulates (a nop, a
 * push, a direct branch) it costs about 1 us.  So the breakpoint's address
 * gets a 5-byte `jmp` to a pad of ours, and the pad holds
 *
 *     nop                      <- the uprobe, emulated
 *     <the instruction>        relocated (RIP-relative operands)
 *     jmp <the next one>
 *
 * The registers at the nop are the registers at the breakpoint, so the
 * condition's eBPF program reads the same values there.
 *
 * The kernel puts uprobes on files, not on anonymous memory, so the pads
 * are pages of a file of godap's (created in $TMPDIR, mapped privately
 * into the program, then unlinked; godap keeps it open and names it to
 * perf_event_open as /proc/self/fd/N).  godap writes a pad with pwrite
 * before the uprobe goes on it, and never through the program's memory,
 * so the kernel reads the same instruction from the file as the program
 * runs (the uprobe copies it from the file).  One page per pad: once the
 * uprobe has written its int3 the page is the program's own copy, which
 * later writes to the file would not reach.
 *
 * Only an instruction of 5 bytes or more is covered (the jmp then lies
 * within it: no branch can land inside the jmp), that is not a branch, and
 * that cannot fault: its memory operand, if any, is RIP-relative (a
 * global) or on the stack.  A fault at a pad's address would reach the Go
 * runtime as a crash in foreign code instead of a panic.  A thread seen
 * stopped inside a pad is put back at the original address first
 * (core__pad_fixup), so neither the user nor a signal handler of the
 * program sees a pad's PC -- except a signal that comes with no stop of
 * ours in between, which the runtime ignores outside Go code (SIGURG) or
 * tolerates (SIGPROF). */
#include "core_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAD_PAGE CORE_PAD_PAGE

static uint64_t pad_at(const core_live *p, size_t k)
{
	return p->pads + k * PAD_PAGE;
}

/* 1 if every thread is stopped (a jmp is written into code that no thread
 * runs while it changes). */
static int all_stopped(const core_live *p)
{
	for (size_t i = 0; i < p->nthreads; i++)
		if (p->threads[i].state != CT_STOPPED)
			return 0;
	return p->nthreads > 0;
}

/* A stopped thread fit to make system calls: one stopped in user code,
 * else one whose system call was interrupted by our stop (rax one of the
 * kernel's -ERESTART* codes): the kernel restarts that call when the
 * thread resumes with its registers put back, and core__remote_syscall
 * clears orig_rax meanwhile so that the injected call is not taken for
 * it.  A launched program's only thread still at its exec stop is stepped
 * over its first instruction to get to user code.  NULL: none. */
static core_thread *injector(core_live *p)
{
	core_thread *restarting = NULL;
	for (size_t i = 0; i < p->nthreads; i++) {
		core_thread *t = &p->threads[i];
		struct user_regs_struct r;
		if (t->state != CT_STOPPED || live_regs(p, t->tid, &r, NULL) < 0)
			continue;
		if ((int64_t)r.orig_rax < 0)
			return t;
		/* ERESTARTSYS 512 .. ERESTART_RESTARTBLOCK 516 */
		if (!restarting && (int64_t)r.rax <= -512 && (int64_t)r.rax >= -516)
			restarting = t;
	}
	if (restarting)
		return restarting;
	if (p->nthreads != 1 || p->threads[0].state != CT_STOPPED)
		return NULL;
	core_thread *t = &p->threads[0];
	struct user_regs_struct r;
	if (live_regs(p, t->tid, &r, NULL) < 0 ||
	    (r.orig_rax != 59 && r.orig_rax != 322) ||
	    (r.rax != 0 && r.rax != (uint64_t)-ENOSYS))
		return NULL; /* not at execve's return (rax is still the
				entry's -ENOSYS there, 0 once it returns) */
	/* The first step ends at execve's return (the kernel reports a
	 * step there before any instruction ran); the second runs the
	 * program's first instruction. */
	for (int i = 0; i < 2 && (int64_t)r.orig_rax >= 0; i++) {
		int gone = 0;
		/* ignored: a thread that cannot be stepped is no injector. */
		if (core__step_in_place(p, t, &r, &gone, NULL) < 0 || gone)
			return NULL;
	}
	return (int64_t)r.orig_rax < 0 ? t : NULL;
}

/* Maps the pad area into the program, near addr (a rel32 jmp must reach
 * it).  GD_ENOTFOUND: no thread can make the calls now (a later stop may
 * have one); -1: it failed, and would again. */
static int pads_make(core_live *p, uint64_t addr, gd_err *err)
{
	core_thread *t = injector(p);
	if (!t)
		return GD_ENOTFOUND;
	const char *dir = getenv("TMPDIR");
	if (!dir || !dir[0])
		dir = "/tmp";
	size_t plen = strlen(dir) + sizeof("/godap-pad-XXXXXX");
	if (plen > PAD_PAGE)
		return gd_err_set(err, "TMPDIR is too long");
	char *path = malloc(plen);
	if (!path)
		return gd_err_set(err, "out of memory");
	snprintf(path, plen, "%s/godap-pad-XXXXXX", dir);
	int fd = mkostemp(path, O_CLOEXEC);
	if (fd < 0) {
		gd_err_sys(err, "mkstemp %s", path);
		free(path);
		return -1;
	}
	int rc = -1;
	uint64_t tmp = 0, rfd = (uint64_t)-1, area = 0;
	size_t size = (size_t)CORE_PAD_PAGES * PAD_PAGE;
	if (ftruncate(fd, (off_t)size) < 0) {
		gd_err_sys(err, "ftruncate %s", path);
		goto out;
	}
	/* The path goes through a page of the program's (its stack is the
	 * Go runtime's: no room below SP to borrow). */
	const uint64_t a_tmp[6] = {0, PAD_PAGE, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS, (uint64_t)-1, 0};
	if (core__remote_syscall(p, t, 9 /* mmap */, a_tmp, &tmp, err) < 0 ||
	    live_write(p, tmp, path, strlen(path) + 1, err) < 0)
		goto out;
	const uint64_t a_open[6] = {(uint64_t)(int64_t)AT_FDCWD, tmp,
				    O_RDONLY | O_CLOEXEC, 0, 0, 0};
	if (core__remote_syscall(p, t, 257 /* openat */, a_open, &rfd, err) < 0)
		goto out;
	/* Non-PIE Go text starts at 4 MiB: below it; else 256 MiB below
	 * the text.  Only a hint: the distance is checked per pad. */
	uint64_t hint = addr < (1ull << 31) ? 0x100000
			: (addr & ~0xffffffull) - (256ull << 20);
	const uint64_t a_map[6] = {hint, size, PROT_READ | PROT_EXEC,
				   MAP_PRIVATE, rfd, 0};
	if (core__remote_syscall(p, t, 9 /* mmap */, a_map, &area, err) < 0)
		goto out;
	p->pads = area;
	p->pad_fd = fd;
	fd = -1;
	gd_log_debug(p->log, "core: jump pads at %#lx", (unsigned long)area);
	rc = 0;
out:;
	uint64_t ignored;
	const uint64_t a_close[6] = {rfd, 0, 0, 0, 0, 0};
	const uint64_t a_unmap[6] = {tmp, PAD_PAGE, 0, 0, 0, 0};
	/* best effort: a descriptor or a page left in the program costs it
	 * nothing but the slot; the pads work either way. */
	if (rfd != (uint64_t)-1)
		(void)core__remote_syscall(p, t, 3 /* close */, a_close, &ignored, NULL);
	if (tmp)
		(void)core__remote_syscall(p, t, 11 /* munmap */, a_unmap, &ignored, NULL);
	/* The mapping keeps the file alive; its name is not needed again. */
	if (unlink(path) < 0)
		gd_log_info(p->log, "core: cannot remove %s: %s", path, strerror(errno));
	if (fd >= 0)
		close(fd);
	free(path);
	return rc;
}

/* 0 when the instruction at addr may move to a pad: long enough for the
 * jmp, not a branch, not able to fault. */
static int pad_fits(core_live *p, uint64_t addr, gd_err *err)
{
	uint8_t code[16];
	if (live_read_text(p, addr, code, sizeof(code), err) < 0)
		return -1;
	csh cs;
	cs_insn *in;
	if (core__decode(code, sizeof(code), addr, &cs, &in, err) < 0)
		return -1;
	int rc = -1;
	if (in->size < CORE_PAD_JMP) {
		gd_err_set(err, "%s is shorter than a jmp", in->mnemonic);
		goto out;
	}
	const cs_detail *d = in->detail;
	if (core__is_branch(in)) {
		gd_err_set(err, "%s is a branch", in->mnemonic);
		goto out;
	}
	if (in->id == X86_INS_SYSCALL || in->id == X86_INS_UD2 ||
	    in->id == X86_INS_HLT) {
		gd_err_set(err, "%s stays in place", in->mnemonic);
		goto out;
	}
	const cs_x86 *x = &d->x86;
	for (uint8_t i = 0; i < x->op_count; i++) {
		const cs_x86_op *o = &x->operands[i];
		if (o->type != X86_OP_MEM)
			continue;
		if (o->mem.segment != X86_REG_INVALID ||
		    o->mem.index != X86_REG_INVALID ||
		    (o->mem.base != X86_REG_RIP && o->mem.base != X86_REG_RSP)) {
			gd_err_set(err, "%s may fault (memory through a register)",
				   in->mnemonic);
			goto out;
		}
	}
	rc = 0;
out:
	core__decoded_end(&cs, in);
	return rc;
}

/* The page serving addr: the one it had, else a free one written now.
 * -1 when none can. */
static long pad_page(core_live *p, uint64_t addr, gd_err *err)
{
	size_t k, free_k = CORE_PAD_PAGES;
	for (k = 0; k < CORE_PAD_PAGES; k++) {
		if (p->pad_addr[k] == addr)
			return (long)k;
		if (!p->pad_addr[k] && free_k == CORE_PAD_PAGES)
			free_k = k;
	}
	if (free_k == CORE_PAD_PAGES)
		return gd_err_set(err, "all %d jump pads are taken", CORE_PAD_PAGES);
	k = free_k;
	uint64_t pad = pad_at(p, k);
	int64_t to_pad = (int64_t)(pad - (addr + CORE_PAD_JMP));
	if (to_pad != (int32_t)to_pad)
		return gd_err_set(err, "the pads are too far from %#lx",
				  (unsigned long)addr);
	uint8_t code[1 + 16 + CORE_PAD_JMP];
	int emulate = 0, is_call = 0;
	uint64_t target = 0;
	code[0] = 0x90;
	size_t n = core__relocate(p, addr, pad + 1, code + 1, &emulate, &target,
				  &is_call);
	if (!n || emulate)
		return gd_err_set(err, "the instruction cannot be relocated");
	int64_t back = (int64_t)((addr + n) - (pad + 1 + n + CORE_PAD_JMP));
	if (back != (int32_t)back)
		return gd_err_set(err, "the pads are too far from %#lx",
				  (unsigned long)addr);
	int32_t b32 = (int32_t)back;
	code[1 + n] = 0xE9;
	memcpy(code + 2 + n, &b32, 4);
	size_t len = 1 + n + CORE_PAD_JMP;
	if (pwrite(p->pad_fd, code, len, (off_t)(k * PAD_PAGE)) != (ssize_t)len)
		return gd_err_sys(err, "writing a jump pad");
	p->pad_addr[k] = addr;
	p->pad_len[k] = (uint8_t)n;
	return (long)k;
}

/* Writes the jmp to bp's pad at bp->addr (on), or the original bytes. */
static int pad_jmp(core_live *p, core_bp *bp, int on, gd_err *err)
{
	if (!on)
		return live_write(p, bp->addr, bp->pad_orig, CORE_PAD_JMP, err);
	uint8_t jmp[CORE_PAD_JMP] = {0xE9};
	int32_t rel = (int32_t)(int64_t)(pad_at(p, (size_t)bp->pad - 1) -
					 (bp->addr + CORE_PAD_JMP));
	memcpy(jmp + 1, &rel, 4);
	return live_write(p, bp->addr, jmp, CORE_PAD_JMP, err);
}

int core__pad_attach(core_live *p, core_bp *bp, int prog_fd, gd_err *err)
{
	if (p->pads_failed || p->pads_off || p->exited)
		return 0;
	gd_err why = GD_ERR_INIT;
	if (!all_stopped(p)) {
		gd_log_debug(p->log, "core: no jump pad for %#lx: the program runs",
			     (unsigned long)bp->addr);
		return 0;
	}
	if (pad_fits(p, bp->addr, &why) < 0)
		goto no;
	if (!p->pads) {
		int made = pads_make(p, bp->addr, &why);
		if (made == -1)
			p->pads_failed = 1;
		else if (made == GD_ENOTFOUND)
			gd_err_set(&why, "no thread stopped outside a system call");
		if (made < 0)
			goto no;
	}
	long k = pad_page(p, bp->addr, &why);
	if (k < 0)
		goto no;
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)getpid(), p->pad_fd);
	if (live_read_text(p, bp->addr, bp->pad_orig, CORE_PAD_JMP, &why) < 0)
		goto no;
	int fd = core__uprobe_open(path, (uint64_t)k * PAD_PAGE, prog_fd, &why);
	if (fd < 0)
		goto no;
	bp->pad = (int)k + 1;
	if (pad_jmp(p, bp, 1, err) < 0) {
		close(fd);
		bp->pad = 0;
		return -1;
	}
	bp->pad_on = 1;
	bp->perf_fd = fd;
	gd_log_debug(p->log, "core: kernel breakpoint %#lx through the jump pad "
		     "at %#lx", (unsigned long)bp->addr,
		     (unsigned long)pad_at(p, (size_t)k));
	return 1;
no:
	gd_log_debug(p->log, "core: no jump pad for %#lx: %s", (unsigned long)bp->addr,
		     gd_err_msg(&why));
	gd_err_clear(&why);
	return 0;
}

int core__pad_detach(core_live *p, core_bp *bp, gd_err *err)
{
	/* The jmp goes first: no thread enters the pad after the uprobe has
	 * gone; one inside runs through it and out. */
	int rc = p->exited ? 0 : pad_jmp(p, bp, 0, err);
	if (bp->perf_fd >= 0)
		close(bp->perf_fd);
	bp->perf_fd = -1;
	bp->pad_on = 0;
	return rc;
}

int core__pad_lift(core_live *p, core_bp *bp, int on, gd_err *err)
{
	return bp->pad_on ? pad_jmp(p, bp, on, err) : 0;
}

int core__pad_fixup(core_live *p, core_thread *t, gd_err *err)
{
	struct user_regs_struct r;
	if (live_regs(p, t->tid, &r, err) < 0)
		return -1;
	uint64_t end = p->pads + (uint64_t)CORE_PAD_PAGES * PAD_PAGE;
	if (r.rip < p->pads || r.rip >= end)
		return 0;
	size_t k = (r.rip - p->pads) / PAD_PAGE;
	uint64_t addr = p->pad_addr[k], pad = pad_at(p, k);
	size_t n = p->pad_len[k];
	if (!addr)
		return 0;
	/* Our program sent it SIGTRAP (not taken yet): core__kbp_trap takes
	 * it from here. */
	if (core__kbp_pending(p, t->tid))
		return 0;
	if (r.rip == pad + 1) {
		/* The uprobe fired for this pass: run the instruction now,
		 * or the program would pass the breakpoint twice. */
		int gone = 0;
		if (core__step_in_place(p, t, &r, &gone, err) < 0)
			return -1;
		if (gone)
			return CORE_FIXUP_GONE;
		r.rip = r.rip == pad + 1 + n ? addr + n : addr; /* addr: it faulted */
	} else {
		r.rip = r.rip <= pad ? addr : addr + n;
	}
	gd_log_debug(p->log, "core: thread %d stopped in the pad of %#lx: at %#lx",
		     (int)t->tid, (unsigned long)addr, (unsigned long)r.rip);
	t->regs = r;
	t->regs_valid = 2;
	return 0;
}

void core__pad_release(core_live *p)
{
	if (p->pad_fd >= 0)
		close(p->pad_fd);
	p->pad_fd = -1;
}
