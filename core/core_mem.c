#include "core_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <unistd.h>

int core__open_mem(core_live *p, gd_err *err)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/mem", (int)p->pid);
	p->memfd = open(path, O_RDWR | O_CLOEXEC);
	if (p->memfd < 0)
		return gd_err_sys(err, "open %s", path);
	return 0;
}

/* The thread tid when it is ours and stopped, else NULL with *err set. */
static core_thread *stopped_thread(core_live *p, pid_t tid, gd_err *err)
{
	core_thread *t = core__thread(p, tid);
	if (!t)
		gd_err_set(err, "no thread %d", (int)tid);
	else if (t->state != CT_STOPPED)
		gd_err_set(err, "thread %d is running", (int)tid);
	else
		return t;
	return NULL;
}

int live_regs(core_live *p, pid_t tid, struct user_regs_struct *out,
	      gd_err *err)
{
	core_thread *t = stopped_thread(p, tid, err);
	if (!t)
		return -1;
	if (!t->regs_valid) {
		if (ptrace(PTRACE_GETREGS, tid, 0, &t->regs) < 0)
			return gd_err_sys(err, "ptrace(PTRACE_GETREGS, %d)",
					  (int)tid);
		t->regs_valid = 1;
	}
	*out = t->regs;
	return 0;
}

int live_fpregs(core_live *p, pid_t tid, struct user_fpregs_struct *out,
		gd_err *err)
{
	if (!stopped_thread(p, tid, err))
		return -1;
	if (ptrace(PTRACE_GETFPREGS, tid, 0, out) < 0)
		return gd_err_sys(err, "ptrace(PTRACE_GETFPREGS, %d)", (int)tid);
	return 0;
}

int live_set_fpregs(core_live *p, pid_t tid,
		    const struct user_fpregs_struct *in, gd_err *err)
{
	if (!stopped_thread(p, tid, err))
		return -1;
	/* Written at once (not cached like the general registers): nothing
	 * else in core changes them. */
	if (ptrace(PTRACE_SETFPREGS, tid, 0, in) < 0)
		return gd_err_sys(err, "ptrace(PTRACE_SETFPREGS, %d)", (int)tid);
	return 0;
}

int live_set_regs(core_live *p, pid_t tid, const struct user_regs_struct *r,
		  gd_err *err)
{
	core_thread *t = core__thread(p, tid);
	if (!t || t->state != CT_STOPPED)
		return gd_err_set(err, "thread %d is not stopped", (int)tid);
	t->regs = *r;
	t->regs_valid = 2; /* written back before the thread runs */
	return 0;
}

int live_read(core_live *p, uint64_t addr, void *buf, size_t len, gd_err *err)
{
	if (len == 0)
		return 0;
	struct iovec local = {buf, len};
	struct iovec remote = {(void *)(uintptr_t)addr, len};
	ssize_t n = process_vm_readv(p->pid, &local, 1, &remote, 1, 0);
	if (n == (ssize_t)len)
		return 0;
	if (n < 0 && errno != EFAULT && errno != EIO) {
		/* process_vm_readv can be refused (e.g. by a security
		 * module); /proc/pid/mem works for a tracer. */
		n = pread(p->memfd, buf, len, (off_t)addr);
		if (n == (ssize_t)len)
			return 0;
	}
	return gd_err_set(err, "cannot read %zu bytes of memory at %#lx", len,
			  (unsigned long)addr);
}

/* A region of live_read_many, in address order. */
struct many_item {
	uint64_t addr;
	size_t idx;
};

static int by_addr(const void *a, const void *b)
{
	const struct many_item *x = a, *y = b;
	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/* Regions closer than this are read as one remote range, the bytes
 * between them dropped into a scratch buffer: the kernel pins every page
 * of every remote range it is given, and pinning costs more than copying
 * a few KiB (a thread list reads 10 000 goroutine structs and stack tops,
 * several to a page).  Below a page, so a merged range only covers pages
 * that hold a region asked for. */
enum { MERGE_GAP = 2048 };

int live_read_many(core_live *p, const uint64_t *addrs, size_t n, size_t each,
		   void *buf, uint8_t *ok, gd_err *err)
{
	(void)err;
	if (n == 0)
		return 0;
	enum { MAXIOV = 1024 };
	uint8_t *out = buf;
	struct many_item *it = malloc(n * sizeof(*it));
	uint8_t *junk = malloc(MERGE_GAP);
	struct iovec *local = malloc(2 * MAXIOV * sizeof(*local));
	if (!it || !junk || !local) {
		free(it);
		free(junk);
		free(local);
		/* No memory for the plan: one region at a time.  ignored:
		 * a failed read is the answer, in ok[]. */
		for (size_t i = 0; i < n; i++) {
			int good = live_read(p, addrs[i], out + i * each, each,
					     NULL) == 0;
			if (!good)
				memset(out + i * each, 0, each);
			if (ok)
				ok[i] = (uint8_t)good;
		}
		return 0;
	}
	struct iovec *remote = local + MAXIOV;
	int sorted = 1;
	for (size_t i = 0; i < n; i++) {
		it[i] = (struct many_item){addrs[i], i};
		sorted &= i == 0 || addrs[i - 1] <= addrs[i];
	}
	if (!sorted)
		qsort(it, n, sizeof(*it), by_addr);
	size_t k = 0;
	while (k < n) {
		/* One call: up to MAXIOV local and remote iovecs. */
		size_t nl = 0, nr = 0, first = k;
		uint64_t end = 0;
		while (k < n) {
			uint64_t a = it[k].addr;
			int join = nr && a >= end && a - end <= MERGE_GAP;
			size_t need = join ? (a > end ? 2 : 1) : 1;
			if (nl + need > MAXIOV || (!join && nr == MAXIOV))
				break;
			if (join) {
				if (a > end)
					local[nl++] = (struct iovec){junk, (size_t)(a - end)};
				remote[nr - 1].iov_len += (size_t)(a + each - end);
			} else {
				remote[nr++] = (struct iovec){(void *)(uintptr_t)a, each};
			}
			local[nl++] = (struct iovec){out + it[k].idx * each, each};
			end = a + each;
			k++;
		}
		ssize_t got = process_vm_readv(p->pid, local, nl, remote, nr, 0);
		size_t done = got > 0 ? (size_t)got : 0, pos = 0;
		/* Regions wholly read are good; the others (after a region
		 * the kernel could not read) are read alone. */
		for (size_t j = 0, item = first; j < nl; j++) {
			pos += local[j].iov_len;
			if (local[j].iov_base == junk)
				continue;
			size_t i = it[item++].idx;
			/* ignored: a failed read is the answer, in ok[]. */
			int good = pos <= done ||
				   live_read(p, addrs[i], out + i * each, each,
					     NULL) == 0;
			if (!good)
				memset(out + i * each, 0, each);
			if (ok)
				ok[i] = (uint8_t)good;
		}
	}
	free(it);
	free(junk);
	free(local);
	return 0;
}

int live_read_text(core_live *p, uint64_t addr, void *buf, size_t len,
		   gd_err *err)
{
	if (live_read(p, addr, buf, len, err) < 0)
		return -1;
	uint8_t *b = buf;
	for (size_t i = 0; i < p->nbps; i++) {
		const core_bp *bp = &p->bps[i];
		uint64_t a = bp->addr;
		if (bp->pad_on) {
			/* A jump pad's jmp: CORE_PAD_JMP bytes. */
			for (size_t k = 0; k < CORE_PAD_JMP; k++)
				if (a + k >= addr && a + k < addr + len)
					b[a + k - addr] = bp->pad_orig[k];
		} else if (a >= addr && a < addr + len) {
			b[a - addr] = bp->orig;
		}
	}
	return 0;
}

int live_write(core_live *p, uint64_t addr, const void *buf, size_t len,
	       gd_err *err)
{
	ssize_t n = pwrite(p->memfd, buf, len, (off_t)addr);
	if (n != (ssize_t)len)
		return gd_err_set(err, "cannot write %zu bytes of memory at %#lx",
				  len, (unsigned long)addr);
	return 0;
}

int core__poke_byte(core_live *p, uint64_t addr, uint8_t b, gd_err *err)
{
	return live_write(p, addr, &b, 1, err);
}

int live_auxv(core_live *p, uint64_t type, uint64_t *val, gd_err *err)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/auxv", (int)p->pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return gd_err_sys(err, "open %s", path);
	uint64_t kv[2];
	int rc = -1;
	while (read(fd, kv, sizeof(kv)) == (ssize_t)sizeof(kv)) {
		if (kv[0] == 0)
			break;
		if (kv[0] == type) {
			*val = kv[1];
			rc = 0;
			break;
		}
	}
	close(fd);
	if (rc < 0)
		gd_err_set(err, "auxv entry %lu not found", (unsigned long)type);
	return rc;
}
