/* Shared by grt_call*.c only: the register-ABI assignment of a call's
 * arguments and results (grt_call_abi.c). */
#ifndef GRT_CALL_INTERNAL_H
#define GRT_CALL_INTERNAL_H

#include "grt_call.h"

/* Go's internal ABI on amd64: integer arguments in RAX RBX RCX RDI RSI
 * R8-R11, floats in X0-X14; the runtime opens frames up to 64 KiB. */
enum { NINT = 9, NFLT = 15, MAXFRAME = 65536 };

typedef struct piece {
	int flt;       /* float register, else integer */
	int reg;       /* index in the ABI's register sequence */
	uint32_t off;  /* offset inside the value */
	uint32_t size;
} piece;

typedef struct slot {
	gdw_tref type;
	uint64_t size, align;
	int on_stack;
	uint64_t stack_off;
	piece *p;
	size_t np, capp;
} slot;

typedef struct grt_layout_abi {
	slot *args, *res;
	size_t nargs, nres;
	uint64_t frame;
} grt_layout_abi;

/* Assigns sig's parameters and results to registers or the stack frame
 * (stack arguments, stack results, then the spill area of register
 * arguments), as the compiler does. */
int grt__make_layout(grt_target *t, const grt_sig *sig, grt_layout_abi *l,
		     gd_err *err);
void grt__layout_free(grt_layout_abi *l);

/* grt_call_sched.c: releases user goroutines held for a call through
 * runtime.schedEnableUser (the goroutine must be back where it was). */
int grt__sched_release_user(grt_scope *s, gd_err *err);

#endif
