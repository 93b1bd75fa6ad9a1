/* The ptrace backend: the process's mappings, from /proc/PID/maps: what writeMemory may touch
 * (a ptrace write goes through any protection, so the debugger must ask)
 * and which objects are loaded (the DAP modules view). */
#include "core_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/gd_array.h"

int live_maps(core_live *p, core_map **out, size_t *n, gd_err *err)
{
	*out = NULL;
	*n = 0;
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/maps", (int)p->pid);
	FILE *f = fopen(path, "re");
	if (!f)
		return gd_err_sys(err, "open %s", path);
	char *line = NULL;
	size_t cap = 0, capv = 0;
	core_map *v = NULL;
	size_t nv = 0;
	int rc = 0;
	while (getline(&line, &cap, f) > 0) {
		unsigned long lo, hi, off;
		char perms[8];
		int pos = 0;
		if (sscanf(line, "%lx-%lx %7s %lx %*s %*s%n", &lo, &hi, perms,
			   &off, &pos) != 4)
			continue;
		if (gd_grow(&v, &capv, nv, sizeof(*v), 32) < 0) {
			rc = gd_err_set(err, "out of memory");
			break;
		}
		core_map *m = &v[nv];
		memset(m, 0, sizeof(*m));
		m->lo = lo;
		m->hi = hi;
		m->offset = off;
		m->read = perms[0] == 'r';
		m->write = perms[1] == 'w';
		m->exec = perms[2] == 'x';
		const char *name = line + pos;
		name += strspn(name, " \t");
		size_t len = strcspn(name, "\n");
		if (len) {
			m->path = strndup(name, len);
			if (!m->path) {
				rc = gd_err_set(err, "out of memory");
				break;
			}
		}
		nv++;
	}
	free(line);
	fclose(f);
	if (rc < 0) {
		core_maps_free(v, nv);
		return rc;
	}
	*out = v;
	*n = nv;
	return 0;
}
