/* Source file -> CUs map, read from the line-program *headers* only (the
 * file tables), so that finding which CUs mention a file does not decode
 * every CU's line program.  File names are built the way libdw builds
 * them (absolute names as is, relative ones joined to their directory), so
 * they compare equal to what dwarf_linesrc() returns.  A header this
 * parser does not understand falls back to dwarf_getsrcfiles(). */
#include "gdw_internal.h"
#include "gdw_rd.h"
#include "../common/gd_array.h"

#include <dwarf.h>
#include <stdlib.h>
#include <string.h>

typedef struct strsec {
	const uint8_t *data;
	size_t size;
} strsec;

typedef struct ctx {
	gdw_file *f;
	size_t cu;
	strsec line_str, str;
} ctx;

static const char *str_at(const strsec *s, uint64_t off)
{
	if (!s->data || off >= s->size || !memchr(s->data + off, 0, s->size - off))
		return NULL;
	return (const char *)s->data + off;
}

static int add_file(gdw_file *f, size_t cu, const char *dir, const char *name)
{
	char *full;
	if (name[0] == '/' || !dir) {
		full = strdup(name);
	} else {
		size_t dl = strlen(dir), nl = strlen(name);
		full = malloc(dl + nl + 2);
		if (full) {
			memcpy(full, dir, dl);
			full[dl] = '/';
			memcpy(full + dl + 1, name, nl + 1);
		}
	}
	if (!full)
		return -1;
	size_t idx;
	if (gdw__map_get(&f->file_names, full, &idx) == 0) {
		free(full);
	} else {
		gdw_srcfile *nf = realloc(f->files, (f->nfiles + 1) * sizeof(*nf));
		if (!nf) {
			free(full);
			return -1;
		}
		f->files = nf;
		idx = f->nfiles;
		f->files[idx] = (gdw_srcfile){.name = full};
		f->nfiles++;
		if (gdw__map_put(&f->file_names, full, idx, 0) < 0)
			return -1;
	}
	gdw_srcfile *s = &f->files[idx];
	if (s->ncus && s->cus[s->ncus - 1] == cu)
		return 0;
	if (gd_grow(&s->cus, &s->cap, s->ncus, sizeof(*s->cus), 2) < 0)
		return -1;
	s->cus[s->ncus++] = cu;
	return 0;
}

/* One DWARF 5 entry-format attribute value.  *str is set for string forms.
 * 0 ok, -1 unsupported/bad. */
static int rd_form(gdw_rd *r, const ctx *c, uint64_t form, int offsz,
		   const char **str, uint64_t *num)
{
	*str = NULL;
	*num = 0;
	switch (form) {
	case DW_FORM_string: *str = gdw__rd_str(r); break;
	case DW_FORM_line_strp: *str = str_at(&c->line_str, gdw__rd_u(r, (size_t)offsz));
		if (!*str) return -1;
		break;
	case DW_FORM_strp: *str = str_at(&c->str, gdw__rd_u(r, (size_t)offsz));
		if (!*str) return -1;
		break;
	case DW_FORM_udata: *num = gdw__rd_uleb(r); break;
	case DW_FORM_data1: *num = gdw__rd_u(r, 1); break;
	case DW_FORM_data2: *num = gdw__rd_u(r, 2); break;
	case DW_FORM_data4: *num = gdw__rd_u(r, 4); break;
	case DW_FORM_data8: *num = gdw__rd_u(r, 8); break;
	case DW_FORM_data16: gdw__rd_skip(r, 16); break;
	case DW_FORM_block: gdw__rd_skip(r, gdw__rd_uleb(r)); break;
	default: return -1;
	}
	return r->bad ? -1 : 0;
}

typedef struct fmt {
	uint64_t type, form;
} fmt;

static int rd_formats(gdw_rd *r, fmt **out, size_t *n)
{
	*n = (size_t)gdw__rd_u(r, 1);
	*out = calloc(*n ? *n : 1, sizeof(**out));
	if (!*out)
		return -1;
	for (size_t i = 0; i < *n; i++) {
		(*out)[i].type = gdw__rd_uleb(r);
		(*out)[i].form = gdw__rd_uleb(r);
	}
	return r->bad ? -1 : 0;
}

/* Reads nent entries; returns the path and directory index of each. */
static int rd_entries(gdw_rd *r, const ctx *c, int offsz, const fmt *fm, size_t nfm,
		      uint64_t nent, const char **paths, uint64_t *dirs)
{
	for (uint64_t e = 0; e < nent; e++) {
		paths[e] = NULL;
		dirs[e] = 0;
		for (size_t k = 0; k < nfm; k++) {
			const char *s;
			uint64_t v;
			if (rd_form(r, c, fm[k].form, offsz, &s, &v) < 0)
				return -1;
			if (fm[k].type == DW_LNCT_path)
				paths[e] = s;
			else if (fm[k].type == DW_LNCT_directory_index)
				dirs[e] = v;
		}
		if (!paths[e])
			return -1;
	}
	return 0;
}

static int parse_v5(gdw_rd *r, const ctx *c, int offsz)
{
	int rc = -1;
	fmt *dfm = NULL, *ffm = NULL;
	const char **dpath = NULL, **fpath = NULL;
	uint64_t *ddir = NULL, *fdir = NULL;
	size_t ndfm, nffm;
	if (rd_formats(r, &dfm, &ndfm) < 0)
		goto out;
	uint64_t nd = gdw__rd_uleb(r);
	if (r->bad || nd > (uint64_t)(r->end - r->p))
		goto out;
	dpath = calloc(nd + 1, sizeof(*dpath));
	ddir = calloc(nd + 1, sizeof(*ddir));
	if (!dpath || !ddir || rd_entries(r, c, offsz, dfm, ndfm, nd, dpath, ddir) < 0)
		goto out;
	if (rd_formats(r, &ffm, &nffm) < 0)
		goto out;
	uint64_t nfl = gdw__rd_uleb(r);
	if (r->bad || nfl > (uint64_t)(r->end - r->p))
		goto out;
	fpath = calloc(nfl + 1, sizeof(*fpath));
	fdir = calloc(nfl + 1, sizeof(*fdir));
	if (!fpath || !fdir || rd_entries(r, c, offsz, ffm, nffm, nfl, fpath, fdir) < 0)
		goto out;
	for (uint64_t i = 0; i < nfl; i++) {
		const char *dir = fdir[i] < nd ? dpath[fdir[i]] : NULL;
		if (add_file(c->f, c->cu, dir, fpath[i]) < 0)
			goto out;
	}
	rc = 0;
out:
	free(dfm);
	free(ffm);
	free(dpath);
	free(fpath);
	free(ddir);
	free(fdir);
	return rc;
}

static int parse_v4(gdw_rd *r, const ctx *c, const char *comp_dir)
{
	size_t nd = 0, cap = 8;
	const char **dirs = malloc(cap * sizeof(*dirs));
	if (!dirs)
		return -1;
	dirs[nd++] = comp_dir; /* index 0 is the compilation directory */
	int rc = -1;
	for (;;) {
		const char *d = gdw__rd_str(r);
		if (!d)
			goto out;
		if (!*d)
			break;
		if (nd == cap) {
			const char **n = realloc(dirs, 2 * cap * sizeof(*n));
			if (!n)
				goto out;
			dirs = n;
			cap *= 2;
		}
		dirs[nd++] = d;
	}
	for (;;) {
		const char *name = gdw__rd_str(r);
		if (!name)
			goto out;
		if (!*name)
			break;
		uint64_t di = gdw__rd_uleb(r);
		gdw__rd_uleb(r); /* mtime */
		gdw__rd_uleb(r); /* length */
		if (r->bad)
			goto out;
		if (add_file(c->f, c->cu, di < nd ? dirs[di] : NULL, name) < 0)
			goto out;
	}
	rc = 0;
out:
	free(dirs);
	return rc;
}

/* Parses the line-program header at the start of [hdr, hdr+size) (the
 * header alone, or the rest of the section). */
static int parse_header(const ctx *c, const uint8_t *hdr, size_t size,
			const char *comp_dir)
{
	gdw_rd r = {hdr, hdr + size, 0};
	int offsz = 4;
	uint64_t len = gdw__rd_u(&r, 4);
	if (len == 0xffffffffu) {
		offsz = 8;
		len = gdw__rd_u(&r, 8);
	}
	if (r.bad)
		return -1;
	if (len < (uint64_t)(r.end - r.p))
		r.end = r.p + len;
	unsigned version = (unsigned)gdw__rd_u(&r, 2);
	if (version < 2 || version > 5)
		return -1;
	if (version >= 5)
		gdw__rd_skip(&r, 2); /* address_size, segment_selector_size */
	uint64_t hlen = gdw__rd_u(&r, (size_t)offsz);
	if (r.bad || hlen > (uint64_t)(r.end - r.p))
		return -1;
	r.end = r.p + hlen; /* the header ends where the program starts */
	gdw__rd_skip(&r, version >= 4 ? 5 : 4); /* min_inst .. line_range */
	unsigned opcode_base = (unsigned)gdw__rd_u(&r, 1);
	gdw__rd_skip(&r, opcode_base ? opcode_base - 1 : 0);
	if (r.bad)
		return -1;
	return version >= 5 ? parse_v5(&r, c, offsz) : parse_v4(&r, c, comp_dir);
}

/* The header at off, copied into *buf (grown as needed) without mapping
 * the section: walking every CU's header through the mapping would bring
 * the whole .debug_line (6 MB on a 70 MB program) into godap's RSS.
 * Returns its size, 0 if it cannot be read. */
static size_t read_header(gdw_file *f, uint64_t off, uint8_t **buf,
			  size_t *cap)
{
	uint8_t fix[4 + 8 + 2 + 2 + 8];
	if (gdw__image_pread(f, ".debug_line", off, fix, sizeof(fix)) < 0)
		return 0;
	gdw_rd r = {fix, fix + sizeof(fix), 0};
	int offsz = 4;
	if (gdw__rd_u(&r, 4) == 0xffffffffu) {
		offsz = 8;
		gdw__rd_u(&r, 8);
	}
	unsigned version = (unsigned)gdw__rd_u(&r, 2);
	if (version >= 5)
		gdw__rd_skip(&r, 2);
	uint64_t hlen = gdw__rd_u(&r, (size_t)offsz);
	if (r.bad || hlen > (64u << 20))
		return 0;
	size_t n = (size_t)(r.p - fix) + (size_t)hlen;
	if (n > *cap) {
		uint8_t *nb = realloc(*buf, n);
		if (!nb)
			return 0;
		*buf = nb;
		*cap = n;
	}
	if (gdw__image_pread(f, ".debug_line", off, *buf, n) < 0)
		return 0;
	return n;
}

static int fallback(gdw_file *f, size_t cu)
{
	Dwarf_Die die;
	Dwarf_Files *files;
	size_t n;
	/* best effort: a CU whose DIE or file table cannot be read adds
	 * nothing; the others still do. */
	if (gdw__cu_die(f, &f->cus[cu], &die, NULL) < 0 ||
	    dwarf_getsrcfiles(&die, &files, &n) != 0)
		return 0;
	for (size_t i = 0; i < n; i++) {
		const char *name = dwarf_filesrc(files, i, NULL, NULL);
		if (name && add_file(f, cu, NULL, name) < 0)
			return -1;
	}
	return 0;
}

static int build(gdw_file *f, gd_err *err)
{
	if (gdw__cus_load(f, err) < 0)
		return -1;
	const uint8_t *sec = NULL;
	size_t size = 0;
	int copy = f->img != NULL; /* read headers with pread, not mapped */
	if (!copy && gdw_section(f, ".debug_line", &sec, &size, NULL) < 0)
		return 0; /* no line tables: no files */
	ctx c = {.f = f};
	if (gdw_section(f, ".debug_line_str", &c.line_str.data, &c.line_str.size,
			NULL) < 0)
		c.line_str.data = NULL;
	if (gdw_section(f, ".debug_str", &c.str.data, &c.str.size, NULL) < 0)
		c.str.data = NULL;
	uint8_t *buf = NULL;
	size_t cap = 0;
	int rc = 0;
	for (size_t i = 0; i < f->ncus && rc == 0; i++) {
		const gdw_cu *cu = &f->cus[i];
		if (!cu->has_stmt_list)
			continue;
		c.cu = i;
		int ok;
		if (copy) {
			size_t n = read_header(f, cu->stmt_list, &buf, &cap);
			ok = n && parse_header(&c, buf, n, cu->comp_dir) == 0;
		} else {
			ok = cu->stmt_list < size &&
			     parse_header(&c, sec + cu->stmt_list,
					  size - cu->stmt_list, cu->comp_dir) == 0;
		}
		if (!ok && fallback(f, i) < 0)
			rc = gd_err_set(err, "out of memory");
	}
	free(buf);
	return rc;
}

int gdw__files_load(gdw_file *f, gd_err *err)
{
	if (f->files_state > 0)
		return 0;
	if (f->files_state < 0)
		return gd_err_set(err, "%s: cannot read the source file tables",
				  f->path);
	if (build(f, err) < 0) {
		gdw__files_free(f);
		f->files_state = -1;
		return -1;
	}
	f->files_state = 1;
	return 0;
}

void gdw__files_free(gdw_file *f)
{
	for (size_t i = 0; i < f->nfiles; i++) {
		free(f->files[i].name);
		free(f->files[i].cus);
	}
	free(f->files);
	f->files = NULL;
	f->nfiles = 0;
	gdw__map_free(&f->file_names);
}
