/* dwarf/: Go types, variables and their locations, for the value code in
 * goruntime.  Types are named by the offset of their DIE (gdw_tref); type
 * facts, struct members, the runtime-type index and the globals index are
 * built lazily and cached in the gdw_file.
 *
 * Error convention: common/gd_err.h. */
#ifndef GDW_VAR_H
#define GDW_VAR_H

#include <stddef.h>
#include <stdint.h>

#include "gdw.h"

typedef uint64_t gdw_tref; /* DIE offset of a type; 0 = none */

/* Go's reflect/abi kinds (DW_AT_go_kind numbering). */
typedef enum gdw_kind {
	GDW_K_INVALID = 0,
	GDW_K_BOOL, GDW_K_INT, GDW_K_INT8, GDW_K_INT16, GDW_K_INT32,
	GDW_K_INT64, GDW_K_UINT, GDW_K_UINT8, GDW_K_UINT16, GDW_K_UINT32,
	GDW_K_UINT64, GDW_K_UINTPTR, GDW_K_FLOAT32, GDW_K_FLOAT64,
	GDW_K_COMPLEX64, GDW_K_COMPLEX128, GDW_K_ARRAY, GDW_K_CHAN,
	GDW_K_FUNC, GDW_K_INTERFACE, GDW_K_MAP, GDW_K_PTR, GDW_K_SLICE,
	GDW_K_STRING, GDW_K_STRUCT, GDW_K_UNSAFEPTR,
} gdw_kind;

typedef struct gdw_tinfo {
	gdw_tref ref;     /* the type asked about */
	gdw_tref layout;  /* typedefs looked through: the DIE that describes
			     the bytes (struct, pointer, base, array...) */
	gdw_kind kind;
	const char *name; /* Go spelling ("main.Point", "[]int", "*T");
			     owned by f; "" if none */
	uint64_t size;
	gdw_tref elem;    /* pointer target, array/slice/chan/map element */
	gdw_tref key;     /* map key */
	int64_t count;    /* array length */
	uint64_t rtype;   /* DW_AT_go_runtime_type of the first DIE in the
			     typedef chain that has one; 0 if none */
	int is_iface_empty; /* interface{}-shaped (eface: _type, data) */
	int dict_index;   /* DW_AT_go_dict_index of a generic type parameter
			     (.paramN typedef); -1 if none */
} gdw_tinfo;

/* Facts about a type.  The result is cached and owned by f. */
int gdw_type_info(gdw_file *f, gdw_tref t, const gdw_tinfo **out,
		  gd_err *err);

typedef struct gdw_member {
	const char *name; /* owned by f */
	gdw_tref type;
	uint64_t off;
	int embedded;     /* DW_AT_go_embedded_field */
} gdw_member;

/* Members of a struct type (typedefs looked through), in declaration
 * order.  Cached and owned by f. */
int gdw_type_members(gdw_file *f, gdw_tref t, const gdw_member **out,
		     size_t *n, gd_err *err);
/* Looks a member up by name; NULL if absent (no message). */
const gdw_member *gdw_type_member(gdw_file *f, gdw_tref t, const char *name);

/* A type by its Go name ("int", "main.Point", "*main.Point").
 * GD_ENOTFOUND (no message) if the program has no such type; -1 with a
 * message when the type index cannot be built. */
int gdw_type_by_name(gdw_file *f, const char *name, gdw_tref *out,
		     gd_err *err);
/* The type whose DW_AT_go_runtime_type is off (the descriptor's offset
 * from runtime.types).  The index is built once.  GD_ENOTFOUND if none,
 * -1 if the index cannot be built. */
int gdw_type_by_rtype(gdw_file *f, uint64_t off, gdw_tref *out);

/* ---- variables ---- */
typedef struct gdw_var {
	const char *name; /* owned by f */
	gdw_tref type;
	uint64_t die;     /* the variable's DIE offset */
	uint64_t func_die;/* enclosing subprogram (frame base); 0 = global */
	int is_param;     /* DW_TAG_formal_parameter */
	int is_result;    /* DW_AT_variable_parameter (named or ~rN result) */
	int shadowed;     /* an inner variable of the same name hides it */
	int decl_line;
	int depth;        /* lexical nesting, 0 = function level */
} gdw_var;

/* Parameters, then locals of the (non-inlined) function containing pc
 * (a DWARF address), whose lexical block covers pc and that are declared
 * at or before `line` (0: no line filter).  Sorted as Delve lists them:
 * parameters, then locals by depth (outer first) and declaration line.  Heap array; caller frees.  -1 when pc is in no function. */
int gdw_vars_at(gdw_file *f, uint64_t pc, int line, gdw_var **out,
		size_t *n, gd_err *err);
/* The same for the inlined call inl_die (a DW_TAG_inlined_subroutine
 * containing pc); inl_die 0 is gdw_vars_at. */
int gdw_vars_in(gdw_file *f, uint64_t pc, uint64_t inl_die, int line,
		gdw_var **out, size_t *n, gd_err *err);

/* Package-level variables whose name starts with prefix ("main.");
 * heap array, caller frees. */
int gdw_globals(gdw_file *f, const char *prefix, gdw_var **out, size_t *n,
		gd_err *err);
/* One package variable by full name ("main.counter",
 * "net/http.DefaultClient").  GD_ENOTFOUND (no message) if the program
 * has no such variable; -1 with a message when the index of package
 * variables cannot be built or the variable's DIE read. */
int gdw_global(gdw_file *f, const char *name, gdw_var *out, gd_err *err);

/* ---- locations ---- */
/* DWARF x86-64 register numbers: 0 rax 1 rdx 2 rcx 3 rbx 4 rsi 5 rdi
 * 6 rbp 7 rsp 8-15 r8-r15 16 rip 17-32 xmm0-15. */
enum { GDW_NREGS = 33 };

typedef struct gdw_regs {
	uint64_t r[GDW_NREGS];
	uint64_t valid; /* bit n: r[n] is known */
	uint64_t cfa;   /* the frame's canonical frame address */
	int have_cfa;
} gdw_regs;

typedef enum gdw_piece_kind {
	GDW_P_MEM,   /* size bytes at addr */
	GDW_P_REG,   /* the low size bytes of register reg */
	GDW_P_VALUE, /* DW_OP_stack_value: the bytes of value */
	GDW_P_GONE,  /* no location for this piece */
} gdw_piece_kind;

typedef struct gdw_piece {
	gdw_piece_kind kind;
	uint64_t addr;  /* MEM */
	int reg;        /* REG */
	uint64_t value; /* VALUE */
	uint64_t size;  /* 0: the whole value (a single unsized piece) */
} gdw_piece;

/* Where variable v lives at pc (a DWARF address; for a caller frame pass
 * the return address - 1).  regs gives what is known of the frame.
 * *n == 0 means "optimized away" at this pc.  Heap array; caller frees.
 * Fails when the expression needs a register that is not known. */
int gdw_var_location(gdw_file *f, const gdw_var *v, uint64_t pc,
		     const gdw_regs *regs, gdw_piece **out, size_t *n,
		     gd_err *err);

#endif
