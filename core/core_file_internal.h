/* The ELF core file backend: shared by core_file.c and core_file_unwind.c
 * only. */
#ifndef CORE_FILE_INTERNAL_H
#define CORE_FILE_INTERNAL_H

#include "core_backend.h"

#include <gelf.h>

typedef struct cf_seg {
	uint64_t vaddr, memsz, filesz, offset;
	uint32_t flags; /* PF_R, PF_W, PF_X */
} cf_seg;

typedef struct cf_thread {
	pid_t tid;
	struct user_regs_struct regs;
	struct user_fpregs_struct fp;
	int have_fp;
} cf_thread;

typedef struct cf_file {
	uint64_t start, end, offset; /* offset in bytes */
	char *path;                  /* as the core names it */
	const char *open_path;       /* where it is read from (path or exe) */
	int fd;                      /* -1 not opened yet, -2 cannot */
} cf_file;

typedef struct core_file {
	core_proc base;
	gd_log *log;
	char *core_path, *exe;
	int fd;
	Elf *elf;
	const uint8_t *raw;
	size_t rawsize;

	cf_seg *segs;
	size_t nsegs, capsegs;
	cf_thread *threads;
	size_t nthreads, capthreads;
	cf_file *files;
	size_t nfiles;
	uint64_t *auxv; /* key, value pairs */
	size_t nauxv;
	pid_t pid;

	int have_sig;
	int signo, sigcode;
	uint64_t sigaddr;
	pid_t sigtid;

	/* Native unwinding (core_file_unwind.c): one libunwind address
	 * space over this core, and what it learned of each object. */
	unw_addr_space_t uw_as;
	struct cf_object *objs;
	size_t nobjs, capobjs;
} core_file;

/* Memory at addr: from the core, else (unless core_only) from the file
 * mapped there.  A short read is an error. */
int core__cf_read(core_file *c, uint64_t addr, void *buf, size_t len,
		  int core_only, gd_err *err);
/* The file mapped at addr, NULL if none. */
cf_file *core__cf_file_at(core_file *c, uint64_t addr);
const cf_thread *core__cf_thread(const core_file *c, pid_t tid, gd_err *err);

int core__cf_unwind_begin(core_proc *p, pid_t tid,
			  const struct user_regs_struct *from,
			  core_unwinder *u, gd_err *err);
void core__cf_unwind_end(core_proc *p, core_unwinder *u);
/* Frees what unwinding kept (the address space, the objects). */
void core__cf_unwind_free(core_file *c);

#endif
