/* Displaced stepping: a thread sitting on a breakpoint runs the original
 * instruction from a scratch page instead of at its own address, so the
 * int3 stays in place and the other threads never stop.  That turns a
 * false condition or a logpoint into one thread's stop, not the program's.
 *
 * The scratch page is mapped into the program at exec by a remote mmap.
 * Instructions that depend on where they run are relocated (RIP-relative
 * operands) or emulated (direct CALL/JMP); the rest (conditional jumps,
 * RET, indirect branches, syscalls) fall back to stopping everything. */
#include "core_internal.h"

#include <capstone/capstone.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/wait.h>

#define SCRATCH_HINT 0x300000ull /* near a non-PIE Go text: RIP-relative
				    displacements still fit in 32 bits */

/* Maps the scratch page by making thread t (stopped, not inside a
 * system call) run mmap. */
static int scratch_map(core_live *p, core_thread *t, gd_err *err)
{
	const uint64_t a[6] = {SCRATCH_HINT, 4096, PROT_READ | PROT_EXEC,
			       MAP_PRIVATE | MAP_ANONYMOUS, (uint64_t)-1, 0};
	uint64_t at = 0;
	if (core__remote_syscall(p, t, 9 /* mmap */, a, &at, err) < 0)
		return gd_err_wrap(err, "remote mmap");
	p->scratch = at;
	gd_log_debug(p->log, "core: scratch page at %#lx", (unsigned long)at);
	return 0;
}

int core__decode(const uint8_t *code, size_t len, uint64_t addr, csh *cs,
		 cs_insn **in, gd_err *err)
{
	if (cs_open(CS_ARCH_X86, CS_MODE_64, cs) != CS_ERR_OK)
		return gd_err_set(err, "capstone");
	cs_option(*cs, CS_OPT_DETAIL, CS_OPT_ON);
	if (cs_disasm(*cs, code, len, addr, 1, in) != 1) {
		cs_close(cs);
		return gd_err_set(err, "instruction not decoded");
	}
	return 0;
}

void core__decoded_end(csh *cs, cs_insn *in)
{
	cs_free(in, 1);
	cs_close(cs);
}

int core__is_branch(const cs_insn *in)
{
	const cs_detail *d = in->detail;
	for (int i = 0; i < d->groups_count; i++) {
		uint8_t g = d->groups[i];
		if (g == X86_GRP_JUMP || g == X86_GRP_CALL || g == X86_GRP_RET ||
		    g == X86_GRP_INT || g == X86_GRP_IRET)
			return 1;
	}
	return 0;
}

/* Decodes the original instruction at addr.  Returns the length, or 0 if
 * it cannot be displaced; fills the relocated bytes, or marks an emulated
 * direct branch (*target set, *is_call for CALL). */
size_t core__relocate(core_live *p, uint64_t addr, uint64_t where,
		      uint8_t *out, int *emulate, uint64_t *target, int *is_call)
{
	uint8_t code[16];
	/* ignored: unreadable code is code that cannot be displaced (0);
	 * the caller then steps it in place with every thread stopped. */
	if (live_read_text(p, addr, code, sizeof(code), NULL) < 0)
		return 0;
	csh cs;
	cs_insn *insn;
	size_t len = 0;
	*emulate = 0;
	/* ignored: an instruction not decoded cannot be displaced (0). */
	if (core__decode(code, sizeof(code), addr, &cs, &insn, NULL) < 0)
		return 0;
	const cs_detail *d = insn->detail;
	int branch = core__is_branch(insn);
	const cs_x86 *x = &d->x86;
	len = insn->size;
	if (branch) {
		int direct = x->op_count == 1 && x->operands[0].type == X86_OP_IMM;
		if (direct && (insn->id == X86_INS_CALL || insn->id == X86_INS_JMP)) {
			*emulate = 1;
			*target = (uint64_t)x->operands[0].imm;
			*is_call = insn->id == X86_INS_CALL;
		} else {
			len = 0;
		}
	} else if (insn->id == X86_INS_SYSCALL || insn->id == X86_INS_INT3) {
		len = 0;
	} else {
		memcpy(out, code, len);
		int riprel = 0;
		for (int i = 0; i < x->op_count; i++)
			if (x->operands[i].type == X86_OP_MEM &&
			    x->operands[i].mem.base == X86_REG_RIP)
				riprel = 1;
		if (riprel) {
			/* The displacement is relative to the next
			 * instruction: keep the target the same. */
			int64_t nd = x->disp + (int64_t)(addr - where);
			if (x->encoding.disp_size != 4 || nd != (int32_t)nd) {
				len = 0;
			} else {
				int32_t d32 = (int32_t)nd;
				memcpy(out + x->encoding.disp_offset, &d32, 4);
			}
		}
	}
	core__decoded_end(&cs, insn);
	return len;
}

/* A slot of the scratch page for the instruction at addr: the one it had
 * already (nothing to write), else a free one.  0 when the page is full. */
static uint64_t slot_for(core_live *p, uint64_t addr, int *fresh)
{
	*fresh = 0;
	for (size_t i = 1; i < CORE_SCRATCH_SLOTS; i++)
		if (p->slot_addr[i] == addr)
			return p->scratch + i * CORE_SCRATCH_SLOT;
	for (size_t i = 1; i < CORE_SCRATCH_SLOTS; i++) {
		if (p->slot_addr[i] == 0) {
			*fresh = 1;
			p->slot_addr[i] = addr;
			return p->scratch + i * CORE_SCRATCH_SLOT;
		}
	}
	return 0;
}

/* Decodes the instruction under bp once, and gives a relocatable one a
 * slot: the instruction then `jmp *0(%rip)` to the next original one. */
static int prepare_bp(core_live *p, core_bp *bp, gd_err *err)
{
	int emulate = 0, is_call = 0, fresh = 0;
	uint64_t target = 0;
	uint64_t slot = slot_for(p, bp->addr, &fresh);
	uint64_t where = slot ? slot : p->scratch;
	size_t n = core__relocate(p, bp->addr, where, bp->disp_bytes, &emulate, &target,
			   &is_call);
	bp->disp_state = n ? 1 : -1;
	bp->disp_len = (uint8_t)n;
	bp->disp_emulate = (uint8_t)emulate;
	bp->disp_call = (uint8_t)is_call;
	bp->disp_target = target;
	if (!slot)
		return 0;
	if (!n || emulate) {
		if (fresh)
			p->slot_addr[(slot - p->scratch) / CORE_SCRATCH_SLOT] = 0;
		return 0;
	}
	if (fresh) {
		uint8_t code[CORE_SCRATCH_SLOT];
		memset(code, 0xCC, sizeof(code));
		memcpy(code, bp->disp_bytes, n);
		static const uint8_t jmp_abs[6] = {0xFF, 0x25, 0, 0, 0, 0};
		uint64_t back = bp->addr + n;
		memcpy(code + n, jmp_abs, sizeof(jmp_abs));
		memcpy(code + n + sizeof(jmp_abs), &back, sizeof(back));
		if (live_write(p, slot, code, n + sizeof(jmp_abs) + sizeof(back),
			       err) < 0) {
			p->slot_addr[(slot - p->scratch) / CORE_SCRATCH_SLOT] = 0;
			return -1;
		}
	}
	bp->slot = slot;
	return 0;
}

/* One single step of t where it stands (t->regs first, when they are
 * dirty); a signal met before the step is held in t->pending_sig (the
 * last one wins; a fault ends the step).  *gone: the thread exited, and is
 * removed.  Leaves the registers after the step in *r and t->regs. */
int core__step_in_place(core_live *p, core_thread *t,
			struct user_regs_struct *r, int *gone, gd_err *err)
{
	if (t->regs_valid == 2 && ptrace(PTRACE_SETREGS, t->tid, 0, &t->regs) < 0)
		return gd_err_sys(err, "ptrace(PTRACE_SETREGS, %d)", (int)t->tid);
	t->regs_valid = 0;
	for (;;) {
		if (ptrace(PTRACE_SINGLESTEP, t->tid, 0, 0) < 0)
			return gd_err_sys(err, "ptrace(PTRACE_SINGLESTEP, %d)", (int)t->tid);
		int st;
		pid_t w = core__wait_thread(p, t->tid, &st);
		if (w < 0)
			return gd_err_sys(err, "waitpid(%d)", (int)t->tid);
		if (WIFEXITED(st) || WIFSIGNALED(st)) {
			/* Let the main wait loop see the exit: nothing to
			 * resume here. */
			core__thread_remove(p, t->tid);
			*gone = 1;
			return 0;
		}
		int sig = WSTOPSIG(st), event = st >> 16;
		if (event)
			continue; /* a leftover interrupt: step again */
		if (sig == SIGTRAP) {
			/* The step's trap also carries any watchpoint the
			 * instruction hit (DR6): held, and reported by
			 * core_wait as a hit, instead of lost with the step. */
			int armed = 0;
			for (int i = 0; i < CORE_HW_SLOTS; i++)
				armed |= p->hw[i].active;
			int slot = armed ? core__hw_slot(p, t->tid) : -1;
			if (slot >= 0)
				t->held_watch = slot + 1;
			break;
		}
		/* Held until the instruction has run; a fault (a nil check,
		 * say) means it did not: the program must see it at the
		 * instruction's own address. */
		t->pending_sig = sig;
		if (core__is_fault(sig))
			break;
	}
	if (ptrace(PTRACE_GETREGS, t->tid, 0, r) < 0)
		return gd_err_sys(err, "ptrace(PTRACE_GETREGS, %d)", (int)t->tid);
	t->regs = *r;
	t->regs_valid = 1;
	return 0;
}

int core__scratch_fixup(core_live *p, core_thread *t, gd_err *err)
{
	t->in_scratch = 0;
	struct user_regs_struct r;
	if (live_regs(p, t->tid, &r, err) < 0)
		return -1;
	if (!p->scratch || r.rip < p->scratch + CORE_SCRATCH_SLOT ||
	    r.rip >= p->scratch + 4096)
		return 0;
	size_t i = (r.rip - p->scratch) / CORE_SCRATCH_SLOT;
	uint64_t slot = p->scratch + i * CORE_SCRATCH_SLOT, addr = p->slot_addr[i];
	core_bp *bp = addr ? core__bp(p, addr) : NULL;
	size_t len = bp && bp->slot == slot ? bp->disp_len : 0;
	if (!len) {
		/* The breakpoint went while the thread was in its slot: the
		 * slot's bytes are still there, and so is its length. */
		uint8_t code[16];
		int e = 0, c = 0;
		uint64_t tg = 0;
		len = addr ? core__relocate(p, addr, slot, code, &e, &tg, &c) : 0;
		if (!len)
			return 0;
	}
	if (r.rip == slot) {
		/* Stopped before the instruction ran (a signal at once, an
		 * interrupt): finish it here, or the program would meet the
		 * int3 again and the breakpoint count a second hit. */
		int gone = 0;
		if (core__step_in_place(p, t, &r, &gone, err) < 0)
			return -1;
		if (gone)
			return CORE_FIXUP_GONE;
		if (r.rip != slot + len) {
			/* It faulted: at its own address for the program. */
			r.rip = addr + (r.rip - slot);
			t->regs = r;
			t->regs_valid = 2;
			return 0;
		}
	}
	/* Past the instruction (at the jump back or beyond it). */
	r.rip = r.rip < slot + len ? addr + (r.rip - slot) : addr + len;
	t->regs = r;
	t->regs_valid = 2;
	return 0;
}

int core__displaced_resume(core_live *p, core_thread *t, gd_err *err)
{
	if (!p->scratch && !p->scratch_failed) {
		gd_err serr = GD_ERR_INIT;
		if (scratch_map(p, t, &serr) < 0) {
			p->scratch_failed = 1;
			gd_log_info(p->log, "core: no scratch page (%s): breakpoints "
				    "that do not stop will briefly stop every "
				    "thread", gd_err_msg(&serr));
			gd_err_clear(&serr);
		}
	}
	if (!p->scratch)
		return CORE_DISP_CANNOT;
	uint64_t addr = t->stepover;
	struct user_regs_struct r;
	if (live_regs(p, t->tid, &r, err) < 0)
		return -1;
	if (r.rip != addr) {
		gd_log_debug(p->log, "core: thread %d at %#lx, not at %#lx", (int)t->tid,
			     (unsigned long)r.rip, (unsigned long)addr);
		return CORE_DISP_CANNOT;
	}
	core_bp *bp = core__bp(p, addr);
	if (!bp)
		return CORE_DISP_CANNOT;
	if (bp->disp_state == 0 && prepare_bp(p, bp, err) < 0)
		return -1;
	const uint8_t *buf = bp->disp_bytes;
	int emulate = bp->disp_emulate, is_call = bp->disp_call;
	uint64_t target = bp->disp_target;
	size_t len = bp->disp_state > 0 ? bp->disp_len : 0;
	if (len == 0) {
		gd_log_debug(p->log, "core: cannot displace the instruction at %#lx",
			     (unsigned long)addr);
		return CORE_DISP_CANNOT;
	}
	if (emulate) {
		if (is_call) {
			uint64_t ret = addr + len;
			r.rsp -= 8;
			if (live_write(p, r.rsp, &ret, 8, err) < 0)
				return -1;
		}
		r.rip = target;
		if (live_set_regs(p, t->tid, &r, err) < 0)
			return -1;
		return core__cont(p, t, err);
	}
	if (bp->slot && !t->pending_sig) {
		/* The slot jumps back by itself: one PTRACE_CONT. A signal
		 * held for the thread takes the single-step path below, so
		 * that no handler ever runs with a scratch PC. */
		r.rip = bp->slot;
		t->regs = r;
		t->regs_valid = 2;
		t->in_scratch = 1;
		return core__cont(p, t, err);
	}
	/* One step of the instruction where it is relocated to: its slot,
	 * else the page's first slot (written only when it held another). */
	uint64_t at = bp->slot;
	if (!at) {
		at = p->scratch;
		if (p->slot_addr[0] != addr) {
			p->slot_addr[0] = 0;
			if (live_write(p, at, buf, len, err) < 0)
				return -1;
			p->slot_addr[0] = addr;
		}
	}
	r.rip = at;
	t->regs = r;
	t->regs_valid = 2;
	/* A signal held from before stays held unless the step meets a
	 * newer one. */
	int held = t->pending_sig, gone = 0;
	t->pending_sig = 0;
	if (core__step_in_place(p, t, &r, &gone, err) < 0)
		return -1;
	if (gone)
		return 0;
	if (t->pending_sig)
		held = t->pending_sig;
	if (r.rip != at + len) {
		/* The instruction faulted: the fault PC is in the scratch
		 * page; put it back where the program expects it. */
		r.rip = addr + (r.rip - at);
	} else {
		r.rip = addr + len;
	}
	t->regs = r;
	t->regs_valid = 2;
	t->pending_sig = held;
	t->stepover = 0;
	return core__cont(p, t, err);
}
