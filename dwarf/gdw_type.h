/* dwarf/: Go types as DWARF describes them.  Separate from gdw.h because
 * only goruntime's value code needs it.  Lazy: the name -> type DIE index is
 * built on the first lookup. */
#ifndef GDW_TYPE_H
#define GDW_TYPE_H

#include <stdint.h>

#include "gdw.h"

/* Byte offset of a (possibly nested, dot-separated) member path inside the
 * struct named type_name: gdw_member_offset(f, "runtime.g", "sched.pc").
 * Typedefs are looked through. */
int gdw_member_offset(gdw_file *f, const char *type_name, const char *path,
		      uint64_t *off, gd_err *err);
/* 1 if the struct has that member path, else 0. */
int gdw_has_member(gdw_file *f, const char *type_name, const char *path);
int gdw_type_size(gdw_file *f, const char *type_name, uint64_t *size,
		  gd_err *err);

/* A constant of the runtime's CUs (DW_TAG_constant, e.g.
 * "runtime.stackGuard"); GD_ENOTFOUND if absent, -1 if the CUs cannot be
 * read.  Walks those CUs: not for hot paths. */
int gdw_runtime_const(gdw_file *f, const char *name, int64_t *out);

#endif
