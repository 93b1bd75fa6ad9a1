/* Unit test of core_read_many on a live process (core/core_mem.c): regions
 * read in few process_vm_readv calls, neighbours merged into one remote
 * range, must come back exactly as reading each alone would -- in any
 * order, overlapping, across pages, more than one call's worth, and with
 * an unreadable page among them (that region zeroed and not ok, the
 * others still read). */
#include "gd_test.h"
#include "core_run.h"
#include "core_target.h"

#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGES 64
#define PG 4096

/* The byte the child holds at offset off of its region. */
static uint8_t pattern(size_t off)
{
	return (uint8_t)(off * 131u + (off >> 12) * 7u + 1u);
}

int main(void)
{
	/* The region is mapped before fork: the child has it at the same
	 * address; page 40 unreadable in the child only. */
	uint8_t *mem = mmap(NULL, PAGES * PG, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	int ready[2];
	if (pipe(ready) < 0) {
		perror("pipe");
		return 1;
	}
	pid_t pid = fork();
	if (pid < 0) {
		perror("fork");
		return 1;
	}
	if (pid == 0) {
		for (size_t i = 0; i < PAGES * PG; i++)
			mem[i] = pattern(i);
		if (mprotect(mem + 40 * PG, PG, PROT_NONE) < 0)
			_exit(3);
		if (write(ready[1], "r", 1) != 1)
			_exit(4);
		for (;;)
			pause();
	}
	char c;
	CHECK_INT(read(ready[0], &c, 1), 1);
	close(ready[0]);
	close(ready[1]);

	gd_log log = {NULL, 0};
	gd_err err = GD_ERR_INIT;
	core_proc *p = NULL;
	if (core_attach(&p, pid, &log, &err) < 0) {
		fprintf(stderr, "attach: %s\n", gd_err_msg(&err));
		gd_err_clear(&err);
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return 77; /* ptrace not allowed here */
	}

	/* 3000 regions of 40 bytes: runs of neighbours (stride 40, 600,
	 * 3000: merged), far apart (stride 9000: alone), the same address
	 * twice, overlapping ones, one in the unreadable page and one
	 * straddling into it; then shuffled. */
	enum { N = 3000, EACH = 40 };
	uint64_t *addrs = malloc(N * sizeof(*addrs));
	uint8_t *buf = malloc((size_t)N * EACH);
	uint8_t *ok = malloc(N);
	size_t *off = malloc(N * sizeof(*off));
	if (!addrs || !buf || !ok || !off)
		return 1;
	size_t o = 0;
	for (size_t i = 0; i < N; i++) {
		size_t stride = i < 800 ? 40 : i < 1400 ? 600 : i < 2000 ? 3000
			      : i < 2400 ? 9000 : 17;
		o = (o + stride) % (PAGES * PG - EACH);
		off[i] = o;
	}
	off[10] = off[11];              /* the same region twice */
	off[100] = 40 * PG + 8;         /* unreadable */
	off[101] = 40 * PG - 20;        /* half in the unreadable page */
	off[102] = 39 * PG;             /* just before it: readable */
	off[103] = 41 * PG;             /* just after it: readable */
	srand(7);
	for (size_t i = N - 1; i > 0; i--) {
		size_t j = (size_t)rand() % (i + 1), t = off[i];
		off[i] = off[j];
		off[j] = t;
	}
	for (size_t i = 0; i < N; i++)
		addrs[i] = (uint64_t)(uintptr_t)mem + off[i];
	memset(buf, 0xee, (size_t)N * EACH);
	CHECK_INT(core_read_many(p, addrs, N, EACH, buf, ok, &err), 0);
	size_t bad = 0, wrong = 0, good = 0;
	for (size_t i = 0; i < N; i++) {
		int readable = off[i] + EACH <= 40 * PG || off[i] >= 41 * PG;
		if (ok[i] != readable) {
			bad++;
			continue;
		}
		for (size_t k = 0; k < EACH; k++) {
			uint8_t want = readable ? pattern(off[i] + k) : 0;
			if (buf[i * EACH + k] != want) {
				wrong++;
				break;
			}
		}
		good += readable;
	}
	CHECK_INT(bad, 0);
	CHECK_INT(wrong, 0);
	CHECK(good > N / 2 && good < N);

	/* In address order (the thread list's goroutine structs), 9 of them
	 * in the unreadable page. */
	for (size_t i = 0; i < 500; i++)
		addrs[i] = (uint64_t)(uintptr_t)mem + i * 456;
	CHECK_INT(core_read_many(p, addrs, 500, EACH, buf, ok, &err), 0);
	wrong = 0;
	size_t unread = 0;
	for (size_t i = 0; i < 500; i++) {
		size_t at = i * 456;
		int readable = at + EACH <= 40 * PG || at >= 41 * PG;
		unread += !readable;
		wrong += ok[i] != readable ||
			 buf[i * EACH + 5] != (readable ? pattern(at + 5) : 0);
	}
	CHECK_INT(wrong, 0);
	CHECK_INT(unread, 9);

	core_free(p); /* attached: detached, runs on */
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	munmap(mem, PAGES * PG);
	free(addrs);
	free(buf);
	free(ok);
	free(off);
	return GD_TEST_SUMMARY();
}
