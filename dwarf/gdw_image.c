/* The debug sections, decompressed into an unlinked temporary file that
 * libdw reads through a mapping.
 *
 * Why: the Go linker compresses DWARF (SHF_COMPRESSED, zlib), and
 * dwarf_begin_elf() on the program's own Elf decompresses every debug
 * section into malloc'd memory up front: 23.5 MB for a 70 MB program,
 * all of it in godap's RSS before the first request, most of it never
 * read in a session.  Here each section is inflated into a file (page
 * cache: reclaimable, and counted in godap's RSS only for the pages
 * libdw really reads), laid out as a small ELF file of uncompressed
 * debug sections that libdw opens with elf_memory().  The sections only
 * call-frame and location-list reads use (.debug_frame, .debug_loclists,
 * .debug_loc) are inflated on their first use (gdw__image_need): until
 * then their place in the file is a hole that nothing reads.
 *
 * A program whose debug sections are not compressed, or a section
 * compressed some other way than zlib, or no usable temporary directory (or
 * one that is full), or data that does not inflate: gdw__image_open()
 * answers 1 and the caller hands libdw the program's own Elf as before. */
#include "gdw_internal.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <zlib.h>

typedef struct img_sec {
	char *name;       /* heap */
	uint64_t in_off;  /* in the program's file */
	uint64_t in_size;
	int compressed;   /* zlib behind an Elf64_Chdr */
	uint64_t out_off; /* in the image */
	uint64_t out_size;
	int filled;       /* 1 written, -1 failed */
} img_sec;

struct gdw_image {
	int fd;      /* the unlinked file */
	uint8_t *map;
	size_t map_size;
	Elf *elf;    /* elf_memory() over map */
	img_sec *secs;
	size_t nsecs;
};

enum { PAGE = 4096, IN_CHUNK = 64 * 1024, OUT_CHUNK = 256 * 1024 };

static uint64_t page_up(uint64_t v) { return (v + PAGE - 1) & ~(uint64_t)(PAGE - 1); }

/* Read on first use (see the header comment). */
static int deferred(const char *name)
{
	return strcmp(name, ".debug_frame") == 0 ||
	       strcmp(name, ".debug_loclists") == 0 ||
	       strcmp(name, ".debug_loc") == 0;
}

/* The whole of n bytes at off, read (wr 0) or written (wr 1), across short
 * transfers and EINTR; -1 with errno on failure or end of file. */
static int pio_all(int fd, void *buf, size_t n, uint64_t off, int wr)
{
	uint8_t *p = buf;
	while (n) {
		ssize_t r = wr ? pwrite(fd, p, n, (off_t)off)
			       : pread(fd, p, n, (off_t)off);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		p += r;
		n -= (size_t)r;
		off += (uint64_t)r;
	}
	return 0;
}

static int pread_all(int fd, void *buf, size_t n, uint64_t off)
{
	return pio_all(fd, buf, n, off, 0);
}

static int pwrite_all(int fd, const void *buf, size_t n, uint64_t off)
{
	/* pio_all only reads from buf when wr is 1. */
	return pio_all(fd, (void *)(uintptr_t)buf, n, off, 1);
}

/* Inflates one section from the program file (in) into the image file.
 * Raw inflate after the 2-byte zlib header: the output size is checked
 * against the Chdr, and Adler-32 (15 % of the inflate time) is not. */
static int inflate_sec(int in, int out, const img_sec *s, gd_err *err)
{
	int rc = -1;
	uint8_t *ib = malloc(IN_CHUNK), *ob = malloc(OUT_CHUNK);
	z_stream z;
	memset(&z, 0, sizeof(z));
	int zinit = 0;
	if (!ib || !ob) {
		gd_err_set(err, "out of memory");
		goto out;
	}
	uint64_t pos = s->in_off + sizeof(Elf64_Chdr), end = s->in_off + s->in_size;
	uint8_t hdr[2];
	if (end - pos < 2 || pread_all(in, hdr, 2, pos) < 0 || (hdr[0] & 0x0f) != 8 ||
	    ((hdr[0] << 8) | hdr[1]) % 31 != 0 || (hdr[1] & 0x20)) {
		gd_err_set(err, "%s: not a zlib stream", s->name);
		goto out;
	}
	pos += 2;
	if (inflateInit2(&z, -15) != Z_OK) {
		gd_err_set(err, "%s: inflateInit2 failed", s->name);
		goto out;
	}
	zinit = 1;
	uint64_t done = 0;
	int zr = Z_OK;
	while (zr != Z_STREAM_END) {
		if (z.avail_in == 0) {
			if (pos >= end) {
				gd_err_set(err, "%s: compressed data ends early", s->name);
				goto out;
			}
			size_t n = end - pos < IN_CHUNK ? (size_t)(end - pos) : IN_CHUNK;
			if (pread_all(in, ib, n, pos) < 0) {
				gd_err_sys(err, "%s: cannot read", s->name);
				goto out;
			}
			pos += n;
			z.next_in = ib;
			z.avail_in = (uInt)n;
		}
		z.next_out = ob;
		z.avail_out = OUT_CHUNK;
		zr = inflate(&z, Z_NO_FLUSH);
		if (zr != Z_OK && zr != Z_STREAM_END) {
			gd_err_set(err, "%s: bad compressed data (%d)", s->name, zr);
			goto out;
		}
		size_t got = OUT_CHUNK - z.avail_out;
		if (done + got > s->out_size) {
			gd_err_set(err, "%s: more data than its header says", s->name);
			goto out;
		}
		if (got && pwrite_all(out, ob, got, s->out_off + done) < 0) {
			gd_err_sys(err, "%s: cannot write the decompressed section",
				   s->name);
			goto out;
		}
		done += got;
	}
	if (done != s->out_size) {
		gd_err_set(err, "%s: %llu bytes instead of %llu", s->name,
			   (unsigned long long)done,
			   (unsigned long long)s->out_size);
		goto out;
	}
	rc = 0;
out:
	if (zinit)
		inflateEnd(&z);
	free(ib);
	free(ob);
	return rc;
}

static int copy_sec(int in, int out, const img_sec *s, gd_err *err)
{
	uint8_t *b = malloc(IN_CHUNK);
	if (!b)
		return gd_err_set(err, "out of memory");
	for (uint64_t k = 0; k < s->in_size;) {
		size_t n = s->in_size - k < IN_CHUNK ? (size_t)(s->in_size - k)
						      : IN_CHUNK;
		if (pread_all(in, b, n, s->in_off + k) < 0 ||
		    pwrite_all(out, b, n, s->out_off + k) < 0) {
			free(b);
			return gd_err_sys(err, "%s: cannot copy", s->name);
		}
		k += n;
	}
	free(b);
	return 0;
}

static int fill(gdw_file *f, img_sec *s, gd_err *err)
{
	if (s->filled)
		return s->filled > 0 ? 0 : gd_err_set(err, "%s: unreadable", s->name);
	int rc = s->compressed ? inflate_sec(f->fd, f->img->fd, s, err)
			       : copy_sec(f->fd, f->img->fd, s, err);
	s->filled = rc < 0 ? -1 : 1;
	return rc;
}

typedef struct helper {
	gdw_file *f;
	img_sec *s;
	int rc;
} helper;

static void *fill_thread(void *arg)
{
	helper *h = arg;
	/* ignored: the answer is h->rc; a failed image only falls back to
	 * libdw's own inflating (no gd_err at open for it). */
	h->rc = fill(h->f, h->s, NULL);
	return NULL;
}

/* The sections inflated at open: the second largest (.debug_line, beside
 * .debug_info) on a thread of its own when one can be started, so that
 * where a core is free the wall time drops by its share (the CPU time is
 * the same).  Joined before anything reads the image; no thread is left
 * when the program is forked.  0 ok, -1 a section could not be written. */
static int fill_eager(gdw_file *f, gdw_image *im)
{
	img_sec *first = NULL, *second = NULL;
	for (size_t i = 0; i < im->nsecs; i++) {
		img_sec *s = &im->secs[i];
		if (deferred(s->name))
			continue;
		if (!first || s->out_size > first->out_size) {
			second = first;
			first = s;
		} else if (!second || s->out_size > second->out_size) {
			second = s;
		}
	}
	helper h = {f, second, 0};
	pthread_t th;
	int started = second && second->out_size >= (1u << 20) &&
		      pthread_create(&th, NULL, fill_thread, &h) == 0;
	int rc = 0;
	for (size_t i = 0; i < im->nsecs && rc == 0; i++) {
		img_sec *s = &im->secs[i];
		if (deferred(s->name) || (started && s == second))
			continue;
		/* ignored: as in fill_thread. */
		if (fill(f, s, NULL) < 0)
			rc = -1;
	}
	if (started) {
		pthread_join(th, NULL);
		if (h.rc < 0)
			rc = -1;
	}
	return rc;
}

static void image_free(gdw_image *im)
{
	if (!im)
		return;
	if (im->elf)
		elf_end(im->elf);
	if (im->map)
		munmap(im->map, im->map_size);
	if (im->fd >= 0)
		close(im->fd);
	for (size_t i = 0; i < im->nsecs; i++)
		free(im->secs[i].name);
	free(im->secs);
	free(im);
}

static int tmp_fd(void)
{
	const char *dir = getenv("TMPDIR");
	if (!dir || !*dir)
		dir = "/tmp";
	int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd >= 0 || strcmp(dir, "/tmp") == 0)
		return fd;
	return open("/tmp", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
}

/* The debug sections of the program: 0 and *out when at least one is
 * zlib-compressed, 1 when the image is not worth it (or not possible:
 * .zdebug_*, another compression), -1 on error. */
static int list_secs(gdw_file *f, gdw_image *im, gd_err *err)
{
	size_t shstrndx;
	if (elf_getshdrstrndx(f->elf, &shstrndx) != 0)
		return 1;
	int any = 0;
	Elf_Scn *scn = NULL;
	while ((scn = elf_nextscn(f->elf, scn)) != NULL) {
		GElf_Shdr sh;
		if (!gelf_getshdr(scn, &sh))
			return 1;
		const char *n = elf_strptr(f->elf, shstrndx, sh.sh_name);
		if (!n)
			continue;
		if (strncmp(n, ".zdebug", 7) == 0)
			return 1;
		if (strncmp(n, ".debug_", 7) != 0 || sh.sh_type == SHT_NOBITS)
			continue;
		img_sec s = {.in_off = sh.sh_offset, .in_size = sh.sh_size,
			     .out_size = sh.sh_size};
		if (sh.sh_flags & SHF_COMPRESSED) {
			Elf64_Chdr ch;
			if (sh.sh_size < sizeof(ch) ||
			    pread_all(f->fd, &ch, sizeof(ch), sh.sh_offset) < 0 ||
			    ch.ch_type != ELFCOMPRESS_ZLIB)
				return 1;
			s.compressed = any = 1;
			s.out_size = ch.ch_size;
		}
		s.name = strdup(n);
		img_sec *ns = realloc(im->secs, (im->nsecs + 1) * sizeof(*ns));
		if (!s.name || !ns) {
			free(s.name);
			if (ns)
				im->secs = ns;
			return gd_err_set(err, "out of memory");
		}
		im->secs = ns;
		im->secs[im->nsecs++] = s;
	}
	return any ? 0 : 1;
}

/* Writes the ELF header, the section headers and their names; places the
 * sections' data, each on its own pages.  Returns the file size. */
static int write_headers(gdw_file *f, gdw_image *im, uint64_t *total,
			 gd_err *err)
{
	size_t nsh = im->nsecs + 2; /* null, the sections, .shstrtab */
	size_t strsz = 1 + sizeof(".shstrtab");
	for (size_t i = 0; i < im->nsecs; i++)
		strsz += strlen(im->secs[i].name) + 1;
	uint64_t shoff = sizeof(Elf64_Ehdr);
	uint64_t stroff = shoff + nsh * sizeof(Elf64_Shdr);
	uint64_t at = page_up(stroff + strsz);
	size_t hsize = (size_t)(stroff + strsz);
	uint8_t *h = calloc(1, hsize);
	if (!h)
		return gd_err_set(err, "out of memory");
	Elf64_Ehdr *eh = (Elf64_Ehdr *)h;
	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	eh->e_ident[EI_CLASS] = ELFCLASS64;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_VERSION] = EV_CURRENT;
	eh->e_type = f->pie ? ET_DYN : ET_EXEC;
	eh->e_machine = EM_X86_64;
	eh->e_version = EV_CURRENT;
	eh->e_shoff = shoff;
	eh->e_ehsize = sizeof(Elf64_Ehdr);
	eh->e_shentsize = sizeof(Elf64_Shdr);
	eh->e_shnum = (Elf64_Half)nsh;
	eh->e_shstrndx = (Elf64_Half)(nsh - 1);
	Elf64_Shdr *sh = (Elf64_Shdr *)(h + shoff);
	char *str = (char *)h + stroff;
	size_t sp = 1;
	for (size_t i = 0; i < im->nsecs; i++) {
		img_sec *s = &im->secs[i];
		s->out_off = at;
		at = page_up(at + s->out_size);
		sh[i + 1] = (Elf64_Shdr){.sh_name = (Elf64_Word)sp,
					 .sh_type = SHT_PROGBITS,
					 .sh_offset = s->out_off,
					 .sh_size = s->out_size,
					 .sh_addralign = 1};
		size_t l = strlen(s->name) + 1;
		memcpy(str + sp, s->name, l);
		sp += l;
	}
	sh[nsh - 1] = (Elf64_Shdr){.sh_name = (Elf64_Word)sp, .sh_type = SHT_STRTAB,
				   .sh_offset = stroff, .sh_size = strsz,
				   .sh_addralign = 1};
	memcpy(str + sp, ".shstrtab", sizeof(".shstrtab"));
	int rc = pwrite_all(im->fd, h, hsize, 0);
	free(h);
	if (rc < 0)
		return gd_err_sys(err, "cannot write the debug-info image");
	*total = at > PAGE ? at : PAGE;
	return 0;
}

int gdw__image_open(gdw_file *f, gd_err *err)
{
	gdw_image *im = calloc(1, sizeof(*im));
	if (!im)
		return gd_err_set(err, "out of memory");
	im->fd = -1;
	int rc = list_secs(f, im, err);
	if (rc != 0) {
		image_free(im);
		return rc;
	}
	im->fd = tmp_fd();
	if (im->fd < 0) {
		image_free(im);
		return 1; /* nowhere to put it: libdw decompresses as before */
	}
	f->img = im;
	uint64_t total = 0;
	/* best effort: a temporary directory that is full or refuses the
	 * writes: libdw inflates the sections into memory as it would
	 * without the image. */
	if (write_headers(f, im, &total, NULL) < 0 ||
	    ftruncate(im->fd, (off_t)total) < 0)
		goto fallback;
	if (fill_eager(f, im) < 0)
		goto fallback;
	im->map_size = (size_t)total;
	/* Shared: pages dropped with MADV_DONTNEED come back as they were
	 * (libelf does not write to an image of the host's byte order, but a
	 * private copy would be lost if it did). */
	void *m = mmap(NULL, im->map_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		       im->fd, 0);
	if (m == MAP_FAILED)
		goto fallback;
	im->map = m;
	im->elf = elf_memory((char *)im->map, im->map_size);
	if (!im->elf || elf_kind(im->elf) != ELF_K_ELF)
		goto fallback;
	/* Refused: libdw on the program's own file says why, in its words. */
	f->dw = dwarf_begin_elf(im->elf, DWARF_C_READ, NULL);
	if (!f->dw)
		goto fallback;
	return 0;
fallback:
	f->img = NULL;
	image_free(im);
	return 1;
}

static img_sec *find(gdw_image *im, const char *name)
{
	for (size_t i = 0; im && i < im->nsecs; i++)
		if (strcmp(im->secs[i].name, name) == 0)
			return &im->secs[i];
	return NULL;
}

int gdw__image_need(gdw_file *f, const char *name)
{
	img_sec *s = find(f->img, name);
	/* ignored: these accessors answer codes (no gd_err); -1 is "cannot
	 * fill", and the readers fall back to libdw (here and below). */
	return s ? fill(f, s, NULL) : 0;
}

int gdw__image_section(gdw_file *f, const char *name, const uint8_t **data,
		       size_t *size)
{
	img_sec *s = find(f->img, name);
	if (!s)
		return GD_ENOTFOUND;
	/* ignored: as in gdw__image_need. */
	if (fill(f, s, NULL) < 0)
		return -1;
	*data = f->img->map + s->out_off;
	*size = (size_t)s->out_size;
	return 0;
}

void gdw__image_release(gdw_file *f, const char *name, uint64_t upto)
{
	img_sec *s = find(f->img, name);
	if (!s || s->filled <= 0)
		return;
	if (upto > s->out_size)
		upto = s->out_size;
	uint64_t lo = page_up(s->out_off), hi = (s->out_off + upto) & ~(uint64_t)(PAGE - 1);
	/* The mapping is shared: dropping pages loses nothing. */
	if (hi > lo)
		(void)madvise(f->img->map + lo, (size_t)(hi - lo), MADV_DONTNEED);
}

int gdw__image_pread(gdw_file *f, const char *name, uint64_t off, void *buf,
		     size_t n)
{
	img_sec *s = find(f->img, name);
	/* ignored: as in gdw__image_need. */
	if (!s || fill(f, s, NULL) < 0 || off > s->out_size ||
	    n > s->out_size - off)
		return -1;
	return pread_all(f->img->fd, buf, n, s->out_off + off);
}

void gdw__image_free(gdw_file *f)
{
	image_free(f->img);
	f->img = NULL;
}
