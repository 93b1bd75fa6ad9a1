/* Named types: a name -> DIE index over the top-level DIEs, built as far
 * as the lookups need: the walk goes first over the CUs named "runtime"
 * (Go puts nearly all types there, and the runtime's own, read at
 * start-up, always), then over every other CU, and stops at the first DIE
 * of the name asked for; the next miss goes on from there.  On a big
 * program the runtime's type CU holds every type of the program (5 MB of
 * DIEs for 57 600 types), and runtime.g sits near its start. */
#include "gdw_internal.h"
#include "gdw_type.h"

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <stdlib.h>
#include <string.h>

struct gdw_types {
	gdw_map names; /* type name -> DIE offset (the first one walked) */
	/* Where the walk stands. */
	int phase;        /* 0 runtime CUs, 1 the others, 2 every CU done */
	Dwarf_Off cu_off; /* the CU being walked, or the next to look at */
	Dwarf_Off cu_next;
	int in_cu;        /* die is the next top-level DIE of cu_off */
	Dwarf_Die die;
};

static int is_type_tag(int tag)
{
	switch (tag) {
	case DW_TAG_base_type: case DW_TAG_structure_type:
	case DW_TAG_typedef: case DW_TAG_pointer_type:
	case DW_TAG_array_type: case DW_TAG_subroutine_type:
	case DW_TAG_unspecified_type:
		return 1;
	}
	return 0;
}

/* Moves the walk to the first top-level DIE of the next CU of the phase
 * (or to the next phase).  0 positioned, 1 every CU done. */
static int next_cu(Dwarf *dw, struct gdw_types *t)
{
	while (t->phase < 2) {
		Dwarf_Off next;
		size_t hsize;
		if (dwarf_nextcu(dw, t->cu_off, &next, &hsize, NULL, NULL,
				 NULL) != 0) {
			t->phase++;
			t->cu_off = 0;
			continue;
		}
		Dwarf_Die cu;
		Dwarf_Off at = t->cu_off;
		t->cu_off = next;
		if (!dwarf_offdie(dw, at + hsize, &cu))
			continue;
		const char *n = dwarf_diename(&cu);
		int runtime = n && strcmp(n, "runtime") == 0;
		if (runtime != (t->phase == 0) || dwarf_child(&cu, &t->die) != 0)
			continue;
		t->cu_next = next;
		t->in_cu = 1;
		return 0;
	}
	return 1;
}

/* Walks on, indexing type names, until a DIE named `name` has been
 * indexed or every CU is done.  -1 out of memory. */
static int walk_until(gdw_file *f, struct gdw_types *t, const char *name)
{
	Dwarf *dw = gdw__dwarf(f);
	for (;;) {
		if (!t->in_cu && next_cu(dw, t) != 0)
			return 0;
		Dwarf_Die d = t->die;
		if (dwarf_siblingof(&t->die, &t->die) != 0) {
			t->in_cu = 0;
			t->cu_off = t->cu_next;
		}
		if (!is_type_tag(dwarf_tag(&d)))
			continue;
		const char *n = dwarf_diename(&d);
		if (!n)
			continue;
		if (gdw__map_put(&t->names, n, (size_t)dwarf_dieoffset(&d), 0) < 0)
			return -1;
		if (strcmp(n, name) == 0)
			return 0;
	}
}

static struct gdw_types *types(gdw_file *f, gd_err *err)
{
	struct gdw_types **slot = gdw__types_slot(f);
	if (*slot)
		return *slot;
	struct gdw_types *t = calloc(1, sizeof(*t));
	if (!t) {
		gd_err_set(err, "out of memory");
		return NULL;
	}
	*slot = t;
	return t;
}

void gdw__types_free(struct gdw_types *t)
{
	if (!t)
		return;
	gdw__map_free(&t->names);
	free(t);
}

int gdw__type_die(gdw_file *f, const char *name, Dwarf_Die *out, gd_err *err)
{
	struct gdw_types *t = types(f, err);
	if (!t)
		return -1;
	size_t off;
	if (gdw__map_get(&t->names, name, &off) < 0 &&
	    walk_until(f, t, name) < 0)
		return gd_err_set(err, "out of memory");
	if (gdw__map_get(&t->names, name, &off) < 0)
		return GD_ENOTFOUND;
	if (!dwarf_offdie(gdw__dwarf(f), (Dwarf_Off)off, out))
		return gd_err_set(err, "type %s: cannot read its DIE", name);
	return 0;
}

/* gdw__type_die for the callers that need a type: its absence is their
 * failure, with a message. */
static int need_type_die(gdw_file *f, const char *name, Dwarf_Die *out,
			 gd_err *err)
{
	int rc = gdw__type_die(f, name, out, err);
	if (rc == GD_ENOTFOUND)
		return gd_err_set(err, "type %s not found in the debug info", name);
	return rc;
}

/* Follows typedefs (Go emits `main.T` as a typedef of the struct). */
static int strip_typedefs(Dwarf_Die *d)
{
	for (int i = 0; i < 16 && dwarf_tag(d) == DW_TAG_typedef; i++) {
		Dwarf_Attribute a;
		if (!dwarf_attr(d, DW_AT_type, &a) || !dwarf_formref_die(&a, d))
			return -1;
	}
	return 0;
}

static int find_member(Dwarf_Die *st, const char *name, size_t len,
		       Dwarf_Die *out)
{
	Dwarf_Die c;
	if (dwarf_child(st, &c) != 0)
		return -1;
	do {
		if (dwarf_tag(&c) != DW_TAG_member)
			continue;
		const char *n = dwarf_diename(&c);
		if (n && strlen(n) == len && strncmp(n, name, len) == 0) {
			*out = c;
			return 0;
		}
	} while (dwarf_siblingof(&c, &c) == 0);
	return -1;
}

static int member_walk(gdw_file *f, const char *type_name, const char *path,
		       uint64_t *off, gd_err *err)
{
	Dwarf_Die d;
	if (need_type_die(f, type_name, &d, err) < 0)
		return -1;
	uint64_t total = 0;
	const char *p = path;
	while (*p) {
		const char *dot = strchr(p, '.');
		size_t len = dot ? (size_t)(dot - p) : strlen(p);
		Dwarf_Die m;
		if (strip_typedefs(&d) < 0 || dwarf_tag(&d) != DW_TAG_structure_type ||
		    find_member(&d, p, len, &m) < 0)
			return gd_err_set(err, "%s has no field %s", type_name, path);
		Dwarf_Attribute a;
		Dwarf_Word w = 0;
		if (dwarf_attr(&m, DW_AT_data_member_location, &a) &&
		    dwarf_formudata(&a, &w) != 0)
			return gd_err_set(err, "%s.%s: unsupported member location",
					  type_name, path);
		total += w;
		if (!dot)
			break;
		if (!dwarf_attr(&m, DW_AT_type, &a) || !dwarf_formref_die(&a, &d))
			return gd_err_set(err, "%s.%s: member without a type",
					  type_name, path);
		p = dot + 1;
	}
	*off = total;
	return 0;
}

int gdw_member_offset(gdw_file *f, const char *type_name, const char *path,
		      uint64_t *off, gd_err *err)
{
	return member_walk(f, type_name, path, off, err);
}

int gdw_has_member(gdw_file *f, const char *type_name, const char *path)
{
	uint64_t off;
	/* ignored: a yes/no question (gdw_member_offset tells why not). */
	return member_walk(f, type_name, path, &off, NULL) == 0;
}

int gdw_type_size(gdw_file *f, const char *type_name, uint64_t *size,
		  gd_err *err)
{
	Dwarf_Die d;
	if (need_type_die(f, type_name, &d, err) < 0)
		return -1;
	if (strip_typedefs(&d) < 0)
		return gd_err_set(err, "type %s: broken typedef", type_name);
	int s = dwarf_bytesize(&d);
	if (s < 0)
		return gd_err_set(err, "type %s has no size", type_name);
	*size = (uint64_t)s;
	return 0;
}

struct const_find {
	const char *name;
	int64_t value;
	int found;
};

static int find_const(Dwarf_Die *die, void *ctx)
{
	struct const_find *c = ctx;
	if (dwarf_tag(die) != DW_TAG_constant)
		return 0;
	const char *n = dwarf_diename(die);
	Dwarf_Attribute a;
	Dwarf_Sword v;
	if (!n || strcmp(n, c->name) != 0 ||
	    !dwarf_attr(die, DW_AT_const_value, &a) || dwarf_formsdata(&a, &v) != 0)
		return 0;
	c->value = v;
	c->found = 1;
	return 1;
}

int gdw_runtime_const(gdw_file *f, const char *name, int64_t *out)
{
	struct const_find c = {name, 0, 0};
	if (gdw__each_top_die_in(f, "runtime", 1, find_const, &c) < 0 && !c.found)
		return -1;
	if (!c.found)
		return GD_ENOTFOUND;
	*out = c.value;
	return 0;
}
