/* Native unwinding in a core file: libunwind driven through accessors of
 * our own over this backend (registers from NT_PRSTATUS, memory from the
 * core or the files mapped there), as libunwind-ptrace does over ptrace.
 *
 * Why not libunwind-coredump: it reads memory from the core's segments
 * and from "backing files" it maps from their start, and gcore leaves the
 * read-only mappings of the libraries (where .eh_frame_hdr is) out of the
 * core altogether, so it found no unwind information for libc's frames.
 * Our reads already fall back to the right offset of the right file.
 *
 * Unwind information: each object's PT_GNU_EH_FRAME (its .eh_frame_hdr
 * search table), read from the target's memory and handed to libunwind's
 * table search; names: the object's ELF symbols (.symtab, else .dynsym),
 * from its file, or for the vDSO from its image in the core. */
#include "core_file_internal.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/gd_array.h"

/* libunwind's search of a remote .eh_frame_hdr table: exported by
 * libunwind-x86_64 (libunwind-ptrace and libunwind-coredump call it) but
 * declared only in its private headers. */
extern int _Ux86_64_dwarf_search_unwind_table(unw_addr_space_t as,
					      unw_word_t ip,
					      unw_dyn_info_t *di,
					      unw_proc_info_t *pi,
					      int need_unwind_info, void *arg);

/* One loaded object (the executable, a library, the vDSO). */
typedef struct cf_object {
	uint64_t lo, hi;   /* its PT_LOAD segments, loaded */
	uint64_t bias;     /* load address - link address */
	uint64_t eh_hdr;   /* .eh_frame_hdr, loaded; 0 if none */
	uint64_t fde_count;
	const char *path;  /* NULL for the vDSO (cf_file's, not owned) */
	Elf *elf;          /* for symbols; NULL until needed or if none */
	int elf_fd;
	uint8_t *image;    /* the vDSO's bytes (elf reads them) */
	int elf_tried;
} cf_object;

typedef struct cf_unw_arg {
	core_file *c;
	pid_t tid;
	int from;                     /* regs below, not the thread's */
	struct user_regs_struct regs;
} cf_unw_arg;

void core__cf_unwind_free(core_file *c)
{
	for (size_t i = 0; i < c->nobjs; i++) {
		if (c->objs[i].elf)
			elf_end(c->objs[i].elf);
		if (c->objs[i].elf_fd >= 0)
			close(c->objs[i].elf_fd);
		free(c->objs[i].image);
	}
	free(c->objs);
	c->objs = NULL;
	c->nobjs = c->capobjs = 0;
	if (c->uw_as)
		unw_destroy_addr_space(c->uw_as);
	c->uw_as = NULL;
}

/* Reads the ELF headers of the object loaded at base and fills o; -1
 * when there is none to read there.  The reads drop their messages: the
 * only caller is libunwind's find_proc_info, whose answer is a code
 * (-UNW_ENOINFO), not a text. */
static int load_object(core_file *c, uint64_t base, cf_object *o)
{
	Elf64_Ehdr raw;
	/* ignored: see above; no object here. */
	if (core__cf_read(c, base, &raw, sizeof(raw), 0, NULL) < 0 ||
	    memcmp(raw.e_ident, ELFMAG, SELFMAG) != 0 ||
	    raw.e_ident[EI_CLASS] != ELFCLASS64 ||
	    raw.e_phentsize != sizeof(Elf64_Phdr) || raw.e_phnum == 0)
		return -1;
	Elf64_Phdr *ph = calloc(raw.e_phnum, sizeof(*ph));
	/* ignored: see above; no object here. */
	if (!ph || core__cf_read(c, base + raw.e_phoff, ph,
				 raw.e_phnum * sizeof(Elf64_Phdr), 0, NULL) < 0) {
		free(ph);
		return -1;
	}
	uint64_t lo = UINT64_MAX, hi = 0, eh_vaddr = 0;
	for (size_t i = 0; i < raw.e_phnum; i++) {
		if (ph[i].p_type == PT_LOAD) {
			if (ph[i].p_vaddr < lo)
				lo = ph[i].p_vaddr;
			if (ph[i].p_vaddr + ph[i].p_memsz > hi)
				hi = ph[i].p_vaddr + ph[i].p_memsz;
		} else if (ph[i].p_type == PT_GNU_EH_FRAME) {
			eh_vaddr = ph[i].p_vaddr;
		}
	}
	free(ph);
	if (lo == UINT64_MAX)
		return -1;
	/* The first PT_LOAD is mapped at base (page-aligned). */
	o->bias = base - (lo & ~(uint64_t)0xfff);
	o->lo = o->bias + lo;
	o->hi = o->bias + hi;
	o->eh_hdr = 0;
	if (eh_vaddr) {
		/* version 1; eh_frame_ptr, fde_count and the table in the
		 * encodings every linker writes: pcrel|sdata4, udata4,
		 * datarel|sdata4. */
		uint8_t h[12];
		/* best effort: without the table, no unwind info here. */
		if (core__cf_read(c, o->bias + eh_vaddr, h, sizeof(h), 0, NULL) == 0 &&
		    h[0] == 1 && h[2] == 0x03 && h[3] == 0x3b) {
			uint32_t n;
			memcpy(&n, h + 8, 4);
			o->eh_hdr = o->bias + eh_vaddr;
			o->fde_count = n;
		}
	}
	return 0;
}

/* The object holding ip: found once, then kept. */
static cf_object *object_at(core_file *c, uint64_t ip)
{
	for (size_t i = 0; i < c->nobjs; i++)
		if (ip >= c->objs[i].lo && ip < c->objs[i].hi)
			return &c->objs[i];
	cf_object o;
	memset(&o, 0, sizeof(o));
	o.elf_fd = -1;
	uint64_t base = 0;
	const cf_file *f = core__cf_file_at(c, ip);
	if (f) {
		/* The object starts at its file's mapping of offset 0. */
		for (size_t i = 0; i < c->nfiles; i++)
			if (c->files[i].offset == 0 &&
			    strcmp(c->files[i].path, f->path) == 0 &&
			    c->files[i].start <= ip &&
			    (!base || c->files[i].start > base))
				base = c->files[i].start;
		o.path = f->open_path;
	} else {
		/* Not a file: the vDSO, if ip is in it. */
		uint64_t vdso;
		/* ignored: a core without AT_SYSINFO_EHDR has no vDSO. */
		if (c->base.be->auxv(&c->base, AT_SYSINFO_EHDR, &vdso, NULL) == 0)
			base = vdso;
	}
	if (!base || load_object(c, base, &o) < 0 || ip < o.lo || ip >= o.hi)
		return NULL;
	if (gd_grow(&c->objs, &c->capobjs, c->nobjs, sizeof(*c->objs), 8) < 0)
		return NULL;
	c->objs[c->nobjs] = o;
	return &c->objs[c->nobjs++];
}

static int cf_find_proc_info(unw_addr_space_t as, unw_word_t ip,
			     unw_proc_info_t *pi, int need_unwind_info,
			     void *arg)
{
	cf_unw_arg *a = arg;
	cf_object *o = object_at(a->c, ip);
	if (!o || !o->eh_hdr)
		return -UNW_ENOINFO;
	unw_dyn_info_t di;
	memset(&di, 0, sizeof(di));
	di.format = UNW_INFO_FORMAT_REMOTE_TABLE;
	di.start_ip = o->lo;
	di.end_ip = o->hi;
	di.u.rti.segbase = o->eh_hdr;
	di.u.rti.table_data = o->eh_hdr + 12;
	/* In words: each entry is two 4-byte offsets. */
	di.u.rti.table_len = o->fde_count * 8 / sizeof(unw_word_t);
	return _Ux86_64_dwarf_search_unwind_table(as, ip, &di, pi,
						  need_unwind_info, arg);
}

static void cf_put_unwind_info(unw_addr_space_t as, unw_proc_info_t *pi,
			       void *arg)
{
	/* The remote table search gives its unwind info from malloc. */
	(void)as, (void)arg;
	free(pi->unwind_info);
	pi->unwind_info = NULL;
}

static int cf_get_dyn_info_list_addr(unw_addr_space_t as, unw_word_t *dil,
				     void *arg)
{
	(void)as, (void)dil, (void)arg;
	return -UNW_ENOINFO;
}

static int cf_access_mem(unw_addr_space_t as, unw_word_t addr,
			 unw_word_t *val, int write, void *arg)
{
	(void)as;
	cf_unw_arg *a = arg;
	if (write)
		return -UNW_EREADONLYREG;
	/* ignored: libunwind's accessors answer codes, not messages. */
	return core__cf_read(a->c, addr, val, sizeof(*val), 0, NULL) == 0
		       ? 0 : -UNW_EINVAL;
}

static int cf_access_reg(unw_addr_space_t as, unw_regnum_t reg,
			 unw_word_t *val, int write, void *arg)
{
	(void)as;
	cf_unw_arg *a = arg;
	if (write)
		return -UNW_EREADONLYREG;
	if (a->from)
		return core__unw_reg(&a->regs, reg, val);
	/* ignored: libunwind's accessors answer codes, not messages. */
	const cf_thread *t = core__cf_thread(a->c, a->tid, NULL);
	if (!t)
		return -UNW_EBADREG;
	return core__unw_reg(&t->regs, reg, val);
}

static int cf_access_fpreg(unw_addr_space_t as, unw_regnum_t reg,
			   unw_fpreg_t *val, int write, void *arg)
{
	(void)as, (void)reg, (void)val, (void)write, (void)arg;
	return -UNW_EBADREG; /* unwinding needs none on x86-64 */
}

static int cf_resume(unw_addr_space_t as, unw_cursor_t *c, void *arg)
{
	(void)as, (void)c, (void)arg;
	return -UNW_EINVAL; /* a core cannot run */
}

/* The object's ELF, for its symbols. */
static Elf *object_elf(core_file *c, cf_object *o)
{
	if (o->elf_tried)
		return o->elf;
	o->elf_tried = 1;
	if (o->path) {
		o->elf_fd = open(o->path, O_RDONLY | O_CLOEXEC);
		if (o->elf_fd >= 0)
			o->elf = elf_begin(o->elf_fd, ELF_C_READ_MMAP, NULL);
	} else if (o->hi - o->lo <= (1u << 20)) {
		/* The vDSO: its image is in the core. */
		size_t n = o->hi - o->lo;
		o->image = malloc(n);
		/* best effort: without its image, no vDSO symbol names. */
		if (o->image &&
		    core__cf_read(c, o->lo, o->image, n, 0, NULL) == 0)
			o->elf = elf_memory((char *)o->image, n);
	}
	return o->elf;
}

/* The function symbol holding link address `at` in the symbol table of
 * section type `type`; 0 when found. */
static int lookup_sym(Elf *e, Elf64_Word type, uint64_t at, char *buf,
		      size_t len, unw_word_t *off)
{
	Elf_Scn *scn = NULL;
	while ((scn = elf_nextscn(e, scn)) != NULL) {
		GElf_Shdr sh;
		if (!gelf_getshdr(scn, &sh) || sh.sh_type != type ||
		    !sh.sh_entsize)
			continue;
		Elf_Data *d = elf_getdata(scn, NULL);
		if (!d)
			continue;
		size_t n = sh.sh_size / sh.sh_entsize;
		for (size_t i = 0; i < n; i++) {
			GElf_Sym s;
			if (!gelf_getsym(d, (int)i, &s) ||
			    GELF_ST_TYPE(s.st_info) != STT_FUNC || !s.st_value ||
			    at < s.st_value || at >= s.st_value + (s.st_size ? s.st_size : 1))
				continue;
			const char *name = elf_strptr(e, sh.sh_link, s.st_name);
			if (!name)
				continue;
			*off = at - s.st_value;
			if (strlen(name) + 1 > len)
				return -UNW_ENOMEM;
			memcpy(buf, name, strlen(name) + 1);
			return 0;
		}
	}
	return -UNW_ENOINFO;
}

static int cf_get_proc_name(unw_addr_space_t as, unw_word_t ip, char *buf,
			    size_t len, unw_word_t *off, void *arg)
{
	(void)as;
	cf_unw_arg *a = arg;
	cf_object *o = object_at(a->c, ip);
	Elf *e = o ? object_elf(a->c, o) : NULL;
	if (!e)
		return -UNW_ENOINFO;
	int rc = lookup_sym(e, SHT_SYMTAB, ip - o->bias, buf, len, off);
	if (rc == -UNW_ENOINFO)
		rc = lookup_sym(e, SHT_DYNSYM, ip - o->bias, buf, len, off);
	return rc;
}

static unw_accessors_t cf_accessors = {
	.find_proc_info = cf_find_proc_info,
	.put_unwind_info = cf_put_unwind_info,
	.get_dyn_info_list_addr = cf_get_dyn_info_list_addr,
	.access_mem = cf_access_mem,
	.access_reg = cf_access_reg,
	.access_fpreg = cf_access_fpreg,
	.resume = cf_resume,
	.get_proc_name = cf_get_proc_name,
};

int core__cf_unwind_begin(core_proc *p, pid_t tid,
			  const struct user_regs_struct *from,
			  core_unwinder *u, gd_err *err)
{
	core_file *c = (core_file *)p;
	if (!core__cf_thread(c, tid, err))
		return -1;
	if (!c->uw_as) {
		c->uw_as = unw_create_addr_space(&cf_accessors, 0);
		if (!c->uw_as)
			return gd_err_set(err, "libunwind: cannot create an "
					  "address space");
	}
	cf_unw_arg *a = malloc(sizeof(*a));
	if (!a)
		return gd_err_set(err, "out of memory");
	a->c = c;
	a->tid = tid;
	a->from = from != NULL;
	if (from)
		a->regs = *from;
	u->as = c->uw_as;
	u->arg = a;
	u->priv = a;
	return 0;
}

void core__cf_unwind_end(core_proc *p, core_unwinder *u)
{
	(void)p;
	free(u->priv);
}
