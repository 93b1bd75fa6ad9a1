#include "handlers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *sym_status(int syms)
{
	switch (syms) {
	case GDW_SYMS_DWARF: return "Symbols and debug info loaded.";
	case GDW_SYMS_SYMTAB: return "Symbols loaded (no debug info).";
	case GDW_SYMS_DYNSYM: return "Exported symbols only.";
	default: return "No symbols.";
	}
}

/* The executable and each shared object (and the vDSO) mapped. */
void dap_h_modules(dap_session *s, const cJSON *req)
{
	gd_err err = GD_ERR_INIT;
	grt_module *v;
	size_t n;
	if (grt_modules(dbg_rt(s->dbg), &v, &n, &err) < 0) {
		dap_respond_err(s, req, &err);
		return;
	}
	cJSON *body = cJSON_CreateObject();
	cJSON *list = cJSON_AddArrayToObject(body, "modules");
	for (size_t i = 0; i < n; i++) {
		cJSON *m = cJSON_CreateObject();
		const char *slash = strrchr(v[i].path, '/');
		cJSON_AddStringToObject(m, "id", v[i].path);
		cJSON_AddStringToObject(m, "name", slash ? slash + 1 : v[i].path);
		if (v[i].path[0] == '/')
			cJSON_AddStringToObject(m, "path", v[i].path);
		/* The executable's symbols are its DWARF, which godap reads;
		 * for the others: what the file carries (godap names native
		 * frames from their ELF symbols). */
		cJSON_AddStringToObject(m, "symbolStatus",
					v[i].is_exe ? "Symbols and debug info loaded."
						    : sym_status(v[i].syms));
		char range[64];
		snprintf(range, sizeof(range), "0x%llx-0x%llx",
			 (unsigned long long)v[i].lo, (unsigned long long)v[i].hi);
		cJSON_AddStringToObject(m, "addressRange", range);
		cJSON_AddBoolToObject(m, "isUserCode", v[i].is_exe);
		cJSON_AddItemToArray(list, m);
	}
	cJSON_AddNumberToObject(body, "totalModules", (double)n);
	grt_modules_free(v, n);
	dap_respond(s, req, body);
}
