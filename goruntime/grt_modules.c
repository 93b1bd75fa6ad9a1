/* The objects mapped into the process (the executable, shared
 * libraries, the vDSO), for the DAP modules view. */
#include "grt_internal.h"

#include <stdlib.h>
#include <string.h>

#include "../common/gd_array.h"

void grt_modules_free(grt_module *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].path);
	free(v);
}

int grt_modules(grt_target *t, grt_module **out, size_t *n, gd_err *err)
{
	*out = NULL;
	*n = 0;
	core_map *maps;
	size_t nm;
	if (core_maps(t->proc, &maps, &nm, err) < 0)
		return -1;
	char *exe = realpath(gdw_path(t->dw), NULL);
	grt_module *v = NULL;
	size_t nv = 0, cap = 0;
	int rc = 0;
	for (size_t i = 0; i < nm && rc == 0; i++) {
		const char *p = maps[i].path;
		/* Files and the vDSO; not the heap, stacks or anonymous memory. */
		if (!p || (p[0] != '/' && strcmp(p, "[vdso]") != 0))
			continue;
		if (p[0] == '/' && strstr(p, " (deleted)"))
			continue;
		size_t k;
		for (k = 0; k < nv; k++)
			if (strcmp(v[k].path, p) == 0)
				break;
		if (k < nv) {
			if (maps[i].lo < v[k].lo)
				v[k].lo = maps[i].lo;
			if (maps[i].hi > v[k].hi)
				v[k].hi = maps[i].hi;
			continue;
		}
		/* Mapped data files (locale archives) are not modules. */
		int is_exe = exe && strcmp(p, exe) == 0;
		int syms = GDW_SYMS_NONE;
		if (p[0] == '/') {
			syms = gdw_elf_syminfo(p);
			if (syms < 0)
				continue;
		}
		if (gd_grow(&v, &cap, nv, sizeof(*v), 8) < 0 ||
		    !(v[nv].path = strdup(p))) {
			rc = gd_err_set(err, "out of memory");
			break;
		}
		v[nv].lo = maps[i].lo;
		v[nv].hi = maps[i].hi;
		v[nv].is_exe = is_exe;
		v[nv].syms = syms;
		nv++;
	}
	free(exe);
	core_maps_free(maps, nm);
	if (rc < 0) {
		grt_modules_free(v, nv);
		return -1;
	}
	*out = v;
	*n = nv;
	return 0;
}
