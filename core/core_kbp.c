/* Kernel breakpoints: a condition compiled to eBPF (goruntime/grt_bpf.c)
 * runs as a uprobe at the breakpoint's address, so a hit whose condition
 * is false costs the program a trip into the kernel and nothing else: no
 * ptrace stop, no wait in godap.
 *
 * Stopping exactly at the breakpoint when the condition holds.  The kernel
 * this was built on (6.18) does not let a uprobe program change the
 * registers (the verifier refuses a write to the context: "invalid
 * bpf_context access"; that came with "bpf: Allow uprobe program to change
 * context registers", later), and a signal sent by the program
 * (bpf_send_signal_thread) arrives only after the kernel ran the probed
 * instruction out of line.  So the program saves what that one instruction
 * can change before it runs: the registers (pt_regs) and the bytes of the
 * one memory operand it writes (or the slot a PUSH / CALL writes), in a map
 * keyed by thread id; then it sends SIGTRAP.  When godap sees that SIGTRAP
 * it puts the registers and the bytes back: the thread is at the
 * breakpoint as if the instruction had never run, and the stop is reported
 * as an int3 hit there.  Only instructions whose effects that undoes are
 * accepted (general registers, flags, one plain memory write; no LOCK, no
 * string instruction, no vector register written); any other one keeps the
 * int3.  Check: the thread must have stopped right after the instruction
 * (its PC is where that instruction goes), else nothing is put back.
 *
 * The uprobe is set for every process that maps the executable (perf event
 * pid -1, as libbpf does); the program tests the thread group id first, so
 * other processes running the same binary only pay the kernel trip.
 * Closing the perf event removes the uprobe; when godap dies the kernel
 * closes it. */
#include "core_internal.h"
#include "../common/gd_array.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <capstone/capstone.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* What the program leaves in the map (kbp_value), laid out on its stack. */
enum {
	KV_REGS = 0,   /* 21 words: the kernel's x86-64 pt_regs, which are
			  user_regs_struct's first 21 fields */
	KV_ADDR = 168, /* the breakpoint */
	KV_MEMADDR = 176,
	KV_MEMLEN = 184,
	KV_MEM = 192,  /* up to 32 bytes */
	KV_SIZE = 224,
	KV_MAXMEM = 32,
};
#define KV_FP (-KV_SIZE)    /* the value at r10 - 224 */
#define KV_KEY (-KV_SIZE - 8) /* the thread id key, u32 */

typedef struct kbp_value {
	uint64_t regs[21];
	uint64_t addr, memaddr, memlen;
	uint8_t mem[KV_MAXMEM];
} kbp_value;
_Static_assert(sizeof(kbp_value) == KV_SIZE, "kbp_value layout");

/* What the probed instruction changes besides registers. */
typedef struct kbp_undo {
	int mem;       /* 1: one memory operand written */
	int push;      /* 1: 8 bytes at rsp - 8 (PUSH, CALL) */
	int base, index; /* pt_regs word, -1 none, -2 RIP */
	int scale;
	int64_t disp;
	unsigned size;
	uint64_t next; /* address of the next instruction */
	/* Where the thread is after it ran: next, target, either (jcc),
	 * or the return address (ret). */
	int branch;    /* 0 none, 1 direct call/jmp, 2 jcc, 3 ret */
	uint64_t target;
} kbp_undo;

/* Capstone's 64-bit general registers, as pt_regs words. */
static int ptreg_of(x86_reg r)
{
	switch (r) {
	case X86_REG_R15: return 0;
	case X86_REG_R14: return 1;
	case X86_REG_R13: return 2;
	case X86_REG_R12: return 3;
	case X86_REG_RBP: return 4;
	case X86_REG_RBX: return 5;
	case X86_REG_R11: return 6;
	case X86_REG_R10: return 7;
	case X86_REG_R9: return 8;
	case X86_REG_R8: return 9;
	case X86_REG_RAX: return 10;
	case X86_REG_RCX: return 11;
	case X86_REG_RDX: return 12;
	case X86_REG_RSI: return 13;
	case X86_REG_RDI: return 14;
	case X86_REG_RIP: return -2;
	case X86_REG_RSP: return 19;
	default: return -3;
	}
}

/* A register whose old value the saved pt_regs bring back. */
static int gpr_name(const char *n)
{
	static const char *ok[] = {
		"rax", "eax", "ax", "al", "ah", "rbx", "ebx", "bx", "bl", "bh",
		"rcx", "ecx", "cx", "cl", "ch", "rdx", "edx", "dx", "dl", "dh",
		"rsi", "esi", "si", "sil", "rdi", "edi", "di", "dil",
		"rbp", "ebp", "bp", "bpl", "rsp", "esp", "sp", "spl",
		"rip", "eip", "rflags", "eflags", "flags",
	};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (strcmp(n, ok[i]) == 0)
			return 1;
	if (n[0] == 'r' && n[1] >= '0' && n[1] <= '9') {
		const char *s = n + 1;
		while (*s >= '0' && *s <= '9')
			s++;
		return !*s || ((*s == 'd' || *s == 'w' || *s == 'b') && !s[1]);
	}
	return 0;
}

/* 0 and *u filled when the instruction's effects can be undone. */
static int undo_plan(const uint8_t *code, size_t len, uint64_t addr,
		     kbp_undo *u, gd_err *err)
{
	csh cs;
	cs_insn *in;
	memset(u, 0, sizeof(*u));
	if (core__decode(code, len, addr, &cs, &in, err) < 0)
		return -1;
	int rc = -1;
	const cs_x86 *x = &in->detail->x86;
	u->next = addr + in->size;
	if (x->prefix[0] == X86_PREFIX_LOCK || x->prefix[0] == X86_PREFIX_REP ||
	    x->prefix[0] == X86_PREFIX_REPNE) {
		gd_err_set(err, "%s has a LOCK or REP prefix", in->mnemonic);
		goto out;
	}
	switch (in->id) {
	case X86_INS_SYSCALL: case X86_INS_INT: case X86_INS_INT3:
	case X86_INS_XCHG: case X86_INS_CMPXCHG: case X86_INS_CMPXCHG16B:
	case X86_INS_CMPXCHG8B: case X86_INS_XADD: case X86_INS_MOVSB:
	case X86_INS_MOVSW: case X86_INS_MOVSD: case X86_INS_MOVSQ:
	case X86_INS_STOSB: case X86_INS_STOSW: case X86_INS_STOSD:
	case X86_INS_STOSQ: case X86_INS_CPUID: case X86_INS_HLT:
		gd_err_set(err, "%s cannot be undone", in->mnemonic);
		goto out;
	default:
		break;
	}
	cs_regs rr, rw;
	uint8_t nr = 0, nw = 0;
	if (cs_regs_access(cs, in, rr, &nr, rw, &nw) != CS_ERR_OK) {
		gd_err_set(err, "%s: registers unknown", in->mnemonic);
		goto out;
	}
	for (uint8_t i = 0; i < nw; i++) {
		const char *n = cs_reg_name(cs, rw[i]);
		if (!n || !gpr_name(n)) {
			gd_err_set(err, "%s writes %s", in->mnemonic, n ? n : "?");
			goto out;
		}
	}
	if (core__is_branch(in)) {
		int direct = x->op_count == 1 && x->operands[0].type == X86_OP_IMM;
		if (in->id == X86_INS_RET && x->op_count == 0) {
			u->branch = 3;
		} else if (direct && (in->id == X86_INS_CALL || in->id == X86_INS_JMP)) {
			u->branch = 1;
			u->target = (uint64_t)x->operands[0].imm;
		} else if (direct && in->id != X86_INS_CALL) {
			u->branch = 2; /* jcc */
			u->target = (uint64_t)x->operands[0].imm;
		} else {
			gd_err_set(err, "%s is an indirect branch", in->mnemonic);
			goto out;
		}
		if (in->id == X86_INS_CALL)
			u->push = 1;
	}
	if (in->id == X86_INS_PUSH || in->id == X86_INS_PUSHFQ)
		u->push = 1;
	for (uint8_t i = 0; i < x->op_count; i++) {
		const cs_x86_op *o = &x->operands[i];
		if (o->type != X86_OP_MEM || !(o->access & CS_AC_WRITE))
			continue;
		if (u->mem || u->push || o->mem.segment != X86_REG_INVALID ||
		    o->size == 0 || o->size > KV_MAXMEM) {
			gd_err_set(err, "%s writes memory that cannot be saved",
				   in->mnemonic);
			goto out;
		}
		u->base = o->mem.base == X86_REG_INVALID ? -1 : ptreg_of(o->mem.base);
		u->index = o->mem.index == X86_REG_INVALID ? -1 : ptreg_of(o->mem.index);
		if (u->base == -3 || u->index == -3 || u->index == -2) {
			gd_err_set(err, "%s: address registers", in->mnemonic);
			goto out;
		}
		u->scale = o->mem.scale;
		u->disp = o->mem.disp;
		u->size = o->size;
		u->mem = 1;
	}
	rc = 0;
out:
	core__decoded_end(&cs, in);
	return rc;
}

/* How the instruction touches memory through its operands (or a push):
 * CORE_HW_WRITE when it writes, 2 when it reads, both ORed. */
static int mem_access(const uint8_t *code, size_t len, uint64_t addr)
{
	csh cs;
	cs_insn *in;
	/* best effort: an instruction Capstone cannot decode is taken to
	 * read and write (the guard then covers it). */
	if (core__decode(code, len, addr, &cs, &in, NULL) < 0)
		return CORE_HW_WRITE | 2;
	const cs_x86 *x = &in->detail->x86;
	int a = in->id == X86_INS_PUSH || in->id == X86_INS_PUSHFQ ? CORE_HW_WRITE : 0;
	for (uint8_t i = 0; i < x->op_count; i++) {
		if (x->operands[i].type != X86_OP_MEM)
			continue;
		if (x->operands[i].access & CS_AC_WRITE)
			a |= CORE_HW_WRITE;
		if (x->operands[i].access & CS_AC_READ)
			a |= 2;
	}
	core__decoded_end(&cs, in);
	return a;
}

/* A uprobe on an instruction the kernel cannot emulate runs it out of
 * line under the trap flag, and the debug exception of a watchpoint that
 * instruction hits is taken as that single step's: the hit is lost.  So
 * while a watchpoint is armed, each kernel condition whose uprobe would
 * sit on an instruction that touches memory as the watchpoint watches
 * (writes; or reads too for a read-write one) -- a pad runs its
 * instruction in plain code: no such loss -- takes an int3 of ours
 * instead, as when a step breakpoint shares its address: godap evaluates
 * the condition, and its own steps keep the watchpoint's hits
 * (core__step_in_place).  Slower only while watchpoints are set. */
int core__kbp_watch_guard(core_live *p, gd_err *err)
{
	int watched = 0; /* the accesses some watchpoint catches */
	for (int i = 0; i < CORE_HW_SLOTS; i++)
		if (p->hw[i].active)
			watched |= p->hw[i].rw == CORE_HW_READWRITE
					   ? CORE_HW_WRITE | 2 : CORE_HW_WRITE;
	for (size_t i = 0; i < p->nbps;) {
		core_bp *bp = &p->bps[i];
		uint64_t addr = bp->addr;
		int want = (watched & bp->mem) && bp->kprog && !bp->pad_on;
		if (want == bp->wguard) {
			i++;
			continue;
		}
		if (want) {
			if (live_bp_add(p, addr, err) < 0)
				return -1;
			core__bp(p, addr)->wguard = 1;
			i++;
			continue;
		}
		bp->wguard = 0;
		if (live_bp_del(p, addr, err) < 0)
			return -1;
		/* The entry may be gone (its condition went meanwhile):
		 * the last one took its place. */
		if (i < p->nbps && p->bps[i].addr == addr)
			i++;
	}
	return 0;
}

/* ---- the program ---- */

typedef struct prog {
	struct bpf_insn *v;
	size_t n, cap;
	int oom;
} prog;

static size_t emit(prog *p, struct bpf_insn i)
{
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 128;
		struct bpf_insn *v = realloc(p->v, cap * sizeof(*v));
		if (!v) {
			p->oom = 1;
			return p->n;
		}
		p->v = v;
		p->cap = cap;
	}
	p->v[p->n] = i;
	return p->n++;
}

#define INS(c, d, s, o, i) ((struct bpf_insn){.code = (c), .dst_reg = (d), \
	.src_reg = (s), .off = (o), .imm = (i)})

static void emit_ld64(prog *p, int reg, int src, uint64_t v)
{
	emit(p, INS(BPF_LD | BPF_DW | BPF_IMM, reg, src, 0, (int32_t)(uint32_t)v));
	emit(p, INS(0, 0, 0, 0, (int32_t)(uint32_t)(v >> 32)));
}

static void patch_to_here(prog *p, size_t at)
{
	if (at < p->n)
		p->v[at].off = (int16_t)(p->n - at - 1);
}

static int build(prog *pg, pid_t tgid, uint64_t addr, const kbp_undo *u,
		 const struct bpf_insn *cond, size_t ncond, int map_fd)
{
	size_t outs[4];
	size_t nouts = 0;
	emit(pg, INS(BPF_ALU64 | BPF_MOV | BPF_X, 6, 1, 0, 0));
	emit(pg, INS(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_get_current_pid_tgid));
	emit(pg, INS(BPF_ALU64 | BPF_RSH | BPF_K, 0, 0, 0, 32));
	outs[nouts++] = emit(pg, INS(BPF_JMP | BPF_JNE | BPF_K, 0, 0, 0, (int32_t)tgid));
	for (size_t i = 0; i < ncond; i++)
		emit(pg, cond[i]);
	outs[nouts++] = emit(pg, INS(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 0, 0));
	/* The registers, the address, the memory the instruction writes. */
	for (int i = 0; i < 21; i++) {
		emit(pg, INS(BPF_LDX | BPF_MEM | BPF_DW, 1, 6, (int16_t)(8 * i), 0));
		emit(pg, INS(BPF_STX | BPF_MEM | BPF_DW, 10, 1,
			     (int16_t)(KV_FP + KV_REGS + 8 * i), 0));
	}
	emit_ld64(pg, 1, 0, addr);
	emit(pg, INS(BPF_STX | BPF_MEM | BPF_DW, 10, 1, KV_FP + KV_ADDR, 0));
	for (int off = KV_MEMADDR; off < KV_SIZE; off += 8)
		emit(pg, INS(BPF_ST | BPF_MEM | BPF_DW, 10, 0, (int16_t)(KV_FP + off), 0));
	if (u->mem || u->push) {
		unsigned size = u->push ? 8 : u->size;
		if (u->push) {
			emit(pg, INS(BPF_LDX | BPF_MEM | BPF_DW, 3, 6, 19 * 8, 0));
			emit(pg, INS(BPF_ALU64 | BPF_ADD | BPF_K, 3, 0, 0, -8));
		} else {
			if (u->base == -2)
				emit_ld64(pg, 3, 0, u->next);
			else if (u->base >= 0)
				emit(pg, INS(BPF_LDX | BPF_MEM | BPF_DW, 3, 6,
					     (int16_t)(8 * u->base), 0));
			else
				emit(pg, INS(BPF_ALU64 | BPF_MOV | BPF_K, 3, 0, 0, 0));
			if (u->index >= 0) {
				emit(pg, INS(BPF_LDX | BPF_MEM | BPF_DW, 2, 6,
					     (int16_t)(8 * u->index), 0));
				int sh = u->scale == 8 ? 3 : u->scale == 4 ? 2
					 : u->scale == 2 ? 1 : 0;
				if (sh)
					emit(pg, INS(BPF_ALU64 | BPF_LSH | BPF_K, 2, 0, 0, sh));
				emit(pg, INS(BPF_ALU64 | BPF_ADD | BPF_X, 3, 2, 0, 0));
			}
			if (u->disp)
				emit(pg, INS(BPF_ALU64 | BPF_ADD | BPF_K, 3, 0, 0,
					     (int32_t)u->disp));
		}
		emit(pg, INS(BPF_STX | BPF_MEM | BPF_DW, 10, 3, KV_FP + KV_MEMADDR, 0));
		emit(pg, INS(BPF_ALU64 | BPF_MOV | BPF_X, 1, 10, 0, 0));
		emit(pg, INS(BPF_ALU64 | BPF_ADD | BPF_K, 1, 0, 0, KV_FP + KV_MEM));
		emit(pg, INS(BPF_ALU64 | BPF_MOV | BPF_K, 2, 0, 0, (int32_t)size));
		emit(pg, INS(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_probe_read_user));
		size_t skip = emit(pg, INS(BPF_JMP | BPF_JNE | BPF_K, 0, 0, 0, 0));
		emit(pg, INS(BPF_ST | BPF_MEM | BPF_DW, 10, 0, KV_FP + KV_MEMLEN,
			     (int32_t)size));
		patch_to_here(pg, skip);
	}
	emit(pg, INS(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_get_current_pid_tgid));
	emit(pg, INS(BPF_STX | BPF_MEM | BPF_W, 10, 0, KV_KEY, 0));
	emit_ld64(pg, 1, BPF_PSEUDO_MAP_FD, (uint64_t)(uint32_t)map_fd);
	emit(pg, INS(BPF_ALU64 | BPF_MOV | BPF_X, 2, 10, 0, 0));
	emit(pg, INS(BPF_ALU64 | BPF_ADD | BPF_K, 2, 0, 0, KV_KEY));
	emit(pg, INS(BPF_ALU64 | BPF_MOV | BPF_X, 3, 10, 0, 0));
	emit(pg, INS(BPF_ALU64 | BPF_ADD | BPF_K, 3, 0, 0, KV_FP));
	emit(pg, INS(BPF_ALU64 | BPF_MOV | BPF_K, 4, 0, 0, BPF_ANY));
	emit(pg, INS(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_map_update_elem));
	/* No room in the map: no stop (the map is as large as any thread
	 * count a Go program reaches while all of them stop here). */
	outs[nouts++] = emit(pg, INS(BPF_JMP | BPF_JNE | BPF_K, 0, 0, 0, 0));
	emit(pg, INS(BPF_ALU64 | BPF_MOV | BPF_K, 1, 0, 0, SIGTRAP));
	emit(pg, INS(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_send_signal_thread));
	for (size_t i = 0; i < nouts; i++)
		patch_to_here(pg, outs[i]);
	emit(pg, INS(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0));
	emit(pg, INS(BPF_JMP | BPF_EXIT, 0, 0, 0, 0));
	return pg->oom ? -1 : 0;
}

/* A logpoint's program: the condition if any (grt_bpf_cond's code, r0
 * the result: false ends it), then a record reserved in the ring buffer
 * and written in place (the 512-byte BPF stack could not hold a string's
 * bytes besides the condition's temporaries): the values (grt_bpf_log's
 * code, the record's address in CORE_KLOG_RECREG, a callee-saved
 * register that the helpers keep), the address and the thread id, and the
 * record is submitted.  A full ring loses the record (the thread is never
 * held up). */
static int build_log(prog *pg, pid_t tgid, uint64_t addr,
		     const struct bpf_insn *cond, size_t ncond,
		     const struct bpf_insn *vals, size_t nv, size_t recsize,
		     int ring_fd, int lost_fd)
{
	const int R = CORE_KLOG_RECREG;
	size_t outs[3];
	size_t nouts = 0;
	emit(pg, INS(BPF_ALU64 | BPF_MOV | BPF_X, 6, 1, 0, 0));
	emit(pg, INS(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_get_current_pid_tgid));
	emit(pg, INS(BPF_ALU64 | BPF_RSH | BPF_K, 0, 0, 0, 32));
	outs[nouts++] = emit(pg, INS(BPF_JMP | BPF_JNE | BPF_K, 0, 0, 0, (int32_t)tgid));
	if (ncond) {
		for (size_t i = 0; i < ncond; i++)
			emit(pg, cond[i]);
		outs[nouts++] = emit(pg, INS(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 0, 0));
	}
	emit_ld64(pg, 1, BPF_PSEUDO_MAP_FD, (uint64_t)(uint32_t)ring_fd);
	emit(pg, INS(BPF_ALU64 | BPF_MOV | BPF_K, 2, 0, 0, (int32_t)recsize));
	emit(pg, INS(BPF_ALU64 | BPF_MOV | BPF_K, 3, 0, 0, 0));
	emit(pg, INS(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_ringbuf_reserve));
	emit(pg, INS(BPF_ALU64 | BPF_MOV | BPF_X, R, 0, 0, 0));
	size_t have = emit(pg, INS(BPF_JMP | BPF_JNE | BPF_K, R, 0, 0, 0));
	/* The ring was full: the record is lost, counted for godap to say. */
	emit(pg, INS(BPF_ST | BPF_MEM | BPF_W, 10, 0, -4, 0));
	emit_ld64(pg, 1, BPF_PSEUDO_MAP_FD, (uint64_t)(uint32_t)lost_fd);
	emit(pg, INS(BPF_ALU64 | BPF_MOV | BPF_X, 2, 10, 0, 0));
	emit(pg, INS(BPF_ALU64 | BPF_ADD | BPF_K, 2, 0, 0, -4));
	emit(pg, INS(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_map_lookup_elem));
	outs[nouts++] = emit(pg, INS(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 0, 0));
	emit(pg, INS(BPF_ALU64 | BPF_MOV | BPF_K, 1, 0, 0, 1));
	emit(pg, INS(BPF_STX | BPF_ATOMIC | BPF_DW, 0, 1, 0, BPF_ADD));
	size_t lost = emit(pg, INS(BPF_JMP | BPF_JA, 0, 0, 0, 0));
	patch_to_here(pg, have);
	for (size_t i = 0; i < nv; i++)
		emit(pg, vals[i]);
	emit_ld64(pg, 1, 0, addr);
	emit(pg, INS(BPF_STX | BPF_MEM | BPF_DW, R, 1, CORE_KLOG_ADDR, 0));
	emit(pg, INS(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_get_current_pid_tgid));
	emit(pg, INS(BPF_ALU | BPF_MOV | BPF_X, 0, 0, 0, 0)); /* low 32 bits */
	emit(pg, INS(BPF_STX | BPF_MEM | BPF_DW, R, 0, CORE_KLOG_TID, 0));
	emit(pg, INS(BPF_ALU64 | BPF_MOV | BPF_X, 1, R, 0, 0));
	emit(pg, INS(BPF_ALU64 | BPF_MOV | BPF_K, 2, 0, 0, 0));
	emit(pg, INS(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_ringbuf_submit));
	patch_to_here(pg, lost);
	for (size_t i = 0; i < nouts; i++)
		patch_to_here(pg, outs[i]);
	emit(pg, INS(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0));
	emit(pg, INS(BPF_JMP | BPF_EXIT, 0, 0, 0, 0));
	return pg->oom ? -1 : 0;
}

/* ---- attaching ---- */

static int uprobe_type(gd_err *err)
{
	FILE *f = fopen("/sys/bus/event_source/devices/uprobe/type", "re");
	if (!f)
		return gd_err_sys(err, "no uprobe event source (/sys/bus/event_source/devices/uprobe/type)");
	int t = -1;
	if (fscanf(f, "%d", &t) != 1)
		t = -1;
	fclose(f);
	if (t < 0)
		return gd_err_set(err, "no uprobe event source");
	return t;
}

/* The file and offset in it of the executable mapping holding addr. */
static int file_offset(core_live *p, uint64_t addr, char **path, uint64_t *off,
		       gd_err *err)
{
	core_map *m;
	size_t n;
	if (live_maps(p, &m, &n, err) < 0)
		return -1;
	int rc = gd_err_set(err, "%#lx is in no file mapping", (unsigned long)addr);
	for (size_t i = 0; i < n; i++) {
		if (addr < m[i].lo || addr >= m[i].hi || !m[i].path ||
		    m[i].path[0] != '/')
			continue;
		*path = strdup(m[i].path);
		*off = addr - m[i].lo + m[i].offset;
		gd_err_clear(err);
		rc = *path ? 0 : gd_err_set(err, "out of memory");
		break;
	}
	core_maps_free(m, n);
	return rc;
}

typedef struct kbp_where {
	char *path;
	uint64_t off;
} kbp_where;

int core__uprobe_open(const char *path, uint64_t off, int prog_fd, gd_err *err)
{
	int type = uprobe_type(err);
	if (type < 0)
		return -1;
	struct perf_event_attr a;
	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.type = (uint32_t)type;
	a.config1 = (uint64_t)(uintptr_t)path;
	a.config2 = off;
	/* Every process mapping the file (the program filters on its tgid):
	 * threads the Go runtime starts later are covered. */
	int fd = (int)syscall(SYS_perf_event_open, &a, -1, 0, -1, PERF_FLAG_FD_CLOEXEC);
	if (fd < 0)
		return gd_err_sys(err, "perf_event_open(uprobe %s+%#lx)", path,
				  (unsigned long)off);
	if (ioctl(fd, PERF_EVENT_IOC_SET_BPF, prog_fd) < 0 ||
	    ioctl(fd, PERF_EVENT_IOC_ENABLE, 0) < 0) {
		gd_err_sys(err, "attaching the eBPF program");
		close(fd);
		return -1;
	}
	return fd;
}

int core__kbp_attach(core_live *p, core_bp *bp, int on, gd_err *err)
{
	if (!on) {
		if (bp->pad_on)
			return core__pad_detach(p, bp, err);
		if (bp->perf_fd >= 0)
			close(bp->perf_fd);
		bp->perf_fd = -1;
		return 0;
	}
	if (bp->perf_fd >= 0)
		return 0;
	int padded = core__pad_attach(p, bp, bp->kprog, err);
	if (padded != 0)
		return padded < 0 ? -1 : 0;
	kbp_where w = {0};
	if (file_offset(p, bp->addr, &w.path, &w.off, err) < 0)
		return -1;
	bp->perf_fd = core__uprobe_open(w.path, w.off, bp->kprog, err);
	free(w.path);
	return bp->perf_fd < 0 ? -1 : 0;
}

static int ensure_map(core_live *p, gd_err *err)
{
	if (p->kbp_map > 0)
		return 0;
	/* One entry per thread stopped by a program and not yet seen. */
	int fd = bpf_map_create(BPF_MAP_TYPE_HASH, "godap_kbp", sizeof(uint32_t),
				sizeof(kbp_value), 16384, NULL);
	if (fd < 0)
		return gd_err_sys(err, "bpf(BPF_MAP_CREATE)");
	p->kbp_map = fd;
	return 0;
}

static int klog_sample(void *ctx, void *data, size_t len)
{
	core_live *p = ctx;
	if (p->klog_fn)
		p->klog_fn(p->klog_ctx, data, len);
	/* A negative answer makes libbpf stop after this record. */
	if (p->klog_left && --p->klog_left == 0) {
		p->klog_full = 1;
		return -1;
	}
	return 0;
}

static int ensure_ring(core_live *p, gd_err *err)
{
	if (p->klog_map > 0)
		return 0;
	/* 16 MiB between two drains (godap drains whenever the ring signals
	 * data): some 100 000 records of 16 integers, 28 000 with a string
	 * (512 bytes reserved), 4 000 of the largest kind (CORE_KLOG_MAXREC).
	 * (4 MiB lost lines in bench/run.py's logebpf, a string logpoint hit
	 * 12 000 times a second, the client reading 10 000 lines a second.) */
	int fd = bpf_map_create(BPF_MAP_TYPE_RINGBUF, "godap_klog", 0, 0,
				16u << 20, NULL);
	if (fd < 0)
		return gd_err_sys(err, "bpf(BPF_MAP_CREATE ringbuf)");
	/* One counter: the records lost to a full ring. */
	int lost = bpf_map_create(BPF_MAP_TYPE_ARRAY, "godap_klost",
				  sizeof(uint32_t), sizeof(uint64_t), 1, NULL);
	if (lost < 0) {
		gd_err_sys(err, "bpf(BPF_MAP_CREATE array)");
		close(fd);
		return -1;
	}
	struct ring_buffer *rb = ring_buffer__new(fd, klog_sample, p, NULL);
	if (!rb) {
		gd_err_sys(err, "ring_buffer__new");
		close(lost);
		close(fd);
		return -1;
	}
	p->klog_map = fd;
	p->klog_lost = lost;
	p->klog_rb = rb;
	return 0;
}

int live_klog_fd(const core_live *p)
{
	return p->klog_rb ? ring_buffer__epoll_fd(p->klog_rb) : -1;
}

int live_klog_drain(core_live *p, core_klog_fn fn, void *ctx, size_t max,
		    uint64_t *lost, gd_err *err)
{
	*lost = 0;
	if (!p->klog_rb)
		return 0;
	uint32_t key = 0;
	uint64_t total;
	/* best effort: a counter that cannot be read says nothing lost. */
	if (bpf_map_lookup_elem(p->klog_lost, &key, &total) == 0 &&
	    total > p->klog_lost_seen) {
		*lost = total - p->klog_lost_seen;
		p->klog_lost_seen = total;
	}
	p->klog_fn = fn;
	p->klog_ctx = ctx;
	p->klog_left = max;
	p->klog_full = 0;
	int n = ring_buffer__consume(p->klog_rb);
	p->klog_fn = NULL;
	p->klog_ctx = NULL;
	p->klog_left = 0;
	if (p->klog_full)
		return (int)max;
	if (n < 0)
		return gd_err_set(err, "reading the ring buffer: %s", strerror(-n));
	return n;
}

/* A logpoint's condition and record size (kbp_add). */
typedef struct klog_spec {
	const void *cond;
	size_t ncond;
	size_t recsize;
} klog_spec;

static int kbp_add(core_live *p, uint64_t addr, const void *insns, size_t n,
		   const klog_spec *ls, gd_err *err);

int live_kbp_add(core_live *p, uint64_t addr, const void *insns, size_t n,
		 gd_err *err)
{
	return kbp_add(p, addr, insns, n, NULL, err);
}

int live_klog_add(core_live *p, uint64_t addr, const void *cond, size_t ncond,
		  const void *insns, size_t n, size_t recsize, gd_err *err)
{
	if (recsize < CORE_KLOG_VALS || recsize > CORE_KLOG_MAXREC)
		return gd_err_set(err, "a record of %zu bytes", recsize);
	klog_spec ls = {cond, ncond, recsize};
	return kbp_add(p, addr, insns, n, &ls, err);
}

/* ls NULL: a condition (stops the thread), else a logpoint. */
static int kbp_add(core_live *p, uint64_t addr, const void *insns, size_t n,
		   const klog_spec *ls, gd_err *err)
{
	core_bp *bp = core__bp(p, addr);
	if (bp && bp->kprog)
		return gd_err_set(err, "another kernel condition is at %#lx",
				  (unsigned long)addr);
	kbp_where w = {0};
	if (file_offset(p, addr, &w.path, &w.off, err) < 0)
		return -1;
	/* The original bytes from the file: memory may show a uprobe's
	 * int3 (another debugger's, on another process of this binary). */
	uint8_t code[16];
	int rc = -1, prog_fd = -1;
	prog pg = {0};
	int fd = open(w.path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		gd_err_sys(err, "open %s", w.path);
		goto out;
	}
	ssize_t got = pread(fd, code, sizeof(code), (off_t)w.off);
	close(fd);
	if (got < 1) {
		gd_err_sys(err, "read %s", w.path);
		goto out;
	}
	if (!ls) {
		kbp_undo u;
		if (undo_plan(code, (size_t)got, addr, &u, err) < 0 ||
		    ensure_map(p, err) < 0)
			goto out;
		if (build(&pg, p->pid, addr, &u, insns, n, p->kbp_map) < 0) {
			gd_err_set(err, "out of memory");
			goto out;
		}
	} else {
		if (ensure_ring(p, err) < 0)
			goto out;
		if (build_log(&pg, p->pid, addr, ls->cond, ls->ncond, insns, n,
			      ls->recsize, p->klog_map, p->klog_lost) < 0) {
			gd_err_set(err, "out of memory");
			goto out;
		}
	}
	char log[4096];
	log[0] = 0;
	LIBBPF_OPTS(bpf_prog_load_opts, o, .log_buf = log, .log_size = sizeof(log),
		    .log_level = 0);
	prog_fd = bpf_prog_load(BPF_PROG_TYPE_KPROBE, "godap_cond", "GPL",
				pg.v, pg.n, &o);
	if (prog_fd < 0) {
		int e = errno;
		/* Again with the verifier's reasons, for the log. */
		o.log_level = 1;
		int again = bpf_prog_load(BPF_PROG_TYPE_KPROBE, "godap_cond", "GPL",
					  pg.v, pg.n, &o);
		if (again >= 0)
			close(again);
		/* The verifier's last word is the line before its
		 * "processed N insns" summary. */
		char *sum = strstr(log, "\nprocessed ");
		if (sum)
			*sum = 0;
		char *last = strrchr(log, '\n');
		last = last ? last + 1 : log;
		gd_log_debug(p->log, "core: the verifier refused: %s", log);
		gd_err_set(err, "bpf(BPF_PROG_LOAD): %s%s%.160s", strerror(e),
			   last[0] ? ": " : "", last);
		goto out;
	}
	int newbp = !bp;
	if (newbp) {
		if (gd_grow(&p->bps, &p->capbps, p->nbps, sizeof(*p->bps), 32) < 0) {
			gd_err_set(err, "out of memory");
			goto out;
		}
		bp = &p->bps[p->nbps];
		*bp = (core_bp){.addr = addr, .orig = code[0], .perf_fd = -1};
	}
	bp->kprog = prog_fd;
	bp->mem = (uint8_t)mem_access(code, (size_t)got, addr);
	if (bp->refs == 0 && core__kbp_attach(p, bp, 1, err) < 0) {
		bp->kprog = 0;
		goto out;
	}
	if (newbp)
		p->nbps++;
	prog_fd = -1;
	if (core__kbp_watch_guard(p, err) < 0)
		goto out;
	gd_log_debug(p->log, "core: kernel condition at %#lx (%zu instructions)",
		     (unsigned long)addr, pg.n);
	rc = 0;
out:
	if (prog_fd >= 0)
		close(prog_fd);
	free(pg.v);
	free(w.path);
	return rc;
}

/* 1 if rip is right after the nop of the jump pad serving v->addr: the
 * uprobe sat there, and the instruction has not run. */
static int in_pad(const core_live *p, const kbp_value *v, uint64_t rip)
{
	if (!p->pads)
		return 0;
	for (size_t k = 0; k < CORE_PAD_PAGES; k++)
		if (p->pad_addr[k] == v->addr)
			return rip == p->pads + k * CORE_PAD_PAGE + 1;
	return 0;
}

int core__kbp_pending(core_live *p, pid_t tid)
{
	uint32_t key = (uint32_t)tid;
	kbp_value v;
	return p->kbp_map > 0 && bpf_map_lookup_elem(p->kbp_map, &key, &v) == 0;
}

/* Where the thread is once the instruction at v->addr ran: 1 if rip is
 * one such place. */
static int ran_once(core_live *p, const kbp_value *v, uint64_t rip)
{
	if (in_pad(p, v, rip))
		return 1;
	uint8_t code[16];
	/* best effort: a yes/no question: code that cannot be read or
	 * planned is "not run once". */
	if (live_read_text(p, v->addr, code, sizeof(code), NULL) < 0)
		return 0;
	kbp_undo u;
	if (undo_plan(code, sizeof(code), v->addr, &u, NULL) < 0)
		return 0;
	switch (u.branch) {
	case 0:
		return rip == u.next;
	case 1:
		return rip == u.target;
	case 2:
		return rip == u.next || rip == u.target;
	default: {
		uint64_t ret = 0;
		/* best effort: as above. */
		return live_read(p, v->regs[19], &ret, 8, NULL) == 0 && rip == ret;
	}
	}
}

int core__kbp_trap(core_live *p, core_thread *t, uint64_t rip, core_stop *out,
		   gd_err *err)
{
	if (p->kbp_map <= 0)
		return 0;
	uint32_t key = (uint32_t)t->tid;
	kbp_value v;
	if (bpf_map_lookup_elem(p->kbp_map, &key, &v) < 0)
		return 0; /* ENOENT: not ours */
	if (bpf_map_delete_elem(p->kbp_map, &key) < 0 && errno != ENOENT)
		return gd_err_sys(err, "bpf(BPF_MAP_DELETE_ELEM)");
	if (!ran_once(p, &v, rip)) {
		/* The signal came later than the instruction (masked?): the
		 * state cannot be put back; the hit is lost, and said. */
		gd_log_info(p->log, "core: the kernel condition at %#lx stopped "
			    "thread %d at %#lx, not right after it: hit ignored",
			    (unsigned long)v.addr, (int)t->tid, (unsigned long)rip);
		return -2;
	}
	struct user_regs_struct r;
	if (live_regs(p, t->tid, &r, err) < 0)
		return -1;
	uint64_t cs = r.cs, ss = r.ss;
	memcpy(&r, v.regs, sizeof(v.regs));
	r.cs = cs;
	r.ss = ss;
	r.rip = v.addr;
	r.orig_rax = (uint64_t)-1;
	r.eflags &= ~(uint64_t)0x100; /* TF */
	/* From a pad the instruction has not run: its memory is as it was
	 * (or as another thread has written it since). */
	if (!in_pad(p, &v, rip) && v.memlen && v.memlen <= KV_MAXMEM &&
	    live_write(p, v.memaddr, v.mem, v.memlen, err) < 0)
		return -1;
	t->regs = r;
	t->regs_valid = 2;
	memset(out, 0, sizeof(*out));
	out->tid = t->tid;
	out->kind = CORE_STOP_BREAKPOINT;
	out->addr = v.addr;
	return 1;
}

/* The SIGTRAP bit of a "SigPnd:"/"ShdPnd:" line of the thread's status. */
static int sigtrap_queued(pid_t pid, pid_t tid)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/task/%d/status", (int)pid, (int)tid);
	FILE *f = fopen(path, "re");
	if (!f)
		return 0;
	char line[256];
	int q = 0;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long m;
		if ((sscanf(line, "SigPnd: %llx", &m) == 1 ||
		     sscanf(line, "ShdPnd: %llx", &m) == 1) &&
		    (m & (1ull << (SIGTRAP - 1))))
			q = 1;
	}
	fclose(f);
	return q;
}

void core__kbp_settle(core_live *p)
{
	if (p->kbp_map <= 0)
		return;
	/* A program may have sent SIGTRAP to a thread that was stopped
	 * before taking it: the thread sits one instruction past the
	 * breakpoint.  Let it take the signal now and put it back at the
	 * breakpoint, where the uprobe fires again on resume (as an int3 hit
	 * met while stopping everything is replayed). */
	for (size_t i = 0; i < p->nthreads; i++) {
		core_thread *t = &p->threads[i];
		uint32_t key = (uint32_t)t->tid;
		kbp_value v;
		if (t->state != CT_STOPPED ||
		    bpf_map_lookup_elem(p->kbp_map, &key, &v) < 0 ||
		    !sigtrap_queued(p->pid, t->tid))
			continue;
		if (t->regs_valid == 2 &&
		    ptrace(PTRACE_SETREGS, t->tid, 0, &t->regs) < 0)
			continue;
		t->regs_valid = 0;
		if (ptrace(PTRACE_CONT, t->tid, 0, 0) < 0)
			continue;
		for (;;) {
			int st;
			pid_t w = core__wait_thread(p, t->tid, &st);
			if (w < 0)
				break;
			if (!WIFSTOPPED(st)) {
				/* It exited meanwhile (the whole program, most
				 * likely): forget it; the rest waits for the next
				 * stop. */
				if (t->tid != p->pid)
					core__thread_remove(p, t->tid);
				else
					core__note_exit(p, st);
				return;
			}
			if ((st >> 16) == 0 && WSTOPSIG(st) == SIGTRAP) {
				core_stop ignored;
				struct user_regs_struct r;
				/* ignored: a SIGTRAP that is not ours
				 * changes nothing; one that is has done
				 * its work (the thread is left to us). */
				if (ptrace(PTRACE_GETREGS, t->tid, 0, &r) == 0)
					(void)core__kbp_trap(p, t, r.rip, &ignored, NULL);
				break;
			}
			/* Anything else first: kept for the next resume. */
			if ((st >> 16) == 0)
				t->pending_sig = WSTOPSIG(st);
			if (ptrace(PTRACE_CONT, t->tid, 0, 0) < 0)
				break;
		}
	}
}

void core__kbp_detach_all(core_live *p)
{
	/* best effort: detaching goes on for every breakpoint; a uprobe
	 * that cannot be taken out goes with our file descriptors at
	 * release. */
	for (size_t i = 0; i < p->nbps; i++)
		if (p->bps[i].kprog)
			(void)core__kbp_attach(p, &p->bps[i], 0, NULL);
	/* With the uprobes gone no program sends any more: what was sent is
	 * taken now, or it would kill the program after the detach. */
	core__kbp_settle(p);
}

void core__kbp_release(core_live *p)
{
	for (size_t i = 0; i < p->nbps; i++) {
		core_bp *bp = &p->bps[i];
		if (bp->perf_fd >= 0)
			close(bp->perf_fd);
		bp->perf_fd = -1;
		if (bp->kprog)
			close(bp->kprog);
		bp->kprog = 0;
	}
	if (p->kbp_map > 0)
		close(p->kbp_map);
	p->kbp_map = 0;
	ring_buffer__free(p->klog_rb);
	p->klog_rb = NULL;
	if (p->klog_lost > 0)
		close(p->klog_lost);
	p->klog_lost = 0;
	if (p->klog_map > 0)
		close(p->klog_map);
	p->klog_map = 0;
}

int live_kbp_del(core_live *p, uint64_t addr, gd_err *err)
{
	core_bp *bp = core__bp(p, addr);
	if (!bp || !bp->kprog)
		return 0;
	int rc = core__kbp_attach(p, bp, 0, err);
	close(bp->kprog);
	bp->kprog = 0;
	if (bp->wguard) {
		/* Its watch guard goes with it (the int3 too, unless a
		 * step or user breakpoint still holds one here). */
		bp->wguard = 0;
		return live_bp_del(p, addr, err) < 0 ? -1 : rc;
	}
	if (bp->refs == 0)
		*bp = p->bps[--p->nbps];
	return rc;
}
