/* Frames outside Go's DWARF (the vDSO, C code of a cgo program): the
 * thread's registers, or those of a frame deeper down its stacks, are
 * unwound with libunwind over the target (core picks libunwind-ptrace for
 * a live process, its own accessors for a core file), which reads
 * .eh_frame of whatever is mapped there, until a PC that Go's own call
 * frame information covers. */
#include "grt_internal.h"
#include "../core/core_unwind.h"

#include <stdlib.h>
#include <string.h>

/* The symbol libunwind finds for the cursor's frame (from the ELF symbol
 * table of whatever object is mapped there), interned in t. */
static const char *native_name(grt_target *t, unw_cursor_t *c)
{
	size_t cap = 128;
	char *buf = NULL;
	const char *name = NULL;
	while (cap <= 65536) {
		char *nb = realloc(buf, cap);
		if (!nb)
			break;
		buf = nb;
		unw_word_t off;
		int rc = unw_get_proc_name(c, buf, cap, &off);
		if (rc == 0) {
			name = grt__intern(t, buf);
			break;
		}
		if (rc != -UNW_ENOMEM)
			break;
		cap *= 2;
	}
	free(buf);
	return name;
}

int grt__native_unwind(grt_target *t, pid_t tid,
		       const struct user_regs_struct *from, grt_frame **fs,
		       size_t *k, size_t *cap, size_t max, uint64_t *pc,
		       uint64_t *sp, uint64_t *bp, gd_err *err)
{
	size_t first = *k;
	core_unwinder u;
	/* best effort: no unwinder: the caller shows the frames it has (this
	 * one is optional, so its reason is not kept). */
	if (core_unwind_begin(t->proc, tid, from, &u, NULL) < 0)
		return GRT_NATIVE_STOPPED;
	unw_cursor_t c;
	int rc = GRT_NATIVE_STOPPED;
	if (unw_init_remote(&c, u.as, u.arg) < 0)
		goto out;
	for (;;) {
		unw_word_t ip, rsp, rbp;
		if (unw_get_reg(&c, UNW_REG_IP, &ip) < 0 ||
		    unw_get_reg(&c, UNW_REG_SP, &rsp) < 0 ||
		    unw_get_reg(&c, UNW_X86_64_RBP, &rbp) < 0)
			break;
		uint64_t regs[17] = {0}, cfa;
		regs[7] = rsp;
		regs[6] = rbp;
		if (*k > first &&
		    gdw_cfa(t->dw, ip - t->bias - 1, regs, &cfa) == 0) {
			/* Back in Go code: the caller takes over. */
			*pc = ip;
			*sp = rsp;
			*bp = rbp;
			rc = 0;
			break;
		}
		if (*k >= max)
			break;
		if (*k == *cap) {
			size_t nc = *cap * 2;
			grt_frame *nf = realloc(*fs, nc * sizeof(*nf));
			if (!nf) {
				rc = gd_err_set(err, "out of memory");
				break;
			}
			*fs = nf;
			*cap = nc;
		}
		grt_frame *fr = &(*fs)[(*k)++];
		memset(fr, 0, sizeof(*fr));
		fr->pc = ip;
		fr->sp = rsp;
		fr->func = native_name(t, &c);
		if (!fr->func)
			fr->func = "?";
		if (unw_step(&c) <= 0)
			break;
	}
out:
	core_unwind_end(t->proc, &u);
	return rc;
}
