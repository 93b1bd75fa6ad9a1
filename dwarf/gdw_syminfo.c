/* What symbols another ELF object (a shared library the program loaded)
 * carries, for the DAP modules view.  Only the section table is read. */
#include "gdw_internal.h"

#include <fcntl.h>
#include <gelf.h>
#include <string.h>
#include <unistd.h>

int gdw_elf_syminfo(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	elf_version(EV_CURRENT);
	Elf *e = elf_begin(fd, ELF_C_READ, NULL);
	int res = -1;
	size_t shstrndx;
	if (e && elf_kind(e) == ELF_K_ELF && elf_getshdrstrndx(e, &shstrndx) == 0) {
		res = GDW_SYMS_NONE;
		Elf_Scn *scn = NULL;
		while ((scn = elf_nextscn(e, scn)) != NULL) {
			GElf_Shdr sh;
			if (!gelf_getshdr(scn, &sh))
				continue;
			const char *n = elf_strptr(e, shstrndx, sh.sh_name);
			int r = GDW_SYMS_NONE;
			if (n && (strcmp(n, ".debug_info") == 0 ||
				  strcmp(n, ".zdebug_info") == 0))
				r = GDW_SYMS_DWARF;
			else if (sh.sh_type == SHT_SYMTAB)
				r = GDW_SYMS_SYMTAB;
			else if (sh.sh_type == SHT_DYNSYM)
				r = GDW_SYMS_DYNSYM;
			if (r > res)
				res = r;
		}
	}
	if (e)
		elf_end(e);
	close(fd);
	return res;
}
