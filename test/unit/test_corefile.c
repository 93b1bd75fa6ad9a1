/* The ELF core file backend on a core written here, note by note: threads
 * and registers from NT_PRSTATUS, floating-point registers from
 * NT_FPREGSET, auxv, NT_FILE (memory the core left out read from the file
 * mapped there), the signal from NT_SIGINFO, and the errors for a
 * truncated core, a file that is not a core, a core of another program,
 * and every run-control call. */
#include "gd_test.h"
#include "../../core/core.h"

#include <elf.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/procfs.h>
#include <unistd.h>

static char dir[] = "/tmp/godap-test-corefile-XXXXXX";

typedef struct blob {
	uint8_t *p;
	size_t n;
} blob;

static void put(blob *b, const void *data, size_t n)
{
	b->p = realloc(b->p, b->n + n);
	if (!b->p)
		abort();
	memcpy(b->p + b->n, data, n);
	b->n += n;
}

static void pad4(blob *b)
{
	static const uint8_t z[4];
	put(b, z, (4 - b->n % 4) % 4);
}

static void note(blob *b, const char *name, uint32_t type, const void *desc,
		 size_t n)
{
	uint32_t h[3] = {(uint32_t)strlen(name) + 1, (uint32_t)n, type};
	put(b, h, sizeof(h));
	put(b, name, strlen(name) + 1);
	pad4(b);
	put(b, desc, n);
	pad4(b);
}

static char *path_in(const char *name)
{
	char *p = malloc(strlen(dir) + strlen(name) + 2);
	if (!p)
		abort();
	sprintf(p, "%s/%s", dir, name);
	return p;
}

static void write_file(const char *path, const void *data, size_t n)
{
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(data, 1, n, f) != n || fclose(f) != 0)
		abort();
}

/* An "executable": an ELF header entered at `entry`, and at file offset
 * 0x1000 the bytes of its read-only data. */
static void write_exe(const char *path, uint64_t entry)
{
	uint8_t img[0x1010] = {0};
	Elf64_Ehdr *e = (Elf64_Ehdr *)img;
	memcpy(e->e_ident, ELFMAG, SELFMAG);
	e->e_ident[EI_CLASS] = ELFCLASS64;
	e->e_ident[EI_DATA] = ELFDATA2LSB;
	e->e_ident[EI_VERSION] = EV_CURRENT;
	e->e_type = ET_EXEC;
	e->e_machine = EM_X86_64;
	e->e_version = EV_CURRENT;
	e->e_entry = entry;
	e->e_ehsize = sizeof(*e);
	memcpy(img + 0x1000, "from the program", 16);
	write_file(path, img, sizeof(img));
}

/* A core of one thread (tid 4242): a PT_LOAD of 16 bytes at 0x600000, a
 * PT_LOAD without contents at 0x401000 that NT_FILE maps from exe at file
 * offset 0x1000, a SIGSEGV at 0xdead. */
static blob make_core(const char *exe)
{
	blob notes = {0};
	struct elf_prstatus pr;
	memset(&pr, 0, sizeof(pr));
	pr.pr_pid = 4242;
	pr.pr_cursig = SIGSEGV;
	struct user_regs_struct r;
	memset(&r, 0, sizeof(r));
	r.rip = 0x401234;
	r.rsp = 0x7ffc0000;
	r.fs_base = 0x5973e8;
	memcpy(&pr.pr_reg, &r, sizeof(r));
	note(&notes, "CORE", NT_PRSTATUS, &pr, sizeof(pr));
	struct elf_prpsinfo ps;
	memset(&ps, 0, sizeof(ps));
	ps.pr_pid = 4242;
	note(&notes, "CORE", NT_PRPSINFO, &ps, sizeof(ps));
	siginfo_t si;
	memset(&si, 0, sizeof(si));
	si.si_signo = SIGSEGV;
	si.si_code = SEGV_MAPERR;
	si.si_addr = (void *)0xdead;
	note(&notes, "CORE", NT_SIGINFO, &si, sizeof(si));
	uint64_t auxv[] = {AT_PAGESZ, 4096, AT_ENTRY, 0x400100, AT_NULL, 0};
	note(&notes, "CORE", NT_AUXV, auxv, sizeof(auxv));
	struct user_fpregs_struct fp;
	memset(&fp, 0, sizeof(fp));
	fp.xmm_space[0] = 0x3ff00000; /* some bits of XMM0 */
	note(&notes, "CORE", NT_FPREGSET, &fp, sizeof(fp));
	blob files = {0};
	uint64_t hdr[2] = {1, 4096}, ent[3] = {0x401000, 0x402000, 1};
	put(&files, hdr, sizeof(hdr));
	put(&files, ent, sizeof(ent));
	put(&files, exe, strlen(exe) + 1);
	note(&notes, "CORE", NT_FILE, files.p, files.n);
	free(files.p);

	blob core = {0};
	Elf64_Ehdr e;
	memset(&e, 0, sizeof(e));
	memcpy(e.e_ident, ELFMAG, SELFMAG);
	e.e_ident[EI_CLASS] = ELFCLASS64;
	e.e_ident[EI_DATA] = ELFDATA2LSB;
	e.e_ident[EI_VERSION] = EV_CURRENT;
	e.e_type = ET_CORE;
	e.e_machine = EM_X86_64;
	e.e_version = EV_CURRENT;
	e.e_phoff = sizeof(e);
	e.e_ehsize = sizeof(e);
	e.e_phentsize = sizeof(Elf64_Phdr);
	e.e_phnum = 3;
	put(&core, &e, sizeof(e));
	uint64_t data_off = sizeof(e) + 3 * sizeof(Elf64_Phdr);
	Elf64_Phdr ph[3];
	memset(ph, 0, sizeof(ph));
	ph[0].p_type = PT_NOTE;
	ph[0].p_offset = data_off;
	ph[0].p_filesz = notes.n;
	ph[1].p_type = PT_LOAD;
	ph[1].p_flags = PF_R | PF_W;
	ph[1].p_vaddr = 0x600000;
	ph[1].p_offset = data_off + notes.n;
	ph[1].p_filesz = ph[1].p_memsz = 16;
	ph[2].p_type = PT_LOAD;
	ph[2].p_flags = PF_R;
	ph[2].p_vaddr = 0x401000;
	ph[2].p_offset = data_off + notes.n + 16;
	ph[2].p_memsz = 0x1000;
	put(&core, ph, sizeof(ph));
	put(&core, notes.p, notes.n);
	put(&core, "hello, core file", 16);
	free(notes.p);
	return core;
}

static void test_read_side(const char *corep, const char *exe)
{
	core_proc *p = NULL;
	gd_err err = GD_ERR_INIT;
	CHECK_INT(core_open_corefile(&p, corep, exe, NULL, &err), 0);
	if (!p) {
		fprintf(stderr, "open: %s\n", gd_err_msg(&err));
		gd_err_clear(&err);
		return;
	}
	CHECK_INT(core_is_corefile(p), 1);
	CHECK_INT(core_pid(p), 4242);
	CHECK_INT(core_thread_count(p), 1);
	CHECK_INT(core_thread_tid(p, 0), 4242);
	CHECK_INT(core_thread_stopped(p, 4242), 1);
	CHECK_INT(core_thread_stopped(p, 1), 0);
	struct user_regs_struct r;
	CHECK_INT(core_regs(p, 4242, &r, &err), 0);
	CHECK_INT(r.rip, 0x401234);
	CHECK_INT(r.fs_base, 0x5973e8);
	struct user_fpregs_struct fp;
	CHECK_INT(core_fpregs(p, 4242, &fp, &err), 0);
	CHECK_INT(fp.xmm_space[0], 0x3ff00000);
	CHECK_INT(core_regs(p, 1, &r, &err), -1);
	CHECK_STR(gd_err_msg(&err), "no thread 1 in the core file");
	gd_err_clear(&err);
	uint64_t v = 0;
	CHECK_INT(core_auxv(p, AT_ENTRY, &v, &err), 0);
	CHECK_INT(v, 0x400100);
	CHECK_INT(core_auxv(p, AT_BASE, &v, &err), -1);
	gd_err_clear(&err);

	char buf[32] = {0};
	CHECK_INT(core_read(p, 0x600007, buf, 4, &err), 0);
	CHECK(memcmp(buf, "core", 4) == 0);
	/* Left out of the core: read from the file NT_FILE names. */
	CHECK_INT(core_read(p, 0x401000, buf, 16, &err), 0);
	CHECK(memcmp(buf, "from the program", 16) == 0);
	CHECK_INT(core_read(p, 0x600008, buf, 16, &err), -1);
	CHECK_STR(gd_err_msg(&err), "cannot read 16 bytes of memory at 0x600008: "
		  "not in the core file");
	gd_err_clear(&err);
	uint64_t addrs[2] = {0x600000, 0x900000};
	uint8_t ok[2];
	CHECK_INT(core_read_many(p, addrs, 2, 4, buf, ok, &err), 0);
	CHECK(ok[0] == 1 && ok[1] == 0 && memcmp(buf, "hell", 4) == 0);

	core_map *m;
	size_t n;
	CHECK_INT(core_maps(p, &m, &n, &err), 0);
	CHECK_INT(n, 2);
	if (n == 2) {
		CHECK_INT(m[0].lo, 0x401000);
		CHECK_INT(m[0].offset, 0x1000);
		CHECK(m[0].path && strcmp(m[0].path, exe) == 0);
		CHECK(m[0].read && !m[0].write);
		CHECK_INT(m[1].lo, 0x600000);
		CHECK(m[1].path == NULL && m[1].write);
	}
	core_maps_free(m, n);

	pid_t tid;
	int sig, code;
	uint64_t addr;
	CHECK_INT(core_stop_signal(p, &tid, &sig, &code, &addr), 0);
	CHECK(tid == 4242 && sig == SIGSEGV && code == SEGV_MAPERR &&
	      addr == 0xdead);

	/* Nothing runs or changes. */
	core_stop st;
	int exited;
	CHECK_INT(core_write(p, 0x600000, "x", 1, &err), -1);
	CHECK_STR(gd_err_msg(&err), CORE_ERR_IS_CORE);
	gd_err_clear(&err);
	CHECK_INT(core_set_regs(p, 4242, &r, &err), -1);
	gd_err_clear(&err);
	CHECK_INT(core_set_fpregs(p, 4242, &fp, &err), -1);
	gd_err_clear(&err);
	CHECK_INT(core_resume_all(p, &err), -1);
	CHECK_STR(gd_err_msg(&err), CORE_ERR_IS_CORE);
	gd_err_clear(&err);
	CHECK_INT(core_step_thread(p, 4242, &exited, &err), -1);
	gd_err_clear(&err);
	CHECK_INT(core_wait(p, 0, &st, &err), -1);
	gd_err_clear(&err);
	CHECK_INT(core_bp_add(p, 0x401234, &err), -1);
	gd_err_clear(&err);
	CHECK_INT(core_hw_set(p, 0, 0x600000, 8, CORE_HW_WRITE, &err), -1);
	gd_err_clear(&err);
	CHECK_INT(core_run_thread(p, 4242, &err), -1);
	gd_err_clear(&err);
	CHECK_INT(core_bp_has(p, 0x401234), 0);
	CHECK_INT(core_has_held(p), 0);
	CHECK_INT(core_launched(p), 0);
	core_free(p);
}

static void expect_open_error(const char *corep, const char *exe,
			      const char *want_prefix)
{
	core_proc *p = NULL;
	gd_err err = GD_ERR_INIT;
	CHECK_INT(core_open_corefile(&p, corep, exe, NULL, &err), -1);
	CHECK(p == NULL);
	const char *msg = gd_err_msg(&err);
	if (strncmp(msg, want_prefix, strlen(want_prefix)) != 0) {
		gd_test_failed++;
		fprintf(stderr, "expected \"%s...\", got \"%s\"\n", want_prefix, msg);
	} else {
		gd_test_passed++;
	}
	gd_err_clear(&err);
}

int main(void)
{
	if (!mkdtemp(dir))
		return 1;
	char *exe = path_in("prog"), *other = path_in("other");
	char *corep = path_in("core"), *cut = path_in("core.cut");
	write_exe(exe, 0x400100);
	write_exe(other, 0x400200);
	blob core = make_core(exe);
	write_file(corep, core.p, core.n);
	write_file(cut, core.p, core.n - 8);

	test_read_side(corep, exe);
	{
		char want[512];
		snprintf(want, sizeof(want), "core file '%s' is truncated", cut);
		expect_open_error(cut, exe, want);
		snprintf(want, sizeof(want), "'%s' is not a core file (an ELF "
			 "file of type executable)", exe);
		expect_open_error(exe, exe, want);
		snprintf(want, sizeof(want), "core file does not match program "
			 "'%s'", other);
		expect_open_error(corep, other, want);
	}

	unlink(exe);
	unlink(other);
	unlink(corep);
	unlink(cut);
	rmdir(dir);
	free(exe);
	free(other);
	free(corep);
	free(cut);
	free(core.p);
	return GD_TEST_SUMMARY();
}
