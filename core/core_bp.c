#include "core_internal.h"
#include "../common/gd_array.h"

#include <stdlib.h>
#include <unistd.h>

core_bp *core__bp(const core_live *p, uint64_t addr)
{
	for (size_t i = 0; i < p->nbps; i++)
		if (p->bps[i].addr == addr)
			return &p->bps[i];
	return NULL;
}

int live_bp_has(const core_live *p, uint64_t addr)
{
	return core__bp(p, addr) != NULL;
}

int live_bp_add(core_live *p, uint64_t addr, gd_err *err)
{
	core_bp *bp = core__bp(p, addr);
	if (bp && bp->refs == 0 && bp->kprog) {
		/* A uprobe here: every hit must now be seen, so the int3
		 * takes over until it goes. */
		if (core__kbp_attach(p, bp, 0, err) < 0)
			return -1;
		if (core__poke_byte(p, addr, 0xCC, err) < 0)
			return gd_err_wrap(err, "breakpoint at %#lx", (unsigned long)addr);
	}
	if (bp) {
		bp->refs++;
		return 0;
	}
	uint8_t orig;
	if (live_read(p, addr, &orig, 1, err) < 0)
		return gd_err_wrap(err, "breakpoint at %#lx", (unsigned long)addr);
	if (gd_grow(&p->bps, &p->capbps, p->nbps, sizeof(*p->bps), 32) < 0)
		return gd_err_set(err, "out of memory");
	if (core__poke_byte(p, addr, 0xCC, err) < 0)
		return gd_err_wrap(err, "breakpoint at %#lx", (unsigned long)addr);
	p->bps[p->nbps++] = (core_bp){.addr = addr, .orig = orig, .refs = 1,
				      .perf_fd = -1};
	return 0;
}

int live_bp_del(core_live *p, uint64_t addr, gd_err *err)
{
	core_bp *bp = core__bp(p, addr);
	if (!bp)
		return 0;
	if (bp->refs == 0)
		return 0; /* only a kernel condition: live_kbp_del */
	if (--bp->refs > 0)
		return 0;
	int rc = core__poke_byte(p, addr, bp->orig, err);
	if (bp->kprog) {
		/* The int3 goes, the kernel condition comes back. */
		if (rc == 0)
			rc = core__kbp_attach(p, bp, 1, err);
		return rc;
	}
	*bp = p->bps[--p->nbps];
	return rc;
}
