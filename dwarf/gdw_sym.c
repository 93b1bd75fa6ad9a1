/* ELF .symtab index: name -> symbol, and sized functions by address.
 * Built on the first lookup. */
#include "gdw_internal.h"

#include <gelf.h>
#include <stdlib.h>
#include <string.h>

static int cmp_by_addr(const void *a, const void *b)
{
	const gdw_symref *x = a, *y = b;
	if (x->value != y->value)
		return x->value < y->value ? -1 : 1;
	return x->size > y->size ? -1 : x->size < y->size; /* bigger first */
}

/* Sorts by address.  Go's linker writes the local symbols, then the
 * global ones, each run in address order: two runs are merged in one
 * pass, anything else goes to qsort.  0 ok, -1 out of memory. */
static int sort_refs(gdw_symref *v, size_t n)
{
	size_t cut = 0, descents = 0;
	for (size_t i = 1; i < n; i++)
		if (cmp_by_addr(&v[i - 1], &v[i]) > 0) {
			cut = i;
			descents++;
		}
	if (descents == 0)
		return 0;
	if (descents > 1) {
		qsort(v, n, sizeof(*v), cmp_by_addr);
		return 0;
	}
	gdw_symref *t = malloc(n * sizeof(*t));
	if (!t)
		return -1;
	size_t a = 0, b = cut, k = 0;
	while (a < cut && b < n)
		t[k++] = cmp_by_addr(&v[b], &v[a]) < 0 ? v[b++] : v[a++];
	while (a < cut)
		t[k++] = v[a++];
	while (b < n)
		t[k++] = v[b++];
	memcpy(v, t, n * sizeof(*v));
	free(t);
	return 0;
}

/* The string table's bytes when they end with a NUL (then every name
 * inside is terminated and needs no check of its own); NULL otherwise. */
static const char *strtab(gdw_file *f, size_t link, size_t *size)
{
	Elf_Scn *scn = elf_getscn(f->elf, link);
	Elf_Data *d = scn ? elf_getdata(scn, NULL) : NULL;
	if (!d || !d->d_buf || d->d_size == 0 ||
	    ((const char *)d->d_buf)[d->d_size - 1] != '\0')
		return NULL;
	*size = d->d_size;
	return d->d_buf;
}

/* 62 000 symbols on a 70 MB Go program: read from the mapped table
 * directly (no per-symbol gelf_getsym/elf_strptr), into a map sized once. */
static int build(gdw_file *f)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	while ((scn = elf_nextscn(f->elf, scn)) != NULL) {
		if (gelf_getshdr(scn, &sh) && sh.sh_type == SHT_SYMTAB)
			break;
	}
	if (!scn || sh.sh_entsize == 0)
		return 0; /* no symbols: every lookup fails */
	Elf_Data *d = elf_getdata(scn, NULL);
	if (!d)
		return -1;
	/* gdw_open accepted only ELFCLASS64: the data is Elf64_Sym. */
	const Elf64_Sym *tab = d->d_buf;
	size_t n = d->d_size / sizeof(Elf64_Sym);
	size_t strsz = 0;
	const char *str = strtab(f, sh.sh_link, &strsz);
	f->syms = calloc(n ? n : 1, sizeof(*f->syms));
	if (!f->syms || gdw__map_reserve(&f->sym_names, n) < 0)
		return -1;
	size_t nfunc = 0, nobj = 0;
	for (size_t i = 1; i < n; i++) {
		const Elf64_Sym *s = &tab[i];
		if (s->st_shndx == SHN_UNDEF || s->st_name == 0)
			continue;
		const char *name;
		if (str)
			name = s->st_name < strsz ? str + s->st_name : NULL;
		else
			name = elf_strptr(f->elf, sh.sh_link, s->st_name);
		if (!name || !*name)
			continue;
		gdw_sym *g = &f->syms[f->nsyms];
		g->name = name;
		g->value = s->st_value;
		g->size = s->st_size;
		g->type = (unsigned char)ELF64_ST_TYPE(s->st_info);
		/* Globals win over locals of the same name. */
		int replace = ELF64_ST_BIND(s->st_info) != STB_LOCAL;
		if (gdw__map_put(&f->sym_names, name, f->nsyms, replace) < 0)
			return -1;
		nfunc += g->type == STT_FUNC && g->size;
		nobj += g->type == STT_OBJECT && g->size;
		f->nsyms++;
	}
	f->funcs_by_addr = calloc(nfunc ? nfunc : 1, sizeof(*f->funcs_by_addr));
	f->objs_by_addr = calloc(nobj ? nobj : 1, sizeof(*f->objs_by_addr));
	if (!f->funcs_by_addr || !f->objs_by_addr)
		return -1;
	for (size_t i = 0; i < f->nsyms; i++) {
		const gdw_sym *g = &f->syms[i];
		if (!g->size)
			continue;
		if (g->type == STT_FUNC)
			f->funcs_by_addr[f->nfuncs_by_addr++] =
				(gdw_symref){g->value, g->size, i};
		else if (g->type == STT_OBJECT)
			f->objs_by_addr[f->nobjs_by_addr++] =
				(gdw_symref){g->value, g->size, i};
	}
	if (sort_refs(f->funcs_by_addr, f->nfuncs_by_addr) < 0 ||
	    sort_refs(f->objs_by_addr, f->nobjs_by_addr) < 0)
		return -1;
	return 0;
}

static int ensure(gdw_file *f)
{
	if (f->syms_state == 0) {
		if (build(f) < 0) {
			gdw__syms_free(f);
			f->syms_state = -1;
		} else {
			f->syms_state = 1;
		}
	}
	return f->syms_state > 0 ? 0 : -1;
}

int gdw_sym_funcs_each(gdw_file *f,
		       int (*cb)(const char *name, uint64_t addr, void *ctx),
		       void *ctx)
{
	if (ensure(f) < 0)
		return -1;
	if (f->nfuncs_by_addr == 0)
		return GD_ENOTFOUND;
	for (size_t i = 0; i < f->nfuncs_by_addr; i++)
		if (cb(f->syms[f->funcs_by_addr[i].sym].name,
		       f->funcs_by_addr[i].value, ctx))
			break;
	return 0;
}

int gdw_sym_lookup(gdw_file *f, const char *name, uint64_t *addr,
		   uint64_t *size)
{
	size_t i;
	if (ensure(f) < 0)
		return -1;
	if (gdw__map_get(&f->sym_names, name, &i) < 0)
		return GD_ENOTFOUND;
	if (addr)
		*addr = f->syms[i].value;
	if (size)
		*size = f->syms[i].size;
	return 0;
}

/* The symbol of the sorted array v whose [value, value+size) holds pc. */
static const char *sym_in(gdw_file *f, const gdw_symref *v, size_t n,
			  uint64_t pc, uint64_t *start, uint64_t *size)
{
	/* Last symbol starting at or before pc. */
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (v[mid].value <= pc)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* Walk back over symbols sharing an address (bigger sorts first). */
	while (lo > 0) {
		const gdw_symref *s = &v[--lo];
		if (pc - s->value < s->size) {
			if (start)
				*start = s->value;
			if (size)
				*size = s->size;
			return f->syms[s->sym].name;
		}
		if (lo == 0 || v[lo - 1].value != s->value)
			break;
	}
	return NULL;
}

const char *gdw_sym_func_at(gdw_file *f, uint64_t pc, uint64_t *start,
			    uint64_t *size)
{
	if (ensure(f) < 0)
		return NULL;
	return sym_in(f, f->funcs_by_addr, f->nfuncs_by_addr, pc, start, size);
}

const char *gdw_sym_at(gdw_file *f, uint64_t addr, uint64_t *start)
{
	if (ensure(f) < 0)
		return NULL;
	const char *n = sym_in(f, f->funcs_by_addr, f->nfuncs_by_addr, addr,
			       start, NULL);
	if (!n)
		n = sym_in(f, f->objs_by_addr, f->nobjs_by_addr, addr, start,
			   NULL);
	return n;
}

const char *gdw_sym_func_before(gdw_file *f, uint64_t pc, uint64_t *start,
				uint64_t *size)
{
	if (ensure(f) < 0)
		return NULL;
	/* Last function starting before pc. */
	size_t lo = 0, hi = f->nfuncs_by_addr;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (f->funcs_by_addr[mid].value < pc)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return NULL;
	const gdw_symref *s = &f->funcs_by_addr[lo - 1];
	if (start)
		*start = s->value;
	if (size)
		*size = s->size;
	return f->syms[s->sym].name;
}

int gdw_sym_func_next(gdw_file *f, uint64_t pc, uint64_t *start)
{
	if (ensure(f) < 0)
		return -1;
	/* First function starting after pc. */
	size_t lo = 0, hi = f->nfuncs_by_addr;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (f->funcs_by_addr[mid].value <= pc)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == f->nfuncs_by_addr)
		return GD_ENOTFOUND;
	*start = f->funcs_by_addr[lo].value;
	return 0;
}

void gdw__syms_free(gdw_file *f)
{
	free(f->syms);
	free(f->funcs_by_addr);
	free(f->objs_by_addr);
	f->objs_by_addr = NULL;
	f->nobjs_by_addr = 0;
	gdw__map_free(&f->sym_names);
	f->syms = NULL;
	f->funcs_by_addr = NULL;
	f->nsyms = f->nfuncs_by_addr = 0;
}
