/* Unit test of debugger/ below DAP and without a process: the breakpoint
 * table keeps each breakpoint's identity across set calls (keyed by line,
 * function name, address, dataId), conditions change in place, and the
 * dataId and watch value formats round-trip. */
#include "gd_test.h"
#include "dbg_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct events {
	int n;
} events;

static void on_event(void *ctx, const dbg_event *ev)
{
	(void)ev;
	((events *)ctx)->n++;
}

/* Sets lines of file a.go; ids[i] receives breakpoint i's id. */
static int set_lines(dbg *d, const char *file, const int *lines, size_t n,
		     const char *cond, int *ids, dbg_bp_view *views)
{
	dbg_bp_spec sp[8];
	memset(sp, 0, sizeof(sp));
	for (size_t i = 0; i < n; i++) {
		sp[i].source = file;
		sp[i].bin_path = file;
		sp[i].line = lines[i];
		sp[i].condition = cond;
	}
	gd_err err = GD_ERR_INIT;
	int rc = dbg_bp_set(d, DBG_BP_LINE, file, sp, n, views, &err);
	gd_err_clear(&err);
	for (size_t i = 0; i < n; i++)
		ids[i] = views[i].id;
	return rc;
}

static void test_lines(void)
{
	events ev = {0};
	dbg *d;
	gd_err err = GD_ERR_INIT;
	CHECK_INT(dbg_new(&d, NULL, &(dbg_hooks){.event = on_event, .ctx = &ev}, &err), 0);
	dbg_bp_view v[8];
	int ids[8];

	int l1[] = {10, 20};
	CHECK_INT(set_lines(d, "/src/a.go", l1, 2, NULL, ids, v), 0);
	CHECK_INT(ids[0], 1);
	CHECK_INT(ids[1], 2);
	CHECK_INT(v[0].verified, 0);
	CHECK_STR(v[0].message, "the program is not started yet");
	CHECK_STR(v[0].source, "/src/a.go");
	CHECK_INT(v[1].line, 20);

	/* One line added in the middle: the others keep their ids. */
	int l2[] = {10, 15, 20};
	CHECK_INT(set_lines(d, "/src/a.go", l2, 3, NULL, ids, v), 0);
	CHECK_INT(ids[0], 1);
	CHECK_INT(ids[1], 3);
	CHECK_INT(ids[2], 2);
	CHECK_INT(dbg_bp_count(d), 3);

	/* Another file's set leaves a.go's alone. */
	int l3[] = {10};
	CHECK_INT(set_lines(d, "/src/b.go", l3, 1, NULL, ids, v), 0);
	CHECK_INT(ids[0], 4);
	CHECK_INT(dbg_bp_count(d), 4);

	/* One removed: the rest stay, the removed id is gone for good. */
	int l4[] = {20, 10};
	CHECK_INT(set_lines(d, "/src/a.go", l4, 2, NULL, ids, v), 0);
	CHECK_INT(ids[0], 2);
	CHECK_INT(ids[1], 1);
	CHECK_INT(dbg_bp_count(d), 3);
	int l5[] = {10, 15, 20};
	CHECK_INT(set_lines(d, "/src/a.go", l5, 3, NULL, ids, v), 0);
	CHECK_INT(ids[0], 1);
	CHECK_INT(ids[1], 5);
	CHECK_INT(ids[2], 2);

	/* A changed condition updates in place (same id); a bad one makes
	 * the breakpoint unverified with the parser's reason. */
	int l6[] = {10};
	CHECK_INT(set_lines(d, "/src/a.go", l6, 1, "x > ", ids, v), 0);
	CHECK_INT(ids[0], 1);
	CHECK(v[0].message && strstr(v[0].message, "invalid condition") != NULL);
	CHECK_INT(set_lines(d, "/src/a.go", l6, 1, "x > 1", ids, v), 0);
	CHECK_INT(ids[0], 1);
	CHECK_STR(v[0].message, "the program is not started yet");

	/* An empty set clears the file. */
	CHECK_INT(set_lines(d, "/src/a.go", NULL, 0, NULL, ids, v), 0);
	CHECK_INT(dbg_bp_count(d), 1);
	dbg_bp_at(d, 0, &v[0]);
	CHECK_STR(v[0].source, "/src/b.go");
	CHECK_INT(v[0].id, 4);
	CHECK_INT(ev.n, 0); /* no process: nothing to report */
	dbg_free(d);
}

static void test_other_kinds(void)
{
	events ev = {0};
	dbg *d;
	gd_err err = GD_ERR_INIT;
	CHECK_INT(dbg_new(&d, NULL, &(dbg_hooks){.event = on_event, .ctx = &ev}, &err), 0);
	dbg_bp_view v[4];
	dbg_bp_spec f[3] = {{.func = "main.f"}, {.func = "main.g"}};
	CHECK_INT(dbg_bp_set(d, DBG_BP_FUNC, NULL, f, 2, v, &err), 0);
	CHECK_INT(v[0].id, 1);
	CHECK_INT(v[1].id, 2);
	f[0] = (dbg_bp_spec){.func = "main.g", .hit_condition = ">2"};
	f[1] = (dbg_bp_spec){.func = "main.h"};
	CHECK_INT(dbg_bp_set(d, DBG_BP_FUNC, NULL, f, 2, v, &err), 0);
	CHECK_INT(v[0].id, 2);
	CHECK_INT(v[1].id, 3);
	/* A hit condition that does not parse: unverified, same id. */
	f[0].hit_condition = "%%";
	CHECK_INT(dbg_bp_set(d, DBG_BP_FUNC, NULL, f, 1, v, &err), 0);
	CHECK_INT(v[0].id, 2);
	CHECK_INT(v[0].verified, 0);
	CHECK(v[0].message && strcmp(v[0].message,
				     "the program is not started yet") != 0);

	/* Instruction breakpoints by address; one the caller could not
	 * parse keeps its message and has no identity. */
	dbg_bp_spec in[2] = {{.instr = 0x401000},
			     {.error = "bad instructionReference"}};
	CHECK_INT(dbg_bp_set(d, DBG_BP_INSTR, NULL, in, 2, v, &err), 0);
	CHECK_INT(v[0].id, 4);
	CHECK_INT(v[1].id, 5);
	CHECK_STR(v[1].message, "bad instructionReference");
	CHECK_INT(dbg_bp_set(d, DBG_BP_INSTR, NULL, in, 2, v, &err), 0);
	CHECK_INT(v[0].id, 4);
	CHECK_INT(v[1].id, 6);
	CHECK_INT(v[0].instr, 0x401000);
	/* The function set kept main.g alone; the instruction set did not
	 * touch it. */
	CHECK_INT(dbg_bp_count(d), 3);

	/* Data breakpoints need a process. */
	dbg_bp_spec w = {.data_id = "0x1000/8/2/x"};
	CHECK_INT(dbg_bp_set(d, DBG_BP_DATA, NULL, &w, 1, v, &err), -1);
	CHECK_STR(gd_err_msg(&err), "no program is running");
	gd_err_clear(&err);
	CHECK_INT(dbg_has_target(d), 0);
	CHECK(dbg_exception_get(d) == NULL);
	CHECK_INT(dbg_continue(d, &err), -1);
	gd_err_clear(&err);
	dbg_free(d);
}

static void test_watch_format(void)
{
	char *id = dbg__watch_id(0xc000012345, 4, GDW_K_INT32, "s.n");
	char want[64];
	snprintf(want, sizeof(want), "0xc000012345/4/%d/s.n", (int)GDW_K_INT32);
	CHECK_STR(id, want);
	uint64_t addr;
	int len, kind;
	const char *name;
	CHECK_INT(dbg__watch_id_parse(id, &addr, &len, &kind, &name), 0);
	CHECK_INT(addr, 0xc000012345);
	CHECK_INT(len, 4);
	CHECK_INT(kind, GDW_K_INT32);
	CHECK_STR(name, "s.n");
	free(id);
	CHECK_INT(dbg__watch_id_parse("zz", &addr, &len, &kind, &name), -1);
	CHECK_INT(dbg__watch_id_parse("0x10/3/1/x", &addr, &len, &kind, &name), -1);
	char b[64];
	dbg__watch_format(0xffffffff, 4, GDW_K_INT32, b, sizeof(b));
	CHECK_STR(b, "-1");
	dbg__watch_format(0x1ff, 1, GDW_K_UINT8, b, sizeof(b));
	CHECK_STR(b, "255");
	dbg__watch_format(1, 1, GDW_K_BOOL, b, sizeof(b));
	CHECK_STR(b, "true");
	dbg__watch_format(0x3ff8000000000000ull, 8, GDW_K_FLOAT64, b, sizeof(b));
	CHECK_STR(b, "1.5");
	char *m = dbg_cond_check("a ==");
	CHECK(m && strncmp(m, "invalid condition: ", 19) == 0);
	free(m);
	CHECK(dbg_cond_check("a == 1 && b") == NULL);
}

int main(void)
{
	test_lines();
	test_other_kinds();
	test_watch_format();
	return GD_TEST_SUMMARY();
}
