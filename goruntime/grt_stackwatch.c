/* What watching a variable on a goroutine stack needs from the runtime:
 * Go moves a goroutine's stack when it grows (runtime.copystack copies it
 * to a new allocation and adjusts every pointer into it), keeping each
 * value at the same distance from the stack's top (stack.hi).  A watch
 * stops at copystack's returns, reads the goroutine's new stack.hi and
 * moves the debug register to new.hi - (old.hi - addr). */
#include "grt_internal.h"

#include <capstone/capstone.h>
#include <stdlib.h>

#include "../common/gd_array.h"

int grt_copystack_exits(grt_target *t, uint64_t **out, size_t *n, gd_err *err)
{
	*out = NULL;
	*n = 0;
	uint64_t start, size;
	if (gdw_sym_lookup(t->dw, "runtime.copystack", &start, &size) < 0 ||
	    size == 0 || size > (1u << 20))
		return gd_err_set(err, "the program has no runtime.copystack");
	uint8_t *code = malloc(size);
	if (!code)
		return gd_err_set(err, "out of memory");
	if (core_read_text(t->proc, start + t->bias, code, size, err) < 0) {
		free(code);
		return -1;
	}
	csh cs;
	if (cs_open(CS_ARCH_X86, CS_MODE_64, &cs) != CS_ERR_OK) {
		free(code);
		return gd_err_set(err, "cannot start the disassembler");
	}
	cs_insn *insn = cs_malloc(cs);
	const uint8_t *p = code;
	size_t left = size;
	uint64_t a = start + t->bias;
	uint64_t *v = NULL;
	size_t nv = 0, cap = 0;
	int rc = 0;
	while (insn && rc == 0 && cs_disasm_iter(cs, &p, &left, &a, insn)) {
		if (insn->id != X86_INS_RET)
			continue;
		if (gd_grow(&v, &cap, nv, sizeof(*v), 4) < 0)
			rc = gd_err_set(err, "out of memory");
		else
			v[nv++] = insn->address;
	}
	if (insn)
		cs_free(insn, 1);
	cs_close(&cs);
	free(code);
	if (rc == 0 && nv == 0)
		rc = gd_err_set(err, "runtime.copystack has no return instruction");
	if (rc < 0) {
		free(v);
		return -1;
	}
	*out = v;
	*n = nv;
	return 0;
}

int grt_g_stack(grt_target *t, uint64_t gaddr, uint64_t *lo, uint64_t *hi,
		gd_err *err)
{
	if (grt__read_u64(t, gaddr + t->L.g_stack_lo, lo, err) < 0 ||
	    grt__read_u64(t, gaddr + t->L.g_stack_hi, hi, err) < 0)
		return -1;
	return 0;
}
