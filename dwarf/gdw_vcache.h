/* dwarf/: private cache behind gdw_var.h (gdw_types.c, gdw_var.c). */
#ifndef GDW_VCACHE_H
#define GDW_VCACHE_H

#include "gdw_internal.h"
#include "gdw_var.h"

/* uint64 -> pointer, open addressing (key 0 is never stored: no DIE sits
 * at offset 0). */
typedef struct gdw_u64map {
	uint64_t *keys;
	void **vals;
	size_t cap, n;
} gdw_u64map;

void *gdw__u64_get(const gdw_u64map *m, uint64_t key);
int gdw__u64_put(gdw_u64map *m, uint64_t key, void *val);

typedef struct gdw_rtent {
	uint64_t rtype;
	Dwarf_Off off;
} gdw_rtent;

typedef struct gdw_members {
	gdw_member *m;
	size_t n;
} gdw_members;

typedef struct gdw_globent {
	const char *name;
	Dwarf_Off off;
} gdw_globent;

struct gdw_vcache {
	gdw_u64map tinfo;   /* DIE offset -> gdw_tinfo* */
	gdw_u64map members; /* DIE offset -> gdw_members* */
	int rt_state;
	gdw_rtent *rt;      /* sorted by rtype */
	size_t nrt;
	int glob_state;
	gdw_globent *globs;  /* sorted by name */
	size_t nglobs;
};

struct gdw_vcache *gdw__vcache(gdw_file *f, gd_err *err);
/* DW_AT_type of d as a DIE (follows cross-CU refs). */
int gdw__die_type(Dwarf_Die *d, Dwarf_Die *out);

#endif
