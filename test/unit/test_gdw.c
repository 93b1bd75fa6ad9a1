/* Unit test of dwarf/ against test/fixtures/dwarfsample (argv[1]), built
 * here with the Go toolchain.  GODAP_TEST_GO names the go command (default
 * "go"); GODAP_TEST_GOS lists toolchains to test, e.g. "go go1.22.12"
 * (an entry other than "go" runs the go command with GOTOOLCHAIN=<entry>).
 * Line numbers refer to test/fixtures/dwarfsample/main.go. */
#include "gd_test.h"
#include "gdw.h"
#include "gdw_type.h"
#include "gdw_var.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define SKIP 77

static const char *go_cmd(void)
{
	const char *g = getenv("GODAP_TEST_GO");
	return g && *g ? g : "go";
}

/* Runs `go build <flags> -o out .` in dir; 0 ok, -1 failed, SKIP when the
 * go command is missing. */
static int go_build(const char *dir, const char *toolchain, const char *flags,
		    const char *out)
{
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		if (chdir(dir) < 0)
			_exit(126);
		setenv("PWD", dir, 1);
		if (toolchain)
			setenv("GOTOOLCHAIN", toolchain, 1);
		const char *g = go_cmd();
		execlp(g, g, "build", flags, "-o", out, ".", (char *)NULL);
		_exit(errno == ENOENT ? 127 : 126);
	}
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (WIFEXITED(st) && WEXITSTATUS(st) == 127)
		return SKIP;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

static int has(const char *hay, const char *needle)
{
	return hay && strstr(hay, needle) != NULL;
}

static int write_file(const char *path, const void *data, size_t n)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return -1;
	ssize_t w = write(fd, data, n);
	close(fd);
	return w == (ssize_t)n ? 0 : -1;
}

static void check_open_errors(const char *tmp, const char *bin,
			      const char *nodwarf)
{
	char path[PATH_MAX];
	gdw_file *f = NULL;
	gd_err err = GD_ERR_INIT;

	snprintf(path, sizeof(path), "%s/does-not-exist", tmp);
	CHECK_INT(gdw_open(&f, path, &err), -1);
	CHECK(f == NULL);
	CHECK(has(gd_err_msg(&err), "no such file"));
	gd_err_clear(&err);

	snprintf(path, sizeof(path), "%s/notes.txt", tmp);
	CHECK_INT(write_file(path, "hello, not an ELF\n", 18), 0);
	CHECK_INT(gdw_open(&f, path, &err), -1);
	CHECK(has(gd_err_msg(&err), "not an ELF file"));
	gd_err_clear(&err);

	if (geteuid() != 0) { /* root reads anything */
		CHECK_INT(chmod(path, 0), 0);
		CHECK_INT(gdw_open(&f, path, &err), -1);
		CHECK(has(gd_err_msg(&err), "not readable"));
		gd_err_clear(&err);
	}

	/* The real binary with e_machine patched to AArch64. */
	FILE *in = fopen(bin, "rb");
	CHECK(in != NULL);
	if (in) {
		unsigned char hdr[4096];
		size_t n = fread(hdr, 1, sizeof(hdr), in);
		fclose(in);
		CHECK(n == sizeof(hdr));
		hdr[18] = 183;
		hdr[19] = 0;
		snprintf(path, sizeof(path), "%s/arm64", tmp);
		CHECK_INT(write_file(path, hdr, n), 0);
		CHECK_INT(gdw_open(&f, path, &err), -1);
		CHECK(has(gd_err_msg(&err), "not an x86-64"));
		gd_err_clear(&err);
	}

	CHECK_INT(gdw_open(&f, nodwarf, &err), -1);
	CHECK(has(gd_err_msg(&err), "has no DWARF debug info; was it built with "
			       "-ldflags=-w or stripped?"));
	gd_err_clear(&err);
}

/* Breakpoint addresses of src:line; returns the number of addresses and
 * the line they belong to in *real (-1 on error). */
static size_t addrs_for(gdw_file *f, const char *src, int line, int *real,
			uint64_t *first)
{
	gdw_line_addrs la = {0};
	gd_err err = GD_ERR_INIT;
	*real = -1;
	*first = 0;
	if (gdw_line_addrs_for(f, src, line, &la, &err) < 0) {
		fprintf(stderr, "  line %d: %s\n", line, gd_err_msg(&err));
		gd_err_clear(&err);
		return 0;
	}
	*real = la.line;
	if (la.n)
		*first = la.addrs[0];
	size_t n = la.n;
	free(la.addrs);
	return n;
}

static void check_binary(const char *bin, const char *src)
{
	gdw_file *f = NULL;
	gd_err err = GD_ERR_INIT;
	CHECK_INT(gdw_open(&f, bin, &err), 0);
	if (!f) {
		fprintf(stderr, "open %s: %s\n", bin, gd_err_msg(&err));
		gd_err_clear(&err);
		return;
	}
	CHECK_STR(gdw_path(f), bin);
	CHECK(gdw_entry(f) != 0);
	CHECK_INT(gdw_is_pie(f), 0);
	CHECK(gdw_first_load_vaddr(f) == 0x400000);

	const uint8_t *data;
	size_t size;
	uint64_t saddr;
	CHECK_INT(gdw_section(f, ".debug_info", &data, &size, &saddr), 0);
	CHECK(size > 1000 && data[0] != 0);
	CHECK_INT(gdw_section(f, ".no_such_section", &data, &size, &saddr),
		  GD_ENOTFOUND);

	/* ---- symbols ---- */
	uint64_t main_addr = 0, main_size = 0, a = 0, s = 0;
	CHECK_INT(gdw_sym_lookup(f, "main.main", &main_addr, &main_size), 0);
	CHECK(main_addr >= 0x400000 && main_size > 0);
	CHECK_INT(gdw_sym_lookup(f, "runtime.allgs", &a, &s), 0);
	CHECK(a != 0 && s == 24); /* a slice */
	CHECK_INT(gdw_sym_lookup(f, "no.such.symbol", &a, &s), GD_ENOTFOUND);
	uint64_t start = 0;
	CHECK_STR(gdw_sym_func_at(f, main_addr + 3, &start, &s), "main.main");
	CHECK(start == main_addr && s == main_size);
	CHECK(gdw_sym_func_at(f, 1, &start, &s) == NULL);

	/* ---- functions ---- */
	gdw_func fm = {0}, fadd = {0}, fM = {0}, fx = {0};
	CHECK_INT(gdw_func_at(f, main_addr + 1, &fm), 0);
	CHECK_STR(fm.name, "main.main");
	CHECK(fm.lowpc == main_addr && fm.highpc == main_addr + main_size);
	CHECK(fm.body_pc > fm.lowpc && fm.body_pc < fm.highpc); /* has a frame */
	CHECK_INT(fm.decl_line, 24);
	CHECK(has(fm.decl_file, "/dwarfsample/main.go"));
	CHECK_INT(gdw_func_at(f, 0, &fx), GD_ENOTFOUND); /* absent, not failed */

	CHECK_INT(gdw_func_by_name(f, "main.add", &fadd), 0);
	CHECK_STR(fadd.name, "main.add");
	CHECK_INT(fadd.decl_line, 17);
	CHECK_INT(gdw_sym_lookup(f, "main.add", &a, &s), 0);
	CHECK(fadd.lowpc == a && fadd.highpc == a + s);
	CHECK(fadd.body_pc >= fadd.lowpc && fadd.body_pc < fadd.highpc);
	CHECK_INT(gdw_func_by_name(f, "main.(*T).M", &fM), 0);
	CHECK_INT(fM.decl_line, 10);
	CHECK_INT(gdw_func_by_name(f, "main.nosuch", &fx), GD_ENOTFOUND);
	CHECK_INT(gdw_func_by_name(f, "runtime.main", &fx), 0);
	CHECK_STR(fx.name, "runtime.main");

	/* ---- line tables ---- */
	const char *file = NULL;
	int line = 0;
	CHECK_INT(gdw_pc_line(f, fm.body_pc, &file, &line), 0);
	CHECK_STR(file, src);
	CHECK_INT(line, 24);
	CHECK_INT(gdw_pc_line(f, 0, &file, &line), GD_ENOTFOUND);
	CHECK_INT(gdw_has_file(f, src), 1);
	CHECK_INT(gdw_has_file(f, "/no/such/file.go"), 0);

	int real;
	uint64_t addr;
	/* Line 11, inside main.(*T).M. */
	CHECK_INT(addrs_for(f, src, 11, &real, &addr), 1);
	CHECK_INT(real, 11);
	CHECK_INT(gdw_pc_line(f, addr, &file, &line), 0);
	CHECK_STR(file, src);
	CHECK_INT(line, 11);
	CHECK_INT(gdw_func_at(f, addr, &fx), 0);
	CHECK_STR(fx.name, "main.(*T).M");
	CHECK(fx.lowpc == fM.lowpc);
	/* A blank line and a comment line move to line 14. */
	CHECK_INT(addrs_for(f, src, 12, &real, &addr), 1);
	CHECK_INT(real, 14);
	CHECK_INT(addrs_for(f, src, 13, &real, &addr), 1);
	CHECK_INT(real, 14);
	CHECK_INT(gdw_pc_line(f, addr, &file, &line), 0);
	CHECK_INT(line, 14);
	/* The func line gives the body, not the stack-growth tail. */
	CHECK_INT(addrs_for(f, src, 24, &real, &addr), 1);
	CHECK_INT(real, 24);
	CHECK(addr == fm.body_pc);
	CHECK_INT(addrs_for(f, src, 10, &real, &addr), 1);
	CHECK(addr == fM.body_pc);
	CHECK_INT(addrs_for(f, src, 17, &real, &addr), 1);
	CHECK(addr == fadd.body_pc);
	/* A closure body. */
	CHECK_INT(addrs_for(f, src, 28, &real, &addr), 1);
	CHECK_INT(real, 28);
	CHECK_INT(gdw_func_at(f, addr, &fx), 0);
	CHECK_STR(fx.name, "main.main.func1");
	CHECK_INT(addrs_for(f, src, 31, &real, &addr), 1);
	CHECK(addr > fm.body_pc && addr < fm.highpc);
	/* Lines outside any function, and past the end of the file. */
	gdw_line_addrs la = {0};
	CHECK_INT(gdw_line_addrs_for(f, src, 16, &la, &err), -1);
	CHECK_STR(gd_err_msg(&err), "no code at or after line 16");
	gd_err_clear(&err);
	CHECK_INT(gdw_line_addrs_for(f, src, 5000, &la, &err), -1);
	CHECK(has(gd_err_msg(&err), "no code at or after line 5000"));
	gd_err_clear(&err);
	CHECK_INT(gdw_line_addrs_for(f, "/no/such/file.go", 3, &la, &err), -1);
	CHECK(has(gd_err_msg(&err), "file not found in the program's debug info"));
	gd_err_clear(&err);
	CHECK(la.addrs == NULL && la.n == 0);

	/* A file of another package (the runtime). */
	gdw_func frt;
	CHECK_INT(gdw_func_by_name(f, "runtime.gopark", &frt), 0);
	CHECK_INT(gdw_pc_line(f, frt.body_pc, &file, &line), 0);
	CHECK(has(file, "/runtime/proc.go"));
	if (file) {
		CHECK(addrs_for(f, file, frt.decl_line, &real, &addr) >= 1);
		CHECK(addr == frt.body_pc);
	}

	/* ---- rows ---- */
	gdw_row *rows = NULL;
	size_t nrows = 0;
	CHECK_INT(gdw_rows_in(f, fm.lowpc, fm.highpc, &rows, &nrows, &err), 0);
	CHECK(nrows > 5);
	int sorted = 1, inside = 1, saw25 = 0, saw31 = 0, pe = 0;
	for (size_t i = 0; i < nrows; i++) {
		if (i && rows[i].addr < rows[i - 1].addr)
			sorted = 0;
		if (rows[i].addr < fm.lowpc || rows[i].addr >= fm.highpc)
			inside = 0;
		saw25 |= rows[i].line == 25 && rows[i].is_stmt;
		saw31 |= rows[i].line == 31 && rows[i].is_stmt;
		pe |= rows[i].prologue_end && rows[i].addr == fm.body_pc;
		CHECK_STR(rows[i].file, src);
	}
	CHECK(sorted && inside && saw25 && saw31 && pe);
	free(rows);
	CHECK_INT(gdw_rows_in(f, 0, 16, &rows, &nrows, &err), 0);
	CHECK(nrows == 0 && rows == NULL);

	/* ---- CFA ---- */
	uint64_t regs[17] = {0}, cfa = 0;
	regs[7] = 0x1000;
	regs[6] = 0x2000;
	CHECK_INT(gdw_cfa(f, fm.lowpc, regs, &cfa), 0);
	CHECK(cfa == 0x1008); /* only the return address pushed */
	CHECK_INT(gdw_cfa(f, fm.body_pc, regs, &cfa), 0);
	CHECK(cfa > 0x1008);
	CHECK_INT(gdw_cfa(f, fadd.body_pc, regs, &cfa), 0);
	CHECK(cfa > 0x1000);
	CHECK_INT(gdw_cfa(f, 0x10, regs, &cfa), GD_ENOTFOUND);

	/* ---- types (gdw_type.h) ---- */
	uint64_t off = 0, tsz = 0;
	CHECK_INT(gdw_type_size(f, "runtime.g", &tsz, &err), 0);
	CHECK(tsz > 300);
	CHECK_INT(gdw_member_offset(f, "runtime.g", "stackguard0", &off, &err), 0);
	CHECK_INT(off, 16);
	/* A type the program lacks is a failure for the callers that need
	 * it, with the name in the message. */
	CHECK_INT(gdw_type_size(f, "main.NoSuchType", &tsz, &err), -1);
	CHECK(has(gd_err_msg(&err), "main.NoSuchType not found"));
	gd_err_clear(&err);
	int64_t kval = 0;
	CHECK_INT(gdw_runtime_const(f, "runtime.stackGuard", &kval), 0);
	CHECK(kval >= 928);
	CHECK_INT(gdw_runtime_const(f, "runtime.noSuchConst", &kval),
		  GD_ENOTFOUND);

	/* ---- named types and package variables (gdw_var.h): absent is
	 * GD_ENOTFOUND with no message, found is 0 ---- */
	gdw_tref tr = 0, tr2 = 0;
	CHECK_INT(gdw_type_by_name(f, "main.T", &tr, &err), 0);
	CHECK(tr != 0);
	const gdw_tinfo *ti = NULL;
	CHECK_INT(gdw_type_info(f, tr, &ti, &err), 0);
	CHECK_STR(ti->name, "main.T");
	CHECK_INT(ti->kind, GDW_K_STRUCT);
	CHECK_INT(ti->size, 8);
	CHECK_INT(gdw_type_by_name(f, "int", &tr2, &err), 0);
	CHECK(tr2 != 0 && tr2 != tr);
	CHECK_INT(gdw_type_by_name(f, "main.NoSuchType", &tr, &err),
		  GD_ENOTFOUND);
	CHECK(err.msg == NULL);
	if (ti->rtype) {
		CHECK_INT(gdw_type_by_rtype(f, ti->rtype, &tr2), 0);
		CHECK_INT(gdw_type_info(f, tr2, &ti, &err), 0);
		CHECK_STR(ti->name, "main.T");
	}
	CHECK_INT(gdw_type_by_rtype(f, 0x7fffffff, &tr2), GD_ENOTFOUND);
	gdw_var gv = {0};
	CHECK_INT(gdw_global(f, "main.sink", &gv, &err), 0);
	CHECK_STR(gv.name, "main.sink");
	CHECK_INT(gv.func_die, 0);
	CHECK_INT(gdw_type_info(f, gv.type, &ti, &err), 0);
	CHECK_STR(ti->name, "int");
	CHECK_INT(gdw_global(f, "main.nosuch", &gv, &err), GD_ENOTFOUND);
	CHECK(err.msg == NULL);
	gd_err_clear(&err);

	gdw_close(f);
}

static int run(const char *fixture, const char *toolchain)
{
	char tmp[] = "/tmp/test_gdw.XXXXXX";
	if (!mkdtemp(tmp)) {
		CHECK(!"mkdtemp");
		return -1;
	}
	char bin[PATH_MAX], nodwarf[PATH_MAX], src[PATH_MAX + 16];
	snprintf(bin, sizeof(bin), "%s/sample", tmp);
	snprintf(nodwarf, sizeof(nodwarf), "%s/sample-w", tmp);
	snprintf(src, sizeof(src), "%s/main.go", fixture);
	printf("== toolchain %s\n", toolchain ? toolchain : "(default)");
	int rc = go_build(fixture, toolchain, "-gcflags=all=-N -l", bin);
	if (rc != SKIP)
		CHECK_INT(rc, 0);
	if (rc == 0) {
		CHECK_INT(go_build(fixture, toolchain, "-ldflags=-w", nodwarf), 0);
		check_open_errors(tmp, bin, nodwarf);
		check_binary(bin, src);
	}
	const char *names[] = {"sample", "sample-w", "notes.txt", "arm64"};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char p[PATH_MAX + 32];
		snprintf(p, sizeof(p), "%s/%s", tmp, names[i]);
		unlink(p);
	}
	rmdir(tmp);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s FIXTURE_DIR\n", argv[0]);
		return 2;
	}
	char fixture[PATH_MAX];
	if (!realpath(argv[1], fixture)) {
		perror(argv[1]);
		return 1;
	}
	int skipped = 0;
	const char *list = getenv("GODAP_TEST_GOS");
	char *gos = strdup(list && *list ? list : "go");
	if (!gos)
		return 1;
	for (char *save = NULL, *t = strtok_r(gos, " \t,", &save); t;
	     t = strtok_r(NULL, " \t,", &save)) {
		if (run(fixture, strcmp(t, "go") == 0 ? NULL : t) == SKIP)
			skipped = 1;
	}
	free(gos);
	if (skipped && !gd_test_passed && !gd_test_failed) {
		printf("%s not found: skipped\n", go_cmd());
		return SKIP;
	}
	return GD_TEST_SUMMARY();
}
