/* The floor of a breakpoint hit under ptrace on this machine: the least
 * any ptrace debugger can do for a hit that does not stop the program.
 *
 *     ptrace_rt [N]      prints "ns_per_hit <ns> hits <N>"
 *
 * A child loops N times over bp_target(), whose first instruction (a
 * one-byte nop) carries an int3.  For every hit the tracer does what a
 * debugger must: wait4 for the trap, PTRACE_GETREGS, PTRACE_SETREGS (the
 * nop "executed" out of line: RIP past it) and PTRACE_CONT.  With "read"
 * as second argument it also reads 8 bytes of the child's memory per hit
 * (process_vm_readv), as a condition on one variable does.  bench/run.py
 * builds it and divides godap's per-hit cost by this. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

__asm__(".text\n"
	".globl bp_target\n"
	".type bp_target, @function\n"
	"bp_target:\n"
	"\tnop\n"
	"\tret\n"
	".size bp_target, .-bp_target\n");
void bp_target(void);

static volatile uint64_t counter;

static int die(const char *what)
{
	perror(what);
	return 1;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? strtol(argv[1], NULL, 10) : 100000;
	int read_var = argc > 2 && strcmp(argv[2], "read") == 0;
	if (n <= 0)
		return 2;
	pid_t pid = fork();
	if (pid < 0)
		return die("fork");
	if (pid == 0) {
		if (ptrace(PTRACE_TRACEME, 0, 0, 0) < 0)
			_exit(1);
		raise(SIGSTOP);
		for (long i = 0; i < n; i++) {
			bp_target();
			counter++;
		}
		_exit(0);
	}
	int st;
	if (waitpid(pid, &st, 0) < 0 || !WIFSTOPPED(st))
		return die("waitpid");
	uintptr_t addr = (uintptr_t)&bp_target;
	errno = 0;
	long word = ptrace(PTRACE_PEEKTEXT, pid, (void *)addr, 0);
	if (errno)
		return die("peek");
	long patched = (word & ~0xffL) | 0xcc;
	if (ptrace(PTRACE_POKETEXT, pid, (void *)addr, (void *)patched) < 0)
		return die("poke");
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (ptrace(PTRACE_CONT, pid, 0, 0) < 0)
		return die("cont");
	long hits = 0;
	for (;;) {
		if (waitpid(pid, &st, __WALL) < 0)
			return die("waitpid");
		if (WIFEXITED(st) || WIFSIGNALED(st))
			break;
		int sig = WSTOPSIG(st);
		if (sig != SIGTRAP) {
			ptrace(PTRACE_CONT, pid, 0, (void *)(long)sig);
			continue;
		}
		struct user_regs_struct r;
		if (ptrace(PTRACE_GETREGS, pid, 0, &r) < 0)
			return die("getregs");
		if (read_var) {
			uint64_t v;
			struct iovec l = {&v, sizeof(v)};
			struct iovec rm = {(void *)&counter, sizeof(v)};
			if (process_vm_readv(pid, &l, 1, &rm, 1, 0) != sizeof(v))
				return die("process_vm_readv");
		}
		/* r.rip is after the int3, which is where the one-byte nop
		 * ends: the nop is done. */
		if (ptrace(PTRACE_SETREGS, pid, 0, &r) < 0 ||
		    ptrace(PTRACE_CONT, pid, 0, 0) < 0)
			return die("resume");
		hits++;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double ns = (double)(t1.tv_sec - t0.tv_sec) * 1e9 + (double)(t1.tv_nsec - t0.tv_nsec);
	if (hits != n) {
		fprintf(stderr, "hits %ld, expected %ld\n", hits, n);
		return 1;
	}
	printf("ns_per_hit %.0f hits %ld\n", ns / (double)hits, hits);
	return 0;
}
