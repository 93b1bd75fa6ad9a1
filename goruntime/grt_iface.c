/* Interfaces: the dynamic type (runtime type descriptor -> DWARF type) and
 * the data word. */
#include "grt_internal.h"
#include "grt_value.h"

#include "../dwarf/gdw_type.h"

#include <string.h>

/* runtime.firstmoduledata.types: descriptors are named by their offset
 * from it in DW_AT_go_runtime_type. */
int grt__types_base(grt_target *t, uint64_t *base, gd_err *err)
{
	uint64_t md, off;
	if (grt_sym(t, "runtime.firstmoduledata", &md) < 0)
		return gd_err_set(err, "no runtime.firstmoduledata in the program");
	if (gdw_member_offset(t->dw, "runtime.moduledata", "types", &off, err) < 0)
		return -1;
	return grt__read_u64(t, md + off, base, err);
}

int grt__rtype_type(grt_target *t, uint64_t rtype, gdw_tref *out,
		    gd_err *err)
{
	uint64_t base;
	if (grt__types_base(t, &base, err) < 0)
		return -1;
	if (rtype < base || gdw_type_by_rtype(t->dw, rtype - base, out) < 0)
		return gd_err_set(err, "unknown dynamic type at %#lx",
				  (unsigned long)rtype);
	return 0;
}

/* Whether values of the type are stored directly in the data word. */
int grt__direct_iface(grt_target *t, uint64_t rtype, int *direct,
			gd_err *err)
{
	const char *field = grt__go_minor(t) >= 26 ? "TFlag" : "Kind_";
	const char *tname = "internal/abi.Type";
	uint64_t off;
	/* best effort: the Go 1.22 layout is tried next; its failure is the
	 * one told. */
	if (gdw_member_offset(t->dw, tname, field, &off, NULL) < 0) {
		tname = "runtime._type";
		field = grt__go_minor(t) >= 26 ? "tflag" : "kind";
		if (gdw_member_offset(t->dw, tname, field, &off, err) < 0)
			return -1;
	}
	uint8_t b;
	if (core_read(t->proc, rtype + off, &b, 1, err) < 0)
		return -1;
	*direct = (b & 0x20) != 0;
	return 0;
}

int grt__iface_data(grt_target *t, const grt_value *v, grt_value *out,
		    int *is_nil, gd_err *err)
{
	const gdw_tinfo *ti;
	if (gdw_type_info(t->dw, v->type, &ti, err) < 0)
		return -1;
	uint64_t w[2];
	if (grt_value_read(t, v, 0, w, 16, err) < 0)
		return -1;
	*is_nil = 0;
	if (!w[0]) {
		*is_nil = 1;
		return 0;
	}
	uint64_t rtype = w[0];
	if (!ti->is_iface_empty) {
		/* iface: tab -> itab; the dynamic type sits at itab+8 in
		 * every version (runtime.itab / internal/abi.ITab). */
		if (grt__read_u64(t, w[0] + 8, &rtype, err) < 0)
			return -1;
	}
	gdw_tref dyn;
	if (grt__rtype_type(t, rtype, &dyn, err) < 0)
		return -1;
	int direct;
	if (grt__direct_iface(t, rtype, &direct, err) < 0)
		return -1;
	if (direct) {
		if (grt_value_of_bytes(out, dyn, &w[1], 8) < 0)
			return gd_err_set(err, "out of memory");
		return 0;
	}
	*out = grt_value_at(dyn, w[1]);
	return 0;
}
