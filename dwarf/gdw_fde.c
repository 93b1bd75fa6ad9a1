/* Canonical frame address from .debug_frame without libdw's CFI search.
 *
 * Why: libdw looks an address up in .debug_frame (which has no search
 * table) by parsing every entry from the start until one covers it,
 * keeping each in a tree: on a 70 MB program the first stackTrace walked
 * 3.8 MB of entries (57 600 FDEs) for main.main, all of it then in godap's
 * RSS.  Go's linker writes one CIE and the FDEs in address order; this
 * file reads the section once, sequentially through a small buffer,
 * keeping the address and offset of every 64th FDE (14 KB for those
 * 57 600), and answers a lookup by reading at most 64 FDEs from the
 * nearest one and running the CFA part of the rules up to pc.
 *
 * Anything outside that shape (entries out of address order, a CIE with
 * an augmentation, a CFA given by an expression, an opcode not known here)
 * makes gdw__fde_cfa answer 1, "ask libdw", which reads the same data. */
#include "gdw_internal.h"
#include "gdw_rd.h"

#include <dwarf.h>
#include <stdlib.h>
#include <string.h>

enum { STRIDE = 64, CHUNK = 64 * 1024, MAX_ENTRY = 64 * 1024 };

typedef struct fde_mark {
	uint64_t lo;  /* initial_location of the FDE */
	uint64_t off; /* its offset in .debug_frame */
} fde_mark;

typedef struct cie_info {
	uint64_t caf;
	int64_t daf;
	uint8_t *init; /* heap copy of the initial instructions */
	size_t ninit;
} cie_info;

struct gdw_fdes {
	int state; /* 1 usable, -1 use libdw */
	uint64_t cie_off; /* the CIE last read (Go writes one) */
	cie_info cie;
	int have_cie;
	uint64_t size; /* of .debug_frame */
	const uint8_t *data; /* the section when it is not in an image */
	fde_mark *marks;
	size_t nmarks;
	uint64_t end_pc; /* the end of the last FDE's range */
};

/* Copies [off, off+n) of .debug_frame. */
static int frame_read(gdw_file *f, const struct gdw_fdes *x, uint64_t off,
		      void *buf, size_t n)
{
	if (off > x->size || n > x->size - off)
		return -1;
	if (x->data) {
		memcpy(buf, x->data + off, n);
		return 0;
	}
	return gdw__image_pread(f, ".debug_frame", off, buf, n);
}

/* One entry's header: 0 ok with *cie (1 CIE, 0 FDE), *cie_ptr, *body
 * (offset of what follows the id) and *next; -1 malformed or 64-bit
 * DWARF (not what Go writes: libdw handles it). */
static int entry_head(const uint8_t *b, size_t avail, uint64_t off,
		      uint64_t *next, int *cie, uint64_t *cie_ptr)
{
	gdw_rd r = {b, b + avail, 0};
	uint64_t len = gdw__rd_u(&r, 4);
	if (r.bad || len >= 0xfffffff0u || len < 4)
		return -1;
	uint64_t id = gdw__rd_u(&r, 4);
	if (r.bad)
		return -1;
	*next = off + 4 + len;
	*cie = id == 0xffffffffu;
	*cie_ptr = id;
	return 0;
}

static void fdes_free(struct gdw_fdes *x)
{
	if (!x)
		return;
	free(x->marks);
	free(x->cie.init);
	free(x);
}

/* The sequential pass: checks the shape and keeps every STRIDE-th FDE. */
static int build(gdw_file *f, struct gdw_fdes *x)
{
	const uint8_t *sec;
	size_t size;
	if (gdw_section(f, ".debug_frame", &sec, &size, NULL) < 0)
		return -1;
	x->size = size;
	x->data = f->img ? NULL : sec;
	uint8_t *buf = malloc(CHUNK);
	if (!buf)
		return -1;
	uint64_t boff = 0, blen = 0; /* what buf holds */
	uint64_t off = 0, last_hi = 0;
	size_t nfde = 0, cap = 0;
	int rc = 0;
	while (off < size && rc == 0) {
		/* An entry header (4 + 4 + 8 + 8 bytes) must be in buf. */
		if (off < boff || off + 24 > boff + blen) {
			size_t n = size - off < CHUNK ? (size_t)(size - off) : CHUNK;
			if (frame_read(f, x, off, buf, n) < 0) {
				rc = -1;
				break;
			}
			boff = off;
			blen = n;
		}
		const uint8_t *b = buf + (off - boff);
		size_t avail = (size_t)(boff + blen - off);
		uint64_t next, cie_ptr;
		int cie;
		if (entry_head(b, avail, off, &next, &cie, &cie_ptr) < 0 ||
		    next > size || next - off > MAX_ENTRY) {
			rc = -1;
			break;
		}
		if (!cie) {
			gdw_rd r = {b + 8, b + avail, 0};
			uint64_t lo = gdw__rd_u(&r, 8), range = gdw__rd_u(&r, 8);
			if (r.bad || lo < last_hi || cie_ptr >= size) {
				rc = -1; /* out of order or overlapping: libdw */
				break;
			}
			last_hi = lo + range;
			if (nfde % STRIDE == 0) {
				if (x->nmarks == cap) {
					size_t nc = cap ? cap * 2 : 256;
					fde_mark *nm = realloc(x->marks, nc * sizeof(*nm));
					if (!nm) {
						rc = -1;
						break;
					}
					x->marks = nm;
					cap = nc;
				}
				x->marks[x->nmarks++] = (fde_mark){lo, off};
			}
			nfde++;
		}
		off = next;
	}
	free(buf);
	x->end_pc = last_hi;
	return rc;
}

static int read_entry(gdw_file *f, const struct gdw_fdes *x, uint64_t off,
		      uint8_t **buf, size_t *len)
{
	uint8_t h[4];
	if (frame_read(f, x, off, h, 4) < 0)
		return -1;
	uint64_t l = (uint64_t)h[0] | (uint64_t)h[1] << 8 |
		     (uint64_t)h[2] << 16 | (uint64_t)h[3] << 24;
	if (l < 4 || l >= 0xfffffff0u || l > MAX_ENTRY)
		return -1;
	*buf = malloc((size_t)l + 4);
	if (!*buf)
		return -1;
	if (frame_read(f, x, off, *buf, (size_t)l + 4) < 0) {
		free(*buf);
		*buf = NULL;
		return -1;
	}
	*len = (size_t)l + 4;
	return 0;
}

/* A CIE as Go writes it: version 1, 3 or 4, no augmentation. */
static int read_cie(gdw_file *f, const struct gdw_fdes *x, uint64_t off,
		    cie_info *c)
{
	uint8_t *b;
	size_t n;
	if (read_entry(f, x, off, &b, &n) < 0)
		return -1;
	gdw_rd r = {b + 8, b + n, 0};
	int rc = -1;
	unsigned ver = (unsigned)gdw__rd_u(&r, 1);
	if (r.bad || (ver != 1 && ver != 3 && ver != 4) || r.p >= r.end || *r.p)
		goto out; /* an augmentation string: libdw */
	r.p++;
	if (ver == 4 && (gdw__rd_u(&r, 1) != 8 || gdw__rd_u(&r, 1) != 0))
		goto out;
	c->caf = gdw__rd_uleb(&r);
	c->daf = gdw__rd_sleb(&r);
	if (ver == 1)
		gdw__rd_u(&r, 1);
	else
		gdw__rd_uleb(&r);
	if (r.bad)
		goto out;
	c->ninit = (size_t)(r.end - r.p);
	c->init = malloc(c->ninit ? c->ninit : 1);
	if (!c->init)
		goto out;
	memcpy(c->init, r.p, c->ninit);
	rc = 0;
out:
	free(b);
	return rc;
}

typedef struct cfa_rule {
	uint64_t reg;
	int64_t off;
	int set;
} cfa_rule;

/* Runs rules until the row holding pc; loc is the first row's address.
 * 0 done, 1 something libdw must do, -1 malformed. */
static int run(const uint8_t *p, const uint8_t *end, const cie_info *c,
	       uint64_t *loc, uint64_t pc, cfa_rule *cfa, cfa_rule *stack,
	       size_t *depth, int *stop)
{
	gdw_rd r = {p, end, 0};
	while (!*stop && r.p < r.end && !r.bad) {
		uint8_t op = *r.p++;
		uint64_t adv = (uint64_t)-1;
		switch (op >> 6) {
		case 1: adv = op & 0x3f; break;
		case 2: gdw__rd_uleb(&r); continue;            /* offset */
		case 3: continue;                      /* restore */
		}
		if (adv == (uint64_t)-1) {
			switch (op) {
			case DW_CFA_nop: continue;
			case DW_CFA_set_loc: {
				uint64_t a = gdw__rd_u(&r, 8);
				if (a > pc)
					*stop = 1;
				else
					*loc = a;
				continue;
			}
			case DW_CFA_advance_loc1: adv = gdw__rd_u(&r, 1); break;
			case DW_CFA_advance_loc2: adv = gdw__rd_u(&r, 2); break;
			case DW_CFA_advance_loc4: adv = gdw__rd_u(&r, 4); break;
			case DW_CFA_offset_extended: case DW_CFA_register:
			case DW_CFA_val_offset:
				gdw__rd_uleb(&r); gdw__rd_uleb(&r); continue;
			case DW_CFA_restore_extended: case DW_CFA_undefined:
			case DW_CFA_same_value: case DW_CFA_GNU_args_size:
				gdw__rd_uleb(&r); continue;
			case DW_CFA_offset_extended_sf: case DW_CFA_val_offset_sf:
			case DW_CFA_GNU_negative_offset_extended:
				gdw__rd_uleb(&r); gdw__rd_sleb(&r); continue;
			case DW_CFA_expression: case DW_CFA_val_expression: {
				gdw__rd_uleb(&r);
				uint64_t l = gdw__rd_uleb(&r);
				if (l > (uint64_t)(r.end - r.p))
					return -1;
				r.p += l;
				continue;
			}
			case DW_CFA_remember_state:
				if (*depth == 8)
					return 1;
				stack[(*depth)++] = *cfa;
				continue;
			case DW_CFA_restore_state:
				if (*depth == 0)
					return -1;
				*cfa = stack[--(*depth)];
				continue;
			case DW_CFA_def_cfa:
				cfa->reg = gdw__rd_uleb(&r);
				cfa->off = (int64_t)gdw__rd_uleb(&r);
				cfa->set = 1;
				continue;
			case DW_CFA_def_cfa_sf:
				cfa->reg = gdw__rd_uleb(&r);
				cfa->off = gdw__rd_sleb(&r) * c->daf;
				cfa->set = 1;
				continue;
			case DW_CFA_def_cfa_register:
				cfa->reg = gdw__rd_uleb(&r);
				continue;
			case DW_CFA_def_cfa_offset:
				cfa->off = (int64_t)gdw__rd_uleb(&r);
				continue;
			case DW_CFA_def_cfa_offset_sf:
				cfa->off = gdw__rd_sleb(&r) * c->daf;
				continue;
			default:
				return 1; /* def_cfa_expression and the unknown */
			}
		}
		uint64_t nl = *loc + adv * c->caf;
		if (nl > pc)
			*stop = 1;
		else
			*loc = nl;
	}
	return r.bad ? -1 : 0;
}

/* The FDE in b covers pc: its CFA at pc. */
static int eval_fde(gdw_file *f, struct gdw_fdes *x, const uint8_t *b,
		    size_t n, uint64_t pc, const uint64_t regs[17],
		    uint64_t *cfa_out)
{
	uint64_t cie_off = (uint64_t)b[4] | (uint64_t)b[5] << 8 |
			   (uint64_t)b[6] << 16 | (uint64_t)b[7] << 24;
	if (!x->have_cie || x->cie_off != cie_off) {
		free(x->cie.init);
		memset(&x->cie, 0, sizeof(x->cie));
		x->have_cie = 0;
		if (read_cie(f, x, cie_off, &x->cie) < 0)
			return 1;
		x->have_cie = 1;
		x->cie_off = cie_off;
	}
	const cie_info c = x->cie;
	gdw_rd r = {b + 8, b + n, 0};
	uint64_t loc = gdw__rd_u(&r, 8);
	gdw__rd_u(&r, 8);
	cfa_rule cfa = {0}, stack[8];
	size_t depth = 0;
	int stop = 0;
	uint64_t cloc = loc;
	int rc = run(c.init, c.init + c.ninit, &c, &cloc, UINT64_MAX, &cfa,
		     stack, &depth, &stop);
	depth = 0; /* the FDE's remember/restore are its own */
	if (rc == 0 && !r.bad)
		rc = run(r.p, r.end, &c, &loc, pc, &cfa, stack, &depth, &stop);
	if (rc != 0 || r.bad || !cfa.set || cfa.reg > 16)
		return 1;
	*cfa_out = regs[cfa.reg] + (uint64_t)cfa.off;
	return 0;
}

int gdw__fde_cfa(gdw_file *f, uint64_t pc, const uint64_t regs[17],
		 uint64_t *cfa)
{
	struct gdw_fdes *x = f->fdes;
	if (!x) {
		x = calloc(1, sizeof(*x));
		if (!x)
			return 1;
		x->state = build(f, x) == 0 && x->nmarks ? 1 : -1;
		if (x->state < 0) {
			free(x->marks);
			x->marks = NULL;
			x->nmarks = 0;
		}
		f->fdes = x;
	}
	if (x->state < 0)
		return 1;
	if (pc < x->marks[0].lo || pc >= x->end_pc)
		return GD_ENOTFOUND; /* no FDE covers it (nor would libdw) */
	size_t lo = 0, hi = x->nmarks; /* last mark with lo <= pc */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (x->marks[mid].lo <= pc)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* The FDE is between this mark and the next: read them at once. */
	uint64_t off = x->marks[lo - 1].off;
	uint64_t end = lo < x->nmarks ? x->marks[lo].off : x->size;
	if (end - off > (uint64_t)STRIDE * MAX_ENTRY)
		return 1;
	uint8_t *w = malloc((size_t)(end - off));
	if (!w)
		return 1;
	int rc = GD_ENOTFOUND; /* in a gap between FDEs: none covers pc */
	if (frame_read(f, x, off, w, (size_t)(end - off)) < 0)
		rc = 1;
	for (size_t at = 0; rc == GD_ENOTFOUND && at + 8 <= end - off;) {
		uint64_t next, cie_ptr;
		int cie;
		if (entry_head(w + at, (size_t)(end - off - at), at, &next, &cie,
			       &cie_ptr) < 0 || next > end - off) {
			rc = 1;
			break;
		}
		size_t n = (size_t)(next - at);
		if (!cie && n >= 24) {
			gdw_rd r = {w + at + 8, w + at + n, 0};
			uint64_t flo = gdw__rd_u(&r, 8), range = gdw__rd_u(&r, 8);
			if (pc < flo)
				break;
			if (pc - flo < range)
				rc = eval_fde(f, x, w + at, n, pc, regs, cfa);
		}
		at = (size_t)next;
	}
	free(w);
	return rc;
}

void gdw__fdes_free(gdw_file *f)
{
	fdes_free(f->fdes);
	f->fdes = NULL;
}
