/* Reading a stop: thread ids, the threads list with the function each
 * goroutine is "in", stacks, registers. */
#include "dbg_internal.h"
#include "../common/gd_array.h"
#include "../common/gd_buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int dbg_thread_resolve(dbg *d, int64_t id, uint64_t *goid, pid_t *tid)
{
	*goid = 0;
	*tid = 0;
	if (id <= 0 || !dbg_has_target(d))
		return -1;
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
	return -1;
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
	for (size_t i = 0; i < n; i++)
		free(t[i].name);
	free(t);
}

static int add_thread(dbg_thread **out, size_t *n, size_t *cap, uint64_t id,
		      gd_buf *name)
{
	char *s = name->data ? strdup(name->data) : strdup("");
	if (!s || gd_grow(out, cap, *n, sizeof(**out), 16) < 0) {
		free(s);
		return -1;
	}
	(*out)[(*n)++] = (dbg_thread){id, s};
	return 0;
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
	size_t ng, cap = 0;
	/* The function each one is in: read in batches, kept until the
	 * next resume (goruntime/grt_gnames.c). */
	const char *const *funcs;
	if (grt_goroutines(rt, &gs, &ng, err) < 0 ||
	    grt_goroutine_funcs(rt, &funcs, err) < 0)
		return -1;
	gd_buf name = GD_BUF_INIT;
	int rc = 0;
	for (size_t i = 0; i < ng && rc == 0; i++) {
		const grt_goroutine *g = &gs[i];
		if (i % 64 == 63 && o->cancelled && o->cancelled(o->ctx)) {
			gd_buf_free(&name);
			dbg_threads_free(*out, *n);
			*out = NULL;
			*n = 0;
			return gd_err_set(err, "cancelled");
		}
		if (o->hide_system && g->goid != d->cur_goid &&
		    grt_is_system(rt, g))
			continue;
		/* goroutineFilters: the current goroutine always shows. */
		if (g->goid != d->cur_goid && !grt_gfilter_match(rt, o->filter, g))
			continue;
		gd_buf_reset(&name);
		gd_buf_printf(&name, "[Go %lu", (unsigned long)g->goid);
		/* Labels unreadable: the name goes without them. */
		if (o->labels)
			grt_labels_text(rt, g, o->label_keys, o->nlabel_keys, &name);
		gd_buf_printf(&name, "] %s", funcs[i]);
		const char *why = g->status == GRT_GWAITING
					  ? grt_waitreason(rt, g->waitreason)
					  : NULL;
		if (why)
			gd_buf_printf(&name, " (%s)", why);
		rc = add_thread(out, n, &cap, g->goid, &name);
	}
	/* A stop on a thread that runs no goroutine (a C thread, the
	 * scheduler on g0) names the thread: list it so the client finds
	 * it. */
	int listed = 0;
	for (size_t i = 0; i < ng && !listed; i++)
		listed = gs[i].goid == d->cur_goid;
	if (rc == 0 && ng && !listed && d->cur_goid &&
	    core_thread_stopped(d->proc, (pid_t)d->cur_goid)) {
		gd_buf_reset(&name);
		gd_buf_printf(&name, "Thread %d (no goroutine)", (int)d->cur_goid);
		rc = add_thread(out, n, &cap, d->cur_goid, &name);
	}
	if (ng == 0) {
		/* Before the runtime has made any goroutine (stop on entry):
		 * the OS threads. */
		for (size_t i = 0; i < core_thread_count(d->proc) && rc == 0; i++) {
			pid_t tid = core_thread_tid(d->proc, i);
			gd_buf_reset(&name);
			gd_buf_printf(&name, "Thread %d", (int)tid);
			rc = add_thread(out, n, &cap, (uint64_t)tid, &name);
		}
	}
	gd_buf_free(&name);
	if (rc < 0) {
		dbg_threads_free(*out, *n);
		*out = NULL;
		*n = 0;
		return gd_err_set(err, "out of memory");
	}
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
