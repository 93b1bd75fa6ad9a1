/* Exception breakpoints: Delve's filters, so settings carry over.
 * unrecovered-panic stops in runtime.fatalpanic, before the runtime prints
 * the panic and exits; runtime-fatal-throw in runtime.throw and
 * runtime.fatal (deadlock, concurrent map writes, ...) and in
 * runtime.fatalsignal (a signal it dies of without a panic: a fault in C
 * code, SIGQUIT). */
#include "dbg_internal.h"
#include "../common/gd_buf.h"

#include <stdlib.h>
#include <string.h>

/* Puts one site's breakpoint in line with want; *have says whether it is
 * in place.  A failure leaves it as it was (and is logged). */
static void set_site(dbg *d, uint64_t addr, int want, int *have)
{
	if (!addr || want == *have)
		return;
	gd_err err = GD_ERR_INIT;
	int rc = want ? core_bp_add(d->proc, addr, &err)
		      : core_bp_del(d->proc, addr, &err);
	if (rc < 0)
		gd_log_info(d->log, "exception breakpoint: %s", gd_err_msg(&err));
	else
		*have = want;
	gd_err_clear(&err);
}

void dbg__exc_sync(dbg *d)
{
	if (!dbg_has_target(d) || core_exited(d->proc) || dbg_is_corefile(d))
		return;
	if (!d->exc_sites.fatalpanic && !d->exc_sites.throw_)
		grt_exception_sites(d->rt, &d->exc_sites);
	grt_exc_sites *x = &d->exc_sites;
	set_site(d, x->fatalpanic, d->exc_panic, &d->exc_panic_set);
	/* throw, fatal and fatalsignal go together under one filter: one
	 * flag says where all three are. */
	int before = d->exc_throw_set, had = before;
	set_site(d, x->throw_, d->exc_throw, &d->exc_throw_set);
	set_site(d, x->fatal, d->exc_throw, &had);
	had = before;
	set_site(d, x->fatalsignal, d->exc_throw, &had);
}

int dbg_exc_filters(dbg *d, int panic, int fatal_throw, gd_err *err)
{
	d->exc_panic = panic;
	d->exc_throw = fatal_throw;
	int running = dbg__with_stopped(d, err);
	if (running < 0)
		return -1;
	dbg__exc_sync(d);
	dbg__with_stopped_end(d, running);
	return 0;
}

void dbg__exc_clear(dbg *d)
{
	free(d->exc_id);
	free(d->exc_desc);
	free(d->exc_stack);
	d->exc_id = d->exc_desc = d->exc_stack = NULL;
	d->exc_goid = 0;
	memset(&d->exc, 0, sizeof(d->exc));
}

const dbg_exception *dbg_exception_get(const dbg *d)
{
	return d->exc_desc ? &d->exc : NULL;
}

/* "goroutine 1 [running]:" then function and file:line pairs, as Go's own
 * traceback prints them.  An unreadable stack gives an empty text. */
static char *stack_text(dbg *d, uint64_t goid, pid_t tid)
{
	gd_buf b = GD_BUF_INIT;
	grt_frame *fs;
	size_t n;
	int complete;
	gd_err err = GD_ERR_INIT;
	if (dbg_stack(d, goid, goid ? 0 : tid, 100, &fs, &n, &complete, &err) < 0) {
		gd_log_info(d->log, "exception stack: %s", gd_err_msg(&err));
		gd_err_clear(&err);
		return gd_buf_detach(&b);
	}
	if (goid)
		gd_buf_printf(&b, "goroutine %lu [running]:\n", (unsigned long)goid);
	else
		gd_buf_printf(&b, "thread %d:\n", (int)tid);
	for (size_t i = 0; i < n; i++) {
		gd_buf_printf(&b, "%s()\n", fs[i].func);
		if (fs[i].file)
			gd_buf_printf(&b, "\t%s:%d\n", fs[i].file, fs[i].line);
	}
	free(fs);
	return gd_buf_detach(&b);
}

int dbg__exc_hit(dbg *d, pid_t tid, uint64_t addr)
{
	grt_exc_sites *x = &d->exc_sites;
	int panic = d->exc_panic && addr == x->fatalpanic && addr;
	int thrown = d->exc_throw && addr && (addr == x->throw_ || addr == x->fatal);
	int fsig = d->exc_throw && addr && addr == x->fatalsignal;
	if (!panic && !thrown && !fsig)
		return 0;
	char *msg = NULL;
	gd_err err = GD_ERR_INIT;
	int rc = panic ? grt_panic_message(d->rt, tid, &msg, &err)
		 : fsig ? grt_fatalsignal_message(d->rt, tid, &msg, &err)
			: grt_throw_message(d->rt, tid, &msg, &err);
	if (rc < 0) {
		/* The stop happens anyway; the message says what went wrong. */
		msg = strdup(gd_err_msg(&err));
		gd_err_clear(&err);
	}
	gd_buf desc = GD_BUF_INIT;
	/* A fatal signal's text starts with the signal, as Go prints it. */
	if (fsig && rc == 0)
		gd_buf_puts(&desc, msg);
	else
		gd_buf_printf(&desc, "%s: %s", panic ? "panic" : "fatal error",
			      msg ? msg : "?");
	free(msg);
	uint64_t goid = 0;
	grt_invalidate(d->rt);
	/* No goroutine (a scheduler throw): goid stays 0, the stop picks. */
	if (grt_thread_goid(d->rt, tid, &goid, &err) < 0) {
		gd_log_info(d->log, "exception: %s", gd_err_msg(&err));
		gd_err_clear(&err);
	}
	dbg__exc_record(d, panic ? "panic" : "fatal error",
			desc.data ? desc.data : "", goid, tid);
	gd_buf_free(&desc);
	return 1;
}

void dbg__exc_record(dbg *d, const char *id, const char *desc, uint64_t goid,
		     pid_t tid)
{
	dbg__exc_clear(d);
	d->exc_id = strdup(id);
	d->exc_desc = strdup(desc);
	d->exc_goid = goid;
	d->exc_stack = stack_text(d, goid, tid);
	if (!d->exc_id || !d->exc_desc) { /* out of memory: no exception */
		dbg__exc_clear(d);
		return;
	}
	d->exc = (dbg_exception){d->exc_id, d->exc_desc, d->exc_stack};
}
