/* goruntime/: what is Go-specific.  Reads the Go runtime's own structures
 * (g, m, allgs) out of a stopped process through core/, with layouts taken
 * from the binary's DWARF through dwarf/.
 *
 * Error convention: common/gd_err.h. */
#ifndef GRT_H
#define GRT_H

#include <stdint.h>
#include <stddef.h>
#include <sys/types.h>

#include "../common/gd_err.h"
#include "../core/core.h"
#include "../dwarf/gdw.h"

typedef struct grt_target grt_target;

/* Ties a DWARF view of the binary to its process.  Computes the load bias,
 * the Go version and the runtime layouts it will need. */
int grt_open(grt_target **out, gdw_file *f, core_proc *p, gd_err *err);
void grt_close(grt_target *t);

gdw_file *grt_dwarf(grt_target *t);
core_proc *grt_core(grt_target *t);
/* Runtime address = DWARF address + bias (non-zero for PIE only). */
uint64_t grt_bias(const grt_target *t);
/* "go1.22.12"; "" when unknown. */
const char *grt_go_version(const grt_target *t);
/* Display limits: how many bytes of a string and elements of an array,
 * slice or map a value's text shows (Delve's maxStringLen and
 * maxArrayValues).  0 restores the default. */
#define GRT_DEFAULT_MAX_STRING 512
#define GRT_DEFAULT_MAX_ARRAY 64
void grt_set_limits(grt_target *t, uint64_t max_string, uint64_t max_array);
void grt_limits(const grt_target *t, uint64_t *max_string, uint64_t *max_array);
/* Compiles breakpoint condition `cond` as it reads at runtime address pc
 * (the breakpoint, top frame) to eBPF instructions for core_kbp_add (heap
 * array of *n struct bpf_insn in *out, caller frees).  -1 with the reason
 * in why when it reads something the compiler does not handle (the caller
 * then evaluates it itself, as always).  grt_bpf.c says what compiles. */
int grt_bpf_cond(grt_target *t, const char *cond, uint64_t pc, void **out,
		 size_t *n, gd_err *why);
/* Compiles logpoint message msg (its {expr} parts) at runtime address pc
 * to eBPF for core_klog_add: the code writes the goroutine id, one 8-byte
 * value per {expr}, the bytes of string values and the mask of values it
 * could not read into the record at register CORE_KLOG_RECREG
 * (core_run.h); r6 holds the context.  *vals (heap, *nvals entries, caller
 * frees) says how each value prints; *recsize is the record's size.
 * -1 with the reason when a part prints what the kernel cannot produce
 * exactly as godap's own formatting (then godap formats it at a stop). */
typedef enum {
	GRT_BPF_INT, GRT_BPF_UINT, GRT_BPF_BOOL,
	GRT_BPF_STRING, /* the value is the length; the bytes at off */
} grt_bpf_kind;
typedef struct grt_bpf_val {
	grt_bpf_kind kind;
	uint32_t off; /* GRT_BPF_STRING: where its bytes are in the record */
	uint32_t max; /* GRT_BPF_STRING: bytes copied at most (the session's
			 maxStringLen when compiled) */
} grt_bpf_val;
int grt_bpf_log(grt_target *t, const char *msg, uint64_t pc, void **out,
		size_t *n, grt_bpf_val **vals, size_t *nvals, size_t *recsize,
		gd_err *why);
/* Called when the process resumes: cached reads of runtime state die. */
void grt_invalidate(grt_target *t);
/* Changes at every grt_invalidate: what was read of a stop (e.g. an
 * adapter's cached answer) holds while it stays the same. */
uint64_t grt_generation(const grt_target *t);

/* ---- goroutines ---- */
enum {
	GRT_GIDLE = 0, GRT_GRUNNABLE = 1, GRT_GRUNNING = 2, GRT_GSYSCALL = 3,
	GRT_GWAITING = 4, GRT_GDEAD = 6, GRT_GCOPYSTACK = 8,
	GRT_GPREEMPTED = 9,
	/* Go 1.26+: the g of an extra M (cgo callbacks on threads Go did
	 * not start), dead until C calls Go on that thread. */
	GRT_GDEADEXTRA = 11,
};

typedef struct grt_goroutine {
	uint64_t goid;
	uint64_t gaddr;
	uint32_t status;        /* without the _Gscan bit */
	uint8_t waitreason;
	uint64_t sched_pc, sched_sp, sched_bp;
	uint64_t startpc, gopc;
	uint64_t stack_lo, stack_hi;
	pid_t tid;              /* thread running it, 0 if none */
} grt_goroutine;

/* Every goroutine from runtime.allgs that is not dead, in allgs order.
 * The array is owned by t and valid until grt_invalidate. */
int grt_goroutines(grt_target *t, const grt_goroutine **list, size_t *n,
		   gd_err *err);
/* Looks a goroutine up by id (not by g address: g's are reused).
 * NULL when no such goroutine. */
/* The function each goroutine of grt_goroutines' list is in, for a thread
 * list (its topmost frame outside the runtime, the innermost inlined call
 * there): names[i] for list[i], owned by t, kept until grt_invalidate. */
int grt_goroutine_funcs(grt_target *t, const char *const **names,
			gd_err *err);

const grt_goroutine *grt_goroutine_by_id(grt_target *t, uint64_t goid,
					 gd_err *err);
/* The user goroutine a stopped thread runs: 0 if none (idle thread, inside
 * runtime.clone, before the runtime has set TLS). */
int grt_thread_goid(grt_target *t, pid_t tid, uint64_t *goid, gd_err *err);
/* The wait reason as the runtime spells it ("chan receive"), or NULL. */
const char *grt_waitreason(grt_target *t, uint8_t reason);
/* 1 if the runtime would call it a system goroutine. */
int grt_is_system(grt_target *t, const grt_goroutine *g);

/* ---- pprof labels (grt_labels.c) ---- */
typedef struct grt_label {
	char *key, *value; /* heap */
} grt_label;
/* The pprof labels of g (runtime/pprof's labelMap behind g.labels), sorted
 * by key; none when g has no labels or the program has no pprof. */
int grt_goroutine_labels(grt_target *t, const grt_goroutine *g,
			 grt_label **out, size_t *n, gd_err *err);
void grt_labels_free(grt_label *v, size_t n);
struct gd_buf;
/* Appends " key=value" for each of g's labels (only those in keys, when
 * nkeys > 0); returns how many. */
int grt_labels_text(grt_target *t, const grt_goroutine *g,
		    char *const *keys, size_t nkeys, struct gd_buf *out);

/* ---- goroutine filters (grt_gfilter.c) ---- */
/* Delve's goroutine filter syntax: -with|-without user|running|
 * curloc|userloc|goloc|startloc TEXT|label KEY[=VALUE], -group ...;
 * the terms all hold ("and"). */
typedef struct grt_gfilter grt_gfilter;
int grt_gfilter_parse(const char *text, grt_gfilter **out, gd_err *err);
void grt_gfilter_free(grt_gfilter *f);
/* 1 when f is NULL or has neither terms nor a group. */
int grt_gfilter_empty(const grt_gfilter *f);
/* 1 when g passes every term of f (f NULL: 1). */
int grt_gfilter_match(grt_target *t, const grt_gfilter *f,
		      const grt_goroutine *g);
/* With -group: the name of g's group (heap); NULL without grouping. */
char *grt_gfilter_group(grt_target *t, const grt_gfilter *f,
			const grt_goroutine *g);
enum { GRT_LOC_CUR, GRT_LOC_USER, GRT_LOC_GO, GRT_LOC_START };
struct gd_buf;
/* "FILE:LINE FUNC" of g's top frame, topmost frame outside the runtime,
 * go statement or start function, appended to out. */
int grt_goroutine_loc(grt_target *t, const grt_goroutine *g, int which,
		      struct gd_buf *out);

/* ---- stacks ---- */
typedef struct grt_frame {
	uint64_t pc;   /* runtime address */
	uint64_t sp;   /* the frame's SP */
	uint64_t cfa;
	const char *func; /* owned by the dwarf file; "?" when unknown */
	const char *file; /* may be NULL */
	int line;
	uint64_t func_entry;
	int exact_pc; /* pc is where execution is, not a return address */
	/* Set by grt_stack_inline on a frame of an inlined call: its
	 * DW_TAG_inlined_subroutine (the frame shares pc/sp/cfa with the
	 * function it was inlined into). 0 for a real frame. */
	uint64_t inl_die;
} grt_frame;

/* Unwinds goroutine goid (or, with goid == 0, thread tid) up to max frames.
 * *frames is heap-allocated; caller frees.  *complete is 1 if the walk
 * reached the bottom (goexit/mstart/rt0_go) rather than max. */
int grt_stack(grt_target *t, uint64_t goid, pid_t tid, size_t max,
	      grt_frame **frames, size_t *n, int *complete, gd_err *err);

/* Rewrites a grt_stack result so that each inlined call is a frame of its
 * own, innermost first, as the user wrote the calls (Delve shows them the
 * same way).  Stepping works on the real frames and does not call it.
 * Out of memory, it frees *frames and leaves none. */
int grt_stack_inline(grt_target *t, grt_frame **frames, size_t *n,
		     gd_err *err);

/* Address of a symbol in the running process (bias applied). */
int grt_sym(grt_target *t, const char *name, uint64_t *addr);


/* ---- goroutine-aware stepping (grt_step.c) ----
 * A step is a set of breakpoints tagged with the goroutine and the stack
 * frame it steps in.  Any thread may hit them; only the stepping goroutine,
 * in the right frame, ends the step, wherever the scheduler has put it. */
typedef enum grt_step_kind { GRT_STEP_OVER, GRT_STEP_IN, GRT_STEP_OUT } grt_step_kind;
typedef enum grt_step_verdict {
	GRT_STEP_NOT_OURS, /* not a step breakpoint */
	GRT_STEP_RESUME,   /* another goroutine or frame: let it run on */
	GRT_STEP_DONE,     /* the step ended on this thread */
	GRT_STEP_GONE,     /* the goroutine finished: the step is over, run on */
} grt_step_verdict;
typedef struct grt_step grt_step;

/* The process is stopped.  Inserts the step's breakpoints; the caller
 * then resumes every thread.  The step runs in the topmost frame of user
 * code (a goroutine parked inside the runtime, time.Sleep included, steps
 * in the frame that called into it).  sel_cfa, when not 0, is the CFA of
 * the frame the user selected: a stepOut leaves that frame instead, when
 * it is user code at or below the topmost user frame. */
int grt_step_begin(grt_target *t, uint64_t goid, grt_step_kind kind,
		   uint64_t sel_cfa, grt_step **out, gd_err *err);
/* stepInTargets: the direct calls of user functions on the line the
 * goroutine is on, from where it is, in order, each callee once. */
typedef struct grt_step_target {
	const char *name;   /* the callee (owned by the dwarf file) */
	uint64_t entry;     /* its body (runtime address): the target id */
	uint64_t call_addr; /* the CALL instruction (runtime address) */
	int line;
} grt_step_target;
int grt_step_in_targets(grt_target *t, uint64_t goid, grt_step_target **out,
			size_t *n, gd_err *err);
/* A stepIn that stops only in the callee whose body is at entry (any other
 * call on the line is stepped over); like `next` when it is not reached. */
int grt_step_begin_into(grt_target *t, uint64_t goid, uint64_t entry,
			grt_step **out, gd_err *err);
/* Thread tid stopped at breakpoint addr while the step is armed. */
grt_step_verdict grt_step_on_bp(grt_step *st, pid_t tid, uint64_t addr,
				gd_err *err);
/* Removes the step's breakpoints and frees it (NULL is fine). */
void grt_step_end(grt_step *st);
/* Before a step that runs goroutine goid's thread alone (the launch
 * attribute stepHoldsOthers): a preemption the scheduler asked for before
 * the stop would make the goroutine give up its thread at its next call
 * and wait behind goroutines that cannot run.  Undoes such a request as
 * the runtime does when it honours one (stackguard0 back to stack.lo +
 * stackGuard, g.preempt false); a stop the GC asked for (preemptStop) is
 * left alone.  1 if cleared, 0 if none, -1 on error. */
int grt_step_unpreempt(grt_target *t, uint64_t goid, gd_err *err);
uint64_t grt_step_goid(const grt_step *st);

/* ---- panics and fatal errors (grt_panic.c) ---- */
typedef struct grt_exc_sites {
	uint64_t fatalpanic; /* runtime.fatalpanic entry: unrecovered panic */
	uint64_t throw_;     /* runtime.throw entry: runtime fatal error */
	uint64_t fatal;      /* runtime.fatal entry: user fatal error (1.21+) */
	/* runtime.fatalsignal entry: a signal the runtime dies of without a
	 * panic (a fault in C code, SIGQUIT), about to print it. */
	uint64_t fatalsignal;
} grt_exc_sites;

/* Entry addresses (0 where the symbol is absent).  Breakpoints go on the
 * entry itself: the arguments are still in their registers there. */
void grt_exception_sites(grt_target *t, grt_exc_sites *out);
/* At fatalpanic's entry on thread tid: the panic value as Go prints it
 * ("runtime error: index out of range [5] with length 3").  Heap string. */
int grt_panic_message(grt_target *t, pid_t tid, char **msg, gd_err *err);
/* At throw/fatal's entry: the message string argument.  Heap string. */
int grt_throw_message(grt_target *t, pid_t tid, char **msg, gd_err *err);
/* At fatalsignal's entry: what it is about to print, on one line
 * ("SIGSEGV: segmentation violation PC=0x4c332a m=4 sigcode=1 addr=0x0
 * (signal arrived during cgo execution)").  Heap string. */
int grt_fatalsignal_message(grt_target *t, pid_t tid, char **msg,
			    gd_err *err);
/* A target that died (a core the kernel dumped): the goroutine that
 * crashed (0 if none is known), the kind ("panic", "fatal error") and what
 * the runtime printed first ("panic: boom [signal SIGSEGV: segmentation
 * violation code=0x1 addr=0x0 pc=0x...]").  Heap strings.  1 when the
 * target did not crash (a live process, a gcore of a running program). */
int grt_crash(grt_target *t, uint64_t *goid, char **kind, char **desc,
	      gd_err *err);

/* ---- function names (grt_funcname.c) ---- */
/* Does a user's function breakpoint name (main.worker, net/http.Get,
 * (*T).Method, T.Method, pkg.Generic) denote the DWARF function name
 * full (main.(*T).Method, main.Sum[go.shape.int])?  Go's rules: exact,
 * instantiations of a generic, or a suffix at a package boundary. */
int grt_func_name_matches(const char *query, const char *full);

/* ---- raw memory (grt_mem.c) ---- */
/* Reads up to len bytes at addr, stopping at the first page that cannot
 * be read: *got bytes are valid (the program's own bytes where godap has
 * breakpoints).  Never fails. */
int grt_mem_read(grt_target *t, uint64_t addr, void *buf, size_t len,
		 size_t *got);
/* Writes len bytes at addr when every byte lies in a writable mapping;
 * else fails saying which mapping refused. */
int grt_mem_write(grt_target *t, uint64_t addr, const void *buf, size_t len,
		  gd_err *err);

/* ---- watching stack variables (grt_stackwatch.c) ---- */
/* The runtime addresses of runtime.copystack's return instructions: a
 * goroutine's stack has moved when one is reached. */
int grt_copystack_exits(grt_target *t, uint64_t **out, size_t *n, gd_err *err);
/* The stack bounds of the goroutine whose g is at gaddr, now. */
int grt_g_stack(grt_target *t, uint64_t gaddr, uint64_t *lo, uint64_t *hi,
		gd_err *err);

/* ---- jumping within a function (grt_goto.c) ---- */
/* Where goroutine goid (stopped on its thread) may jump to on file:line:
 * the start of each run of statements of the line inside the body of the
 * function it is in (none outside it, or on the declaration line).
 * *out: heap, runtime addresses. */
int grt_goto_targets(grt_target *t, uint64_t goid, const char *file, int line,
		     uint64_t **out, size_t *n, gd_err *err);
/* Moves goroutine goid's thread to addr, refused unless addr lies in the
 * body of the function it is stopped in (the frame keeps its shape). */
int grt_goto(grt_target *t, uint64_t goid, uint64_t addr, gd_err *err);

/* ---- Delve's location syntax (grt_location.c) ---- */
typedef struct grt_loc {
	uint64_t *addrs;  /* heap; runtime addresses */
	size_t n;
	const char *file; /* owned by the dwarf file; NULL for an address */
	int line;         /* the line the addresses belong to */
	const char *func; /* FUNC:... forms: the function (dwarf-owned) */
	int is_addr;      /* *ADDRESS */
} grt_loc;
/* "FILE:LINE", "FUNC:+N", "FUNC:LINE" or "*ADDRESS": 1 and *out filled;
 * 0 when spec is none of these (a plain function name); -1 with a
 * message when it is one that does not resolve. */
int grt_location(grt_target *t, const char *spec, grt_loc *out, gd_err *err);

/* ---- loaded objects (grt_modules.c) ---- */
typedef struct grt_module {
	char *path;      /* heap; "[vdso]" for the vDSO */
	uint64_t lo, hi; /* lowest and highest mapped address */
	int is_exe;      /* the program itself */
	int syms;        /* GDW_SYMS_*: what symbols the file carries */
} grt_module;
/* The executable and every shared object mapped, in address order. */
int grt_modules(grt_target *t, grt_module **out, size_t *n, gd_err *err);
void grt_modules_free(grt_module *v, size_t n);

/* ---- source files (grt_srcfind.c) ---- */
/* A readable local file holding the text of `path` as the binary names
 * it: the path itself, else the same file under this machine's GOROOT
 * ($GOROOT, the go on PATH) or module cache ($GOMODCACHE, $GOPATH/pkg/mod,
 * ~/go/pkg/mod).  *out is heap; GD_ENOTFOUND when none (out of memory
 * while trying counts as none: the caller only loses the text). */
int grt_source_find(const char *path, char **out);

/* ---- disassembly (grt_disasm.c) ---- */
typedef enum grt_asm_flavor {
	GRT_ASM_GO,    /* Go assembler (Plan 9) syntax, Delve's default */
	GRT_ASM_INTEL,
	GRT_ASM_ATT,
} grt_asm_flavor;
typedef struct grt_insn {
	uint64_t addr;      /* runtime address */
	uint8_t bytes[16];
	size_t len;         /* 0: unreadable */
	char *text;         /* heap */
	int invalid;        /* unreadable, or no instruction ("??", "(bad)") */
	const char *sym;    /* function symbol holding addr, owned by the
			       dwarf file; NULL */
	uint64_t sym_start; /* its runtime address */
	const char *file;   /* owned by the dwarf file; NULL */
	int line;
} grt_insn;
/* count instructions starting insn_offset instructions away from addr
 * (negative: before it), as DAP's disassemble asks.  Always returns
 * exactly count entries; where there is no code they are invalid
 * one-byte entries.  Backwards, decoding starts at function symbols so
 * the instructions are the real ones.  *out: heap array of *n, free
 * with grt_insns_free. */
int grt_disasm(grt_target *t, uint64_t addr, int64_t insn_offset,
	       size_t count, grt_asm_flavor fl, grt_insn **out, size_t *n,
	       gd_err *err);
void grt_insns_free(grt_insn *v, size_t n);

#endif
