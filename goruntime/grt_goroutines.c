#include "grt_internal.h"
#include "../common/gd_array.h"

#include <stdlib.h>
#include <string.h>

#define GSCAN 0x1000u

static uint64_t get_u64(const uint8_t *b, uint64_t off)
{
	uint64_t v;
	memcpy(&v, b + off, sizeof(v));
	return v;
}

static int push(grt_target *t, const grt_goroutine *g)
{
	if (gd_grow(&t->gs, &t->capgs, t->ngs, sizeof(*t->gs), 64) < 0)
		return -1;
	t->gs[t->ngs++] = *g;
	return 0;
}

/* Which thread runs which goroutine: ask every stopped thread. */
static void assign_threads(grt_target *t)
{
	size_t nt = core_thread_count(t->proc);
	for (size_t i = 0; i < nt; i++) {
		pid_t tid = core_thread_tid(t->proc, i);
		uint64_t goid = 0;
		if (!core_thread_stopped(t->proc, tid) ||
		    /* best effort: a thread whose g cannot be read runs no
		     * goroutine we can name; its goroutine shows as not
		     * running. */
		    grt_thread_goid(t, tid, &goid, NULL) < 0 || goid == 0)
			continue;
		for (size_t k = 0; k < t->ngs; k++)
			if (t->gs[k].goid == goid)
				t->gs[k].tid = tid;
	}
}

/* Bottom-up merge sort of the index by goid (qsort's comparator could
 * not see the goroutine array without a global). */
static void sort_by_goid(grt_target *t)
{
	size_t n = t->ngs;
	uint32_t *tmp = malloc((n ? n : 1) * sizeof(*tmp));
	if (!tmp)
		return;
	for (size_t w = 1; w < n; w *= 2) {
		for (size_t lo = 0; lo < n; lo += 2 * w) {
			size_t mid = lo + w < n ? lo + w : n;
			size_t hi = lo + 2 * w < n ? lo + 2 * w : n;
			size_t a = lo, b = mid, k = lo;
			while (a < mid && b < hi)
				tmp[k++] = t->gs[t->byid[a]].goid <= t->gs[t->byid[b]].goid
						   ? t->byid[a++] : t->byid[b++];
			while (a < mid)
				tmp[k++] = t->byid[a++];
			while (b < hi)
				tmp[k++] = t->byid[b++];
		}
		memcpy(t->byid, tmp, n * sizeof(*tmp));
	}
	free(tmp);
}

/* One g read from the program: kept unless dead or idle.  -1: out of
 * memory. */
static int add_g(grt_target *t, const uint8_t *gb, uint64_t addr)
{
	const grt_layout *L = &t->L;
	grt_goroutine g = {0};
	uint32_t st;
	memcpy(&st, gb + L->g_atomicstatus, sizeof(st));
	g.status = st & ~GSCAN;
	/* The runtime's traceback leaves the extra M's dead g out too. */
	if (g.status == GRT_GDEAD || g.status == GRT_GIDLE ||
	    g.status >= GRT_GDEADEXTRA)
		return 0;
	g.gaddr = addr;
	g.goid = get_u64(gb, L->g_goid);
	g.waitreason = gb[L->g_waitreason];
	g.sched_pc = get_u64(gb, L->g_sched_pc);
	g.sched_sp = get_u64(gb, L->g_sched_sp);
	g.sched_bp = get_u64(gb, L->g_sched_bp);
	if (g.status == GRT_GSYSCALL) {
		/* The user context at syscall entry is the honest
		 * place to unwind from. */
		g.sched_pc = get_u64(gb, L->g_syscallpc);
		g.sched_sp = get_u64(gb, L->g_syscallsp);
		if (L->has_syscallbp)
			g.sched_bp = get_u64(gb, L->g_syscallbp);
	}
	g.stack_lo = get_u64(gb, L->g_stack_lo);
	g.stack_hi = get_u64(gb, L->g_stack_hi);
	g.startpc = get_u64(gb, L->g_startpc);
	g.gopc = get_u64(gb, L->g_gopc);
	return push(t, &g);
}

static int load(grt_target *t, gd_err *err)
{
	if (t->gs_valid)
		return 0;
	t->ngs = 0;
	uint64_t len, arr;
	if (grt__read_u64(t, t->allglen_addr, &len, err) < 0 ||
	    grt__read_u64(t, t->allgs_addr, &arr, err) < 0)
		return gd_err_wrap(err, "reading runtime.allgs");
	if (len == 0) {
		t->gs_valid = 1;
		return 0;
	}
	if (len > (1u << 26))
		return gd_err_set(err, "runtime.allglen is implausible (%lu)",
				  (unsigned long)len);
	/* Every g in a few system calls (10 000 goroutines are common), a
	 * batch at a time into one buffer: a buffer for all of them would
	 * cost more in fresh pages than the reads themselves. */
	enum { CHUNK = 1024 };
	const grt_layout *L = &t->L;
	uint64_t *ptrs = malloc(len * sizeof(*ptrs));
	uint8_t *all = malloc((size_t)CHUNK * L->g_size);
	uint8_t *ok = malloc(CHUNK);
	if (!ptrs || !all || !ok) {
		free(ptrs);
		free(all);
		free(ok);
		return gd_err_set(err, "out of memory");
	}
	int rc = 0;
	if (core_read(t->proc, arr, ptrs, len * sizeof(*ptrs), err) < 0) {
		rc = gd_err_wrap(err, "reading runtime.allgs");
		goto out;
	}
	for (uint64_t base = 0; base < len; base += CHUNK) {
		size_t k = len - base < CHUNK ? (size_t)(len - base) : CHUNK;
		/* A g that cannot be read is left out (ok[j] == 0): it may
		 * have been freed since allgs was read. */
		if (core_read_many(t->proc, ptrs + base, k, L->g_size, all, ok,
				   err) < 0) {
			rc = -1;
			goto out;
		}
		for (size_t j = 0; j < k; j++) {
			if (!ptrs[base + j] || !ok[j])
				continue;
			if (add_g(t, all + j * L->g_size, ptrs[base + j]) < 0) {
				rc = gd_err_set(err, "out of memory");
				goto out;
			}
		}
	}
	assign_threads(t);
	free(t->byid);
	t->byid = malloc((t->ngs ? t->ngs : 1) * sizeof(*t->byid));
	if (!t->byid) {
		rc = gd_err_set(err, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < t->ngs; i++)
		t->byid[i] = (uint32_t)i;
	sort_by_goid(t);
	t->gs_valid = 1;
out:
	free(ptrs);
	free(all);
	free(ok);
	return rc;
}

int grt_goroutines(grt_target *t, const grt_goroutine **list, size_t *n,
		   gd_err *err)
{
	if (load(t, err) < 0)
		return -1;
	*list = t->gs;
	*n = t->ngs;
	return 0;
}

const grt_goroutine *grt_goroutine_by_id(grt_target *t, uint64_t goid,
					 gd_err *err)
{
	if (load(t, err) < 0)
		return NULL;
	size_t lo = 0, hi = t->ngs;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		uint64_t id = t->gs[t->byid[mid]].goid;
		if (id == goid)
			return &t->gs[t->byid[mid]];
		if (id < goid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

int grt_thread_goid(grt_target *t, pid_t tid, uint64_t *goid, gd_err *err)
{
	*goid = 0;
	struct user_regs_struct r;
	if (core_regs(t->proc, tid, &r, err) < 0)
		return -1;
	uint64_t pc = r.rip - t->bias;
	/* A thread still inside runtime.clone has no goroutine yet (its R14
	 * and TLS still describe its parent or nothing). */
	if (pc >= t->clone_lo && pc < t->clone_hi)
		return 0;
	if (r.fs_base < 8)
		return 0;
	uint64_t g;
	/* best effort: TLS or g that cannot be read: no goroutine on this
	 * thread (0), which the callers take as "a plain thread". */
	if (grt__read_u64(t, r.fs_base - 8, &g, NULL) < 0 || g == 0)
		return 0;
	uint64_t id;
	if (grt__read_u64(t, g + t->L.g_goid, &id, NULL) < 0)
		return 0;
	if (id != 0) {
		*goid = id;
		return 0;
	}
	/* g0 or gsignal: the goroutine it works for is m.curg, if any. */
	uint64_t m, curg;
	/* best effort: as above. */
	if (grt__read_u64(t, g + t->L.g_m, &m, NULL) < 0 || m == 0 ||
	    grt__read_u64(t, m + t->L.m_curg, &curg, NULL) < 0 || curg == 0)
		return 0;
	if (grt__read_u64(t, curg + t->L.g_goid, &id, NULL) < 0)
		return 0;
	*goid = id;
	return 0;
}

static int read_waitreasons(grt_target *t)
{
	t->waitreasons_read = 1;
	uint64_t addr, size;
	if (gdw_sym_lookup(t->dw, "runtime.waitReasonStrings", &addr, &size) < 0)
		return -1;
	size_t n = size / 16;
	if (n == 0 || n > 256)
		return -1;
	uint64_t *hdr = malloc(n * 16);
	t->waitreasons = calloc(n, sizeof(char *));
	if (!hdr || !t->waitreasons) {
		free(hdr);
		return -1;
	}
	/* best effort: wait reasons are display text: one that cannot be
	 * read shows as its number. */
	if (core_read(t->proc, addr + t->bias, hdr, n * 16, NULL) == 0) {
		for (size_t i = 0; i < n; i++) {
			uint64_t p = hdr[2 * i], len = hdr[2 * i + 1];
			if (!p || len > 256)
				continue;
			char *s = malloc(len + 1);
			/* best effort: as above. */
			if (s && core_read(t->proc, p, s, len, NULL) == 0) {
				s[len] = '\0';
				t->waitreasons[i] = s;
			} else {
				free(s);
			}
		}
	}
	t->nwaitreasons = n;
	free(hdr);
	return 0;
}

const char *grt_waitreason(grt_target *t, uint8_t reason)
{
	if (!t->waitreasons_read)
		read_waitreasons(t);
	if (reason < t->nwaitreasons && t->waitreasons[reason] &&
	    t->waitreasons[reason][0])
		return t->waitreasons[reason];
	return NULL;
}

/* runtime.fingRunningFinalizer: fingCreated is 1, this the next bit. */
#define FING_RUNNING_FINALIZER 2u

int grt_is_system(grt_target *t, const grt_goroutine *g)
{
	uint64_t start, size;
	const char *fn = gdw_sym_func_at(t->dw, g->startpc - t->bias, &start,
					 &size);
	if (!fn)
		return 0;
	if (strcmp(fn, "runtime.main") == 0 ||
	    strcmp(fn, "runtime.corostart") == 0 ||
	    strcmp(fn, "runtime.handleAsyncEvent") == 0)
		return 0;
	/* The finalizer and cleanup goroutines are user goroutines while they
	 * call back into user code: the runtime's own isSystemGoroutine rule
	 * (fingStatus's fingRunningFinalizer bit, g.runningCleanups). */
	if (strcmp(fn, "runtime.runFinalizers") == 0 ||
	    strcmp(fn, "runtime.runfinq") == 0) {
		uint32_t st = 0;
		if (t->fingstatus_addr &&
		    /* best effort: a status that cannot be read counts the
		     * goroutine as the runtime's own (hidden), as Delve
		     * does for system goroutines. */
		    core_read(t->proc, t->fingstatus_addr, &st, sizeof(st),
			      NULL) == 0)
			return (st & FING_RUNNING_FINALIZER) == 0;
		return 1;
	}
	if (strcmp(fn, "runtime.runCleanups") == 0) {
		uint8_t running = 0; /* atomic.Bool is one byte */
		if (t->L.has_runningcleanups &&
		    /* best effort: as above. */
		    core_read(t->proc, g->gaddr + t->L.g_runningcleanups,
			      &running, sizeof(running), NULL) == 0)
			return running == 0;
		return 1;
	}
	return strncmp(fn, "runtime.", 8) == 0;
}
