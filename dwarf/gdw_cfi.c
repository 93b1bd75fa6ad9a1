/* Canonical frame address from .debug_frame: gdw_fde.c first, libdw for
 * what it does not read (libdw caches the CFI in the Dwarf handle;
 * dwarf_end frees it). */
#include "gdw_internal.h"

#include <dwarf.h>
#include <stdlib.h>

/* Evaluates the simple CFA expressions a compiler emits: reg+offset
 * (libdw expresses the DW_CFA_def_cfa rule as DW_OP_bregx), optionally
 * followed by constant arithmetic.  No memory reads. */
static int eval(const Dwarf_Op *ops, size_t nops, const uint64_t regs[17],
		uint64_t *out)
{
	uint64_t st[8];
	size_t sp = 0;
	for (size_t i = 0; i < nops; i++) {
		const Dwarf_Op *op = &ops[i];
		uint8_t a = op->atom;
		if (a >= DW_OP_breg0 && a <= DW_OP_breg31) {
			unsigned r = a - DW_OP_breg0;
			if (r > 16 || sp == 8)
				return -1;
			st[sp++] = regs[r] + op->number;
		} else if (a == DW_OP_bregx) {
			if (op->number > 16 || sp == 8)
				return -1;
			st[sp++] = regs[op->number] + op->number2;
		} else if (a >= DW_OP_reg0 && a <= DW_OP_reg31) {
			unsigned r = a - DW_OP_reg0;
			if (r > 16 || sp == 8)
				return -1;
			st[sp++] = regs[r];
		} else if (a == DW_OP_plus_uconst) {
			if (!sp)
				return -1;
			st[sp - 1] += op->number;
		} else if (a == DW_OP_constu || a == DW_OP_consts ||
			   (a >= DW_OP_lit0 && a <= DW_OP_lit31)) {
			if (sp == 8)
				return -1;
			st[sp++] = a == DW_OP_constu || a == DW_OP_consts
					   ? op->number : (uint64_t)(a - DW_OP_lit0);
		} else if (a == DW_OP_plus || a == DW_OP_minus) {
			if (sp < 2)
				return -1;
			sp--;
			st[sp - 1] = a == DW_OP_plus ? st[sp - 1] + st[sp]
						     : st[sp - 1] - st[sp];
		} else {
			return -1; /* deref and friends: not for Go code */
		}
	}
	if (sp != 1)
		return -1;
	*out = st[0];
	return 0;
}

int gdw_cfa(gdw_file *f, uint64_t pc, const uint64_t regs[17], uint64_t *cfa)
{
	int own = gdw__fde_cfa(f, pc, regs, cfa);
	if (own == 0 || own == GD_ENOTFOUND)
		return own;
	if (gdw__image_need(f, ".debug_frame") < 0)
		return -1;
	Dwarf_CFI *cfi = dwarf_getcfi(f->dw);
	if (!cfi)
		return GD_ENOTFOUND; /* no .debug_frame at all */
	Dwarf_Frame *frame = NULL;
	if (dwarf_cfi_addrframe(cfi, pc, &frame) != 0)
		return GD_ENOTFOUND; /* no FDE covers pc */
	Dwarf_Op *ops = NULL;
	size_t nops = 0;
	int rc = -1;
	if (dwarf_frame_cfa(frame, &ops, &nops) == 0 && ops)
		rc = eval(ops, nops, regs, cfa);
	free(frame);
	return rc;
}
