#include "handlers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static grt_asm_flavor flavor(const dap_session *s)
{
	const char *f = s->cfg.disassemble_flavor;
	if (f && strcmp(f, "intel") == 0)
		return GRT_ASM_INTEL;
	if (f && (strcmp(f, "gnu") == 0 || strcmp(f, "att") == 0))
		return GRT_ASM_ATT;
	return GRT_ASM_GO;
}

/* For VS Code's Disassembly view: instructions around an address, with
 * their function symbol (where the function changes) and source line. */
void dap_h_disassemble(dap_session *s, const cJSON *req,
		       dap_args_disassemble *a)
{
	gd_err err = GD_ERR_INIT;
	uint64_t addr = a->address;
	grt_insn *v;
	size_t n;
	if (grt_disasm(dbg_rt(s->dbg), addr, a->instruction_offset,
		       (size_t)a->instruction_count, flavor(s), &v, &n, &err) < 0) {
		dap_respond_err(s, req, &err);
		return;
	}
	cJSON *body = cJSON_CreateObject();
	cJSON *list = cJSON_AddArrayToObject(body, "instructions");
	int line_base = s->lines_start_at1 ? 0 : 1;
	const char *prev_sym = NULL, *prev_file = NULL;
	for (size_t i = 0; i < n; i++) {
		cJSON *o = cJSON_CreateObject();
		char buf[64];
		snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)v[i].addr);
		cJSON_AddStringToObject(o, "address", buf);
		char hex[16 * 3 + 1];
		size_t k = 0;
		for (size_t j = 0; j < v[i].len; j++)
			k += (size_t)snprintf(hex + k, sizeof(hex) - k, "%s%02x",
					      j ? " " : "", v[i].bytes[j]);
		hex[k] = 0;
		cJSON_AddStringToObject(o, "instructionBytes", hex);
		cJSON_AddStringToObject(o, "instruction", v[i].text ? v[i].text : "??");
		if (v[i].invalid) {
			cJSON_AddStringToObject(o, "presentationHint", "invalid");
		} else {
			if (a->resolve_symbols && v[i].sym &&
			    (i == 0 || v[i].sym != prev_sym ||
			     v[i].addr == v[i].sym_start)) {
				if (v[i].addr == v[i].sym_start)
					cJSON_AddStringToObject(o, "symbol", v[i].sym);
				else {
					char *sym = NULL;
					if (asprintf(&sym, "%s+%llu", v[i].sym,
						     (unsigned long long)(v[i].addr -
									  v[i].sym_start)) >= 0) {
						cJSON_AddStringToObject(o, "symbol", sym);
						free(sym);
					}
				}
			}
			if (v[i].file) {
				if (i == 0 || !prev_file || strcmp(prev_file, v[i].file) != 0)
					cJSON_AddItemToObject(o, "location",
							      dap_source_json(s, v[i].file));
				cJSON_AddNumberToObject(o, "line", v[i].line - line_base);
			}
		}
		prev_sym = v[i].sym;
		prev_file = v[i].file;
		cJSON_AddItemToArray(list, o);
	}
	grt_insns_free(v, n);
	dap_respond(s, req, body);
}
