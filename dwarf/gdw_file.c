/* Opening and validating the ELF file, accessors, raw sections. */
#include "gdw_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Finds a section by name; NULL if absent (or the table is unreadable). */
static Elf_Scn *find_scn(Elf *elf, const char *name)
{
	size_t shstrndx;
	if (elf_getshdrstrndx(elf, &shstrndx) != 0)
		return NULL;
	Elf_Scn *scn = NULL;
	while ((scn = elf_nextscn(elf, scn)) != NULL) {
		GElf_Shdr sh;
		if (!gelf_getshdr(scn, &sh))
			continue;
		const char *n = elf_strptr(elf, shstrndx, sh.sh_name);
		if (n && strcmp(n, name) == 0)
			return scn;
	}
	return NULL;
}

static int read_phdrs(gdw_file *f, gd_err *err)
{
	size_t n;
	if (elf_getphdrnum(f->elf, &n) != 0)
		return gd_err_set(err, "%s: cannot read program headers: %s",
				  f->path, elf_errmsg(-1));
	int have = 0;
	for (size_t i = 0; i < n; i++) {
		GElf_Phdr ph;
		if (!gelf_getphdr(f->elf, (int)i, &ph))
			return gd_err_set(err, "%s: bad program header %zu: %s",
					  f->path, i, elf_errmsg(-1));
		if (ph.p_type != PT_LOAD)
			continue;
		if (!have || ph.p_vaddr < f->first_load)
			f->first_load = ph.p_vaddr;
		have = 1;
	}
	if (!have)
		return gd_err_set(err, "%s has no loadable segments", f->path);
	return 0;
}

static int open_checked(gdw_file *f, gd_err *err)
{
	f->fd = open(f->path, O_RDONLY | O_CLOEXEC);
	if (f->fd < 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			return gd_err_set(err, "%s: no such file", f->path);
		if (errno == EACCES || errno == EPERM)
			return gd_err_set(err, "%s: not readable (permission denied)",
					  f->path);
		return gd_err_sys(err, "%s: cannot open", f->path);
	}
	struct stat st;
	if (fstat(f->fd, &st) < 0)
		return gd_err_sys(err, "%s: cannot stat", f->path);
	if (!S_ISREG(st.st_mode))
		return gd_err_set(err, "%s is not a regular file", f->path);

	if (elf_version(EV_CURRENT) == EV_NONE)
		return gd_err_set(err, "libelf is out of date");
	f->elf = elf_begin(f->fd, ELF_C_READ_MMAP, NULL);
	if (!f->elf || elf_kind(f->elf) != ELF_K_ELF)
		return gd_err_set(err, "%s is not an ELF file", f->path);
	GElf_Ehdr eh;
	if (!gelf_getehdr(f->elf, &eh))
		return gd_err_set(err, "%s: bad ELF header: %s", f->path,
				  elf_errmsg(-1));
	if (eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_machine != EM_X86_64)
		return gd_err_set(err, "%s is not an x86-64 ELF file (class %d, "
				  "machine %d)", f->path, eh.e_ident[EI_CLASS],
				  eh.e_machine);
	if (eh.e_type != ET_EXEC && eh.e_type != ET_DYN)
		return gd_err_set(err, "%s is not an executable (ELF type %d)",
				  f->path, eh.e_type);
	f->entry = eh.e_entry;
	f->pie = eh.e_type == ET_DYN;
	if (read_phdrs(f, err) < 0)
		return -1;

	if (!find_scn(f->elf, ".debug_info") && !find_scn(f->elf, ".zdebug_info"))
		return gd_err_set(err, "%s has no DWARF debug info; was it built "
				  "with -ldflags=-w or stripped?", f->path);
	int img = gdw__image_open(f, err);
	if (img < 0)
		return -1;
	if (img == 0)
		return 0;
	f->dw = dwarf_begin_elf(f->elf, DWARF_C_READ, NULL);
	if (!f->dw)
		return gd_err_set(err, "%s: cannot read the DWARF debug info: %s",
				  f->path, dwarf_errmsg(-1));
	return 0;
}

int gdw_open(gdw_file **out, const char *path, gd_err *err)
{
	*out = NULL;
	gdw_file *f = calloc(1, sizeof(*f));
	if (!f)
		return gd_err_set(err, "out of memory");
	f->fd = -1;
	f->path = strdup(path);
	if (!f->path) {
		free(f);
		return gd_err_set(err, "out of memory");
	}
	if (open_checked(f, err) < 0) {
		gdw_close(f);
		return -1;
	}
	*out = f;
	return 0;
}

void gdw_close(gdw_file *f)
{
	if (!f)
		return;
	gdw__types_free(f->types);
	gdw__vcache_free(f->vcache);
	gdw__funcs_free(f);
	gdw__fdes_free(f);
	gdw__files_free(f);
	gdw__cus_free(f);
	gdw__syms_free(f);
	if (f->dw)
		dwarf_end(f->dw);
	gdw__image_free(f); /* after libdw, which reads it */
	if (f->elf)
		elf_end(f->elf);
	if (f->fd >= 0)
		close(f->fd);
	free(f->path);
	free(f);
}

const char *gdw_path(const gdw_file *f) { return f->path; }
uint64_t gdw_entry(const gdw_file *f) { return f->entry; }
int gdw_is_pie(const gdw_file *f) { return f->pie; }
uint64_t gdw_first_load_vaddr(const gdw_file *f) { return f->first_load; }

Dwarf *gdw__dwarf(gdw_file *f) { return f->dw; }

int gdw__each_top_die(gdw_file *f, int (*fn)(Dwarf_Die *die, void *ctx),
		      void *ctx)
{
	return gdw__each_top_die_in(f, NULL, 0, fn, ctx);
}

int gdw__each_top_die_in(gdw_file *f, const char *cu_name, int want,
			 int (*fn)(Dwarf_Die *die, void *ctx), void *ctx)
{
	Dwarf_Off off = 0, next;
	size_t hsize;
	while (dwarf_nextcu(f->dw, off, &next, &hsize, NULL, NULL, NULL) == 0) {
		Dwarf_Die cu, die;
		int pick = 1;
		if (cu_name && dwarf_offdie(f->dw, off + hsize, &cu)) {
			const char *n = dwarf_diename(&cu);
			pick = (n && strcmp(n, cu_name) == 0) == (want != 0);
		}
		if (pick && dwarf_offdie(f->dw, off + hsize, &cu) &&
		    dwarf_child(&cu, &die) == 0) {
			do {
				int rc = fn(&die, ctx);
				if (rc)
					return rc;
			} while (dwarf_siblingof(&die, &die) == 0);
		}
		off = next;
	}
	return 0;
}
struct gdw_types **gdw__types_slot(gdw_file *f) { return &f->types; }

int gdw_section(gdw_file *f, const char *name, const uint8_t **data,
		size_t *size, uint64_t *addr)
{
	if (f->img) {
		int rc = gdw__image_section(f, name, data, size);
		if (rc != GD_ENOTFOUND) {
			if (rc == 0 && addr)
				*addr = 0; /* debug sections are not loaded */
			return rc < 0 ? -1 : 0;
		}
	}
	Elf_Scn *scn = find_scn(f->elf, name);
	if (!scn)
		return GD_ENOTFOUND;
	GElf_Shdr sh;
	if (!gelf_getshdr(scn, &sh))
		return -1;
	if (sh.sh_type == SHT_NOBITS)
		return GD_ENOTFOUND; /* no bytes in the file */
	if ((sh.sh_flags & SHF_COMPRESSED) &&
	    (elf_compress(scn, 0, 0) < 0 || !gelf_getshdr(scn, &sh)))
		return -1;
	Elf_Data *d = elf_getdata(scn, NULL);
	if (!d)
		return -1;
	*data = d->d_buf;
	*size = d->d_size;
	if (addr)
		*addr = sh.sh_addr;
	return 0;
}
