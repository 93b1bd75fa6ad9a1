/* What a uprobe costs per hit on this machine, with an eBPF program that
 * returns at once (its thread-group test is false), for an instruction the
 * kernel single-steps out of line (addq to memory) and one it emulates
 * (push): the floor of godap's kernel conditions (ebpfConditions).  Also
 * an int3 caught by a signal handler, for the cost of a trap.
 *   cc -O1 -no-pie -o uprobe_rt uprobe_rt.c -lbpf && ./uprobe_rt 200000
 * Needs root (CAP_BPF, CAP_PERFMON).  A non-PIE executable: the file offset
 * of a symbol is its address minus 0x400000. */
#define _GNU_SOURCE
#include <bpf/bpf.h>
#include <linux/bpf.h>
#include <linux/perf_event.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

long counter;
void stepped(void);
void emulated(void);
asm(".text\n.globl stepped\nstepped:\n addq $1, counter(%rip)\n ret\n"
    ".globl emulated\nemulated:\n pushq %rbp\n popq %rbp\n ret\n");

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static void on_trap(int s) { (void)s; }

static int attach(int prog, void (*fn)(void))
{
	FILE *f = fopen("/sys/bus/event_source/devices/uprobe/type", "r");
	int type = -1;
	if (!f || fscanf(f, "%d", &type) != 1)
		return -1;
	fclose(f);
	struct perf_event_attr a;
	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.type = (unsigned)type;
	a.config1 = (unsigned long)"/proc/self/exe";
	a.config2 = (unsigned long)fn - 0x400000;
	int fd = (int)syscall(SYS_perf_event_open, &a, -1, 0, -1, PERF_FLAG_FD_CLOEXEC);
	if (fd < 0 || ioctl(fd, PERF_EVENT_IOC_SET_BPF, prog) < 0 ||
	    ioctl(fd, PERF_EVENT_IOC_ENABLE, 0) < 0)
		return -1;
	return fd;
}

static void run(const char *what, void (*fn)(void), long n)
{
	double t0 = now();
	for (long i = 0; i < n; i++)
		fn();
	printf("%-34s %8.2f us per call\n", what, (now() - t0) / n * 1e6);
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 200000;
	struct bpf_insn p[] = {
		{.code = BPF_JMP | BPF_CALL, .imm = BPF_FUNC_get_current_pid_tgid},
		{.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 0},
		{.code = BPF_JMP | BPF_EXIT},
	};
	int prog = bpf_prog_load(BPF_PROG_TYPE_KPROBE, "rt", "GPL", p, 3, NULL);
	if (prog < 0) {
		perror("bpf_prog_load");
		return 1;
	}
	run("no uprobe", stepped, n);
	int fd = attach(prog, stepped);
	if (fd < 0) {
		perror("uprobe");
		return 1;
	}
	run("uprobe, addq (single-stepped)", stepped, n);
	close(fd);
	fd = attach(prog, emulated);
	if (fd < 0) {
		perror("uprobe");
		return 1;
	}
	run("uprobe, pushq (emulated)", emulated, n);
	close(fd);
	signal(SIGTRAP, on_trap);
	double t0 = now();
	for (long i = 0; i < n; i++)
		asm volatile("int3");
	printf("%-34s %8.2f us per trap\n", "int3 + empty SIGTRAP handler", (now() - t0) / n * 1e6);
	return 0;
}
