/* dwarf/: reads a Go ELF binary's symbols, line tables and call-frame info
 * through elfutils (libelf + libdw).  Knows nothing of ptrace or DAP; knows
 * only as much of Go as the DWARF shape requires.
 *
 * Lazy by design: gdw_open() only validates the file and opens libdw; the
 * symbol index, the CU address index, each CU's line table and the CFI are
 * built on the first request that needs them and cached in the gdw_file.
 *
 * Addresses are the ELF's link-time addresses.  PIE load bias is the
 * caller's business (goruntime adds it).
 *
 * Error convention: common/gd_err.h (0 ok, -1 + message). */
#ifndef GDW_H
#define GDW_H

#include <stddef.h>
#include <stdint.h>

#include "../common/gd_err.h"

typedef struct gdw_file gdw_file;

/* Opens and validates.  Distinct messages for: missing file, not readable,
 * not ELF, not x86-64, no DWARF ("... has no DWARF debug info; was it built
 * with -ldflags=-w or stripped?"). */
int gdw_open(gdw_file **out, const char *path, gd_err *err);
void gdw_close(gdw_file *f);

const char *gdw_path(const gdw_file *f);
uint64_t gdw_entry(const gdw_file *f);    /* ELF e_entry */
int gdw_is_pie(const gdw_file *f);        /* ET_DYN */
/* Lowest p_vaddr of the PT_LOAD segments (for computing the PIE bias). */
uint64_t gdw_first_load_vaddr(const gdw_file *f);

/* Raw (decompressed) section bytes, owned by f; -1 if absent.  addr may be
 * NULL. */
int gdw_section(gdw_file *f, const char *name, const uint8_t **data,
		size_t *size, uint64_t *addr);

/* ---- ELF symbols (.symtab) ---- */
/* Exact name lookup ("runtime.allgs", "main.main").  -1 (no message needed)
 * when absent. */
int gdw_sym_lookup(gdw_file *f, const char *name, uint64_t *addr,
		   uint64_t *size);
/* The STT_FUNC symbol whose [value, value+size) holds pc; NULL if none.
 * The returned name is owned by f. */
const char *gdw_sym_func_at(gdw_file *f, uint64_t pc, uint64_t *start,
			    uint64_t *size);

/* The function or data symbol (sized STT_FUNC, else STT_OBJECT) whose
 * range holds addr; NULL if none.  Name owned by f. */
const char *gdw_sym_at(gdw_file *f, uint64_t addr, uint64_t *start);
/* The last sized function symbol that starts below pc (whether or not it
 * reaches pc); NULL if none.  For walking code backwards. */
const char *gdw_sym_func_before(gdw_file *f, uint64_t pc, uint64_t *start,
				uint64_t *size);

/* ---- line tables ---- */
/* File and line of pc (the row whose range holds pc).  -1 if unknown.
 * The returned file name is owned by f. */
int gdw_pc_line(gdw_file *f, uint64_t pc, const char **file, int *line);

typedef struct gdw_line_addrs {
	uint64_t *addrs; /* heap; caller frees with free() */
	size_t n;
	int line; /* the line the addresses really belong to */
} gdw_line_addrs;

/* Breakpoint addresses for path:line.  path is matched against the DWARF
 * file names exactly (absolute paths).  For each distinct function (or
 * inlined instance) that has is_stmt rows on `line`, the lowest such
 * address; an address that is a function's entry is replaced by its body_pc
 * (the func line breaks after the prologue, never in the stack-growth
 * tail).  A line with no code moves forward to the next line of the same
 * file that has code (out->line says which) -- but not past the end of the
 * innermost function (or inlined instance) whose line extent holds the
 * requested line.  addrs are sorted, distinct.  Errors: "PATH: file not
 * found in the program's debug info" / "no code at or after line N". */
int gdw_line_addrs_for(gdw_file *f, const char *path, int line,
		       gdw_line_addrs *out, gd_err *err);
/* 1 if path is a source file of the program, else 0. */
int gdw_has_file(gdw_file *f, const char *path);

/* One is_stmt row of a function's line table (for stepping). */
typedef struct gdw_row {
	uint64_t addr;
	int line;
	int is_stmt;
	int prologue_end;
	const char *file; /* owned by f (added: lines of inlined code may
			     belong to another file) */
} gdw_row;
/* Every row (is_stmt or not; sequence ends excluded) with
 * lowpc <= addr < highpc, sorted by address; heap array the caller frees
 * (NULL when n == 0). */
int gdw_rows_in(gdw_file *f, uint64_t lowpc, uint64_t highpc, gdw_row **rows,
		size_t *n, gd_err *err);

/* ---- functions (DW_TAG_subprogram) ---- */
typedef struct gdw_func {
	const char *name;  /* owned by f; Go spelling: main.(*Server).handle */
	uint64_t lowpc;
	uint64_t highpc;   /* exclusive */
	uint64_t body_pc;  /* first address after the prologue (prologue_end
			      row, else lowpc) */
	const char *decl_file; /* may be NULL */
	int decl_line;
	uint64_t die_offset;   /* for later variable lookup */
} gdw_func;

/* The (non-inlined) subprogram containing pc.  -1 if none. */
int gdw_func_at(gdw_file *f, uint64_t pc, gdw_func *out);
/* Exact name lookup over all subprograms (builds a name index on first
 * use).  -1 if none. */
int gdw_func_by_name(gdw_file *f, const char *name, gdw_func *out);

/* 1 if fn is a compiler-made wrapper (DW_AT_trampoline: method-value,
 * pointer-receiver and ABI wrappers). */
int gdw_func_is_trampoline(gdw_file *f, const gdw_func *fn);

/* Calls cb for every concrete subprogram of the program (loads every CU's
 * function list: meant for name searches, not for hot paths).  cb returns
 * non-zero to stop early. */
int gdw_func_each(gdw_file *f, int (*cb)(const gdw_func *fn, void *ctx),
		  void *ctx, gd_err *err);
/* The inlined calls pc is in, innermost first: each with the inlined
 * function's name and the file and line of its call in the function that
 * encloses it.  Heap array (caller frees), n == 0 outside inlined code. */
typedef struct gdw_inl {
	const char *name;      /* owned by f */
	const char *call_file; /* owned by f; may be NULL */
	int call_line;
	uint64_t die;          /* the DW_TAG_inlined_subroutine */
} gdw_inl;
int gdw_inline_chain(gdw_file *f, uint64_t pc, gdw_inl **out, size_t *n);
/* The inlined instances of the functions whose name match accepts: cb gets
 * each as a gdw_func whose lowpc/body_pc is the instance's entry and whose
 * name and declaration are the abstract function's.  Reads every CU's
 * scopes only when some inlined function matches. */
int gdw_inlined_each(gdw_file *f, int (*match)(const char *name, void *ctx),
		     int (*cb)(const gdw_func *fn, void *ctx), void *ctx,
		     gd_err *err);

/* ---- call frame information (.debug_frame) ---- */
/* Canonical frame address at pc, given the register values of that frame
 * (DWARF x86-64 register numbering: 6 = rbp, 7 = rsp, 16 = rip).  Return
 * address is at cfa - 8 for Go code.  -1 if no CFI covers pc. */
int gdw_cfa(gdw_file *f, uint64_t pc, const uint64_t regs[17],
	    uint64_t *cfa);

#endif
