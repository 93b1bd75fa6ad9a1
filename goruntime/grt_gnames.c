/* The function each goroutine is "in", for a thread list: its topmost
 * frame outside the runtime (a goroutine parked in a channel receive is in
 * main.worker, not in runtime.gopark), the innermost inlined call there.
 *
 * 10 000 goroutines must cost milliseconds (issue 14), so a parked one is
 * not unwound frame by frame through the memory and DWARF layers: the top
 * of every parked stack is read in a few system calls (core_read_many,
 * 1024 regions a call), and the walk runs in those buffers with what is
 * known of each PC (its frame size, whether it is runtime code, the name)
 * learnt once per PC -- thousands of goroutines share a handful of PCs.
 * Anything out of the ordinary (a goroutine on a thread, a frame the
 * window does not hold, a trap frame, a switch of stacks) takes the full
 * unwinder (grt_stack), as before.  The names are kept until
 * grt_invalidate. */
#include "grt_internal.h"

#include <stdlib.h>
#include <string.h>

/* Bytes of each parked stack read at once: most walks end in the first
 * window (a goroutine parked in a channel receive needs 216 bytes in a
 * -N -l build: gopark, chanrecv, chanrecv1); the few that need more get
 * the next. */
static const size_t windows[] = {256, 1024, 4096};
#define MAX_FAST 64    /* frames walked in a window */

static int is_runtime(const char *fn)
{
	return strncmp(fn, "runtime.", 8) == 0 ||
	       strncmp(fn, "internal/runtime/", 17) == 0;
}

/* A frame of the runtime's own code: by name, or by its source file in
 * GOROOT/src/runtime/ whatever package it is linked into (time.Sleep,
 * sync.runtime_Semacquire): a goroutine sleeping is "in" main.main, not in
 * time.Sleep (the rule stepping uses, grt_step.c). */
static int runtime_code(const char *fn, const char *file)
{
	return is_runtime(fn) ||
	       (file && (strstr(file, "/src/runtime/") ||
			 strstr(file, "/src/internal/runtime/")));
}

/* What a frame at one PC means to the walk. */
enum { PK_SLOW, PK_RUNTIME, PK_USER, PK_BOTTOM };

struct grt_pcinfo {
	uint64_t key; /* pc * 2 + exact; 0 empty */
	int kind;
	int64_t cfa_off; /* CFA - SP, when kind == PK_RUNTIME */
	const char *name; /* PK_USER: the name to show; else the frame's */
};

static const char *frame_func(grt_target *t, uint64_t look)
{
	const char *fn;
	if (gdw_func_name_at(t->dw, look, &fn) == 0)
		return fn;
	uint64_t start, size;
	const char *name = gdw_sym_func_at(t->dw, look, &start, &size);
	return name ? name : "?";
}

/* The innermost inlined call at look outside the runtime, else fn. */
static const char *innermost(grt_target *t, uint64_t look, const char *fn)
{
	gdw_inl *chain = NULL;
	size_t depth = 0;
	if (gdw_inline_chain(t->dw, look, &chain, &depth) < 0)
		return fn;
	const char *name = fn;
	for (size_t i = 0; i < depth; i++) {
		if (!is_runtime(chain[i].name)) {
			name = chain[i].name;
			break;
		}
	}
	free(chain);
	return name;
}

static void learn(grt_target *t, struct grt_pcinfo *e, uint64_t pc, int exact)
{
	uint64_t look = pc - t->bias - (exact ? 0 : 1);
	const char *fn = frame_func(t, look);
	e->name = fn;
	e->kind = PK_SLOW;
	if (strcmp(fn, "?") == 0)
		return;
	/* A runtime name is runtime code whatever its file: the runtime's
	 * line table (large) is not read for it. */
	const char *file = NULL;
	int line;
	if (!is_runtime(fn) && gdw_pc_line(t->dw, look, &file, &line) < 0)
		file = NULL;
	if (!runtime_code(fn, file)) {
		e->kind = PK_USER;
		e->name = innermost(t, look, fn);
		return;
	}
	if (strcmp(fn, "runtime.goexit") == 0) {
		e->kind = PK_BOTTOM;
		return;
	}
	/* Frames that switch stacks or end a walk otherwise. */
	static const char *const odd[] = {
		"runtime.mstart", "runtime.mstart0", "runtime.rt0_go",
		"runtime.sigtramp", "runtime.sigpanic", "runtime.asyncPreempt",
		"runtime.debugCallV2", "runtime.systemstack", "runtime.mcall",
		"runtime.morestack", "runtime.asmcgocall",
	};
	for (size_t i = 0; i < sizeof(odd) / sizeof(odd[0]); i++)
		if (strcmp(fn, odd[i]) == 0)
			return;
	/* The frame size, if the CFA depends on SP alone here. */
	uint64_t regs[17] = {0}, a, b;
	const uint64_t sp = 1ull << 40;
	regs[7] = sp;
	regs[16] = pc - t->bias;
	regs[6] = 0;
	if (gdw_cfa(t->dw, look, regs, &a) < 0)
		return;
	regs[6] = 1ull << 41;
	if (gdw_cfa(t->dw, look, regs, &b) < 0 || a != b || a <= sp ||
	    a - sp > (1u << 20))
		return;
	e->cfa_off = (int64_t)(a - sp);
	e->kind = PK_RUNTIME;
}

/* Fibonacci hashing: the product's high bits (cap a power of two). */
static size_t hash(uint64_t key, size_t cap)
{
	int bits = 0;
	while (((size_t)1 << bits) < cap)
		bits++;
	return (size_t)((key * 0x9E3779B97F4A7C15ull) >> (64 - bits));
}

static struct grt_pcinfo *pcinfo(grt_target *t, uint64_t pc, int exact)
{
	if (t->npcinfo * 2 >= t->cappcinfo) {
		size_t cap = t->cappcinfo ? t->cappcinfo * 2 : 256;
		struct grt_pcinfo *nt = calloc(cap, sizeof(*nt));
		if (!nt)
			return NULL;
		for (size_t i = 0; i < t->cappcinfo; i++) {
			if (!t->pcinfo[i].key)
				continue;
			size_t h = hash(t->pcinfo[i].key, cap);
			while (nt[h].key)
				h = (h + 1) & (cap - 1);
			nt[h] = t->pcinfo[i];
		}
		free(t->pcinfo);
		t->pcinfo = nt;
		t->cappcinfo = cap;
	}
	uint64_t key = pc * 2 + (exact ? 1 : 0);
	size_t m = t->cappcinfo - 1;
	size_t h = hash(key, t->cappcinfo);
	while (t->pcinfo[h].key && t->pcinfo[h].key != key)
		h = (h + 1) & m;
	struct grt_pcinfo *e = &t->pcinfo[h];
	if (!e->key) {
		e->key = key;
		t->npcinfo++;
		learn(t, e, pc, exact);
	}
	return e;
}

/* The full walk: the top frame first (a goroutine stopped in user code,
 * as at a breakpoint, is named without unwinding into the runtime, whose
 * line table is large); 16 frames reach user code unless the goroutine is
 * deep in the runtime's system stack, so look deeper only then. */
static const char *slow_user_func(grt_target *t, const grt_goroutine *g)
{
	static const size_t depths[] = {1, 16, 64, 256};
	grt_frame *fs;
	size_t n;
	int complete;
	const char *name = "?";
	for (size_t k = 0; k < sizeof(depths) / sizeof(depths[0]); k++) {
		size_t depth = depths[k];
		/* best effort: a stack that cannot be read names the
		 * goroutine "?". */
		if (grt_stack(t, g->goid, 0, depth, &fs, &n, &complete, NULL) < 0)
			return name;
		int found = 0;
		for (size_t i = 0; i < n; i++) {
			if (!runtime_code(fs[i].func, fs[i].file)) {
				uint64_t look = fs[i].pc - t->bias -
						(fs[i].exact_pc ? 0 : 1);
				name = fs[i].file ? innermost(t, look, fs[i].func)
						  : fs[i].func;
				found = 1;
				break;
			}
		}
		if (!found && depth == 1 && n == depth && !complete) {
			free(fs); /* undecided: 16 frames, as before */
			continue;
		}
		if (strcmp(name, "?") == 0 && n)
			name = fs[0].func;
		free(fs);
		if (!is_runtime(name) || complete || n < depth)
			break;
	}
	return name;
}

/* The walk in the window: NULL when it cannot decide. */
static const char *fast_user_func(grt_target *t, const grt_goroutine *g,
				  const uint8_t *win, uint64_t wlo, size_t wlen,
				  int *more)
{
	*more = 0;
	uint64_t pc = g->sched_pc, sp = g->sched_sp;
	int exact = 1;
	const char *first = NULL;
	for (int k = 0; k < MAX_FAST && pc; k++) {
		struct grt_pcinfo *e = pcinfo(t, pc, exact);
		if (!e)
			return NULL;
		if (!first)
			first = e->name;
		if (e->kind == PK_USER)
			return e->name;
		if (e->kind == PK_BOTTOM)
			return first;
		if (e->kind != PK_RUNTIME)
			return NULL;
		uint64_t cfa = sp + (uint64_t)e->cfa_off;
		if (cfa - 8 < wlo || cfa > wlo + wlen || cfa > g->stack_hi) {
			*more = 1;
			return NULL;
		}
		uint64_t ret;
		memcpy(&ret, win + (cfa - 8 - wlo), sizeof(ret));
		sp = cfa;
		pc = ret;
		exact = 0;
	}
	return NULL;
}

/* One pass over the goroutines todo[0..*m) with windows of wlen bytes:
 * names the ones it can; keeps in todo those a bigger window may name.
 * A batch of CHUNK windows at a time into one buffer (fresh pages for all
 * of them would cost more than the reads). */
#define CHUNK 1024
static int window_pass(grt_target *t, const grt_goroutine *gs, size_t *todo,
		       size_t *m, size_t wlen)
{
	uint64_t *addrs = malloc(CHUNK * sizeof(*addrs));
	uint8_t *ok = malloc(CHUNK);
	uint8_t *wins = malloc(CHUNK * wlen);
	if (!addrs || !ok || !wins) {
		free(addrs);
		free(ok);
		free(wins);
		return -1;
	}
	size_t left = 0;
	for (size_t base = 0; base < *m; base += CHUNK) {
		size_t k = *m - base < CHUNK ? *m - base : CHUNK;
		for (size_t j = 0; j < k; j++) {
			const grt_goroutine *g = &gs[todo[base + j]];
			/* From SP, or ending at the stack's top; a stack
			 * smaller than the window (2 KiB) is read from its
			 * bottom on (the bytes past it belong to some other
			 * stack, and are never used). */
			uint64_t lo = g->sched_sp;
			if (g->stack_hi - lo < wlen)
				lo = g->stack_hi - wlen;
			if (lo < g->stack_lo)
				lo = g->stack_lo;
			addrs[j] = lo;
		}
		/* ignored: per-window failures are in ok[] (core_target.h);
		 * a window that cannot be read names nothing. */
		(void)core_read_many(t->proc, addrs, k, wlen, wins, ok, NULL);
		for (size_t j = 0; j < k; j++) {
			size_t gi = todo[base + j];
			int more = 0;
			if (ok[j])
				t->gnames[gi] = fast_user_func(
					t, &gs[gi], wins + j * wlen, addrs[j],
					wlen, &more);
			if (more)
				todo[left++] = gi;
		}
	}
	*m = left;
	free(addrs);
	free(ok);
	free(wins);
	return 0;
}

int grt_goroutine_funcs(grt_target *t, const char *const **names,
			gd_err *err)
{
	const grt_goroutine *gs;
	size_t n;
	if (grt_goroutines(t, &gs, &n, err) < 0)
		return -1;
	if (t->gnames_valid) {
		*names = (const char *const *)t->gnames;
		return 0;
	}
	free(t->gnames);
	t->gnames = calloc(n ? n : 1, sizeof(*t->gnames));
	size_t *todo = malloc((n ? n : 1) * sizeof(*todo));
	if (!t->gnames || !todo)
		goto oom;
	/* Parked goroutines. */
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		const grt_goroutine *g = &gs[i];
		if (!g->tid && g->sched_pc && g->sched_sp &&
		    g->sched_sp >= g->stack_lo && g->sched_sp < g->stack_hi)
			todo[m++] = i;
	}
	for (size_t w = 0; w < sizeof(windows) / sizeof(windows[0]) && m; w++)
		if (window_pass(t, gs, todo, &m, windows[w]) < 0)
			goto oom;
	for (size_t i = 0; i < n; i++)
		if (!t->gnames[i])
			t->gnames[i] = slow_user_func(t, &gs[i]);
	free(todo);
	t->gnames_valid = 1;
	*names = (const char *const *)t->gnames;
	return 0;
oom:
	free(todo);
	free(t->gnames);
	t->gnames = NULL;
	return gd_err_set(err, "out of memory");
}

void grt__gnames_free(grt_target *t)
{
	free(t->gnames);
	free(t->pcinfo);
	t->gnames = NULL;
	t->pcinfo = NULL;
	t->npcinfo = t->cappcinfo = 0;
}
