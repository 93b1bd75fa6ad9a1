/* Exception breakpoints: Delve's filter ids, so settings carry over.
 * unrecovered-panic stops in runtime.fatalpanic, before the runtime prints
 * the panic and exits; runtime-fatal-throw in runtime.throw and
 * runtime.fatal (deadlock, concurrent map writes, ...). */
#include "dap_internal.h"
#include "../common/gd_buf.h"

#include <stdlib.h>
#include <string.h>

static void set_site(dap_session *s, uint64_t addr, int want, int *have)
{
	if (!addr || want == *have)
		return;
	if (want)
		*have = core_bp_add(s->tgt->proc, addr, NULL) == 0;
	else
		*have = core_bp_del(s->tgt->proc, addr, NULL) == 0 ? 0 : *have;
}

void dap_exc_sync(dap_session *s)
{
	if (!s->tgt || !s->tgt->proc || !s->tgt->rt || core_exited(s->tgt->proc) ||
	    core_is_corefile(s->tgt->proc))
		return;
	if (!s->exc_sites.fatalpanic && !s->exc_sites.throw_)
		grt_exception_sites(s->tgt->rt, &s->exc_sites);
	grt_exc_sites *x = &s->exc_sites;
	set_site(s, x->fatalpanic, s->exc_panic, &s->exc_panic_set);
	int had = s->exc_throw_set;
	set_site(s, x->throw_, s->exc_throw, &s->exc_throw_set);
	int had2 = had;
	set_site(s, x->fatal, s->exc_throw, &had2);
}

void dap_exc_clear(dap_session *s)
{
	free(s->exc_id);
	free(s->exc_desc);
	free(s->exc_stack);
	s->exc_id = s->exc_desc = s->exc_stack = NULL;
	s->exc_goid = 0;
}

/* "goroutine 1 [running]:" then function and file:line pairs, as Go's own
 * traceback prints them. */
static char *stack_text(dap_session *s, uint64_t goid, pid_t tid)
{
	gd_buf b = GD_BUF_INIT;
	grt_frame *fs;
	size_t n;
	int complete;
	if (grt_stack(s->tgt->rt, goid, goid ? 0 : tid, 100, &fs, &n, &complete, NULL) < 0)
		return gd_buf_detach(&b);
	/* Inlined calls listed as Go's own traceback lists them. */
	if (grt_stack_inline(s->tgt->rt, &fs, &n, NULL) < 0)
		return gd_buf_detach(&b);
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

int dap_exc_hit(dap_session *s, pid_t tid, uint64_t addr)
{
	grt_exc_sites *x = &s->exc_sites;
	int panic = s->exc_panic && addr == x->fatalpanic && addr;
	int thrown = s->exc_throw && addr && (addr == x->throw_ || addr == x->fatal);
	if (!panic && !thrown)
		return 0;
	char *msg = NULL;
	gd_err err = GD_ERR_INIT;
	int rc = panic ? grt_panic_message(s->tgt->rt, tid, &msg, &err)
		       : grt_throw_message(s->tgt->rt, tid, &msg, &err);
	if (rc < 0) {
		msg = strdup(gd_err_msg(&err));
		gd_err_clear(&err);
	}
	gd_buf d = GD_BUF_INIT;
	gd_buf_printf(&d, "%s: %s", panic ? "panic" : "fatal error",
		      msg ? msg : "?");
	free(msg);
	uint64_t goid = 0;
	grt_invalidate(s->tgt->rt);
	grt_thread_goid(s->tgt->rt, tid, &goid, NULL);
	dap_exc_record(s, panic ? "panic" : "fatal error", d.data ? d.data : "",
		       goid, tid);
	gd_buf_free(&d);
	return 1;
}

void dap_exc_record(dap_session *s, const char *id, const char *desc,
		    uint64_t goid, pid_t tid)
{
	dap_exc_clear(s);
	s->exc_id = strdup(id);
	s->exc_desc = strdup(desc);
	s->exc_goid = goid;
	s->exc_stack = stack_text(s, goid, tid);
}
