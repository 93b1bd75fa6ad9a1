/* Shared by the grt_*.c files only. */
#ifndef GRT_INTERNAL_H
#define GRT_INTERNAL_H

#include "grt.h"

/* Offsets inside runtime structures, read from DWARF at open. */
typedef struct grt_layout {
	uint64_t g_size;
	uint64_t g_stack_lo, g_stack_hi;
	uint64_t g_m, g_sched_pc, g_sched_sp, g_sched_bp;
	uint64_t g_syscallsp, g_syscallpc, g_syscallbp;
	int has_syscallbp;
	uint64_t g_atomicstatus, g_goid, g_waitreason;
	uint64_t g_startpc, g_gopc;
	uint64_t m_curg, m_procid;
	uint64_t g_lockedm, m_g0, m_id, m_incgo;
	/* g.runningCleanups (Go 1.25+), 0 when absent. */
	uint64_t g_runningcleanups;
	int has_runningcleanups;
} grt_layout;

/* time.Location's layout, for showing a time.Time in its zone. */
typedef struct grt_loclayout {
	uint64_t zone, tx, cstart, cend, czone;
	uint64_t zone_size, zone_offset, zone_isdst;
	uint64_t tx_size, tx_index;
} grt_loclayout;

/* A function call the debugger gave up on (timeout): the thread is still
 * inside it; its registers to restore when the runtime's last trap comes. */
typedef struct grt_call_pend {
	int active;
	pid_t tid;
	struct user_regs_struct regs0;
	struct user_fpregs_struct fp0;
	uint64_t stepover0;
} grt_call_pend;

struct grt_target {
	gdw_file *dw;
	core_proc *proc;
	uint64_t bias;
	char version[32];
	grt_layout L;
	/* Display limits: bytes of a string, elements of an array, slice
	 * or map shown in a value's text (Delve's maxStringLen and
	 * maxArrayValues). */
	uint64_t max_string, max_array;
	uint64_t allgs_addr, allglen_addr;
	uint64_t clone_lo, clone_hi; /* runtime.clone, DWARF addresses */
	uint64_t fingstatus_addr;     /* runtime.fingStatus, 0 if absent */

	/* Valid until grt_invalidate. */
	uint64_t generation; /* grt_invalidate calls */
	int gs_valid;
	grt_goroutine *gs;
	size_t ngs, capgs;
	uint32_t *byid; /* indices into gs sorted by goid */

	/* Names of native (C) functions met while unwinding, kept until
	 * grt_close so frames can point at them. */
	char **cnames;
	size_t ncnames, capcnames;

	int loc_state; /* 0 not read, 1 loc valid, -1 no time.Location */
	grt_loclayout loc;

	/* runtime.waitReasonStrings, read once. */
	char **waitreasons;
	size_t nwaitreasons;
	int waitreasons_read;

	/* grt_gnames.c: each goroutine's function (parallel to gs, valid
	 * with it) and what is known of each PC met in a parked stack. */
	const char **gnames;
	int gnames_valid;
	struct grt_pcinfo *pcinfo;
	size_t npcinfo, cappcinfo;

	/* Conditions and log messages parsed once (grt_parsed.c). */
	struct grt_parsed *parsed;
	size_t nparsed, capparsed;

	uint64_t stack_guard; /* runtime.stackGuard, read when first needed */

	grt_call_pend pend; /* grt_call.c */
	int user_held;      /* we set sched.disable.user (grt_call.c) */
};

typedef struct grt_parsed grt_parsed;
void grt__parsed_free(grt_target *t);
void grt__gnames_free(grt_target *t);

/* Unwinds code outside Go's DWARF with libunwind over the target (see
 * core_unwind.h), from thread tid's registers (from NULL) or from *from (a
 * frame further down tid's stacks).  Appends the frames to (*fs)[*k..]
 * (pc, sp and libunwind's symbol name only), growing *fs (*cap) and never
 * past max frames, then gives the registers of the first Go frame.
 * 0 when a Go frame was reached; GRT_NATIVE_STOPPED when the native stack
 * ended, could not be unwound further or filled max (not a failure: the
 * frames appended stay, and the caller shows them); -1 with err set when
 * out of memory. */
enum { GRT_NATIVE_STOPPED = 1 };
struct grt_frame;
int grt__native_unwind(grt_target *t, pid_t tid,
		       const struct user_regs_struct *from, struct grt_frame **fs,
		       size_t *k, size_t *cap, size_t max, uint64_t *pc,
		       uint64_t *sp, uint64_t *bp, gd_err *err);
/* An interned copy of name, owned by t; NULL when out of memory. */
const char *grt__intern(grt_target *t, const char *name);
int grt__read_u64(grt_target *t, uint64_t addr, uint64_t *v, gd_err *err);

#endif
