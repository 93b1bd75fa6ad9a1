/* Raw memory for the memory view: reads that stop at the first unreadable
 * page instead of failing, and writes that respect the mapping's
 * protection (ptrace writes would go through a read-only mapping). */
#include "grt_internal.h"
#include "grt_value.h"

#include <string.h>

#define PAGE 4096u

int grt_mem_read(grt_target *t, uint64_t addr, void *buf, size_t len,
		 size_t *got)
{
	*got = 0;
	uint8_t *p = buf;
	while (*got < len) {
		uint64_t a = addr + *got;
		if (a < addr)
			break; /* wrapped past the top of the address space */
		size_t chunk = PAGE - (size_t)(a % PAGE);
		if (chunk > len - *got)
			chunk = len - *got;
		/* core_read_text: the program's bytes, not our int3s.
		 * best effort: reading stops at the first page that cannot
		 * be read; *got says how far it came. */
		if (core_read_text(t->proc, a, p + *got, chunk, NULL) < 0)
			break;
		*got += chunk;
	}
	return 0;
}

int grt_mem_write(grt_target *t, uint64_t addr, const void *buf, size_t len,
		  gd_err *err)
{
	if (len == 0)
		return 0;
	if (addr + len < addr)
		return gd_err_set(err, "0x%llx+%zu is past the end of memory",
				  (unsigned long long)addr, len);
	core_map *maps;
	size_t n;
	if (core_maps(t->proc, &maps, &n, err) < 0)
		return -1;
	/* Every byte must lie in a writable mapping. */
	uint64_t a = addr, end = addr + len;
	int rc = 0;
	while (a < end && rc == 0) {
		const core_map *m = NULL;
		for (size_t i = 0; i < n; i++)
			if (maps[i].lo <= a && a < maps[i].hi) {
				m = &maps[i];
				break;
			}
		if (!m)
			rc = gd_err_set(err, "0x%llx is not mapped",
					(unsigned long long)a);
		else if (!m->write)
			rc = gd_err_set(err, "0x%llx is in a read-only mapping"
					" (%s%s%s %s): not written",
					(unsigned long long)a, m->read ? "r" : "-",
					"-", m->exec ? "x" : "-",
					m->path ? m->path : "anonymous");
		else
			a = m->hi;
	}
	core_maps_free(maps, n);
	if (rc < 0)
		return rc;
	return core_write(t->proc, addr, buf, len, err);
}

/* Where the memory view should open for v: the bytes a pointer, slice or
 * string points at (what the user wants to see), else the value's own
 * storage.  GD_ENOTFOUND when the value is not in memory or points
 * nowhere. */
int grt_value_memref(grt_target *t, const grt_value *v, uint64_t *addr)
{
	if (v->unreadable)
		return GD_ENOTFOUND;
	gdw_kind k = grt_value_kind(t, v);
	if (k == GDW_K_PTR || k == GDW_K_UNSAFEPTR || k == GDW_K_SLICE ||
	    k == GDW_K_STRING) {
		uint64_t p;
		/* best effort: a pointer that cannot be read has no memory
		 * to show (GD_ENOTFOUND). */
		if (grt_value_read(t, v, 0, &p, sizeof(p), NULL) < 0 || p == 0)
			return GD_ENOTFOUND;
		*addr = p;
		return 0;
	}
	if (!v->has_addr)
		return GD_ENOTFOUND;
	*addr = v->addr;
	return 0;
}
