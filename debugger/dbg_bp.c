/* Breakpoints: the table with stable ids, resolution to addresses (line
 * tables, function names, instruction boundaries), insertion through
 * core, and what a hit means (condition, hit count, logpoint). */
#include "dbg_internal.h"
#include "../common/gd_array.h"
#include "../common/gd_buf.h"

#include <capstone/capstone.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void set_message(dbg_bp *bp, const char *msg)
{
	free(bp->message);
	bp->message = msg ? strdup(msg) : NULL;
}

void dbg__bp_view(const dbg_bp *bp, dbg_bp_view *out)
{
	*out = (dbg_bp_view){
		.id = bp->id, .kind = bp->kind, .verified = bp->verified,
		.message = bp->message, .source = bp->source,
		.file = bp->file, .line = bp->line, .instr = bp->instr,
		.hits = bp->hits,
	};
}

void dbg__bp_uninstall(dbg *d, dbg_bp *bp)
{
	if (bp->kind == DBG_BP_DATA) {
		dbg__watch_disarm(d, bp);
		return;
	}
	if (d->proc && !core_exited(d->proc)) {
		for (size_t i = 0; i < bp->naddrs; i++) {
			gd_err err = GD_ERR_INIT;
			if (dbg__ebpf_remove(d, bp, i, &err) < 0)
				gd_log_info(d->log, "breakpoint: %s", gd_err_msg(&err));
			gd_err_clear(&err);
		}
	}
	free(bp->addrs);
	free(bp->kaddrs);
	free(bp->kwhy);
	free(bp->kvals);
	bp->addrs = NULL;
	bp->kaddrs = NULL;
	bp->kwhy = NULL;
	bp->kvals = NULL;
	bp->nkvals = 0;
	bp->naddrs = 0;
}

void dbg__bp_free(dbg_bp *bp)
{
	free(bp->source);
	free(bp->bin_path);
	free(bp->func);
	free(bp->data_id);
	free(bp->error);
	free(bp->file);
	free(bp->message);
	free(bp->addrs);
	free(bp->kaddrs);
	free(bp->kwhy);
	free(bp->kvals);
	free(bp->condition);
	free(bp->hit_condition);
	free(bp->log_message);
	free(bp->hitcond);
	free(bp->wname);
	free(bp->cs); /* dbg__watch_disarm has freed it; kept for safety */
	memset(bp, 0, sizeof(*bp));
}

char *dbg_cond_check(const char *cond)
{
	gx_expr *e = NULL;
	gd_err err = GD_ERR_INIT;
	char *m = NULL;
	if (gx_parse(cond, &e, &err) < 0 &&
	    asprintf(&m, "invalid condition: %s", gd_err_msg(&err)) < 0)
		m = strdup("invalid condition");
	gd_err_clear(&err);
	gx_expr_free(e);
	return m;
}

int dbg__bp_check_exprs(dbg_bp *bp)
{
	gd_err err = GD_ERR_INIT;
	if (bp->hit_condition && !bp->hitcond) {
		gx_hitcond *h = calloc(1, sizeof(*h));
		if (!h || gx_hitcond_parse(bp->hit_condition, h, &err) < 0) {
			set_message(bp, h ? gd_err_msg(&err) : "out of memory");
			gd_err_clear(&err);
			free(h);
			return -1;
		}
		bp->hitcond = h;
	}
	if (bp->condition) {
		char *m = dbg_cond_check(bp->condition);
		if (m) {
			set_message(bp, m);
			free(m);
			return -1;
		}
	}
	if (bp->log_message) {
		gx_logmsg m;
		if (gx_logmsg_parse(bp->log_message, &m, &err) < 0) {
			set_message(bp, gd_err_msg(&err));
			gd_err_clear(&err);
			return -1;
		}
		gx_logmsg_free(&m);
	}
	return 0;
}

/* Inserts the breakpoint at every runtime address given. */
static void install(dbg *d, dbg_bp *bp, const uint64_t *addrs, size_t n)
{
	gd_err err = GD_ERR_INIT;
	int64_t t0 = dbg__mono_us();
	bp->addrs = calloc(n ? n : 1, sizeof(uint64_t));
	bp->kaddrs = calloc(n ? n : 1, 1);
	if (!bp->addrs || !bp->kaddrs) {
		set_message(bp, "out of memory");
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (dbg__ebpf_insert(d, bp, bp->naddrs, addrs[i], &err) < 0) {
			gd_log_info(d->log, "breakpoint: %s", gd_err_msg(&err));
			gd_err_clear(&err);
			continue;
		}
		bp->addrs[bp->naddrs++] = addrs[i];
	}
	gd_log_info(d->log, "phase breakpoint %d: insert %.1f ms (%zu of %zu)",
		    bp->id, (double)(dbg__mono_us() - t0) / 1000, bp->naddrs, n);
	if (bp->naddrs == 0) {
		set_message(bp, "could not insert the breakpoint");
		return;
	}
	bp->verified = 1;
	size_t nk = 0, nlog = 0;
	for (size_t i = 0; i < bp->naddrs; i++) {
		nk += bp->kaddrs[i] != 0;
		nlog += bp->kaddrs[i] == 2;
	}
	/* Which path the condition or logpoint takes, said in the
	 * breakpoint. */
	char *why = NULL;
	int logpath = bp->log_message && !bp->condition;
	if (!nk && bp->kwhy &&
	    asprintf(&why, logpath ? "logpoint formatted by godap at a stop (not "
				     "in the kernel: %s)"
				   : "condition evaluated by godap (not in the "
				     "kernel: %s)", bp->kwhy) < 0)
		why = NULL;
	set_message(bp, nlog ? "logpoint values read in the kernel (eBPF uprobe, "
			       "ring buffer): the thread does not stop"
		      : nk ? "condition evaluated in the kernel (eBPF uprobe)" : why);
	free(why);
}

static void set_file(dbg_bp *bp, const char *file, int line)
{
	free(bp->file);
	bp->file = file ? strdup(file) : NULL;
	bp->line = line;
}

typedef struct func_search {
	const char *query;
	uint64_t *addrs;
	size_t n, cap;
	uint64_t bias;
	const char *file;
	int line;
	int oom;
	gdw_file *dw;
} func_search;

static int func_cb(const gdw_func *fn, void *ctx)
{
	func_search *fs = ctx;
	if (!grt_func_name_matches(fs->query, fn->name))
		return 0;
	if (gd_grow(&fs->addrs, &fs->cap, fs->n, sizeof(*fs->addrs), 8) < 0) {
		fs->oom = 1;
		return 1;
	}
	/* After the prologue: arguments are in place and a stack growth
	 * re-running the prologue does not hit it twice. */
	uint64_t at = fn->body_pc + fs->bias;
	for (size_t i = 0; i < fs->n; i++)
		if (fs->addrs[i] == at)
			return 0;
	fs->addrs[fs->n++] = at;
	if (!fs->file && fn->decl_file) {
		fs->file = fn->decl_file;
		fs->line = fn->decl_line;
	} else if (!fs->file) {
		/* Go's abstract (inlined) functions carry no decl_file: say
		 * where the instance's code is (nothing to say if unknown). */
		const char *file;
		int line;
		if (gdw_pc_line(fs->dw, fn->body_pc, &file, &line) == 0) {
			fs->file = file;
			fs->line = line;
		}
	}
	return 0;
}

static int func_match(const char *name, void *ctx)
{
	return grt_func_name_matches(((func_search *)ctx)->query, name);
}

/* Every out-of-line copy (all instantiations of a generic) and every
 * inlined instance of an optimized build. */
static void resolve_func(dbg *d, dbg_bp *bp)
{
	func_search fs = {.query = bp->func, .bias = grt_bias(d->rt), .dw = d->dw};
	gd_err err = GD_ERR_INIT;
	/* Delve's location syntax: file.go:LINE, pkg.Func:+N, *ADDR. */
	grt_loc loc;
	int r = grt_location(d->rt, bp->func, &loc, &err);
	if (r < 0) {
		set_message(bp, gd_err_msg(&err));
		gd_err_clear(&err);
		return;
	}
	if (r > 0) {
		if (loc.file)
			set_file(bp, loc.file, loc.line);
		install(d, bp, loc.addrs, loc.n);
		free(loc.addrs);
		return;
	}
	if (gdw_func_each_match(d->dw, func_match, func_cb, &fs, &err) < 0 ||
	    gdw_inlined_each(d->dw, func_match, func_cb, &fs, &err) < 0) {
		set_message(bp, gd_err_msg(&err));
		gd_err_clear(&err);
		free(fs.addrs);
		return;
	}
	if (fs.oom || fs.n == 0) {
		char *m = NULL;
		if (asprintf(&m, "no function named '%s' in the program", bp->func) < 0)
			m = NULL;
		set_message(bp, fs.oom ? "out of memory" : m);
		free(m);
		free(fs.addrs);
		return;
	}
	if (fs.file)
		set_file(bp, fs.file, fs.line);
	install(d, bp, fs.addrs, fs.n);
	free(fs.addrs);
}

/* 1 when addr is an instruction boundary of the function starting at
 * start (runtime addresses): decode from the start up to it. */
static int at_boundary(dbg *d, uint64_t start, uint64_t addr)
{
	size_t len = (size_t)(addr - start) + 16;
	uint8_t *code = malloc(len);
	csh cs;
	int ok = 0;
	/* best effort: unreadable text or no decoder: not a boundary we can
	 * vouch for. */
	if (code && core_read_text(d->proc, start, code, len, NULL) == 0 &&
	    cs_open(CS_ARCH_X86, CS_MODE_64, &cs) == CS_ERR_OK) {
		const uint8_t *p = code;
		size_t left = len;
		uint64_t a = start;
		cs_insn *insn = cs_malloc(cs);
		while (insn && a < addr && cs_disasm_iter(cs, &p, &left, &a, insn))
			;
		ok = a == addr;
		if (insn)
			cs_free(insn, 1);
		cs_close(&cs);
	}
	free(code);
	return ok;
}

/* An instruction breakpoint must sit on an instruction boundary of a
 * known function. */
static void resolve_instr(dbg *d, dbg_bp *bp)
{
	uint64_t bias = grt_bias(d->rt);
	gdw_func fn;
	int found = bp->instr < bias ? GD_ENOTFOUND
				     : gdw_func_at(d->dw, bp->instr - bias, &fn);
	if (found < 0) {
		set_message(bp, found == GD_ENOTFOUND
				 ? "the address is not in any function of the program"
				 : "the debug information there cannot be read");
		return;
	}
	if (!at_boundary(d, fn.lowpc + bias, bp->instr)) {
		set_message(bp, "the address is not at an instruction boundary");
		return;
	}
	const char *file;
	int line;
	if (gdw_pc_line(d->dw, bp->instr - bias, &file, &line) == 0)
		set_file(bp, file, line);
	install(d, bp, &bp->instr, 1);
}

static void resolve_line(dbg *d, dbg_bp *bp)
{
	gdw_line_addrs la = {0};
	gd_err err = GD_ERR_INIT;
	if (gdw_line_addrs_for(d->dw, bp->bin_path, bp->req_line, &la, &err) < 0) {
		set_message(bp, gd_err_msg(&err));
		gd_err_clear(&err);
		return;
	}
	uint64_t bias = grt_bias(d->rt);
	for (size_t i = 0; i < la.n; i++)
		la.addrs[i] += bias;
	install(d, bp, la.addrs, la.n);
	free(la.addrs);
	if (bp->verified)
		set_file(bp, bp->bin_path, la.line);
}

void dbg__bp_resolve(dbg *d, dbg_bp *bp)
{
	dbg__bp_uninstall(d, bp);
	bp->verified = 0;
	set_file(bp, bp->kind == DBG_BP_LINE ? bp->bin_path : NULL,
		 bp->kind == DBG_BP_LINE ? bp->req_line : 0);
	if (bp->error) {
		set_message(bp, bp->error);
		return;
	}
	/* A condition that does not parse is worth saying before launch. */
	if (dbg__bp_check_exprs(bp) < 0)
		return;
	if (!dbg_has_target(d)) {
		set_message(bp, d->unavailable ? d->unavailable
					       : "the program is not started yet");
		return;
	}
	if (dbg_is_corefile(d)) {
		/* Accepted, never verified: nothing will run into it. */
		set_message(bp, DBG_ERR_IS_CORE);
		return;
	}
	int64_t t0 = dbg__mono_us();
	switch (bp->kind) {
	case DBG_BP_FUNC:
		resolve_func(d, bp);
		break;
	case DBG_BP_INSTR:
		resolve_instr(d, bp);
		break;
	case DBG_BP_LINE:
		resolve_line(d, bp);
		break;
	case DBG_BP_DATA:
		return; /* armed by dbg__watch_arm */
	}
	/* Lookup and insertion together; "insert" above says what the
	 * insertion took (bench/bigstart.py reads both). */
	gd_log_info(d->log, "phase breakpoint %d: resolve %.1f ms", bp->id,
		    (double)(dbg__mono_us() - t0) / 1000);
}

/* Runs the interpolations of a logpoint in the hitting frame, the values
 * in full as Delve's showFullValue (the session's string and element
 * limits, no cut of long texts). */
static void logpoint(dbg *d, dbg_bp *bp, grt_scope *sc, int have_scope,
		     uint64_t goid)
{
	grt_fmtlim lim = grt_fmtlim_of(d->rt, NULL);
	lim.cut = 0;
	const gx_logmsg *m;
	gd_err err = GD_ERR_INIT;
	/* It parsed when the breakpoint was set: only memory can fail.  Parsed
	 * once per text for the target's life (goruntime/grt_parsed.c). */
	if (grt_logmsg_parsed(d->rt, bp->log_message, &m, &err) < 0) {
		gd_log_info(d->log, "logpoint: %s", gd_err_msg(&err));
		gd_err_clear(&err);
		return;
	}
	gd_buf out = GD_BUF_INIT;
	for (size_t i = 0; i < m->nparts; i++) {
		const gx_logpart *p = &m->parts[i];
		if (!p->is_expr) {
			gd_buf_append(&out, p->text, p->len);
			continue;
		}
		if (!have_scope || grt_eval_text(sc, p->expr, &lim, &out, &err) < 0) {
			gd_buf_printf(&out, "<%s: %s>", p->text,
				      have_scope ? gd_err_msg(&err) : "no frame");
			gd_err_clear(&err);
		}
	}
	gd_buf_puts(&out, "\n");
	dbg__emit_log(d, out.data ? out.data : "\n", bp, goid);
	gd_buf_free(&out);
}

/* 1 when the condition holds in the scope, or cannot be evaluated (then
 * the user is told why, and the program stops). */
static int condition_holds(dbg *d, const char *cond, grt_scope *sc,
			   int have_scope)
{
	const gx_expr *e = NULL; /* parsed once per text (grt_parsed.c) */
	gd_err err = GD_ERR_INIT;
	bool val = false;
	if (!have_scope || grt_cond_parsed(d->rt, cond, &e, &err) < 0 ||
	    grt_eval_bool(sc, e, &val, &err) < 0) {
		char *m = NULL;
		if (asprintf(&m, "breakpoint condition '%s' failed: %s\n", cond,
			     have_scope ? gd_err_msg(&err)
					: "the frame cannot be read") >= 0) {
			dbg__emit_output(d, m, NULL);
			free(m);
		}
		gd_err_clear(&err);
		val = true;
	}
	return val;
}

/* The top frame of the thread that hit, from its registers alone: no
 * goroutine is read (with 10 000 goroutines that would be most of the
 * cost of a hit, issue 14); 0 when it cannot be read (conditions then stop
 * and say so). */
static int open_top(dbg *d, pid_t tid, grt_scope *sc)
{
	grt_invalidate(d->rt);
	gd_err err = GD_ERR_INIT;
	int ok = grt_scope_open(d->rt, 0, tid, 0, sc, &err) == 0;
	if (!ok)
		gd_log_info(d->log, "condition: %s", gd_err_msg(&err));
	gd_err_clear(&err);
	return ok;
}

int dbg__cond_holds(dbg *d, pid_t tid, const char *cond)
{
	grt_scope sc;
	int have = open_top(d, tid, &sc);
	return condition_holds(d, cond, &sc, have);
}

/* Breakpoint hit: the condition (evaluated here, in the frame that hit,
 * with no round trip to the client), then the hit count and its
 * condition, then a logpoint prints instead of stopping.  A condition that
 * fails to evaluate stops, and says why. */
size_t dbg__bp_hit(dbg *d, pid_t tid, uint64_t addr, int **ids,
		   dbg_bp_kind *kind)
{
	size_t n = 0, cap = 0;
	*ids = NULL;
	grt_scope sc;
	int have_scope = -1;
	uint64_t goid = 0;
	for (size_t i = 0; i < d->nbps; i++) {
		dbg_bp *bp = &d->bps[i];
		int at = 0;
		for (size_t k = 0; k < bp->naddrs && !at; k++)
			at = bp->addrs[k] == addr;
		if (!at || bp->kind == DBG_BP_DATA)
			continue;
		if ((bp->condition || bp->log_message) && have_scope < 0)
			have_scope = open_top(d, tid, &sc);
		int stop = 1;
		if (bp->condition)
			stop = condition_holds(d, bp->condition, &sc, have_scope == 1);
		if (!stop)
			continue;
		bp->hits++;
		if (bp->hitcond && !gx_hitcond_match(bp->hitcond, bp->hits))
			continue;
		if (bp->log_message) {
			/* The logpoint's goroutine: the thread's g alone
			 * (TLS), read once per hit and only for a logpoint. */
			/* best effort: a goroutine that cannot be read logs
			 * as goroutine 0; the message is still written. */
			if (!goid && grt_thread_goid(d->rt, tid, &goid, NULL) < 0)
				goid = 0;
			logpoint(d, bp, &sc, have_scope == 1, goid);
			continue;
		}
		if (gd_grow(ids, &cap, n, sizeof(int), 4) < 0)
			break; /* out of memory: stop for the ones we have */
		if (n == 0)
			*kind = bp->kind;
		(*ids)[n++] = bp->id;
	}
	return n;
}

/* ---- the table ---- */

static char *dup_nonempty(const char *s)
{
	return s && s[0] ? strdup(s) : NULL;
}

static int same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static int in_set(const dbg_bp *bp, dbg_bp_kind kind, const char *source)
{
	return bp->kind == kind &&
	       (kind != DBG_BP_LINE || same_str(bp->source, source));
}

/* The identity of a breakpoint within its set, as lldb-dap keys them: a
 * source line, a function name, an address, a dataId.  A spec the caller
 * could not make sense of (error) has none. */
static int same_key(const dbg_bp *bp, const dbg_bp_spec *sp)
{
	if (sp->error || bp->error)
		return 0;
	switch (bp->kind) {
	case DBG_BP_LINE:
		return bp->req_line == sp->line;
	case DBG_BP_FUNC:
		return same_str(bp->func, sp->func);
	case DBG_BP_INSTR:
		return bp->instr == sp->instr;
	case DBG_BP_DATA:
		return same_str(bp->data_id, sp->data_id);
	}
	return 0;
}

/* Takes the spec's condition, hit condition and log message; 1 when one
 * of them changed (the breakpoint is then checked and resolved again, a
 * changed hit condition starting over from the hits so far). */
static int take_exprs(dbg_bp *bp, const dbg_bp_spec *sp, int *oom)
{
	const char *c = sp->condition && sp->condition[0] ? sp->condition : NULL;
	const char *h = sp->hit_condition && sp->hit_condition[0] ? sp->hit_condition : NULL;
	const char *l = sp->log_message && sp->log_message[0] ? sp->log_message : NULL;
	if (same_str(bp->condition, c) && same_str(bp->hit_condition, h) &&
	    same_str(bp->log_message, l))
		return 0;
	free(bp->condition);
	free(bp->hit_condition);
	free(bp->log_message);
	free(bp->hitcond);
	bp->hitcond = NULL;
	bp->condition = dup_nonempty(c);
	bp->hit_condition = dup_nonempty(h);
	bp->log_message = dup_nonempty(l);
	if ((c && !bp->condition) || (h && !bp->hit_condition) ||
	    (l && !bp->log_message))
		*oom = 1;
	return 1;
}

static int new_bp(dbg *d, dbg_bp *bp, dbg_bp_kind kind, const char *source,
		  const dbg_bp_spec *sp)
{
	memset(bp, 0, sizeof(*bp));
	bp->id = d->next_bp_id++;
	bp->kind = kind;
	bp->slot = -1;
	bp->source = dup_nonempty(source);
	bp->bin_path = dup_nonempty(sp->bin_path);
	bp->req_line = sp->line;
	bp->func = dup_nonempty(sp->func);
	bp->instr = sp->instr;
	bp->data_id = dup_nonempty(sp->data_id);
	bp->read_write = sp->read_write;
	bp->error = dup_nonempty(sp->error);
	int oom = 0;
	take_exprs(bp, sp, &oom);
	if (oom || (source && source[0] && !bp->source) ||
	    (sp->bin_path && sp->bin_path[0] && !bp->bin_path) ||
	    (sp->func && sp->func[0] && !bp->func) ||
	    (sp->data_id && sp->data_id[0] && !bp->data_id) ||
	    (sp->error && sp->error[0] && !bp->error))
		return -1;
	return 0;
}

int dbg_bp_set(dbg *d, dbg_bp_kind kind, const char *source,
	       const dbg_bp_spec *specs, size_t n, dbg_bp_view *out,
	       gd_err *err)
{
	if (kind == DBG_BP_DATA && !dbg_has_target(d))
		return gd_err_set(err, "no program is running");
	dbg_bp *nb = calloc(n ? n : 1, sizeof(*nb));
	int *fresh = calloc(n ? n : 1, sizeof(*fresh));
	/* Room for every kept and new one at the end of the table. */
	int grown = n ? gd_grow(&d->bps, &d->capbps, d->nbps + n - 1,
				sizeof(*d->bps), 16) : 0;
	if (!nb || !fresh || grown < 0) {
		free(nb);
		free(fresh);
		return gd_err_set(err, "out of memory");
	}
	int running = dbg__with_stopped(d, err);
	if (running < 0) {
		free(nb);
		free(fresh);
		return -1;
	}
	int oom = 0;
	/* Kept breakpoints move to nb (their slot in the table zeroed); new
	 * ones are made there. */
	for (size_t i = 0; i < n; i++) {
		const dbg_bp_spec *sp = &specs[i];
		size_t j = 0;
		for (; j < d->nbps; j++)
			if (d->bps[j].id && in_set(&d->bps[j], kind, source) &&
			    same_key(&d->bps[j], sp))
				break;
		if (j < d->nbps) {
			nb[i] = d->bps[j];
			memset(&d->bps[j], 0, sizeof(d->bps[j]));
			fresh[i] = take_exprs(&nb[i], sp, &oom);
			nb[i].read_write = sp->read_write;
		} else {
			fresh[i] = 1;
			if (new_bp(d, &nb[i], kind, source, sp) < 0)
				oom = 1;
		}
	}
	/* The set's other breakpoints go; the table closes up in order. */
	size_t k = 0;
	for (size_t j = 0; j < d->nbps; j++) {
		dbg_bp *bp = &d->bps[j];
		if (!bp->id)
			continue;
		if (in_set(bp, kind, source)) {
			dbg__bp_uninstall(d, bp);
			dbg__bp_free(bp);
			continue;
		}
		d->bps[k++] = *bp;
	}
	d->nbps = k;
	/* Debug registers are handed out in request order each time. */
	int slot = 0;
	if (kind == DBG_BP_DATA)
		for (size_t i = 0; i < n; i++)
			dbg__watch_disarm(d, &nb[i]);
	for (size_t i = 0; i < n; i++) {
		dbg_bp *bp = &nb[i];
		if (kind == DBG_BP_DATA)
			dbg__watch_arm(d, bp, &slot);
		else if (fresh[i] || !bp->verified)
			dbg__bp_resolve(d, bp);
		d->bps[d->nbps++] = *bp;
		if (out)
			dbg__bp_view(&d->bps[d->nbps - 1], &out[i]);
	}
	free(nb);
	free(fresh);
	dbg__with_stopped_end(d, running);
	if (oom)
		return gd_err_set(err, "out of memory");
	return 0;
}

size_t dbg_bp_count(const dbg *d)
{
	return d->nbps;
}

void dbg_bp_at(const dbg *d, size_t i, dbg_bp_view *out)
{
	dbg__bp_view(&d->bps[i], out);
}

int dbg_bp_locations(dbg *d, const char *bin_path, int line, int end_line,
		     int **lines, size_t *n, gd_err *err)
{
	*lines = NULL;
	*n = 0;
	if (!d->dw)
		return gd_err_set(err, "no program is loaded yet");
	int end = end_line > 0 ? end_line : line;
	if (end < line || end - line > 100000)
		return gd_err_set(err, "bad line range %d-%d", line, end);
	if (!gdw_has_file(d->dw, bin_path))
		return 0;
	size_t cap = 0;
	for (int l = line; l <= end; l++) {
		gdw_line_addrs la = {0};
		/* best effort: a line with no code (or an unreadable table)
		 * has no place. */
		if (gdw_line_addrs_for(d->dw, bin_path, l, &la, NULL) < 0)
			continue;
		free(la.addrs);
		if (la.line != l)
			continue;
		if (gd_grow(lines, &cap, *n, sizeof(int), 16) < 0) {
			free(*lines);
			*lines = NULL;
			*n = 0;
			return gd_err_set(err, "out of memory");
		}
		(*lines)[(*n)++] = l;
	}
	return 0;
}
