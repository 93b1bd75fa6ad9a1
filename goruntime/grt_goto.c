/* Jumping within a function (DAP gotoTargets / goto): the goroutine's
 * thread resumes at another statement of the function it is stopped in.
 * The stack stays consistent because a Go function's frame has one size
 * from the end of its prologue to its epilogue (arguments of calls live in
 * that frame, nothing is pushed): any statement of the body, outside the
 * prologue and the stack-growth tail (both on the declaration line), finds
 * SP and BP as it expects them.  Variables may hold values the skipped
 * code did not compute: that is what the user asks for.  Registers are
 * another matter: even without optimizations the compiler may carry a
 * value in a register from one statement into the next (`x++; x += 10`
 * adds to the register the first loaded), so a jump to such a statement
 * computes with whatever the register holds; like the stack's values,
 * that is the user's to judge. */
#include "grt_internal.h"

#include <stdlib.h>
#include <string.h>

#include "../common/gd_array.h"

/* The function goroutine goid is stopped in (its frame 0) and the thread
 * that runs it. */
static int here(grt_target *t, uint64_t goid, gdw_func *fn, pid_t *tid,
		uint64_t *pc, gd_err *err)
{
	const grt_goroutine *g = grt_goroutine_by_id(t, goid, err);
	if (!g)
		return gd_err_set(err, "no goroutine %llu", (unsigned long long)goid);
	if (!g->tid)
		return gd_err_set(err, "goroutine %llu is not running on a thread: "
				  "only the goroutine that stopped can jump",
				  (unsigned long long)goid);
	struct user_regs_struct r;
	if (core_regs(t->proc, g->tid, &r, err) < 0)
		return -1;
	if (r.rip < t->bias || gdw_func_at(t->dw, r.rip - t->bias, fn) < 0)
		return gd_err_set(err, "the goroutine is stopped outside the "
				  "program's functions");
	if (r.rip - t->bias < fn->body_pc)
		return gd_err_set(err, "%s has not finished its prologue: step "
				  "once before jumping", fn->name);
	*tid = g->tid;
	*pc = r.rip;
	return 0;
}

int grt_goto_targets(grt_target *t, uint64_t goid, const char *file, int line,
		     uint64_t **out, size_t *n, gd_err *err)
{
	*out = NULL;
	*n = 0;
	gdw_func fn;
	pid_t tid;
	uint64_t pc;
	if (here(t, goid, &fn, &tid, &pc, err) < 0)
		return -1;
	if (line == fn.decl_line)
		return 0; /* the prologue and the stack-growth tail */
	gdw_row *rows;
	size_t nrows;
	if (gdw_rows_in(t->dw, fn.body_pc, fn.highpc, &rows, &nrows, err) < 0)
		return -1;
	uint64_t *v = NULL;
	size_t nv = 0, cap = 0;
	int rc = 0;
	for (size_t i = 0; i < nrows; i++) {
		if (!rows[i].is_stmt || rows[i].line != line || !rows[i].file ||
		    strcmp(rows[i].file, file) != 0)
			continue;
		/* The first statement row of each run of the line. */
		if (i > 0 && rows[i - 1].line == line && rows[i - 1].file &&
		    strcmp(rows[i - 1].file, file) == 0)
			continue;
		if (gd_grow(&v, &cap, nv, sizeof(*v), 4) < 0) {
			rc = gd_err_set(err, "out of memory");
			break;
		}
		v[nv++] = rows[i].addr + t->bias;
	}
	free(rows);
	if (rc < 0) {
		free(v);
		return -1;
	}
	*out = v;
	*n = nv;
	return 0;
}

int grt_goto(grt_target *t, uint64_t goid, uint64_t addr, gd_err *err)
{
	gdw_func fn;
	pid_t tid;
	uint64_t pc;
	if (here(t, goid, &fn, &tid, &pc, err) < 0)
		return -1;
	uint64_t a = addr - t->bias;
	if (addr < t->bias || a < fn.body_pc || a >= fn.highpc)
		return gd_err_set(err, "0x%llx is not in the body of %s: a jump "
				  "leaves its function never",
				  (unsigned long long)addr, fn.name);
	const char *file;
	int line;
	if (gdw_pc_line(t->dw, a, &file, &line) == 0 && line == fn.decl_line)
		return gd_err_set(err, "cannot jump into %s's prologue", fn.name);
	struct user_regs_struct r;
	if (core_regs(t->proc, tid, &r, err) < 0)
		return -1;
	r.rip = addr;
	if (core_set_regs(t->proc, tid, &r, err) < 0)
		return -1;
	grt_invalidate(t);
	return 0;
}
