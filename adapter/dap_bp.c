/* Line breakpoints: resolution through the line tables, insertion through
 * core, and the JSON the client sees. */
#include "dap_internal.h"
#include "../common/gd_array.h"
#include "../goruntime/grt_value.h"
#include "../dwarf/gdw.h"

#include <capstone/capstone.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *subst(const char *path, const char *from, const char *to)
{
	size_t fl = strlen(from);
	if (fl == 0 || strncmp(path, from, fl) != 0 ||
	    (path[fl] != '\0' && path[fl] != '/' && from[fl - 1] != '/'))
		return NULL;
	char *r = NULL;
	if (asprintf(&r, "%s%s", to, path + fl) < 0)
		return NULL;
	return r;
}

/* substitutePath maps {from: client prefix, to: binary prefix}; the first
 * rule that matches wins, in either direction. */
static char *map_path(dap_session *s, const char *path, int to_binary)
{
	for (size_t i = 0; s->have_cfg && i < s->cfg.nsubstitute_path; i++) {
		const char *from = s->cfg.substitute_path[i].from;
		const char *to = s->cfg.substitute_path[i].to;
		char *r = to_binary ? subst(path, from, to) : subst(path, to, from);
		if (r)
			return r;
	}
	return strdup(path);
}

char *dap_path_to_binary(dap_session *s, const char *client_path)
{
	return map_path(s, client_path, 1);
}

char *dap_path_to_client(dap_session *s, const char *binary_path)
{
	return map_path(s, binary_path, 0);
}

static void set_message(dap_bp *bp, const char *msg)
{
	free(bp->message);
	bp->message = msg ? strdup(msg) : NULL;
}

/* A condition that does not parse makes the breakpoint unverified. */
static int check_expr(dap_bp *bp, const char *src)
{
	char *m = dap_cond_check(src);
	if (!m)
		return 0;
	set_message(bp, m);
	free(m);
	return -1;
}

void dap_bp_uninstall(dap_session *s, dap_bp *bp)
{
	if (s->tgt && s->tgt->proc && !core_exited(s->tgt->proc)) {
		for (size_t i = 0; i < bp->naddrs; i++)
			core_bp_del(s->tgt->proc, bp->addrs[i], NULL);
	}
	free(bp->addrs);
	bp->addrs = NULL;
	bp->naddrs = 0;
}

/* Inserts the breakpoint at every runtime address in la. */
static void install(dap_session *s, dap_bp *bp, const uint64_t *addrs,
		    size_t n)
{
	gd_err err = GD_ERR_INIT;
	bp->addrs = calloc(n ? n : 1, sizeof(uint64_t));
	if (!bp->addrs) {
		set_message(bp, "out of memory");
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (core_bp_add(s->tgt->proc, addrs[i], &err) < 0) {
			gd_log_info(s->log, "breakpoint: %s", gd_err_msg(&err));
			gd_err_clear(&err);
			continue;
		}
		bp->addrs[bp->naddrs++] = addrs[i];
	}
	if (bp->naddrs == 0) {
		set_message(bp, "could not insert the breakpoint");
		return;
	}
	bp->verified = 1;
	set_message(bp, NULL);
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
		 * where the instance's code is. */
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
static void resolve_func(dap_session *s, dap_bp *bp)
{
	func_search fs = {.query = bp->func, .bias = grt_bias(s->tgt->rt),
			  .dw = s->tgt->dw};
	gd_err err = GD_ERR_INIT;
	/* Delve's location syntax: file.go:LINE, pkg.Func:+N, *ADDR. */
	grt_loc loc;
	int r = grt_location(s->tgt->rt, bp->func, &loc, &err);
	if (r < 0) {
		set_message(bp, gd_err_msg(&err));
		gd_err_clear(&err);
		return;
	}
	if (r > 0) {
		if (loc.file) {
			free(bp->path);
			bp->path = dap_path_to_client(s, loc.file);
			bp->line = loc.line;
		}
		install(s, bp, loc.addrs, loc.n);
		free(loc.addrs);
		return;
	}
	if (gdw_func_each(s->tgt->dw, func_cb, &fs, &err) < 0 ||
	    gdw_inlined_each(s->tgt->dw, func_match, func_cb, &fs, &err) < 0) {
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
	if (fs.file) {
		free(bp->path);
		bp->path = dap_path_to_client(s, fs.file);
		bp->line = fs.line;
	}
	install(s, bp, fs.addrs, fs.n);
	free(fs.addrs);
}

/* An instruction breakpoint must sit on an instruction boundary of a
 * known function: decode from the function's start up to it. */
static void resolve_instr(dap_session *s, dap_bp *bp)
{
	uint64_t bias = grt_bias(s->tgt->rt);
	gdw_func fn;
	if (gdw_func_at(s->tgt->dw, bp->instr - bias, &fn) < 0) {
		set_message(bp, "the address is not in any function of the program");
		return;
	}
	size_t len = (size_t)(bp->instr - bias - fn.lowpc) + 16;
	uint8_t *code = malloc(len);
	csh cs;
	int ok = 0;
	if (code && core_read_text(s->tgt->proc, fn.lowpc + bias, code, len, NULL) == 0 &&
	    cs_open(CS_ARCH_X86, CS_MODE_64, &cs) == CS_ERR_OK) {
		const uint8_t *p = code;
		size_t left = len;
		uint64_t a = fn.lowpc + bias;
		cs_insn *insn = cs_malloc(cs);
		while (insn && a < bp->instr &&
		       cs_disasm_iter(cs, &p, &left, &a, insn))
			;
		ok = a == bp->instr;
		if (insn)
			cs_free(insn, 1);
		cs_close(&cs);
	}
	free(code);
	if (!ok) {
		set_message(bp, "the address is not at an instruction boundary");
		return;
	}
	const char *file;
	int line;
	if (gdw_pc_line(s->tgt->dw, bp->instr - bias, &file, &line) == 0) {
		free(bp->path);
		bp->path = dap_path_to_client(s, file);
		bp->line = line;
	}
	install(s, bp, &bp->instr, 1);
}

void dap_bp_resolve(dap_session *s, dap_bp *bp)
{
	dap_bp_uninstall(s, bp);
	bp->verified = 0;
	bp->line = bp->req_line;
	if (s->plain) {
		set_message(bp, "the program runs without debugging (noDebug)");
		return;
	}
	if (!s->tgt || !s->tgt->dw || !s->tgt->proc || !s->tgt->rt) {
		set_message(bp, "the program is not started yet");
		return;
	}
	if (core_is_corefile(s->tgt->proc)) {
		/* Accepted, never verified: nothing will run into it. */
		set_message(bp, CORE_ERR_IS_CORE);
		return;
	}
	if (bp->hit_condition && !bp->hitcond) {
		gd_err err = GD_ERR_INIT;
		gx_hitcond *h = calloc(1, sizeof(*h));
		if (!h || gx_hitcond_parse(bp->hit_condition, h, &err) < 0) {
			set_message(bp, h ? gd_err_msg(&err) : "out of memory");
			gd_err_clear(&err);
			free(h);
			return;
		}
		bp->hitcond = h;
	}
	if (bp->condition && check_expr(bp, bp->condition) < 0)
		return;
	if (bp->log_message) {
		gx_logmsg m;
		gd_err err = GD_ERR_INIT;
		if (gx_logmsg_parse(bp->log_message, &m, &err) < 0) {
			set_message(bp, gd_err_msg(&err));
			gd_err_clear(&err);
			return;
		}
		gx_logmsg_free(&m);
	}
	if (bp->kind == DAP_BP_FUNC) {
		resolve_func(s, bp);
		return;
	}
	if (bp->kind == DAP_BP_INSTR) {
		resolve_instr(s, bp);
		return;
	}
	char *bin = dap_path_to_binary(s, bp->path);
	if (!bin) {
		set_message(bp, "out of memory");
		return;
	}
	gdw_line_addrs la = {0};
	gd_err err = GD_ERR_INIT;
	if (gdw_line_addrs_for(s->tgt->dw, bin, bp->req_line, &la, &err) < 0) {
		set_message(bp, gd_err_msg(&err));
		gd_err_clear(&err);
		free(bin);
		return;
	}
	free(bin);
	uint64_t bias = grt_bias(s->tgt->rt);
	for (size_t i = 0; i < la.n; i++)
		la.addrs[i] += bias;
	install(s, bp, la.addrs, la.n);
	free(la.addrs);
	if (bp->verified)
		bp->line = la.line;
}

void dap_bp_free(dap_bp *bp)
{
	free(bp->func);
	free(bp->hitcond);
	free(bp->path);
	free(bp->message);
	free(bp->addrs);
	free(bp->condition);
	free(bp->hit_condition);
	free(bp->log_message);
	memset(bp, 0, sizeof(*bp));
}

cJSON *dap_bp_json(const dap_bp *bp)
{
	cJSON *j = cJSON_CreateObject();
	cJSON_AddNumberToObject(j, "id", bp->id);
	cJSON_AddBoolToObject(j, "verified", bp->verified);
	if (bp->message)
		cJSON_AddStringToObject(j, "message", bp->message);
	if (bp->kind == DAP_BP_INSTR) {
		char ref[32];
		snprintf(ref, sizeof(ref), "0x%lx", (unsigned long)bp->instr);
		cJSON_AddStringToObject(j, "instructionReference", ref);
	}
	if (!bp->path || bp->line <= 0)
		return j;
	cJSON_AddNumberToObject(j, "line", bp->line);
	cJSON *src = cJSON_AddObjectToObject(j, "source");
	const char *slash = strrchr(bp->path, '/');
	cJSON_AddStringToObject(src, "name", slash ? slash + 1 : bp->path);
	cJSON_AddStringToObject(src, "path", bp->path);
	return j;
}

const char *dap_bp_reason(dap_session *s, int id)
{
	for (size_t i = 0; i < s->nbps; i++) {
		if (s->bps[i].id != id)
			continue;
		if (s->bps[i].kind == DAP_BP_FUNC)
			return "function breakpoint";
		if (s->bps[i].kind == DAP_BP_INSTR)
			return "instruction breakpoint";
	}
	return "breakpoint";
}

void dap_bp_event(dap_session *s, const dap_bp *bp)
{
	cJSON *b = cJSON_CreateObject();
	cJSON_AddStringToObject(b, "reason", "changed");
	cJSON_AddItemToObject(b, "breakpoint", dap_bp_json(bp));
	dap_event(s, "breakpoint", b);
}

int dap_bp_push(dap_session *s, dap_bp *bp)
{
	if (gd_grow(&s->bps, &s->capbps, s->nbps, sizeof(*s->bps), 16) < 0)
		return -1;
	s->bps[s->nbps++] = *bp;
	return 0;
}

void dap_bp_remove_kind(dap_session *s, int kind, const char *path)
{
	for (size_t i = 0; i < s->nbps;) {
		dap_bp *bp = &s->bps[i];
		if (bp->kind == kind &&
		    (!path || (bp->path && strcmp(bp->path, path) == 0))) {
			dap_bp_uninstall(s, bp);
			dap_bp_free(bp);
			s->bps[i] = s->bps[--s->nbps];
		} else {
			i++;
		}
	}
}

/* Runs the interpolations of a logpoint in the hitting frame and writes
 * the line as Delve does (service/dap logBreakpointMessage): category
 * stdout, "> [Go N]: " and the message, the values in full as in Delve's
 * showFullValue (the session's string and element limits, no cut). */
static void logpoint(dap_session *s, dap_bp *bp, grt_scope *sc, int have_scope,
		     uint64_t goid)
{
	grt_fmtlim lim = grt_fmtlim_of(s->tgt->rt, NULL);
	lim.cut = 0;
	gx_logmsg m;
	gd_err err = GD_ERR_INIT;
	if (gx_logmsg_parse(bp->log_message, &m, &err) < 0) {
		gd_err_clear(&err);
		return;
	}
	gd_buf out = GD_BUF_INIT;
	gd_buf_printf(&out, "> [Go %llu]: ", (unsigned long long)goid);
	for (size_t i = 0; i < m.nparts; i++) {
		gx_logpart *p = &m.parts[i];
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
	gx_logmsg_free(&m);
	gd_buf_puts(&out, "\n");
	cJSON *b = cJSON_CreateObject();
	cJSON_AddStringToObject(b, "category", "stdout");
	cJSON_AddStringToObject(b, "output", out.data ? out.data : "\n");
	if (bp->path) {
		cJSON *src = cJSON_AddObjectToObject(b, "source");
		cJSON_AddStringToObject(src, "path", bp->path);
		cJSON_AddNumberToObject(b, "line", bp->line);
	}
	dap_event(s, "output", b);
	gd_buf_free(&out);
}

/* 1 when the condition holds in the scope, or cannot be evaluated (then
 * the user is told why, and the program stops). */
static int condition_holds(dap_session *s, const char *cond, grt_scope *sc,
			   int have_scope)
{
	gx_expr *e = NULL;
	gd_err err = GD_ERR_INIT;
	bool val = false;
	if (!have_scope || gx_parse(cond, &e, &err) < 0 ||
	    grt_eval_bool(sc, e, &val, &err) < 0) {
		char *m = NULL;
		if (asprintf(&m, "breakpoint condition '%s' failed: %s\n", cond,
			     have_scope ? gd_err_msg(&err)
					: "the frame cannot be read") >= 0) {
			dap_output(s, "console", m, strlen(m));
			free(m);
		}
		gd_err_clear(&err);
		val = true;
	}
	gx_expr_free(e);
	return val;
}

int dap_cond_holds(dap_session *s, pid_t tid, const char *cond)
{
	uint64_t goid = 0;
	grt_scope sc;
	grt_invalidate(s->tgt->rt);
	grt_thread_goid(s->tgt->rt, tid, &goid, NULL);
	int have = grt_scope_open(s->tgt->rt, goid, goid ? 0 : tid, 0, &sc,
				  NULL) == 0;
	return condition_holds(s, cond, &sc, have);
}

char *dap_cond_check(const char *cond)
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

/* Breakpoint hit: the condition (evaluated here, in the frame that hit,
 * with no round trip to the client), then the hit count and its
 * condition, then a logpoint prints instead of stopping.  A condition that
 * fails to evaluate stops, and says why. */
size_t dap_bp_hit(dap_session *s, pid_t tid, uint64_t addr, int **ids)
{
	size_t n = 0;
	*ids = NULL;
	grt_scope sc;
	int have_scope = -1;
	uint64_t goid = 0;
	for (size_t i = 0; i < s->nbps; i++) {
		dap_bp *bp = &s->bps[i];
		int at = 0;
		for (size_t k = 0; k < bp->naddrs && !at; k++)
			at = bp->addrs[k] == addr;
		if (!at)
			continue;
		if ((bp->condition || bp->log_message) && have_scope < 0) {
			grt_invalidate(s->tgt->rt);
			grt_thread_goid(s->tgt->rt, tid, &goid, NULL);
			have_scope = grt_scope_open(s->tgt->rt, goid, goid ? 0 : tid,
						    0, &sc, NULL) == 0;
		}
		int stop = 1;
		if (bp->condition)
			stop = condition_holds(s, bp->condition, &sc, have_scope == 1);
		if (!stop)
			continue;
		bp->hits++;
		if (bp->hitcond && !gx_hitcond_match(bp->hitcond, bp->hits))
			continue;
		if (bp->log_message) {
			logpoint(s, bp, &sc, have_scope == 1, goid);
			continue;
		}
		int *m = realloc(*ids, (n + 1) * sizeof(int));
		if (!m)
			break;
		*ids = m;
		(*ids)[n++] = bp->id;
	}
	return n;
}

int dap_with_stopped(dap_session *s, gd_err *err)
{
	int running = s->state == DAP_RUNNING && s->tgt && s->tgt->proc;
	if (running && core_stop_all(s->tgt->proc, err) < 0)
		return -1;
	return running;
}

void dap_with_stopped_end(dap_session *s, int was_running)
{
	gd_err err = GD_ERR_INIT;
	if (was_running && dap_target_resume(s, &err) < 0) {
		gd_log_info(s->log, "resume: %s", gd_err_msg(&err));
		gd_err_clear(&err);
	}
}

static char *dup_nonempty(const char *s)
{
	return s && s[0] ? strdup(s) : NULL;
}

void dap_bp_replace(dap_session *s, const cJSON *req, int kind,
		    const char *path, const dap_bp_spec *specs, size_t n)
{
	gd_err err = GD_ERR_INIT;
	int running = dap_with_stopped(s, &err);
	if (running < 0) {
		dap_respond_err(s, req, &err);
		return;
	}
	dap_bp_remove_kind(s, kind, path);
	cJSON *body = cJSON_CreateObject();
	cJSON *list = cJSON_AddArrayToObject(body, "breakpoints");
	for (size_t i = 0; i < n; i++) {
		const dap_bp_spec *sp = &specs[i];
		dap_bp bp = {0};
		bp.id = s->next_bp_id++;
		bp.kind = kind;
		bp.path = dup_nonempty(sp->path);
		bp.req_line = sp->line;
		bp.func = dup_nonempty(sp->func);
		bp.instr = sp->instr;
		bp.condition = dup_nonempty(sp->condition);
		bp.hit_condition = dup_nonempty(sp->hit_condition);
		bp.log_message = dup_nonempty(sp->log_message);
		if (sp->error)
			bp.message = strdup(sp->error);
		else
			dap_bp_resolve(s, &bp);
		cJSON_AddItemToArray(list, dap_bp_json(&bp));
		if (dap_bp_push(s, &bp) < 0)
			dap_bp_free(&bp);
	}
	dap_with_stopped_end(s, running);
	dap_respond(s, req, body);
}
