/* The ELF core file backend: a program that cannot run, read from the core
 * the kernel or gdb's gcore wrote (Delve's pkg/proc/core is the model).
 *
 * - Memory: the PT_LOAD segments.  A segment whose contents the core left
 *   out (p_filesz < p_memsz: text and read-only data of files, by the
 *   default coredump_filter) is read from the file NT_FILE says is mapped
 *   there; the executable's mappings are read from the program the user
 *   named, which may have moved since.
 * - Threads: one NT_PRSTATUS per thread (x86-64 user_regs_struct, with
 *   fs_base), each followed by its NT_FPREGSET and/or NT_X86_XSTATE (whose
 *   first 512 bytes are the same FXSAVE layout).
 * - NT_AUXV (the PIE bias), NT_SIGINFO (what made the kernel dump it).
 * - Native unwinding: libunwind with accessors over this backend
 *   (core_file_unwind.c).
 *
 * The core is read with libelf over a read-only mapping of the file. */
#include "core_file_internal.h"
#include "../common/gd_array.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/procfs.h>
#include <sys/stat.h>
#include <unistd.h>

static core_file *CF(core_proc *p) { return (core_file *)p; }
static const core_file *CCF(const core_proc *p)
{
	return (const core_file *)p;
}

static void cf_free(core_proc *p)
{
	core_file *c = CF(p);
	core__cf_unwind_free(c);
	for (size_t i = 0; i < c->nfiles; i++) {
		if (c->files[i].fd >= 0)
			close(c->files[i].fd);
		free(c->files[i].path);
	}
	free(c->files);
	free(c->segs);
	free(c->threads);
	free(c->auxv);
	if (c->elf)
		elf_end(c->elf);
	if (c->fd >= 0)
		close(c->fd);
	free(c->core_path);
	free(c->exe);
	free(c);
}

/* ---- memory ---- */

/* The segment holding addr, by binary search (segments are sorted). */
static const cf_seg *seg_at(const core_file *c, uint64_t addr)
{
	size_t lo = 0, hi = c->nsegs;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const cf_seg *s = &c->segs[mid];
		if (addr < s->vaddr)
			hi = mid;
		else if (addr - s->vaddr >= s->memsz)
			lo = mid + 1;
		else
			return s;
	}
	return NULL;
}

cf_file *core__cf_file_at(core_file *c, uint64_t addr)
{
	for (size_t i = 0; i < c->nfiles; i++)
		if (addr >= c->files[i].start && addr < c->files[i].end)
			return &c->files[i];
	return NULL;
}

/* Reads up to len bytes at addr from one place (the core, or the file
 * mapped there); returns how many (> 0) or -1. */
static ssize_t read_chunk(core_file *c, uint64_t addr, void *buf, size_t len,
			  int core_only)
{
	const cf_seg *s = seg_at(c, addr);
	uint64_t off = s ? addr - s->vaddr : 0;
	if (s && off < s->filesz) {
		uint64_t n = s->filesz - off;
		if (n > len)
			n = len;
		memcpy(buf, c->raw + s->offset + off, n);
		return (ssize_t)n;
	}
	if (core_only)
		return -1;
	/* Not in the core: the file mapped there, if any.  The kernel keeps
	 * a segment with no contents for it; gcore leaves read-only file
	 * mappings out altogether. */
	cf_file *f = core__cf_file_at(c, addr);
	if (!f)
		return -1;
	if (f->fd == -1) {
		f->fd = open(f->open_path, O_RDONLY | O_CLOEXEC);
		if (f->fd < 0) {
			gd_log_info(c->log, "core file: cannot open %s (%s): "
				    "memory it backs is unreadable",
				    f->open_path, strerror(errno));
			f->fd = -2;
		}
	}
	if (f->fd < 0)
		return -1;
	uint64_t n = f->end - addr;
	if (s && s->vaddr + s->memsz - addr < n)
		n = s->vaddr + s->memsz - addr;
	/* Stop where the next segment with contents starts. */
	const cf_seg *next = NULL;
	if (!s) {
		for (size_t i = 0; i < c->nsegs && !next; i++)
			if (c->segs[i].vaddr > addr)
				next = &c->segs[i];
		if (next && next->vaddr - addr < n)
			n = next->vaddr - addr;
	}
	if (n > len)
		n = len;
	ssize_t got;
	do
		got = pread(f->fd, buf, n, (off_t)(f->offset + (addr - f->start)));
	while (got < 0 && errno == EINTR);
	/* Past the file's end a mapping reads as zeros (the rest of its
	 * last page); a file shorter than that changed since the dump. */
	return got > 0 ? got : -1;
}

int core__cf_read(core_file *c, uint64_t addr, void *buf, size_t len,
		  int core_only, gd_err *err)
{
	uint8_t *b = buf;
	size_t done = 0;
	while (done < len) {
		ssize_t n = read_chunk(c, addr + done, b + done, len - done,
				       core_only);
		if (n <= 0)
			return gd_err_set(err, "cannot read %zu bytes of memory "
					  "at %#" PRIx64 ": not in the core file",
					  len, addr);
		done += (size_t)n;
	}
	return 0;
}

static int cf_read(core_proc *p, uint64_t addr, void *buf, size_t len,
		   gd_err *err)
{
	return core__cf_read(CF(p), addr, buf, len, 0, err);
}

static int cf_read_many(core_proc *p, const uint64_t *addrs, size_t n,
			size_t each, void *buf, uint8_t *ok, gd_err *err)
{
	(void)err;
	uint8_t *out = buf;
	for (size_t i = 0; i < n; i++) {
		/* ignored: a failed read is the answer, in ok[]. */
		int good = core__cf_read(CF(p), addrs[i], out + i * each, each, 0,
				    NULL) == 0;
		if (!good)
			memset(out + i * each, 0, each);
		if (ok)
			ok[i] = (uint8_t)good;
	}
	return 0;
}

/* ---- threads, registers ---- */

const cf_thread *core__cf_thread(const core_file *c, pid_t tid, gd_err *err)
{
	for (size_t i = 0; i < c->nthreads; i++)
		if (c->threads[i].tid == tid)
			return &c->threads[i];
	gd_err_set(err, "no thread %d in the core file", (int)tid);
	return NULL;
}

static pid_t cf_pid(const core_proc *p) { return CCF(p)->pid; }
static int cf_exited(const core_proc *p) { (void)p; return 0; }
static size_t cf_thread_count(const core_proc *p) { return CCF(p)->nthreads; }
static pid_t cf_thread_tid(const core_proc *p, size_t i)
{
	return i < CCF(p)->nthreads ? CCF(p)->threads[i].tid : 0;
}
static int cf_thread_stopped(const core_proc *p, pid_t tid)
{
	/* ignored: a yes/no question; absent is "no". */
	return core__cf_thread(CCF(p), tid, NULL) != NULL;
}

static int cf_regs(core_proc *p, pid_t tid, struct user_regs_struct *out,
		   gd_err *err)
{
	const cf_thread *t = core__cf_thread(CF(p), tid, err);
	if (!t)
		return -1;
	*out = t->regs;
	return 0;
}

static int cf_fpregs(core_proc *p, pid_t tid, struct user_fpregs_struct *out,
		     gd_err *err)
{
	const cf_thread *t = core__cf_thread(CF(p), tid, err);
	if (!t)
		return -1;
	if (!t->have_fp)
		return gd_err_set(err, "the core file has no floating-point "
				  "registers for thread %d", (int)tid);
	*out = t->fp;
	return 0;
}

static int cf_auxv(core_proc *p, uint64_t type, uint64_t *val, gd_err *err)
{
	core_file *c = CF(p);
	for (size_t i = 0; i + 1 < c->nauxv; i += 2) {
		if (c->auxv[i] == 0)
			break;
		if (c->auxv[i] == type) {
			*val = c->auxv[i + 1];
			return 0;
		}
	}
	return gd_err_set(err, "auxv entry %" PRIu64 " not found", type);
}

static int cf_exe_path(core_proc *p, char **out, gd_err *err)
{
	*out = strdup(CF(p)->exe);
	return *out ? 0 : gd_err_set(err, "out of memory");
}

static int map_cmp(const void *a, const void *b)
{
	const core_map *x = a, *y = b;
	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

/* The segments, named after the files mapped there, and the files the
 * core names whose contents it left out altogether (gcore does that). */
static int cf_maps(core_proc *p, core_map **out, size_t *n, gd_err *err)
{
	core_file *c = CF(p);
	*out = NULL;
	*n = 0;
	core_map *v = calloc(c->nsegs + c->nfiles + 1, sizeof(*v));
	if (!v)
		return gd_err_set(err, "out of memory");
	size_t k = 0;
	for (size_t i = 0; i < c->nsegs; i++) {
		const cf_seg *s = &c->segs[i];
		core_map *m = &v[k++];
		m->lo = s->vaddr;
		m->hi = s->vaddr + s->memsz;
		m->read = (s->flags & PF_R) != 0;
		m->write = (s->flags & PF_W) != 0;
		m->exec = (s->flags & PF_X) != 0;
		const cf_file *f = core__cf_file_at(c, m->lo);
		if (f) {
			m->offset = f->offset + (m->lo - f->start);
			m->path = strdup(f->open_path);
			if (!m->path)
				goto oom;
		}
	}
	for (size_t i = 0; i < c->nfiles; i++) {
		const cf_file *f = &c->files[i];
		if (seg_at(c, f->start))
			continue;
		core_map *m = &v[k++];
		m->lo = f->start;
		m->hi = f->end;
		m->offset = f->offset;
		m->read = 1; /* not writable: a writable one is in the core */
		m->path = strdup(f->open_path);
		if (!m->path)
			goto oom;
	}
	qsort(v, k, sizeof(*v), map_cmp);
	*out = v;
	*n = k;
	return 0;
oom:
	core_maps_free(v, k);
	return gd_err_set(err, "out of memory");
}

static int cf_stop_signal(const core_proc *p, pid_t *tid, int *signo,
			  int *code, uint64_t *addr)
{
	const core_file *c = CCF(p);
	if (!c->have_sig)
		return 1;
	*tid = c->sigtid;
	*signo = c->signo;
	*code = c->sigcode;
	*addr = c->sigaddr;
	return 0;
}

const core_backend core__file_backend = {
	.name = "core file",
	.cannot = CORE_ERR_IS_CORE,
	.is_corefile = 1,
	.free = cf_free,
	.pid = cf_pid,
	.exited = cf_exited,
	.thread_count = cf_thread_count,
	.thread_tid = cf_thread_tid,
	.thread_stopped = cf_thread_stopped,
	.regs = cf_regs,
	.fpregs = cf_fpregs,
	.read = cf_read,
	.read_many = cf_read_many,
	.read_text = cf_read, /* a core has no breakpoints of ours */
	.auxv = cf_auxv,
	.exe_path = cf_exe_path,
	.maps = cf_maps,
	.stop_signal = cf_stop_signal,
	.unwind_begin = core__cf_unwind_begin,
	.unwind_end = core__cf_unwind_end,
	/* Every run-control entry is NULL: CORE_ERR_IS_CORE. */
};

/* ---- opening ---- */

static int add_thread(core_file *c, const void *desc, size_t len, gd_err *err)
{
	struct elf_prstatus pr;
	if (len < sizeof(pr))
		return gd_err_set(err, "core file: NT_PRSTATUS note of %zu "
				  "bytes, expected %zu (not an x86-64 core?)",
				  len, sizeof(pr));
	memcpy(&pr, desc, sizeof(pr));
	if (gd_grow(&c->threads, &c->capthreads, c->nthreads,
		    sizeof(*c->threads), 16) < 0)
		return gd_err_set(err, "out of memory");
	cf_thread *t = &c->threads[c->nthreads++];
	memset(t, 0, sizeof(*t));
	t->tid = pr.pr_pid;
	_Static_assert(sizeof(pr.pr_reg) == sizeof(t->regs),
		       "elf_gregset_t is user_regs_struct on x86-64");
	memcpy(&t->regs, pr.pr_reg, sizeof(t->regs));
	/* The kernel writes the thread that dumped first, with the
	 * signal that killed the program. */
	if (c->nthreads == 1 && pr.pr_cursig && !c->have_sig) {
		c->have_sig = 1;
		c->signo = pr.pr_cursig;
		c->sigtid = t->tid;
	}
	return 0;
}

static int parse_file_note(core_file *c, const uint8_t *d, size_t len,
			   gd_err *err)
{
	if (len < 16)
		return gd_err_set(err, "core file: NT_FILE note too short");
	uint64_t count, page;
	memcpy(&count, d, 8);
	memcpy(&page, d + 8, 8);
	if (count > (len - 16) / 24)
		return gd_err_set(err, "core file: NT_FILE note claims %" PRIu64
				  " files in %zu bytes", count, len);
	c->files = calloc(count ? count : 1, sizeof(*c->files));
	if (!c->files)
		return gd_err_set(err, "out of memory");
	const char *names = (const char *)d + 16 + count * 24;
	const char *end = (const char *)d + len;
	for (uint64_t i = 0; i < count; i++) {
		cf_file *f = &c->files[i];
		uint64_t v[3];
		memcpy(v, d + 16 + i * 24, sizeof(v));
		const char *nul = memchr(names, '\0', (size_t)(end - names));
		if (!nul)
			return gd_err_set(err, "core file: NT_FILE names cut short");
		f->start = v[0];
		f->end = v[1];
		f->offset = v[2] * page;
		f->fd = -1;
		f->path = strdup(names);
		if (!f->path)
			return gd_err_set(err, "out of memory");
		f->open_path = f->path;
		c->nfiles++;
		names = nul + 1;
	}
	return 0;
}

static int parse_note(core_file *c, const char *name, uint32_t type,
		      const uint8_t *desc, size_t len, gd_err *err)
{
	int core = strcmp(name, "CORE") == 0, linux_ = strcmp(name, "LINUX") == 0;
	if (core && type == NT_PRSTATUS)
		return add_thread(c, desc, len, err);
	cf_thread *t = c->nthreads ? &c->threads[c->nthreads - 1] : NULL;
	if (core && type == NT_FPREGSET && t && len >= sizeof(t->fp)) {
		memcpy(&t->fp, desc, sizeof(t->fp));
		t->have_fp = 1;
	} else if (linux_ && type == NT_X86_XSTATE && t && !t->have_fp &&
		   len >= sizeof(t->fp)) {
		/* XSAVE starts with the FXSAVE image. */
		memcpy(&t->fp, desc, sizeof(t->fp));
		t->have_fp = 1;
	} else if (core && type == NT_PRPSINFO && len >= sizeof(struct elf_prpsinfo)) {
		struct elf_prpsinfo ps;
		memcpy(&ps, desc, sizeof(ps));
		c->pid = ps.pr_pid;
	} else if (core && type == NT_AUXV && !c->auxv) {
		c->nauxv = len / 8;
		c->auxv = malloc(c->nauxv ? c->nauxv * 8 : 1);
		if (!c->auxv)
			return gd_err_set(err, "out of memory");
		memcpy(c->auxv, desc, c->nauxv * 8);
	} else if (core && type == NT_FILE && !c->files) {
		return parse_file_note(c, desc, len, err);
	} else if (core && type == NT_SIGINFO && len >= sizeof(siginfo_t) &&
		   c->nthreads == 1) {
		/* The siginfo of the thread that dumped. */
		siginfo_t si;
		memcpy(&si, desc, sizeof(si));
		c->have_sig = 1;
		c->signo = si.si_signo;
		c->sigcode = si.si_code;
		c->sigtid = t->tid;
		if (si.si_signo == SIGSEGV || si.si_signo == SIGBUS ||
		    si.si_signo == SIGFPE || si.si_signo == SIGILL)
			c->sigaddr = (uint64_t)(uintptr_t)si.si_addr;
	}
	return 0;
}

/* Walks the notes of one PT_NOTE segment with libelf. */
static int parse_notes(core_file *c, const GElf_Phdr *ph, gd_err *err)
{
	Elf_Data *d = elf_getdata_rawchunk(c->elf, (int64_t)ph->p_offset,
					   ph->p_filesz, ELF_T_NHDR);
	if (!d)
		return gd_err_set(err, "core file: cannot read its notes: %s",
				  elf_errmsg(-1));
	GElf_Nhdr nh;
	size_t off = 0, name_off, desc_off, next;
	while (off < d->d_size &&
	       (next = gelf_getnote(d, off, &nh, &name_off, &desc_off)) > 0) {
		const char *name = nh.n_namesz ? (const char *)d->d_buf + name_off
					       : "";
		/* A name must end within itself. */
		if (nh.n_namesz && memchr(name, '\0', nh.n_namesz) == NULL)
			name = "";
		if (parse_note(c, name, nh.n_type,
			       (const uint8_t *)d->d_buf + desc_off,
			       nh.n_descsz, err) < 0)
			return -1;
		off = next;
	}
	return 0;
}

static int seg_cmp(const void *a, const void *b)
{
	const cf_seg *x = a, *y = b;
	return x->vaddr < y->vaddr ? -1 : x->vaddr > y->vaddr;
}

/* The notes (PT_NOTE) of the executable, as they are in its file, with
 * their address once loaded. */
typedef struct exe_note {
	uint64_t vaddr;
	size_t len;
	uint8_t *bytes;
} exe_note;

/* The build ids of a note segment's bytes, for the error message. */
static void describe_ids(const uint8_t *b, size_t len, char *out, size_t cap)
{
	out[0] = '\0';
	size_t off = 0, used = 0;
	while (off + 12 <= len) {
		uint32_t nsz, dsz, type;
		memcpy(&nsz, b + off, 4);
		memcpy(&dsz, b + off + 4, 4);
		memcpy(&type, b + off + 8, 4);
		size_t name = off + 12, desc = name + ((nsz + 3u) & ~3u);
		if (desc > len || dsz > len - desc)
			break;
		const char *n = (const char *)b + name;
		size_t nlen = strnlen(n, nsz);
		int k = 0;
		if (nlen == 3 && memcmp(n, "GNU", 3) == 0 && type == 3) {
			k = snprintf(out + used, cap - used, "%sGNU build id ",
				     used ? ", " : "");
			for (uint32_t i = 0; i < dsz && k >= 0 &&
			     used + (size_t)k + 3 < cap; i++)
				k += snprintf(out + used + k, cap - used - k,
					      "%02x", b[desc + i]);
		} else if (nlen == 2 && memcmp(n, "Go", 2) == 0 && type == 4) {
			k = snprintf(out + used, cap - used, "%sGo build id %.*s",
				     used ? ", " : "", (int)dsz,
				     (const char *)b + desc);
		}
		if (k > 0)
			used += (size_t)k < cap - used ? (size_t)k : cap - used - 1;
		off = desc + ((dsz + 3u) & ~3u);
	}
	if (!out[0])
		snprintf(out, cap, "its notes");
}

/* The executable must be the one the core was dumped from: its note
 * segments (the GNU and Go build ids) are compared with the bytes the core
 * holds at the same addresses.  Text the core left out is not compared
 * (there is nothing to compare it with); then the entry point must
 * match. */
static int check_exe(core_file *c, gd_err *err)
{
	int fd = open(c->exe, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return gd_err_sys(err, "program '%s'", c->exe);
	Elf *e = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	GElf_Ehdr eh;
	size_t nph = 0;
	int rc = -1;
	if (!e || elf_kind(e) != ELF_K_ELF || !gelf_getehdr(e, &eh) ||
	    elf_getphdrnum(e, &nph) < 0) {
		gd_err_set(err, "program '%s' is not an ELF executable", c->exe);
		goto out;
	}
	uint64_t entry = 0;
	/* ignored: the message below says it for a person. */
	if (cf_auxv(&c->base, AT_ENTRY, &entry, NULL) < 0) {
		gd_err_set(err, "core file has no auxiliary vector entry point");
		goto out;
	}
	uint64_t bias = entry - eh.e_entry;
	if (eh.e_type == ET_EXEC && bias != 0) {
		gd_err_set(err, "core file does not match program '%s': it "
			   "was dumped from a program entered at %#" PRIx64
			   ", this one is entered at %#" PRIx64, c->exe,
			   entry, (uint64_t)eh.e_entry);
		goto out;
	}
	size_t rawlen = 0;
	const uint8_t *raw = (const uint8_t *)elf_rawfile(e, &rawlen);
	int compared = 0;
	for (size_t i = 0; i < nph; i++) {
		GElf_Phdr ph;
		if (!gelf_getphdr(e, (int)i, &ph) || ph.p_type != PT_NOTE ||
		    !ph.p_filesz || ph.p_offset > rawlen ||
		    ph.p_filesz > rawlen - ph.p_offset)
			continue;
		uint8_t *in_core = malloc(ph.p_filesz);
		if (!in_core) {
			gd_err_set(err, "out of memory");
			goto out;
		}
		/* best effort: notes the core left out cannot be compared;
		 * `compared` says whether any could. */
		if (core__cf_read(c, ph.p_vaddr + bias, in_core, ph.p_filesz, 1,
			     NULL) == 0) {
			compared = 1;
			if (memcmp(in_core, raw + ph.p_offset, ph.p_filesz) != 0) {
				char want[256], have[256];
				describe_ids(raw + ph.p_offset, ph.p_filesz,
					     want, sizeof(want));
				describe_ids(in_core, ph.p_filesz, have,
					     sizeof(have));
				gd_err_set(err, "core file does not match "
					   "program '%s': the core has %s, "
					   "the program has %s", c->exe, have,
					   want);
				free(in_core);
				goto out;
			}
		}
		free(in_core);
	}
	if (!compared)
		gd_log_info(c->log, "core file: the build ids are not in the "
			    "core; only the entry point was checked");
	/* The executable's mappings are read from the program given. */
	cf_file *ef = core__cf_file_at(c, entry);
	for (size_t i = 0; ef && i < c->nfiles; i++)
		if (strcmp(c->files[i].path, ef->path) == 0)
			c->files[i].open_path = c->exe;
	rc = 0;
out:
	if (e)
		elf_end(e);
	close(fd);
	return rc;
}

static int open_core(core_file *c, gd_err *err)
{
	c->fd = open(c->core_path, O_RDONLY | O_CLOEXEC);
	if (c->fd < 0)
		return gd_err_sys(err, "core file '%s'", c->core_path);
	struct stat st;
	if (fstat(c->fd, &st) < 0)
		return gd_err_sys(err, "core file '%s'", c->core_path);
	if (!S_ISREG(st.st_mode))
		return gd_err_set(err, "core file '%s' is not a regular file",
				  c->core_path);
	elf_version(EV_CURRENT);
	c->elf = elf_begin(c->fd, ELF_C_READ_MMAP, NULL);
	GElf_Ehdr eh;
	if (!c->elf || elf_kind(c->elf) != ELF_K_ELF ||
	    !gelf_getehdr(c->elf, &eh))
		return gd_err_set(err, "'%s' is not a core file (not ELF)",
				  c->core_path);
	if (eh.e_type != ET_CORE)
		return gd_err_set(err, "'%s' is not a core file (an ELF file "
				  "of type %s)", c->core_path,
				  eh.e_type == ET_EXEC ? "executable"
				  : eh.e_type == ET_DYN ? "shared object"
							: "other");
	if (eh.e_machine != EM_X86_64 || gelf_getclass(c->elf) != ELFCLASS64)
		return gd_err_set(err, "core file '%s' is not of x86-64",
				  c->core_path);
	c->raw = (const uint8_t *)elf_rawfile(c->elf, &c->rawsize);
	size_t nph;
	if (!c->raw || elf_getphdrnum(c->elf, &nph) < 0)
		return gd_err_set(err, "core file '%s' is truncated: %s",
				  c->core_path, elf_errmsg(-1));
	for (size_t i = 0; i < nph; i++) {
		GElf_Phdr ph;
		if (!gelf_getphdr(c->elf, (int)i, &ph))
			return gd_err_set(err, "core file '%s' is truncated: "
					  "%s", c->core_path, elf_errmsg(-1));
		if (ph.p_type != PT_LOAD && ph.p_type != PT_NOTE)
			continue;
		if (ph.p_offset > c->rawsize ||
		    ph.p_filesz > c->rawsize - ph.p_offset)
			return gd_err_set(err, "core file '%s' is truncated: "
					  "it has %zu bytes, its segment at "
					  "%#" PRIx64 " needs %" PRIu64,
					  c->core_path, c->rawsize,
					  (uint64_t)ph.p_vaddr,
					  (uint64_t)(ph.p_offset + ph.p_filesz));
		if (ph.p_type == PT_NOTE) {
			if (parse_notes(c, &ph, err) < 0)
				return -1;
			continue;
		}
		if (gd_grow(&c->segs, &c->capsegs, c->nsegs, sizeof(*c->segs),
			    64) < 0)
			return gd_err_set(err, "out of memory");
		c->segs[c->nsegs++] = (cf_seg){ph.p_vaddr, ph.p_memsz,
					       ph.p_filesz, ph.p_offset,
					       ph.p_flags};
	}
	if (!c->nthreads)
		return gd_err_set(err, "core file '%s' has no threads (no "
				  "NT_PRSTATUS note)", c->core_path);
	if (!c->auxv)
		return gd_err_set(err, "core file '%s' has no auxiliary "
				  "vector (NT_AUXV)", c->core_path);
	qsort(c->segs, c->nsegs, sizeof(*c->segs), seg_cmp);
	if (!c->pid)
		c->pid = c->threads[0].tid;
	return 0;
}

int core_open_corefile(core_proc **out, const char *core_path,
		       const char *exe, gd_log *log, gd_err *err)
{
	*out = NULL;
	core_file *c = calloc(1, sizeof(*c));
	if (!c)
		return gd_err_set(err, "out of memory");
	c->base.be = &core__file_backend;
	c->fd = -1;
	c->log = log;
	c->core_path = strdup(core_path);
	c->exe = realpath(exe, NULL);
	if (!c->exe) {
		gd_err_sys(err, "program '%s'", exe);
		cf_free(&c->base);
		return -1;
	}
	if (!c->core_path || open_core(c, err) < 0 || check_exe(c, err) < 0) {
		if (!c->core_path)
			gd_err_set(err, "out of memory");
		cf_free(&c->base);
		return -1;
	}
	gd_log_info(log, "core: %s: pid %d, %zu threads, %zu segments, %zu "
		    "files", core_path, (int)c->pid, c->nthreads, c->nsegs,
		    c->nfiles);
	*out = &c->base;
	return 0;
}
