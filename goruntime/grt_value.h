/* goruntime/: Go values of a stopped process.  A value is a DWARF type
 * plus either an address in the debuggee or the value's own bytes (for
 * values in registers or computed by the evaluator).  Nothing is read
 * before it is needed, and a big slice or map is read only in the range
 * asked for.
 *
 * Display text follows Delve's DAP server (service/dap convertVariable,
 * service/api prettyprint) so vscode-go users see the same thing.
 *
 * Error convention: common/gd_err.h. */
#ifndef GRT_VALUE_H
#define GRT_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "grt.h"
#include "../common/gd_buf.h"
#include "../dwarf/gdw_var.h"
#include "expr/gx.h"

typedef struct grt_value {
	gdw_tref type;
	int has_addr;
	uint64_t addr;   /* when has_addr */
	uint8_t *bytes;  /* the value's bytes (heap, owned): the value itself
			    when !has_addr, else a copy of the memory read
			    ahead (a cache, valid until the process runs) */
	size_t nbytes;
	char *unreadable; /* why it cannot be shown (heap), or NULL */
} grt_value;

void grt_value_free(grt_value *v);
/* Forgets the bytes read ahead of an addressed value (after a write). */
void grt_value_drop_cache(grt_value *v);
int grt_value_copy(grt_value *dst, const grt_value *src);
/* A value at addr / made of the given bytes (copied). */
grt_value grt_value_at(gdw_tref type, uint64_t addr);
int grt_value_of_bytes(grt_value *out, gdw_tref type, const void *b,
		       size_t n);
/* Reads len bytes at offset off of the value. */
int grt_value_read(grt_target *t, const grt_value *v, uint64_t off,
		   void *buf, size_t len, gd_err *err);
gdw_kind grt_value_kind(grt_target *t, const grt_value *v);
/* DAP memoryReference of v (grt_mem.c): what a pointer, slice or string
 * points at, else the value's own address; GD_ENOTFOUND when there is none
 * (not in memory, nil, or a pointer that cannot be read). */
int grt_value_memref(grt_target *t, const grt_value *v, uint64_t *addr);
/* Go type name as Delve prints it ("main.Point", "[]int"); "" if none. */
const char *grt_value_type_name(grt_target *t, const grt_value *v);

/* ---- scopes: one frame of one goroutine ---- */
typedef struct grt_scope {
	grt_target *t;
	uint64_t goid;
	pid_t tid;
	int frame;
	uint64_t pc;     /* runtime address */
	uint64_t dwpc;   /* DWARF address to look things up at */
	int line;
	const char *func; /* owned by the dwarf file */
	uint64_t inl_die; /* a frame of an inlined call: its DIE, else 0 */
	gdw_regs regs;
	/* XMM0-15 (DWARF registers 17-32): the innermost frame only, as Go
	 * keeps no vector register across calls.  Read from xmm_tid when a
	 * variable first needs them (most stops never do): 0 not yet, 1
	 * read, -1 not available. */
	pid_t xmm_tid;
	int xmm_state;
	uint8_t xmm[16][16];
	/* Function calls (grt_call.h): allowed when calls is set (the
	 * debugger layer's driver); else refused with nocalls (static text
	 * saying where calls are allowed) or a default message. */
	const struct grt_call_driver *calls;
	const char *nocalls;
} grt_scope;

/* A condition / log message parsed once per text and kept until grt_close
 * (the target owns *out: do not free).  -1 with the parser's message when
 * the text does not parse (also kept: not parsed again). */
int grt_cond_parsed(grt_target *t, const char *text, const gx_expr **out,
		    gd_err *err);
int grt_logmsg_parsed(grt_target *t, const char *text, const gx_logmsg **out,
		      gd_err *err);

/* Opens frame `frame` of goroutine goid (or of thread tid when goid is 0:
 * frame 0 of a thread then reads nothing but its registers, which is how a
 * breakpoint condition is evaluated without reading any goroutine). */
int grt_scope_open(grt_target *t, uint64_t goid, pid_t tid, int frame,
		   grt_scope *out, gd_err *err);

typedef struct grt_var {
	char *name;      /* heap */
	grt_value v;
	int is_arg;      /* parameter or result */
	int shadowed;
} grt_var;

/* Arguments then locals of the scope (compiler temporaries and the
 * generic dictionary hidden; ~rN results shown). */
int grt_scope_vars(grt_scope *s, grt_var **out, size_t *n, gd_err *err);
/* Package variables of the scope's package, names without the package
 * prefix; *pkg receives the package (heap). */
int grt_scope_globals(grt_scope *s, char **pkg, grt_var **out, size_t *n,
		      gd_err *err);
void grt_vars_free(grt_var *v, size_t n);
/* The package of the scope's function ("main", "net/http"; heap), or
 * NULL. */
char *grt_scope_package(const grt_scope *s);
/* One variable by name: locals (innermost wins) then, for "pkg.name",
 * package globals; -1 with "could not find symbol value for x". */
int grt_scope_lookup(grt_scope *s, const char *name, grt_value *out,
		     gd_err *err);

/* ---- completions (grt_complete.c) ---- */
typedef struct grt_completion {
	char *label;      /* heap: the word to put in place of what was typed
			     after the last '.' (or the whole word) */
	const char *type; /* DAP CompletionItemType: "variable", "field",
			     "method", "function", "module" */
} grt_completion;
/* What may complete text at cursor (a byte offset) in scope s: locals,
 * arguments, the package's globals and package names; after "x.", x's
 * fields and methods, or package x's exported functions and globals.
 * Each label starts with what was typed; none is listed twice. */
int grt_complete(grt_scope *s, const char *text, size_t cursor,
		 grt_completion **out, size_t *n, gd_err *err);
void grt_completions_free(grt_completion *v, size_t n);

/* ---- display ---- */
/* How much of a value a text shows (Delve's load configuration). */
typedef struct grt_fmtlim {
	uint64_t max_string; /* bytes of a string, and of a []byte's string() */
	uint64_t max_array;  /* elements of an array, slice or map */
	int max_depth;       /* levels of nesting shown inside one text */
	size_t cut;          /* an expandable value's text is cut here (0 never) */
	size_t max_text;     /* a list stops growing the text past this */
} grt_fmtlim;
/* The limits for a DAP evaluate context: NULL, "variables" and "watch"
 * get the session's (grt_set_limits; Delve's 512-byte strings and 64
 * elements by default), one level, texts of expandable values cut at 256;
 * "hover" and "repl" strings of at least 4096 bytes; "clipboard" the whole
 * value up to 1 MiB. */
grt_fmtlim grt_fmtlim_of(const grt_target *t, const char *context);
/* The single-line text Delve shows for a top-level value. */
int grt_format_lim(grt_target *t, const grt_fmtlim *L, const grt_value *v,
		   gd_buf *out);
/* grt_format_lim with the defaults. */
int grt_format(grt_target *t, const grt_value *v, gd_buf *out);

typedef enum grt_child_kind {
	GRT_CH_FIELD,   /* struct field, complex part, chan field: name */
	GRT_CH_INDEX,   /* array/slice element [i] */
	GRT_CH_MAPENT,  /* map entry: key + v */
	GRT_CH_DEREF,   /* pointer target (name "") */
	GRT_CH_IFACE,   /* interface data (name "data") */
} grt_child_kind;

typedef struct grt_child {
	grt_child_kind kind;
	char *name;      /* heap: field name, "[3]", "", "data" */
	uint64_t index;  /* INDEX / MAPENT: position */
	grt_value v;
	grt_value key;   /* MAPENT */
	int embedded;
} grt_child;

/* How many children v has: indexed (array/slice/map entries) and named
 * (fields...).  Cheap: never walks a map. */
int grt_child_counts(grt_target *t, const grt_value *v, uint64_t *indexed,
		     uint64_t *named, gd_err *err);
/* 1 if the client may expand v. */
int grt_expandable(grt_target *t, const grt_value *v);
/* Children [start, start+count) (count 0: all).  Heap array. */
int grt_children(grt_target *t, const grt_value *v, uint64_t start,
		 uint64_t count, grt_child **out, size_t *n, gd_err *err);
void grt_children_free(grt_child *c, size_t n);

/* Delve's metadata children of lists and maps: "len()" of a non-empty
 * map, "string()" of a non-empty []byte/[]rune (or array).  1 and the
 * variable's name/text when v has one, else 0. */
int grt_meta_child(grt_target *t, const grt_fmtlim *L, const grt_value *v,
		   const char **name, gd_buf *text, const char **type);

/* ---- scalars ---- */
/* For bool, integer, float kinds (and pointers as integers). */
int grt_value_int(grt_target *t, const grt_value *v, int64_t *i,
		  uint64_t *u, double *f, gd_err *err);

/* ---- evaluation (grt_eval.c) ---- */
/* Evaluates a parsed expression in the scope. */
int grt_eval(grt_scope *s, const gx_expr *e, grt_value *out, gd_err *err);
/* For breakpoint conditions: the expression must be a bool. */
int grt_eval_bool(grt_scope *s, const gx_expr *e, bool *out, gd_err *err);
/* For logpoints: the display text of the value. */
int grt_eval_text(grt_scope *s, const gx_expr *e, const grt_fmtlim *L,
		  gd_buf *out, gd_err *err);
/* lhs = rhs (Go assignment rules for bool, numbers, runes, pointers). */
int grt_assign(grt_scope *s, const gx_expr *lhs, const char *rhs,
	       gd_err *err);
/* lhs = rhs, *out the value assigned to (caller frees).  m[k] = v goes
 * through the runtime's map code (new keys too); strings and other values
 * that need memory in the program are made with function calls, so the
 * scope must allow them. */
int grt_assign_expr(grt_scope *s, const gx_expr *lhs, const char *rhs,
		    grt_value *out, gd_err *err);
/* Stores into an addressable value. */
int grt_value_set(grt_scope *s, const grt_value *dst, const char *rhs,
		  gd_err *err);

/* ---- internals shared by grt_value/format/map/iface/eval ---- */
int grt__deref(grt_target *t, const grt_value *p, grt_value *out,
	       gd_err *err);
int grt__field(grt_target *t, const grt_value *v, const char *name,
	       grt_value *out, gd_err *err);
int grt__iface_data(grt_target *t, const grt_value *v, grt_value *out,
		    int *is_nil, gd_err *err);
int grt__map_len(grt_target *t, const grt_value *m, uint64_t *len,
		 gd_err *err);
/* Calls fn for map entries [start, start+count) in memory order. */
typedef int (*grt_map_fn)(void *ctx, uint64_t i, const grt_value *k,
			  const grt_value *v);
int grt__map_iter(grt_target *t, const grt_value *m, uint64_t start,
		  uint64_t count, grt_map_fn fn, void *ctx, gd_err *err);
int grt__go_minor(grt_target *t);
/* runtime.firstmoduledata.types (type descriptors are offsets from it). */
int grt__types_base(grt_target *t, uint64_t *base, gd_err *err);
/* Whether values of runtime type rtype sit in an interface's data word. */
int grt__direct_iface(grt_target *t, uint64_t rtype, int *direct,
		      gd_err *err);
/* The DWARF type of a runtime type descriptor address. */
int grt__rtype_type(grt_target *t, uint64_t rtype, gdw_tref *out,
		    gd_err *err);

#endif
