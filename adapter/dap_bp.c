/* Breakpoints as DAP sees them: paths through substitutePath, the JSON
 * of a breakpoint, and the set*Breakpoints answer.  What a breakpoint
 * is and does lives in debugger/. */
#include "dap_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *subst(const char *path, const char *from, const char *to)
{
	size_t fl = strlen(from);
	if (fl == 0 || strncmp(path, from, fl) != 0 ||
	    (path[fl] != '\0' && path[fl] != '/' && from[fl - 1] != '/'))
		return NULL;
	char *r = NULL;
	if (asprintf(&r, "%s%s", to, path + fl) < 0)
		return NULL;
	return r;
}

/* substitutePath maps {from: client prefix, to: binary prefix}; the first
 * rule that matches wins, in either direction. */
static char *map_path(dap_session *s, const char *path, int to_binary)
{
	for (size_t i = 0; s->have_cfg && i < s->cfg.nsubstitute_path; i++) {
		const char *from = s->cfg.substitute_path[i].from;
		const char *to = s->cfg.substitute_path[i].to;
		char *r = to_binary ? subst(path, from, to) : subst(path, to, from);
		if (r)
			return r;
	}
	return strdup(path);
}

char *dap_path_to_binary(dap_session *s, const char *client_path)
{
	return map_path(s, client_path, 1);
}

char *dap_path_to_client(dap_session *s, const char *binary_path)
{
	return map_path(s, binary_path, 0);
}

/* The client's path of a breakpoint: the one it gave for a line, else
 * the resolved file's (heap; NULL when none). */
static char *client_path(dap_session *s, const dbg_bp_view *v)
{
	if (v->source)
		return strdup(v->source);
	return v->file ? dap_path_to_client(s, v->file) : NULL;
}

cJSON *dap_bp_json(dap_session *s, const dbg_bp_view *v)
{
	cJSON *j = cJSON_CreateObject();
	cJSON_AddNumberToObject(j, "id", v->id);
	cJSON_AddBoolToObject(j, "verified", v->verified);
	if (v->message)
		cJSON_AddStringToObject(j, "message", v->message);
	if (v->kind == DBG_BP_INSTR) {
		char ref[32];
		snprintf(ref, sizeof(ref), "0x%lx", (unsigned long)v->instr);
		cJSON_AddStringToObject(j, "instructionReference", ref);
	}
	char *path = client_path(s, v);
	if (!path || v->line <= 0) {
		free(path);
		return j;
	}
	cJSON_AddNumberToObject(j, "line", v->line);
	cJSON *src = cJSON_AddObjectToObject(j, "source");
	const char *slash = strrchr(path, '/');
	cJSON_AddStringToObject(src, "name", slash ? slash + 1 : path);
	cJSON_AddStringToObject(src, "path", path);
	free(path);
	return j;
}

void dap_bp_event(dap_session *s, const dbg_bp_view *v)
{
	cJSON *b = cJSON_CreateObject();
	cJSON_AddStringToObject(b, "reason", "changed");
	cJSON_AddItemToObject(b, "breakpoint", dap_bp_json(s, v));
	dap_event(s, "breakpoint", b);
}

void dap_bp_set(dap_session *s, const cJSON *req, dbg_bp_kind kind,
		const char *source, const dbg_bp_spec *specs, size_t n)
{
	gd_err err = GD_ERR_INIT;
	dbg_bp_view *views = calloc(n ? n : 1, sizeof(*views));
	if (!views) {
		dap_respond_error(s, req, "out of memory");
		return;
	}
	if (dbg_bp_set(s->dbg, kind, source, specs, n, views, &err) < 0) {
		free(views);
		dap_respond_err(s, req, &err);
		return;
	}
	cJSON *body = cJSON_CreateObject();
	cJSON *list = cJSON_AddArrayToObject(body, "breakpoints");
	for (size_t i = 0; i < n; i++)
		cJSON_AddItemToArray(list, dap_bp_json(s, &views[i]));
	free(views);
	dap_respond(s, req, body);
}
