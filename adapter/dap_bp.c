/* Line breakpoints: resolution through the line tables, insertion through
 * core, and the JSON the client sees. */
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

char *dap_path_to_binary(dap_session *s, const char *client_path)
{
	for (size_t i = 0; s->have_cfg && i < s->cfg.nsubstitute_path; i++) {
		char *r = subst(client_path, s->cfg.substitute_path[i].from,
				s->cfg.substitute_path[i].to);
		if (r)
			return r;
	}
	return strdup(client_path);
}

char *dap_path_to_client(dap_session *s, const char *binary_path)
{
	for (size_t i = 0; s->have_cfg && i < s->cfg.nsubstitute_path; i++) {
		char *r = subst(binary_path, s->cfg.substitute_path[i].to,
				s->cfg.substitute_path[i].from);
		if (r)
			return r;
	}
	return strdup(binary_path);
}

static void set_message(dap_bp *bp, const char *msg)
{
	free(bp->message);
	bp->message = msg ? strdup(msg) : NULL;
}

void dap_bp_uninstall(dap_session *s, dap_bp *bp)
{
	if (s->tgt && s->tgt->proc && !core_exited(s->tgt->proc)) {
		for (size_t i = 0; i < bp->naddrs; i++)
			core_bp_del(s->tgt->proc, bp->addrs[i], NULL);
	}
	free(bp->addrs);
	bp->addrs = NULL;
	bp->naddrs = 0;
}

void dap_bp_resolve(dap_session *s, dap_bp *bp)
{
	dap_bp_uninstall(s, bp);
	bp->verified = 0;
	bp->line = bp->req_line;
	if (!s->tgt || !s->tgt->dw || !s->tgt->proc) {
		set_message(bp, "the program is not started yet");
		return;
	}
	char *bin = dap_path_to_binary(s, bp->path);
	if (!bin) {
		set_message(bp, "out of memory");
		return;
	}
	gdw_line_addrs la = {0};
	gd_err err = GD_ERR_INIT;
	if (gdw_line_addrs_for(s->tgt->dw, bin, bp->req_line, &la, &err) < 0) {
		set_message(bp, gd_err_msg(&err));
		gd_err_clear(&err);
		free(bin);
		return;
	}
	free(bin);
	bp->addrs = calloc(la.n ? la.n : 1, sizeof(uint64_t));
	if (!bp->addrs) {
		free(la.addrs);
		set_message(bp, "out of memory");
		return;
	}
	uint64_t bias = grt_bias(s->tgt->rt);
	for (size_t i = 0; i < la.n; i++) {
		uint64_t a = la.addrs[i] + bias;
		if (core_bp_add(s->tgt->proc, a, &err) < 0) {
			gd_log_info(s->log, "breakpoint: %s", gd_err_msg(&err));
			gd_err_clear(&err);
			continue;
		}
		bp->addrs[bp->naddrs++] = a;
	}
	free(la.addrs);
	if (bp->naddrs == 0) {
		set_message(bp, "could not insert the breakpoint");
		return;
	}
	bp->line = la.line;
	bp->verified = 1;
	set_message(bp, NULL);
}

void dap_bp_free(dap_bp *bp)
{
	free(bp->path);
	free(bp->message);
	free(bp->addrs);
	free(bp->condition);
	free(bp->hit_condition);
	free(bp->log_message);
	memset(bp, 0, sizeof(*bp));
}

cJSON *dap_bp_json(const dap_bp *bp)
{
	cJSON *j = cJSON_CreateObject();
	cJSON_AddNumberToObject(j, "id", bp->id);
	cJSON_AddBoolToObject(j, "verified", bp->verified);
	cJSON_AddNumberToObject(j, "line", bp->line);
	if (bp->message)
		cJSON_AddStringToObject(j, "message", bp->message);
	cJSON *src = cJSON_AddObjectToObject(j, "source");
	const char *slash = strrchr(bp->path, '/');
	cJSON_AddStringToObject(src, "name", slash ? slash + 1 : bp->path);
	cJSON_AddStringToObject(src, "path", bp->path);
	return j;
}

size_t dap_bp_at(dap_session *s, uint64_t addr, int **ids)
{
	size_t n = 0;
	*ids = NULL;
	for (size_t i = 0; i < s->nbps; i++) {
		for (size_t k = 0; k < s->bps[i].naddrs; k++) {
			if (s->bps[i].addrs[k] != addr)
				continue;
			int *m = realloc(*ids, (n + 1) * sizeof(int));
			if (!m)
				return n;
			*ids = m;
			(*ids)[n++] = s->bps[i].id;
			break;
		}
	}
	return n;
}
