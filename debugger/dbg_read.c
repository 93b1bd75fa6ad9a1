/* Reading a stop: thread ids, the threads list with the function each
 * goroutine is "in", stacks, registers. */
#include "dbg_internal.h"
#include "../common/gd_array.h"
#include "../common/gd_buf.h"
#include "../common/gd_time.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int dbg_thread_resolve(dbg *d, int64_t id, uint64_t *goid, pid_t *tid)
{
	*goid = 0;
	*tid = 0;
	if (id <= 0 || !dbg_has_target(d))
		return GD_ENOTFOUND;
	/* best effort: goroutines unreadable (before the runtime is up): maybe
	 * a thread. */
	if (grt_goroutine_by_id(d->rt, (uint64_t)id, NULL)) {
		*goid = (uint64_t)id;
		return 0;
	}
	if (core_thread_stopped(d->proc, (pid_t)id)) {
		*tid = (pid_t)id;
		return 0;
	}
	return GD_ENOTFOUND;
}

int dbg_stack(dbg *d, uint64_t goid, pid_t tid, size_t max,
	      grt_frame **frames, size_t *n, int *complete, gd_err *err)
{
	if (!dbg_has_target(d))
		return gd_err_set(err, "no program is running");
	if (grt_stack(d->rt, goid, tid, max, frames, n, complete, err) < 0)
		return -1;
	return grt_stack_inline(d->rt, frames, n, err);
}

void dbg_threads_free(dbg_thread *t, size_t n)
{
	(void)n; /* the names live in the array's own block */
	free(t);
}

/* The list being built: ids, and every name in one buffer (offsets until
 * the end: the buffer moves as it grows).  10 000 goroutines are 10 000
 * names; one allocation for all of them, no printf. */
struct tlist {
	dbg_thread *v;
	size_t *off;
	size_t n, cap;
	gd_buf names;
	int bad;
};

static void name_begin(struct tlist *l, uint64_t id)
{
	if (l->n == l->cap) {
		size_t *off = NULL;
		if (gd_grow(&l->v, &l->cap, l->n, sizeof(*l->v), 16) < 0 ||
		    !(off = realloc(l->off, l->cap * sizeof(*l->off)))) {
			l->bad = 1;
			return;
		}
		l->off = off;
	}
	l->v[l->n].id = id;
	l->off[l->n] = l->names.len;
}

static void name_puts(struct tlist *l, const char *s)
{
	l->bad |= gd_buf_puts(&l->names, s) < 0;
}

static void name_end(struct tlist *l)
{
	if (l->bad)
		return;
	l->bad |= gd_buf_append(&l->names, "", 1) < 0; /* its NUL */
	l->n++;
}

/* "Thread 12", "Thread 12 (no goroutine)". */
static void thread_name(struct tlist *l, pid_t tid, const char *what)
{
	name_begin(l, (uint64_t)tid);
	name_puts(l, "Thread ");
	l->bad |= gd_buf_u64(&l->names, (uint64_t)tid) < 0;
	name_puts(l, what);
	name_end(l);
}

/* The array with the names after it, in one block. */
static dbg_thread *tlist_finish(struct tlist *l)
{
	size_t head = l->n * sizeof(dbg_thread);
	dbg_thread *v = malloc(head + l->names.len + 1);
	if (!v)
		return NULL;
	char *names = (char *)v + head;
	if (l->names.len)
		memcpy(names, l->names.data, l->names.len);
	for (size_t i = 0; i < l->n; i++)
		v[i] = (dbg_thread){l->v[i].id, names + l->off[i]};
	return v;
}

static void tlist_free(struct tlist *l)
{
	free(l->v);
	free(l->off);
	gd_buf_free(&l->names);
}

int dbg_threads(dbg *d, const dbg_threads_opts *o, dbg_thread **out,
		size_t *n, gd_err *err)
{
	*out = NULL;
	*n = 0;
	if (!dbg_has_target(d) || core_exited(d->proc))
		return 0;
	grt_target *rt = d->rt;
	const grt_goroutine *gs;
	size_t ng;
	/* The function each one is in: read in batches, kept until the
	 * next resume (goruntime/grt_gnames.c). */
	const char *const *funcs;
	int64_t t0 = gd_now_us();
	if (grt_goroutines(rt, &gs, &ng, err) < 0)
		return -1;
	int64_t t_gs = gd_now_us();
	if (grt_goroutine_funcs(rt, &funcs, err) < 0)
		return -1;
	int64_t t_funcs = gd_now_us();
	struct tlist l = {0};
	/* "[Go 12345] main.main.func1 (chan receive)": ~40 bytes each. */
	l.bad = gd_buf_grow(&l.names, ng * 48) < 0;
	for (size_t i = 0; i < ng && !l.bad; i++) {
		const grt_goroutine *g = &gs[i];
		if (i % 64 == 63 && o->cancelled && o->cancelled(o->ctx)) {
			tlist_free(&l);
			return gd_err_set(err, "cancelled");
		}
		if (o->hide_system && g->goid != d->cur_goid &&
		    grt_is_system(rt, g))
			continue;
		/* goroutineFilters: the current goroutine always shows. */
		if (g->goid != d->cur_goid && !grt_gfilter_match(rt, o->filter, g))
			continue;
		name_begin(&l, g->goid);
		name_puts(&l, "[Go ");
		l.bad |= gd_buf_u64(&l.names, g->goid) < 0;
		/* Labels unreadable: the name goes without them. */
		if (o->labels)
			grt_labels_text(rt, g, o->label_keys, o->nlabel_keys,
					&l.names);
		name_puts(&l, "] ");
		name_puts(&l, funcs[i]);
		const char *why = g->status == GRT_GWAITING
					  ? grt_waitreason(rt, g->waitreason)
					  : NULL;
		if (why) {
			name_puts(&l, " (");
			name_puts(&l, why);
			name_puts(&l, ")");
		}
		name_end(&l);
	}
	/* A stop on a thread that runs no goroutine (a C thread, the
	 * scheduler on g0) names the thread: list it so the client finds
	 * it. */
	int listed = 0;
	for (size_t i = 0; i < ng && !listed; i++)
		listed = gs[i].goid == d->cur_goid;
	if (!l.bad && ng && !listed && d->cur_goid &&
	    core_thread_stopped(d->proc, (pid_t)d->cur_goid))
		thread_name(&l, (pid_t)d->cur_goid, " (no goroutine)");
	if (ng == 0) {
		/* Before the runtime has made any goroutine (stop on entry):
		 * the OS threads. */
		for (size_t i = 0; i < core_thread_count(d->proc) && !l.bad; i++)
			thread_name(&l, core_thread_tid(d->proc, i), "");
	}
	*out = l.bad ? NULL : tlist_finish(&l);
	*n = *out ? l.n : 0;
	tlist_free(&l);
	if (o->times)
		*o->times = (dbg_threads_times){
			(double)(t_gs - t0) / 1000,
			(double)(t_funcs - t_gs) / 1000,
			(double)(gd_now_us() - t_funcs) / 1000,
		};
	if (!*out)
		return gd_err_set(err, "out of memory");
	return 0;
}

int dbg_registers(const grt_scope *sc, dbg_reg **out, size_t *n, gd_err *err)
{
	/* DWARF register numbers 0-16 on x86-64 (gdw_var.h). */
	static const char *const names[17] = {"rax", "rdx", "rcx", "rbx",
		"rsi", "rdi", "rbp", "rsp", "r8", "r9", "r10", "r11", "r12",
		"r13", "r14", "r15", "rip"};
	*n = 0;
	*out = calloc(17, sizeof(**out));
	if (!*out)
		return gd_err_set(err, "out of memory");
	for (int i = 0; i < 17; i++)
		if (sc->regs.valid & (1ull << i))
			(*out)[(*n)++] = (dbg_reg){names[i], sc->regs.r[i]};
	return 0;
}
