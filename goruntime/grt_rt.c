#include "grt_internal.h"
#include "../common/gd_array.h"
#include "../dwarf/gdw_type.h"

#include <elf.h>
#include <stdlib.h>
#include <string.h>

int grt__read_u64(grt_target *t, uint64_t addr, uint64_t *v, gd_err *err)
{
	return core_read(t->proc, addr, v, sizeof(*v), err);
}

/* The version string from .go.buildinfo: a 32-byte header ("\xff Go
 * buildinf:", pointer size, flags), then with flag 2 (Go 1.18+) a
 * uvarint-prefixed version string. */
static void read_version(grt_target *t)
{
	const uint8_t *d;
	size_t n;
	uint64_t addr;
	t->version[0] = '\0';
	if (gdw_section(t->dw, ".go.buildinfo", &d, &n, &addr) < 0 || n < 33)
		return;
	if (memcmp(d, "\xff Go buildinf:", 14) != 0 || !(d[15] & 2))
		return;
	uint64_t len = 0;
	size_t i = 32;
	for (int shift = 0; i < n && shift < 64; shift += 7) {
		len |= (uint64_t)(d[i] & 0x7f) << shift;
		if (!(d[i++] & 0x80))
			break;
	}
	if (len == 0 || len >= sizeof(t->version) || i + len > n)
		return;
	memcpy(t->version, d + i, len);
	t->version[len] = '\0';
}

static int member(grt_target *t, const char *type, const char *path,
		  uint64_t *off, gd_err *err)
{
	if (gdw_member_offset(t->dw, type, path, off, err) < 0)
		return gd_err_wrap(err, "reading the Go runtime layout");
	return 0;
}

static int read_layout(grt_target *t, gd_err *err)
{
	grt_layout *L = &t->L;
	if (gdw_type_size(t->dw, "runtime.g", &L->g_size, err) < 0)
		return gd_err_wrap(err, "reading the Go runtime layout");
	if (member(t, "runtime.g", "stack.lo", &L->g_stack_lo, err) < 0 ||
	    member(t, "runtime.g", "stack.hi", &L->g_stack_hi, err) < 0 ||
	    member(t, "runtime.g", "m", &L->g_m, err) < 0 ||
	    member(t, "runtime.g", "sched.pc", &L->g_sched_pc, err) < 0 ||
	    member(t, "runtime.g", "sched.sp", &L->g_sched_sp, err) < 0 ||
	    member(t, "runtime.g", "sched.bp", &L->g_sched_bp, err) < 0 ||
	    member(t, "runtime.g", "syscallsp", &L->g_syscallsp, err) < 0 ||
	    member(t, "runtime.g", "syscallpc", &L->g_syscallpc, err) < 0 ||
	    member(t, "runtime.g", "atomicstatus", &L->g_atomicstatus, err) < 0 ||
	    member(t, "runtime.g", "goid", &L->g_goid, err) < 0 ||
	    member(t, "runtime.g", "waitreason", &L->g_waitreason, err) < 0 ||
	    member(t, "runtime.g", "startpc", &L->g_startpc, err) < 0 ||
	    member(t, "runtime.g", "gopc", &L->g_gopc, err) < 0 ||
	    member(t, "runtime.m", "curg", &L->m_curg, err) < 0 ||
	    member(t, "runtime.m", "procid", &L->m_procid, err) < 0 ||
	    member(t, "runtime.g", "lockedm", &L->g_lockedm, err) < 0 ||
	    member(t, "runtime.m", "g0", &L->m_g0, err) < 0 ||
	    member(t, "runtime.m", "id", &L->m_id, err) < 0 ||
	    member(t, "runtime.m", "incgo", &L->m_incgo, err) < 0)
		return -1;
	/* syscallbp exists from Go 1.23 on. */
	L->has_syscallbp = gdw_has_member(t->dw, "runtime.g", "syscallbp");
	if (L->has_syscallbp &&
	    member(t, "runtime.g", "syscallbp", &L->g_syscallbp, err) < 0)
		return -1;
	L->has_runningcleanups =
		gdw_has_member(t->dw, "runtime.g", "runningCleanups");
	if (L->has_runningcleanups &&
	    member(t, "runtime.g", "runningCleanups", &L->g_runningcleanups,
		   err) < 0)
		return -1;
	return 0;
}

int grt_open(grt_target **out, gdw_file *f, core_proc *p, gd_err *err)
{
	*out = NULL;
	grt_target *t = calloc(1, sizeof(*t));
	if (!t)
		return gd_err_set(err, "out of memory");
	t->dw = f;
	t->proc = p;
	t->max_string = GRT_DEFAULT_MAX_STRING;
	t->max_array = GRT_DEFAULT_MAX_ARRAY;
	if (gdw_is_pie(f)) {
		uint64_t entry;
		if (core_auxv(p, AT_ENTRY, &entry, err) < 0) {
			free(t);
			return gd_err_wrap(err, "computing the PIE load address");
		}
		t->bias = entry - gdw_entry(f);
	}
	read_version(t);
	uint64_t size;
	if (gdw_sym_lookup(f, "runtime.allgs", &t->allgs_addr, &size) < 0 ||
	    gdw_sym_lookup(f, "runtime.allglen", &t->allglen_addr, &size) < 0) {
		free(t);
		return gd_err_set(err, "%s does not look like a Go program "
				  "(no runtime.allgs symbol)", gdw_path(f));
	}
	t->allgs_addr += t->bias;
	t->allglen_addr += t->bias;
	if (gdw_sym_lookup(f, "runtime.clone", &t->clone_lo, &size) == 0)
		t->clone_hi = t->clone_lo + size;
	if (gdw_sym_lookup(f, "runtime.fingStatus", &t->fingstatus_addr,
			   &size) == 0)
		t->fingstatus_addr += t->bias;
	if (read_layout(t, err) < 0) {
		free(t);
		return -1;
	}
	*out = t;
	return 0;
}

void grt_close(grt_target *t)
{
	if (!t)
		return;
	free(t->gs);
	free(t->byid);
	for (size_t i = 0; i < t->nwaitreasons; i++)
		free(t->waitreasons[i]);
	free(t->waitreasons);
	for (size_t i = 0; i < t->ncnames; i++)
		free(t->cnames[i]);
	free(t->cnames);
	grt__parsed_free(t);
	grt__gnames_free(t);
	free(t);
}

const char *grt__intern(grt_target *t, const char *name)
{
	for (size_t i = 0; i < t->ncnames; i++)
		if (strcmp(t->cnames[i], name) == 0)
			return t->cnames[i];
	if (gd_grow(&t->cnames, &t->capcnames, t->ncnames, sizeof(*t->cnames),
		    16) < 0)
		return NULL;
	char *copy = strdup(name);
	if (!copy)
		return NULL;
	t->cnames[t->ncnames++] = copy;
	return copy;
}

gdw_file *grt_dwarf(grt_target *t) { return t->dw; }
core_proc *grt_core(grt_target *t) { return t->proc; }
uint64_t grt_bias(const grt_target *t) { return t->bias; }
const char *grt_go_version(const grt_target *t) { return t->version; }

void grt_invalidate(grt_target *t)
{
	t->gs_valid = 0;
	t->gnames_valid = 0;
	t->generation++;
}

uint64_t grt_generation(const grt_target *t) { return t->generation; }

int grt_sym(grt_target *t, const char *name, uint64_t *addr)
{
	uint64_t size;
	if (gdw_sym_lookup(t->dw, name, addr, &size) < 0)
		return -1;
	*addr += t->bias;
	return 0;
}

void grt_set_limits(grt_target *t, uint64_t max_string, uint64_t max_array)
{
	t->max_string = max_string ? max_string : GRT_DEFAULT_MAX_STRING;
	t->max_array = max_array ? max_array : GRT_DEFAULT_MAX_ARRAY;
}

void grt_limits(const grt_target *t, uint64_t *max_string, uint64_t *max_array)
{
	*max_string = t->max_string;
	*max_array = t->max_array;
}
