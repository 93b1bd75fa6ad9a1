/* dwarf/: private state shared by the gdw_*.c files.  Not for other modules. */
#ifndef GDW_INTERNAL_H
#define GDW_INTERNAL_H

#include "gdw.h"

#include <elfutils/libdw.h>
#include <libelf.h>
#include <stdint.h>

/* ---- string -> size_t map (gdw_map.c); keys are not copied ---- */
typedef struct gdw_map_ent {
	const char *key;
	size_t val;
} gdw_map_ent;

typedef struct gdw_map {
	gdw_map_ent *tab; /* open addressing, power-of-two capacity */
	size_t cap, n;
} gdw_map;

/* Inserts key (keeps the existing value if key is present and !replace).
 * 0 ok, -1 out of memory. */
int gdw__map_put(gdw_map *m, const char *key, size_t val, int replace);
/* Room for n keys without growing.  0 ok, -1 out of memory. */
int gdw__map_reserve(gdw_map *m, size_t n);
/* 0 and *val if present, GD_ENOTFOUND if absent (it cannot fail). */
int gdw__map_get(const gdw_map *m, const char *key, size_t *val);
void gdw__map_free(gdw_map *m);

/* ---- symbols (gdw_sym.c) ---- */
typedef struct gdw_sym {
	const char *name; /* owned by libelf */
	uint64_t value, size;
	unsigned char type; /* STT_* */
} gdw_sym;

typedef struct gdw_symref {
	uint64_t value, size;
	size_t sym; /* index into gdw_file.syms */
} gdw_symref;

/* ---- one line-table row (gdw_cu.c loads them) ---- */
typedef struct gdw_lrow {
	uint64_t addr;
	const char *file; /* owned by libdw */
	int line;
	uint8_t is_stmt, prologue_end, end_seq;
} gdw_lrow;

/* ---- a concrete subprogram (gdw_func.c) ---- */
typedef struct gdw_abstract {
	const char *name; /* owned by libdw */
	Dwarf_Off off;
} gdw_abstract;

typedef struct gdw_cfunc {
	const char *name; /* owned by libdw (inline DW_FORM_string) */
	uint64_t lowpc, highpc;
	uint64_t body_pc;       /* valid when body_done */
	const char *decl_file;  /* valid when body_done */
	Dwarf_Off off;
	int decl_line;
	int body_done;
} gdw_cfunc;

/* A code scope for breakpoint grouping: a concrete subprogram or one
 * inlined instance (gdw_scope.c). */
typedef struct gdw_scope {
	Dwarf_Off off;
	int decl_line;
	int is_inline;
	int decl_done;
	const char *decl_file; /* valid when decl_done; may be NULL */
	Dwarf_Off origin;      /* inlined: the abstract subprogram */
	uint64_t entry;        /* inlined: where the instance starts */
	size_t parent;         /* enclosing scope's index, (size_t)-1 at top */
} gdw_scope;

/* Flattened, non-overlapping address -> innermost scope map. */
typedef struct gdw_seg {
	uint64_t lo, hi;
	size_t scope;
} gdw_seg;

typedef struct gdw_cu {
	Dwarf_Off off; /* offset of the CU DIE */
	int version;
	/* Read once by the CU walk, so that nothing else has to go back to
	 * every CU's DIE (on a big program the pages touched would stay in
	 * godap's RSS). */
	char *name;        /* heap; NULL if none */
	char *comp_dir;    /* heap; NULL if none */
	Dwarf_Word stmt_list;
	int has_stmt_list;

	int lines_state; /* 0 not loaded, 1 loaded, -1 failed */
	gdw_lrow *rows;  /* sorted by address (end_seq first at a tie) */
	size_t nrows;

	int funcs_state;
	gdw_cfunc *funcs; /* sorted by lowpc */
	size_t nfuncs;
	/* Abstract (inlined-only) subprograms: names and DIE offsets. */
	gdw_abstract *abstracts;
	size_t nabstracts;

	/* Built with -l (DW_AT_producer): nothing inlined in it, so no
	 * inlined instance to look for.  0 not read, 1 yes, -1 no. */
	int noinline;

	int scopes_state;
	gdw_scope *scopes;
	size_t nscopes;
	gdw_seg *segs; /* sorted by lo */
	size_t nsegs;
} gdw_cu;

typedef struct gdw_curange {
	uint64_t lo, hi;
	size_t cu;
} gdw_curange;

/* One source file of the program and the CUs whose line tables name it. */
typedef struct gdw_srcfile {
	char *name; /* heap */
	size_t *cus;
	size_t ncus, cap;
} gdw_srcfile;

struct gdw_types; /* gdw_type.c */
typedef struct gdw_image gdw_image; /* gdw_image.c */
struct gdw_fdes; /* gdw_fde.c */
struct gdw_vcache; /* gdw_types.c: type facts, members, variables */

struct gdw_file {
	char *path;
	int fd;
	Elf *elf;
	Dwarf *dw;        /* over img's Elf when there is one, else over elf */
	gdw_image *img;   /* decompressed debug sections; NULL: none */
	struct gdw_fdes *fdes; /* .debug_frame index (gdw_fde.c) */
	uint64_t entry;
	int pie;
	uint64_t first_load;

	/* symbols */
	int syms_state;
	gdw_sym *syms; /* every named, defined symbol */
	size_t nsyms;
	gdw_map sym_names; /* name -> index into syms */
	gdw_symref *funcs_by_addr; /* sized STT_FUNC symbols by address */
	size_t nfuncs_by_addr;
	gdw_symref *objs_by_addr; /* sized STT_OBJECT symbols by address */
	size_t nobjs_by_addr;

	/* compile units */
	int cus_state;
	gdw_cu *cus;
	size_t ncus;
	gdw_curange *ranges; /* sorted by lo */
	size_t nranges;

	/* source file -> CUs */
	int files_state;
	gdw_srcfile *files;
	size_t nfiles;
	gdw_map file_names; /* name -> index into files */

	/* function name index: value = cu << 32 | func index */
	int fnames_state;
	gdw_map func_names;

	struct gdw_types *types;
	struct gdw_vcache *vcache;
};

/* gdw_file.c */
Dwarf *gdw__dwarf(gdw_file *f);
/* Calls fn on the top-level DIEs of every CU (the children of each CU
 * DIE), in file order, and stops at the first non-zero return, which it
 * returns.  Each index built on it (names of types, runtime types,
 * globals) does its own pass when first needed, so start-up reads only
 * what it asks for. */
/* The same over the CUs named cu_name (want 1) or the others (want 0). */
int gdw__each_top_die_in(gdw_file *f, const char *cu_name, int want,
			 int (*fn)(Dwarf_Die *die, void *ctx), void *ctx);
int gdw__each_top_die(gdw_file *f, int (*fn)(Dwarf_Die *die, void *ctx),
		      void *ctx);
struct gdw_types **gdw__types_slot(gdw_file *f);

/* gdw_types.c */
void gdw__vcache_free(struct gdw_vcache *c);

/* gdw_type.c */
void gdw__types_free(struct gdw_types *t);
/* The DIE of the type named name: 0, GD_ENOTFOUND (no message) when the
 * program has no such type, -1 with a message when the index cannot be
 * built or the DIE read. */
int gdw__type_die(gdw_file *f, const char *name, Dwarf_Die *out,
		  gd_err *err);

/* gdw_sym.c */
void gdw__syms_free(gdw_file *f);
/* Calls cb on every sized function symbol, by address, until it answers
 * non-zero.  GD_ENOTFOUND when the file has none, -1 when the symbol
 * table cannot be read. */
int gdw_sym_funcs_each(gdw_file *f,
		       int (*cb)(const char *name, uint64_t addr, void *ctx),
		       void *ctx);

/* gdw_cu.c */
int gdw__cus_load(gdw_file *f, gd_err *err);
/* The CU whose ranges hold pc; NULL if none. */
gdw_cu *gdw__cu_for_pc(gdw_file *f, uint64_t pc);
/* 1 when the CU was compiled with -l (nothing inlined in it). */
int gdw__cu_noinline(gdw_file *f, gdw_cu *cu);
int gdw__cu_die(gdw_file *f, const gdw_cu *cu, Dwarf_Die *out,
		gd_err *err);
int gdw__cu_lines(gdw_file *f, gdw_cu *cu, gd_err *err);
/* Index of the first row with addr >= pc (nrows if none). */
size_t gdw__rows_lower(const gdw_cu *cu, uint64_t pc);
void gdw__cus_free(gdw_file *f);

/* gdw_func.c */
int gdw__cu_funcs(gdw_file *f, gdw_cu *cu, gd_err *err);
/* Fills body_pc/decl_file of fn (needs the CU's lines). */
void gdw__func_finish(gdw_file *f, gdw_cu *cu, gdw_cfunc *fn);
void gdw__funcs_free(gdw_file *f);

/* gdw_scope.c */
int gdw__cu_scopes(gdw_file *f, gdw_cu *cu, gd_err *err);
/* Innermost scope holding pc, or (size_t)-1. */
size_t gdw__scope_at(const gdw_cu *cu, uint64_t pc);
const char *gdw__scope_decl_file(gdw_file *f, gdw_scope *s);

/* gdw_image.c: the debug sections decompressed into an unlinked file.
 * image_open: 0 and f->img, f->dw set; 1 when not used (the caller opens
 * libdw over f->elf); -1 failed. */
int gdw__image_open(gdw_file *f, gd_err *err);
/* Makes sure the section (if in the image) is there before libdw reads
 * it: the call-frame and location-list sections are inflated on their
 * first use.  0 ok (or not in the image), -1 it cannot be read. */
int gdw__image_need(gdw_file *f, const char *name);
/* A section of the image: GD_ENOTFOUND when the image has none of it. */
int gdw__image_section(gdw_file *f, const char *name, const uint8_t **data,
		       size_t *size);
void gdw__image_free(gdw_file *f);
/* Tells the kernel that the mapped pages of the section below offset
 * `upto` are not needed now (a walk is past them): they leave godap's RSS
 * and come back from the page cache if read again.  No-op without an
 * image. */
void gdw__image_release(gdw_file *f, const char *name, uint64_t upto);
/* Copies n bytes of the section at off into buf without mapping them:
 * 0 ok, -1 out of the section or unreadable. */
int gdw__image_pread(gdw_file *f, const char *name, uint64_t off, void *buf,
		     size_t n);

/* gdw_fde.c: the CFA at pc from .debug_frame read by godap: 0 ok,
 * GD_ENOTFOUND no FDE covers pc, 1 not in the shape it reads (ask libdw). */
int gdw__fde_cfa(gdw_file *f, uint64_t pc, const uint64_t regs[17],
		 uint64_t *cfa);
void gdw__fdes_free(gdw_file *f);

/* gdw_lhdr.c: source files named by each CU's line-program header. */
int gdw__files_load(gdw_file *f, gd_err *err);
void gdw__files_free(gdw_file *f);

#endif
